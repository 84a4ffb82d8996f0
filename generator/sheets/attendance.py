"""The attendance sheet funders ask for: on each A4 page the event, its date and place, the
funders' line, then a table of at most 25 rows — one per person signed up (reference, first
name, commune, a box to sign), then empty rows for the people who come without signing up.
Page numbers and a reminder that the sheet holds personal data at the foot of each page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import fontpkg_atkinson_hyperlegible

from forms_backend.store.attendance import Attendee
from forms_backend.typography import french_spacing

from ..content.fields import PARIS
from ..content.french_dates import clock, event_span, long_date
from .font import read_font
from .pdf import A4_MM, Page, pdf_document

ROWS_PER_PAGE = 25
MARGIN = 15.0
ROW_HEIGHT = 8.4
HEADER_HEIGHT = 8.0
TABLE_TOP = 62.0
# Column titles and widths (mm): 180 mm between the margins.
COLUMNS = (("N°", 9.0), ("Réf.", 22.0), ("Prénom", 50.0), ("Commune", 42.0), ("Signature", 57.0))
FOOTER = (
    "Données personnelles : ne pas diffuser, ne pas mettre en ligne.",
    "À garder le temps demandé par le financeur, puis à détruire (broyeuse).",
)
_FONTS = Path(fontpkg_atkinson_hyperlegible.ROOT) / "files"


@dataclass(frozen=True)
class SheetEvent:
    """What the sheet says about the event."""

    title: str
    start: datetime
    end: datetime
    place: str
    funders: str


@dataclass(frozen=True)
class Sheet:
    """The PDF and what is in it."""

    pdf: bytes
    pages: int
    signed_up: int
    empty_rows: int


def when_text(start: datetime, end: datetime) -> str:
    """« samedi 5 décembre 2026, 14 h 30 – 16 h 30 » (both days when it spans several)."""
    if start.astimezone(PARIS).date() == end.astimezone(PARIS).date():
        text = f"{long_date(start)}, {clock(start)} – {clock(end)}"
    else:
        text = event_span(start, end)
    return french_spacing(text)


def attendance_sheet(event: SheetEvent, people: list[Attendee], empty_rows: int) -> Sheet:
    """The sheet: ``people`` first, then at least ``empty_rows`` empty rows, the last page
    filled with empty rows too (paper left blank is a row someone can sign)."""
    fonts = {
        "regular": read_font(_FONTS / "AtkinsonHyperlegible-Regular.ttf"),
        "bold": read_font(_FONTS / "AtkinsonHyperlegible-Bold.ttf"),
    }
    pages_needed = max(1, math.ceil((len(people) + empty_rows) / ROWS_PER_PAGE))
    rows: list[Attendee | None] = [*people]
    rows += [None] * (pages_needed * ROWS_PER_PAGE - len(people))
    pages = []
    for number in range(pages_needed):
        page = Page(fonts)
        _header(page, event, len(people))
        chunk = rows[number * ROWS_PER_PAGE : (number + 1) * ROWS_PER_PAGE]
        _table(page, chunk, first=number * ROWS_PER_PAGE + 1)
        _footer(page, number + 1, pages_needed)
        pages.append(page)
    title = f"Feuille d'émargement — {event.title}"
    return Sheet(
        pdf_document(pages, title=title),
        pages_needed,
        len(people),
        len(rows) - len(people),
    )


def _header(page: Page, event: SheetEvent, signed_up: int) -> None:
    width = A4_MM[0] - 2 * MARGIN
    page.text(MARGIN, 21, "Feuille d'émargement", size=16, font="bold")
    page.text(
        MARGIN, 30, page.fitted(event.title, width, size=13, font="bold"), size=13, font="bold"
    )
    page.text(MARGIN, 37, when_text(event.start, event.end), size=11)
    place = french_spacing(f"Lieu : {event.place}")
    page.text(MARGIN, 43, page.fitted(place, width, size=11), size=11)
    y = 49.0
    for line in _wrapped(page, event.funders, width, size=9)[:2]:
        page.text(MARGIN, y, line, size=9)
        y += 4.2
    note = french_spacing(
        f"Inscrits : {signed_up}. Les lignes sans référence sont pour les personnes venues sans "
        "inscription."
    )
    page.text(MARGIN, 58, page.fitted(note, width, size=9), size=9)


def _table(page: Page, rows: list[Attendee | None], first: int) -> None:
    x = MARGIN
    for title, width in COLUMNS:
        page.rectangle(x, TABLE_TOP, width, HEADER_HEIGHT, line=0.6)
        page.text(x + 1.5, TABLE_TOP + 5.6, title, size=10, font="bold")
        x += width
    for index, person in enumerate(rows):
        top = TABLE_TOP + HEADER_HEIGHT + index * ROW_HEIGHT
        values = [str(first + index), "", "", "", ""]
        if person is not None:
            values[1:4] = [person.short_id, person.first_name, person.commune]
        x = MARGIN
        for (_, width), value in zip(COLUMNS, values, strict=True):
            page.rectangle(x, top, width, ROW_HEIGHT)
            if value:
                page.text(x + 1.5, top + 5.8, page.fitted(value, width - 3, size=10), size=10)
            x += width


def _footer(page: Page, number: int, total: int) -> None:
    label = f"Page {number} sur {total}"
    size = 8.0
    right = A4_MM[0] - MARGIN
    page.text(right - page.width(label, size=size), 286, label, size=size)
    for y, line in zip((284.0, 288.0), FOOTER, strict=True):
        page.text(MARGIN, y, page.fitted(french_spacing(line), 150, size=size), size=size)


def _wrapped(page: Page, text: str, width: float, *, size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` mm (a word too long is cut)."""
    lines: list[str] = []
    for word in french_spacing(text).split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and page.width(candidate, size=size) <= width:
            lines[-1] = candidate
        else:
            lines.append(page.fitted(word, width, size=size))
    return [line for line in lines if line]
