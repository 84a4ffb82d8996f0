"""Drawing one subject with one layout: background bands into the bleed, text and QR code inside
the safe area, logos on their white band."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from .layouts import Box, Layout, LayoutError
from .qr import qr_image
from .subjects import Subject
from .text import FittedText, MissingGlyphs, TextTooLong, fit, text_height

TEXT_LABELS = {
    "titre": "le titre",
    "quand": "la date",
    "ou": "le lieu",
    "public": "le public",
    "accroche": "l'accroche",
    "appel": "l'appel à l'action",
    "adresse": "l'adresse du site",
    "lien": "l'appel à toucher le lien",
    "site": "l'adresse du site",
    "financeurs": "la ligne des financeurs (mkdocs.yml, affiches.financeurs)",
}


# On the press, text smaller than this and the QR code print on the black plate alone.
BLACK_PLATE_BELOW_PT = 12
# A text colour darker than this (relative luminance) may print as plain black.
DARK_LUMINANCE = 0.1


@dataclass(frozen=True)
class Artwork:
    """A render: the RGB picture, and for the press the coverage (0–255) of what must print
    in black ink alone — the QR code's dark modules and small dark text, left out of ``image``
    so that the ICC conversion never turns them into four-colour black."""

    image: Image.Image
    black: Image.Image | None = None
    texts: dict[str, FittedText] = field(default_factory=dict)  # what each zone shows, as drawn


class FlyerError(ValueError):
    """A flyer cannot be drawn; the message names the file and says what to change, in French."""


@dataclass(frozen=True)
class Geometry:
    """Pixel rectangles of one render: the whole canvas, the trim and the safe area."""

    width: int
    height: int
    bleed: int
    safe: tuple[int, int, int, int]  # left, top, right, bottom

    def place(self, box: Box) -> tuple[int, int, int, int]:
        """A layout box (fractions of the safe area) in pixels."""
        left, top, right, bottom = self.safe
        width, height = right - left, bottom - top
        return (
            left + round(box.x * width),
            top + round(box.y * height),
            left + round((box.x + box.width) * width),
            top + round((box.y + box.height) * height),
        )

    def safe_y(self, fraction: float) -> int:
        """A height in fractions of the safe area, in pixels from the canvas top."""
        return self.safe[1] + round(fraction * (self.safe[3] - self.safe[1]))


def geometry(layout: Layout, bleed_mm: float) -> Geometry:
    """Canvas and safe area of ``layout``; printed formats grow by the bleed on each side."""
    bleed_mm = bleed_mm if layout.printed else 0
    # The canvas is the trim plus bleed, rounded once (1819 px for 154 mm at 300 dpi).
    width = layout.px(layout.width + 2 * bleed_mm)
    height = layout.px(layout.height + 2 * bleed_mm)
    bleed = (width - layout.px(layout.width)) // 2
    margin = layout.px(layout.safe_margin)
    return Geometry(
        width,
        height,
        bleed,
        (
            bleed + margin,
            bleed + margin + layout.px(layout.top_margin),
            width - bleed - margin,
            height - bleed - margin - layout.px(layout.bottom_margin),
        ),
    )


def render(
    subject: Subject, layout: Layout, bleed_mm: float = 3.0, black_plate: bool = False
) -> Artwork:
    """``subject`` in ``layout`` (trim size plus bleed on printed formats); with
    ``black_plate``, the QR code and small dark text go to ``Artwork.black`` instead."""
    shape = geometry(layout, bleed_mm)
    image = Image.new("RGB", (shape.width, shape.height), layout.rgb(layout.bands[-1].colour))
    black = Image.new("L", image.size, 0) if black_plate and layout.printed else None
    draw = ImageDraw.Draw(image)
    top = 0
    for index, band in enumerate(layout.bands):
        bottom = shape.height if index == len(layout.bands) - 1 else shape.safe_y(band.until)
        draw.rectangle((0, top, shape.width, bottom), fill=layout.rgb(band.colour))
        top = bottom
    used: list[tuple[str, tuple[int, int, int, int]]] = []
    drawn: dict[str, FittedText] = {}
    for zone in layout.texts.values():
        text = subject.texts.get(zone.name, "").strip()
        if not text:
            continue
        left, zone_top, right, zone_bottom = shape.place(zone.box)
        used.append((zone.name, (left, zone_top, right, zone_bottom)))
        try:
            fitted = fit(
                text,
                right - left,
                zone_bottom - zone_top,
                layout.font_px(zone.size),
                layout.font_px(zone.min_size),
                zone.bold,
            )
        except TextTooLong:
            raise FlyerError(_too_long(subject, layout, zone.name, text)) from None
        except MissingGlyphs as missing:
            raise FlyerError(_no_glyph(subject, zone.name, missing.characters)) from None
        drawn[zone.name] = fitted
        on_black = black is not None and _black_text(layout, zone.colour, fitted.size)
        pen = ImageDraw.Draw(black) if on_black and black is not None else draw
        fill: int | tuple[int, int, int] = 255 if on_black else layout.rgb(zone.colour)
        y = zone_top
        for line in fitted.lines:
            x = left
            if zone.align == "centre":
                x = left + (right - left - round(fitted.font.getlength(line))) // 2
            pen.text((x, y), line, font=fitted.font, fill=fill, anchor="la")
            y += fitted.line_height
        assert y - fitted.line_height + text_height(1, fitted.size, zone.bold) <= zone_bottom
    if layout.qr is not None:
        _draw_qr(image, black, subject, layout, shape, used)
    if layout.logos and subject.logos:
        _draw_logos(image, [Path(p) for p in subject.logos], shape.place(layout.logos))
    return Artwork(image, black, drawn)


def _black_text(layout: Layout, colour: str, size_px: int) -> bool:
    """Small dark text prints in black ink alone: four inks never line up on thin strokes."""
    return size_px < layout.font_px(BLACK_PLATE_BELOW_PT) and _luminance(layout.rgb(colour)) < (
        DARK_LUMINANCE
    )


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _draw_qr(
    image: Image.Image,
    black: Image.Image | None,
    subject: Subject,
    layout: Layout,
    shape: Geometry,
    texts: list[tuple[str, tuple[int, int, int, int]]],
) -> None:
    assert layout.qr is not None
    code = qr_image(subject.qr_url, layout.px(layout.qr.width))
    left, top, right, bottom = shape.safe
    x = left + round(layout.qr.x * (right - left))
    y = top + round(layout.qr.y * (bottom - top))
    if x + code.width > right or y + code.height > bottom:
        raise LayoutError(
            f"{layout.path} : le code QR ({code.width} px avec sa marge blanche) sort de la zone sûre — "
            "rapproche « qr.x » / « qr.y » du coin haut gauche, ou réduis « qr.largeur »"
        )
    for name, (left, top, right, bottom) in texts:
        if x < right and left < x + code.width and y < bottom and top < y + code.height:
            raise LayoutError(
                f"{layout.path} : le code QR ({code.width} px avec sa marge blanche) recouvre "
                f"la zone « textes.{name} » — déplace l'un ou l'autre"
            )
    if black is None:
        image.paste(code, (x, y))
        return
    # The picture gets the white square; the dark modules go to the black plate only.
    image.paste((255, 255, 255), (x, y, x + code.width, y + code.height))
    black.paste(ImageChops.invert(code.convert("L")), (x, y))


def _draw_logos(image: Image.Image, paths: list[Path], area: tuple[int, int, int, int]) -> None:
    """Logos side by side at the area's height, smaller if together they are too wide."""
    left, top, right, bottom = area
    logos = []
    for path in paths:
        with Image.open(path) as opened:
            logos.append(opened.convert("RGBA"))
    height = bottom - top
    gap = height // 3
    widths = [round(logo.width * height / logo.height) for logo in logos]
    total = sum(widths) + gap * (len(logos) - 1)
    scale = min(1.0, (right - left) / total)
    x = left
    for logo, width in zip(logos, widths, strict=True):
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        resized = logo.resize(size, Image.Resampling.LANCZOS)
        image.paste(resized, (x, top + (height - size[1]) // 2), resized)
        x += size[0] + round(gap * scale)


def _too_long(subject: Subject, layout: Layout, zone: str, text: str) -> str:
    what = {"evenement": "l'événement", "campagne": "la campagne"}.get(subject.kind, "la page")
    label = TEXT_LABELS.get(zone, zone)
    return (
        f"{subject.source_file} : {label} de {what} « {subject.id} » est trop long pour le format "
        f"{layout.name}, même écrit en petit ({len(text)} caractères) — raccourcis-le"
    )


def _no_glyph(subject: Subject, zone: str, characters: str) -> str:
    what = {"evenement": "l'événement", "campagne": "la campagne"}.get(subject.kind, "la page")
    label = TEXT_LABELS.get(zone, zone)
    shown = " ".join(f"« {c} » (U+{ord(c):04X})" for c in characters)
    return (
        f"{subject.source_file} : {label} de {what} « {subject.id} » contient {shown}, que la "
        "police des flyers ne sait pas dessiner (un carré vide serait imprimé à sa place) — "
        "retire ce caractère ou écris-le en mots"
    )
