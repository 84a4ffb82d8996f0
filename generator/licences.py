"""``licences.txt``: the licences of the third-party code every built site redistributes.

Material's script and style sheet bundle RxJS (Apache 2.0), clipboard.js (MIT), focus-visible
(whose W3C licence asks for its full notice « in a location viewable to users »)… with their
licence comments stripped. The site therefore publishes the repository's ``LICENCES.md``, which
gives each text in full, and the mentions légales link to it.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

LICENCES_PATH = "licences.txt"
_REPOSITORY_COPY = Path(__file__).resolve().parent.parent / "LICENCES.md"


def licence_notice() -> bytes:
    """LICENCES.md as UTF-8 text with a byte-order mark (a plain-text file served without a
    charset still shows its accents): the repository's copy, else the installed package's."""
    if _REPOSITORY_COPY.is_file():
        text = _REPOSITORY_COPY.read_text(encoding="utf-8")
    else:
        text = metadata.distribution("porte-voix").read_text("licenses/LICENCES.md") or ""
    return ("\ufeff" + text).encode("utf-8")
