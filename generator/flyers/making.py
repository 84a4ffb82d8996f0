"""Making flyer files: one job is one subject in one format; renders are cached by a hash of
everything they show (subject, layout file, logos, options, and the code and libraries that draw
them: see ``code_fingerprint.py``), so an unchanged flyer is never redrawn; many jobs run on
every core."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from PIL import Image

from ..code_fingerprint import FLYER_LIBRARIES, code_fingerprint
from .layouts import Layout, LayoutError, load_layout
from .pdf import PrintOptions, pdf_bytes
from .subjects import Subject

# A flyer shows what the subjects (content, dates, settings) and the drawing code make of it:
# any change of the generator's code draws every flyer again, once.
SOURCES = ("generator", "forms_backend/typography.py")
ICC_PROFILE = "FOGRA39L-300.icc"
OG_MAX_BYTES = 300_000
SUFFIXES = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}


@dataclass(frozen=True)
class FlyerJob:
    """One file to make: ``subject`` drawn with the layout ``format`` of ``layouts``."""

    subject: Subject
    format: str
    layouts: Path
    options: PrintOptions = field(default_factory=PrintOptions)
    output: str = ""  # pdf, png or jpeg; empty: the layout's own
    # When the content last changed: dates a CMYK PDF. Not part of the cache key (the history
    # may only know when it first saw a file), so a cached flyer keeps the date it was made with.
    revised: datetime | None = None

    def layout(self) -> Layout:
        """The layout file of this job's format."""
        return load_layout(self.layouts, self.format)

    def kind(self, layout: Layout) -> str:
        """The file type to write."""
        return self.output or layout.output


def cache_key(job: FlyerJob, layout: Layout) -> str:
    """A hash of everything the file depends on."""
    digest = hashlib.sha256()
    described = {
        "code": code_fingerprint(SOURCES, FLYER_LIBRARIES),
        "subject": job.subject.key(),
        "format": job.format,
        "options": asdict(job.options) if layout.printed else {},
        "output": job.kind(layout),
    }
    digest.update(json.dumps(described, sort_keys=True, ensure_ascii=False).encode())
    files = [layout.path, *map(Path, job.subject.logos)]
    if job.options.cmyk and layout.printed:
        files.append(job.layouts / ICC_PROFILE)
    for path in files:
        digest.update(file_digest(path))
    return digest.hexdigest()[:32]


def file_digest(path: Path) -> bytes:
    """The SHA-256 of a file, read once per change (same size and modification time: reused)."""
    status = path.stat()
    return _file_digest(path, status.st_size, status.st_mtime_ns)


@lru_cache(maxsize=256)
def _file_digest(path: Path, size: int, mtime_ns: int) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def cached_path(job: FlyerJob, cache: Path) -> Path:
    """Where the file of ``job`` is (or will be) kept."""
    layout = job.layout()
    return (
        cache
        / f"{job.subject.id}-{job.format}-{cache_key(job, layout)}{SUFFIXES[job.kind(layout)]}"
    )


def make(job: FlyerJob, cache: Path, target: Path | None = None) -> Path:
    """The file of ``job``, drawn now or taken from ``cache`` (``target``: its cached path,
    when the caller already knows it)."""
    target = target or cached_path(job, cache)
    if target.exists():
        return target
    from .render import render  # the drawing code loads only when something is drawn

    layout = job.layout()
    cmyk = job.options.cmyk and job.kind(layout) == "pdf"
    artwork = render(job.subject, layout, job.options.bleed_mm, black_plate=cmyk)
    data = encode(artwork.image, layout, job, artwork.black)
    cache.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(target)  # atomic: a reader never sees half a file
    return target


def encode(
    image: Image.Image, layout: Layout, job: FlyerJob, black: Image.Image | None = None
) -> bytes:
    """The render as PDF, PNG or JPEG bytes (no metadata about anyone); ``black``: what goes
    on the black plate of a CMYK PDF."""
    kind = job.kind(layout)
    if kind == "pdf":
        if not layout.printed:
            raise ValueError(f"le format {layout.name} est fait pour les écrans, pas pour un PDF")
        return pdf_bytes(
            image,
            (layout.width, layout.height),
            job.options,
            title=f"{job.subject.texts['titre']} — {layout.name}",
            profile=job.layouts / ICC_PROFILE,
            black=black,
            revised=job.revised,
        )
    buffer = BytesIO()
    if kind == "png":
        image.save(buffer, "PNG", optimize=False, dpi=(layout.dpi, layout.dpi))
        return buffer.getvalue()
    for quality in (88, 82, 76, 70, 62, 55):
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        if buffer.tell() <= OG_MAX_BYTES:
            break
    return buffer.getvalue()


@dataclass(frozen=True)
class Made:
    """The outcome of one job: its file, or why it could not be made (in French)."""

    job: FlyerJob
    path: Path | None
    error: str = ""


def make_all(
    jobs: Sequence[FlyerJob],
    cache: Path,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Made]:
    """Every job's outcome, in order; what is not cached is drawn on ``workers`` processes.

    A job that fails (a title too long…) does not stop the others: all problems come at once.
    """
    workers = workers or os.cpu_count() or 1
    results: list[Made | None] = [None] * len(jobs)
    missing: list[tuple[int, Path]] = []
    for index, job in enumerate(jobs):
        try:
            path = cached_path(job, cache)
        except LayoutError as error:
            results[index] = Made(job, None, str(error))
            continue
        if path.exists():
            results[index] = Made(job, path)
            if progress:
                progress(1)
        else:
            missing.append((index, path))
    if workers == 1 or len(missing) <= 1:
        for index, path in missing:
            results[index] = _outcome(jobs[index], cache, path)
            if progress:
                progress(1)
    else:
        # "spawn": a clean interpreter per worker, safe whatever threads the caller runs.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(min(workers, len(missing)), mp_context=context) as pool:
            futures = {
                pool.submit(_outcome, jobs[index], cache, path): index for index, path in missing
            }
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if progress:
                    progress(1)
    return [made for made in results if made is not None]


def _outcome(job: FlyerJob, cache: Path, target: Path) -> Made:
    from .render import FlyerError

    try:
        return Made(job, make(job, cache, target))
    except (FlyerError, LayoutError) as error:
        return Made(job, None, str(error))
