"""Group commit on a real SQLite file: many simultaneous sign-ups share commits, yet each is
counted exactly, a failing one is undone alone, and nothing is answered before it is on disk."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from forms_backend.store.committer import GroupCommitter
from forms_backend.store.database import Store


def sign_up(event_id: str) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "form": "inscription",
        "event_id": event_id,
        "first_name": "Inès",
        "phone": "+33612345678",
        "commune": "Frouard",
        "age": 19,
        "channel": "sms",
    }


def statuses(path: Path) -> dict[str, int]:
    """Read with a connection of its own: only what was committed is seen."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT status, COUNT(*) FROM submissions GROUP BY status").fetchall()
    return dict(rows)


def test_simultaneous_sign_ups_fill_the_places_exactly(tmp_path: Path) -> None:
    store = Store(tmp_path / "formulaires.sqlite3")
    store.migrate()
    committer = GroupCommitter(store)
    store.committer = committer
    answers: list[str] = []
    lock = threading.Lock()

    def person() -> None:
        values = sign_up("atelier-cv")
        recorded = committer.submit(
            lambda db: store.insert_submission(db, values, ["email"], capacity=12)
        ).result()
        with lock:
            answers.append(recorded.status)

    threads = [threading.Thread(target=person) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    committer.stop()
    assert answers.count("inscrit") == 12 and answers.count("liste_attente") == 28
    assert statuses(store.path) == {"inscrit": 12, "liste_attente": 28}
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 40


def test_a_failing_write_is_undone_alone_and_its_caller_sees_the_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "formulaires.sqlite3")
    store.migrate()
    committer = GroupCommitter(store)
    good = sign_up("forum")
    half = sign_up("forum")

    def fails_after_writing(db: sqlite3.Connection) -> None:
        store.insert_submission(db, half, ["email"])
        raise RuntimeError("disque plein")

    # Queued back to back: usually one batch, one transaction; either way each stands alone.
    futures = [
        committer.submit(fails_after_writing),
        committer.submit(lambda db: store.insert_submission(db, good, ["email"])),
    ]
    with pytest.raises(RuntimeError, match="disque plein"):
        futures[0].result()
    assert futures[1].result().status == "inscrit"
    committer.stop()
    with sqlite3.connect(store.path) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM submissions")}
        outbox = {row[0] for row in db.execute("SELECT submission_id FROM outbox")}
    assert stored == outbox == {good["id"]}  # nothing half-written of the failed one


class WatchedCommitter(GroupCommitter):
    """The real committer, noting in which thread each job it was given ran."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.ran_in: list[str] = []

    def submit(self, job: Callable[[sqlite3.Connection], Any]) -> Future[Any]:
        def noted(db: sqlite3.Connection) -> Any:
            self.ran_in.append(threading.current_thread().name)
            return job(db)

        return super().submit(noted)


def test_the_workers_writes_go_through_the_committer_and_are_durable(tmp_path: Path) -> None:
    store = Store(tmp_path / "formulaires.sqlite3")
    store.migrate()
    committer = WatchedCommitter(store)
    store.committer = committer
    rows = []
    # Through the committer: each write ran in its writer thread, in a batch it committed (a
    # worker writing on its own would wait behind, and slow down, every batch).
    for write in (
        lambda: store.record(sign_up("forum"), ["email"]),
        lambda: rows.extend(store.claim_due()),
        lambda: store.mark_sent(rows[0].id),
    ):
        before = len(committer.ran_in)
        write()
        assert len(committer.ran_in) > before
    assert set(committer.ran_in) == {"porte-voix-commit"}
    # Durable once answered: another connection sees the row sent before the committer stops.
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT state FROM outbox").fetchall() == [("sent",)]
    committer.stop()
