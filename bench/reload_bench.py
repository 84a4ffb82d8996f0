"""What a young author waits for: ``porte-voix serve`` on the sample site, one event edited, then
seconds until the page served shows the change. Writes « Aperçu après une modification » in
BENCHMARKS.md. Not a test: it measures.
"""

from __future__ import annotations

import time

from backend_load import publish
from served_site import page, served_sample_site

EVENT = "2027-09-18-forum-emploi-pont-a-mousson"
TRIES = 3


def main() -> None:
    waits = []
    path = f"/evenements/{EVENT}/"
    with served_sample_site("Forum de l", path) as site:
        source = site.root / "content" / "evenements" / f"{EVENT}.md"
        for attempt in range(TRIES):
            marker = f"Nouvel horaire {attempt}"
            text = source.read_text(encoding="utf-8")
            source.write_text(text.replace("\n---\n", f"\n---\n{marker}.\n\n", 1), encoding="utf-8")
            began = time.monotonic()
            while marker not in page(site.url + path) and time.monotonic() - began < 120:
                time.sleep(0.1)
            waits.append(time.monotonic() - began)
    publish(
        [
            "## Aperçu après une modification",
            "",
            f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')}. Commande : `make bench` (`python bench/reload_bench.py`) : "
            "`porte-voix serve` sur le site d'exemple, une phrase ajoutée à un événement, puis le "
            "temps jusqu'à ce que la page servie la montre (les photos et les flyers inchangés "
            "viennent du cache ; le texte ne change pas le flyer).",
            "",
            "| essai | attente |",
            "|---|---|",
            *(f"| {number + 1} | {wait:.1f} s |" for number, wait in enumerate(waits)),
            "",
            "Pas de cible : une mesure pour suivre l'attente d'un auteur, rien n'est promis.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
