"""French typography, one rule set (``forms_backend/typography.py``) for the site, the flyers
and the e-mails: no line may break before « : ; ! ? », inside « », inside « 17 h 30 », between a
day and its month or a number and its unit — so those spaces must be non-breaking."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from forms_backend.html_typography import typeset_html
from forms_backend.outbox.digest import digest_email
from forms_backend.outbox.messages import counsellor_email
from forms_backend.store.follow_up import Waiting

from .conftest import Project

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# A plain (breakable) space where French typography forbids a line break.
FORBIDDEN_BREAKS = {
    "before a high punctuation mark": re.compile(r"[ \t\n]+[:;!?](?=\s|$)"),
    "after «": re.compile(r"«[ \t\n]"),
    "before »": re.compile(r"[ \t\n]»"),
    "inside a time": re.compile(r"\b\d{1,2}[ \t\n]+h\b|\bh[ \t\n]+\d{2}\b"),
    "between a day and its month": re.compile(rf"\b(?:\d{{1,2}}|1er)[ \t\n]+(?:{MONTHS})\b"),
    "between a month and its year": re.compile(rf"\b(?:{MONTHS})[ \t\n]+\d{{4}}\b"),
    "between a number and its unit": re.compile(r"\d[ \t\n]+(?:€|km|ans|h)(?!\w)"),
}
VERBATIM = {"script", "style", "code", "pre", "textarea", "kbd", "samp"}


class VisibleText(HTMLParser):
    """The text nodes a reader sees (the head's title included), outside code and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VERBATIM:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self.open and data.strip():
            self.texts.append(data)


def breaks(text: str) -> list[str]:
    """Every forbidden break opportunity in ``text``, named."""
    return [
        f"{name}: {m.group()!r} in {text.strip()[:80]!r}"
        for name, pattern in FORBIDDEN_BREAKS.items()
        for m in pattern.finditer(text)
    ]


def visible_texts(path: Path) -> list[str]:
    parser = VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.texts


def test_no_built_page_breaks_a_line_where_french_forbids_it(sample_site: Project) -> None:
    pages = sorted(sample_site.site.rglob("*.html"))
    assert len(pages) > 30
    found = [
        f"{p.relative_to(sample_site.site)}: {b}"
        for p in pages
        for t in visible_texts(p)
        for b in breaks(t)
    ]
    assert found == []
    # The pages do hold what the rules are about (the check above is not vacuous).
    event = sample_site.site / "evenements/2027-10-23-atelier-permis-liverdun/index.html"
    text = " ".join(visible_texts(event))
    assert "samedi 23\u00a0octobre\u00a02027, de 14\u00a0h à 16\u00a0h" in text
    assert "Quand\u00a0:" in text


class ShownMeta(HTMLParser):
    """The ``content`` of the <meta> tags search engines and social networks show as text."""

    NAMES = frozenset(
        {"description", "og:title", "og:description", "og:image:alt", "twitter:image:alt"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        name = values.get("name") or values.get("property") or ""
        if tag == "meta" and name in self.NAMES:
            self.found[name] = values.get("content") or ""


def shown_meta(path: Path) -> dict[str, str]:
    parser = ShownMeta()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def test_descriptions_shown_by_search_engines_and_social_networks_follow_it(
    sample_site: Project,
) -> None:
    """Google's snippet and a network's link preview wrap these texts in their own lines."""
    pages = sorted(sample_site.site.rglob("*.html"))
    found = [
        f"{p.relative_to(sample_site.site)} {name}: {b}"
        for p in pages
        for name, text in shown_meta(p).items()
        for b in breaks(text)
    ]
    assert found == []
    event = shown_meta(
        sample_site.site / "evenements/2027-10-23-atelier-permis-liverdun/index.html"
    )
    assert "23\u00a0octobre\u00a02027, de 14\u00a0h à 16\u00a0h" in event["og:description"]
    assert "«\u202fFinancer mon permis\u202f»" in event["og:title"]
    assert "Affiche de l'événement\u00a0:" in event["og:image:alt"]
    assert "ni formation\u202f?" in shown_meta(sample_site.site / "index.html")["description"]


def test_typesetting_leaves_code_attributes_and_scripts_alone() -> None:
    html = (
        '<p title="a : b">Viens ! Le 3 mars à 17 h 30 : « oui »</p>'
        "<pre><code>x = 1 ; y = 2 !</code></pre><script>if (a ? b : c) {}</script>"
        '<a href="https://x.fr/?q=1">12 km</a><!-- 1 : 2 --><p>Tape <code>x ; y</code> !</p>'
    )
    assert typeset_html(html) == (
        '<p title="a : b">Viens\u202f! Le 3\u00a0mars à 17\u00a0h\u00a030\u00a0: «\u202foui\u202f»</p>'
        "<pre><code>x = 1 ; y = 2 !</code></pre><script>if (a ? b : c) {}</script>"
        '<a href="https://x.fr/?q=1">12\u00a0km</a><!-- 1 : 2 -->'
        "<p>Tape <code>x ; y</code>\u202f!</p>"
    )


SUBMISSION = {
    "id": "8f14e45f-ceea-467f-a9ad-9b1d1e0c1c01",
    "form": "rappel",
    "created_at": "2026-12-01T13:05:00+00:00",
    "status": "recu",
    "event_id": None,
    "first_name": "Zoé",
    "phone": "0612345678",
    "email": "",
    "channel": "telephone",
    "commune": "Pompey",
    "age": 19,
    "source": "flyer-a5",
}


def test_emails_use_the_same_typography() -> None:
    message = counsellor_email(SUBMISSION, None, sender="a@ml.fr", recipient="b@ml.fr")
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "le 01/12/2026 à 14\u00a0h\u00a005." in body
    assert "Âge\u00a0: 19\u00a0ans" in body
    assert all(not breaks(line) for line in body.splitlines()), body
    assert "porte-voix forms done 8f14e45f" in body  # a command stays as it is to copy
    waiting = [
        Waiting(
            id=SUBMISSION["id"],
            form="rappel",
            created_at=datetime(2026, 12, 1, 13, 5, tzinfo=UTC),
            first_name="Zoé",
            age=19,
            commune="Pompey",
            phone="06 12 34 56 78",
            email="",
            channel="telephone",
            referrer="",
        )
    ]
    digest = digest_email(
        waiting, 0, datetime(2026, 11, 24, tzinfo=UTC), sender="a@ml.fr", recipient="b@ml.fr"
    )
    text = digest.get_payload(decode=True).decode(digest.get_content_charset())
    assert "du 01/12/2026 à 14\u00a0h\u00a005" in text and "19\u00a0ans" in text
    assert all(not breaks(line) for line in text.splitlines()), text


def test_agenda_feed_summaries_follow_french_typography(sample_site: Project) -> None:
    import feedparser

    feed = feedparser.parse((sample_site.site / "agenda.xml").read_bytes())
    summaries = [entry.summary for entry in feed.entries]
    assert summaries and all("Pour qui\u00a0:" in summary for summary in summaries)
    assert [b for summary in summaries for b in breaks(summary)] == []
    titles = [feed.feed.title, *(entry.title for entry in feed.entries)]
    assert [b for title in titles for b in breaks(title)] == []
    assert "Atelier «\u202fFinancer mon permis\u202f»" in titles


def test_typesetting_changes_only_the_meta_texts_people_read() -> None:
    html = (
        '<meta name="description" content="Viens ! « Oui » à 9 h 30">'
        '<meta property="og:url" content="https://x.fr/?a : b">'
        "<meta content='Le 3 mars : tous' property='og:image:alt'>"
        '<meta name="viewport" content="a : b">'
    )
    assert typeset_html(html) == (
        '<meta name="description" content="Viens\u202f! «\u202fOui\u202f» à 9\u00a0h\u00a030">'
        '<meta property="og:url" content="https://x.fr/?a : b">'
        "<meta content='Le 3\u00a0mars\u00a0: tous' property='og:image:alt'>"
        '<meta name="viewport" content="a : b">'
    )


def test_an_emails_subject_keeps_its_no_break_spaces() -> None:
    """The subject is put on one line without turning the no-break spaces back into plain ones
    (a mail reader would break it before « : » or inside « »)."""
    from email.header import decode_header, make_header

    signup = {**SUBMISSION, "form": "inscription", "status": "liste_attente", "event_id": "x"}
    title = "Atelier « Mon CV » : 17 h 30 ou\r\nBcc: x@y.fr"
    message = counsellor_email(signup, title, sender="a@ml.fr", recipient="b@ml.fr")
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == (
        "[Aller vers] Inscription (sur liste d'attente) — "
        "Atelier «\u202fMon CV\u202f»\u00a0: 17\u00a0h\u00a030 ou Bcc: x@y.fr"
    )
    assert breaks(subject) == []


def test_a_form_the_backend_shows_again_follows_it(tmp_path: Path) -> None:
    """After an error (sent without JavaScript), the backend shows the form again in the built
    page: its labels, hints and errors get the same spaces as the page's own copy."""
    from .backend import VALID, client_for, fresh, make_config

    config = make_config(tmp_path)
    pages = []
    with client_for(config) as client:
        for form, typed in (("rappel", {"prenom": "", "age": "12"}), ("orientation", {})):
            answer = client.post(f"/formulaires/{form}", data={**fresh(client, form), **typed})
            assert answer.status_code == 422, answer.text
            pages.append(answer.text)
        data = {**fresh(client, "rappel"), **VALID, "commune": "Frouard : le 3 mars à 9 h"}
        data["age"] = "12"
        pages.append(client.post("/formulaires/rappel", data=data).text)
    found = []
    for page in pages:
        parser = VisibleText()
        parser.feed(page)
        found += [b for text in parser.texts for b in breaks(text)]
    assert found == []
    parser = VisibleText()
    parser.feed(pages[0])
    text = " ".join(parser.texts)
    assert "Comment préfères-tu qu'on te contacte\u202f?" in text
    assert "Par exemple\u00a0: 06" in text
    # What the person typed is given back as typed, in the field's value: never changed.
    assert 'value="Frouard : le 3 mars à 9 h"' in pages[2]


def test_the_messages_the_forms_script_shows_follow_it(tmp_path: Path) -> None:
    """With JavaScript, the page shows the backend's JSON messages as they come: they carry the
    no-break spaces the page's own text has."""
    from datetime import timedelta

    from .backend import VALID, client_for, fresh, make_config, manifest_event, write_manifest

    config = make_config(tmp_path)
    free = manifest_event("2030-01-04-libre", registration=False)
    over = manifest_event("2030-01-03-passe", starts_in=timedelta(days=-2))
    write_manifest(config.site_dir, [free, over])
    json = {"Accept": "application/json"}
    texts = []
    with client_for(config) as client:
        for event in (free["id"], over["id"]):
            data = {**fresh(client, "inscription"), **VALID, "evenement": event}
            answer = client.post("/formulaires/inscription", data=data, headers=json)
            assert answer.status_code == 409, answer.text
            texts.append(answer.json()["message"])
        data = {**fresh(client, "rappel"), **VALID, "age": "12", "prenom": ""}
        answer = client.post("/formulaires/rappel", data=data, headers=json)
        assert answer.status_code == 422, answer.text
        texts += answer.json()["erreurs"].values()
    assert [b for text in texts for b in breaks(text)] == []
    assert texts[0].endswith("entrée libre. Viens directement\u202f!")
    assert texts[1].startswith("Cet événement est terminé\u00a0: on ne peut")


def test_a_closed_sign_up_gives_the_time_as_french_writes_it(tmp_path: Path) -> None:
    from datetime import timedelta

    from .backend import VALID, client_for, fresh, make_config, manifest_event, write_manifest

    config = make_config(tmp_path)
    closed = manifest_event("2030-01-02-clos", deadline_in=timedelta(hours=-1))
    write_manifest(config.site_dir, [closed])
    with client_for(config) as client:
        data = {**fresh(client, "inscription"), **VALID, "evenement": closed["id"]}
        answer = client.post(
            "/formulaires/inscription", data=data, headers={"Accept": "application/json"}
        )
    assert answer.status_code == 409, answer.text
    message = answer.json()["message"]
    pattern = r"Les inscriptions sont closes depuis le \d\d/\d\d/\d{4} à \d{1,2}\u00a0h\u00a0\d\d\."
    assert re.fullmatch(pattern, message), message
