"""The repository's sample site, built with the real ``mkdocs build --strict``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from icalendar import Calendar
from PIL import Image

from .conftest import REPO, Project

SITE_HOST = "www.mission-locale-val-de-lorraine.fr"


def html_pages(project: Project) -> list[Path]:
    return sorted(project.site.rglob("*.html"))


def target(project: Project, page: Path, href: str) -> str:
    """The site path a link on ``page`` leads to, such as ``accessibilite/``."""
    page_url = "/" + page.parent.relative_to(project.site).as_posix() + "/"
    return urljoin(page_url.replace("/./", "/"), href).lstrip("/")


def test_every_expected_page_is_built(sample_site: Project) -> None:
    for url in [
        "",
        "agenda",
        "agenda/archives",
        "agenda/bassin-de-pompey",
        "agenda/bassin-de-pont-a-mousson",
        "agenda/mad-et-moselle",
        "agenda/seille-et-grand-couronne",
        "temoignages",
        "temoignages/ines",
        "temoignages/mathis",
        "partenaires",
        "plan-du-site",
        "mentions-legales",
        "donnees-personnelles",
        "accessibilite",
        "rappel",
        "guide-du-contributeur",
        "evenements/2027-10-23-atelier-permis-liverdun",
        "evenements/2025-10-18-forum-jobs-pont-a-mousson",
    ]:
        assert (sample_site.site / url / "index.html").is_file(), url


def test_footer_on_every_page_links_mandatory_pages_and_accessibility_status(
    sample_site: Project,
) -> None:
    for path in html_pages(sample_site):
        footer = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("footer")
        assert footer is not None, path
        texts = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
        assert "Mentions légales" in texts, path
        assert "Données personnelles" in texts, path
        assert "Plan du site" in texts, path
        status_link = texts["Accessibilité\u00a0: non conforme"]
        if path.name == "index.html":  # 404.html is served at any depth: its links are absolute
            assert target(sample_site, path, status_link) == "accessibilite/", path
        assert "Made with" not in footer.get_text(), path


def test_call_back_link_on_every_page(sample_site: Project) -> None:
    for path in html_pages(sample_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        links = [
            a for a in soup.find_all("a") if a.get_text(strip=True) == "Je veux qu'on me rappelle"
        ]
        assert links, path
        if path.name == "index.html":
            assert target(sample_site, path, links[0]["href"]) == "rappel/", path


def test_nothing_loads_from_another_host(sample_site: Project) -> None:
    resource_attributes = {
        "script": ["src"],
        "img": ["src", "srcset"],
        "source": ["src", "srcset"],
        "iframe": ["src"],
        "video": ["src", "poster"],
        "audio": ["src"],
        "link": ["href"],
    }
    for path in html_pages(sample_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attributes in resource_attributes.items():
            for element in soup.find_all(tag):
                if tag == "link" and set(element.get("rel", [])) & {
                    "canonical",
                    "alternate",
                    "prev",
                    "next",
                }:
                    continue  # links to pages, not resources the browser loads
                for attribute in attributes:
                    for url in re.split(r",\s*", element.get(attribute, "")):
                        host = urlsplit(url.strip().split(" ")[0]).hostname
                        assert host in (None, SITE_HOST), f"{path}: <{tag} {attribute}={url}>"
        for style in soup.find_all(style=True):
            assert "http" not in style["style"], path
    for stylesheet in sample_site.site.rglob("*.css"):
        urls = re.findall(
            r"url\(([^)]*)\)|@import\s+['\"]([^'\"]+)", stylesheet.read_text(encoding="utf-8")
        )
        for url in (u for pair in urls for u in pair if u):
            assert not re.match(r"['\"]?(https?:)?//", url), f"{stylesheet}: {url}"


def test_no_original_photo_or_data_file_is_published(sample_site: Project) -> None:
    originals = {
        p.read_bytes() for p in (REPO / "content").rglob("*") if p.is_file() and p.suffix != ".md"
    }
    for published in sample_site.site.rglob("*"):
        if published.is_file():
            if published.parent.name == "porte-voix" and published.stem == "logo":
                continue  # the print logo, published for search engines (metadata removed)
            assert published.read_bytes() not in originals, published
    assert not list(sample_site.site.rglob("*.yml"))


def test_published_images_carry_no_metadata(sample_site: Project) -> None:
    images = [
        p for p in sample_site.site.rglob("*") if p.suffix in (".jpg", ".jpeg", ".png", ".webp")
    ]
    assert len(images) >= 18  # three photos, three widths, two formats
    for path in images:
        data = path.read_bytes()
        assert b"PhoneMaker" not in data and b"Model X 12" not in data, path
        with Image.open(path) as image:
            assert len(image.getexif()) == 0, path
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile"} & set(image.info), path


def test_event_page_shows_french_date_place_audience_partners_and_signup(
    sample_site: Project,
) -> None:
    soup = sample_site.page("evenements/2027-10-23-atelier-permis-liverdun")
    facts = soup.find(class_="pv-facts").get_text(" ", strip=True)
    # French typography: no line break inside the date or the times.
    assert "samedi 23\u00a0octobre\u00a02027, de 14\u00a0h à 16\u00a0h" in facts
    assert "Espace jeunes" in facts and "Liverdun" in facts
    assert "Jeunes de 17 à 25\u00a0ans" in facts
    partners = [a.get_text() for a in soup.find(class_="pv-facts").find_all("a")]
    assert partners == [
        "Mission Locale du Val de Lorraine",
        "Caisse d'Allocations Familiales de Meurthe-et-Moselle",
    ]
    signup = soup.find(id="inscription")
    assert signup is not None
    box = soup.find(class_="pv-signup")
    assert box["data-evenement"] == "2027-10-23-atelier-permis-liverdun"
    assert (
        "12\u00a0places" in box.get_text()
        and "jeudi 21\u00a0octobre\u00a02027 à 18\u00a0h" in box.get_text()
    )


def test_event_json_ld_is_a_schema_org_event(sample_site: Project) -> None:
    soup = sample_site.page("evenements/2027-10-23-atelier-permis-liverdun")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Event"
    assert data["startDate"] == "2027-10-23T14:00:00+02:00"
    assert data["endDate"] == "2027-10-23T16:00:00+02:00"
    assert data["location"]["address"]["addressLocality"] == "Liverdun"
    assert data["url"] == f"https://{SITE_HOST}/evenements/2027-10-23-atelier-permis-liverdun/"


def test_open_graph_tags(sample_site: Project) -> None:
    for url in [
        "",
        "agenda",
        "evenements/2027-09-18-forum-emploi-pont-a-mousson",
        "temoignages/ines",
    ]:
        soup = sample_site.page(url)
        meta = {
            m.get("property"): m.get("content") for m in soup.find_all("meta") if m.get("property")
        }
        assert meta["og:locale"] == "fr_FR"
        assert meta["og:title"]
        assert meta["og:url"] == f"https://{SITE_HOST}/{url + '/' if url else ''}"


def test_event_calendar_files_parse_with_stable_uids_and_paris_time(sample_site: Project) -> None:
    data = (sample_site.site / "evenements/2027-10-23-atelier-permis-liverdun.ics").read_bytes()
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"2027-10-23-atelier-permis-liverdun@{SITE_HOST}"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART").isoformat() == "2027-10-23T14:00:00+02:00"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    assert b"@mission-locale-val-de-lorraine.fr\r\n" not in data.replace(b"UID:", b"")


def test_subscription_calendar_and_feed_hold_upcoming_events(sample_site: Project) -> None:
    calendar = Calendar.from_ical((sample_site.site / "agenda.ics").read_bytes())
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert f"2027-12-04-sport-et-emploi-pagny@{SITE_HOST}" in uids
    assert f"2025-10-18-forum-jobs-pont-a-mousson@{SITE_HOST}" not in uids
    feed = ElementTree.parse(sample_site.site / "agenda.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert "Sport et emploi à Pagny-sur-Moselle" in titles
    assert "Forum des jobs et de l'alternance" not in titles


def test_events_manifest_for_the_form_backend(sample_site: Project) -> None:
    manifest = json.loads(
        (sample_site.site / "porte-voix/evenements.json").read_text(encoding="utf-8")
    )
    events = {e["id"]: e for e in manifest["evenements"]}
    assert len(events) == 10
    job_dating = events["2027-11-20-job-dating-pompey"]
    assert job_dating["places"] == 40
    assert job_dating["jusqu_au"] == "2027-11-18T23:59:00+01:00"
    assert job_dating["url"] == f"https://{SITE_HOST}/evenements/2027-11-20-job-dating-pompey/"
    assert set(job_dating) == {
        "id",
        "titre",
        "debut",
        "fin",
        "lieu",
        "commune",
        "inscription",
        "places",
        "jusqu_au",
        "url",
        "a_apporter",
        "statut",
        "raison",
        "nouveau_debut",
    }
    assert (job_dating["statut"], job_dating["raison"], job_dating["nouveau_debut"]) == (
        "prevu",
        None,
        None,
    )
    nomeny = events["2027-10-09-permanence-nomeny"]  # the sample's cancelled event
    assert nomeny["statut"] == "annule" and nomeny["raison"].startswith("La mairie ferme")


def test_sitemap_lists_generated_pages(sample_site: Project) -> None:
    sitemap = (sample_site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"https://{SITE_HOST}/evenements/2027-11-20-job-dating-pompey/" in sitemap
    assert f"https://{SITE_HOST}/temoignages/ines/" in sitemap
    assert f"https://{SITE_HOST}/plan-du-site/" in sitemap


def test_generated_pages_stay_out_of_the_navigation(sample_site: Project) -> None:
    nav = sample_site.page("").find("nav", class_="md-nav--primary")
    hrefs = [a["href"] for a in nav.find_all("a", href=True)]
    assert any("agenda" in h for h in hrefs)
    assert not any("evenements/" in h for h in hrefs)
    assert not any("temoignages/" in h and not h.rstrip("/").endswith("temoignages") for h in hrefs)


def test_testimonials_page_shows_each_published_testimonial(sample_site: Project) -> None:
    soup = sample_site.page("temoignages")
    headings = [h.get_text(strip=True) for h in soup.find_all("h2")]
    assert "Mathis, 17\u00a0ans, Pompey" in headings  # a minor, with a parent's consent
    assert "Sarah (prénom changé), 24\u00a0ans, Nomeny" in headings
    photo = soup.find("img", alt="Photo d'Inès")
    assert photo is not None and photo["width"] and photo["height"]
    assert soup.find("source", type="image/webp") is not None


def test_a_first_name_that_starts_with_a_vowel_is_elided(sample_site: Project) -> None:
    """« Photo d'Inès », « Lire le parcours d'Inès » (never « de Inès »), but « de Mathis »."""
    soup = sample_site.page("temoignages")
    text = re.sub(r"\s+", " ", soup.get_text(" "))
    alts = {img["alt"] for img in soup.find_all("img")}
    assert "de Inès" not in text and not any("de Inès" in alt for alt in alts)
    assert "Lire le parcours d'Inès" in text and "Lire le parcours de Mathis" in text
    assert {"Photo d'Inès", "Photo de Mathis"} <= alts


def test_partners_page_lists_the_consortium(sample_site: Project) -> None:
    soup = sample_site.page("partenaires")
    assert soup.find(id="mjc-pompey").get_text(strip=True) == "MJC de Pompey"
    assert soup.find(id="fjep-champigneulles") is not None


def test_site_map_links_every_kind_of_page(sample_site: Project) -> None:
    soup = sample_site.page("plan-du-site")
    links = {a.get_text(strip=True) for a in soup.find("article").find_all("a")}
    for expected in [
        "Mentions légales",
        "Données personnelles",
        "Agenda",
        "Tous les témoignages",
        "Nos partenaires",
        "Guide du contributeur",
    ]:
        assert expected in links, expected


def test_search_index_leaves_out_listings_and_past_events(sample_site: Project) -> None:
    index = json.loads((sample_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    # More than 60 days ahead (recherche_jours) or past: listed by the agenda, not in the index.
    assert "evenements/2027-11-20-job-dating-pompey/" not in locations
    assert "evenements/2025-10-18-forum-jobs-pont-a-mousson/" not in locations
    assert "participer/" in locations and "campagnes/hiver-2026/" in locations
    assert "agenda/" not in locations and "plan-du-site/" not in locations


def test_home_page_shows_next_events_and_testimonials(sample_site: Project) -> None:
    soup = sample_site.page("")
    article = soup.find("article")
    event_links = [
        a["href"] for a in article.find_all("a", href=True) if "evenements/" in a["href"]
    ]
    assert 1 <= len(event_links) <= 3
    assert article.find("blockquote") is not None
    assert "porte-voix:" not in str(article)


def test_accessibility_declaration_states_the_status(sample_site: Project) -> None:
    text = sample_site.page("accessibilite").find("article").get_text(" ", strip=True)
    assert "non conforme avec le RGAA 4.1" in text
    assert "Défenseur des droits" in text


def test_the_backend_reads_the_built_manifest_and_finds_each_events_calendar(
    sample_site: Project,
) -> None:
    """What the backend's messages take from a real build: the events (place in one line), the
    setting ``rappels``, and the ``.ics`` the confirmation e-mail attaches."""
    from forms_backend.intake.events import EventCatalogue
    from forms_backend.outbox.seats import reminder_settings

    catalogue = EventCatalogue(sample_site.site)
    job_dating = catalogue.get("2027-11-20-job-dating-pompey")
    assert job_dating is not None and job_dating.status == "prevu"
    assert job_dating.place == "Lycée Bertrand Schwartz, 31 rue Lafayette, 54340 Pompey"
    # What to bring (``a_apporter``) reaches the messages, and is on the event's page.
    bring = "quelques CV imprimés (on peut t'aider à le faire avant)"
    assert job_dating.bring == bring
    facts = sample_site.page("evenements/2027-11-20-job-dating-pompey").find("article")
    assert " ".join(facts.get_text(" ").split()).count(f"À apporter : {bring}") == 1
    settings = reminder_settings(catalogue)
    assert (settings.days_before, settings.morning) == (2, True)
    for event in catalogue.all():
        calendar = sample_site.site / "evenements" / f"{event.id}.ics"
        assert calendar.read_bytes().startswith(b"BEGIN:VCALENDAR"), event.id
