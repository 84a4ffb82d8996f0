"""What the report publishes: every count of :class:`Figures` goes through one
:class:`Publication`, with every relation between them anyone could use, and comes out as a
:class:`Cell`, rounded to 5. The writers (tables, charts, page) read only :class:`Shown`: no raw
count.

Weeks are published in periods of at least 5 new young people, counted from the programme's
start over closed weeks only (see :mod:`.figures`): a period closes at the end of the first week
at which it counts 5, and from then on it is published, with the same figures, in every report.
The last weeks, while they count fewer than 5 together, are in no figure at all (the report
stops at the end of the last period, see :func:`.figures.last_period_day`): they wait for the
weeks after them. A period's figures depend only
on its own closed weeks, so they never go through the small-count suppression, whose choices
depend on the whole report: they are only rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .figures import CHANNEL_GROUPS, Figures, Week, periods
from .masking import Cell, Publication, shown_count


@dataclass(frozen=True)
class ShownPeriod:
    """Weeks published together: their first and last days, new young people, cumulative."""

    first: date
    last: date
    new: Cell
    cumulative: Cell


@dataclass(frozen=True)
class ShownCommune:
    commune: str
    territory: str
    priority: bool
    rural: bool
    people: Cell


@dataclass(frozen=True)
class ShownEvent:
    day: date
    title: str
    registration: bool
    places: int | None  # a setting of the event, not a count of young people
    signed_up: Cell
    waiting: Cell
    reached: Cell
    past: bool
    held: bool = False
    came: Cell | None = None  # None: not held yet, or no sign-up to come from
    walked_in: Cell | None = None  # None: not held yet
    rate: Cell | None = None
    since_end: bool = False  # held after the report's last day (see EventRow)


@dataclass(frozen=True)
class ShownAttendance:
    """Who came to the events already held, in total: signed up, of them came, came without
    a place, and the show-up rate."""

    signed_up: Cell
    came: Cell
    walked_in: Cell
    rate: Cell


@dataclass(frozen=True)
class Shown:
    """The report's figures as published: dates, settings, labels and cells."""

    first_day: date
    last_day: date
    programme_start: date
    programme_end: date
    target: int  # the programme's setting, not a count
    reached: Cell
    since_start: Cell
    projection: Cell | None
    periods: list[ShownPeriod]
    channels: list[tuple[str, Cell, Cell]]  # label, young people, of them signed up
    partners: list[tuple[str, Cell, Cell, Cell]]  # label, flyers, referrals, signed up
    territories: list[tuple[str, Cell]]
    priority: Cell
    rural: Cell
    communes: list[ShownCommune]
    events: list[ShownEvent]
    ages: list[tuple[str, Cell]]
    contact_channels: list[tuple[str, Cell]]
    attendance: ShownAttendance | None = None  # None: no event held in the period
    pending_from: date | None = None  # the first of the closed weeks no period holds yet


def publish(figures: Figures) -> Shown:
    """Register every count and relation, decide the cells once, and give them back."""
    pub = Publication()
    reached = pub.count("reached", figures.reached)
    since = pub.count("since", figures.reached_since_start)
    if figures.first_day >= figures.programme_start:
        pub.within([reached], [since])
    if figures.first_day <= figures.programme_start:
        pub.within([since], [reached])
    projection = (
        pub.derived("projection", figures.projection, since)
        if figures.projection is not None
        else None
    )
    groups, _ = periods(figures.weeks)
    channels = _register_channels(pub, figures, reached)
    partners = _register_partners(pub, figures, channels)
    territories = [
        pub.count(f"territories/{i}", count) for i, (_, count) in enumerate(figures.territories)
    ]
    communes = [pub.count(f"communes/{i}", row.people) for i, row in enumerate(figures.communes)]
    _register_places(pub, figures, reached, territories, communes)
    priority = pub.count("priority", figures.priority_people)
    rural = pub.count("rural", figures.rural_people)
    for key, flag in ((priority, "priority"), (rural, "rural")):
        flagged = [
            k for k, row in zip(communes, figures.communes, strict=True) if getattr(row, flag)
        ]
        pub.equal([key], flagged)
        pub.within([key], [reached])
    events = _register_events(pub, figures)
    presence, totals = _register_attendance(pub, figures, [keys[0] for keys in events])
    ages = [pub.count(f"ages/{i}", count) for i, (_, count) in enumerate(figures.ages)]
    contact = [
        pub.count(f"contact/{i}", count) for i, (_, count) in enumerate(figures.contact_channels)
    ]
    pub.equal([reached], ages)
    pub.equal([reached], contact)
    cell = pub.cell
    return Shown(
        first_day=figures.first_day,
        last_day=figures.last_day,
        programme_start=figures.programme_start,
        programme_end=figures.programme_end,
        target=figures.target,
        reached=cell(reached),
        since_start=cell(since),
        projection=cell(projection) if projection else None,
        periods=_shown_periods(groups),
        pending_from=figures.pending_from,
        channels=[
            (row.label, cell(people), cell(signed))
            for row, (people, signed) in zip(figures.channels, channels, strict=True)
        ],
        partners=[
            (row.label, *(cell(key) for key in keys))
            for row, keys in zip(figures.partners, partners, strict=True)
        ],
        territories=[
            (name, cell(key))
            for (name, _), key in zip(figures.territories, territories, strict=True)
        ],
        priority=cell(priority),
        rural=cell(rural),
        communes=[
            ShownCommune(row.commune, row.territory, row.priority, row.rural, cell(key))
            for row, key in zip(figures.communes, communes, strict=True)
        ],
        events=[
            ShownEvent(
                row.day,
                row.title,
                row.registration,
                row.places,
                *(cell(key) for key in keys),
                row.past,
                row.held,
                *(cell(key) if key else None for key in came),
                since_end=row.since_end,
            )
            for row, keys, came in zip(figures.events, events, presence, strict=True)
        ],
        attendance=ShownAttendance(*(cell(key) for key in totals)) if totals else None,
        ages=[(label, cell(key)) for (label, _), key in zip(figures.ages, ages, strict=True)],
        contact_channels=[
            (label, cell(key))
            for (label, _), key in zip(figures.contact_channels, contact, strict=True)
        ],
    )


