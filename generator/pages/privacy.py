"""The privacy notice (RGPD art. 13 and 14), written from the facts the code uses: the forms'
own fields, the retention constants the purge applies, the recipients declared in mkdocs.yml.

A field added to a form without a word here stops the build (``FieldNotDescribed``): the notice
can never leave out what a form collects.
"""

from __future__ import annotations

from forms_backend.contributions.forms import ADULT_AGE, EVENT_PROPOSAL, TESTIMONY
from forms_backend.intake.forms import (
    CALLBACK,
    CHANNELS,
    MAX_AGE,
    MIN_AGE,
    REFERRAL,
    SIGNUP,
    FormSpec,
)
from forms_backend.store import retention
from forms_backend.store.retention import french_duration
from forms_backend.typography import french_spacing

from ..content.scaffold import CONSENT_YEARS
from ..legal import LegalFacts
from ..report.masking import THRESHOLD
from .context import BuildContext
from .legal_notice import sample_warning, shown
from .links import md_text

# What each field is, in plain words (the form labels speak to the person filling it in).
FIELD_NOUNS = {
    "prenom": "le prénom",
    "telephone": "le numéro de téléphone",
    "email": "l'adresse e-mail",
    "commune": "la commune",
    "age": "l'âge",
    "canal": "le moyen de contact préféré (" + ", ".join(CHANNELS.values()) + ")",
    "pro_nom": "le nom du ou de la professionnelle",
    "pro_structure": "sa structure",
    "pro_contact": "son téléphone ou e-mail professionnel",
    "citation": "une phrase",
    "recit": "le récit",
    "photo": "une photo, si la personne le veut (sans ses informations cachées : lieu, date)",
    "email_parent": "l'e-mail d'un parent (moins de 18 ans)",
    "titre": "le nom de l'événement",
    "date": "sa date",
    "debut": "l'heure de début",
    "fin": "l'heure de fin",
    "lieu": "le lieu",
    "description": "la description",
}


def submission_keep() -> str:
    """The retention of call-back, sign-up and referral requests (read at each build)."""
    return (
        f"**Durée** : effacées {french_duration(retention.SUBMISSIONS)} après le dernier contact."
    )


def contribution_keep() -> str:
    """The retention of contributions never published."""
    return (
        f"**Durée** : si elle n'est pas publiée, elle est effacée "
        f"{french_duration(retention.CONTRIBUTIONS)} après l'envoi (une modification ne prolonge "
        "pas ce délai). Publiée ou refusée, elle est retirée de la base tout de suite."
    )


class FieldNotDescribed(KeyError):
    """A form field has no plain description on the privacy page: add it to FIELD_NOUNS."""


def collected(spec: FormSpec) -> str:
    """What a form keeps: each field it asks, in plain words (checkboxes: the agreement)."""
    nouns = []
    for form_field in spec.fields:
        if form_field.kind == "checkbox":
            continue
        if form_field.name not in FIELD_NOUNS:
            raise FieldNotDescribed(
                f"le champ « {form_field.name} » du formulaire « {spec.name} » n'est pas décrit "
                "dans generator/pages/privacy.py (FIELD_NOUNS)"
            )
        nouns.append(FIELD_NOUNS[form_field.name])
    return " ; ".join(nouns)


def required(spec: FormSpec) -> str:
    """What a form cannot be sent without (RGPD art. 13-2-e: say it, and what follows)."""
    names = {f.name for f in spec.fields}
    nouns = [FIELD_NOUNS[f.name] for f in spec.fields if f.required and f.kind not in ("checkbox",)]
    if {"telephone", "email", "canal"} <= names and not any(
        f.required for f in spec.fields if f.name in ("telephone", "email")
    ):
        nouns.append("un numéro ou une adresse e-mail, selon le moyen de contact choisi")
    return (
        f"**Obligatoire** : {' ; '.join(nouns)}. Sans ces réponses, la demande ne peut pas "
        "partir (la conseillère ne pourrait pas te joindre) ; le reste est facultatif.\n\n"
    )


