"""Lighthouse 12.2.3 (mobile preset: a mid-range phone on slow 4G) on the home page and an event
page of the sample site served by ``porte-voix serve``, with Debian's Chromium. Writes
« Lighthouse » in BENCHMARKS.md. Not a test: it measures.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from backend_load import publish
from served_site import served_sample_site
from targets import at_least, checked

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
EVENT = "/evenements/2027-09-18-forum-emploi-pont-a-mousson/"
RUNS = 3  # Lighthouse's own advice: the median of several runs, scores wander by a few points
CATEGORIES = {
    "performance": "performance",
    "accessibility": "accessibilité",
    "best-practices": "bonnes pratiques",
    "seo": "référencement",
}
METRICS = {
    "first-contentful-paint": "1er affichage",
    "largest-contentful-paint": "plus grand élément",
    "total-blocking-time": "blocage",
    "cumulative-layout-shift": "décalage",
}
TARGETS = {
    "performance": at_least(95, "performance ≥ 95"),
    "accessibility": at_least(100, "accessibilité 100"),
    "best-practices": at_least(95, "bonnes pratiques ≥ 95"),
    "seo": at_least(95, "référencement ≥ 95"),
}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync "
    # Without these Chromium calls Google's hosts, which this machine refuses.
    "--disable-background-networking --disable-component-update"
)


def lighthouse(url: str) -> dict:
    """One Lighthouse run: the report as a dict."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            check=True,
        )
        return json.loads(report.read_text(encoding="utf-8"))


def median_report(url: str) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Median score per category, the median run's metrics, and what that run found wrong."""
    runs = [lighthouse(url) for _ in range(RUNS)]
    scores = {
        key: round(100 * statistics.median(run["categories"][key]["score"] for run in runs))
        for key in CATEGORIES
    }
    runs.sort(key=lambda run: run["categories"]["performance"]["score"])
    middle = runs[len(runs) // 2]
    metrics = {key: middle["audits"][key]["displayValue"] for key in METRICS}
    failed = sorted(
        {
            f"{category}: {reference['id']}"
            for run in runs
            for category in CATEGORIES
            for reference in run["categories"][category]["auditRefs"]
            if reference["weight"] > 0
            and (run["audits"][reference["id"]]["score"] or 1) < 0.9
            and category != "performance"
        }
    )
    return scores, metrics, failed


def main() -> None:
    pages = {"accueil": "/", "page d'événement": EVENT}
    results = {}
    with served_sample_site("Forum de l", EVENT) as site:
        for name, path in pages.items():
            results[name] = median_report(site.url + path)
    lines = [
        "## Lighthouse",
        "",
        f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')}. Commande : `make bench` "
        "(`python bench/lighthouse_bench.py`) : Lighthouse 12.2.3, profil mobile (téléphone moyen, "
        "4G lente simulée), Chromium de Debian, sur le site d'exemple servi par `porte-voix serve` "
        f"(compressé comme par nginx). Médiane de {RUNS} passages par page.",
        "",
        "| page | " + " | ".join(CATEGORIES.values()) + " | " + " | ".join(METRICS.values()) + " |",
        "|---" * (1 + len(CATEGORIES) + len(METRICS)) + "|",
    ]
    for name, (scores, metrics, _) in results.items():
        lines.append(
            f"| {name} | "
            + " | ".join(checked(scores[key], TARGETS[key]) for key in CATEGORIES)
            + " | "
            + " | ".join(metrics[key] for key in METRICS)
            + " |"
        )
    failed = sorted({item for _, _, found in results.values() for item in found})
    missed = [
        f"{name} ({CATEGORIES[key]} {scores[key]})"
        for name, (scores, _, _) in results.items()
        for key, target in TARGETS.items()
        if not target.met_by(scores[key])
    ]
    lines += [
        "",
        "Cibles : performance ≥ 95, accessibilité 100, bonnes pratiques ≥ 95, référencement ≥ 95.",
        "Cibles manquées : " + (", ".join(missed) if missed else "aucune") + ".",
        "Audits en échec (hors performance) : " + (", ".join(failed) if failed else "aucun") + ".",
        "",
    ]
    publish(lines)


if __name__ == "__main__":
    main()
