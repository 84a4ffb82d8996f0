"""The search index, which Material downloads on every first visit, stays small: the weeks ahead,
the pages people write, and one listing of testimonials — not every story, listing or old event."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Project, add_event, new_project, when


def indexed_pages(project: Project) -> set[str]:
    index = json.loads((project.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#", 1)[0] for doc in index["docs"]}


def write_testimonial(project: Project) -> None:
    project.write(
        "temoignages/ines.md",
        f"""
        ---
        prenom: Inès
        age: 19
        commune: Frouard
        citation: Ici, on m'a écoutée.
        consentement:
          signe_le: {when(-10):%Y-%m-%d}
          par: la personne
          photo: non
          jusqu_au: {when(400):%Y-%m-%d}
        ---
        Mon histoire.
        """,
    )


def test_only_the_weeks_ahead_and_written_pages_are_indexed(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    soon = add_event(project, when(10), "bientot", title="Atelier bientôt")
    later = add_event(project, when(100), "plus-tard", title="Forum plus tard")
    past = add_event(project, when(-10), "passe", title="Atelier passé")
    write_testimonial(project)
    project.write("aide.md", "# Une aide\n\nUn texte.\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    pages = indexed_pages(project)
    assert f"evenements/{soon}/" in pages
    assert f"evenements/{later}/" not in pages and f"evenements/{past}/" not in pages
    assert "temoignages/" in pages and "temoignages/ines/" not in pages
    assert "aide/" in pages
    assert not {"agenda/", "agenda/archives/", "plan-du-site/"} & pages
    # Still published and linked: only the index leaves them out.
    assert (project.site / "evenements" / later / "index.html").is_file()


def test_how_far_ahead_is_a_setting(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    affiches:\n", "    recherche_jours: 120\n    affiches:\n"
        ),
        encoding="utf-8",
    )
    later = add_event(project, when(100), "plus-tard", title="Forum plus tard")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert f"evenements/{later}/" in indexed_pages(project)
