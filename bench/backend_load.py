"""Backend load run on loopback: the form backend beside the HTTP and disk limits of this machine.

Writes its figures into BENCHMARKS.md (section « Serveur des formulaires »). Not a test: nothing
here asserts; it measures.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from targets import at_least, at_most, checked

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "post_form.lua"
DURATION = int(os.environ.get("PV_BENCH_SECONDS", "8"))
CLIENTS = (1, 10, 50)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def wrk(port: int, clients: int, token: str) -> dict:
    env = {**os.environ, "PV_TOKEN": token}
    command = [
        "wrk",
        f"-t{min(2, clients)}",
        f"-c{clients}",
        f"-d{DURATION}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(output.split("PVJSON ", 1)[1])


@contextlib.contextmanager
def server(command: list[str], env: dict[str, str]) -> Iterator[tuple[subprocess.Popen, int]]:
    """A server process on a free loopback port, stopped on leaving."""
    port = free_port()
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield process, port
    finally:
        process.terminate()
        process.wait()


def reference(app: str) -> list[str]:
    """A reference endpoint from ``bench/`` under uvicorn's default settings."""
    uvicorn = [sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "bench"), app]
    return [*uvicorn, "--log-level", "warning"]


def run_all(workdir: Path) -> tuple[list[tuple[dict, dict, dict]], float, int]:
    """The backend, the bare endpoint and the durable floor, one after the other at each client
    count (so a change of the host's speed during the run touches all three alike); each
    reference only once the backend has forwarded everything it stored (an idle machine)."""
    database = workdir / "formulaires.sqlite3"
    backend_env = {
        "PORTE_VOIX_DB": str(database),
        "PORTE_VOIX_SITE_DIR": str(workdir / "site"),
        "PORTE_VOIX_MIN_FILL_SECONDS": "0",
        "PORTE_VOIX_RATE_LIMIT": "100000000",
        "PORTE_VOIX_ATTEMPT_LIMIT": "100000000",  # refused attempts have their own budget
    }
    backend_command = [sys.executable, "-m", "generator", "forms", "serve"]
    floor_env = {"PV_FLOOR_DB": str(workdir / "plancher.sqlite3")}
    with (
        server(backend_command, backend_env) as (backend, backend_port),
        server(reference("bare_app:app"), {}) as (_, bare_port),
        server(reference("durable_app:app"), floor_env) as (_, floor_port),
    ):
        url = f"http://127.0.0.1:{backend_port}/formulaires/jeton?formulaire=rappel"
        wait_until_up(url)
        token = json.load(urllib.request.urlopen(url))["jeton"]
        rows = []
        for clients in CLIENTS:
            before = count_rows(database)
            ours = wrk(backend_port, clients, token)
            ours["stored"] = count_rows(database) - before
            wait_for_forwarding(database)
            bare = wrk(bare_port, clients, "x")
            floor = wrk(floor_port, clients, "x")
            rows.append(({**ours, "clients": clients}, bare, floor))
        return rows, peak_rss_mb(backend.pid), count_rows(database)


def wait_for_forwarding(database: Path) -> None:
    """Until the backend's worker has delivered every stored submission."""
    for _ in range(1200):
        connection = sqlite3.connect(database)
        try:
            pending = connection.execute(
                "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"
            ).fetchone()[0]
        finally:
            connection.close()
        if not pending:
            return
        time.sleep(0.1)


def count_rows(database: Path) -> int:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    finally:
        connection.close()


def run_sqlite(workdir: Path, seconds: float = DURATION) -> float:
    """The disk limit: one insert and one commit per row, WAL and synchronous=FULL, as the store does."""
    connection = sqlite3.connect(workdir / "limite.sqlite3", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(
        "CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c TEXT, d INTEGER, e TEXT, f TEXT)"
    )
    connection.execute("CREATE TABLE o (id INTEGER PRIMARY KEY, s TEXT, t TEXT, n TEXT)")
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO t VALUES (?, 'Ines', '+33612345678', 'Frouard', 19, 'sms', 'bench')",
            (f"{count:032d}",),
        )
        connection.execute("INSERT INTO o (s, t, n) VALUES (?, 'email', 'now')", (f"{count:032d}",))
        connection.execute("COMMIT")
        count += 1
    return count / (time.perf_counter() - start)


