"""The agenda of a purpose-made site whose dates are relative to today."""

from __future__ import annotations

import json

import pytest
from icalendar import Calendar

from .conftest import Project, add_event, new_project, when


@pytest.fixture(scope="module")
def agenda_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = new_project(tmp_path_factory.mktemp("agenda"))
    add_event(project, when(40), "troisieme", title="Troisième à venir", commune="Frouard")
    add_event(project, when(3), "premier", title="Premier à venir", commune="Nomeny")
    add_event(project, when(10), "deuxieme", title="Deuxième à venir", commune="Pompey")
    add_event(project, when(-20), "ancien", title="Ancien événement")
    add_event(project, when(-5), "recent", title="Récent passé")
    add_event(
        project,
        when(12),
        "complet",
        title="Inscriptions closes",
        extra=f"inscription:\n  places: 5\n  jusqu_au: {when(-1):%Y-%m-%d}\n",
    )
    # ``extra`` comes after ``inscription: non`` in the template: replace it instead.
    path = project.content / f"evenements/{when(12):%Y-%m-%d}-complet.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("inscription: non\n", ""), encoding="utf-8"
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def titles(project: Project, url: str) -> list[str]:
    article = project.page(url).find("article")
    return [h.get_text(strip=True) for h in article.find_all("h3")]


def test_agenda_lists_upcoming_events_soonest_first(agenda_site: Project) -> None:
    assert titles(agenda_site, "agenda") == [
        "Premier à venir",
        "Deuxième à venir",
        "Inscriptions closes",
        "Troisième à venir",
    ]


def test_archive_lists_past_events_most_recent_first(agenda_site: Project) -> None:
    assert titles(agenda_site, "agenda/archives") == ["Récent passé", "Ancien événement"]


def test_territory_agenda_keeps_its_own_communes(agenda_site: Project) -> None:
    assert titles(agenda_site, "agenda/bassin-de-pompey") == [
        "Deuxième à venir",
        "Inscriptions closes",
        "Troisième à venir",
    ]
    assert titles(agenda_site, "agenda/seille-et-grand-couronne") == ["Premier à venir"]
    assert titles(agenda_site, "agenda/mad-et-moselle") == []


def test_month_headings_group_events(agenda_site: Project) -> None:
    article = agenda_site.page("agenda").find("article")
    months = [
        h.get_text(strip=True)
        for h in article.find_all("h2")
        if h.get_text(strip=True)[-4:].isdigit()
    ]
    assert months and months == sorted(set(months), key=months.index)


def test_home_block_shows_the_next_three(agenda_site: Project) -> None:
    assert titles(agenda_site, "") == ["Premier à venir", "Deuxième à venir", "Inscriptions closes"]


def test_past_event_page_says_it_is_over(agenda_site: Project) -> None:
    text = (
        agenda_site.page(f"evenements/{when(-5):%Y-%m-%d}-recent")
        .find("article")
        .get_text(" ", strip=True)
    )
    assert "Cet événement est terminé" in text
    assert "on ne peut plus s'inscrire" in text


def test_closed_registration_is_said(agenda_site: Project) -> None:
    text = (
        agenda_site.page(f"evenements/{when(12):%Y-%m-%d}-complet")
        .find("article")
        .get_text(" ", strip=True)
    )
    assert "Les inscriptions sont closes." in text


def test_open_event_needs_no_signup(agenda_site: Project) -> None:
    text = (
        agenda_site.page(f"evenements/{when(3):%Y-%m-%d}-premier")
        .find("article")
        .get_text(" ", strip=True)
    )
    assert "Entrée libre" in text


def test_subscription_calendar_holds_only_upcoming_events(agenda_site: Project) -> None:
    calendar = Calendar.from_ical((agenda_site.site / "agenda.ics").read_bytes())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert summaries == [
        "Premier à venir",
        "Deuxième à venir",
        "Inscriptions closes",
        "Troisième à venir",
    ]


def test_manifest_tells_the_backend_about_every_event(agenda_site: Project) -> None:
    manifest = json.loads(
        (agenda_site.site / "porte-voix/evenements.json").read_text(encoding="utf-8")
    )
    closed = next(e for e in manifest["evenements"] if e["titre"] == "Inscriptions closes")
    assert closed["inscription"] is True and closed["places"] == 5
    assert closed["jusqu_au"].startswith(f"{when(-1):%Y-%m-%d}T23:59:00")
