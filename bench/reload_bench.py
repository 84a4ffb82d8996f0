"""What a young author waits for: ``porte-voix serve`` on the sample site, one event edited, then
seconds until the page served shows the change. Writes « Aperçu après une modification » in
BENCHMARKS.md. Not a test: it measures.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml
from backend_load import publish

ROOT = Path(__file__).resolve().parent.parent
EVENT = "2027-09-18-forum-emploi-pont-a-mousson"
TRIES = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page(url: str) -> str:
    try:
        return urllib.request.urlopen(url, timeout=2).read().decode()
    except Exception:
        return ""


def main() -> None:
    waits = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
        config["theme"]["custom_dir"] = str(ROOT / "theme")
        (root / "mkdocs.yml").write_text(
            yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
        )
        shutil.copytree(ROOT / "content", root / "content")
        port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTE_VOIX_DB": str(root / "db.sqlite3")}
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", str(port)],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/evenements/{EVENT}/"
        try:
            deadline = time.monotonic() + 300
            while "Forum de l" not in page(url) and time.monotonic() < deadline:
                time.sleep(0.2)
            source = root / "content" / "evenements" / f"{EVENT}.md"
            for attempt in range(TRIES):
                marker = f"Nouvel horaire {attempt}"
                text = source.read_text(encoding="utf-8")
                source.write_text(
                    text.replace("\n---\n", f"\n---\n{marker}.\n\n", 1), encoding="utf-8"
                )
                began = time.monotonic()
                while marker not in page(url) and time.monotonic() - began < 120:
                    time.sleep(0.1)
                waits.append(time.monotonic() - began)
        finally:
            server.terminate()
            server.wait()
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
        ]
    )


if __name__ == "__main__":
    main()
