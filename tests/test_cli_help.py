"""Every command explains itself in French."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from generator.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", all_commands(main), ids=lambda p: " ".join(p) or "porte-voix")
def test_help_is_in_french(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="porte-voix")
    assert result.exit_code == 0
    assert result.output.startswith("Utilisation : porte-voix")
    assert "Affiche cette aide et s'arrête." in result.output
    assert (
        "Usage" not in result.output
        and "Show this message" not in result.output
        and "Commands:" not in result.output
    )
    # Nor Click's words beside the options.
    assert not re.search(r"\[required\]|default: |\b(TEXT|INTEGER|DIRECTORY|FILE)\b", result.output)
