"""Sending one message to a young person (an outbox row ``sms:…`` or ``courriel:…``): its text
is made now from the sign-up and the published event, and a reminder that should no longer go
(a place freed, an event cancelled, moved or started) is dropped, or held past quiet hours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from forms_backend.config import BackendConfig
from forms_backend.intake.events import CANCELLED, EventCatalogue, PublicEvent, from_facts
from forms_backend.intake.organisation import read_organisation
from forms_backend.intake.place_links import link
from forms_backend.outbox import sms_templates, young_mail
from forms_backend.outbox.event_watch import what_changed
from forms_backend.outbox.failures import PermanentFailure
from forms_backend.outbox.mail import Mailer
from forms_backend.outbox.quiet_hours import allowed, next_allowed
from forms_backend.outbox.seats import starts_at
from forms_backend.outbox.sms import SmsSender
from forms_backend.outbox.sms_budget import WINDOW, SmsBudget
from forms_backend.outbox.young_targets import (
    BEFORE,
    CHANGED,
    CONFIRMATION,
    COUNSELLOR,
    MAIL,
    MORNING,
    PROMOTED,
    SMS,
    SMS_WAITING,
    Target,
    parse,
    start_key,
    target,
)
from forms_backend.store import event_messages as sql
from forms_backend.store.database import OutboxRow, Store

UNPUBLISHED_RETRY = timedelta(minutes=30)
_SAFE_ID = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


class Dropped(Exception):
    """This message is no longer to be sent (the reason names no person)."""


class Later(Exception):
    """Not now (quiet hours): due again at ``at``."""

    def __init__(self, at: datetime) -> None:
        super().__init__(at.isoformat())
        self.at = at


class YoungMessages:
    """Makes and sends the young person's messages by SMS or e-mail."""

    def __init__(
        self,
        store: Store,
        config: BackendConfig,
        events: EventCatalogue,
        sms: SmsSender,
        secret: Callable[[], str],
    ) -> None:
        self.store, self.config, self.events, self.sms = store, config, events, sms
        self.budget = SmsBudget(config.sms_per_day)
        self._budget_restored = False
        self._secret = secret

    def send(
        self, row: OutboxRow, submission: dict[str, Any], mailer: Mailer, now: datetime
    ) -> None:
        """Send one row, or raise :class:`Dropped`, :class:`Later` or a delivery failure."""
        wanted = parse(row.target)
        event = self.events.get(submission["event_id"] or "") or self._deleted(wanted, submission)
        if event is None:
            raise self._unpublished(submission, now)
        if wanted.kind in (BEFORE, MORNING):
            self._check_reminder(wanted, submission, event, now)
        if wanted.channel not in (SMS, MAIL):
            raise PermanentFailure(f"canal inconnu : {wanted.channel}")
        text = self._text(wanted, submission, event, now)
        if isinstance(text, str):
            self._within_budget(submission, now)
            self.sms.send(submission["phone"] or "", text)
            self.budget.spent(now)
        else:
            self._mail(text, wanted, submission, event, mailer, row.id)

    def _within_budget(self, submission: dict[str, Any], now: datetime) -> None:
        """Raise :class:`Later` past the day's SMS budget, telling the counsellor once."""
        if not self._budget_restored:  # after a start: the 24 hours began before it
            sent, told = sql.sms_spent_since(self.store.connection(), now - 2 * WINDOW)
            self.budget.restore(sent, told)
            self._budget_restored = True
        free_at = self.budget.next_free(now)
        if free_at is None:
            return
        if self.budget.first_to_tell(now, free_at):
            notice = (target(COUNSELLOR, SMS_WAITING, f"{now:%Y%m%d%H%M}"), now)
            self.store.write(lambda db: sql.add_rows(db, submission["id"], [notice]))
        raise Later(free_at)

    def _deleted(self, wanted: Target, submission: dict[str, Any]) -> PublicEvent | None:
        """A deleted event (see ``EventWatch``), for the message telling it is cancelled: as
        last seen, without page nor calendar; ``None`` for any other message."""
        if wanted.kind != CHANGED:
            return None
        found = sql.change(self.store.connection(), wanted.detail)
        if found is None or found[1].get("statut") != CANCELLED or found[1].get("supprime") is None:
            return None
        return from_facts(submission["event_id"] or "", found[1])

    def _unpublished(self, submission: dict[str, Any], now: datetime) -> Exception:
        """An event missing from the published manifest: a build may have left it out for an
        error in its file (``porte-voix serve`` publishes the rest), so its messages wait for
        the next build until its last known start; then they are dropped."""
        known = sql.last_facts(self.store.connection(), submission["event_id"] or "")
        start = datetime.fromisoformat(known["debut"]) if known else None
        if start is not None and now < start:
            return Later(now + UNPUBLISHED_RETRY)
        return Dropped("l'événement n'est plus publié")

    def _check_reminder(
        self, wanted: Target, submission: dict[str, Any], event: PublicEvent, now: datetime
    ) -> None:
        start = starts_at(event)
        if submission["status"] != sql.PLACE_TAKEN:
            raise Dropped("rappel sans objet : la place n'est plus prise")
        if start is None or wanted.detail != start_key(start):
            raise Dropped("rappel sans objet : l'événement est annulé, reporté ou déplacé")
        moment = now if allowed(now) else next_allowed(now)
        if moment >= start:
            raise Dropped("rappel sans objet : l'événement a commencé")
        if moment != now:
            raise Later(moment)

    def _text(
        self, wanted: Target, submission: dict[str, Any], event: PublicEvent, now: datetime
    ) -> str | young_mail.Letter:
        personal = link(
            self.config.public_url, self.config.forms_path, self._secret(), submission["id"]
        )
        by_sms = wanted.channel == SMS
        name, signature = submission["first_name"], self._signature()
        if wanted.kind == CONFIRMATION:
            rank = self._rank(submission)
            if by_sms:
                return sms_templates.confirmation(name, event, personal, rank, now)
            return young_mail.confirmation(submission, event, personal, rank, signature, now)
        if wanted.kind in (BEFORE, MORNING):
            morning = wanted.kind == MORNING
            if by_sms:
                return sms_templates.reminder(event, personal, morning=morning, now=now)
            return young_mail.reminder(
                submission, event, personal, signature, morning=morning, now=now
            )
        if wanted.kind == PROMOTED:
            if by_sms:
                return sms_templates.promotion(name, event, personal, now)
            return young_mail.promotion(submission, event, personal, signature, now)
        if wanted.kind == CHANGED:
            return self._change(wanted, submission, event, personal, signature, now)
        raise PermanentFailure(f"message inconnu : {wanted.kind}")

    def _change(
        self,
        wanted: Target,
        submission: dict[str, Any],
        event: PublicEvent,
        personal: str,
        signature: str,
        now: datetime,
    ) -> str | young_mail.Letter:
        found = sql.change(self.store.connection(), wanted.detail)
        if found is None:
            raise Dropped("changement inconnu")
        before, after = found
        what = what_changed(before, after)
        still = None if event.cancelled or submission["status"] == sql.FREED else personal
        if wanted.channel == SMS:
            if event.cancelled:
                return sms_templates.cancelled(event, datetime.fromisoformat(before["debut"]), now)
            waiting = submission["status"] == sql.WAITING
            return sms_templates.changed(event, what, personal, waiting=waiting)
        return young_mail.changed(submission, event, what, still, signature, now)

    def _rank(self, submission: dict[str, Any]) -> int | None:
        if submission["status"] != sql.WAITING:
            return None
        return sql.waiting_rank(self.store.connection(), submission)

    def _signature(self) -> str:
        organisation = read_organisation(self.config.site_dir)
        return organisation.signature if organisation.name else "La Mission Locale"

    def _mail(
        self,
        letter: young_mail.Letter,
        wanted: Target,
        submission: dict[str, Any],
        event: PublicEvent,
        mailer: Mailer,
        row_id: int,
    ) -> None:
        recipient = submission["email"] or ""
        # The calendar goes with a place taken (not with a rank on the waiting list); a change
        # brings the new one (same UID, higher SEQUENCE) to the agenda that took the first.
        with_place = wanted.kind in (CONFIRMATION, PROMOTED, CHANGED)
        has_place = submission["status"] == sql.PLACE_TAKEN
        calendar = self._calendar(event) if with_place and has_place else None
        message = young_mail.as_message(
            letter,
            sender=self.config.mail_from,
            recipient=recipient,
            idstring=f"{submission['id'].replace('-', '')}.{row_id}",
            calendar=calendar,
        )
        mailer.send(message, recipient)

    def _calendar(self, event: PublicEvent) -> Path | None:
        """The event's ``.ics`` as the site build publishes it (``evenements/<id>.ics``)."""
        if not event.url or not set(event.id) <= _SAFE_ID:
            return None
        return self.config.site_dir / "evenements" / f"{event.id}.ics"
