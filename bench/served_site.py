"""The sample site copied to a temporary folder and served by ``porte-voix serve``, as an author
or a visitor would meet it. Shared by the benches that measure what a person waits for."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ServedSite:
    """Where the copy lives and where it answers."""

    root: Path
    url: str


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page(url: str) -> str:
    """The text served at ``url``, or "" while the server is not ready."""
    try:
        return urllib.request.urlopen(url, timeout=2).read().decode()
    except Exception:
        return ""


@contextlib.contextmanager
def served_sample_site(ready_text: str, ready_path: str = "/") -> Iterator[ServedSite]:
    """Serve a copy of the sample site; yields once ``ready_path`` shows ``ready_text``."""
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
        site = ServedSite(root, f"http://127.0.0.1:{port}")
        try:
            deadline = time.monotonic() + 300
            while ready_text not in page(site.url + ready_path):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("porte-voix serve n'a pas démarré")
                time.sleep(0.2)
            yield site
        finally:
            server.terminate()
            server.wait()
