"""Retention that runs by itself: the server's own purge pass on a real SQLite file, what
``forms status`` announces, and the testimonials' age range."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from forms_backend.app import _purge
from forms_backend.cli import forms
from forms_backend.intake.forms import MAX_AGE, MIN_AGE
from forms_backend.outbox.sms import write_sms_file
from forms_backend.store import retention
from forms_backend.typography import french_spacing
from generator.content.testimonials import MAX_AGE as CONTENT_MAX_AGE
from generator.content.testimonials import MIN_AGE as CONTENT_MIN_AGE

from .backend import client_for, make_config
from .test_content_errors import make_testimonial, problems_in
from .test_contributions import ADULT, send
from .test_forms_cli import fill
from .test_images import phone_photo

LONG_AGO = "2020-01-01T00:00:00.000+00:00"


def rows(config, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(config.database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def age(config, sql: str) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(config.database) as db:
        db.execute(sql)


def filled(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A database with one of each kind of row, the first of each dated long ago."""
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    fill(config, [{"prenom": "Ancien"}, {"prenom": "Récent"}])
    photo = phone_photo(tmp_path / "p.jpg").read_bytes()
    with client_for(config) as client:
        send(client, "temoignage", {**ADULT, "prenom": "Vieux", "accord_photo": "oui"}, photo)
        send(client, "temoignage", {**ADULT, "prenom": "Neuf"})
        minor = {**ADULT, "prenom": "Léa", "age": "16", "email_parent": "parent@exemple.fr"}
        send(client, "temoignage", minor)
        client.app.state.backend.store.record_spam("rappel", "champ piège rempli", {"a": "1"})
    # Sent long ago but updated just now (a parent's late agreement): still past 90 days.
    age(
        config, f"UPDATE submissions SET last_contact_at = '{LONG_AGO}' WHERE first_name = 'Ancien'"
    )
    age(
        config,
        f"UPDATE contributions SET created_at = '{LONG_AGO}', updated_at = '{datetime.now(UTC).isoformat()}' "
        "WHERE fields LIKE '%Vieux%'",
    )
    # The parent's letter could not be delivered: a dead letter, with an address, long ago.
    age(config, f"UPDATE letters SET state = 'dead', created_at = '{LONG_AGO}'")
    age(config, f"UPDATE spam SET received_at = '{LONG_AGO}'")
    return config


def test_the_servers_own_pass_purges_everything_past_its_age(tmp_path: Path) -> None:
    config = filled(tmp_path)
    assert len(list(config.uploads.iterdir())) == 1
    with client_for(config) as client:
        backend = client.app.state.backend
        removed = _purge(backend)
        assert removed is not None
        assert (removed.submissions, removed.contributions, removed.letters, removed.spam) == (
            1,
            1,
            1,
            1,
        )
        # Not due again before PURGE_EVERY; due once the clock has moved past it.
        assert _purge(backend) is None
        later = datetime.now(UTC) + retention.PURGE_EVERY + timedelta(minutes=1)
        assert _purge(backend, later) is not None
    assert rows(config, "SELECT first_name FROM submissions") == [("Récent",)]
    assert rows(config, "SELECT COUNT(*) FROM outbox") == [(1,)]
    names = sorted(
        r[0] for r in rows(config, "SELECT json_extract(fields, '$.prenom') FROM contributions")
    )
    assert names == ["Léa", "Neuf"]
    assert not any(config.uploads.iterdir())  # the photo went with its contribution
    assert rows(config, "SELECT COUNT(*) FROM letters") == [(0,)]
    assert rows(config, "SELECT COUNT(*) FROM spam") == [(0,)]
    # The parent's address is left only on Léa's own contribution, still within its 90 days.
    assert rows(
        config, "SELECT guardian_email FROM contributions WHERE guardian_email IS NOT NULL"
    ) == [("parent@exemple.fr",)]


