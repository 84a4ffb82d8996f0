"""A PDF of text and lines on A4 pages, with pikepdf (the library the flyers use).

The text is real text: each font is embedded whole as a CIDFontType2 (Identity-H, glyph ids as
character codes) with a ToUnicode map, so ``pdftotext``, a screen reader or a search finds the
same words that print. Positions are given in millimetres from the top-left corner of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING

from .font import TrueTypeFont

if TYPE_CHECKING:
    import pikepdf

POINTS_PER_MM = 72 / 25.4
A4_MM = (210.0, 297.0)


@dataclass
class Page:
    """One page being drawn: the operators of its content stream."""

    fonts: dict[str, TrueTypeFont]
    height_mm: float = A4_MM[1]
    operators: list[str] = field(default_factory=list)
    used: dict[str, dict[int, str]] = field(default_factory=dict)  # font → glyph → text

    def text(self, x: float, y: float, text: str, *, size: float, font: str = "regular") -> float:
        """Write ``text`` with its baseline at ``y`` mm from the top; returns its width in mm."""
        face = self.fonts[font]
        shown = face.printable(text)
        codes = []
        for character in shown:
            glyph = face.glyph(character)
            self.used.setdefault(font, {})[glyph] = character
            codes.append(f"{glyph:04X}")
        self.operators.append(
            f"BT /{font} {size:.2f} Tf {_pt(x)} {_pt(self.height_mm - y)} Td <{''.join(codes)}> Tj ET"
        )
        return face.text_width(shown, size) / POINTS_PER_MM

    def fitted(self, text: str, width: float, *, size: float, font: str = "regular") -> str:
        """``text`` cut with « … » so that it fits in ``width`` mm."""
        face = self.fonts[font]
        shown = face.printable(text)
        limit = width * POINTS_PER_MM
        if face.text_width(shown, size) <= limit:
            return shown
        while shown and face.text_width(shown + "…", size) > limit:
            shown = shown[:-1]
        return shown.rstrip() + "…"

    def width(self, text: str, *, size: float, font: str = "regular") -> float:
        """How wide ``text`` prints, in mm."""
        face = self.fonts[font]
        return face.text_width(face.printable(text), size) / POINTS_PER_MM

    def rectangle(
        self, x: float, y: float, width: float, height: float, *, line: float = 0.3
    ) -> None:
        """A stroked rectangle whose top-left corner is at (``x``, ``y``) mm."""
        self.operators.append(
            f"{line:.2f} w {_pt(x)} {_pt(self.height_mm - y - height)} {_pt(width)} {_pt(height)} re S"
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, *, line: float = 0.3) -> None:
        """A straight line between two points given in mm from the top-left corner."""
        self.operators.append(
            f"{line:.2f} w {_pt(x1)} {_pt(self.height_mm - y1)} m "
            f"{_pt(x2)} {_pt(self.height_mm - y2)} l S"
        )


def pdf_document(pages: list[Page], *, title: str, size_mm: tuple[float, float] = A4_MM) -> bytes:
    """The pages as one PDF file (French, titled, the same bytes for the same pages)."""
    import pikepdf  # loaded only when a sheet is made

    pdf = pikepdf.new()
    fonts = pages[0].fonts if pages else {}
    used: dict[str, dict[int, str]] = {}
    for page in pages:
        for name, glyphs in page.used.items():
            used.setdefault(name, {}).update(glyphs)
    resources = pdf.make_indirect(
        pikepdf.Dictionary(
            Font=pikepdf.Dictionary(
                {
                    f"/{name}": pdf.make_indirect(_font(pdf, face, used.get(name, {})))
                    for name, face in fonts.items()
                }
            )
        )
    )
    for page in pages:
        content = pikepdf.Stream(pdf, "\n".join(["0 g 0 G", *page.operators]).encode("ascii"))
        pdf.pages.append(
            pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=pikepdf.Array([0, 0, *(round(v * POINTS_PER_MM, 3) for v in size_mm)]),
                    Resources=resources,
                    Contents=content,
                )
            )
        )
    pdf.Root.Lang = pikepdf.String("fr-FR")
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Producer"] = "Porte-voix"
    buffer = BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _font(pdf: pikepdf.Pdf, face: TrueTypeFont, used: dict[int, str]) -> pikepdf.Dictionary:
    import pikepdf

    scale = 1000 / face.units_per_em
    program = pikepdf.Stream(pdf, face.data)
    program.Length1 = len(face.data)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name(f"/{face.name}"),
        Flags=32,  # non-symbolic: Latin text
        FontBBox=pikepdf.Array([round(v * scale) for v in face.bbox]),
        ItalicAngle=0,
        Ascent=round(face.ascent * scale),
        Descent=round(face.descent * scale),
        CapHeight=round(face.cap_height * scale),
        StemV=80,
        FontFile2=program,
    )
    widths = pikepdf.Array([0, pikepdf.Array([face.width(g) for g in range(len(face.advances))])])
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=pikepdf.Name(f"/{face.name}"),
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=widths,
        CIDToGIDMap=pikepdf.Name.Identity,
    )
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type0,
        BaseFont=pikepdf.Name(f"/{face.name}"),
        Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=pikepdf.Array([pdf.make_indirect(cid_font)]),
        ToUnicode=pikepdf.Stream(pdf, _to_unicode(used)),
    )


def _to_unicode(used: dict[int, str]) -> bytes:
    """The CMap that turns each glyph id back into its characters (for copy, search, reading)."""
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    entries = sorted(used.items())
    for start in range(0, len(entries), 100):  # at most 100 entries a block
        block = entries[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        for glyph, text in block:
            utf16 = text.encode("utf-16-be").hex().upper()
            lines.append(f"<{glyph:04X}> <{utf16}>")
        lines.append("endbfchar")
    lines += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
    return "\n".join(lines).encode("ascii")


def _pt(mm: float) -> str:
    return f"{mm * POINTS_PER_MM:.3f}"
