"""Forwarding to the counsellor: a real SMTP server (aiosmtpd) and a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import sqlite3
import time
from dataclasses import replace
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from forms_backend.cli import forms
from forms_backend.outbox.retry import RETRY_DELAYS

from .backend import VALID, Inbox, client_for, free_port, fresh, make_config


def submit(config, fields=None, form: str = "rappel") -> str:  # type: ignore[no-untyped-def]
    """Send one valid submission through the real app; returns its id."""
    with client_for(config) as client:
        token = fresh(client, form)
        answer = client.post(
            f"/formulaires/{form}",
            data={**token, **VALID, **(fields or {})},
            headers={"Accept": "application/json"},
        )
        assert answer.json()["ok"], answer.text
        return token["id"]


def forward(config):  # type: ignore[no-untyped-def]
    from forms_backend.intake.events import EventCatalogue
    from forms_backend.outbox.forwarder import Forwarder
    from forms_backend.store.database import Store

    return Forwarder(Store(config.database), config, EventCatalogue(config.site_dir)).deliver_due()


def outbox(config) -> list[sqlite3.Row]:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(config.database)
    connection.row_factory = sqlite3.Row
    with connection:
        return connection.execute("SELECT * FROM outbox ORDER BY id").fetchall()


def make_due(config) -> None:  # type: ignore[no-untyped-def]
    """Move every retry to now, as if the delay had passed."""
    connection = sqlite3.connect(config.database)
    with connection:
        connection.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000+00:00'")
    connection.close()


def run_cli(config, *args: str):  # type: ignore[no-untyped-def]
    env = {
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
        "PORTE_VOIX_SMTP_URL": config.smtp_url or "",
        "PORTE_VOIX_COUNSELLOR_EMAIL": config.counsellor_email,
        "PORTE_VOIX_WEBHOOK_URL": config.webhook_url or "",
        "PORTE_VOIX_WEBHOOK_SECRET": config.webhook_secret or "",
    }
    return CliRunner().invoke(forms, list(args), env=env)


def test_counsellor_email_holds_what_is_needed_to_call_back(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, smtp_url=smtp.url)
    submission_id = submit(config)
    assert forward(config).sent == 1
    [message] = smtp.messages
    assert message["To"] == "conseillere@mission-locale.test"
    assert message["Subject"] == "[Aller vers] Demande de rappel — Frouard"
    body = message.get_payload(decode=True).decode()
    for expected in [
        "Prénom\u00a0: Inès",
        "Téléphone\u00a0: 06 12 34 56 78",
        "Contact préféré\u00a0: SMS",
        "Commune\u00a0: Frouard",
        "Âge\u00a0: 19\u00a0ans",
        "Venu·e par\u00a0: flyer-a5",
        submission_id,
    ]:
        assert expected in body
    assert "testclient" not in body and "127.0.0.1" not in body  # no address, no browser


def test_smtp_refusing_then_accepting_delivers_exactly_once(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, smtp_url=smtp.url)
    smtp.answers = ["451 Try again later"]
    submit(config)
    first = forward(config)
    assert (first.sent, first.retried) == (0, 1)
    [row] = outbox(config)
    assert row["state"] == "pending" and row["last_error"] == "SMTP 451"
    assert forward(config).sent == 0  # not due yet: the delay is respected
    make_due(config)
    assert forward(config).sent == 1
    assert forward(config).sent == 0
    assert len(smtp.messages) == 1


def test_a_batch_is_one_smtp_session_and_a_server_that_hung_up_is_reconnected(
    tmp_path: Path, smtp
) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, smtp_url=smtp.url)
    for name in ("Inès", "Yanis", "Emma"):
        submit(config, {"prenom": name})
    assert forward(config).sent == 3
    assert len(smtp.messages) == 3 and len(smtp.connections) == 1
    # A server closing the session (421) after the first e-mail of the next batch: that one
    # is retried later, the next goes through a new session.
    smtp.answers = ["421 Service closing transmission channel"]
    submit(config, {"prenom": "Léo"})
    submit(config, {"prenom": "Nour"})
    second = forward(config)
    assert (second.sent, second.retried) == (1, 1)
    assert len(smtp.connections) == 3
    make_due(config)
    assert forward(config).sent == 1
    texts = [message.get_content() for message in smtp.messages]
    for name in ("Inès", "Yanis", "Emma", "Léo", "Nour"):  # each once, none lost
        assert sum(f"Prénom\u00a0: {name}" in text for text in texts) == 1, name


def test_connection_refused_is_temporary(tmp_path: Path) -> None:
    config = make_config(tmp_path, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    submit(config)
    assert forward(config).retried == 1
    [row] = outbox(config)
    assert row["state"] == "pending" and "injoignable" in row["last_error"]


def test_retries_cover_at_least_a_day_then_dead_letter(tmp_path: Path) -> None:
    assert sum(RETRY_DELAYS) >= 24 * 3600
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)
    config = make_config(tmp_path, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    submit(config)
    for _ in RETRY_DELAYS:
        assert forward(config).retried == 1
        make_due(config)
    assert forward(config).dead == 1
    [row] = outbox(config)
    assert row["state"] == "dead" and row["last_error"].startswith(
        f"abandon après {len(RETRY_DELAYS) + 1} essais"
    )


def test_smtp_5xx_is_a_dead_letter_shown_by_status_and_resent_by_retry(
    tmp_path: Path, smtp
) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, smtp_url=smtp.url)
    smtp.answers = ["550 Mailbox unavailable"]
    submit(config)
    assert forward(config).dead == 1
    status = run_cli(config, "status")
    assert status.exit_code == 0, status.output
    assert "Envois en échec définitif : 1" in status.output
    assert "SMTP 550" in status.output and "Inès" not in status.output
    retried = run_cli(config, "retry")
    assert retried.exit_code == 0, retried.output
    assert "Relancés : 1. Envoyés : 1." in retried.output
    assert len(smtp.messages) == 1
    assert "Envois en échec définitif : 0" in run_cli(config, "status").output


def test_smtp_with_login(tmp_path: Path) -> None:
    inbox = Inbox()
    seen: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        seen.append((auth_data.login, auth_data.password))
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)

    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False
    )
    controller.start()
    try:
        config = make_config(tmp_path, smtp_url=f"smtp://conseil:s3cret@127.0.0.1:{port}")
        submit(config)
        submit(config, {"prenom": "Yanis"})
        assert forward(config).sent == 2
        assert seen == [(b"conseil", b"s3cret")] and len(inbox.messages) == 2  # one login
        wrong = replace(config, smtp_url=f"smtp://conseil:faux@127.0.0.1:{port}")
        for name in ("Léo", "Emma", "Nour"):
            submit(wrong, {"prenom": name})
        assert forward(wrong).dead == 3  # wrong password: a person must fix the settings
        # ... and one login for the whole batch, not one per e-mail (accounts get locked); a
        # login is two tries here, as smtplib tries PLAIN, then LOGIN.
        assert seen[1:] == [(b"conseil", b"faux")] * 2
    finally:
        controller.stop()


def test_without_smtp_mail_goes_to_a_local_maildir(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    submit(config)
    assert forward(config).sent == 1
    [path] = list((config.maildir / "new").iterdir())
    assert (
        "Prénom\u00a0: Inès"
        in email.message_from_bytes(path.read_bytes()).get_payload(decode=True).decode()
    )


def hook_config(tmp_path: Path, server: HTTPServer):  # type: ignore[no-untyped-def]
    return make_config(tmp_path, webhook_url=server.url_for("/pipeline"), webhook_secret="partage")


def test_webhook_is_signed_and_carries_the_idempotency_key(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    received: list[Request] = []

    def handler(request: Request) -> Response:
        received.append(request)
        return Response("ok", status=200)

    httpserver.expect_request("/pipeline", method="POST").respond_with_handler(handler)
    config = hook_config(tmp_path, httpserver)
    submission_id = submit(config)
    report = forward(config)
    assert report.sent == 2  # e-mail (Maildir) and webhook
    [request] = received
    body = request.get_data()
    timestamp = request.headers["X-Porte-Voix-Timestamp"]
    expected = hmac.new(b"partage", timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert request.headers["X-Porte-Voix-Signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - time.time()) < 60
    assert request.headers["Idempotency-Key"] == submission_id
    payload = json.loads(body)
    assert (payload["id"], payload["prenom"], payload["telephone"], payload["source"]) == (
        submission_id,
        "Inès",
        "+33612345678",
        "flyer-a5",
    )
    headers = " ".join(f"{k}: {v}" for k, v in request.headers.items())
    assert "Inès" not in headers and "+3361" not in headers


def test_webhook_4xx_is_dead_and_5xx_is_retried(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/pipeline", method="POST").respond_with_data(
        "non", status=400
    )
    httpserver.expect_ordered_request("/pipeline", method="POST").respond_with_data(
        "panne", status=503
    )
    httpserver.expect_ordered_request("/pipeline", method="POST").respond_with_data(
        "ok", status=200
    )
    config = hook_config(tmp_path, httpserver)
    submit(config)
    submit(config, {"prenom": "Léo"})
    report = forward(config)
    assert (report.sent, report.retried, report.dead) == (2, 1, 1)
    webhook_rows = [r for r in outbox(config) if r["target"] == "webhook"]
    assert [(r["state"], r["last_error"]) for r in webhook_rows] == [
        ("dead", "webhook HTTP 400"),
        ("pending", "webhook HTTP 503"),
    ]
    make_due(config)
    assert forward(config).sent == 1


def test_worker_inside_the_server_forwards_right_away(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, smtp_url=smtp.url, worker_interval_seconds=30.0)
    with client_for(config, run_worker=True) as client:
        token = fresh(client, "rappel")
        client.post("/formulaires/rappel", data={**token, **VALID})
        deadline = time.monotonic() + 10
        while not smtp.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(smtp.messages) == 1


def test_forward_command_for_cron(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, smtp_url=smtp.url)
    submit(config)
    result = run_cli(config, "forward")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Envoyés : 1. Reportés : 0. En échec définitif : 0."
    assert len(smtp.messages) == 1
