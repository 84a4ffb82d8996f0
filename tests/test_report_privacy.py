"""The report's small-count rule, checked on random small populations (Hypothesis).

Each example fills a real SQLite file through the backend's store (0 to 40 young people, many of
them alone in their commune, week, channel or age band), counts and writes the report with the
real code (``contacts`` → ``count_figures`` → ``write_report``), then reads the HTML and CSV
files as an attacker would: every count, wherever it is printed, and every pair of published
figures whose difference means something.
"""

from __future__ import annotations

import csv
import re
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from forms_backend.store.attendance import record_presence
from forms_backend.store.attendance import walk_ins as walk_ins_of
from forms_backend.store.database import Store
from forms_backend.store.follow_up import contacts
from generator.cli import Project as LoadedProject
from generator.cli import load_project
from generator.report import count_figures, write_report
from generator.report.figures import OUTSIDE
from generator.report.masking import HIDDEN, SMALL

from .conftest import PARIS, event_text, new_project, when

TODAY = datetime.now(PARIS).date()
START = TODAY - timedelta(days=70)
COMMUNES = ("Frouard", "Pompey", "Champigneulles", "Nomeny", "Pont-à-Mousson", "Arnaville", "Lyon")
SOURCES = ("partenaire-mjc-pompey", "partenaire-inconnu", "flyer-a5", "instagram-story", "", "x")
DATES = re.compile(r"\d{2}/\d{2}/\d{4}|\d{2}:\d{2}|\b\d{4}\b")


# --- reading a report as an attacker would -------------------------------------------------


def _published(value: str) -> int | None:
    return int(value) if value.isdigit() else None


BIG = 10**6  # no upper bound known


def _interval(shown: str) -> tuple[int, int]:
    """What a reader who knows the rules learns of a count from what it shows: a rounded
    number is within 2 of the truth (and at least 5), « < 5 » is 0 to 4, a cell hidden to
    protect another counts at least 5, an unpublished rest anything."""
    if shown.isdigit():
        return max(int(shown) - 2, 5), int(shown) + 2
    if shown == SMALL:
        return 0, 4
    return (5, BIG) if shown == HIDDEN else (0, BIG)


def _bounds(terms: dict[str, int], cells: dict[str, str]) -> tuple[int, int]:
    """The smallest and largest value ``sum(coefficient × count)`` can take."""
    low = high = 0
    for key, coefficient in terms.items():
        first, last = _interval(cells.get(key, "?"))
        low += coefficient * (first if coefficient > 0 else last)
        high += coefficient * (last if coefficient > 0 else first)
    return low, high


def _exactly_small(terms: dict[str, int], cells: dict[str, str]) -> int | None:
    """In ``sum(coefficient × count) = 0``, with the hidden counts all on one side: the value
    of their sum when the shown counts' intervals leave a single one from 1 to 4, else None."""
    hidden = {k: c for k, c in terms.items() if not cells.get(k, "").isdigit()}
    if not hidden or len({c > 0 for c in hidden.values()}) > 1:
        return None
    sign = 1 if next(iter(hidden.values())) > 0 else -1
    shown = {k: -sign * c for k, c in terms.items() if k not in hidden}
    low, high = _bounds(shown, cells)  # what the hidden side must add up to
    own_low, own_high = _bounds({k: sign * c for k, c in hidden.items()}, cells)
    low, high = max(low, own_low), min(high, own_high)
    return low if low == high and 0 < low < 5 else None


def _small_not_empty(terms: dict[str, int], cells: dict[str, str]) -> str | None:
    """In ``sum(coefficient × count) = 0``, with the hidden counts all on one side: a « < 5 »
    that the others cannot make up for, shown by the rounded figures to hold someone."""
    hidden = {k: c for k, c in terms.items() if not cells.get(k, "").isdigit()}
    if not hidden or len({c > 0 for c in hidden.values()}) > 1:
        return None
    sign = 1 if next(iter(hidden.values())) > 0 else -1
    low, _ = _bounds({k: -sign * c for k, c in terms.items() if k not in hidden}, cells)
    highs = {k: abs(c) * _interval(cells.get(k, "?"))[1] for k, c in hidden.items()}
    for key in hidden:
        if cells.get(key) == SMALL and low > sum(highs.values()) - highs[key]:
            return key
    return None


