"""An Atom feed of upcoming events, for feed readers and partner sites."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

from .content import Event
from .content.french_dates import event_span

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(
    events: list[Event], *, title: str, feed_url: str, site_url: str, page_urls: dict[str, str]
) -> bytes:
    """Atom 1.0: one entry per upcoming event, soonest first."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"xml:lang": "fr"})

    def add(
        parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str
    ) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    add(feed, "title", title)
    add(feed, "id", feed_url)
    add(feed, "link", rel="self", href=feed_url)
    add(feed, "link", rel="alternate", href=site_url)
    add(feed, "updated", datetime.now(UTC).replace(microsecond=0).isoformat())
    add(add(feed, "author"), "name", title)
    for event in events:
        entry = add(feed, "entry")
        add(entry, "title", event.title)
        add(entry, "id", page_urls[event.id])
        add(entry, "link", rel="alternate", href=page_urls[event.id])
        add(
            entry,
            "updated",
            datetime.fromtimestamp(event.source.stat().st_mtime, UTC)
            .replace(microsecond=0)
            .isoformat(),
        )
        summary = f"{event_span(event.start, event.end).capitalize()} — {event.place.name}, {event.commune}. Pour qui : {event.audience}"
        add(entry, "summary", summary)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
