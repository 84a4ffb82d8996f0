"""``porte-voix photos nettoyer``, and the check that sends authors to it.

A phone photo dropped in ``content/`` keeps its GPS position and camera in the repository (git
keeps every version). ``porte-voix check`` names each such file; this command removes the
metadata, without re-encoding when the format allows it (see ``photo_metadata``).
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from .content.problems import Problem, Problems
from .photo_metadata import UnreadablePhoto, hidden_metadata, is_photo, strip_metadata


def photos_in(root: Path) -> list[Path]:
    """Every photo under ``root`` (a folder or one file), in a stable order."""
    if root.is_file():
        return [root]
    return sorted(path for path in root.rglob("*") if is_photo(path))


def _shell_word(text: str) -> str:
    """``text`` as one word to paste in a terminal, with no control character left in it."""
    printable = "".join(c if c.isprintable() else "?" for c in text)
    return shlex.quote(printable)


def photo_problems(content_root: Path) -> list[Problem]:
    """One problem for each photo under ``content_root`` that carries metadata or is unreadable."""
    problems = Problems(content_root)
    for path in photos_in(content_root):
        shown = problems.display_path(path)
        try:
            findings = hidden_metadata(path)
        except (OSError, UnreadablePhoto) as error:
            problems.add_file(path, f"la photo est illisible ({error})", "remplace-la")
            continue
        if findings:
            problems.add_file(
                path,
                f"la photo contient des métadonnées ({', '.join(findings.labels)})",
                f"lance « porte-voix photos nettoyer {_shell_word(shown)} » pour les retirer",
            )
    return problems.sorted()


def register_photo_commands(group: click.Group) -> None:
    """Add the ``photos`` group to the ``porte-voix`` command."""

    @group.group(help="Les photos de content/ : retirer ce qu'elles disent en plus de l'image.")
    def photos() -> None:
        """The ``photos`` command group."""

    @photos.command(
        help="Retire la position GPS, l'appareil, les commentaires… des photos (JPEG, PNG, "
        "WebP) données, ou de toutes celles d'un dossier. L'image ne change pas ; une photo "
        "marquée « à tourner » est d'abord tournée."
    )
    @click.argument(
        "chemins", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
    )
    def nettoyer(chemins: tuple[Path, ...]) -> None:
        """Strip the metadata of every photo named or found in the folders named."""
        failed = False
        for root in chemins:
            for path in photos_in(root):
                shown = _shell_word(path.as_posix())
                try:
                    cleaned = strip_metadata(path)
                except (OSError, UnreadablePhoto) as error:
                    click.echo(f"{shown} : illisible, rien n'a été changé ({error}).", err=True)
                    failed = True
                    continue
                click.echo(f"{shown} : {'nettoyée' if cleaned else 'déjà propre'}.")
        if failed:
            raise SystemExit(1)
