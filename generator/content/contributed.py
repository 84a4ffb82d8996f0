"""Text written by contributors through the site's forms: it never reaches a page as it was
typed. At publication (``porte-voix contributions accept``) every HTML tag is removed; at each
build the Markdown of a contributed file is turned into HTML and cleaned again by ``nh3``
(Ammonia) with a short allow-list, so nothing that runs in a browser can get through — script,
event handlers, ``javascript:`` links, frames, SVG, styles or attribute lists."""

from __future__ import annotations

import html

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def plain_text(text: str) -> str:
    """What a contributor typed, with every HTML tag (and script or style content) removed, and
    no line indented (an indented line would become a code block)."""
    cleaned = html.unescape(nh3.clean(text, tags=set()))
    return "\n".join(line.strip() for line in cleaned.splitlines()).strip()


def contributed_html(text: str) -> str:
    """Safe HTML for a contributed Markdown body: plain Markdown only (no extension, so no
    attribute lists), then an allow-list of tags, one attribute and three URL schemes."""
    rendered = markdown.markdown(text)
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
