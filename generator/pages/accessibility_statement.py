"""The accessibility statement, on the RGAA 4.1 model, from the ``accessibilite`` settings.

Its status comes from the recorded audit only (``generator/accessibility.py``); the automated
checks the kit's tests run are named as such, never as an audit.
"""

from __future__ import annotations

from forms_backend.typography import french_spacing

from ..accessibility import Accessibility
from ..content.french_dates import long_date
from .context import BuildContext
from .legal_notice import safe_url, shown
from .links import md_text

DEFENDER_FORM = "https://formulaire.defenseurdesdroits.fr/"
DEFENDER_DELEGATES = "https://www.defenseurdesdroits.fr/carte-des-delegues"
DEFENDER_POST = "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"
AUTOMATED = (
    "À chaque version du kit, des tests automatiques vérifient les pages : axe-core (règles "
    "WCAG 2.1 A et AA) et le validateur HTML du W3C (Nu Html Checker), dans Chromium. Ces outils "
    "ne couvrent qu'environ un tiers des critères du RGAA : leurs résultats ne sont pas un audit "
    "et ne donnent aucun état de conformité."
)


def status_sentence(site_name: str, facts: Accessibility) -> str:
    """« X est non conforme avec le RGAA 4.1 », the sentence every statement starts with."""
    return f"**{md_text(site_name)} est {facts.label} avec le RGAA 4.1.**"


def _results(facts: Accessibility) -> str:
    audit = facts.audit
    if audit is None:
        return (
            "Aucun audit de conformité n'a encore été fait : le site est donc déclaré « non "
            "conforme », comme le veut le RGAA tant qu'un audit ne mesure pas le respect des "
            "critères.\n\n" + AUTOMATED + "\n"
        )
    rate = f"{audit.rate:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    lines = [
        f"L'audit de {md_text(audit.auditor)}, du {long_date(audit.day)}, relève que "
        f"**{rate} % des critères du RGAA 4.1** applicables sont respectés.\n",
        "**Pages vérifiées** :\n",
        *(f"- {md_text(page)}" for page in audit.pages),
        "",
    ]
    if audit.environment:
        lines += ["**Environnement de test** (navigateurs et technologies d'assistance) :\n"]
        lines += [f"- {md_text(item)}" for item in audit.environment] + [""]
    if audit.tools:
        lines += ["**Outils utilisés pendant l'audit** :\n"]
        lines += [f"- {md_text(item)}" for item in audit.tools] + [""]
    lines.append(AUTOMATED)
    return "\n".join(lines) + "\n"


def _not_accessible(facts: Accessibility) -> str:
    if not facts.not_accessible:
        return "Aucun contenu non accessible n'est connu à ce jour.\n"
    return (
        "\n".join(
            f"- {md_text(content)} : {md_text(reason)}" for content, reason in facts.not_accessible
        )
        + "\n"
    )


def _plans(facts: Accessibility) -> str:
    lines = []
    for title, url in (
        ("Schéma pluriannuel de mise en accessibilité", facts.multiyear_plan),
        ("Plan d'action de l'année", facts.action_plan),
    ):
        target = safe_url(url)
        lines.append(f"- [{title}]({target})" if target else f"- {title} : pas encore publié.")
    return "\n".join(lines) + "\n"


def _established(facts: Accessibility) -> str:
    if facts.established is None:
        return "La date où cette déclaration a été établie n'est pas encore renseignée. "
    return f"Cette déclaration a été établie le {long_date(facts.established)}. "


def accessibility_block(build: BuildContext, from_src: str) -> str:
    """The whole statement: status, results, gaps, technologies, plans, feedback, recourse."""
    settings, facts = build.settings, build.settings.accessibility
    publisher = settings.legal.publisher
    email = settings.email or publisher.email
    phone = settings.phone or publisher.phone
    return french_spacing(
        "\n".join(
            (
                f"{shown(publisher.name or settings.site_name)} s'engage à rendre son site "
                "accessible, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.\n",
                f"Cette déclaration d'accessibilité s'applique au site « {md_text(settings.site_name)} » "
                f"({md_text(settings.site_url)}).\n",
                "## État de conformité\n",
                status_sentence(settings.site_name, facts) + "\n",
                "## Résultats des tests\n",
                _results(facts),
                "## Contenus non accessibles\n",
                _not_accessible(facts),
                "## Technologies utilisées\n",
                "HTML5, CSS, JavaScript (le site marche aussi sans JavaScript), SVG.\n",
                "## Établissement de cette déclaration\n",
                _established(facts)
                + "Elle est produite à chaque construction du site, à partir des réglages "
                "`accessibilite` du site (audit, contenus non accessibles, plans)"
                + (
                    f" ; l'audit qu'elle reprend date du {long_date(facts.audit.day)}.\n"
                    if facts.audit
                    else ".\n"
                ),
                "## Amélioration et plans\n",
                _plans(facts),
                "## Retour d'information et contact\n",
                "Si tu n'arrives pas à utiliser une page ou un service, dis-le nous : nous te "
                "donnerons l'information sous une autre forme.\n",
                f"- par courriel : {shown(email)} ;",
                f"- par téléphone : {shown(phone)} ;",
                f"- par courrier : {shown(publisher.address)}.\n",
                "## Voies de recours\n",
                "Si tu nous as signalé un problème et que la réponse ne te convient pas, tu peux "
                "saisir le Défenseur des droits :\n",
                f"- par le formulaire en ligne : [formulaire.defenseurdesdroits.fr]({DEFENDER_FORM}) ;",
                "- en contactant le délégué ou la déléguée du Défenseur des droits de ta région : "
                f"[la carte des délégués]({DEFENDER_DELEGATES}) ;",
                f"- par courrier gratuit, sans timbre : {DEFENDER_POST}.\n",
            )
        )
    )
