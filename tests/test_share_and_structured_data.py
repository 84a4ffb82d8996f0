"""Every page of the sample site as search engines and social networks read it: Open Graph tags
with a real 1200 × 630 JPEG, and a schema.org ``Event`` with Google's required and recommended
properties on every event page (parsed with ``json.loads``, not with our code)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from PIL import Image

from generator.settings import Settings
from generator.structured_data import organization_json_ld, postal_address

from .conftest import Project

SITE_URL = "https://www.mission-locale-val-de-lorraine.fr/"
SCHEMA = "https://schema.org/"


def built_pages(project: Project) -> list[Path]:
    """Every HTML page of the built site (MkDocs' 404 page is not a page anyone shares)."""
    return sorted(p for p in project.site.rglob("*.html") if p.name != "404.html")


def head_tags(soup: BeautifulSoup) -> dict[str, str]:
    """``og:*`` and ``twitter:*`` of a page; a tag written twice fails the test."""
    tags: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        name = meta.get("property") or meta.get("name") or ""
        if name.startswith(("og:", "twitter:")):
            assert name not in tags, f"{name} written twice"
            tags[name] = meta["content"]
    return tags


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def site_file(project: Project, url: str) -> Path:
    """The built file an absolute URL of the site points to."""
    assert url.startswith(SITE_URL), url
    return project.site / urlsplit(url).path.lstrip("/")


def test_every_page_has_an_absolute_1200x630_jpeg_share_image(sample_site: Project) -> None:
    pages = built_pages(sample_site)
    assert len(pages) > 30
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        tags = head_tags(soup)
        where = path.relative_to(sample_site.site)
        home = where.as_posix() == "index.html"
        assert tags["og:type"] == ("website" if home else "article"), where
        assert tags["twitter:card"] == "summary_large_image", where
        assert tags["og:url"].startswith(SITE_URL), where
        image = site_file(sample_site, tags["og:image"])
        assert image.is_file(), (where, tags["og:image"])
        assert image.stat().st_size <= 300_000, where
        with Image.open(image) as opened:
            assert opened.format == "JPEG" and opened.size == (1200, 630), where
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630"), where
        assert tags["twitter:image"] == tags["og:image"]
        alt = tags["og:image:alt"]
        assert len(alt) > 40 and "code QR" in alt, (where, alt)  # French, says what is drawn


def test_generic_share_image_names_the_page_and_is_the_page_own(sample_site: Project) -> None:
    images = set()
    for url in ["", "agenda", "temoignages", "rappel", "temoignages/ines"]:
        tags = head_tags(sample_site.page(url))
        title = sample_site.page(url).find("h1").get_text(" ", strip=True)
        if url:  # the home page's image shows the Mission Locale's name
            assert title.split()[0] in tags["og:image:alt"], (url, tags["og:image:alt"])
        images.add(tags["og:image"])
    assert len(images) == 5  # one image per page


def test_events_have_googles_required_and_recommended_properties(sample_site: Project) -> None:
    event_pages = sorted((sample_site.site / "evenements").glob("*/index.html"))
    assert len(event_pages) >= 5
    for path in event_pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        (event,) = [d for d in json_ld(soup) if d["@type"] == "Event"]
        where = path.parent.name
        # Required by Google.
        assert event["name"] and event["@context"] == "https://schema.org", where
        start = datetime.fromisoformat(event["startDate"])
        assert start.tzinfo is not None, where
        location = event["location"]
        assert location["@type"] == "Place" and location["name"], where
        address = location["address"]
        assert address["@type"] == "PostalAddress" and address["addressCountry"] == "FR"
        assert address["addressLocality"] and address["streetAddress"], where
        assert (
            address.get("postalCode", "00000").isdigit()
            and len(address.get("postalCode", "00000")) == 5
        )
        assert not any(ch.isdigit() for ch in address["addressLocality"]), where
        # Recommended.
        assert event["description"], where
        assert datetime.fromisoformat(event["endDate"]) >= start, where
        cancelled = where == "2027-10-09-permanence-nomeny"  # the sample's cancelled event
        status = "EventCancelled" if cancelled else "EventScheduled"
        assert event["eventStatus"] == SCHEMA + status, where
        assert event["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode", where
        assert event["organizer"] == {
            "@type": "Organization",
            "name": "Mission Locale du Val de Lorraine",
            "url": SITE_URL,
        }
        offers = event["offers"]
        assert offers["@type"] == "Offer" and offers["price"] == 0, where
        assert offers["priceCurrency"] == "EUR", where
        assert offers["availability"] in {
            SCHEMA + "InStock",
            SCHEMA + "SoldOut",
            SCHEMA + "LimitedAvailability",
        }
        assert datetime.fromisoformat(offers["validFrom"]) <= start, where
        assert offers["url"] == event["url"] == head_tags(soup)["og:url"], where
        # The image search engines show is the share image of the page, and it exists.
        assert event["image"][0] == head_tags(soup)["og:image"], where
        for url in event["image"]:
            assert site_file(sample_site, url).is_file(), (where, url)


def test_event_offers_follow_the_sign_up(sample_site: Project) -> None:
    def offer(event_id: str) -> dict:
        (event,) = json_ld(sample_site.page(f"evenements/{event_id}"))
        return event["offers"]

    # A number of places: limited; open entry: always available.
    assert offer("2027-10-23-atelier-permis-liverdun")["availability"] == (
        SCHEMA + "LimitedAvailability"
    )
    assert offer("2027-09-18-forum-emploi-pont-a-mousson")["availability"] == SCHEMA + "InStock"
    assert offer("2027-07-03-ete-jeunes-champigneulles")["availability"] == (
        SCHEMA + "LimitedAvailability"
    )
    # Sign-up closed (the event is over): no place to take any more.
    assert offer("2026-03-14-atelier-cv-pompey")["availability"] == SCHEMA + "SoldOut"
    # An open-entry event that is over is not « in stock » any more either.
    assert offer("2025-10-18-forum-jobs-pont-a-mousson")["availability"] == SCHEMA + "SoldOut"


def test_french_addresses_are_split_into_street_postcode_and_commune() -> None:
    assert postal_address("2 rue des Pâquis, 54340 Pompey", "Pompey") == {
        "@type": "PostalAddress",
        "streetAddress": "2 rue des Pâquis",
        "postalCode": "54340",
        "addressLocality": "Pompey",
        "addressCountry": "FR",
    }
    # No postcode: the commune is the locality, and a house number is not taken for one.
    assert postal_address("12 place Duroc", "Pont-à-Mousson") == {
        "@type": "PostalAddress",
        "streetAddress": "12 place Duroc",
        "addressLocality": "Pont-à-Mousson",
        "addressCountry": "FR",
    }
    assert postal_address("Salle des fêtes 54700 Pont-à-Mousson", "X")["postalCode"] == "54700"


def test_home_page_describes_the_mission_locale(sample_site: Project) -> None:
    (organisation,) = json_ld(sample_site.page(""))
    assert organisation["@type"] == "Organization"
    assert organisation["url"] == SITE_URL
    # With the country code Google asks for (its Organization guidelines), from « 03 83 81 00 00 ».
    assert organisation["telephone"] == "+33383810000"
    assert organisation["address"]["postalCode"] == "54700"  # the publisher's (editeur)
    logo = site_file(sample_site, organisation["logo"])
    with Image.open(logo) as opened:
        assert opened.width > 0 and not opened.getexif()  # a clean copy, no metadata
    settings = Settings("ML", "https://ml.fr/", address="", phone="")
    assert organization_json_ld(settings, None) == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "ML",
        "url": "https://ml.fr/",
    }
    written = Settings("ML", "https://ml.fr/", address="", phone="0033 (0)3.83.81.00.00")
    assert organization_json_ld(written, None)["telephone"] == "+33383810000"
    foreign = Settings("ML", "https://ml.fr/", address="", phone="+352 12 34 56")
    assert organization_json_ld(foreign, None)["telephone"] == "+352 12 34 56"


def test_a_page_title_of_any_length_gets_a_share_image(tmp_path: Path) -> None:
    from generator.flyers.making import FlyerJob, make
    from generator.flyers.subjects import page_subject

    from .test_flyers import LAYOUTS

    title = "Un titre de page écrit à la main, beaucoup trop long pour une image " * 8
    settings = Settings("Mission Locale du Val de Lorraine", "https://ml.fr/")
    subject = page_subject("longue", title, settings, "https://ml.fr/longue/", "partage")
    assert len(subject.texts["titre"]) <= 110 and subject.texts["titre"].endswith("…")
    made = make(FlyerJob(subject, "og", LAYOUTS), tmp_path)
    with Image.open(made) as opened:
        assert opened.size == (1200, 630)
