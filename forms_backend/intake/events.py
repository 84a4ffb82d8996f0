"""The events the backend knows, read from the site's ``porte-voix/evenements.json``.

The file is read again whenever the site is rebuilt (its modification time changes).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MANIFEST = "porte-voix/evenements.json"
PLANNED, CANCELLED, POSTPONED = "prevu", "annule", "reporte"


@dataclass(frozen=True)
class PublicEvent:
    """The public facts of an event that matter for sign-ups."""

    id: str
    title: str
    start: datetime
    end: datetime
    registration: bool
    places: int | None
    deadline: datetime | None
    url: str
    place: str = ""  # name and address, one line
    status: str = PLANNED  # ``prevu``, ``annule`` or ``reporte``
    reason: str | None = None  # the public reason line of a cancellation or postponement
    new_start: datetime | None = None  # a postponed event's new start, when known
    bring: str | None = None  # what to bring, when the event says so

    @property
    def starts(self) -> datetime | None:
        """When it starts now: the new date of a postponed event, ``None`` when it was
        postponed without a date yet or cancelled."""
        if self.cancelled:
            return None
        if self.status == POSTPONED:
            return self.new_start
        return self.start

    @property
    def shown_start(self) -> datetime:
        """The start to tell people: the new one of a postponed event when known."""
        return self.starts or self.start

    @property
    def cancelled(self) -> bool:
        """True when the event will not take place (as announced)."""
        return self.status == CANCELLED

    @property
    def takes_place(self) -> bool:
        """False when cancelled, or postponed to a date not known yet: no sign-up then."""
        return self.starts is not None

    @property
    def page_path(self) -> str:
        """The path of the event's page on the site, such as ``evenements/…/``."""
        return urlsplit(self.url).path.lstrip("/")


def from_facts(event_id: str, facts: dict[str, Any]) -> PublicEvent:
    """An event no longer published, as the backend last saw it (``event_facts``), cancelled:
    enough to tell the people signed up (no page, no calendar)."""
    start = datetime.fromisoformat(facts["debut"])
    return PublicEvent(
        id=event_id,
        title=facts["titre"],
        start=start,
        end=start,
        registration=False,
        places=None,
        deadline=None,
        url="",
        place=facts.get("lieu") or "",
        status=CANCELLED,
    )


class EventCatalogue:
    """Events by id; reloads the manifest when it changes on disk."""

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir / MANIFEST
        self._events: dict[str, PublicEvent] = {}
        self._reminders: dict[str, Any] = {}
        self._left_out: frozenset[str] = frozenset()
        self._stamp: float | None = None
        self._lock = threading.Lock()

    def get(self, event_id: str) -> PublicEvent | None:
        """The event with this id, or ``None``."""
        return self._current().get(event_id)

    def all(self) -> list[PublicEvent]:
        """Every published event."""
        return list(self._current().values())

    def reminders(self) -> dict[str, Any]:
        """The site setting ``rappels`` as the manifest publishes it (empty: the defaults)."""
        self._current()
        return self._reminders

    def left_out(self) -> frozenset[str]:
        """The ids of event files the last build left out for an error (``ecartes``): still
        there, unlike a deleted event."""
        self._current()
        return self._left_out

    def stamp(self) -> float | None:
        """Changes whenever the manifest is rewritten (a new build)."""
        self._current()
        return self._stamp

    def _current(self) -> dict[str, PublicEvent]:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        with self._lock:
            if stamp != self._stamp:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._events = {item["id"]: _event(item) for item in data["evenements"]}
                reminders = data.get("rappels")
                self._reminders = reminders if isinstance(reminders, dict) else {}
                left_out = data.get("ecartes")
                self._left_out = frozenset(
                    str(item) for item in (left_out if isinstance(left_out, list) else [])
                )
                self._stamp = stamp
            return self._events


def _event(item: dict) -> PublicEvent:
    return PublicEvent(
        id=item["id"],
        title=item["titre"],
        start=datetime.fromisoformat(item["debut"]),
        end=datetime.fromisoformat(item["fin"]),
        registration=bool(item["inscription"]),
        places=item["places"],
        deadline=datetime.fromisoformat(item["jusqu_au"]) if item["jusqu_au"] else None,
        url=item["url"],
        place=_place(item.get("lieu")),
        status=item.get("statut") or PLANNED,
        reason=item.get("raison") or None,
        new_start=datetime.fromisoformat(item["nouveau_debut"])
        if item.get("nouveau_debut")
        else None,
        bring=item.get("a_apporter") or None,
    )


def _place(value: object) -> str:
    """The place in one line: the manifest gives a string, or (before it did) name and address."""
    if isinstance(value, dict):
        parts = [str(value.get(key) or "").strip() for key in ("nom", "adresse")]
        return ", ".join(part for part in parts if part)
    return " ".join(str(value or "").split())
