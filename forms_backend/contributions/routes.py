"""Routes of the « Participe » page: a testimonial or an event proposal (with an optional photo),
and the page where a parent gives consent for a minor through a one-time link.

Contributions are moderated before anything is published, so the signed fill-time token is
optional here (a page without JavaScript has none); honeypot, rate limit and Origin still apply.
A contribution sent faster than the minimal fill time comes back with everything kept (a person
sends it again at once), never a fake success, never filed as spam.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from forms_backend.contributions.checks import check_contribution
from forms_backend.contributions.forms import (
    ADULT_AGE,
    CONTRIBUTION_FORMS,
    PHOTO_MAX_BYTES,
    PHOTO_TOO_HEAVY,
)
from forms_backend.contributions.parent_letter import (
    french_moment,
    published_for,
    published_items,
    token_hash,
)
from forms_backend.contributions.store import (
    DECLARATIONS,
    OTHER_PARENT_AGREES,
    SOLE_AUTHORITY,
    Contribution,
    ParentBusy,
)
from forms_backend.contributions.uploads import UploadRefused, decode_in_turn
from forms_backend.intake.answers import ONE_MORE_STEP, FrenchJSONResponse, too_many
from forms_backend.intake.forms import HONEYPOT, SUBMISSION_ID, TOKEN, FormSpec, is_submission_id
from forms_backend.intake.negotiation import NO_STORE, wants_json
from forms_backend.intake.organisation import read_organisation
from forms_backend.intake.posted_form import read_posted_form
from forms_backend.intake.render import END, START, page_with_form
from forms_backend.intake.spam import client_address, foreign_origin
from forms_backend.store.private import private_folder, write_private_bytes
from forms_backend.typography import french_spacing
from forms_backend.validator.fields import control_message

if TYPE_CHECKING:
    from forms_backend.app import Backend

THANKS = "/merci/contribution/"
BROKEN_LINK = (
    "<p>Ce lien a été abîmé : il contient un caractère qu'il ne devrait pas avoir. Ouvrez à "
    "nouveau le lien reçu par e-mail, sans le modifier.</p>"
)
GUARDIAN_PAGE = "accord-parent/"
ACCEPT, REFUSE = "accepte", "refuse"
DECLARATION_MISSING = (
    "Pour accepter, cochez une des deux réponses : l'autre parent est d'accord, "
    "ou vous exercez seul ou seule l'autorité parentale."
)
PARENT_BUSY = (
    "Ce parent a déjà plusieurs demandes d'accord qui attendent sa réponse. Demande-lui de "
    "répondre au lien reçu par e-mail, ou appelle la Mission Locale."
)


def content_id(spec: FormSpec, typed: dict[str, str], photo: bytes | None) -> str:
    """The id of a form posted without one (the static page's script fills it in; without
    JavaScript it stays empty): made of what was typed and the photo, so that a second press
    on the same form is known as such and stored once, its parent's letter sent once."""
    typed_fields = {f.name: (typed.get(f.name) or "").strip() for f in spec.fields}
    digest = hashlib.sha256(json.dumps([spec.name, typed_fields], sort_keys=True).encode())
    digest.update(hashlib.sha256(photo or b"").digest())
    return str(uuid.UUID(bytes=digest.digest()[:16], version=4))


