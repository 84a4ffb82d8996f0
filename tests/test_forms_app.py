"""The form backend's answers, on a real SQLite file, through the real ASGI app."""

from __future__ import annotations

import itertools
import logging
import re
import sqlite3
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from forms_backend.config import BackendConfig
from forms_backend.intake.forms import CALLBACK, REFERRAL
from forms_backend.intake.place_links import make_token
from forms_backend.intake.render import form_html
from forms_backend.intake.spam import RateLimiter
from forms_backend.typography import french_spacing
from forms_backend.validator import fields as validation

from .backend import VALID, client_for, fresh, make_config, manifest_event, write_manifest


def rows(config, table: str = "submissions") -> list[sqlite3.Row]:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(config.database)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(f"SELECT * FROM {table}").fetchall()
    finally:
        connection.close()


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path)
    write_manifest(
        config.site_dir,
        [
            manifest_event("2030-01-01-petit", places=2),
            manifest_event("2030-01-02-clos", deadline_in=timedelta(hours=-1)),
            manifest_event(
                "2030-01-03-passe", starts_in=timedelta(days=-2), deadline_in=timedelta(days=-3)
            ),
            manifest_event("2030-01-04-libre", registration=False),
        ],
    )
    return config


@pytest.fixture
def client(config):  # type: ignore[no-untyped-def]
    with client_for(config) as client:
        yield client


def post(client, form: str, fields: dict[str, str], *, json: bool = False, headers=None):  # type: ignore[no-untyped-def]
    headers = {**({"Accept": "application/json"} if json else {}), **(headers or {})}
    return client.post(
        f"/formulaires/{form}", data={**fresh(client, form), **fields}, headers=headers
    )


REFERRAL_FIELDS = {
    **VALID,
    "pro_nom": "Julie Martin",
    "pro_structure": "Centre social Les Deux Rives",
    "pro_contact": "j.martin@deuxrives.example",
    "accord_jeune": "oui",
}


def test_call_back_without_javascript_redirects_to_thanks_and_stores_it(client, config) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, "rappel", VALID)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/merci/"
    [row] = rows(config)
    assert (
        row["first_name"],
        row["phone"],
        row["commune"],
        row["age"],
        row["channel"],
        row["source"],
    ) == (
        "Inès",
        "+33612345678",
        "Frouard",
        19,
        "sms",
        "flyer-a5",
    )
    assert row["consent_at"]
    [outbox] = rows(config, "outbox")
    assert (outbox["target"], outbox["state"]) == ("email", "pending")


def test_call_back_with_javascript_answers_json(client) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, "rappel", VALID, json=True)
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "statut": "recu", "redirection": "/merci/"}


RULES = [
    ({"prenom": ""}, "prenom", "Écris ton prénom."),
    (
        {"telephone": "12 34"},
        "telephone",
        "Ce numéro ne ressemble pas à un numéro français. Écris-le comme ceci : 06 12 34 56 78.",
    ),
    (
        {"telephone": "", "email": "", "canal": "appel"},
        "telephone",
        "Donne un numéro de téléphone ou une adresse e-mail, pour qu'on puisse te répondre.",
    ),
    (
        {"email": "ines@"},
        "email",
        "Cette adresse e-mail n'est pas complète. Elle ressemble à : prenom@exemple.fr.",
    ),
    (
        {"telephone": "", "email": "ines@exemple.fr", "canal": "sms"},
        "telephone",
        "Pour un SMS, un appel ou WhatsApp, il nous faut un numéro de téléphone.",
    ),
    ({"canal": "email"}, "email", "Pour être contacté·e par e-mail, écris une adresse e-mail."),
    ({"canal": ""}, "canal", "Choisis comment tu préfères être contacté·e."),
    (
        {"canal": "pigeon"},
        "canal",
        "Choisis une des propositions : SMS, appel, WhatsApp ou e-mail.",
    ),
    ({"commune": ""}, "commune", "Écris ta commune."),
    ({"age": "dix-neuf"}, "age", "Écris l'âge en chiffres, par exemple : 19."),
    (
        {"consentement": ""},
        "consentement",
        "Coche cette case pour qu'on puisse garder tes informations et te recontacter.",
    ),
    ({"prenom": "x" * 61}, "prenom", "C'est trop long : 60 caractères au plus."),
]


