"""Print-ready PDF: one page, the render embedded losslessly at its resolution, with the boxes a
print shop reads (TrimBox, BleedBox), optional crop marks, and CMYK through an ICC profile.

CMYK goes through littlecms (``ImageCms``) with the FOGRA39 profile of ``theme/flyers/`` — plain
``convert("CMYK")`` would print black as a dull grey — and the profile is embedded as the PDF's
output intent so the print shop knows which press condition the numbers are for.

The QR code and small dark text never go through the profile: it would make them four-colour
black (C83 M72 Y45 K100), which blurs at the slightest misregistration. They come as a separate
coverage mask and are painted on the black plate after the conversion (see ``black_plate``).
A CMYK file also carries the PDF/X-1a:2001 keys a preflight looks for.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageChops, ImageCms

if TYPE_CHECKING:
    import pikepdf

POINTS_PER_MM = 72 / 25.4
MARK_OFFSET_MM = 3.0  # crop marks start this far from the trim (never inside the bleed)
MARK_LENGTH_MM = 5.0


@dataclass(frozen=True)
class PrintOptions:
    """What the print shop asked for."""

    bleed_mm: float = 3.0
    cmyk: bool = False
    crop_marks: bool = False


@lru_cache(maxsize=4)
def _cmyk_transform(profile: Path) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        ImageCms.getOpenProfile(str(profile)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )


def to_cmyk(image: Image.Image, profile: Path) -> Image.Image:
    """``image`` (sRGB) in the CMYK of ``profile``."""
    converted = ImageCms.applyTransform(image, _cmyk_transform(profile))
    assert converted is not None
    return converted


def black_plate(cmyk: Image.Image, coverage: Image.Image) -> Image.Image:
    """``cmyk`` with ``coverage`` (0–255) painted in black ink alone: K = max(K, coverage) and
    C, M, Y scaled by (1 − coverage).

    Knocking out (rather than overprinting the black over the background's inks) keeps every
    fully covered pixel at exactly C0 M0 Y0 K100, what a print shop's preflight measures, and
    never adds ink: the total stays at most the background's or 100 %. An image has no
    overprint setting anyway. The price is a hairline of paper along one edge of a glyph if the
    plates slip; on these light backgrounds (orange, white) it shows far less than a
    four-colour black's coloured fringes. Anti-aliased edges keep their partial coverage."""
    cyan, magenta, yellow, key = cmyk.split()
    keep = ImageChops.invert(coverage)
    return Image.merge(
        "CMYK",
        (
            ImageChops.multiply(cyan, keep),
            ImageChops.multiply(magenta, keep),
            ImageChops.multiply(yellow, keep),
            ImageChops.lighter(key, coverage),
        ),
    )


def pdf_date(moment: datetime) -> str:
    """A PDF date string (PDF 1.7, 7.9.4) in UTC: ``D:20270918093000Z``."""
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")


def pdf_bytes(
    image: Image.Image,
    trim_mm: tuple[float, float],
    options: PrintOptions,
    *,
    title: str,
    profile: Path | None = None,
    black: Image.Image | None = None,
    revised: datetime | None = None,
) -> bytes:
    """A one-page PDF of ``image`` (trim plus bleed), boxes set, in RGB or CMYK; ``black``
    (CMYK only) is painted on the black plate after the ICC conversion; ``revised`` (when the
    content last changed) dates a CMYK file, which PDF/X requires."""
    bleed = options.bleed_mm
    # Crop marks sit outside the bleed, on a slug added around it (then the page is larger than
    # trim plus bleed, as print shops expect from marks).
    mark_start = max(bleed, MARK_OFFSET_MM)
    slug = mark_start + MARK_LENGTH_MM + 1 - bleed if options.crop_marks else 0.0
    trim_w, trim_h = trim_mm
    art_w, art_h = trim_w + 2 * bleed, trim_h + 2 * bleed
    page_w, page_h = art_w + 2 * slug, art_h + 2 * slug
    import pikepdf  # a tenth of a second to load: only when a PDF is made, not at every build

    pdf = pikepdf.new()
    if options.cmyk:
        if profile is None:
            raise ValueError("a CMYK PDF needs an ICC profile")
        image = to_cmyk(image, profile)
        if black is not None:
            image = black_plate(image, black)
        colour_space: object = pikepdf.Name.DeviceCMYK
    else:
        image = image.convert("RGB")
        if black is not None:
            image.paste((0, 0, 0), mask=black)
        colour_space = pikepdf.Name.DeviceRGB
    picture = pikepdf.Stream(pdf, zlib.compress(image.tobytes(), 6))
    picture.Type = pikepdf.Name.XObject
    picture.Subtype = pikepdf.Name.Image
    picture.Width, picture.Height = image.width, image.height
    picture.ColorSpace = colour_space
    picture.BitsPerComponent = 8
    picture.Filter = pikepdf.Name.FlateDecode
    ops = [
        f"q {_pt(art_w)} 0 0 {_pt(art_h)} {_pt(slug)} {_pt(slug)} cm /Im0 Do Q",
    ]
    if options.crop_marks:
        ops.append(_crop_marks(trim_w, trim_h, slug + bleed, mark_start, options.cmyk))
    content = pikepdf.Stream(pdf, "\n".join(ops).encode("ascii"))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=_box(0, 0, page_w, page_h),
        BleedBox=_box(slug, slug, slug + art_w, slug + art_h),
        TrimBox=_box(slug + bleed, slug + bleed, slug + bleed + trim_w, slug + bleed + trim_h),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture)),
        Contents=content,
    )
    pdf.pages.append(pikepdf.Page(page))
    if options.cmyk and profile is not None:
        icc = pikepdf.Stream(pdf, profile.read_bytes())
        icc.N = 4
        pdf.Root.OutputIntents = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFX,
                    OutputConditionIdentifier="FOGRA39",
                    RegistryName="http://www.color.org",
                    Info=profile.stem,
                    DestOutputProfile=icc,
                )
            ]
        )
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Producer"] = "Porte-voix"
    if options.cmyk:
        _pdfx_keys(pdf, revised or datetime.now(UTC))
    buffer = BytesIO()
    # The same flyer gives the same bytes (fixed ID; dates from the content, not from now), so
    # caches and print shops see no change.
    # PDF/X-1a:2001 is built on PDF 1.3, which has everything this file uses.
    pdf.save(buffer, deterministic_id=True, force_version="1.3" if options.cmyk else None)
    return buffer.getvalue()


