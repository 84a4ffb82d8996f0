"""Dates the site publishes (feed ``updated``, sitemap ``lastmod``, calendar LAST-MODIFIED and
SEQUENCE) come from the content's history, never from the clone's or the build's time: two fresh
clones of a real Git repository, built at different times, publish the same dates."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from icalendar import Calendar

from generator.content.history import ContentHistory

from .conftest import Project, add_event, new_project, when

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://www.mission-locale-val-de-lorraine.fr/"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
FIRST, SECOND, THIRD = "2026-01-10T10:00:00Z", "2026-02-01T09:30:00Z", "2026-03-01T08:00:00Z"


def git(root: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args]
    return subprocess.run(
        command, cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout


def build(project: Project) -> None:
    result = project.build()
    assert result.returncode == 0, result.stderr


def feed_dates(project: Project) -> dict[str, str]:
    """``updated`` of the feed (key ``feed``) and of each entry, by entry id."""
    feed = ElementTree.parse(project.site / "agenda.xml").getroot()
    dates = {"feed": feed.findtext(f"{ATOM}updated") or ""}
    for entry in feed.iter(f"{ATOM}entry"):
        dates[entry.findtext(f"{ATOM}id") or ""] = entry.findtext(f"{ATOM}updated") or ""
    return dates


def sitemap_dates(project: Project) -> dict[str, str]:
    root = ElementTree.parse(project.site / "sitemap.xml").getroot()
    return {
        url.findtext(f"{SITEMAP}loc") or "": url.findtext(f"{SITEMAP}lastmod") or ""
        for url in root.iter(f"{SITEMAP}url")
    }


def revision(project: Project, event_id: str) -> tuple[str, int]:
    """LAST-MODIFIED and SEQUENCE of an event's own calendar."""
    data = (project.site / "evenements" / f"{event_id}.ics").read_bytes()
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("dtstamp") == event.decoded("last-modified")
    modified = event.decoded("last-modified").astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return modified, int(event["sequence"])


