"""Contributions waiting for moderation, and the letters (e-mails to people, not to the
counsellor) that go with them — the SQL of both, beside ``store.py`` which keeps submissions.

Nothing here lasts longer than needed: an accepted or rejected contribution is deleted (its
content file holds the consent record, a parent's address only as a fingerprint), a sent letter
is deleted, and the rest is purged at the ages of ``retention.py``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from forms_backend.store.database import Store, now_text

AWAITING_GUARDIAN, TO_REVIEW = "attente_parent", "a_relire"
PARENT_SUBJECT = "Votre accord pour un témoignage"
PARENT_LETTER, NOTICE = "accord-parent", "avis"  # letters.kind
# What a parent declares when accepting (contributions.guardian_declaration).
OTHER_PARENT_AGREES, SOLE_AUTHORITY = "accord-autre-parent", "autorite-seule"
DECLARATIONS = (OTHER_PARENT_AGREES, SOLE_AUTHORITY)
# Requests one parent's address may have waiting for an answer at once. Anyone can type any
# address as « a parent's e-mail »: without a bound, one person could have the Mission Locale
# send a stranger a letter a minute. Three covers a young person who sends again (or siblings).
PARENT_WAITING_LIMIT = 3


class ParentBusy(Exception):
    """This parent's address already has ``PARENT_WAITING_LIMIT`` requests waiting: no more."""


@dataclass(frozen=True)
class Contribution:
    """One contribution as staff see it."""

    id: str
    kind: str
    status: str
    fields: dict[str, str]
    photo: str | None
    photo_consent: bool
    consent_at: str
    contributor_email: str | None
    guardian_email: str | None
    guardian_confirmed_at: str | None
    created_at: str
    guardian_declaration: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Contribution:
        """Build from a ``contributions`` row."""
        return cls(
            id=row["id"],
            kind=row["kind"],
            status=row["status"],
            fields=json.loads(row["fields"]),
            photo=row["photo"],
            photo_consent=bool(row["photo_consent"]),
            consent_at=row["consent_at"],
            contributor_email=row["contributor_email"],
            guardian_email=row["guardian_email"],
            guardian_confirmed_at=row["guardian_confirmed_at"],
            created_at=row["created_at"],
            guardian_declaration=row["guardian_declaration"],
        )


@dataclass(frozen=True)
class Letter:
    """An e-mail to send to a person: a contributor's notice (``body`` kept), or a parent's
    consent request (``kind`` PARENT_LETTER: written when sent, with a new link each time)."""

    id: int
    recipient: str
    subject: str
    body: str
    attempts: int
    kind: str = NOTICE
    contribution_id: str | None = None


