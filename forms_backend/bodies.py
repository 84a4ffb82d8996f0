"""Reading a request body with a size cap: over the cap, a 413 before it is all in memory."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refusing more than ``limit`` bytes (413) whatever ``Content-Length`` says.

    The body is also cached on the request, so that Starlette can parse a multipart form from it.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413)
    request._body = bytes(body)  # Starlette's form parser reads the cached body
    return request._body
