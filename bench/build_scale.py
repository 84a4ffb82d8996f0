"""Build at the scale of a national campaign, beside plain MkDocs + Material building the same
number of plain pages, in the same run. Writes the section « Construction à grande échelle » of
BENCHMARKS.md. Not a test: nothing here asserts; it measures.

Each build runs in its own process under /usr/bin/time, which gives wall time and peak memory
(largest resident set of the build and of its flyer workers).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from backend_load import publish
from bench_project import start_project, write_event
from PIL import Image, ImageDraw
from targets import at_most, checked

ROOT = Path(__file__).resolve().parent.parent
SIZES = tuple(int(n) for n in os.environ.get("PV_BENCH_EVENTS", "500,2000").split(","))
TESTIMONIALS = int(os.environ.get("PV_BENCH_TESTIMONIALS", "300"))
UPCOMING_SHARE = 0.2  # a campaign's agenda: mostly past events, a fifth still to come
PARIS = ZoneInfo("Europe/Paris")


def phone_photo(path: Path, number: int) -> None:
    """A 12-megapixel JPEG with EXIF (camera, GPS), like a phone's."""
    image = Image.new("RGB", (4000, 3000), (40 + number % 150, 90, 160))
    draw = ImageDraw.Draw(image)
    for step in range(0, 4000, 250):
        draw.rectangle(
            (step, (step * 3 + number) % 3000, step + 200, 3000), fill=(200, step % 255, 80)
        )
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 54.0, 12.5), 3: "E", 4: (6.0, 3.0, 30.2)}
    image.save(path, "JPEG", quality=85, exif=exif)


