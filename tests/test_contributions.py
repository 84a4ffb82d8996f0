"""Contributions from the « Participe » page: real multipart uploads through the real app, a real
SQLite file, a real SMTP server for a parent's consent, then ``porte-voix contributions`` and a
real ``mkdocs build``."""

from __future__ import annotations

import email
import email.policy
import io
import os
import re
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from PIL import Image

from forms_backend.store import retention
from forms_backend.store.retention import french_duration
from generator.cli import main

from .backend import Inbox, client_for, make_config, write_organisation
from .conftest import Project, new_project
from .test_images import phone_photo

ADULT = {
    "prenom": "Inès",
    "age": "19",
    "commune": "Frouard",
    "citation": "Ici, on m'a écoutée.",
    "recit": "J'ai arrêté le lycée. Une conseillère est venue au centre social. Aujourd'hui je suis en BTS.",
    "accord_publication": "oui",
}


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    write_organisation(config.site_dir)
    return config


def contributions(config) -> list[sqlite3.Row]:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(config.database)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute("SELECT * FROM contributions").fetchall()
    finally:
        connection.close()


def send(client, form: str, fields: dict[str, str], photo: bytes | None = None, **kwargs):  # type: ignore[no-untyped-def]
    files = {"photo": ("photo.jpg", photo, "image/jpeg")} if photo is not None else None
    return client.post(f"/formulaires/{form}", data=fields, files=files, **kwargs)


def test_testimonial_with_a_gps_photo_is_kept_without_any_metadata(config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    photo = phone_photo(tmp_path / "telephone.jpg").read_bytes()
    assert b"PhoneMaker" in photo
    with client_for(config) as client:
        answer = send(client, "temoignage", {**ADULT, "accord_photo": "oui"}, photo)
    assert answer.status_code == 303 and answer.headers["location"] == "/merci/contribution/"
    (row,) = contributions(config)
    assert row["status"] == "a_relire" and row["photo_consent"] == 1
    kept = config.uploads / row["photo"]
    assert kept.is_file() and not kept.is_relative_to(config.site_dir)
    data = kept.read_bytes()
    assert b"PhoneMaker" not in data and b"xmpmeta" not in data
    with Image.open(kept) as image:
        assert not image.getexif() and "icc_profile" not in image.info
        assert image.height > image.width  # the phone's rotation applied, then dropped


def bomb() -> bytes:
    """A small PNG that opens into 12 000 × 12 000 pixels."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    return buffer.getvalue()


def truncated(tmp_path: Path) -> bytes:
    return phone_photo(tmp_path / "coupee.jpg").read_bytes()[:4000]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: bomb(), "Cette image est trop grande : 24 millions de pixels au plus."),
        (truncated, "Cette photo est abîmée (incomplète ou illisible). Essaie avec une autre."),
        (
            lambda tmp: b"#!/bin/sh\necho je ne suis pas une photo\n",
            "Ce fichier n'est pas une image. Choisis une photo JPEG, PNG ou WebP.",
        ),
        (
            lambda tmp: os.urandom(10 * 1024 * 1024 + 10),
            "Cette photo est trop lourde : 10 Mo au plus.",
        ),
    ],
    ids=["bombe", "tronquee", "pas-une-image", "trop-lourde"],
)
def test_bad_uploads_are_refused_in_french_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    config, tmp_path: Path, make, message: str
) -> None:
    with client_for(config) as client:
        answer = send(client, "temoignage", {**ADULT, "accord_photo": "oui"}, make(tmp_path))
    assert answer.status_code == 422
    page = BeautifulSoup(answer.text, "html.parser")
    shown = page.select_one("#pv-temoignage-photo-erreur").get_text()
    assert message in shown.translate({0xA0: " ", 0x202F: " "})  # French no-break spaces
    assert page.select_one("#pv-temoignage-recit").get_text() == ADULT["recit"]  # kept
    assert contributions(config) == []
    assert not config.uploads.exists() or not any(config.uploads.iterdir())


def test_each_rule_of_a_testimonial_in_french(config) -> None:  # type: ignore[no-untyped-def]
    with client_for(config) as client:
        answer = send(
            client,
            "temoignage",
            {**ADULT, "age": "16", "citation": "", "accord_publication": ""},
            headers={"Accept": "application/json"},
        )
    assert answer.status_code == 422
    assert answer.json()["erreurs"] == {
        "citation": "Écris une phrase qui résume ton parcours.",
        "email_parent": "Tu as moins de 18 ans : écris l'e-mail d'un de tes parents. On lui demandera son accord.",
        "accord_publication": "Coche cette case : sans ton accord, on ne peut rien publier.",
    }


def test_an_event_proposal_is_checked_then_kept(config) -> None:  # type: ignore[no-untyped-def]
    proposal = {
        "titre": "Tournoi de foot",
        "date": f"{date.today() + timedelta(days=30):%Y-%m-%d}",
        "debut": "14:00",
        "fin": "13:00",
        "lieu": "Stade municipal, rue du Stade",
        "commune": "Frouard",
        "description": "Un tournoi entre jeunes, avec des entreprises.",
        "accord_publication": "oui",
    }
    with client_for(config) as client:
        refused = send(
            client,
            "evenement",
            {**proposal, "date": "2020-01-01"},
            headers={"Accept": "application/json"},
        )
        assert refused.json()["erreurs"] == {
            "date": "Cette date est passée. Propose un événement à venir.",
            "fin": "L'heure de fin doit être après l'heure de début.",
        }
        accepted = send(client, "evenement", {**proposal, "fin": "17:00"})
    assert accepted.status_code == 303
    (row,) = contributions(config)
    assert row["kind"] == "evenement" and row["status"] == "a_relire"


def parent_link(inbox: Inbox) -> str:
    (mail,) = inbox.messages
    assert (
        mail["To"] == "parent@exemple.fr" and mail["Subject"] == "Votre accord pour un témoignage"
    )
    body = mail.get_content()
    assert "Léa a écrit un témoignage" in body
    # RGPD art. 14: the address came from the young person; the letter says so, how long it
    # is kept, and where the parent's rights are written.
    plain = " ".join(body.replace("\u202f", " ").replace("\xa0", " ").split())
    assert "Léa a donné votre adresse e-mail" in plain
    assert f"au plus tard {french_duration(retention.CONTRIBUTIONS)} après l'envoi" in plain
    assert "http://127.0.0.1:8000/donnees-personnelles/" in body
    return re.search(r"http://127\.0\.0\.1:8000(/formulaires/accord-parent\?jeton=\S+)", body)[1]


def accepting(token: str, authority: str = "accord-autre-parent") -> dict[str, str]:
    """What a parent posts with « J'accepte »."""
    return {"jeton": token, "reponse": "accepte", "autorite": authority}


def test_a_minor_waits_for_a_parent_who_confirms_through_the_link(config, smtp) -> None:  # type: ignore[no-untyped-def]
    config = replace(config, smtp_url=smtp.url)
    minor = {**ADULT, "prenom": "Léa", "age": "16", "email_parent": "parent@exemple.fr"}
    with client_for(config) as client:
        assert send(client, "temoignage", minor).status_code == 303
        (row,) = contributions(config)
        assert row["status"] == "attente_parent"
        client.app.state.backend.letters.deliver_due()
        link = parent_link(smtp)
        page = client.get(link)
        assert page.status_code == 200
        assert "Ici, on m'a écoutée." in BeautifulSoup(page.text, "html.parser").get_text()
        assert "J'accepte" in page.text and "Je refuse" in page.text
        token = re.search(r"jeton=(\S+)", link)[1]
        done = client.post("/formulaires/accord-parent", data=accepting(token))
        assert done.status_code == 200 and "votre accord est enregistré" in done.text
        again = client.get(link)
        assert again.status_code == 404 and "Ce lien n'est pas valable" in again.text
    (row,) = contributions(config)
    assert row["status"] == "a_relire" and row["guardian_confirmed_at"]
    assert row["guardian_email"] == "parent@exemple.fr"  # the proof: who, and when
    assert row["guardian_token_hash"] is None
    assert config.database.read_bytes().count(token.encode()) == 0  # only a hash was ever kept


def test_an_expired_link_is_refused_and_nothing_changes(config, smtp) -> None:  # type: ignore[no-untyped-def]
    config = replace(config, smtp_url=smtp.url)
    minor = {**ADULT, "prenom": "Léa", "age": "16", "email_parent": "parent@exemple.fr"}
    with client_for(config) as client:
        send(client, "temoignage", minor)
        client.app.state.backend.letters.deliver_due()
        link = parent_link(smtp)
        with sqlite3.connect(config.database) as db:  # eight days later
            db.execute(
                "UPDATE contributions SET guardian_expires_at = '2000-01-01T00:00:00.000+00:00'"
            )
        page = client.get(link)
        assert page.status_code == 410 and "Ce lien a expiré" in page.text
        token = re.search(r"jeton=(\S+)", link)[1]
        assert client.post("/formulaires/accord-parent", data=accepting(token)).status_code == 410
    (row,) = contributions(config)
    assert row["status"] == "attente_parent"


XSS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[clique](javascript:alert(1))",
    "[clique](&#106;avascript:alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '[x](https://exemple.fr){ onclick="alert(1)" }',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
]


