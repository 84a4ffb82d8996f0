"""French typography on a page: the non-breaking spaces of ``forms_backend.typography`` in
every text node of the HTML — the kit's words and dates, the template's, the authors'. Used on
every page the site build writes and on every form the backend shows again (an error, a notice).

Only text between tags changes, and the ``content`` of the ``<meta>`` tags whose text search
engines and social networks show in their own wrapped lines (description, Open Graph and Twitter
titles, descriptions and image texts). Other attributes (addresses, ``alt``), comments, and what
is not prose (``<code>``, ``<pre>``, scripts, styles, a form's ``<textarea>``) are copied as they
are.
"""

from __future__ import annotations

import re

from forms_backend.typography import french_spacing

# A comment, a tag (quoted attribute values may hold « > »), or a run of text.
_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|</?[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|[^<]+|<",
    re.DOTALL,
)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
VERBATIM = frozenset({"code", "pre", "script", "style", "textarea", "kbd", "samp"})
# <meta name|property="…"> whose content is prose another program shows to people.
SHOWN_META = frozenset(
    {
        "description",
        "og:title",
        "og:description",
        "og:image:alt",
        "twitter:title",
        "twitter:description",
        "twitter:image:alt",
    }
)
_META_NAME = re.compile(r"""\s(?:name|property)=(["'])([^"']*)\1""", re.IGNORECASE)
_META_CONTENT = re.compile(r"""(\scontent=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def typeset_html(html: str) -> str:
    """``html`` with French spacing in its text nodes, outside the verbatim elements."""
    out: list[str] = []
    verbatim: list[str] = []  # the open verbatim elements, innermost last
    for match in _TOKEN.finditer(html):
        token = match.group()
        if token.startswith("<") and len(token) > 1:
            name_match = _TAG_NAME.match(token)
            if name_match:
                name = name_match.group(1).lower()
                if token.startswith("</"):
                    if verbatim and verbatim[-1] == name:
                        verbatim.pop()
                elif name in VERBATIM and not token.endswith("/>"):
                    verbatim.append(name)
                elif name == "meta":
                    token = _typeset_meta(token)
            out.append(token)
        elif verbatim:
            out.append(token)
        else:
            out.append(french_spacing(token))
    return "".join(out)


def _typeset_meta(tag: str) -> str:
    """A ``<meta>`` tag with French spacing in its ``content`` when that is shown prose.

    The value is escaped HTML already; French spacing only turns spaces into no-break spaces,
    so it stays escaped."""
    named = _META_NAME.search(tag)
    if named is None or named.group(2).lower() not in SHOWN_META:
        return tag
    return _META_CONTENT.sub(
        lambda m: f"{m.group(1)}{m.group(2)}{french_spacing(m.group(3))}{m.group(2)}", tag, count=1
    )
