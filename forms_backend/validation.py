"""Checking what people typed: one French message per wrong field, what was typed kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .addresses import check_address
from .forms import MAX_AGE, MIN_AGE, FormSpec
from .phones import normalise_french_phone

TOO_YOUNG = (
    "La Mission Locale accompagne les jeunes à partir de 16 ans. Avant 16 ans, parles-en à ton "
    "collège ou à un Centre d'information et d'orientation (CIO) : ils peuvent t'aider."
)
TOO_OLD = (
    "La Mission Locale accompagne les jeunes jusqu'à 29 ans. À partir de 30 ans, France Travail "
    "peut t'aider : appelle le 3949 ou va sur francetravail.fr."
)


@dataclass
class Checked:
    """The cleaned values, or a message per wrong field. ``out_of_age`` means: store nothing."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    out_of_age: bool = False

    @property
    def ok(self) -> bool:
        """True when the submission can be stored."""
        return not self.errors


def check_form(spec: FormSpec, typed: Mapping[str, str]) -> Checked:
    """Apply every rule of ``spec`` to ``typed`` and report each problem next to its field."""
    result = Checked()
    values, errors = result.values, result.errors
    for form_field in spec.fields:
        raw = (typed.get(form_field.name) or "").strip()
        if len(raw) > form_field.max_length:
            errors[form_field.name] = (
                f"C'est trop long : {form_field.max_length} caractères au plus."
            )
        elif form_field.kind == "checkbox":
            if raw not in ("oui", "on", "1", "true"):
                errors[form_field.name] = (
                    "Coche cette case pour qu'on puisse garder tes informations et te recontacter."
                    if form_field.name == "consentement" and spec.name != "orientation"
                    else "Cette case doit être cochée pour envoyer le formulaire."
                )
            else:
                values[form_field.name] = "oui"
        elif form_field.required and not raw:
            errors[form_field.name] = _missing(form_field.name, spec.name == "orientation")
        else:
            values[form_field.name] = raw
    _check_contact(spec, values, errors)
    _check_age(values, errors, result)
    # Messages in the order of the fields on the page, so the summary reads top to bottom.
    result.errors = {f.name: errors[f.name] for f in spec.fields if f.name in errors}
    return result


def _missing(name: str, professional: bool) -> str:
    you = {
        "prenom": "Écris ton prénom.",
        "commune": "Écris ta commune.",
        "age": "Écris ton âge.",
        "canal": "Choisis comment tu préfères être contacté·e.",
    }
    them = {
        "prenom": "Écrivez le prénom du ou de la jeune.",
        "commune": "Écrivez sa commune.",
        "age": "Écrivez son âge.",
        "canal": "Choisissez comment il ou elle préfère être contacté·e.",
        "pro_nom": "Écrivez votre nom.",
        "pro_structure": "Écrivez le nom de votre structure.",
        "pro_contact": "Écrivez un téléphone ou un e-mail où vous joindre.",
    }
    return (them if professional else you).get(name, "Ce champ est obligatoire.")


def _check_contact(spec: FormSpec, values: dict[str, str], errors: dict[str, str]) -> None:
    phone, email = values.get("telephone", ""), values.get("email", "")
    if phone and "telephone" not in errors:
        normalised = normalise_french_phone(phone)
        if normalised is None:
            errors["telephone"] = (
                "Ce numéro ne ressemble pas à un numéro français. Écris-le comme ceci : 06 12 34 56 78."
            )
        else:
            values["telephone"] = normalised
    if email and "email" not in errors:
        values["email"], problem = check_address(email, formal=spec.name == "orientation")
        if problem:
            errors["email"] = problem
    if not phone and not email and "telephone" not in errors and "email" not in errors:
        errors["telephone"] = (
            "Donne un numéro de téléphone ou une adresse e-mail, pour qu'on puisse te répondre."
        )
    channel = values.get("canal", "")
    if channel and "canal" not in errors:
        if channel not in spec.field("canal").choices:
            errors["canal"] = "Choisis une des propositions : SMS, appel, WhatsApp ou e-mail."
        elif channel in ("sms", "appel", "whatsapp") and not phone and "telephone" not in errors:
            errors["telephone"] = (
                "Pour un SMS, un appel ou WhatsApp, il nous faut un numéro de téléphone."
            )
        elif channel == "email" and not email and "email" not in errors:
            errors["email"] = "Pour être contacté·e par e-mail, écris une adresse e-mail."


def _check_age(values: dict[str, str], errors: dict[str, str], result: Checked) -> None:
    age = values.get("age", "")
    if not age or "age" in errors:
        return
    if not age.isdigit():
        errors["age"] = "Écris l'âge en chiffres, par exemple : 19."
    elif int(age) < MIN_AGE:
        errors["age"], result.out_of_age = TOO_YOUNG, True
    elif int(age) > MAX_AGE:
        errors["age"], result.out_of_age = TOO_OLD, True
