"""What a new build changed: an event cancelled, postponed, or moved (date, time or place) is
told to everyone signed up or waiting, once; more places move the waiting list up.

The backend compares each event of the published manifest with the facts it last kept
(``event_facts``). A change gets a key (the event and a hash of its new facts): one outbox row
per person whose target holds the key, so a second build with the same facts, a restart, or
two workers add nothing. Run when the manifest is rewritten (and once at start).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from typing import Any

from forms_backend.intake.events import CANCELLED, POSTPONED, EventCatalogue, PublicEvent
from forms_backend.outbox.seats import Seats, reminder_settings, starts_at
from forms_backend.outbox.sms_templates import when
from forms_backend.outbox.young_targets import (
    CHANGED,
    REMINDER_PATTERNS,
    reminder_rows,
    target,
    young_channel,
)
from forms_backend.store import event_messages as sql
from forms_backend.store.database import Store

WATCHED = ("statut", "debut", "lieu", "nouveau_debut")


def facts(event: PublicEvent) -> dict[str, Any]:
    """The public facts whose change people are told of (and the title and reason, to say it)."""
    return {
        "titre": event.title,
        "statut": event.status,
        "debut": event.start.isoformat(),
        "lieu": event.place,
        "nouveau_debut": event.new_start.isoformat() if event.new_start else None,
        "raison": event.reason,
    }


def change_key(event_id: str, number: int, after: dict[str, Any]) -> str:
    """The ``number``-th change of an event to these facts: processing the same change again
    gives the same key; a later change back and forth gets a new one (and is told)."""
    watched = json.dumps([after[name] for name in WATCHED])
    return f"{event_id}@{number}-{hashlib.sha256(watched.encode()).hexdigest()[:12]}"


def what_changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What changed, one French line each (plain spaces: the SMS uses them as they are)."""
    reason = f" : {after['raison']}" if after.get("raison") else ""
    if after["statut"] == CANCELLED:
        return [f"l'événement est annulé{reason}"]
    if after["statut"] == POSTPONED:
        if after.get("nouveau_debut"):
            new = when(datetime.fromisoformat(after["nouveau_debut"]))
            return [f"l'événement est reporté au {new}{reason}"]
        return [f"l'événement est reporté, la nouvelle date sera annoncée{reason}"]
    lines = []
    if before["debut"] != after["debut"]:
        new, old = (when(datetime.fromisoformat(x["debut"])) for x in (after, before))
        lines.append(f"nouvelle date : le {new} (au lieu du {old})")
    if before["lieu"] != after["lieu"]:
        lines.append(f"nouveau lieu : {after['lieu']}")
    return lines or ["l'événement a lieu comme prévu"]


class EventWatch:
    """Compares the published events with the facts last kept, after each new build."""

    def __init__(self, store: Store, events: EventCatalogue, seats: Seats) -> None:
        self.store, self.events, self.seats = store, events, seats
        self._seen_stamp: float | None = None

    def check(self, now: datetime) -> int:
        """Tell what changed since the last build (nothing when the manifest did not change);
        returns how many events changed."""
        stamp = self.events.stamp()
        if stamp is None or stamp == self._seen_stamp:
            return 0
        changed = sum(
            self.store.write(lambda db, e=event: self._check_one(db, e, now))
            for event in self.events.all()
        )
        self._seen_stamp = stamp
        return changed

    def _check_one(self, db: sqlite3.Connection, event: PublicEvent, now: datetime) -> bool:
        before, after = sql.last_facts(db, event.id), facts(event)
        sql.remember_facts(db, event.id, after)
        moved = before is not None and any(before.get(k) != after[k] for k in WATCHED)
        if moved:
            assert before is not None
            self._tell(db, event, before, after, now)
        self.seats.promote(db, event, now)  # more places in the new build
        return moved

    def _tell(
        self,
        db: sqlite3.Connection,
        event: PublicEvent,
        before: dict[str, Any],
        after: dict[str, Any],
        now: datetime,
    ) -> None:
        key = change_key(event.id, sql.changes_count(db, event.id) + 1, after)
        sql.record_change(db, key, event.id, before, after)
        start = starts_at(event)
        settings = reminder_settings(self.events)
        for person in sql.people(db, event.id):
            channel = young_channel(person)
            rows = [(target(channel, CHANGED, key), now)] if channel else []
            if before["debut"] != after["debut"] or after["statut"] != "prevu":
                # Reminders of the old date go; a new date gets its own (a place taken only).
                sql.drop_pending(db, person["id"], REMINDER_PATTERNS)
                if channel and start is not None and person["status"] == sql.PLACE_TAKEN:
                    rows += reminder_rows(channel, start, settings, now)
            sql.add_rows(db, person["id"], rows)
