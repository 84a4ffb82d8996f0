"""The standing adversarial suite: the attack corpus (``tests/data/attack_corpus.yaml``) posted
into every field of every form through the real app, forwarded to a real SMTP server, and real
Chromium opens every form shown again and asserts that no payload ran. Its second half, the
contributions accepted with the real CLI, built and opened in Chromium, is
test_adversarial_publication.py (a file of its own, so that the two run on two cores at once).

What a person (or an attacker) may expect, whatever they type:
- a French answer, never a server error; a refusal stores nothing, an acceptance stores it whole;
- every e-mail has exactly one recipient, the intended one, in its envelope and its headers;
- nothing typed runs in a browser, in a form shown again (and, in the second half, on the site);
- nothing typed reaches the staff's terminal as a control sequence (second half).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import sqlite3
import unicodedata
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser

from forms_backend.app import Backend, create_app
from forms_backend.config import BackendConfig
from forms_backend.intake.place_guard import name_key

from .backend import VALID, free_port, make_config, manifest_event, write_manifest
from .browser import chromium

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "attack_corpus.yaml").read_text("utf-8"))
PAYLOADS: list[tuple[str, str]] = [
    (f"{kind}-{number}", text)
    for kind, texts in CORPUS.items()
    for number, text in enumerate(texts)
]
FLAG = "__pv_pwned"
EVENT_ID = "atelier-cv"
COUNSELLOR = "conseillere@mission-locale.test"

REFERRAL = {
    "pro_nom": "Karim Benali",
    "pro_structure": "Centre social de Frouard",
    "pro_contact": "k.benali@centre-social.test",
    **{k: VALID[k] for k in ("prenom", "telephone", "email", "commune", "age", "canal")},
    "accord_jeune": "oui",
    "consentement": "oui",
    "source": "",
}
TESTIMONY = {
    "prenom": "Inès",
    "age": "19",
    "commune": "Frouard",
    "citation": "Ici, on m'a écoutée.",
    "recit": "J'ai arrêté le lycée. Une conseillère est venue. Aujourd'hui je suis en BTS.",
    "email_parent": "",
    "email": "",
    "accord_publication": "oui",
}
PROPOSAL = {
    "titre": "Tournoi de foot",
    "date": f"{date.today() + timedelta(days=30):%Y-%m-%d}",
    "debut": "14:00",
    "fin": "17:00",
    "lieu": "Stade municipal, rue du Stade",
    "commune": "Frouard",
    "description": "Un tournoi entre jeunes, avec des entreprises.",
    "email": "",
    "accord_publication": "oui",
}
# Each form, the valid answers it starts from, and whether it is a contribution (multipart).
FORMS: dict[str, tuple[dict[str, str], bool]] = {
    "rappel": (VALID, False),
    "inscription": ({**VALID, "evenement": EVENT_ID}, False),
    "orientation": (REFERRAL, False),
    "temoignage": (TESTIMONY, True),
    "evenement": (PROPOSAL, True),
}
TECHNICAL = ("id", "jeton", "source", "site_web")
# Left valid when a payload fills a whole form: the form must come back, with its messages.
KEPT_AS_IS = ("age", "canal", "date", "debut", "fin", "evenement")
# Fields whose text a contribution publishes: where a payload that passed the door must be shown.
PUBLISHED = {
    "temoignage": ("prenom", "commune", "citation", "recit"),
    "evenement": ("titre", "lieu", "commune", "description"),
}
ROW_TABLES = ("submissions", "outbox", "contributions", "letters")


class Envelopes:
    """An aiosmtpd handler that keeps each message with its SMTP envelope."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


@dataclass
class Attack:
    """What the posts left behind, for the checks that follow."""

    config: BackendConfig
    inbox: Envelopes
    answers: list[tuple[str, str, str, int]] = field(
        default_factory=list
    )  # form, field, payload, status
    refills: list[tuple[str, str, str]] = field(default_factory=list)  # form, payload id, HTML


def row_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ROW_TABLES}


