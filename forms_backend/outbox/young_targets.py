"""The messages a young person gets about an event, as outbox targets (the row's key).

A target is ``<channel>:<kind>`` or ``<channel>:<kind>:<detail>``: the channel (``sms`` or
``courriel``) is chosen once, at sign-up, so ``forms status`` counts SMS; the detail makes a
key unique where one kind may come back (a reminder for a new date, a second change). The outbox
keeps ``UNIQUE (submission_id, target)``: each message goes at most once per sign-up, whatever
restarts or rebuilds happen. Texts are made when a row is sent, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from forms_backend.outbox.quiet_hours import next_allowed
from forms_backend.validator.phones import is_french_mobile

PARIS = ZoneInfo("Europe/Paris")
SMS, MAIL, COUNSELLOR = "sms", "courriel", "conseillere"
CONFIRMATION = "confirmation"
BEFORE, MORNING = "rappel-avant", "rappel-matin"
PROMOTED = "place"  # a place came free for someone waiting
PROMOTED_UNTOLD = "place-non-prevenue"  # to the counsellor: one the daily cap keeps untold
CHANGED = "changement"
FREED = "liberation"  # to the counsellor: someone freed her place
UNSURE = "envoi-incertain"  # to the counsellor: an SMS cut short by a crash, not sent again
UNREACHED = "changement-sans-canal"  # to the counsellor: a change told to no one (no channel)
UNDELIVERED = "non-recu"  # to the counsellor: a message refused, or given up after retries
SMS_WAITING = "sms-en-attente"  # to the counsellor: the day's SMS budget is spent
MORNING_AT = time(8, 0)
# Rows still pending for a place that is freed (or an event cancelled): no reminder goes.
REMINDER_PATTERNS = (f"%:{BEFORE}%", f"%:{MORNING}%")


@dataclass(frozen=True)
class Reminders:
    """The site setting ``rappels`` (published in the events manifest): a reminder
    ``days_before`` the event (0: none), and one on its morning."""

    days_before: int = 2
    morning: bool = True


@dataclass(frozen=True)
class Target:
    """A target read back: channel, kind and detail."""

    channel: str
    kind: str
    detail: str = ""


def parse(target: str) -> Target:
    """``sms:rappel-avant:202612051400`` → its parts."""
    channel, _, rest = target.partition(":")
    kind, _, detail = rest.partition(":")
    return Target(channel, kind, detail)


def young_channel(values: dict[str, Any]) -> str | None:
    """How to reach her: e-mail when she chose it and gave an address; else SMS when her number
    is a French mobile (the SMS folder counts as configured); else e-mail; else nothing."""
    email, phone = values.get("email") or "", values.get("phone") or ""
    if values.get("channel") == "email" and email:
        return MAIL
    if is_french_mobile(phone):
        return SMS
    return MAIL if email else None


def target(channel: str, kind: str, detail: str = "") -> str:
    """A target string (see the module's docstring)."""
    return f"{channel}:{kind}:{detail}" if detail else f"{channel}:{kind}"


def start_key(start: datetime) -> str:
    """A reminder's detail: the start it reminds of (a new date gets new reminders)."""
    return start.astimezone(PARIS).strftime("%Y%m%d%H%M")


def reminder_rows(
    channel: str, start: datetime, settings: Reminders, now: datetime
) -> list[tuple[str, datetime]]:
    """The reminders of a place taken at ``now``: (target, not before), each moved out of quiet
    hours; none that would come after the start, or that is already past (the confirmation
    has just said it all)."""
    rows = []
    local = start.astimezone(PARIS)
    if settings.days_before > 0:
        rows.append((BEFORE, next_allowed(start - timedelta(days=settings.days_before))))
    if settings.morning:
        morning = datetime.combine(local.date(), MORNING_AT, tzinfo=PARIS)
        rows.append((MORNING, next_allowed(morning)))
    return [
        (target(channel, kind, start_key(start)), due)
        for kind, due in rows
        if now < due < start and (kind != BEFORE or due.date() != local.date())
    ]
