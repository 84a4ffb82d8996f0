"""Photos: ms per 12-MP phone photo for all published variants, the kit's processor against a
naive « open → resize → save » of the same variants, in the same run. Writes « Photos » in
BENCHMARKS.md. Not a test: it measures.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from backend_load import publish
from build_scale import phone_photo
from PIL import Image, ImageOps
from targets import at_least, checked

from generator.images import FORMATS, WIDTHS, ImageProcessor

PHOTOS = 20


SPEED_TARGET = at_least(3, "au moins 3× plus rapide que le traitement naïf")


def naive(source: Path, out: Path) -> None:
    """What one would write first: decode the whole photo for each size and format."""
    for width in WIDTHS:
        for extension, pil_format, options in FORMATS:
            with Image.open(source) as image:
                image = ImageOps.exif_transpose(image).convert("RGB")
                height = round(image.height * width / image.width)
                image.resize((width, height), Image.Resampling.LANCZOS).save(
                    out / f"{source.stem}-{width}.{extension}", pil_format, **options
                )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sources = []
        for number in range(PHOTOS):
            path = root / f"photo-{number}.jpg"
            phone_photo(path, number)
            sources.append(path)
        began = time.perf_counter()
        ImageProcessor(root / "cache").process_all(sources)
        ours = (time.perf_counter() - began) / PHOTOS
        began = time.perf_counter()
        ImageProcessor(root / "cache").process_all(sources)
        cached = (time.perf_counter() - began) / PHOTOS
        out = root / "naive"
        out.mkdir()
        began = time.perf_counter()
        for source in sources:
            naive(source, out)
        reference = (time.perf_counter() - began) / PHOTOS
    publish(
        [
            "## Photos",
            "",
            f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')}. Commande : `make bench` "
            f"(`python bench/images_bench.py`), {PHOTOS} photos de 12 Mpx avec EXIF, variantes "
            f"{', '.join(map(str, WIDTHS))} px en WebP et JPEG.",
            "",
            "| traitement | par photo | rapport |",
            "|---|---|---|",
            f"| naïf (ouvrir → redimensionner → enregistrer, pour chaque variante) | {reference * 1000:.0f} ms | — |",
            f"| Porte-voix (un décodage réduit, deux cœurs) | {ours * 1000:.0f} ms "
            f"| {checked(reference / ours, SPEED_TARGET, '.1f', '×')} plus rapide |",
            f"| Porte-voix, déjà en cache | {cached * 1000:.1f} ms | — |",
            "",
            "Cible : au moins 3× plus rapide que le traitement naïf.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
