"""Checking what people typed: one French message per wrong field, what was typed kept."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from forms_backend.intake.forms import MAX_AGE, MIN_AGE, FormField, FormSpec
from forms_backend.validator.addresses import check_address
from forms_backend.validator.phones import is_french_mobile, normalise_french_phone

TOO_YOUNG = (
    "La Mission Locale accompagne les jeunes à partir de 16 ans. Avant 16 ans, parles-en à ton "
    "collège ou à un Centre d'information et d'orientation (CIO) : ils peuvent t'aider."
)
TOO_OLD = (
    "La Mission Locale accompagne les jeunes jusqu'à 29 ans. À partir de 30 ans, France Travail "
    "peut t'aider : appelle le 3949 ou va sur francetravail.fr."
)

# C0 and C1 controls (DEL included), and the invisible marks that reorder or hide text: bidi
# embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), marks (U+200E, U+200F,
# U+061C). In an e-mail body a line break invents a line; in the staff's terminal an escape
# sequence recolours or rewrites the screen; in content/ a bidi override shows a text other than
# the one stored. Line breaks (LF, CR LF as browsers send them) and tabs stay in multi-line fields.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Characters that show nothing at all, so that a text can hide in them: zero-width spaces, word
# joiners, the byte order mark, soft hyphen, invisible operators, and Unicode tag characters
# (U+E0000–U+E007F: a whole ASCII sentence, invisible on the page, in the terminal and in
# content/) and the supplementary variation selectors. The joiners of emoji (U+200D, U+200C) and
# the tags of a flag (🏴 + tags + U+E007F: Scotland, Wales, England) are writing, and are kept.
_HIDDEN = re.compile(
    "[\u00ad\u034f\u115f\u1160\u180e\u200b\u2060-\u2064\u206a-\u206f\u3164\ufeff"
    "\uffa0\ufff9-\ufffb\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,8}\U000e007f")
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_KEPT_BREAKS = re.compile("\r\n|[\n\u2028\u2029]")  # in a multi-line field: made "\n"
MULTI_LINE = ("textarea",)
ONE_LINE = {
    False: "Écris tout sur une seule ligne, sans retour à la ligne.",
    True: "Écrivez tout sur une seule ligne, sans retour à la ligne.",
}
INVISIBLE = {
    False: (
        "Ce texte contient un caractère invisible qu'on ne peut pas garder (souvent venu d'un "
        "copier-coller). Efface le champ et retape le texte au clavier."
    ),
    True: (
        "Ce texte contient un caractère invisible que nous ne pouvons pas garder (souvent venu "
        "d'un copier-coller). Effacez le champ et retapez le texte au clavier."
    ),
}


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


def control_message(value: str, *, multi_line: bool = False, formal: bool = False) -> str:
    """Why ``value`` cannot be kept (a line break in a one-line field, a control character or an
    invisible direction mark), in French (``formal``: vouvoiement); empty when it can."""
    if multi_line:
        value = _KEPT_BREAKS.sub("", value.replace("\t", ""))
    elif _LINE_BREAKS.search(value):
        return ONE_LINE[formal]
    hidden = _HIDDEN.search(_FLAG_TAGS.sub("\U0001f3f4", value))
    return INVISIBLE[formal] if _CONTROLS.search(value) or hidden else ""


def screen_controls(
    spec: FormSpec, typed: Mapping[str, str], *, formal: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    """The one check of control characters, for every form: ``typed`` with the multi-line fields'
    line breaks made plain ``\n``, and a message for each field holding what cannot be kept."""
    cleaned, errors = dict(typed), {}
    for form_field in spec.fields:
        value = typed.get(form_field.name) or ""
        multi_line = form_field.kind in MULTI_LINE
        message = control_message(value, multi_line=multi_line, formal=formal)
        if message:
            errors[form_field.name] = message
        elif multi_line:
            cleaned[form_field.name] = _KEPT_BREAKS.sub("\n", value)
    return cleaned, errors


TICKED = ("oui", "on", "1", "true")


def read_fields(
    spec: FormSpec,
    typed: Mapping[str, str],
    *,
    formal: bool,
    missing: Callable[[FormField], str],
) -> Checked:
    """The rules every form shares, field by field: nothing unkeepable, nothing too long, a
    required box ticked, a required field filled. ``missing`` words the message for an empty
    required field or an unticked required box; a file field is checked elsewhere (uploads)."""
    result = Checked()
    values, errors = result.values, result.errors
    typed, controls = screen_controls(spec, typed, formal=formal)
    errors.update(controls)
    for form_field in spec.fields:
        if form_field.kind == "file" or form_field.name in controls:
            continue
        raw = (typed.get(form_field.name) or "").strip()
        if len(raw) > form_field.max_length:
            errors[form_field.name] = (
                f"C'est trop long : {form_field.max_length} caractères au plus."
            )
        elif form_field.kind == "checkbox":
            ticked = raw in TICKED
            if form_field.required and not ticked:
                errors[form_field.name] = missing(form_field)
            values[form_field.name] = "oui" if ticked else ""
        elif form_field.required and not raw:
            errors[form_field.name] = missing(form_field)
        else:
            values[form_field.name] = raw
    return result


def in_page_order(spec: FormSpec, errors: dict[str, str]) -> dict[str, str]:
    """The messages in the order of the fields on the page, so the summary reads top to bottom."""
    return {f.name: errors[f.name] for f in spec.fields if f.name in errors}


def check_form(spec: FormSpec, typed: Mapping[str, str]) -> Checked:
    """Apply every rule of ``spec`` to ``typed`` and report each problem next to its field."""
    professional = spec.name == "orientation"

    def missing(form_field: FormField) -> str:
        if form_field.kind != "checkbox":
            return _missing(form_field.name, professional)
        if form_field.name == "consentement" and not professional:
            return "Coche cette case pour qu'on puisse garder tes informations et te recontacter."
        return "Cette case doit être cochée pour envoyer le formulaire."

    result = read_fields(spec, typed, formal=professional, missing=missing)
    values, errors = result.values, result.errors
    _check_contact(spec, values, errors)
    _check_age(values, errors, result)
    result.errors = in_page_order(spec, errors)
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
        elif channel == "sms" and phone and "telephone" not in errors:
            if not is_french_mobile(values["telephone"]):
                errors["telephone"] = (
                    "Pour un SMS, il faut un numéro de portable (06 ou 07). Donnez son portable, "
                    "ou choisissez un appel."
                    if spec.name == "orientation"
                    else "Pour recevoir un SMS, il faut un numéro de portable (06 ou 07). Donne "
                    "ton portable, ou choisis un appel."
                )
        elif channel == "email" and not email and "email" not in errors:
            errors["email"] = "Pour être contacté·e par e-mail, écris une adresse e-mail."


def _check_age(values: dict[str, str], errors: dict[str, str], result: Checked) -> None:
    age = values.get("age", "")
    if not age or "age" in errors:
        return
    if not (age.isascii() and age.isdigit()):
        errors["age"] = "Écris l'âge en chiffres, par exemple : 19."
    elif int(age) < MIN_AGE:
        errors["age"], result.out_of_age = TOO_YOUNG, True
    elif int(age) > MAX_AGE:
        errors["age"], result.out_of_age = TOO_OLD, True
