"""iCalendar files (RFC 5545): one per event and one to subscribe to the whole agenda.

Public facts only: no attendee, no organiser e-mail, nothing about who signed up.

Written for the clients people use, not only for the RFC. The time zone takes the form Google
Calendar and Outlook write — one STANDARD and one DAYLIGHT part, each with a yearly RRULE — since
Mozilla's ical.js (Thunderbird) and vobject read only the first date of a multi-value RDATE: with
icalendar's own VTIMEZONE, every summer event showed one hour late there.

Every value comes from the content, so the same content gives the same bytes: DTSTAMP and
LAST-MODIFIED are the event file's last revision (RFC 5545 3.8.7.2: in a calendar without METHOD,
DTSTAMP is when the entry was last revised), SEQUENCE its revision number (3.8.7.4: it grows with
each revision, so a client replaces an entry whose time or place moved, or which was cancelled —
``statut`` is written in the event's file, so changing it is a revision), both from
``content.history``. A cancelled event keeps its entry, with ``STATUS:CANCELLED``, until its date
passes; a rescheduled one keeps its UID with the new DTSTART. Each piece (an event, the time zone, a calendar's header) is made once and
kept in an ``OutputCache`` when one is given, under a key made of everything it is made from:
serialising with icalendar was a tenth of a rebuild with 500 events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from forms_backend.typography import french_spacing

from .content import Event
from .content.history import Revision
from .content.status_words import status_label, status_sentence
from .output_cache import OutputCache

PRODUCT_ID = "-//Porte-voix//Agenda de la Mission Locale//FR"
END = "END:VCALENDAR\r\n"
ZONE_FORM = "zone-yearly-rrule"


def event_uid(event: Event, site_url: str) -> str:
    """A UID that stays the same from build to build, so calendars update instead of duplicating."""
    return f"{event.id}@{urlsplit(site_url).hostname or 'porte-voix'}"


def calendar_bytes(
    events: list[Event],
    site_url: str,
    name: str,
    page_urls: dict[str, str],
    revisions: Mapping[str, Revision],
    kept: OutputCache | None = None,
) -> bytes:
    """An ``.ics`` file holding ``events`` with Europe/Paris times and its VTIMEZONE.

    ``revisions`` gives each event's last revision, by event id."""

    def piece(parts: tuple[str, ...], make: Callable[[], str]) -> str:
        return make() if kept is None else kept.get_or_make(kept.key(*parts), make)

    name = french_spacing(name)
    pieces = [piece(("head", name), lambda: _head(name))]
    zones = sorted({_tzid(event) for event in events})
    # The key names the zone's form: a cache kept from the RDATE form must not give it back.
    pieces += [piece((ZONE_FORM, tzid), lambda tzid=tzid: _zone(tzid)) for tzid in zones]
    for event in events:
        url = page_urls[event.id]
        fields = _event_fields(event, site_url, url, revisions[event.id])
        pieces.append(piece(("event", *fields), lambda fields=fields: _event(*fields)))
    pieces.append(END)
    return "".join(pieces).encode("utf-8")


def _event_fields(event: Event, site_url: str, url: str, revision: Revision) -> tuple[str, ...]:
    # The kit's French typography, as on the page: a calendar wraps these lines too.
    about = f"Pour qui : {event.audience}\n{url}"
    title = event.title
    if not event.takes_place:  # many clients show a cancelled entry of a subscription anyway
        title = f"{status_label(event)} : {title}"
    if status_sentence(event):
        about = f"{status_sentence(event)}\n{about}"
    return (
        event_uid(event, site_url),
        event.start.isoformat(),
        event.end.isoformat(),
        french_spacing(title),
        french_spacing(f"{event.place.name}, {event.place.address}"),
        french_spacing(about),
        url,
        _tzid(event),
        revision.time.isoformat(),
        str(revision.number),
        _status(event),
    )


