"""What a PDF needs from a TrueType font: glyph ids, advance widths and a few metrics.

Read with ``struct`` from the font's own tables (``cmap``, ``hmtx``, ``head``, ``hhea``,
``OS/2``), so that a sheet of text needs no font library beyond what the kit ships (the Atkinson
Hyperlegible files of ``fontpkg-atkinson-hyperlegible``). The whole file is embedded: no subset,
so no glyph can be missing from it.
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class TrueTypeFont:
    """A TrueType file, its character map and its metrics in font units."""

    name: str
    data: bytes
    units_per_em: int
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    glyphs: dict[int, int]  # code point → glyph id
    advances: tuple[int, ...]  # glyph id → advance width

    def glyph(self, character: str) -> int:
        """The glyph id of ``character`` (0, the missing glyph, when the font has none)."""
        return self.glyphs.get(ord(character), 0)

    def width(self, glyph: int) -> int:
        """The advance width of ``glyph`` in thousandths of the font size (PDF's unit)."""
        advance = self.advances[min(glyph, len(self.advances) - 1)]
        return round(advance * 1000 / self.units_per_em)

    def text_width(self, text: str, size: float) -> float:
        """How wide ``text`` is, in points, at ``size`` points."""
        return sum(self.width(self.glyph(c)) for c in text) * size / 1000

    def printable(self, text: str) -> str:
        """``text`` with what this font can draw: controls and invisible format characters
        dropped, a letter the font lacks replaced by its base letter (« ễ » → « e ») or « ? »."""
        kept = []
        for character in text:
            category = unicodedata.category(character)
            if category.startswith("C") or category in ("Zl", "Zp"):
                continue
            if ord(character) not in self.glyphs:
                base = unicodedata.normalize("NFKD", character)[:1]
                character = base if base and ord(base) in self.glyphs else "?"
            kept.append(character)
        return "".join(kept)


def _tables(data: bytes) -> dict[str, bytes]:
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag.decode("latin-1")] = data[offset : offset + length]
    return tables


def _cmap(table: bytes) -> dict[int, int]:
    """The Unicode subtable: format 12 (full Unicode) when there is one, else format 4."""
    (count,) = struct.unpack_from(">H", table, 2)
    subtables = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * index)
        (format_,) = struct.unpack_from(">H", table, offset)
        if (platform, encoding) in ((3, 1), (3, 10), (0, 3), (0, 4), (0, 6)):
            subtables[format_] = offset
    if 12 in subtables:
        return _format_12(table, subtables[12])
    if 4 in subtables:
        return _format_4(table, subtables[4])
    raise ValueError("no Unicode character map in this font")


def _format_4(table: bytes, offset: int) -> dict[int, int]:
    (segments,) = struct.unpack_from(">H", table, offset + 6)
    segments //= 2
    ends = struct.unpack_from(f">{segments}H", table, offset + 14)
    starts_at = offset + 16 + 2 * segments
    starts = struct.unpack_from(f">{segments}H", table, starts_at)
    deltas = struct.unpack_from(f">{segments}h", table, starts_at + 2 * segments)
    ranges_at = starts_at + 4 * segments
    ranges = struct.unpack_from(f">{segments}H", table, ranges_at)
    glyphs = {}
    for index in range(segments):
        for code in range(starts[index], ends[index] + 1):
            if code == 0xFFFF:
                continue
            if ranges[index] == 0:
                glyph = (code + deltas[index]) % 65536
            else:
                at = ranges_at + 2 * index + ranges[index] + 2 * (code - starts[index])
                (glyph,) = struct.unpack_from(">H", table, at)
                glyph = (glyph + deltas[index]) % 65536 if glyph else 0
            if glyph:
                glyphs[code] = glyph
    return glyphs


def _format_12(table: bytes, offset: int) -> dict[int, int]:
    (groups,) = struct.unpack_from(">I", table, offset + 12)
    glyphs = {}
    for index in range(groups):
        first, last, glyph = struct.unpack_from(">III", table, offset + 16 + 12 * index)
        for code in range(first, last + 1):
            glyphs[code] = glyph + code - first
    return glyphs


@lru_cache(maxsize=4)
def read_font(path: Path) -> TrueTypeFont:
    """Read a TrueType file (``glyf`` outlines; an OpenType CFF file is refused)."""
    data = path.read_bytes()
    tables = _tables(data)
    if "glyf" not in tables:
        raise ValueError(f"{path.name}: not a TrueType font with glyf outlines")
    head, hhea = tables["head"], tables["hhea"]
    (units,) = struct.unpack_from(">H", head, 18)
    bbox = struct.unpack_from(">4h", head, 36)
    ascent, descent = struct.unpack_from(">hh", hhea, 4)
    (metrics,) = struct.unpack_from(">H", hhea, 34)
    advances = struct.unpack_from(
        f">{metrics}H", b"".join(tables["hmtx"][4 * i : 4 * i + 2] for i in range(metrics))
    )
    os2 = tables.get("OS/2", b"")
    cap_height = struct.unpack_from(">h", os2, 88)[0] if len(os2) >= 90 else ascent
    return TrueTypeFont(
        name=path.stem.replace(" ", ""),
        data=data,
        units_per_em=units,
        bbox=bbox,
        ascent=ascent,
        descent=descent,
        cap_height=cap_height,
        glyphs=_cmap(tables["cmap"]),
        advances=advances,
    )
