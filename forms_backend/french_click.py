"""Click's own words in French (« Utilisation », « Commandes », the help option), for both CLIs.

Click writes its headings through gettext with no French catalogue; a formatter and command
classes are enough to say them in French without patching Click.
"""

from __future__ import annotations

import re
import sys
from typing import Any, NoReturn

import click

HEADINGS = {"Options": "Options", "Commands": "Commandes", "Arguments": "Arguments"}
HELP_TEXT = "Affiche cette aide et s'arrête."
# What Click writes beside an option: the kind of value it takes, and the bracket at the end.
METAVARS = {
    "TEXT": "TEXTE",
    "INTEGER": "NOMBRE",
    "FLOAT": "NOMBRE",
    "DIRECTORY": "DOSSIER",
    "FILE": "FICHIER",
    "PATH": "CHEMIN",
    "RANGE": "",
}
EXTRAS = (("default: ", "par défaut : "), ("required", "obligatoire"), ("env var: ", "variable : "))


class FrenchFormatter(click.HelpFormatter):
    """Help pages with French headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """« Utilisation : porte-voix … »."""
        super().write_usage(
            prog,
            args.replace("COMMAND", "COMMANDE"),
            "Utilisation : ",
        )

    def write_heading(self, heading: str) -> None:
        """« Commandes » for « Commands »."""
        super().write_heading(HEADINGS.get(heading, heading))


def _french_record(name: str, text: str) -> tuple[str, str]:
    """One line of the options list, with Click's English words in French."""
    name = re.sub(
        r"\b(TEXT|INTEGER|FLOAT|DIRECTORY|FILE|PATH|RANGE)\b", lambda m: METAVARS[m[1]], name
    )
    bracket = re.search(r"\[([^\[\]]*)\]$", text)
    if bracket:
        inside = bracket[1]
        for english, french in EXTRAS:
            inside = inside.replace(english, french)
        text = text[: bracket.start()] + f"[{inside}]"
    return " ".join(name.split()), text


class FrenchContext(click.Context):
    """A context whose help pages are written in French."""

    formatter_class = FrenchFormatter


class FrenchHelp:
    """Mixin: the ``--help`` option explained in French."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The ``--help`` option, explained in French."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options list (and a group's commands), in French."""
        records = [
            _french_record(*record)
            for param in self.get_params(ctx)  # type: ignore[attr-defined]
            if (record := param.get_help_record(ctx)) is not None
        ]
        if records:
            with formatter.section("Options"):
                formatter.write_dl(records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


# Click's own refusals (usage errors), in French; anything else keeps its words.
USAGE_ERRORS = (
    (re.compile(r"Missing argument '(.+)'\.?"), "il manque l'argument {0}"),
    (re.compile(r"Missing option '(.+)'\.?"), "il manque l'option {0}"),
    (re.compile(r"No such command '(.+)'\.?"), "la commande « {0} » n'existe pas"),
    (re.compile(r"No such option:? '?([^'\s]+?)'?\.?(?: .*)?", re.S), "l'option {0} n'existe pas"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "en trop : {0}"),
    (re.compile(r"Invalid value for (.+?): (.*)", re.S), "valeur refusée pour {0} : {1}"),
)


def french_message(error: click.ClickException) -> str:
    """The error's message, Click's usage words said in French."""
    message = error.format_message()
    if isinstance(error, click.UsageError):
        for pattern, french in USAGE_ERRORS:
            match = pattern.fullmatch(message.strip())
            if match:
                return french.format(*(group or "" for group in match.groups()))
    return message


def show_in_french(error: click.ClickException) -> NoReturn:
    """What Click would print, in French: the usage and where the help is for a usage error,
    then « Erreur : … » (Click writes « Error: » through a gettext without French)."""
    context = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and context is not None:
        click.echo(
            f"{context.get_usage()}\nPour l'aide : « {context.command_path} --help ».\n",
            err=True,
        )
    click.echo(f"Erreur : {french_message(error)}", err=True)
    sys.exit(error.exit_code)


class FrenchCommand(FrenchHelp, click.Command):
    """A command whose help speaks French."""

    context_class = FrenchContext


class FrenchGroup(FrenchHelp, click.Group):
    """A group whose help and sub-commands speak French."""

    context_class = FrenchContext
    command_class = FrenchCommand
    group_class = type  # sub-groups are French groups too

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Run the command line; its refusals are printed in French, with the same exit codes."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as error:
            show_in_french(error)
        except click.Abort:
            click.echo("Abandon.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def french_group(**kwargs: Any):  # type: ignore[no-untyped-def]
    """``click.group`` with French help."""
    return click.group(cls=FrenchGroup, **kwargs)
