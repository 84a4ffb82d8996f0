"""The programme's report and the weekly digest, from a database filled by the real backend.

The backend stamps each request with the moment it arrives; to spread a purpose-made set over ten
weeks, each request is then dated as if it had arrived on its day (its three time columns, in
SQL). Everything else is the real thing: the app, the SQLite file, the CLI, Chromium, an SMTP
server on loopback.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from click.testing import CliRunner

from forms_backend.config import BackendConfig
from generator.cli import main
from generator.report.figures import last_closed_day
from generator.report.masking import HIDDEN, SMALL, shown_count, shown_partition, shown_rate
from generator.settings import Settings, SettingsError
from generator.slugs import normalise

from .backend import client_for, fresh, make_config, manifest_event, write_manifest
from .browser import AXE_OPTIONS, chromium
from .conftest import PARIS, Project, event_text, new_project, when
from .test_report_privacy import plain, report_problems

CAPTIONS = {
    "canaux": "Par quel moyen les jeunes sont venus",
    "partenaires": "Ce que chaque partenaire a apporté",
    "territoires": "Par communauté de communes",
    "communes": "Par commune",
    "ages": "Par âge",
    "evenements": "Par événement",
}
TODAY = datetime.now(PARIS).date()
# The report counts closed weeks only: the requests are dated back from the last Sunday.
SUNDAY = last_closed_day(TODAY)
START = SUNDAY - timedelta(days=70)


@dataclass
class Filled:
    """The project, the backend's settings and what was sent."""

    project: Project
    config: BackendConfig
    past_event: str
    references: dict[str, str]  # person → submission id of their first request


def _date(config: BackendConfig, submission_id: str, days_ago: int) -> None:
    noon = datetime.combine(SUNDAY, time(12), PARIS) - timedelta(days=days_ago)
    moment = noon.astimezone(UTC).isoformat(timespec="milliseconds")
    with sqlite3.connect(config.database) as db:
        db.execute(
            "UPDATE submissions SET created_at = ?, consent_at = ?, last_contact_at = ? WHERE id = ?",
            (moment, moment, moment, submission_id),
        )


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Filled:
    root = tmp_path_factory.mktemp("rapport")
    project = new_project(root / "projet")
    settings = yaml.safe_load((project.root / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = next(p for p in settings["plugins"] if isinstance(p, dict) and "porte-voix" in p)
    plugin["porte-voix"]["programme"]["debut"] = START.isoformat()
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True))
    past = when(-10)
    past_id = f"{past:%Y-%m-%d}-forum-passe"
    project.write(
        f"evenements/{past_id}.md",
        event_text(past, title="Forum de l'emploi").replace(
            "inscription: non", "inscription:\n  places: 6"
        ),
    )
    config = make_config(root, rate_limit=1000, attempt_limit=1000)  # one client sends them all
    # When these young people signed up, the forum was still to come.
    write_manifest(config.site_dir, [manifest_event(past_id, places=6)])
    plan = [
        # (person, form, days ago, fields)
        *(
            (f"A{n}", "rappel", days, {"source": "partenaire-mjc-pompey", "commune": "Frouard"})
            for n, days in enumerate((65, 60, 50, 40, 30, 20), start=1)
        ),
        *(
            (f"B{n}", "rappel", days, {"source": "flyer-a5", "commune": "nomeny", "age": "17"})
            for n, days in enumerate((45, 35, 10, 5, 2), start=1)
        ),
        *(
            (
                f"C{n}",
                "orientation",
                days,
                {
                    "source": "",
                    "commune": "Pompey",
                    "age": "18",
                    "canal": "appel",
                    "pro_nom": "Karim Benali",
                    "pro_structure": "MJC de Pompey",
                    "pro_contact": "03 83 00 00 00",
                    "accord_jeune": "oui",
                },
            )
            for n, days in enumerate((55, 25, 3), start=1)
        ),
        *(
            (
                f"D{n}",
                "rappel",
                days,
                {"source": "", "commune": "Paris", "age": "20", "canal": "email"},
            )
            for n, days in enumerate((15, 12), start=1)
        ),
        *(
            (
                f"E{n}",
                "inscription",
                days,
                {"source": "instagram-story", "commune": "Pont-à-Mousson", "age": "23"},
            )
            for n, days in enumerate((30, 28, 27, 26, 24, 22, 21), start=1)
        ),
        # Two of the first group sign up for the forum too: still two people, not four.
        ("A1", "inscription", 19, {"source": "", "commune": "Frouard"}),
        ("A2", "inscription", 18, {"source": "", "commune": "Frouard"}),
    ]
    references: dict[str, str] = {}
    with client_for(config) as client:
        for person, form, days, fields in plan:
            letter, number = person[0], int(person[1:])
            data = {
                **fresh(client, form),
                "prenom": f"Prénom{person}",
                "telephone": f"06{'ABCDE'.index(letter) + 1}{number:07d}",
                "email": f"{person.lower()}@exemple.fr",
                "commune": "Frouard",
                "age": "19",
                "canal": "sms",
                "consentement": "oui",
                **fields,
            }
            if form == "inscription":
                data["evenement"] = past_id
            answer = client.post(
                f"/formulaires/{form}", data=data, headers={"Accept": "application/json"}
            )
            assert answer.json()["ok"], answer.text
            _date(config, data["id"], days)
            references.setdefault(person, data["id"])
    return Filled(project, config, past_id, references)


