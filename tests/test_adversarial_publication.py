"""The standing adversarial suite, its second half (the first, the forms, is in
test_adversarial.py; apart so that the two run on two cores): one contribution per payload of
the attack corpus and per kind, with the payload in every published field the door lets it into,
listed, shown and accepted with the real CLI as the staff do, a real ``mkdocs build``, then real
Chromium opens every built page.

What a person (or an attacker) may expect, whatever they type:
- nothing typed runs in a browser, on the published site;
- nothing typed reaches the staff's terminal, or a content file, as a control sequence;
- nothing typed is evaluated as a template, or breaks a calendar, a feed, JSON-LD or the search index.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree

import httpx2
import icalendar
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from playwright.sync_api import Browser

from generator.cli import main

from . import test_adversarial as forms
from .backend import make_config, write_manifest
from .conftest import Project, new_project
from .test_adversarial import FORMS, PAYLOADS, PUBLISHED, _control, _ran, post, real_app

# Chromium, started once for this module too.
browser = forms.browser


def cli(env: dict[str, str], *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def backend_env(config) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_UPLOADS": str(config.uploads),
        "PORTE_VOIX_MAILDIR": str(config.maildir),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
    }


@dataclass
class Published:
    """The site built from every contribution that passed the door."""

    project: Project
    listing: str
    shown: list[str]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """One contribution per payload and kind, with the payload in every published field the door
    let it into; the staff list and show them, accept them, and the site is built."""
    tmp = tmp_path_factory.mktemp("publication")
    config = make_config(
        tmp, uploads=tmp / "contributions", rate_limit=1_000_000, attempt_limit=1_000_000
    )
    write_manifest(config.site_dir, [])

    async def one_per_payload(client: httpx2.AsyncClient) -> None:
        for form, fields in PUBLISHED.items():
            base = FORMS[form][0]
            for ident, payload in PAYLOADS:
                accepted = [
                    f for f in fields if await _door_lets_in(client, form, base, f, payload)
                ]
                if accepted:
                    data = {**base, **dict.fromkeys(accepted, payload)}
                    answer = await post(client, form, data, True)
                    assert answer.status_code == 303, (form, ident)

    with real_app(config) as (_, run):
        run(one_per_payload)
    env = backend_env(config)
    listing = cli(env, "contributions", "list").output
    idents = re.findall(r"^([0-9a-f]{8}) ", listing, re.M)
    project = new_project(tmp / "site")
    settings = ["--config", str(project.root / "mkdocs.yml")]
    shown = [cli(env, "contributions", "show", i, *settings).output for i in idents]
    for ident in idents:
        cli(env, "contributions", "accept", ident, *settings)
    # Not --strict: a payload may also be bad content (a commune outside the territory, a title
    # too long for a flyer). Such a file is left out and reported, as `accept` told the moderator;
    # every other one is published, and those are what the browser checks below.
    build = project.build(strict=False)
    assert build.returncode == 0, build.stderr[-3000:]
    assert len(list(project.site.glob("temoignages/*/index.html"))) > 50
    return Published(project, listing, shown)


async def _door_lets_in(
    client: httpx2.AsyncClient, form: str, base: dict[str, str], name: str, text: str
) -> bool:
    """Whether the form accepts ``text`` in ``name`` (asked with a box unticked: nothing stored)."""
    data = {**base, name: text, "accord_publication": ""}
    answer = await post(client, form, data, True, headers={"Accept": "application/json"})
    return name not in answer.json().get("erreurs", {name: "refusé"})


def test_what_the_staff_read_in_the_terminal_holds_no_control_sequence(
    published: Published,
) -> None:
    for output in [published.listing, *published.shown]:
        assert [c for c in output if _control(c) and c not in "\n"] == []


def test_the_content_files_hold_no_control_character(published: Published) -> None:
    files = [*published.project.content.rglob("*.md")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert [c for c in text if _control(c) and c not in "\n"] == [], path


def test_no_published_page_runs_a_payload(published: Published, browser: Browser) -> None:
    site = published.project.site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    with _static_server(site) as url:
        context = browser.new_context()
        page = context.new_page()
        ran: list[str] = []
        try:
            for path in pages:
                page.goto(f"{url}/{path.relative_to(site).as_posix()}", wait_until="load")
                ran += [f"{path.relative_to(site)} : {bad}" for bad in _ran(page)]
        finally:
            context.close()
    assert ran == []


def test_templates_in_contributions_are_never_evaluated(published: Published) -> None:
    for path in published.project.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "boucleboucleboucle" not in text, path


def test_machine_readable_outputs_still_parse(published: Published) -> None:
    site = published.project.site
    for path in site.rglob("*.ics"):
        icalendar.Calendar.from_ical(path.read_bytes())
    for path in site.rglob("*.xml"):
        ElementTree.parse(path)
    for path in site.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in page.select('script[type="application/ld+json"]'):
            json.loads(script.string or "")
    json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _static_server:
    """The built site on a loopback port, as any static host serves it."""

    def __init__(self, root: Path) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
