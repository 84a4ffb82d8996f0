"""Whether an event still happens as announced: ``statut: annule`` or ``statut: reporte``.

An event that moves to another day keeps its file (its name, hence its id, its page, its
calendar UID and its sign-ups stay the same): the author writes ``statut: reporte`` and, once
it is known, ``nouveau_debut`` (and ``nouvelle_fin``) instead of renaming the file. The public is
told why in one line, ``raison``, which ``porte-voix check`` requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from ..slugs import normalise
from .fields import PARIS, Field, Invalid, ReadContext
from .frontmatter import Key

SCHEDULED = "prevu"
CANCELLED = "annule"
POSTPONED = "reporte"
_WORDS = {"prevu": SCHEDULED, "annule": CANCELLED, "reporte": POSTPONED}
_SAID = {CANCELLED: "annulé", POSTPONED: "reporté"}


class StatusField(Field):
    """``prevu`` (the default), ``annule`` or ``reporte``; accents are accepted."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> str:
        text = str(value).strip()
        status = _WORDS.get(normalise(text))
        if status is None:
            raise Invalid(
                f"« statut » vaut « {text} », un mot que Porte-voix ne connaît pas",
                "écris « statut: annule » (annulé) ou « statut: reporte » (reporté), "
                "ou enlève la ligne pour un événement prévu",
            )
        return status


@dataclass(frozen=True)
class StatusFacts:
    """What the front matter says about the event's status, once checked."""

    status: str
    reason: str | None
    start: datetime  # the new start of a rescheduled event, else ``debut``
    end: datetime
    first_start: datetime | None  # ``debut``, for a rescheduled event only


def read_status(
    values: dict[str, Any], start: datetime | None, end: datetime | None, context: ReadContext
) -> StatusFacts | None:
    """Check ``statut``, ``raison``, ``nouveau_debut`` and ``nouvelle_fin`` against each other;
    report every problem and return ``None`` (also when ``debut`` or ``fin``, already reported,
    is missing), or return the facts."""
    report, lines = context.report, context.lines
    # ``None``: a word Porte-voix does not know, already reported; the rules below that depend
    # on the status would only add confusing problems.
    known = values["statut"] is not None
    status = values["statut"] or SCHEDULED
    reason, new_start, new_end = values["raison"], values["nouveau_debut"], values["nouvelle_fin"]
    reason = " ".join(reason.split()) if reason else None  # one line, wherever it is shown
    ok = known
    if status != SCHEDULED and not reason:
        report.add(
            lines.of(("statut",)),
            f"cet événement est {_SAID[status]} mais ne dit pas pourquoi au public",
            "ajoute une ligne « raison: » avec une phrase pour le public, par exemple "
            "« raison: La salle est fermée pour travaux. »",
        )
        ok = False
    if known and status == SCHEDULED and reason:
        report.add(
            lines.of(("raison",)),
            "« raison » ne sert que pour un événement annulé ou reporté",
            "ajoute « statut: annule » ou « statut: reporte », ou enlève la ligne « raison »",
        )
        ok = False
    if new_start and status != POSTPONED:
        report.add(
            lines.of(("nouveau_debut",)),
            "« nouveau_debut » ne sert que pour un événement reporté",
            "ajoute « statut: reporte », ou enlève « nouveau_debut » (pour changer seulement "
            "l'heure le même jour, corrige « debut » et « fin »)",
        )
        ok = False
    if new_end and not new_start:
        report.add(
            lines.of(("nouvelle_fin",)),
            "« nouvelle_fin » est écrite sans « nouveau_debut »",
            "ajoute « nouveau_debut » avec la nouvelle date et l'heure de début, "
            "ou enlève « nouvelle_fin »",
        )
        ok = False
    if not ok or start is None or end is None:
        return None
    if status != POSTPONED or not new_start:
        return StatusFacts(status, reason, start, end, None)
    if isinstance(new_end, time):
        new_end = datetime.combine(new_start.date(), new_end, tzinfo=PARIS)
    elif new_end is None:
        new_end = new_start + (end - start)  # the same length as announced
    if new_end <= new_start:
        report.add(
            lines.of(("nouvelle_fin",)),
            "la nouvelle fin de l'événement est avant son nouveau début",
            "vérifie « nouvelle_fin » : elle doit être après « nouveau_debut »",
        )
        return None
    if new_start == start and new_end == end:
        report.add(
            lines.of(("nouveau_debut",)),
            "« nouveau_debut » et « nouvelle_fin » donnent les mêmes heures que « debut » et « fin »",
            "écris la nouvelle date, ou enlève « nouveau_debut » si elle n'est pas encore connue",
        )
        return None
    return StatusFacts(status, reason, new_start, new_end, start)
