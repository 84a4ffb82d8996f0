"""The events the backend knows, read from the site's ``porte-voix/evenements.json``.

The file is read again whenever the site is rebuilt (its modification time changes).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

MANIFEST = "porte-voix/evenements.json"


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
    status: str = "prevu"  # "annule" or "reporte" when the site says so (``statut``)
    rescheduled: bool = False  # postponed to a known new date (``start``, ``end``)

    @property
    def takes_place(self) -> bool:
        """False when cancelled, or postponed to a date not known yet: no sign-up then."""
        return self.status == "prevu" or (self.status == "reporte" and self.rescheduled)

    @property
    def page_path(self) -> str:
        """The path of the event's page on the site, such as ``evenements/…/``."""
        return urlsplit(self.url).path.lstrip("/")


class EventCatalogue:
    """Events by id; reloads the manifest when it changes on disk."""

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir / MANIFEST
        self._events: dict[str, PublicEvent] = {}
        self._stamp: float | None = None
        self._lock = threading.Lock()

    def get(self, event_id: str) -> PublicEvent | None:
        """The event with this id, or ``None``."""
        return self._current().get(event_id)

    def _current(self) -> dict[str, PublicEvent]:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        with self._lock:
            if stamp != self._stamp:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._events = {item["id"]: _event(item) for item in data["evenements"]}
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
        status=item.get("statut", "prevu"),  # a manifest built before statuses existed
        rescheduled=bool(item.get("nouveau_debut")),
    )
