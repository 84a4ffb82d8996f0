"""``porte-voix/evenements.json``: the public facts of each event, read by the form backend."""

from __future__ import annotations

import json
from pathlib import Path

from .content import Event
from .content.events import EVENTS_DIR, FILE_NAME
from .settings import Reminders

MANIFEST_PATH = "porte-voix/evenements.json"
MANIFEST_VERSION = 1


def left_out(root: Path, events: list[Event]) -> list[str]:
    """The ids of event files present in ``root`` but left out of this build for an error:
    the backend must not take them for deleted events (and tell people they are cancelled)."""
    published = {event.id for event in events}
    return sorted(
        path.stem
        for path in (root / EVENTS_DIR).glob("*.md")
        if path.stem not in published and FILE_NAME.fullmatch(path.stem)
    )


def events_manifest(
    events: list[Event],
    page_urls: dict[str, str],
    reminders: Reminders | None = None,
    left_out_ids: list[str] | None = None,
) -> bytes:
    """JSON with id, title, times, place, capacity, deadline, page URL and status of every
    event, and the setting ``rappels`` (the backend sees no other setting).

    ``statut`` is ``prevu``, ``annule`` or ``reporte``; ``raison`` says why (for the public);
    a rescheduled event has its new times in ``debut``/``fin`` and ``nouveau_debut`` (the same
    as ``debut``), else ``nouveau_debut`` is ``null``. The backend compares two manifests to tell
    people signed up that their event was cancelled, or changed date, time or place.
    ``ecartes``: the ids of event files this build left out for an error (see ``left_out``);
    an event missing from both lists was deleted."""
    reminders = reminders or Reminders()
    items = [
        {
            "id": event.id,
            "titre": event.title,
            "debut": event.start.isoformat(),
            "fin": event.end.isoformat(),
            "lieu": {"nom": event.place.name, "adresse": event.place.address},
            "commune": event.commune,
            "inscription": event.registration is not None,
            "places": event.registration.places if event.registration else None,
            "jusqu_au": event.registration.deadline.isoformat() if event.registration else None,
            "url": page_urls[event.id],
            "a_apporter": event.bring,
            "statut": event.status,
            "raison": event.reason,
            "nouveau_debut": event.start.isoformat() if event.rescheduled else None,
        }
        for event in events
    ]
    return json.dumps(
        {
            "version": MANIFEST_VERSION,
            "rappels": {"jours_avant": reminders.days_before, "matin": reminders.morning},
            "evenements": items,
            "ecartes": left_out_ids or [],
        },
        ensure_ascii=False,
        indent=2,
    ).encode()
