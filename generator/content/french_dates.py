"""Dates written out in French, as people say them: « samedi 5 décembre 2026, de 14 h à 17 h »."""

from __future__ import annotations

from datetime import date, datetime

from forms_backend.typography import DAYS, MONTHS

from .fields import PARIS


def _local(moment: date) -> date:
    return moment.astimezone(PARIS) if isinstance(moment, datetime) else moment


def long_date(moment: date) -> str:
    """« samedi 5 décembre 2026 » (« 1er » for the first day of a month)."""
    day = _local(moment)
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


def clock(moment: datetime) -> str:
    """« 14 h » or « 14 h 30 »."""
    local = moment.astimezone(PARIS)
    return f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"


def event_span(start: datetime, end: datetime) -> str:
    """When an event happens, in one phrase."""
    if _local(start).date() == _local(end).date():  # type: ignore[attr-defined]
        return f"{long_date(start)}, de {clock(start)} à {clock(end)}"
    return f"du {long_date(start)} à {clock(start)} au {long_date(end)} à {clock(end)}"


def deadline_phrase(moment: datetime) -> str:
    """« jusqu'au jeudi 3 décembre 2026 à 23 h 59 »."""
    return f"jusqu'au {long_date(moment)} à {clock(moment)}"
