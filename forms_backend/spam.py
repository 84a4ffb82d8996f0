"""Spam without a third-party CAPTCHA: signed time tokens, honeypot, rate limit, origin check."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from starlette.requests import Request

TOKEN_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class TokenCheck:
    """``valid`` tokens were made here; ``age`` is how long ago (seconds)."""

    valid: bool
    age: float = 0.0


class TimeTokens:
    """Tokens saying when a form was shown, signed so they cannot be forged."""

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()

    def make(self, form: str, now: float | None = None) -> str:
        """A token for ``form`` issued now."""
        issued = f"{now if now is not None else time.time():.3f}"
        return f"{issued}.{self._sign(form, issued)}"

    def check(self, form: str, token: str, now: float | None = None) -> TokenCheck:
        """Whether the token is genuine and fresh, and its age."""
        issued, _, signature = token.rpartition(".")
        try:
            age = (now if now is not None else time.time()) - float(issued)
        except ValueError:
            return TokenCheck(False)
        genuine = hmac.compare_digest(signature, self._sign(form, issued))
        return TokenCheck(genuine and -5 <= age <= TOKEN_MAX_AGE, age)

    def _sign(self, form: str, issued: str) -> str:
        return hmac.digest(self.secret, f"{form}:{issued}".encode(), "sha256").hex()[:32]


class RateLimiter:
    """At most ``limit`` submissions per ``window`` seconds from one address (kept in memory, hashed)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, address: str, now: float | None = None) -> bool:
        """Count one submission from ``address``; False when it is over the limit."""
        now = time.monotonic() if now is None else now
        key = hashlib.sha256(address.encode()).hexdigest()[:16]  # no IP address kept in clear
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle addresses so memory stays bounded
                for idle in [k for k, v in self._hits.items() if not v]:
                    del self._hits[idle]
            return True


def origin_allowed(origin: str | None, allowed: tuple[str, ...], own_origin: str) -> bool:
    """A browser's ``Origin`` must be this site's; no header (old browsers, scripts) is let through."""
    if not origin:
        return True
    origin = origin.rstrip("/")
    return origin == own_origin or origin in allowed


def foreign_origin(request: Request, allowed: tuple[str, ...]) -> bool:
    """True when the browser says the form was posted from another site (answered with 403)."""
    origin = request.headers.get("origin")
    if not origin:
        return False
    # The origin the browser sees: the scheme (after the proxy headers) and the Host header, as
    # Starlette's ``request.url`` has them, without building the whole URL on every submission.
    host = request.headers.get("host")
    own = (
        f"{request.scope['scheme']}://{host}"
        if host
        else f"{request.url.scheme}://{request.url.netloc}"
    )
    return not origin_allowed(origin, allowed, own)
