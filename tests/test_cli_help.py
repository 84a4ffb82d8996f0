"""Every command explains itself in French."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

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
    ("args", "code", "said"),
    [
        (["contributions", "accept"], 2, "Erreur : il manque l'argument IDENT"),
        (["publie"], 2, "Erreur : la commande « publie » n'existe pas"),
        (["build", "--vite"], 2, "Erreur : l'option --vite n'existe pas"),
        (
            ["forms", "serve", "--host", "0.0.0.0"],
            1,
            "Erreur : le serveur ne démarre pas sur 0.0.0.0 : ces réglages manquent.",
        ),
    ],
)
def test_refusals_are_in_french_with_their_exit_code(
    tmp_path: Path, args: list[str], code: int, said: str
) -> None:
    """The installed command, as an operator runs it: Click's « Error: » and « Try … for help »
    were English around every French message."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTE_VOIX_")}
    env["PORTE_VOIX_DB"] = str(tmp_path / "formulaires.sqlite3")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "porte-voix"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == code
    assert said in result.stderr.splitlines()
    assert "Error" not in result.stderr and "Try '" not in result.stderr
    if code == 2:
        assert (
            f"Pour l'aide : « porte-voix {args[0]}" in result.stderr
            or "« porte-voix --help »" in result.stderr
        )


@pytest.mark.parametrize(
    ("args", "french"),
    [
        (["check", "-f", "mkdocs.yml"], "Erreur : l'option -f n'existe pas"),
        (["forms", "export"], "Erreur : l'option --csv est obligatoire"),
        (["nimportequoi"], "Erreur : la commande « nimportequoi » n'existe pas"),
        (["forms", "presence"], "Erreur : il manque l'argument ÉVÉNEMENT"),
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
