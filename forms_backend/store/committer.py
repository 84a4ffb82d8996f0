"""Group commit: many submissions arriving together share one durable ``COMMIT``.

With ``synchronous=FULL`` each commit waits for the disk, and SQLite has one writer at a time: one
commit per request makes every request queue behind the previous one's disk wait. Here a single
writer thread takes every write waiting at that moment, runs each inside its own ``SAVEPOINT`` (a
failing one is undone alone), commits them all at once, and only then answers each caller — so
nothing is acknowledged before it is on disk (the same idea as PostgreSQL's ``commit_delay``, with
no delay: a batch is whatever arrived during the previous commit).
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from forms_backend.store.database import Store

Job = Callable[[sqlite3.Connection], Any]
BATCH_LIMIT = 64


class GroupCommitter:
    """One writer thread over a ``Store``; ``run`` waits until the job's batch is committed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.SimpleQueue[tuple[Job, Future[Any]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    async def run(self, job: Job) -> Any:
        """Run ``job(db)`` in the next batch; returns its result once the batch is on disk."""
        return await asyncio.wrap_future(self.submit(job))

    def submit(self, job: Job) -> Future[Any]:
        """Queue ``job``; the future is resolved after the COMMIT (or fails with the job's error)."""
        self._ensure_started()
        future: Future[Any] = Future()
        self._queue.put((job, future))
        return future

    def is_writer_thread(self) -> bool:
        """True inside the writer thread (which must not queue work for itself)."""
        return threading.current_thread() is self._thread

    def stop(self) -> None:
        """Finish the queued jobs, then end the writer thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _ensure_started(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="porte-voix-commit", daemon=True
                )
                self._thread.start()

    def _loop(self) -> None:
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                batch = [first]
                while len(batch) < BATCH_LIMIT:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        self._queue.put(None)  # stop after this batch
                        break
                    batch.append(item)
                self._commit(batch)
        finally:
            self.store.close()

    def _commit(self, batch: list[tuple[Job, Future[Any]]]) -> None:
        # A caller that went away (its request cancelled) before its turn is skipped, unwritten;
        # once running, a future can no longer be cancelled, so answering it below cannot fail.
        batch = [(job, future) for job, future in batch if future.set_running_or_notify_cancel()]
        if not batch:
            return
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.store.transaction() as db:
                for job, _ in batch:
                    db.execute("SAVEPOINT job")
                    try:
                        outcomes.append((True, job(db)))
                    except Exception as error:
                        db.execute("ROLLBACK TO job")
                        outcomes.append((False, error))
                    db.execute("RELEASE job")
        except Exception as error:  # the COMMIT itself failed: nothing of this batch is stored
            for _, future in batch:
                future.set_exception(error)
            return
        for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