async def post(
    client: httpx2.AsyncClient, form: str, data: dict[str, str], multipart: bool, **options: Any
) -> httpx2.Response:
    """Send ``data`` as a browser would: with a fresh id and the time token a page's script asks
    for (one token per form and client: it says when the form was shown, and may be sent again)."""
    tokens = client.__dict__.setdefault("pv_tokens", {})
    if form not in tokens:
        answer = await client.get("/formulaires/jeton", params={"formulaire": form})
        tokens[form] = answer.json()["jeton"]
    fields = {"id": str(uuid.uuid4()), "jeton": tokens[form], **data}
    files = {"photo": ("", b"", "application/octet-stream")} if multipart else None
    return await client.post(f"/formulaires/{form}", data=fields, files=files, **options)


@contextmanager
def real_app(config: BackendConfig) -> Iterator[tuple[Backend, Callable[..., Any]]]:
    """The real app, driven in-process through its ASGI interface (a TestClient's thread hops
    cost six times more than the app itself, and this suite sends thousands of forms); the
    second value runs a coroutine taking an HTTP client."""
    app = create_app(config, run_worker=False)

    def run(work: Callable[[httpx2.AsyncClient], Awaitable[Any]]) -> Any:
        async def session() -> Any:
            transport = httpx2.ASGITransport(app=app)
            async with httpx2.AsyncClient(
                transport=transport, base_url="http://testserver"
            ) as client:
                return await work(client)

        # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, session()).result()

    try:
        yield app.state.backend, run
    finally:
        app.state.backend.committer.stop()


FRENCH_PAGE = re.compile(r'<html[^>]* lang="fr"')
MESSAGE = re.compile(r'class="(pv-error|pv-form-notice)"[^>]*>.*?\w|<main><h1>Oups</h1><p>\w', re.S)


def assert_french_refusal(answer: httpx2.Response, form: str, where: str) -> None:
    """A refusal is a French page with a message (checked with two patterns rather than a full
    parse: this runs thousands of times)."""
    assert answer.status_code < 500, f"{form}/{where}: erreur serveur {answer.status_code}"
    assert FRENCH_PAGE.search(answer.text), f"{form}/{where}: pas une page en français"
    assert MESSAGE.search(answer.text), f"{form}/{where}: pas de message"


@pytest.fixture(scope="module")
def attack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Attack]:
    """Every payload into every field of every form, one at a time; then one post per payload
    with it in every field at once and a box left unticked, to see the form shown again."""
    tmp = tmp_path_factory.mktemp("attaque")
    inbox = Envelopes()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    config = make_config(
        tmp,
        uploads=tmp / "contributions",
        smtp_url=f"smtp://127.0.0.1:{port}",
        counsellor_email=COUNSELLOR,
        rate_limit=1_000_000,
        attempt_limit=1_000_000,
    )
    write_manifest(config.site_dir, [manifest_event(EVENT_ID, places=100_000)])
    result = Attack(config, inbox)
    try:
        with real_app(config) as (backend, run):

            async def every_form(client: httpx2.AsyncClient) -> None:
                for form, (base, multipart) in FORMS.items():
                    await _attack_each_field(client, result, form, base, multipart)
                    await _attack_whole_form(client, result, form, base, multipart)

            run(every_form)
            backend.forwarder.deliver_due()
            backend.letters.deliver_due()
        yield result
    finally:
        controller.stop()


def signed_up_as(database: Path, first_name: str) -> bool:
    """Whether a sign-up is stored under this first name (as two tries may type it)."""
    db = sqlite3.connect(database)
    try:
        names = [row[0] for row in db.execute("SELECT first_name FROM submissions")]
    finally:
        db.close()
    return name_key(first_name) in {name_key(name or "") for name in names}


async def _attack_each_field(
    client: httpx2.AsyncClient, result: Attack, form: str, base: dict[str, str], multipart: bool
) -> None:
    with sqlite3.connect(result.config.database) as db:
        for name in [*base, *TECHNICAL]:
            for ident, payload in PAYLOADS:
                data = {**base, name: payload}
                if name == "email_parent":
                    data["age"] = "16"  # a minor: the parent's address is used
                before = row_counts(db)
                answer = await post(client, form, data, multipart)
                after = row_counts(db)
                result.answers.append((form, name, ident, answer.status_code))
                where = f"{name} ← {ident}"
                if answer.status_code == 303:
                    grown = {t for t in ROW_TABLES if after[t] > before[t]}
                    # The honeypot is kept apart as spam; a contribution with no valid id gets
                    # one from what was typed (a second press is stored once), so the same form
                    # sent again with only another broken id is rightly not stored twice.
                    # A sign-up with the number and first name of one already made (« <b> »
                    # then « <B> ») is the same young person again: her own sign-up answers.
                    again = form == "inscription" and signed_up_as(
                        result.config.database, data.get("prenom", "")
                    )
                    if name not in ("site_web", "id") and not again:
                        assert grown & {"submissions", "contributions"}, f"{form}/{where}"
                else:
                    assert_french_refusal(answer, form, where)
                    assert after == before, f"{form}/{where}: refusé mais à moitié écrit"


