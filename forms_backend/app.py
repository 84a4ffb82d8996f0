"""The ASGI application: receives the three forms, stores them durably, then forwards them.

Every answer is in French. A browser without JavaScript gets a ``303`` to a thank-you page, or
the form again with a message next to each wrong field; a script asking for JSON gets JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Match, Route

from forms_backend.config import BackendConfig
from forms_backend.contributions.forms import CONTRIBUTION_FORMS
from forms_backend.contributions.routes import contribution_routes
from forms_backend.contributions.store import ContributionStore
from forms_backend.intake.answers import (
    ONE_MORE_STEP,
    FrenchJSONResponse,
    error_response,
    too_many,
)
from forms_backend.intake.bodies import parse_fields, read_body
from forms_backend.intake.events import EventCatalogue, PublicEvent
from forms_backend.intake.forms import (
    EVENT,
    FORMS,
    HONEYPOT,
    REFERRAL,
    SIGNUP,
    SOURCE,
    SUBMISSION_ID,
    TOKEN,
    FormSpec,
    is_submission_id,
)
from forms_backend.intake.free_place import free_place_routes
from forms_backend.intake.negotiation import NO_STORE, wants_json
from forms_backend.intake.place_guard import (
    SAME_CONTACT,
    PlaceGuard,
    hold_reason,
    signed_up_already,
)
from forms_backend.intake.proxies import TrustedProxies
from forms_backend.intake.render import form_html, page_with_form
from forms_backend.intake.spam import RateLimiter, TimeTokens, client_address, foreign_origin
from forms_backend.outbox.event_watch import EventWatch
from forms_backend.outbox.failures import log_traceback
from forms_backend.outbox.forwarder import Clock, Forwarder, system_clock
from forms_backend.outbox.letters import LetterPost
from forms_backend.outbox.messages import received_at
from forms_backend.outbox.seats import Seats
from forms_backend.store.committer import GroupCommitter
from forms_backend.store.database import Recorded, Store
from forms_backend.store.event_messages import taken as places_taken
from forms_backend.store.event_messages import waiting_rank
from forms_backend.store.purge import Removed, purge_if_due
from forms_backend.validator.fields import Checked, check_form

log = logging.getLogger("porte_voix.forms")
THANKS = {"recu": "/merci/", "inscrit": "/merci/", "liste_attente": "/merci/liste-d-attente/"}
COLUMNS = {
    "prenom": "first_name",
    "telephone": "phone",
    "email": "email",
    "commune": "commune",
    "age": "age",
    "canal": "channel",
    "pro_nom": "referrer_name",
    "pro_structure": "referrer_structure",
    "pro_contact": "referrer_contact",
}
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")  # generator/flyers/subjects.py: SOURCE_MAX


class Backend:
    """The parts of a running backend: store, events, forwarder, spam checks."""

    def __init__(self, config: BackendConfig, clock: Clock = system_clock) -> None:
        self.config, self.clock = config, clock
        self.store = Store(config.database)
        self.store.migrate()
        # One embedded server per database: whatever was leased before a crash is due again now.
        self.store.release_leases()
        self.contributions = ContributionStore(self.store)
        self.letters = LetterPost(self.contributions, config)
        self.committer = GroupCommitter(self.store)
        self.store.committer = self.committer  # the worker's and spam's writes join the batches
        self.events = EventCatalogue(config.site_dir)
        self.forwarder = Forwarder(self.store, config, self.events, clock=clock)
        # An SMS left « sending » by the crash may have reached her: never sent blindly again.
        self.forwarder.report_abandoned(self.store.abandon_sending())
        self.seats = Seats(self.store, self.events)
        self.watch = EventWatch(self.store, self.events, self.seats)
        self.tokens = TimeTokens(config.secret or self.store.secret("time-token"))
        # Two budgets per address: forms accepted, and attempts (refused ones included), so
        # that a person correcting a form does not use up what the workshop next to them needs.
        self.limiter = RateLimiter(config.rate_limit, config.rate_window_seconds)
        self.place_guard = PlaceGuard(config.places_per_connection)
        self.attempts = RateLimiter(config.attempt_limit, config.rate_window_seconds)
        self.wake = asyncio.Event()

    def rank(self, submission: dict[str, Any]) -> int | None:
        """Her rank on the waiting list, or ``None`` when she is not waiting."""
        if submission["status"] != "liste_attente":
            return None
        return waiting_rank(self.store.connection(), submission)

    def refused_for(self, client: str) -> float:
        """Counts one attempt from ``client``: the seconds to wait when over a budget, else 0."""
        return max(self.attempts.take(client), self.limiter.wait(client))

    def form_page(
        self,
        spec: FormSpec,
        typed: dict[str, str],
        errors: dict[str, str],
        *,
        page_path: str,
        status: int,
        submission_id: str,
        source: str = "",
        event_id: str = "",
        notice: str = "",
        form_name: str = "",
        shown_again: bool = True,
    ) -> HTMLResponse:
        """The built page holding ``spec``'s form, filled again with what was typed, the
        messages beside the fields and a fresh token (``form_name``: on a page with several).

        The token of a form ``shown_again`` lets it be sent again at once (see TimeTokens)."""
        form = form_html(
            spec,
            action=f"{self.config.forms_path.rstrip('/')}/{spec.name}",
            values=typed,
            errors=errors,
            token=self.tokens.make(spec.name, shown_again=shown_again),
            submission_id=submission_id,
            source=source,
            event_id=event_id,
            notice=notice,
        )
        page = page_with_form(
            self.config.site_dir,
            page_path,
            form,
            title_prefix="Erreur" if errors else "",
            form_name=form_name,
        )
        return HTMLResponse(page, status_code=status, headers=NO_STORE)


async def read_form(request: Request, limit: int, deadline: float = 30.0) -> dict[str, str]:
    """The posted fields, refusing bodies over ``limit`` bytes (413) without reading them whole,
    too slow (408) or not UTF-8 (400)."""
    body = await read_body(request, limit, deadline)
    fields, _ = parse_fields(request.headers.get("content-type", ""), body)
    return fields


def create_app(
    config: BackendConfig, *, run_worker: bool = True, clock: Clock = system_clock
) -> Starlette:
    """The backend as an ASGI app, its routes under ``config.forms_path`` (``clock``: the
    worker's time, moved by tests)."""
    backend = Backend(config, clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(_worker(backend)) if run_worker else None
        yield
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await run_in_threadpool(backend.committer.stop)

    async def token(request: Request) -> Response:
        form = request.query_params.get("formulaire", "")
        if form not in FORMS and form not in CONTRIBUTION_FORMS:
            raise HTTPException(404)
        return JSONResponse(
            {"jeton": backend.tokens.make(form), "id": str(uuid.uuid4())}, headers=NO_STORE
        )

    async def places(request: Request) -> Response:
        event = backend.events.get(request.path_params["event_id"])
        if event is None:
            raise HTTPException(404)
        taken, _ = await run_in_threadpool(backend.store.places_taken, event.id)
        left = None if event.places is None else max(event.places - taken, 0)
        state = _state(event, left)
        # The places left while one can sign up, and no count: sign-ups and waiting list, read
        # by anyone once it is over, would undo the programme report's rounding.
        return JSONResponse(
            {
                "id": event.id,
                "places": event.places,
                "restantes": left if state in ("ouvert", "complet") else None,
                "etat": state,
            },
            headers=NO_STORE,
        )

    async def show_form(request: Request) -> Response:
        spec = FORMS.get(request.url.path.rsplit("/", 1)[1])
        if spec is None:
            raise HTTPException(404)
        event_id = request.query_params.get(EVENT, "")
        event = backend.events.get(event_id) if spec is SIGNUP else None
        if spec is SIGNUP and event is None:
            raise HTTPException(404)
        typed = {SOURCE: _source(request.query_params.get(SOURCE, ""))}
        return _form_page(backend, spec, event, typed, {}, status=200, shown_again=False)

    async def submit(request: Request) -> Response:
        spec = FORMS.get(request.url.path.rsplit("/", 1)[1])
        if spec is None:
            raise HTTPException(404)
        if foreign_origin(request, config.allowed_origins):
            raise HTTPException(403)
        typed = await read_form(request, config.max_body_bytes, config.body_timeout_seconds)
        client = client_address(request)
        formal = spec is REFERRAL
        wait = backend.refused_for(client)
        if wait:
            return too_many(request, wait, formal=formal)
        typed[SOURCE] = _source(typed.get(SOURCE, "") or _referer_source(request))
        event = None
        if spec is SIGNUP:
            event = backend.events.get(typed.get(EVENT, ""))
            if event is None:
                return error_response(request, 404, "Cet événement n'existe pas, ou plus.")
        if typed.get(HONEYPOT):
            await run_in_threadpool(
                backend.store.record_spam, spec.name, "champ piège rempli", _public(typed)
            )
            backend.limiter.count(client)
            return _accepted(request, "recu")
        check = backend.tokens.check(spec.name, typed.get(TOKEN, ""))
        too_fast = check.valid and not check.shown_again and check.age < config.min_fill_seconds
        if too_fast or not check.valid or not is_submission_id(typed.get(SUBMISSION_ID, "")):
            # Robots fill forms in an instant, but so does a person with autofill: a form sent too
            # fast is never taken for spam, it comes back with everything kept and a token that
            # lets it be sent again at once. Also the confirmation step of a form posted from a
            # static page without JavaScript (no token yet).
            notice = ONE_MORE_STEP[formal]
            if wants_json(request):
                fresh = {
                    "jeton": backend.tokens.make(spec.name, shown_again=True),
                    "id": typed.get(SUBMISSION_ID) or str(uuid.uuid4()),
                }
                return FrenchJSONResponse(
                    {"ok": False, "message": notice, **fresh}, status_code=409, headers=NO_STORE
                )
            # What is wrong is said now, not after the second press.
            errors = check_form(spec, typed).errors
            status = 422 if errors else 200
            return _form_page(backend, spec, event, typed, errors, status=status, notice=notice)
        result = check_form(spec, typed)
        if event is not None and result.ok:
            closed = _closed(event)
            if closed:
                return _refuse(request, backend, spec, event, typed, closed)
        if not result.ok:
            return _invalid(request, backend, spec, event, typed, result)
        values = {COLUMNS[name]: value for name, value in result.values.items() if name in COLUMNS}
        values.update(
            id=typed[SUBMISSION_ID],
            form=spec.name,
            source=typed[SOURCE] or None,
            event_id=event.id if event else None,
        )
        values["age"] = int(values["age"])
        capacity = event.places if event else None
        targets = backend.forwarder.targets(values)
        place_rows: list = []
        now = backend.clock()  # the worker's time: rows due now are due on its clock
        if event is not None:
            young, place_rows = backend.seats.sign_up_rows(values, event, now)
            targets += young

        def record(db: sqlite3.Connection) -> Recorded:
            if capacity is None:
                allowed, rows = backend.seats.within_limit(db, values, targets, place_rows, now)
                return backend.store.insert_submission(db, values, allowed, capacity, rows, due=now)
            # Places to fill: one per contact, a few per connection. What the page answers a
            # number or mailbox already signed up depends only on the places left, as for anyone:
            # else typing a stranger's number would tell whether she is signed up. Her own SMS or
            # e-mail tells her the truth.
            public = (
                "inscrit" if places_taken(db, values["event_id"]) < capacity else "liste_attente"
            )
            again = signed_up_already(db, values)
            if again is not None:  # her own place (or rank) stands: nothing new to store
                return Recorded(again[0], public, created=False)
            values["held"] = hold_reason(db, values, backend.place_guard, client)
            allowed, rows = backend.seats.within_limit(db, values, targets, place_rows, now)
            recorded = backend.store.insert_submission(db, values, allowed, capacity, rows, due=now)
            return replace(recorded, status=public) if values["held"] == SAME_CONTACT else recorded

        recorded = await backend.committer.run(record)
        if event is not None and recorded.created and recorded.status == "inscrit":
            backend.place_guard.count(client, event.id)
        backend.limiter.count(client)
        backend.wake.set()
        return _accepted(request, recorded.status)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = {"Allow": _allowed_methods(request)} if status == 405 else None
        return error_response(request, status, headers=headers)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("erreur interne (%s) sur %s", type(exc).__name__, request.url.path)
        return error_response(request, 500)

    base = config.forms_path.rstrip("/")
    routes = [
        *contribution_routes(backend),
        *free_place_routes(backend),
        Route(f"{base}/jeton", token, methods=["GET"]),
        Route(f"{base}/evenements/{{event_id}}/places", places, methods=["GET"]),
        # One route per form (not ``/{form}``): a 405's Allow then names only real methods.
        *(Route(f"{base}/{name}", show_form, methods=["GET"]) for name in FORMS),
        *(Route(f"{base}/{name}", submit, methods=["POST"]) for name in FORMS),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: server_error},
        middleware=[Middleware(TrustedProxies, networks=config.trusted_proxies)],
    )
    app.state.backend = backend
    return app


async def _worker(backend: Backend) -> None:
    """Forward pending rows now and after each new submission, and every few seconds anyway."""
    while True:
        await run_in_threadpool(_one_pass, backend)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(backend.wake.wait(), backend.config.worker_interval_seconds)
        backend.wake.clear()


def _one_pass(backend: Backend) -> None:
    """Each job of a pass on its own: one that fails (logged with its traceback) never stops
    the others, and the worker survives anything; rows stay in their queues."""
    jobs: tuple[tuple[str, Callable[[], object]], ...] = (
        ("les changements des événements", lambda: backend.watch.check(backend.clock())),
        ("les envois à la conseillère et aux jeunes", backend.forwarder.deliver_due),
        ("les lettres", backend.letters.deliver_due),
        ("l'effacement des données trop anciennes", lambda: _purge(backend)),
    )
    for name, job in jobs:
        try:
            job()
        except Exception as error:
            log_traceback(log, f"{name} : échec de ce passage, nouvel essai au suivant", error)


def _purge(backend: Backend, now: datetime | None = None) -> Removed | None:
    """Retention runs by itself: past its age (``retention.py``) everything goes, checked at each
    pass and done every ``PURGE_EVERY`` — no cron job needed for the privacy page to be true."""
    removed = purge_if_due(
        backend.store,
        backend.config.uploads,
        now or datetime.now(UTC),
        sms_dir=backend.config.sms_dir,
    )
    if removed and any(asdict(removed).values()):
        log.info("purge : %s", removed)  # counts only
    return removed


def _allowed_methods(request: Request) -> str:
    """Every method some route answers on this path (the ``Allow`` header of a 405)."""
    scope = {"type": "http", "path": request.url.path, "root_path": "", "method": request.method}
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or {"GET", "HEAD"}
    return ", ".join(sorted(methods))


def _source(raw: str) -> str:
    value = raw.strip().lower()
    return value if _SOURCE.fullmatch(value) else ""


def _referer_source(request: Request) -> str:
    """Without JavaScript the page cannot copy ``?source=`` into the form: the browser's Referer
    (same origin, so it keeps its query) still tells which QR code brought the person."""
    query = urlsplit(request.headers.get("referer", "")).query
    return dict(parse_qsl(query)).get(SOURCE, "")


def _public(typed: dict[str, str]) -> dict[str, str]:
    """What is kept of a suspected spam: field names and lengths only, never the content."""
    return {key: f"{len(value)} caractères" for key, value in typed.items() if value}


def _state(event: PublicEvent, left: int | None) -> str:
    if _closed(event):
        return "termine" if datetime.now(UTC) >= event.end else "clos"
    if not event.registration:
        return "libre"
    return "complet" if left == 0 else "ouvert"


def _closed(event: PublicEvent) -> str:
    """Why sign-up is refused now, or an empty string."""
    now = datetime.now(UTC)
    if event.cancelled:
        return "Cet événement est annulé : on ne peut plus s'inscrire."
    if not event.takes_place:
        return "Cet événement est reporté : les inscriptions rouvriront avec la nouvelle date."
    if now >= event.end:
        return "Cet événement est terminé : on ne peut plus s'inscrire."
    if not event.registration:
        return "Pas besoin de t'inscrire : cet événement est en entrée libre. Viens directement !"
    if event.deadline and now >= event.deadline:
        # « le 16/09/2027 à 23 h 59 », as French writes a time (never « 23:59 »), in Paris time.
        return f"Les inscriptions sont closes depuis le {received_at(event.deadline)}."
    return ""


def _accepted(request: Request, status: str) -> Response:
    target = THANKS[status]
    if wants_json(request):
        return JSONResponse({"ok": True, "statut": status, "redirection": target}, headers=NO_STORE)
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


def _form_page(
    backend: Backend,
    spec: FormSpec,
    event: PublicEvent | None,
    typed: dict[str, str],
    errors: dict[str, str],
    *,
    status: int,
    notice: str = "",
    shown_again: bool = True,
) -> Response:
    kept_id = typed.get(SUBMISSION_ID, "")
    return backend.form_page(
        spec,
        typed,
        errors,
        page_path=event.page_path if event else spec.page_path,
        status=status,
        submission_id=kept_id if is_submission_id(kept_id) else str(uuid.uuid4()),
        source=typed.get(SOURCE, ""),
        event_id=event.id if event else "",
        notice=notice,
        shown_again=shown_again,
    )


def _invalid(
    request: Request,
    backend: Backend,
    spec: FormSpec,
    event: PublicEvent | None,
    typed: dict[str, str],
    result: Checked,
) -> Response:
    if wants_json(request):
        return FrenchJSONResponse(
            {"ok": False, "erreurs": result.errors, "hors_age": result.out_of_age},
            status_code=422,
            headers=NO_STORE,
        )
    return _form_page(backend, spec, event, typed, result.errors, status=422)


def _refuse(
    request: Request,
    backend: Backend,
    spec: FormSpec,
    event: PublicEvent,
    typed: dict[str, str],
    reason: str,
) -> Response:
    if wants_json(request):
        return FrenchJSONResponse(
            {"ok": False, "message": reason}, status_code=409, headers=NO_STORE
        )
    return _form_page(backend, spec, event, typed, {}, status=409, notice=reason)


def create_site_app(
    config: BackendConfig, *, run_worker: bool = True, clock: Clock = system_clock
) -> Starlette:
    """The backend plus the built site's static files on one origin (what ``make run`` serves)."""
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    app = create_app(config, run_worker=run_worker, clock=clock)
    # Compressed as a production web server would (README: nginx's gzip): on a phone on mobile
    # data the stylesheet and script weigh a fifth of their size this way.
    static = StaticFiles(directory=config.site_dir, html=True, check_dir=False)
    app.router.routes.append(
        Mount("/", app=GZipMiddleware(static, minimum_size=1000, compresslevel=6))
    )
    return app
