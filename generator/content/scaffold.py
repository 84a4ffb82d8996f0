"""New content files that are valid from the start: an event, a testimonial, a page.

Plain functions (no prompts, no MkDocs): the ``porte-voix new`` command asks the questions and
calls them; another tool could too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from forms_backend.store import retention

from ..slugs import slugify
from .events import EVENTS_DIR
from .testimonials import ADULT_AGE, BOTH_PARENTS_PAPER, PERSON, TESTIMONIALS_DIR

# How long a signed authorisation lasts when nothing else is said (it can be changed in the file);
# the parent's letter says the same (one constant, in the backend's retention rules).
CONSENT_YEARS = retention.PUBLISHED_YEARS


@dataclass(frozen=True)
class EventAnswers:
    """What ``porte-voix new evenement`` needs to know."""

    title: str
    start: datetime
    end: datetime | time
    place: str
    address: str
    commune: str
    audience: str
    places: int | None  # None: open event, no sign-up
    deadline: date | None
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestimonialAnswers:
    """What ``porte-voix new temoignage`` needs to know."""

    first_name: str
    age: int
    commune: str
    quote: str
    signed_on: date


def new_event(content: Path, answers: EventAnswers) -> Path:
    """Write ``evenements/AAAA-MM-JJ-slug.md``; returns its path (never overwrites)."""
    end = answers.end
    end_text = end.strftime("%H:%M") if isinstance(end, time) else f"{end:%Y-%m-%d %H:%M}"
    meta: dict[str, Any] = {
        "titre": answers.title,
        "debut": f"{answers.start:%Y-%m-%d %H:%M}",
        "fin": end_text,
        "lieu": {"nom": answers.place, "adresse": answers.address},
        "commune": answers.commune,
        "public": answers.audience,
        "inscription": "non"
        if answers.places is None
        else {
            "places": answers.places,
            **({"jusqu_au": f"{answers.deadline:%Y-%m-%d}"} if answers.deadline else {}),
        },
    }
    if answers.partners:
        meta["partenaires"] = list(answers.partners)
    body = (
        "Décris l'événement ici, en phrases courtes : ce qu'on y fait, pour qui, "
        "ce qu'il faut apporter.\n"
    )
    name = f"{answers.start:%Y-%m-%d}-{slugify(answers.title)[:50].strip('-')}"
    return write_content_file(content / EVENTS_DIR, name, meta, body)


def new_testimonial(content: Path, answers: TestimonialAnswers) -> Path:
    """Write ``temoignages/prenom.md`` with the consent record; returns its path."""
    signed = answers.signed_on
    meta = {
        "prenom": answers.first_name,
        "age": answers.age,
        "commune": answers.commune,
        "citation": answers.quote,
        "consentement": {
            "signe_le": f"{signed:%Y-%m-%d}",
            # Staff write a testimonial by hand from a paper form: for a minor, both parents sign.
            "par": PERSON if answers.age >= ADULT_AGE else BOTH_PARENTS_PAPER,
            "photo": "non",
            "jusqu_au": f"{years_later(signed, CONSENT_YEARS):%Y-%m-%d}",
        },
    }
    body = "Raconte ici ton parcours, en quelques phrases courtes.\n"
    return write_content_file(content / TESTIMONIALS_DIR, slugify(answers.first_name), meta, body)


def new_page(content: Path, title: str) -> Path:
    """Write ``slug.md`` starting with its title; returns its path."""
    content.mkdir(parents=True, exist_ok=True)
    path = _free_path(content, slugify(title))
    path.write_text(f"# {title}\n\nÉcris ici. Une idée par phrase.\n", encoding="utf-8")
    return path


def write_content_file(folder: Path, name: str, meta: dict[str, Any], body: str) -> Path:
    """Write ``folder/name.md`` (or ``name-2.md``…) with ``meta`` as front matter."""
    folder.mkdir(parents=True, exist_ok=True)
    path = _free_path(folder, name)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


def _free_path(folder: Path, name: str) -> Path:
    """``name.md``, or ``name-2.md``… when taken: a new file never replaces someone's work."""
    path, number = folder / f"{name}.md", 2
    while path.exists():
        path, number = folder / f"{name}-{number}.md", number + 1
    return path


def years_later(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def day_before(moment: datetime) -> date:
    """A sign-up deadline people understand: the day before the event."""
    return (moment - timedelta(days=1)).date()
