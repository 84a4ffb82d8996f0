"""Places filled by made-up numbers: what event tools do for free events, without hurting a
partner who signs up several young people from one office.

- **One place per phone number or e-mail per event**: a second sign-up with a number or an
  address already holding a place (or waiting) is kept, on the waiting list, held for the
  counsellor — a partner who typed her office's number for two young people loses nothing,
  the counsellor confirms the second with ``porte-voix forms confirmer``.
- **At most** ``PER_CLIENT`` **places per connection per event and per day**
  (``PORTE_VOIX_PLACES_PER_CONNECTION``): past them, a
  sign-up from the same address (an office's one public address, or one attacker) is kept on
  the waiting list, held, and the counsellor is told in its e-mail; she confirms the true ones
  (``forms confirmer``) and frees the false ones (``forms liberer``), which sends nothing to
  their numbers. A held sign-up never moves up the waiting list by itself.

The count per address lives in memory only (like the rate limiter): no IP address, nor any
hash of one, is written to the database. A restart forgets it, which only helps an attacker
who can restart the server.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import unicodedata
from collections import defaultdict, deque
from typing import Any

from forms_backend.validator.addresses import same_mailbox

PER_CLIENT = 6  # a partner's group fits; a script filling 20 places does not
WINDOW = 24 * 3600.0
SAME_CONTACT = "même numéro ou e-mail qu'une autre inscription à cet événement"
MANY_FROM_ONE = (
    f"plus de {PER_CLIENT} inscriptions à cet événement depuis la même connexion en 24 h"
)


class PlaceGuard:
    """Counts places taken per (client address, event) over ``WINDOW`` seconds."""

    def __init__(self, limit: int = PER_CLIENT, window: float = WINDOW) -> None:
        self.limit, self.window = limit, window
        self._taken: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def full(self, client: str, event_id: str, now: float | None = None) -> bool:
        """True when this address already took ``limit`` places at this event."""
        with self._lock:
            return len(self._recent(client, event_id, now)) >= self.limit

    def count(self, client: str, event_id: str, now: float | None = None) -> None:
        """One more sign-up from this address for this event."""
        with self._lock:
            self._recent(client, event_id, now).append(time.monotonic() if now is None else now)

    def _recent(self, client: str, event_id: str, now: float | None) -> deque[float]:
        moment = time.monotonic() if now is None else now
        stamps = self._taken[(client, event_id)]
        while stamps and stamps[0] <= moment - self.window:
            stamps.popleft()
        return stamps


def _same_contact(db: sqlite3.Connection, values: dict[str, Any]) -> list[sqlite3.Row]:
    """The sign-ups holding a place or waiting at this event with this number or mailbox."""
    event_id = values.get("event_id") or ""
    phone, email = values.get("phone") or "", values.get("email") or ""
    plain, tagged = same_mailbox(email) if email else ("", "")
    return db.execute(
        "SELECT id, status, first_name FROM submissions WHERE event_id = ? "
        "AND status IN ('inscrit', 'liste_attente') "
        "AND ((phone IS NOT NULL AND phone != '' AND phone = ?) "
        "OR (email IS NOT NULL AND email != '' AND ? != '' "
        "AND (lower(email) = ? OR lower(email) LIKE ? ESCAPE '\\'))) ORDER BY created_at",
        (event_id, phone, plain, plain, tagged),
    ).fetchall()


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def name_key(first_name: str) -> str:
    """A first name as typed in two tries: « Inès », « ines », « INES » are one, and so are
    « Marie-Ève », « Marie Ève » and « marie  eve », « N’Dèye » and « n'deye », « Lætitia » and
    « Laetitia »: only letters and digits count, without accents, case nor ligatures."""
    decomposed = unicodedata.normalize("NFKD", first_name.casefold().translate(_LIGATURES))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def signed_up_already(db: sqlite3.Connection, values: dict[str, Any]) -> tuple[str, str] | None:
    """The id and status of this young person's own sign-up to this event — same number or
    mailbox, same first name — or ``None``. Signing up again (she forgot, or was not sure it
    went through) must not put her on the waiting list beside her own place, nor send her a
    second confirmation that says she waits."""
    name = name_key(values.get("first_name") or "")
    for row in _same_contact(db, values):
        if name_key(row["first_name"] or "") == name:
            return row["id"], row["status"]
    return None


def hold_reason(
    db: sqlite3.Connection, values: dict[str, Any], guard: PlaceGuard, client: str
) -> str | None:
    """Why this new sign-up is held for the counsellor, or ``None`` (run inside the sign-up's
    write, so that two sign-ups at once see each other)."""
    event_id = values.get("event_id") or ""
    if _same_contact(db, values):
        return SAME_CONTACT
    if guard.full(client, event_id):
        return (
            f"plus de {guard.limit} places prises à cet événement depuis la même connexion en 24 h"
        )
    return None
