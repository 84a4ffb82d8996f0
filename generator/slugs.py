"""Words for machines: ASCII slugs for URLs and accent-blind comparison of names."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; accents are dropped, not kept in URLs."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: how two spellings of a word are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-'’]", " ", stripped.lower()).split())