def _recipients(legal: LegalFacts) -> str:
    lines = [
        "- l'équipe « Aller vers » de la Mission Locale, qui reçoit chaque demande par courriel ;"
    ]
    lines += [f"- {md_text(r.name)}, {r.role} ;" for r in legal.recipients()]
    lines.append(
        "- si tu choisis WhatsApp pour être contacté·e : WhatsApp, un service de Meta, qui "
        "voit ton numéro et les messages échangés selon ses propres règles (Meta peut transférer "
        "des données hors de l'Union européenne). Choisis plutôt un SMS, un appel ou un e-mail "
        "si tu préfères."
    )
    return "\n".join(lines) + "\n\nTes données ne sont ni vendues ni données à d'autres.\n"


def _controller(legal: LegalFacts) -> str:
    publisher = legal.publisher
    text = (
        f"Le responsable de tes données est {shown(publisher.name)}, {shown(publisher.address)}. "
        f"Pour toute question : {shown(publisher.email)} ou {shown(publisher.phone)}."
    )
    if legal.dpo:
        text += (
            f" Son délégué ou sa déléguée à la protection des données : {md_text(legal.dpo)}"
            + (f" ({md_text(legal.dpo_email)})" if legal.dpo_email else "")
            + "."
        )
    return text + "\n"


def _young_person_form(title: str, spec: FormSpec, purpose: str) -> str:
    return (
        f"## {title}\n\n"
        f"**Pourquoi** : {purpose}\n\n"
        "**Base légale** : ton consentement (RGPD, article 6-1-a), donné en cochant la case. "
        "Tu peux le retirer quand tu veux.\n\n"
        f"**Ce qui est gardé** : {collected(spec)} ; la date de ta demande ; et d'où elle vient "
        "(le flyer, la campagne ou le partenaire dont le lien ou le QR code t'a amené·e).\n\n"
        f"{required(spec)}"
        f"{submission_keep()}\n"
    )


def _referral() -> str:
    return (
        "## Quand un ou une professionnelle t'oriente vers nous\n\n"
        "Un ou une professionnelle d'une structure partenaire (une association, un service "
        "social, un établissement…) peut remplir pour toi le formulaire « Orienter un ou une "
        "jeune », avec ton accord.\n\n"
        "**Pourquoi** : qu'une conseillère te contacte pour te proposer un accompagnement.\n\n"
        "**Base légale** : la mission de service public de la Mission Locale (Code du travail, "
        "article L5314-2 ; RGPD, article 6-1-e). Ce n'est pas un consentement : tu peux t'y "
        "opposer à tout moment, et tes données sont alors effacées.\n\n"
        f"**Ce qui est gardé** : {collected(REFERRAL)} ; la date ; le partenaire qui t'oriente.\n\n"
        f"{required(REFERRAL)}"
        "**D'où viennent ces données** (RGPD, article 14) : de la structure qui t'a orienté·e. "
        "La conseillère te le dit dès son premier contact, au plus tard un mois après, et te "
        "rappelle tes droits.\n\n"
        f"{submission_keep()}\n\n"
        "Aux professionnels : vous transmettez ces informations avec l'accord du ou de la "
        "jeune, que vous avez informé·e de ce texte ; votre nom et votre contact sont gardés "
        "aussi longtemps que la demande, pour que la conseillère puisse vous joindre (mission de "
        "service public, RGPD, article 6-1-e). Vous avez sur eux les mêmes droits que les jeunes "
        "(accès, rectification, effacement, limitation, opposition) : voyez « Tes droits » "
        "ci-dessous, aux mêmes contacts.\n"
    )


