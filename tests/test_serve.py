"""``porte-voix serve``: an author saves a file and sees it on the site."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .conftest import ENVIRONMENT, add_event, new_project, when


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if needle in last:
                return last
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"« {needle} » never appeared at {url}; last answer: {last[:300]}")


def test_saved_event_appears_without_restarting(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    add_event(project, when(5), "premier", title="Premier rendez-vous")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=project.root,
        env=ENVIRONMENT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/agenda/", "Premier rendez-vous")
        add_event(project, when(6), "nouveau", title="Rendez-vous ajouté")
        wait_for(f"http://127.0.0.1:{port}/agenda/", "Rendez-vous ajouté")
        page = wait_for(
            f"http://127.0.0.1:{port}/evenements/{when(6):%Y-%m-%d}-nouveau/", "Rendez-vous ajouté"
        )
        assert "Pour qui" in page
    finally:
        server.terminate()
        server.wait(timeout=20)
