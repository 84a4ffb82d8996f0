"""Publishing a build only once it is complete: ``site`` is a symbolic link to the last good build.

MkDocs empties its output folder before writing the new site: building straight into ``site/``
left a half-built (or, after a failed build, an empty) site served by ``porte-voix serve`` and
uploaded by ``rsync --delete``. So each build writes to a new folder of ``.site-builds/``, and
only a build that succeeded is swapped in, by renaming a new symbolic link over ``site``.

Why a symbolic link rather than renaming folders: ``rename(2)`` replaces a link in one step (a
reader sees either the old site or the new one, never no site), while a folder cannot be renamed
over a non-empty folder, so swapping folders leaves a moment without ``site/``. A link keeps
``site`` a usable path: nginx's ``root …/site;`` follows it (``disable_symlinks`` is off by
default), ``rsync -a site/ …`` copies the folder it points to (the trailing slash), Starlette's
static files and the form backend (``PORTE_VOIX_SITE_DIR``) resolve it at each request. The
link is relative, so the project folder can be moved or copied.

Two builds of the same site at once are not supported: each prunes what the other may write.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path


def builds_folder(site: Path) -> Path:
    """Where the builds of ``site`` are kept: ``.site-builds`` beside ``site``."""
    return site.parent / f".{site.name}-builds"


def new_build_folder(site: Path) -> Path:
    """The path of a new folder for one build (names sort by start time)."""
    folder = builds_folder(site)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"


def build_and_publish(site: Path, build: Callable[[Path], bool]) -> bool:
    """Run ``build(folder)`` into a new folder; publish it as ``site`` only if it returned true.

    On failure the new folder is removed and ``site`` is left exactly as it was."""
    # Absolute: MkDocs reads a relative ``-d`` from the folder of mkdocs.yml, not from ours.
    site = site.absolute()
    folder = new_build_folder(site)
    try:
        succeeded = build(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not succeeded or not (folder / "index.html").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        return False
    publish(site, folder)
    return True


def publish(site: Path, folder: Path) -> None:
    """Make ``site`` point to ``folder`` in one step, then remove the builds before the last."""
    site, folder = site.absolute(), folder.absolute()
    if site.is_dir() and not site.is_symlink():
        previous: Path | None = _adopt_plain_folder(site)
    else:
        previous = site.resolve() if site.is_symlink() else None
    link = site.with_name(f".{site.name}.{os.getpid()}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(folder, site.parent), target_is_directory=True)
    os.replace(link, site)  # rename(2): atomic, readers see the old site or the new one
    prune(site, keep={folder.resolve(), *([previous] if previous else [])})


def prune(site: Path, keep: set[Path]) -> None:
    """Remove every build but those in ``keep`` (the one served and the one before it, to look
    back at or put back by hand); also the folders of builds stopped half-way."""
    for build in builds_folder(site).iterdir():
        if build.resolve() not in keep:
            if build.is_dir() and not build.is_symlink():
                shutil.rmtree(build, ignore_errors=True)
            else:
                build.unlink(missing_ok=True)


def _adopt_plain_folder(site: Path) -> Path:
    """A ``site/`` folder from before this scheme (or from ``mkdocs build``) becomes the previous
    build. The only moment without ``site``, once, between this rename and the link's."""
    folder = builds_folder(site) / "0-avant"
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(site, folder)
    return folder.resolve()
