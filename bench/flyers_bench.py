"""Flyer benchmark: time per format, then `porte-voix flyers` on 50 events with one core, two
cores, and again with everything cached. Writes the section « Affiches et images » of
BENCHMARKS.md. Not a test: nothing here asserts; it measures.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from backend_load import publish
from bench_project import start_project, write_event
from targets import at_least, at_most, checked

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 50
FORMATS = ("a5", "a4", "a3", "post", "story", "og")
TITLES = (
    "Forum de l'emploi et de l'alternance",
    "Atelier CV et lettre de motivation",
    "Job dating des métiers du soin",
    "Permanence de la conseillère « aller vers »",
    "Tournoi de foot et rencontres avec les entreprises du territoire",
)


def make_project(folder: Path) -> Path:
    """A project with the repository's settings, partners, logo and 50 upcoming events."""
    content = start_project(folder)
    start = datetime.now(ZoneInfo("Europe/Paris")).replace(hour=14, minute=0) + timedelta(days=3)
    for number in range(EVENTS):
        title = f"{TITLES[number % len(TITLES)]} n° {number}"
        day = start + timedelta(days=number * 2)
        write_event(content, number, day, title, "\n  places: 20", "Description.")
    return folder / "mkdocs.yml"


def flyers(config: Path, out: Path, jobs: int, formats: tuple[str, ...] = FORMATS) -> float:
    """Seconds taken by the real command."""
    command = [sys.executable, "-m", "generator", "flyers", "--config", str(config)]
    command += ["--out", str(out), "--jobs", str(jobs)]
    for name in formats:
        command += ["--format", name]
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=config.parent)
    return time.perf_counter() - began


def clear_cache(config: Path) -> None:
    shutil.rmtree(config.parent / ".cache", ignore_errors=True)


TWO_CORES_TARGET = at_least(1.7, "deux cœurs ≥ 1,7× un cœur")
CACHED_TARGET = at_most(5, "relance en cache ≤ 5 % de la première")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = make_project(Path(folder))
        # Startup (reading mkdocs.yml and the content) measured alone, to subtract it per format.
        per_format = {}
        for name in FORMATS:
            clear_cache(config)
            per_format[name] = flyers(config, Path(folder) / "un", 1, (name,)) / EVENTS
        # This machine's speed wanders (shared host): each figure is the best of two runs,
        # one core and two cores taking turns. The per-format runs above, together, are a
        # first one-core run of every file (six launches instead of one: never faster).
        one_runs = [sum(per_format.values()) * EVENTS]
        two_runs, cached_runs = [], []
        for turn in range(2):
            if turn:
                clear_cache(config)
                one_runs.append(flyers(config, Path(folder) / f"a{turn}", 1))
            clear_cache(config)
            two_runs.append(flyers(config, Path(folder) / f"b{turn}", 2))
            cached_runs.append(flyers(config, Path(folder) / f"b{turn}", 2))
        one_core, two_cores, cached = min(one_runs), min(two_runs), min(cached_runs)
    lines = [
        "## Affiches et images",
        "",
        f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')} sur {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}.",
        "Commande : `make bench` (`python bench/flyers_bench.py`) : `porte-voix flyers` sur "
        f"{EVENTS} événements à venir, {len(FORMATS)} formats chacun ({EVENTS * len(FORMATS)} fichiers).",
        "",
        "| format | temps par fichier (un cœur, lancement compris) |",
        "|---|---|",
        *(f"| {name} | {seconds * 1000:.0f} ms |" for name, seconds in per_format.items()),
        "",
        "| exécution (meilleure de deux) | durée | rapport |",
        "|---|---|---|",
        f"| un cœur (`--jobs 1`) | {one_core:.1f} s | — |",
        f"| deux cœurs (`--jobs 2`) | {two_cores:.1f} s "
        f"| {checked(one_core / two_cores, TWO_CORES_TARGET, '.2f', '×')} plus rapide |",
        f"| relance, tout en cache (même dossier de sortie) | {cached:.1f} s "
        f"| {checked(100 * cached / two_cores, CACHED_TARGET, '.1f', ' %')} de la première |",
        "",
        "Cibles : relance en cache ≤ 5 % de la première ; deux cœurs ≥ 1,7× un cœur.",
        "",
    ]
    publish(lines)


if __name__ == "__main__":
    main()
