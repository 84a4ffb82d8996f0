"""The README's way to erase a withdrawn testimonial from git's history does erase it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

SECTION = "### Effacer une photo ou un témoignage de l'historique git"


def readme_commands() -> list[str]:
    """The shell lines of the README's erasure section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(SECTION) :]
    (block,) = re.findall(r"```sh\n(.*?)```", section.split("\n## ")[0], re.DOTALL)[:1]
    return [line for line in block.splitlines() if line.strip()]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def test_the_readme_commands_erase_a_withdrawn_testimonial_from_every_commit(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "depot"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "equipe@example.org")
    git(repo, "config", "user.name", "Équipe")
    photo = repo / "content/temoignages/ines.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\x00 photo d'Ines GPS 48.9 6.05 \xff\xd9")
    photo_blob = git(repo, "hash-object", str(photo)).strip()
    (repo / "content/temoignages/ines.md").write_text("« Inès, 17 ans, Pompey »\n")
    (repo / "content/index.md").write_text("# Accueil\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Publie une contribution")
    git(repo, "rm", "-q", "content/temoignages/ines.md", "content/temoignages/ines.jpg")
    git(repo, "commit", "-q", "-m", "Retire un témoignage (accord retiré)")
    assert "Inès" in git(repo, "log", "-p", "--all")  # what withdraw alone leaves behind
    git(repo, "cat-file", "-e", photo_blob)

    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "push", "-q", str(origin), "main")
    maintainer = tmp_path / "clone"  # the README asks for a fresh, complete clone
    git(tmp_path, "clone", "-q", str(origin), str(maintainer))

    (install, erase, push) = readme_commands()
    assert "pip install git-filter-repo" in install
    venv_bin = Path(sys.executable).parent  # the README's « $PWD/.venv/bin », in this venv
    environment = {**os.environ, "PATH": f"{venv_bin}:{os.environ['PATH']}"}
    for command in (erase.replace('PATH="$PWD/.venv/bin:$PATH" ', ""), push):
        subprocess.run(
            command, shell=True, cwd=maintainer, env=environment, check=True, capture_output=True
        )
    repo = origin  # what every new clone will get
    history = git(repo, "log", "-p", "--all")
    assert "Inès" not in history and "ines.jpg" not in history
    objects = git(repo, "rev-list", "--all", "--objects")
    assert "temoignages" not in objects
    git(repo, "gc", "-q", "--prune=now")
    gone = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "-e", photo_blob], check=False, capture_output=True
    )
    assert gone.returncode != 0, "the photo's bytes are still in the repository"
    assert "Accueil" in git(repo, "show", "main:content/index.md")
