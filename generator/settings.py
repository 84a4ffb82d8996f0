"""The settings of one Mission Locale, independent of MkDocs.

The MkDocs plugin fills them from ``mkdocs.yml``; any other adapter can build them from a plain
mapping with :meth:`Settings.from_mapping`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from forms_backend.config import FORMS_PATH, is_loopback

from .accessibility import Accessibility, AccessibilityError, accessibility_from
from .legal import LegalFacts, legal_facts
from .slugs import normalise, slugify

# Names that can never be a public site: RFC 2606 / RFC 6761 reserved and local-network suffixes.
_NOT_PUBLIC = (".localhost", ".local", ".test", ".example", ".invalid", ".internal", ".lan")


def public_site_url_problem(site_url: str) -> str:
    """Why ``site_url`` cannot be the address of a site put online, in French (empty when it
    can): every link in a share card, calendar, feed, QR code and e-mail is made from it."""
    parts = urlsplit(site_url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https":
        return f"site_url vaut « {site_url} » : un site en ligne a une adresse en https://"
    if not host or is_loopback(host) or "." not in host or host.endswith(_NOT_PUBLIC):
        return f"site_url vaut « {site_url} » : ce n'est pas une adresse que le public peut ouvrir"
    return ""


class SettingsError(ValueError):
    """A setting in ``mkdocs.yml`` is wrong; the message says which and how to fix it, in French."""


# Words young readers stumble on, with what to write instead. Settings add to (or replace) them.
DEFAULT_JARGON = {
    "NEET": "« jeunes sans emploi ni formation »",
    "NEETs": "« jeunes sans emploi ni formation »",
    "QPV": "« quartier »",
    "dispositif": "« aide » ou « accompagnement »",
    "PIC": "le nom en entier, ou rien",
    "CEJ": "« Contrat d'engagement jeune » en entier",
    "bénéficiaire": "« jeune » ou « personne »",
    "bénéficiaires": "« jeunes » ou « personnes »",
    "éligible": "« qui peut avoir droit à »",
    "éligibles": "« qui peuvent avoir droit à »",
    "public cible": "« les jeunes »",
    "insertion socioprofessionnelle": "« trouver un travail ou une formation »",
}


@dataclass(frozen=True)
class WritingRules:
    """What the hints look for; every value can be changed under ``ecriture`` in mkdocs.yml."""

    max_words: int = 20
    min_score: float = 60.0
    jargon: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_JARGON))
    allowed_capitals: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Territory:
    """A communauté de communes: its own agenda page lists the events of its communes."""

    id: str
    name: str
    communes: tuple[str, ...]
    rural: bool = False


@dataclass(frozen=True)
class Reminders:
    """When the backend reminds a young person of an event she signed up for (``rappels`` in
    mkdocs.yml; published in the events manifest, the backend's only view of the settings):
    ``jours_avant`` days before (0: no such reminder) and ``matin`` (on the morning)."""

    days_before: int = 2
    morning: bool = True


@dataclass(frozen=True)
class Programme:
    """What the « Aller vers » programme promised, for the report (``programme`` in mkdocs.yml).

    ``priority_communes``: communes with a quartier prioritaire de la politique de la ville;
    ``rural_communes``: rural communes beyond those of territories marked ``rural``."""

    target: int = 100
    start: date | None = None
    months: int = 24
    priority_communes: frozenset[str] = frozenset()
    rural_communes: frozenset[str] = frozenset()

    def end(self, start: date) -> date:
        """The programme's last day, ``months`` after ``start``."""
        month = start.month - 1 + self.months
        year, month = start.year + month // 12, month % 12 + 1
        return date(year, month, min(start.day, 28)) - timedelta(days=1)


@dataclass(frozen=True)
class Settings:
    """Everything the kit needs to know about the Mission Locale that runs it."""

    site_name: str
    site_url: str
    territories: tuple[Territory, ...] = ()
    accessibility: Accessibility = field(default_factory=Accessibility)
    legal: LegalFacts = field(default_factory=LegalFacts)
    forms_url: str = f"{FORMS_PATH}/"  # fixed: the backend's routes are there
    phone: str = ""
    email: str = ""
    address: str = ""  # the postal address parents' letters give (contact.adresse)
    funders: str = ""
    logo: Path | None = None
    bleed_mm: float = 3.0
    search_days: int = 60
    writing: WritingRules = field(default_factory=WritingRules)
    programme: Programme = field(default_factory=Programme)
    reminders: Reminders = field(default_factory=Reminders)
    _communes: dict[str, tuple[str, Territory]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for territory in self.territories:
            for commune in territory.communes:
                self._communes[normalise(commune)] = (commune, territory)

    @classmethod
    def from_mapping(
        cls,
        site_name: str,
        site_url: str | None,
        options: Mapping[str, Any],
        content_dir: Path | None = None,
    ) -> Settings:
        """Build settings from the plugin's options; raise :class:`SettingsError` in French.

        Files named in the options (the logo) are relative to ``content_dir``; without one
        (checking settings alone) they are not looked for."""
        if not site_url:
            raise SettingsError(
                "site_url manque dans mkdocs.yml — écris l'adresse publique du site, par exemple https://www.exemple.fr/"
            )
        if options.get("formulaires") is not None:
            raise SettingsError(
                "le réglage « formulaires » n'existe plus dans mkdocs.yml : les formulaires sont "
                f"toujours sous {FORMS_PATH}/ (le serveur des formulaires aussi) — retire cette "
                f"ligne, et fais passer {FORMS_PATH}/ au serveur des formulaires dans le proxy inverse"
            )
        try:
            accessibility = accessibility_from(options.get("accessibilite"))
        except AccessibilityError as error:
            raise SettingsError(str(error)) from None
        territories = []
        for index, raw in enumerate(options.get("territoire") or []):
            if not isinstance(raw, Mapping) or not raw.get("nom") or not raw.get("communes"):
                raise SettingsError(
                    f"territoire, élément {index + 1} : il faut un « nom » et une liste de « communes »"
                )
            name = str(raw["nom"])
            territories.append(
                Territory(
                    str(raw.get("id") or slugify(name)),
                    name,
                    tuple(map(str, raw["communes"])),
                    rural=raw.get("rural") in (True, "oui"),
                )
            )
        contact = options.get("contact") or {}
        prints = options.get("affiches") or {}
        logo = None
        if prints.get("logo") and content_dir is not None:
            logo = content_dir / str(prints["logo"])
            if not logo.is_file():
                raise SettingsError(
                    f"affiches.logo : le fichier « {prints['logo']} » n'existe pas dans le dossier content/ — vérifie le chemin dans mkdocs.yml"
                )
        try:
            bleed = float(prints.get("fond_perdu", 3))
        except (TypeError, ValueError):
            bleed = -1.0
        if not 0 <= bleed <= 10:
            raise SettingsError(
                "affiches.fond_perdu doit être un nombre de millimètres entre 0 et 10 (les imprimeurs demandent souvent 3)"
            )
        return cls(
            writing=_writing_rules(options.get("ecriture") or {}),
            site_name=site_name,
            site_url=site_url.rstrip("/") + "/",
            territories=tuple(territories),
            accessibility=accessibility,
            legal=legal_facts(options),
            phone=str(contact.get("telephone", "")),
            email=str(contact.get("email", "")),
            address=" ".join(str(contact.get("adresse", "")).split()),
            funders=str(prints.get("financeurs", "")),
            logo=logo,
            bleed_mm=bleed,
            search_days=_search_days(options.get("recherche_jours", 60)),
            programme=_programme(options.get("programme") or {}),
            reminders=_reminders(options.get("rappels") or {}),
        )

    @property
    def accessibility_label(self) -> str:
        """« non conforme » and the like, computed from the recorded audit, in every footer."""
        return self.accessibility.label

    def commune(self, name: str) -> tuple[str, Territory] | None:
        """The commune's usual spelling and its territory, whatever the accents or case."""
        return self._communes.get(normalise(name))

    def is_priority(self, commune: str) -> bool:
        """True for a commune with a quartier prioritaire (``programme.communes_prioritaires``)."""
        return normalise(commune) in self.programme.priority_communes

    def is_rural(self, commune: str) -> bool:
        """True for a rural commune: listed, or in a territory marked ``rural: oui``."""
        found = self.commune(commune)
        return normalise(commune) in self.programme.rural_communes or bool(found and found[1].rural)

    def commune_names(self) -> list[str]:
        """Every commune of the territory, as configured."""
        return [name for name, _ in self._communes.values()]


def _writing_rules(options: Mapping[str, Any]) -> WritingRules:
    """``ecriture`` in mkdocs.yml: thresholds, jargon added to (or silenced in) the defaults."""
    try:
        max_words = int(options.get("mots_par_phrase", WritingRules.max_words))
        min_score = float(options.get("lisibilite_minimum", WritingRules.min_score))
    except (TypeError, ValueError):
        raise SettingsError(
            "ecriture : « mots_par_phrase » et « lisibilite_minimum » doivent être des nombres"
        ) from None
    jargon = dict(DEFAULT_JARGON)
    for word, instead in (options.get("jargon") or {}).items():
        if instead in (None, "", False):
            jargon.pop(str(word), None)  # « dispositif: » with nothing: no longer flagged
        else:
            jargon[str(word)] = f"« {instead} »"
    allowed = frozenset(str(w) for w in options.get("majuscules_permises") or [])
    return WritingRules(max_words, min_score, jargon, allowed)


def _reminders(options: Mapping[str, Any]) -> Reminders:
    """``rappels`` in mkdocs.yml: ``jours_avant`` (0 to 14) and ``matin`` (oui / non)."""
    days = options.get("jours_avant", Reminders.days_before)
    morning = options.get("matin", Reminders.morning)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 14:
        raise SettingsError(
            f"rappels : « jours_avant » vaut « {days} » — écris un nombre de jours entre 0 et "
            "14, par exemple jours_avant: 2 (0 : pas de rappel avant le jour même)"
        )
    if isinstance(morning, str) and morning.strip().lower() in ("oui", "non"):
        morning = morning.strip().lower() == "oui"
    if not isinstance(morning, bool):
        raise SettingsError(
            f"rappels : « matin » vaut « {morning} » — écris matin: oui ou matin: non"
        )
    return Reminders(days, morning)


def _programme(options: Mapping[str, Any]) -> Programme:
    """``programme`` in mkdocs.yml: ``objectif``, ``debut``, ``mois``, ``communes_prioritaires``,
    ``communes_rurales``."""
    try:
        target = int(options.get("objectif", Programme.target))
        months = int(options.get("mois", Programme.months))
    except (TypeError, ValueError):
        target = months = 0
    if target < 1 or months < 1:
        raise SettingsError(
            "programme : « objectif » (nombre de jeunes) et « mois » (durée) doivent être des "
            "nombres entiers, par exemple objectif: 100 et mois: 24"
        )
    start = options.get("debut")
    if start is not None and not isinstance(start, date):
        try:
            start = date.fromisoformat(str(start))
        except ValueError:
            raise SettingsError(
                f"programme : « debut » vaut « {start} » — écris la date de début ainsi : 2026-09-01"
            ) from None
    return Programme(
        target=target,
        start=start,
        months=months,
        priority_communes=frozenset(
            normalise(str(c)) for c in options.get("communes_prioritaires") or []
        ),
        rural_communes=frozenset(normalise(str(c)) for c in options.get("communes_rurales") or []),
    )


def _search_days(value: Any) -> int:
    """``recherche_jours``: how far ahead events are in the search index."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if days < 0:
        raise SettingsError(
            "recherche_jours doit être un nombre de jours (0 ou plus), par exemple 60"
        )
    return days