def backend_env(config) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_UPLOADS": str(config.uploads),
        "PORTE_VOIX_MAILDIR": str(config.maildir),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
    }


def executable_bits(page: BeautifulSoup) -> list[str]:
    found = [
        str(tag)[:80]
        for tag in page.select(
            "article script, article iframe, article svg, article object, article embed, article style"
        )
    ]
    for tag in page.select("article *"):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if (
                name.startswith("on")
                or "javascript:" in text.replace("\t", "").lower()
                or name == "style"
            ):
                found.append(f"{tag.name} {name}={text[:60]}")
    return found


def test_a_parents_address_stays_out_of_the_published_file_as_a_fingerprint(  # type: ignore[no-untyped-def]
    config, smtp, tmp_path: Path
) -> None:
    config = replace(config, smtp_url=smtp.url)
    minor = {**ADULT, "prenom": "Léa", "age": "16", "email_parent": "parent@exemple.fr"}
    with client_for(config) as client:
        assert send(client, "temoignage", minor).status_code == 303
        client.app.state.backend.letters.deliver_due()
        token = re.search(r"jeton=(\S+)", parent_link(smtp))[1]
        assert client.post("/formulaires/accord-parent", data=accepting(token)).status_code == 200
    project = new_project(tmp_path / "site")
    env = backend_env(config)
    ident = re.search(
        r"^([0-9a-f]{8}) ",
        CliRunner().invoke(main, ["contributions", "list"], env=env).output,
        re.M,
    )[1]
    accepted = CliRunner().invoke(
        main,
        ["contributions", "accept", ident, "--config", str(project.root / "mkdocs.yml")],
        env=env,
    )
    assert accepted.exit_code == 0, accepted.output
    assert "À corriger" not in accepted.output  # the proof line is valid content
    written = next((project.root / "content" / "temoignages").glob("lea*.md")).read_text()
    assert "parent@exemple.fr" not in written and "exemple.fr" not in written
    assert "par: un parent, avec l'accord déclaré de l'autre\n" in written

    def fingerprint(address: str) -> str:
        result = CliRunner().invoke(main, ["contributions", "empreinte", address], env=env)
        assert result.exit_code == 0, result.output
        return re.search(r"Empreinte de cette adresse : ([0-9a-f]{16})", result.output)[1]

    # Staff asked to show where the consent link went can check an address against the file.
    assert f"envoyé à l'adresse d'empreinte {fingerprint(' Parent@Exemple.fr ')}" in written
    assert fingerprint("autre.parent@exemple.fr") not in written


