"""Reminder run: 2,000 sign-ups over 50 events whose reminders (two days before) are all due at
once, sent by the real ``forms`` server to local SMS (answering like Brevo) and SMTP servers,
while young people keep signing up: messages per second, and the sign-ups' p99 meanwhile.

The server runs on a clock set to the Thursday 14:30 before the Saturday events (the launcher
hands ``create_app`` that clock, as the tests do); the sign-ups are written first through the
store (the same rows a sign-up makes), their confirmations marked sent. Writes its figures into
BENCHMARKS.md (section « Rappels »). Not a test: it measures.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from backend_load import ROOT, free_port, publish, wait_until_up
from targets import at_most, checked

sys.path.insert(0, str(ROOT))

from forms_backend.config import BackendConfig
from forms_backend.intake.events import EventCatalogue
from forms_backend.outbox.seats import Seats
from forms_backend.store.database import Store

PARIS = ZoneInfo("Europe/Paris")
EVENTS, PER_EVENT = int(os.environ.get("PV_BENCH_EVENTS", "50")), 40
SATURDAY = datetime(2030, 3, 16, 14, 0, tzinfo=PARIS)
SIGNED_UP_ON = datetime(2030, 3, 1, 10, 0, tzinfo=PARIS)
THURSDAY = datetime(2030, 3, 14, 15, 0, tzinfo=PARIS)  # every reminder is due
QUIET_DAY = datetime(2030, 3, 2, 10, 0, tzinfo=PARIS)  # nothing due: the reference
CLIENTS = 4
# Each client pauses between two sign-ups: ~40 sign-ups a second in all, far above a Mission
# Locale's day.
PAUSE = 0.1
REFERENCE_SECONDS = 6
P99_TARGET_MS = 200
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
FAKE_BREVO = """
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        data = json.dumps({"messageId": 1}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def manifest(site: Path) -> None:
    events = []
    for n in range(EVENTS + 1):  # the last one takes the sign-ups made during the run
        start = SATURDAY + timedelta(days=30 if n == EVENTS else 0, minutes=n)
        event_id = f"2030-03-16-atelier-{n:02d}"
        events.append(
            {
                "id": event_id,
                "titre": f"Atelier n° {n}",
                "debut": start.isoformat(),
                "fin": (start + timedelta(hours=2)).isoformat(),
                "lieu": "MJC Pompey, 2 rue des Jardins, 54340 Pompey",
                "commune": "Pompey",
                "inscription": True,
                "places": None,
                "jusqu_au": start.isoformat(),
                "url": f"http://127.0.0.1/evenements/{event_id}/",
            }
        )
    path = site / "porte-voix" / "evenements.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "evenements": events}), encoding="utf-8")


def sign_ups(config: BackendConfig) -> None:
    """The 2,000 sign-ups, half by SMS and half by e-mail, with the rows the app makes."""
    store = Store(config.database)
    store.migrate()
    events = EventCatalogue(config.site_dir)
    seats = Seats(store, events)
    for n in range(EVENTS * PER_EVENT):
        event = events.get(f"2030-03-16-atelier-{n // PER_EVENT:02d}")
        assert event is not None
        by_sms = n % 2 == 0
        values = {
            "id": str(uuid.uuid4()),
            "form": "inscription",
            "event_id": event.id,
            "first_name": "Ines",
            "phone": f"+336{n:08d}" if by_sms else None,
            "email": None if by_sms else f"jeune{n}@exemple.fr",
            "commune": "Pompey",
            "age": 19,
            "channel": "sms" if by_sms else "email",
            "source": "bench",
        }
        young, rows = seats.sign_up_rows(values, event, SIGNED_UP_ON)
        store.record(values, ["email", *young], None, rows)
    with store.transaction() as db:  # the confirmations went long ago
        db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ? WHERE target NOT LIKE '%rappel%'", ("x",)
        )
    store.close()


def start(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=None if os.environ.get("PV_BENCH_DEBUG") else subprocess.DEVNULL,
    )


# Each sign-up of the load is a different young person: one number holds one place per event.
_NUMBERS = itertools.count(1)


def signing_up(port: int, stop: threading.Event, latencies: list[float]) -> None:
    """One young person after another signs up (the page's two requests; the POST is timed)."""
    base = f"http://127.0.0.1:{port}/formulaires"
    while not stop.is_set():
        with urllib.request.urlopen(f"{base}/jeton?formulaire=inscription", timeout=10) as r:
            token = json.load(r)
        fields = {
            "id": token["id"],
            "jeton": token["jeton"],
            "prenom": "Léo",
            "telephone": f"07{next(_NUMBERS):08d}",
            "commune": "Frouard",
            "age": "19",
            "canal": "sms",
            "consentement": "oui",
            "evenement": f"2030-03-16-atelier-{EVENTS:02d}",
        }
        request = urllib.request.Request(
            f"{base}/inscription",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Accept": "application/json"},
        )
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
        latencies.append((time.perf_counter() - began) * 1000)
        stop.wait(PAUSE)


def run_server(config_env: dict[str, str], port: int, clock: datetime) -> subprocess.Popen[bytes]:
    server = start([sys.executable, "-c", LAUNCHER, clock.isoformat(), str(port)], config_env)
    wait_until_up(f"http://127.0.0.1:{port}/formulaires/jeton?formulaire=rappel")
    return server