@pytest.mark.parametrize(("change", "field", "message"), RULES)
def test_each_rule_gives_its_french_message(client, config, change, field, message) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, "rappel", {**VALID, **change}, json=True)
    assert answer.status_code == 422
    # Shown by the page's script as it comes: with the French no-break spaces.
    assert answer.json()["erreurs"] == {field: french_spacing(message)}
    assert rows(config) == []


def test_without_javascript_errors_show_next_to_fields_and_everything_typed_is_kept(
    client, config
) -> None:  # type: ignore[no-untyped-def]
    typed = {**VALID, "telephone": "12 34", "commune": "Frouard <b>"}
    answer = post(client, "rappel", typed)
    assert answer.status_code == 422
    page = BeautifulSoup(answer.text, "html.parser")
    assert page.title.get_text().startswith("Erreur")
    phone = page.find(id="pv-rappel-telephone")
    assert phone["value"] == "12 34" and phone["aria-invalid"] == "true"
    assert "pv-rappel-telephone-erreur" in phone["aria-describedby"]
    assert page.find(id="pv-rappel-commune")["value"] == "Frouard <b>"
    assert page.find(id="pv-rappel-prenom")["value"] == "Inès"
    assert page.find(id="pv-rappel-canal-sms").has_attr("checked")
    assert page.find(id="pv-rappel-consentement").has_attr("checked")
    summary = page.find(id="pv-rappel-erreurs")
    assert summary["role"] == "alert"
    assert [a["href"] for a in summary.find_all("a")] == ["#pv-rappel-telephone"]
    assert rows(config) == []


@pytest.mark.parametrize(
    ("age", "message"), [("15", validation.TOO_YOUNG), ("30", validation.TOO_OLD)]
)
def test_outside_16_to_29_a_kind_message_and_nothing_stored(client, config, age, message) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, "rappel", {**VALID, "age": age}, json=True)
    assert answer.json()["erreurs"] == {"age": french_spacing(message)}
    assert answer.json()["hors_age"] is True
    assert rows(config) == [] and rows(config, "spam") == []


def test_same_submission_id_is_stored_once_and_answers_the_same(client, config) -> None:  # type: ignore[no-untyped-def]
    fields = {**fresh(client, "rappel"), **VALID}
    first = client.post("/formulaires/rappel", data=fields)
    second = client.post("/formulaires/rappel", data=fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert len(rows(config)) == 1 and len(rows(config, "outbox")) == 1


_NUMBERS = itertools.count()


def signup(client, event_id: str, json: bool = True):  # type: ignore[no-untyped-def]
    """A sign-up by another person each time (one place per number and event)."""
    phone = f"06 00 00 {next(_NUMBERS) % 10_000:04d}"
    return post(
        client, "inscription", {**VALID, "telephone": phone, "evenement": event_id}, json=json
    )


def test_sign_ups_past_capacity_go_on_the_waiting_list(client, config) -> None:  # type: ignore[no-untyped-def]
    assert [signup(client, "2030-01-01-petit").json()["statut"] for _ in range(2)] == [
        "inscrit",
        "inscrit",
    ]
    third = signup(client, "2030-01-01-petit", json=False)
    assert third.status_code == 303 and third.headers["location"] == "/merci/liste-d-attente/"
    places = client.get("/formulaires/evenements/2030-01-01-petit/places").json()
    assert places == {"id": "2030-01-01-petit", "places": 2, "restantes": 0, "etat": "complet"}


def test_the_places_left_tell_no_count_once_sign_up_is_over(client, config) -> None:  # type: ignore[no-untyped-def]
    """The page needs the places left while one can sign up, nothing more: the exact count of
    sign-ups and of the waiting list, read by anyone once the event is over, would undo the
    report's rounding (its sign-ups, the show-up rate, the young people who came)."""
    for _ in range(3):
        signup(client, "2030-01-01-petit")
    url = "/formulaires/evenements/2030-01-01-petit/places"
    assert client.get(url).json()["restantes"] == 0
    write_manifest(
        config.site_dir,
        [
            manifest_event(
                "2030-01-01-petit",
                places=2,
                starts_in=timedelta(days=-2),
                deadline_in=timedelta(days=-3),
            )
        ],
    )
    time.sleep(0.01)  # a new modification time for the manifest
    assert client.get(url).json() == {
        "id": "2030-01-01-petit",
        "places": 2,
        "restantes": None,
        "etat": "termine",
    }


def test_remaining_places(client) -> None:  # type: ignore[no-untyped-def]
    signup(client, "2030-01-01-petit")
    assert client.get("/formulaires/evenements/2030-01-01-petit/places").json()["restantes"] == 1


@pytest.mark.parametrize(
    ("event_id", "status", "message"),
    [
        ("2030-01-02-clos", 409, "Les inscriptions sont closes depuis le "),
        ("2030-01-03-passe", 409, "Cet événement est terminé : on ne peut plus s'inscrire."),
        (
            "2030-01-04-libre",
            409,
            "Pas besoin de t'inscrire : cet événement est en entrée libre. Viens directement !",
        ),
        ("2099-01-01-inconnu", 404, "Cet événement n'existe pas, ou plus."),
    ],
)
def test_sign_up_refused_clearly(client, config, event_id, status, message) -> None:  # type: ignore[no-untyped-def]
    answer = signup(client, event_id)
    assert answer.status_code == status
    assert answer.json()["message"].startswith(french_spacing(message))
    assert rows(config) == []


def test_honeypot_is_kept_apart_and_never_forwarded(client, config) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, "rappel", {**VALID, "site_web": "http://spam.example"})
    assert answer.status_code == 303  # robots learn nothing
    assert rows(config) == [] and rows(config, "outbox") == []
    [spam] = rows(config, "spam")
    assert spam["reason"] == "champ piège rempli"
    assert "Inès" not in spam["fields"] and "06 12" not in spam["fields"]


