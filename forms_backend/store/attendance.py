"""Who is expected at an event, and who came: the attendance sheet's list and ``forms presence``.

A sign-up that came is one row of ``attendance`` (deleted with the sign-up by the retention
purge); people who came without signing up are one number per event in ``walk_ins``, nobody's
name. Recording is idempotent: the same reference twice is one presence, and the number of
walk-ins is set, not added, so running the same command again changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from forms_backend.store.database import Store, now_text
from forms_backend.store.follow_up import SHORT_ID

MIN_TYPED = 6  # characters of a reference typed by hand, at least (as ``forms done``)


@dataclass(frozen=True)
class Attendee:
    """A person signed up for an event, as the attendance sheet prints them."""

    id: str
    first_name: str
    commune: str

    @property
    def short_id(self) -> str:
        """The reference printed on the sheet and typed in ``forms presence``."""
        return self.id[:SHORT_ID]


def expected(store: Store, event_id: str) -> list[Attendee]:
    """The people with a place (not the waiting list) for ``event_id``, by first name."""
    rows = store.connection().execute(
        """SELECT id, first_name, commune FROM submissions
           WHERE form = 'inscription' AND event_id = ? AND status = 'inscrit'
           ORDER BY created_at, id""",
        (event_id,),
    )
    people = [Attendee(row["id"], row["first_name"], row["commune"]) for row in rows]
    return sorted(people, key=lambda person: person.first_name.casefold())


class UnknownReference(LookupError):
    """Some typed references name no sign-up of the event: nothing was recorded."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Presence:
    """What ``record_presence`` did: full ids newly noted, ids noted before, sign-ups that
    came from the waiting list, and the number of walk-ins now recorded (None: not given)."""

    new: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    from_waiting_list: list[str] = field(default_factory=list)
    walk_ins: int | None = None


def record_presence(
    store: Store,
    event_id: str,
    references: Iterable[str],
    walk_ins: int | None = None,
    when: datetime | None = None,
) -> Presence:
    """Note that the sign-ups named by ``references`` came to ``event_id``, and set its number
    of walk-ins; all or nothing: one unknown reference and nothing is written. Coming is a
    contact: the sign-up's retention period starts again."""
    typed = list(dict.fromkeys(reference.strip().lower() for reference in references))
    stamp = now_text(when or datetime.now(UTC))

    def record(db: sqlite3.Connection) -> Presence:
        found, problems = _resolve(db, event_id, typed)
        if problems:
            raise UnknownReference(problems)
        ids = list(dict.fromkeys(row["id"] for row in found))
        noted = {
            submission
            for submission in ids
            if db.execute(
                "SELECT 1 FROM attendance WHERE submission_id = ?", (submission,)
            ).fetchone()
        }
        new = [submission for submission in ids if submission not in noted]
        db.executemany(
            "INSERT INTO attendance (submission_id, event_id, recorded_at) VALUES (?, ?, ?)",
            [(submission, event_id, stamp) for submission in new],
        )
        db.executemany(
            "UPDATE submissions SET last_contact_at = ? WHERE id = ?",
            [(stamp, submission) for submission in new],
        )
        if walk_ins is not None:
            db.execute(
                """INSERT INTO walk_ins (event_id, people, recorded_at) VALUES (?, ?, ?)
                   ON CONFLICT (event_id) DO UPDATE
                   SET people = excluded.people, recorded_at = excluded.recorded_at""",
                (event_id, walk_ins, stamp),
            )
        waiting = [row["id"] for row in found if row["status"] != "inscrit"]
        return Presence(new, [i for i in ids if i in noted], list(dict.fromkeys(waiting)), walk_ins)

    return store.write(record)


def _resolve(
    db: sqlite3.Connection, event_id: str, typed: list[str]
) -> tuple[list[sqlite3.Row], list[str]]:
    """The sign-up of ``event_id`` each reference starts, and a French line per one that
    names none (too short, unknown, ambiguous, or another event's)."""
    found, problems = [], []
    for reference in typed:
        if len(reference) < MIN_TYPED:
            problems.append(
                f"« {reference} » est trop court : tape au moins {MIN_TYPED} caractères"
            )
            continue
        pattern = reference.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = db.execute(
            """SELECT id, status FROM submissions
               WHERE id LIKE ? ESCAPE '\\' AND form = 'inscription' AND event_id = ? LIMIT 2""",
            (pattern, event_id),
        ).fetchall()
        if len(rows) == 1:
            found.append(rows[0])
        elif rows:
            problems.append(
                f"plusieurs inscriptions commencent par « {reference} » : tape la référence entière"
            )
        elif db.execute(
            "SELECT 1 FROM submissions WHERE id LIKE ? ESCAPE '\\'", (pattern,)
        ).fetchone():
            problems.append(f"« {reference} » n'est pas une inscription à cet événement")
        else:
            problems.append(f"aucune inscription ne commence par « {reference} »")
    return found, problems


def resolve(
    db: sqlite3.Connection, event_id: str, references: Iterable[str]
) -> tuple[list[sqlite3.Row], list[str]]:
    """The sign-ups of ``event_id`` the references start (see ``_resolve``), each once."""
    typed = list(dict.fromkeys(reference.strip().lower() for reference in references))
    return _resolve(db, event_id, typed)


def walk_ins(store: Store) -> dict[str, int]:
    """How many people came without signing up, by event."""
    rows = store.connection().execute("SELECT event_id, people FROM walk_ins")
    return {row["event_id"]: row["people"] for row in rows}