async def _attack_whole_form(
    client: httpx2.AsyncClient, result: Attack, form: str, base: dict[str, str], multipart: bool
) -> None:
    box = "accord_publication" if form in PUBLISHED else "consentement"
    for ident, payload in PAYLOADS:
        data = {k: (v if k in KEPT_AS_IS else payload) for k, v in base.items()}
        data[box] = ""
        answer = await post(client, form, data, multipart)
        assert_french_refusal(answer, form, f"tout ← {ident}")
        result.refills.append((form, ident, answer.text))


def test_every_answer_is_french_and_never_a_server_error(attack: Attack) -> None:
    assert len(attack.answers) > 2000
    errors = [a for a in attack.answers if a[3] >= 500]
    assert errors == []


def test_every_email_has_one_recipient_the_intended_one(attack: Attack) -> None:
    assert attack.inbox.received, "rien n'a été envoyé"
    with sqlite3.connect(attack.config.database) as db:
        # Every row due is sent (the sign-ups' reminders wait for their day).
        pending = db.execute(
            "SELECT count(*) FROM outbox WHERE state != 'sent' AND NOT "
            "(state = 'pending' AND target LIKE '%:rappel-%' AND next_attempt_at > ?)",
            (datetime.now(UTC).isoformat(),),
        ).fetchone()[0]
    assert pending == 0
    for recipients, message in attack.inbox.received:
        assert len(recipients) == 1, recipients
        assert message.get_all("Cc") is None and message.get_all("Bcc") is None
        (to,) = message.get_all("To")
        assert len(to.addresses) == 1 and to.addresses[0].addr_spec == recipients[0]
        # The corpus hides a second address, always « victime », behind the one typed.
        assert "victime" not in recipients[0].lower(), recipients


def test_no_email_carries_an_invented_line_or_a_control_character(attack: Attack) -> None:
    for _, message in attack.inbox.received:
        for part in message.walk():
            if part.get_content_type() != "text/plain":
                continue
            # CR LF is MIME's own line break (RFC 2046 canonical form); a lone CR is not.
            body = part.get_content().replace("\r\n", "\n")
            bad = [c for c in body if _control(c) and c not in "\n\t"]
            assert bad == [], (message["Subject"], bad[:3])
            # A payload cannot start a line that looks like one of the e-mail's own labels.
            assert not re.search(r"^(Prénom|Téléphone) : Faux", body, re.M), body


def test_every_form_shown_again_runs_nothing(attack: Attack, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    ran: list[str] = []
    try:
        for form, ident, html in attack.refills:
            page.set_content(html, wait_until="load")
            page.wait_for_timeout(5)
            if _ran(page):
                ran.append(f"{form} ← {ident}")
    finally:
        context.close()
    assert ran == []


def _control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in BIDI


BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
DANGEROUS_JS = r"""() => {
  const found = [];
  const urls = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc', 'poster'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(el.tagName + ' ' + name);
      if (urls.includes(name) && /^(javascript:|vbscript:|data:text|data:image\/svg)/.test(value))
        found.push(el.tagName + ' ' + name + '=' + value.slice(0, 40));
      if (name === 'srcdoc') found.push(el.tagName + ' srcdoc');
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('__pv_pwned')
        && el.type !== 'application/ld+json') found.push('script');
    if (el.tagName === 'META' && (el.httpEquiv || '').toLowerCase() === 'refresh') found.push('meta refresh');
    if (el.tagName === 'BASE') found.push('base');
  }
  return found;
}"""


# What ran: the flag a payload sets, then every element or attribute that could run code (one
# round trip per page: this runs for hundreds of them).
RAN_JS = f"() => [...(window.{FLAG} ? ['le script a tourné'] : []), ...({DANGEROUS_JS})()]"


def _ran(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(RAN_JS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser
