"""schema.org data for search engines (JSON-LD), from the content model and settings only: the
``Event`` of each event page (Google's required and recommended properties) and the
``Organization`` on the home page."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from forms_backend.validator.phones import normalise_french_phone

from .content import Event
from .organisation import organisation_contact
from .settings import Settings

SCHEMA = "https://schema.org/"
# « 2 rue des Pâquis, 54340 Pompey »: a French postcode is five digits, then the commune.
_POSTCODE = re.compile(r"(?:^|[\s,])(\d{5})\s+(\S[^,]*?)\s*$")


def postal_address(address: str, commune: str) -> dict[str, str]:
    """A schema.org ``PostalAddress`` from a French address written on one line: the street,
    the postcode and the locality apart; without a postcode, the commune is the locality."""
    address = " ".join(address.split())
    data = {"@type": "PostalAddress"}
    found = _POSTCODE.search(address)
    if found:
        street = address[: found.start()].strip(" ,")
        data["streetAddress"] = street
        data["postalCode"] = found.group(1)
        data["addressLocality"] = found.group(2).strip()
    else:
        data["streetAddress"] = address
        data["addressLocality"] = commune
    if not data["streetAddress"]:
        del data["streetAddress"]
    data["addressCountry"] = "FR"
    return data


def availability(event: Event, now: datetime) -> str:
    """What a search engine may say about places, as the build knows them: open entry or no
    limit, ``InStock``; a number of places, ``LimitedAvailability``; sign-up closed or the
    event over (an open-entry one too: nobody can come any more), ``SoldOut``. (How many signed up lives in the forms backend, not in the site:
    the page asks the backend for the places left when it is shown.)"""
    registration = event.registration
    if not event.takes_place or event.is_past(now):
        return SCHEMA + "SoldOut"  # cancelled, postponed to a date not known yet, or over
    if registration is None:
        return SCHEMA + "InStock"  # open entry
    if not event.registration_open(now):
        return SCHEMA + "SoldOut"
    if registration.places is not None:
        return SCHEMA + "LimitedAvailability"
    return SCHEMA + "InStock"


def event_status(event: Event) -> str:
    """schema.org's ``eventStatus``: a rescheduled event (``EventRescheduled``) has its new
    ``startDate`` and the first one in ``previousStartDate``; a postponed one without a new
    date (``EventPostponed``) keeps the date first announced."""
    if event.cancelled:
        return SCHEMA + "EventCancelled"
    if event.postponed:
        return SCHEMA + "EventPostponed"
    if event.rescheduled:
        return SCHEMA + "EventRescheduled"
    return SCHEMA + "EventScheduled"


def event_json_ld(
    event: Event,
    page_url: str,
    settings: Settings,
    image_urls: list[str],
    *,
    now: datetime,
    published: datetime | None,
) -> dict[str, Any]:
    """The JSON-LD object of one event: public facts only. ``published``: when this version of
    the event was published (its ``validFrom``, never after the start)."""
    valid_from = min(published, event.start) if published else event.start
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": event.start.isoformat(),
        "endDate": event.end.isoformat(),
        "eventStatus": event_status(event),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": event.place.name,
            "address": postal_address(event.place.address, event.commune),
        },
        "description": event.audience,
        "url": page_url,
        "inLanguage": "fr",
        "isAccessibleForFree": True,
        "organizer": {
            "@type": "Organization",
            "name": settings.site_name,
            "url": settings.site_url,
        },
        "offers": {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "EUR",
            "availability": availability(event, now),
            "validFrom": valid_from.isoformat(),
            "url": page_url,
        },
    }
    if event.rescheduled:
        assert event.first_start is not None
        data["previousStartDate"] = event.first_start.isoformat()
    if image_urls:
        data["image"] = image_urls
    if event.registration is not None:
        data["offers"]["validThrough"] = event.registration.deadline.isoformat()
    return data


def organization_json_ld(settings: Settings, logo_url: str | None) -> dict[str, Any]:
    """The Mission Locale as a schema.org ``Organization``: name, site, logo, contact — the same
    facts as the parents' letters give (``organisation_contact``)."""
    contact = organisation_contact(settings)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": contact["nom"],
        "url": settings.site_url,
    }
    if logo_url:
        data["logo"] = logo_url
    if contact["adresse"]:
        data["address"] = postal_address(contact["adresse"], "")
    if contact["telephone"]:
        # With its country code, as Google asks of an Organization's number: « 03 83… » alone
        # is a number in no country. One not read as French is given as written.
        phone = contact["telephone"]
        data["telephone"] = normalise_french_phone(phone) or phone
    if contact["email"]:
        data["email"] = contact["email"]
    return data