def shown_fields(html: str) -> dict[str, str]:
    """What a browser sends back from a form shown again: its text fields and ticked boxes."""
    form = BeautifulSoup(html, "html.parser").find("form")
    fields = {}
    for tag in form.find_all(["input", "textarea"]):
        kind = tag.get("type", "")
        if kind in ("radio", "checkbox") and not tag.has_attr("checked"):
            continue
        if kind != "file":
            fields[tag["name"]] = tag.get_text() if tag.name == "textarea" else tag.get("value", "")
    return fields


def test_too_fast_is_shown_again_never_spam_and_goes_at_once(tmp_path: Path) -> None:
    config = make_config(tmp_path, min_fill_seconds=30.0)
    with client_for(config) as client:
        answer = post(client, "rappel", VALID)
        assert answer.status_code == 200
        page = BeautifulSoup(answer.text, "html.parser")
        assert "Encore une étape" in page.find(class_="pv-form-notice").get_text()
        assert page.find(id="pv-rappel-prenom")["value"] == "Inès"
        assert rows(config) == [] and rows(config, "spam") == []
        again = client.post("/formulaires/rappel", data=shown_fields(answer.text))
    assert again.status_code == 303 and again.headers["location"] == "/merci/"
    assert len(rows(config)) == 1 and rows(config, "spam") == []


def test_a_form_shown_again_after_an_error_goes_at_once(tmp_path: Path) -> None:
    config = make_config(tmp_path, min_fill_seconds=30.0)
    with client_for(config) as client:
        token = client.app.state.backend.tokens.make("rappel", now=time.time() - 60)
        first = client.post(
            "/formulaires/rappel",
            data={**VALID, "consentement": "", "jeton": token, "id": str(uuid.uuid4())},
        )
        assert first.status_code == 422 and rows(config) == []
        fields = shown_fields(first.text)
        again = client.post("/formulaires/rappel", data={**fields, "consentement": "oui"})
    assert again.status_code == 303
    assert len(rows(config)) == 1 and rows(config, "spam") == []


def test_static_page_without_javascript_gets_one_confirmation_step(client, config) -> None:  # type: ignore[no-untyped-def]
    first = client.post("/formulaires/rappel", data={**VALID, "id": "", "jeton": ""})
    assert first.status_code == 200
    page = BeautifulSoup(first.text, "html.parser")
    form = page.find("form")
    fields = {
        i["name"]: i.get("value", "")
        for i in form.find_all("input")
        if i.get("type") not in ("radio", "checkbox")
    }
    assert fields["prenom"] == "Inès" and fields["id"] and fields["jeton"]
    second = client.post(
        "/formulaires/rappel", data={**fields, "canal": "sms", "consentement": "oui"}
    )
    assert second.status_code == 303
    assert len(rows(config)) == 1


