"""The retention purge: what the server deletes by itself, at the ages of ``retention.py``.

The running server purges every ``PURGE_EVERY`` (``app._worker``), so the privacy page's promises
hold without a cron job; ``porte-voix forms purge`` does the same at once, and ``forms status``
tells when the next purge runs and what it will remove.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from forms_backend.contributions.store import ContributionStore
from forms_backend.store import retention
from forms_backend.store.database import Store


@dataclass(frozen=True)
class Removed:
    """How many rows of each kind a purge removes (or would remove)."""

    submissions: int = 0
    contributions: int = 0
    letters: int = 0
    spam: int = 0

    def __str__(self) -> str:
        return (
            f"{self.submissions} demande(s) de plus de {retention.french_duration(retention.SUBMISSIONS)} "
            f"sans contact, {self.contributions} contribution(s) non publiée(s) envoyée(s) il y a "
            f"plus de {retention.french_duration(retention.CONTRIBUTIONS)}, {self.letters} "
            f"lettre(s) non remise(s) de plus de {retention.french_duration(retention.LETTERS)}, "
            f"{self.spam} spam(s) de plus de {retention.french_duration(retention.SPAM)}"
        )


def purge_expired(
    store: Store, uploads: Path, now: datetime, *, submissions_before: datetime | None = None
) -> Removed:
    """Delete everything past its retention age at ``now`` (with contributions' photos), and
    note the run. ``submissions_before``: an earlier limit for requests (``forms purge
    --older-than``)."""
    contributions = ContributionStore(store)
    submissions, spam = store.purge(
        submissions_before or now - retention.SUBMISSIONS, now - retention.SPAM
    )
    gone = contributions.purge(now - retention.CONTRIBUTIONS)
    for contribution in gone:
        if contribution.photo:
            (uploads / contribution.photo).unlink(missing_ok=True)
    letters = contributions.purge_letters(now - retention.LETTERS)
    removed = Removed(submissions, len(gone), letters, spam)
    store.record_purge(now, asdict(removed))
    if any(asdict(removed).values()):
        # secure_delete zeroes the pages in the file, but the write-ahead log still holds them
        # as they were (a story, a parent's address) until it is checkpointed and emptied.
        store.forget()
    return removed


def next_purge(store: Store, now: datetime) -> datetime:
    """When the running server purges next (now, if it never did or is late)."""
    last = store.last_purge()
    return max(now, last + retention.PURGE_EVERY) if last else now


def purge_if_due(store: Store, uploads: Path, now: datetime) -> Removed | None:
    """The worker's step: purge when the last purge is ``PURGE_EVERY`` old (or none ran)."""
    if next_purge(store, now) > now:
        return None
    return purge_expired(store, uploads, now)


def expected(store: Store, at: datetime) -> Removed:
    """What a purge at ``at`` would remove, counted without deleting anything."""
    submissions, spam = store.count_expired(at - retention.SUBMISSIONS, at - retention.SPAM)
    contributions, letters = ContributionStore(store).count_expired(
        at - retention.CONTRIBUTIONS, at - retention.LETTERS
    )
    return Removed(submissions, contributions, letters, spam)
