"""Letters to people (a parent's consent request, a contributor's notice), delivered like the
counsellor's e-mails: SMTP (or the local Maildir), retried with the same growing delays.

A parent's letter is written here, at send time, with a new link (``parent_letter.py``); it is
held (left pending) while the Mission Locale's published contact lacks a phone or an address."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from forms_backend.config import BackendConfig
from forms_backend.contributions.parent_letter import (
    LINK_LIFETIME,
    new_token,
    parent_letter,
    token_hash,
)
from forms_backend.contributions.store import PARENT_LETTER, ContributionStore, Letter
from forms_backend.intake.organisation import Organisation, read_organisation
from forms_backend.intake.render import PRIVACY_PAGE
from forms_backend.outbox.failures import PermanentFailure, TemporaryFailure, unforeseen
from forms_backend.outbox.mail import Mailer
from forms_backend.outbox.mail_message import plain_message
from forms_backend.outbox.retry import Report, next_try
from forms_backend.typography import french_spacing
from forms_backend.validator.addresses import sending_address

log = logging.getLogger("porte_voix.letters")
GUARDIAN_PATH = "/accord-parent"


class LetterPost:
    """Sends the queued letters."""

    def __init__(self, contributions: ContributionStore, config: BackendConfig) -> None:
        self.contributions, self.config = contributions, config

    def deliver_due(self) -> Report:
        """Send every letter due now (counts only are logged: no address)."""
        report = Report()
        organisation = read_organisation(self.config.site_dir)
        held = (PARENT_LETTER,) if organisation.missing() else ()
        while letters := self.contributions.claim_letters(held=held):
            with Mailer(self.config.smtp_url, self.config.maildir) as mailer:
                for letter in letters:
                    self._deliver(letter, report, mailer, organisation)
        return report

    def _deliver(
        self, letter: Letter, report: Report, mailer: Mailer, organisation: Organisation
    ) -> None:
        # Checked again here: a letter queued before a rule changed may hold anything.
        recipient = sending_address(letter.recipient)
        if recipient is None:
            self.contributions.letter_dead(letter.id, "pas une adresse e-mail simple")
            report.dead += 1
            return
        body = letter.body
        if letter.kind == PARENT_LETTER:
            written = self._parent_letter(letter, organisation)
            if written is None:  # answered, refused or purged meanwhile: nothing to send
                self.contributions.letter_sent(letter.id)
                return
            body = written
        try:
            # The kit's one French typography, here at send time: a notice's text (and the
            # reason the team typed) reads like every other e-mail, even one queued long ago.
            message = plain_message(
                french_spacing(letter.subject),
                french_spacing(body),
                sender=self.config.mail_from,
                recipient=recipient,
            )
            mailer.send(message, recipient)
        except PermanentFailure as failure:
            self.contributions.letter_dead(letter.id, str(failure))
            report.dead += 1
        except (TemporaryFailure, OSError) as failure:
            self._later(letter, report, failure)
        except Exception as error:  # a programming error: a person must look, now
            failure = unforeseen(log, f"lettre n°{letter.id}", error)
            self.contributions.letter_dead(letter.id, str(failure))
            report.dead += 1
        else:
            self.contributions.letter_sent(letter.id)
            report.sent += 1

    def _later(self, letter: Letter, report: Report, failure: Exception) -> None:
        delay = next_try(letter.attempts)
        if delay is None:
            self.contributions.letter_dead(letter.id, f"abandon : {failure}")
            report.dead += 1
        else:
            at = datetime.now(UTC) + timedelta(seconds=delay)
            self.contributions.letter_later(letter.id, str(failure), at)
            report.retried += 1
        log.info("lettre n°%s reportée", letter.id)

    def _parent_letter(self, letter: Letter, organisation: Organisation) -> str | None:
        """The parent's letter with a new link, whose hash replaces the last one's."""
        token = new_token()
        expires = datetime.now(UTC) + LINK_LIFETIME
        contribution = self.contributions.renew_guardian_link(
            letter.contribution_id or "", token_hash(token), expires
        )
        if contribution is None:
            return None
        link = (
            f"{self.config.public_url}{self.config.forms_path.rstrip('/')}"
            f"{GUARDIAN_PATH}?jeton={token}"
        )
        privacy = f"{self.config.public_url}{PRIVACY_PAGE}"
        return parent_letter(contribution, link, expires, organisation, privacy=privacy)
