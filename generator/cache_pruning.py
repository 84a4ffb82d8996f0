"""Forgetting what no page uses any more: a withdrawn testimonial's photo and share image.

The image variants (``<key>/variants.json`` under the cache) and the pages' share images
(``flyers/*-og-*``) were kept for ever: after ``porte-voix contributions withdraw`` and a
rebuild, a young person's resized photo and the image bearing their first name stayed on the
disk of whoever builds the site. After each build, those this build did not use are deleted.
A published site holds its own hard links to these files, so nothing served is touched.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

VARIANTS = "variants.json"
SHARE_IMAGE = re.compile(r".+-og-[0-9a-f]{32}\.(jpg|png)")


def prune_cache(cache: Path, image_keys: Iterable[str], used_files: Iterable[Path]) -> int:
    """Delete the variant folders whose key is not in ``image_keys`` and the share images not in
    ``used_files``; returns how many were deleted."""
    keys = set(image_keys)
    used = {path.resolve() for path in used_files}
    deleted = 0
    for folder in cache.glob(f"*/{VARIANTS}"):
        if folder.parent.name not in keys:
            shutil.rmtree(folder.parent, ignore_errors=True)
            deleted += 1
    for image in (cache / "flyers").glob("*-og-*"):
        if SHARE_IMAGE.fullmatch(image.name) and image.resolve() not in used:
            image.unlink(missing_ok=True)
            deleted += 1
    return deleted