def _shown_periods(groups: list[list[Week]]) -> list[ShownPeriod]:
    """New and cumulative per period, each rounded on its own: a closed period's figures."""
    return [
        ShownPeriod(
            weeks[0].first,
            weeks[-1].last,
            shown_count(f"periods/{index}/new", sum(week.new for week in weeks)),
            shown_count(f"periods/{index}/cumulative", weeks[-1].cumulative),
        )
        for index, weeks in enumerate(groups)
    ]


def _register_channels(pub: Publication, figures: Figures, reached: str) -> list[tuple[str, str]]:
    keys = []
    for key, row in zip(CHANNEL_GROUPS, figures.channels, strict=True):
        people = pub.count(f"channels/{key}/people", row.people)
        signed = pub.count(f"channels/{key}/to_event", row.to_event)
        pub.within([signed], [people])
        keys.append((people, signed))
    pub.equal([reached], [people for people, _ in keys])
    return keys


def _register_partners(
    pub: Publication, figures: Figures, channels: list[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    keys = []
    for index, row in enumerate(figures.partners):
        flyers = pub.count(f"partners/{index}/flyers", row.flyers)
        referrals = pub.count(f"partners/{index}/referrals", row.referrals)
        signed = pub.count(f"partners/{index}/to_event", row.to_event)
        pub.within([signed], [flyers, referrals])
        keys.append((flyers, referrals, signed))
    by_group = dict(zip(CHANNEL_GROUPS, channels, strict=True))
    pub.equal([by_group["partenaire"][0]], [flyers for flyers, _, _ in keys])
    pub.equal([by_group["orientation"][0]], [referrals for _, referrals, _ in keys])
    pub.equal(
        [by_group["partenaire"][1], by_group["orientation"][1]], [signed for _, _, signed in keys]
    )
    return keys


def _register_places(
    pub: Publication, figures: Figures, reached: str, territories: list[str], communes: list[str]
) -> None:
    """A territory is the sum of its communes; the young people outside the territories are
    those of no known commune: the same count, in two tables."""
    pub.equal([reached], territories)
    pub.equal([reached], communes)
    for (name, _), territory in zip(figures.territories[:-1], territories[:-1], strict=True):
        members = [
            key
            for key, row in zip(communes, figures.communes, strict=True)
            if row.territory == name
        ]
        pub.equal([territory], members)
    pub.equal([territories[-1]], [communes[-1]])


def _register_events(pub: Publication, figures: Figures) -> list[tuple[str, str, str]]:
    """Sign-ups and waiting list (only when the event takes sign-ups), and the young people it
    reached first (once past): those are among its sign-ups."""
    keys = []
    for index, row in enumerate(figures.events):
        signed = pub.count(f"events/{index}/signed_up", row.signed_up)
        waiting = pub.count(f"events/{index}/waiting", row.waiting)
        reached = pub.count(f"events/{index}/reached", row.reached)
        if row.registration and row.past:
            pub.within([reached], [signed, waiting])
        keys.append((signed, waiting, reached))
    return keys


def _register_attendance(
    pub: Publication, figures: Figures, signed: list[str]
) -> tuple[list[tuple[str | None, str | None, str | None]], tuple[str, str, str, str] | None]:
    """Per event held: sign-ups who came (among its sign-ups), people who came without a place,
    the show-up rate; and the same for all the events held. ``signed``: each event's sign-up
    count key. Returns the keys per event (None where nothing is shown) and the totals'."""
    keys: list[tuple[str | None, str | None, str | None]] = []
    held_signed, held_came, held_walked = [], [], []
    for index, (row, signed_key) in enumerate(zip(figures.events, signed, strict=True)):
        if not row.held:
            keys.append((None, None, None))
            continue
        walked = pub.count(f"events/{index}/walked_in", row.walked_in)
        held_walked.append(walked)
        if not row.registration:
            keys.append((None, walked, None))
            continue
        came = pub.count(f"events/{index}/came", row.came)
        pub.within([came], [signed_key])
        held_signed.append(signed_key)
        held_came.append(came)
        keys.append((came, walked, pub.rate(f"events/{index}/rate", came, signed_key)))
    if not held_walked:
        return keys, None
    rows = [row for row in figures.events if row.held]
    total_signed = pub.count(
        "attendance/signed_up", sum(row.signed_up for row in rows if row.registration)
    )
    total_came = pub.count("attendance/came", sum(row.came for row in rows if row.registration))
    total_walked = pub.count("attendance/walked_in", sum(row.walked_in for row in rows))
    pub.equal([total_signed], held_signed)
    pub.equal([total_came], held_came)
    pub.equal([total_walked], held_walked)
    pub.within([total_came], [total_signed])
    rate = pub.rate("attendance/rate", total_came, total_signed)
    return keys, (total_signed, total_came, total_walked, rate)
