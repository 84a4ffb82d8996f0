"""Events: ``content/evenements/AAAA-MM-JJ-slug.md``."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from ..settings import Settings
from ..slugs import normalise, slugify
from .event_status import CANCELLED, POSTPONED, SCHEDULED, StatusField, read_status
from .fields import (
    PARIS,
    DateTime,
    Field,
    Invalid,
    LocalFile,
    Nested,
    ReadContext,
    Revised,
    Schema,
    Text,
    TextList,
    parse_date_text,
)
from .french_dates import long_date
from .frontmatter import Document, Key
from .partners import Partner

EVENTS_DIR = "evenements"
FILE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-([a-z0-9][a-z0-9-]*)")


class PlaceSchema(Schema):
    """Where an event happens."""

    nom = Text(max_length=120, example="Centre social Les Deux Rives")
    adresse = Text(max_length=200, example="2 rue de l'Église, 54700 Pont-à-Mousson")


class EndTime(Field):
    """The end: a full date and time, or only a time (``17:00``) on the day it starts."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> datetime | time:
        text = str(value).strip()
        only_time = re.fullmatch(r"(\d{1,2})[:h](\d{2})", text)
        if only_time:
            hours, minutes = int(only_time[1]), int(only_time[2])
            if hours > 23 or minutes > 59:
                raise Invalid(
                    f"l'heure « {text} » n'existe pas", "écris une heure entre 00:00 et 23:59"
                )
            return time(hours, minutes)
        return parse_date_text(text, with_time=True)  # type: ignore[return-value]


class Deadline(Field):
    """A date (the whole day counts) or a date and time."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> datetime:
        text = str(value).strip()
        try:
            return parse_date_text(text, with_time=True)  # type: ignore[return-value]
        except Invalid:
            day = parse_date_text(text, with_time=False)
            return datetime.combine(day, time(23, 59), tzinfo=PARIS)  # type: ignore[arg-type]


class Places(Field):
    """How many people can sign up."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> int:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise Invalid(
                f"« places » vaut « {text} »",
                "écris le nombre de places, par exemple « places: 20 »",
            )
        return int(text)


class RegistrationSchema(Schema):
    """Sign-up rules of an event."""

    places = Places(required=False, example="20")
    jusqu_au = Deadline(required=False, example="2026-12-03")


@dataclass(frozen=True)
class Registration:
    """Sign-up is open: ``places`` (``None`` for no limit) until ``deadline``."""

    places: int | None
    deadline: datetime


class RegistrationField(Field):
    """``non`` (no sign-up), ``oui`` (sign-up, no limit) or ``places`` and ``jusqu_au``."""

    def convert(
        self, value: Any, context: ReadContext, key: Key
    ) -> Registration | dict[str, Any] | None:
        if isinstance(value, str):
            word = normalise(value)
            if word in ("non", "no", "false"):
                return None
            if word in ("oui", "yes", "true"):
                return {}
            raise Invalid(
                f"« inscription » vaut « {value} »",
                "écris « inscription: non » pour un événement ouvert à tous, ou indique « places » et « jusqu_au » dessous",
            )
        return Nested(RegistrationSchema, example="places: 20").convert(value, context, key)


class EventSchema(Schema):
    """Front matter of an event."""

    titre = Text(max_length=120, example="Forum de l'emploi")
    debut = DateTime(example="2026-12-05 14:00")
    fin = EndTime(example="2026-12-05 17:00")
    lieu = Nested(PlaceSchema, example="nom: Centre social Les Deux Rives")
    commune = Text(example="Pont-à-Mousson")
    public = Text(max_length=200, example="Jeunes de 16 à 29 ans")
    inscription = RegistrationField(example="non")
    partenaires = TextList(required=False, default=[], example="mjc-pompey")
    image = LocalFile(required=False)
    contact = Text(required=False, max_length=200)
    a_apporter = Text(required=False, max_length=200, example="une pièce d'identité et ton CV")
    """What to bring, when the event asks for something: on its page and in the messages."""
    contribution = Text(required=False, max_length=40)
    """Set by ``porte-voix contributions accept``: proposed through the site's form."""
    modifie = Revised(required=False, example="2026-11-28")
    statut = StatusField(required=False, default=SCHEDULED, example="annule")
    raison = Text(required=False, max_length=200, example="La salle est fermée pour travaux.")
    """Why the event is cancelled or postponed, in one line for the public."""
    nouveau_debut = DateTime(required=False, example="2027-11-06 14:00")
    nouvelle_fin = EndTime(required=False, example="16:00")


@dataclass(frozen=True)
class Place:
    """The place of an event."""

    name: str
    address: str


