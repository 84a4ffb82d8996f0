"""What identifies the code that makes an output: a hash of the kit's own source files and of the
installed versions of the libraries whose output we keep.

The caches (rendered pages, calendar pieces, photo variants, flyers) were keyed by the package
version, which stays the same while the code changes: an upgraded kit went on serving what the
old code had made until someone deleted ``.cache/``. Keyed by this fingerprint, any change of a
source file or of a library version makes everything again, once.

The files are read once per process (a build reads a few hundred kilobytes, in milliseconds).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# The kit's folder (the repository, or the unpacked project): ``generator/`` and ``theme/``.
KIT_ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {"__pycache__"}

# Libraries whose output ends up in what is kept (HTML from Markdown and its extensions, calendar
# text, pixels, PDF bytes, QR codes, the font's glyphs).
PAGE_LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "icalendar")
IMAGE_LIBRARIES = ("pillow",)
FLYER_LIBRARIES = ("pillow", "segno", "pikepdf", "fontpkg-atkinson-hyperlegible")


@lru_cache(maxsize=16)
def code_fingerprint(sources: tuple[str, ...], libraries: tuple[str, ...]) -> str:
    """SHA-256 of the files under ``sources`` (paths relative to the kit; folders are walked) and
    of the versions of ``libraries`` ("absent" for one not installed)."""
    digest = hashlib.sha256()
    for source in sources:
        for path in _files(KIT_ROOT / source):
            digest.update(path.relative_to(KIT_ROOT).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in libraries:
        digest.update(f"{name}={_version(name)}\0".encode())
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    """Every file under ``root`` in a stable order; nothing when it is not there (the theme of
    an installed package, say)."""
    if root.is_file():
        return [root]
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and not SKIPPED.intersection(path.relative_to(root).parts)
        and path.suffix != ".pyc"
    )


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"