def contribution_routes(backend: Backend) -> list[Route]:
    """The routes, to place before the generic ``/{form}`` ones."""
    config = backend.config
    base = config.forms_path.rstrip("/")

    async def submit(request: Request) -> Response:
        spec = CONTRIBUTION_FORMS[request.url.path.rsplit("/", 1)[1]]
        if foreign_origin(request, config.allowed_origins):
            raise HTTPException(403)
        posted = await read_posted_form(
            request,
            photo_limit=PHOTO_MAX_BYTES,
            stream_limit=config.max_upload_bytes,
            deadline=config.body_timeout_seconds,
        )
        typed, photo = posted.fields, posted.photo
        client = client_address(request)
        wait = backend.refused_for(client)
        if wait:
            return too_many(request, wait)
        if typed.get(HONEYPOT):
            await run_in_threadpool(backend.store.record_spam, spec.name, "champ piège rempli", {})
            backend.limiter.count(client)
            return _accepted(request)
        check = backend.tokens.check(spec.name, typed.get(TOKEN, ""))
        if check.valid and not check.shown_again and check.age < config.min_fill_seconds:
            return _too_fast(request, backend, spec, typed, photo is not None)
        submission_id = typed.get(SUBMISSION_ID, "")
        if not is_submission_id(submission_id):
            submission_id = content_id(spec, typed, photo)
        if await run_in_threadpool(backend.contributions.has_submission, submission_id):
            return _accepted(request)  # a double tap: the first one is kept, same answer
        result = check_contribution(spec, typed, has_photo=photo is not None)
        if posted.photo_too_large:
            result.errors["photo"] = PHOTO_TOO_HEAVY
        cleaned = None
        if photo is not None and "photo" not in result.errors:
            try:
                cleaned = await decode_in_turn(photo)  # one photo at a time
            except UploadRefused as refused:
                result.errors["photo"] = str(refused)
        if result.errors:
            if photo is not None and "photo" not in result.errors:
                result.errors["photo"] = "Choisis ta photo à nouveau : elle n'a pas été gardée."
            order = [f.name for f in spec.fields]
            result.errors = dict(sorted(result.errors.items(), key=lambda i: order.index(i[0])))
            return _invalid(request, backend, spec, typed, result.errors)
        try:
            await run_in_threadpool(_keep, backend, spec, result.values, cleaned, submission_id)
        except ParentBusy:  # nothing kept: the parent is not sent one more letter
            errors = {"email_parent": PARENT_BUSY}
            if photo is not None:  # the photo field comes first on the page
                errors = {"photo": "Choisis ta photo à nouveau : elle n'a pas été gardée."} | errors
            return _invalid(request, backend, spec, typed, errors)
        backend.limiter.count(client)
        backend.wake.set()
        return _accepted(request)

    async def opened_by(token: str) -> tuple[Contribution, datetime] | Response:
        """The contribution a parent's link opens and when the link ends, or the French page
        saying why it does not open."""
        if control_message(token, formal=True):
            return _guardian_answer(backend, BROKEN_LINK, status=400)
        found = await run_in_threadpool(backend.contributions.by_token, token_hash(token))
        problem = _link_problem(found)
        if problem:
            return _guardian_answer(backend, problem, status=410 if found else 404)
        assert found is not None
        return found[0], datetime.fromisoformat(found[1])

    async def guardian_page(request: Request) -> Response:
        token = request.query_params.get("jeton", "")
        opened = await opened_by(token)
        if isinstance(opened, Response):
            return opened
        contribution, expires = opened
        form = guardian_form(
            base, token, contribution, expires=expires, withdraw=_withdraw_words(backend)
        )
        return _guardian_answer(backend, form)

    async def guardian_photo(request: Request) -> Response:
        """The photo itself, for the parent to see what would be published: with the same link
        only, never cached, never from the web root."""
        opened = await opened_by(request.query_params.get("jeton", ""))
        if isinstance(opened, Response):
            return opened
        contribution = opened[0]
        shown = contribution.photo if contribution.photo_consent else None
        path = backend.config.uploads / shown if shown else None
        if path is None or not path.is_file():
            return _guardian_answer(backend, "<p>Il n'y a pas de photo.</p>", status=404)
        data = await run_in_threadpool(path.read_bytes)
        return Response(data, media_type="image/jpeg", headers=NO_STORE)

    async def guardian_answer(request: Request) -> Response:
        if foreign_origin(request, config.allowed_origins):  # like every other form
            raise HTTPException(403)
        posted = await read_posted_form(
            request,
            photo_limit=0,
            stream_limit=4096,
            fields_limit=4096,
            deadline=config.body_timeout_seconds,
        )
        typed = posted.fields
        token = typed.get("jeton", "")
        opened = await opened_by(token)
        if isinstance(opened, Response):
            return opened
        contribution, expires = opened
        answer = typed.get("reponse", "")
        if answer == REFUSE:
            await run_in_threadpool(_refused, backend, contribution)
            backend.wake.set()
            return _guardian_answer(
                backend,
                "<p><strong>C'est noté : rien ne sera publié.</strong> Le témoignage est effacé, "
                "avec la photo s'il y en avait une.</p>",
            )
        declaration = typed.get("autorite", "")
        if answer != ACCEPT or declaration not in DECLARATIONS:
            form = guardian_form(
                base,
                token,
                contribution,
                error=DECLARATION_MISSING,
                expires=expires,
                withdraw=_withdraw_words(backend),
            )
            return _guardian_answer(backend, form, status=422, title_prefix="Erreur")
        confirmed = await run_in_threadpool(
            backend.contributions.confirm_guardian,
            contribution.id,
            declaration,
            token_hash(token),
        )
        if not confirmed:  # refused, purged or sent a new link since the page was read
            return _guardian_answer(backend, _link_problem(None), status=404)
        return _guardian_answer(
            backend,
            "<p><strong>Merci, votre accord est enregistré.</strong> L'équipe de la Mission Locale "
            "va relire le témoignage avant de le publier. Vous pourrez retirer votre accord plus "
            "tard : appelez-nous ou écrivez-nous.</p>",
        )

    return [Route(f"{base}/{name}", submit, methods=["POST"]) for name in CONTRIBUTION_FORMS] + [
        Route(f"{base}/accord-parent", guardian_page, methods=["GET"]),
        Route(f"{base}/accord-parent/photo", guardian_photo, methods=["GET"]),
        Route(f"{base}/accord-parent", guardian_answer, methods=["POST"]),
    ]


