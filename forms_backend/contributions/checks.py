"""Checking a contribution: one French message per wrong field, everything typed kept."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from forms_backend.contributions.forms import ADULT_AGE
from forms_backend.intake.forms import MAX_AGE, MIN_AGE, FormSpec
from forms_backend.validator.addresses import check_address
from forms_backend.validator.fields import Checked, in_page_order, read_fields

PARIS = ZoneInfo("Europe/Paris")
_TIME = re.compile(r"([01]?\d|2[0-3])[:h]([0-5]\d)")
# A web or e-mail address: a scheme, « www. », an « @ », or a dot between letters (« exemple.fr »,
# which mail programs make a link). The first name and the commune are written into the letter
# the Mission Locale sends to a parent's address that anyone may type: without this rule, anyone
# could have it send a stranger a link of their choice, under its own name.
_ADDRESS = re.compile(r"(?i)https?:|://|www\.|@|[^\W\d_]\.[^\W\d_]{2,}")
NO_ADDRESS = {
    "prenom": "Écris seulement ton prénom ou un pseudo, sans adresse web ni e-mail.",
    "commune": "Écris seulement le nom de ta commune, sans adresse web ni e-mail.",
}
REQUIRED = {
    "prenom": "Écris ton prénom ou un pseudo.",
    "age": "Écris ton âge.",
    "commune": "Écris ta commune.",
    "citation": "Écris une phrase qui résume ton parcours.",
    "recit": "Raconte ton histoire en quelques phrases.",
    "titre": "Écris le nom de l'événement.",
    "date": "Écris la date de l'événement.",
    "debut": "Écris l'heure de début.",
    "fin": "Écris l'heure de fin.",
    "lieu": "Écris le lieu.",
    "description": "Écris ce qu'on fait à cet événement.",
    "accord_publication": "Coche cette case : sans ton accord, on ne peut rien publier.",
}


def check_contribution(
    spec: FormSpec, typed: Mapping[str, str], *, has_photo: bool = False, today: date | None = None
) -> Checked:
    """Apply the rules of ``spec`` to ``typed``; a photo's own checks come later (uploads.py)."""
    result = read_fields(
        spec,
        typed,
        formal=False,
        missing=lambda form_field: REQUIRED.get(
            form_field.name,
            "Coche cette case." if form_field.kind == "checkbox" else "Ce champ est obligatoire.",
        ),
    )
    values, errors = result.values, result.errors
    for form_field in spec.fields:
        if form_field.kind == "email" and values.get(form_field.name):
            values[form_field.name], problem = check_address(values[form_field.name])
            if problem:
                errors[form_field.name] = problem
    if spec.name == "temoignage":
        _check_testimony(values, errors, has_photo)
    else:
        _check_event(values, errors, today or datetime.now(PARIS).date())
    result.errors = in_page_order(spec, errors)
    return result


def _check_testimony(values: dict[str, str], errors: dict[str, str], has_photo: bool) -> None:
    for name, message in NO_ADDRESS.items():
        if name not in errors and _ADDRESS.search(values.get(name, "")):
            errors[name] = message
    age = values.get("age", "")
    if age and "age" not in errors:
        if not (age.isascii() and age.isdigit()):
            errors["age"] = "Écris ton âge en chiffres, par exemple : 19."
        elif not MIN_AGE <= int(age) <= MAX_AGE:
            errors["age"] = (
                f"Les témoignages sont ceux des jeunes de {MIN_AGE} à {MAX_AGE} ans, le public "
                "de la Mission Locale. Tu peux quand même nous appeler ou nous écrire."
            )
        elif (
            int(age) < ADULT_AGE and not values.get("email_parent") and "email_parent" not in errors
        ):
            errors["email_parent"] = (
                "Tu as moins de 18 ans : écris l'e-mail d'un de tes parents. On lui demandera son accord."
            )
    parent, own = values.get("email_parent", ""), values.get("email", "")
    if parent and own and parent.lower() == own.lower() and "email_parent" not in errors:
        # The parent's answer is what allows publishing a minor's words: never the minor's own.
        errors["email_parent"] = (
            "C'est ton e-mail : écris celui d'un de tes parents. C'est lui ou elle qui doit "
            "donner son accord."
        )
    if has_photo and not values.get("accord_photo"):
        errors["accord_photo"] = "Coche cette case pour qu'on publie ta photo, ou enlève la photo."
    citation = values.get("citation", "")
    if citation and "citation" not in errors and "\n" in citation:
        errors["citation"] = "Une seule phrase, sur une ligne."


def _check_event(values: dict[str, str], errors: dict[str, str], today: date) -> None:
    day_text = values.get("date", "")
    day = None
    if day_text and "date" not in errors:
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            errors["date"] = "Écris la date comme ceci : 2027-05-12."
        else:
            if day < today:
                errors["date"] = "Cette date est passée. Propose un événement à venir."
    times = {}
    for name in ("debut", "fin"):
        text = values.get(name, "")
        if text and name not in errors:
            match = _TIME.fullmatch(text)
            if match is None:
                errors[name] = "Écris l'heure comme ceci : 14:00."
            else:
                times[name] = (int(match[1]), int(match[2]))
                values[name] = f"{times[name][0]:02d}:{times[name][1]:02d}"
    if len(times) == 2 and times["fin"] <= times["debut"]:
        errors["fin"] = "L'heure de fin doit être après l'heure de début."