def test_a_contribution_is_purged_90_days_after_it_was_sent_not_after_its_last_change(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    with client_for(config) as client:
        send(client, "temoignage", ADULT)
        backend = client.app.state.backend
        sent = datetime.fromisoformat(rows(config, "SELECT created_at FROM contributions")[0][0])
        # Updated at day 89 (as a parent's agreement does): the purge at day 91 removes it anyway.
        day_89 = (sent + retention.CONTRIBUTIONS - timedelta(days=1)).isoformat()
        age(config, f"UPDATE contributions SET updated_at = '{day_89}'")
        assert _purge(backend, sent + retention.CONTRIBUTIONS - timedelta(hours=1)) is not None
        assert rows(config, "SELECT COUNT(*) FROM contributions") == [(1,)]
        removed = _purge(backend, sent + retention.CONTRIBUTIONS + timedelta(days=1))
        assert removed is not None and removed.contributions == 1
    assert rows(config, "SELECT COUNT(*) FROM contributions") == [(0,)]


def status(config) -> str:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        forms,
        ["status"],
        env={"PORTE_VOIX_DB": str(config.database), "PORTE_VOIX_SITE_DIR": str(config.site_dir)},
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_forms_status_shows_the_next_purge_and_what_it_will_remove(tmp_path: Path) -> None:
    config = filled(tmp_path)
    before = status(config)
    assert "Prochaine purge (faite par le serveur) : au démarrage du serveur" in before
    assert (
        "elle effacera : 1 demande(s) de plus de 3 ans sans contact, 1 contribution(s) non "
        "publiée(s) envoyée(s) il y a plus de 90 jours, 1 lettre(s) non remise(s) de plus de "
        "30 jours, 1 spam(s) de plus de 30 jours"
    ) in before
    with client_for(config) as client:
        _purge(client.app.state.backend)
    after = status(config)
    ran = datetime.fromisoformat(rows(config, "SELECT ran_at FROM purges")[0][0])
    expected = (ran + retention.PURGE_EVERY).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Paris")
    )
    assert f"Prochaine purge (faite par le serveur) : le {expected:%d/%m/%Y à %H:%M}" in after
    assert "elle effacera : 0 demande(s)" in after and "0 lettre(s)" in after


def test_testimonials_are_from_16_to_29_in_the_form_and_in_content(tmp_path: Path) -> None:
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    message = (
        "Les témoignages sont ceux des jeunes de 16 à 29 ans, le public de la Mission Locale. "
        "Tu peux quand même nous appeler ou nous écrire."
    )
    with client_for(config) as client:
        for refused in ("15", "30"):
            answer = send(
                client,
                "temoignage",
                {**ADULT, "age": refused, "email_parent": "parent@exemple.fr"},
                headers={"Accept": "application/json"},
            )
            assert answer.status_code == 422
            assert answer.json()["erreurs"] == {"age": french_spacing(message)}
        assert send(client, "temoignage", {**ADULT, "age": "29"}).status_code == 303
    assert (CONTENT_MIN_AGE, CONTENT_MAX_AGE) == (MIN_AGE, MAX_AGE) == (16, 29)
    problems = problems_in(
        tmp_path / "site-content", {"temoignages/lea.md": make_testimonial(age=15)}
    )
    assert any("« age » vaut 15 — écris un nombre entre 16 et 29" in p for p in problems)


def test_the_running_server_purges_without_any_cron_job(tmp_path: Path) -> None:
    config = filled(tmp_path)
    with client_for(config, run_worker=True):
        deadline = time.monotonic() + 60
        while not rows(config, "SELECT COUNT(*) FROM purges")[0][0]:
            assert time.monotonic() < deadline, "the worker never purged"
            time.sleep(0.1)
    assert rows(config, "SELECT first_name FROM submissions") == [("Récent",)]
    assert rows(config, "SELECT COUNT(*) FROM letters") == [(0,)]


def test_what_the_purge_deletes_is_gone_from_the_database_file_and_its_log(tmp_path: Path) -> None:
    """While the server runs: secure_delete zeroes the file's pages, but the write-ahead log
    kept the purged story and the parent's address until something emptied it."""
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    story = "Au centre social, Zorglubette a trouvé son stage."
    with client_for(config) as client:
        minor = {**ADULT, "prenom": "Léa", "age": "16", "recit": story}
        send(client, "temoignage", {**minor, "email_parent": "parent-zorg@exemple.fr"})
        backend = client.app.state.backend
        wal = config.database.with_name(config.database.name + "-wal")

        def on_disk() -> bytes:
            return config.database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

        assert story.encode() in on_disk()
        removed = _purge(backend, datetime.now(UTC) + retention.CONTRIBUTIONS + timedelta(days=1))
        assert removed is not None and removed.contributions == 1 and removed.letters == 1
        stored = on_disk()  # the server still running, its connections open
        assert story.encode() not in stored and b"parent-zorg" not in stored


def test_sms_files_written_without_a_provider_are_purged_after_30_days(tmp_path: Path) -> None:
    # Without PORTE_VOIX_SMS_URL each confirmation SMS (a phone number and its text) is a file in
    # PORTE_VOIX_SMS_DIR: the server's purge removes it at its age, and forms status says so.
    config = make_config(tmp_path)
    old = write_sms_file(config.sms_dir, "+33612345678", "MissionLoc", "Bonjour Inès, …")
    new = write_sms_file(config.sms_dir, "+33698765432", "MissionLoc", "Bonjour Kevin, …")
    written = time.time() - retention.UNSENT_SMS.total_seconds() - 3600
    os.utime(old, (written, written))
    env = {
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
        "PORTE_VOIX_SMS_DIR": str(config.sms_dir),
    }
    announced = CliRunner().invoke(forms, ["status"], env=env).output
    assert "1 SMS non envoyé(s) (fichiers) de plus de 30 jours" in announced
    with client_for(config) as client:
        removed = _purge(client.app.state.backend)
    assert removed is not None and removed.sms_files == 1
    assert not old.exists() and new.exists()