def test_rate_limit_answers_429_with_retry_after_and_the_wait_in_french(tmp_path: Path) -> None:
    config = make_config(tmp_path, rate_limit=3)
    with client_for(config) as client:
        answers = [post(client, "rappel", VALID, json=True) for _ in range(4)]
        page = post(client, "rappel", VALID)
        partner = post(client, "orientation", REFERRAL_FIELDS, json=True)
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 540 <= int(answers[-1].headers["retry-after"]) <= 600
    assert (
        answers[-1].json()["message"]
        == "Trop d'envois depuis ta connexion. Attends 10\u00a0minutes, puis réessaie."
    )
    assert page.status_code == 429 and page.headers["retry-after"]
    assert "Attends 10\u00a0minutes, puis réessaie." in BeautifulSoup(page.text, "html.parser").text
    assert partner.json()["message"] == (
        "Trop d'envois depuis votre connexion. Attendez 10\u00a0minutes, puis réessayez."
    )


def test_one_ipv6_subscriber_cannot_pick_a_new_address_for_each_form() -> None:
    """A home or phone gets a whole /64 of IPv6 addresses: counted per address, a robot would
    take a new one for each form and never meet the limit."""
    limiter = RateLimiter(3, 600)
    hops = [f"2001:db8:1:2:{n:x}::1" for n in range(4)]
    assert [limiter.take(address, now=0) for address in hops][:3] == [0, 0, 0]
    assert limiter.take(hops[3], now=0) > 0  # the same /64: the same budget
    assert limiter.take("2001:db8:1:3::1", now=0) == 0  # a neighbour keeps its own
    assert [limiter.take("192.0.2.1", now=0) for _ in range(4)][3] > 0
    assert limiter.take("192.0.2.2", now=0) == 0  # IPv4 addresses stay apart


def test_failed_attempts_do_not_use_up_the_accepted_budget(tmp_path: Path) -> None:
    config = make_config(tmp_path, rate_limit=3)
    with client_for(config) as client:
        refused = [post(client, "rappel", {**VALID, "consentement": ""}) for _ in range(6)]
        accepted = [post(client, "rappel", VALID) for _ in range(3)]
        over = post(client, "rappel", VALID)
    assert {a.status_code for a in refused} == {422}
    assert [a.status_code for a in accepted] == [303, 303, 303] and over.status_code == 429
    assert len(rows(config)) == 3


def test_attempts_have_their_own_larger_limit(tmp_path: Path) -> None:
    config = make_config(tmp_path, attempt_limit=5)
    with client_for(config) as client:
        answers = [post(client, "rappel", {**VALID, "consentement": ""}) for _ in range(6)]
    assert [a.status_code for a in answers] == [422] * 5 + [429]


def test_a_workshop_of_thirty_on_one_network_all_get_through(tmp_path: Path) -> None:
    config = replace(make_config(tmp_path), rate_limit=BackendConfig().rate_limit)
    config = replace(config, attempt_limit=BackendConfig().attempt_limit)
    with client_for(config) as client:
        # Each one first forgets the box (a failed attempt), then sends the form right.
        for person in range(30):
            post(client, "rappel", {**VALID, "prenom": f"Jeune {person}", "consentement": ""})
        answers = [post(client, "rappel", {**VALID, "prenom": f"Jeune {n}"}) for n in range(30)]
    assert [a.status_code for a in answers] == [303] * 30
    assert len(rows(config)) == 30


def test_foreign_origin_is_refused(tmp_path: Path) -> None:
    config = make_config(tmp_path, allowed_origins=("https://www.exemple.fr",))
    with client_for(config) as client:
        refused = post(
            client,
            "rappel",
            VALID,
            json=True,
            headers={"Origin": "https://evil.example", "Accept": "application/json"},
        )
        own = post(
            client,
            "rappel",
            VALID,
            json=True,
            headers={"Origin": "http://testserver", "Accept": "application/json"},
        )
        allowed = post(
            client,
            "rappel",
            VALID,
            json=True,
            headers={"Origin": "https://www.exemple.fr", "Accept": "application/json"},
        )
    assert refused.status_code == 403
    assert (
        refused.json()["message"]
        == "Ce formulaire doit être envoyé depuis le site de la Mission Locale."
    )
    assert own.status_code == allowed.status_code == 200


