"""The programme's figures, counted from the backend's submissions: counts only.

A young person is counted once, on the day of their first request (call back, sign-up or
referral), with what that first request says: commune, age, preferred channel, and the channel
that brought them (the QR code's ``source``, or the partner who referred them).

A report covers **closed weeks only** (Monday to Sunday), as statistical offices publish only
closed reference periods (INSEE, Eurostat): it ends on the last Sunday before the day it is made,
and nothing dated after that day is counted — no request, no sign-up — so two reports made days
apart count the same young people for every week both cover, and the week still going on can
move no published figure. Weeks rather than months: the team follows the campaign week by week,
and weeks are grouped into periods of at least 5 young people anyway (see :mod:`.publication`).
A chosen first day starts at the Monday of its week.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from forms_backend.store.follow_up import Contact

from ..content import Event
from ..content.partners import Partner
from ..settings import Settings
from ..slugs import normalise
from .masking import THRESHOLD

PARIS = ZoneInfo("Europe/Paris")
OTHER_COMMUNE = "Autre commune ou commune non reconnue"
OUTSIDE = "Hors territoire ou non reconnue"
OTHER_STRUCTURE = "Autre structure (non reconnue)"

# Which way a young person came, from the QR code's source (see the flyers) or the form used.
CHANNEL_GROUPS = {
    "partenaire": "Flyers et affiches remis par un partenaire",
    "affiches": "Flyers et affiches de la Mission Locale",
    "reseaux": "Réseaux sociaux et partages",
    "orientation": "Orientation par un professionnel partenaire",
    "site": "Site internet, sans code",
    "autre": "Autre code",
}
PRINT_SOURCES = {"flyer-a5", "affiche-a4", "affiche-a3"}
SOCIAL_SOURCES = {"instagram-post", "instagram-story", "partage"}
PARTNER_SOURCE = re.compile(r"(?:^|_)partenaire-([a-z0-9-]+)$")
AGE_BANDS = ((16, 17), (18, 21), (22, 25), (26, 29))
CONTACT_CHANNELS = {"sms": "SMS", "appel": "Appel", "whatsapp": "WhatsApp", "email": "E-mail"}


@dataclass(frozen=True)
class Week:
    """Young people reached in one week (Monday to Sunday, cut at the programme's start, the
    period's first day and its last day) and since the programme began."""

    first: date
    last: date
    new: int
    cumulative: int


@dataclass(frozen=True)
class ChannelRow:
    """A way young people came, with how many then signed up for an event."""

    label: str
    people: int
    to_event: int


@dataclass(frozen=True)
class PartnerRow:
    """What one partner brought: through its flyers and posters, and through its referrals."""

    label: str
    flyers: int
    referrals: int
    to_event: int


@dataclass(frozen=True)
class CommuneRow:
    """Young people of one commune, with the programme's focus marks."""

    commune: str
    territory: str
    priority: bool
    rural: bool
    people: int


@dataclass(frozen=True)
class EventRow:
    """One event: places, sign-ups, waiting list, (once past) young people it reached first,
    and (once held) who came: sign-ups noted present, and people without a place who came
    (walk-ins, and people of the waiting list noted present)."""

    day: date
    title: str
    registration: bool
    places: int | None  # None: no limit, or no sign-up at all
    signed_up: int
    waiting: int
    reached: int
    past: bool
    held: bool = False  # the event's day has come: attendance can be counted
    # Held after the report's last day, before the report was made: not « to come », only
    # after what this report counts (the end of its last period can be weeks ago).
    since_end: bool = False
    came: int = 0
    walked_in: int = 0


@dataclass(frozen=True)
class Figures:
    """Everything the report shows, for the young people first reached between two days."""

    first_day: date
    last_day: date
    programme_start: date
    programme_end: date
    target: int
    reached: int
    reached_since_start: int
    projection: int | None
    weeks: list[Week]
    channels: list[ChannelRow]
    partners: list[PartnerRow]
    communes: list[CommuneRow]
    territories: list[tuple[str, int]]
    priority_people: int
    rural_people: int
    events: list[EventRow]
    ages: list[tuple[str, int]]
    contact_channels: list[tuple[str, int]]
    pending_from: date | None = None  # closed weeks after the last period: in no figure yet


def count_figures(
    contacts: list[Contact],
    settings: Settings,
    partners: dict[str, Partner],
    events: list[Event],
    *,
    walk_ins: dict[str, int] | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    today: date | None = None,
) -> Figures:
    """Count the figures of the young people first reached from ``first_day`` to ``last_day``
    (by default: since the programme began), closed weeks only: ``last_day`` is moved back to
    the last Sunday before ``today``, if later, or to the Sunday before it; ``walk_ins``: how many came to each
    event without signing up."""
    today = today or datetime.now(PARIS).date()
    firsts = _first_contacts(contacts)
    programme = settings.programme
    start = programme.start or min((_day(c) for c in firsts.values()), default=today)
    end = programme.end(start)
    first_day = max(monday(first_day), start) if first_day and first_day > start else start
    closed = last_closed_day(today, last_day)
    last_day, pending_from = last_period_day(_weeks(firsts.values(), start, first_day, closed))
    last_day = last_day or closed
    chosen = [c for c in firsts.values() if first_day <= _day(c) <= last_day]
    signed_up = {c.person for c in contacts if c.form == "inscription" and _day(c) <= last_day}
    since_start = sum(1 for c in firsts.values() if start <= _day(c) <= last_day)
    return Figures(
        first_day=first_day,
        last_day=last_day,
        programme_start=start,
        programme_end=end,
        target=programme.target,
        reached=len(chosen),
        reached_since_start=since_start,
        projection=_projection(since_start, start, end, last_day),
        weeks=_weeks(firsts.values(), start, first_day, last_day),
        channels=_channels(chosen, signed_up),
        partners=_partners(chosen, signed_up, partners),
        communes=_communes(chosen, settings),
        territories=_territories(chosen, settings),
        priority_people=sum(1 for c in chosen if settings.is_priority(c.commune)),
        rural_people=sum(1 for c in chosen if settings.is_rural(c.commune)),
        events=_events(contacts, firsts, events, walk_ins or {}, (first_day, last_day), today),
        ages=_ages(chosen),
        contact_channels=[
            (label, sum(1 for c in chosen if c.channel == key))
            for key, label in CONTACT_CHANNELS.items()
        ],
        pending_from=pending_from,
    )


def periods(weeks: list[Week]) -> tuple[list[list[Week]], list[Week]]:
    """The closed weeks grouped from the programme's start, each group closing at the first
    week at which it counts 5 new young people; and the weeks after the last group."""
    groups: list[list[Week]] = []
    current: list[Week] = []
    for week in weeks:
        current.append(week)
        if sum(w.new for w in current) >= THRESHOLD:
            groups.append(current)
            current = []
    return groups, current


def last_period_day(weeks: list[Week]) -> tuple[date | None, date | None]:
    """The last day of the last period, and the first day of the weeks after it (``None``: no
    week after it). Every figure of the report stops at that day: the weeks after it count
    fewer than 5 young people together, and any total that held them would tell, beside the
    periods' own figures, that 1 to 4 young people came in those weeks."""
    if not weeks:
        return None, None
    groups, pending = periods(weeks)
    if not pending:
        return weeks[-1].last, None
    end = groups[-1][-1].last if groups else weeks[0].first - timedelta(days=1)
    return end, pending[0].first


def monday(day: date) -> date:
    """The first day of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def last_closed_day(today: date, asked: date | None = None) -> date:
    """The last Sunday before ``today``, or before ``asked`` if earlier (a Sunday is kept):
    the last day of the last closed week."""
    closed = monday(today) - timedelta(days=1)
    if asked is None or asked >= closed:
        return closed
    return monday(asked + timedelta(days=1)) - timedelta(days=1)


def channel_of(contact: Contact) -> tuple[str, str | None]:
    """The way a young person came (a key of ``CHANNEL_GROUPS``) and the partner's id, if
    known from the QR code (referrals are matched to partners by ``_referring_partner``)."""
    if contact.form == "orientation":
        return "orientation", None
    source = contact.source
    found = PARTNER_SOURCE.search(source)
    if found:
        return "partenaire", found[1]
    # A campaign's copies say their medium after the campaign: ``campagne-SLUG_instagram-story``.
    medium = source.rpartition("_")[2] if source.startswith("campagne-") else source
    if medium in PRINT_SOURCES:
        return "affiches", None
    if medium in SOCIAL_SOURCES:
        return "reseaux", None
    return ("site", None) if not source else ("autre", None)


def _day(contact: Contact) -> date:
    return contact.created_at.astimezone(PARIS).date()


def _first_contacts(contacts: list[Contact]) -> dict[str, Contact]:
    firsts: dict[str, Contact] = {}
    for contact in sorted(contacts, key=lambda c: c.created_at):
        firsts.setdefault(contact.person, contact)
    return firsts


def _projection(reached: int, start: date, end: date, last_day: date) -> int | None:
    """At the pace since the start, how many by the end (after four weeks, not before: a pace
    measured on a few days says nothing)."""
    elapsed = (min(last_day, end) - start).days + 1
    if elapsed < 28:
        return None
    return round(reached * ((end - start).days + 1) / elapsed)


def _weeks(firsts: Iterable[Contact], start: date, first_day: date, last_day: date) -> list[Week]:
    """Week by week from the start; the week of the period's first day in two pieces, so that
    the period begins on a boundary."""
    per_day = Counter(_day(c) for c in firsts if start <= _day(c) <= last_day)
    weeks, total, first = [], 0, start
    while first <= last_day:
        last = min(first + timedelta(days=6 - first.weekday()), last_day)
        if first < first_day <= last:
            last = first_day - timedelta(days=1)
        new = sum(per_day[first + timedelta(days=n)] for n in range((last - first).days + 1))
        total += new
        weeks.append(Week(first, last, new, total))
        first = last + timedelta(days=1)
    return weeks


def _channels(chosen: list[Contact], signed_up: set[str]) -> list[ChannelRow]:
    groups = Counter(channel_of(c)[0] for c in chosen)
    to_event = Counter(channel_of(c)[0] for c in chosen if c.person in signed_up)
    return [ChannelRow(label, groups[key], to_event[key]) for key, label in CHANNEL_GROUPS.items()]


def _referring_partner(structure: str, partners: dict[str, Partner]) -> str | None:
    """The partner a professional named in « Votre structure », whatever the spelling."""
    typed = normalise(structure)
    if not typed:
        return None
    for partner in partners.values():
        name = normalise(partner.name)
        # Whole words only: a short name must not match inside another word.
        if typed in (name, normalise(partner.id)) or f" {name} " in f" {typed} ":
            return partner.id
    return None


def _partners(
    chosen: list[Contact], signed_up: set[str], partners: dict[str, Partner]
) -> list[PartnerRow]:
    flyers: Counter[str | None] = Counter()
    referrals: Counter[str | None] = Counter()
    to_event: Counter[str | None] = Counter()
    for contact in chosen:
        group, partner = channel_of(contact)
        if group == "orientation":
            partner = _referring_partner(contact.structure, partners)
            referrals[partner] += 1
        elif group == "partenaire":
            partner = partner if partner in partners else None
            flyers[partner] += 1
        else:
            continue
        if contact.person in signed_up:
            to_event[partner] += 1
    rows = [
        PartnerRow(p.name, flyers[p.id], referrals[p.id], to_event[p.id]) for p in partners.values()
    ]
    rows.append(PartnerRow(OTHER_STRUCTURE, flyers[None], referrals[None], to_event[None]))
    return rows


def _communes(chosen: list[Contact], settings: Settings) -> list[CommuneRow]:
    """Every commune of the territories (none left out: leaving out the empty ones would tell
    which villages someone came from), then the others together."""
    people = Counter()
    for contact in chosen:
        found = settings.commune(contact.commune)
        people[found[0] if found else OTHER_COMMUNE] += 1
    rows = [
        CommuneRow(
            commune,
            territory.name,
            settings.is_priority(commune),
            settings.is_rural(commune),
            people[commune],
        )
        for territory in settings.territories
        for commune in territory.communes
    ]
    rows.append(CommuneRow(OTHER_COMMUNE, "", False, False, people[OTHER_COMMUNE]))
    return rows


def _territories(chosen: list[Contact], settings: Settings) -> list[tuple[str, int]]:
    people = Counter()
    for contact in chosen:
        found = settings.commune(contact.commune)
        people[found[1].name if found else OUTSIDE] += 1
    return [(t.name, people[t.name]) for t in settings.territories] + [(OUTSIDE, people[OUTSIDE])]


def _events(
    contacts: list[Contact],
    firsts: dict[str, Contact],
    events: list[Event],
    walk_ins: dict[str, int],
    period: tuple[date, date],
    today: date,
) -> list[EventRow]:
    """The events as they stood at the end of ``period``: sign-ups made by its last day,
    events held by then (attendance is noted afterwards, when it is)."""
    first_day, last_day = period
    sign_ups = [c for c in contacts if c.form == "inscription" and _day(c) <= last_day]
    status = Counter((c.event_id, c.status) for c in sign_ups)
    came = Counter(c.event_id for c in sign_ups if c.came and c.status == "inscrit")
    # Someone of the waiting list who came had no place: counted with the walk-ins.
    without_place = Counter(c.event_id for c in sign_ups if c.came and c.status != "inscrit")
    reached = Counter(
        c.event_id for c in firsts.values() if c.form == "inscription" and _day(c) <= last_day
    )
    rows = []
    for event in sorted(events, key=lambda e: e.start):
        day = event.start.astimezone(PARIS).date()
        signed_up, waiting = status[(event.id, "inscrit")], status[(event.id, "liste_attente")]
        # Events of the period and every one still to come: listing only those someone
        # already signed up for would tell, by their row, that someone did.
        if day < first_day:
            continue
        past = event.end.astimezone(PARIS).date() <= last_day
        rows.append(
            EventRow(
                day=day,
                title=event.title,
                registration=event.registration is not None,
                places=event.registration.places if event.registration else None,
                signed_up=signed_up,
                waiting=waiting,
                reached=reached[event.id],
                past=past,
                held=day <= last_day,
                since_end=last_day < day < today,
                came=came[event.id],
                walked_in=walk_ins.get(event.id, 0) + without_place[event.id],
            )
        )
    return rows


def _ages(chosen: list[Contact]) -> list[tuple[str, int]]:
    return [
        (f"{low} à {high} ans", sum(1 for c in chosen if low <= c.age <= high))
        for low, high in AGE_BANDS
    ]
