"""The only module that speaks SQL: submissions, their outbox rows and spam, in SQLite.

Durability: WAL with ``synchronous=FULL``; a submission and its outbox rows are written in one
``BEGIN IMMEDIATE`` transaction (in WAL mode a deferred read-then-write transaction fails at once
with « database is locked » when another writer committed; IMMEDIATE waits for the lock).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from forms_backend.store.migrations import MIGRATIONS
from forms_backend.store.private import private_file, private_folder

if TYPE_CHECKING:
    from forms_backend.store.committer import GroupCommitter

T = TypeVar("T")

SUBMISSION_COLUMNS = (
    "id",
    "form",
    "event_id",
    "status",
    "first_name",
    "phone",
    "email",
    "commune",
    "age",
    "channel",
    "source",
    "referrer_name",
    "referrer_structure",
    "referrer_contact",
    "consent_at",
    "created_at",
    "last_contact_at",
    "held",
)
_INSERT_SUBMISSION = (
    f"INSERT INTO submissions ({', '.join(SUBMISSION_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(SUBMISSION_COLUMNS))})"
)


def now_text(moment: datetime | None = None) -> str:
    """Timestamps are stored as sortable UTC ISO 8601 text."""
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Outcome:
    """What happened to one delivery: ``sent``, ``retry`` (at ``at``), ``dead``, ``later``
    (not an attempt: not allowed now, due again at ``at``) or ``dropped`` (no longer to send:
    a reminder for a place freed, an event cancelled or started; ``error`` says why)."""

    row_id: int
    state: str
    error: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Recorded:
    """What the store did with a submission: ``created`` is False for a repeated id."""

    id: str
    status: str
    created: bool


@dataclass(frozen=True)
class OutboxRow:
    """One delivery to make: a submission to one target (``email``, ``webhook``, or
    ``sms:<kind>`` — an SMS to the person, whose text is made from the submission when sent)."""

    id: int
    submission_id: str
    target: str
    attempts: int


class Store:
    """A SQLite database file; one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        # One writer at a time inside this process: SQLite allows only one anyway, and waiting on
        # a lock here is fair and instant, where SQLite's busy handler sleeps with growing pauses.
        self._write_lock = threading.Lock()
        self.committer: GroupCommitter | None = None
        # Its journal and WAL files take the database file's permissions (SQLite does so).
        private_folder(path.parent)
        private_file(path)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened with the durability settings."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.path, isolation_level=None, timeout=30, check_same_thread=False
            )
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA busy_timeout=30000")
            # Deleted rows are overwritten with zeros, in the file and its WAL: a parent's
            # address or a refused testimonial does not linger in free pages.
            connection.execute("PRAGMA secure_delete=ON")
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def write(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``job(db)`` in a committed transaction: the server's group committer when one is
        attached (its writes share commits with the submissions), else a transaction of its own."""
        committer = self.committer
        if committer is not None and not committer.is_writer_thread():
            return committer.submit(job).result()
        with self.transaction() as db:
            return job(db)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error: nothing half-written."""
        connection = self.connection()
        with self._write_lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def forget(self) -> None:
        """After deleting personal data: copy the log into the file and empty it. secure_delete
        zeroes what is deleted, but the log still holds the pages as they were before."""
        self.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def migrate(self) -> list[str]:
        """Apply the migrations not applied yet; returns their names."""
        with self.transaction() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
        applied = []
        for name, statements in MIGRATIONS:
            with self.transaction() as db:
                if db.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                    continue
                for statement in statements:
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    (name, now_text()),
                )
                applied.append(name)
        if applied:
            self.forget()  # a migration may have rewritten personal data (0005: parents' links)
        return applied

    def secret(self, name: str) -> str:
        """A random secret kept in the database, made on first use (embedded default)."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
            if row:
                return row["value"]
            value = secrets.token_urlsafe(32)
            db.execute("INSERT INTO secrets (name, value) VALUES (?, ?)", (name, value))
            return value

    def record(
        self,
        values: dict[str, Any],
        targets: list[str],
        capacity: int | None = None,
        place_rows: list[tuple[str, datetime]] | None = None,
    ) -> Recorded:
        """Store a submission and one outbox row per target, atomically (see ``insert_submission``)."""
        return self.write(
            lambda db: self.insert_submission(db, values, targets, capacity, place_rows)
        )

    def insert_submission(
        self,
        db: sqlite3.Connection,
        values: dict[str, Any],
        targets: list[str],
        capacity: int | None = None,
        place_rows: list[tuple[str, datetime]] | None = None,
        due: datetime | None = None,
    ) -> Recorded:
        """Write a submission and its outbox rows inside the caller's transaction.

        A repeated id stores nothing and answers the first result. For an event sign-up with a
        ``capacity``, people past it go on the waiting list; one writer at a time makes the count
        exact. ``place_rows`` (target, not before): rows only for a place taken (the reminders).
        ``due``: when the ``targets`` are due (now, by the worker's clock).
        """
        stamp = now_text()
        existing = db.execute(
            "SELECT status FROM submissions WHERE id = ?", (values["id"],)
        ).fetchone()
        if existing:
            return Recorded(values["id"], existing["status"], created=False)
        status = "recu"
        if values["form"] == "inscription":
            status = "inscrit"
            if capacity is not None:
                taken = db.execute(
                    "SELECT COUNT(*) FROM submissions WHERE event_id = ? AND status = 'inscrit'",
                    (values["event_id"],),
                ).fetchone()[0]
                status = "inscrit" if taken < capacity else "liste_attente"
            if values.get("held"):  # waits for the counsellor (intake/place_guard.py)
                status = "liste_attente"
        row = {column: values.get(column) for column in SUBMISSION_COLUMNS}
        row.update(status=status, consent_at=stamp, created_at=stamp, last_contact_at=stamp)
        db.execute(_INSERT_SUBMISSION, [row[column] for column in SUBMISSION_COLUMNS])
        db.executemany(
            "INSERT INTO outbox (submission_id, target, next_attempt_at, created_at) VALUES (?, ?, ?, ?)",
            [(values["id"], target, now_text(due) if due else stamp, stamp) for target in targets],
        )
        if status == "inscrit" and place_rows:
            db.executemany(
                "INSERT INTO outbox (submission_id, target, next_attempt_at, created_at) "
                "VALUES (?, ?, ?, ?)",
                [(values["id"], target, now_text(due), stamp) for target, due in place_rows],
            )
        return Recorded(values["id"], status, created=True)

    def places_taken(self, event_id: str) -> tuple[int, int]:
        """How many people are signed up, and how many wait, for an event."""
        rows = self.connection().execute(
            "SELECT status, COUNT(*) AS n FROM submissions WHERE event_id = ? GROUP BY status",
            (event_id,),
        )
        counts = {row["status"]: row["n"] for row in rows}
        return counts.get("inscrit", 0), counts.get("liste_attente", 0)

    def record_spam(self, form: str, reason: str, fields: dict[str, str]) -> None:
        """Keep a suspected spam apart: never forwarded, visible in ``status``."""
        received = (form, reason, json.dumps(fields, ensure_ascii=False), now_text())
        self.write(
            lambda db: db.execute(
                "INSERT INTO spam (form, reason, fields, received_at) VALUES (?, ?, ?, ?)", received
            )
        )

    def submission(self, submission_id: str) -> dict[str, Any] | None:
        """One submission as a dict."""
        row = (
            self.connection()
            .execute("SELECT * FROM submissions WHERE id = ?", (submission_id,))
            .fetchone()
        )
        return dict(row) if row else None

    def release_leases(self) -> int:
        """Free rows leased by a worker that died (a server killed mid-delivery): they are due again."""
        with self.transaction() as db:
            return db.execute(
                "UPDATE outbox SET leased_until = NULL WHERE state = 'pending' AND leased_until IS NOT NULL"
            ).rowcount

    def mark_sending(self, row_id: int) -> None:
        """Committed just before an SMS leaves (see ``abandon_sending``): a crash after the
        provider accepted it and before ``mark_outcomes`` leaves the row ``sending``."""
        self.write(
            lambda db: db.execute(
                "UPDATE outbox SET state = 'sending' WHERE id = ? AND state = 'pending'",
                (row_id,),
            )
        )

    def abandon_sending(self, now: datetime | None = None) -> list[tuple[int, str]]:
        """Rows left ``sending`` by a server that died (all of them at start, ``now=None``;
        else those whose lease ran out): the SMS may have left, so it is not sent again — each
        becomes a dead letter saying so, and its (row id, submission id) is returned so that
        the counsellor is told. ``porte-voix forms retry`` sends it again, by a person's
        choice."""
        reason = (
            "envoi interrompu (arrêt du serveur) : le SMS est peut-être parti ; "
            "pas renvoyé pour ne pas l'envoyer deux fois"
        )
        lease = "" if now is None else " AND (leased_until IS NULL OR leased_until <= ?)"
        params: tuple = (reason,) if now is None else (reason, now_text(now))
        rows = self.write(
            lambda db: db.execute(
                "UPDATE outbox SET state = 'dead', leased_until = NULL, last_error = ? "
                f"WHERE state = 'sending'{lease} RETURNING id, submission_id",
                params,
            ).fetchall()
        )
        return [(row["id"], row["submission_id"]) for row in rows]

    def claim_due(
        self,
        *,
        limit: int = 5,
        lease: timedelta = timedelta(minutes=5),
        now: datetime | None = None,
    ) -> list[OutboxRow]:
        """Lease outbox rows due at ``now`` so that no other worker takes them meanwhile."""
        now = now or datetime.now(UTC)
        rows = self.write(
            lambda db: db.execute(
                """UPDATE outbox SET leased_until = ?, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE state = 'pending' AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until <= ?)
                    ORDER BY next_attempt_at, id LIMIT ?
                ) RETURNING id, submission_id, target, attempts""",
                (now_text(now + lease), now_text(now), now_text(now), limit),
            ).fetchall()
        )
        return sorted(
            (OutboxRow(r["id"], r["submission_id"], r["target"], r["attempts"]) for r in rows),
            key=lambda r: r.id,
        )

    def mark_sent(self, row_id: int) -> None:
        """The delivery succeeded."""
        self.mark_outcomes([Outcome(row_id, "sent")])

    def mark_retry(self, row_id: int, error: str, at: datetime) -> None:
        """A temporary failure: try again at ``at``."""
        self.mark_outcomes([Outcome(row_id, "retry", error, at)])

    def mark_dead(self, row_id: int, error: str) -> None:
        """A permanent failure, or retries exhausted: a dead letter until someone retries it."""
        self.mark_outcomes([Outcome(row_id, "dead", error)])

    def mark_outcomes(
        self,
        outcomes: list[Outcome],
        also: Callable[[sqlite3.Connection], object] | None = None,
    ) -> None:
        """Write what happened to several deliveries in one transaction: one commit (and one
        wait for the disk) per batch instead of one per row; ``also`` writes in the same
        transaction (a notice that must not be lost between two commits)."""
        stamp = now_text()

        def mark(db: sqlite3.Connection) -> None:
            for outcome in outcomes:
                if outcome.state == "sent":
                    db.execute(
                        "UPDATE outbox SET state = 'sent', sent_at = ?, leased_until = NULL, "
                        "last_error = NULL WHERE id = ?",
                        (stamp, outcome.row_id),
                    )
                elif outcome.state == "retry":
                    assert outcome.at is not None
                    db.execute(
                        "UPDATE outbox SET state = 'pending', next_attempt_at = ?, "
                        "leased_until = NULL, last_error = ? WHERE id = ?",
                        (now_text(outcome.at), outcome.error, outcome.row_id),
                    )
                elif outcome.state == "later":
                    assert outcome.at is not None
                    db.execute(
                        "UPDATE outbox SET state = 'pending', next_attempt_at = ?, "
                        "leased_until = NULL, attempts = MAX(attempts - 1, 0) WHERE id = ?",
                        (now_text(outcome.at), outcome.row_id),
                    )
                elif outcome.state == "dropped":
                    db.execute(
                        "UPDATE outbox SET state = 'dropped', leased_until = NULL, last_error = ? "
                        "WHERE id = ?",
                        (outcome.error, outcome.row_id),
                    )
                else:
                    db.execute(
                        "UPDATE outbox SET state = 'dead', leased_until = NULL, last_error = ? "
                        "WHERE id = ?",
                        (outcome.error, outcome.row_id),
                    )

        def mark_all(db: sqlite3.Connection) -> None:
            mark(db)
            if also is not None:
                also(db)

        if outcomes:
            self.write(mark_all)

    def retry_dead(self) -> int:
        """Put every dead letter back in the queue, due now; returns how many."""
        with self.transaction() as db:
            return db.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, leased_until = NULL WHERE state = 'dead'",
                (now_text(),),
            ).rowcount

    def outbox_summary(self) -> dict[str, int]:
        """How many deliveries are pending, sent or dead."""
        rows = self.connection().execute("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
        return {row["state"]: row["n"] for row in rows}

    def sms_summary(self) -> dict[str, int]:
        """How many SMS (outbox rows whose target is ``sms:<kind>``) are pending, sent or dead."""
        rows = self.connection().execute(
            "SELECT state, COUNT(*) AS n FROM outbox WHERE target LIKE 'sms:%' GROUP BY state"
        )
        return {row["state"]: row["n"] for row in rows}

    def dead_letters(self) -> list[dict[str, Any]]:
        """Dead letters with their last error (no personal data)."""
        rows = self.connection().execute(
            """SELECT outbox.id, outbox.submission_id, outbox.target, outbox.attempts, outbox.last_error, submissions.form, submissions.created_at
            FROM outbox JOIN submissions ON submissions.id = outbox.submission_id
            WHERE outbox.state = 'dead' ORDER BY outbox.id"""
        )
        return [dict(row) for row in rows]

    def spam_count(self) -> int:
        """How many suspected spams are kept apart."""
        return self.connection().execute("SELECT COUNT(*) FROM spam").fetchone()[0]

    def submissions(self) -> list[dict[str, Any]]:
        """Every submission, oldest first (for the CSV export)."""
        return [
            dict(r)
            for r in self.connection().execute("SELECT * FROM submissions ORDER BY created_at, id")
        ]

    def counts(self, column: str) -> dict[str, int]:
        """Number of submissions per value of one non-personal column."""
        allowed = {"form", "event_id", "commune", "source", "status", "channel"}
        if column not in allowed:
            raise ValueError(column)
        rows = self.connection().execute(
            f"SELECT COALESCE({column}, '') AS value, COUNT(*) AS n FROM submissions GROUP BY {column} ORDER BY n DESC, value"
        )
        return {row["value"]: row["n"] for row in rows}

    def purge(self, before: datetime, spam_before: datetime | None = None) -> tuple[int, int]:
        """Delete submissions whose last contact is before ``before`` (their outbox rows, dead
        letters included, go too), and spam received before ``spam_before`` (else ``before``)."""
        with self.transaction() as db:
            submissions = db.execute(
                "DELETE FROM submissions WHERE last_contact_at < ?", (now_text(before),)
            ).rowcount
            spam = db.execute(
                "DELETE FROM spam WHERE received_at < ?", (now_text(spam_before or before),)
            ).rowcount
        return submissions, spam

    def count_expired(self, before: datetime, spam_before: datetime) -> tuple[int, int]:
        """What :meth:`purge` would delete with these limits: submissions, spam."""
        db = self.connection()
        submissions = db.execute(
            "SELECT COUNT(*) FROM submissions WHERE last_contact_at < ?", (now_text(before),)
        ).fetchone()[0]
        spam = db.execute(
            "SELECT COUNT(*) FROM spam WHERE received_at < ?", (now_text(spam_before),)
        ).fetchone()[0]
        return submissions, spam

    def record_purge(self, at: datetime, removed: dict[str, int]) -> None:
        """Note that a purge ran (counts only), for ``forms status`` and the next purge."""
        self.write(
            lambda db: db.execute(
                "INSERT INTO purges (ran_at, removed) VALUES (?, ?)",
                (now_text(at), json.dumps(removed, sort_keys=True)),
            )
        )

    def last_purge(self) -> datetime | None:
        """When the last purge ran, if one ever did."""
        row = (
            self.connection()
            .execute("SELECT ran_at FROM purges ORDER BY ran_at DESC LIMIT 1")
            .fetchone()
        )
        return datetime.fromisoformat(row["ran_at"]) if row else None
