"""Typed front-matter fields, declared one per line like mkdocs' ``config_options``.

Each field turns the string written by an author into a Python value, or raises
:class:`Invalid` with a French message and a way to fix it. A :class:`Schema` groups the fields
of one content type and reports every problem of a file at once, with its line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from ..slugs import normalise
from .frontmatter import Key, Lines
from .problems import FileProblems

PARIS = ZoneInfo("Europe/Paris")


class Invalid(Exception):
    """A value cannot be used: ``message`` says what is wrong, ``fix`` how to mend it."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


@dataclass
class ReadContext:
    """What fields need besides the value: where to report, lines, the file's folder."""

    report: FileProblems
    lines: Lines
    folder: Path


class Field:
    """A front-matter key. ``example`` is shown when the key is missing."""

    def __init__(
        self,
        *,
        required: bool = True,
        default: Any = None,
        example: str = "",
        missing: tuple[str, str] | None = None,
    ) -> None:
        self.required, self.default, self.example = required, default, example
        self.missing = missing

    def convert(self, value: Any, context: ReadContext, key: Key) -> Any:
        """Turn the raw value into the model's value, or raise :class:`Invalid`."""
        raise NotImplementedError


def _text(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value.strip()
    raise Invalid(f"{what} doit être un texte simple", "écris-le sur la même ligne que la clé")


class Text(Field):
    """A line of text; ``max_length`` in characters."""

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length

    def convert(self, value: Any, context: ReadContext, key: Key) -> str:
        text = _text(value, f"« {key[-1]} »")
        if not text:
            raise Invalid(
                f"« {key[-1]} » est vide", f"écris par exemple « {key[-1]}: {self.example} »"
            )
        if self.max_length and len(text) > self.max_length:
            raise Invalid(
                f"« {key[-1]} » est trop long ({len(text)} caractères, {self.max_length} au plus)",
                "raccourcis-le",
            )
        return text


class Integer(Field):
    """A whole number between ``minimum`` and ``maximum``."""

    def __init__(self, *, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value: Any, context: ReadContext, key: Key) -> int:
        text = _text(value, f"« {key[-1]} »")
        if not re.fullmatch(r"-?\d+", text):
            raise Invalid(
                f"« {text} » n'est pas un nombre entier",
                f"écris un nombre, comme « {key[-1]}: {self.example} »",
            )
        number = int(text)
        if not self.minimum <= number <= self.maximum:
            raise Invalid(
                f"« {key[-1]} » vaut {number}",
                f"écris un nombre entre {self.minimum} et {self.maximum}",
            )
        return number


_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)


def parse_date_text(text: str, *, with_time: bool) -> date | datetime:
    """Parse ``2026-12-05`` or ``2026-12-05 14:00`` (Europe/Paris); raise :class:`Invalid`."""
    example = "2026-12-05 14:00" if with_time else "2026-12-05"
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise Invalid(f"« {text} » n'est pas une date lisible", f"écris-la comme ceci : {example}")
    if with_time and match["H"] is None:
        raise Invalid(f"« {text} » n'a pas d'heure", f"ajoute l'heure, comme ceci : {example}")
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise Invalid(
            f"la date « {text} » n'existe pas dans le calendrier",
            f"vérifie le jour et le mois (format : {example})",
        ) from None
    if not with_time:
        return day
    try:
        clock = time(int(match["H"]), int(match["M"]), int(match["S"] or 0))
    except ValueError:
        raise Invalid(
            f"l'heure de « {text} » n'existe pas", "écris une heure entre 00:00 et 23:59"
        ) from None
    return datetime.combine(day, clock, tzinfo=PARIS)


class DateTime(Field):
    """A date with a time, Europe/Paris, written ``2026-12-05 14:00``."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> datetime:
        return parse_date_text(_text(value, f"« {key[-1]} »"), with_time=True)  # type: ignore[return-value]


class Revised(Field):
    """``modifie``: when the author last changed the file, a date or a date and time (Paris).
    Used outside a Git checkout, where commit times cannot date the file."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> datetime:
        return revised_date(_text(value, f"« {key[-1]} »"))