class ContributionStore:
    """Contributions and letters in the backend's database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        contribution_id: str,
        kind: str,
        fields: dict[str, str],
        *,
        photo: str | None,
        photo_consent: bool,
        contributor_email: str | None,
        guardian_email: str | None,
        submission_id: str | None = None,
    ) -> bool:
        """Keep a contribution (and, with ``guardian_email``, a parent's letter to write and send
        later, in the same transaction); False, with nothing written, when ``submission_id``
        (the form's own id) was already kept. No link exists before the letter is sent."""
        stamp = now_text()

        def job(db: sqlite3.Connection) -> bool:
            if submission_id and _has_submission(db, submission_id):
                return False
            if guardian_email and _waiting_for(db, guardian_email) >= PARENT_WAITING_LIMIT:
                raise ParentBusy
            db.execute(
                """INSERT INTO contributions (id, kind, status, fields, photo, photo_consent,
                consent_at, contributor_email, guardian_email, guardian_token_hash,
                guardian_expires_at, created_at, updated_at, submission_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    contribution_id,
                    kind,
                    AWAITING_GUARDIAN if guardian_email else TO_REVIEW,
                    json.dumps(fields, ensure_ascii=False),
                    photo,
                    int(photo_consent),
                    stamp,
                    contributor_email,
                    guardian_email,
                    None,
                    None,
                    stamp,
                    stamp,
                    submission_id,
                ),
            )
            if guardian_email:
                _queue(
                    db,
                    guardian_email,
                    PARENT_SUBJECT,
                    "",
                    kind=PARENT_LETTER,
                    contribution_id=contribution_id,
                )
            return True

        return self.store.write(job)

    def has_submission(self, submission_id: str) -> bool:
        """Whether the form with this id was already kept (a second post of it stores nothing)."""
        return _has_submission(self.store.connection(), submission_id)

    def by_token(self, token_hash: str) -> tuple[Contribution, str] | None:
        """The contribution a parent's link points to, and when the link expires."""
        row = (
            self.store.connection()
            .execute("SELECT * FROM contributions WHERE guardian_token_hash = ?", (token_hash,))
            .fetchone()
        )
        return (Contribution.from_row(row), row["guardian_expires_at"]) if row else None

    def get(self, contribution_id: str) -> Contribution | None:
        """One contribution by its whole id."""
        row = (
            self.store.connection()
            .execute("SELECT * FROM contributions WHERE id = ?", (contribution_id,))
            .fetchone()
        )
        return Contribution.from_row(row) if row else None

    def renew_guardian_link(
        self, contribution_id: str, token_hash: str, expires: datetime
    ) -> Contribution | None:
        """A parent's letter is being sent: its new link replaces any earlier one (a link from
        a failed attempt no longer works). ``None`` when nobody waits for this parent any more."""

        def job(db: sqlite3.Connection) -> Contribution | None:
            row = db.execute(
                """UPDATE contributions SET guardian_token_hash = ?, guardian_expires_at = ?
                WHERE id = ? AND status = ? RETURNING *""",
                (token_hash, now_text(expires), contribution_id, AWAITING_GUARDIAN),
            ).fetchone()
            return Contribution.from_row(row) if row else None

        return self.store.write(job)

    def confirm_guardian(self, contribution_id: str, declaration: str, token_hash: str) -> bool:
        """The parent agreed: keep when and what they declared, forget the link, and put it up
        for review. Only while that link still works, checked in the same write: False (nothing
        written) when a refusal, a purge or a new letter's link came first."""
        if declaration not in DECLARATIONS:
            raise ValueError(declaration)
        stamp = now_text()
        return self.store.write(
            lambda db: (
                db.execute(
                    """UPDATE contributions SET status = ?, guardian_confirmed_at = ?,
                guardian_declaration = ?, guardian_token_hash = NULL, updated_at = ?
                WHERE id = ? AND status = ? AND guardian_token_hash = ?
                AND guardian_expires_at > ?""",
                    (
                        TO_REVIEW,
                        stamp,
                        declaration,
                        stamp,
                        contribution_id,
                        AWAITING_GUARDIAN,
                        token_hash,
                        stamp,
                    ),
                ).rowcount
                == 1
            )
        )

    def all(self) -> list[Contribution]:
        """Every contribution, oldest first."""
        rows = self.store.connection().execute("SELECT * FROM contributions ORDER BY created_at")
        return [Contribution.from_row(row) for row in rows]

    def find(self, prefix: str) -> list[Contribution]:
        """Contributions whose id starts with ``prefix`` (staff type the first characters)."""
        rows = self.store.connection().execute(
            "SELECT * FROM contributions WHERE id LIKE ? ORDER BY created_at",
            (prefix.replace("%", "").replace("_", "") + "%",),
        )
        return [Contribution.from_row(row) for row in rows]

    def remove(self, contribution_id: str, letter: tuple[str, str, str] | None = None) -> None:
        """Delete a contribution (accepted or rejected), queueing a notice in the same step."""

        def job(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM contributions WHERE id = ?", (contribution_id,))
            if letter:
                _queue(db, *letter)

        self.store.write(job)
        self.store.forget()

    def counts(self) -> dict[str, int]:
        """How many contributions wait, per status."""
        rows = self.store.connection().execute(
            "SELECT status, COUNT(*) AS n FROM contributions GROUP BY status"
        )
        return {row["status"]: row["n"] for row in rows}

    def purge(self, sent_before: datetime) -> list[Contribution]:
        """Delete what was sent before ``sent_before`` and is still here (never published: a
        published or refused one is deleted at once). Counted from the sending, not from the last
        change, so that no update extends it. Returns them, to delete their photos."""
        limit = now_text(sent_before)

        def job(db: sqlite3.Connection) -> list[Contribution]:
            rows = db.execute(
                "DELETE FROM contributions WHERE created_at < ? RETURNING *", (limit,)
            ).fetchall()
            return [Contribution.from_row(row) for row in rows]

        return self.store.write(job)

    def purge_letters(self, written_before: datetime) -> int:
        """Delete letters written before ``written_before`` that are still here — undelivered
        ones, dead letters above all: each holds an address (and a minor's first name and age)."""
        limit = now_text(written_before)
        return self.store.write(
            lambda db: db.execute("DELETE FROM letters WHERE created_at < ?", (limit,)).rowcount
        )

    def count_expired(self, sent_before: datetime, letters_before: datetime) -> tuple[int, int]:
        """What the two purges above would delete: contributions, letters."""
        db = self.store.connection()
        contributions = db.execute(
            "SELECT COUNT(*) FROM contributions WHERE created_at < ?", (now_text(sent_before),)
        ).fetchone()[0]
        letters = db.execute(
            "SELECT COUNT(*) FROM letters WHERE created_at < ?", (now_text(letters_before),)
        ).fetchone()[0]
        return contributions, letters

    # Letters: the same retry rules as the counsellor's outbox (outbox.RETRY_DELAYS).

    def claim_letters(
        self, lease: timedelta = timedelta(minutes=5), *, held: tuple[str, ...] = ()
    ) -> list[Letter]:
        """Lease the letters due now, except those of the ``held`` kinds (left pending)."""
        now = datetime.now(UTC)
        kinds = ", ".join("?" * len(held)) or "''"

        def job(db: sqlite3.Connection) -> list[Any]:
            return db.execute(
                f"""UPDATE letters SET leased_until = ?, attempts = attempts + 1
                WHERE id IN (SELECT id FROM letters WHERE state = 'pending' AND next_attempt_at <= ?
                AND (leased_until IS NULL OR leased_until <= ?) AND kind NOT IN ({kinds})
                ORDER BY id LIMIT 20)
                RETURNING id, recipient, subject, body, attempts, kind, contribution_id""",
                (now_text(now + lease), now_text(now), now_text(now), *held),
            ).fetchall()

        return sorted(
            (
                Letter(
                    r["id"],
                    r["recipient"],
                    r["subject"],
                    r["body"],
                    r["attempts"],
                    r["kind"],
                    r["contribution_id"],
                )
                for r in self.store.write(job)
            ),
            key=lambda letter: letter.id,
        )

    def letter_sent(self, letter_id: int) -> None:
        """Sent: nothing about it is kept, not even in the write-ahead log (an address, a first
        name: letters are few, emptying the log each time costs nothing)."""
        self.store.write(lambda db: db.execute("DELETE FROM letters WHERE id = ?", (letter_id,)))
        self.store.forget()

    def letter_later(self, letter_id: int, error: str, at: datetime) -> None:
        """A temporary failure: try again at ``at``."""
        self.store.write(
            lambda db: db.execute(
                "UPDATE letters SET next_attempt_at = ?, leased_until = NULL, last_error = ? WHERE id = ?",
                (now_text(at), error, letter_id),
            )
        )

    def letter_dead(self, letter_id: int, error: str) -> None:
        """A permanent failure: kept for ``forms status`` and ``forms retry``."""
        self.store.write(
            lambda db: db.execute(
                "UPDATE letters SET state = 'dead', leased_until = NULL, last_error = ? WHERE id = ?",
                (error, letter_id),
            )
        )

    def letter_counts(self) -> dict[str, int]:
        """Letters pending or dead."""
        rows = self.store.connection().execute(
            "SELECT state, COUNT(*) AS n FROM letters GROUP BY state"
        )
        return {row["state"]: row["n"] for row in rows}

    def pending_parent_letters(self) -> int:
        """Parents' letters not sent yet (held while the organisation's contact is missing)."""
        return (
            self.store.connection()
            .execute(
                "SELECT COUNT(*) FROM letters WHERE state = 'pending' AND kind = ?",
                (PARENT_LETTER,),
            )
            .fetchone()[0]
        )

    def retry_dead_letters(self) -> int:
        """Put every dead letter back in the queue."""
        return self.store.write(
            lambda db: (
                db.execute(
                    "UPDATE letters SET state = 'pending', attempts = 0, next_attempt_at = ?, leased_until = NULL WHERE state = 'dead'",
                    (now_text(),),
                ).rowcount
            )
        )


def _has_submission(db: sqlite3.Connection, submission_id: str) -> bool:
    row = db.execute("SELECT 1 FROM contributions WHERE submission_id = ?", (submission_id,))
    return row.fetchone() is not None


def _waiting_for(db: sqlite3.Connection, guardian_email: str) -> int:
    """Contributions this parent can still answer (the address compared without case): the
    letter not sent yet, or its link still working. After 7 days without an answer, the young
    person can ask again (the letters to one address stay at three a week at most)."""
    row = db.execute(
        """SELECT COUNT(*) FROM contributions WHERE status = ?
        AND lower(guardian_email) = lower(?)
        AND (guardian_expires_at IS NULL OR guardian_expires_at > ?)""",
        (AWAITING_GUARDIAN, guardian_email, now_text()),
    )
    return int(row.fetchone()[0])


def _queue(
    db: sqlite3.Connection,
    recipient: str,
    subject: str,
    body: str,
    *,
    kind: str = NOTICE,
    contribution_id: str | None = None,
) -> None:
    stamp = now_text()
    db.execute(
        """INSERT INTO letters (recipient, subject, body, kind, contribution_id, next_attempt_at,
        created_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (recipient, subject, body, kind, contribution_id, stamp, stamp),
    )
