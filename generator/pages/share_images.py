"""A share image (Open Graph, 1200 × 630 JPEG) for every page: events and campaigns have their
own (``prints.py``); every other page gets its title on the kit's colours, made by the same flyer
engine with the ``og`` layout, cached by what it shows — one image per page."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..content import Campaign, Event
from ..flyers.layouts import load_layout
from ..flyers.making import FlyerJob, make_all
from ..flyers.subjects import page_subject
from ..structured_data import organization_json_ld
from .context import BuildContext
from .prints import OG_SIZE, PublishedFile, subject_key

SHARE_FOLDER = "porte-voix/partage"
HOME = "index.md"
LOGO_PATH = "porte-voix/logo"


def page_share_path(src_uri: str) -> str:
    """Site path of the share image made for the page ``src_uri``: ``porte-voix/partage/…``."""
    stem = src_uri.removesuffix(".md").replace("/", "--") or "index"
    return f"{SHARE_FOLDER}/{stem}.jpg"


def share_meta(build: BuildContext, site_path: str, alt: str) -> dict[str, Any]:
    """The page meta ``theme/main.html`` writes as ``og:image`` and its companions."""
    return {
        "og_image": build.absolute_url(site_path),
        "og_image_width": OG_SIZE[0],
        "og_image_height": OG_SIZE[1],
        "og_image_alt": alt,
    }


def made_share_image(build: BuildContext, item: Event | Campaign) -> PublishedFile | None:
    """The share image made for an upcoming event or a live campaign, if any."""
    for published in build.prints.get(subject_key(item), []):
        if published.format == "og":
            return published
    return None


def item_share_path(build: BuildContext, item: Event | Campaign, src_uri: str) -> str:
    """Where the share image of an event's or campaign's page is: its own when it was made
    (upcoming events, live campaigns), else the page's generic one."""
    made = made_share_image(build, item)
    return made.site_path if made else page_share_path(src_uri)


def item_share_alt(build: BuildContext, item: Event | Campaign, title: str) -> str:
    """What the share image shows, in French, for people who do not see it."""
    if made_share_image(build, item) is None:
        return page_share_alt(build, title)
    what = "l'événement" if isinstance(item, Event) else "la campagne"
    return (
        f"Affiche de {what} : {title}. La date, le lieu et un code QR qui mène à cette page, "
        f"sur les couleurs de {build.settings.site_name}."
    )


def page_share_alt(build: BuildContext, title: str) -> str:
    """The alternative text of a generic share image."""
    return (
        f"{title} : ce titre écrit en blanc sur fond violet, sous le nom {build.settings.site_name}, "
        "avec un code QR qui mène à cette page."
    )


def page_share_images(
    build: BuildContext,
    titles: Mapping[str, str],
    have_own: Mapping[str, bool],
    layouts: Path,
    cache: Path,
) -> tuple[dict[str, dict[str, Any]], list[PublishedFile], list[str]]:
    """Make (or take from the cache) the share image of every page in ``titles`` (src_uri →
    plain title) without one of its own (``have_own``); returns the meta to add to each page,
    the files to publish and what could not be made, in French."""
    channel = load_layout(layouts, "og").source
    wanted = [src for src in titles if not have_own.get(src)]
    jobs = []
    for src in wanted:
        title = build.settings.site_name if src == HOME else titles[src]
        page_id = src.removesuffix(".md").replace("/", "--") or "index"
        subject = page_subject(page_id, title, build.settings, build.absolute_url(src), channel)
        jobs.append(FlyerJob(subject, "og", layouts))
    meta: dict[str, dict[str, Any]] = {}
    files: list[PublishedFile] = []
    errors: list[str] = []
    for src, made in zip(wanted, make_all(jobs, cache / "flyers"), strict=True):
        if made.path is None:
            errors.append(made.error)
            continue
        site_path = page_share_path(src)
        files.append(PublishedFile(site_path, made.path, "og", ""))
        title = build.settings.site_name if src == HOME else titles[src]
        meta[src] = share_meta(build, site_path, page_share_alt(build, title))
    if HOME in titles:
        logo = build.settings.logo
        logo_url = build.absolute_url(LOGO_PATH + logo.suffix.lower()) if logo else None
        meta.setdefault(HOME, {})["jsonld"] = organization_json_ld(build.settings, logo_url)
    return meta, files, errors
