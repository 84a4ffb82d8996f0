"""The day's SMS budget: at most ``PORTE_VOIX_SMS_PER_DAY`` SMS in any 24 hours.

Each number gets at most three confirmations a day and each connection a few places per event,
but someone with many connections and many numbers could still spend every SMS credit bought
from the provider in one night, and the reminders of the week would then not leave. Past the
budget, the young people's SMS wait (rows due again when the oldest of the window is 24 hours
old; a reminder whose event has started is then dropped as usual), and the counsellor is told
once per window, with what to do. The count lives in memory, on the worker's clock, and is
read back from the outbox (the SMS sent, the notices given) the first time it is asked after a
start: a restart (a deploy, a crash, a reboot) neither opens a fresh budget nor tells the
counsellor a second time.
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

    def restore(self, sent: list[datetime], told: list[datetime]) -> None:
        """What the outbox remembers: when SMS were sent, and when the counsellor was told the
        budget was spent (each told time is followed by silence until its window freed)."""
        with self._lock:
            self._sent = deque(sorted(set(self._sent) | set(sent)))
            for moment in sorted(told):
                window = [stamp for stamp in self._sent if moment - WINDOW < stamp <= moment]
                until = (window[0] if window else moment) + WINDOW
                if self._told_until is None or until > self._told_until:
                    self._told_until = until

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
