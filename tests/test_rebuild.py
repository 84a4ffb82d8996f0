"""Rebuilds reuse what the last build made (rendered pages, calendar entries) only when nothing it
depends on changed: real ``mkdocs build`` runs on a throw-away project."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from icalendar import Calendar

from .conftest import Project, add_event, new_project, when


def html_files(project: Project) -> dict[str, str]:
    return {
        str(path.relative_to(project.site)): path.read_text(encoding="utf-8")
        for path in sorted(project.site.rglob("*.html"))
    }


def stamp(project: Project, event_id: str) -> str:
    calendar = Calendar.from_ical((project.site / "evenements" / f"{event_id}.ics").read_bytes())
    return calendar.walk("VEVENT")[0].decoded("dtstamp").isoformat()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = new_project(tmp_path / "site")
    add_event(project, when(10), "atelier-cv", title="Atelier CV")
    add_event(project, when(20), "forum", title="Forum de l'emploi")
    project.write("infos.md", "# Infos\n\n## Horaires\n\nDu lundi au vendredi.\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def test_a_rebuild_with_nothing_changed_gives_the_same_pages(project: Project) -> None:
    first = html_files(project)
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert html_files(project) == first
    # The table of contents came back with the page too.
    assert project.page("infos/").select_one(".md-nav--secondary a[href='#horaires']")


def test_kept_pages_are_really_reused(project: Project) -> None:
    # Without this, a cache that is written but never read would pass the test above.
    kept = project.root / ".cache" / "porte-voix" / "pages.json"
    entries = json.loads(kept.read_text(encoding="utf-8"))
    for entry in entries.values():
        entry["html"] = entry["html"].replace("Du lundi au vendredi.", "Marqué par le test.")
    kept.write_text(json.dumps(entries), encoding="utf-8")
    assert project.build().returncode == 0
    assert "Marqué par le test." in project.page("infos/").get_text()


def test_an_edited_event_shows_its_new_text_and_keeps_the_others(project: Project) -> None:
    event_id = f"{when(10):%Y-%m-%d}-atelier-cv"
    other_id = f"{when(20):%Y-%m-%d}-forum"
    before = stamp(project, event_id), stamp(project, other_id)
    time.sleep(1.1)  # DTSTAMP counts in seconds
    source = project.content / "evenements" / f"{event_id}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("Atelier CV", "Atelier CV et lettre").replace(
            "Une description.", "Apporte ton CV."
        ),
        encoding="utf-8",
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = project.page(f"evenements/{event_id}/")
    assert page.h1.get_text(strip=True) == "Atelier CV et lettre"
    assert "Apporte ton CV." in page.get_text()
    assert "Atelier CV et lettre" in project.page("agenda/").get_text()
    # RFC 5545: DTSTAMP is when the entry was last revised — new for the edited event only.
    assert stamp(project, event_id) > before[0]
    assert stamp(project, other_id) == before[1]


def test_a_link_to_a_page_added_later_works_after_the_rebuild(project: Project) -> None:
    project.write("infos.md", "# Infos\n\nVoir [les horaires](horaires.md).\n")
    result = project.build(strict=False)
    assert "horaires.md" in result.stderr  # MkDocs warns: no such page yet
    project.write("horaires.md", "# Horaires\n\nDu lundi au vendredi.\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    link = project.page("infos/").select_one("article a[href*='horaires']")
    assert link is not None and link["href"] == "../horaires/"


def test_a_broken_link_fails_every_strict_build_not_only_the_first(project: Project) -> None:
    project.write("infos.md", "# Infos\n\nVoir [les horaires](horaires.md).\n")
    for _ in range(2):  # the second build must not take a quiet page from the cache
        result = project.build()
        assert result.returncode != 0
        assert "horaires.md" in result.stderr


def test_a_link_to_a_missing_anchor_is_still_reported_when_the_page_is_kept(
    project: Project,
) -> None:
    project.write("autre.md", "# Autre\n\nVoir [les horaires](infos.md#nulle-part).\n")
    for _ in range(2):
        result = project.build()
        assert result.returncode == 0, result.stderr
        assert "does not contain an anchor '#nulle-part'" in result.stderr
