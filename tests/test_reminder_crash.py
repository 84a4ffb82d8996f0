"""Reminders survive a crash: ``kill -9`` of a real server process while it sends them, then a
restart; the SMS server (a real HTTP server answering like Brevo) counts each message once.

The server runs on a clock set to the Thursday 14:30 before a Saturday event (its reminders are
due), moving with real time: the launcher below hands ``create_app`` that clock, as the tests'
in-process worker gets its own. The SMS server accepts one request (it counts it) but holds its
answer; the test kills the server meanwhile: the provider accepted an SMS the database never
marked sent. Brevo has no idempotency key for SMS (see ``outbox/sms.py``), so that row, left
« sending », must not be sent again after the restart — the counsellor is told instead — and
nothing else already accepted may be sent twice.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from forms_backend.app import create_app

from .backend import VALID, free_port, fresh, make_config
from .conftest import ENVIRONMENT
from .test_event_messages import EVENT, PARIS, SATURDAY_2PM, Clock, event_at, publish

PEOPLE = 30
HELD = 25  # the request the SMS server holds while the server is killed
LAUNCHER = """
import sys
from datetime import UTC, datetime

import uvicorn

from forms_backend.app import create_app
from forms_backend.config import BackendConfig

offset = datetime.fromisoformat(sys.argv[1]) - datetime.now(UTC)
app = create_app(BackendConfig.from_environment(), clock=lambda: datetime.now(UTC) + offset)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


class FakeBrevo:
    """Counts accepted SMS by (recipient, first word); holds request number ``HELD``."""

    def __init__(self) -> None:
        self.accepted: Counter[tuple[str, str]] = Counter()
        self.requests = 0
        self.held = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.lock:
                    fake.requests += 1
                    number = fake.requests
                with fake.lock:
                    fake.accepted[(body["recipient"], body["content"].split(" ")[0])] += 1
                if number == HELD:  # accepted, but the answer comes too late
                    fake.held.set()
                    fake.release.wait(30)
                self._answer(201, {"messageId": number})

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client was killed

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def sign_up_everyone(tmp_path: Path, brevo_url: str) -> Any:
    """Thirty sign-ups made on 1 March (by the app itself, so their rows are its own)."""
    config = make_config(
        tmp_path, sms_url=brevo_url, sms_key="xkeysib-test", sms_sender="MissionLoc"
    )
    publish(config.site_dir, event_at(SATURDAY_2PM, places=100))
    app = create_app(config, run_worker=False, clock=Clock(datetime(2030, 3, 1, 10, tzinfo=PARIS)))
    with TestClient(app) as client:
        for n in range(PEOPLE):
            token = fresh(client, "inscription")
            fields = {**VALID, "telephone": f"06 00 00 01 {n:02d}", "evenement": EVENT}
            answer = client.post(
                "/formulaires/inscription",
                data={**token, **fields},
                headers={"Accept": "application/json"},
            )
            assert answer.json()["ok"]
    return config


def start(config: Any, port: int) -> subprocess.Popen[bytes]:
    env = {
        **ENVIRONMENT,
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
        "PORTE_VOIX_SMS_URL": config.sms_url,
        "PORTE_VOIX_SMS_KEY": config.sms_key,
        "PORTE_VOIX_SMS_SENDER": config.sms_sender,
        "PORTE_VOIX_WORKER_INTERVAL": "0.2",
    }
    thursday = datetime(2030, 3, 14, 14, 30, tzinfo=PARIS).isoformat()
    server = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, thursday, str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            url = f"http://127.0.0.1:{port}/formulaires/jeton?formulaire=rappel"
            with urllib.request.urlopen(url, timeout=2) as answer:
                answer.read()
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the backend did not start")


def test_kill_9_while_reminders_are_sent_sends_each_once(tmp_path: Path) -> None:
    brevo = FakeBrevo()
    config = sign_up_everyone(tmp_path, brevo.url)
    port = free_port()
    server = start(config, port)
    try:
        assert brevo.held.wait(60), "the server never sent the reminders"
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        brevo.release.set()  # the held request was accepted: its answer reaches nobody
        sent_before = sum(brevo.accepted.values())
        assert 0 < sent_before < 2 * PEOPLE
        server = start(config, port)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(brevo.accepted) < 2 * PEOPLE:
            time.sleep(0.1)
        time.sleep(1)  # a few more passes of the worker: nothing else may go
    finally:
        server.kill()
        server.wait()
        brevo.server.shutdown()
        brevo.server.server_close()
    # Each person: one confirmation and one reminder (two days before), each accepted once.
    expected = {
        (f"336000001{n:02d}", word) for n in range(PEOPLE) for word in ("Bonjour", "Rappel")
    }
    assert set(brevo.accepted) == expected
    assert max(brevo.accepted.values()) == 1
    connection = sqlite3.connect(config.database)
    states = Counter(
        row[0] for row in connection.execute("SELECT state FROM outbox WHERE target LIKE 'sms:%'")
    )
    [(error,)] = connection.execute("SELECT last_error FROM outbox WHERE state = 'dead'")
    told = connection.execute(
        "SELECT COUNT(*) FROM outbox WHERE target LIKE 'conseillere:envoi-incertain:%'"
    ).fetchone()[0]
    connection.close()
    # The one in flight is a dead letter saying why (``forms retry`` sends it by choice); the
    # morning reminders wait.
    assert states == {"sent": 2 * PEOPLE - 1, "dead": 1, "pending": PEOPLE}
    assert "peut-être parti" in error
    assert told == 1