def _free_numbers(soup: BeautifulSoup) -> list[int]:
    """Numbers printed outside the marked counts, axes and settings (dates and years left out)."""
    copy = BeautifulSoup(str(soup), "html.parser")
    for marked in copy.select("[data-count], [data-axis], [data-setting], [data-rate]"):
        marked.decompose()
    for element in copy(["style", "head"]):
        element.decompose()
    text = DATES.sub(" ", " ".join(copy.stripped_strings))
    text = text.replace(SMALL, " ")
    return [int(number) for number in re.findall(r"\d+", text)]


def _sum_problem(name: str, left: list[str], right: list[str]) -> str | None:
    """Left and right add up to the same number: what can be worked out from the shown cells?"""
    known = sum(_published(c) or 0 for c in left) - sum(_published(c) or 0 for c in right)
    hidden_left = [c for c in left if _published(c) is None]
    hidden_right = [c for c in right if _published(c) is None]
    if hidden_left and hidden_right:
        return None  # unknowns on both sides
    hidden = hidden_left or hidden_right
    if not hidden:  # each rounded on its own: within 2 of the truth each
        tolerance = 2 * (len(left) + len(right))
        return None if abs(known) <= tolerance else f"{name}: the cells do not add up ({known})"
    if len(hidden) == 1:
        return f"{name}: a single hidden cell, worked out as {abs(known)}"
    if 0 < abs(known) < 5:
        return f"{name}: the hidden cells add up to {abs(known)}"
    cells = {str(index): shown for index, shown in enumerate(left + right)}
    terms = {str(index): 1 if index < len(left) else -1 for index in range(len(cells))}
    if (value := _exactly_small(terms, cells)) is not None:
        return f"{name}: the hidden cells add up to {value}, rounding or not"
    return None


def _within_problem(name: str, whole: str, part: str) -> str | None:
    """``part`` counts some of the young people of ``whole``: the rest must not be 1 to 4."""
    if _published(whole) is None or _published(part) is None:
        return None
    rest = (_published(whole) or 0) - (_published(part) or 0)
    return f"{name}: {whole} - {part} = {rest}" if 0 < rest < 5 or rest < 0 else None


def report_problems(folder: Path) -> list[str]:
    """Everything in ``folder``'s report that gives a count of 1 to 4 away."""
    soup = BeautifulSoup((folder / "rapport.html").read_text(encoding="utf-8"), "html.parser")
    problems: list[str] = []
    cells: dict[str, str] = {}
    for element in soup.select("[data-count]"):
        key, shown = str(element["data-count"]), element.get_text()
        if shown not in (SMALL, HIDDEN) and not (
            shown.isdigit() and int(shown) >= 5 and int(shown) % 5 == 0
        ):
            problems.append(f"{key} shows {shown!r}")
        if cells.setdefault(key, shown) != shown:
            problems.append(f"{key} shows {cells[key]!r} and {shown!r}")
    problems += [f"a number {n} outside the counts" for n in _free_numbers(soup) if n < 5]
    for table in soup.find_all("table"):
        for td in table.find_all("td"):
            marked = td.has_attr("data-count") or td.has_attr("data-setting")
            if td.get_text().isdigit() and not marked:
                problems.append(f"an unmarked number in {table.caption.get_text()}")
    problems += _rate_problems(soup, cells)
    problems += _csv_problems(folder, soup)
    problems += _relation_problems(soup, cells)
    problems += _attacker_problems(soup, cells)
    return problems


