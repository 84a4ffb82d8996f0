"""Cancelled and postponed events (``statut``), on a site built by the real ``mkdocs build``:
what people read on the page, in the agenda and the feed, what search engines and calendar
clients read (checked by parsers we did not write), what the form backend lets through, and
what the flyer command refuses."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.content.french_dates import long_date

from .backend import VALID, client_for, fresh, make_config
from .calendar_readers import read_with_icaljs, read_with_vobject
from .conftest import Project, add_event, campaign_text, new_project, when

READERS = {"ical.js": read_with_icaljs, "vobject": read_with_vobject}
ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = "https://schema.org/"
HOST = "www.mission-locale-val-de-lorraine.fr"

CANCELLED_DAY, POSTPONED_DAY, MOVED_DAY, PLANNED_DAY, NEW_DAY = 10, 12, 14, 20, 30
NEW_START = when(NEW_DAY, 15, 30)
NEW_END = when(NEW_DAY, 17, 30)


def ident(days: int, slug: str) -> str:
    return f"{when(days):%Y-%m-%d}-{slug}"


CANCELLED = ident(CANCELLED_DAY, "annule")
POSTPONED = ident(POSTPONED_DAY, "reporte")
MOVED = ident(MOVED_DAY, "deplace")
PLANNED = ident(PLANNED_DAY, "prevu")


def with_signup(project: Project, event_id: str, places: int = 20) -> None:
    """Give an event from ``add_event`` a sign-up with ``places`` (it is written ``non``)."""
    path = project.content / f"evenements/{event_id}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("inscription: non", f"inscription:\n  places: {places}"), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = new_project(tmp_path_factory.mktemp("statuts"))
    add_event(
        project,
        when(CANCELLED_DAY),
        "annule",
        title="Atelier annulé",
        extra="statut: annule\nraison: La salle est inondée.\n",
    )
    add_event(
        project,
        when(POSTPONED_DAY),
        "reporte",
        title="Atelier reporté",
        extra="statut: reporté\nraison: 'Le formateur est malade : on cherche une date.'\n",
    )
    add_event(
        project,
        when(MOVED_DAY),
        "deplace",
        title="Atelier déplacé",
        extra=(
            "statut: reporte\nraison: La salle est prise ce jour-là.\n"
            f"nouveau_debut: {NEW_START:%Y-%m-%d %H:%M}\nnouvelle_fin: {NEW_END:%H:%M}\n"
        ),
    )
    add_event(project, when(PLANNED_DAY), "prevu", title="Atelier prévu")
    add_event(
        project,
        when(-10),
        "deplace-passe",
        title="Atelier déplacé puis passé",
        extra=f"statut: reporte\nraison: Grève.\nnouveau_debut: {when(-3):%Y-%m-%d %H:%M}\n",
    )
    for event_id in (CANCELLED, POSTPONED, MOVED, PLANNED):
        with_signup(project, event_id)
    project.write("campagnes/vers-l-annule.md", campaign_text(when(-1), when(9), CANCELLED))
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def article_text(project: Project, event_id: str) -> str:
    article = project.page(f"evenements/{event_id}").find("article")
    return article.get_text(" ", strip=True).replace("\u00a0", " ")


def banner(project: Project, event_id: str) -> tuple[str, str] | None:
    """The title and text of the status box at the top of an event's page."""
    box = project.page(f"evenements/{event_id}").find("article").find(class_="admonition")
    if box is None:
        return None
    title = box.find(class_="admonition-title").get_text(" ", strip=True)
    text = box.get_text(" ", strip=True).removeprefix(title).strip()
    return title.replace("\u00a0", " "), text.replace("\u00a0", " ")


def test_each_page_says_its_status_first_in_words(site: Project) -> None:
    assert banner(site, CANCELLED) == (
        "Annulé",
        "Cet événement n'aura pas lieu. La salle est inondée. "
        "Voir les autres rendez-vous de l'agenda",
    )
    assert banner(site, POSTPONED) == (
        "Reporté, nouvelle date à venir",
        "La nouvelle date sera annoncée sur cette page. "
        "Le formateur est malade : on cherche une date. Voir les autres rendez-vous de l'agenda",
    )
    first = f"{long_date(when(MOVED_DAY))} à 14 h"
    title, text = banner(site, MOVED)  # type: ignore[misc]
    assert title == f"Reporté au {long_date(NEW_START)}"
    assert text.startswith(
        f"Nouvelle date : {long_date(NEW_START)}, de 15 h 30 à 17 h 30 (d'abord prévu le {first})."
    )
    assert banner(site, PLANNED) is None


def test_a_moved_event_once_over_says_it_is_over(site: Project) -> None:
    assert banner(site, ident(-10, "deplace-passe")) == (
        "Cet événement est terminé",
        "Retrouve les prochains rendez-vous dans l'agenda.",
    )


def test_no_sign_up_form_for_a_cancelled_or_undated_event(site: Project) -> None:
    def form(event_id: str) -> object:
        return site.page(f"evenements/{event_id}").find("form", class_="pv-form")

    assert form(CANCELLED) is None and form(POSTPONED) is None
    assert "Cet événement est annulé : on ne peut plus s'inscrire." in article_text(site, CANCELLED)
    assert "Les inscriptions rouvriront quand la nouvelle date sera connue." in article_text(
        site, POSTPONED
    )
    assert form(MOVED) is not None and form(PLANNED) is not None


def test_the_agenda_says_the_status_and_lists_a_moved_event_at_its_new_date(site: Project) -> None:
    article = site.page("agenda").find("article")
    cards = {
        heading.get_text(strip=True): heading.find_next_sibling("p").get_text(" ", strip=True)
        for heading in article.find_all("h3")
    }
    assert list(cards) == ["Atelier annulé", "Atelier reporté", "Atelier prévu", "Atelier déplacé"]
    assert cards["Atelier annulé"].startswith("Annulé.")
    assert cards["Atelier reporté"].startswith("Reporté, nouvelle date à venir.")
    assert (
        cards["Atelier déplacé"]
        .replace("\u00a0", " ")
        .startswith(
            f"Reporté au {long_date(NEW_START)}. {long_date(NEW_START).capitalize()}, de 15 h 30"
        )
    )
    assert not cards["Atelier prévu"].startswith(("Annulé", "Reporté"))


def test_the_feed_names_the_status_in_each_title(site: Project) -> None:
    feed = ElementTree.parse(site.site / "agenda.xml").getroot()
    entries = {
        entry.findtext(f"{ATOM}title").replace("\u00a0", " "): entry.findtext(f"{ATOM}summary")
        for entry in feed.iter(f"{ATOM}entry")
    }
    assert set(entries) == {
        "Annulé : Atelier annulé",
        "Reporté, nouvelle date à venir : Atelier reporté",
        f"Reporté au {long_date(NEW_START)} : Atelier déplacé",
        "Atelier prévu",
    }
    assert "La salle est inondée." in entries["Annulé : Atelier annulé"]


def test_search_engines_read_the_event_status(site: Project) -> None:
    def event_data(event_id: str) -> dict:
        soup = site.page(f"evenements/{event_id}")
        scripts = soup.find_all("script", type="application/ld+json")
        (data,) = [d for d in map(lambda s: json.loads(s.string), scripts) if d["@type"] == "Event"]
        return data

    assert event_data(CANCELLED)["eventStatus"] == SCHEMA + "EventCancelled"
    assert event_data(POSTPONED)["eventStatus"] == SCHEMA + "EventPostponed"
    assert event_data(PLANNED)["eventStatus"] == SCHEMA + "EventScheduled"
    moved = event_data(MOVED)
    assert moved["eventStatus"] == SCHEMA + "EventRescheduled"
    assert datetime.fromisoformat(moved["startDate"]) == NEW_START
    assert datetime.fromisoformat(moved["endDate"]) == NEW_END
    assert datetime.fromisoformat(moved["previousStartDate"]) == when(MOVED_DAY)
    assert "previousStartDate" not in event_data(PLANNED)
    for event_id in (CANCELLED, POSTPONED):  # nobody can come: no place to offer
        assert event_data(event_id)["offers"]["availability"] == SCHEMA + "SoldOut"


