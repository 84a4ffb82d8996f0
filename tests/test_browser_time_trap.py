"""Real Chromium with JavaScript off, against the real site, backend and Maildir, with the
minimal fill time on: a person pressing the button again at once is never taken for a robot."""

from __future__ import annotations

import mailbox
import re
import sqlite3
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from .backend import Inbox
from .browser import LiveSite, chromium, serve_site
from .conftest import Project


@pytest.fixture(scope="module")
def live(sample_site: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    workdir = tmp_path_factory.mktemp("piege-a-temps")
    # 30 s: far longer than the seconds between two presses below.
    with serve_site(
        sample_site.site, workdir, Inbox(), smtp_url=None, min_fill_seconds=30.0
    ) as site:
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def rows(live: LiveSite, table: str, first_name: str = "") -> list[sqlite3.Row]:
    connection = sqlite3.connect(live.database)
    connection.row_factory = sqlite3.Row
    try:
        query = f"SELECT * FROM {table}" + (" WHERE first_name = ?" if first_name else "")
        return connection.execute(query, (first_name,) if first_name else ()).fetchall()
    finally:
        connection.close()


def mail_to_counsellor(live: LiveSite, first_name: str) -> str:
    """The body of the e-mail the worker left in the Maildir for ``first_name`` (waits for it)."""
    folder = live.database.parent.parent / "courriels"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if folder.exists():
            for message in mailbox.Maildir(folder, create=False):
                body = message.get_payload(decode=True).decode()
                if f"Prénom\u00a0: {first_name}" in body:
                    return body
        time.sleep(0.2)
    raise AssertionError(f"no e-mail for {first_name} in {folder}")


def fill(page: Page, first_name: str, *, consent: bool = True) -> None:
    page.fill("#pv-rappel-prenom", first_name)
    page.fill("#pv-rappel-telephone", "06 12 34 56 78")
    page.fill("#pv-rappel-commune", "Frouard")
    page.fill("#pv-rappel-age", "19")
    page.check("#pv-rappel-canal-sms")
    if consent:
        page.check("#pv-rappel-consentement")


def press(page: Page) -> None:
    page.click("form.pv-form button[type=submit]")
    page.wait_for_load_state()


def test_without_javascript_the_confirmation_step_goes_at_once(
    live: LiveSite, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live.url}/rappel/")
    fill(page, "Confirmée")
    press(page)
    assert "Encore une étape" in page.locator(".pv-form-notice").inner_text()
    assert page.input_value("#pv-rappel-prenom") == "Confirmée"
    press(page)  # at once: well within the 30 s of the time trap
    page.wait_for_url(re.compile(r"/merci/$"))
    context.close()
    assert len(rows(live, "submissions", "Confirmée")) == 1
    assert "Commune\u00a0: Frouard" in mail_to_counsellor(live, "Confirmée")
    assert rows(live, "spam") == []


def test_without_javascript_a_box_ticked_at_once_after_an_error_goes(
    live: LiveSite, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live.url}/rappel/")
    fill(page, "Corrigée", consent=False)
    press(page)
    assert "Coche cette case" in page.locator("#pv-rappel-erreurs").inner_text()
    assert page.input_value("#pv-rappel-commune") == "Frouard"
    page.check("#pv-rappel-consentement")
    press(page)  # at once
    page.wait_for_url(re.compile(r"/merci/$"))
    context.close()
    assert len(rows(live, "submissions", "Corrigée")) == 1
    assert "Prénom\u00a0: Corrigée" in mail_to_counsellor(live, "Corrigée")
    assert rows(live, "spam") == []
