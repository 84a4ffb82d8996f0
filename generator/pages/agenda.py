"""The agenda: upcoming events, the archive of past ones, and one agenda per communauté de communes."""

from __future__ import annotations

from datetime import UTC, datetime

from ..calendars import calendar_bytes
from ..feeds import atom_feed
from ..manifest import MANIFEST_PATH, events_manifest, left_out
from ..settings import Territory
from .cards import event_card, events_by_month
from .context import AGENDA, ARCHIVE, BuildContext, event_calendar_path, event_src, territory_src
from .links import link, md_text
from .page import GeneratedFile, GeneratedPage

CALENDAR_PATH = "agenda.ics"
FEED_PATH = "agenda.xml"
NOT_INDEXED = {"search": {"exclude": True}}


def agenda_page(build: BuildContext, intro: str) -> GeneratedPage:
    """``agenda/``: every upcoming event in date order, then links to the archive and territories."""
    upcoming = build.content.upcoming_events
    parts = [intro.strip() + "\n"]
    parts.append(_subscribe(AGENDA))
    if build.settings.territories:
        links = "\n".join(
            f"- [{md_text(t.name)}]({link(AGENDA, territory_src(t.id))})"
            for t in build.settings.territories
        )
        parts.append(f"Les rendez-vous près de chez toi :\n\n{links}\n")
    parts.append(
        events_by_month(upcoming, AGENDA)
        if upcoming
        else "Aucun rendez-vous prévu pour l'instant. Reviens bientôt !\n"
    )
    parts.append(f"## Événements passés\n\n[Voir les événements passés]({link(AGENDA, ARCHIVE)})\n")
    return GeneratedPage(AGENDA, "Agenda", "\n".join(parts), dict(NOT_INDEXED), in_nav=True)


def archive_page(build: BuildContext) -> GeneratedPage:
    """``agenda/archives/``: past events, most recent first."""
    past = build.content.past_events
    body = events_by_month(past, ARCHIVE) if past else "Aucun événement passé pour l'instant.\n"
    text = f"# Événements passés\n\n[Retour à l'agenda]({link(ARCHIVE, AGENDA)})\n\n{body}"
    return GeneratedPage(ARCHIVE, "Événements passés", text, dict(NOT_INDEXED))


def territory_page(territory: Territory, build: BuildContext) -> GeneratedPage:
    """The upcoming events in the communes of one communauté de communes."""
    src = territory_src(territory.id)
    events = [e for e in build.content.upcoming_events if e.territory_id == territory.id]
    communes = ", ".join(territory.communes)
    body = (
        events_by_month(events, src) if events else "Aucun rendez-vous prévu ici pour l'instant.\n"
    )
    text = (
        f"# Agenda — {md_text(territory.name)}\n\n"
        f"Communes : {md_text(communes)}.\n\n[Tout l'agenda]({link(src, AGENDA)})\n\n{body}"
    )
    return GeneratedPage(src, f"Agenda — {territory.name}", text, dict(NOT_INDEXED))


def next_events_block(build: BuildContext, from_src: str, count: int = 3) -> str:
    """The few next events, for the home page."""
    upcoming = build.content.upcoming_events[:count]
    if not upcoming:
        return "Aucun rendez-vous prévu pour l'instant.\n"
    cards = "\n".join(event_card(event, from_src) for event in upcoming)
    return f"{cards}\n[Tout l'agenda]({link(from_src, AGENDA)}){{ .md-button }}\n"


def _subscribe(from_src: str) -> str:
    return (
        f"[S'abonner à l'agenda (fichier .ics)]({link(from_src, CALENDAR_PATH)}) · "
        f"[Suivre les nouveautés (flux Atom)]({link(from_src, FEED_PATH)})\n"
    )


def agenda_changed(build: BuildContext) -> datetime:
    """When the list of upcoming events last changed: an event in it was revised, or the last
    past one ended and left it (the Unix epoch for an agenda that never had an event)."""
    content = build.content
    moments = [build.dates.revision(event.source).time for event in content.upcoming_events]
    moments += [event.end.astimezone(UTC) for event in content.past_events[:1]]
    return max(moments, default=datetime(1970, 1, 1, tzinfo=UTC))


def agenda_files(build: BuildContext) -> list[GeneratedFile]:
    """Calendars, the feed and the events manifest for the form backend."""
    content, settings = build.content, build.settings
    page_urls = {event.id: build.absolute_url(event_src(event)) for event in content.events}
    revisions = {event.id: build.dates.revision(event.source) for event in content.events}
    files = [
        GeneratedFile(
            event_calendar_path(event),
            calendar_bytes(
                [event], settings.site_url, event.title, page_urls, revisions, build.kept
            ),
        )
        for event in content.events
    ]
    files.append(
        GeneratedFile(
            CALENDAR_PATH,
            calendar_bytes(
                content.upcoming_events,
                settings.site_url,
                f"Agenda — {settings.site_name}",
                page_urls,
                revisions,
                build.kept,
            ),
        )
    )
    files.append(
        GeneratedFile(
            FEED_PATH,
            atom_feed(
                content.upcoming_events,
                title=f"Agenda — {settings.site_name}",
                feed_url=build.absolute_url(FEED_PATH),
                agenda_url=build.absolute_url(AGENDA),
                page_urls=page_urls,
                revised={event_id: r.time for event_id, r in revisions.items()},
                updated=agenda_changed(build),
            ),
        )
    )
    files.append(
        GeneratedFile(
            MANIFEST_PATH,
            events_manifest(
                content.events,
                page_urls,
                settings.reminders,
                left_out(content.root, content.events),
            ),
        )
    )
    return files
