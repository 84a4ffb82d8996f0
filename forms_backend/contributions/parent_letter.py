"""The letter that asks a parent to agree to a minor's testimonial, and its one-time link.

Written when it is sent, never stored: the database keeps only a hash of the link's token, and
each attempt makes a new token whose hash replaces the last (a link from a failed attempt no
longer works). In plain French, vouvoiement: who writes and why, what would be published, that
nothing is published without an answer, until when the link works, how to withdraw later, and
how to check the letter is genuine.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from forms_backend.contributions.store import Contribution
from forms_backend.intake.organisation import Organisation
from forms_backend.store import retention
from forms_backend.store.retention import french_duration
from forms_backend.typography import DAYS, MONTHS, NBSP, french_spacing

LINK_LIFETIME = retention.PARENT_LINK
PARIS = ZoneInfo("Europe/Paris")


def token_hash(token: str) -> str:
    """Only a hash of a parent's link is stored: a copy of the database cannot confirm anything."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A one-time token for a parent's link."""
    return secrets.token_urlsafe(32)


def french_moment(moment: datetime) -> str:
    """« mardi 8 décembre 2026 à 21 h 40 » (Paris time)."""
    local = moment.astimezone(PARIS)
    day = "1er" if local.day == 1 else str(local.day)
    return (
        f"{DAYS[local.weekday()]} {day} {MONTHS[local.month - 1]} {local.year} "
        f"à {local.hour}{NBSP}h{NBSP}{local.minute:02d}"
    )


def published_items(contribution: Contribution) -> list[str]:
    """What would be published, one item a line, as the parent reads it."""
    fields = contribution.fields
    items = [
        f"son prénom{NBSP}: {fields.get('prenom', '')}",
        f"son âge{NBSP}: {fields.get('age', '')}{NBSP}ans",
        f"sa commune{NBSP}: {fields.get('commune', '')}",
        "la phrase et le récit qu'il ou elle a écrits",
    ]
    if contribution.photo and contribution.photo_consent:
        items.append("sa photo")
    return items


def published_for() -> str:
    """How long the testimonial would stay on the site, as the content file will say."""
    return (
        f"Le témoignage resterait en ligne {retention.PUBLISHED_YEARS}{NBSP}ans au plus, "
        "puis serait retiré du site."
    )


def parent_letter(
    contribution: Contribution,
    link: str,
    expires: datetime,
    organisation: Organisation,
    *,
    privacy: str,
) -> str:
    """The letter's text (``organisation`` must be complete: see ``Organisation.missing``).
    The parent's address came from the young person, not from the parent: the letter says so,
    how long it is kept and where the parent's rights are written (RGPD art. 14)."""
    first_name = contribution.fields.get("prenom", "")
    contacts = [f"Par téléphone : {organisation.phone}", f"Par courrier : {organisation.address}"]
    if organisation.email:
        contacts.append(f"Par e-mail : {organisation.email}")
    return french_spacing(
        "\n".join(
            [
                "Bonjour,",
                "",
                f"Nous sommes {organisation.signature[0].lower()}{organisation.signature[1:]}. "
                "Nous aidons les jeunes de 16 à 29 ans à trouver un travail ou une formation.",
                "",
                f"{first_name} a écrit un témoignage pour notre site internet. "
                f"Vous recevez ce message parce que {first_name} a donné votre adresse e-mail. "
                f"{first_name} a moins de 18 ans : nous avons besoin de votre accord.",
                "",
                "Si vous êtes d'accord, nous publierons sur notre site :",
                *[f"- {item} ;" for item in published_items(contribution)[:-1]],
                f"- {published_items(contribution)[-1]}.",
                "",
                published_for(),
                "",
                "Nous ne publions rien sans votre réponse. Si vous ne faites rien, rien ne sera publié.",
                "",
                "Pour lire le témoignage et répondre (j'accepte ou je refuse), ouvrez ce lien :",
                link,
                f"Ce lien marche jusqu'au {french_moment(expires)}.",
                "",
                "Vous pourrez retirer votre accord plus tard, à tout moment. "
                "Appelez-nous ou écrivez-nous : nous retirerons le témoignage du site.",
                "",
                "Votre adresse e-mail sert seulement à vous demander cet accord. Nous l'effaçons "
                f"au plus tard {french_duration(retention.CONTRIBUTIONS)} après l'envoi du "
                f"témoignage. Vos droits sur ces données sont expliqués ici : {privacy}",
                "",
                "Vous voulez vérifier que ce message vient bien de nous ? Contactez-nous :",
                *contacts,
                "",
                organisation.signature,
            ]
        )
    )
