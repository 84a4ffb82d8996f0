"""Text is text, everywhere: hostile text sent through the forms, published with the real
``porte-voix contributions accept`` and built with the real ``mkdocs build --strict``, never
runs in Chromium, and comes out as the same text in every page, calendar, feed, JSON-LD block,
search index and flyer; the moderator's terminal never receives a raw control character."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from forms_backend.contributions.store import ContributionStore
from forms_backend.store.database import Store
from generator.cli import main
from generator.content.scaffold import EventAnswers, new_event

from .backend import free_port, make_config
from .browser import chromium
from .conftest import ENVIRONMENT, PARIS, Project, new_project

PAYLOADS = [
    line.replace("\\n", "\n")
    for line in (Path(__file__).parent / "data" / "xss_payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("#")
]
FLAG = "__pv_xss"
JINJA = "{{ 7*7 }}"


def one_line(text: str) -> str:
    """What a one-line field shows: the text typed, its line breaks and runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class HostileSite:
    """The built site, and the text each published item was given."""

    project: Project
    backend_env: dict[str, str]
    titles: list[str] = field(default_factory=list)  # every event, as typed
    testimonials: list[dict[str, str]] = field(default_factory=list)
    staff_event: dict[str, str] = field(default_factory=dict)


def backend_env(config: Any) -> dict[str, str]:
    return {
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_UPLOADS": str(config.uploads),
        "PORTE_VOIX_MAILDIR": str(config.maildir),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
    }


def porte_voix(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The real command, in a subprocess: its output as the terminal would receive it (bytes)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        env={**ENVIRONMENT, **env},
        cwd=cwd,
        timeout=120,
    )


def add_contribution(store: ContributionStore, kind: str, fields: dict[str, str]) -> str:
    """A contribution as the backend keeps it (real SQLite, the store's own insert), whatever
    the forms' checks at the door: this side must be safe with any stored text."""
    ident = secrets.token_hex(16)
    store.add(
        ident,
        kind,
        fields,
        photo=None,
        photo_consent=False,
        contributor_email=None,
        guardian_email=None,
    )
    return ident


def _event_day(number: int, payload: str) -> date:
    """A few events ahead (in the calendar, the feed, the search index, with flyers), the
    others past (their pages stay online): making every flyer would take minutes."""
    ahead = number % 8 == 0 or JINJA in payload
    return date.today() + (timedelta(days=5 + number) if ahead else -timedelta(days=1 + number))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    root = tmp_path_factory.mktemp("hostile")
    config = make_config(root, uploads=root / "contributions")
    store = Store(config.database)
    store.migrate()
    contributions = ContributionStore(store)
    story = "\n\n".join(["Mon histoire commence ici.", *PAYLOADS])
    site = HostileSite(new_project(root / "projet"), backend_env(config))
    idents = []
    for number, payload in enumerate(PAYLOADS):
        testimonial = {
            "prenom": payload if len(payload) <= 40 else f"Zoé {number}",
            "age": "19",
            "commune": payload if len(payload) <= 80 else "Frouard",
            "citation": payload,
            "recit": story,
            "accord_publication": "oui",
        }
        event = {
            "titre": f"Tournoi {number} {payload}",
            "date": f"{_event_day(number, payload):%Y-%m-%d}",
            "debut": "14:00",
            "fin": "17:00",
            "lieu": payload if len(payload) <= 120 else "Stade",
            "commune": "Frouard",
            "description": story,
            "accord_publication": "oui",
        }
        idents.append(add_contribution(contributions, "temoignage", testimonial))
        idents.append(add_contribution(contributions, "evenement", event))
        site.testimonials.append(testimonial)
        site.titles.append(event["titre"])
    store.close()
    mkdocs_yml = str(site.project.root / "mkdocs.yml")
    for ident in idents:  # in this process: seventy Python start-ups would take minutes
        accepted = CliRunner().invoke(
            main,
            ["contributions", "accept", ident[:12], "--config", mkdocs_yml],
            env=site.backend_env,
        )
        assert accepted.exit_code == 0, accepted.output
        assert "corriger" not in accepted.output, accepted.output
    # A counsellor's own event (``porte-voix new evenement``): content text is text too.
    start = datetime.combine(date.today() + timedelta(days=3), time(10), PARIS)
    site.staff_event = {
        "title": 'Atelier "><svg onload=__pv_xss=1>',
        "place": "</script><script>__pv_xss=1</script>",
        "address": "&lt;img src=x onerror=__pv_xss=1&gt;",
        "audience": "<img src=x onerror=__pv_xss=1> {{ 7*7 }}",
    }
    new_event(
        site.project.content,
        EventAnswers(
            **site.staff_event,
            start=start,
            end=start + timedelta(hours=2),
            commune="Pompey",
            places=None,
            deadline=None,
        ),
    )
    site.titles.append(site.staff_event["title"])
    build = site.project.build()
    assert build.returncode == 0, build.stderr
    return site


