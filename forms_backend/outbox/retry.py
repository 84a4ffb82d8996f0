"""The retry policy shared by everything queued for sending (the counsellor's outbox rows and the
letters): growing delays, then a dead letter that a person looks at."""

from __future__ import annotations

from dataclasses import dataclass

# Seconds before each new try: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, then 8 h —
# about 32 hours in all, so a mail server down for a whole day loses nothing.
RETRY_DELAYS = (60, 300, 900, 1800, 3600, 7200, 14400, 28800, 28800, 28800)


def next_try(attempts: int) -> int | None:
    """Seconds before trying again after ``attempts`` tries, or ``None``: give up (dead letter)."""
    return None if attempts > len(RETRY_DELAYS) else RETRY_DELAYS[attempts - 1]


@dataclass
class Report:
    """What one pass of the worker did."""

    sent: int = 0
    retried: int = 0
    dead: int = 0
    dropped: int = 0  # reminders no longer to send (a place freed, an event cancelled)
    later: int = 0  # held past quiet hours
