"""Click's own words in French (« Utilisation », « Commandes », the help option), for both CLIs.

Click writes its headings through gettext with no French catalogue; a formatter and command
classes are enough to say them in French without patching Click.
"""

from __future__ import annotations

from typing import Any

import click

HEADINGS = {"Options": "Options", "Commands": "Commandes", "Arguments": "Arguments"}
HELP_TEXT = "Affiche cette aide et s'arrête."


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


class FrenchCommand(FrenchHelp, click.Command):
    """A command whose help speaks French."""

    context_class = FrenchContext


class FrenchGroup(FrenchHelp, click.Group):
    """A group whose help and sub-commands speak French."""

    context_class = FrenchContext
    command_class = FrenchCommand
    group_class = type  # sub-groups are French groups too


def french_group(**kwargs: Any):  # type: ignore[no-untyped-def]
    """``click.group`` with French help."""
    return click.group(cls=FrenchGroup, **kwargs)
