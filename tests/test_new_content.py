"""``porte-voix new``: answers asked in French (or given as options), a file that passes the
checker, and a wrong answer asked again with the reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

from .conftest import Project, new_project


def run(project: Project, *args: str, answers: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(
        main, [*args, "--config", str(project.root / "mkdocs.yml")], input=answers
    )
    return result.exit_code, result.output


def test_event_from_questions_passes_the_check_and_builds(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    answers = "\n".join(
        [
            "2027-05-12 14:00",
            "12:00",  # before the start: asked again
            "17:00",
            "MJC de Pompey",
            "2 rue des Pâquis, 54340 Pompey",
            "Paris",  # not in the territory: asked again
            "pompey",
            "",  # the default audience
            "20",
            "",  # the default deadline: the day before
            "mjc-pompy",  # a typo: asked again
            "mjc-pompey",
        ]
    )
    code, output = run(
        project, "new", "evenement", "Atelier CV : réussir sa candidature", answers=answers
    )
    assert code == 0, output
    assert "la fin doit être après le début" in output
    assert "« Paris » n'est pas une commune du territoire" in output
    assert "partenaire inconnu : mjc-pompy" in output
    path = project.content / "evenements" / "2027-05-12-atelier-cv-reussir-sa-candidature.md"
    assert f"C'est écrit : content/evenements/{path.name}" in output
    check = project.check()
    assert check.returncode == 0, check.stdout
    text = path.read_text(encoding="utf-8")
    assert "commune: Pompey" in text and "places: 20" in text and "jusqu_au: '2027-05-11'" in text
    build = project.build()
    assert build.returncode == 0, build.stderr
    page = project.page("evenements/2027-05-12-atelier-cv-reussir-sa-candidature/")
    assert page.select_one("h1").get_text(strip=True) == "Atelier CV\u00a0: réussir sa candidature"


def test_open_event_from_options_alone(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    options = [
        "--debut",
        "2027-06-01 10:00",
        "--fin",
        "2027-06-01 12:30",
        "--lieu",
        "Salle des fêtes",
    ]
    options += [
        "--adresse",
        "Place de la mairie",
        "--commune",
        "Nomeny",
        "--public",
        "Tout le monde",
    ]
    options += ["--places", "non", "--partenaires", ""]
    code, output = run(project, "new", "evenement", "Fête du quartier", *options)
    assert code == 0, output
    assert project.check().returncode == 0
    text = (project.content / "evenements" / "2027-06-01-fete-du-quartier.md").read_text()
    assert "inscription: non" in text


def test_testimonial_of_a_minor_records_the_parents_consent(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    code, output = run(
        project, "new", "temoignage", "Léa", answers="16\nFrouard\nIci, on m'a écoutée.\n"
    )
    assert code == 0, output
    assert "signée par les deux parents" in output
    text = (project.content / "temoignages" / "lea.md").read_text(encoding="utf-8")
    assert "par: les deux parents (formulaire papier)\n" in text
    assert f"signe_le: '{date.today():%Y-%m-%d}'" in text
    assert project.check().returncode == 0


def test_page_never_replaces_an_existing_one(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    project.write("permanences.md", "# Nos permanences\n\nDéjà écrit.\n")
    code, output = run(project, "new", "page", "Permanences")
    assert code == 0, output
    assert (project.content / "permanences.md").read_text() == "# Nos permanences\n\nDéjà écrit.\n"
    created = project.content / "permanences-2.md"
    assert created.read_text(encoding="utf-8").startswith("# Permanences\n")
    assert project.check().returncode == 0
