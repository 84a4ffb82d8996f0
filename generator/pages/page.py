"""A generated page as plain data: where it goes, its Markdown and its front matter."""

from __future__ import annotations

import html
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

    def page_meta(self) -> dict[str, Any]:
        """What an author's front matter would give MkDocs: the title, then the rest.

        The title goes in HTML-escaped: MkDocs and Material's templates write ``page.title``
        into the page as it is (header, navigation, search index), as markup. ``title`` itself
        stays the plain text (an event's name, a testimonial's « Inès, 19 ans, Frouard »).
        Quotes stay as they are: Material's search index tokenises titles on its own separators,
        and « l&#x27;alternance » would no longer be found by « alternance ».
        The description stays plain text: ``theme/main.html`` escapes it where it is written."""
        return {"title": html.escape(self.title, quote=False), **self.meta}

    def body(self) -> str:
        """The Markdown without front matter (the plugin hands MkDocs the meta directly: parsing
        it back with PyYAML's pure-Python loader was a twentieth of a rebuild).

        The blank first line stops MkDocs looking for "Key: value" metadata in the text."""
        return f"\n{self.markdown.strip()}\n"


@dataclass(frozen=True)
class GeneratedFile:
    """A non-page output (calendar, feed, JSON) with its path in the site and its bytes."""

    path: str
    content: bytes
