"""The personal link follows the port actually served: ``porte-voix serve --port N`` without
``PORTE_VOIX_PUBLIC_URL`` writes links to port N (not to the default 8000, where nothing may
answer), and the link opens the free-a-place page on that very server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .conftest import ENVIRONMENT, new_project
from .test_serve import free_port, wait_for

PARIS = ZoneInfo("Europe/Paris")
LINK = re.compile(r"https?://\S+/formulaires/ma-place\?jeton=\S+")


def _event(start: datetime) -> str:
    return f"""\
---
titre: Atelier CV
debut: {start:%Y-%m-%d} 14:00
fin: {start:%Y-%m-%d} 16:00
lieu:
  nom: MJC de Pompey
  adresse: 2 rue des Pâquis, 54340 Pompey
commune: Pompey
public: Jeunes de 16 à 29 ans
inscription:
  places: 10
partenaires: [mjc-pompey]
---
Une description.
"""


def _sign_up(port: int, event_id: str) -> None:
    base = f"http://127.0.0.1:{port}/formulaires"
    with urllib.request.urlopen(f"{base}/jeton?formulaire=inscription", timeout=10) as answer:
        token = json.load(answer)
    fields = {
        "id": token["id"],
        "jeton": token["jeton"],
        "evenement": event_id,
        "prenom": "Inès",
        "telephone": "06 12 34 56 78",
        "email": "",
        "commune": "Frouard",
        "age": "19",
        "canal": "sms",
        "consentement": "oui",
    }
    request = urllib.request.Request(
        f"{base}/inscription",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Accept": "application/json", "Origin": f"http://127.0.0.1:{port}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.load(answer)["ok"]


def _sms_link(folder: Path, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in folder.glob("*.txt"):
            found = LINK.search(path.read_text(encoding="utf-8"))
            if found:
                return found[0]
        time.sleep(0.3)
    raise AssertionError("no SMS was written")


def test_porte_voix_serve_writes_links_to_the_port_it_serves(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    start = datetime.now(PARIS) + timedelta(days=20)
    event_id = f"{start:%Y-%m-%d}-atelier-cv"
    project.write(f"evenements/{event_id}.md", _event(start))
    port = free_port()
    sms = tmp_path / "sms"
    environment = {
        key: value for key, value in ENVIRONMENT.items() if key != "PORTE_VOIX_PUBLIC_URL"
    }
    environment.update(
        PORTE_VOIX_DB=str(tmp_path / "db" / "formulaires.sqlite3"),
        PORTE_VOIX_SMS_DIR=str(sms),
        PORTE_VOIX_MIN_FILL_SECONDS="0",
        PORTE_VOIX_WORKER_INTERVAL="0.2",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=project.root,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/evenements/{event_id}/", "Atelier CV")
        _sign_up(port, event_id)
        link = _sms_link(sms)
        assert link.startswith(f"http://127.0.0.1:{port}/formulaires/ma-place?jeton=")
        with urllib.request.urlopen(link, timeout=10) as answer:  # it opens, on this server
            assert "Atelier CV" in answer.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_public_address_set_by_the_staff_is_kept(tmp_path: Path) -> None:
    from forms_backend.config import BackendConfig, served_at

    config = BackendConfig(public_url="https://www.mission-locale.fr")
    kept = served_at(config, "127.0.0.1", 8123, {"PORTE_VOIX_PUBLIC_URL": config.public_url})
    assert kept.public_url == "https://www.mission-locale.fr"
    assert served_at(config, "::1", 8123, {}).public_url == "http://[::1]:8123"
    assert served_at(config, "0.0.0.0", 8123, {}).public_url == "http://127.0.0.1:8123"
