"""Problems found in content: where they are, what is wrong and how to fix it, in French."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one content file, shown to authors as ``file:line: message — fix``.

    ``line`` is 0 for a file without lines (a photo): shown as ``file: message — fix``.
    """

    path: str
    line: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path  # line 0: the whole file
        text = f"{where}: {self.message}"
        return f"{text} — {self.fix}" if self.fix else text


@dataclass
class Problems:
    """Collects every problem of a run so that authors see them all at once."""

    root: Path
    found: list[Problem] = field(default_factory=list)

    def add(self, path: Path, line: int, message: str, fix: str = "") -> None:
        """Record a problem in ``path`` (absolute or relative to the content root)."""
        self.found.append(Problem(self.display_path(path), max(line, 1), message, fix))

    def add_file(self, path: Path, message: str, fix: str = "") -> None:
        """Record a problem with a whole file that has no lines (a photo)."""
        self.found.append(Problem(self.display_path(path), 0, message, fix))

    def display_path(self, path: Path) -> str:
        """The path as authors know it: relative to the project, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve().parent).as_posix()
        except ValueError:
            return path.as_posix()

    def for_file(self, path: Path) -> FileProblems:
        """A reporter bound to one file."""
        return FileProblems(self, path)

    def sorted(self) -> list[Problem]:
        """The problems in file and line order."""
        return sorted(self.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def __len__(self) -> int:
        return len(self.found)


@dataclass
class FileProblems:
    """Reports problems for a single file; counts them so callers can tell if one was added."""

    problems: Problems
    path: Path
    count: int = 0

    def add(self, line: int, message: str, fix: str = "") -> None:
        """Record a problem at ``line`` of this file."""
        self.count += 1
        self.problems.add(self.path, line, message, fix)