def test_accept_writes_what_was_typed_never_unescaped(hostile: HostileSite) -> None:
    files = sorted((hostile.project.content / "temoignages").glob("*.md"))
    written = [yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]) for path in files]
    citations = {meta["citation"] for meta in written}
    assert citations == {one_line(t["citation"]) for t in hostile.testimonials}
    assert "&lt;img src=x onerror=__pv_xss=1&gt;" in citations  # not « <img … > »
    assert "<b>Zoé</b>" in {meta["prenom"] for meta in written}  # kept, shown as text


@dataclass
class Visit:
    """What Chromium found on one page."""

    flag: Any
    dangerous: list[str]
    h1: str
    title: str
    description: str
    json_ld: list[str]
    text: str


DANGEROUS_DOM = """() => {
  const found = [];
  const urls = ["href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"];
  const live = ["script", "style", "iframe", "object", "embed", "svg", "math", "template", "details"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if ((name.startsWith("on") || name === "style" || name === "srcdoc") && value.includes("__pv_xss")) {
        found.push(`${el.tagName} ${name}`);
      }
      if (urls.includes(name) && /^(javascript|data|vbscript):/.test(value)) {
        found.push(`${el.tagName} ${name}=${attr.value.slice(0, 40)}`);
      }
    }
    const tag = el.tagName.toLowerCase();
    const data = tag === "script" && el.type === "application/ld+json";
    if (live.includes(tag) && !data && el.outerHTML.includes("__pv_xss")) {
      found.push(el.outerHTML.slice(0, 80));
    }
  }
  return found;
}"""

READ_PAGE = f"""() => ({{
  flag: window.{FLAG} ?? null,
  dangerous: ({DANGEROUS_DOM})(),
  h1: (document.querySelector("article h1") || {{}}).textContent || "",
  title: document.title,
  description: (document.querySelector('meta[name="description"]') || {{}}).content || "",
  json_ld: [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent),
  text: (document.querySelector("article") || document.body).innerText,
}})"""  # one round trip per page: there are hundreds


