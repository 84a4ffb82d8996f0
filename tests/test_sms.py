"""The SMS channel: a real HTTP server on 127.0.0.1 answering like Brevo, the file default,
mobile numbers only, and SMS counted by ``porte-voix forms status`` without a phone number."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from forms_backend.config import BackendConfig, ConfigError
from forms_backend.outbox.failures import PermanentFailure, TemporaryFailure
from forms_backend.outbox.sms import SmsSender, write_sms_file

from .backend import VALID, manifest_event, write_manifest
from .test_forwarding import forward, make_config, outbox, run_cli, submit

KEY = "xkeysib-cle-tres-secrete-0123456789"
MOBILE = "+33612345678"
SEND = "/v3/transactionalSMS/send"


def brevo(server: HTTPServer, tmp_path: Path, *, timeout: float = 5) -> SmsSender:
    return SmsSender(server.url_for("/"), KEY, "MissionLoc", tmp_path / "sms", timeout=timeout)


def test_sent_through_brevo_with_the_documented_body_and_key(
    tmp_path: Path, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    received: list[Request] = []

    def handler(request: Request) -> Response:
        received.append(request)
        return Response(json.dumps({"messageId": 123}), status=201)

    httpserver.expect_request(SEND, method="POST").respond_with_handler(handler)
    sender = brevo(httpserver, tmp_path)
    sender.send(MOBILE, "Ton inscription est notée à 14 h.")
    sender.send(MOBILE, "Ta fête est samedi.")
    first, second = (json.loads(request.get_data()) for request in received)
    assert first == {
        "sender": "MissionLoc",
        "recipient": "33612345678",  # the country code, without +
        "content": "Ton inscription est notée à 14 h.",
        "type": "transactional",
        "unicodeEnabled": False,  # GSM-7 carries é and à
    }
    assert second["content"] == "Ta fête est samedi." and second["unicodeEnabled"] is True
    assert all(request.headers["api-key"] == KEY for request in received)
    assert received[0].headers["Content-Type"].startswith("application/json")
    assert not (tmp_path / "sms").exists()  # nothing written to the file default
    assert "messageId 123" in caplog.text
    assert "612345678" not in caplog.text and KEY not in caplog.text


def slow(request: Request) -> Response:
    time.sleep(1.5)
    return Response(json.dumps({"messageId": 1}), status=201)


@pytest.mark.parametrize(
    ("status", "body", "failure", "reason"),
    [
        (
            400,
            {"code": "invalid_parameter", "message": "33612345678 invalide"},
            PermanentFailure,
            "SMS : Brevo a répondu HTTP 400 (invalid_parameter)",
        ),
        (
            401,
            {"code": "unauthorized", "message": f"Key not found {KEY}"},
            PermanentFailure,
            "SMS : Brevo a répondu HTTP 401 (unauthorized)",
        ),
        (429, {}, TemporaryFailure, "SMS : Brevo a répondu HTTP 429"),
        (500, {}, TemporaryFailure, "SMS : Brevo a répondu HTTP 500"),
        (None, None, TemporaryFailure, "SMS : Brevo injoignable (TimeoutError)"),
    ],
)
def test_brevo_errors_are_classified_without_key_or_number(
    tmp_path: Path,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
    status: int | None,
    body: dict | None,
    failure: type,
    reason: str,
) -> None:
    expectation = httpserver.expect_request(SEND, method="POST")
    if status is None:
        expectation.respond_with_handler(slow)
    else:
        expectation.respond_with_json(body, status=status)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(failure) as raised:
        brevo(httpserver, tmp_path, timeout=0.3).send(MOBILE, "Bonjour")
    assert type(raised.value) is failure and str(raised.value) == reason
    shown = str(raised.value) + repr(raised.value) + caplog.text
    assert KEY not in shown and "612345678" not in shown


def test_the_key_is_never_printed_with_the_settings() -> None:
    config = BackendConfig.from_environment(
        {
            "PORTE_VOIX_SMS_URL": "https://api.brevo.com",
            "PORTE_VOIX_SMS_KEY": KEY,
            "PORTE_VOIX_SMS_SENDER": "MissionLoc",
        }
    )
    assert (config.sms_url, config.sms_key, config.sms_sender) == (
        "https://api.brevo.com",
        KEY,
        "MissionLoc",
    )
    assert KEY not in repr(config)
    assert KEY not in repr(SmsSender(config.sms_url, config.sms_key, "MissionLoc", Path("x")))


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"PORTE_VOIX_SMS_SENDER": "Mission Locale"},
            "PORTE_VOIX_SMS_SENDER vaut « Mission Locale » : il faut 11 lettres ou chiffres",
        ),
        ({"PORTE_VOIX_SMS_SENDER": "MissionLocal"}, "il faut 11 lettres ou chiffres au plus"),
        ({"PORTE_VOIX_SMS_SENDER": "Frouard-Été"}, "sans espace ni accent"),
        ({"PORTE_VOIX_SMS_SENDER": "3361234567890123"}, "un numéro de 15 chiffres au plus"),
        ({"PORTE_VOIX_SMS_URL": "https://api.brevo.com"}, "vont ensemble"),
        ({"PORTE_VOIX_SMS_KEY": KEY}, "vont ensemble"),
        (
            {"PORTE_VOIX_SMS_URL": "https://api.brevo.com", "PORTE_VOIX_SMS_KEY": KEY},
            "PORTE_VOIX_SMS_SENDER est obligatoire",
        ),
        (
            {"PORTE_VOIX_SMS_URL": "ftp://api.brevo.com", "PORTE_VOIX_SMS_KEY": KEY},
            "doit commencer par https://",
        ),
        (
            {"PORTE_VOIX_SMS_URL": "http://api.brevo.com", "PORTE_VOIX_SMS_KEY": KEY},
            "doit commencer par https://",
        ),
        ({"PORTE_VOIX_SMS_SENDER": "Mission\x1b[2J"}, "PORTE_VOIX_SMS_SENDER vaut « Mission?[2J »"),
    ],
)
def test_wrong_sms_settings_are_refused_at_start_up_in_french(
    environment: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        BackendConfig.from_environment(environment)
    assert message in str(raised.value) and KEY not in str(raised.value)


@pytest.mark.parametrize("sender", ["MissionLoc", "ML54", "Porte2Voix", "336123456789012"])
def test_valid_senders_are_accepted(sender: str) -> None:
    assert BackendConfig.from_environment({"PORTE_VOIX_SMS_SENDER": sender}).sms_sender == sender


def test_without_a_provider_each_sms_is_a_readable_file(tmp_path: Path) -> None:
    folder = tmp_path / "sms"
    sender = SmsSender(None, None, "PorteVoix", folder)
    sender.send(MOBILE, "Ta fête est samedi.")
    sender.send("+33712345678", "a" * 161)
    files = sorted(folder.glob("*.txt"), key=lambda f: f.read_text(encoding="utf-8"))
    assert len(files) == 2 and list((folder / "tmp").iterdir()) == []  # nothing half-written
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert any(
        "Destinataire : 06 12 34 56 78 (+33612345678)\n" in text
        and "Expéditeur : PorteVoix\n" in text
        and "Codage : UCS-2, 1 segment (19 unités)\n" in text
        and text.endswith("\n\nTa fête est samedi.\n")
        for text in texts
    )
    assert any(
        "07 12 34 56 78" in t and "Codage : GSM-7, 2 segments (161 unités)" in t for t in texts
    )
    assert all("612345678" not in f.name and "712345678" not in f.name for f in files)


def test_a_reader_never_sees_half_a_file(tmp_path: Path) -> None:
    """Written aside then renamed: a reader watching the folder sees only complete files."""
    folder, seen, stop = tmp_path / "sms", [], threading.Event()
    folder.mkdir()
    text = "Bonjour " * 2000

    def watch() -> None:
        while not stop.is_set():
            for path in folder.glob("*.txt"):
                seen.append(path.read_text(encoding="utf-8"))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(30):
            write_sms_file(folder, MOBILE, "PorteVoix", text)
    finally:
        stop.set()
        watcher.join()
    assert seen and all(content.endswith(text + "\n") for content in seen)


def test_a_landline_is_refused_for_sms(tmp_path: Path) -> None:
    sender = SmsSender(None, None, "PorteVoix", tmp_path / "sms")
    with pytest.raises(PermanentFailure, match="pas un portable"):
        sender.send("+33383123456", "Bonjour")
    assert not (tmp_path / "sms").exists()


def signup_config(tmp_path: Path, **overrides):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, **overrides)
    write_manifest(config.site_dir, [manifest_event("2030-01-01-atelier", places=1)])
    return config


def test_a_sign_up_by_sms_gets_a_confirmation_and_status_counts_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    config = signup_config(tmp_path)
    submit(config, {"evenement": "2030-01-01-atelier"}, form="inscription")
    submit(config, {"evenement": "2030-01-01-atelier", "prenom": "Léo"}, form="inscription")
    by_mail = {
        "canal": "email",
        "email": "ines@exemple.fr",
        "prenom": "Sam",
    }  # chose e-mail: no SMS
    submit(config, {"evenement": "2030-01-01-atelier", **by_mail}, form="inscription")
    submit(config)  # a call-back request: no SMS
    assert sorted(r["target"] for r in outbox(config)).count("sms:confirmation") == 2
    before = run_cli(config, "status")
    # Two confirmations, and the reminders of the one place taken (not due yet; how many
    # depends on the hour the event starts: a morning reminder after the start is not made).
    reminders = sum(r["target"].startswith("sms:rappel-") for r in outbox(config))
    assert 1 <= reminders <= 2
    assert f"SMS : 0 envoyé(s), {2 + reminders} en attente, 0 en échec" in before.output
    assert forward(config).sent == 7  # four e-mails to the counsellor, two SMS, one e-mail
    texts = [f.read_text(encoding="utf-8") for f in (config.sms_dir).glob("*.txt")]
    assert len(texts) == 2
    assert any('Bonjour Inès, ton inscription à "Événement 2030-01-01-atelier"' in t for t in texts)
    assert any("Bonjour Léo, tu es sur la liste d'attente" in t for t in texts)
    after = run_cli(config, "status")
    assert after.exit_code == 0
    assert f"SMS : 2 envoyé(s), {reminders} en attente, 0 en échec définitif" in after.output
    for shown in (before.output, after.output, caplog.text):
        assert "612345678" not in shown and "12 34 56 78" not in shown


def test_brevo_refusing_an_sms_is_a_dead_letter_shown_without_number(
    tmp_path: Path, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request(SEND, method="POST").respond_with_json(
        {"code": "unauthorized", "message": "Key not found"}, status=401
    )
    config = signup_config(
        tmp_path, sms_url=httpserver.url_for("/"), sms_key=KEY, sms_sender="MissionLoc"
    )
    submit(config, {"evenement": "2030-01-01-atelier"}, form="inscription")
    report = forward(config)
    # sent: the sign-up's e-mail and the notice telling the counsellor the SMS did not leave
    assert (report.sent, report.dead) == (2, 1)
    status = run_cli(config, "status")
    # (the reminders of the place wait for their day)
    assert re.search(r"SMS : 0 envoyé\(s\), [12] en attente, 1 en échec définitif", status.output)
    assert "sms:confirmation" in status.output
    assert "SMS : Brevo a répondu HTTP 401 (unauthorized)" in status.output
    for shown in (status.output, caplog.text):
        assert KEY not in shown and "612345678" not in shown and "12 34 56 78" not in shown


def test_sms_channel_wants_a_mobile_number(tmp_path: Path) -> None:
    from .backend import client_for, fresh

    config = signup_config(tmp_path)
    with client_for(config) as client:
        for phone, channel, error in [
            ("03 83 12 34 56", "sms", True),
            ("+33 3 83 12 34 56", "sms", True),
            ("09 70 12 34 56", "sms", True),
            ("03 83 12 34 56", "appel", False),
            ("07 12 34 56 78", "sms", False),
            ("+33 6 12 34 56 78", "sms", False),
        ]:
            answer = client.post(
                "/formulaires/rappel",
                data={**fresh(client, "rappel"), **VALID, "telephone": phone, "canal": channel},
                headers={"Accept": "application/json"},
            )
            if error:
                assert answer.status_code == 422
                assert answer.json()["erreurs"]["telephone"] == (
                    "Pour recevoir un SMS, il faut un numéro de portable (06 ou 07). Donne ton "
                    "portable, ou choisis un appel."
                )
            else:
                assert answer.json()["ok"], (phone, answer.text)


def test_a_partner_is_told_formally_that_sms_needs_a_mobile() -> None:
    from forms_backend.intake.forms import FORMS
    from forms_backend.validator.fields import check_form

    referral = {
        **VALID,
        "pro_nom": "Julie Martin",
        "pro_structure": "Centre social Les Deux Rives",
        "pro_contact": "j.martin@deuxrives.example",
        "accord_jeune": "oui",
    }
    landline = check_form(FORMS["orientation"], {**referral, "telephone": "03 83 12 34 56"})
    assert landline.errors == {
        "telephone": "Pour un SMS, il faut un numéro de portable (06 ou 07). Donnez son "
        "portable, ou choisissez un appel."
    }
    assert check_form(FORMS["orientation"], referral).errors == {}


def _status_with_budget(config) -> str:  # type: ignore[no-untyped-def]
    """``forms status`` with the operator's setting ``PORTE_VOIX_SMS_PER_DAY``, on one line."""
    from click.testing import CliRunner

    from forms_backend.cli import forms

    env = {
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
        "PORTE_VOIX_COUNSELLOR_EMAIL": config.counsellor_email,
        "PORTE_VOIX_SMS_PER_DAY": str(config.sms_per_day),
    }
    answer = CliRunner().invoke(forms, ["status"], env=env)
    assert answer.exit_code == 0, answer.output
    return " ".join(answer.output.split())


def test_status_says_how_much_of_the_days_sms_budget_is_spent(tmp_path: Path) -> None:
    """Past ``PORTE_VOIX_SMS_PER_DAY``, « 1 en attente » alone reads like a reminder not due
    yet: the operator is told the budget is spent, and that the SMS wait for it."""
    config = signup_config(tmp_path, sms_per_day=1)
    submit(config, {"evenement": "2030-01-01-atelier"}, form="inscription")
    submit(config, {"evenement": "2030-01-01-atelier", "prenom": "Léo"}, form="inscription")
    before = _status_with_budget(config)
    assert "SMS des dernières 24 heures : 0 sur 1 (PORTE_VOIX_SMS_PER_DAY)" in before
    forward(config)
    assert len(list(config.sms_dir.glob("*.txt"))) == 1
    after = _status_with_budget(config)
    assert "SMS des dernières 24 heures : 1 sur 1 (PORTE_VOIX_SMS_PER_DAY)" in after
    assert "plafond atteint" in after