@pytest.mark.parametrize("reader", READERS)
def test_calendar_clients_read_cancelled_and_moved_events(site: Project, reader: str) -> None:
    paths = [site.site / "agenda.ics"] + [
        site.site / f"evenements/{event_id}.ics" for event_id in (CANCELLED, POSTPONED, MOVED)
    ]
    files = READERS[reader](paths)
    subscription = {e["uid"].split("@")[0]: e for e in files[site.site / "agenda.ics"]}
    # A cancelled event stays in the subscription, so that clients remove it.
    assert set(subscription) == {CANCELLED, POSTPONED, MOVED, PLANNED}
    for event_id in (CANCELLED, POSTPONED, MOVED):
        (alone,) = files[site.site / f"evenements/{event_id}.ics"]
        assert alone == subscription[event_id]
    assert subscription[CANCELLED]["status"] == "CANCELLED"
    assert subscription[CANCELLED]["summary"] == "Annulé\u00a0: Atelier annulé"
    assert subscription[POSTPONED]["status"] == "TENTATIVE"
    assert subscription[PLANNED]["status"] == "CONFIRMED"
    moved = subscription[MOVED]
    assert moved["status"] == "CONFIRMED" and moved["summary"] == "Atelier déplacé"
    assert (moved["start"], moved["end"]) == (utc_z(NEW_START), utc_z(NEW_END))


def utc_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_manifest_tells_the_backend_each_status(site: Project) -> None:
    manifest = json.loads((site.site / "porte-voix/evenements.json").read_text(encoding="utf-8"))
    events = {e["id"]: e for e in manifest["evenements"]}
    assert {k: events[CANCELLED][k] for k in ("statut", "raison", "nouveau_debut")} == {
        "statut": "annule",
        "raison": "La salle est inondée.",
        "nouveau_debut": None,
    }
    assert events[POSTPONED]["statut"] == "reporte" and events[POSTPONED]["nouveau_debut"] is None
    assert events[PLANNED]["statut"] == "prevu" and events[PLANNED]["raison"] is None
    moved = events[MOVED]
    assert moved["statut"] == "reporte"
    assert datetime.fromisoformat(moved["nouveau_debut"]) == NEW_START
    assert datetime.fromisoformat(moved["debut"]) == NEW_START
    assert datetime.fromisoformat(moved["fin"]) == NEW_END
    assert datetime.fromisoformat(moved["jusqu_au"]) == NEW_START  # sign-up until it starts
    assert moved["lieu"] == {"nom": "MJC de Pompey", "adresse": "2 rue des Pâquis, 54340 Pompey"}


def test_the_backend_refuses_sign_ups_to_cancelled_and_undated_events(
    site: Project, tmp_path: Path
) -> None:
    config = make_config(tmp_path, site_dir=site.site)
    with client_for(config) as client:

        def sign_up(event_id: str):  # type: ignore[no-untyped-def]
            fields = {**fresh(client, "inscription"), **VALID, "evenement": event_id}
            return client.post(
                "/formulaires/inscription", data=fields, headers={"Accept": "application/json"}
            )

        cancelled, postponed = sign_up(CANCELLED), sign_up(POSTPONED)
        assert cancelled.status_code == 409
        assert (
            cancelled.json()["message"]
            == "Cet événement est annulé\u00a0: on ne peut plus s'inscrire."
        )
        assert postponed.status_code == 409
        assert postponed.json()["message"] == (
            "Cet événement est reporté\u00a0: les inscriptions rouvriront avec la nouvelle date."
        )
        moved = sign_up(MOVED)
        assert moved.status_code == 200 and moved.json()["statut"] == "inscrit"


def test_nothing_to_print_for_a_cancelled_or_undated_event(site: Project) -> None:
    for event_id in (CANCELLED, POSTPONED):
        assert not (site.site / f"evenements/{event_id}/flyer-a5.pdf").exists()
        assert "À imprimer" not in article_text(site, event_id)
    assert (site.site / f"evenements/{MOVED}/flyer-a5.pdf").is_file()