def serve(site_dir: Path) -> tuple[ThreadingHTTPServer, str]:
    """The built site on a loopback port, as any static host would serve it."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", free_port()), partial(Quiet, directory=str(site_dir))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def visits(hostile: HostileSite) -> Iterator[dict[str, Visit]]:
    """Every built HTML page opened in Chromium, and what it held once loaded; then a search
    typed on the home page, whose results are also a page (``#search``)."""
    site = hostile.project.site
    server, base = serve(site)
    found: dict[str, Visit] = {}
    try:
        with chromium() as browser:
            page = browser.new_page()
            for path in sorted(site.rglob("*.html")):
                url = f"{base}/{path.relative_to(site).as_posix()}"
                page.goto(url, wait_until="load")
                page.wait_for_timeout(50)  # an image's error event, a toggle's event
                found[url] = Visit(**page.evaluate(READ_PAGE))
            page.goto(f"{base}/", wait_until="load")
            page.locator(".md-search__input").click()  # in the header, at desktop width
            page.keyboard.type("Tournoi", delay=30)
            page.wait_for_selector(".md-search-result__item", timeout=20_000)
            page.wait_for_timeout(300)
            results = page.evaluate(
                "() => [...document.querySelectorAll('.md-search-result__item')].map(i => i.innerText).join('\\n')"
            )
            found["#search"] = Visit(
                page.evaluate(f"window.{FLAG}"),
                page.evaluate(DANGEROUS_DOM),
                "",
                "",
                "",
                [],
                results,
            )
        yield found
    finally:
        server.shutdown()
        server.server_close()


def test_no_payload_ever_runs_or_becomes_an_element_in_chromium(
    hostile: HostileSite, visits: dict[str, Visit]
) -> None:
    event_pages = [url for url in visits if "/evenements/" in url]
    assert len(event_pages) >= len(hostile.titles)
    ran = {url: v.flag for url, v in visits.items() if v.flag is not None}
    elements = {url: v.dangerous for url, v in visits.items() if v.dangerous}
    assert ran == {} and elements == {}
    assert "Tournoi" in visits["#search"].text  # the search did show results


def test_every_title_is_shown_as_the_text_typed(
    hostile: HostileSite, visits: dict[str, Visit]
) -> None:
    # French typography turns some spaces into no-break ones: one_line reads them as spaces.
    by_h1 = {one_line(visit.h1): visit for url, visit in visits.items() if "/evenements/" in url}
    for typed in hostile.titles:
        visit = by_h1[one_line(typed)]  # the heading: the very text typed
        assert one_line(visit.title) == f"{one_line(typed)} - Mission Locale du Val de Lorraine"
        (data,) = visit.json_ld
        assert json.loads(data)["name"] == one_line(typed)
    testimonial_pages = {
        one_line(visit.h1): visit for url, visit in visits.items() if "/temoignages/" in url
    }
    for typed in hostile.testimonials:
        name = one_line(f"{typed['prenom']}, 19 ans, {typed['commune']}")
        visit = testimonial_pages[name]
        # <meta name="description">, French no-break spaces read as spaces
        assert one_line(visit.description) == one_line(typed["citation"])
        assert f"« {one_line(typed['citation'])} »" in one_line(visit.text)
        # The story keeps each payload as words on the page, not as markup.
        assert "<script>__pv_xss=1</script>" in visit.text
        assert "<b>Zoé</b>" in visit.text and "'><svg/onload=__pv_xss=1>" in visit.text
        assert "&lt;img src=x onerror=__pv_xss=1&gt;" in visit.text


def test_template_syntax_is_never_evaluated(hostile: HostileSite, visits: dict[str, Visit]) -> None:
    jinja_title = next(t for t in hostile.titles if JINJA in t)
    (visit,) = [v for v in visits.values() if one_line(v.h1) == one_line(jinja_title)]
    assert JINJA in visit.text and "49" not in visit.text
    staff = next(
        v for v in visits.values() if one_line(v.h1) == one_line(hostile.staff_event["title"])
    )
    assert f"Pour qui : {one_line(hostile.staff_event['audience'])}" in one_line(staff.text)
    assert "49" not in staff.text


def test_json_ld_cannot_be_closed_by_the_text(hostile: HostileSite) -> None:
    for path in (hostile.project.site / "evenements").glob("*/index.html"):
        html = path.read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, path
        assert "<" not in blocks[0] and ">" not in blocks[0], path  # \u003c, as Jinja's tojson


def test_calendar_feed_and_search_index_hold_the_text_typed(hostile: HostileSite) -> None:
    site = hostile.project.site
    typed = {one_line(title) for title in hostile.titles}
    calendars = [icalendar.Calendar.from_ical(path.read_bytes()) for path in site.rglob("*.ics")]
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    # French typography turns some spaces into no-break ones: one_line reads them as spaces.
    assert {one_line(str(event["summary"])) for event in events} == typed
    places = {one_line(str(event["location"])) for event in events}
    staff = hostile.staff_event
    assert f"{staff['place']}, {staff['address']}" in places
    feed = ElementTree.parse(site / "agenda.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = {
        one_line(entry.findtext(f"{atom}title") or "") for entry in feed.iter(f"{atom}entry")
    }
    assert len(entries) >= 5 and entries <= typed
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = set()
    for document in index["docs"]:
        # Material's index holds HTML that its page script inserts as markup: text must
        # come escaped, so parsing it gives back the text and no element but highlights.
        for fragment in (document["title"], document["text"]):
            parsed = BeautifulSoup(fragment, "html.parser")
            names = {tag.name for tag in parsed.find_all(True)}
            assert names <= {
                "p",
                "code",
                "strong",
                "em",
                "ul",
                "ol",
                "li",
                "blockquote",
                "a",
                "pre",
                "span",
                "table",
                "thead",
                "tbody",
                "tr",
                "th",
                "td",
                "br",
            }, fragment[:120]
            for tag in parsed.find_all(True):
                assert not any(name.startswith("on") for name in tag.attrs), fragment[:120]
        found.add(BeautifulSoup(document["title"], "html.parser").get_text())
    assert typed & found  # the upcoming events are in the index, under the text typed


def test_flyer_title_is_the_text_typed(hostile: HostileSite) -> None:
    staff = hostile.staff_event["title"]
    flyers = list((hostile.project.site / "evenements").glob("*atelier*/flyer-a5.pdf"))
    assert len(flyers) == 1
    info = subprocess.run(
        ["pdfinfo", str(flyers[0])], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Title:\s+(.*)$", info, re.M)[1].startswith(staff)


CONTROLS = (
    "\x1b[2J\x1b]0;piège\x07 Zoé\u202e gpj.exe\x00\r écrasé \x9b31m \u2066x\u2069 \u200f\u061c"
)
RAW_CONTROL = re.compile(
    rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c"
)


def test_the_moderators_terminal_never_receives_a_raw_control(tmp_path: Path) -> None:
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    store = Store(config.database)
    store.migrate()
    ident = add_contribution(
        ContributionStore(store),
        "temoignage",
        {
            "prenom": CONTROLS[:40],
            "age": "19",
            "commune": "Frouard",
            "citation": CONTROLS,
            "recit": f"Ligne un.\r\n{CONTROLS}\r\nLigne trois.",
            "accord_publication": "oui",
        },
    )
    store.close()
    project = new_project(tmp_path / "projet")
    env = backend_env(config)
    listing = porte_voix(env, "contributions", "list")
    shown = porte_voix(
        env, "contributions", "show", ident[:8], "--config", str(project.root / "mkdocs.yml")
    )
    for result in (listing, shown):
        assert result.returncode == 0, result.stderr.decode()
        assert RAW_CONTROL.search(result.stdout) is None, result.stdout
    text = shown.stdout.decode()
    assert "\\x1b[2J\\x1b]0;piège\\x07 Zoé<U+202E> gpj.exe\\x00\\x0d écrasé \\x9b31m" in text
    assert "<U+2066>x<U+2069> <U+200F><U+061C>" in text
    assert "Ligne un.\n" in text  # a form's CR LF is a line break, not « \x0d »
    accepted = porte_voix(
        env, "contributions", "accept", ident[:8], "--config", str(project.root / "mkdocs.yml")
    )
    assert accepted.returncode == 0, accepted.stderr.decode()
    assert RAW_CONTROL.search(accepted.stdout) is None
    assert "caractère(s) invisible(s) retiré(s) de « citation »" in accepted.stdout.decode()
    (written,) = (project.content / "temoignages").glob("*.md")
    assert RAW_CONTROL.search(written.read_bytes().replace(b"\n", b"")) is None
    meta = yaml.safe_load(written.read_text(encoding="utf-8").split("---\n")[1])
    assert meta["citation"] == "[2J]0;piège Zoé gpj.exe écrasé 31m x"
