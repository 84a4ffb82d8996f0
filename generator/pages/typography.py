"""French typography for generated text: no line break before « : ; ! ? » or inside « ».

Browsers may wrap at an ordinary space, leaving a colon or a closing guillemet alone at the
start of a line; French sets a non-breaking space there (thin before ; ! ?).
"""

from __future__ import annotations

import re

NBSP, NNBSP = "\u00a0", "\u202f"
_BEFORE = re.compile(r" ([:;!?»])(?=\s|$|[.,)*])")
_AFTER = re.compile(r"« ")


def french_spacing(text: str) -> str:
    """``text`` with non-breaking spaces where French typography puts them."""
    text = _BEFORE.sub(lambda m: (NBSP if m[1] in ":»" else NNBSP) + m[1], text)
    return _AFTER.sub("«" + NBSP, text)
