"""What the public reads about a cancelled or postponed event, in French: the same words on the
event's page, in the agenda, in the feed — in words, never by a colour alone."""

from __future__ import annotations

from .events import Event
from .french_dates import clock, event_span, long_date


def status_label(event: Event) -> str:
    """« Annulé », « Reporté, nouvelle date à venir », « Reporté au samedi 6 novembre 2027 »;
    empty for an event that happens as announced."""
    if event.cancelled:
        return "Annulé"
    if event.postponed:
        return "Reporté, nouvelle date à venir"
    if event.rescheduled:
        return f"Reporté au {long_date(event.start)}"
    return ""


def status_detail(event: Event) -> str:
    """What the label means, with the date first announced, and the reason."""
    if event.cancelled:
        said = "Cet événement n'aura pas lieu."
    elif event.postponed:
        said = "La nouvelle date sera annoncée sur cette page."
    elif event.rescheduled:
        assert event.first_start is not None
        first = f"{long_date(event.first_start)} à {clock(event.first_start)}"
        said = f"Nouvelle date : {event_span(event.start, event.end)} (d'abord prévu le {first})."
    else:
        return ""
    return f"{said} {event.reason}" if event.reason else said


def status_sentence(event: Event) -> str:
    """The label and what it means, in one text (for feeds and calendars)."""
    label = status_label(event)
    return f"{label} : {status_detail(event)}" if label else ""