def _rate_problems(soup: BeautifulSoup, cells: dict[str, str]) -> list[str]:
    """A show-up rate is shown only when the two counts it is made of are, and is their ratio:
    a rate beside one hidden count would give that count back."""
    problems = []
    for element in soup.select("[data-rate]"):
        key, shown = str(element["data-rate"]), element.get_text()
        part, whole = key.replace("rate", "came"), key.replace("rate", "signed_up")
        counts = (cells[part], cells[whole])
        if not (counts[0].isdigit() and counts[1].isdigit() and int(counts[1]) >= 20):
            if shown != HIDDEN:
                problems.append(f"{key} shows {shown!r} beside {counts[0]!r} of {counts[1]!r}")
            continue
        if shown == HIDDEN:
            continue  # fewer than 20 in truth (18 or 19 show 20)
        # Computed from the true counts (each within 2 of what is shown), rounded to 10 points.
        (came_low, came_high), (signed_low, signed_high) = map(_interval, counts)
        low, high = 100 * came_low / signed_high, 100 * min(came_high / signed_low, 1)
        percent = int(shown.removesuffix("\u00a0%")) if shown.endswith("\u00a0%") else -1
        if percent % 10 or not low - 6 <= percent <= high + 6:
            problems.append(f"{key} shows {shown!r} for {counts[0]} of {counts[1]}")
    return problems


