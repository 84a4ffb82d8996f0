"""Blocks that authors place in any page with a comment, such as ``<!-- porte-voix: temoignages -->``."""

from __future__ import annotations

import random

from forms_backend.contributions.forms import EVENT_PROPOSAL, TESTIMONY
from forms_backend.intake.forms import CALLBACK, REFERRAL, FormSpec
from forms_backend.intake.render import END, START, form_html

from ..content.pages import MARKER
from .accessibility_statement import accessibility_block
from .agenda import next_events_block
from .campaign_page import campaign_block
from .cards import testimonial_card
from .context import TESTIMONIALS, BuildContext
from .legal_notice import legal_notice_block
from .links import link
from .privacy import privacy_block


def testimonials_block(build: BuildContext, from_src: str, count: int = 2) -> str:
    """A few testimonials (a different pick each build, the same within one build)."""
    chosen = random.Random(build.content.now.date().toordinal()).sample(
        build.content.testimonials, min(count, len(build.content.testimonials))
    )
    cards = "\n".join(testimonial_card(t, from_src, build) for t in chosen)
    return f"{cards}\n[Tous les témoignages]({link(from_src, TESTIMONIALS)}){{ .md-button }}\n"


def callback_form_block(build: BuildContext, from_src: str) -> str:
    """The « Je veux qu'on me rappelle » form."""
    return form_block(CALLBACK, build)


def referral_form_block(build: BuildContext, from_src: str) -> str:
    """The partners' referral form."""
    return form_block(REFERRAL, build)


def testimony_form_block(build: BuildContext, from_src: str) -> str:
    """« Raconte ton parcours »: a testimonial, read by staff before it is published."""
    return form_block(TESTIMONY, build)


def event_proposal_form_block(build: BuildContext, from_src: str) -> str:
    """« Propose un événement »."""
    return form_block(EVENT_PROPOSAL, build)


def guardian_block(build: BuildContext, from_src: str) -> str:
    """Where the backend shows a parent the testimonial to agree to (from the e-mailed link)."""
    return (
        f"\n{START}\n<p>Ouvrez le lien reçu par e-mail pour lire le témoignage, puis "
        f"répondre : j'accepte ou je refuse.</p>\n{END}\n"
    )


def form_block(spec: FormSpec, build: BuildContext, event_id: str = "") -> str:
    """An empty form as the site shows it; the script adds its id and token, the backend checks it."""
    action = build.settings.forms_url.rstrip("/") + "/" + spec.name
    return "\n" + form_html(spec, action=action, event_id=event_id) + "\n"


BLOCKS = {
    "campagne": campaign_block,
    "prochains-evenements": next_events_block,
    "temoignages": testimonials_block,
    "accessibilite": accessibility_block,
    "mentions-legales": legal_notice_block,
    "donnees-personnelles": privacy_block,
    "formulaire-rappel": callback_form_block,
    "formulaire-orientation": referral_form_block,
    "formulaire-temoignage": testimony_form_block,
    "formulaire-evenement": event_proposal_form_block,
    "accord-parent": guardian_block,
}


def expand_blocks(markdown: str, src_uri: str, build: BuildContext) -> str:
    """Replace each block comment by its Markdown; unknown names are left for the checker to report."""

    def replace(match):  # type: ignore[no-untyped-def]
        block = BLOCKS.get(match[1])
        return block(build, src_uri) if block else match[0]

    return MARKER.sub(replace, markdown)
