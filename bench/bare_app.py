"""The HTTP limit: a bare Starlette endpoint that parses the same form and answers 303, storing nothing."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route


async def receive(request: Request) -> RedirectResponse:
    fields = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    assert fields.get("prenom")
    return RedirectResponse("/merci/", status_code=303)


app = Starlette(routes=[Route("/formulaires/rappel", receive, methods=["POST"])])
