"""The mail channel: SMTP (STARTTLS or SMTPS, one session per batch), or a local Maildir when no
server is configured (the embedded default)."""

from __future__ import annotations

import mailbox
import smtplib
import ssl
from email.message import Message
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from forms_backend.outbox.failures import DeliveryFailure, PermanentFailure, TemporaryFailure
from forms_backend.validator.addresses import PLAIN_ADDRESS

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Mailer:
    """Sends e-mails over one SMTP session (``smtp://user:pass@host:587``, STARTTLS when offered,
    or ``smtps://``), or into the local Maildir when no server is configured.

    One session per batch, as mail libraries do (Django's ``send_messages``): a batch of twenty
    e-mails is one connection and one login, not twenty — mail providers limit logins. A server
    that cannot be reached fails the rest of the batch at once (retried later) instead of
    waiting for twenty time-outs; one that hung up between two e-mails is reconnected once.
    """

    def __init__(self, smtp_url: str | None, maildir: Path, *, timeout: float = 20) -> None:
        self.smtp_url, self.maildir, self.timeout = smtp_url, maildir, timeout
        self._client: smtplib.SMTP | None = None
        self._cannot_connect: DeliveryFailure | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, message: Message, recipient: str) -> None:
        """Deliver one e-mail to ``recipient`` alone; a failure is a :class:`TemporaryFailure`
        or :class:`PermanentFailure`.

        The envelope is explicit: smtplib never derives recipients from the headers (a header
        holding more than was meant would otherwise add recipients, ``Cc`` and ``Bcc`` too)."""
        if not PLAIN_ADDRESS.fullmatch(recipient):
            raise PermanentFailure("adresse du destinataire refusée : pas une adresse simple")
        if not self.smtp_url:
            store_in_maildir(message, self.maildir)
            return
        envelope = (parseaddr(message["From"] or "")[1], [recipient])
        try:
            self._session().send_message(message, *envelope)
        except smtplib.SMTPServerDisconnected:
            self.close()  # it hung up since the last e-mail (idle time-out, 421): once more
            self._send_once(message, envelope)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
            # The server answered (and smtplib reset the envelope): the session goes on.
            raise _classified(error) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _classified(error) from None

    def close(self) -> None:
        """End the session (politely if the server still listens)."""
        client, self._client = self._client, None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()

    def _send_once(self, message: Message, envelope: tuple[str, list[str]]) -> None:
        try:
            self._session().send_message(message, *envelope)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _classified(error) from None

    def _session(self) -> smtplib.SMTP:
        # A failed connection or login is not tried again within the batch: twenty time-outs
        # would hold the worker for minutes, and twenty wrong logins can lock the account.
        if self._cannot_connect is not None:
            failure = self._cannot_connect
            raise type(failure)(str(failure))
        if self._client is None:
            try:
                self._client = self._connect()
            except DeliveryFailure as failure:
                self._cannot_connect = failure
                raise
            except (smtplib.SMTPException, OSError) as error:
                self._cannot_connect = _classified(error)
                raise self._cannot_connect from None
        return self._client

    def _connect(self) -> smtplib.SMTP:
        parts = urlsplit(self.smtp_url or "")
        host = parts.hostname or "localhost"
        user, password = unquote(parts.username or ""), unquote(parts.password or "")
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, parts.port or 465, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, parts.port or 587, timeout=self.timeout)
        try:
            client.ehlo()
            if parts.scheme == "smtp" and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            elif user and parts.scheme == "smtp" and host not in LOOPBACK:
                raise PermanentFailure(
                    "le serveur SMTP ne propose pas STARTTLS : mot de passe non envoyé en clair"
                )
            if user:
                client.login(user, password)
        except BaseException:
            client.close()
            raise
        return client


def _classified(error: BaseException) -> DeliveryFailure:
    """An SMTP or network error as a failure to retry later, or one a person must look at."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        kind = TemporaryFailure if all(400 <= c < 500 for c in codes) else PermanentFailure
        return kind(f"destinataire refusé (SMTP {codes})")
    if isinstance(error, smtplib.SMTPResponseException):
        kind = TemporaryFailure if 400 <= error.smtp_code < 500 else PermanentFailure
        return kind(f"SMTP {error.smtp_code}")
    return TemporaryFailure(f"serveur SMTP injoignable ({type(error).__name__})")


def store_in_maildir(message: Message, folder: Path) -> None:
    """The embedded default: e-mails land in a local Maildir, readable with any mail client."""
    try:
        if not (folder / "cur").is_dir():  # checked once per message: creating is the rare case
            for part in ("tmp", "new", "cur"):
                (folder / part).mkdir(parents=True, exist_ok=True)
        mailbox.Maildir(folder, create=False).add(message)
    except OSError as error:
        raise TemporaryFailure(
            f"dossier de courriels inaccessible ({type(error).__name__})"
        ) from None


def send_email(message: Message, recipient: str, smtp_url: str | None, maildir: Path) -> None:
    """One e-mail on its own: by SMTP when a server is configured, else into the local Maildir."""
    with Mailer(smtp_url, maildir) as mailer:
        mailer.send(message, recipient)
