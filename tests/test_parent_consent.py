"""A parent's consent for a minor's testimonial, as collected: the letter (written when sent,
with the Mission Locale's contact), the page with « J'accepte » and « Je refuse » and the
declaration of parental authority, no link at rest — through the real app, a real SQLite file
and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from generator.cli import main

from .backend import Inbox, client_for, make_config, write_organisation
from .conftest import new_project
from .test_contributions import ADULT, backend_env, contributions, send
from .test_images import phone_photo

PARIS = ZoneInfo("Europe/Paris")
MINOR = {
    **ADULT,
    "prenom": "Léa",
    "age": "16",
    "commune": "Pompey",
    "email_parent": "parent@exemple.fr",
}
LINK = re.compile(r"http://127\.0\.0\.1:8000/formulaires/accord-parent\?jeton=(\S+)")
DAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche"
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


@pytest.fixture
def config(tmp_path: Path, smtp: Inbox):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions", smtp_url=smtp.url)
    write_organisation(config.site_dir)
    return config


def letter_text(inbox: Inbox, index: int = -1) -> str:
    mail = inbox.messages[index]
    assert mail["To"] == "parent@exemple.fr"
    return mail.get_content()


def token_of(text: str) -> str:
    return LINK.search(text)[1]


def stored_bytes(config) -> bytes:  # type: ignore[no-untyped-def]
    """The database file and its write-ahead log, as a copy of the disk would hold them."""
    wal = config.database.with_name(config.database.name + "-wal")
    return config.database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_the_letter_says_who_writes_what_is_published_until_when_and_how_to_check(  # type: ignore[no-untyped-def]
    config, smtp, tmp_path: Path
) -> None:
    photo = phone_photo(tmp_path / "p.jpg").read_bytes()
    with client_for(config) as client:
        assert (
            send(client, "temoignage", {**MINOR, "accord_photo": "oui"}, photo).status_code == 303
        )
        before = datetime.now(PARIS)
        client.app.state.backend.letters.deliver_due()
    (mail,) = smtp.messages
    assert mail["Subject"] == "Votre accord pour un témoignage"
    text = re.sub(r"[ \r\n]+", " ", letter_text(smtp))  # the body is wrapped at 78 columns
    assert text.startswith("Bonjour, Nous sommes la Mission Locale du Val de Lorraine.")
    assert "Léa a écrit un témoignage pour notre site internet" in text
    assert "Léa a moins de 18\u00a0ans\u00a0: nous avons besoin de votre accord" in text
    for item in (
        "son prénom\u00a0: Léa",
        "son âge\u00a0: 16\u00a0ans",
        "sa commune\u00a0: Pompey",
        "sa photo",
    ):
        assert item in text
    assert (
        "Nous ne publions rien sans votre réponse. Si vous ne faites rien, rien ne sera publié."
        in text
    )
    expiry = before + timedelta(days=7)
    written = re.search(
        # Spaces inside a date are non-breaking (French typography): « 8 décembre 2026 ».
        r"Ce lien marche jusqu'au (\w+)\s(\w+)\s(\w+)\s(\d{4})\sà\s(\d+)\u00a0h\u00a0\d\d\.",
        text,
    )
    assert written[1] == DAYS.split()[expiry.weekday()]
    assert written[2] == ("1er" if expiry.day == 1 else str(expiry.day))
    assert (written[3], written[4]) == (MONTHS.split()[expiry.month - 1], str(expiry.year))
    assert "Vous pourrez retirer votre accord plus tard, à tout moment." in text
    assert "Par téléphone\u00a0: 03 83 81 00 00" in text
    assert "Par courrier\u00a0: 1\u00a0place Saint-Antoine, 54700 Pont-à-Mousson" in text
    assert letter_text(smtp).rstrip().endswith("\nLa Mission Locale du Val de Lorraine")
    assert "Aller vers" not in text and " tu " not in text and " ton " not in text


def test_no_letter_leaves_without_the_mission_locales_phone_and_address(  # type: ignore[no-untyped-def]
    config, smtp
) -> None:
    write_organisation(config.site_dir, adresse="")
    env = {**backend_env(config), "PORTE_VOIX_SMTP_URL": smtp.url}
    with client_for(config) as client:
        send(client, "temoignage", MINOR)
        report = client.app.state.backend.letters.deliver_due()
        assert report.sent == 0 and smtp.messages == []
        status = CliRunner().invoke(main, ["forms", "status"], env=env).output
        assert "1 lettre(s) aux parents retenue(s)" in status
        assert "il manque l'adresse postale de la Mission Locale" in status
        check = CliRunner().invoke(main, ["forms", "check"], env=env)
        assert check.exit_code == 1 and "il manque l'adresse postale" in check.output
        write_organisation(config.site_dir)  # the site rebuilt with the address
        assert client.app.state.backend.letters.deliver_due().sent == 1
    assert "Par courrier\u00a0: 1\u00a0place Saint-Antoine" in letter_text(smtp)


def test_the_parent_refuses_and_everything_goes_the_young_person_is_told_kindly(  # type: ignore[no-untyped-def]
    config, smtp, tmp_path: Path
) -> None:
    photo = phone_photo(tmp_path / "p.jpg").read_bytes()
    minor = {**MINOR, "accord_photo": "oui", "email": "lea@exemple.fr"}
    with client_for(config) as client:
        send(client, "temoignage", minor, photo)
        client.app.state.backend.letters.deliver_due()
        token = token_of(letter_text(smtp))
        page = client.get("/formulaires/accord-parent", params={"jeton": token})
        shown = BeautifulSoup(page.text, "html.parser")
        listed = [li.get_text() for li in shown.select("ul li")]
        assert listed == [
            "son prénom\u00a0: Léa",
            "son âge\u00a0: 16\u00a0ans",
            "sa commune\u00a0: Pompey",
            "la phrase et le récit qu'il ou elle a écrits",
            "sa photo",
        ]
        assert [b.get_text() for b in shown.select("button")] == ["J'accepte", "Je refuse"]
        answer = client.post(
            "/formulaires/accord-parent", data={"jeton": token, "reponse": "refuse"}
        )
        assert answer.status_code == 200 and "rien ne sera publié" in answer.text
        assert contributions(config) == [] and not any(config.uploads.iterdir())
        stored = stored_bytes(config)
        assert b"au centre social" not in stored  # the story: overwritten, not just freed
        again = client.get("/formulaires/accord-parent", params={"jeton": token})
        assert again.status_code == 404
        client.app.state.backend.letters.deliver_due()
    notice = smtp.messages[-1]
    assert notice["To"] == "lea@exemple.fr"
    assert notice["Subject"] == "Ton témoignage ne sera pas publié"
    body = re.sub(r"[ \r\n]+", " ", notice.get_content()).strip()
    assert body.startswith("Bonjour Léa, Merci d'avoir écrit ton témoignage.")
    assert "nous l'avons effacé, avec ta photo" in body
    assert body.endswith("La Mission Locale du Val de Lorraine")


@pytest.mark.parametrize(
    ("declared", "recorded"),
    [
        ("accord-autre-parent", "par: un parent, avec l'accord déclaré de l'autre\n"),
        ("autorite-seule", "par: un parent, qui exerce seul l'autorité parentale\n"),
    ],
)
def test_accepting_needs_the_declaration_and_the_file_records_exactly_it(  # type: ignore[no-untyped-def]
    config, smtp, tmp_path: Path, declared: str, recorded: str
) -> None:
    with client_for(config) as client:
        send(client, "temoignage", MINOR)
        client.app.state.backend.letters.deliver_due()
        token = token_of(letter_text(smtp))
        refused = client.post(
            "/formulaires/accord-parent", data={"jeton": token, "reponse": "accepte"}
        )
        assert refused.status_code == 422
        error = BeautifulSoup(refused.text, "html.parser").select_one("#pv-accord-erreur")
        assert error.get_text() == (
            "Erreur\u00a0: Pour accepter, cochez une des deux réponses\u00a0: l'autre parent est "
            "d'accord, "
            "ou vous exercez seul ou seule l'autorité parentale."
        )
        radios = BeautifulSoup(refused.text, "html.parser").select('input[name="autorite"]')
        assert len(radios) == 2 and all(r.has_attr("required") for r in radios)
        assert contributions(config)[0]["status"] == "attente_parent"
        answer = client.post(
            "/formulaires/accord-parent",
            data={"jeton": token, "reponse": "accepte", "autorite": declared},
        )
        assert answer.status_code == 200 and "votre accord est enregistré" in answer.text
    project = new_project(tmp_path / "site")
    ident = contributions(config)[0]["id"][:8]
    accepted = CliRunner().invoke(
        main,
        ["contributions", "accept", ident, "--config", str(project.root / "mkdocs.yml")],
        env=backend_env(config),
    )
    assert accepted.exit_code == 0, accepted.output
    assert "À corriger" not in accepted.output
    written = (project.content / "temoignages" / "lea.md").read_text(encoding="utf-8")
    assert f"\n  {recorded}" in written
    check = CliRunner().invoke(main, ["check", "--config", str(project.root / "mkdocs.yml")])
    assert check.exit_code == 0, check.output


def test_the_token_is_never_stored_and_a_retried_letter_has_a_new_link(  # type: ignore[no-untyped-def]
    config, smtp
) -> None:
    class Unsure(Inbox):
        """Takes the message, then answers « try later »: the parent may have the first link."""

        async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
            smtp.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
            return "451 4.3.0 Essayez plus tard" if len(smtp.messages) == 1 else "250 OK"

    smtp.handle_DATA = Unsure().handle_DATA  # type: ignore[method-assign]
    with client_for(config) as client:
        send(client, "temoignage", MINOR)
        letters = client.app.state.backend.letters
        assert letters.deliver_due().retried == 1
        first = token_of(letter_text(smtp))
        assert first.encode() not in stored_bytes(config)
        assert config.database.with_name(config.database.name + "-wal").exists()
        with sqlite3.connect(config.database) as db:  # the retry is due now
            db.execute("UPDATE letters SET next_attempt_at = '2000-01-01T00:00:00.000+00:00'")
        assert letters.deliver_due().sent == 1
        second = token_of(letter_text(smtp))
        assert second != first
        stored = stored_bytes(config)
        assert first.encode() not in stored and second.encode() not in stored
        old = client.get("/formulaires/accord-parent", params={"jeton": first})
        assert old.status_code == 404
        assert client.get("/formulaires/accord-parent", params={"jeton": second}).status_code == 200
        client.post(
            "/formulaires/accord-parent",
            data={"jeton": second, "reponse": "accepte", "autorite": "autorite-seule"},
        )
        stored = stored_bytes(config)
        assert first.encode() not in stored and second.encode() not in stored
    assert contributions(config)[0]["status"] == "a_relire"


def test_withdraw_removes_the_testimonial_and_its_photo_and_says_how_to_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = new_project(tmp_path / "site")
    folder = project.content / "temoignages"
    folder.mkdir()
    (folder / "lea.jpg").write_bytes(phone_photo(tmp_path / "p.jpg").read_bytes())
    (folder / "lea.md").write_text(
        "---\nprenom: Léa\nage: 16\ncommune: Pompey\ncitation: Ici, on m'a écoutée.\n"
        "photo: lea.jpg\nconsentement:\n  signe_le: 2026-10-02\n"
        "  par: les deux parents (formulaire papier)\n  photo: oui\n  jusqu_au: 2028-10-02\n"
        "---\nMon histoire.\n",
        encoding="utf-8",
    )
    (folder / "ines.md").write_text("---\nprenom: Inès\nphoto: ../../mkdocs.yml\n---\n")

    def withdraw(path: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, ["contributions", "withdraw", path])

    monkeypatch.chdir(project.root)  # paths as staff type them, from the project's folder
    result = withdraw("content/temoignages/lea.md")
    hostile = withdraw("content/temoignages/ines.md")
    not_one = withdraw("content/index.md")
    assert result.exit_code == 0, result.output
    assert not (folder / "lea.md").exists() and not (folder / "lea.jpg").exists()
    lines = result.output.splitlines()
    assert "Retiré de content/ : content/temoignages/lea.md, content/temoignages/lea.jpg." in lines
    assert "  git rm --quiet content/temoignages/lea.md content/temoignages/lea.jpg" in lines
    assert '  git commit -m "Retire un témoignage (accord retiré)"' in lines
    assert not [line for line in lines if "git commit" in line and "lea" in line.lower()]
    assert "  git push" in lines
    assert "reconstruis le site (porte-voix build) et mets-le en ligne" in result.output
    assert "la construction d'avant, gardée dans .site-builds/" in " ".join(result.output.split())
    assert hostile.exit_code == 0 and (project.root / "mkdocs.yml").is_file()
    assert not_one.exit_code == 1 and (project.content / "index.md").is_file()
    assert "« content/index.md » n'est pas un témoignage" in not_one.output


def test_an_upgraded_database_forgets_the_links_it_held(config, smtp) -> None:  # type: ignore[no-untyped-def]
    """A database from before: the parent's letter was queued with its link in clear."""
    from forms_backend.store.migrations import MIGRATIONS

    config.database.parent.mkdir(parents=True)
    old_link = "http://127.0.0.1:8000/formulaires/accord-parent?jeton=AncienJetonEnClair123"
    with contextlib.closing(sqlite3.connect(config.database)) as db, db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        for name, statements in MIGRATIONS[:4]:
            for statement in statements:
                db.execute(statement)
            db.execute("INSERT INTO schema_migrations VALUES (?, '2026-11-01')", (name,))
        db.execute(
            """INSERT INTO contributions (id, kind, status, fields, consent_at, guardian_email,
            guardian_token_hash, guardian_expires_at, created_at, updated_at) VALUES
            ('c1', 'temoignage', 'attente_parent', ?, '2026-11-01', 'parent@exemple.fr',
            'ancien', '2026-11-08', '2026-11-01', '2026-11-01')""",
            (
                '{"prenom": "Léa", "age": "16", "commune": "Pompey", "citation": "Ici.", "recit": "R."}',
            ),
        )
        db.execute(
            """INSERT INTO letters (recipient, subject, body, next_attempt_at, created_at)
            VALUES ('parent@exemple.fr', 'Votre accord pour un témoignage', ?, '2026-11-01',
            '2026-11-01')""",
            (f"Bonjour,\n{old_link}\n",),
        )
    with client_for(config) as client:  # the server starts: migrations run
        assert b"AncienJetonEnClair123" not in stored_bytes(config)
        assert client.app.state.backend.letters.deliver_due().sent == 1
        new = token_of(letter_text(smtp))
        assert "Léa a écrit un témoignage" in letter_text(smtp)
        assert client.get("/formulaires/accord-parent", params={"jeton": new}).status_code == 200


