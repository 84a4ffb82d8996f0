"""A generated page as plain data: where it goes, its Markdown and its front matter."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GeneratedPage:
    """A page made from the content model. ``in_nav`` pages appear in the global navigation."""

    src_uri: str
    title: str
    markdown: str
    meta: dict[str, Any] = field(default_factory=dict)
    in_nav: bool = False

    def source(self) -> str:
        """The whole Markdown file, front matter first, as another generator could write it to disk."""
        meta = {"title": self.title, **self.meta}
        # JSON is YAML too, and dumping it is some ten times faster than yaml.safe_dump: it
        # counted for a tenth of a rebuild with 500 events.
        front = json.dumps(meta, ensure_ascii=False)
        return f"---\n{front}\n---\n\n{self.markdown.strip()}\n"


@dataclass(frozen=True)
class GeneratedFile:
    """A non-page output (calendar, feed, JSON) with its path in the site and its bytes."""

    path: str
    content: bytes
