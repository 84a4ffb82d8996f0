"""French typography: the non-breaking spaces that keep a line from starting with « : », a lone
« 30 » or a month cut from its day. Plain text in, plain text out, so flyers, pages and e-mails
can all use it.

- U+202F (narrow no-break space) before « ; ! ? » and inside « »;
- U+00A0 (no-break space) before « : », inside a time (« 17 h 30 »), a date
  (« 18 septembre 2027 ») and between a number and its unit (« 29 ans », « 5 € »).

Only spaces already written are changed (never inserted), so a web address such as
``site.fr/?source=x`` is left alone.

One rule set for the whole kit, so it lives here, beside the backend's rooms (it imports nothing):
the generator already imports from ``forms_backend`` (the forms it renders), never the reverse, so
the site, the flyers (``generator``) and the e-mails (``forms_backend.outbox``) all read it
without an import cycle.
"""

from __future__ import annotations

import re
from datetime import timedelta

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
UNITS = (
    "h|min|s|ans?|mois|jours?|semaines?|heures?|minutes?|km|m|cm|mm|kg|g|€|euros?|%|places?"
    "|personnes?|jeunes|pt|px|Ko|Mo"
)
_SPACES = r"[ \u00a0\u202f]+"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"{_SPACES}(?=[;!?])"), NARROW_NBSP),
    (re.compile(rf"{_SPACES}(?=:)"), NBSP),
    (re.compile(rf"(?<=«){_SPACES}"), NARROW_NBSP),
    (re.compile(rf"{_SPACES}(?=»)"), NARROW_NBSP),
    # 17 h 30, 9 h: the hour, the « h » and the minutes stay together.
    (re.compile(rf"(?<=\d){_SPACES}(?=h\b)"), NBSP),
    (re.compile(rf"(?<=\bh){_SPACES}(?=\d)"), NBSP),
    # 18 septembre 2027, 1er mars: day, month and year stay together.
    (re.compile(rf"(?<=\d){_SPACES}(?=(?:{MONTHS})\b)", re.IGNORECASE), NBSP),
    (re.compile(rf"(?<=\der){_SPACES}(?=(?:{MONTHS})\b)", re.IGNORECASE), NBSP),
    # 29 ans, 5 €, 30 %: a number and its unit.
    (re.compile(rf"(?<=\d){_SPACES}(?=(?:{UNITS})(?!\w))"), NBSP),
)
# A month and its year (the lookbehind cannot hold the months: they differ in length).
_MONTH_YEAR = re.compile(rf"\b({MONTHS}){_SPACES}(?=\d{{4}}\b)", re.IGNORECASE)


def french_spacing(text: str) -> str:
    """``text`` with the non-breaking spaces French typography asks for (see module doc)."""
    for pattern, space in _RULES:
        text = pattern.sub(space, text)
    return _MONTH_YEAR.sub(rf"\1{NBSP}", text)


# Day and month names, for every date the kit writes out in French (site, letters, SMS).
# Past about six months (or in another year), a date read without its year is ambiguous.
FAR = timedelta(days=183)
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """« 1 campagne », « 0 événement », « 4 campagnes »: French puts the noun in the plural
    from two on."""
    return f"{number} {noun if number < 2 else plural or noun + 's'}"


_INNER_GUILLEMETS = re.compile(r"«[\s\u00a0\u202f]*(.*?)[\s\u00a0\u202f]*»", re.S)


def in_guillemets(text: str, space: str = NBSP) -> str:
    """``text`` between « », its own « » turned into the inner “ ” of French usage: an event
    called « Atelier « Financer mon permis » » reads « Atelier “Financer mon permis” »."""
    inner = _INNER_GUILLEMETS.sub(r"“\1”", text)
    return f"«{space}{inner}{space}»"
