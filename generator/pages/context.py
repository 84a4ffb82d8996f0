"""What every page builder needs: the content, the settings, processed images and URL rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..content import Campaign, Content, Event, Testimonial
from ..content.history import ContentHistory
from ..images import ResponsiveImage
from ..output_cache import OutputCache
from ..settings import Settings
from .links import page_url

if TYPE_CHECKING:
    from .prints import PublishedFile

AGENDA = "agenda.md"
ARCHIVE = "agenda/archives.md"
TESTIMONIALS = "temoignages.md"
PARTNERS = "partenaires.md"
SITE_MAP = "plan-du-site.md"
CALLBACK = "rappel.md"


@dataclass(frozen=True)
class BuildContext:
    """Inputs shared by the page builders; nothing here depends on MkDocs."""

    content: Content
    settings: Settings
    images: dict[Path, ResponsiveImage] = field(default_factory=dict)
    directory_urls: bool = True
    prints: dict[str, list[PublishedFile]] = field(default_factory=dict)
    kept: OutputCache | None = None  # calendar pieces made by earlier builds
    history: ContentHistory | None = None  # when each content file last changed

    @cached_property
    def dates(self) -> ContentHistory:
        """The content's history (read from ``content.root`` when none was given)."""
        return self.history or ContentHistory(self.content.root)

    def absolute_url(self, src_uri_or_path: str) -> str:
        """The public URL of a page (``.md`` source) or of a site file."""
        if src_uri_or_path.endswith(".md"):
            src_uri_or_path = page_url(src_uri_or_path, self.directory_urls)
        return self.settings.site_url + src_uri_or_path


def event_src(event: Event) -> str:
    """Source path of an event's page."""
    return f"evenements/{event.id}.md"


def campaign_src(campaign: Campaign) -> str:
    """Source path of a campaign's landing page."""
    return f"campagnes/{campaign.id}.md"


def event_calendar_path(event: Event) -> str:
    """Site path of an event's ``.ics`` file."""
    return f"evenements/{event.id}.ics"


def territory_src(territory_id: str) -> str:
    """Source path of a communauté de communes' agenda page."""
    return f"agenda/{territory_id}.md"


def testimonial_src(testimonial: Testimonial) -> str:
    """Source path of a testimonial's page."""
    return f"temoignages/{testimonial.id}.md"
