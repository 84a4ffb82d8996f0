"""Helpers for form-backend tests: a real SQLite file, a real events manifest, real requests."""

from __future__ import annotations

import email
import email.policy
import json
import socket
from dataclasses import replace
from datetime import datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from starlette.testclient import TestClient

from forms_backend.app import create_app
from forms_backend.config import BackendConfig

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.now(PARIS)


def manifest_event(
    event_id: str,
    *,
    places: int | None = 20,
    starts_in: timedelta = timedelta(days=10),
    deadline_in: timedelta | None = None,
    registration: bool = True,
) -> dict[str, Any]:
    """One entry of ``porte-voix/evenements.json`` relative to now."""
    start = NOW + starts_in
    deadline = NOW + (deadline_in if deadline_in is not None else starts_in)
    return {
        "id": event_id,
        "titre": f"Événement {event_id}",
        "debut": start.isoformat(),
        "fin": (start + timedelta(hours=3)).isoformat(),
        "lieu": {"nom": "MJC", "adresse": "2 rue des Pâquis, 54340 Pompey"},
        "commune": "Pompey",
        "inscription": registration,
        "places": places if registration else None,
        "jusqu_au": deadline.isoformat() if registration else None,
        "url": f"https://www.exemple.fr/evenements/{event_id}/",
    }


def write_manifest(site_dir: Path, events: list[dict[str, Any]]) -> None:
    """Write the events manifest as the site build does."""
    path = site_dir / "porte-voix" / "evenements.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "evenements": events}), encoding="utf-8")


ORGANISATION = {
    "nom": "Mission Locale du Val de Lorraine",
    "telephone": "03 83 81 00 00",
    "adresse": "1 place Saint-Antoine, 54700 Pont-à-Mousson",
    "email": "allervers@mission-locale.test",
}


def write_organisation(site_dir: Path, **changes: object) -> None:
    """Write ``porte-voix/organisation.json`` as the site build does (``changes`` replace keys)."""
    path = site_dir / "porte-voix" / "organisation.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, **ORGANISATION, **changes}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def make_config(tmp_path: Path, **overrides: Any) -> BackendConfig:
    """Settings with a database and Maildir in ``tmp_path``; fill time off unless asked."""
    base = BackendConfig(
        database=tmp_path / "db" / "formulaires.sqlite3",
        site_dir=tmp_path / "site",
        maildir=tmp_path / "courriels",
        sms_dir=tmp_path / "sms",
        min_fill_seconds=0.0,
        counsellor_email="conseillere@mission-locale.test",
        mail_from="porte-voix@mission-locale.test",
        # Every request of a TestClient comes from one address: tests that fill an event from
        # it set the guard of intake/place_guard.py themselves (test_event_messages.py).
        places_per_connection=1000,
    )
    return replace(base, **overrides)


def client_for(config: BackendConfig, *, run_worker: bool = False, **options: Any) -> TestClient:
    """An in-process client on the real app (real store, real validation)."""
    return TestClient(create_app(config, run_worker=run_worker), follow_redirects=False, **options)


def fresh(client: TestClient, form: str) -> dict[str, str]:
    """The id and token a page's script asks for before sending."""
    data = client.get("/formulaires/jeton", params={"formulaire": form}).json()
    return {"id": data["id"], "jeton": data["jeton"]}


VALID = {
    "prenom": "Inès",
    "telephone": "06 12 34 56 78",
    "email": "",
    "commune": "Frouard",
    "age": "19",
    "canal": "sms",
    "consentement": "oui",
    "source": "flyer-a5",
}


def free_port() -> int:
    """A port nobody listens on, on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps messages, answering with the codes it is given first."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.answers: list[str] = []
        self.connections: list[tuple[str, int]] = []  # the client's address, once per connection
        self.envelopes: list[Envelope] = []  # what the server saw: MAIL FROM, RCPT TO, raw bytes

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        if session.peer not in self.connections:
            self.connections.append(session.peer)
        if self.answers:
            return self.answers.pop(0)
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"  # type: ignore[attr-defined]
    yield inbox
    controller.stop()
