"""``porte-voix forms emargement``: the attendance sheet of an event, from the backend's
database (who signed up) and the project (the event, the funders' line).

The sheet prints personal data: it is never written inside the published site, the file is
readable by its owner only, and the command says what to do with the paper."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from forms_backend.config import BackendConfig, ConfigError
from forms_backend.store.attendance import expected
from forms_backend.store.database import Store

from .sheets.attendance import SheetEvent, attendance_sheet

if TYPE_CHECKING:
    from .cli import Project

PRIVACY_NOTE = (
    "Attention : cette feuille contient des données personnelles (prénoms, communes). Ne la mets "
    "pas en ligne et ne l'envoie pas par e-mail ; supprime le fichier une fois la feuille "
    "imprimée. Après l'événement, range la feuille signée sous clé, garde-la le temps que demande "
    "le financeur, puis détruis-la (broyeuse)."
)


def register_attendance_command(
    group: click.Group,
    load_project: Callable[[str], Project],
    config_option: Any,
    site_dir: Callable[[str], Path],
) -> None:
    """Add ``emargement`` to the ``forms`` group."""

    @group.command(
        help="Écrit la feuille d'émargement d'un événement (PDF A4 à imprimer) : les inscrits, "
        "puis des lignes vides pour les personnes venues sans inscription. Elle contient des "
        "données personnelles."
    )
    @click.argument("event_id", metavar="ÉVÉNEMENT")
    @click.option(
        "--out",
        "target",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Le fichier PDF à écrire (jamais dans le dossier du site publié).",
    )
    @click.option(
        "--lignes-vides",
        "empty_rows",
        default=10,
        show_default=True,
        type=click.IntRange(0, 500),
        help="Lignes vides au moins, pour les personnes venues sans inscription.",
    )
    @config_option
    def emargement(event_id: str, target: Path, empty_rows: int, config_file: str) -> None:
        """Find the event and its sign-ups, draw, write privately."""
        try:
            config = BackendConfig.from_environment()
        except ConfigError as error:
            raise click.ClickException(str(error)) from None
        for published in (site_dir(config_file), config.site_dir):
            if _inside(target, published):
                raise click.ClickException(
                    f"{target} est dans le dossier du site publié ({published}) : la feuille "
                    "contient des données personnelles, écris-la ailleurs (--out)"
                )
        project = load_project(config_file)
        event = next((e for e in project.content.events if e.id == event_id), None)
        shown = "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in event_id)
        if event is None and any(
            Path(problem.path).name == f"{event_id}.md" for problem in project.problems
        ):
            raise click.ClickException(
                f"l'événement « {shown} » a un problème : « porte-voix check » le montre"
            )
        if event is None:
            raise click.ClickException(
                f"aucun événement « {shown} » dans content/evenements/ : écris le nom de son "
                "fichier, sans .md"
            )
        if not config.database.exists():
            raise click.ClickException(
                f"la base des formulaires {config.database} n'existe pas : vérifie PORTE_VOIX_DB"
            )
        store = Store(config.database)
        store.migrate()
        people = expected(store, event.id)
        waiting = store.places_taken(event.id)[1]
        place = ", ".join(part for part in (event.place.name, event.place.address) if part)
        sheet = attendance_sheet(
            SheetEvent(event.title, event.start, event.end, place, project.settings.funders),
            people,
            empty_rows,
        )
        _write_private(target, sheet.pdf)
        click.echo(
            f"Feuille d'émargement écrite : {target} ({sheet.pages} page(s) : "
            f"{sheet.signed_up} inscrit(s), {sheet.empty_rows} ligne(s) vide(s) pour les "
            "personnes venues sans inscription)."
        )
        if waiting:
            click.echo(
                f"{waiting} personne(s) de la liste d'attente n'y figurent pas : si elles "
                "viennent, elles signent sur une ligne vide."
            )
        if not project.settings.funders:
            click.echo(
                "La ligne des financeurs manque (mkdocs.yml, affiches.financeurs) : la feuille "
                "est imprimée sans elle.",
                err=True,
            )
        click.echo(PRIVACY_NOTE)
        click.echo(
            f"Après l'événement : porte-voix forms presence {event.id} RÉF… --sans-inscription N"
        )


def _inside(target: Path, folder: Path) -> bool:
    return target.resolve().is_relative_to(folder.resolve())


def _write_private(target: Path, data: bytes) -> None:
    """Write ``data`` readable by its owner only, whole or not at all (a temporary file in the
    same folder, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".emargement-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as stream:  # mkstemp makes the file with mode 0600
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