def test_accepted_contributions_publish_without_anything_executable(config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    payload = " ".join(XSS)
    testimony = {
        **ADULT,
        "prenom": "Inès<script>alert(1)</script>",
        "commune": "Frouard",
        "citation": "Ici <img src=x onerror=alert(1)> on m'a écoutée.",
        "recit": f"Mon histoire.\n\n**Fin.**\n\n{payload}",
        "email": "ines@exemple.fr",
    }
    proposal = {
        "titre": "Tournoi <script>alert(1)</script>",
        "date": f"{date.today() + timedelta(days=30):%Y-%m-%d}",
        "debut": "14:00",
        "fin": "17:00",
        "lieu": "Stade <svg/onload=alert(1)>",
        "commune": "Frouard",
        "description": payload,
        "accord_publication": "oui",
    }
    with client_for(config) as client:
        assert send(client, "temoignage", testimony).status_code == 303
        assert send(client, "evenement", proposal).status_code == 303
    project = new_project(tmp_path / "site")
    env = backend_env(config)
    listing = CliRunner().invoke(main, ["contributions", "list"], env=env).output
    idents = re.findall(r"^([0-9a-f]{8}) ", listing, re.M)
    assert len(idents) == 2
    for ident in idents:
        result = CliRunner().invoke(
            main,
            ["contributions", "accept", ident, "--config", str(project.root / "mkdocs.yml")],
            env=env,
        )
        assert result.exit_code == 0, result.output
        assert "git add content/" in result.output
    assert contributions(config) == []  # accepted: nothing personal stays in the backend
    build = project.build()
    assert build.returncode == 0, build.stderr
    testimonial_page = next((project.site / "temoignages").glob("*/index.html"))
    event_page = next(p for p in (project.site / "evenements").glob("*/index.html"))
    for path in (testimonial_page, event_page):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert executable_bits(page) == [], path
    story = BeautifulSoup(testimonial_page.read_text(encoding="utf-8"), "html.parser")
    assert "Mon histoire." in story.select_one(".pv-contribution").get_text()
    assert story.select_one(".pv-contribution strong").get_text() == "Fin."
    forward = CliRunner().invoke(main, ["forms", "forward"], env=env)
    assert forward.exit_code == 0, forward.output
    (notice,) = list((config.maildir / "new").iterdir())  # the contributor is told
    mail = email.message_from_bytes(notice.read_bytes(), policy=email.policy.default)
    assert mail["To"] == "ines@exemple.fr" and mail["Subject"] == "Ta contribution va être publiée"


def test_reject_deletes_the_contribution_and_its_photo(config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    photo = phone_photo(tmp_path / "p.jpg").read_bytes()
    with client_for(config) as client:
        send(
            client,
            "temoignage",
            {**ADULT, "accord_photo": "oui", "email": "ines@exemple.fr"},
            photo,
        )
    (row,) = contributions(config)
    env = backend_env(config)
    result = CliRunner().invoke(
        main, ["contributions", "reject", row["id"][:8], "--why", "Texte trop court"], env=env
    )
    assert result.exit_code == 0, result.output
    assert contributions(config) == [] and not any(config.uploads.iterdir())
    with client_for(config) as client:
        client.app.state.backend.letters.deliver_due()
    (notice,) = list((config.maildir / "new").iterdir())
    mail = email.message_from_bytes(notice.read_bytes(), policy=email.policy.default)
    assert mail["Subject"] == "Ta contribution n'a pas été publiée"
    assert "La raison : Texte trop court" in mail.get_content()
    status = CliRunner().invoke(main, ["forms", "status"], env=env).output
    assert "Contributions à relire : 0" in status


def test_contributions_sent_90_days_ago_are_purged_with_their_photos(
    config, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    photo = phone_photo(tmp_path / "p.jpg").read_bytes()
    with client_for(config) as client:
        send(client, "temoignage", {**ADULT, "accord_photo": "oui"}, photo)
        send(client, "temoignage", ADULT)
    with sqlite3.connect(config.database) as db:
        db.execute(
            "UPDATE contributions SET created_at = '2020-01-01T00:00:00.000+00:00' WHERE photo IS NOT NULL"
        )
    status = CliRunner().invoke(main, ["forms", "status"], env=backend_env(config)).output
    assert "Contributions à relire : 2" in status
    result = CliRunner().invoke(main, ["forms", "purge"], env=backend_env(config))
    assert "1 contribution(s) non publiée(s) envoyée(s) il y a plus de 90 jours" in result.output
    assert len(contributions(config)) == 1 and not any(config.uploads.iterdir())


def test_the_participate_page_has_both_forms_with_their_information(sample_site: Project) -> None:
    page = sample_site.page("participer/")
    testimony = page.select_one('form[data-pv-form="temoignage"]')
    assert testimony["enctype"] == "multipart/form-data"
    assert testimony.select_one('input[type="file"]')["accept"] == "image/jpeg,image/png,image/webp"
    assert testimony.select_one("textarea#pv-temoignage-recit") is not None
    assert "relue" in testimony.get_text() or "relecture" in testimony.get_text()
    proposal = page.select_one('form[data-pv-form="evenement"]')
    assert proposal.select_one('input[type="date"]') is not None
    for form in (testimony, proposal):
        for field in form.select("input:not([type=hidden]), textarea"):
            if field.get("name") == "site_web":
                continue
            assert form.select_one(f'label[for="{field["id"]}"]') is not None, field


def test_show_gives_the_whole_contribution_and_writing_hints(config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    long_story = (
        "Grâce au dispositif, " + "je suis allée chaque semaine voir la conseillère " * 3 + "."
    )
    with client_for(config) as client:
        send(client, "temoignage", {**ADULT, "recit": long_story})
    (row,) = contributions(config)
    project = new_project(tmp_path / "site")
    result = CliRunner().invoke(
        main,
        ["contributions", "show", row["id"][:8], "--config", str(project.root / "mkdocs.yml")],
        env=backend_env(config),
    )
    assert result.exit_code == 0, result.output
    assert "Témoignage n° " in result.output and "à relire" in result.output
    assert "citation : Ici, on m'a écoutée." in result.output
    assert "recit : conseil : « dispositif » est du jargon" in result.output
    assert "recit : conseil : une phrase de" in result.output


def test_a_contribution_sent_too_fast_comes_back_and_goes_at_once(tmp_path: Path) -> None:
    config = make_config(tmp_path, uploads=tmp_path / "contributions", min_fill_seconds=30.0)
    with client_for(config) as client:
        token = client.get("/formulaires/jeton", params={"formulaire": "temoignage"}).json()
        first = send(client, "temoignage", {**ADULT, "jeton": token["jeton"]})
        assert first.status_code == 200  # never a fake « merci »
        page = BeautifulSoup(first.text, "html.parser")
        assert "Encore une étape" in page.find(class_="pv-form-notice").get_text()
        assert page.find(id="pv-temoignage-citation")["value"] == ADULT["citation"]
        assert contributions(config) == []
        again = page.find("form").find("input", attrs={"name": "jeton"})["value"]
        second = send(client, "temoignage", {**ADULT, "jeton": again})
    assert second.status_code == 303
    assert len(contributions(config)) == 1
    connection = sqlite3.connect(config.database)
    try:
        assert connection.execute("SELECT count(*) FROM spam").fetchone()[0] == 0
    finally:
        connection.close()
