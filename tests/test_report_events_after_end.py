"""The report stops at the end of its last period, which can be weeks before the day it is
made: an event held since then must not read « à venir » (to come) to a funder."""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner

from forms_backend.store.attendance import walk_ins
from forms_backend.store.database import Store
from forms_backend.store.follow_up import contacts
from generator.cli import main
from generator.report import count_figures, write_report

from .test_report_privacy import EVENTS, Person, fill, make_project


def young(days_ago: int) -> Person:
    return Person(days_ago, "rappel", "", "Frouard", 20, "sms", "MJC de Pompey", 0, False, False)


def test_an_event_held_after_the_reports_end_is_not_said_to_come(tmp_path: Path) -> None:
    loaded = make_project(tmp_path / "projet")
    store = Store(tmp_path / "formulaires.sqlite3")
    store.migrate()
    # One period closes two months ago; the three young people since make none yet.
    fill(store, [young(60)] * 6 + [young(20), young(19), young(12)], loaded.events, (None,) * 3)
    project = loaded.project
    figures = count_figures(
        contacts(store),
        project.settings,
        project.content.partners,
        project.content.events,
        walk_ins=walk_ins(store),
    )
    write_report(figures, tmp_path / "rapport", "Mission Locale")
    end = f"{figures.last_day:%d/%m/%Y}"
    soup = BeautifulSoup((tmp_path / "rapport" / "rapport.html").read_text("utf-8"), "html.parser")
    made = re.search(r"Rapport fait le \d\d/\d\d/\d{4} à ([^.]*)\.", soup.get_text())
    assert made is not None and re.fullmatch(r"\d{1,2}\s?h(\s?\d\d)?", made[1]), made
    table = next(t for t in soup.find_all("table") if "Par événement" in t.caption.get_text())
    page_rows = [[c.get_text() for c in r.find_all(["th", "td"])] for r in table.tbody("tr")]
    with (tmp_path / "rapport" / "evenements.csv").open(encoding="utf-8-sig") as file:
        csv_rows = list(csv.reader(file, delimiter=";"))[1:]
    for rows in (page_rows, csv_rows):
        by_title = {row[1]: row for row in rows}
        for days, _, title in EVENTS:
            cells = by_title[title][5:]
            if days < 0:  # held already, after the report's last day
                assert "à venir" not in cells, (title, cells)
                assert cells == [f"après le {end}"] * 4, (title, cells)
            else:
                assert cells == ["à venir"] * 4, (title, cells)


def _cli_report(tmp_path: Path, crowd: list[Person]):  # type: ignore[no-untyped-def]
    loaded = make_project(tmp_path / "projet")
    database = tmp_path / "db" / "formulaires.sqlite3"
    database.parent.mkdir()
    store = Store(database)
    store.migrate()
    fill(store, crowd, loaded.events, (None,) * 3)
    environment = {
        "PORTE_VOIX_DB": str(database),
        "PORTE_VOIX_SITE_DIR": str(tmp_path / "site"),
        "PORTE_VOIX_MAILDIR": str(tmp_path / "courriels"),
        "PORTE_VOIX_COUNSELLOR_EMAIL": "conseillere@mission-locale.test",
        "PORTE_VOIX_MAIL_FROM": "porte-voix@mission-locale.test",
    }
    config = str(tmp_path / "projet" / "mkdocs.yml")
    out = str(tmp_path / "rapport")
    return CliRunner().invoke(
        main, ["forms", "report", "--out", out, "--config", config], env=environment
    )


def test_the_terminal_says_why_the_report_stops_before_last_sunday(tmp_path: Path) -> None:
    result = _cli_report(tmp_path, [young(60)] * 6 + [young(20), young(19), young(12)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    ended = re.search(r"au (\d\d/\d\d/\d{4})\)", said)
    assert ended is not None, said
    after = datetime.strptime(ended[1], "%d/%m/%Y").date() + timedelta(days=1)
    assert f"depuis le lundi {after:%d/%m/%Y}" in said, said
    assert "moins de 5 nouveaux jeunes" in said, said


def test_too_few_young_people_for_a_first_period_is_said_so(tmp_path: Path) -> None:
    """Five closed weeks with three young people: the weeks are complete, the report has no
    period yet; the terminal must not say the first week « will end » on a past Sunday."""
    result = _cli_report(tmp_path, [young(40), young(20), young(12)])
    assert result.exit_code != 0
    said = " ".join(result.output.split())
    assert "finira" not in said, said
    assert "moins de 5 nouveaux jeunes" in said, said


def test_the_report_page_follows_french_typography(tmp_path: Path) -> None:
    """No line of the report starts with « : » or a lone « » »: the page's words, figures and
    chart labels get the non-breaking spaces of every other page of the kit."""
    loaded = make_project(tmp_path / "projet")
    store = Store(tmp_path / "formulaires.sqlite3")
    store.migrate()
    fill(store, [young(60)] * 6 + [young(20)], loaded.events, (None,) * 3)
    project = loaded.project
    figures = count_figures(
        contacts(store), project.settings, project.content.partners, project.content.events
    )
    write_report(figures, tmp_path / "rapport", "Mission Locale")
    soup = BeautifulSoup((tmp_path / "rapport" / "rapport.html").read_text("utf-8"), "html.parser")
    for hidden in soup(["style", "script"]):
        hidden.decompose()
    text = soup.get_text()
    breakable = re.findall(r".{0,20}(?: [:;!?»]|« ).{0,10}", text)
    assert breakable == [], breakable
