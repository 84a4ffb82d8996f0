"""Flyer layouts are data: one YAML file per format under ``theme/flyers/``.

Positions are fractions of the *safe area* (the page less its safe margin), so whatever a layout
says, text and QR code stay inside it; only the background bands run to the edges and into the
bleed. Sizes of text are points on paper (``dpi`` 300) and pixels on screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MM_PER_INCH = 25.4
# The short address a story shows instead of a QR code is never smaller than this (px).
SITE_MIN_PX = 48
FORMATS = ("a5", "a4", "a3", "post", "story", "og")
# Every text a layout may place (only ``titre`` is required).
# ``lien`` and ``site`` are for screens without a QR code (stories): the call to tap the link,
# and the short address alone, in large type.
TEXT_ZONES = (
    "accroche",
    "titre",
    "quand",
    "ou",
    "public",
    "appel",
    "adresse",
    "lien",
    "site",
    "financeurs",
)


class LayoutError(ValueError):
    """A layout file is wrong; the message names the file and the key, in French."""


@dataclass(frozen=True)
class Box:
    """A rectangle in fractions of the safe area."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class TextZone:
    """Where one piece of text goes, its largest and smallest size, and its colours."""

    name: str
    box: Box
    size: float
    min_size: float
    bold: bool
    colour: str
    background: str
    align: str


@dataclass(frozen=True)
class Band:
    """A full-width background band ending at ``until`` (fraction of the safe area)."""

    until: float
    colour: str


@dataclass(frozen=True)
class QrZone:
    """The QR code: top-left corner in the safe area, and the square it may fill (quiet zone
    included); its modules are as large as fit, so a short address gives a larger code."""

    x: float
    y: float
    width: float  # mm on paper, px on screen
    background: str


@dataclass(frozen=True)
class Layout:
    """One output format, read from ``theme/flyers/FORMAT.yml``."""

    format: str
    name: str
    printed: bool
    width: float  # mm on paper, px on screen
    height: float
    dpi: int
    safe_margin: float
    top_margin: float  # extra space kept free at the top and bottom (stories)
    bottom_margin: float
    source: str
    output: str
    colours: dict[str, str]
    bands: tuple[Band, ...]
    texts: dict[str, TextZone]
    qr: QrZone | None  # stories have none: nobody can scan the phone that shows it
    logos: Box | None
    sticker: Box | None  # a band left empty for the app's link sticker (stories)
    path: Path

    def px(self, length: float) -> int:
        """A length of this layout (mm on paper, px on screen) in pixels."""
        return round(length * self.dpi / MM_PER_INCH) if self.printed else round(length)

    def font_px(self, size: float) -> int:
        """A text size (pt on paper, px on screen) in pixels."""
        return round(size * self.dpi / 72) if self.printed else round(size)

    def rgb(self, name: str) -> tuple[int, int, int]:
        """A colour of the layout's palette as an RGB triple."""
        value = self.colours[name].lstrip("#")
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def load_layout(folder: Path, format_name: str) -> Layout:
    """Read and check ``folder/FORMAT.yml``."""
    if format_name not in FORMATS:
        raise LayoutError(
            f"le format « {format_name} » n'existe pas — choisis parmi : {', '.join(FORMATS)}"
        )
    path = folder / f"{format_name}.yml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LayoutError(f"{path} : impossible de lire la mise en page ({error})") from None
    return _parsed_layout(text, format_name, path)