def test_body_too_large_is_413_in_french(client, config) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, "rappel", {**VALID, "commune": "x" * 40_000}, json=True)
    assert answer.status_code == 413
    assert answer.json()["message"] == "Le formulaire envoyé est trop long."
    assert rows(config) == []


def test_wrong_method_and_unknown_path_in_french(client) -> None:  # type: ignore[no-untyped-def]
    wrong = client.put("/formulaires/rappel")
    assert (
        wrong.status_code == 405 and "Cette adresse ne s'utilise pas de cette façon." in wrong.text
    )
    missing = client.get("/formulaires/nimporte/quoi")
    assert missing.status_code == 404 and "Cette page n'existe pas." in missing.text


def test_unexpected_failure_answers_in_french_without_a_trace(config, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client = client_for(config, raise_server_exceptions=False)
    with client:
        # The only mock here: a failure injected into the real store, to see the answer.
        def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("disque plein /secret/path")

        monkeypatch.setattr(client.app.state.backend.store, "insert_submission", broken)
        answer = post(client, "rappel", VALID, json=True)
    assert answer.status_code == 500
    assert answer.json()["message"].startswith("Un problème est survenu de notre côté.")
    assert "secret" not in answer.text and "Traceback" not in answer.text


def test_referral_needs_the_young_persons_agreement(client, config) -> None:  # type: ignore[no-untyped-def]
    referral = {
        **VALID,
        "pro_nom": "Julie Martin",
        "pro_structure": "Centre social Les Deux Rives",
        "pro_contact": "j.martin@deuxrives.example",
    }
    refused = post(client, "orientation", referral, json=True)
    assert refused.json()["erreurs"] == {
        "accord_jeune": "Cette case doit être cochée pour envoyer le formulaire."
    }
    accepted = post(client, "orientation", {**referral, "accord_jeune": "oui"}, json=True)
    assert accepted.json()["ok"] is True
    [row] = rows(config)
    assert (row["form"], row["referrer_structure"]) == (
        "orientation",
        "Centre social Les Deux Rives",
    )


def test_referral_asks_the_professional_in_plain_words(client) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, "orientation", {**VALID, "accord_jeune": "oui"}, json=True)
    assert answer.json()["erreurs"] == {
        "pro_nom": "Écrivez votre nom.",
        "pro_structure": "Écrivez le nom de votre structure.",
        "pro_contact": "Écrivez un téléphone ou un e-mail où vous joindre.",
    }


def test_the_referral_email_reminds_the_counsellor_of_the_article_14_notice() -> None:
    """The privacy page promises the referred young person is told, at the first contact, where
    the data came from and their rights: the counsellor's e-mail says so."""
    from forms_backend.outbox.messages import counsellor_email

    submission = {
        "id": str(uuid.uuid4()),
        "form": "orientation",
        "status": "recu",
        "created_at": "2027-03-01T09:00:00.000+00:00",
        "first_name": "Inès",
        "phone": "+33612345678",
        "email": None,
        "channel": "sms",
        "commune": "Frouard",
        "age": 19,
        "source": "partenaire-mjc-pompey",
        "referrer_name": "Julie Martin",
        "referrer_structure": "Centre social Les Deux Rives",
        "referrer_contact": "j.martin@deuxrives.example",
    }
    body = counsellor_email(
        submission, None, sender="porte-voix@localhost", recipient="conseillere@localhost"
    ).get_payload(decode=True)
    text = " ".join(body.decode("utf-8").split())
    assert "article 14" in text and "Données personnelles" in text
    assert "Dès le premier contact" in text
    callback = counsellor_email(
        {**submission, "form": "rappel"},
        None,
        sender="porte-voix@localhost",
        recipient="conseillere@localhost",
    ).get_payload(decode=True)
    assert b"article 14" not in callback