def revised_date(text: str) -> datetime:
    """``2026-11-28 09:30``, or ``2026-11-28`` (midnight), in Paris; raise :class:`Invalid`."""
    try:
        return parse_date_text(text, with_time=True)  # type: ignore[return-value]
    except Invalid:
        day = parse_date_text(text, with_time=False)
        return datetime.combine(day, time(0, 0), tzinfo=PARIS)  # type: ignore[arg-type]


class Date(Field):
    """A calendar date written ``2026-12-05``."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> date:
        return parse_date_text(_text(value, f"« {key[-1]} »"), with_time=False)  # type: ignore[return-value]


class Choice(Field):
    """One of a few words; spellings with or without accents are accepted."""

    def __init__(self, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = {normalise(word): result for word, result in choices.items()}
        self.shown = list(choices)

    def convert(self, value: Any, context: ReadContext, key: Key) -> Any:
        text = _text(value, f"« {key[-1]} »")
        if normalise(text) in self.choices:
            return self.choices[normalise(text)]
        options = " ou ".join(f"« {word} »" for word in self.shown)
        raise Invalid(f"« {key[-1]} » vaut « {text} »", f"écris {options}")


class YesNo(Choice):
    """``oui`` or ``non``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__({"oui": True, "non": False}, **kwargs)


class TextList(Field):
    """A list of short texts (a single text is taken as a list of one)."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> list[str]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise Invalid(
                f"« {key[-1]} » doit être une liste",
                f"écris un élément par ligne, précédé de « - » (par exemple « - {self.example} »)",
            )
        return [item.strip() for item in items if item.strip()]


class LocalFile(Field):
    """A file beside the Markdown file (a photo, an image); it must exist."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> Path:
        name = _text(value, f"« {key[-1]} »")
        path = (context.folder / name).resolve()
        if not path.is_file():
            raise Invalid(
                f"le fichier « {name} » est introuvable",
                f"dépose-le dans le dossier {context.folder.name}/ à côté de ce fichier, ou corrige son nom",
            )
        return path


class Nested(Field):
    """A group of keys written under this one, indented."""

    def __init__(self, schema: type[Schema], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema = schema

    def convert(self, value: Any, context: ReadContext, key: Key) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            raise Invalid(
                f"« {key[-1]} » doit contenir des clés, une par ligne, décalées de deux espaces",
                f"par exemple :\n    {key[-1]}:\n      {self.example}",
            )
        values, ok = self.schema.read(value, context, key)
        if not ok:
            raise _AlreadyReported
        return values


class _AlreadyReported(Exception):
    """A nested schema has reported its own problems."""


class Schema:
    """The keys of one content type. Subclasses declare :class:`Field` attributes."""

    fields: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls) -> None:
        inherited = {
            name: f for base in cls.__mro__[1:] for name, f in getattr(base, "fields", {}).items()
        }
        own = {name: f for name, f in vars(cls).items() if isinstance(f, Field)}
        cls.fields = {**inherited, **own}

    @classmethod
    def read(
        cls, data: dict[str, Any], context: ReadContext, key: Key = ()
    ) -> tuple[dict[str, Any], bool]:
        """Convert every field; report every problem. Returns the values and whether all were valid."""
        before = context.report.count
        values: dict[str, Any] = {}
        for name in data:
            if name not in cls.fields:
                guess = difflib.get_close_matches(name, list(cls.fields), n=1)
                fix = (
                    f"tu voulais écrire « {guess[0]} » ?"
                    if guess
                    else "les clés possibles sont : " + ", ".join(cls.fields)
                )
                context.report.add(
                    context.lines.of((*key, name)), f"la clé « {name} » est inconnue", fix
                )
        for name, field in cls.fields.items():
            raw = data.get(name)
            if raw is None or raw == "":
                if field.required:
                    where = f" sous « {key[-1]}: »" if key else ""
                    message, fix = field.missing or (
                        f"il manque la clé « {name} »",
                        f"ajoute une ligne « {name}: {field.example} »{where}",
                    )
                    # An empty key is reported on its own line; a missing one on its parent's.
                    context.report.add(context.lines.of((*key, name)), message, fix)
                values[name] = field.default
                continue
            try:
                values[name] = field.convert(raw, context, (*key, name))
            except Invalid as error:
                context.report.add(context.lines.of((*key, name)), error.message, error.fix)
                values[name] = None
            except _AlreadyReported:
                values[name] = None
        return values, context.report.count == before
