"""Fitting text in a box: wrap at word boundaries, then shrink down to a minimum size, else say so.

Lines break only at plain spaces: French typography (``forms_backend.typography``) first glues
« 17 h 30 », « 18 septembre 2027 », « 29 ans » and the space before « : ; ! ? » with no-break
spaces, and no line is left holding a lone number or a lone short word (« 30 », « code »).

The font comes from a pinned package (Atkinson Hyperlegible, OFL, designed for low-vision
readers), never from the system, so a flyer renders the same on every machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible
from PIL import Image, ImageDraw, ImageFont

from forms_backend.typography import french_spacing

FONT_FILES = {
    False: Path(fontpkg_atkinson_hyperlegible.ROOT) / "files/AtkinsonHyperlegible-Regular.ttf",
    True: Path(fontpkg_atkinson_hyperlegible.ROOT) / "files/AtkinsonHyperlegible-Bold.ttf",
}
LINE_HEIGHT = 1.15
SHRINK_STEP = 0.94
# A line holding one word this short (or one number) looks like a leftover: « code », « 30 ».
LONELY_WORD = 5


class TextTooLong(ValueError):
    """The text does not fit its box even at the smallest size allowed."""


class MissingGlyphs(ValueError):
    """The text holds characters the font has no glyph for: they would print as empty boxes."""

    def __init__(self, characters: str) -> None:
        super().__init__(characters)
        self.characters = characters


# A character no font maps (plane 16, private use): what the font draws for a missing glyph.
_NO_GLYPH_PROBE = "\U0010fffd"
_PROBE_SIZE = 48


@dataclass(frozen=True)
class FittedText:
    """Lines ready to draw at ``size`` pixels."""

    lines: tuple[str, ...]
    size: int
    bold: bool

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        """The font at the fitted size."""
        return font(self.bold, self.size)

    @property
    def line_height(self) -> int:
        """Distance between two baselines."""
        return round(self.size * LINE_HEIGHT)


@lru_cache(maxsize=256)
def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    """The package font at ``size`` pixels (cached: loading a font is slow)."""
    return ImageFont.truetype(str(FONT_FILES[bold]), size)


def fit(text: str, width: int, height: int, size: int, min_size: int, bold: bool) -> FittedText:
    """The largest size from ``size`` down to ``min_size`` at which ``text`` fits the box."""
    text = french_spacing(text)
    missing = missing_glyphs(text, bold)
    if missing:
        raise MissingGlyphs(missing)
    current = size
    while True:
        lines = wrap(text, font(bold, current), width)
        if lines is not None and text_height(len(lines), current, bold) <= height:
            return FittedText(tuple(lines), current, bold)
        if current <= min_size:
            raise TextTooLong(text)
        current = max(min_size, int(current * SHRINK_STEP))


def missing_glyphs(text: str, bold: bool) -> str:
    """The characters of ``text`` the font cannot draw (an emoji, Greek, Chinese…), each once,
    in order: Pillow would draw the font's empty box for them, and no warning."""
    return "".join(dict.fromkeys(c for c in text if not _drawable(c, bold)))


@lru_cache(maxsize=4096)
def _drawable(character: str, bold: bool) -> bool:
    """True unless the font draws ``character`` exactly as its missing-glyph box."""
    return character.isspace() or _drawn(character, bold) != _drawn(_NO_GLYPH_PROBE, bold)


@lru_cache(maxsize=4096)
def _drawn(character: str, bold: bool) -> tuple[tuple[int, int, int, int], bytes]:
    face = font(bold, _PROBE_SIZE)
    picture = Image.new("L", (_PROBE_SIZE * 3, _PROBE_SIZE * 2))
    ImageDraw.Draw(picture).text((_PROBE_SIZE // 2, 0), character, font=face, fill=255)
    return face.getbbox(character), picture.tobytes()


def text_height(line_count: int, size: int, bold: bool = False) -> int:
    """Height of ``line_count`` lines, from the first ascender to the last descender."""
    ascent, descent = font(bold, size).getmetrics()
    return round(size * LINE_HEIGHT) * (line_count - 1) + ascent + descent


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str] | None:
    """Greedy wrapping at plain spaces (and after the ``/`` of a long web address), then no
    lonely last word; ``None`` when a piece alone is wider than the box. No-break spaces
    (U+00A0, U+202F) never break."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped: list[str] = []
        at_space: list[bool] = [False]  # per line: does it start after a space (not mid-address)?
        line = ""
        for word in (w for w in paragraph.split(" ") if w):
            pieces = [word] if face.getlength(word) <= width else _address_pieces(word)
            for number, piece in enumerate(pieces):
                glue = "" if number or not line else " "
                candidate = f"{line}{glue}{piece}"
                if face.getlength(candidate) <= width:
                    line = candidate
                    continue
                if not line or face.getlength(piece) > width:
                    return None
                wrapped.append(line)
                at_space.append(number == 0)
                line = piece
        wrapped.append(line)
        lines += _without_lonely_lines(wrapped, at_space, face, width)
    return lines


def _without_lonely_lines(
    lines: list[str], at_space: list[bool], face: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Lines where none but the first is a lone number or short word, and the last is never a
    single word: the previous line's last word comes down to keep it company (from the end up,
    so a line left alone in turn is mended too). Same number of lines, so the text still fits."""
    lines = list(lines)
    for index in range(len(lines) - 1, 0, -1):
        if not at_space[index] or not _lonely(lines[index], last=index == len(lines) - 1):
            continue
        head, _, moved = lines[index - 1].rpartition(" ")
        candidate = f"{moved} {lines[index]}"
        if head and face.getlength(candidate) <= width:
            lines[index - 1], lines[index] = head, candidate
    return lines


def _lonely(line: str, last: bool) -> bool:
    if " " in line:
        return False
    word = line.strip(".,;:!?»«\u00a0\u202f")
    return last or word.isdigit() or len(word) <= LONELY_WORD


def _address_pieces(word: str) -> list[str]:
    """``a.fr/b-c/d`` → ``a.fr/``, ``b-``, ``c/``, ``d``: where a long address may go to the
    next line (after a slash, else after a hyphen), each piece keeping its separator."""
    return [piece for piece in re.split(r"(?<=[/-])", word) if piece]