def test_one_parent_cannot_be_flooded_with_letters(config, smtp) -> None:  # type: ignore[no-untyped-def]
    """Anyone can type any address as « a parent's e-mail »: three requests may wait for one
    parent at once, the fourth is refused with a French message and sends nothing."""
    with client_for(config) as client:
        for number in range(3):
            story = {**MINOR, "recit": f"Histoire numéro {number}."}
            assert send(client, "temoignage", story).status_code == 303
        shouting = {**MINOR, "email_parent": "PARENT@exemple.fr", "recit": "Encore une."}
        refused = send(client, "temoignage", shouting)
        assert refused.status_code == 422
        error = BeautifulSoup(refused.text, "html.parser").select_one(
            "#pv-temoignage-email_parent-erreur"
        )
        assert "Ce parent a déjà plusieurs demandes d'accord qui attendent sa réponse" in (
            error.get_text()
        )
        other = send(client, "temoignage", {**MINOR, "email_parent": "tuteur@exemple.fr"})
        assert other.status_code == 303
        client.app.state.backend.letters.deliver_due()
        assert sorted(m["To"] for m in smtp.messages) == ["parent@exemple.fr"] * 3 + [
            "tuteur@exemple.fr"
        ]
        assert len(contributions(config)) == 4
        # A week without an answer: the links no longer work, the young person may ask again.
        with contextlib.closing(sqlite3.connect(config.database)) as db, db:
            db.execute(
                "UPDATE contributions SET guardian_expires_at = '2000-01-01T00:00:00.000+00:00'"
            )
        assert send(client, "temoignage", shouting).status_code == 303


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("prenom", "Léa, allez sur evil.example"),
        ("prenom", "www.evil.example"),
        ("prenom", "léa@evil.example"),
        ("commune", "Pompey. Répondez ici : https://evil.example/accord"),
        ("commune", "Pompey (HTTP://evil.example)"),
    ],
)
def test_no_link_can_be_slipped_into_the_parents_letter(  # type: ignore[no-untyped-def]
    config, smtp, field: str, typed: str
) -> None:
    """The first name and the commune go into a letter the Mission Locale signs, sent to an
    address anyone may type: a web or e-mail address there is refused, nothing is sent."""
    with client_for(config) as client:
        refused = send(client, "temoignage", {**MINOR, field: typed})
        assert refused.status_code == 422
        error = BeautifulSoup(refused.text, "html.parser").select_one(
            f"#pv-temoignage-{field}-erreur"
        )
        assert "sans adresse web ni e-mail" in error.get_text()
        initials = send(client, "temoignage", {**MINOR, "prenom": "J.B.", "commune": "St-Max"})
        assert initials.status_code == 303
        client.app.state.backend.letters.deliver_due()
    assert len(smtp.messages) == 1 and "evil" not in letter_text(smtp)


