"""Which answer a request wants: the page's script asks for JSON, a browser without JavaScript
for HTML (a page, or a 303 to the thank-you page)."""

from __future__ import annotations

from starlette.requests import Request

# Every answer carries personal data or a one-time token: never kept by a browser or a proxy.
NO_STORE = {"Cache-Control": "no-store"}


def wants_json(request: Request) -> bool:
    """Scripts ask for JSON; browsers without JavaScript ask for HTML."""
    return "application/json" in request.headers.get("accept", "")
