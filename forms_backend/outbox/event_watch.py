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
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from forms_backend.intake.events import CANCELLED, POSTPONED, EventCatalogue, PublicEvent
from forms_backend.outbox.seats import Seats, reminder_settings, starts_at
from forms_backend.outbox.sms_templates import PARIS, when
from forms_backend.outbox.young_targets import (
    CHANGED,
    COUNSELLOR,
    REMINDER_PATTERNS,
    UNREACHED,
    reminder_rows,
    target,
    young_channel,
)
from forms_backend.store import event_messages as sql
from forms_backend.store.database import Store

WATCHED = ("statut", "debut", "lieu", "nouveau_debut")
# What the counsellor is told (``conseillere:<kind>:<key>``): an event deleted (its people told
# it is cancelled), or one that looks renamed (its people told nothing: she moves them).
DELETED, RENAMED = "evenement-supprime", "evenement-renomme"


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
            # Dated against the first date: a postponement into another year says which.
            old_start = datetime.fromisoformat(before["debut"])
            new = when(datetime.fromisoformat(after["nouveau_debut"]), old_start)
            return [f"l'événement est reporté au {new}{reason}"]
        return [f"l'événement est reporté, la nouvelle date sera annoncée{reason}"]
    lines = []
    if before["debut"] != after["debut"]:
        new_start, old_start = (datetime.fromisoformat(x["debut"]) for x in (after, before))
        new, old = when(new_start, old_start), when(old_start, new_start)
        if new_start.astimezone(PARIS).date() == old_start.astimezone(PARIS).date():
            # Same day: « nouvelle date » would send her looking for a day that did not move.
            lines.append(f"nouvelle heure : le {new} (au lieu de {old.rpartition(' à ')[2]})")
        else:
            lines.append(f"nouvelle date : le {new} (au lieu du {old})")
    if before["lieu"] != after["lieu"]:
        lines.append(f"nouveau lieu : {after['lieu']}")
    return lines or ["l'événement a lieu comme prévu"]


def _twin(before: dict[str, Any], published: Iterable[PublicEvent]) -> PublicEvent | None:
    """A published event that looks like this vanished one renamed (a new title, so a new file
    name and id): same start, and the same place or title. Telling people « cancelled » would
    keep them home from an event that still takes place: only the counsellor is told."""
    for event in published:
        now_facts = facts(event)
        same_start = now_facts["debut"] == before["debut"]
        if same_start and (now_facts["lieu"] == before["lieu"] or event.title == before["titre"]):
            return event
    return None


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
        changed += self.store.write(lambda db: self._check_deleted(db, now))
        self._seen_stamp = stamp
        return changed

    def _check_deleted(self, db: sqlite3.Connection, now: datetime) -> int:
        """Events gone from the manifest (their file deleted, not left out for an error) that
        have people signed up or waiting and have not started: see ``_tell_deleted``."""
        published = {event.id: event for event in self.events.all()}
        skipped = self.events.left_out()
        gone = 0
        for event_id, before in sql.all_facts(db).items():
            if event_id in published or event_id in skipped or before["statut"] == CANCELLED:
                continue
            start = datetime.fromisoformat(before.get("nouveau_debut") or before["debut"])
            people = sql.people(db, event_id)
            if now >= start or not people:
                continue
            twin = _twin(before, published.values())
            if twin is None:
                self._tell_deleted(db, event_id, before, people, now)
            else:
                key = f"{event_id}@renomme"
                sql.record_change(db, key, event_id, before, {**facts(twin), "id": twin.id})
                sql.add_rows(db, people[0]["id"], [(target(COUNSELLOR, RENAMED, key), now)])
            gone += 1
        return gone

    def _tell_deleted(
        self,
        db: sqlite3.Connection,
        event_id: str,
        before: dict[str, Any],
        people: list[dict[str, Any]],
        now: datetime,
    ) -> None:
        """A deleted event will not take place as far as anyone can tell: everyone signed up
        or waiting is told it is cancelled, and the counsellor too — once, by a fixed key
        (``…@supprime``): every later build finds the same rows already there."""
        key = f"{event_id}@supprime"
        after = {**before, "statut": CANCELLED, "raison": None, "supprime": True}
        sql.record_change(db, key, event_id, before, after)
        for person in people:
            channel = young_channel(person)
            sql.drop_pending(db, person["id"], REMINDER_PATTERNS)
            if channel:
                sql.add_rows(db, person["id"], [(target(channel, CHANGED, key), now)])
        sql.add_rows(db, people[0]["id"], [(target(COUNSELLOR, DELETED, key), now)])

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
        # Reminders of the old date go; a new date gets its own (a place taken only), and so
        # does an event cancelled or postponed then restored (its reminders were dropped).
        moved = before["debut"] != after["debut"]
        rescheduled = moved or after["statut"] != "prevu" or before["statut"] != "prevu"
        for person in sql.people(db, event.id):
            channel = young_channel(person)
            # A sign-up the daily cap kept untold gets no reminder (the change itself, which
            # only the counsellor can cause, is told: it may be a real person who would come).
            untold = sql.young_rows(db, person["id"]) == 0
            # No mobile nor e-mail (a landline to be called): the counsellor calls her.
            told = target(channel, CHANGED, key) if channel else target(COUNSELLOR, UNREACHED, key)
            rows = [(told, now)]
            if rescheduled:
                sql.drop_pending(db, person["id"], REMINDER_PATTERNS)
                taken = person["status"] == sql.PLACE_TAKEN
                if channel and start is not None and taken and not untold:
                    rows += reminder_rows(channel, start, settings, now)
            sql.add_rows(db, person["id"], rows)
