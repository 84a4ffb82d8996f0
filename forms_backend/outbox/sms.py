"""The SMS channel: Brevo's transactional SMS API, or text files in a local folder when no
provider is configured (the embedded default, like the Maildir for e-mails).

What we read (developers.brevo.com, 2026-12-01):
- https://developers.brevo.com/docs/transactional-sms-endpoints : ``POST
  https://api.brevo.com/v3/transactionalSMS/send`` with the ``api-key`` header;
- https://developers.brevo.com/changelog/deprecated-endpoint-post-v3transactionalsmssms :
  ``/v3/transactionalSMS/sms`` is deprecated, the new endpoint answers ``{"messageId": …}``;
- the ``SendTransacSms`` model (sendinblue/APIv3-php-library, docs/Model/SendTransacSms.md):
  ``sender`` (11 alphanumeric or 15 digits), ``recipient`` (« mobile number … with the country
  code »), ``content``, ``type`` (``transactional``), ``unicodeEnabled`` (default false);
- https://developers.brevo.com/changelog/unicode-option-on-all-sms-endpoints : with
  ``unicodeEnabled`` false « any unicode characters … will be converted to their english
  equivalents » (ê → e). So a text that needs UCS-2 is sent with ``unicodeEnabled: true``: the
  provider never strips a young person's accents silently.

No key to make a send idempotent (searched 2026-12-02): Brevo documents an ``idempotencyKey``
only for e-mail (https://developers.brevo.com/docs/heterogenous-versions-batch-emails and
https://developers.brevo.com/changelog/email-api-now-supports-idempotency: ``POST
/v3/smtp/email``, a UUID in the body's ``headers``, kept 15 to 30 minutes); the SMS body
(``SendTransacSms``, and https://developers.brevo.com/changelog/2024/2/6 for ``tag``) has
``tag`` (labels to filter reports, up to 10), ``webUrl`` (a webhook for delivery events) and
``organisationPrefix`` (a brand name prefixed to the text, for U.S. carriers): none makes Brevo
refuse a second identical request, and no dedupe header is documented. So the window is made
as small as we can: the row is committed ``sending`` just before the request, and a row found
still ``sending`` after a crash is NOT sent again (``Store.abandon_sending``): the counsellor is
told, and ``porte-voix forms retry`` sends it by a person's choice. At most once for the SMS in
flight at a crash; a time-out (Brevo may have accepted) is still retried, at least once.

No phone number and no API key ever reach a log or a failure's message (which
``porte-voix forms status`` shows).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import secrets
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from forms_backend.outbox.failures import PermanentFailure, TemporaryFailure
from forms_backend.outbox.sms_text import UCS2, segments
from forms_backend.validator.phones import display_french_phone, is_french_mobile

log = logging.getLogger("porte_voix.outbox")

BREVO_SEND = "/v3/transactionalSMS/send"
_ERROR_CODE = re.compile(r"[a-z_]{1,40}")  # Brevo's « code » (never its free-text « message »)


class SmsSender:
    """Sends one SMS to a French mobile number (E.164, ``+336…``/``+337…``): through Brevo when
    ``url`` and ``key`` are set, else into ``folder`` as a text file a person can read."""

    def __init__(
        self,
        url: str | None,
        key: str | None,
        sender: str,
        folder: Path,
        *,
        timeout: float = 10,
    ) -> None:
        self.url, self._key, self.sender, self.folder = url, key, sender, folder
        self.timeout = timeout

    def __repr__(self) -> str:  # never the key, even in a traceback's locals
        return f"SmsSender(url={self.url!r}, sender={self.sender!r}, folder={self.folder!r})"

    def send(self, recipient: str, text: str) -> None:
        """Deliver ``text``; a failure is a :class:`TemporaryFailure` or
        :class:`PermanentFailure` whose message holds neither the number nor the key."""
        if not is_french_mobile(recipient):
            raise PermanentFailure("SMS : le destinataire n'est pas un portable français")
        if not text.strip():
            raise PermanentFailure("SMS : texte vide")
        if self.url and self._key:
            message_id = self._post(recipient, text)
            log.info("SMS envoyé par Brevo (messageId %s)", message_id)
        else:
            write_sms_file(self.folder, recipient, self.sender, text)

    def _post(self, recipient: str, text: str) -> object:
        body = {
            "sender": self.sender,
            "recipient": recipient.removeprefix("+"),  # 33612345678: the country code, no +
            "content": text,
            "type": "transactional",
            "unicodeEnabled": segments(text).encoding == UCS2,
        }
        request = urllib.request.Request(
            (self.url or "").rstrip("/") + BREVO_SEND,
            data=json.dumps(body, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "accept": "application/json",
                "content-type": "application/json; charset=utf-8",
                "User-Agent": "porte-voix",
                "api-key": self._key or "",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as error:
            raise _classified(error) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            # Refused, unreachable, reset, or a time-out (TimeoutError is an OSError).
            raise TemporaryFailure(f"SMS : Brevo injoignable ({type(error).__name__})") from None
        try:
            return json.loads(answer).get("messageId")
        except (ValueError, AttributeError):
            return None  # accepted (2xx) all the same: sending again would send twice


def _classified(error: urllib.error.HTTPError) -> TemporaryFailure | PermanentFailure:
    """4xx is permanent (a wrong key, number or sender: a person must look), except 429 (too
    many requests) and 408 (a time-out); 5xx is temporary. Only Brevo's error code is kept."""
    code = ""
    try:
        detail = json.loads(error.read(4096) or b"{}").get("code", "")
        code = f" ({detail})" if isinstance(detail, str) and _ERROR_CODE.fullmatch(detail) else ""
    except (ValueError, AttributeError, OSError):
        pass
    temporary = error.code >= 500 or error.code in (408, 429)
    kind = TemporaryFailure if temporary else PermanentFailure
    return kind(f"SMS : Brevo a répondu HTTP {error.code}{code}")


def write_sms_file(folder: Path, recipient: str, sender: str, text: str) -> Path:
    """The embedded default: one text file per SMS, written aside then renamed into ``folder``
    (a reader never sees half a message). Its name holds no phone number."""
    size = segments(text)
    now = datetime.now(UTC)
    plural = "s" if size.count > 1 else ""
    content = (
        "SMS non envoyé : aucun fournisseur n'est configuré (PORTE_VOIX_SMS_URL).\n"
        f"Destinataire : {display_french_phone(recipient)} ({recipient})\n"
        f"Expéditeur : {sender}\n"
        f"Codage : {size.encoding}, {size.count} segment{plural} ({size.units} unités)\n"
        f"Écrit le : {now.isoformat(timespec='seconds')}\n"
        "\n"
        f"{text}\n"
    )
    name = f"{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}.txt"
    aside = folder / "tmp" / name
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        with open(aside, "w", encoding="utf-8") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(aside, folder / name)
    except OSError as error:
        aside.unlink(missing_ok=True)
        raise TemporaryFailure(f"dossier des SMS inaccessible ({type(error).__name__})") from None
    return folder / name
