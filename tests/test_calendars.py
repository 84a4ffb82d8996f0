"""Every calendar of the sample site, read by parsers we did not write (Mozilla's ical.js, as in
Thunderbird, and vobject), gives the times the content says, in summer as in winter."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
import yaml
from icalendar import Timezone

from generator.calendars import calendar_bytes
from generator.output_cache import OutputCache

from .calendar_readers import read_with_icaljs, read_with_vobject
from .conftest import PARIS, Project, add_event, new_project, when

SITE = "https://www.mission-locale-val-de-lorraine.fr/"
READERS = {"ical.js": read_with_icaljs, "vobject": read_with_vobject}


def content_times(project: Project, event_id: str) -> tuple[str, str]:
    """Start and end of an event as its author wrote them (Paris time), in UTC."""
    path = project.content / "evenements" / f"{event_id}.md"
    meta = yaml.load(path.read_text(encoding="utf-8").split("---")[1], Loader=yaml.BaseLoader)
    start = datetime.strptime(str(meta["debut"]), "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)
    end_text = str(meta["fin"])
    if re.fullmatch(r"\d{1,2}:\d{2}", end_text):
        end = datetime.combine(start.date(), time.fromisoformat(end_text.zfill(5)), PARIS)
    else:
        end = datetime.strptime(end_text, "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)
    return tuple(m.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for m in (start, end))  # type: ignore[return-value]


def calendar_files(project: Project) -> list[Path]:
    return [project.site / "agenda.ics", *sorted((project.site / "evenements").glob("*.ics"))]


def check_times(project: Project, files: dict[Path, list[dict[str, Any]]]) -> None:
    for path, events in files.items():
        assert events, path
        for event in events:
            event_id = event["uid"].removesuffix("@www.mission-locale-val-de-lorraine.fr")
            assert (event["start"], event["end"]) == content_times(project, event_id), (
                path.name,
                event["summary"],
            )


@pytest.mark.parametrize("reader", READERS)
def test_every_calendar_gives_the_times_the_content_says(sample_site: Project, reader: str) -> None:
    files = READERS[reader](calendar_files(sample_site))
    check_times(sample_site, files)
    starts = [e["start"] for events in files.values() for e in events]
    # Summer (UTC+2) and winter (UTC+1) events are both there: each offset was checked.
    assert any(s[5:7] in ("06", "07", "09") for s in starts)
    assert any(s[5:7] in ("11", "12") for s in starts)
    agenda = files[sample_site.site / "agenda.ics"]
    assert len(agenda) == 6
    # The sample's cancelled event stays in the subscription, marked so, for clients to remove it.
    statuses = {e["uid"].split("@")[0]: e["status"] for e in agenda}
    assert statuses.pop("2027-10-09-permanence-nomeny") == "CANCELLED"
    assert set(statuses.values()) == {"CONFIRMED"}


@pytest.mark.parametrize("reader", READERS)
def test_each_entry_says_where_it_lives_and_when_it_was_revised(
    sample_site: Project, reader: str
) -> None:
    path = sample_site.site / "evenements/2027-07-03-ete-jeunes-champigneulles.ics"
    (event,) = READERS[reader]([path])[path]
    assert (
        event["uid"] == "2027-07-03-ete-jeunes-champigneulles@www.mission-locale-val-de-lorraine.fr"
    )
    assert event["url"] == f"{SITE}evenements/2027-07-03-ete-jeunes-champigneulles/"
    assert event["sequence"] == 0
    assert event["dtstamp"] == event["last_modified"]
    assert event["last_modified"] <= datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("reader", READERS)
def test_the_readers_catch_a_time_zone_they_misread(
    sample_site: Project, reader: str, tmp_path: Path
) -> None:
    # icalendar's own VTIMEZONE puts every change on one multi-value RDATE: both readers take
    # only the first value. Were the site to write it again, the checks above would fail so.
    broken = tmp_path / "broken.ics"
    source = sample_site.site / "evenements/2027-07-03-ete-jeunes-champigneulles.ics"
    text = source.read_bytes().decode("utf-8")
    zone = Timezone.from_tzid("Europe/Paris").to_ical().decode("utf-8")
    swapped = re.sub(r"BEGIN:VTIMEZONE.*END:VTIMEZONE\r\n", lambda _: zone, text, flags=re.S)
    assert swapped != text
    broken.write_bytes(swapped.encode("utf-8"))
    with pytest.raises(AssertionError):
        check_times(sample_site, READERS[reader]([broken]))


def test_a_cache_kept_by_an_older_version_gives_no_old_time_zone(tmp_path: Path) -> None:
    # Calendar pieces are kept by content key (``.cache/porte-voix/calendars.json``): the zone
    # an older version kept, in the RDATE form, must not come back after an upgrade.
    project = new_project(tmp_path / "site")
    event_id = add_event(project, when(30), "atelier", title="Atelier CV")
    cache = project.root / ".cache" / "porte-voix" / "calendars.json"
    old_key = OutputCache(cache, SITE).key("zone", "Europe/Paris")
    old_zone = Timezone.from_tzid("Europe/Paris").to_ical().decode("utf-8")
    cache.parent.mkdir(parents=True)
    cache.write_text(json.dumps({old_key: old_zone}), encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    text = (project.site / "evenements" / f"{event_id}.ics").read_bytes().decode("utf-8")
    assert "RDATE" not in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in text


def test_a_calendars_name_is_escaped_as_text() -> None:
    """A contributed title names its event's calendar: its « ; » and « , » are escaped as in
    SUMMARY (RFC 5545 3.3.11), never read as a separator of values."""
    text = calendar_bytes([], SITE, "Forum; emploi, stage \\ alternance", {}, {}).decode("utf-8")
    assert "X-WR-CALNAME:Forum\\; emploi\\, stage \\\\ alternance\r\n" in text


def test_calendar_texts_follow_french_typography(sample_site: Project) -> None:
    """Calendars wrap a title, place or description like a page: the same no-break spaces (read
    back with vobject, independent of the writer)."""
    import vobject

    from .test_french_typography import breaks

    texts = []
    for path in calendar_files(sample_site):
        calendar = vobject.readOne(path.read_text(encoding="utf-8"))
        texts.append(calendar.contents["x-wr-calname"][0].value)
        for event in calendar.contents["vevent"]:
            texts += [event.summary.value, event.location.value, event.description.value]
    assert [b for text in texts for b in breaks(text)] == []
    path = sample_site.site / "evenements/2027-10-23-atelier-permis-liverdun.ics"
    (event,) = vobject.readOne(path.read_text(encoding="utf-8")).contents["vevent"]
    assert event.summary.value == "Atelier «\u202fFinancer mon permis\u202f»"
    assert event.description.value.startswith("Pour qui\u00a0: Jeunes de 17 à 25\u00a0ans\n")
