"""What happened to the requests: the counts the programme's report is made of, and the list of
young people still waiting for the counsellor's call.

The report side never leaves this module with a name, a phone number or an address: each
submission comes out as a :class:`Contact`, whose ``person`` is a one-way hash used only to
count a young person who wrote twice (a call-back request, then a sign-up) once.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from forms_backend.store.database import Store, now_text
from forms_backend.validator.phones import display_french_phone

# Requests the counsellor answers by calling back; event sign-ups are answered by the event.
CALL_BACK_FORMS = ("rappel", "orientation")
SHORT_ID = 8  # characters of the id shown in the digest and typed in ``forms done``


@dataclass(frozen=True)
class Contact:
    """One submission, without who sent it."""

    person: str
    form: str
    event_id: str | None
    status: str
    commune: str
    age: int
    channel: str
    source: str
    structure: str
    created_at: datetime
    came: bool = False  # a sign-up noted as present at its event (``forms presence``)


@dataclass(frozen=True)
class Waiting:
    """A request still waiting for a call back: what the counsellor needs to call, nothing more."""

    id: str
    form: str
    first_name: str
    phone: str
    email: str
    commune: str
    age: int
    channel: str
    referrer: str
    created_at: datetime

    @property
    def short_id(self) -> str:
        """The start of the id: enough to mark it done with ``forms done``."""
        return self.id[:SHORT_ID]


def contacts(store: Store) -> list[Contact]:
    """Every submission, oldest first, as counts can use it."""
    rows = store.connection().execute(
        """SELECT COALESCE(phone, LOWER(email), id) AS person, form, submissions.event_id,
                  status, commune,
                  age, channel, COALESCE(source, '') AS source,
                  COALESCE(referrer_structure, '') AS structure, created_at,
                  attendance.submission_id IS NOT NULL AS came
           FROM submissions LEFT JOIN attendance ON attendance.submission_id = submissions.id
           ORDER BY submissions.created_at, submissions.id"""
    )
    return [
        Contact(
            person=hashlib.sha256(row["person"].encode()).hexdigest(),
            form=row["form"],
            event_id=row["event_id"],
            status=row["status"],
            commune=row["commune"],
            age=row["age"],
            channel=row["channel"],
            source=row["source"],
            structure=row["structure"],
            created_at=datetime.fromisoformat(row["created_at"]),
            came=bool(row["came"]),
        )
        for row in rows
    ]


def waiting_since(store: Store, since: datetime) -> list[Waiting]:
    """Call-back requests and referrals received since ``since`` and not marked done, oldest first."""
    rows = store.connection().execute(
        f"""SELECT id, form, first_name, phone, email, commune, age, channel,
                   referrer_name, referrer_structure, referrer_contact, created_at
            FROM submissions
            WHERE called_back_at IS NULL AND created_at >= ?
              AND form IN ({", ".join("?" for _ in CALL_BACK_FORMS)})
            ORDER BY created_at, id""",
        (now_text(since), *CALL_BACK_FORMS),
    )
    return [
        Waiting(
            id=row["id"],
            form=row["form"],
            first_name=row["first_name"],
            phone=display_french_phone(row["phone"]) if row["phone"] else "",
            email=row["email"] or "",
            commune=row["commune"],
            age=row["age"],
            channel=row["channel"],
            referrer=", ".join(
                part
                for part in (
                    row["referrer_name"],
                    row["referrer_structure"],
                    row["referrer_contact"],
                )
                if part
            ),
            created_at=datetime.fromisoformat(row["created_at"]),
        )
        for row in rows
    ]


def waiting_before(store: Store, before: datetime) -> int:
    """How many older requests still wait (the digest mentions them, without listing them)."""
    return (
        store.connection()
        .execute(
            f"""SELECT COUNT(*) FROM submissions
            WHERE called_back_at IS NULL AND created_at < ?
              AND form IN ({", ".join("?" for _ in CALL_BACK_FORMS)})""",
            (now_text(before), *CALL_BACK_FORMS),
        )
        .fetchone()[0]
    )


class UnknownRequest(LookupError):
    """No request, or several, start with what was typed."""


def mark_called_back(store: Store, short_id: str, when: datetime | None = None) -> str:
    """Note that the young person of the request starting with ``short_id`` was called back;
    returns the full id. The last contact moves too: the retention period starts again."""
    typed = short_id.strip().lower()
    if len(typed) < 6:
        raise UnknownRequest(f"« {short_id} » est trop court : tape au moins 6 caractères")

    def mark(db: sqlite3.Connection) -> str:
        found = db.execute(
            "SELECT id FROM submissions WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
            (typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",),
        ).fetchall()
        if len(found) != 1:
            problem = "aucune demande" if not found else "plusieurs demandes"
            raise UnknownRequest(f"{problem} ne commence par « {short_id} »")
        stamp = now_text(when or datetime.now(UTC))
        db.execute(
            "UPDATE submissions SET called_back_at = ?, last_contact_at = ? WHERE id = ?",
            (stamp, stamp, found[0]["id"]),
        )
        return found[0]["id"]

    return store.write(mark)
