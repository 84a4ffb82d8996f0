"""``porte-voix serve``: build the site, serve it with the form backend on one port, rebuild on save."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from .publication import build_and_publish

WATCHED = ("content", "theme", "mkdocs.yml")


def build_site(config_file: Path, site_dir: Path) -> bool:
    """One ``mkdocs build`` into a new folder, published as ``site_dir`` only when it succeeded:
    on failure the previous site stays served, and the reason is printed (see publication.py)."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def mkdocs_build(folder: Path) -> bool:
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config_file)]
        return subprocess.call([*command, "-d", str(folder)], env=environment) == 0

    if build_and_publish(site_dir, mkdocs_build):
        print(f"Site reconstruit ({time.strftime('%H:%M:%S')}).", flush=True)
        return True
    kept = "le site d'avant reste en ligne" if site_dir.exists() else "aucun site à montrer"
    print(
        f"La construction a échoué (problèmes ci-dessus) : {kept}. "
        "Corrige-les et enregistre : le site se reconstruira.",
        file=sys.stderr,
        flush=True,
    )
    return False


def snapshot(paths: Iterable[Path]) -> dict[Path, int]:
    """Modification times of every file under ``paths``."""
    stamps: dict[Path, int] = {}
    for root in paths:
        files = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        for path in files:
            try:
                stamps[path] = path.stat().st_mtime_ns
            except FileNotFoundError:
                continue
    return stamps


def watch(root: Path, on_change: callable, interval: float = 0.5) -> threading.Thread:  # type: ignore[valid-type]
    """Call ``on_change`` after any file of the content, theme or settings changes."""
    paths = [root / name for name in WATCHED]

    def loop() -> None:
        before = snapshot(paths)
        while True:
            time.sleep(interval)
            now = snapshot(paths)
            if now != before:
                before = now
                on_change()

    thread = threading.Thread(target=loop, name="porte-voix-watch", daemon=True)
    thread.start()
    return thread


def serve(host: str, port: int, config_file: Path) -> None:
    """Build, then serve site and backend on ``host:port`` until stopped."""
    import uvicorn

    from forms_backend.app import create_site_app
    from forms_backend.config import BackendConfig, served_at

    config = served_at(BackendConfig.from_environment(), host, port)
    root = config_file.resolve().parent
    build_site(config_file, config.site_dir)
    watch(root, lambda: build_site(config_file, config.site_dir))
    print(f"Site et formulaires sur http://{host}:{port}/ — Ctrl+C pour arrêter.", flush=True)
    uvicorn.run(
        create_site_app(config),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,  # a personal link's token is in its URL: no access log at all
        proxy_headers=False,  # X-Forwarded-For only from PORTE_VOIX_TRUSTED_PROXIES (proxies.py)
    )
