"""Places at an event: the rows a sign-up schedules, a place freed with the personal link, and
the waiting list moving up (a place freed, or more places in a new build).

Each change is one write through ``Store.write`` — the group committer's writer thread when the
server runs, the same one that counts places for sign-ups — so two places freed at the same
moment give two different people a place, each told once (the rows' keys are unique).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from forms_backend.intake.events import EventCatalogue, PublicEvent
from forms_backend.outbox.young_targets import (
    CONFIRMATION,
    COUNSELLOR,
    FREED,
    PROMOTED,
    PROMOTED_UNTOLD,
    REMINDER_PATTERNS,
    SMS,
    Reminders,
    reminder_rows,
    target,
    young_channel,
)
from forms_backend.store import event_messages as sql
from forms_backend.store.database import Store

# A stranger's number typed in many sign-ups must not become a stream of SMS (nor an address a
# stream of e-mails): past this many confirmations to one recipient in a day, a new sign-up is
# still recorded (and the counsellor told) but sends her nothing.
MAX_CONFIRMATIONS_PER_DAY = 3
FREED_NOW, ALREADY_FREED, UNKNOWN, STARTED = "libere", "deja_libere", "inconnu", "commence"


def reminder_settings(events: EventCatalogue) -> Reminders:
    """The setting ``rappels`` as published with the events (defaults when it is not)."""
    published = events.reminders()
    days = published.get("jours_avant", Reminders.days_before)
    morning = published.get("matin", Reminders.morning)
    valid_days = isinstance(days, int) and not isinstance(days, bool) and 0 <= days <= 14
    return Reminders(
        days if valid_days else Reminders.days_before,
        morning if isinstance(morning, bool) else Reminders.morning,
    )


def starts_at(event: PublicEvent) -> datetime | None:
    """When the event starts now (see ``PublicEvent.starts``)."""
    return event.starts


@dataclass(frozen=True)
class Freed:
    """What the personal link did: ``state`` (see the constants) and the sign-up."""

    state: str
    submission: dict[str, Any] | None = None


class Seats:
    """Scheduling and moving places, for one store and the published events."""

    def __init__(self, store: Store, events: EventCatalogue) -> None:
        self.store, self.events = store, events

    def sign_up_rows(
        self, values: dict[str, Any], event: PublicEvent, now: datetime
    ) -> tuple[list[str], list[tuple[str, datetime]]]:
        """A new sign-up's young rows: the confirmation (due now) and, for a place taken, the
        reminders (each with its « not before » time)."""
        channel = young_channel(values)
        start = starts_at(event)
        if channel is None or start is None:
            return [], []
        settings = reminder_settings(self.events)
        return [target(channel, CONFIRMATION)], reminder_rows(channel, start, settings, now)

    @staticmethod
    def within_limit(
        db: sqlite3.Connection,
        values: dict[str, Any],
        targets: list[str],
        place_rows: list[tuple[str, datetime]],
        now: datetime,
    ) -> tuple[list[str], list[tuple[str, datetime]]]:
        """``targets`` and ``place_rows`` without the young person's messages when her number
        or address already had its confirmations for the day (run inside the sign-up's write,
        so that parallel sign-ups count each other)."""
        channel = young_channel(values)
        if channel is None or target(channel, CONFIRMATION) not in targets:
            return targets, place_rows
        recipient = values.get("phone") if channel == SMS else values.get("email")
        sent = sql.confirmations_to(db, channel, recipient or "", now - timedelta(days=1))
        if sent < MAX_CONFIRMATIONS_PER_DAY:
            return targets, place_rows
        return [t for t in targets if not t.startswith(f"{channel}:")], []

    def free(self, submission_id: str, now: datetime) -> Freed:
        """Free a place (or leave the waiting list) and give it to the first person waiting."""
        return self.store.write(lambda db: self._free(db, submission_id, now))

    def _free(self, db: sqlite3.Connection, submission_id: str, now: datetime) -> Freed:
        submission = sql.sign_up(db, submission_id)
        if submission is None:
            return Freed(UNKNOWN)
        event = self.events.get(submission["event_id"])
        start = starts_at(event) if event else None
        if event is not None and start is not None and now >= start:
            return Freed(STARTED, submission)
        if not sql.free(db, submission_id, now):
            return Freed(ALREADY_FREED, submission)
        sql.drop_pending(db, submission_id, REMINDER_PATTERNS)
        sql.add_rows(db, submission_id, [(target(COUNSELLOR, FREED), now)])
        if event is not None:
            self.promote(db, event, now)
        return Freed(FREED_NOW, submission)

    def release(self, rows: list[str], now: datetime) -> int:
        """Free sign-ups a person judged false (``forms liberer``): nothing more goes to their
        number or address (every pending message of theirs is dropped), nobody is told, and
        the places go to the waiting list; returns how many were freed."""
        return self.store.write(lambda db: self._release(db, rows, now))

    def _release(self, db: sqlite3.Connection, rows: list[str], now: datetime) -> int:
        freed = 0
        for submission_id in rows:
            if sql.free(db, submission_id, now):
                sql.drop_pending(db, submission_id, ("sms:%", "courriel:%"))
                freed += 1
        self._promote_events(db, rows, now)
        return freed

    def confirm(self, rows: list[str], now: datetime) -> int:
        """Lift the hold of sign-ups a person judged true (``forms confirmer``): they move up
        the waiting list like anyone, at once when a place is free; returns how many."""

        def lift(db: sqlite3.Connection) -> int:
            lifted = sum(sql.lift_hold(db, submission_id) for submission_id in rows)
            self._promote_events(db, rows, now)
            return lifted

        return self.store.write(lift)

    def _promote_events(self, db: sqlite3.Connection, rows: list[str], now: datetime) -> None:
        events = {(sql.sign_up(db, i) or {}).get("event_id") for i in rows}
        for event_id in events:
            event = self.events.get(event_id or "")
            if event is not None:
                self.promote(db, event, now)

    def promote(self, db: sqlite3.Connection, event: PublicEvent, now: datetime) -> int:
        """Give each free place to the person who waited longest, inside the caller's
        transaction; returns how many moved up."""
        start = starts_at(event)
        if event.places is None or start is None or now >= start:
            return 0
        moved = 0
        settings = reminder_settings(self.events)
        while sql.taken(db, event.id) < event.places:
            waiting = sql.first_waiting(db, event.id)
            if waiting is None or not sql.promote(db, waiting["id"]):
                break
            channel = young_channel(waiting)
            if channel is not None and sql.young_rows(db, waiting["id"]) == 0:
                # The daily cap stopped her confirmation: nothing more goes to that number or
                # address (it may be a stranger's); the counsellor reads she was not told.
                channel = None
                rows = [(target(COUNSELLOR, PROMOTED_UNTOLD), now)]
            else:
                rows = [(target(COUNSELLOR, PROMOTED), now)]
            if channel is not None:
                rows.append((target(channel, PROMOTED), now))
                rows += reminder_rows(channel, start, settings, now)
            sql.add_rows(db, waiting["id"], rows)
            moved += 1
        return moved