def plain(text: str) -> str:
    """``text`` with its non-breaking spaces as plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _csv_problems(folder: Path, soup: BeautifulSoup) -> list[str]:
    """Each CSV file holds the same cells as a table of the page (so the checks above hold)."""
    tables = []
    for table in soup.find_all("table"):
        # The page's non-breaking spaces are typography: a spreadsheet's cells do without.
        rows = [
            [plain(cell.get_text()) for cell in row.find_all(["th", "td"])] for row in table("tr")
        ]
        tables.append(rows)
    problems = []
    for path in folder.glob("*.csv"):
        text = plain(path.read_text(encoding="utf-8-sig"))
        rows = list(csv.reader(text.splitlines(), delimiter=";"))
        if rows not in tables:
            problems.append(f"{path.name} differs from the page")
    return problems


def _keys(cells: dict[str, str], pattern: str) -> list[str]:
    return [shown for key, shown in cells.items() if re.fullmatch(pattern, key)]


def _relation_problems(soup: BeautifulSoup, cells: dict[str, str]) -> list[str]:
    reached, since = cells["reached"], cells["since"]
    found = []
    for name in ("channels/[a-z]+/people", r"territories/\d+", r"communes/\d+", r"ages/\d+"):
        found.append(_sum_problem(name, [reached], _keys(cells, name)))
    found.append(_sum_problem("contact", [reached], _keys(cells, r"contact/\d+")))
    found.append(_sum_problem("partner flyers", [cells["channels/partenaire/people"]], _keys(cells, r"partners/\d+/flyers")))  # fmt: skip
    found.append(_sum_problem("referrals", [cells["channels/orientation/people"]], _keys(cells, r"partners/\d+/referrals")))  # fmt: skip
    found.append(_within_problem("period and since the start", since, reached))
    cumulative = _keys(cells, r"periods/\d+/cumulative")
    news = _keys(cells, r"periods/\d+/new")
    for index in range(1, len(cumulative)):
        found.append(_within_problem("cumulative", cumulative[index], cumulative[index - 1]))
        found.append(
            _sum_problem("week", [cumulative[index]], [cumulative[index - 1], news[index]])
        )
    # The closed weeks no period holds yet (fewer than 5) are in « since » only.
    if cumulative:
        found.append(_within_problem("last cumulative", since, cumulative[-1]))
    for key in cells:
        if match := re.fullmatch("channels/([a-z]+)/people", key):
            signed = cells[f"channels/{match[1]}/to_event"]
            found.append(_within_problem(key, cells[key], signed))
    for whole, part in _attendance_within(cells):
        found.append(_within_problem(f"{part} of {whole}", cells[whole], cells[part]))
    for total, parts in _attendance_sums(cells):
        found.append(_sum_problem(total, [cells[total]], [cells[k] for k in parts]))
    found.append(_within_problem("priority", reached, cells["priority"]))
    found.append(_within_problem("rural", reached, cells["rural"]))
    found += _territory_problems(soup, cells)
    return [problem for problem in found if problem]


def _territory_problems(soup: BeautifulSoup, cells: dict[str, str]) -> list[str | None]:
    """A territory and its communes; the young people of no known commune, in two tables."""
    members: dict[str, list[str]] = {}
    for row in _table(soup, "Par commune"):
        tds = row.find_all("td")
        members.setdefault(tds[0].get_text(), []).append(tds[-1].get_text())
    found: list[str | None] = []
    for row in _table(soup, "Par communauté de communes"):
        name, shown = row.th.get_text(), row.td.get_text()
        # The young people outside the territories are those of « Autre commune » (no territory).
        communes = members.get(name, members[""] if name == OUTSIDE else [])
        found.append(_sum_problem(name, [shown], communes))
    return found


def _attendance_within(cells: dict[str, str]) -> list[tuple[str, str]]:
    """Sign-ups noted present are among the sign-ups: per event held, and in total."""
    pairs = [
        (key.replace("/came", "/signed_up"), key)
        for key in cells
        if re.fullmatch(r"events/\d+/came", key)
    ]
    if "attendance/came" in cells:
        pairs.append(("attendance/signed_up", "attendance/came"))
    return pairs


def _attendance_sums(cells: dict[str, str]) -> list[tuple[str, list[str]]]:
    """The totals of the events held are the sums of their rows."""
    if "attendance/came" not in cells:
        return []
    came = [key for key in cells if re.fullmatch(r"events/\d+/came", key)]
    return [
        ("attendance/signed_up", [key.replace("/came", "/signed_up") for key in came]),
        ("attendance/came", came),
        ("attendance/walked_in", [k for k in cells if re.fullmatch(r"events/\d+/walked_in", k)]),
    ]


Relation = tuple[list[str], list[str]]  # keys: the left ones add up to the right ones


def _relations(soup: BeautifulSoup, cells: dict[str, str]) -> list[Relation]:
    """Every sum a reader can know between published counts; ``?…`` an unpublished rest."""

    def keys(pattern: str) -> list[str]:
        return [key for key in cells if re.fullmatch(pattern, key)]

    found: list[Relation] = [
        (["reached"], keys(pattern))
        for pattern in (
            "channels/[a-z]+/people",
            r"territories/\d+",
            r"communes/\d+",
            r"ages/\d+",
            r"contact/\d+",
        )
    ]
    found.append((["channels/partenaire/people"], keys(r"partners/\d+/flyers")))
    found.append((["channels/orientation/people"], keys(r"partners/\d+/referrals")))
    within = [("since", "reached"), ("reached", "priority"), ("reached", "rural")]
    within += [(key, key.replace("people", "to_event")) for key in keys("channels/.*/people")]
    cumulative = keys(r"periods/\d+/cumulative")
    news = keys(r"periods/\d+/new")
    found.append((["since"], [*news, "?pending"]))
    found.append((["since"], [*cumulative[-1:], "?pending"]))
    for index in range(1, len(cumulative)):
        found.append(([cumulative[index]], [cumulative[index - 1], news[index]]))
    members: dict[str, list[str]] = {}
    for row in _table(soup, "Par commune"):
        tds = row.find_all("td")
        key = str(tds[-1]["data-count"])
        members.setdefault(tds[0].get_text() or OUTSIDE, []).append(key)
        for flag, column in (("priority", 1), ("rural", 2)):
            if tds[column].get_text() == "oui":
                members.setdefault(flag, []).append(key)
    for row in _table(soup, "Par communauté de communes"):
        found.append(([str(row.td["data-count"])], members.get(row.th.get_text(), [])))
    found += [([flag], members.get(flag, [])) for flag in ("priority", "rural")]
    found += [([total], parts) for total, parts in _attendance_sums(cells)]
    within += _attendance_within(cells)
    found += [([whole], [part, f"?{whole}-{part}"]) for whole, part in within]
    return found


def _attacker_problems(soup: BeautifulSoup, cells: dict[str, str]) -> list[str]:
    """What a reader works out from one relation, or from the sum or difference of two: a
    single hidden cell, or hidden cells adding up to 1 to 4."""
    relations = []
    for left, right in _relations(soup, cells):
        terms: dict[str, int] = {}
        for key, sign in [(k, 1) for k in left] + [(k, -1) for k in right]:
            terms[key] = terms.get(key, 0) + sign
        relations.append(terms)
    problems = []
    for index, first in enumerate(relations):
        combinations = [first]
        for second in relations[index + 1 :]:
            for sign in (1, -1):
                combined = dict(first)
                for key, coefficient in second.items():
                    combined[key] = combined.get(key, 0) + sign * coefficient
                combinations.append(combined)
        for terms in combinations:
            known = -sum(c * int(cells[k]) for k, c in terms.items() if cells.get(k, "").isdigit())
            hidden = {k: c for k, c in terms.items() if c and not cells.get(k, "").isdigit()}
            if not hidden or len({c > 0 for c in hidden.values()}) > 1:
                continue
            alone = len(hidden) == 1 and not next(iter(hidden)).startswith("?")
            if alone or 0 < abs(known) < 5:
                problems.append(f"{sorted(hidden)} worked out as {abs(known)}")
            elif (value := _exactly_small(terms, cells)) is not None:
                problems.append(f"{sorted(hidden)} worked out as {value} despite rounding")
            elif (key := _small_not_empty(terms, cells)) is not None:
                problems.append(f"{key} shown not to be empty by {sorted(terms)}")
    return problems


def _table(soup: BeautifulSoup, caption: str) -> list[Tag]:
    table = next(t for t in soup.find_all("table") if t.caption.get_text() == caption)
    return table.tbody.find_all("tr")


# --- random small populations ----------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    days_ago: int
    form: str
    source: str
    commune: str
    age: int
    channel: str
    structure: str
    event: int  # which of the project's events they sign up for
    signs_up_later: bool
    came: bool  # noted present (when their event is held)


def person(days_ago: st.SearchStrategy[int]) -> st.SearchStrategy[Person]:
    """A young person first reached ``days_ago`` days before the report, everything else drawn."""
    return st.builds(
        Person,
        days_ago=days_ago,
        form=st.sampled_from(("rappel", "rappel", "orientation", "inscription")),
        source=st.sampled_from(SOURCES),
        commune=st.sampled_from(COMMUNES),
        age=st.integers(16, 29),
        channel=st.sampled_from(("sms", "appel", "whatsapp", "email")),
        structure=st.sampled_from(("MJC de Pompey", "Une structure inconnue")),
        event=st.sampled_from((0, 1, 2)),
        signs_up_later=st.booleans(),
        came=st.booleans(),
    )


# Few distinct days: several young people in the same week, and weeks of one or two.
people = st.lists(
    person(st.sampled_from((69, 66, 60, 45, 44, 43, 30, 20, 19, 12, 6, 1, 0))), max_size=40
)


# The project's events: days from today, places, title. Two held already (their attendance
# is counted, in total too), one to come.
EVENTS = ((-10, 6, "Forum de l'emploi"), (-5, 8, "Atelier passé"), (12, 10, "Atelier CV"))


@dataclass(frozen=True)
class Loaded:
    """The project and its events; a short repr for Hypothesis' failure report."""

    project: LoadedProject
    events: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Loaded{self.events}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    return make_project(tmp_path_factory.mktemp("confidentialite") / "projet")


