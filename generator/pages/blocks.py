"""Blocks that authors place in any page with a comment, such as ``<!-- porte-voix: temoignages -->``."""

from __future__ import annotations

import random

from ..content.pages import MARKER
from .agenda import next_events_block
from .cards import testimonial_card
from .context import TESTIMONIALS, BuildContext
from .links import link


def testimonials_block(build: BuildContext, from_src: str, count: int = 2) -> str:
    """A few testimonials (a different pick each build, the same within one build)."""
    chosen = random.Random(build.content.now.date().toordinal()).sample(
        build.content.testimonials, min(count, len(build.content.testimonials))
    )
    cards = "\n".join(testimonial_card(t, from_src, build) for t in chosen)
    return f"{cards}\n[Tous les témoignages]({link(from_src, TESTIMONIALS)}){{ .md-button }}\n"


def accessibility_block(build: BuildContext, from_src: str) -> str:
    """The declared RGAA status, from ``mkdocs.yml``."""
    return f"**État de conformité : {build.settings.site_name} est {build.settings.accessibility_label} avec le RGAA 4.1.**\n"


BLOCKS = {
    "prochains-evenements": next_events_block,
    "temoignages": testimonials_block,
    "accessibilite": accessibility_block,
}


def expand_blocks(markdown: str, src_uri: str, build: BuildContext) -> str:
    """Replace each block comment by its Markdown; unknown names are left for the checker to report."""

    def replace(match):  # type: ignore[no-untyped-def]
        block = BLOCKS.get(match[1])
        return block(build, src_uri) if block else match[0]

    return MARKER.sub(replace, markdown)
