"""An Atom feed of upcoming events, for feed readers and partner sites."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from xml.etree import ElementTree

from forms_backend.typography import french_spacing

from .content import Event
from .content.french_dates import event_span
from .content.status_words import status_label, status_sentence

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(
    events: list[Event],
    *,
    title: str,
    feed_url: str,
    agenda_url: str,
    page_urls: dict[str, str],
    revised: Mapping[str, datetime],
    updated: datetime,
) -> bytes:
    """Atom 1.0 (RFC 4287): one entry per upcoming event, soonest first.

    Dates come from the content, never from the build or the files' times on disk (a fresh
    clone gives every file the clone's time): each entry's ``updated`` is its event's last
    revision (``revised``, by event id), the feed's is ``updated``."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"xml:lang": "fr"})

    def add(
        parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str
    ) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    # Read as text, wrapped by the reader: the French no-break spaces, as on the pages.
    add(feed, "title", french_spacing(title))
    add(feed, "id", feed_url)
    add(feed, "link", rel="self", href=feed_url)
    add(feed, "link", rel="alternate", href=agenda_url)  # the same list, as a web page
    add(feed, "updated", _atom_date(updated))
    add(add(feed, "author"), "name", title)
    for event in events:
        entry = add(feed, "entry")
        label = status_label(event)  # « Annulé : Forum… »: a reader lists titles only
        add(entry, "title", french_spacing(f"{label} : {event.title}" if label else event.title))
        add(entry, "id", page_urls[event.id])
        add(entry, "link", rel="alternate", href=page_urls[event.id])
        add(entry, "updated", _atom_date(revised[event.id]))
        summary = f"{event_span(event.start, event.end).capitalize()} — {event.place.name}, {event.commune}. Pour qui : {event.audience}"
        if label:
            summary = f"{status_sentence(event)} {summary}"
        add(entry, "summary", french_spacing(summary))  # read as text: no line break at « : »
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _atom_date(moment: datetime) -> str:
    """An RFC 3339 date-time in UTC, whole seconds: ``2026-11-28T18:58:14Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