def make_project(root: Path) -> Loaded:
    """A project whose programme began 70 days ago, with the events of :data:`EVENTS`."""
    made = new_project(root)
    settings_file = made.root / "mkdocs.yml"
    config = yaml.safe_load(settings_file.read_text(encoding="utf-8"))
    plugin = next(p for p in config["plugins"] if isinstance(p, dict) and "porte-voix" in p)
    plugin["porte-voix"]["programme"]["debut"] = START.isoformat()
    settings_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    ids = []
    for days, places, title in EVENTS:
        moment = when(days)
        ids.append(f"{moment:%Y-%m-%d}-evenement-{len(ids)}")
        made.write(
            f"evenements/{ids[-1]}.md",
            event_text(moment, title=title).replace(
                "inscription: non", f"inscription:\n  places: {places}"
            ),
        )
    return Loaded(load_project(str(settings_file)), tuple(ids))


def fill(
    store: Store,
    crowd: list[Person],
    events: tuple[str, ...],
    walk_ins: tuple[int | None, ...],
    *,
    now: datetime | None = None,
    first_number: int = 0,
) -> None:
    """Each young person's requests, dated ``days_ago`` before ``now``; those who came to a
    held event noted present (some from its waiting list), and each held event's walk-ins.
    ``first_number``: the first young person's number (their phone number is made of it)."""
    present: dict[str, list[str]] = {event: [] for event in events}
    places = {event: spec[1] for event, spec in zip(events, EVENTS, strict=True)}
    for number, person in enumerate(crowd, start=first_number):
        requests = [(person.form, person.days_ago)]
        if person.signs_up_later and person.days_ago > 0:
            requests.append(("inscription", person.days_ago - 1))
        for form, days_ago in requests:
            values = {
                "id": str(uuid.uuid4()),
                "form": form,
                "first_name": f"Prénom{number}",
                "phone": f"+336{number:08d}",
                "commune": person.commune,
                "age": person.age,
                "channel": person.channel,
                "source": person.source,
            }
            if form == "orientation":
                values.update(referrer_name="Karim", referrer_structure=person.structure)
            if form == "inscription":
                values["event_id"] = events[person.event]
                if person.came and EVENTS[person.event][0] < 0:
                    present[events[person.event]].append(values["id"])
            store.record(values, [], capacity=places.get(values.get("event_id", "")))
            moment = ((now or datetime.now(UTC)) - timedelta(days=days_ago)).isoformat(
                timespec="milliseconds"
            )
            store.write(
                lambda db, moment=moment, row=values["id"]: db.execute(
                    "UPDATE submissions SET created_at = ?, consent_at = ?, last_contact_at = ? "
                    "WHERE id = ?",
                    (moment, moment, moment, row),
                )
            )
    for event, walked in zip(events, walk_ins, strict=False):
        if present[event] or walked is not None:
            record_presence(store, event, present[event], walked)


