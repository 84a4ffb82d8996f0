"""Published images: responsive variants with every metadata removed, cached by content hash
(and by the code that makes them).

A phone photo carries its GPS position and camera in EXIF/XMP. Nothing leaves here with any
metadata: pixels are re-encoded from a fresh image after orientation is applied and colours are
converted to sRGB.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from .code_fingerprint import IMAGE_LIBRARIES, code_fingerprint

# The processing lives in this module alone (it imports nothing else of the kit): a change of
# it, or of Pillow, makes every variant again.
SOURCES = ("generator/images.py",)
WIDTHS = (360, 720, 1080)
FORMATS = (
    ("webp", "WEBP", {"quality": 74, "method": 4}),
    ("jpg", "JPEG", {"quality": 78, "optimize": True, "progressive": True}),
)
CLEAN_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
SITE_FOLDER = "images"


@dataclass(frozen=True)
class Variant:
    """One resized, metadata-free file: its path in the site and in the cache."""

    site_path: str
    cache_path: Path
    width: int
    height: int
    kind: str


@dataclass(frozen=True)
class ResponsiveImage:
    """All variants of one source image, smallest first."""

    key: str
    variants: tuple[Variant, ...]

    def of_kind(self, kind: str) -> list[Variant]:
        """Variants in one format (``webp`` or ``jpg``)."""
        return [v for v in self.variants if v.kind == kind]

    @property
    def largest(self) -> Variant:
        """The widest JPEG: the fallback ``src`` that every browser shows."""
        return self.of_kind("jpg")[-1]


def _fresh_rgb(image: Image.Image) -> Image.Image:
    """Orientation applied, colours in sRGB, and a new image that carries no metadata at all."""
    image = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
    if icc and image.mode == "RGB":
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        image = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


class ImageProcessor:
    """Makes and caches the published variants of source images."""

    def __init__(
        self, cache_dir: Path, *, widths: tuple[int, ...] = WIDTHS, workers: int = 2
    ) -> None:
        self.cache_dir, self.widths, self.workers = cache_dir, widths, workers

    def process_all(self, sources: list[Path]) -> dict[Path, ResponsiveImage]:
        """Process several images on all cores (Pillow releases the GIL while it works).

        A source whose size and modification time are those of the last build is not even read:
        hashing 300 phone photos at each rebuild cost more than the rest of the image step.
        """
        unique = sorted(set(sources))
        known = self._read_index()
        settings = self._settings()
        found: dict[Path, ResponsiveImage] = {}
        todo = []
        for source in unique:
            status = source.stat()
            entry = known.get(str(source))
            manifest = self.cache_dir / str(entry[2]) / "variants.json" if entry else None
            if (
                entry
                and entry[:2] == [status.st_size, status.st_mtime_ns]
                and entry[3:] == [settings]  # made by this code, at these widths
                and manifest
                and manifest.is_file()
            ):
                found[source] = self._from_manifest(str(entry[2]), json.loads(manifest.read_text()))
            else:
                todo.append(source)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for source, image in zip(todo, pool.map(self.process, todo), strict=True):
                found[source] = image
                status = source.stat()
                known[str(source)] = [status.st_size, status.st_mtime_ns, image.key, settings]
        if todo:
            self._write_index(known)
        return {source: found[source] for source in unique}

    def _settings(self) -> str:
        """What every variant also depends on: the processing code, Pillow, the widths."""
        return f"{code_fingerprint(SOURCES, IMAGE_LIBRARIES)}{self.widths}"

    def _read_index(self) -> dict[str, list[int | str]]:
        try:
            return json.loads((self.cache_dir / "sources.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_index(self, known: dict[str, list[int | str]]) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.cache_dir / f"sources.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(known), encoding="utf-8")
        temporary.replace(self.cache_dir / "sources.json")

    def process(self, source: Path) -> ResponsiveImage:
        """The variants of ``source``; made once, then read from the cache while the bytes are unchanged."""
        data = source.read_bytes()
        key = hashlib.sha256(data + self._settings().encode()).hexdigest()[:16]
        folder = self.cache_dir / key
        manifest = folder / "variants.json"
        if manifest.is_file():
            return self._from_manifest(key, json.loads(manifest.read_text()))
        image = Image.open(io.BytesIO(data))
        # JPEG draft mode decodes at a reduced scale when the source is far larger than needed.
        if image.format == "JPEG":
            image.draft("RGB", (max(self.widths) * 2, max(self.widths) * 2))
        image = _fresh_rgb(image)
        folder.mkdir(parents=True, exist_ok=True)
        widths = sorted({min(w, image.width) for w in self.widths})
        records = []
        for width in widths:
            height = round(image.height * width / image.width)
            resized = (
                image.resize((width, height), Image.Resampling.LANCZOS)
                if width != image.width
                else image
            )
            for extension, pil_format, options in FORMATS:
                name = f"{key}-{width}.{extension}"
                picture = resized if pil_format == "WEBP" else _flatten(resized)
                # Written aside then renamed: the site links to these files (never rewritten).
                partial = folder / f".{name}.{os.getpid()}"
                picture.save(partial, pil_format, **options)
                partial.replace(folder / name)
                records.append({"name": name, "width": width, "height": height, "kind": extension})
        temporary = manifest.with_suffix(".tmp")
        temporary.write_text(json.dumps(records))
        temporary.replace(manifest)
        return self._from_manifest(key, records)

    def _from_manifest(self, key: str, records: list[dict]) -> ResponsiveImage:
        variants = tuple(
            Variant(
                f"{SITE_FOLDER}/{r['name']}",
                self.cache_dir / key / r["name"],
                r["width"],
                r["height"],
                r["kind"],
            )
            for r in records
        )
        return ResponsiveImage(key, variants)


def clean_copy(source: Path) -> bytes:
    """The same image in the same format, with every metadata removed (for images in ordinary pages)."""
    pil_format = CLEAN_FORMATS[source.suffix.lower()]
    image = _fresh_rgb(Image.open(source))
    if pil_format == "JPEG":
        image = _flatten(image)
    buffer = io.BytesIO()
    image.save(
        buffer, pil_format, **({"quality": 85} if pil_format != "PNG" else {"optimize": True})
    )
    return buffer.getvalue()
