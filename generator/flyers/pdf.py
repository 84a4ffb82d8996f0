"""Print-ready PDF: one page, the render embedded losslessly at its resolution, with the boxes a
print shop reads (TrimBox, BleedBox), optional crop marks, and CMYK through an ICC profile.

CMYK goes through littlecms (``ImageCms``) with the FOGRA39 profile of ``theme/flyers/`` — plain
``convert("CMYK")`` would print black as a dull grey — and the profile is embedded as the PDF's
output intent so the print shop knows which press condition the numbers are for.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageCms

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


def pdf_bytes(
    image: Image.Image,
    trim_mm: tuple[float, float],
    options: PrintOptions,
    *,
    title: str,
    profile: Path | None = None,
) -> bytes:
    """A one-page PDF of ``image`` (trim plus bleed), boxes set, in RGB or CMYK."""
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
        colour_space: object = pikepdf.Name.DeviceCMYK
    else:
        image = image.convert("RGB")
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
                    Info=profile.stem,
                    DestOutputProfile=icc,
                )
            ]
        )
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Producer"] = "Porte-voix"
    buffer = BytesIO()
    # No creation date: the same flyer gives the same bytes, so caches and print shops see no change.
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


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
