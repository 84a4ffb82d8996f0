"""Campaigns: ``content/campagnes/slug.md`` — a message, a period, a call to action."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .events import Event
from .fields import Date, LocalFile, ReadContext, Revised, Schema, Text
from .frontmatter import Document

CAMPAIGNS_DIR = "campagnes"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# What the call to action may be besides an event id.
CALL_BACK, AGENDA = "rappel", "agenda"


class CampaignSchema(Schema):
    """Front matter of a campaign."""

    titre = Text(max_length=90, example="Ton avenir, on en parle ?")
    message = Text(max_length=90, example="Tu as entre 16 et 29 ans ? On peut t'aider.")
    du = Date(example="2027-09-01")
    au = Date(example="2027-10-31")
    public = Text(max_length=200, example="Jeunes de 16 à 29 ans sans emploi ni formation")
    appel = Text(example="rappel")
    visuel = LocalFile(required=False)
    modifie = Revised(required=False, example="2026-11-28")


@dataclass(frozen=True)
class Campaign:
    """A campaign: its landing page, its print and social set, its own QR source."""

    id: str
    source: Path
    title: str
    message: str
    start: date
    end: date
    audience: str
    call: str  # CALL_BACK, AGENDA or an event id
    event: Event | None
    visual: Path | None
    body: str

    @property
    def qr_source(self) -> str:
        """What the form backend records for someone who scanned this campaign's QR code."""
        return f"campagne-{self.id}"

    def is_current(self, today: date) -> bool:
        """True during the campaign's period (both days included)."""
        return self.start <= today <= self.end

    def is_over(self, today: date) -> bool:
        """True once the campaign's last day has passed."""
        return today > self.end


def build_campaign(
    document: Document, context: ReadContext, events: dict[str, Event]
) -> Campaign | None:
    """Check a campaign's front matter, its period and what its call to action points to."""
    report, lines = context.report, context.lines
    values, ok = CampaignSchema.read(document.meta, context)
    slug = document.path.stem
    if not _SLUG.fullmatch(slug) or len(slug) > 40:
        report.add(
            1,
            f"le nom du fichier « {document.path.name} » ne convient pas pour une adresse web",
            "renomme-le avec quelques mots en minuscules sans accent reliés par des tirets (40 caractères au plus), par exemple rentree-2027.md",
        )
        ok = False
    if values["du"] and values["au"] and values["au"] < values["du"]:
        report.add(
            lines.of(("au",)),
            "la campagne finit (« au ») avant de commencer (« du »)",
            "vérifie les deux dates : « au » doit être le même jour que « du » ou après",
        )
        ok = False
    call, event = values["appel"], None
    if call and call not in (CALL_BACK, AGENDA):
        event = events.get(call)
        if event is None:
            report.add(
                lines.of(("appel",)),
                f"« appel » vaut « {call} », qui n'est ni « rappel », ni « agenda », ni un événement",
                "écris « rappel » (le formulaire pour être rappelé), « agenda », ou l'identifiant d'un événement, par exemple 2027-09-18-forum-emploi-pont-a-mousson",
            )
            ok = False
    if not ok:
        return None
    return Campaign(
        id=slug,
        source=document.path,
        title=values["titre"],
        message=values["message"],
        start=values["du"],
        end=values["au"],
        audience=values["public"],
        call=call,
        event=event,
        visual=values["visuel"],
        body=document.body,
    )


def current_campaign(campaigns: list[Campaign], today: date) -> Campaign | None:
    """The campaign to show on the home page: among those running today, the latest started."""
    running = [c for c in campaigns if c.is_current(today)]
    return max(running, key=lambda c: (c.start, c.id)) if running else None