def _signed_up(event: int, count: int, came: int) -> list[Person]:
    """``count`` young people signed up for ``event`` (straight away), the first ``came`` of
    them noted present."""
    return [
        Person(20, "inscription", "", "Frouard", 19, "sms", "", event, False, index < came)
        for index in range(count)
    ]


# Hypothesis warns when it prints a large failing example: the example is what we want to see.
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
# No shrinking: each example writes a whole report (about half a second), and shrinking a crowd
# of 40 took minutes; the failing example is printed as it was drawn.
@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
# Crowds drawn to need each attendance relation: 6 signed up and 5 came (1 absent: one
# event); 6 of 6 and 3 of 8 (the total gives the 3 away); 5 of 6 twice (the totals, 10 of 12).
@example(crowd=_signed_up(0, 7, 5), from_days_ago=None, walk_ins=(None, None))
@example(crowd=_signed_up(0, 6, 6) + _signed_up(1, 8, 3), from_days_ago=None, walk_ins=(6, 0))
@example(crowd=_signed_up(0, 6, 5) + _signed_up(1, 6, 5), from_days_ago=None, walk_ins=(9, 5))
@given(
    crowd=people,
    from_days_ago=st.sampled_from((None, 50, 44, 21, 10)),
    walk_ins=st.tuples(*[st.sampled_from((None, 0, 2, 4, 7))] * 2),
)
def test_no_published_figure_gives_a_small_count_away(
    project: Loaded,
    crowd: list[Person],
    from_days_ago: int | None,
    walk_ins: tuple[int | None, ...],
) -> None:
    loaded = project.project
    first_day = TODAY - timedelta(days=from_days_ago) if from_days_ago is not None else None
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "formulaires.sqlite3")
        store.migrate()
        fill(store, crowd, project.events, walk_ins)
        figures = count_figures(
            contacts(store),
            loaded.settings,
            loaded.content.partners,
            loaded.content.events,
            walk_ins=walk_ins_of(store),
            first_day=first_day,
        )
        store.close()
        out = Path(folder) / "rapport"
        write_report(figures, out, "Mission Locale")
        assert report_problems(out) == []


