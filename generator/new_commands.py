"""``porte-voix new evenement|temoignage|page "Titre"``: asks what is missing, in French, and
writes a file that passes ``porte-voix check``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .content.fields import Invalid, parse_date_text
from .content.scaffold import (
    EventAnswers,
    TestimonialAnswers,
    day_before,
    new_event,
    new_page,
    new_testimonial,
)
from .content.testimonials import MAX_AGE, MIN_AGE

if TYPE_CHECKING:
    from .cli import Project

T = TypeVar("T")
KINDS = ("evenement", "temoignage", "page")


def register_new_command(
    group: click.Group, load_project: Callable[[str], Project], config_option: Any
) -> None:
    """Add ``new`` to the ``porte-voix`` command."""

    @group.command(
        help="Crée un événement, un témoignage ou une page prêt à remplir. "
        "Pose en français les questions dont la réponse manque (ou prend les options)."
    )
    @click.argument("kind", metavar="evenement|temoignage|page", type=click.Choice(KINDS))
    @click.argument("titre")
    @click.option("--debut", help="Événement : date et heure de début, 2027-05-12 14:00.")
    @click.option("--fin", help="Événement : heure de fin (17:00) ou date et heure.")
    @click.option("--lieu", help="Événement : le nom du lieu.")
    @click.option("--adresse", help="Événement : l'adresse du lieu.")
    @click.option("--commune", help="La commune (elle doit être dans le territoire).")
    @click.option("--public", "audience", help="Événement : pour qui ?")
    @click.option("--places", help="Événement : nombre de places, ou « non » (entrée libre).")
    @click.option("--jusqu-au", "deadline", help="Événement : fin des inscriptions, 2027-05-11.")
    @click.option(
        "--partenaires",
        help="Événement : identifiants de partenaires.yml, séparés par des virgules.",
    )
    @click.option("--age", type=int, help="Témoignage : l'âge de la personne.")
    @click.option("--citation", help="Témoignage : une phrase de la personne.")
    @config_option
    def new(kind: str, titre: str, config_file: str, **answers: Any) -> None:
        """Write a valid content file."""
        project = load_project(config_file)
        content_dir = project.content.root
        if kind == "page":
            path = new_page(content_dir, titre)
        elif kind == "evenement":
            path = new_event(content_dir, _event_answers(project, titre, answers))
        else:
            path = new_testimonial(content_dir, _testimonial_answers(project, titre, answers))
        relative = (
            path.relative_to(content_dir.parent) if content_dir.parent in path.parents else path
        )
        click.echo(f"C'est écrit : {relative}")
        click.echo("Ouvre ce fichier pour écrire le texte, puis lance « porte-voix check ».")


def _ask(
    given: str | None, question: str, convert: Callable[[str], T], default: str | None = None
) -> T:
    """``given`` converted, or the answer to ``question``, asked again until it is right."""
    value = given
    while True:
        if value is None:
            value = click.prompt(question, default=default)
        try:
            return convert(value.strip())
        except Invalid as error:
            click.echo(f"{error.message} — {error.fix}", err=True)
        except ValueError as error:
            click.echo(str(error), err=True)
        value = None


def _event_answers(project: Project, title: str, given: dict[str, Any]) -> EventAnswers:
    def moment(text: str) -> datetime:
        return parse_date_text(text, with_time=True)  # type: ignore[return-value]

    start = _ask(given["debut"], "Date et heure de début (2027-05-12 14:00)", moment)

    def end(text: str) -> datetime | time:
        if len(text) <= 5 and ":" in text:
            hours, minutes = (int(part) for part in text.split(":"))
            result: datetime | time = time(hours, minutes)
            finish = datetime.combine(start.date(), result, tzinfo=start.tzinfo)
        else:
            result = finish = moment(text)
        if finish <= start:
            raise ValueError("la fin doit être après le début — écris une heure plus tardive")
        return result

    finish = _ask(given["fin"], "Heure de fin (17:00)", end)
    place = _ask(given["lieu"], "Nom du lieu", _not_empty)
    address = _ask(given["adresse"], "Adresse du lieu", _not_empty)
    commune = _ask(given["commune"], "Commune", lambda text: _commune(project, text))
    audience = _ask(given["audience"], "Pour qui ?", _not_empty, "Jeunes de 16 à 29 ans")
    places = _ask(
        given["places"], "Nombre de places (« non » si l'entrée est libre)", _places, "non"
    )
    deadline = None
    if places is not None:
        deadline = _ask(
            given["deadline"],
            "Fin des inscriptions (2027-05-11)",
            lambda text: _deadline(text, start),
            f"{day_before(start):%Y-%m-%d}",
        )
    partners = _ask(
        given["partenaires"],
        "Partenaires (identifiants de partenaires.yml séparés par des virgules, ou rien)",
        lambda text: _partners(project, text),
        "",
    )
    return EventAnswers(
        title, start, finish, place, address, commune, audience, places, deadline, partners
    )


def _testimonial_answers(
    project: Project, first_name: str, given: dict[str, Any]
) -> TestimonialAnswers:
    def age(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or not MIN_AGE <= int(text) <= MAX_AGE:
            raise ValueError(
                f"écris l'âge en chiffres, de {MIN_AGE} à {MAX_AGE} ans (le public du programme), "
                "par exemple 19"
            )
        return int(text)

    years = _ask(None if given["age"] is None else str(given["age"]), "Âge", age)
    commune = _ask(given["commune"], "Commune", lambda text: _commune(project, text))
    quote = _ask(given["citation"], "Une phrase de la personne (la citation)", _quote)
    if years < 18:
        click.echo(
            "Moins de 18 ans : l'autorisation papier doit être signée par les deux parents "
            "(« par: les deux parents (formulaire papier) » est déjà écrit dans le fichier ; "
            "s'il n'y a qu'un tuteur ou une tutrice, écris « par: le tuteur ou la tutrice "
            "(formulaire papier) »)."
        )
    return TestimonialAnswers(first_name, years, commune, quote, date.today())


def _not_empty(text: str) -> str:
    if not text:
        raise ValueError("cette réponse ne peut pas être vide")
    return text


def _quote(text: str) -> str:
    if not text or len(text) > 280:
        raise ValueError("écris une seule phrase, 280 caractères au plus")
    return text


def _commune(project: Project, text: str) -> str:
    if not project.settings.territories:
        return _not_empty(text)
    known = project.settings.commune(text)
    if known is None:
        raise ValueError(
            f"« {text} » n'est pas une commune du territoire — vérifie l'orthographe (les accents ne comptent pas)"
        )
    return known[0]


def _places(text: str) -> int | None:
    if text.lower() in ("non", "libre", "0", ""):
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValueError("écris un nombre de places, par exemple 20, ou « non »")
    return int(text)


def _deadline(text: str, start: datetime) -> date:
    day: date = parse_date_text(text, with_time=False)  # type: ignore[assignment]
    if day > start.date():
        raise ValueError("la fin des inscriptions doit être avant l'événement")
    return day


def _partners(project: Project, text: str) -> tuple[str, ...]:
    wanted = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [p for p in wanted if p not in project.content.partners]
    if unknown:
        raise ValueError(
            f"partenaire inconnu : {', '.join(unknown)} — utilise les identifiants de partenaires.yml"
        )
    return wanted