def _status(event: Event) -> str:
    """RFC 5545 3.8.1.11: ``CANCELLED`` tells clients to remove the entry (it stays in the feeds
    until its date passes, so that they see it); a postponed event without a new date is only
    ``TENTATIVE`` at its first date."""
    if event.cancelled:
        return "CANCELLED"
    return "TENTATIVE" if event.postponed else "CONFIRMED"


def _tzid(event: Event) -> str:
    return getattr(event.start.tzinfo, "key", "Europe/Paris")


def _head(name: str) -> str:
    from icalendar import Calendar, vText  # loaded only when something is not kept already

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(name))  # escaped as text, as SUMMARY is
    calendar.add("x-wr-timezone", "Europe/Paris")
    return calendar.to_ical().decode("utf-8").removesuffix(END)


def _zone(tzid: str) -> str:
    """The VTIMEZONE of a zone following the European Union's summer-time rule (Directive
    2000/84/EC: from the last Sunday of March to the last Sunday of October, changing at
    01:00 UTC), in the form Google Calendar and Outlook write."""
    zone = ZoneInfo(tzid)
    winter, summer = datetime(2026, 1, 15, tzinfo=zone), datetime(2026, 7, 15, tzinfo=zone)
    standard, daylight = winter.utcoffset(), summer.utcoffset()
    assert standard is not None and daylight is not None
    _check_eu_rule(zone, standard, daylight)
    change = timedelta(hours=1)  # UTC
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    for part, month, before, after, name in (
        ("DAYLIGHT", 3, standard, daylight, summer.tzname()),
        ("STANDARD", 10, daylight, standard, winter.tzname()),
    ):
        start = _last_sunday(1970, month) + change + before  # local time, before the change
        lines += [
            f"BEGIN:{part}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(after)}",
            f"TZNAME:{name}",
            f"DTSTART:{start:%Y%m%dT%H%M%S}",
            f"RRULE:FREQ=YEARLY;BYMONTH={month};BYDAY=-1SU",
            f"END:{part}",
        ]
    lines.append("END:VTIMEZONE")
    return "\r\n".join(lines) + "\r\n"


def _last_sunday(year: int, month: int) -> datetime:
    """Midnight (naive) on the last Sunday of ``month``."""
    day = datetime(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def _offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _check_eu_rule(zone: ZoneInfo, standard: timedelta, daylight: timedelta) -> None:
    """Refuse a zone whose changes (in the time zone database) the rule above would not give,
    from 1996 (the rule's first year) to 2037: a wrong calendar is worse than none."""
    for year in range(1996, 2038):
        for month, before, after in ((3, standard, daylight), (10, daylight, standard)):
            change = _last_sunday(year, month).replace(tzinfo=UTC) + timedelta(hours=1)
            if (
                (change - timedelta(seconds=1)).astimezone(zone).utcoffset(),
                change.astimezone(zone).utcoffset(),
            ) != (before, after):
                raise ValueError(f"{zone.key} ne suit pas l'heure d'été européenne en {year}")


def _event(
    uid: str,
    start: str,
    end: str,
    title: str,
    place: str,
    about: str,
    url: str,
    tzid: str,
    revised: str,
    sequence: str,
    status: str,
) -> str:
    from icalendar import Event as CalendarEvent

    zone = ZoneInfo(tzid)
    revised_at = datetime.fromisoformat(revised).astimezone(UTC)
    entry = CalendarEvent()
    entry.add("uid", uid)
    entry.add("dtstamp", revised_at)
    entry.add("last-modified", revised_at)
    entry.add("sequence", int(sequence))
    entry.add("status", status)
    entry.add("dtstart", datetime.fromisoformat(start).astimezone(zone))
    entry.add("dtend", datetime.fromisoformat(end).astimezone(zone))
    entry.add("summary", title)
    entry.add("location", place)
    entry.add("description", about)
    entry.add("url", url)
    return entry.to_ical().decode("utf-8")
