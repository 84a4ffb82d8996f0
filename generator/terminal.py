"""Text from outside shown in a terminal: every invisible control made visible, never acted on.

A contribution is typed by a stranger. Printed raw, an escape sequence (``ESC [ 2 J``…) could
clear the moderator's screen, rewrite earlier lines or set the window title; a carriage return
could hide a line behind another; a bidi override (U+202E) could show ``gpj.exe`` as
``exe.jpg``. Each such character is printed as a visible code instead: ``\\x1b``, ``<U+202E>``.
"""

from __future__ import annotations

import re

# Bidi embeddings, overrides and isolates, the implicit marks, and the Arabic letter mark.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# C0 and C1 controls and DEL, bidi controls, and the Unicode line and paragraph separators.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(BIDI_CONTROLS)) + "]")


def is_invisible_control(character: str) -> bool:
    """True for a character that acts on the display instead of showing itself."""
    return bool(_INVISIBLE.fullmatch(character))


def _visible(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    return f"\\x{code:02x}" if code < 0xA0 else f"<U+{code:04X}>"


def terminal_text(text: str, *, multiline: bool = True) -> str:
    """``text`` safe to print: line breaks kept when ``multiline`` (a form's CR LF counts as
    one), every other control shown as a code."""
    text = text.replace("\r\n", "\n")
    if multiline:
        return "\n".join(_INVISIBLE.sub(_visible, line) for line in text.split("\n"))
    return _INVISIBLE.sub(_visible, text)
