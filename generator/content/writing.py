"""Hints for plain writing (never errors): long sentences, hard paragraphs (French Kandel–Moles
score), jargon, words in capitals, italics, dates in figures. Each names the file and the line.

The rules follow FALC advice (one idea per sentence, no jargon, dates in full, no italics), as
DESIGN.md §7 sums it up; thresholds and the jargon list are settings of ``mkdocs.yml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import textstat

from ..settings import WritingRules
from ..slugs import normalise
from .french_dates import long_date
from .frontmatter import read_document
from .problems import Problem, Problems

FRONT_MATTER_TEXTS = ("titre", "citation", "message", "public")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9’'-]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…])$")
_ITALIC = re.compile(
    r"(?<![*\w\\])\*(?!\*|\s)([^*\n]+?)(?<!\s)\*(?![*\w])|(?<![_\w])_(?!_|\s)([^_\n]+?)(?<!\s)_(?![_\w])"
)
_DATE_FIGURES = re.compile(
    r"(?<![\w/-])(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?)(?![\w/-])"
)
_CAPITALS = re.compile(r"\b[A-ZÀ-ÖØ-Þ]{4,}\b")


@dataclass(frozen=True)
class Passage:
    """A piece of text to read, with the line where it starts."""

    text: str
    line: int


def writing_hints(root: Path, rules: WritingRules, today: date | None = None) -> list[Problem]:
    """Hints for every Markdown file under ``root`` (pages, events, testimonials, campaigns)."""
    hints = Problems(root)
    throwaway = Problems(root)  # errors are load_content's job; here we only read
    for path in sorted(root.rglob("*.md")):
        document = read_document(path, throwaway.for_file(path))
        if document is None:
            continue
        report = hints.for_file(path)
        passages = [
            Passage(str(document.meta[key]), document.lines.of((key,)))
            for key in FRONT_MATTER_TEXTS
            if isinstance(document.meta.get(key), str)
        ]
        passages += list(paragraphs(document.body, document.body_line))
        for passage in passages:
            for line, message, fix in passage_hints(passage, rules, today):
                report.add(line, message, fix)
    return hints.sorted()


def paragraphs(body: str, first_line: int) -> Iterator[Passage]:
    """Prose paragraphs of a Markdown body (code, comments, HTML and tables left out)."""
    in_code = False
    current: list[str] = []
    start = first_line
    for offset, raw in enumerate(body.splitlines()):
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            in_code = not in_code
            continue
        skip = in_code or line.startswith(("<", "|", "{", "!!!", "---")) or not line
        if skip or line.startswith(("#", "- ", "* ", "1. ")):
            if current:
                yield Passage(" ".join(current), start)
                current = []
            if not skip:  # a heading or a list item is a passage of its own
                yield Passage(_plain(line.lstrip("#-*1. ")), first_line + offset)
            continue
        if not current:
            start = first_line + offset
        current.append(_plain(line))
    if current:
        yield Passage(" ".join(current), start)


def _plain(markdown: str) -> str:
    """The words a reader sees: link targets, attribute lists and comments removed."""
    text = re.sub(r"<!--.*?-->", "", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\{[^}]*\}", "", text)
    return text.strip()


def passage_hints(
    passage: Passage, rules: WritingRules, today: date | None = None
) -> Iterator[tuple[int, str, str]]:
    """``(line, what, how to fix)`` for one passage."""
    text = passage.text
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    for sentence in sentences:
        count = len(_WORD.findall(sentence))
        if count > rules.max_words:
            yield (
                passage.line,
                f"conseil : une phrase de {count} mots (« {_start(sentence)} »)",
                f"coupe-la : {rules.max_words} mots au plus, une idée par phrase",
            )
    words = _WORD.findall(text)
    if len(words) >= 20 and len(sentences) >= 2:  # a score on fewer words means little
        textstat.set_lang("fr")
        score = textstat.flesch_reading_ease(text)
        if score < rules.min_score:
            yield (
                passage.line,
                f"conseil : ce paragraphe est difficile à lire (score {score:.0f}, visé : {rules.min_score:.0f} ou plus)",
                "écris des phrases plus courtes avec des mots plus simples",
            )
    for term, instead in rules.jargon.items():
        if _contains(text, term):
            yield (passage.line, f"conseil : « {term} » est du jargon", f"écris plutôt {instead}")
    for match in _CAPITALS.finditer(text):
        word = match[0]
        if word not in rules.allowed_capitals and word not in rules.jargon:
            yield (
                passage.line,
                f"conseil : « {word} » est écrit en majuscules",
                "si c'est un sigle, écris aussi les mots en entier ; sinon, écris-le en minuscules : un mot en majuscules se lit mal",
            )
    for match in _ITALIC.finditer(text):
        yield (
            passage.line,
            f"conseil : « {match[1] or match[2]} » est en italique",
            "enlève l'italique, qui se lit mal ; mets en gras ce qui est important",
        )
    for match in _DATE_FIGURES.finditer(text):
        yield (
            passage.line,
            f"conseil : la date « {match[0]} » est écrite en chiffres",
            _date_fix(match, today),
        )


def _contains(text: str, term: str) -> bool:
    if term.isupper():  # an acronym: only in capitals (« le pic » is not the PIC)
        return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None
    return re.search(rf"(?<!\w){re.escape(normalise(term))}(?!\w)", normalise(text)) is not None


def _start(sentence: str) -> str:
    words = sentence.split()
    return " ".join(words[:6]) + (" …" if len(words) > 6 else "")


def _date_fix(match: re.Match[str], today: date | None) -> str:
    try:
        if match[1]:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        else:
            year = match[6]
            if year is None:
                raise ValueError
            full_year = int(year) + 2000 if len(year) == 2 else int(year)
            day = date(full_year, int(match[5]), int(match[4]))
    except ValueError:
        return "écris-la en toutes lettres, avec le jour : « samedi 5 décembre »"
    return f"écris-la en toutes lettres : « {long_date(day)} »"
