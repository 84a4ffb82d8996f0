"""The page of the personal link: the event, and one button that frees the place (or leaves the
waiting list). Works without JavaScript; the token never reaches a log (see place_links.py).

GET shows the event's own page with this box in place of its sign-up form; POST frees the place
through ``Seats.free`` (one write, under the sign-ups' lock) and says it is done.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from forms_backend.intake.answers import error_response
from forms_backend.intake.bodies import parse_fields, read_body
from forms_backend.intake.events import PublicEvent
from forms_backend.intake.negotiation import NO_STORE
from forms_backend.intake.place_links import PATH, opened_id
from forms_backend.intake.render import page_with_form
from forms_backend.intake.spam import foreign_origin
from forms_backend.typography import DAYS, FAR, MONTHS, NBSP, in_guillemets

PARIS = ZoneInfo("Europe/Paris")

if TYPE_CHECKING:
    from forms_backend.app import Backend

# The token is a secret: the page is never kept, and never sent on as a Referer.
HEADERS = {**NO_STORE, "Referrer-Policy": "no-referrer"}
BAD_LINK = (
    "Ce lien n'est pas valable. Vérifie qu'il est complet, ou appelle la Mission Locale pour "
    "libérer ta place."
)
TOO_LATE = (
    "L'événement a commencé : ce lien ne marche plus. Si tu n'as pas pu venir, ce n'est pas "
    "grave, appelle ta conseillère."
)
ALREADY = "Ta place est déjà libérée. Merci d'avoir prévenu !"
DONE = (
    "C'est noté : ta place est libérée. Elle va à la première personne sur la liste "
    "d'attente. Merci d'avoir prévenu ! Tu peux t'inscrire à un autre événement quand tu veux."
)


def french_when(moment: datetime, now: datetime | None = None) -> str:
    """« samedi 5 décembre à 14 h 30 » with French no-break spaces; with the year when ``now``
    is given and the date is in another year or far from it (as the SMS and e-mails say it)."""
    local = moment.astimezone(PARIS)
    day = "1er" if local.day == 1 else str(local.day)
    hour = f"{local.hour}{NBSP}h" + (f"{NBSP}{local.minute:02d}" if local.minute else "")
    year = ""
    if now is not None and (local.year != now.astimezone(PARIS).year or abs(moment - now) > FAR):
        year = f"{NBSP}{local.year}"
    return f"{DAYS[local.weekday()]} {day}{NBSP}{MONTHS[local.month - 1]}{year} à {hour}"


def place_box(
    base: str, token: str, event: PublicEvent, status: str, rank: int | None, now: datetime
) -> str:
    """What the link shows: the event in two lines and one button."""
    title = escape(event.title)
    if status == "liste_attente":
        said = f"Tu es sur la liste d'attente pour {in_guillemets(title)} (rang {rank})."
        button, after = "Me retirer de la liste d'attente", ""
    else:
        said = f"Tu es inscrit·e à {in_guillemets(title)}."
        button = "Libérer ma place"
        after = "<p>Ta place ira à la première personne sur la liste d'attente.</p>"
    where = f"<p>Lieu{NBSP}: {escape(event.place)}</p>" if event.place else ""
    return (
        '<div class="pv-form" id="pv-ma-place"><h2>Ta place</h2>'
        f"<p>{said}</p><p>Quand{NBSP}: le {french_when(event.shown_start, now)}</p>{where}"
        f"<p>Tu ne peux plus venir{NBSP}? Appuie sur le bouton{NBSP}: c'est tout.</p>"
        f'<form method="post" action="{escape(base)}{PATH}">'
        f'<input type="hidden" name="jeton" value="{escape(token)}">'
        f'<p><button type="submit" class="md-button md-button--primary">{button}</button></p>'
        f"</form>{after}</div>"
    )


def _page(backend: Backend, event: PublicEvent, html: str, status: int = 200) -> Response:
    """The event's own page, with ``html`` in place of its sign-up form."""
    page = page_with_form(backend.config.site_dir, event.page_path, html, title_prefix="Ta place")
    return HTMLResponse(page, status_code=status, headers=HEADERS)


def free_place_routes(backend: Backend) -> list[Route]:
    """``GET`` and ``POST`` of ``/formulaires/ma-place``."""
    base = backend.config.forms_path.rstrip("/")

    def opened(request: Request, token: str) -> tuple[dict[str, Any], PublicEvent] | Response:
        submission_id = opened_id(backend.forwarder.link_secret(), token)
        submission = backend.store.submission(submission_id) if submission_id else None
        if submission is None or submission["form"] != "inscription":
            return error_response(request, 404, BAD_LINK, headers=HEADERS)
        event = backend.events.get(submission["event_id"])
        if event is None:
            return error_response(request, 404, BAD_LINK, headers=HEADERS)
        return submission, event

    async def show(request: Request) -> Response:
        token = request.query_params.get("jeton", "")
        found = await run_in_threadpool(opened, request, token)
        if isinstance(found, Response):
            return found
        submission, event = found
        if submission["status"] == "desinscrit":
            return _page(backend, event, f"<p><strong>{ALREADY}</strong></p>", 410)
        if not _still_open(backend, event):
            return _page(backend, event, f"<p><strong>{TOO_LATE}</strong></p>", 410)
        rank = await run_in_threadpool(backend.rank, submission)
        html = place_box(base, token, event, submission["status"], rank, backend.clock())
        return _page(backend, event, html)

    async def free(request: Request) -> Response:
        if foreign_origin(request, backend.config.allowed_origins):
            raise HTTPException(403)
        body = await read_body(request, 4096, backend.config.body_timeout_seconds)
        fields, _ = parse_fields(request.headers.get("content-type", ""), body)
        found = await run_in_threadpool(opened, request, fields.get("jeton", ""))
        if isinstance(found, Response):
            return found
        submission, event = found
        freed = await run_in_threadpool(backend.seats.free, submission["id"], backend.clock())
        backend.wake.set()
        if freed.state == "deja_libere":
            return _page(backend, event, f"<p><strong>{ALREADY}</strong></p>", 410)
        if freed.state == "commence":
            return _page(backend, event, f"<p><strong>{TOO_LATE}</strong></p>", 410)
        return _page(backend, event, f"<p><strong>{DONE}</strong></p>")

    return [
        Route(f"{base}{PATH}", show, methods=["GET"]),
        Route(f"{base}{PATH}", free, methods=["POST"]),
    ]


def _still_open(backend: Backend, event: PublicEvent) -> bool:
    start = event.starts
    return start is None or backend.clock() < start