def _testimonial() -> str:
    return (
        "## Quand tu racontes ton parcours (témoignage)\n\n"
        "**Pourquoi** : publier ton témoignage sur le site, après relecture par l'équipe.\n\n"
        "**Base légale** : ton consentement (RGPD, article 6-1-a), et celui d'un parent si tu as "
        f"moins de {ADULT_AGE} ans. Les témoignages sont ceux des jeunes de {MIN_AGE} à "
        f"{MAX_AGE} ans.\n\n"
        f"**Ce qui est gardé** : {collected(TESTIMONY)} (si tu veux savoir quand c'est "
        "publié).\n\n"
        "**Ce qui est publié** : ton prénom ou ton pseudo, ton âge, ta commune, ta phrase, ton "
        "récit, et ta photo seulement si tu as coché la case pour la photo. Ton e-mail et celui "
        "de ton parent ne sont jamais publiés.\n\n"
        f"{contribution_keep()} Un témoignage publié reste en ligne jusqu'à la date de fin de "
        f"l'accord ({CONSENT_YEARS} ans après l'accord donné sur ce site ; pour un accord signé "
        "sur papier, la date écrite dessus), et tu peux le faire retirer avant.\n"
    )


def _event_proposal() -> str:
    return (
        "## Quand tu proposes un événement\n\n"
        "**Pourquoi** : publier l'événement dans l'agenda, après relecture.\n\n"
        "**Base légale** : ton consentement (RGPD, article 6-1-a), donné en cochant la case.\n\n"
        f"**Ce qui est gardé** : {collected(EVENT_PROPOSAL)}.\n\n"
        f"{contribution_keep()}\n"
    )


def _parent(legal: LegalFacts) -> str:
    contact = shown(legal.dpo_email or legal.publisher.email)
    return (
        "## Quand vous donnez votre accord de parent\n\n"
        f"Quand un ou une jeune de moins de {ADULT_AGE} ans envoie un témoignage, nous "
        "écrivons à l'adresse qu'il ou elle a donnée.\n\n"
        "**Pourquoi** : vous demander votre accord avant toute publication, et en garder la "
        "preuve.\n\n"
        "**Base légale** : votre consentement pour la publication (RGPD, article 6-1-a) ; "
        "l'envoi de la demande relève de la mission de service public (article 6-1-e).\n\n"
        "**Ce qui est gardé** : votre adresse e-mail, le jour et l'heure de votre accord. Le "
        f"lien reçu ne sert qu'une fois et expire après {french_duration(retention.PARENT_LINK)}."
        " À la publication, nous ne gardons pas votre adresse : seulement une empreinte "
        "chiffrée, qui permet de vérifier à qui la demande a été envoyée, et la date de "
        "l'accord.\n\n"
        "**Durée** : votre adresse est effacée avec la contribution (à la publication, au refus, "
        f"ou {french_duration(retention.CONTRIBUTIONS)} après l'envoi au plus tard). Un courriel "
        "qui n'a pas pu vous être remis (il contient votre adresse, le prénom et l'âge du ou de "
        f"la jeune) est effacé {french_duration(retention.LETTERS)} après avoir été écrit.\n\n"
        "**Vos droits** : vous pouvez retirer votre accord à tout moment (le témoignage est "
        "alors retiré du site), vous opposer à ce que nous vous écrivions (opposition), voir, "
        f"faire corriger ou effacer votre adresse : écrivez à {contact}. Nous répondons en un "
        "mois au plus ; si la réponse ne vous convient pas, vous pouvez saisir la CNIL (voir "
        "plus bas).\n"
    )


def _retention_table() -> str:
    rows = [
        ("Demandes de rappel, inscriptions, orientations", submission_keep().split(": ", 1)[1]),
        (
            "Contributions non publiées",
            f"effacées {french_duration(retention.CONTRIBUTIONS)} après l'envoi.",
        ),
        (
            "Courriels non remis (aux parents, aux contributeurs)",
            f"effacés {french_duration(retention.LETTERS)} après avoir été écrits.",
        ),
        (
            "Envois soupçonnés de spam (noms des champs et longueurs seulement)",
            f"effacés {french_duration(retention.SPAM)} après leur arrivée.",
        ),
        (
            "SMS de confirmation gardés dans un fichier sur le serveur, quand aucun service "
            "d'envoi de SMS n'est utilisé (ton numéro et le message)",
            f"effacés {french_duration(retention.UNSENT_SMS)} après avoir été écrits.",
        ),
    ]
    table = "| Quoi | Combien de temps |\n|---|---|\n" + "".join(
        f"| {what} | {how} |\n" for what, how in rows
    )
    return (
        "## Combien de temps tout est gardé\n\n"
        + table
        + f"\nLe serveur des formulaires efface lui-même ce qui a passé ces durées, toutes les "
        f"{french_duration(retention.PURGE_EVERY)}.\n"
    )


