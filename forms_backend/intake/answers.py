"""Answers every form shares: French error pages or JSON, the wait of a rate limit, the notice
of a form shown again."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from forms_backend.intake.negotiation import NO_STORE, wants_json
from forms_backend.typography import french_spacing


class FrenchJSONResponse(JSONResponse):
    """A form's JSON answer: its ``message`` and each of its ``erreurs`` are French text the
    page's script shows as it is, so they get the kit's no-break spaces here, as the page's own
    text got them at build time (« Cet événement est terminé : … », « 10 Mo »)."""

    def render(self, content: object) -> bytes:
        if isinstance(content, dict):
            content = dict(content)
            if isinstance(content.get("message"), str):
                content["message"] = french_spacing(content["message"])
            if isinstance(content.get("erreurs"), dict):
                content["erreurs"] = {
                    name: french_spacing(text) if isinstance(text, str) else text
                    for name, text in content["erreurs"].items()
                }
        return super().render(content)


ERRORS = {
    400: "La demande n'a pas pu être lue.",
    403: "Ce formulaire doit être envoyé depuis le site de la Mission Locale.",
    404: "Cette page n'existe pas.",
    405: "Cette adresse ne s'utilise pas de cette façon.",
    408: (
        "Le formulaire est arrivé trop lentement : la connexion est peut-être faible. "
        "Rien n'a été enregistré. Réessaie quand le réseau passe mieux."
    ),
    413: "Le formulaire envoyé est trop long.",
    429: "Trop d'envois depuis ta connexion. Attends quelques minutes, puis réessaie.",
    500: "Un problème est survenu de notre côté. Ta demande n'a peut-être pas été enregistrée : réessaie dans un moment, ou appelle-nous.",
}
ONE_MORE_STEP = {
    False: "Encore une étape : vérifie tes informations, puis appuie à nouveau sur le bouton pour envoyer.",
    True: "Encore une étape : vérifiez les informations, puis appuyez à nouveau sur le bouton pour envoyer.",
}


def error_response(
    request: Request,
    status: int,
    message: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A French error answer, JSON or HTML, never a stack trace."""
    text = message or ERRORS.get(status, ERRORS[400])
    headers = {**NO_STORE, **(headers or {})}
    if wants_json(request):
        return FrenchJSONResponse(
            {"ok": False, "message": text}, status_code=status, headers=headers
        )
    page = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Erreur — Mission Locale</title></head><body><main><h1>Oups</h1>"
        f"<p>{french_spacing(text)}</p>"
        '<p><a href="/">Retour à l\'accueil</a></p></main></body></html>'
    )
    return HTMLResponse(page, status_code=status, headers=headers)


def too_many(request: Request, wait: float, *, formal: bool = False) -> Response:
    """429 with ``Retry-After`` and the wait in plain words (``formal``: vouvoiement)."""
    minutes = max(1, math.ceil(wait / 60))
    spoken = "une minute" if minutes == 1 else f"{minutes} minutes"
    message = (
        f"Trop d'envois depuis votre connexion. Attendez {spoken}, puis réessayez."
        if formal
        else f"Trop d'envois depuis ta connexion. Attends {spoken}, puis réessaie."
    )
    return error_response(request, 429, message, {"Retry-After": str(math.ceil(wait))})
