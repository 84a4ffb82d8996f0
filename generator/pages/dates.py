"""When each page last changed, from the content's history (``content.history``): what
``sitemap.xml`` says in ``lastmod``, instead of the build date for every page.

A page changed last when the newest of the files it is made from did; a page listing events also
changes when one of them ends (it moves to the archive).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from ..content.pages import MARKER
from .agenda import agenda_changed
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
from .site import GeneratedSite


def page_dates(build: BuildContext, site: GeneratedSite, config_file: Path) -> dict[str, str]:
    """The last change of every page, by source path, as an ISO 8601 UTC date-time."""
    content, history = build.content, build.dates
    root = content.root

    def latest(paths: Iterable[Path], *moments: datetime) -> datetime:
        files = [path for path in paths if path.is_file()]
        found = history.latest(files)
        return max([m for m in (found, *moments) if m is not None], default=_EPOCH)

    events = latest((e.source for e in content.events), agenda_changed(build))
    testimonials = latest(t.source for t in content.testimonials)
    campaigns = latest(c.source for c in content.campaigns)
    settings = latest([config_file])
    listing = {
        AGENDA: max(events, settings),
        ARCHIVE: max(events, settings),
        TESTIMONIALS: testimonials,
        PARTNERS: latest([root / "partenaires.yml"]),
    }
    blocks = {"prochains-evenements": events, "temoignages": testimonials, "campagne": campaigns}
    dates = {src: max(moment, latest([root / src])) for src, moment in listing.items()}
    dates |= {territory_src(t.id): dates[AGENDA] for t in build.settings.territories}
    dates |= {event_src(e): latest([e.source]) for e in content.events}
    dates |= {testimonial_src(t): latest([t.source]) for t in content.testimonials}
    dates |= {campaign_src(c): max(latest([c.source]), events) for c in content.campaigns}
    for page in content.pages:
        if page.src_uri not in dates:
            used = [blocks.get(match[1], settings) for match in MARKER.finditer(page.body)]
            dates[page.src_uri] = latest([root / page.src_uri], *used)
    dates |= {src: settings for src in site.default_pages}  # the kit's pages, with settings
    dates[SITE_MAP] = max(dates.values(), default=settings)  # lists every page
    return {src: moment.astimezone(UTC).isoformat() for src, moment in dates.items()}


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
