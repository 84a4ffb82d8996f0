"""The three forms: their fields, labels and hints, in one place for the site and the backend."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forms_backend.store import retention
from forms_backend.store.retention import french_duration

REFERRAL_NOTICE = (
    "Ces informations servent à l'équipe « Aller vers » de la Mission Locale (responsable du "
    "traitement) pour contacter le ou la jeune. Base légale : la mission de service public de la "
    "Mission Locale. La conseillère l'informe de ses droits dès le premier contact. Elles passent "
    "par notre hébergeur et notre service de courriel, et sont effacées "
    f"{french_duration(retention.SUBMISSIONS)} après le dernier contact. Le ou la jeune, comme "
    "vous, peut les voir, les corriger, les faire effacer ou s'y opposer en écrivant à la Mission "
    "Locale, et se plaindre à la CNIL (cnil.fr)."
)
CHANNELS = {"sms": "SMS", "appel": "Appel", "whatsapp": "WhatsApp", "email": "E-mail"}
MIN_AGE, MAX_AGE = 16, 29


@dataclass(frozen=True)
class FormField:
    """One input. ``kind`` is an HTML input type, ``radio``, ``checkbox`` or ``hidden``."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    max_length: int = 120
    hint: str = ""
    autocomplete: str = ""
    inputmode: str = ""
    choices: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FormSpec:
    """A form: its name in URLs, title, fields, button and who it addresses."""

    name: str
    title: str
    fields: tuple[FormField, ...]
    button: str
    page_path: str
    intro: str = ""
    privacy: str = ""  # the information text by the button; empty: the call-back one
    privacy_more: str = ""  # said after it (the sign-up: the messages it sends)

    @property
    def has_file(self) -> bool:
        """True when the form sends a file (then it is posted as multipart)."""
        return any(f.kind == "file" for f in self.fields)

    def field(self, name: str) -> FormField:
        """The field called ``name``."""
        return next(f for f in self.fields if f.name == name)

    @property
    def names(self) -> set[str]:
        """Names of every field a person fills in (no technical field)."""
        return {f.name for f in self.fields}


def young_person_fields(you: bool = True) -> tuple[FormField, ...]:
    """The minimal fields about a young person: ``you`` for tutoiement, else about « le ou la jeune »."""
    who = "Ton" if you else "Son"
    her = "Ta" if you else "Sa"  # « commune » is feminine: « Ta commune », never « Ton commune »
    return (
        FormField(
            "prenom",
            f"{who} prénom",
            required=True,
            max_length=60,
            autocomplete="given-name" if you else "off",
        ),
        FormField(
            "telephone",
            f"{who} numéro de téléphone",
            kind="tel",
            max_length=30,
            hint="Par exemple : 06 12 34 56 78.",
            autocomplete="tel" if you else "off",
            inputmode="tel",
        ),
        FormField(
            "email",
            f"{who} adresse e-mail (facultatif si un téléphone est donné)",
            kind="email",
            max_length=254,
            hint="Par exemple : prenom@exemple.fr.",
            autocomplete="email" if you else "off",
        ),
        FormField(
            "commune",
            f"{her} commune",
            required=True,
            max_length=80,
            hint="La ville ou le village où tu habites."
            if you
            else "La ville ou le village où il ou elle habite.",
            autocomplete="address-level2" if you else "off",
        ),
        FormField(
            "age",
            f"{who} âge",
            kind="number",
            required=True,
            max_length=10,
            hint="Entre 16 et 29 ans.",
            inputmode="numeric",
        ),
        FormField(
            "canal",
            "Comment préfères-tu qu'on te contacte ?"
            if you
            else "Comment préfère-t-il ou elle être contacté·e ?",
            kind="radio",
            required=True,
            choices=CHANNELS,
        ),
    )


CONSENT = FormField(
    "consentement",
    "J'accepte que la Mission Locale garde ces informations pour me recontacter.",
    kind="checkbox",
    required=True,
)

CALLBACK = FormSpec(
    name="rappel",
    title="Je veux qu'on me rappelle",
    fields=(*young_person_fields(), CONSENT),
    button="Envoyer ma demande",
    page_path="rappel/",
    intro="Tous les champs sont obligatoires, sauf l'adresse e-mail si tu donnes un numéro de téléphone.",
)

SIGNUP = FormSpec(
    name="inscription",
    title="Je m'inscris",
    fields=(*young_person_fields(), CONSENT),
    button="M'inscrire",
    page_path="",  # the event's own page
    privacy_more=(
        "Tu reçois une confirmation et des rappels de l'événement par SMS (ou par e-mail), avec "
        "un lien pour libérer ta place. Ton numéro et ton adresse ne vont qu'à notre service "
        "d'envoi de SMS ou de courriel, pour ces messages seulement."
    ),
    intro="Tous les champs sont obligatoires, sauf l'adresse e-mail si tu donnes un numéro de téléphone.",
)

REFERRAL = FormSpec(
    name="orientation",
    title="Orienter un ou une jeune vers la Mission Locale",
    fields=(
        FormField("pro_nom", "Votre nom", required=True, max_length=80, autocomplete="name"),
        FormField(
            "pro_structure",
            "Votre structure",
            required=True,
            max_length=120,
            autocomplete="organization",
        ),
        FormField(
            "pro_contact",
            "Votre téléphone ou e-mail professionnel",
            required=True,
            max_length=254,
            hint="Pour que la conseillère puisse vous joindre si besoin.",
        ),
        *young_person_fields(you=False),
        FormField(
            "accord_jeune",
            "Le ou la jeune est d'accord pour que la Mission Locale le ou la contacte.",
            kind="checkbox",
            required=True,
        ),
        FormField(
            "consentement",
            "J'ai informé le ou la jeune de l'usage de ces informations (texte ci-dessous).",
            kind="checkbox",
            required=True,
        ),
    ),
    button="Envoyer l'orientation",
    page_path="orientation/",
    intro="Ce formulaire est réservé aux professionnels des structures partenaires.",
    privacy=REFERRAL_NOTICE,
)

FORMS = {spec.name: spec for spec in (CALLBACK, SIGNUP, REFERRAL)}

# Technical fields carried by every form.
SUBMISSION_ID, TOKEN, SOURCE, EVENT, HONEYPOT = "id", "jeton", "source", "evenement", "site_web"
_SUBMISSION_ID_FORM = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_submission_id(text: str) -> bool:
    """True when ``text`` is a submission id as the forms make them (a lowercase UUID)."""
    return _SUBMISSION_ID_FORM.fullmatch(text) is not None
