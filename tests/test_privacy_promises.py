"""The README's « Données personnelles » section, read as promises about what is never kept:
each is checked on the real app, a real SQLite file (and its WAL), a real SMTP server and the
server's own journal."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

import pytest

from .backend import VALID, client_for, fresh, make_config
from .conftest import REPO

VISITOR_IP = "203.0.113.77"  # documentation range: no one's real address
FIRST_NAME = "Zéphyrine"
PHONE = "06 71 72 73 74"


def stored_bytes(config) -> bytes:  # type: ignore[no-untyped-def]
    """Everything SQLite holds on disk: the database file and its write-ahead log."""
    files = [config.database, Path(f"{config.database}-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists())


def send(config, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    with client_for(config, client=(VISITOR_IP, 4242)) as client:
        answer = client.post("/formulaires/rappel", data={**fresh(client, "rappel"), **fields})
        client.app.state.backend.forwarder.deliver_due()
        return answer


def test_no_visitor_address_is_ever_written(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    config = replace(make_config(tmp_path), smtp_url=smtp.url)
    answer = send(config, {**VALID, "prenom": FIRST_NAME})
    assert answer.status_code == 303
    assert FIRST_NAME.encode() in stored_bytes(config)  # stored, as it must be
    assert VISITOR_IP.encode() not in stored_bytes(config)
    assert all(VISITOR_IP not in message.as_string() for message in smtp.messages)


def test_a_spam_keeps_field_names_and_lengths_never_what_was_typed(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    answer = send(config, {**VALID, "prenom": FIRST_NAME, "telephone": PHONE, "site_web": "x"})
    assert answer.status_code == 303  # a robot is told nothing
    data = stored_bytes(config)
    assert b"caract" in data  # the lengths are there
    assert FIRST_NAME.encode() not in data and b"71 72 73 74" not in data


def test_the_journal_holds_no_personal_data(
    tmp_path: Path, smtp, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    config = replace(make_config(tmp_path), smtp_url=smtp.url)
    with caplog.at_level(logging.DEBUG):
        send(config, {**VALID, "prenom": FIRST_NAME, "telephone": PHONE})
        send(config, {**VALID, "prenom": FIRST_NAME, "telephone": "12"})  # refused
    assert smtp.messages  # the counsellor was told
    # Every record but the test's own SMTP server's (aiosmtpd logs what it receives).
    journal = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail."))
    assert (
        FIRST_NAME not in journal and "71 72 73 74" not in journal and "0671727374" not in journal
    )
    assert VISITOR_IP not in journal


def test_the_readmes_nginx_keeps_no_access_log() -> None:
    """nginx's default access log writes every visitor's IP address and full request line, so
    the parent's one-time link (``/formulaires/accord-parent?jeton=…``): the production example
    the README gives turns it off, for the whole server."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (server,) = re.findall(r"```nginx\n(server \{.*?\n\})\n```", readme, re.DOTALL)
    top_level = [
        line.split("#")[0].strip()
        for line in server.splitlines()
        if line.startswith("    ") and not line.startswith("     ")  # not inside a location
    ]
    assert "access_log off;" in top_level
