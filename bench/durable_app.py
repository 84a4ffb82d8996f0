"""The durable floor: the bare endpoint plus one durable write through the backend's own group
committer (same SQLite settings), so the run shows what storing alone costs on this machine."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from forms_backend.store.committer import GroupCommitter
from forms_backend.store.database import Store

store = Store(Path(os.environ["PV_FLOOR_DB"]))
with store.transaction() as db:
    db.execute(
        "CREATE TABLE IF NOT EXISTS floor (id TEXT PRIMARY KEY, first_name TEXT, phone TEXT, commune TEXT)"
    )
committer = GroupCommitter(store)


async def receive(request: Request) -> RedirectResponse:
    fields = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    row = (fields["id"], fields["prenom"], fields["telephone"], fields["commune"])
    await committer.run(lambda db: db.execute("INSERT INTO floor VALUES (?, ?, ?, ?)", row))
    return RedirectResponse("/merci/", status_code=303)


app = Starlette(routes=[Route("/formulaires/rappel", receive, methods=["POST"])])
