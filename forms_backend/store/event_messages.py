"""SQL for the messages around an event: rows with a « not before » time and a unique key, a
place freed, the waiting list moving up, and the facts of each event as last seen.

Every function takes the caller's connection: they run inside one transaction (the group
committer's, or ``Store.transaction``), so a freed place and the promotion it allows are one
write under the same lock as the sign-ups.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from forms_backend.store.database import now_text
from forms_backend.validator.addresses import same_mailbox

PLACE_TAKEN, WAITING, FREED = "inscrit", "liste_attente", "desinscrit"


def add_rows(db: sqlite3.Connection, submission_id: str, rows: list[tuple[str, datetime]]) -> int:
    """Outbox rows due at their time; a target already there (sent or not) is kept as it is:
    the target is the row's key, so each kind of message goes at most once per sign-up."""
    stamp = now_text()
    return db.executemany(
        "INSERT OR IGNORE INTO outbox (submission_id, target, next_attempt_at, created_at) "
        "VALUES (?, ?, ?, ?)",
        [(submission_id, target, now_text(due), stamp) for target, due in rows],
    ).rowcount


def sms_spent_since(
    db: sqlite3.Connection, since: datetime
) -> tuple[list[datetime], list[datetime]]:
    """The SMS sent to young people after ``since``, and when the counsellor was told after it
    that the day's SMS budget was spent (the time is the notice's key, on the worker's clock)."""
    sent = [
        datetime.fromisoformat(row[0])
        for row in db.execute(
            "SELECT sent_at FROM outbox WHERE state = 'sent' AND target LIKE 'sms:%' "
            "AND sent_at > ?",
            (now_text(since),),
        )
    ]
    told = []
    for (target,) in db.execute(
        "SELECT target FROM outbox WHERE target LIKE 'conseillere:sms-en-attente:%'"
    ):
        moment = datetime.strptime(target.rsplit(":", 1)[1], "%Y%m%d%H%M").replace(tzinfo=UTC)
        if moment > since:
            told.append(moment)
    return sent, told


def drop_pending(db: sqlite3.Connection, submission_id: str, patterns: tuple[str, ...]) -> int:
    """Delete the pending rows of a sign-up whose target matches one of the ``LIKE`` patterns."""
    dropped = 0
    for pattern in patterns:
        dropped += db.execute(
            "DELETE FROM outbox WHERE submission_id = ? AND state = 'pending' AND target LIKE ?",
            (submission_id, pattern),
        ).rowcount
    return dropped


def confirmations_to(db: sqlite3.Connection, channel: str, recipient: str, since: datetime) -> int:
    """How many confirmations were scheduled by ``channel`` (``sms`` or ``courriel``) to this
    number or address since ``since`` (sent or not, on the worker's clock)."""
    if channel == "sms":
        same, values = "s.phone = ?", [recipient]
    else:  # every way of writing the one mailbox: case, « +tag » (validator.same_mailbox)
        same, values = (
            "(lower(s.email) = ? OR lower(s.email) LIKE ? ESCAPE '\\')",
            [*same_mailbox(recipient)],
        )
    return db.execute(
        "SELECT COUNT(*) FROM outbox o JOIN submissions s ON s.id = o.submission_id "
        f"WHERE o.target = ? AND {same} AND o.next_attempt_at >= ?",
        (f"{channel}:confirmation", *values, now_text(since)),
    ).fetchone()[0]


def young_rows(db: sqlite3.Connection, submission_id: str) -> int:
    """How many messages to the young person herself (``sms:…``, ``courriel:…``) a sign-up has
    (sent or not)."""
    return db.execute(
        "SELECT COUNT(*) FROM outbox WHERE submission_id = ? "
        "AND (target LIKE 'sms:%' OR target LIKE 'courriel:%')",
        (submission_id,),
    ).fetchone()[0]


def sign_up(db: sqlite3.Connection, submission_id: str) -> dict[str, Any] | None:
    """One event sign-up (any status), or ``None``."""
    row = db.execute(
        "SELECT * FROM submissions WHERE id = ? AND form = 'inscription'", (submission_id,)
    ).fetchone()
    return dict(row) if row else None


def free(db: sqlite3.Connection, submission_id: str, at: datetime) -> bool:
    """Mark a place (or a rank on the waiting list) freed; False if it already was."""
    return (
        db.execute(
            "UPDATE submissions SET status = ?, freed_at = ? WHERE id = ? AND status IN (?, ?)",
            (FREED, now_text(at), submission_id, PLACE_TAKEN, WAITING),
        ).rowcount
        == 1
    )


