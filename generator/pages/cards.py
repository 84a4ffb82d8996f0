"""Short listings of events and testimonials, reused by the agenda, home and partner pages."""

from __future__ import annotations

from itertools import groupby

from ..content import Event, Testimonial
from ..content.fields import PARIS
from ..content.french_dates import MONTHS, event_span
from ..content.status_words import status_label
from .context import BuildContext, event_src, testimonial_src
from .links import link, md_text
from .pictures import picture_html


def event_card(event: Event, from_src: str, heading: str = "###") -> str:
    """An event in a list: title linked to its page, its status when it changed (in bold words,
    « Annulé »), when, where, for whom."""
    label = status_label(event)
    status = f"**{md_text(label)}.**{{ .pv-status }}  \n" if label else ""
    return (
        f"{heading} [{md_text(event.title)}]({link(from_src, event_src(event))})\n\n"
        f"{status}{event_span(event.start, event.end).capitalize()}  \n"
        f"{md_text(event.place.name)}, {md_text(event.commune)}  \n"
        f"Pour qui : {md_text(event.audience)}\n"
    )


def events_by_month(events: list[Event], from_src: str) -> str:
    """Events under one heading per month (« Décembre 2026 »), in the order given."""

    def month(event: Event) -> tuple[int, int]:
        local = event.start.astimezone(PARIS)
        return local.year, local.month

    parts = []
    for (year, number), group in groupby(events, key=month):
        parts.append(f"## {MONTHS[number - 1].capitalize()} {year}\n")
        parts.extend(event_card(event, from_src) for event in group)
    return "\n".join(parts)


def testimonial_card(
    testimonial: Testimonial, from_src: str, build: BuildContext, heading: str = "###"
) -> str:
    """A testimonial in a list: who, the quote, the photo when allowed, a link to the story."""
    parts = [f"{heading} {md_text(testimonial_name(testimonial))}\n"]
    parts.append(testimonial_photo(testimonial, from_src, build, "(min-width: 45em) 12em, 40vw"))
    parts.append(f"> « {md_text(testimonial.quote)} »\n")
    if testimonial.body.strip():
        target = link(from_src, testimonial_src(testimonial))
        parts.append(f"[Lire le parcours {of_name(md_text(testimonial.first_name))}]({target})\n")
    return "\n".join(parts)


def of_name(first_name: str) -> str:
    """« de Mathis », but « d'Inès », « d'Océane »: French elides « de » before a vowel."""
    initial = first_name[:1].lower()
    return (
        f"d'{first_name}"
        if initial and initial in "aàâäeéèêëiîïoôöuùûüyÿæœ"
        else f"de {first_name}"
    )


def testimonial_name(testimonial: Testimonial) -> str:
    """« Inès, 19 ans, Frouard »."""
    return f"{testimonial.first_name}, {testimonial.age} ans, {testimonial.commune}"


def testimonial_photo(
    testimonial: Testimonial, from_src: str, build: BuildContext, sizes: str
) -> str:
    """The portrait as a responsive picture, or nothing when there is none."""
    if not testimonial.photo or testimonial.photo not in build.images:
        return ""
    photo = picture_html(
        build.images[testimonial.photo],
        from_src,
        f"Photo {of_name(testimonial.first_name)}",
        sizes=sizes,
        css_class="pv-picture pv-portrait",
        directory_urls=build.directory_urls,
    )
    return f"{photo}\n"
