"""The Mission Locale's public contact, read from the site's ``porte-voix/organisation.json``.

The build writes it from the settings (``generator/organisation.py``): the backend never reads
``mkdocs.yml``. A parent's letter is only sent with a phone number and a postal address in it:
without them nobody could check that the letter is genuine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ORGANISATION_FILE = "porte-voix/organisation.json"
# What a parent's letter needs, with the words that name each in French.
NEEDED = {"name": "le nom", "phone": "le téléphone", "address": "l'adresse postale"}


@dataclass(frozen=True)
class Organisation:
    """Name, phone, postal address and e-mail of the Mission Locale, as published."""

    name: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""
    # The processors the privacy page names: « courriel », « webhook », « sms » → a name.
    recipients: tuple[tuple[str, str], ...] = ()

    def recipient(self, kind: str) -> str:
        """The name the privacy page gives the ``kind`` of processor, or an empty string."""
        return dict(self.recipients).get(kind, "")

    def missing(self) -> list[str]:
        """What a parent's letter needs and is not there, in French (empty: complete)."""
        return [words for key, words in NEEDED.items() if not getattr(self, key).strip()]

    @property
    def signature(self) -> str:
        """« La Mission Locale du Val de Lorraine »."""
        name = self.name.strip()
        if name.lower().startswith(("la ", "le ", "les ", "l'", "l’")):
            return name[0].upper() + name[1:]
        return f"La {name}"


def read_organisation(site_dir: Path) -> Organisation:
    """The published contact; an empty one when the site was not built with it."""
    try:
        data = json.loads((site_dir / ORGANISATION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Organisation()
    if not isinstance(data, dict):
        return Organisation()
    declared = data.get("destinataires")
    recipients = tuple(
        (str(kind), str(name).strip())
        for kind, name in (declared.items() if isinstance(declared, dict) else ())
        if isinstance(name, str) and name.strip()
    )
    return Organisation(
        **{key: str(data.get(french) or "").strip() for key, french in _FRENCH_KEYS.items()},
        recipients=recipients,
    )


# A service the server is set to send personal data to, and the privacy page's word for it.
RECIPIENT_SETTINGS = (
    ("courriel", "PORTE_VOIX_SMTP_URL", "le service de courriel"),
    ("webhook", "PORTE_VOIX_WEBHOOK_URL", "l'outil qui reçoit le webhook"),
    ("sms", "PORTE_VOIX_SMS_URL", "le service d'envoi de SMS"),
)


def unnamed_recipients(organisation: Organisation, configured: dict[str, bool]) -> list[str]:
    """Each service the server sends data to (``configured``: kind → set) that the published
    privacy page does not name (RGPD art. 13-1-e: the recipients), in French."""
    return [
        f"{variable} est réglée, mais la page « Données personnelles » ne nomme pas {what} qui "
        f"reçoit les données : écris son nom sous « destinataires: {kind}: » dans mkdocs.yml, "
        "puis reconstruis le site"
        for kind, variable, what in RECIPIENT_SETTINGS
        if configured.get(kind) and not organisation.recipient(kind)
    ]


def held_reason(organisation: Organisation) -> str:
    """Why parents' letters wait, in French, or an empty string."""
    missing = organisation.missing()
    if not missing:
        return ""
    return (
        f"les lettres aux parents ne partent pas : il manque {_joined(missing)} de la Mission "
        f"Locale dans {ORGANISATION_FILE} (réglages « contact » de mkdocs.yml : telephone, "
        "adresse) — complète mkdocs.yml, puis reconstruis le site"
    )


_FRENCH_KEYS = {"name": "nom", "phone": "telephone", "address": "adresse", "email": "email"}


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]
