"""Spam without a third-party CAPTCHA: signed time tokens, honeypot, rate limit, origin check."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from starlette.requests import Request

TOKEN_MAX_AGE = 24 * 3600
SHOWN_AGAIN = "r"  # the mark of a token issued with a form shown again


@dataclass(frozen=True)
class TokenCheck:
    """``valid`` tokens were made here; ``age`` is how long ago (seconds); ``shown_again``: the
    token came with a form the backend showed again (no time trap then: a person re-sends it)."""

    valid: bool
    age: float = 0.0
    shown_again: bool = False


class TimeTokens:
    """Tokens saying when a form was shown, signed so they cannot be forged.

    A form the backend shows again (after an error, or the confirmation step of a page without
    JavaScript) gets a token marked ``r``: the person already filled it in, and pressing the
    button again at once is what a person does, so the minimal fill time does not apply to it.
    """

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()

    def make(self, form: str, now: float | None = None, *, shown_again: bool = False) -> str:
        """A token for ``form`` issued now (``shown_again``: with a form shown a second time)."""
        issued = f"{now if now is not None else time.time():.3f}" + (
            SHOWN_AGAIN if shown_again else ""
        )
        return f"{issued}.{self._sign(form, issued)}"

    def check(self, form: str, token: str, now: float | None = None) -> TokenCheck:
        """Whether the token is genuine and fresh, its age, and whether it was shown again."""
        issued, _, signature = token.rpartition(".")
        shown_again = issued.endswith(SHOWN_AGAIN)
        try:
            age = (now if now is not None else time.time()) - float(
                issued.removesuffix(SHOWN_AGAIN)
            )
        except ValueError:
            return TokenCheck(False)
        genuine = hmac.compare_digest(signature, self._sign(form, issued))
        return TokenCheck(genuine and -5 <= age <= TOKEN_MAX_AGE, age, genuine and shown_again)

    def _sign(self, form: str, issued: str) -> str:
        return hmac.digest(self.secret, f"{form}:{issued}".encode(), "sha256").hex()[:32]


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds from one address (kept in memory, hashed)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait(self, address: str, now: float | None = None) -> float:
        """Seconds before ``address`` may have one more event; 0 when it may now."""
        return self._hits_for(address, now, count=False)

    def take(self, address: str, now: float | None = None) -> float:
        """Count one event from ``address`` when the limit allows it (then 0), else the wait."""
        return self._hits_for(address, now, count=True)

    def count(self, address: str, now: float | None = None) -> None:
        """Count one event from ``address``, whatever the limit (it already happened)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._forget_old(self._key(address), now).append(now)

    def allow(self, address: str, now: float | None = None) -> bool:
        """Count one event from ``address``; False when it is over the limit."""
        return self.take(address, now) == 0

    def _hits_for(self, address: str, now: float | None, *, count: bool) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._forget_old(self._key(address), now)
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - now, 0.001)
            if count:
                hits.append(now)
            return 0.0

    def _key(self, address: str) -> str:
        # no IP address kept in clear
        return hashlib.sha256(subscriber(address).encode()).hexdigest()[:16]

    def _forget_old(self, key: str, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(self._hits) > 10_000:  # forget idle addresses so memory stays bounded
            for idle in [k for k, v in self._hits.items() if not v and k != key]:
                del self._hits[idle]
        return hits


def subscriber(address: str) -> str:
    """What one subscriber holds: an IPv4 address, or an IPv6 address's /64 (a home or a phone
    gets a whole /64 and can pick a new address in it for every request)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


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


def client_address(request: Request) -> str:
    """The address the rate limit counts: the peer, or what a trusted proxy forwarded."""
    return request.client.host if request.client else "inconnu"
