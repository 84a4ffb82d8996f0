"""The outbox worker: delivers each pending row, retries temporary failures with growing delays,
and parks permanent ones as dead letters (like pretix's outgoing mail)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from forms_backend.config import BackendConfig
from forms_backend.intake.events import EventCatalogue
from forms_backend.outbox.failures import (
    DeliveryFailure,
    PermanentFailure,
    TemporaryFailure,
    unforeseen,
)
from forms_backend.outbox.mail import Mailer
from forms_backend.outbox.messages import counsellor_email, webhook_body
from forms_backend.outbox.retry import Report, next_try
from forms_backend.outbox.sms import SmsSender
from forms_backend.outbox.sms_templates import confirmation
from forms_backend.outbox.webhook import post_webhook
from forms_backend.store.database import OutboxRow, Outcome, Store
from forms_backend.validator.phones import is_french_mobile

log = logging.getLogger("porte_voix.outbox")

BATCH = 20  # rows claimed, sent, then marked together
# An SMS row stores only a reference (``sms:<kind>`` + the submission id): its text is made when
# it is sent, so the outbox holds no copy of a message, and a purged submission sends nothing.
SMS_CONFIRMATION = "sms:confirmation"


class Forwarder:
    """Delivers outbox rows by e-mail (SMTP or Maildir), webhook and SMS (Brevo or files)."""

    def __init__(self, store: Store, config: BackendConfig, events: EventCatalogue) -> None:
        self.store, self.config, self.events = store, config, events
        self.sms = SmsSender(config.sms_url, config.sms_key, config.sms_sender, config.sms_dir)

    def targets(self, values: dict | None = None) -> list[str]:
        """Where a new submission goes; a sign-up by someone who chose SMS also gets an SMS
        confirmation (through Brevo, or into the SMS folder when no provider is configured)."""
        targets = ["email", "webhook"] if self.config.webhook_url else ["email"]
        if (
            values
            and values.get("form") == "inscription"
            and values.get("channel") == "sms"
            and is_french_mobile(values.get("phone") or "")
        ):
            targets.append(SMS_CONFIRMATION)
        return targets

    def deliver_due(self) -> Report:
        """Deliver every row that is due now; returns counts (no personal data is logged)."""
        report = Report()
        while rows := self.store.claim_due(limit=BATCH):
            # Outcomes written together after the batch: at least once, as before (a crash
            # between a send and its mark sends again after the lease; webhooks carry an
            # idempotency key), but one commit per batch instead of one per row; and one SMTP
            # session per batch.
            with Mailer(self.config.smtp_url, self.config.maildir) as mailer:
                outcomes = [self._deliver(row, report, mailer) for row in rows]
            self.store.mark_outcomes(outcomes)
        return report

    def _deliver(self, row: OutboxRow, report: Report, mailer: Mailer) -> Outcome:
        try:
            try:
                self._send(row, mailer)
            except DeliveryFailure:
                raise
            except Exception as error:  # a programming error: a person must look, now
                raise unforeseen(log, f"envoi {row.target} n°{row.id}", error) from error
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
            return Outcome(
                row.id, "retry", str(failure), datetime.now(UTC) + timedelta(seconds=delay)
            )
        report.sent += 1
        return Outcome(row.id, "sent")

    def _send(self, row: OutboxRow, mailer: Mailer) -> None:
        submission = self.store.submission(row.submission_id)
        if submission is None:  # purged meanwhile
            raise PermanentFailure("la demande a été effacée")
        event = self.events.get(submission["event_id"]) if submission["event_id"] else None
        title = event.title if event else submission["event_id"]
        if row.target == "email":
            message = counsellor_email(
                submission,
                title,
                sender=self.config.mail_from,
                recipient=self.config.counsellor_email,
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
        elif row.target == SMS_CONFIRMATION:
            if event is None:
                raise PermanentFailure("SMS : l'événement n'est plus publié")
            text = confirmation(
                submission["first_name"],
                event.title,
                event.start,
                waiting_list=submission["status"] == "liste_attente",
            )
            self.sms.send(submission["phone"] or "", text)
        else:
            raise PermanentFailure(f"destination inconnue : {row.target}")


__all__ = ["Forwarder"]
