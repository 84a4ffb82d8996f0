"""Delivering to the counsellor: SMTP (or a local Maildir) and a signed webhook.

Every failure is classed: :class:`TemporaryFailure` is retried later, :class:`PermanentFailure`
becomes a dead letter at once.
"""

from __future__ import annotations

import hashlib
import hmac
import mailbox
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class DeliveryFailure(Exception):
    """A delivery did not happen; the message says why, without personal data."""


class TemporaryFailure(DeliveryFailure):
    """Worth trying again later (connection refused, SMTP 4xx, HTTP 5xx, timeout)."""


class PermanentFailure(DeliveryFailure):
    """Will not work by retrying (SMTP 5xx, HTTP 4xx): a person must look."""


def send_smtp(message: Message, url: str, *, timeout: float = 20) -> None:
    """Send through ``smtp://user:pass@host:587`` (STARTTLS when offered) or ``smtps://``."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    try:
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, parts.port or 465, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, parts.port or 587, timeout=timeout)
        with client:
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
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise (TemporaryFailure if all(400 <= c < 500 for c in codes) else PermanentFailure)(
            f"destinataire refusé (SMTP {codes})"
        ) from None
    except smtplib.SMTPResponseException as error:
        kind = TemporaryFailure if 400 <= error.smtp_code < 500 else PermanentFailure
        raise kind(f"SMTP {error.smtp_code}") from None
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as error:
        raise TemporaryFailure(f"serveur SMTP injoignable ({type(error).__name__})") from None


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


def send_email(message: Message, smtp_url: str | None, maildir: Path) -> None:
    """By SMTP when a server is configured, else into the local Maildir."""
    if smtp_url:
        send_smtp(message, smtp_url)
    else:
        store_in_maildir(message, maildir)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp.body``, hex encoded."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def post_webhook(
    url: str, secret: str, body: bytes, submission_id: str, *, timeout: float = 10
) -> None:
    """POST ``body`` with its signature, timestamp and idempotency key in the headers."""
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "porte-voix",
            "X-Porte-Voix-Timestamp": timestamp,
            "X-Porte-Voix-Signature": f"sha256={signature(secret, timestamp, body)}",
            "Idempotency-Key": submission_id,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        temporary = error.code >= 500 or error.code in (408, 425, 429)
        raise (TemporaryFailure if temporary else PermanentFailure)(
            f"webhook HTTP {error.code}"
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise TemporaryFailure(f"webhook injoignable ({type(error).__name__})") from None
