"""Text written by contributors through the site's forms: text stays text, everywhere.

At publication (``porte-voix contributions accept``) what a person typed is kept as they typed
it — ``<b>Zoé</b>`` stays those nine characters, shown as such — less the invisible controls
that could act on a terminal or reverse a line (:mod:`generator.terminal`). Nothing is ever
HTML-unescaped: an ``&lt;img…&gt;`` someone typed is eleven letters, not a tag.

At each build the Markdown body of a contributed file is rendered with raw HTML, entities,
images and attribute lists off, links kept only to ``http``, ``https`` and ``mailto``, then
cleaned again by ``nh3`` (Ammonia) with a short allow-list: nothing that runs in a browser gets
through — script, event handlers, ``javascript:`` links, frames, SVG, styles."""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..terminal import is_invisible_control

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile(r"[\t\n\v\f ]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


@dataclass(frozen=True)
class CleanText:
    """A contributed string ready for a content file, and how many invisible controls
    (escape sequences, bidi overrides…) were taken out of it."""

    text: str
    removed: int = 0


def _without_controls(text: str) -> CleanText:
    """Line breaks normalised to ``\\n``, tabs to spaces, every other control removed."""
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    kept = [c for c in text if c == "\n" or not is_invisible_control(c)]
    return CleanText("".join(kept), len(text) - len(kept))


def plain_text(text: str) -> CleanText:
    """A one-line field (first name, commune, quote, title, place) as typed, on one line."""
    clean = _without_controls(unicodedata.normalize("NFC", text))
    return CleanText(_SPACES.sub(" ", clean.text).strip(), clean.removed)


def body_text(text: str) -> CleanText:
    """A contributed Markdown body as typed, no line indented (that would be a code block)."""
    clean = _without_controls(unicodedata.normalize("NFC", text))
    lines = "\n".join(line.strip() for line in clean.text.split("\n")).strip()
    return CleanText(lines, clean.removed)


class _SafeLinks(Treeprocessor):
    """Links keep their target only when it is an ``http``, ``https`` or ``mailto`` address."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            if not _safe_target(link.get("href", "")):
                link.attrib.pop("href", None)
                link.tag = "span"


def _safe_target(href: str) -> bool:
    """Whether ``href`` names one of the allowed schemes, however it is spelled (entities,
    case, spaces or controls inside the scheme)."""
    spelled = "".join(c for c in html.unescape(href) if c.isprintable() and not c.isspace())
    scheme = _SCHEME.match(spelled.lower())
    return scheme is not None and scheme.group(1) in ALLOWED_SCHEMES


class _LiteralAmpersands(Treeprocessor):
    """Every ``&`` a contributor typed is an ampersand: ``&lt;`` stays four characters on the
    page. (Python-Markdown's writer leaves anything that looks like an entity alone.) Code spans
    and automatic links, already escaped by Markdown (``AtomicString``), are left as they are."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            element.text = _ampersands(element.text)
            element.tail = _ampersands(element.tail)
            if "href" in element.attrib:
                element.set("href", element.get("href", "").replace("&", "&amp;"))


def _ampersands(text: str | None) -> str | None:
    if text is None or isinstance(text, AtomicString):
        return text
    return text.replace("&", "&amp;")


class _TextOnly(Extension):
    """Plain Markdown with everything that could carry markup turned off: raw HTML blocks and
    inline tags, character entities (``&lt;`` stays four characters), images (a ``data:`` or
    tracking image), and links to anything but the web or an e-mail address."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        for pattern in ("html", "entity", "image_link", "image_reference", "short_image_ref"):
            md.inlinePatterns.deregister(pattern)
        md.treeprocessors.register(_SafeLinks(md), "pv_safe_links", 1)
        md.treeprocessors.register(_LiteralAmpersands(md), "pv_literal_ampersands", -1)


def contributed_html(text: str) -> str:
    """Safe HTML for a contributed Markdown body: text-only Markdown (no attribute lists, no
    raw HTML), then an allow-list of tags, one attribute and three URL schemes."""
    rendered = markdown.markdown(text, extensions=[_TextOnly()])
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def body_block(text: str, contributed: bool) -> str:
    """The body as generated pages include it: authored Markdown as it is, a contribution as a
    block of cleaned HTML (left alone by Markdown, which does not parse inside HTML blocks)."""
    if not contributed:
        return text.strip()
    return f'<div class="pv-contribution">\n{contributed_html(text)}\n</div>'
