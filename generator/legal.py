"""Who publishes the site, who hosts it, who receives the forms' data: declared once in
``mkdocs.yml`` (``editeur``, ``hebergement``, ``destinataires``) and used by the mentions
légales, the privacy page, and whatever else must name the Mission Locale (the parent's letter,
flyers). ``porte-voix check`` lists every missing or placeholder value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .legal_formats import email_problem, phone_problem, rna_problem, siret_problem

PLACEHOLDER = re.compile(
    r"exemple|example|[àa] v[ée]rifier|[àa] compl[ée]ter|[àa] remplacer|[àa] d[ée]finir|xxx|todo"
    r"|\btbd\b|\bn/a\b|lorem|\.\.\.|…|\bpr[ée]nom\s+nom\b|\bnom\s+pr[ée]nom\b",
    re.IGNORECASE,
)

# The values the kit ships in mkdocs.yml as examples: a Mission Locale that removes
# « exemple: oui » without replacing one of them would publish a fictitious SIRET or director.
# (Real companies the sample names, such as its host, are not here: they may be the real ones.)
KIT_SAMPLES: dict[tuple[str, ...], str] = {
    ("editeur", "rna"): "W543004217",
    ("editeur", "siret"): "41234567000027",
    ("editeur", "adresse"): "1 rue de la Poste, 54700 Pont-à-Mousson",
    ("editeur", "email"): "contact@mission-locale-val-de-lorraine.fr",
    ("editeur", "telephone"): "03 83 81 00 00",
    ("contact", "telephone"): "03 83 81 00 00",
    ("contact", "email"): "allervers@mission-locale-val-de-lorraine.fr",
    ("editeur", "directeur_publication"): "Claire Martin",
    ("contact", "adresse"): "2 rue des Pâquis, 54340 Pompey",
    ("accessibilite", "schema_pluriannuel"): "https://www.mission-locale-val-de-lorraine.fr/"
    "accessibilite/schema-pluriannuel-2026-2028.pdf",
    ("accessibilite", "plan_action"): "https://www.mission-locale-val-de-lorraine.fr/"
    "accessibilite/plan-action-2026.pdf",
}

# « Le président », « Présidente », « M. le directeur », « Directrice de la Mission Locale »: a
# role, not a name. A surname that starts with an article (« Le Goff Anne ») is a name.
ROLE_ONLY = re.compile(
    r"(?:(?:m\.|mme|madame|monsieur)\s+)?(?:(?:le|la|les)\s+|l')?(?:vice-?\s*)?"
    r"(?:pr[ée]sident|directeur|directrice|direction|responsable|bureau|conseil|g[ée]rant"
    r"|d[ée]l[ée]gu[ée]|tr[ée]sori[eè]re?|secr[ée]taire|maire|adjoint|coordinat|charg[ée])",
    re.IGNORECASE,
)
# A person's name: a first name and a surname, before the function (« Claire Martin, présidente »).
PERSON_NAME = re.compile(r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*)+")


@dataclass(frozen=True)
class Organisation:
    """A company or body named in the legal pages: name, postal address, phone."""

    name: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Publisher:
    """The Mission Locale as publisher (LCEN art. 6) and data controller (RGPD)."""

    name: str = ""
    legal_form: str = ""
    rna: str = ""
    siret: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    director: str = ""  # directeur de la publication: a person's name


@dataclass(frozen=True)
class Recipient:
    """A processor that receives the forms' data (mail provider, webhook receiver, SMS)."""

    name: str
    role: str


@dataclass(frozen=True)
class LegalFacts:
    """Everything the legal pages state about who does what."""

    publisher: Publisher = Publisher()
    site_host: Organisation = Organisation()
    forms_host: Organisation = Organisation()
    dpo: str = ""  # name or service, with its e-mail; empty: the publisher answers
    dpo_email: str = ""
    mail_provider: str = ""
    webhook: str = ""
    sms: str = ""
    sample: bool = False  # the shipped example values (``exemple: oui``)

    def recipients(self) -> list[Recipient]:
        """The processors actually declared, in the order the privacy page lists them."""
        found = [
            Recipient(self.site_host.name, "hébergeur du site"),
            Recipient(self.forms_host.name, "hébergeur du serveur des formulaires"),
            Recipient(self.mail_provider, "service de courriel qui achemine les demandes"),
            Recipient(self.webhook, "outil de suivi qui reçoit une copie de chaque demande"),
            Recipient(self.sms, "service d'envoi de SMS"),
        ]
        return [r for r in found if r.name]