def test_no_personal_data_in_logs(client, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    post(client, "rappel", VALID)
    post(client, "rappel", {**VALID, "telephone": "12"})
    client.app.state.backend.forwarder.deliver_due()
    text = caplog.text
    assert (
        "Inès" not in text
        and "0612345678" not in text.replace(" ", "")
        and "+33612345678" not in text
    )


def test_get_form_page_carries_source_from_a_qr_code(client) -> None:  # type: ignore[no-untyped-def]
    page = BeautifulSoup(
        client.get("/formulaires/rappel", params={"source": "partenaire-mjc-pompey"}).text,
        "html.parser",
    )
    assert page.find("input", attrs={"name": "source"})["value"] == "partenaire-mjc-pompey"
    assert page.find("input", attrs={"name": "jeton"})["value"]


def test_error_page_is_the_site_page_with_the_form_in_place(sample_site) -> None:  # type: ignore[no-untyped-def]
    config = make_config(sample_site.root / "backend", site_dir=sample_site.site)
    with client_for(config) as client:
        answer = post(client, "rappel", {**VALID, "prenom": ""})
    page = BeautifulSoup(answer.text, "html.parser")
    assert page.find("footer") is not None and "Mentions légales" in page.find("footer").get_text()
    assert (
        page.find(id="pv-rappel-prenom-erreur").get_text(" ", strip=True)
        == "Erreur\u00a0: Écris ton prénom."
    )
    # The form shown again keeps the French spacing the built page had (no-break spaces).
    assert page.find("legend").get_text() == "Comment préfères-tu qu'on te contacte\u202f?"
    assert (
        page.select_one(".pv-error-summary li").get_text() == "Ton prénom\u00a0: Écris ton prénom."
    )
    assert len(page.find_all("form", class_="pv-form")) == 1


def _broken_links(page_text: str, page_url: str, site: Path) -> list[str]:
    """The page's links to the site (href and src) that lead to no file of the built site,
    resolved as a browser does from the address the page is shown at."""
    broken = []
    for tag in BeautifulSoup(page_text, "html.parser").find_all(["a", "link", "script", "img"]):
        value = tag.get("href") or tag.get("src")
        if not value or value.startswith(("#", "mailto:", "tel:")) or "//" in value:
            continue
        path = urlsplit(urljoin(page_url, value)).path
        if path.startswith("/formulaires/"):
            continue  # the backend's own routes
        target = site / path.lstrip("/")
        if not (target.is_file() or (target / "index.html").is_file()):
            broken.append(value)
    return broken


def test_pages_shown_by_the_backend_keep_the_events_links_working(sample_site) -> None:  # type: ignore[no-untyped-def]
    """The personal link's page and a sign-up form shown again live at /formulaires/…, not at
    the event's address: its « Ajouter à mon agenda », flyer and menu links must still work."""
    event = "2027-10-23-atelier-permis-liverdun"
    config = make_config(sample_site.root / "backend-links", site_dir=sample_site.site)
    with client_for(config) as client:
        backend = client.app.state.backend
        signed = post(client, "inscription", {**VALID, "evenement": event}, json=True)
        assert signed.json()["ok"], signed.text
        [submission_id] = [
            row[0] for row in sqlite3.connect(config.database).execute("SELECT id FROM submissions")
        ]
        token = make_token(backend.forwarder.link_secret(), submission_id)
        own = client.get("/formulaires/ma-place", params={"jeton": token})
        again = post(client, "inscription", {**VALID, "evenement": event, "prenom": ""})
    assert own.status_code == 200 and "Libérer ma place" in own.text
    assert "Ajouter à mon agenda" in own.text
    said = BeautifulSoup(own.text, "html.parser").find(id="pv-ma-place").find("p").get_text()
    # The title's own « » become the inner “ ” (never « Atelier « Financer mon permis » »).
    assert (
        re.sub(r"[\s\u202f]", " ", said) == "Tu es inscrit·e à « Atelier “Financer mon permis” »."
    )
    assert _broken_links(own.text, "/formulaires/ma-place", sample_site.site) == []
    assert again.status_code == 422 and "Écris ton prénom" in again.text
    assert _broken_links(again.text, "/formulaires/inscription", sample_site.site) == []


def test_labels_agree_with_their_noun() -> None:
    young, partner = form_html(CALLBACK, action="/x"), form_html(REFERRAL, action="/x")
    assert "Ta commune" in young and "Ton commune" not in young
    assert "Sa commune" in partner and "Son commune" not in partner
