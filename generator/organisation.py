"""``porte-voix/organisation.json``: the Mission Locale's public contact, read by the backend.

A parent's letter must say how to check it is genuine (a phone number, a postal address): the
backend does not read ``mkdocs.yml``, so the build publishes these public facts beside the
events manifest. ``organisation_contact`` is the one place that decides where they come from.
"""

from __future__ import annotations

import json

from .settings import Settings

ORGANISATION_PATH = "porte-voix/organisation.json"
ORGANISATION_VERSION = 1


def organisation_contact(settings: Settings) -> dict[str, str]:
    """Name, phone, postal address and e-mail of the Mission Locale: the publisher declared once
    for the legal pages (``editeur`` in mkdocs.yml), with the programme's own phone and e-mail
    (``contact``) first, since a parent's question goes to the team that wrote to them."""
    publisher = settings.legal.publisher
    return {
        "nom": (publisher.name or settings.site_name).strip(),
        "telephone": (settings.phone or publisher.phone).strip(),
        "adresse": (publisher.address or settings.address).strip(),
        "email": (settings.email or publisher.email).strip(),
    }


def declared_recipients(settings: Settings) -> dict[str, str]:
    """The processors the privacy page names (``destinataires`` in mkdocs.yml): the backend's
    ``forms check`` compares them with the services it is set to send to."""
    legal = settings.legal
    return {"courriel": legal.mail_provider, "webhook": legal.webhook, "sms": legal.sms}


def organisation_file(settings: Settings) -> bytes:
    """The JSON the backend reads (``forms_backend/intake/organisation.py``)."""
    data = {
        "version": ORGANISATION_VERSION,
        **organisation_contact(settings),
        "destinataires": declared_recipients(settings),
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
