"""Every command explains itself in French."""

from __future__ import annotations

import re
import subprocess
import sys

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


@pytest.mark.parametrize(
    ("args", "french"),
    [
        (["check", "-f", "mkdocs.yml"], "Erreur : l'option -f n'existe pas"),
        (["forms", "export"], "Erreur : l'option --csv est obligatoire"),
        (["nimportequoi"], "Erreur : la commande « nimportequoi » n'existe pas"),
        (["forms", "presence"], "Erreur : il manque ÉVÉNEMENT"),
        (["check", "--config"], "Erreur : l'option --config attend une valeur"),
    ],
)
def test_a_mistyped_command_is_answered_in_french(args: list[str], french: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert french in result.stderr.splitlines()
    for english in ("Error:", "Try '", "No such", "Missing", "for help"):
        assert english not in result.stderr
