"""Two reports made days apart must not give a small count away by their difference.

Hypothesis draws a population, fills a real SQLite file through the backend's store and writes
a report as it would be made on a Wednesday (``T1``); then one to four young people arrive
(random commune, partner, channel, event), dated in the week still going on at ``T1`` or in the
days after it, and a second report is made one to two weeks later. Read as an attacker would:
every figure both reports print in the same place (table, row, column; chart labels and key
figures; CSV cell) differs by 0 or by 5 and more, no number anywhere is 1 to 4, and the periods
the first report published are printed identically by the second.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from forms_backend.store.attendance import walk_ins as walk_ins_of
from forms_backend.store.database import Store
from forms_backend.store.follow_up import contacts
from generator.report import count_figures, write_report
from generator.report.figures import monday
from generator.report.masking import HIDDEN, SMALL

from .conftest import PARIS
from .test_report_privacy import (
    TODAY,
    Loaded,
    Person,
    fill,
    make_project,
    person,
    report_problems,
)

# The first report is made on a Wednesday three weeks ago: its week, Monday to Wednesday, is
# still going on. The programme began 70 days before today; the events are 10 and 5 days ago
# and in 12 days: still to come at T1, some held by the second report.
T1 = monday(TODAY) - timedelta(days=19)
NOON_T1 = datetime.combine(T1, time(12), PARIS)


# Days before T1: weeks since the programme's start, and the week going on (2, 1, 0).
crowd = st.lists(person(st.sampled_from((45, 44, 40, 30, 25, 24, 23, 12, 9, 8, 2, 1, 0))))
# In T1's week (Monday to T1), or in the four days after T1, which close on the Sunday.
newcomers = st.lists(person(st.integers(-4, 2)), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    return make_project(tmp_path_factory.mktemp("deux-rapports") / "projet")


def _report(store: Store, loaded: Loaded, today: datetime, out: Path) -> Path:
    """The report as it would be made on ``today``."""
    project = loaded.project
    figures = count_figures(
        contacts(store),
        project.settings,
        project.content.partners,
        project.content.events,
        walk_ins=walk_ins_of(store),
        today=today.date(),
    )
    write_report(figures, out, "Mission Locale")
    return out


Place = tuple[str, ...]


def figures_by_place(folder: Path) -> dict[Place, str]:
    """Every figure the report prints, by where it is printed: (caption, row label, column) in
    the page's tables, (file, first cell, column) in the CSV files, and the chart labels and key
    figures by what they count (events by their row, not their position)."""
    soup = BeautifulSoup((folder / "rapport.html").read_text(encoding="utf-8"), "html.parser")
    found: dict[Place, str] = {}
    for table in soup.find_all("table"):
        headers = [th.get_text() for th in table.thead.find_all("th")]
        for row in table.tbody.find_all("tr"):
            cells = row.find_all(["th", "td"])
            label = tuple(
                cell.get_text()
                for cell in cells
                if not (cell.has_attr("data-count") or cell.has_attr("data-rate"))
            )
            for header, cell in zip(headers, cells, strict=True):
                if cell.has_attr("data-count") or cell.has_attr("data-rate"):
                    found[("page", table.caption.get_text(), *label, header)] = cell.get_text()
    for element in soup.select("svg [data-count], strong[data-count]"):
        key = str(element["data-count"])
        if not key.startswith(("events/", "attendance/")):
            found[("chart or key figure", key)] = element.get_text()
    for path in folder.glob("*.csv"):
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
        for row in rows[1:]:
            for header, cell in zip(rows[0], row, strict=True):
                if cell.isdigit() or cell in (SMALL, HIDDEN):
                    found[(path.name, row[0], header)] = cell
    return found


def _number(text: str) -> int | None:
    digits = text.removesuffix("\u00a0%")
    return int(digits) if digits.isdigit() else None


def differences(first: dict[Place, str], second: dict[Place, str]) -> list[str]:
    """The figures printed in the same place by both reports that differ by 1 to 4."""
    problems = []
    for place in first.keys() & second.keys():
        before, after = _number(first[place]), _number(second[place])
        if before is not None and after is not None and 0 < abs(after - before) < 5:
            problems.append(f"{place}: {first[place]} then {second[place]}")
    return problems


def small_numbers(folder: Path) -> list[str]:
    """Numbers of 1 to 4 anywhere in the page (its own checks) or in a CSV file."""
    problems = report_problems(folder)
    for path in folder.glob("*.csv"):
        for row in csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"):
            problems += [f"{path.name}: {cell}" for cell in row if cell in ("1", "2", "3", "4")]
    return problems


def periods(folder: Path) -> list[list[str]]:
    text = (folder / "semaines.csv").read_text(encoding="utf-8-sig")
    return list(csv.reader(text.splitlines(), delimiter=";"))[1:]


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(crowd=crowd, newcomers=newcomers, later=st.integers(7, 13))
def test_two_reports_days_apart_give_no_small_count_away(
    project: Loaded, crowd: list[Person], newcomers: list[Person], later: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "formulaires.sqlite3")
        store.migrate()
        fill(store, crowd, project.events, (None, None), now=NOON_T1)
        first = _report(store, project, NOON_T1, Path(folder) / "premier")
        fill(store, newcomers, project.events, (None, None), now=NOON_T1, first_number=100)
        second = _report(store, project, NOON_T1 + timedelta(days=later), Path(folder) / "second")
        store.close()
        assert differences(figures_by_place(first), figures_by_place(second)) == []
        # A closed period's figures never change.
        assert periods(second)[: len(periods(first))] == periods(first)
        assert small_numbers(first) == []
        assert small_numbers(second) == []


def test_the_comparison_sees_a_total_going_from_7_to_9(tmp_path: Path) -> None:
    """The reader above is not blind: unrounded totals of 7 then 9 are caught."""
    page = (
        "<table><caption>Par âge</caption><thead><tr><th>Âge</th><th>Jeunes</th></tr></thead>"
        '<tbody><tr><th>18 à 21 ans</th><td data-count="ages/1">{}</td></tr></tbody></table>'
    )
    found = []
    for name, count in (("premier", 7), ("second", 9)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "rapport.html").write_text(page.format(count), encoding="utf-8")
        found.append(figures_by_place(tmp_path / name))
    assert differences(*found) == [
        "('page', 'Par âge', '18 à 21 ans', 'Jeunes'): 7 then 9",
    ]


def _everyone(count: int, source: str = "") -> list[Person]:
    """``count`` young people of Frouard, 19, asking to be called back 30 days ago."""
    return [
        Person(30, "rappel", source, "Frouard", 19, "sms", "", 0, False, False)
        for _ in range(count)
    ]


def test_a_masked_cell_does_not_tell_that_a_small_row_is_not_empty(
    project: Loaded, tmp_path: Path
) -> None:
    """Twelve young people from the site, or eleven and one from a partner's flyer: every count
    shows the same (10, « < 5 »), so the two reports must be the same. Hiding a cell « masqué »
    only when the « < 5 » rows hold someone would tell the reader that one of them does."""
    now = datetime.combine(TODAY, time(12), PARIS)
    shown = []
    for name, crowd in (
        ("du-site", _everyone(12)),
        ("un-du-partenaire", _everyone(11) + _everyone(1, "partenaire-mjc-pompey")),
    ):
        store = Store(tmp_path / f"{name}.sqlite3")
        store.migrate()
        fill(store, crowd, project.events, (None, None), now=now)
        shown.append(figures_by_place(_report(store, project, now, tmp_path / name)))
        store.close()
    assert shown[0] == shown[1]


def test_an_event_to_come_is_listed_whether_or_not_someone_signed_up(
    project: Loaded, tmp_path: Path
) -> None:
    """An event still to come shows « < 5 » sign-ups with none as with one: were its row
    printed only once someone signed up, its coming into the report would tell it."""
    now = datetime.combine(TODAY, time(12), PARIS)
    later = Person(30, "rappel", "", "Frouard", 19, "sms", "", 2, True, False)
    shown = []
    for name, crowd in (("personne", _everyone(12)), ("une", [*_everyone(11), later])):
        store = Store(tmp_path / f"{name}.sqlite3")
        store.migrate()
        fill(store, crowd, project.events, (None, None), now=now)
        shown.append(figures_by_place(_report(store, project, now, tmp_path / name)))
        store.close()
    assert shown[0] == shown[1]
    assert any("Atelier CV" in place for place in shown[0])


def test_two_small_communes_are_not_shown_to_hold_someone(project: Loaded, tmp_path: Path) -> None:
    """5 young people of Frouard, 4 of Pont-à-Mousson, 4 of Champigneulles: the communes with a
    quartier prioritaire count 13 (shown 15) and Frouard 5 (at most 7): printed both, they would
    tell that the two « < 5 » beside Frouard hold at least 6, so 2 to 4 each."""
    now = datetime.combine(TODAY, time(12), PARIS)
    crowd = [
        Person(30, "rappel", "", commune, 19, "sms", "", 0, False, False)
        for commune, count in (("Frouard", 5), ("Pont-à-Mousson", 4), ("Champigneulles", 4))
        for _ in range(count)
    ]
    store = Store(tmp_path / "formulaires.sqlite3")
    store.migrate()
    fill(store, crowd, project.events, (None, None), now=now)
    shown = figures_by_place(_report(store, project, now, tmp_path / "rapport"))
    store.close()
    frouard = shown[("communes.csv", "Frouard", "Jeunes atteints")]
    priority = shown[("priorites.csv", "Commune avec un quartier prioritaire", "Jeunes atteints")]
    assert shown[("communes.csv", "Pont-à-Mousson", "Jeunes atteints")] == SMALL
    assert shown[("communes.csv", "Champigneulles", "Jeunes atteints")] == SMALL
    if frouard.isdigit() and priority.isdigit():
        # What the two « < 5 » hold at least, for a reader: no more than 4 - 4 = 0.
        assert int(priority) - 2 - (int(frouard) + 2) <= 4, (priority, frouard)
