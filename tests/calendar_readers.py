"""Calendar readers we did not write: Mozilla's ical.js (Thunderbird's parser) under Node, and
vobject (Python, independent of the ``icalendar`` package that writes the files). Each returns,
per file, what a client would show: every event's UTC start and end and its identity fields."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import vobject
import vobject.icalendar

JS = Path(__file__).resolve().parent / "js"


def read_with_icaljs(paths: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """Parse ``paths`` with ical.js (installed by ``make test``: ``npm ci --prefix tests/js``)."""
    assert (JS / "node_modules" / "ical.js").is_dir(), (
        "ical.js manque : lance « make test » (ou « npm ci --prefix tests/js »)"
    )
    result = subprocess.run(
        ["node", str(JS / "read_calendars.mjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return {Path(path): events for path, events in json.loads(result.stdout).items()}


def read_with_vobject(paths: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """Parse ``paths`` with vobject, each file with its own VTIMEZONE."""
    files = {}
    for path in paths:
        # vobject keeps the first VTIMEZONE it meets for a TZID for the whole process: forget it,
        # so that each file is read as a client opening only that file would read it.
        vars(vobject.icalendar)["__tzidMap"].pop("Europe/Paris", None)
        calendar = vobject.readOne(path.read_text(encoding="utf-8"))
        files[path] = [
            {
                "uid": event.uid.value,
                "summary": event.summary.value,
                "start": _utc(event.dtstart.value),
                "end": _utc(event.dtend.value),
                "sequence": int(event.sequence.value),
                "dtstamp": _utc(event.dtstamp.value),
                "last_modified": _utc(event.last_modified.value),
                "url": event.url.value,
                "status": event.status.value if hasattr(event, "status") else None,
            }
            for event in calendar.contents.get("vevent", [])
        ]
    return files


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
