"""schema.org ``Event`` data for search engines (JSON-LD), from the content model only."""

from __future__ import annotations

from typing import Any

from .content import Event


def event_json_ld(
    event: Event, page_url: str, organiser: str, organiser_url: str, image_url: str | None
) -> dict[str, Any]:
    """The JSON-LD object of one event: public facts only."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": event.start.isoformat(),
        "endDate": event.end.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": event.place.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.place.address,
                "addressLocality": event.commune,
                "addressCountry": "FR",
            },
        },
        "description": event.audience,
        "url": page_url,
        "inLanguage": "fr",
        "isAccessibleForFree": True,
        "organizer": {"@type": "Organization", "name": organiser, "url": organiser_url},
    }
    if image_url:
        data["image"] = [image_url]
    if event.registration is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": page_url + "#inscription",
            "validThrough": event.registration.deadline.isoformat(),
            "availability": "https://schema.org/InStock",
        }
    return data