def _statistics() -> str:
    return (
        "## Les statistiques\n\n"
        "Pour rendre compte du programme à ses financeurs, la Mission Locale compte les "
        "demandes : par commune, par formulaire, par moyen de contact, par tranche d'âge et par "
        "origine (flyer, campagne, partenaire). Ces tableaux ne contiennent que des nombres, "
        f"jamais de nom ; un nombre inférieur à {THRESHOLD} est caché.\n\n"
        "Le jour d'un événement, tu signes une feuille d'émargement (ton prénom et ta "
        "commune), que demandent les financeurs : elle est rangée sous clé le temps qu'ils "
        "l'exigent, puis détruite. La Mission Locale note aussi que tu es venu·e, pour compter "
        "combien de jeunes viennent ; cette note est effacée avec ton inscription.\n"
    )


def _rights(legal: LegalFacts) -> str:
    contact = shown(legal.dpo_email or legal.publisher.email)
    return (
        "## Tes droits\n\n"
        "Tu peux, à tout moment :\n\n"
        "- voir les données gardées sur toi (droit d'accès) ;\n"
        "- les faire corriger (rectification) ;\n"
        "- les faire effacer (effacement) ;\n"
        "- demander qu'on ne s'en serve plus pour un temps (limitation) ;\n"
        "- t'opposer à leur utilisation quand tu as été orienté·e par un partenaire "
        "(opposition) ;\n"
        "- retirer ton accord pour une demande, un témoignage ou une photo (retrait du "
        "consentement) : cela compte pour la suite ;\n"
        "- les recevoir dans un fichier (portabilité), pour ce que tu nous as envoyé toi-même.\n\n"
        f"Pour cela, écris à {contact} ou à l'adresse ci-dessus, ou appelle "
        f"{shown(legal.publisher.phone)}. Nous répondons en un mois au plus.\n\n"
        "Si la réponse ne te convient pas, tu peux faire une réclamation à la CNIL : sur "
        "[cnil.fr/fr/plaintes](https://www.cnil.fr/fr/plaintes), ou par courrier : CNIL, "
        "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07.\n"
    )


def privacy_block(build: BuildContext, from_src: str) -> str:
    """The whole privacy notice, from the forms, the retention constants and the settings."""
    legal = build.settings.legal
    return french_spacing(
        "\n".join(
            (
                sample_warning(legal),
                "## Qui est responsable de tes données\n",
                _controller(legal),
                _young_person_form(
                    "Quand tu demandes à être rappelé·e",
                    CALLBACK,
                    "qu'une conseillère te recontacte, de la façon que tu as choisie.",
                ),
                _young_person_form(
                    "Quand tu t'inscris à un événement",
                    SIGNUP,
                    "t'inscrire (ou te mettre sur la liste d'attente). L'événement choisi est "
                    "gardé avec ta demande. Tu reçois une confirmation, des rappels avant "
                    "l'événement, et un message si une place se libère pour toi ou si "
                    "l'événement change, par SMS (ou par e-mail), avec un lien pour libérer ta "
                    "place. Ton numéro et ton adresse ne vont qu'à notre service d'envoi de SMS "
                    "ou de courriel, pour ces messages seulement. Ces messages et le lien sont "
                    "effacés avec ta demande.",
                ),
                _referral(),
                _testimonial(),
                _event_proposal(),
                _parent(legal),
                "## Qui reçoit tes données\n",
                _recipients(legal),
                _retention_table(),
                _statistics(),
                _rights(legal),
                "## Cookies\n\nCe site ne dépose aucun cookie et ne mesure pas ton audience. Il ne "
                "charge rien depuis un autre site.\n",
            )
        )
    )
