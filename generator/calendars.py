"""iCalendar files (RFC 5545): one per event and one to subscribe to the whole agenda.

Public facts only: no attendee, no organiser e-mail, nothing about who signed up.

Each piece (an event, the time zone, a calendar's header) is made once and kept in an
``OutputCache`` when one is given: serialising with icalendar was a tenth of a rebuild with 500
events. A kept event keeps its DTSTAMP, which RFC 5545 (3.8.7.2) defines, in a published
calendar, as the time its information was last revised: exactly when it was made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from .content import Event
from .output_cache import OutputCache

PRODUCT_ID = "-//Porte-voix//Agenda de la Mission Locale//FR"
END = "END:VCALENDAR\r\n"


def event_uid(event: Event, site_url: str) -> str:
    """A UID that stays the same from build to build, so calendars update instead of duplicating."""
    return f"{event.id}@{urlsplit(site_url).hostname or 'porte-voix'}"


def calendar_bytes(
    events: list[Event],
    site_url: str,
    name: str,
    page_urls: dict[str, str],
    kept: OutputCache | None = None,
) -> bytes:
    """An ``.ics`` file holding ``events`` with Europe/Paris times and its VTIMEZONE."""

    def piece(parts: tuple[str, ...], make: Callable[[], str]) -> str:
        return make() if kept is None else kept.get_or_make(kept.key(*parts), make)

    pieces = [piece(("head", name), lambda: _head(name))]
    zones = sorted({_tzid(event) for event in events})
    pieces += [piece(("zone", tzid), lambda tzid=tzid: _zone(tzid)) for tzid in zones]
    for event in events:
        url = page_urls[event.id]
        fields = _event_fields(event, site_url, url)
        pieces.append(piece(("event", *fields), lambda fields=fields: _event(*fields)))
    pieces.append(END)
    return "".join(pieces).encode("utf-8")


def _event_fields(event: Event, site_url: str, url: str) -> tuple[str, ...]:
    return (
        event_uid(event, site_url),
        event.start.isoformat(),
        event.end.isoformat(),
        event.title,
        f"{event.place.name}, {event.place.address}",
        f"Pour qui : {event.audience}\n{url}",
        url,
        _tzid(event),
    )


def _tzid(event: Event) -> str:
    return getattr(event.start.tzinfo, "key", "Europe/Paris")


def _head(name: str) -> str:
    from icalendar import Calendar  # loaded only when something is not kept already

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    return calendar.to_ical().decode("utf-8").removesuffix(END)


def _zone(tzid: str) -> str:
    """The VTIMEZONE that ``add_missing_timezones()`` would add (same default range)."""
    from icalendar import Timezone

    return Timezone.from_tzid(tzid).to_ical().decode("utf-8")


def _event(
    uid: str, start: str, end: str, title: str, place: str, about: str, url: str, tzid: str
) -> str:
    from zoneinfo import ZoneInfo

    from icalendar import Event as CalendarEvent

    zone = ZoneInfo(tzid)
    entry = CalendarEvent()
    entry.add("uid", uid)
    entry.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    entry.add("dtstart", datetime.fromisoformat(start).astimezone(zone))
    entry.add("dtend", datetime.fromisoformat(end).astimezone(zone))
    entry.add("summary", title)
    entry.add("location", place)
    entry.add("description", about)
    entry.add("url", url)
    return entry.to_ical().decode("utf-8")
