"""What a build made, kept for the next build when nothing it depends on changed.

Most of a rebuild with thousands of events redid the last build's work: an event page, or its
calendar entry, only changes when the event does. An ``OutputCache`` is one JSON file of such
outputs, each under a key made of everything it depends on (the caller's parts, under a salt for
what every entry depends on: format, the kit's code and library versions — see
``code_fingerprint.py`` —, settings). Read at the start of a build,
written at its end with only the entries that build used, so it never grows with old events.

Two are used: rendered pages (``pages.json``, see the plugin) and calendar pieces
(``calendars.json``, see ``calendars.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .code_fingerprint import PAGE_LIBRARIES, code_fingerprint

FORMAT = 2
# Everything the kit ships may change a kept output: the generator's code, the theme, and the
# French typography the pages and calendars share with the backend.
SOURCES = ("generator", "theme", "forms_backend/typography.py", "forms_backend/html_typography.py")


class OutputCache:
    """A JSON file of build outputs by key."""

    def __init__(self, path: Path, salt: object) -> None:
        self.path = path
        code = code_fingerprint(SOURCES, PAGE_LIBRARIES)
        text = json.dumps([FORMAT, code, salt], sort_keys=True, default=repr)
        self.salt = hashlib.sha256(text.encode()).hexdigest()
        self.entries = self._read()
        self.used: dict[str, Any] = {}

    def key(self, *parts: str) -> str:
        """The key of an output made from ``parts`` (under this cache's salt)."""
        text = "\0".join((self.salt, *parts))
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> Any | None:
        """The output an earlier build made from the same inputs, if it kept one."""
        if key not in self.entries:
            return None
        self.used[key] = self.entries[key]
        return self.used[key]

    def put(self, key: str, value: Any) -> None:
        """Keep an output just made (JSON data)."""
        self.used[key] = value

    def get_or_make(self, key: str, make: Callable[[], Any]) -> Any:
        """The kept output, or ``make()``'s, kept for next time."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def save(self) -> None:
        """Write the entries this build used (atomically: a stopped build leaves the old file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        partial.write_text(json.dumps(self.used, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.path)

    def _read(self) -> dict[str, Any]:
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no cache yet, or a damaged one: everything is made again
        return entries if isinstance(entries, dict) else {}