def load(port: int, until: callable) -> list[float]:  # type: ignore[valid-type]
    stop, latencies = threading.Event(), []
    threads = [
        threading.Thread(target=signing_up, args=(port, stop, latencies)) for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    until()
    stop.set()
    for thread in threads:
        thread.join()
    return latencies


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def reminders_left(database: Path) -> int:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND target LIKE '%rappel-avant%' "
            "AND next_attempt_at <= ?",
            (THURSDAY.astimezone(UTC).isoformat(),),
        ).fetchone()[0]
    finally:
        connection.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = BackendConfig(database=root / "formulaires.sqlite3", site_dir=root / "site")
        manifest(config.site_dir)
        sign_ups(config)
        sms_port, smtp_port, port = free_port(), free_port(), free_port()
        helpers = [
            start([sys.executable, "-c", FAKE_BREVO, str(sms_port)]),
            start(
                [
                    sys.executable,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{smtp_port}",
                    "-c",
                    "aiosmtpd.handlers.Sink",
                ]
            ),
        ]
        time.sleep(1)
        env = {
            "PORTE_VOIX_DB": str(config.database),
            "PORTE_VOIX_SITE_DIR": str(config.site_dir),
            "PORTE_VOIX_SMS_URL": f"http://127.0.0.1:{sms_port}",
            "PORTE_VOIX_SMS_KEY": "bench",
            "PORTE_VOIX_SMS_SENDER": "MissionLoc",
            "PORTE_VOIX_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "PORTE_VOIX_MIN_FILL_SECONDS": "0",
            "PORTE_VOIX_RATE_LIMIT": "1000000",
            "PORTE_VOIX_ATTEMPT_LIMIT": "1000000",
            # Every client of the load comes from 127.0.0.1: not one office filling an event.
            "PORTE_VOIX_PLACES_PER_CONNECTION": "1000000",
            # A thousand reminders by SMS at once: the load itself, not the day's budget.
            "PORTE_VOIX_SMS_PER_DAY": "1000000",
        }
        try:
            server = run_server(env, port, QUIET_DAY)
            reference = load(port, lambda: time.sleep(REFERENCE_SECONDS))
            server.kill()
            server.wait()
            due = reminders_left(config.database)
            server = run_server(env, port, THURSDAY)
            began, opened = time.perf_counter(), datetime.now(UTC).isoformat()
            during = load(port, lambda: _wait_sent(config.database))
            seconds = time.perf_counter() - began
            server.kill()
            server.wait()
            sent = sent_between(config.database, opened, datetime.now(UTC).isoformat())
        finally:
            for helper in helpers:
                helper.kill()
                helper.wait()
    report(due, sent, seconds, reference, during)


def sent_between(database: Path, start: str, end: str) -> int:
    """Messages of any kind the server sent in this window (real time)."""
    connection = sqlite3.connect(database)
    try:
        return connection.execute(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND sent_at BETWEEN ? AND ?",
            (start, end),
        ).fetchone()[0]
    finally:
        connection.close()


def _wait_sent(database: Path, limit: float = 600) -> None:
    deadline = time.monotonic() + limit
    while (left := reminders_left(database)) and time.monotonic() < deadline:
        print(f"rappels restants : {left}", file=sys.stderr, flush=True)
        time.sleep(1)


def report(
    due: int, sent: int, seconds: float, reference: list[float], during: list[float]
) -> None:
    target = at_most(P99_TARGET_MS, f"p99 ≤ {P99_TARGET_MS} ms pendant les rappels")
    now = datetime.now(UTC).astimezone(PARIS)
    publish(
        [
            "## Rappels",
            "",
            f"Mesuré le {now:%Y-%m-%d %H:%M} sur {platform.machine()}, {os.cpu_count()} cœurs, "
            f"Python {platform.python_version()}. Commande : `make bench` "
            "(`python bench/reminders_bench.py`) : 2 000 inscrits sur 50 événements, la moitié "
            "par SMS et la moitié par e-mail ; le serveur (`create_app`, sur 127.0.0.1) démarre à "
            "l'heure où tous les rappels « deux jours avant » sont dus, et les envoie à un serveur "
            "SMS local qui répond comme Brevo et à un serveur SMTP local (aiosmtpd) ; pendant ce "
            f"temps, {CLIENTS} clients s'inscrivent à un autre événement ({PAUSE * 1000:.0f} ms de pause "
            "entre deux inscriptions d'un même client) "
            "(latence de l'envoi du formulaire, mesurée par le client).",
            "",
            "| mesure | valeur |",
            "|---|---|",
            f"| rappels envoyés | {due} en {seconds:.1f} s, soit {due / seconds:.0f} rappels/s |",
            f"| tous les messages envoyés pendant ce temps (rappels, et confirmations et courriels "
            f"à la conseillère des inscriptions faites pendant la mesure) | {sent}, soit "
            f"{sent / seconds:.0f} messages/s |",
            f"| inscriptions pendant les rappels | {len(during)}, p50 "
            f"{statistics.median(during):.0f} ms, p99 {checked(p99(during), target, '.0f', ' ms')} |",
            f"| inscriptions sans rappel à envoyer (référence, {REFERENCE_SECONDS} s) | "
            f"{len(reference)}, p50 {statistics.median(reference):.0f} ms, p99 "
            f"{p99(reference):.0f} ms |",
            "",
            f"Cible : p99 des inscriptions ≤ {P99_TARGET_MS} ms pendant que les rappels partent.",
        ]
    )


if __name__ == "__main__":
    main()
