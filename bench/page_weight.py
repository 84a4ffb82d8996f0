"""Page weight: the bytes a browser loads on a first visit to the home page and to an event page
(HTML, CSS, JS, and the search index and worker that Material fetches on every first visit),
raw and gzip, on the sample site and on a generated campaign of 2,000 events and 300
testimonials. Writes « Poids des pages » in BENCHMARKS.md. Not a test: it measures.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from backend_load import publish
from build_scale import make_content
from targets import at_most, checked

ROOT = Path(__file__).resolve().parent.parent
# What Material's search worker loads for French besides the worker itself.
LUNR_FILES = ("lunr.stemmer.support.min.js", "lunr.fr.min.js", "lunr.multi.min.js")


def first_visit(site: Path, page: Path) -> tuple[int, int]:
    """Raw and gzip bytes of a page and everything it makes the browser fetch (photos apart)."""
    html = page.read_text(encoding="utf-8")
    files = [page]
    for ref in re.findall(r'(?:href|src)="([^"#?]+\.(?:css|js))"', html):
        if "://" not in ref:
            files.append((page.parent / ref).resolve())
    files.append(site / "search" / "search_index.json")
    files += sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    files += [
        path
        for path in (site / "assets" / "javascripts" / "lunr").rglob("*.js")
        if path.name in LUNR_FILES
    ]
    raw = zipped = 0
    for path in dict.fromkeys(files):
        data = path.read_bytes()
        raw += len(data)
        zipped += len(gzip.compress(data, 6))
    return raw, zipped


def build(config: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        check=True,
        env=env,
        cwd=config.parent,
        capture_output=True,
    )


def sample(folder: Path) -> Path:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(ROOT / "theme")
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "content", folder / "content")
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder / "mkdocs.yml"


WEIGHT_TARGET = at_most(100, "≤ 100 Ko gzip sans les photos à 2 000 événements")
PHOTO_TARGET = at_most(80, "chaque photo montrée sur un téléphone ≤ 80 Ko")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, config in (
            ("site d'exemple", sample(root / "exemple")),
            (
                "2 000 événements, 300 témoignages (sans photo)",
                make_content(root / "grand", 2000, None, 300),
            ),
        ):
            build(config)
            site = config.parent / "site"
            home = first_visit(site, site / "index.html")
            event = next(
                p
                for p in sorted((site / "evenements").glob("*/index.html"))
                if "Inscription" in p.read_text(encoding="utf-8")
            )
            event_weight = first_visit(site, event)
            index = site / "search" / "search_index.json"
            index_sizes = (index.stat().st_size, len(gzip.compress(index.read_bytes(), 6)))
            # Photos: the sample's real-size ones (the large site's testimonials have none here,
            # build_scale.py measures photo processing).
            phone_photos = [p.stat().st_size for p in site.rglob("*-720.*")]
            rows.append((name, home, event_weight, index_sizes, max(phone_photos, default=0)))
    lines = [
        "## Poids des pages",
        "",
        f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')}. Commande : `make bench` (`python bench/page_weight.py`). "
        "Première visite : la page, ses CSS et JS, l'index de recherche, le programme de recherche "
        "et ses fichiers de langue (Material les charge à chaque première visite) ; photos à part.",
        "",
        "| site | accueil : brut / gzip | page d'événement : brut / gzip | dont index de recherche : brut / gzip | plus grosse photo en 720 px |",
        "|---|---|---|---|---|",
    ]
    for number, (name, home, event, index, photo) in enumerate(rows):
        # The weight target is set for the large site (the last row); the photo one for both.
        large = number == len(rows) - 1

        def zipped(size: int, large: bool = large) -> str:
            kilobytes = size / 1000
            return (
                checked(kilobytes, WEIGHT_TARGET, ".0f", " Ko") if large else f"{kilobytes:.0f} Ko"
            )

        lines.append(
            f"| {name} | {home[0] / 1000:.0f} Ko / {zipped(home[1])} | {event[0] / 1000:.0f} Ko / {zipped(event[1])} "
            f"| {index[0] / 1000:.0f} Ko / {index[1] / 1000:.0f} Ko "
            f"| {checked(photo / 1000, PHOTO_TARGET, '.0f', ' Ko')} |"
        )
    lines += [
        "",
        "Cible à 2 000 événements : ≤ 100 Ko gzip sans les photos ; chaque photo montrée sur un "
        "téléphone ≤ 80 Ko. Référence mesurée avec Material seul : 3,7 Mo brut, 716 Ko gzip pour "
        "l'index de 1 000 pages.",
        "",
    ]
    publish(lines)


if __name__ == "__main__":
    main()