def _too_fast(
    request: Request, backend: Backend, spec: FormSpec, typed: dict[str, str], had_photo: bool
) -> Response:
    """The form again, everything typed kept, with a token that lets it go at once."""
    if wants_json(request):
        token = backend.tokens.make(spec.name, shown_again=True)
        return FrenchJSONResponse(
            {"ok": False, "message": ONE_MORE_STEP[False], "jeton": token, "id": str(uuid.uuid4())},
            status_code=409,
            headers=NO_STORE,
        )
    errors = {"photo": "Choisis ta photo à nouveau : elle n'a pas été gardée."} if had_photo else {}
    return backend.form_page(
        spec,
        typed,
        errors,
        page_path=spec.page_path,
        status=200,
        submission_id=str(uuid.uuid4()),
        form_name=spec.name,
        notice=ONE_MORE_STEP[False],
    )


def _keep(
    backend: Backend,
    spec: FormSpec,
    values: dict[str, str],
    photo: bytes | None,
    submission_id: str,
) -> None:
    """Store the photo (outside the web root), then the contribution and the parent's letter:
    nothing of it when ``submission_id`` was already stored (two posts of one form)."""
    contribution_id = str(uuid.uuid4())
    photo_name = None
    if photo is not None:
        private_folder(backend.config.uploads)
        photo_name = f"{contribution_id}.jpg"
        partial = backend.config.uploads / f".{photo_name}"
        write_private_bytes(partial, photo)
        partial.replace(backend.config.uploads / photo_name)
    contributor = values.pop("email", "") or None
    guardian_email = values.pop("email_parent", "") or None
    photo_consent = values.pop("accord_photo", "") == "oui" and photo is not None
    values.pop("accord_publication", None)
    minor = spec.name == "temoignage" and int(values["age"]) < ADULT_AGE
    try:
        # The parent's letter (and its link) is written only when sent: see letters.py.
        created = backend.contributions.add(
            contribution_id,
            spec.name,
            values,
            photo=photo_name,
            photo_consent=photo_consent,
            contributor_email=contributor,
            guardian_email=guardian_email if minor else None,
            submission_id=submission_id or None,
        )
    except BaseException:
        if photo_name:
            (backend.config.uploads / photo_name).unlink(missing_ok=True)
        raise
    if not created and photo_name:
        (backend.config.uploads / photo_name).unlink(missing_ok=True)


def guardian_form(
    base: str,
    token: str,
    contribution: Contribution,
    *,
    error: str = "",
    expires: datetime | None = None,
    withdraw: str = "appelez-nous ou écrivez-nous.",
) -> str:
    """What a parent reads and answers: the child's first name, what would be published and for
    how long, the text itself, until when the link works, how to withdraw later, the
    declaration of parental authority, « J'accepte » and « Je refuse »."""
    fields = contribution.fields
    name = escape(fields.get("prenom", ""))
    items = "".join(f"<li>{escape(item)}</li>" for item in published_items(contribution))
    described = ' aria-describedby="pv-accord-erreur"' if error else ""
    photo = (
        f'<p><img src="{escape(base)}/accord-parent/photo?jeton={escape(quote(token))}" '
        f'alt="La photo envoyée par {name}"></p>'
        if contribution.photo and contribution.photo_consent
        else ""
    )
    until = f"<p>Ce lien marche jusqu'au {french_moment(expires)}.</p>" if expires else ""
    message = (
        f'<p class="pv-error" id="pv-accord-erreur" role="alert">'
        f'<span class="pv-error__label">Erreur :</span> {escape(error)}</p>'
        if error
        else ""
    )
    choices = "".join(
        f'<p><input type="radio" id="pv-accord-{value}" name="autorite" value="{value}" required'
        f'{described}> <label for="pv-accord-{value}">{escape(label)}</label></p>'
        for value, label in (
            (OTHER_PARENT_AGREES, "L'autre parent est d'accord, lui aussi."),
            (SOLE_AUTHORITY, "J'exerce seul ou seule l'autorité parentale."),
        )
    )
    return (
        f"<p>{name}, {escape(fields.get('age', ''))}&nbsp;ans, a écrit ce témoignage pour le site "
        f"de la Mission Locale. {name} a moins de 18 ans : nous avons besoin de votre accord.</p>"
        f"<p>Si vous êtes d'accord, nous publierons :</p><ul>{items}</ul>"
        f"{photo}<blockquote><p>{escape(fields.get('citation', ''))}</p>"
        f"<p>{escape(fields.get('recit', ''))}</p></blockquote>"
        f"<p>{escape(published_for())} Vous pourrez retirer votre accord plus tard, à tout "
        f"moment, et nous retirerons le témoignage du site : {escape(withdraw)}</p>"
        "<p>Nous ne publions rien sans votre réponse. Si vous ne faites rien, rien ne sera "
        "publié.</p>"
        f'<form class="pv-form" method="post" action="{escape(base)}/accord-parent">'
        f'<input type="hidden" name="jeton" value="{escape(token)}">'
        f"<fieldset><legend>Pour accepter : vous avez l'autorité parentale sur {name}, et "
        f"(obligatoire)&nbsp;:</legend>{message}{choices}</fieldset>"
        '<p><button type="submit" name="reponse" value="accepte" '
        'class="md-button md-button--primary">J\'accepte</button> '
        '<button type="submit" name="reponse" value="refuse" formnovalidate '
        'class="md-button">Je refuse</button></p>'
        "<p>Si vous refusez, le témoignage et la photo sont effacés, et rien n'est publié.</p>"
        f"{until}</form>"
    )


