"""``porte-voix forms report``: the programme's report from the backend's database and the
project's settings (territories, partners, events, the programme's target)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from forms_backend.config import BackendConfig, ConfigError
from forms_backend.store.attendance import walk_ins
from forms_backend.store.database import Store
from forms_backend.store.follow_up import contacts

from .report import Figures, count_figures, write_report
from .report.masking import THRESHOLD

if TYPE_CHECKING:
    from .cli import Project


class FrenchDate(click.ParamType):
    """A day written 2027-03-31 or 31/03/2027."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        """The day, or a French message saying how to write it."""
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        self.fail(f"« {text} » n'est pas une date : écris par exemple 31/03/2027", param, ctx)


def register_report_command(
    group: click.Group, load_project: Callable[[str], Project], config_option: Any
) -> None:
    """Add ``report`` to the ``forms`` group."""

    @group.command(
        help="Écrit le rapport du programme (page HTML avec graphiques, et fichiers CSV) : "
        "que des nombres, aucune donnée personnelle."
    )
    @click.option(
        "--out",
        "folder",
        required=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Le dossier où écrire rapport.html et les fichiers CSV.",
    )
    @click.option(
        "--from",
        "first_day",
        type=FrenchDate(),
        help="Premier jour, ramené au lundi de sa semaine (par défaut : le début).",
    )
    @click.option(
        "--to",
        "last_day",
        type=FrenchDate(),
        help="Dernier jour (par défaut et au plus tard : le dernier dimanche passé).",
    )
    @config_option
    def report(
        folder: Path, first_day: date | None, last_day: date | None, config_file: str
    ) -> None:
        """Count, draw, write."""
        if first_day and last_day and first_day > last_day:
            raise click.UsageError("--from doit être avant --to")
        try:
            config = BackendConfig.from_environment()
        except ConfigError as error:
            raise click.ClickException(str(error)) from None
        if not config.database.exists():
            raise click.ClickException(
                f"la base des formulaires {config.database} n'existe pas : vérifie PORTE_VOIX_DB"
            )
        project = load_project(config_file)
        store = Store(config.database)
        store.migrate()
        figures = count_figures(
            contacts(store),
            project.settings,
            project.content.partners,
            project.content.events,
            walk_ins=walk_ins(store),
            first_day=first_day,
            last_day=last_day,
        )
        if figures.last_day < figures.first_day:
            raise click.ClickException(_nothing_to_publish(figures))
        written = write_report(figures, folder, project.settings.site_name)
        click.echo(
            f"Rapport écrit : {written[0]} (semaines complètes du "
            f"{figures.first_day:%d/%m/%Y} au {figures.last_day:%d/%m/%Y})"
        )
        if figures.pending_from is not None:
            click.echo(_pending(figures.pending_from))
        click.echo(f"Les mêmes chiffres pour un tableur : {len(written) - 1} fichiers CSV à côté.")


def _pending(pending_from: date) -> str:
    """Why the report stops before the last Sunday: the weeks after its last period."""
    return (
        f"Les semaines depuis le lundi {pending_from:%d/%m/%Y} comptent ensemble moins de "
        f"{THRESHOLD} nouveaux jeunes : elles ne sont dans aucun chiffre du rapport, qui "
        "s'arrête à la fin de la dernière période (elles y entreront dès qu'elles en "
        f"compteront {THRESHOLD})."
    )


def _nothing_to_publish(figures: Figures) -> str:
    """Why there is no report: no closed week yet, or too few young people for a period."""
    if figures.pending_from is not None:
        return f"aucune période à publier depuis le {figures.first_day:%d/%m/%Y}. " + _pending(
            figures.pending_from
        )
    sunday = figures.first_day + timedelta(days=6 - figures.first_day.weekday())
    return (
        "aucune semaine complète à publier : le rapport ne compte que des semaines finies, "
        f"la première finira le dimanche {sunday:%d/%m/%Y}"
    )
