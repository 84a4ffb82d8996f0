"""On the day: the attendance sheet (read back with poppler), who came (``forms presence`` on a
real SQLite file through the real CLI), and the show-up figures of the report, masked.

Sign-ups go through the real app; the sheet and the report through ``porte-voix forms …`` with
the project's own ``mkdocs.yml``.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import stat
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from forms_backend.config import BackendConfig
from forms_backend.store.attendance import Attendee, walk_ins
from forms_backend.store.database import Store
from forms_backend.store.follow_up import contacts
from generator.cli import load_project, main
from generator.report import count_figures, write_report
from generator.report.masking import HIDDEN, SMALL
from generator.sheets.attendance import SheetEvent, attendance_sheet

from .backend import client_for, fresh, make_config, manifest_event, write_manifest
from .conftest import PARIS, Project, event_text, new_project, when
from .test_report_privacy import report_problems

FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRENCH_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre"
FRENCH_MONTHS += " décembre"
FUNDERS = "Action financée par le Fonds social européen et la Région Grand Est."


@dataclass
class Day:
    """A project with two events held, the backend's settings, and who signed up."""

    project: Project
    config: BackendConfig
    forum: str  # 28 places, 30 sign-ups: 2 on the waiting list
    atelier: str  # 6 places, 6 sign-ups
    names: dict[str, list[str]]  # event → first names, in the order they signed up
    call_back: str  # the id of a call-back request (not a sign-up)

    def sign_ups(self, event: str, status: str = "inscrit") -> list[str]:
        """The ids of the event's sign-ups with ``status``, oldest first (read with sqlite3)."""
        with sqlite3.connect(self.config.database) as db:
            rows = db.execute(
                "SELECT id FROM submissions WHERE event_id = ? AND status = ? "
                "ORDER BY created_at, id",
                (event, status),
            ).fetchall()
        return [row[0] for row in rows]

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "PORTE_VOIX_DB": str(self.config.database),
            "PORTE_VOIX_SITE_DIR": str(self.config.site_dir),
            **extra,
        }

    def run(self, *args: str, **extra: str) -> Result:
        """``porte-voix ARGS`` with this project's settings."""
        return CliRunner().invoke(main, list(args), env=self.env(**extra))

    def sheet(self, event: str, out: Path, *extra: str) -> Result:
        config = str(self.project.root / "mkdocs.yml")
        return self.run("forms", "emargement", event, "--out", str(out), "--config", config, *extra)


def _event(project: Project, days: int, slug: str, title: str, places: int) -> str:
    moment = when(days)
    event_id = f"{moment:%Y-%m-%d}-{slug}"
    project.write(
        f"evenements/{event_id}.md",
        event_text(moment, title=title).replace(
            "inscription: non", f"inscription:\n  places: {places}"
        ),
    )
    return event_id


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Day:
    root = tmp_path_factory.mktemp("emargement")
    project = new_project(root / "projet")
    settings_file = project.root / "mkdocs.yml"
    settings = yaml.safe_load(settings_file.read_text(encoding="utf-8"))
    plugin = next(p for p in settings["plugins"] if isinstance(p, dict) and "porte-voix" in p)
    plugin["porte-voix"]["affiches"]["financeurs"] = FUNDERS
    settings_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    forum = _event(project, -1, "forum", '"Forum de l\'emploi : viens avec ton CV !"', 28)
    atelier = _event(project, -3, "atelier", "Atelier cuisine", 6)
    config = make_config(root, rate_limit=1000, attempt_limit=1000)
    # When they signed up, both events were still to come.
    write_manifest(
        config.site_dir, [manifest_event(forum, places=28), manifest_event(atelier, places=6)]
    )
    names: dict[str, list[str]] = {forum: [], atelier: []}
    # The first ten of the forum asked for a call back first: the forum reached 20 of its 30.
    plan = [("rappel", "", f"Éloïse{n:02d}", n) for n in range(10)]
    plan += [("inscription", forum, f"Éloïse{n:02d}", n) for n in range(30)]
    plan += [("inscription", atelier, f"Anaïs{n:02d}", 30 + n) for n in range(6)]
    with client_for(config) as client:
        for form, event, name, number in plan:
            answer = client.post(
                f"/formulaires/{form}",
                data={
                    **fresh(client, form),
                    "prenom": name,
                    "telephone": f"06{number:08d}",
                    "commune": "Pont-à-Mousson" if number % 2 else "Frouard",
                    "age": "19",
                    "canal": "sms",
                    "consentement": "oui",
                    "evenement": event,
                },
                headers={"Accept": "application/json"},
            )
            assert answer.json()["ok"], answer.text
            if event:
                names[event].append(name)
        call_back = fresh(client, "rappel")
        answer = client.post(
            "/formulaires/rappel",
            data={
                **call_back,
                "prenom": "Rappel",
                "telephone": "0699999999",
                "commune": "Frouard",
                "age": "20",
                "canal": "sms",
                "consentement": "oui",
            },
            headers={"Accept": "application/json"},
        )
        assert answer.json()["ok"], answer.text
    # The day after: both events are over in the published site.
    write_manifest(
        config.site_dir,
        [
            manifest_event(forum, places=28, starts_in=timedelta(days=-1)),
            manifest_event(atelier, places=6, starts_in=timedelta(days=-3)),
        ],
    )
    return Day(project, config, forum, atelier, names, call_back["id"])


