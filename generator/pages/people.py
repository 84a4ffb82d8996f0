"""Testimonials and partners: the people and structures of the programme."""

from __future__ import annotations

from itertools import groupby

from ..content import Partner, Testimonial
from ..content.contributed import body_block
from .cards import event_card, testimonial_card, testimonial_name, testimonial_photo
from .context import PARTNERS, TESTIMONIALS, BuildContext, testimonial_src
from .links import link, md_text
from .page import GeneratedPage
from .pictures import picture_html


def testimonials_page(build: BuildContext, intro: str) -> GeneratedPage:
    """``temoignages/``: every published testimonial."""
    cards = [
        testimonial_card(t, TESTIMONIALS, build, heading="##") for t in build.content.testimonials
    ]
    body = "\n".join(cards) if cards else "Les premiers témoignages arrivent bientôt.\n"
    return GeneratedPage(TESTIMONIALS, "Témoignages", f"{intro.strip()}\n\n{body}", in_nav=True)


def testimonial_page(testimonial: Testimonial, build: BuildContext) -> GeneratedPage:
    """One young person's story, in their words."""
    src = testimonial_src(testimonial)
    name = testimonial_name(testimonial)
    parts = [
        f"# {md_text(name)}\n",
        testimonial_photo(testimonial, src, build, "(min-width: 45em) 20em, 80vw"),
    ]
    parts.append(f"> « {md_text(testimonial.quote)} »\n")
    parts.append(body_block(testimonial.body, testimonial.contributed) + "\n")
    parts.append(f"[Tous les témoignages]({link(src, TESTIMONIALS)})\n")
    # Stories stay out of the search index (the listing, indexed, has every name and quote):
    # the index is fetched by every first visit and must not grow with each testimonial.
    meta = {"description": testimonial.quote, "search": {"exclude": True}}
    return GeneratedPage(src, name, "\n".join(parts), meta)


def partners_page(build: BuildContext, intro: str) -> GeneratedPage:
    """``partenaires/``: the consortium by type of structure, with each partner's next events."""
    partners = sorted(
        build.content.partners.values(), key=lambda p: (p.kind.lower(), p.name.lower())
    )
    parts = [intro.strip() + "\n"]
    for kind, group in groupby(partners, key=lambda p: p.kind):
        parts.append(f"## {md_text(kind.capitalize())}\n")
        parts.extend(_partner(partner, build) for partner in group)
    return GeneratedPage(PARTNERS, "Nos partenaires", "\n".join(parts), in_nav=True)


def _partner(partner: Partner, build: BuildContext) -> str:
    lines = [f"### {md_text(partner.name)} {{ #{partner.id} }}\n"]
    if partner.logo and partner.logo in build.images:
        logo = picture_html(
            build.images[partner.logo],
            PARTNERS,
            f"Logo : {partner.name}",
            sizes="8em",
            css_class="pv-picture pv-logo",
            directory_urls=build.directory_urls,
        )
        lines.append(logo + "\n")
    if partner.communes:
        lines.append(f"Communes : {md_text(', '.join(partner.communes))}.\n")
    if partner.website:
        lines.append(f"[Site de {md_text(partner.name)}]({partner.website})\n")
    events = [e for e in build.content.upcoming_events if partner in e.partners][:3]
    if events:
        lines.append("Prochains rendez-vous avec ce partenaire :\n")
        lines.extend(event_card(e, PARTNERS, heading="####") for e in events)
    return "\n".join(lines)
