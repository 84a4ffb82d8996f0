"""When each content file last changed, and how many versions it has had: from the content's own
history, never from the file's time on disk (a fresh clone gives every file the clone's time).

Three sources, in order:

1. Git, when ``content/`` is in a checkout: the time of the last commit that changed the file,
   and the number of commits that changed it. One ``git log`` over the whole folder (and one
   ``git status``), not one process per file.
2. A ``modifie`` date the author wrote in the front matter (outside Git, or for a file changed
   since its last commit).
3. The first time a build saw the file's current bytes, kept in a small JSON file of the cache.

The version number feeds the calendars' ``SEQUENCE`` (RFC 5545 3.8.7.4: it grows with each
revision). Counting commits makes it the same from one clone to the next and it only grows; a
fresh clone without Git history (a copied folder) starts again from the versions it sees.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_COMMIT = "\x1epv-commit "  # starts each commit's header line in the ``git log`` output


@dataclass(frozen=True)
class Revision:
    """The last change of a content file: when (UTC, whole seconds) and which version it is
    (0 for the first one)."""

    time: datetime
    number: int


@dataclass
class _GitLog:
    """What ``git log`` says about every file of the folder: last commit time, commit count."""

    last: dict[Path, datetime] = field(default_factory=dict)
    count: dict[Path, int] = field(default_factory=dict)
    changed: set[Path] = field(default_factory=set)  # modified or new since the last commit


class ContentHistory:
    """Revisions of the files in ``folders`` (files or folders; by default all of ``root``, the
    project): see the module docstring for where they come from.

    ``sightings`` is the JSON file keeping when each file's bytes were first seen; ``declared``
    holds the ``modifie`` dates authors wrote, by file."""

    def __init__(
        self,
        root: Path,
        sightings: Path | None = None,
        *,
        folders: Sequence[Path] = (),
        declared: Mapping[Path, datetime] | None = None,
        now: datetime | None = None,
        use_git: bool = True,
    ) -> None:
        self.root = root.resolve()
        self.sightings_path = sightings
        self.declared = {path.resolve(): when for path, when in (declared or {}).items()}
        self.now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        pathspecs = [str(folder.resolve()) for folder in folders] or ["."]
        self.git = _read_git(self.root, pathspecs) if use_git else None
        self.seen = _read_json(sightings)
        self.used: dict[str, Any] = {}
        self._revisions: dict[Path, Revision] = {}

    @property
    def from_git(self) -> bool:
        """True when the dates come from a Git checkout."""
        return self.git is not None

    def revision(self, path: Path) -> Revision:
        """The last change of ``path``, a file under ``root``."""
        path = path.resolve()
        if path not in self._revisions:
            self._revisions[path] = self._revision(path)
        return self._revisions[path]

    def latest(self, paths: Iterable[Path]) -> datetime | None:
        """The time of the most recent change among ``paths`` (``None`` for no path)."""
        return max((self.revision(path).time for path in paths), default=None)

    def save(self) -> None:
        """Keep the sightings this build used, for the next build (atomically)."""
        if self.sightings_path is None:
            return
        self.sightings_path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.sightings_path.with_name(f".{self.sightings_path.name}.{os.getpid()}")
        partial.write_text(json.dumps(self.used, sort_keys=True, indent=0), encoding="utf-8")
        os.replace(partial, self.sightings_path)

    def _revision(self, path: Path) -> Revision:
        git = self.git
        committed = git is not None and path in git.last and path not in git.changed
        if committed and self.sightings_path is None:
            return Revision(git.last[path], git.count[path] - 1)
        sighted = self._sighting(path)
        if committed:
            # Never below a number this cache already published for these bytes or earlier
            # ones (several versions built before one commit): SEQUENCE only grows.
            return Revision(git.last[path], self._kept(path, git.count[path] - 1))
        # A file changed since its last commit is one version past the commits that touched it,
        # and each new version built before the next commit one more (see ``_sighting``).
        number = self._kept(path, git.count.get(path, 0) if git is not None else 0)
        return Revision(self.declared.get(path, sighted.time).astimezone(UTC), number)

    def _kept(self, path: Path, number: int) -> int:
        """``number``, or the one kept for these bytes when higher; kept for the next build."""
        entry = self.used[self._key(path)]
        entry["number"] = max(number, entry["number"])
        return entry["number"]

    def _key(self, path: Path) -> str:
        return (
            path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)
        )

    def _sighting(self, path: Path) -> Revision:
        """When these bytes of ``path`` were first seen, and how many versions were seen."""
        key = self._key(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entry = self.seen.get(key)
        if not _valid_sighting(entry):
            entry = {"sha256": digest, "since": self.now.isoformat(), "number": 0}
        elif entry["sha256"] != digest:
            entry = {"sha256": digest, "since": self.now.isoformat(), "number": entry["number"] + 1}
        self.used[key] = entry
        return Revision(datetime.fromisoformat(entry["since"]), entry["number"])


def _valid_sighting(entry: Any) -> bool:
    try:
        aware = datetime.fromisoformat(entry["since"]).tzinfo is not None
        return aware and isinstance(entry["sha256"], str) and isinstance(entry["number"], int)
    except (TypeError, KeyError, ValueError):
        return False


def _read_json(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no sightings yet, or a damaged file: files count as seen now
    return data if isinstance(data, dict) else {}


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git on this machine
    return result.stdout if result.returncode == 0 else None


def _read_git(root: Path, pathspecs: list[str]) -> _GitLog | None:
    """The history of every file in ``pathspecs``, or ``None`` outside a Git checkout."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if not top:
        return None
    top_dir = Path(top.strip()).resolve()
    log = _git(root, "log", f"--format={_COMMIT}%cI", "--name-only", "-z", "--", *pathspecs)
    status = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *pathspecs)
    if log is None or status is None:
        return None
    history = _GitLog()
    when: datetime | None = None
    for chunk in log.split("\0"):
        # Each commit: its header "<marker><time>", then "\n<name>", then one name per chunk.
        if chunk.startswith(_COMMIT):
            when = datetime.fromisoformat(chunk.removeprefix(_COMMIT)).astimezone(UTC)
        elif (name := chunk.removeprefix("\n")) and when is not None:
            path = top_dir / name
            history.last.setdefault(path, when)  # newest commit first
            history.count[path] = history.count.get(path, 0) + 1
    entries = status.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        if len(entry) > 3:
            history.changed.add(top_dir / entry[3:])
        if entry[:1] in ("R", "C"):
            index += 1  # a rename's next field is the old name
        index += 1
    return history