def _pdf_pages(path: Path) -> list[str]:
    """Each page's text as poppler's pdftotext reads it (no-break spaces as spaces)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])  # type: ignore[index]
    pages = []
    for number in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages.append(text.replace("\u00a0", " ").replace("\u202f", " "))
    return pages


def _row_numbers(page: str) -> list[int]:
    return [int(m[1]) for m in re.finditer(r"^[ \t]*(\d+)(?:[ \t]|$)", page, re.M)]


# --- the attendance sheet --------------------------------------------------------------------


def test_the_sheet_lists_who_has_a_place_25_rows_a_page_on_a4(day: Day, tmp_path: Path) -> None:
    out = tmp_path / "papiers" / "feuille.pdf"
    result = day.sheet(day.forum, out)
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info, re.M), info
    assert re.search(r"^Pages:\s+2$", info, re.M), info  # 28 people + 10 empty rows: 38 rows
    assert re.search(r"^Title:\s+Feuille d'émargement — Forum de l'emploi", info, re.M), info
    pages = _pdf_pages(out)
    assert len(pages) == 2
    # One row per person with a place, by first name; the waiting list is not on the sheet.
    with_place, waiting = day.names[day.forum][:28], day.names[day.forum][28:]
    everything = "\n".join(pages)
    for name in with_place:
        assert everything.count(name) == 1, name
    for name in waiting:
        assert name not in everything
    assert sorted(with_place)[:25] == re.findall(r"Éloïse\d\d", pages[0])
    assert sorted(with_place)[25:] == re.findall(r"Éloïse\d\d", pages[1])
    # The reference typed in ``forms presence`` is printed beside each name.
    for reference in day.sign_ups(day.forum):
        assert reference[:8] in everything
    # 25 numbered rows a page, the last page filled with empty rows for walk-ins.
    assert _row_numbers(pages[0]) == list(range(1, 26))
    assert _row_numbers(pages[1]) == list(range(26, 51))
    start = when(-1)
    spoken = f"{FRENCH_DAYS[start.weekday()]} {start.day if start.day > 1 else '1er'} "
    spoken += f"{FRENCH_MONTHS.split()[start.month - 1]} {start.year}, 14 h – 17 h"
    for number, page in enumerate(pages, start=1):
        # The header again on every page: event, date, place, funders; and the page number.
        assert "Feuille d'émargement" in page
        assert "Forum de l'emploi : viens avec ton CV !" in page
        assert spoken in page
        assert "Lieu : MJC de Pompey, 2 rue des Pâquis, 54340 Pompey" in page
        assert FUNDERS in page
        assert re.search(r"Prénom\s+Commune\s+Signature", page)
        assert f"Page {number} sur 2" in page
        assert "Données personnelles" in page
    assert "Pont-à-Mousson" in pages[0] and "Frouard" in pages[0]
    # Personal data: said where it went and what to do with it; readable by its owner only.
    assert f"Feuille d'émargement écrite : {out}" in result.output
    assert "28 inscrit(s), 22 ligne(s) vide(s)" in result.output
    assert "2 personne(s) de la liste d'attente n'y figurent pas" in result.output
    assert "données personnelles" in result.output and "détruis-la" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["feuille.pdf"]  # no temporary file left
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_more_empty_rows_add_a_page(day: Day, tmp_path: Path) -> None:
    out = tmp_path / "feuille.pdf"
    result = day.sheet(day.atelier, out, "--lignes-vides", "40")
    assert result.exit_code == 0, result.output
    pages = _pdf_pages(out)
    assert len(pages) == 2  # 6 people and 40 empty rows: 46 rows
    assert re.findall(r"Anaïs\d\d", pages[0]) == day.names[day.atelier]
    assert re.findall(r"Anaïs\d\d", pages[1]) == []
    assert "Inscrits : 6." in pages[0]


def test_the_sheet_is_never_written_in_the_published_site(day: Day) -> None:
    for site in (day.project.root / "site", day.config.site_dir):
        out = site / "evenements" / "feuille.pdf"
        result = day.sheet(day.forum, out)
        assert result.exit_code == 1
        assert "dans le dossier du site publié" in result.output
        assert "données personnelles" in result.output
        assert not out.exists()


def test_an_unknown_event_is_refused_in_french(day: Day, tmp_path: Path) -> None:
    result = day.sheet("2026-13-01-\x1b[2Jinconnu", tmp_path / "feuille.pdf")
    assert result.exit_code == 1
    assert "aucun événement « 2026-13-01-<U+001B>[2Jinconnu » dans content/evenements/" in (
        result.output
    )
    assert not (tmp_path / "feuille.pdf").exists()


# --- who came --------------------------------------------------------------------------------


def _attendance(day: Day) -> tuple[set[str], dict[str, int]]:
    with sqlite3.connect(day.config.database) as db:
        present = {row[0] for row in db.execute("SELECT submission_id FROM attendance")}
        walk_ins = dict(db.execute("SELECT event_id, people FROM walk_ins").fetchall())
    return present, walk_ins


@pytest.fixture(scope="module")
def recorded(day: Day) -> Day:
    """Five of the forum's sign-ups and one of its waiting list came, with 4 walk-ins; five
    of the six of the atelier came, with 6 walk-ins."""
    came = [ref[:8] for ref in day.sign_ups(day.forum)[:5]]
    came.append(day.sign_ups(day.forum, "liste_attente")[0][:8])
    result = day.run("forms", "presence", day.forum, *came, "--sans-inscription", "4")
    assert result.exit_code == 0, result.output
    assert "6 nouvelle(s)" in result.output
    assert "liste d'attente : 1" in result.output
    refs = [ref[:8] for ref in day.sign_ups(day.atelier)[:5]]
    result = day.run("forms", "presence", day.atelier, *refs, "--sans-inscription", "6")
    assert result.exit_code == 0, result.output
    return day


def test_presence_is_recorded_once_however_often_it_is_typed(recorded: Day) -> None:
    day = recorded
    present, walk_ins = _attendance(day)
    forum = day.sign_ups(day.forum)[:5] + day.sign_ups(day.forum, "liste_attente")[:1]
    assert present == set(forum) | set(day.sign_ups(day.atelier)[:5])
    assert walk_ins == {day.forum: 4, day.atelier: 6}
    # The same command again (full references this time, and one twice): nothing changes.
    again = day.run("forms", "presence", day.forum, *forum, forum[0], "--sans-inscription", "4")
    assert again.exit_code == 0, again.output
    assert "0 nouvelle(s)" in again.output
    assert "Déjà notées avant (pas comptées deux fois) : 6." in again.output
    assert _attendance(day) == (present, walk_ins)


def test_one_unknown_reference_and_nothing_is_written(recorded: Day) -> None:
    day = recorded
    before = _attendance(day)
    newcomer = day.sign_ups(day.forum)[10][:8]
    other_event = day.sign_ups(day.atelier)[5][:8]
    result = day.run(
        "forms",
        "presence",
        day.forum,
        newcomer,
        "zzzzzzzz",
        other_event,
        day.call_back[:8],
        "abc",
        "--sans-inscription",
        "9",
    )
    assert result.exit_code == 1
    assert "aucune inscription ne commence par « zzzzzzzz »" in result.output
    assert f"« {other_event} » n'est pas une inscription à cet événement" in result.output
    assert f"« {day.call_back[:8]} » n'est pas une inscription à cet événement" in result.output
    assert "« abc » est trop court" in result.output
    assert "rien n'a été noté" in result.output
    assert _attendance(day) == before  # neither the newcomer nor the 9 walk-ins


def test_presence_for_an_unknown_event_or_with_nothing_to_note_is_refused(recorded: Day) -> None:
    day = recorded
    result = day.run("forms", "presence", "2020-01-01-rien", day.sign_ups(day.forum)[0][:8])
    assert result.exit_code == 1
    assert "aucun événement « 2020-01-01-rien » sur le site publié" in result.output
    result = day.run("forms", "presence", day.forum)
    assert result.exit_code == 2
    assert "donne au moins une référence (RÉF) ou --sans-inscription N" in result.output
    result = day.run("forms", "presence", day.forum, "--sans-inscription", "-1")
    assert result.exit_code == 2


def test_presence_before_the_event_or_for_a_cancelled_one_is_refused(tmp_path: Path) -> None:
    """A mistyped event (one still to come, or cancelled) must not count people as come."""
    config = make_config(tmp_path, rate_limit=1000, attempt_limit=1000)
    later, cancelled = "2099-01-01-plus-tard", "2099-01-02-annule"
    gone = {**manifest_event(cancelled), "statut": "annule", "raison": "La salle est fermée."}
    write_manifest(config.site_dir, [manifest_event(later), gone])
    env = {"PORTE_VOIX_DB": str(config.database), "PORTE_VOIX_SITE_DIR": str(config.site_dir)}
    for event, said in ((later, "n'a pas encore commencé"), (cancelled, "est annulé")):
        result = CliRunner().invoke(
            main, ["forms", "presence", event, "--sans-inscription", "3"], env=env
        )
        assert result.exit_code == 1, result.output
        assert said in result.output and "rien n'a été noté" in result.output
        assert not config.database.exists()  # nothing was opened, nothing written


# --- the report ------------------------------------------------------------------------------


def _table(folder: Path, name: str) -> list[list[str]]:
    text = (folder / f"{name}.csv").read_text(encoding="utf-8-sig")
    return list(csv.reader(text.splitlines(), delimiter=";"))


def test_the_report_shows_who_came_under_the_small_count_rule(
    recorded: Day, tmp_path: Path
) -> None:
    day = recorded
    folder = tmp_path / "rapport"
    # The report counts closed weeks only: it is made as it will be a week from now, once the
    # week of the events and the sign-ups is over.
    project = load_project(str(day.project.root / "mkdocs.yml"))
    store = Store(day.config.database)
    figures = count_figures(
        contacts(store),
        project.settings,
        project.content.partners,
        project.content.events,
        walk_ins=walk_ins(store),
        today=datetime.now(PARIS).date() + timedelta(days=7),
    )
    store.close()
    write_report(figures, folder, project.settings.site_name)
    header, *rows = _table(folder, "evenements")
    assert header[-3:] == [
        "Inscrits venus",
        "Venus sans place réservée",
        "Taux de présence des inscrits",
    ]
    events = {row[1]: row[2:] for row in rows}
    # Forum (28 places): 28 signed up, 2 waiting; 5 came (18 %, to 20 %), and 4 + 1 from the
    # waiting list without a place. Atelier (6 places): 6 signed up, 5 came. Counts are rounded
    # to 5 (28 shows 30, 6 shows 5): from « 5 of 5 » a reader learns 0 to 2 absent, so nothing
    # is masked (masking it because one was truly absent would tell it); the atelier's rate
    # is hidden, of fewer than 20.
    assert events["Forum de l'emploi : viens avec ton CV !"][:3] == ["28", "30", SMALL]
    assert events["Forum de l'emploi : viens avec ton CV !"][-3:] == ["5", "5", "20\u00a0%"]
    assert events["Atelier cuisine"][:3] == ["6", "5", SMALL]
    assert events["Atelier cuisine"][-3:] == ["5", "5", HIDDEN]
    assert _table(folder, "presence") == [
        ["Qui", "Nombre"],
        ["Inscrits", "35"],  # 34
        ["Inscrits venus", "10"],
        ["Venus sans place réservée (sans inscription ou sur liste d'attente)", "10"],  # 11
        # 10 of 34 (29 %), from the true counts, to the nearest 10 points.
        ["Taux de présence des inscrits", "30\u00a0%"],
    ]
    assert report_problems(folder) == []


def test_attendance_goes_with_the_sign_up_at_purge_time(recorded: Day) -> None:
    day = recorded
    gone = day.sign_ups(day.atelier)[0]
    assert gone in _attendance(day)[0]
    with sqlite3.connect(day.config.database) as db:
        db.execute(
            "UPDATE submissions SET last_contact_at = '2020-01-01T00:00:00.000+00:00' WHERE id = ?",
            (gone,),
        )
    result = day.run("forms", "purge")
    assert result.exit_code == 0, result.output
    present, walk_ins = _attendance(day)
    assert gone not in present
    assert len(present) == 10
    assert walk_ins == {day.forum: 4, day.atelier: 6}  # a number, nobody's: kept


def test_names_print_as_text_never_as_controls(tmp_path: Path) -> None:
    """A first name is typed by a stranger: controls and bidi overrides are dropped, a letter
    the font lacks prints as its base letter, an emoji as « ? »; the rest reads back as typed."""
    people = [
        Attendee("0123abcd-x", "Zoé\u202e\x1b[2J", "Pont-à-Mousson"),
        Attendee("4567abcd-x", "Şükrü Œlia", "Nguyễn 😀"),
    ]
    event = SheetEvent("Atelier", when(2), when(2, 16, 30), "MJC", "")
    out = tmp_path / "feuille.pdf"
    out.write_bytes(attendance_sheet(event, people, 0).pdf)
    (page,) = _pdf_pages(out)
    assert "Zoé[2J" in page and "\x1b" not in page and "\u202e" not in page
    assert "Şükrü Œlia" in page and "Nguyen ?" in page
    assert re.search(r"0123abcd\s+Zoé", page) and re.search(r"4567abcd\s+Şükrü", page)
    assert _row_numbers(page) == list(range(1, 26))
    assert "14 h – 16 h 30" in page
