"""Shared helpers: purpose-made projects built with the real ``mkdocs build``."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup

from .backend import smtp  # noqa: F401 — the real SMTP server fixture, for every test file

REPO = Path(__file__).resolve().parent.parent
PARIS = ZoneInfo("Europe/Paris")
ENVIRONMENT = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Project:
    """A throw-away site: its own mkdocs.yml (the repo's, without nav) and content/."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        """Write a content file (dedented)."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def build(self, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the real ``mkdocs build`` in a subprocess."""
        command = [sys.executable, "-m", "mkdocs", "build", "-f", str(self.root / "mkdocs.yml")]
        return subprocess.run(
            [*command, "--strict"] if strict else command,
            capture_output=True,
            text=True,
            env=ENVIRONMENT,
            cwd=self.root,
            timeout=300,
        )

    def check(self) -> subprocess.CompletedProcess[str]:
        """Run ``porte-voix check`` on this project."""
        return subprocess.run(
            [sys.executable, "-m", "generator", "check", "--config", "mkdocs.yml"],
            capture_output=True,
            text=True,
            env=ENVIRONMENT,
            cwd=self.root,
            timeout=120,
        )

    def page(self, url_path: str) -> BeautifulSoup:
        """The built HTML of a page, parsed."""
        path = (
            self.site / url_path.strip("/") / "index.html"
            if not url_path.endswith(".html")
            else self.site / url_path
        )
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def new_project(root: Path, *, with_sample_content: bool = False) -> Project:
    """A project using the repository's settings and theme; content copied or empty."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    if not with_sample_content:
        config.pop("nav")  # the nav names the sample's pages
    config["theme"]["custom_dir"] = str(REPO / "theme")
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    project = Project(root)
    if with_sample_content:
        shutil.copytree(REPO / "content", project.content)
    else:
        project.content.mkdir()
        shutil.copy(REPO / "content" / "partenaires.yml", project.content / "partenaires.yml")
        # mkdocs.yml names the logo printed on flyers (affiches.logo).
        (project.content / "images").mkdir()
        shutil.copy(
            REPO / "content" / "images" / "logo-mission-locale.png", project.content / "images"
        )
        project.write("index.md", "# Accueil\n\n<!-- porte-voix: prochains-evenements -->\n")
    return project


def when(days: int, hour: int = 14, minute: int = 0) -> datetime:
    """A moment ``days`` from today at ``hour``:``minute`` in Paris (negative: in the past)."""
    today = datetime.now(PARIS).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return today + timedelta(days=days)


def event_text(
    start: datetime, *, title: str, commune: str = "Pompey", hours: int = 3, extra: str = ""
) -> str:
    """Front matter and body of a valid event starting at ``start``."""
    end = start + timedelta(hours=hours)
    return f"""\
---
titre: {title}
debut: {start:%Y-%m-%d %H:%M}
fin: {end:%Y-%m-%d %H:%M}
lieu:
  nom: MJC de Pompey
  adresse: 2 rue des Pâquis, 54340 Pompey
commune: {commune}
public: Jeunes de 16 à 29 ans
inscription: non
partenaires: [mjc-pompey]
{extra}---
Une description.
"""


def campaign_text(
    start: datetime, end: datetime, call: str, title: str = "Cet hiver, on vient vers toi"
) -> str:
    """Front matter and body of a valid campaign running from ``start`` to ``end``."""
    return f"""\
---
titre: {title}
message: Tu as entre 16 et 29 ans ? On peut t'aider.
du: {start:%Y-%m-%d}
au: {end:%Y-%m-%d}
public: Jeunes de 16 à 29 ans sans emploi ni formation
appel: {call}
---
Une conseillère vient vers toi.
"""


def add_event(project: Project, start: datetime, slug: str, **kwargs: object) -> str:
    """Write an event file named after its date; returns its id."""
    event_id = f"{start:%Y-%m-%d}-{slug}"
    project.write(f"evenements/{event_id}.md", event_text(start, **kwargs))  # type: ignore[arg-type]
    return event_id


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Project:
    """The repository's own sample content, built once with ``mkdocs build --strict``: once per
    run, not once per pytest-xdist worker (the first builds it under a lock, the others wait)."""
    if worker_id == "master":  # no xdist: the parent folder would outlive this run
        return _build_sample(tmp_path_factory.mktemp("sample"))
    shared = tmp_path_factory.getbasetemp().parent  # this run's, the same for every worker
    with (shared / "sample.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "sample.built").exists():
            shutil.rmtree(shared / "sample", ignore_errors=True)
            _build_sample(shared / "sample")
            (shared / "sample.built").touch()
    return Project(shared / "sample")


def _build_sample(root: Path) -> Project:
    project = new_project(root, with_sample_content=True)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


# The files that take longest (from `--durations`), run first: pytest-xdist hands out whole
# files (`--dist loadfile`), one more to a worker as it runs out, so the longest ones must be
# handed out first or a long file started last keeps one core busy alone while the other has
# finished. `--no-loadscope-reorder` (pyproject.toml) keeps this order: by default xdist would
# hand out the files with the most tests first, and these have few.
LONGEST_FIRST = (
    "test_keyboard_access.py",
    "test_browser.py",
    "test_adversarial_publication.py",
    "test_adversarial.py",
    "test_text_is_text.py",
    "test_content_dates.py",
    "test_publication.py",
    "test_event_messages.py",
    "test_legal_pages.py",
    "test_event_status.py",
    "test_hostile_input.py",
    "test_html_validity.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the longest files first, keeping the order of the tests within each file."""

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order
