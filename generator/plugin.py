"""The MkDocs adapter: the only module (with the CLI) that imports MkDocs.

Phases, like Material's blog plugin: ``on_config`` reads the settings, ``on_files`` loads and
checks the content and adds the generated pages and files, ``on_page_markdown`` expands the
blocks authors place in their pages.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import AnchorLink, get_toc

from forms_backend.html_typography import typeset_html

from .cache_pruning import prune_cache
from .content import Content, load_content
from .content.history import ContentHistory
from .content.loader import COLLECTION_DIRS
from .images import CLEAN_FORMATS, ImageProcessor, clean_copy
from .output_cache import OutputCache
from .pages import LISTINGS, BuildContext, expand_blocks, generate_site
from .pages.dates import page_dates
from .pages.prints import PublishedFile, site_prints
from .pages.share_images import LOGO_PATH, page_share_images
from .pages.site import GeneratedSite, default_title
from .plugin_config import PorteVoixConfig
from .search_assets import unused_search_files
from .settings import Settings, SettingsError

log = get_plugin_logger("porte-voix")
DATA_SUFFIXES = {".yml", ".yaml"}


class PorteVoixPlugin(BasePlugin[PorteVoixConfig]):
    """Turns ``content/`` into the campaign site."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.build: BuildContext | None = None
        self.problem_count = 0
        self.generated_meta: dict[str, dict[str, Any]] = {}
        self.share_meta: dict[str, dict[str, Any]] = {}  # share image (and more) of every page
        self.rendered: OutputCache | None = None  # pages rendered by earlier builds
        self.calendars: OutputCache | None = None
        self.cache_in_use: tuple[Path, set[str], set[Path]] | None = None
        self.history: ContentHistory | None = None
        self.page_dates: dict[str, str] = {}  # src_uri → last change, for sitemap.xml
        # src_uri → cache key of the pages rendered this build, and the warnings count before
        self.rendering: dict[str, tuple[str, int]] = {}
        self.warnings = _WarningCount()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read this Mission Locale's settings and expose what templates need."""
        try:
            self.settings = Settings.from_mapping(
                config.site_name, config.site_url, self.config, Path(config.docs_dir)
            )
        except SettingsError as error:
            raise PluginError(str(error)) from error
        config.extra["porte_voix"] = {
            "accessibilite": self.settings.accessibility_label,
            "formulaires": self.settings.forms_url,
        }
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Load the content, report every problem, then swap data files for generated pages."""
        assert self.settings is not None
        content, problems = load_content(Path(config.docs_dir), self.settings)
        for problem in problems:
            log.error(str(problem))
        self.problem_count = len(problems)
        cache = Path(config.config_file_path).parent / self.config.cache
        processor = ImageProcessor(cache)
        images = processor.process_all(_published_images(content))
        self.calendars = OutputCache(cache / "calendars.json", self.settings.site_url)
        project = Path(config.config_file_path).parent
        self.history = ContentHistory(
            project,
            cache / "history.json",
            folders=(Path(config.docs_dir), Path(config.config_file_path)),
            declared=content.declared,
        )
        build = BuildContext(
            content,
            self.settings,
            images,
            config.use_directory_urls,
            kept=self.calendars,
            history=self.history,
        )
        layouts = _layouts_folder(config)
        prints, print_errors = site_prints(build, layouts, cache)
        for error in print_errors:
            log.error(error)
        self.problem_count += len(print_errors)
        self.build = replace(build, prints=prints)
        site = generate_site(self.build)
        print_logo = self.settings.logo.resolve() if self.settings.logo else None
        for file in list(files):
            path = PurePosixPath(file.src_uri)
            source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
            if source and (source.is_relative_to(layouts) or source == print_logo):
                # Layouts, the ICC profile and the print logo are build inputs, not web files.
                files.remove(file)
            elif (
                path.parts[0] in COLLECTION_DIRS
                or path.suffix in DATA_SUFFIXES
                or file.src_uri in LISTINGS
            ):
                files.remove(file)
            elif path.suffix.lower() in CLEAN_FORMATS and file.abs_src_path:
                # Never publish an original image: its EXIF may hold a GPS position.
                files.remove(file)
                files.append(
                    File.generated(
                        config, file.src_uri, content=clean_copy(Path(file.abs_src_path))
                    )
                )
        _drop_unused_search_files(files, config)
        self.generated_meta = {page.src_uri: page.page_meta() for page in site.pages}
        self.share_meta, shared = self._share_images(site, layouts, cache)
        prints["pages"] = shared
        if print_logo:  # the organisation's logo, for search engines (metadata removed)
            files.append(
                File.generated(
                    config, LOGO_PATH + print_logo.suffix.lower(), content=clean_copy(print_logo)
                )
            )
        self.page_dates = page_dates(self.build, site, Path(config.config_file_path))
        for page in site.pages:
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(
                File.generated(config, page.src_uri, content=page.body(), inclusion=inclusion)
            )
        for src_uri, text in site.default_pages.items():
            files.append(
                File.generated(config, src_uri, content=text, inclusion=InclusionLevel.NOT_IN_NAV)
            )
        for generated in site.files:
            files.append(File.generated(config, generated.path, content=generated.content))
        for published in (f for group in prints.values() for f in group):
            files.append(
                CachedFile.generated(
                    config, published.site_path, abs_src_path=str(published.cache_path)
                )
            )
        for image in images.values():
            for variant in image.variants:
                files.append(
                    CachedFile.generated(
                        config, variant.site_path, abs_src_path=str(variant.cache_path)
                    )
                )
        # What a page renders to also depends on which files exist (links are resolved, or
        # warned about, against them): adding or removing a file renders every page again.
        self.rendered = OutputCache(
            cache / "pages.json",
            [
                config.markdown_extensions,
                config.mdx_configs,
                config.use_directory_urls,
                sorted(file.src_uri for file in files),
            ],
        )
        self.rendering = {}
        self.cache_in_use = (
            cache,
            {image.key for image in images.values()},
            {published.cache_path for group in prints.values() for published in group},
        )
        logging.getLogger("mkdocs").addHandler(self.warnings)
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        """Give generated pages their meta, and expand ``<!-- porte-voix: … -->`` blocks."""
        assert self.build is not None
        if page.file.src_uri in self.generated_meta:
            page.meta = dict(self.generated_meta[page.file.src_uri])
        for key, value in self.share_meta.get(page.file.src_uri, {}).items():
            page.meta.setdefault(key, value)
        page.update_date = self.page_dates.get(page.file.src_uri, page.update_date)
        markdown = expand_blocks(markdown, page.file.src_uri, self.build)
        if self.rendered is not None:
            key = self.rendered.key(page.file.src_uri, markdown)
            kept = self.rendered.get(key)
            if kept is None:
                self.rendering[page.file.src_uri] = (key, self.warnings.count)
            else:
                _skip_render(page, kept)
        return markdown

    @event_priority(100)  # first, so what is kept is exactly what Markdown made
    def on_page_content(
        self, html: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        """Keep each page just rendered for the next build — unless rendering it warned (a
        broken link, say): a kept page would not warn again, and ``--strict`` must fail again."""
        key, warnings_before = self.rendering.pop(page.file.src_uri, ("", 0))
        if key and self.rendered is not None and self.warnings.count == warnings_before:
            self.rendered.put(
                key,
                {
                    "html": html,
                    "toc": [_toc_token(anchor) for anchor in page.toc],
                    "title": page._title_from_render,
                    "anchors": sorted(page.present_anchor_ids or ()),
                    # Checked by MkDocs once every page is read: kept by path, found back then.
                    "links_to_anchors": {
                        target.src_uri: links
                        for target, links in (page.links_to_anchors or {}).items()
                    },
                },
            )
        return html

    def on_post_page(self, output: str, /, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        """French spacing in every text of the finished page (``typeset_html``)."""
        return typeset_html(output)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """The same for pages made from a template alone (``404.html``), not ``sitemap.xml``."""
        return typeset_html(output_content) if template_name.endswith(".html") else output_content

    def _share_images(
        self, site: GeneratedSite, layouts: Path, cache: Path
    ) -> tuple[dict[str, dict[str, Any]], list[PublishedFile]]:
        """The share image of every page without its own (``pages/share_images.py``)."""
        assert self.build is not None
        titles = {p.src_uri: p.title for p in self.build.content.pages}
        titles |= {src: default_title(text) for src, text in site.default_pages.items()}
        titles |= {p.src_uri: p.title for p in site.pages}
        own = {p.src_uri: "og_image" in p.meta for p in site.pages}
        meta, files, errors = page_share_images(self.build, titles, own, layouts, cache)
        for error in errors:
            log.error(error)
        self.problem_count += len(errors)
        return meta, files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Keep what this build rendered or reused (and only that) for the next one."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        for kept in (self.rendered, self.calendars, self.history):
            if kept is not None:
                kept.save()
        if self.cache_in_use is not None:  # a withdrawn testimonial's photo goes for good
            prune_cache(*self.cache_in_use)

    def on_build_error(self, *, error: Exception) -> None:
        """Stop counting warnings; keep nothing from a failed build."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)


