"""Campaigns: landing page, home page block, print set, and the authors' errors — built with the
real ``mkdocs build``."""

from __future__ import annotations

from pathlib import Path

from .conftest import Project, add_event, campaign_text, new_project, when


def project_with(tmp_path: Path, **campaigns: str) -> Project:
    project = new_project(tmp_path / "site")
    project.write("index.md", "# Accueil\n\n<!-- porte-voix: campagne -->\n")
    for slug, text in campaigns.items():
        project.write(f"campagnes/{slug}.md", text)
    return project


def test_current_campaign_has_its_page_its_prints_and_the_home_page(tmp_path: Path) -> None:
    project = project_with(tmp_path, **{"hiver": campaign_text(when(-3), when(60), "rappel")})
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = project.page("campagnes/hiver/")
    assert page.select_one("h1").get_text(strip=True) == "Cet hiver, on vient vers toi"
    assert "On peut t'aider" in page.select_one(".pv-lead").get_text()
    button = page.select_one("article a[data-pv-source]")
    assert button.get_text(strip=True) == "Je veux qu'on me rappelle"
    assert button["href"] == "../../rappel/"
    downloads = [a["href"] for a in page.select("article a[href$='.pdf']")]
    assert downloads == ["flyer-a5.pdf", "affiche-a4.pdf"]
    for name in (*downloads, "partage.jpg"):
        assert (project.site / "campagnes" / "hiver" / name).is_file()
    og = page.select_one('meta[property="og:image"]')["content"]
    assert og.endswith("/campagnes/hiver/partage.jpg") and og.startswith("https://")
    home = project.page("")
    block = home.select_one(".pv-campaign")
    assert block is not None and "Cet hiver, on vient vers toi" in block.get_text()
    assert block.select_one("a")["href"] == "campagnes/hiver/"
    site_map = project.page("plan-du-site/")
    assert "../campagnes/hiver/" in [a["href"] for a in site_map.select("article a")]


def test_campaign_leading_to_an_event_links_its_page(tmp_path: Path) -> None:
    project = project_with(tmp_path)
    event_id = add_event(project, when(20), "forum", title="Forum des métiers")
    project.write("campagnes/forum.md", campaign_text(when(-1), when(19), event_id))
    result = project.build()
    assert result.returncode == 0, result.stderr
    button = project.page("campagnes/forum/").select_one("article a[data-pv-source]")
    assert button["href"] == f"../../evenements/{event_id}/"
    assert button.get_text(strip=True).startswith("M'inscrire\u00a0: Forum des métiers, le ")


def test_past_campaign_leaves_the_home_page_and_makes_no_prints(tmp_path: Path) -> None:
    project = project_with(
        tmp_path,
        passee=campaign_text(when(-60), when(-2), "agenda", title="Campagne d'été"),
        future=campaign_text(when(10), when(40), "agenda", title="Campagne de printemps"),
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert project.page("").select_one(".pv-campaign") is None  # none runs today
    assert not (project.site / "campagnes" / "passee" / "flyer-a5.pdf").exists()
    assert (project.site / "campagnes" / "future" / "flyer-a5.pdf").is_file()  # ready to print
    assert (project.site / "campagnes" / "passee" / "index.html").is_file()  # links keep working


def test_campaign_mistakes_are_all_told_with_their_line(tmp_path: Path) -> None:
    project = project_with(
        tmp_path,
        **{
            "a-l-envers": campaign_text(when(10), when(2), "rappel"),
            "appel-inconnu": campaign_text(when(1), when(9), "2030-01-01-inconnu"),
            "Majuscules": campaign_text(when(1), when(9), "rappel"),
        },
    )
    result = project.check()
    assert result.returncode == 1
    out = result.stdout
    assert (
        "campagnes/a-l-envers.md:5: la campagne finit (« au ») avant de commencer (« du »)" in out
    )
    assert (
        "campagnes/appel-inconnu.md:7: « appel » vaut « 2030-01-01-inconnu », qui n'est ni « rappel », ni « agenda », ni un événement"
        in out
    )
    assert "campagnes/Majuscules.md:1: le nom du fichier « Majuscules.md » ne convient pas" in out
    build = project.build()
    assert build.returncode == 1 and "avant de commencer" in build.stderr