def environment(config: BackendConfig, **extra: str) -> dict[str, str]:
    return {
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
        "PORTE_VOIX_MAILDIR": str(config.maildir),
        "PORTE_VOIX_COUNSELLOR_EMAIL": "conseillere@mission-locale.test",
        "PORTE_VOIX_MAIL_FROM": "porte-voix@mission-locale.test",
        **extra,
    }


def run(filled: Filled, *args: str, **env: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        main,
        [*args],
        env=environment(filled.config, **env),
        catch_exceptions=False,
    )


@pytest.fixture(scope="module")
def report(filled: Filled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sortie")
    config = str(filled.project.root / "mkdocs.yml")
    result = run(filled, "forms", "report", "--out", str(folder), "--config", config)
    assert result.exit_code == 0, result.output
    assert "rapport.html" in result.output
    return folder


def table(folder: Path, name: str) -> dict[str, list[str]]:
    text = (folder / f"{name}.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    return {row[0]: row[1:] for row in rows[1:]}


def test_every_figure_matches_what_was_sent(report: Path) -> None:
    assert table(report, "canaux") == {
        # Every count rounded to 5: 6 and 7 show 5.
        "Flyers et affiches remis par un partenaire": ["5", SMALL],  # A (6); two signed up
        "Flyers et affiches de la Mission Locale": ["5", SMALL],  # B
        "Réseaux sociaux et partages": ["5", "5"],  # E (7), all signed up
        "Orientation par un professionnel partenaire": [SMALL, SMALL],  # C
        "Site internet, sans code": [SMALL, SMALL],  # D
        "Autre code": [SMALL, SMALL],
    }
    partners = table(report, "partenaires")
    assert next(iter(partners)) == "MJC de Pompey"  # the partner who brought most comes first
    assert partners["MJC de Pompey"] == ["5", SMALL, SMALL]  # 6
    assert table(report, "territoires") == {
        "Communauté de communes du Bassin de Pont-à-Mousson": ["5"],  # 7
        "Communauté de communes du Bassin de Pompey": ["10"],  # Frouard 6 + Pompey 3
        "Communauté de communes Mad et Moselle": [SMALL],
        # 5 (« nomeny », any spelling), shown: a reader of the rounded figures only knows the
        # two « < 5 » hold 25 - 10 - 5 - 5 ± 8, from none to 8 (hiding it because they truly
        # hold 2 would tell that they are not empty).
        "Communauté de communes de Seille et Grand Couronné": ["5"],
        "Hors territoire ou non reconnue": [SMALL],
    }
    assert table(report, "priorites") == {
        "Commune avec un quartier prioritaire": ["15"],  # 13: Frouard and Pont-à-Mousson
        "Commune rurale": ["5"],  # Nomeny: its territory is marked rural
    }
    communes = table(report, "communes")
    # Pont-à-Mousson (7) is hidden too: the priority total (15) less Frouard and
    # Pont-à-Mousson would leave a single « < 5 » priority commune to work out. Chosen by what
    # the cells show (both 5), then by their place in the table, never by the true counts.
    assert communes["Pont-à-Mousson"] == [
        "Communauté de communes du Bassin de Pont-à-Mousson",
        "oui",
        "",
        HIDDEN,
    ]
    assert communes["Frouard"][-1] == "5"  # 6
    assert communes["Nomeny"][-1] == "5" and communes["Nomeny"][2] == "oui"
    assert communes["Pompey"][-1] == SMALL
    assert len(communes) == 78 + 1  # every commune, even without anyone, and the others
    events = table(report, "evenements")
    forum = next(row for date_text, row in events.items())
    assert forum == [
        "Forum de l'emploi",
        "6",  # places: a setting, not rounded
        "5",
        SMALL,
        "5",
        SMALL,
        SMALL,
        HIDDEN,
    ]  # 6 in, 3 waiting, 7 first met there; nobody noted present: 0 came, rate hidden with it
    assert table(report, "ages") == {
        "16 à 17 ans": [HIDDEN],  # 5, hidden: else the « < 5 » below is 23 - 11 - 7 - 5
        "18 à 21 ans": ["10"],  # 11
        "22 à 25 ans": ["5"],  # 7
        "26 à 29 ans": [SMALL],
    }
    assert table(report, "contact") == {
        "SMS": ["20"],  # 18
        "Appel": [SMALL],
        "WhatsApp": [SMALL],
        "E-mail": [SMALL],
    }
    weeks = list(
        csv.reader(
            (report / "semaines.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"
        )
    )[1:]
    # Periods of at least 5 new young people, closed at the end of the week that reaches 5:
    # A1, A2, C1, A3, B1 (65 to 45 days before the last Sunday), then 5 (cumulative 10),
    # 6 (16, shown 15) and 7 (23, shown 25), up to the last Sunday: the week going on is left out.
    assert [row[1:] for row in weeks] == [["5", "5"], ["5", "10"], ["5", "15"], ["5", "25"]]
    assert weeks[0][0].startswith(f"du {START:%d/%m/%Y} au ")
    assert weeks[-1][0].endswith(f" au {SUNDAY:%d/%m/%Y}")


def test_the_page_says_the_same_as_the_csv_files(report: Path) -> None:
    page = (report / "rapport.html").read_text(encoding="utf-8")
    assert re.search(r'<strong data-count="reached">25</strong> jeunes atteints', page)  # 23
    assert "pour un objectif de 100" in page
    end = date(START.year + 2, START.month, min(START.day, 28)) - timedelta(days=1)
    projection = round(23 * ((end - START).days + 1) / ((SUNDAY - START).days + 1))
    projection = (projection + 2) // 5 * 5  # computed from the true 23, then rounded
    assert f'<strong data-count="projection">{projection}</strong> à la fin' in page
    soup = BeautifulSoup(page, "html.parser")
    for name in ("canaux", "partenaires", "territoires", "communes", "ages", "evenements"):
        expected = table(report, name)
        caption = next(t for t in soup.find_all("table") if t.caption.get_text() == CAPTIONS[name])
        shown_rows = {
            plain(row.th.get_text()): [plain(cell.get_text()) for cell in row.find_all("td")]
            for row in caption.tbody.find_all("tr")
        }
        assert shown_rows == expected, name


def test_no_count_under_five_and_no_personal_data(filled: Filled, report: Path) -> None:
    people_columns = {
        "canaux": (1, 2),
        "partenaires": (1, 2, 3),
        "territoires": (1,),
        "communes": (4,),
        "ages": (1,),
        "contact": (1,),
        "priorites": (1,),
        "evenements": (3, 4, 5),
        "semaines": (1, 2),
    }
    for name, columns in people_columns.items():
        rows = list(
            csv.reader(
                (report / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"
            )
        )[1:]
        for row in rows:
            for column in columns:
                cell = row[column]
                assert cell in (SMALL, HIDDEN, "à venir") or int(cell) >= 5, (name, row)
    # The page too: every count (tables, key figures, chart labels), every number in the charts'
    # titles and descriptions, and every difference between figures that can be compared.
    page = BeautifulSoup((report / "rapport.html").read_text(encoding="utf-8"), "html.parser")
    weekly_chart = page.find("svg", attrs={"aria-labelledby": "semaines-t semaines-d"})
    assert [label.get_text() for label in weekly_chart.select("text[data-count]")] == [
        "5",
        "5",
        "5",
        "5",
    ]
    assert "La plus forte : 5 jeunes" in plain(weekly_chart.desc.get_text())
    assert report_problems(report) == []
    everything = "".join(path.read_text(encoding="utf-8-sig") for path in report.iterdir())
    with sqlite3.connect(filled.config.database) as db:
        personal = db.execute(
            "SELECT first_name, phone, email, referrer_name, referrer_contact FROM submissions"
        ).fetchall()
    for row in personal:
        for value in row:
            if value:
                assert value not in everything
    assert "Karim" not in everything and "06 1" not in everything


def test_the_page_says_truly_what_small_and_masked_cells_are(report: Path) -> None:
    """« < 5 » is 0 to 4 (the page said 5 was its highest value), and « masqué » follows
    from the figures shown, not from the true counts."""
    page = BeautifulSoup((report / "rapport.html").read_text(encoding="utf-8"), "html.parser")
    note = plain(
        " ".join(
            page.find("h2", string="Comment ces nombres sont comptés")
            .find_next("div")
            .stripped_strings
        )
    )
    assert "« < 5 » (de zéro à quatre jeunes) est hachuré jusqu'à 5." in note
    assert "ce choix ne dépend que des nombres affichés, pas des vrais nombres cachés" in note
    assert "valeur la plus haute" not in note


def test_a_chosen_period_counts_who_came_then(filled: Filled, tmp_path: Path) -> None:
    since = SUNDAY - timedelta(days=39)  # a Wednesday: the report starts on its Monday
    result = run(
        filled,
        "forms",
        "report",
        "--out",
        str(tmp_path),
        "--from",
        f"{since:%d/%m/%Y}",
        "--config",
        str(filled.project.root / "mkdocs.yml"),
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    # From the Monday 41 days before the last Sunday: A3–A6, B2–B5, C2, C3, D1, D2 and the
    # seven of E, 18, shown 20.
    monday = SUNDAY - timedelta(days=41)
    assert f"semaines complètes du {monday:%d/%m/%Y} au {SUNDAY:%d/%m/%Y}" in result.output
    assert '<strong data-count="reached">20</strong> jeunes atteints' in page
    assert '<strong data-count="since">25</strong> depuis le début' in page
    config = str(filled.project.root / "mkdocs.yml")
    # A day that is not a Sunday: the report ends on the Sunday before, a closed week.
    thursday = SUNDAY - timedelta(days=3)
    result = run(filled, "forms", "report", "--out", str(tmp_path), "--to", f"{thursday:%d/%m/%Y}", "--config", config)  # fmt: skip
    # (and at the end of the last period before it: the weeks after it are in no figure)
    ended = re.search(r"au (\d\d/\d\d/\d{4})\)", result.output)
    assert ended is not None, result.output
    last = datetime.strptime(ended[1], "%d/%m/%Y").date()
    assert last.weekday() == 6 and last <= SUNDAY - timedelta(days=7)
    # Nothing closed before the programme's start: nothing to publish, said in French.
    before = START - timedelta(days=1)
    result = run(filled, "forms", "report", "--out", str(tmp_path), "--to", f"{before:%d/%m/%Y}", "--config", config)  # fmt: skip
    assert result.exit_code != 0 and "aucune semaine complète à publier" in result.output
    wrong = run(filled, "forms", "report", "--out", str(tmp_path), "--from", "31/02/2027")
    assert wrong.exit_code != 0 and "n'est pas une date" in wrong.output


def test_the_report_opens_offline_in_chromium_passes_axe_and_prints_on_a4(
    report: Path, tmp_path: Path
) -> None:
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto((report / "rapport.html").as_uri(), wait_until="networkidle")
        assert page.locator("svg[role=img]").count() == 6
        results = Axe().run(page, options=AXE_OPTIONS)
        violations = [v["id"] for v in results.response["violations"]]
        pdf = tmp_path / "rapport.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    assert requests == [(report / "rapport.html").as_uri()]  # nothing from anywhere else
    assert violations == []
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(
        r"Page size: .* \(A4\)", info
    )  # @page size: A4, what the print shop and printers use


def test_counts_are_rounded_to_5_and_rates_to_10_points_from_the_true_counts() -> None:
    assert [shown_count("k", n).text for n in (0, 4, 5, 7, 8, 12, 13, 98)] == [
        SMALL,
        SMALL,
        "5",
        "5",
        "10",
        "10",
        "15",
        "100",
    ]
    assert shown_rate("k", 10, 34).text == "30\u00a0%"  # 29 %, to the nearest 10 points
    assert shown_rate("k", 17, 20).text == "90\u00a0%"  # 85 %: halves up
    assert shown_rate("k", 19, 19).text == HIDDEN  # one young person would move it by 5 points


def test_small_counts_hide_one_more_cell_when_one_alone_could_be_worked_out() -> None:
    # 12 and 9 both show 10: the one masked is chosen by what they show (then by place in
    # the table), not by the true counts, which would tell that it is the smaller.
    assert shown_partition([12, 3, 9]) == [HIDDEN, SMALL, "10"]
    assert shown_partition([9, 3, 12]) == [HIDDEN, SMALL, "10"]
    assert shown_partition([12, 3, 2]) == ["10", SMALL, SMALL]
    assert shown_partition([12, 30]) == ["10", "30"]


def test_the_digest_lists_last_weeks_requests_still_waiting_oldest_first(
    filled: Filled, smtp
) -> None:  # type: ignore[no-untyped-def]
    b4 = filled.references["B4"][:8]
    done = run(filled, "forms", "done", b4)
    assert done.exit_code == 0 and "noté comme rappelé" in done.output
    # The requests are dated back from the last Sunday: the week before it, and since.
    days = str(7 + (TODAY - SUNDAY).days)
    result = run(filled, "forms", "digest", "--days", days, PORTE_VOIX_SMTP_URL=smtp.url)
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "conseillere@mission-locale.test"
    assert message["Subject"] == "[Aller vers] 2 demandes à rappeler"
    body = message.get_content()
    # C3 (3 days before Sunday, a referral) before B5 (2 days); B4 was called back.
    assert body.index("PrénomC3") < body.index("PrénomB5")
    assert "PrénomB4" not in body and "PrénomA" not in body
    assert "06 30 00 00 03" in body and "Karim Benali, MJC de Pompey" in body
    assert f"réf. {filled.references['C3'][:8]}" in body
    assert "Et 13 demandes plus anciennes attend" in body  # A1–A6, B1–B3, C1, C2, D1, D2


def test_done_says_what_is_wrong_with_a_reference(filled: Filled) -> None:
    short = run(filled, "forms", "done", "ab")
    assert short.exit_code == 1 and "trop court" in short.output
    unknown = run(filled, "forms", "done", "ffffffff")
    assert unknown.exit_code == 1 and "aucune demande" in unknown.output


@pytest.mark.parametrize(
    ("programme", "message"),
    [
        ({"objectif": "cent"}, "« objectif » (nombre de jeunes) et « mois » (durée)"),
        ({"mois": 0}, "par exemple objectif: 100 et mois: 24"),
        ({"debut": "1er septembre"}, "écris la date de début ainsi : 2026-09-01"),
    ],
)
def test_a_wrong_programme_setting_is_explained_in_french(
    programme: dict[str, object], message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_mapping("Site", "https://www.exemple.fr/", {"programme": programme})
    assert message in str(raised.value)


def test_rows_are_ordered_by_what_they_show_not_by_hidden_counts(report: Path) -> None:
    # Pompey (3 young people) among the « < 5 » must not stand before Agincourt (none), nor
    # Pont-à-Mousson (7, « masqué ») before them: the order would tell what the cells hide.
    communes = list(table(report, "communes"))
    assert communes[:2] == ["Frouard", "Nomeny"]  # 6 and 5, both shown 5: by name
    hidden = communes[2:-1]
    assert hidden == sorted(hidden, key=normalise) and hidden.index("Agincourt") < hidden.index(
        "Pompey"
    )
    assert communes[-1] == "Autre commune ou commune non reconnue"
    partners = list(table(report, "partenaires"))
    assert partners[0] == "MJC de Pompey"
    assert partners[1:-1] == sorted(partners[1:-1], key=normalise)


@pytest.mark.parametrize(
    ("source", "channel"),
    [
        ("campagne-hiver_flyer-a5", ("affiches", None)),
        ("campagne-hiver_affiche-a4", ("affiches", None)),
        ("campagne-hiver_instagram-story", ("reseaux", None)),
        ("campagne-hiver_instagram-post", ("reseaux", None)),
        ("campagne-hiver_partage", ("reseaux", None)),
        ("campagne-hiver_flyer-a5_partenaire-mjc-pompey", ("partenaire", "mjc-pompey")),
        ("flyer-a5", ("affiches", None)),
        ("instagram-story", ("reseaux", None)),
    ],
)
def test_a_campaigns_medium_decides_its_channel(source: str, channel: tuple) -> None:
    from forms_backend.store.follow_up import Contact
    from generator.report.figures import channel_of

    contact = Contact(
        "x", "rappel", None, "recu", "Frouard", 19, "sms", source, "", datetime.now(UTC)
    )
    assert channel_of(contact) == channel