def config_option(project: Project) -> list[str]:
    return ["--config", str(project.root / "mkdocs.yml")]


def run(project: Project, *args: str) -> tuple[int, str]:
    """The real ``porte-voix`` command, in this process."""
    result = CliRunner().invoke(main, [*args, *config_option(project)])
    return result.exit_code, result.output


def flyer(project: Project, event_id: str, out: Path) -> tuple[int, str]:
    path = project.content / f"evenements/{event_id}.md"
    return run(project, "flyer", str(path), "--format", "a5", "--out", str(out))


@pytest.mark.parametrize(
    ("event_id", "message"),
    [
        (CANCELLED, "l'événement « Atelier annulé » est annulé : pas de flyer ni d'affiche"),
        (
            POSTPONED,
            "l'événement « Atelier reporté » est reporté sans nouvelle date : "
            "pas de flyer ni d'affiche — ajoute « nouveau_debut »",
        ),
    ],
)
def test_the_flyer_command_refuses_and_names_the_file(
    site: Project, tmp_path: Path, event_id: str, message: str
) -> None:
    out = tmp_path / "flyer.pdf"
    code, output = flyer(site, event_id, out)
    assert code != 0
    assert f"content/evenements/{event_id}.md : {message}" in " ".join(output.split())
    assert not out.exists()


def test_no_flyer_for_a_campaign_calling_to_a_cancelled_event(
    site: Project, tmp_path: Path
) -> None:
    path = site.content / "campagnes/vers-l-annule.md"
    out = tmp_path / "post.png"
    code, output = run(site, "flyer", str(path), "--format", "post", "--out", str(out))
    assert code != 0 and not out.exists()
    assert (
        "content/campagnes/vers-l-annule.md : la campagne appelle à l'événement « Atelier annulé »,"
        " qui est annulé : pas de flyer ni d'image — change « appel » de la campagne"
    ) in " ".join(output.split())
    assert not (site.site / "campagnes/vers-l-annule/flyer-a5.pdf").exists()
    button = site.page("campagnes/vers-l-annule").find("a", class_="md-button--primary")
    assert button.get_text(" ", strip=True).replace("\u00a0", " ") == "Atelier annulé : annulé"


def test_the_flyers_command_skips_cancelled_and_undated_events(
    site: Project, tmp_path: Path
) -> None:
    out = tmp_path / "affiches"
    code, output = run(site, "flyers", "--format", "og", "--out", str(out))
    assert code == 0, output
    said = " ".join(output.split())
    assert f"content/evenements/{CANCELLED}.md : l'événement « Atelier annulé » est annulé" in said
    assert (
        f"content/evenements/{POSTPONED}.md : l'événement « Atelier reporté » est reporté" in said
    )
    assert "content/campagnes/vers-l-annule.md : la campagne appelle" in said
    assert sorted(p.name for p in out.iterdir()) == [MOVED, PLANNED]
    assert (out / MOVED / "og.jpg").is_file()


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_cancelling_an_event_raises_its_sequence_and_rebuilding_keeps_it(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    event_id = add_event(project, when(30), "atelier", title="Atelier CV")
    ics = project.site / f"evenements/{event_id}.ics"
    git(project.root, "init", "-q")
    git(project.root, "add", "content")
    git(project.root, "commit", "-qm", "Atelier CV")
    assert project.build().returncode == 0
    (before,) = read_with_icaljs([ics])[ics]
    path = project.content / f"evenements/{event_id}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("---\nUne", "statut: annule\nraison: La salle est fermée.\n---\nUne"),
        encoding="utf-8",
    )
    git(project.root, "commit", "-qam", "Atelier CV annulé")
    assert project.build().returncode == 0
    after_bytes = ics.read_bytes()
    for reader in READERS.values():
        (after,) = reader([ics])[ics]
        assert after["sequence"] > before["sequence"]
        assert (after["status"], after["uid"], after["start"]) == (
            "CANCELLED",
            before["uid"],
            before["start"],
        )
    assert project.build().returncode == 0
    assert ics.read_bytes() == after_bytes  # from the content only: the same bytes again