def test_an_answer_posted_from_another_site_is_refused(config, smtp) -> None:  # type: ignore[no-untyped-def]
    """Like every form of the site: a page elsewhere cannot answer in the parent's place."""
    with client_for(config) as client:
        send(client, "temoignage", MINOR)
        client.app.state.backend.letters.deliver_due()
        token = token_of(letter_text(smtp))
        for answer in ({"reponse": "accepte", "autorite": "autorite-seule"}, {"reponse": "refuse"}):
            foreign = client.post(
                "/formulaires/accord-parent",
                data={"jeton": token, **answer},
                headers={"Origin": "https://evil.example"},
            )
            assert foreign.status_code == 403
        assert contributions(config)[0]["status"] == "attente_parent"
        assert client.get("/formulaires/accord-parent", params={"jeton": token}).status_code == 200


def test_the_letter_and_the_page_say_for_how_long_and_how_to_withdraw(  # type: ignore[no-untyped-def]
    config, smtp
) -> None:
    """A parent agrees to something with an end: the letter and the page say how long the
    testimonial would stay online; the page also says until when its link works, and the
    phone number to call to withdraw later."""
    with client_for(config) as client:
        send(client, "temoignage", MINOR)
        client.app.state.backend.letters.deliver_due()
        letter = re.sub(r"[ \r\n]+", " ", letter_text(smtp))
        page = client.get("/formulaires/accord-parent", params={"jeton": token_of(letter)})
    duration = "Le témoignage resterait en ligne 2\u00a0ans au plus, puis serait retiré du site."
    assert duration in letter
    shown = re.sub(r"[ \r\n\t]+", " ", BeautifulSoup(page.text, "html.parser").get_text())
    assert duration in shown
    assert re.search(
        r"Ce lien marche jusqu'au \w+\s\w+\s\w+\s\d{4}\sà\s\d+\u00a0h\u00a0\d\d\.", shown
    )
    assert (
        "Vous pourrez retirer votre accord plus tard, à tout moment, et nous retirerons le "
        "témoignage du site\u00a0: appelez le 03 83 81 00 00 ou écrivez à " in shown
    )


