"""One page per event: when, where, for whom, with whom, and how to sign up."""

from __future__ import annotations

from datetime import timedelta

from forms_backend.intake.forms import SIGNUP

from ..content import Event
from ..content.contributed import body_block
from ..content.event_status import SCHEDULED
from ..content.french_dates import deadline_phrase, event_span
from ..content.status_words import status_detail, status_label
from ..slugs import normalise
from ..structured_data import event_json_ld
from .blocks import form_block
from .context import AGENDA, PARTNERS, BuildContext, event_calendar_path, event_src
from .links import link, md_text
from .page import GeneratedPage
from .pictures import picture_html
from .prints import downloads_markdown
from .share_images import item_share_alt, item_share_path, made_share_image, share_meta


def event_page(event: Event, build: BuildContext) -> GeneratedPage:
    """The page of ``event``; past events stay online but leave the search index."""
    src = event_src(event)
    now = build.content.now
    facts = [
        f"- **Quand :** {_when(event)}",
        f"- **Où :** {md_text(_where(event))}",
        f"- **Pour qui :** {md_text(event.audience)}",
    ]
    if event.partners:
        names = ", ".join(
            f"[{md_text(p.name)}]({link(src, PARTNERS, p.id)})" for p in event.partners
        )
        facts.append(f"- **Avec :** {names}")
    if event.bring:
        facts.append(f"- **À apporter :** {md_text(event.bring)}")
    if event.contact:
        facts.append(f"- **Contact :** {md_text(event.contact)}")
    parts = [f"# {md_text(event.title)}\n"]
    if event.is_past(now) and event.takes_place:  # a rescheduled event too, once over
        parts.append(
            '!!! note "Cet événement est terminé"\n    Retrouve les prochains rendez-vous dans l\'agenda.\n'
        )
    elif event.status != SCHEDULED:
        parts.append(_status_banner(event, src))
    image = build.images.get(event.image) if event.image else None
    if image:
        parts.append(picture_html(image, src, "", directory_urls=build.directory_urls) + "\n")
    parts.append('<div class="pv-facts" markdown>\n\n' + "\n".join(facts) + "\n\n</div>\n")
    if event.body.strip():
        parts.append(body_block(event.body, event.contributed) + "\n")
    parts.append(_signup_section(event, build, src))
    calendar = link(src, event_calendar_path(event))
    parts.append(f"[Ajouter à mon agenda (fichier .ics)]({calendar}){{ .md-button }}\n")
    parts.append(downloads_markdown(build, event, src))
    page_url = build.absolute_url(src)
    share_path = item_share_path(build, event, src)
    images = [build.absolute_url(share_path)]
    if image:
        images.append(build.absolute_url(image.largest.site_path))
    published = build.dates.latest([event.source]) if event.source.is_file() else None
    label = f"{status_label(event)}. " if status_label(event) else ""
    meta = {
        "description": f"{label}{event_span(event.start, event.end).capitalize()}, {event.commune}. {event.audience}.",
        "jsonld": event_json_ld(
            event, page_url, build.settings, images, now=now, published=published
        ),
    }
    if made_share_image(build, event):  # else the generic one, given to every page without
        meta.update(share_meta(build, share_path, item_share_alt(build, event, event.title)))
    if event.is_past(now) or event.start > now + timedelta(days=build.settings.search_days):
        # The search index is fetched by every first visit: it holds the weeks ahead only, so it
        # stays small at any size of agenda (the agenda pages list everything).
        meta["search"] = {"exclude": True}
    return GeneratedPage(src, event.title, "\n".join(parts), meta)


def _when(event: Event) -> str:
    span = event_span(event.start, event.end)
    if event.cancelled:
        return f"{span} (annulé)"
    if event.postponed:
        return f"reporté, nouvelle date à venir (d'abord prévu le {span})"
    return f"{span} (nouvelle date)" if event.rescheduled else span


def _status_banner(event: Event, src: str) -> str:
    """A cancelled or postponed event says so first, in words (the box's colour only repeats
    them): the title names the status, the text gives the date and the reason."""
    kind = "danger" if event.cancelled else "warning"
    title = status_label(event).replace('"', "”")
    agenda = f"[Voir les autres rendez-vous de l'agenda]({link(src, AGENDA)})"
    return f'!!! {kind} "{title}"\n    {md_text(status_detail(event))}\n\n    {agenda}\n'


def _where(event: Event) -> str:
    """Place, address and commune, without saying the commune twice."""
    where = f"{event.place.name}, {event.place.address}"
    return where if normalise(event.commune) in normalise(where) else f"{where} ({event.commune})"


def _signup_section(event: Event, build: BuildContext, src: str) -> str:
    now = build.content.now
    heading = "## Inscription { #inscription }\n"
    if event.cancelled:
        return heading + "\nCet événement est annulé : on ne peut plus s'inscrire.\n"
    if event.postponed:
        return heading + "\nLes inscriptions rouvriront quand la nouvelle date sera connue.\n"
    if event.is_past(now):
        return heading + "\nCet événement est passé : on ne peut plus s'inscrire.\n"
    if event.registration is None:
        return heading + "\nEntrée libre : pas besoin de t'inscrire. Viens directement !\n"
    if not event.registration_open(now):
        return heading + "\nLes inscriptions sont closes.\n"
    places_url = f"{build.settings.forms_url.rstrip('/')}/evenements/{event.id}/places"
    places = f"{event.registration.places} places en tout. " if event.registration.places else ""
    return (
        heading
        + f'\n<div class="pv-signup" data-evenement="{event.id}" markdown>\n\n'
        + f"{places}Inscription ouverte {deadline_phrase(event.registration.deadline)}.\n"
        + f'{{ .pv-places data-places-url="{places_url}" }}\n\n</div>\n'
        + form_block(SIGNUP, build, event.id)
    )
