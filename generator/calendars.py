"""iCalendar files (RFC 5545): one per event and one to subscribe to the whole agenda.

Public facts only: no attendee, no organiser e-mail, nothing about who signed up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from .content import Event

PRODUCT_ID = "-//Porte-voix//Agenda de la Mission Locale//FR"


def event_uid(event: Event, site_url: str) -> str:
    """A UID that stays the same from build to build, so calendars update instead of duplicating."""
    return f"{event.id}@{urlsplit(site_url).hostname or 'porte-voix'}"


def calendar_bytes(
    events: list[Event], site_url: str, name: str, page_urls: dict[str, str]
) -> bytes:
    """An ``.ics`` file holding ``events`` with Europe/Paris times and its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", event_uid(event, site_url))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.start)
        entry.add("dtend", event.end)
        entry.add("summary", event.title)
        entry.add("location", f"{event.place.name}, {event.place.address}")
        url = page_urls[event.id]
        entry.add("description", f"Pour qui : {event.audience}\n{url}")
        entry.add("url", url)
        calendar.add_component(entry)
    # Same VTIMEZONE as ``add_missing_timezones()`` (same default range), made once per build
    # instead of once per file: it was a third of a rebuild with 500 events.
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.subcomponents.insert(0, _vtimezone(tzid))
    return calendar.to_ical()


@lru_cache(maxsize=8)
def _vtimezone(tzid: str) -> Timezone:
    return Timezone.from_tzid(tzid)
