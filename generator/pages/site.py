"""Every generated page and file of the site, as plain data (no MkDocs type)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from ..content import Page
from ..licences import LICENCES_PATH, licence_notice
from ..organisation import ORGANISATION_PATH, organisation_file
from .agenda import agenda_files, agenda_page, archive_page, territory_page
from .campaign_page import campaign_page
from .context import (
    AGENDA,
    ARCHIVE,
    PARTNERS,
    SITE_MAP,
    TESTIMONIALS,
    BuildContext,
    campaign_src,
    event_src,
    territory_src,
    testimonial_src,
)
from .event_page import event_page
from .links import link, md_text
from .page import GeneratedFile, GeneratedPage
from .people import partners_page, testimonial_page, testimonials_page

# Pages the kit makes; an authored page at the same path gives its title and introduction.
LISTINGS = (AGENDA, TESTIMONIALS, PARTNERS, SITE_MAP)
DEFAULT_INTROS = {
    AGENDA: "# Agenda\n\nTous les rendez-vous de la Mission Locale et de ses partenaires près de chez toi.",
    TESTIMONIALS: "# Témoignages\n\nDes jeunes du territoire racontent leur parcours.",
    PARTNERS: "# Nos partenaires\n\nLes structures qui travaillent avec nous pour aller vers les jeunes.",
    SITE_MAP: "# Plan du site\n\nToutes les pages du site.",
}
# Pages every site must have (LCEN, RGPD, RGAA, the call-back page): defaults ship with the kit.
MANDATORY_PAGES = (
    "mentions-legales.md",
    "donnees-personnelles.md",
    "accessibilite.md",
    "rappel.md",
    "orientation.md",
    "merci.md",
    "merci/liste-d-attente.md",
    "merci/contribution.md",
    "accord-parent.md",
)


@dataclass(frozen=True)
class GeneratedSite:
    """What the kit adds to the authored pages."""

    pages: list[GeneratedPage]
    files: list[GeneratedFile]
    default_pages: dict[str, str]


def generate_site(build: BuildContext) -> GeneratedSite:
    """All generated pages and files for ``build``: listings, one page per event and testimonial."""
    authored = {page.src_uri: page for page in build.content.pages}

    def intro(src: str) -> str:
        page = authored.get(src)
        return page.body if page else DEFAULT_INTROS[src]

    pages = [agenda_page(build, intro(AGENDA)), archive_page(build)]
    pages += [territory_page(t, build) for t in build.settings.territories]
    pages += [event_page(e, build) for e in build.content.events]
    pages.append(testimonials_page(build, intro(TESTIMONIALS)))
    pages += [testimonial_page(t, build) for t in build.content.testimonials]
    pages.append(partners_page(build, intro(PARTNERS)))
    pages += [campaign_page(c, build) for c in build.content.campaigns]
    defaults = {
        # Defaults are stored flat: ``merci/liste-d-attente.md`` is ``merci--liste-d-attente.md``.
        name: resources.files("generator.defaults")
        .joinpath(name.replace("/", "--"))
        .read_text(encoding="utf-8")
        for name in MANDATORY_PAGES
        if name not in authored
    }
    pages.append(site_map_page(build, authored, defaults, intro(SITE_MAP)))
    files = [
        *agenda_files(build),
        GeneratedFile(ORGANISATION_PATH, organisation_file(build.settings)),
        GeneratedFile(LICENCES_PATH, licence_notice()),
    ]
    return GeneratedSite(pages, files, defaults)


def site_map_page(
    build: BuildContext, authored: dict[str, Page], defaults: dict[str, str], intro: str
) -> GeneratedPage:
    """``plan-du-site/``: every page reachable in one list, for people who do not use menus."""
    lines = [intro.strip(), "", "## Pages", ""]
    ordinary = [p for p in authored.values() if p.src_uri not in LISTINGS]
    titles = {p.src_uri: p.title for p in ordinary}
    titles.update({src: default_title(text) for src, text in defaults.items()})
    for src in sorted(titles, key=lambda s: (s != "index.md", titles[s].lower())):
        lines.append(f"- [{md_text(titles[src])}]({link(SITE_MAP, src)})")
    lines += ["", "## Agenda", "", f"- [Agenda]({link(SITE_MAP, AGENDA)})"]
    lines += [
        f"- [{md_text(t.name)}]({link(SITE_MAP, territory_src(t.id))})"
        for t in build.settings.territories
    ]
    lines.append(f"- [Événements passés]({link(SITE_MAP, ARCHIVE)})")
    lines += ["", "### Prochains événements", ""]
    lines += [
        f"- [{md_text(e.title)}]({link(SITE_MAP, event_src(e))})"
        for e in build.content.upcoming_events
    ]
    lines += ["", "## Témoignages", "", f"- [Tous les témoignages]({link(SITE_MAP, TESTIMONIALS)})"]
    lines += [
        f"- [{md_text(t.first_name)}, {md_text(t.commune)}]({link(SITE_MAP, testimonial_src(t))})"
        for t in build.content.testimonials
    ]
    lines += ["", "## Partenaires", "", f"- [Nos partenaires]({link(SITE_MAP, PARTNERS)})", ""]
    live = build.content.live_campaigns
    if live:
        lines += ["## Campagnes", ""]
        lines += [f"- [{md_text(c.title)}]({link(SITE_MAP, campaign_src(c))})" for c in live]
        lines.append("")
    return GeneratedPage(SITE_MAP, "Plan du site", "\n".join(lines), {"search": {"exclude": True}})


def default_title(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return "Page"
