"""The webhook channel: a JSON POST signed with HMAC-SHA256 over ``timestamp.body``, with the
submission id as idempotency key."""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request

from forms_backend.outbox.failures import PermanentFailure, TemporaryFailure


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
