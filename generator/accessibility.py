"""The accessibility statement's facts (RGAA 4.1 model), from ``accessibilite`` in mkdocs.yml.

The status is computed, never declared: without a recorded audit the site is « non conforme »
(automated tools reach about a third of the criteria, so a clean axe run proves no status);
« partiellement conforme » from 50 % of criteria met; « totalement conforme » only at 100 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .legal import Gap

LABELS = {
    "totalement": "totalement conforme",
    "partiellement": "partiellement conforme",
    "non": "non conforme",
}
PARIS = ZoneInfo("Europe/Paris")  # « today » for the statement's dates
PARTIAL_FROM = 50.0  # RGAA: « partiellement conforme » when at least half the criteria are met


class AccessibilityError(ValueError):
    """A wrong ``accessibilite`` setting; the message says which and how to fix it, in French."""


@dataclass(frozen=True)
class Audit:
    """A recorded RGAA audit, made by a person on a sample of pages."""

    rate: float  # percentage of applicable criteria met
    day: date
    auditor: str
    pages: tuple[str, ...]
    environment: tuple[str, ...]
    tools: tuple[str, ...]


@dataclass(frozen=True)
class Accessibility:
    """What the statement says: the audit (if any), the known gaps and the plans."""

    audit: Audit | None = None
    not_accessible: tuple[tuple[str, str], ...] = ()  # (content, reason)
    multiyear_plan: str = ""
    action_plan: str = ""
    established: date | None = None  # « Cette déclaration a été établie le … » (RGAA model)

    @property
    def status(self) -> str:
        """``totalement``, ``partiellement`` or ``non``, from the audit's rate."""
        if self.audit is None or self.audit.rate < PARTIAL_FROM:
            return "non"
        return "totalement" if self.audit.rate >= 100 else "partiellement"

    @property
    def label(self) -> str:
        """« non conforme » and the like, as shown in every footer."""
        return LABELS[self.status]


def accessibility_from(raw: Any) -> Accessibility:
    """Read the ``accessibilite`` mapping; raise :class:`AccessibilityError` in French."""
    if raw in (None, ""):
        return Accessibility()
    if not isinstance(raw, Mapping):
        raise AccessibilityError(
            f"accessibilite vaut « {raw} » dans mkdocs.yml — l'état de conformité se calcule "
            "maintenant d'après l'audit : écris « accessibilite: » avec « audit: » (taux, date, "
            "auditeur, pages, environnement, outils) une fois l'audit fait, ou rien avant"
        )
    gaps = []
    for index, item in enumerate(raw.get("non_accessible") or []):
        if not isinstance(item, Mapping) or not item.get("contenu") or not item.get("raison"):
            raise AccessibilityError(
                f"accessibilite.non_accessible, élément {index + 1} : il faut « contenu » (ce qui "
                "n'est pas accessible) et « raison » (pourquoi, et ce qui le remplace)"
            )
        gaps.append((str(item["contenu"]), str(item["raison"])))
    return Accessibility(
        audit=_audit(raw.get("audit")),
        not_accessible=tuple(gaps),
        multiyear_plan=str(raw.get("schema_pluriannuel") or ""),
        action_plan=str(raw.get("plan_action") or ""),
        established=_day(raw.get("etablie_le"), "accessibilite.etablie_le", "2026-12-01")
        if raw.get("etablie_le")
        else None,
    )


# What article 47 of loi n° 2005-102 and the RGAA model require of every statement.
STATEMENT_REQUIRED = (
    (
        "etablie_le",
        "la date où la déclaration a été établie (ou mise à jour), par exemple 2026-12-01",
    ),
    (
        "schema_pluriannuel",
        "le lien vers le schéma pluriannuel de mise en accessibilité (obligatoire, sur trois ans "
        "au plus)",
    ),
    ("plan_action", "le lien vers le plan d'action de l'année"),
)