def same_instant(sitemap_value: str, atom_value: str) -> bool:
    return datetime.fromisoformat(sitemap_value) == datetime.fromisoformat(atom_value)


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A small Git repository: two events committed on 10 January, the second edited on
    1 February (both in the future, so both are in the feed)."""
    project = new_project(tmp_path_factory.mktemp("dates") / "origin")
    first = add_event(project, when(10), "atelier", title="Atelier CV")
    second = add_event(project, when(40), "forum", title="Forum de l'emploi")
    (project.root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "Two events", when=FIRST)
    path = project.content / "evenements" / f"{second}.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Une description.", "Viens !"), "utf-8"
    )
    git(project.root, "commit", "-q", "-am", "Forum: new text", when=SECOND)
    return project.root, first, second


def clone(origin: Path, target: Path) -> Project:
    git(target.parent, "clone", "-q", str(origin), str(target))
    return Project(target)


def test_two_fresh_clones_publish_the_commit_dates(
    origin: tuple[Path, str, str], tmp_path: Path
) -> None:
    root, first, second = origin
    one = clone(root, tmp_path / "one")
    build(one)
    two = clone(root, tmp_path / "two")  # cloned and built later: other file and build times
    build(two)
    assert (
        feed_dates(one)
        == feed_dates(two)
        == {
            "feed": SECOND,
            f"{SITE}evenements/{first}/": FIRST,
            f"{SITE}evenements/{second}/": SECOND,
        }
    )
    assert sitemap_dates(one) == sitemap_dates(two)
    lastmod = sitemap_dates(one)
    assert same_instant(lastmod[f"{SITE}evenements/{first}/"], FIRST)
    assert same_instant(lastmod[f"{SITE}evenements/{second}/"], SECOND)
    assert same_instant(lastmod[f"{SITE}agenda/"], SECOND)
    assert same_instant(lastmod[f"{SITE}partenaires/"], FIRST)  # partenaires.yml, committed once
    assert same_instant(lastmod[SITE], SECOND)  # index.md shows the next events
    assert revision(one, first) == revision(two, first) == (FIRST, 0)
    assert revision(one, second) == revision(two, second) == (SECOND, 1)


def test_an_edited_event_changes_only_its_own_dates(
    origin: tuple[Path, str, str], tmp_path: Path
) -> None:
    root, first, second = origin
    project = clone(root, tmp_path / "edit")
    build(project)
    before = sitemap_dates(project)
    path = project.content / "evenements" / f"{first}.md"
    text = path.read_text(encoding="utf-8")
    moved = re.sub(r"fin: (.*) \d\d:\d\d", r"fin: \1 18:30", text).replace(
        "MJC de Pompey", "Salle des fêtes de Pompey"
    )
    assert moved != text
    path.write_text(moved, encoding="utf-8")
    git(project.root, "commit", "-q", "-am", "Atelier: later, elsewhere", when=THIRD)
    build(project)
    assert feed_dates(project) == {
        "feed": THIRD,
        f"{SITE}evenements/{first}/": THIRD,
        f"{SITE}evenements/{second}/": SECOND,
    }
    # A client that has the entry replaces it: its SEQUENCE grew.
    assert revision(project, first) == (THIRD, 1)
    assert revision(project, second) == (SECOND, 1)
    after = sitemap_dates(project)
    changed = {url for url in after if after[url] != before[url]}
    agenda = {url for url in after if url.startswith(f"{SITE}agenda/")}  # with territories
    assert f"{SITE}agenda/archives/" in agenda
    assert changed == {f"{SITE}evenements/{first}/", SITE, f"{SITE}plan-du-site/", *agenda}
    assert all(same_instant(after[url], THIRD) for url in changed)


def test_a_change_not_yet_committed_is_dated_when_first_built(
    origin: tuple[Path, str, str], tmp_path: Path
) -> None:
    root, _, second = origin
    project = clone(root, tmp_path / "draft")
    path = project.content / "evenements" / f"{second}.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Viens !", "Viens nombreux !"), "utf-8"
    )
    started = datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    build(project)
    modified, sequence = revision(project, second)
    assert modified >= started and sequence == 2  # one past its two commits
    build(project)  # built again unchanged: the same date (kept in the cache)
    assert revision(project, second) == (modified, 2)


def test_outside_git_a_file_is_dated_when_its_bytes_were_first_seen(tmp_path: Path) -> None:
    page = tmp_path / "content" / "infos.md"
    page.parent.mkdir()
    page.write_text("# Infos\n", encoding="utf-8")
    kept = tmp_path / "history.json"
    days = [datetime(2026, 5, day, 12, tzinfo=UTC) for day in (1, 2, 3)]

    def seen(day: datetime) -> tuple[datetime, int]:
        history = ContentHistory(tmp_path / "content", kept, now=day)
        found = history.revision(page)
        history.save()
        assert not history.from_git
        return found.time, found.number

    assert seen(days[0]) == (days[0], 0)
    assert seen(days[1]) == (days[0], 0)  # same bytes: same date
    page.write_text("# Infos pratiques\n", encoding="utf-8")
    assert seen(days[2]) == (days[2], 1)


def test_the_feed_follows_rfc_4287(origin: tuple[Path, str, str], tmp_path: Path) -> None:
    project = clone(origin[0], tmp_path / "feed")
    build(project)
    data = (project.site / "agenda.xml").read_bytes()
    feed = ElementTree.fromstring(data)
    for element in (feed, *feed.iter(f"{ATOM}entry")):
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, name
        assert RFC3339.fullmatch(element.findtext(f"{ATOM}updated") or "")
        assert (element.findtext(f"{ATOM}id") or "").startswith("https://")
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) == 2
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    # A reader's « open the website » goes to the agenda the feed is the copy of.
    alternate = feed.find(f"{ATOM}link[@rel='alternate']")
    assert alternate is not None and alternate.get("href") == f"{SITE}agenda/"
    # An independent reader agrees: well-formed Atom 1.0, every date understood.
    parsed = feedparser.parse(data)
    assert not parsed.bozo and parsed.version == "atom10"
    assert parsed.feed.updated_parsed is not None
    assert all(entry.updated_parsed is not None for entry in parsed.entries)


def test_outside_git_the_authors_modifie_date_is_used(tmp_path: Path) -> None:
    project = new_project(tmp_path / "copy")
    event_id = add_event(project, when(10), "atelier", title="Atelier CV")
    path = project.content / "evenements" / f"{event_id}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("inscription: non\n", "inscription: non\nmodifie: 2026-05-02 10:00\n"), "utf-8"
    )
    project.write("infos.md", "---\nmodifie: 2026-04-30\n---\n# Infos\n")
    build(project)
    assert revision(project, event_id) == ("2026-05-02T08:00:00Z", 0)  # 10:00 in Paris
    assert feed_dates(project)[f"{SITE}evenements/{event_id}/"] == "2026-05-02T08:00:00Z"
    infos = sitemap_dates(project)[f"{SITE}infos/"]
    assert same_instant(infos, "2026-04-29T22:00:00Z")  # midnight in Paris
    project.write("infos.md", "---\nmodifie: 2026-04-31\n---\n# Infos\n")
    result = project.check()
    assert result.returncode != 0
    assert "la date « 2026-04-31 » n'existe pas dans le calendrier" in result.stdout + result.stderr


def test_each_new_version_not_yet_committed_raises_the_sequence(
    origin: tuple[Path, str, str], tmp_path: Path
) -> None:
    """``porte-voix serve`` in a checkout: the counsellor moves an event, then cancels it,
    without committing. Each version is sent (the e-mail of a change brings the new .ics): each
    needs a higher SEQUENCE, or the agenda keeps the first (RFC 5545 3.8.7.4); committing the
    last one never takes the number back down."""
    root, _, second = origin
    project = clone(root, tmp_path / "drafts")
    path = project.content / "evenements" / f"{second}.md"
    kept = tmp_path / "history.json"

    def sequence() -> int:
        history = ContentHistory(project.root, kept, folders=[project.content])
        found = history.revision(path)
        history.save()
        return found.number

    assert sequence() == 1  # its two commits
    for text, expected in (("Viens vite !", 2), ("Viens vite, vite !", 3), ("Annulé.", 4)):
        path.write_text(
            re.sub(r"\n---\n.*", f"\n---\n{text}\n", path.read_text("utf-8"), flags=re.S), "utf-8"
        )
        assert sequence() == expected
        assert sequence() == expected  # built again unchanged
    git(project.root, "commit", "-q", "-am", "Forum: cancelled", when=THIRD)
    assert sequence() == 4