SHARE_TARGET = at_least(50, "≥ 50 % de la limite la plus basse à 10 clients")
P99_TARGET = at_most(200, "p99 ≤ 200 ms à 50 clients")
MEMORY_TARGET = at_most(100, "≤ 100 Mo")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        rows, rss, total = run_all(workdir)
        disk = run_sqlite(workdir)
    lines = [
        "## Serveur des formulaires",
        "",
        f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')} sur {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}.",
        f"Commande : `make bench` (`python bench/backend_load.py`, wrk {DURATION} s par point, sur 127.0.0.1). "
        "À chaque nombre de clients : le backend, puis, une fois tout transféré au conseiller, les "
        "deux références, l'une après l'autre (une variation de vitesse du poste les touche toutes).",
        "",
        "| clients | backend : demandes enregistrées/s | p50 (ms) | p99 (ms) | limite HTTP (Starlette nu) : réponses/s | p99 (ms) | plancher durable : enregistrées/s | part de la limite la plus basse | part du plancher |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for ours, limit, durable in rows:
        stored_rate = ours["stored"] / ours["duration_s"]
        bare_rate = limit["requests"] / limit["duration_s"]
        floor_rate = durable["requests"] / durable["duration_s"]
        lower = min(bare_rate, disk)
        share = 100 * stored_rate / lower
        p99 = ours["p99_ms"]
        lines.append(
            f"| {ours['clients']} | {stored_rate:.0f} | {ours['p50_ms']:.1f} "
            f"| {checked(p99, P99_TARGET, '.1f') if ours['clients'] == 50 else f'{p99:.1f}'} "
            f"| {bare_rate:.0f} | {limit['p99_ms']:.1f} | {floor_rate:.0f} "
            f"| {checked(share, SHARE_TARGET, '.0f', ' %') if ours['clients'] == 10 else f'{share:.0f} %'} "
            f"| {100 * stored_rate / floor_rate:.0f} % |"
        )
    lines += [
        "",
        f"Limite disque (SQLite seul, WAL, `synchronous=FULL`, une transaction par demande) : {disk:.0f} écritures/s.",
        "Plancher durable (`bench/durable_app.py`) : le même point d'entrée nu, plus une seule écriture "
        "durable par le commit groupé du serveur (mêmes réglages SQLite) — ce que coûte le seul fait "
        "d'enregistrer avant de répondre, sans vérification, sans anti-spam, sans transfert.",
        f"Mémoire maximale du serveur (VmHWM) : {checked(rss, MEMORY_TARGET, '.0f', ' Mo')}. "
        f"Demandes enregistrées en tout : {total}.",
        "Cibles : ≥ 50 % de la limite la plus basse à 10 clients ; p99 ≤ 200 ms à 50 clients ; ≤ 100 Mo.",
        "",
    ]
    publish(lines)


def publish(lines: list[str]) -> None:
    """Write a section (its first line is the heading) into BENCHMARKS.md and show it."""
    write_section(ROOT / "BENCHMARKS.md", lines[0], "\n".join(lines))
    print("\n".join(lines))


def write_section(path: Path, heading: str, text: str) -> None:
    """Replace (or add) one section of BENCHMARKS.md, keeping the others."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Mesures de Porte-voix\n\n"
    pattern = re.compile(rf"{re.escape(heading)}\n.*?(?=\n## |\Z)", re.S)
    current = (
        pattern.sub(text.rstrip("\n"), current)
        if pattern.search(current)
        else current.rstrip("\n") + "\n\n" + text
    )
    path.write_text(current.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
