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
    sms_files: int = 0

    def __str__(self) -> str:
        return (
            f"{self.submissions} demande(s) de plus de {retention.french_duration(retention.SUBMISSIONS)} "
            f"sans contact, {self.contributions} contribution(s) non publiée(s) envoyée(s) il y a "
            f"plus de {retention.french_duration(retention.CONTRIBUTIONS)}, {self.letters} "
            f"lettre(s) non remise(s) de plus de {retention.french_duration(retention.LETTERS)}, "
            f"{self.spam} spam(s) de plus de {retention.french_duration(retention.SPAM)}, "
            f"{self.sms_files} SMS non envoyé(s) (fichiers) de plus de "
            f"{retention.french_duration(retention.UNSENT_SMS)}"
        )


def purge_expired(
    store: Store,
    uploads: Path,
    now: datetime,
    *,
    submissions_before: datetime | None = None,
    sms_dir: Path | None = None,
) -> Removed:
    """Delete everything past its retention age at ``now`` (with contributions' photos, and the
    SMS files written in ``sms_dir`` when no provider is set), and note the run.
    ``submissions_before``: an earlier limit for requests (``forms purge --older-than``)."""
    contributions = ContributionStore(store)
    submissions, spam = store.purge(
        submissions_before or now - retention.SUBMISSIONS, now - retention.SPAM
    )
    gone = contributions.purge(now - retention.CONTRIBUTIONS)
    for contribution in gone:
        if contribution.photo:
            (uploads / contribution.photo).unlink(missing_ok=True)
    letters = contributions.purge_letters(now - retention.LETTERS)
    sms_files = _old_sms_files(sms_dir, now - retention.UNSENT_SMS)
    for path in sms_files:
        path.unlink(missing_ok=True)
    removed = Removed(submissions, len(gone), letters, spam, len(sms_files))
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


def purge_if_due(
    store: Store, uploads: Path, now: datetime, sms_dir: Path | None = None
) -> Removed | None:
    """The worker's step: purge when the last purge is ``PURGE_EVERY`` old (or none ran)."""
    if next_purge(store, now) > now:
        return None
    return purge_expired(store, uploads, now, sms_dir=sms_dir)


def expected(store: Store, at: datetime, sms_dir: Path | None = None) -> Removed:
    """What a purge at ``at`` would remove, counted without deleting anything."""
    submissions, spam = store.count_expired(at - retention.SUBMISSIONS, at - retention.SPAM)
    contributions, letters = ContributionStore(store).count_expired(
        at - retention.CONTRIBUTIONS, at - retention.LETTERS
    )
    sms_files = len(_old_sms_files(sms_dir, at - retention.UNSENT_SMS))
    return Removed(submissions, contributions, letters, spam, sms_files)


def _old_sms_files(sms_dir: Path | None, before: datetime) -> list[Path]:
    """The SMS files (and any half-written one in ``tmp/``) last written before ``before``."""
    if sms_dir is None or not sms_dir.is_dir():
        return []
    limit = before.timestamp()
    return [
        path
        for path in (*sms_dir.glob("*.txt"), *sms_dir.glob("tmp/*.txt"))
        if path.is_file() and path.stat().st_mtime < limit
    ]