@lru_cache(maxsize=64)
def _parsed_layout(text: str, format_name: str, path: Path) -> Layout:
    """Parsing is cached by the file's text: 300 flyers read each layout once, and an edited
    layout is read anew."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LayoutError(f"{path} : impossible de lire la mise en page ({error})") from None
    return _layout(raw, format_name, path)


def _layout(raw: Any, format_name: str, path: Path) -> Layout:
    def need(mapping: Any, key: str, where: str = "") -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise LayoutError(f"{path} : « {where}{key} » manque dans la mise en page")
        return mapping[key]

    colours = {str(k): str(v) for k, v in need(raw, "couleurs").items()}

    def colour(value: Any, where: str) -> str:
        if str(value) not in colours:
            raise LayoutError(
                f"{path} : {where} utilise la couleur « {value} », absente de « couleurs »"
            )
        return str(value)

    def box(value: Any, where: str) -> Box:
        result = Box(
            float(need(value, "x", where)),
            float(need(value, "y", where)),
            float(need(value, "l", where)),
            float(need(value, "h", where)),
        )
        if not (
            result.x >= 0
            and result.y >= 0
            and result.x + result.width <= 1.0001
            and result.y + result.height <= 1.0001
        ):
            raise LayoutError(f"{path} : « {where} » sort de la zone sûre (x + l et y + h ≤ 1)")
        return result

    texts = {}
    declared = need(raw, "textes")
    need(declared, "titre", "textes.")
    for name, zone in declared.items():
        if name not in TEXT_ZONES:
            raise LayoutError(
                f"{path} : « textes.{name} » n'existe pas — les textes possibles : {', '.join(TEXT_ZONES)}"
            )
        where = f"textes.{name}."
        texts[name] = TextZone(
            name=name,
            box=box(zone, where),
            size=float(need(zone, "taille", where)),
            min_size=float(zone.get("min", need(zone, "taille", where))),
            bold=str(zone.get("gras", "non")).lower() in ("oui", "true", "yes"),
            colour=colour(need(zone, "couleur", where), where + "couleur"),
            background=colour(need(zone, "sur", where), where + "sur"),
            align=str(zone.get("alignement", "gauche")),
        )
    site = texts.get("site")
    on_screen = need(raw, "support") != "impression"
    if site is not None and on_screen and site.min_size < SITE_MIN_PX:
        raise LayoutError(
            f"{path} : « textes.site.min » doit valoir au moins {SITE_MIN_PX} : l'adresse doit se "
            "lire de loin sur un téléphone"
        )
    bands = tuple(
        Band(float(need(b, "jusqu_a", "fonds.")), colour(need(b, "couleur", "fonds."), "fonds"))
        for b in need(raw, "fonds")
    )
    qr = raw.get("qr")
    printed = need(raw, "support") == "impression"
    sticker = box(raw["autocollant"], "autocollant.") if raw.get("autocollant") else None
    if sticker is not None:
        _check_sticker(path, sticker, texts, bands)
    return Layout(
        format=format_name,
        name=str(need(raw, "nom")),
        printed=printed,
        width=float(need(raw, "largeur")),
        height=float(need(raw, "hauteur")),
        dpi=int(raw.get("dpi", 300)) if printed else 72,
        safe_margin=float(need(raw, "marge_sure")),
        top_margin=float(raw.get("marge_haut", 0)),
        bottom_margin=float(raw.get("marge_bas", 0)),
        source=str(need(raw, "source")),
        output=str(need(raw, "sortie")),
        colours=colours,
        bands=bands,
        texts=texts,
        qr=QrZone(
            float(need(qr, "x", "qr.")),
            float(need(qr, "y", "qr.")),
            float(need(qr, "largeur", "qr.")),
            colour(need(qr, "sur", "qr."), "qr.sur"),
        )
        if qr
        else None,
        logos=box(raw["logos"], "logos.") if raw.get("logos") else None,
        sticker=sticker,
        path=path,
    )


def _check_sticker(
    path: Path, sticker: Box, texts: dict[str, TextZone], bands: tuple[Band, ...]
) -> None:
    """The sticker band must stay empty: no text over it, one background colour under it."""
    for zone in texts.values():
        other = zone.box
        if (
            sticker.y < other.y + other.height
            and other.y < sticker.y + sticker.height
            and sticker.x < other.x + other.width
            and other.x < sticker.x + sticker.width
        ):
            raise LayoutError(
                f"{path} : « autocollant » recouvre « textes.{zone.name} » — "
                "la bande de l'autocollant doit rester vide"
            )
    starts = [0.0] + [band.until for band in bands[:-1]]
    under = [
        start
        for start, band in zip(starts, bands, strict=True)
        if start < sticker.y + sticker.height and sticker.y < band.until
    ]
    if len(under) != 1:
        raise LayoutError(
            f"{path} : « autocollant » est à cheval sur deux « fonds » — "
            "place-le sur une seule couleur"
        )
