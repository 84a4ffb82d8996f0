"""French typography on a built page: the non-breaking spaces of ``forms_backend.typography`` in
every text node of the HTML — the kit's words and dates, the template's, the authors'.

Only text between tags changes: attributes (addresses, ``alt``), comments, and what is not prose
(``<code>``, ``<pre>``, scripts, styles, a form's ``<textarea>``) are copied as they are.
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
            out.append(token)
        elif verbatim:
            out.append(token)
        else:
            out.append(french_spacing(token))
    return "".join(out)
