"""The built site's HTML, checked by programs we did not write: the W3C Nu HTML checker (vnu.jar)
and BeautifulSoup's parser for what the checker leaves to the author (one id per page, names on
icons, the current page, autocomplete on personal data)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from forms_backend.contributions.forms import CONTRIBUTION_FORMS
from forms_backend.intake.forms import FORMS
from forms_backend.intake.render import form_html, page_with_form

from .conftest import REPO, Project

VNU = REPO / "tests" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pages_with_errors(project: Project, target: Path) -> list[Path]:
    """Each form as the backend shows it again, every field in error, written beside the site."""
    written = []
    for spec in [*FORMS.values(), *CONTRIBUTION_FORMS.values()]:
        errors = {f.name: "Ce champ est obligatoire." for f in spec.fields}
        form = form_html(spec, action=f"/formulaires/{spec.name}", errors=errors)
        page = page_with_form(project.site, spec.page_path, form, form_name=spec.name)
        path = target / f"{spec.name}-erreurs.html"
        path.write_text(page, encoding="utf-8")
        written.append(path)
    return written


def test_every_page_is_valid_html_for_the_w3c_checker(sample_site: Project, tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java, "Java manque : make test l'installe (default-jre-headless)"
    assert VNU.is_file(), "vnu.jar manque : lance make test (npm ci --prefix tests/vnu)"
    pages = sorted(sample_site.site.rglob("*.html")) + pages_with_errors(sample_site, tmp_path)
    # Every page type of the sample site is there, so that none escapes the checker.
    names = {
        p.relative_to(sample_site.site).as_posix()
        for p in pages
        if p.is_relative_to(sample_site.site)
    }
    for expected in [
        "index.html",
        "404.html",
        "agenda/index.html",
        "agenda/bassin-de-pompey/index.html",
        "evenements/2027-10-23-atelier-permis-liverdun/index.html",
        "evenements/2027-10-09-permanence-nomeny/index.html",  # cancelled: its banner
        "temoignages/index.html",
        "temoignages/ines/index.html",
        "campagnes/hiver-2026/index.html",
        "rappel/index.html",
        "orientation/index.html",
        "participer/index.html",
        "accord-parent/index.html",
        "plan-du-site/index.html",
        "mentions-legales/index.html",
    ]:
        assert expected in names, expected
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        f"{m.get('url', '').rsplit('/', 3)[-3:]} ligne {m.get('lastLine')} : {m['message']}"
        for m in messages
    ]
    assert not problems, f"{len(problems)} erreurs :\n" + "\n".join(problems)


def test_no_id_is_used_twice_on_a_page(sample_site: Project, tmp_path: Path) -> None:
    problems = []
    for path in sorted(sample_site.site.rglob("*.html")) + pages_with_errors(sample_site, tmp_path):
        ids = Counter(tag["id"] for tag in soup(path).find_all(id=True))
        problems += [
            f"{path.name} ({path.parent.name}) : id={i} ×{n}" for i, n in ids.items() if n > 1
        ]
    assert not problems, problems


def test_two_forms_with_errors_on_one_page_keep_their_ids_apart(sample_site: Project) -> None:
    # The Participer page holds two forms: with JavaScript off the backend shows one again, with
    # it on both summaries can be on screen; each summary has its own id, and links to its fields.
    page = soup(sample_site.site / "participer" / "index.html")
    forms = page.find_all("form", class_="pv-form")
    assert [f["data-pv-form"] for f in forms] == ["temoignage", "evenement"]
    summaries = [
        BeautifulSoup(
            form_html(spec, action="/x", errors={spec.fields[0].name: "Erreur."}), "html.parser"
        ).find(class_="pv-error-summary")
        for spec in CONTRIBUTION_FORMS.values()
    ]
    assert [s["id"] for s in summaries] == ["pv-temoignage-erreurs", "pv-evenement-erreurs"]


def test_every_icon_is_hidden_from_screen_readers(sample_site: Project) -> None:
    # The icons are decorative: each sits in a link or button named by aria-label.
    problems = []
    for path in sorted(sample_site.site.rglob("*.html")):
        for svg in soup(path).find_all("svg"):
            if svg.get("aria-hidden") != "true":
                problems.append(f"{path.parent.name}/{path.name} : {str(svg)[:80]}")
    assert not problems, problems


@pytest.mark.parametrize(
    ("url", "title"),
    [("agenda/", "Agenda"), ("temoignages/", "Témoignages"), ("rappel/", "Me faire rappeler")],
)
def test_the_current_page_is_marked_in_the_navigation(
    sample_site: Project, url: str, title: str
) -> None:
    page = sample_site.page(url)
    current = page.find_all(attrs={"aria-current": "page"})
    assert {" ".join(a.get_text().split()) for a in current} == {title}
    assert {a["class"][0] for a in current} == {"md-nav__link", "md-tabs__link"}


def test_menu_and_search_are_buttons_with_a_french_name(sample_site: Project) -> None:
    header = sample_site.page("").find("header")
    buttons = {b["aria-label"]: b for b in header.find_all("button")}
    assert {"Menu", "Rechercher"} <= set(buttons)
    assert buttons["Menu"]["aria-expanded"] == "false"
    assert sample_site.page("").find(id=buttons["Menu"]["aria-controls"]) is not None
    assert sample_site.page("").find(id=buttons["Rechercher"]["aria-controls"]) is not None


PERSONAL_FIELDS = {
    "rappel": {
        "prenom": "given-name",
        "telephone": "tel",
        "email": "email",
        "commune": "address-level2",
    },
    "temoignage": {"prenom": "given-name", "commune": "address-level2", "email": "email"},
}


@pytest.mark.parametrize(("url", "form"), [("rappel/", "rappel"), ("participer/", "temoignage")])
def test_personal_data_fields_say_what_they_hold(sample_site: Project, url: str, form: str) -> None:
    # RGAA 11.13: a browser can fill in the person's own details, and assistive tools can tell
    # them apart.
    page = sample_site.page(url)
    found = {
        name: page.find(id=f"pv-{form}-{name}").get("autocomplete")
        for name in PERSONAL_FIELDS[form]
    }
    assert found == PERSONAL_FIELDS[form]