@dataclass(frozen=True)
class Event:
    """An event listed in the agenda, with its own page and calendar file."""

    id: str
    source: Path
    title: str
    start: datetime
    end: datetime
    place: Place
    commune: str
    audience: str
    registration: Registration | None
    partners: tuple[Partner, ...]
    image: Path | None
    contact: str | None
    body: str
    territory_id: str | None
    contributed: bool = False
    bring: str | None = None  # what to bring (``a_apporter``), when the event asks for something
    status: str = SCHEDULED  # SCHEDULED, CANCELLED or POSTPONED (event_status)
    reason: str | None = None  # why it is cancelled or postponed, for the public
    first_start: datetime | None = None
    """For an event moved to a new date (``start``, ``end``): the start first announced."""

    @property
    def cancelled(self) -> bool:
        """True when the event will not take place."""
        return self.status == CANCELLED

    @property
    def postponed(self) -> bool:
        """True when the event is postponed to a date not known yet."""
        return self.status == POSTPONED and self.first_start is None

    @property
    def rescheduled(self) -> bool:
        """True when the event moved to a new date (``start``), first announced ``first_start``."""
        return self.status == POSTPONED and self.first_start is not None

    @property
    def takes_place(self) -> bool:
        """True when people can plan to come at ``start``: not cancelled, not postponed sine die."""
        return not (self.cancelled or self.postponed)

    def is_past(self, now: datetime) -> bool:
        """True once the event has ended."""
        return self.end <= now

    def registration_open(self, now: datetime) -> bool:
        """True while people can still sign up."""
        return (
            self.takes_place
            and self.registration is not None
            and now < self.registration.deadline
            and now < self.end
        )


def build_event(
    document: Document,
    context: ReadContext,
    partners: dict[str, Partner],
    settings: Settings,
) -> Event | None:
    """Check an event's front matter and its links to partners and the territory."""
    report, lines = context.report, context.lines
    values, ok = EventSchema.read(document.meta, context)
    match = FILE_NAME.fullmatch(document.path.stem)
    if not match:
        report.add(
            1,
            f"le nom du fichier « {document.path.name} » ne suit pas la forme AAAA-MM-JJ-nom.md",
            "renomme-le avec la date puis quelques mots sans accent, par exemple 2026-12-05-forum-emploi.md",
        )
        ok = False
    start, end = values["debut"], values["fin"]
    if isinstance(end, time) and start:
        end = datetime.combine(start.date(), end, tzinfo=PARIS)
    if start and match and match[1] != start.date().isoformat():
        report.add(
            lines.of(("debut",)),
            f"le nom du fichier commence par {match[1]} mais l'événement commence le {long_date(start)}",
            f"renomme le fichier en {start.date().isoformat()}-{match[2]}.md ou corrige la date",
        )
        ok = False
    if start and isinstance(end, datetime) and end <= start:
        report.add(
            lines.of(("fin",)),
            "la fin de l'événement est avant son début",
            "vérifie « fin » : elle doit être après « debut »",
        )
        ok = False
    facts = read_status(values, start, end if isinstance(end, datetime) else None, context)
    if facts is None:
        ok = False
    else:
        start, end = facts.start, facts.end  # a rescheduled event's new times
    registration = values["inscription"]
    if isinstance(registration, dict) and start:
        deadline = registration.get("jusqu_au") or start
        if deadline > start:
            report.add(
                lines.of(("inscription", "jusqu_au")),
                "la date limite d'inscription est après le début de l'événement",
                "choisis une date limite avant « debut »",
            )
            ok = False
        registration = Registration(registration.get("places"), deadline)
    event_partners = []
    for index, partner_id in enumerate(values["partenaires"] or []):
        if partner_id in partners:
            event_partners.append(partners[partner_id])
        else:
            report.add(
                lines.of(("partenaires", index)),
                f"le partenaire « {partner_id} » n'existe pas dans partenaires.yml",
                _partner_fix(partner_id, partners),
            )
            ok = False
    commune, territory_id = values["commune"], None
    if commune and settings.territories:
        known = settings.commune(commune)
        if known is None:
            report.add(
                lines.of(("commune",)),
                f"la commune « {commune} » n'est pas dans le territoire de mkdocs.yml",
                "vérifie l'orthographe, ou ajoute la commune au territoire dans mkdocs.yml",
            )
            ok = False
        else:
            commune, territory_id = known[0], known[1].id
    if not ok:
        return None
    assert match is not None and isinstance(end, datetime) and facts is not None
    place = values["lieu"]
    return Event(
        id=f"{match[1]}-{slugify(match[2])}",
        source=document.path,
        title=values["titre"],
        start=start,
        end=end,
        place=Place(place["nom"], place["adresse"]),
        commune=commune,
        audience=values["public"],
        registration=registration,
        partners=tuple(event_partners),
        image=values["image"],
        contact=values["contact"],
        bring=values["a_apporter"],
        body=document.body,
        territory_id=territory_id,
        contributed=bool(values["contribution"]),
        status=facts.status,
        reason=facts.reason,
        first_start=facts.first_start,
    )


def _partner_fix(partner_id: str, partners: dict[str, Partner]) -> str:
    guess = difflib.get_close_matches(partner_id, list(partners), n=1)
    if guess:
        return (
            f"tu voulais écrire « {guess[0]} » ? Sinon, ajoute ce partenaire dans partenaires.yml"
        )
    return "utilise un identifiant de partenaires.yml, ou ajoute ce partenaire dans ce fichier"


def upcoming_and_past(events: list[Event], now: datetime) -> tuple[list[Event], list[Event]]:
    """Upcoming events soonest first; past events most recent first."""
    upcoming = sorted((e for e in events if not e.is_past(now)), key=lambda e: (e.start, e.title))
    past = sorted(
        (e for e in events if e.is_past(now)), key=lambda e: (e.start, e.title), reverse=True
    )
    return upcoming, past
