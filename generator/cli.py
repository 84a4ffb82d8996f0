"""The ``porte-voix`` command: check the content, build the site, serve it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import click

from forms_backend.cli import forms
from forms_backend.french_click import french_group
from forms_backend.typography import counted

from .accessibility import statement_gaps
from .attendance_commands import register_attendance_command
from .content import Content, Problem, load_content
from .content.writing import writing_hints
from .contribution_commands import register_contribution_commands
from .flyer_commands import register_flyer_commands
from .legal import SAMPLE_FIX, SAMPLE_MESSAGE, is_sample, key_line, legal_gaps
from .new_commands import register_new_command
from .photo_commands import photo_problems, register_photo_commands
from .report_commands import register_report_command
from .settings import Settings, public_site_url_problem


def _mkdocs(*args: str) -> int:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.call([sys.executable, "-m", "mkdocs", *args], env=environment)


CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    default="mkdocs.yml",
    show_default=True,
    help="Le fichier de réglages.",
)


@french_group(help="Porte-voix : le site de campagne de la Mission Locale.")
def main() -> None:
    """Entry point of the ``porte-voix`` command."""


@dataclass(frozen=True)
class Project:
    """A Mission Locale's project as the commands see it: settings, checked content, folders.

    The content is read and checked when first asked for: a command that needs only the
    settings or the folders (showing a contribution, writing one) does not read every file."""

    settings: Settings
    docs_dir: Path
    layouts: Path
    cache: Path
    directory_urls: bool

    @cached_property
    def _loaded(self) -> tuple[Content, list[Problem]]:
        return load_content(self.docs_dir, self.settings)

    @property
    def content(self) -> Content:
        """Everything in ``content/``, as the build reads it."""
        return self._loaded[0]

    @property
    def problems(self) -> list[Problem]:
        """Every problem of ``content/``, each at its file and line."""
        return self._loaded[1]


def load_project(config_file: str) -> Project:
    """Read ``mkdocs.yml`` and the content, as the build does (the CLI may use MkDocs)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config

    from .plugin import PorteVoixPlugin, _layouts_folder

    config = load_config(config_file)
    plugin = config.plugins.get("porte-voix")
    if not isinstance(plugin, PorteVoixPlugin):
        raise click.ClickException(f"le plugin « porte-voix » n'est pas activé dans {config_file}")
    plugin.on_config(config)
    assert plugin.settings is not None
    return Project(
        plugin.settings,
        Path(config.docs_dir),
        _layouts_folder(config),
        Path(config.config_file_path).parent / plugin.config.cache,
        config.use_directory_urls,
    )


LEGAL_BLOCKS = {
    "mentions-legales.md": "mentions-legales",
    "donnees-personnelles.md": "donnees-personnelles",
    "accessibilite.md": "accessibilite",
}


def legal_problems(config_file: str, *, production: bool = False) -> tuple[list[Problem], str]:
    """Every legal value missing or left as a placeholder in ``mkdocs.yml``, each at its line;
    and, on the shipped sample (``exemple: oui``), the reminder to replace its values — a problem
    among the others when checking for ``production``."""
    from mkdocs.config import load_config

    config = load_config(config_file)
    options = config.plugins["porte-voix"].config
    text = Path(config.config_file_path).read_text(encoding="utf-8")
    name = Path(config_file).name
    gaps = [*legal_gaps(options), *statement_gaps(options.get("accessibilite"))]
    problems = [Problem(name, key_line(text, gap.path), gap.message, gap.fix) for gap in gaps]
    for page, block in LEGAL_BLOCKS.items():
        own = Path(config.docs_dir) / page
        if own.is_file() and f"porte-voix: {block}" not in own.read_text(encoding="utf-8"):
            problems.append(
                Problem(
                    own.relative_to(Path(config.config_file_path).parent).as_posix(),
                    1,
                    f"cette page remplace celle que le kit écrit d'après mkdocs.yml et le code, "
                    f"sans le bloc <!-- porte-voix: {block} -->",
                    "ajoute ce bloc (ton texte peut l'entourer), ou supprime le fichier",
                )
            )
    url_problem = public_site_url_problem(config.site_url or "")
    if production and url_problem:
        line = next((n for n, t in enumerate(text.splitlines(), 1) if t.startswith("site_url:")), 1)
        fix = (
            "écris dans site_url l'adresse publique du site, par exemple https://www.ml-exemple.fr/"
        )
        problems.append(Problem(name, line, url_problem, fix))
    sample = ""
    if is_sample(options):
        reminder = Problem(name, key_line(text, ("exemple",)), SAMPLE_MESSAGE, SAMPLE_FIX)
        if production:
            problems.append(reminder)
        else:
            sample = str(reminder)
    return problems, sample