class _WarningCount(logging.Handler):
    """Counts MkDocs' warnings, to tell which pages warned while being rendered."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        """One more warning."""
        self.count += 1


class CachedFile(File):
    """A site file whose bytes wait in our cache (photo variant, flyer): linked into the site
    instead of copied, when the two folders share a disk. Copying thousands of them was a tenth
    of a rebuild. Safe because the cache never rewrites a file in place: a new version is a new
    file renamed over the old one, so the published link keeps the bytes it was built with."""

    def copy_file(self, dirty: bool = False) -> None:
        """Hard-link the cached file to its place in the site, else copy it."""
        assert self.abs_src_path is not None
        target = Path(self.abs_dest_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(self.abs_src_path, target)
        except OSError:  # another disk, or a file system without hard links
            super().copy_file(dirty)


def _drop_unused_search_files(files: Files, config: MkDocsConfig) -> None:
    """Leave out the search stemmers of languages the site's search does not use."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    languages = getattr(search, "config", {}).get("lang") or [config.theme.get("language", "en")]
    for path in unused_search_files([file.src_uri for file in files], languages):
        files.remove(files.get_file_from_path(path))


def _skip_render(page: MkDocsPage, kept: dict[str, Any]) -> None:
    """Make ``page.render`` put back what ``Page.render`` made last time from the same Markdown
    (HTML, table of contents, title found in the text, anchors) instead of converting it again:
    that was the largest share of a rebuild with thousands of events."""

    def render(config: MkDocsConfig, files: Files) -> None:
        page.content = kept["html"]
        page.toc = get_toc(kept["toc"])
        page._title_from_render = kept["title"]
        page.present_anchor_ids = set(kept["anchors"])
        page.links_to_anchors = {
            target: links
            for uri, links in kept["links_to_anchors"].items()
            if (target := files.get_file_from_path(uri)) is not None
        }

    page.render = render  # type: ignore[method-assign]


def _toc_token(anchor: AnchorLink) -> dict[str, Any]:
    return {
        "level": anchor.level,
        "id": anchor.id,
        "name": anchor.title,
        "children": [_toc_token(child) for child in anchor.children],
    }


def _layouts_folder(config: MkDocsConfig) -> Path:
    """``theme/flyers/``: the flyer layouts, one file per format."""
    custom = config.theme.custom_dir
    folder = Path(custom) / "flyers" if custom else None
    if folder is None or not folder.is_dir():
        raise PluginError(
            "les mises en page des flyers manquent : mkdocs.yml doit avoir « theme: custom_dir: theme », "
            "et le dossier theme/flyers/ doit exister (il est livré avec le kit)"
        )
    return folder.resolve()


def _published_images(content: Content) -> list[Path]:
    images = [t.photo for t in content.testimonials if t.photo]
    images += [e.image for e in content.events if e.image]
    images += [c.visual for c in content.campaigns if c.visual]
    images += [
        p.logo
        for p in content.partners.values()
        if p.logo and p.logo.suffix.lower() in CLEAN_FORMATS
    ]
    return images