# Every value a Mission Locale must fill: (path in mkdocs.yml, what it is).
REQUIRED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("editeur", "nom"), "le nom de la Mission Locale"),
    (("editeur", "forme_juridique"), "sa forme juridique (par exemple : association loi 1901)"),
    (("editeur", "adresse"), "l'adresse de son siège"),
    (("editeur", "telephone"), "son téléphone"),
    (("editeur", "email"), "son adresse e-mail"),
    (
        ("editeur", "directeur_publication"),
        "le nom du directeur ou de la directrice de la publication",
    ),
    (("hebergement", "site", "nom"), "le nom de l'hébergeur du site"),
    (("hebergement", "site", "adresse"), "l'adresse de l'hébergeur du site"),
    (("hebergement", "site", "telephone"), "le téléphone de l'hébergeur du site"),
    (("hebergement", "formulaires", "nom"), "le nom de l'hébergeur du serveur des formulaires"),
    (("hebergement", "formulaires", "adresse"), "l'adresse de l'hébergeur des formulaires"),
    (("hebergement", "formulaires", "telephone"), "le téléphone de l'hébergeur des formulaires"),
    (
        ("destinataires", "courriel"),
        "le nom du service de courriel (SMTP) qui achemine les demandes",
    ),
)
OPTIONAL = (
    ("contact", "telephone"),
    ("contact", "email"),
    ("contact", "adresse"),
    ("editeur", "rna"),
    ("editeur", "siret"),
    ("dpo", "nom"),
    ("dpo", "email"),
    ("destinataires", "webhook"),
    ("destinataires", "sms"),
)


def value_at(options: Mapping[str, Any], path: tuple[str, ...]) -> str:
    """The text at ``path`` in the plugin options, or an empty string."""
    current: Any = options
    for key in path:
        if not isinstance(current, Mapping):
            return ""
        current = current.get(key)
    return "" if current is None or isinstance(current, Mapping | list) else str(current).strip()


def is_sample(options: Mapping[str, Any]) -> bool:
    """``exemple: oui``: the legal values are the kit's examples."""
    return options.get("exemple") in (True, "oui")


def legal_facts(options: Mapping[str, Any]) -> LegalFacts:
    """Read ``editeur``, ``hebergement``, ``dpo``, ``destinataires`` and ``exemple``."""

    def at(*path: str) -> str:
        return value_at(options, path)

    def host(kind: str) -> Organisation:
        return Organisation(
            at("hebergement", kind, "nom"),
            at("hebergement", kind, "adresse"),
            at("hebergement", kind, "telephone"),
        )

    return LegalFacts(
        publisher=Publisher(
            name=at("editeur", "nom"),
            legal_form=at("editeur", "forme_juridique"),
            rna=at("editeur", "rna"),
            siret=at("editeur", "siret"),
            address=at("editeur", "adresse"),
            phone=at("editeur", "telephone"),
            email=at("editeur", "email"),
            director=at("editeur", "directeur_publication"),
        ),
        site_host=host("site"),
        forms_host=host("formulaires"),
        dpo=at("dpo", "nom"),
        dpo_email=at("dpo", "email"),
        mail_provider=at("destinataires", "courriel"),
        webhook=at("destinataires", "webhook"),
        sms=at("destinataires", "sms"),
        sample=is_sample(options),
    )


SAMPLE_MESSAGE = (
    "les mentions légales et les destinataires des données sont les valeurs d'exemple du kit"
)
SAMPLE_FIX = (
    "à remplacer avant la mise en ligne : écris les vraies valeurs sous editeur, hebergement, "
    "destinataires (et dpo), puis retire « exemple: oui »"
)


@dataclass(frozen=True)
class Gap:
    """A legal value that is missing or looks like a placeholder."""

    path: tuple[str, ...]
    message: str
    fix: str


# Which check each value's format must pass.
FORMATS: tuple[tuple[tuple[str, ...], Callable[[str], str | None]], ...] = (
    (("editeur", "siret"), siret_problem),
    (("editeur", "rna"), rna_problem),
    (("editeur", "telephone"), phone_problem),
    (("editeur", "email"), email_problem),
    (("hebergement", "site", "telephone"), phone_problem),
    (("hebergement", "formulaires", "telephone"), phone_problem),
    (("dpo", "email"), email_problem),
    # The programme's own contact: in every footer, the parents' letters and the statement.
    (("contact", "telephone"), phone_problem),
    (("contact", "email"), email_problem),
)


