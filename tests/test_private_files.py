"""Personal data on disk is readable by its owner only (RGPD art. 32), whatever the umask: the
database (and so its WAL), a CSV export and a testimonial's photo, written by the real CLI and the
real app, then read back with ``stat``."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from generator.cli import main

from .backend import client_for, make_config, write_organisation
from .test_contributions import ADULT, backend_env


@pytest.fixture(autouse=True)
def generous_umask() -> Iterator[None]:
    """A server's usual umask: new files readable by every account unless the code says not."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def others_can_read(path: Path) -> bool:
    return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)


def test_the_database_and_an_export_are_for_their_owner_only(tmp_path: Path) -> None:
    config = make_config(tmp_path / "donnees")
    export = tmp_path / "partage" / "demandes.csv"
    export.parent.mkdir()
    result = CliRunner().invoke(
        main, ["forms", "export", "--csv", str(export)], env=backend_env(config)
    )
    assert result.exit_code == 0, result.output
    assert export.read_text(encoding="utf-8-sig").startswith("Référence;")
    assert not others_can_read(export)
    assert "le serveur ne l'efface pas. Supprime-le dès qu'il a servi (3 ans au plus" in (
        result.output
    )
    assert not others_can_read(config.database)


def test_a_database_left_readable_by_an_earlier_version_is_closed(tmp_path: Path) -> None:
    config = make_config(tmp_path / "donnees")
    config.database.parent.mkdir(parents=True, exist_ok=True)
    config.database.touch(mode=0o644)
    result = CliRunner().invoke(main, ["forms", "status"], env=backend_env(config))
    assert result.exit_code == 0, result.output
    assert not others_can_read(config.database)


def test_a_testimonials_photo_is_for_the_server_only(tmp_path: Path) -> None:
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    write_organisation(config.site_dir)
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 40)).save(photo, "JPEG")
    with client_for(config) as client:
        answer = client.post(
            "/formulaires/temoignage",
            data={**ADULT, "accord_photo": "oui"},
            files={"photo": ("photo.jpg", photo.getvalue(), "image/jpeg")},
        )
    assert answer.status_code == 303, answer.text
    (kept,) = config.uploads.glob("*.jpg")
    assert not others_can_read(kept)
    assert not others_can_read(config.uploads)