def _pdfx_keys(pdf: pikepdf.Pdf, revised: datetime) -> None:
    """The Info keys of PDF/X-1a:2001 (ISO 15930-1): version, conformance, trapping and dates.

    The dates are when the content last changed (its Git commit, ``modifie`` or first sighting),
    not when the file was drawn: a redraw of the same flyer gives the same bytes."""
    import pikepdf

    date = pdf_date(revised)
    pdf.docinfo["/CreationDate"] = date
    pdf.docinfo["/ModDate"] = date
    pdf.docinfo["/Trapped"] = pikepdf.Name("/False")
    pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-1:2001"
    pdf.docinfo["/GTS_PDFXConformance"] = "PDF/X-1a:2001"


def _crop_marks(trim_w: float, trim_h: float, origin: float, start: float, cmyk: bool) -> str:
    """Thin lines at each corner, outside the bleed, in registration colour."""
    colour = "1 1 1 1 K" if cmyk else "0 0 0 RG"
    lines = [f"q {colour} 0.25 w"]
    for x in (origin, origin + trim_w):
        for y in (origin, origin + trim_h):
            outward_x = -1 if x == origin else 1
            outward_y = -1 if y == origin else 1
            end = start + MARK_LENGTH_MM
            lines.append(  # horizontal mark, on the trim line's height
                f"{_pt(x + outward_x * start)} {_pt(y)} m {_pt(x + outward_x * end)} {_pt(y)} l S"
            )
            lines.append(  # vertical mark
                f"{_pt(x)} {_pt(y + outward_y * start)} m {_pt(x)} {_pt(y + outward_y * end)} l S"
            )
    lines.append("Q")
    return "\n".join(lines)


def _pt(mm: float) -> str:
    return f"{mm * POINTS_PER_MM:.3f}"


def _box(*mm: float) -> pikepdf.Array:
    import pikepdf

    return pikepdf.Array([round(value * POINTS_PER_MM, 3) for value in mm])
