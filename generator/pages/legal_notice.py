"""The mentions légales (LCEN art. 6-III): publisher, directeur de la publication, hosts —
written from the settings, so that the page says exactly what ``mkdocs.yml`` declares."""

from __future__ import annotations

import re

from forms_backend.typography import french_spacing

from ..legal import LegalFacts, Organisation
from ..licences import LICENCES_PATH
from .context import BuildContext
from .links import link, md_text

MISSING = "**à renseigner dans mkdocs.yml**"
SAMPLE_WARNING = (
    "**Informations d'exemple, à remplacer avant la mise en ligne** (réglages `editeur`, "
    "`hebergement`, `destinataires` de mkdocs.yml, puis retirer `exemple: oui`).\n\n"
)
_URL = re.compile(r"https?://[^\s<>()\[\]]+")


def shown(value: str) -> str:
    """A setting's value for a legal page, or a visible mark where it is missing."""
    return md_text(value) if value else MISSING


def safe_url(value: str) -> str:
    """A link target from settings: an http(s) address only, else nothing."""
    return value if _URL.fullmatch(value) else ""


def sample_warning(legal: LegalFacts) -> str:
    """The visible warning on the legal pages while the values are the shipped examples."""
    return SAMPLE_WARNING if legal.sample else ""


def _host(title: str, host: Organisation) -> str:
    return (
        f"**{title}** : {shown(host.name)}, {shown(host.address)}, "
        f"téléphone : {shown(host.phone)}.\n"
    )


def legal_notice_block(build: BuildContext, from_src: str) -> str:
    """The mentions légales, from ``editeur`` and ``hebergement``."""
    legal = build.settings.legal
    publisher = legal.publisher
    numbers = [
        f"{label} : {md_text(value)}"
        for label, value in (("RNA", publisher.rna), ("SIRET", publisher.siret))
        if value
    ]
    parts = [
        sample_warning(legal),
        "## Éditeur du site\n",
        f"{shown(publisher.name)}, {shown(publisher.legal_form)}.  ",
        f"Siège : {shown(publisher.address)}.  ",
        f"Téléphone : {shown(publisher.phone)}. E-mail : {shown(publisher.email)}.",
        ("  \n" + ". ".join(numbers) + ".") if numbers else "",
        "\n\n## Directeur ou directrice de la publication\n\n",
        f"{shown(publisher.director)}.\n",
        "\n## Hébergement\n\n",
        _host("Le site", legal.site_host),
        "\n",
        _host("Le serveur des formulaires", legal.forms_host),
        "\n## Données personnelles et accessibilité\n\n",
        f"Ce que deviennent les informations envoyées par les formulaires : "
        f"[Données personnelles]({link(from_src, 'donnees-personnelles.md')}).  \n",
        f"Ce que vaut le site pour l'accessibilité : "
        f"[Déclaration d'accessibilité]({link(from_src, 'accessibilite.md')}).\n",
        "\n## Crédits\n\n",
        "Textes : l'équipe de la Mission Locale et les jeunes qui témoignent, avec leur accord. "
        "Les photos des témoignages sont publiées avec l'accord écrit des personnes (et de leurs "
        "parents pour un ou une mineure).\n\n",
        "Logiciels libres : le site est fait avec Porte-voix (licence MIT), Material for MkDocs, "
        "lunr.js, RxJS, clipboard.js, focus-visible et d'autres bibliothèques, dont les auteurs "
        f"et les licences sont dans [licences.txt]({link(from_src, LICENCES_PATH)}).\n",
    ]
    return french_spacing("".join(parts))