def _withdraw_words(backend: Backend) -> str:
    """How a parent withdraws later: the Mission Locale's phone (and e-mail), as published."""
    organisation = read_organisation(backend.config.site_dir)
    ways = [f"appelez le {organisation.phone}"] if organisation.phone else []
    if organisation.email:
        ways.append(f"écrivez à {organisation.email}")
    return f"{' ou '.join(ways)}." if ways else "appelez-nous ou écrivez-nous."


def _refused(backend: Backend, contribution: Contribution) -> None:
    """The parent refused: the contribution and its photo go, the young person is told kindly."""
    notice = None
    if contribution.contributor_email:
        organisation = read_organisation(backend.config.site_dir)
        signature = organisation.signature if organisation.name else "La Mission Locale"
        notice = (
            contribution.contributor_email,
            "Ton témoignage ne sera pas publié",
            f"Bonjour {contribution.fields.get('prenom', '')},\n\n"
            "Merci d'avoir écrit ton témoignage. Ton parent n'a pas donné son accord pour le "
            "publier. Alors nous l'avons effacé, avec ta photo si tu en avais mis une.\n\n"
            "Ce n'est pas grave. Tu peux en parler avec lui ou avec elle, et nous écrire à "
            "nouveau plus tard si tu veux. Ta conseillère reste là pour toi.\n\n"
            f"{signature}",
        )
    backend.contributions.remove(contribution.id, notice)
    if contribution.photo:
        (backend.config.uploads / contribution.photo).unlink(missing_ok=True)


def _link_problem(found: tuple[object, str] | None) -> str:
    if found is None:
        return (
            "<p>Ce lien n'est pas valable, ou une réponse a déjà été donnée. "
            "Si vous avez un doute, écrivez à la Mission Locale.</p>"
        )
    if datetime.fromisoformat(found[1]) < datetime.now(UTC):
        return (
            "<p>Ce lien a expiré : il marchait 7 jours. Le témoignage n'a pas été publié. "
            "Votre enfant peut l'envoyer à nouveau depuis la page « Participer ».</p>"
        )
    return ""


def _guardian_answer(
    backend: Backend, html: str, *, status: int = 200, title_prefix: str = ""
) -> Response:
    page = page_with_form(
        backend.config.site_dir,
        GUARDIAN_PAGE,
        f"{START}{french_spacing(html)}{END}",
        title_prefix=title_prefix,
    )
    return HTMLResponse(page, status_code=status, headers=NO_STORE)


def _accepted(request: Request) -> Response:
    if wants_json(request):
        return JSONResponse({"ok": True, "redirection": THANKS}, headers=NO_STORE)
    return RedirectResponse(THANKS, status_code=303, headers=NO_STORE)


def _invalid(
    request: Request,
    backend: Backend,
    spec: FormSpec,
    typed: dict[str, str],
    errors: dict[str, str],
) -> Response:
    if wants_json(request):
        return FrenchJSONResponse(
            {"ok": False, "erreurs": errors}, status_code=422, headers=NO_STORE
        )
    return backend.form_page(
        spec,
        typed,
        errors,
        page_path=spec.page_path,
        status=422,
        # The same id again: once corrected, the form is stored once even if sent twice.
        submission_id=typed.get(SUBMISSION_ID, "")
        if is_submission_id(typed.get(SUBMISSION_ID, ""))
        else str(uuid.uuid4()),
        form_name=spec.name,
    )
