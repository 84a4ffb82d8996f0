"""Addresses and e-mails. Hostile addresses are refused in French through the real app; every
kind of e-mail is captured from a real SMTP server (aiosmtpd) and checked on its envelope (one
RCPT TO, the typed address), its headers and its text, then scored by SpamAssassin's local rules
(Debian's ``spamassassin -t -L``, a program we did not write)."""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
import sqlite3
import subprocess
from dataclasses import replace
from email.header import decode_header, make_header
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from forms_backend.outbox.failures import PermanentFailure
from forms_backend.outbox.mail import Mailer
from forms_backend.outbox.mail_message import plain_message
from forms_backend.typography import french_spacing
from forms_backend.validator.addresses import MESSAGES
from generator.cli import main

from .backend import (
    VALID,
    Inbox,
    client_for,
    fresh,
    make_config,
    manifest_event,
    write_manifest,
    write_organisation,
)
from .test_contributions import ADULT, backend_env, contributions
from .test_french_typography import breaks

CRLF_BCC = "parent@exemple.fr\r\nBcc: espion@ailleurs.fr"
# (what is typed, why it is refused); ``None``: refused, whichever check of the form sees it
# first (control characters are also refused by the forms' general rule).
HOSTILE = [
    ("=?utf-8?q?a=40b.fr?= <x@y.fr>", "decorated"),
    ("=?utf-8?q?parent?=@exemple.fr", "decorated"),
    ("a@b.fr, c@d.fr", "several"),
    ("a@b.fr;c@d.fr", "several"),
    ("parent%ailleurs.fr@exemple.fr", "several"),  # the « percent hack » of relays: a@ailleurs.fr
    ("ailleurs.fr!parent@exemple.fr", "several"),  # a UUCP bang path: the same
    ('"x"@y.fr', "decorated"),
    ("<a@b.fr>", "decorated"),
    ("Inès Martin <ines@exemple.fr>", "decorated"),
    ("ines martin@exemple.fr", "decorated"),
    ("ines@exemple.fr\u200b", None),  # zero width space: refused as invisible by every field
    ("zoé@exemple.fr", "accented"),
    ("ines@exemple", "invalid"),
    (CRLF_BCC, None),
    ("a@b.fr\x00", None),
]
JSON = {"Accept": "application/json"}
SENDER_DOMAIN = "mission-locale.test"  # make_config's PORTE_VOIX_MAIL_FROM


def table(config, name: str) -> list[sqlite3.Row]:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(config.database)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(f"SELECT * FROM {name}").fetchall()
    finally:
        connection.close()


def expect_refused(answer, field: str, reason: str | None, *, formal: bool = False) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, answer.text
    message = answer.json()["erreurs"][field]
    if reason is not None:
        assert message == french_spacing(MESSAGES[reason][1 if formal else 0])
    # Said in French, about the address — or, for a line break, by the rule every one-line field
    # shares (the validator's control-character check runs first).
    assert any(word in message for word in ("adresse", "caractère", "seule ligne")), message


@pytest.mark.parametrize(("typed", "reason"), HOSTILE)
def test_a_hostile_address_is_refused_on_the_call_back_form(tmp_path: Path, typed, reason) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path)
    with client_for(config) as client:
        data = {**fresh(client, "rappel"), **VALID, "email": typed}
        expect_refused(client.post("/formulaires/rappel", data=data, headers=JSON), "email", reason)
    assert table(config, "submissions") == []


@pytest.mark.parametrize(("typed", "reason"), HOSTILE[:4])
def test_a_partner_is_told_with_vouvoiement(tmp_path: Path, typed, reason) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path)
    referral = {
        **VALID,
        "email": typed,
        "pro_nom": "Julie Martin",
        "pro_structure": "Centre social Les Deux Rives",
        "pro_contact": "06 11 22 33 44",
        "accord_jeune": "oui",
    }
    with client_for(config) as client:
        data = {**fresh(client, "orientation"), **referral}
        answer = client.post("/formulaires/orientation", data=data, headers=JSON)
    expect_refused(answer, "email", reason, formal=True)
    assert "Écrivez" in answer.json()["erreurs"]["email"]