def test_the_checks_find_what_an_unmasked_report_gives_away(tmp_path: Path) -> None:
    """The reader above is not blind: a page printing 3 young people is caught."""
    (tmp_path / "rapport.html").write_text(
        "<html><body><p>la plus forte : 3 jeunes, semaine du 02/03/2026</p>"
        '<strong data-count="reached">7</strong><strong data-count="since">9</strong>'
        "</body></html>",
        encoding="utf-8",
    )
    soup = BeautifulSoup((tmp_path / "rapport.html").read_text(encoding="utf-8"), "html.parser")
    assert _free_numbers(soup) == [3]
    assert _within_problem("period", "9", "7") == "period: 9 - 7 = 2"
    assert (
        _sum_problem("ages", ["23"], ["11", "7", SMALL])
        == "ages: a single hidden cell, worked out as 5"
    )
    assert _sum_problem("ages", ["23"], ["11", "9", SMALL, SMALL]) is not None
    assert _sum_problem("ages", ["23"], ["11", "7", SMALL, SMALL]) is None
    # Rounding alone is not enough: 7 + 7 + 4 = 18 shows 5, 5, « < 5 » and 20, and the last
    # can only be 4 (the total is at least 18, the rows at most 7).
    assert _sum_problem("total", ["20"], ["5", "5", SMALL, SMALL]) is None
    assert _exactly_small({"t": 1, "a": -1, "c": -1, "b": -1}, {"t": "20", "a": "5", "c": "5", "b": SMALL}) == 4  # fmt: skip
    # 13 shows 15, 5 is at most 7: the two « < 5 » hold 6 at least, 2 each.
    two = {"t": "15", "a": "5", "b": SMALL, "c": SMALL}
    assert _small_not_empty({"t": 1, "a": -1, "b": -1, "c": -1}, two) == "b"
    assert _small_not_empty({"t": 1, "a": -1, "b": -1, "c": -1}, {**two, "t": "10"}) is None
    assert _sum_problem("rounded", ["20"], ["10", "10"]) is None
    assert _sum_problem("rounded", ["20"], ["5", "5"]) is not None
    # A rate beside a hidden count gives it back (3 of 9); a shown rate must be the ratio.
    rate = BeautifulSoup('<td data-rate="events/0/rate">30\u00a0%</td>', "html.parser")
    assert _rate_problems(rate, {"events/0/came": SMALL, "events/0/signed_up": "30"}) != []
    assert _rate_problems(rate, {"events/0/came": "5", "events/0/signed_up": "10"}) != []
    assert _rate_problems(rate, {"events/0/came": "20", "events/0/signed_up": "30"}) != []
    assert _rate_problems(rate, {"events/0/came": "10", "events/0/signed_up": "30"}) == []


def test_the_weeks_after_the_last_period_are_in_no_figure(project: Loaded, tmp_path: Path) -> None:
    """32 young people in one week, then 1 in the last closed week: a total « depuis le début »
    of 35 (33) beside a last period of 30 (32) would tell that 1 to 4 came since, so the report
    stops at the end of the last period and says why."""
    last_sunday = TODAY - timedelta(days=TODAY.weekday() + 1)
    early = (TODAY - (last_sunday - timedelta(days=30))).days
    crowd = [Person(early, "rappel", "", "Frouard", 19, "sms", "", 0, False, False)] * 32
    late = (TODAY - (last_sunday - timedelta(days=2))).days  # the Friday of the last closed week
    crowd.append(Person(late, "rappel", "", "Nomeny", 19, "sms", "", 0, False, False))
    store = Store(tmp_path / "formulaires.sqlite3")
    store.migrate()
    fill(store, crowd, project.events, ())
    loaded = project.project
    figures = count_figures(
        contacts(store), loaded.settings, loaded.content.partners, loaded.content.events
    )
    store.close()
    assert figures.reached_since_start == 32 and figures.last_day < last_sunday
    write_report(figures, tmp_path / "rapport", "Mission Locale")
    page = (tmp_path / "rapport" / "rapport.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    cumulative = soup.select('[data-count$="/cumulative"]')
    assert (
        cumulative
        and soup.select_one('[data-count="since"]').get_text() == cumulative[-1].get_text()
    )
    assert "ne sont comptés dans aucun chiffre" in page
