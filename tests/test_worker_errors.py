"""A programming error in the worker is seen, never hidden: its traceback in the journal (without
what a person typed), a permanent failure shown by ``forms status`` instead of 32 hours of
retries, and the rest of the pass done anyway. Real SQLite file, real SMTP server."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from forms_backend.app import _one_pass, create_app
from forms_backend.cli import forms

from .backend import make_config
from .test_forwarding import forward, outbox, submit


def corrupt_form(config, submission_id: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """A row the code cannot handle (as after a faulty migration or a hand edit)."""
    with sqlite3.connect(config.database) as db:
        db.execute("UPDATE submissions SET form = ? WHERE id = ?", (value, submission_id))


def test_an_unforeseen_error_is_a_dead_letter_with_its_reason_and_a_traceback_without_data(
    tmp_path: Path, smtp, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    config = replace(make_config(tmp_path), smtp_url=smtp.url)
    broken = submit(config, {"prenom": "Anaïs"})
    submit(config, {"prenom": "Inès"})
    corrupt_form(config, broken, "Anaïs")  # the lookup fails with KeyError('Anaïs')
    with caplog.at_level(logging.ERROR, logger="porte_voix"):
        report = forward(config)
    assert (report.sent, report.dead, report.retried) == (1, 1, 0)  # the other one went
    assert [m["Subject"] for m in smtp.messages] == ["[Aller vers] Demande de rappel — Frouard"]
    dead = next(row for row in outbox(config) if row["state"] == "dead")
    assert "erreur imprévue (KeyError)" in dead["last_error"]
    journal = caplog.text
    assert "Traceback (most recent call last)" in journal and "counsellor_email" in journal
    assert "Anaïs" not in journal and "Inès" not in journal
    status = CliRunner().invoke(forms, ["status"], env={"PORTE_VOIX_DB": str(config.database)})
    assert "erreur imprévue (KeyError) : voir le journal du serveur" in status.output


def test_one_failing_job_never_stops_the_rest_of_a_pass(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_config(tmp_path)
    submit(config)
    app = create_app(config, run_worker=False)
    backend = app.state.backend
    with sqlite3.connect(config.database) as db:
        db.execute("DROP TABLE outbox")  # the forwarder's every query now fails
        db.execute(
            "INSERT INTO contributions (id, kind, status, fields, consent_at, created_at,"
            " updated_at) VALUES ('old', 'temoignage', 'a_relire', '{}', ?, ?, ?)",
            ("2000-01-01T00:00:00.000+00:00",) * 3,
        )
    with caplog.at_level(logging.ERROR, logger="porte_voix"):
        _one_pass(backend)
    backend.committer.stop()
    assert "les envois à la conseillère et aux jeunes : échec de ce passage" in caplog.text
    assert "Traceback (most recent call last)" in caplog.text
    with sqlite3.connect(config.database) as db:  # the purge ran after the failure
        assert db.execute("SELECT count(*) FROM contributions").fetchone()[0] == 0