def test_the_event_sign_up_form_uses_the_same_rule(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    write_manifest(config.site_dir, [manifest_event("2030-01-01-forum")])
    with client_for(config) as client:
        data = {
            **fresh(client, "inscription"),
            **VALID,
            "evenement": "2030-01-01-forum",
            "email": "a@b.fr, c@d.fr",
        }
        answer = client.post("/formulaires/inscription", data=data, headers=JSON)
    expect_refused(answer, "email", "several")


@pytest.mark.parametrize("field", ["email", "email_parent"])
@pytest.mark.parametrize(("typed", "reason"), HOSTILE)
def test_a_hostile_address_is_refused_on_a_testimonial(
    tmp_path: Path, field, typed, reason
) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    minor = {**ADULT, "age": "16", "email_parent": "parent@exemple.fr", field: typed}
    with client_for(config) as client:
        answer = client.post("/formulaires/temoignage", data=minor, headers=JSON)
    expect_refused(answer, field, reason)
    assert contributions(config) == [] and table(config, "letters") == []


def test_an_international_domain_is_kept_as_typed_and_sent_in_punycode(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    with client_for(config) as client:
        data = {**fresh(client, "rappel"), **VALID, "email": "x@EXÉMPLE.fr", "canal": "email"}
        assert client.post("/formulaires/rappel", data=data, headers=JSON).json()["ok"]
    (row,) = table(config, "submissions")
    assert row["email"] == "x@exémple.fr"


# Real letters through a real SMTP server.


def one_letter(inbox: Inbox, recipient: str) -> email.message.EmailMessage:
    """The one e-mail the server received: checked on its envelope, then its form."""
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [recipient]  # exactly one RCPT TO, the typed address
    assert envelope.mail_from == f"porte-voix@{SENDER_DOMAIN}"
    return well_formed(envelope.content, recipient)


def well_formed(raw: bytes, recipient: str) -> email.message.EmailMessage:
    """Check what mail readers and filters look at; return the parsed message."""
    head, _, _ = raw.partition(b"\r\n\r\n")
    for line in head.decode("ascii").split("\r\n"):
        assert len(line) <= 78, line  # RFC 5322 § 2.1.1
    for word in re.findall(r"=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=", head.decode("ascii")):
        assert len(word) <= 75, word  # RFC 2047 § 2
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for name in ("From", "To", "Date", "Message-ID", "Subject", "Auto-Submitted"):
        assert len(message.get_all(name) or []) == 1, name
    assert message.get_all("Cc") is None and message.get_all("Bcc") is None
    assert message["To"] == recipient and message["Auto-Submitted"] == "auto-generated"
    date = str(message["Date"])
    assert re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}", date), date
    assert not date.endswith("-0000") and parsedate_to_datetime(date).utcoffset() is not None
    assert re.fullmatch(rf"<[^<>@\s]+@{re.escape(SENDER_DOMAIN)}>", message["Message-ID"])
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    for line in message.get_content().splitlines():
        assert len(line) <= 78 or " " not in line.strip(), line  # only a link may be longer
    return message


def minor_testimonial(config, guardian: str) -> None:  # type: ignore[no-untyped-def]
    """A minor's testimonial through the real app, then the letter queue."""
    write_organisation(config.site_dir)  # the letter leaves only with the Mission Locale's contact
    minor = {**ADULT, "prenom": "Léa", "age": "16", "email_parent": guardian}
    with client_for(config) as client:
        answer = client.post("/formulaires/temoignage", data=minor)
        assert answer.status_code == 303, answer.text
        assert client.app.state.backend.letters.deliver_due().sent == 1


def test_a_parents_letter_has_one_recipient_and_well_formed_headers(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions", smtp_url=smtp.url)
    minor_testimonial(config, "parent@exemple.fr")
    letter = one_letter(smtp, "parent@exemple.fr")
    assert letter["Subject"] == "Votre accord pour un témoignage"
    text = letter.get_content()
    link = re.search(r"http://127\.0\.0\.1:8000/formulaires/accord-parent\?jeton=\S+", text)[0]
    assert len(link) > 78 and link.endswith(link[-8:])  # longer than a line, kept whole
    assert re.search(r"accord-parent\?jeton=[\w-]{43}$", link)


def test_a_parent_at_an_international_domain_gets_the_letter_in_punycode(
    tmp_path: Path, smtp
) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions", smtp_url=smtp.url)
    minor_testimonial(config, "x@exémple.fr")
    one_letter(smtp, "x@xn--exmple-cva.fr")


def test_a_contributors_notice_has_one_recipient_and_well_formed_headers(
    tmp_path: Path, smtp
) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions", smtp_url=smtp.url)
    with client_for(config) as client:
        answer = client.post("/formulaires/temoignage", data={**ADULT, "email": "ines@exemple.fr"})
        assert answer.status_code == 303
    (row,) = contributions(config)
    rejected = CliRunner().invoke(
        main,
        ["contributions", "reject", row["id"][:8], "--why", "Texte trop court"],
        env=backend_env(config),
    )
    assert rejected.exit_code == 0, rejected.output
    with client_for(config) as client:
        assert client.app.state.backend.letters.deliver_due().sent == 1
    notice = one_letter(smtp, "ines@exemple.fr")
    assert notice["Subject"] == "Ta contribution n'a pas été publiée"


def test_a_contributors_notice_follows_french_typography(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    """The notice and the reason the team typed get the no-break spaces every e-mail has."""
    config = make_config(tmp_path, uploads=tmp_path / "contributions", smtp_url=smtp.url)
    with client_for(config) as client:
        answer = client.post("/formulaires/temoignage", data={**ADULT, "email": "ines@exemple.fr"})
        assert answer.status_code == 303
    (row,) = contributions(config)
    why = "Ton texte cite un nom ; tu peux le renvoyer sans ? Viens à 17 h 30 !"
    rejected = CliRunner().invoke(
        main, ["contributions", "reject", row["id"][:8], "--why", why], env=backend_env(config)
    )
    assert rejected.exit_code == 0, rejected.output
    with client_for(config) as client:
        assert client.app.state.backend.letters.deliver_due().sent == 1
    text = one_letter(smtp, "ines@exemple.fr").get_content()
    prose = re.sub(r"[ \r\n]+", " ", text)  # the lines joined again (plain spaces only)
    assert "La raison\u00a0: Ton texte cite un nom\u202f; tu peux" in prose, text
    assert "sans\u202f? Viens à 17\u00a0h\u00a030\u202f!" in prose, text
    assert "«\u202fAller vers\u202f»" in prose, text
    assert [b for line in text.splitlines() for b in breaks(line)] == [], text


def test_a_letter_queued_with_several_addresses_is_never_sent(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    """Rows queued before the rule (or written by hand) are checked again when sent."""
    config = make_config(tmp_path, uploads=tmp_path / "contributions", smtp_url=smtp.url)
    minor_testimonial(config, "parent@exemple.fr")
    smtp.envelopes.clear()
    with sqlite3.connect(config.database) as db:
        for recipient in ["a@b.fr, c@d.fr", CRLF_BCC, "=?utf-8?q?a=40b.fr?= <x@y.fr>"]:
            db.execute(
                "INSERT INTO letters (recipient, subject, body, next_attempt_at, created_at) "
                "VALUES (?, 'Sujet', 'Texte', '2000-01-01T00:00:00.000+00:00', '2000-01-01')",
                (recipient,),
            )
    with client_for(config) as client:
        report = client.app.state.backend.letters.deliver_due()
    assert (report.sent, report.dead) == (0, 3)
    assert smtp.envelopes == []
    assert {row["state"] for row in table(config, "letters")} == {"dead"}


def test_the_envelope_is_never_taken_from_the_headers(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    """Whatever a header names, the SMTP envelope holds the one recipient given."""
    message = plain_message(
        "Sujet", "Texte", sender="porte-voix@mission-locale.test", recipient="a@b.fr, c@d.fr"
    )
    message["Cc"], message["Bcc"] = "copie@ailleurs.fr", "cachee@ailleurs.fr"
    with Mailer(smtp.url, tmp_path / "courriels") as mailer:
        mailer.send(message, "parent@exemple.fr")
        with pytest.raises(PermanentFailure):
            mailer.send(message, "a@b.fr, c@d.fr")
    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == ["parent@exemple.fr"]


def test_the_counsellors_email_goes_to_the_counsellor_alone(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, smtp_url=smtp.url)
    long_title = "Forum de l'emploi saisonnier à Pont-à-Mousson : hôtellerie, été, événementiel"
    event = {**manifest_event("2030-01-01-forum"), "titre": long_title}
    write_manifest(config.site_dir, [event])
    with client_for(config) as client:
        data = {
            **fresh(client, "inscription"),
            **VALID,
            "evenement": "2030-01-01-forum",
            "email": "ines@exemple.fr",
        }
        assert client.post("/formulaires/inscription", data=data, headers=JSON).json()["ok"]
        # The counsellor's e-mail, and the young person's SMS confirmation (channel: SMS).
        assert client.app.state.backend.forwarder.deliver_due().sent == 2
    message = one_letter(smtp, "conseillere@mission-locale.test")
    # The subject keeps French typography: a no-break space before « : ».
    assert (
        message["Subject"] == f"[Aller vers] Inscription (inscrit·e) — {french_spacing(long_title)}"
    )
    assert "E-mail\u00a0: ines@exemple.fr" in message.get_content()


def test_a_sender_name_with_accents_is_encoded_and_the_envelope_keeps_the_address(
    tmp_path: Path, smtp
) -> None:  # type: ignore[no-untyped-def]
    name = "Équipe « Aller vers » — Mission Locale du Val de Lorraine, Pont-à-Mousson"
    config = make_config(
        tmp_path, smtp_url=smtp.url, mail_from=f'"{name}" <porte-voix@{SENDER_DOMAIN}>'
    )
    with client_for(config) as client:
        data = {**fresh(client, "rappel"), **VALID}
        assert client.post("/formulaires/rappel", data=data, headers=JSON).json()["ok"]
        assert client.app.state.backend.forwarder.deliver_due().sent == 1
    one_letter(smtp, "conseillere@mission-locale.test")  # MAIL FROM: the bare address
    # Decoded as RFC 2047 § 6.2 says (the space between two encoded words is not text):
    # Python's address parser adds one there, mail readers do not.
    raw = email.message_from_bytes(smtp.envelopes[0].content)["From"]
    assert str(make_header(decode_header(raw))) == f"{name} <porte-voix@{SENDER_DOMAIN}>"


def test_a_long_subject_stays_folded_in_the_local_maildir(tmp_path: Path) -> None:
    """Without SMTP the e-mails land in a Maildir, whose writer does not fold headers itself."""
    config = make_config(tmp_path)
    long_title = "Forum de l'emploi saisonnier à Pont-à-Mousson : hôtellerie, été, événementiel"
    write_manifest(config.site_dir, [{**manifest_event("2030-01-01-forum"), "titre": long_title}])
    with client_for(config) as client:
        data = {**fresh(client, "inscription"), **VALID, "evenement": "2030-01-01-forum"}
        assert client.post("/formulaires/inscription", data=data, headers=JSON).json()["ok"]
        # The counsellor's e-mail, and the young person's SMS confirmation (channel: SMS).
        assert client.app.state.backend.forwarder.deliver_due().sent == 2
    (path,) = (config.maildir / "new").iterdir()
    raw = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    subject = well_formed(raw, "conseillere@mission-locale.test")["Subject"]
    assert subject.endswith(french_spacing(long_title))


# SpamAssassin, local rules only (no network): each kind of e-mail as the server received it.


def digest(config, smtp) -> None:  # type: ignore[no-untyped-def]
    """The weekly digest through the real command."""
    from forms_backend.cli import forms

    env = {
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
        "PORTE_VOIX_SMTP_URL": smtp.url,
        "PORTE_VOIX_COUNSELLOR_EMAIL": config.counsellor_email,
        "PORTE_VOIX_MAIL_FROM": config.mail_from,
    }
    result = CliRunner().invoke(forms, ["digest"], env=env)
    assert result.exit_code == 0, result.output


def spam_scores(raw_messages: list[bytes], folder: Path) -> dict[str, tuple[float, str]]:
    """SpamAssassin's score and rules for each message, by Message-ID, in one run over an mbox
    (it answers in its own order)."""
    box = mailbox.mbox(folder / "courriels.mbox")
    for raw in raw_messages:
        box.add(raw.replace(b"\r\n", b"\n"))
    box.close()
    (folder / "home").mkdir()
    result = subprocess.run(
        ["spamassassin", "-t", "-L", "--mbox", str(folder / "courriels.mbox")],
        capture_output=True,
        check=True,
        env={"HOME": str(folder / "home"), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    scores = {}
    for block in re.split(r"^From \S+ .*$", result.stdout.decode("utf-8", "replace"), flags=re.M):
        status = re.search(
            r"^X-Spam-Status: \w+, score=(-?[\d.]+) required=\S+ tests=(.*?)\s+autolearn",
            block,
            re.M | re.S,
        )
        message_id = re.search(r"^Message-ID:\s+(<\S+>)", block, re.M | re.I)  # maybe folded
        if status and message_id:
            scores[message_id[1]] = (float(status[1]), " ".join(status[2].split()))
    return scores


def test_spamassassin_scores_every_kind_of_email_under_one(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions", smtp_url=smtp.url)
    with client_for(config) as client:
        data = {**fresh(client, "rappel"), **VALID, "email": "ines@exemple.fr"}
        assert client.post("/formulaires/rappel", data=data, headers=JSON).json()["ok"]
        assert client.app.state.backend.forwarder.deliver_due().sent == 1
    minor_testimonial(replace(config), "parent@exemple.fr")
    with client_for(config) as client:
        client.post("/formulaires/temoignage", data={**ADULT, "email": "ines@exemple.fr"})
    adult = next(row for row in contributions(config) if row["contributor_email"])
    env = backend_env(config)
    assert (
        CliRunner().invoke(main, ["contributions", "reject", adult["id"][:8]], env=env).exit_code
        == 0
    )
    with client_for(config) as client:
        assert client.app.state.backend.letters.deliver_due().sent == 1
    digest(config, smtp)
    subjects = [message["Subject"] for message in smtp.messages]
    assert subjects == [
        "[Aller vers] Demande de rappel — Frouard",
        "Votre accord pour un témoignage",
        "Ta contribution n'a pas été publiée",
        "[Aller vers] 1 demande à rappeler",
    ]
    scores = spam_scores([envelope.content for envelope in smtp.envelopes], tmp_path)
    assert len(scores) == len(subjects), scores
    for message in smtp.messages:
        score, rules = scores[message["Message-ID"]]
        assert score < 1.0, f"{message['Subject']}: {score} ({rules})"
