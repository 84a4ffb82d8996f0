"""The outbox worker: delivers each pending row, retries temporary failures with growing delays,
and parks permanent ones as dead letters (like pretix's outgoing mail)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import Message

from forms_backend.config import BackendConfig
from forms_backend.intake.events import EventCatalogue
from forms_backend.outbox.event_watch import DELETED, RENAMED, what_changed
from forms_backend.outbox.failures import (
    DeliveryFailure,
    PermanentFailure,
    TemporaryFailure,
    unforeseen,
)
from forms_backend.outbox.mail import Mailer
from forms_backend.outbox.messages import (
    counsellor_email,
    counsellor_event_gone,
    counsellor_notice,
    webhook_body,
)
from forms_backend.outbox.retry import Report, next_try
from forms_backend.outbox.sms import SmsSender
from forms_backend.outbox.webhook import post_webhook
from forms_backend.outbox.young_messages import Dropped, Later, YoungMessages
from forms_backend.outbox.young_targets import (
    COUNSELLOR,
    MAIL,
    SMS,
    UNDELIVERED,
    UNREACHED,
    UNSURE,
    Target,
    parse,
    target,
    young_channel,
)
from forms_backend.store import event_messages
from forms_backend.store.database import OutboxRow, Outcome, Store

log = logging.getLogger("porte_voix.outbox")

BATCH = 20  # rows claimed, sent, then marked together
# A young person's row stores only a reference (``sms:<kind>`` or ``courriel:<kind>`` + the
# submission id, see young_targets.py): its text is made when it is sent, so the outbox holds
# no copy of a message, and a purged submission sends nothing.
YOUNG_CHANNELS = (SMS, MAIL)
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time (tests give the worker a clock they move)."""
    return datetime.now(UTC)


