"""Drawing one subject with one layout: background bands into the bleed, text and QR code inside
the safe area, logos on their white band."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from .layouts import Box, Layout, LayoutError
from .qr import qr_image
from .subjects import Subject
from .text import TextTooLong, fit, text_height

TEXT_LABELS = {
    "titre": "le titre",
    "quand": "la date",
    "ou": "le lieu",
    "public": "le public",
    "accroche": "l'accroche",
    "appel": "l'appel à l'action",
    "adresse": "l'adresse du site",
    "financeurs": "la ligne des financeurs (mkdocs.yml, affiches.financeurs)",
}


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


def render(subject: Subject, layout: Layout, bleed_mm: float = 3.0) -> Image.Image:
    """The RGB image of ``subject`` in ``layout`` (trim size plus bleed on printed formats)."""
    shape = geometry(layout, bleed_mm)
    image = Image.new("RGB", (shape.width, shape.height), layout.rgb(layout.bands[-1].colour))
    draw = ImageDraw.Draw(image)
    top = 0
    for index, band in enumerate(layout.bands):
        bottom = shape.height if index == len(layout.bands) - 1 else shape.safe_y(band.until)
        draw.rectangle((0, top, shape.width, bottom), fill=layout.rgb(band.colour))
        top = bottom
    used: list[tuple[str, tuple[int, int, int, int]]] = []
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
        y = zone_top
        for line in fitted.lines:
            x = left
            if zone.align == "centre":
                x = left + (right - left - round(fitted.font.getlength(line))) // 2
            draw.text((x, y), line, font=fitted.font, fill=layout.rgb(zone.colour), anchor="la")
            y += fitted.line_height
        assert y - fitted.line_height + text_height(1, fitted.size, zone.bold) <= zone_bottom
    _draw_qr(image, subject, layout, shape, used)
    if layout.logos and subject.logos:
        _draw_logos(image, [Path(p) for p in subject.logos], shape.place(layout.logos))
    return image


def _draw_qr(
    image: Image.Image,
    subject: Subject,
    layout: Layout,
    shape: Geometry,
    texts: list[tuple[str, tuple[int, int, int, int]]],
) -> None:
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
    image.paste(code, (x, y))


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
    what = "l'événement" if subject.kind == "evenement" else "la campagne"
    label = TEXT_LABELS.get(zone, zone)
    return (
        f"{subject.source_file} : {label} de {what} « {subject.id} » est trop long pour le format "
        f"{layout.name}, même écrit en petit ({len(text)} caractères) — raccourcis-le"
    )
