"""Settings that cannot be forgotten: a server others can reach refuses to start without them,
and ``porte-voix forms check`` shows every setting, secrets masked, and what is missing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

from .backend import free_port, write_organisation
from .conftest import REPO, new_project

PRODUCTION = {
    "PORTE_VOIX_PUBLIC_URL": "https://www.mission-locale.test",
    "PORTE_VOIX_MAIL_FROM": '"Mission Locale" <porte-voix@mission-locale.test>',
    "PORTE_VOIX_COUNSELLOR_EMAIL": "conseillere@mission-locale.test",
    "PORTE_VOIX_SMTP_URL": "smtp://porte-voix:motdepasse@smtp.mission-locale.test:587",
}
VARIABLES = list(PRODUCTION)


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """This process's environment without any PORTE_VOIX_* but ``settings`` and a database in
    ``tmp_path``."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("PORTE_VOIX_")}
    return {
        **kept,
        "NO_MKDOCS_2_WARNING": "1",
        "PORTE_VOIX_DB": str(tmp_path / "db" / "formulaires.sqlite3"),
        "PORTE_VOIX_SITE_DIR": str(tmp_path / "site"),
        **settings,
    }


def run(args: list[str], env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess:
    """``porte-voix ARGS`` as a real process; a server that starts anyway runs into the timeout."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"porte-voix {' '.join(args)} a démarré sans les réglages de production")


@pytest.mark.parametrize("command", [["forms", "serve"], ["serve"]], ids=["forms-serve", "serve"])
def test_a_reachable_server_refuses_to_start_and_names_every_missing_variable(
    tmp_path: Path, command: list[str]
) -> None:
    project = new_project(tmp_path / "projet")
    extra = ["--config", str(project.root / "mkdocs.yml")] if command == ["serve"] else []
    port = str(free_port())
    result = run([*command, "--host", "0.0.0.0", "--port", port, *extra], environment(tmp_path))
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "le serveur ne démarre pas sur 0.0.0.0 : ces réglages manquent." in message
    for variable in VARIABLES:
        assert f"- {variable} :" in message
    assert not (tmp_path / "db").exists() and not (project.root / "site").exists()


def test_a_sender_at_localhost_is_refused_too(tmp_path: Path) -> None:
    env = environment(tmp_path, **{**PRODUCTION, "PORTE_VOIX_MAIL_FROM": "porte-voix@localhost"})
    result = run(["forms", "serve", "--host", "0.0.0.0", "--port", str(free_port())], env)
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert (
        "- PORTE_VOIX_MAIL_FROM : l'adresse qui envoie les e-mails (elle vaut porte-voix@localhost)"
        in message
    )
    assert "PORTE_VOIX_PUBLIC_URL" not in message and "PORTE_VOIX_COUNSELLOR_EMAIL" not in message


def test_a_link_sent_in_clear_or_mail_left_in_a_folder_is_refused(tmp_path: Path) -> None:
    """Two settings that let a server start and quietly fail everyone: a public address in
    http (the parent's one-time link readable on the way) and no mail server (every e-mail
    written to a folder on the server, read by nobody, kept forever)."""
    settings = {**PRODUCTION, "PORTE_VOIX_PUBLIC_URL": "http://www.mission-locale.test"}
    del settings["PORTE_VOIX_SMTP_URL"]
    result = run(
        ["forms", "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        environment(tmp_path, **settings),
    )
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert (
        "- PORTE_VOIX_PUBLIC_URL : l'adresse publique du site doit commencer par https:// "
        "(elle vaut http://www.mission-locale.test)" in message
    )
    assert "- PORTE_VOIX_SMTP_URL : le serveur de courriel — sans lui, les e-mails" in message
    assert "PORTE_VOIX_MAIL_FROM" not in message and "PORTE_VOIX_COUNSELLOR_EMAIL" not in message


def test_forms_check_shows_the_settings_with_secrets_masked(tmp_path: Path) -> None:
    secrets = {
        "PORTE_VOIX_SMTP_URL": "smtp://envoi:MotDePasseSMTP42@smtp.mission-locale.test:587",
        "PORTE_VOIX_WEBHOOK_URL": "https://crm.test/entree?cle=CleDansLAdresse7",
        "PORTE_VOIX_WEBHOOK_SECRET": "SecretDuWebhook99",
        "PORTE_VOIX_SECRET": "SecretDesJetons31",
        "PORTE_VOIX_SMS_URL": "https://api.brevo.test",
        "PORTE_VOIX_SMS_KEY": "xkeysib-CleSMS58",
        "PORTE_VOIX_SMS_SENDER": "MissionLoc",
    }
    env = environment(tmp_path, **secrets)
    write_organisation(
        tmp_path / "site",
        destinataires={"courriel": "Brevo", "webhook": "Suivi des jeunes", "sms": "Brevo"},
    )
    result = CliRunner().invoke(main, ["forms", "check"], env=env)
    assert result.exit_code == 1
    for secret in (
        "MotDePasseSMTP42",
        "CleDansLAdresse7",
        "SecretDuWebhook99",
        "SecretDesJetons31",
        "CleSMS58",
    ):
        assert secret not in result.output
    lines = result.output.splitlines()
    assert "  PORTE_VOIX_SMTP_URL : smtp://envoi:••••••@smtp.mission-locale.test:587" in lines
    assert "  PORTE_VOIX_WEBHOOK_URL : https://crm.test/entree?••••••" in lines
    assert "  PORTE_VOIX_WEBHOOK_SECRET : ••••••" in lines
    assert "  PORTE_VOIX_SECRET : ••••••" in lines
    # Every setting the README lists, the SMS key masked like the other secrets.
    assert "  PORTE_VOIX_SMS_KEY : ••••••" in lines
    assert "  PORTE_VOIX_SMS_SENDER : MissionLoc" in lines
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"(?m)^\| `(PORTE_VOIX_[A-Z_]+)` \|", readme)
    assert len(listed) > 20
    for variable in listed:
        assert any(line.startswith(f"  {variable} : ") for line in lines), variable
    assert "  téléphone : 03 83 81 00 00" in lines
    missing = result.output[result.output.index("Il manque :") :]
    for variable in VARIABLES:
        assert (f"- {variable} :" in missing) is (variable not in secrets), variable
    complete = CliRunner().invoke(
        main, ["forms", "check"], env=environment(tmp_path, **{**secrets, **PRODUCTION})
    )
    assert complete.exit_code == 0, complete.output
    assert "Tout est réglé pour la mise en ligne." in complete.output


def test_check_says_the_formulaires_setting_no_longer_exists(tmp_path: Path) -> None:
    project = new_project(tmp_path / "projet")
    settings = project.root / "mkdocs.yml"
    config = yaml.safe_load(settings.read_text(encoding="utf-8"))
    (plugin,) = [p for p in config["plugins"] if isinstance(p, dict) and "porte-voix" in p]
    plugin["porte-voix"]["formulaires"] = "/envoi/"
    settings.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = run(["check", "--config", str(settings)], environment(tmp_path))
    assert result.returncode == 1
    assert "le réglage « formulaires » n'existe plus dans mkdocs.yml" in result.stderr
    assert "toujours sous /formulaires/" in result.stderr


def test_the_digest_is_not_sent_to_a_counsellor_at_localhost(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["forms", "digest"], env=environment(tmp_path))
    assert result.exit_code == 1
    assert (
        "PORTE_VOIX_COUNSELLOR_EMAIL n'est pas réglée : à qui envoyer la liste ?" in result.output
    )
    assert not (tmp_path / "db" / "courriels").exists()  # nothing written to the local Maildir


def test_the_build_publishes_the_mission_locales_contact_for_the_backend(sample_site) -> None:  # type: ignore[no-untyped-def]
    path = sample_site.site / "porte-voix" / "organisation.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "version": 1,
        "nom": "Mission Locale du Val de Lorraine",
        "telephone": "03 83 81 00 00",
        "adresse": "1 rue de la Poste, 54700 Pont-à-Mousson",  # the publisher's (editeur)
        "email": "allervers@mission-locale-val-de-lorraine.fr",
        "destinataires": {"courriel": "Brevo (Sendinblue SAS, Paris)", "webhook": "", "sms": ""},
    }
    env = environment(
        Path(sample_site.root), PORTE_VOIX_SITE_DIR=str(sample_site.site), **PRODUCTION
    )
    check = CliRunner().invoke(main, ["forms", "check"], env=env)
    assert check.exit_code == 0, check.output
    assert "  adresse : 1 rue de la Poste, 54700 Pont-à-Mousson" in check.output.splitlines()


def test_forms_check_refuses_a_service_the_privacy_page_does_not_name(tmp_path: Path) -> None:
    # RGPD art. 13: the notice names every recipient. The server may send to a webhook, an SMS
    # provider or an SMTP service only once the published privacy page names it.
    services = {
        "PORTE_VOIX_SMTP_URL": "smtp://envoi:motdepasse@smtp.mission-locale.test:587",
        "PORTE_VOIX_WEBHOOK_URL": "https://crm.test/entree",
        "PORTE_VOIX_WEBHOOK_SECRET": "SecretDuWebhook99",
        "PORTE_VOIX_SMS_URL": "https://api.brevo.com",
        "PORTE_VOIX_SMS_KEY": "CleSMS",
        "PORTE_VOIX_SMS_SENDER": "MissionLoc",
    }
    env = environment(tmp_path, **{**PRODUCTION, **services})
    write_organisation(tmp_path / "site", destinataires={"courriel": "Brevo", "webhook": ""})
    result = CliRunner().invoke(main, ["forms", "check"], env=env)
    assert result.exit_code == 1
    for variable, kind in (("WEBHOOK_URL", "webhook"), ("SMS_URL", "sms")):
        assert (
            f"PORTE_VOIX_{variable} est réglée, mais la page « Données personnelles » ne nomme pas"
        ) in result.output
        assert f"écris son nom sous « destinataires: {kind}: » dans mkdocs.yml" in result.output
    assert "PORTE_VOIX_SMTP_URL est réglée" not in result.output
    named = {"courriel": "Brevo", "webhook": "Suivi des jeunes", "sms": "Brevo SMS"}
    write_organisation(tmp_path / "site", destinataires=named)
    complete = CliRunner().invoke(main, ["forms", "check"], env=env)
    assert complete.exit_code == 0, complete.output


def test_the_built_site_publishes_the_recipients_its_privacy_page_names(tmp_path: Path) -> None:
    from generator.organisation import organisation_file
    from generator.settings import Settings

    settings = Settings.from_mapping(
        "Mission Locale",
        "https://www.mission-locale.test/",
        {"destinataires": {"courriel": "Brevo", "webhook": "Suivi des jeunes"}},
    )
    data = json.loads(organisation_file(settings))
    assert data["destinataires"] == {"courriel": "Brevo", "webhook": "Suivi des jeunes", "sms": ""}


def test_a_server_without_smtp_keeps_nothing_on_its_disk_for_nobody(tmp_path: Path) -> None:
    # Without PORTE_VOIX_SMTP_URL the requests land in a local Maildir that no purge empties and
    # no counsellor reads: a reachable server does not start that way.
    without = {k: v for k, v in PRODUCTION.items() if k != "PORTE_VOIX_SMTP_URL"}
    result = run(
        ["forms", "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        environment(tmp_path, **without),
    )
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "- PORTE_VOIX_SMTP_URL : le serveur de courriel — sans lui, les demandes restent" in (
        message
    )
    assert "la conseillère ne les reçoit pas et rien ne les efface" in message
    for variable in without:
        assert f"- {variable} :" not in message