def format_gaps(options: Mapping[str, Any]) -> list[Gap]:
    """Every declared SIRET, RNA, phone number or e-mail address that cannot be right."""
    gaps = []
    for path, problem_of in FORMATS:
        value = value_at(options, path)
        problem = problem_of(value) if value and not PLACEHOLDER.search(value) else None
        if problem:
            gaps.append(
                Gap(
                    path,
                    f"{'.'.join(path)} vaut « {value} » : {problem}",
                    "corrige-le (il est publié dans les mentions légales)",
                )
            )
    return gaps


def legal_gaps(options: Mapping[str, Any]) -> list[Gap]:
    """Every required value missing, every value (required or not) that is a placeholder, and
    every identifier or contact whose format cannot be right."""
    gaps = format_gaps(options)
    for path, what in REQUIRED:
        if not value_at(options, path):
            gaps.append(
                Gap(path, f"{'.'.join(path)} manque", f"écris {what} sous le plugin porte-voix")
            )
    for path in (*(p for p, _ in REQUIRED), *OPTIONAL):
        value = value_at(options, path)
        if value and PLACEHOLDER.search(value):
            gaps.append(
                Gap(
                    path,
                    f"{'.'.join(path)} vaut « {value} », qui ressemble à une valeur à compléter",
                    "écris la vraie valeur (elle est publiée dans les mentions légales)",
                )
            )
    gaps += director_gaps(value_at(options, ("editeur", "directeur_publication")))
    if not is_sample(options):
        gaps += kit_sample_gaps(options)
    return gaps


def director_gaps(director: str) -> list[Gap]:
    """The directeur de la publication must be a person, named by first name and surname."""
    if not director or PLACEHOLDER.search(director):
        return []
    name = re.split(r"[,(–—:]", director, maxsplit=1)[0].strip()
    if ROLE_ONLY.match(director):
        problem = "c'est une fonction, pas un nom"
    elif not PERSON_NAME.fullmatch(name):
        problem = "il faut le prénom et le nom d'une personne"
    else:
        return []
    return [
        Gap(
            ("editeur", "directeur_publication"),
            f"editeur.directeur_publication vaut « {director} » : {problem}",
            "écris le prénom et le nom de la personne, puis sa fonction (par exemple : "
            "Claire Martin, présidente)",
        )
    ]


def _same(value: str, sample: str) -> bool:
    """``value`` is the kit's example, whatever its spaces and case."""

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", text).casefold()

    return squeeze(value) == squeeze(sample) or (
        squeeze(value).startswith(squeeze(sample) + ",")  # « Claire Martin, présidente »
    )


def kit_sample_gaps(options: Mapping[str, Any]) -> list[Gap]:
    """Every value still equal to the kit's example once « exemple: oui » is gone."""
    return [
        Gap(
            path,
            f"{'.'.join(path)} vaut « {value_at(options, path)} », la valeur d'exemple du kit",
            "écris la vraie valeur de ta Mission Locale (elle est publiée sur le site)",
        )
        for path, sample in KIT_SAMPLES.items()
        if value_at(options, path) and _same(value_at(options, path), sample)
    ]


def key_line(yaml_text: str, path: tuple[str, ...]) -> int:
    """The line of ``path``'s deepest key found in ``mkdocs.yml`` (1 when none is), so that a
    problem points where to write; searched under the ``porte-voix`` plugin's own line."""
    lines = yaml_text.splitlines()
    start, indent, found = 0, -1, 1
    for number, line in enumerate(lines):
        if re.match(r"\s*- porte-voix:", line):
            start, indent, found = number + 1, _indent(line), number + 1
            break
    for key in path:
        number = _child_line(lines, start, indent, key)
        if number is None:
            return found
        start, indent, found = number + 1, _indent(lines[number]), number + 1
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" -"))


def _child_line(lines: list[str], start: int, indent: int, key: str) -> int | None:
    """The index of ``key:`` in the block that begins at ``start`` deeper than ``indent``."""
    pattern = re.compile(rf"[ -]*{re.escape(key)}\s*:")
    for number in range(start, len(lines)):
        stripped = lines[number].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _indent(lines[number]) <= indent:
            return None  # out of the parent's block
        if pattern.match(lines[number]):
            return number
    return None
