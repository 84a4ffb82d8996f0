"""Reading YAML front matter and data files while remembering the line of every key.

Scalars are kept as strings: the fields of the content model convert them, so that
``2026-12-05 14:00`` and ``2026-12-05 14:00:00`` behave the same and every mistake can be
reported in French with its line (PyYAML would silently turn some dates into objects).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import FileProblems

Key = tuple[str | int, ...]


@dataclass
class Lines:
    """The line of each key or list item of a YAML document, by its path from the root."""

    first: int
    by_key: dict[Key, int] = field(default_factory=dict)

    def of(self, key: Key) -> int:
        """The line of ``key``, or of its closest parent that has one."""
        while key:
            if key in self.by_key:
                return self.by_key[key]
            key = key[:-1]
        return self.first


@dataclass
class Document:
    """A Markdown file split into its front matter (as plain data) and its body."""

    path: Path
    meta: dict[str, Any]
    lines: Lines
    body: str
    body_line: int


class YamlError(Exception):
    """The YAML could not be read; carries the line and a French explanation."""

    def __init__(self, line: int, message: str, fix: str) -> None:
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


def read_document(path: Path, report: FileProblems) -> Document | None:
    """Read a Markdown file with optional ``---`` front matter; report problems, never raise."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report.add(1, "le fichier n'est pas en UTF-8", "enregistre-le en UTF-8")
        return None
    text = text.removeprefix("\ufeff")
    all_lines = text.splitlines()
    if not all_lines or all_lines[0].strip() != "---":
        return Document(path, {}, Lines(1), text, 1)
    closing = next((i for i, line in enumerate(all_lines[1:], 1) if line.strip() == "---"), None)
    if closing is None:
        report.add(
            1,
            "l'en-tête commence par « --- » mais ne se termine pas",
            "ajoute une ligne « --- » après la dernière clé",
        )
        return None
    try:
        meta, lines = parse_yaml("\n".join(all_lines[1:closing]), first_line=2)
    except YamlError as error:
        report.add(error.line, error.message, error.fix)
        return None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        report.add(
            2,
            "l'en-tête doit être une liste de clés « nom: valeur »",
            "écris une clé par ligne, comme « titre: Mon titre »",
        )
        return None
    body = "\n".join(all_lines[closing + 1 :])
    return Document(path, meta, lines, body, closing + 2)


def read_data_file(path: Path, report: FileProblems) -> tuple[Any, Lines] | None:
    """Read a YAML data file (such as ``partenaires.yml``); report problems, never raise."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"), first_line=1)
    except YamlError as error:
        report.add(error.line, error.message, error.fix)
    except UnicodeDecodeError:
        report.add(1, "le fichier n'est pas en UTF-8", "enregistre-le en UTF-8")
    return None


# libyaml's parser when PyYAML was built with it (the wheels are): 5 times faster on thousands of
# event files, with the same line marks and the same errors.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, *, first_line: int) -> tuple[Any, Lines]:
    """Parse YAML into plain data (strings, lists, dicts) and the line of every key."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlError(
            line,
            "cette ligne n'est pas du YAML valide",
            "vérifie les deux-points après chaque clé, l'alignement des espaces et les guillemets",
        ) from error
    lines = Lines(max(first_line - 1, 1))
    if node is None:
        return None, lines
    return _to_data(node, (), lines, first_line), lines


def _to_data(node: yaml.Node, key: Key, lines: Lines, offset: int) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            line = offset + key_node.start_mark.line
            if name in result:
                raise YamlError(
                    line, f"la clé « {name} » est écrite deux fois", "garde une seule de ces lignes"
                )
            lines.by_key[(*key, name)] = line
            result[name] = _to_data(value_node, (*key, name), lines, offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines.by_key[(*key, index)] = offset + item.start_mark.line
            items.append(_to_data(item, (*key, index), lines, offset))
        return items
    if node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return str(node.value)
