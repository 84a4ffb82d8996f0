"""Ordinary pages: any other Markdown file under ``content/``, published as written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .frontmatter import Document
from .problems import FileProblems

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
# A block of generated content placed by authors: <!-- porte-voix: prochains-evenements -->
MARKER = re.compile(r"<!--\s*porte-voix:\s*([a-z-]+)\s*-->")
BLOCK_NAMES = (
    "prochains-evenements",
    "temoignages",
    "accessibilite",
    "formulaire-rappel",
    "formulaire-orientation",
    "campagne",
    "formulaire-temoignage",
    "formulaire-evenement",
    "accord-parent",
    "mentions-legales",
    "donnees-personnelles",
)


@dataclass(frozen=True)
class Page:
    """A page written by hand; ``src_uri`` is its path under ``content/``."""

    src_uri: str
    title: str
    meta: dict[str, Any]
    body: str


def build_page(document: Document, src_uri: str, report: FileProblems) -> Page:
    """A page's title comes from ``title``/``titre``, else its first heading, else its file name."""
    for match in MARKER.finditer(document.body):
        if match[1] not in BLOCK_NAMES:
            line = document.body_line + document.body.count("\n", 0, match.start())
            report.add(
                line,
                f"le bloc « {match[1]} » n'existe pas",
                "les blocs possibles sont : " + ", ".join(BLOCK_NAMES),
            )
    heading = _HEADING.search(document.body)
    title = (
        document.meta.get("title")
        or document.meta.get("titre")
        or (heading[1] if heading else None)
        or document.path.stem.replace("-", " ").capitalize()
    )
    return Page(src_uri, str(title), document.meta, document.body)