def make_content(
    folder: Path,
    events: int,
    photos: Path | None,
    testimonials: int = TESTIMONIALS,
    cache: Path | None = None,
) -> Path:
    """A project: the repository's settings and theme, ``events`` events, ``testimonials``
    testimonials (each with a photo from ``photos``, if given); ``cache``: a shared cache."""
    content = start_project(folder, cache)
    (content / "temoignages").mkdir()
    now = datetime.now(PARIS).replace(hour=14, minute=0, second=0, microsecond=0)
    upcoming = int(events * UPCOMING_SHARE)
    for number in range(events):
        if number < upcoming:
            day = now + timedelta(days=2 + number * 300 // max(upcoming, 1))
        else:
            day = now - timedelta(days=1 + (number - upcoming) * 700 // max(events - upcoming, 1))
        write_event(
            content,
            number,
            day,
            f"Rencontre emploi et formation n° {number}",
            " non",
            "Une après-midi pour rencontrer des entreprises et des centres de formation. Viens avec ton CV,\n"
            "ou sans : on t'aide à le faire sur place. Des conseillères répondent à tes questions.",
        )
    signed = now.date() - timedelta(days=30)
    for number in range(testimonials):
        photo, consent_photo = "", "non"
        if photos is not None:
            shutil.copy(photos / f"{number}.jpg", content / "temoignages" / f"jeune-{number}.jpg")
            photo, consent_photo = f"photo: jeune-{number}.jpg\n", "oui"
        (content / "temoignages" / f"jeune-{number}.md").write_text(
            f"""---
prenom: Jeune {number}
age: 20
commune: Frouard
citation: Ici, on m'a écouté.
{photo}consentement:
  signe_le: {signed:%Y-%m-%d}
  par: la personne
  photo: {consent_photo}
  jusqu_au: {signed + timedelta(days=700):%Y-%m-%d}
---
J'ai arrêté le lycée. Une conseillère est venue me voir. Aujourd'hui je suis en formation.
""",
            encoding="utf-8",
        )
    return folder / "mkdocs.yml"


def make_plain(folder: Path, pages: int) -> Path:
    """The reference: plain MkDocs + Material, the same number of plain pages, no plugin."""
    folder.mkdir(parents=True)
    docs = folder / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Accueil\n")
    for number in range(pages):
        (docs / f"page-{number}.md").write_text(
            f"# Rencontre emploi et formation n° {number}\n\nUne après-midi pour rencontrer des "
            "entreprises et des centres de formation. Viens avec ton CV, ou sans.\n"
        )
    config = {
        "site_name": "Référence",
        "site_url": "https://www.exemple.fr/",
        "theme": {"name": "material", "language": "fr", "font": False},
        "nav": ["index.md"],
        "plugins": [{"search": {"lang": "fr"}}],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder / "mkdocs.yml"


def build(config: Path) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one real ``mkdocs build``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-q",
        "-f",
        str(config),
    ]
    began = time.perf_counter()
    result = subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
    return seconds, peak_kb / 1024


def touch_one_event(config: Path) -> None:
    """What an author does: change the title of one upcoming event."""
    path = sorted((config.parent / "content" / "evenements").glob("*-evenement-0.md"))[0]
    path.write_text(path.read_text(encoding="utf-8").replace("n° 0\n", "n° 0 (nouvel horaire)\n"))


RATIO_TARGET = at_most(1.3, "kit / référence ≤ 1,3 une fois les images en cache")
GROWTH_TARGET = at_most(4.4, "croissance ≤ 4,4× pour 4×")
MEMORY_TARGET = at_most(1000, "mémoire ≤ 1 Go")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        photos = root / "photos"
        photos.mkdir()
        for number in range(TESTIMONIALS):
            phone_photo(photos / f"{number}.jpg", number)
        for events in SIZES:
            # One image cache for both sizes: the photos are the same, and processing them twice
            # would make `make bench` too long; the first build of the larger site says so.
            kit = make_content(root / f"kit-{events}", events, photos, cache=root / "cache")
            plain = make_plain(root / f"plain-{events}", events + TESTIMONIALS)
            first = build(kit)
            # Best of two for the figures compared: this machine's speed wanders by a third.
            again = min(build(kit), build(kit))
            drawn = set((root / "cache" / "flyers").iterdir())
            touch_one_event(kit)
            edited = build(kit)
            redrawn = len(set((root / "cache" / "flyers").iterdir()) - drawn)
            reference = min(build(plain), build(plain))
            rows.append((events, first, again, edited, reference, redrawn))
            shutil.rmtree(root / f"kit-{events}")
    lines = [
        "## Construction à grande échelle",
        "",
        f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')} sur {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}.",
        "Commande : `make bench` (`python bench/build_scale.py`). Chaque construction : `mkdocs build` "
        f"dans son propre processus, sous `/usr/bin/time -v` ; relance et référence : la meilleure de deux. Contenu : N événements (un cinquième à "
        f"venir, avec flyer, affiche et image de partage), {TESTIMONIALS} témoignages avec chacun une "
        "photo de 12 Mpx (EXIF, GPS). Référence : MkDocs + Material seuls, le même nombre de pages "
        "simples, hors navigation. Les deux tailles partagent le cache des photos : la 1re "
        f"construction à {SIZES[-1]} événements ne retraite pas les photos.",
        "",
        "| événements | kit, 1re construction | kit, relance sans changement | kit, après un événement modifié | référence | kit (cache) / référence | mémoire max kit / référence |",
        "|---|---|---|---|---|---|---|",
    ]
    for events, first, again, edited, reference, _ in rows:
        lines.append(
            f"| {events} | {first[0]:.1f} s | {again[0]:.1f} s | {edited[0]:.1f} s | {reference[0]:.1f} s "
            f"| {checked(again[0] / reference[0], RATIO_TARGET, '.2f')} "
            f"| {checked(max(first[1], again[1]), MEMORY_TARGET, '.0f', ' Mo')} / {reference[1]:.0f} Mo |"
        )
    redrawn = ", ".join(str(row[5]) for row in rows)
    lines += [
        "",
        f"Fichiers de flyers redessinés après la modification d'un événement : {redrawn} "
        "(attendu : 3, son flyer A5, son affiche A4 et son image de partage).",
    ]
    if len(rows) == 2:
        growth = rows[1][2][0] / rows[0][2][0]
        lines += [
            "",
            f"Croissance de {SIZES[0]} à {SIZES[1]} événements (relance, cache plein) : "
            f"{checked(growth, GROWTH_TARGET, '.2f', '×')} pour 4× les événements.",
        ]
    lines += [
        "",
        "Cibles : kit / référence ≤ 1,3 une fois les images en cache ; croissance ≤ 4,4× pour 4× ; "
        "mémoire ≤ 1 Go.",
        "",
    ]
    publish(lines)


if __name__ == "__main__":
    main()
