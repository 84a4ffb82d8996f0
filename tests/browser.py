"""A live site for browser tests: a real build, the real backend and a real SMTP server on 127.0.0.1,
driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Playwright, sync_playwright

from forms_backend.app import create_site_app

from .backend import free_port, make_config

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# WCAG 2.1 A/AA (RGAA 4.1) and axe's best practices, which Lighthouse's accessibility score also counts.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Every rule of those tags is run and every violation reported in full; the rules passed or not
# applicable are listed with one element each, not every element of the page (axe's resultTypes:
# their selectors, HTML and serialisation were most of each run's time).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


@dataclass
class LiveSite:
    """Where the site answers, and what the counsellor received."""

    url: str
    site_dir: Path
    database: Path
    inbox: object


@contextmanager
def serve_site(site_dir: Path, workdir: Path, inbox: object, **settings: Any) -> Iterator[LiveSite]:
    """The built site and the backend on one loopback port, forwarding to a real SMTP server
    (``settings``: other BackendConfig values, ``smtp_url=None`` for the Maildir)."""
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    config = make_config(
        workdir,
        site_dir=site_dir,
        smtp_url=f"smtp://127.0.0.1:{smtp_port}",
        worker_interval_seconds=0.5,
    )
    config = replace(config, **settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_site_app(config), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield LiveSite(f"http://127.0.0.1:{port}", site_dir, config.database, inbox)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        controller.stop()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, with no request to the outside world."""
    playwright: Playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
