"""The personal link that frees a place in one tap: signed, single use, no account.

The token is the sign-up's id and an HMAC-SHA256 of it (first 12 bytes), in URL-safe base64:
nothing is stored, a changed character fails the signature, and the link works once because a
freed place cannot be freed again. It is valid until the event starts (checked against the
published manifest when it is opened). The token rides in the query string of a page answered
with ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer``; the server keeps no
access log (``forms serve``: ``access_log=False``; ``porte-voix serve``: log level warning).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import uuid

PATH = "/ma-place"  # under the forms' path
MAC_BYTES = 12
PURPOSE = b"porte-voix/liberer-une-place/"


def _mac(secret: str, raw_id: bytes) -> bytes:
    return hmac.new(secret.encode(), PURPOSE + raw_id, hashlib.sha256).digest()[:MAC_BYTES]


def make_token(secret: str, submission_id: str) -> str:
    """The token for one sign-up (a UUID)."""
    raw_id = uuid.UUID(submission_id).bytes
    return base64.urlsafe_b64encode(raw_id + _mac(secret, raw_id)).decode().rstrip("=")


def opened_id(secret: str, token: str) -> str | None:
    """The sign-up's id a token opens, or ``None`` for a token that is not ours."""
    if not 30 <= len(token) <= 40 or not token.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    raw_id, mac = raw[:16], raw[16:]
    if len(raw_id) != 16 or not hmac.compare_digest(mac, _mac(secret, raw_id)):
        return None
    if make_token(secret, str(uuid.UUID(bytes=raw_id))) != token:
        return None  # base64 lets the last character's unused bits change: one spelling only
    return str(uuid.UUID(bytes=raw_id))


def link(public_url: str, forms_path: str, secret: str, submission_id: str) -> str:
    """The whole link, as a message carries it."""
    base = public_url.rstrip("/") + forms_path.rstrip("/")
    return f"{base}{PATH}?jeton={make_token(secret, submission_id)}"