def test_the_parent_sees_the_photo_that_would_be_published(  # type: ignore[no-untyped-def]
    config, smtp, tmp_path: Path
) -> None:
    """« sa photo » is agreed to only after seeing it: the page shows the photo kept (cleaned),
    served through the same link only and never cached; without photo consent, none."""
    photo = phone_photo(tmp_path / "p.jpg").read_bytes()
    with client_for(config) as client:
        send(client, "temoignage", {**MINOR, "accord_photo": "oui"}, photo)
        assert send(
            client, "temoignage", {**MINOR, "email_parent": "tuteur@exemple.fr"}
        ).is_redirect
        client.app.state.backend.letters.deliver_due()
        by_address = {m["To"]: token_of(m.get_content()) for m in smtp.messages}
        page = client.get(
            "/formulaires/accord-parent", params={"jeton": by_address["parent@exemple.fr"]}
        )
        image = BeautifulSoup(page.text, "html.parser").select_one("img[src*=accord-parent]")
        assert image["alt"] == "La photo envoyée par Léa"
        shown = client.get(image["src"])
        assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
        assert shown.headers["cache-control"] == "no-store"
        kept = next(row["photo"] for row in contributions(config) if row["photo_consent"])
        assert shown.content == (config.uploads / kept).read_bytes()
        assert b"PhoneMaker" not in shown.content
        forged = client.get("/formulaires/accord-parent/photo", params={"jeton": "x" * 43})
        assert forged.status_code == 404 and forged.headers["content-type"].startswith("text/html")
        without = client.get(
            "/formulaires/accord-parent", params={"jeton": by_address["tuteur@exemple.fr"]}
        )
        assert BeautifulSoup(without.text, "html.parser").select("img[src*=accord-parent]") == []
        no_photo = client.get(
            "/formulaires/accord-parent/photo", params={"jeton": by_address["tuteur@exemple.fr"]}
        )
        assert no_photo.status_code == 404


