"""Durable before acknowledged: kill -9 the server mid-burst; nothing answered « ok » is lost."""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from aiosmtpd.controller import Controller

from .backend import VALID, Inbox, free_port, manifest_event, write_manifest
from .conftest import ENVIRONMENT


def start_server(tmp_path: Path, port: int, smtp_port: int) -> subprocess.Popen[bytes]:
    env = {
        **ENVIRONMENT,
        "PORTE_VOIX_DB": str(tmp_path / "formulaires.sqlite3"),
        "PORTE_VOIX_SITE_DIR": str(tmp_path / "site"),
        "PORTE_VOIX_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "PORTE_VOIX_MIN_FILL_SECONDS": "0",
        "PORTE_VOIX_RATE_LIMIT": "100000",
        "PORTE_VOIX_WORKER_INTERVAL": "0.2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "forms", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/formulaires/jeton?formulaire=rappel", timeout=1
            ).read()
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the backend did not start")


def send(port: int, form: str, extra: dict[str, str]) -> str | None:
    """One full submission as the page script makes it; the id when the answer was « ok »."""
    base = f"http://127.0.0.1:{port}/formulaires"
    with urllib.request.urlopen(f"{base}/jeton?formulaire={form}", timeout=5) as response:
        token = json.load(response)
    fields = {**VALID, **extra, "id": token["id"], "jeton": token["jeton"]}
    request = urllib.request.Request(
        f"{base}/{form}",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return token["id"] if json.load(response)["ok"] else None


def test_kill_9_mid_burst_loses_nothing_that_was_acknowledged(tmp_path: Path) -> None:
    write_manifest(tmp_path / "site", [manifest_event("2030-01-01-forum", places=25)])
    inbox = Inbox()
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = free_port()
    server = start_server(tmp_path, port, smtp_port)
    acknowledged: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        for index in range(1000):
            form, extra = (
                ("inscription", {"evenement": "2030-01-01-forum"}) if index % 2 else ("rappel", {})
            )
            try:
                submission_id = send(port, form, {**extra, "prenom": f"P{number}-{index}"})
            except (
                urllib.error.URLError,
                http.client.HTTPException,
                ConnectionError,
                TimeoutError,
            ):
                return  # the server is gone: no answer, so not acknowledged
            if submission_id:
                with lock:
                    acknowledged.append(submission_id)

    try:
        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        for thread in threads:
            thread.join(timeout=30)
        assert len(acknowledged) >= 60
        server = start_server(tmp_path, port, smtp_port)
        deadline = time.monotonic() + 60
        delivered: set[str] = set()
        while time.monotonic() < deadline and not set(acknowledged) <= delivered:
            time.sleep(0.2)
            # « Référence : id », the colon after a no-break space (French typography).
            delivered = {
                line.split(": ")[1]
                for m in list(inbox.messages)
                for line in m.get_payload(decode=True).decode().splitlines()
                if line.replace("\u00a0", " ").startswith("Référence : ")
            }
        connection = sqlite3.connect(tmp_path / "formulaires.sqlite3")
        stored = {row[0] for row in connection.execute("SELECT id FROM submissions")}
        signed_up = connection.execute(
            "SELECT COUNT(*) FROM submissions WHERE status = 'inscrit'"
        ).fetchone()[0]
        connection.close()
        assert set(acknowledged) <= stored
        assert set(acknowledged) <= delivered, (
            f"{len(set(acknowledged) - delivered)} acknowledged submissions never forwarded"
        )
        assert signed_up <= 25  # capacity held through the crash
    finally:
        server.kill()
        server.wait()
        controller.stop()
