"""The print and social files the site publishes for each upcoming event and live campaign:
the A5 flyer and A4 poster as PDF, and the Open Graph image used when a page is shared."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content import Campaign, Event
from ..flyers.layouts import load_layout
from ..flyers.making import FlyerJob, make_all
from ..flyers.pdf import PrintOptions
from ..flyers.subjects import Subject, campaign_subject, event_subject, printable
from .context import BuildContext, campaign_src, event_src
from .links import link


@dataclass(frozen=True)
class SiteFormat:
    """One file made for every event and campaign."""

    format: str
    file_name: str
    label: str  # what the download link says


SITE_FORMATS = (
    SiteFormat("a5", "flyer-a5.pdf", "Télécharger le flyer (PDF, A5"),
    SiteFormat("a4", "affiche-a4.pdf", "Télécharger l'affiche (PDF, A4"),
    SiteFormat("og", "partage.jpg", ""),
)
OG_SIZE = (1200, 630)


@dataclass(frozen=True)
class PublishedFile:
    """A made file: where it goes in the site and where its bytes are."""

    site_path: str
    cache_path: Path
    format: str
    label: str

    @property
    def size_text(self) -> str:
        """« 140 Ko »: people on mobile data want to know before they download."""
        kilobytes = max(1, round(self.cache_path.stat().st_size / 1000))
        if kilobytes < 1000:
            return f"{kilobytes} Ko"
        return f"{kilobytes / 1000:.1f} Mo".replace(".", ",")


def subject_key(item: Event | Campaign) -> str:
    """Key of an event or campaign in :func:`site_prints`."""
    return f"{'campagne' if isinstance(item, Campaign) else 'evenement'}:{item.id}"


def page_folder(item: Event | Campaign) -> str:
    """The folder of the item's files: ``evenements/ID/`` or ``campagnes/SLUG/``."""
    return event_src(item)[:-3] if isinstance(item, Event) else campaign_src(item)[:-3]


def site_prints(
    build: BuildContext, layouts: Path, cache: Path, workers: int | None = None
) -> tuple[dict[str, list[PublishedFile]], list[str]]:
    """Make (or take from the cache) the files of every upcoming event and live campaign, except
    those that call people to a cancelled or postponed event (their pages get the generic share
    image); also returns what could not be made, in French."""
    jobs: list[FlyerJob] = []
    places: list[tuple[str, str, SiteFormat]] = []
    options = PrintOptions(bleed_mm=build.settings.bleed_mm)
    items: list[Event | Campaign] = [
        item
        for item in [*build.content.upcoming_events, *build.content.live_campaigns]
        if printable(item)  # no flyer calls people to a cancelled event
    ]
    for item in items:
        for site_format in SITE_FORMATS:
            jobs.append(
                FlyerJob(
                    _subject(item, build, site_format.format, layouts),
                    site_format.format,
                    layouts,
                    options,
                )
            )
            places.append(
                (subject_key(item), f"{page_folder(item)}/{site_format.file_name}", site_format)
            )
    prints: dict[str, list[PublishedFile]] = {}
    errors: list[str] = []
    for (key, site_path, site_format), made in zip(
        places, make_all(jobs, cache / "flyers", workers), strict=True
    ):
        if made.path is None:
            errors.append(made.error)
            continue
        prints.setdefault(key, []).append(
            PublishedFile(site_path, made.path, site_format.format, site_format.label)
        )
    return prints, errors


def _subject(
    item: Event | Campaign, build: BuildContext, format_name: str, layouts: Path
) -> Subject:
    channel = load_layout(layouts, format_name).source
    if isinstance(item, Event):
        return event_subject(item, build.settings, build.absolute_url(event_src(item)), channel)
    return campaign_subject(item, build.settings, build.absolute_url(campaign_src(item)), channel)


def downloads_markdown(build: BuildContext, item: Event | Campaign, from_src: str) -> str:
    """« À imprimer » links to the PDFs, with their size; empty when none was made."""
    files = [f for f in build.prints.get(subject_key(item), []) if f.label]
    if not files:
        return ""
    lines = ["## À imprimer et à afficher\n"]
    lines += [f"- [{f.label}, {f.size_text})]({link(from_src, f.site_path)})" for f in files]
    lines.append(
        "\nLe code QR de ces documents mène à cette page. Pour des exemplaires au nom de ta "
        "structure, demande-les à la Mission Locale.\n"
    )
    return "\n".join(lines) + "\n"