def test_an_acceptance_counts_only_while_its_link_still_works(config, smtp) -> None:  # type: ignore[no-untyped-def]
    """Accept and refuse (or a new letter) racing: the acceptance is written only if the link
    it was read with still works at the moment of writing, never over a refusal."""
    from forms_backend.contributions.parent_letter import token_hash

    with client_for(config) as client:
        send(client, "temoignage", MINOR)
        client.app.state.backend.letters.deliver_due()
        first = token_of(letter_text(smtp))
        store = client.app.state.backend.contributions
        (row,) = contributions(config)
        # A new letter's link replaces the first between the page and the answer.
        assert store.renew_guardian_link(
            row["id"], token_hash("second"), datetime.now(PARIS) + timedelta(days=7)
        )
        assert not store.confirm_guardian(row["id"], "autorite-seule", token_hash(first))
        assert contributions(config)[0]["status"] == "attente_parent"
        # The refusal came first: the acceptance finds nothing to write.
        store.remove(row["id"])
        assert not store.confirm_guardian(row["id"], "autorite-seule", token_hash("second"))
        assert contributions(config) == []


def test_after_a_withdrawal_the_rebuild_forgets_the_photo_and_the_share_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's cache kept a withdrawn testimonial's resized photo and the share image with
    the young person's first name for ever; the rebuild after the withdrawal deletes them, and
    keeps (does not redraw) what the site still uses."""
    project = new_project(tmp_path / "site")
    folder = project.content / "temoignages"
    folder.mkdir()
    (folder / "lea.jpg").write_bytes(phone_photo(tmp_path / "p.jpg").read_bytes())
    project.write(
        "temoignages/lea.md",
        "---\nprenom: Léa\nage: 16\ncommune: Pompey\ncitation: Ici, on m'a écoutée.\n"
        "photo: lea.jpg\nconsentement:\n  signe_le: 2026-10-02\n"
        "  par: les deux parents (formulaire papier)\n  photo: oui\n  jusqu_au: 2099-10-02\n"
        "---\nMon histoire.\n",
    )
    assert project.build().returncode == 0
    cache = project.root / ".cache" / "porte-voix"

    def cached() -> dict[str, int]:
        return {
            str(path.relative_to(cache)): path.stat().st_mtime_ns
            for path in cache.rglob("*")
            if path.is_file() and path.suffix in (".jpg", ".webp", ".png")
        }

    before = cached()
    photo_variants = {name for name in before if "/" in name and not name.startswith("flyers/")}
    share = {name for name in before if name.startswith("flyers/temoignages--lea-og-")}
    assert photo_variants and share
    monkeypatch.chdir(project.root)
    assert (
        CliRunner()
        .invoke(main, ["contributions", "withdraw", "content/temoignages/lea.md"])
        .exit_code
        == 0
    )
    assert project.build().returncode == 0
    after = cached()
    assert not photo_variants & set(after) and not share & set(after)
    assert not list(project.site.rglob("*lea*"))
    home = {name: stamp for name, stamp in before.items() if name.startswith("flyers/index-og-")}
    assert home and all(after.get(name) == stamp for name, stamp in home.items())


def test_the_young_persons_own_address_is_not_a_parents(config, smtp) -> None:  # type: ignore[no-untyped-def]
    """The same address typed twice would let a minor answer the parent's letter: refused."""
    with client_for(config) as client:
        same = {**MINOR, "email": "Lea@Exemple.fr", "email_parent": "lea@exemple.fr"}
        refused = send(client, "temoignage", same)
        assert refused.status_code == 422
        error = BeautifulSoup(refused.text, "html.parser").select_one(
            "#pv-temoignage-email_parent-erreur"
        )
        assert "C'est ton e-mail\u00a0: écris celui d'un de tes parents." in error.get_text()
        client.app.state.backend.letters.deliver_due()
    assert contributions(config) == [] and smtp.messages == []


def test_once_the_young_person_is_told_their_address_is_gone_from_the_disk(  # type: ignore[no-untyped-def]
    config, smtp
) -> None:
    """The refusal's notice holds the young person's address and first name: once sent, the
    row is deleted, and neither stays in the database file or its write-ahead log."""
    with client_for(config) as client:
        send(client, "temoignage", {**MINOR, "email": "zorglubette@exemple.fr"})
        client.app.state.backend.letters.deliver_due()
        token = token_of(letter_text(smtp))
        client.post("/formulaires/accord-parent", data={"jeton": token, "reponse": "refuse"})
        assert client.app.state.backend.letters.deliver_due().sent == 1
        assert smtp.messages[-1]["To"] == "zorglubette@exemple.fr"
        stored = stored_bytes(config)
        assert b"zorglubette" not in stored and b"parent@exemple.fr" not in stored