def lift_hold(db: sqlite3.Connection, submission_id: str) -> bool:
    """A held sign-up (see intake/place_guard.py) now waits like anyone; False if it was not
    held, or no longer waiting."""
    return (
        db.execute(
            "UPDATE submissions SET held = NULL WHERE id = ? AND held IS NOT NULL AND status = ?",
            (submission_id, WAITING),
        ).rowcount
        == 1
    )


def taken(db: sqlite3.Connection, event_id: str) -> int:
    """How many places of an event are taken."""
    return db.execute(
        "SELECT COUNT(*) FROM submissions WHERE event_id = ? AND status = ?",
        (event_id, PLACE_TAKEN),
    ).fetchone()[0]


def first_waiting(db: sqlite3.Connection, event_id: str) -> dict[str, Any] | None:
    """The person who has waited longest for this event."""
    row = db.execute(
        "SELECT * FROM submissions WHERE event_id = ? AND status = ? AND held IS NULL "
        "ORDER BY created_at, id LIMIT 1",
        (event_id, WAITING),
    ).fetchone()
    return dict(row) if row else None


def promote(db: sqlite3.Connection, submission_id: str) -> bool:
    """Give a waiting person a place; False if she was no longer waiting."""
    return (
        db.execute(
            "UPDATE submissions SET status = ? WHERE id = ? AND status = ?",
            (PLACE_TAKEN, submission_id, WAITING),
        ).rowcount
        == 1
    )


def waiting_rank(db: sqlite3.Connection, submission: dict[str, Any]) -> int:
    """Her rank on the waiting list now (1: the next place is hers)."""
    return db.execute(
        "SELECT COUNT(*) FROM submissions WHERE event_id = ? AND status = ? "
        "AND (created_at < ? OR (created_at = ? AND id <= ?))",
        (
            submission["event_id"],
            WAITING,
            submission["created_at"],
            submission["created_at"],
            submission["id"],
        ),
    ).fetchone()[0]


def people(db: sqlite3.Connection, event_id: str) -> list[dict[str, Any]]:
    """Everyone with a place or waiting for this event."""
    rows = db.execute(
        "SELECT * FROM submissions WHERE event_id = ? AND status IN (?, ?) ORDER BY created_at, id",
        (event_id, PLACE_TAKEN, WAITING),
    )
    return [dict(row) for row in rows]


def last_facts(db: sqlite3.Connection, event_id: str) -> dict[str, Any] | None:
    """The public facts of an event as the backend last saw them."""
    row = db.execute("SELECT facts FROM event_facts WHERE event_id = ?", (event_id,)).fetchone()
    return json.loads(row["facts"]) if row else None


def all_facts(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """The facts of every event the backend ever saw, by id."""
    rows = db.execute("SELECT event_id, facts FROM event_facts")
    return {row["event_id"]: json.loads(row["facts"]) for row in rows}


def remember_facts(db: sqlite3.Connection, event_id: str, facts: dict[str, Any]) -> None:
    """Keep the facts of an event as seen now."""
    db.execute(
        "INSERT INTO event_facts (event_id, facts, seen_at) VALUES (?, ?, ?) "
        "ON CONFLICT (event_id) DO UPDATE SET facts = excluded.facts, seen_at = excluded.seen_at",
        (event_id, json.dumps(facts, sort_keys=True), now_text()),
    )


def record_change(
    db: sqlite3.Connection, key: str, event_id: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Keep one change of an event (public facts only), once per key."""
    db.execute(
        "INSERT OR IGNORE INTO event_changes (key, event_id, before, after, seen_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (key, event_id, json.dumps(before), json.dumps(after), now_text()),
    )


def changes_count(db: sqlite3.Connection, event_id: str) -> int:
    """How many changes of this event were kept."""
    return db.execute(
        "SELECT COUNT(*) FROM event_changes WHERE event_id = ?", (event_id,)
    ).fetchone()[0]


def change(db: sqlite3.Connection, key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The facts before and after one change of an event."""
    row = db.execute("SELECT before, after FROM event_changes WHERE key = ?", (key,)).fetchone()
    return (json.loads(row["before"]), json.loads(row["after"])) if row else None