# What the RGAA model's « Établissement de cette déclaration » gives once an audit is recorded.
AUDIT_REQUIRED = (
    (
        "environnement",
        "les navigateurs et technologies d'assistance de l'audit (par exemple : Firefox et NVDA "
        "sous Windows)",
    ),
    ("outils", "les outils utilisés pendant l'audit (par exemple : Colour Contrast Analyser)"),
)


def statement_gaps(raw: Any, today: date | None = None) -> list[Gap]:
    """Every value the accessibility statement must give and ``accessibilite`` does not; and
    dates that cannot be true: an audit or a statement in the future, a statement older than the
    audit it reports."""
    given = raw if isinstance(raw, Mapping) else {}
    gaps = [
        Gap(
            ("accessibilite", key),
            f"accessibilite.{key} manque : la déclaration d'accessibilité doit le donner",
            f"écris {what} sous accessibilite",
        )
        for key, what in STATEMENT_REQUIRED
        if not str(given.get(key) or "").strip()
    ]
    audit = given.get("audit")
    if isinstance(audit, Mapping):
        gaps += [
            Gap(
                ("accessibilite", "audit", key),
                f"accessibilite.audit.{key} manque : la déclaration doit dire avec quoi l'audit "
                "a été fait",
                f"écris {what} sous accessibilite.audit",
            )
            for key, what in AUDIT_REQUIRED
            if not _texts(audit.get(key))
        ]
    return gaps + _date_gaps(given, audit, today or datetime.now(PARIS).date())


def _date_gaps(given: Mapping[str, Any], audit: Any, today: date) -> list[Gap]:
    established = _lenient_day(given.get("etablie_le"))
    audited = _lenient_day(audit.get("date")) if isinstance(audit, Mapping) else None
    gaps = [
        Gap(
            path,
            f"{'.'.join(path)} vaut {day.isoformat()}, une date à venir",
            "écris la date où c'est fait (aujourd'hui au plus tard)",
        )
        for path, day in (
            (("accessibilite", "audit", "date"), audited),
            (("accessibilite", "etablie_le"), established),
        )
        if day is not None and day > today
    ]
    if established and audited and established < audited:
        gaps.append(
            Gap(
                ("accessibilite", "etablie_le"),
                f"accessibilite.etablie_le vaut {established.isoformat()}, avant l'audit du "
                f"{audited.isoformat()} que la déclaration présente",
                "mets à jour la déclaration : écris la date du jour sous etablie_le",
            )
        )
    return gaps


def _lenient_day(raw: Any) -> date | None:
    """A date setting, or None when absent or unreadable (the build says why elsewhere)."""
    try:
        return _day(raw, "", "") if raw else None
    except AccessibilityError:
        return None


def _audit(raw: Any) -> Audit | None:
    if not raw:
        return None
    if not isinstance(raw, Mapping):
        raise AccessibilityError("accessibilite.audit doit contenir taux, date, auditeur et pages")
    try:
        rate = float(str(raw.get("taux", "")).replace(",", ".").rstrip(" %"))
    except ValueError:
        rate = -1.0
    if not 0 <= rate <= 100:
        raise AccessibilityError(
            "accessibilite.audit.taux : écris le pourcentage de critères respectés, par exemple 82.5"
        )
    day = _day(raw.get("date"), "accessibilite.audit.date", "2026-11-15")
    auditor, pages = str(raw.get("auditeur") or "").strip(), _texts(raw.get("pages"))
    if not auditor or not pages:
        raise AccessibilityError(
            "accessibilite.audit : écris qui a fait l'audit (« auditeur ») et la liste des pages "
            "vérifiées (« pages »)"
        )
    return Audit(
        rate,
        day,
        auditor,
        pages,
        _texts(raw.get("environnement")),
        _texts(raw.get("outils")),
    )


def _day(raw: Any, where: str, example: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise AccessibilityError(f"{where} : écris la date ainsi : {example}") from None


def _texts(raw: Any) -> tuple[str, ...]:
    if raw in (None, ""):
        return ()
    items = raw if isinstance(raw, list) else [raw]
    return tuple(str(item) for item in items)
