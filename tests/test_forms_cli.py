"""The counsellor's tools: CSV export, retention purge, statistics — on a real database."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from forms_backend.cli import forms, parse_age
from forms_backend.store.export import neutralise

from .backend import VALID, client_for, fresh, make_config, manifest_event, write_manifest


def fill(config, people: list[dict[str, str]], form: str = "rappel") -> None:  # type: ignore[no-untyped-def]
    with client_for(config) as client:
        for person in people:
            answer = client.post(
                f"/formulaires/{form}",
                data={**fresh(client, form), **VALID, **person},
                headers={"Accept": "application/json"},
            )
            assert answer.json()["ok"], answer.text


def cli(config, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        forms,
        list(args),
        env={"PORTE_VOIX_DB": str(config.database), "PORTE_VOIX_SITE_DIR": str(config.site_dir)},
    )


def test_csv_export_opens_in_a_spreadsheet_and_runs_no_formula(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    fill(
        config,
        [
            {"prenom": '=HYPERLINK("http://x")', "commune": "@SUM(A1)"},
            {"prenom": "Léa", "commune": "-2+3"},
        ],
    )
    target = tmp_path / "export.csv"
    result = cli(config, "export", "--csv", str(target))
    assert result.exit_code == 0, result.output
    assert "2 demande(s) exportée(s)" in result.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet software reads UTF-8
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0]["Prénom"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["Commune"] == "'@SUM(A1)"
    assert rows[1]["Commune"] == "'-2+3"
    assert rows[1]["Prénom"] == "Léa"
    assert rows[0]["Téléphone"] == "06 12 34 56 78"
    assert rows[0]["Source"] == "flyer-a5"


def test_neutralise_every_dangerous_start() -> None:
    assert [neutralise(v) for v in ["=1", "+1", "-1", "@a", "\tx", "ok", None, 19]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "ok",
        "",
        "19",
    ]


def test_purge_deletes_old_submissions_and_their_outbox_rows(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    fill(config, [{"prenom": "Ancien"}, {"prenom": "Récent"}])
    connection = sqlite3.connect(config.database)
    with connection:
        connection.execute(
            "UPDATE submissions SET last_contact_at = '2022-01-01T00:00:00.000+00:00' WHERE first_name = 'Ancien'"
        )
    result = cli(config, "purge", "--older-than", "3y")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Effacés : 1 demande(s)")
    with connection:
        names = [r[0] for r in connection.execute("SELECT first_name FROM submissions")]
        outbox = connection.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    connection.close()
    assert names == ["Récent"] and outbox == 1


def test_purge_durations() -> None:
    assert parse_age("3y").days == 3 * 365
    assert parse_age("18m").days == 540
    assert parse_age("90j").days == 90
    bad = CliRunner().invoke(
        forms,
        ["purge", "--older-than", "trois ans"],
        env={"PORTE_VOIX_DB": "/nonexistent/x.sqlite3"},
    )
    assert bad.exit_code != 0 and "écris une durée comme 3y" in bad.output


def test_stats_count_without_personal_data(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    write_manifest(config.site_dir, [manifest_event("2030-01-01-forum", places=1)])
    fill(config, [{"commune": "Pompey", "source": "partenaire-mjc-pompey"}, {"commune": "Frouard"}])
    fill(
        config,
        [
            {"evenement": "2030-01-01-forum"},
            {"evenement": "2030-01-01-forum", "telephone": "0700000000"},
        ],
        form="inscription",
    )
    result = cli(config, "stats")
    assert result.exit_code == 0, result.output
    assert "Par formulaire :\n  inscription : 2\n  rappel : 2" in result.output
    assert "  2030-01-01-forum : 2" in result.output
    assert "  Frouard : 3\n  Pompey : 1" in result.output
    assert "  partenaire-mjc-pompey : 1" in result.output
    assert "  liste_attente : 1" in result.output
    assert "Inès" not in result.output and "06 12" not in result.output


def test_bad_setting_is_explained_in_french(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        forms,
        ["status"],
        env={"PORTE_VOIX_DB": str(tmp_path / "x.db"), "PORTE_VOIX_SMTP_URL": "http://mail"},
    )
    assert result.exit_code != 0
    assert "PORTE_VOIX_SMTP_URL doit commencer par smtp:// ou smtps://" in result.output


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PORTE_VOIX_COUNSELLOR_EMAIL", "a@ml.fr, b@ml.fr", "doit être une seule adresse"),
        ("PORTE_VOIX_COUNSELLOR_EMAIL", "Julie <julie@ml.fr>", "doit être une seule adresse"),
        ("PORTE_VOIX_MAIL_FROM", "Équipe, Aller vers <p@ml.fr>", "doit être une adresse"),
    ],
)
def test_a_mail_setting_that_is_not_one_address_is_explained_in_french(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    env = {"PORTE_VOIX_DB": str(tmp_path / "x.db"), name: value}
    result = CliRunner().invoke(forms, ["status"], env=env)
    assert result.exit_code != 0 and f"{name} {message}" in result.output
