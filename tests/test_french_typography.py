"""French typography, one rule set (``forms_backend/typography.py``) for the site, the flyers
and the e-mails: no line may break before « : ; ! ? », inside « », inside « 17 h 30 », between a
day and its month or a number and its unit — so those spaces must be non-breaking."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from forms_backend.outbox.digest import digest_email
from forms_backend.outbox.messages import counsellor_email
from forms_backend.store.follow_up import Waiting
from forms_backend.typography import typeset_html

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
