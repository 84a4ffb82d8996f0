"""The day's SMS budget: at most ``PORTE_VOIX_SMS_PER_DAY`` SMS in any 24 hours.

Each number gets at most three confirmations a day and each connection a few places per event,
but someone with many connections and many numbers could still spend every SMS credit bought
from the provider in one night, and the reminders of the week would then not leave. Past the
budget, the young people's SMS wait (rows due again when the oldest of the window is 24 hours
old; a reminder whose event has started is then dropped as usual), and the counsellor is told
once per window, with what to do. The count lives in memory, on the worker's clock: a restart
forgets it, which only an operator can cause.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

WINDOW = timedelta(days=1)


class SmsBudget:
    """The SMS sent in the last 24 hours, and whether one more may go."""

    def __init__(self, per_day: int) -> None:
        self.per_day = per_day
        self._sent: deque[datetime] = deque()
        self._told_until: datetime | None = None
        self._lock = threading.Lock()

    def next_free(self, now: datetime) -> datetime | None:
        """``None`` when one more SMS may go now; else when the window frees a place."""
        with self._lock:
            while self._sent and self._sent[0] <= now - WINDOW:
                self._sent.popleft()
            if len(self._sent) < self.per_day:
                return None
            return self._sent[0] + WINDOW

    def spent(self, now: datetime) -> None:
        """One SMS has gone (the provider accepted it, or it was written to a file)."""
        with self._lock:
            self._sent.append(now)

    def first_to_tell(self, now: datetime, until: datetime) -> bool:
        """True once per spent window: the counsellor is told the first time SMS wait."""
        with self._lock:
            if self._told_until is not None and now < self._told_until:
                return False
            self._told_until = until
            return True
