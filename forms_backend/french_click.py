"""Click's own words in French (« Utilisation », « Commandes », the help option), for both CLIs.

Click writes its headings through gettext with no French catalogue; a formatter and command
classes are enough to say them in French without patching Click.
"""

from __future__ import annotations

import re
import sys
from typing import Any

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


# Click's error messages (click 8), and what to write instead; the first match wins.
ERRORS = (
    (
        r"No such option:? '?([^'\s]+)'?\.?(?: Did you mean '?([^'?]+)'?\?)?",
        "l'option {0} n'existe pas",
    ),
    (r"No such command '([^']+)'\.", "la commande « {0} » n'existe pas"),
    (r"Missing option '([^']+)'\.?(.*)", "l'option {0} est obligatoire"),
    (r"Missing argument '([^']+)'\.?(.*)", "il manque l'argument {0}"),
    (r"Missing command\.", "il manque la commande"),
    (r"Got unexpected extra arguments? \((.+)\)", "ce qui suit est en trop : {0}"),
    (r"Option '([^']+)' requires an argument\.", "l'option {0} attend une valeur"),
    (r"Option '([^']+)' requires (\d+) arguments\.", "l'option {0} attend {1} valeurs"),
    (r"Option '([^']+)' does not take a value\.", "l'option {0} ne prend pas de valeur"),
    (r"Invalid value for '([^']+)': (.+)", "valeur refusée pour {0} : {1}"),
    (r"Invalid value: (.+)", "valeur refusée : {0}"),
)
VALUES = (
    (r"'(.*)' is not a valid integer(?: range)?\.", "« {0} » n'est pas un nombre entier"),
    (r"'(.*)' is not a valid float(?: range)?\.", "« {0} » n'est pas un nombre"),
    (r"(?:File|Path|Directory) '(.*)' does not exist\.", "« {0} » n'existe pas"),
    (r"(?:File|Path) '(.*)' is a directory\.", "« {0} » est un dossier, pas un fichier"),
    (r"'(.*)' is not one of (.+)\.", "« {0} » n'est pas l'une des valeurs permises : {1}"),
)


def french_error(message: str) -> str:
    """One of Click's usage errors in French; a message already written in French stays."""
    for pattern, french in ERRORS:
        found = re.fullmatch(pattern, message.strip(), re.DOTALL)
        if found:
            return french.format(*(_french_value(part or "") for part in found.groups()))
    return message


def _french_value(text: str) -> str:
    for pattern, french in VALUES:
        found = re.fullmatch(pattern, text.strip())
        if found:
            return french.format(*found.groups())
    return text


def show_usage_error(error: click.UsageError) -> None:
    """What Click prints for a usage error, in French: the usage line, where to find help, and
    the error itself."""
    context = error.ctx
    if context is not None:
        click.echo(context.get_usage(), err=True)
        click.echo(f"Pour l'aide : « {context.command_path} --help ».\n", err=True)
    click.echo(f"Erreur : {french_error(error.format_message())}", err=True)


class FrenchCommand(FrenchHelp, click.Command):
    """A command whose help speaks French."""

    context_class = FrenchContext


class FrenchGroup(FrenchHelp, click.Group):
    """A group whose help, sub-commands and usage errors speak French."""

    context_class = FrenchContext
    command_class = FrenchCommand
    group_class = type  # sub-groups are French groups too

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        """Run the command line; a usage error (a mistyped option, a missing value) is told in
        French instead of Click's English, with the same exit code (2)."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help() if error.ctx else error.format_message())
            sys.exit(0)
        except click.UsageError as error:
            show_usage_error(error)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            # Click writes « Error: » through a gettext without French.
            click.echo(f"Erreur : {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Interrompu.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def french_group(**kwargs: Any):  # type: ignore[no-untyped-def]
    """``click.group`` with French help."""
    return click.group(cls=FrenchGroup, **kwargs)
