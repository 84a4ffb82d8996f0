"""When a reminder may reach a young person: never between 20:00 and 08:00, never on Sunday
(Paris time). A reminder due in those hours is moved to the next allowed moment, and dropped
if the event has started by then."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAY_STARTS, DAY_ENDS = time(8, 0), time(20, 0)
SUNDAY = 6


def allowed(moment: datetime) -> bool:
    """True when a reminder may be sent at ``moment``."""
    local = moment.astimezone(PARIS)
    return local.weekday() != SUNDAY and DAY_STARTS <= local.time() < DAY_ENDS


def next_allowed(moment: datetime) -> datetime:
    """``moment`` itself when allowed, else the next 08:00 that is not a Sunday (Paris time)."""
    if allowed(moment):
        return moment
    local = moment.astimezone(PARIS)
    day = local.date() if local.time() < DAY_STARTS else local.date() + timedelta(days=1)
    if day.weekday() == SUNDAY:
        day += timedelta(days=1)
    # Built from the wall-clock time (not by adding hours): right across a change of summer time.
    return datetime.combine(day, DAY_STARTS, tzinfo=PARIS)