class Forwarder:
    """Delivers outbox rows by e-mail (SMTP or Maildir), webhook and SMS (Brevo or files)."""

    def __init__(
        self,
        store: Store,
        config: BackendConfig,
        events: EventCatalogue,
        *,
        clock: Clock = system_clock,
    ) -> None:
        self.store, self.config, self.events, self.clock = store, config, events, clock
        self.sms = SmsSender(config.sms_url, config.sms_key, config.sms_sender, config.sms_dir)
        self.young = YoungMessages(store, config, events, self.sms, self.link_secret)
        self._secret: str | None = None

    def link_secret(self) -> str:
        """The key that signs personal links: ``PORTE_VOIX_SECRET``, else one kept in the database."""
        if self._secret is None:
            self._secret = self.config.secret or self.store.secret("lien-place")
        return self._secret

    def targets(self, values: dict | None = None) -> list[str]:
        """Where a new submission goes for the counsellor (the young person's own messages
        come from ``Seats.sign_up_rows``)."""
        return ["email", "webhook"] if self.config.webhook_url else ["email"]

    def deliver_due(self) -> Report:
        """Deliver every row that is due now; returns counts (no personal data is logged)."""
        report = Report()
        self.report_abandoned(self.store.abandon_sending(self.clock()))
        while rows := self.store.claim_due(limit=BATCH, now=self.clock()):
            # The counsellor's outcomes are written together after the batch: at least once
            # (a crash between a send and its mark sends again after the lease; webhooks carry
            # an idempotency key), one commit per batch; and one SMTP session per batch. A
            # young person's message is marked as soon as it is sent: a crash resends at most
            # the one in flight, never a batch of SMS already delivered.
            outcomes = []
            with Mailer(self.config.smtp_url, self.config.maildir) as mailer:
                for row in rows:
                    if parse(row.target).channel == SMS:
                        self.store.mark_sending(row.id)  # see Store.abandon_sending
                    outcome = self._deliver(row, report, mailer)
                    if parse(row.target).channel in YOUNG_CHANNELS:
                        self.store.mark_outcomes([outcome], self._undelivered(row, outcome))
                    else:
                        outcomes.append(outcome)
            self.store.mark_outcomes(outcomes)
        return report

    def _undelivered(
        self, row: OutboxRow, outcome: Outcome
    ) -> Callable[[sqlite3.Connection], object] | None:
        """A young person's message that will not leave (a number or address refused, the
        provider unreachable past the last retry): the counsellor is told, in the transaction
        that marks it, to reach her herself — a cancellation she never reads, and she comes."""
        if outcome.state != "dead":
            return None
        notice = (target(COUNSELLOR, UNDELIVERED, str(row.id)), self.clock())

        def tell(db: sqlite3.Connection) -> None:
            # Erased meanwhile (purge, erasure request): nobody left to tell anyone about.
            if event_messages.sign_up(db, row.submission_id) is not None:
                event_messages.add_rows(db, row.submission_id, [notice])

        return tell

    def report_abandoned(self, rows: list[tuple[int, str]]) -> None:
        """Tell the counsellor of each SMS that may or may not have left (a server killed
        while sending it): she decides whether to send it again or to call."""
        now = self.clock()
        for row_id, submission_id in rows:
            log.warning("envoi n°%s interrompu : peut-être parti, pas renvoyé", row_id)
            row = (target(COUNSELLOR, UNSURE, str(row_id)), now)
            self.store.write(lambda db, s=submission_id, r=row: event_messages.add_rows(db, s, [r]))

    def _deliver(self, row: OutboxRow, report: Report, mailer: Mailer) -> Outcome:
        try:
            try:
                self._send(row, mailer)
            except (DeliveryFailure, Dropped, Later):
                raise
            except Exception as error:  # a programming error: a person must look, now
                raise unforeseen(log, f"envoi {row.target} n°{row.id}", error) from error
        except Dropped as reason:
            report.dropped += 1
            return Outcome(row.id, "dropped", str(reason))
        except Later as later:
            report.later += 1
            return Outcome(row.id, "later", at=later.at)
        except PermanentFailure as failure:
            report.dead += 1
            log.warning("envoi %s n°%s en échec définitif : %s", row.target, row.id, failure)
            return Outcome(row.id, "dead", str(failure))
        except TemporaryFailure as failure:
            delay = next_try(row.attempts)
            if delay is None:
                report.dead += 1
                log.warning(
                    "envoi %s n°%s abandonné après %s essais", row.target, row.id, row.attempts
                )
                return Outcome(row.id, "dead", f"abandon après {row.attempts} essais : {failure}")
            report.retried += 1
            log.info("envoi %s n°%s reporté de %s s : %s", row.target, row.id, delay, failure)
            return Outcome(row.id, "retry", str(failure), self.clock() + timedelta(seconds=delay))
        report.sent += 1
        return Outcome(row.id, "sent")

    def _send(self, row: OutboxRow, mailer: Mailer) -> None:
        submission = self.store.submission(row.submission_id)
        if submission is None:  # purged meanwhile
            raise PermanentFailure("la demande a été effacée")
        event = self.events.get(submission["event_id"]) if submission["event_id"] else None
        title = event.title if event else submission["event_id"]
        wanted = parse(row.target)
        if wanted.channel in YOUNG_CHANNELS:
            self.young.send(row, submission, mailer, self.clock())
        elif wanted.channel == COUNSELLOR and wanted.kind in (DELETED, RENAMED):
            mailer.send(
                self._event_gone(wanted.kind, wanted.detail, submission, row.id),
                self.config.counsellor_email,
            )
        elif wanted.channel == COUNSELLOR:
            notice = counsellor_notice(
                submission,
                title,
                wanted.kind,
                sender=self.config.mail_from,
                recipient=self.config.counsellor_email,
                detail=wanted.detail,
                changes=self._changes(wanted) if wanted.kind == UNREACHED else [],
            )
            mailer.send(notice, self.config.counsellor_email)
        elif row.target == "email":
            message = counsellor_email(
                submission,
                title,
                sender=self.config.mail_from,
                recipient=self.config.counsellor_email,
                unconfirmed=self._unconfirmed(submission),
            )
            mailer.send(message, self.config.counsellor_email)
        elif row.target == "webhook":
            if not self.config.webhook_url or not self.config.webhook_secret:
                raise PermanentFailure("aucun webhook n'est configuré")
            post_webhook(
                self.config.webhook_url,
                self.config.webhook_secret,
                webhook_body(submission, title),
                submission["id"],
            )
        else:
            raise PermanentFailure(f"destination inconnue : {row.target}")

    def _changes(self, wanted: Target) -> list[str]:
        found = event_messages.change(self.store.connection(), wanted.detail)
        if found is None:
            raise PermanentFailure("changement inconnu")
        return what_changed(*found)

    def _event_gone(self, kind: str, key: str, submission: dict, row_id: int) -> Message:
        connection = self.store.connection()
        found = event_messages.change(connection, key)
        if found is None:
            raise PermanentFailure("changement inconnu")
        return counsellor_event_gone(
            kind,
            *found,
            event_messages.people(connection, submission["event_id"]),
            sender=self.config.mail_from,
            recipient=self.config.counsellor_email,
            idstring=f"{submission['id'].replace('-', '')}.{row_id}",
        )

    def _unconfirmed(self, submission: dict) -> bool:
        """A sign-up that could reach the young person but has no message to her: the daily
        cap on confirmations stopped it (``Seats.within_limit``)."""
        if submission["form"] != "inscription" or young_channel(submission) is None:
            return False
        return event_messages.young_rows(self.store.connection(), submission["id"]) == 0


__all__ = ["Forwarder"]