PRODUCTION_OPTION = click.option(
    "--production",
    is_flag=True,
    help="Pour la mise en ligne : les valeurs d'exemple du kit (« exemple: oui ») deviennent "
    "un problème au lieu d'un avertissement.",
)


@main.command(help="Vérifie tout le dossier content/ et liste chaque problème (fichier:ligne).")
@PRODUCTION_OPTION
@CONFIG_OPTION
def check(production: bool, config_file: str) -> None:
    """Report every content problem at once; exit code 1 when there is one."""
    project = load_project(config_file)
    content = project.content
    # Photos are checked here only: the build publishes clean copies, but content/ is in git.
    legal, sample = legal_problems(config_file, production=production)
    problems = sorted([*project.problems, *photo_problems(content.root), *legal])
    for problem in problems:
        click.echo(str(problem))
    summary = ", ".join(
        counted(len(items), noun)
        for items, noun in (
            (content.events, "événement"),
            (content.testimonials, "témoignage"),
            (content.campaigns, "campagne"),
            (content.partners, "partenaire"),
            (content.pages, "page"),
        )
    )
    if sample:
        click.echo(f"Attention : {sample}", err=True)
    hints = writing_hints(project.content.root, project.settings.writing, content.now.date())
    if hints:
        click.echo(f"\nConseils pour écrire simplement ({len(hints)}, facultatifs) :")
        for hint in hints:
            click.echo(str(hint))
    if problems:
        click.echo(
            f"\n{counted(len(problems), 'problème')} à corriger. Publiables : {summary}.", err=True
        )
        sys.exit(1)
    click.echo(f"\nTout est bon : {summary}.")


@main.command(
    help="Construit le site dans un nouveau dossier ; site/ n'y mène qu'une fois la construction "
    "réussie (en cas d'échec, site/ garde le dernier site complet)."
)
@click.option(
    "--strict/--no-strict", default=True, show_default=True, help="Échouer au moindre problème."
)
@PRODUCTION_OPTION
@CONFIG_OPTION
def build(strict: bool, production: bool, config_file: str) -> None:
    """Build the site into a new folder and publish it as ``site/`` only when complete."""
    from .publication import build_and_publish

    if production:
        _refuse_unfinished_settings(config_file)
    site = _site_dir(config_file)
    options = ["-f", config_file, *(["--strict"] if strict else [])]
    if not build_and_publish(
        site, lambda folder: _mkdocs("build", *options, "-d", str(folder)) == 0
    ):
        kept = "site/ garde le dernier site complet" if site.exists() else "aucun site n'est publié"
        click.echo(
            f"\nLa construction a échoué (problèmes ci-dessus) : {kept}. "
            "Corrige les problèmes, puis relance « porte-voix build ».",
            err=True,
        )
        sys.exit(1)
    click.echo(f"Site construit et publié : {site} (→ {site.resolve()}).")


def _refuse_unfinished_settings(config_file: str) -> None:
    """Stop a build for the public while a legal value is missing, wrong or the kit's example."""
    problems, _ = legal_problems(config_file, production=True)
    if problems:
        for problem in sorted(problems):
            click.echo(str(problem))
        click.echo(
            f"\n{counted(len(problems), 'réglage')} à compléter dans mkdocs.yml avant la mise en ligne : "
            "rien n'a été construit ni publié.",
            err=True,
        )
        sys.exit(1)


def _site_dir(config_file: str) -> Path:
    """The ``site_dir`` of ``mkdocs.yml`` (where the site is published)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config

    return Path(load_config(config_file).site_dir)


@main.command(
    help="Construit le site et le montre avec les formulaires sur http://HOST:PORT ; reconstruit à chaque enregistrement."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@CONFIG_OPTION
def serve(host: str, port: int, config_file: str) -> None:
    """Serve the site and the form backend on one port, rebuilding on save."""
    from forms_backend.cli import backend_config, refuse_to_serve

    from .devserver import serve as serve_site

    refuse_to_serve(backend_config(), host)
    serve_site(host, port, Path(config_file))


main.add_command(forms)
register_flyer_commands(main, load_project, CONFIG_OPTION)
register_new_command(main, load_project, CONFIG_OPTION)
register_photo_commands(main)
register_contribution_commands(main, load_project, CONFIG_OPTION)
register_report_command(forms, load_project, CONFIG_OPTION)
register_attendance_command(forms, load_project, CONFIG_OPTION, _site_dir)
