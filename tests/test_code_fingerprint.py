"""The caches are keyed by the kit's code: after an upgrade, nothing the old code made is reused,
without anyone deleting ``.cache/``. Real builds, run by a copy of the kit whose files we edit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator import code_fingerprint as fingerprint
from generator.output_cache import OutputCache

from .conftest import ENVIRONMENT, REPO, Project, new_project

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def copy_kit(folder: Path) -> Path:
    """The kit's own files (``generator/``, ``theme/``) in ``folder``, to be edited."""
    for name in ("generator", "theme"):
        shutil.copytree(REPO / name, folder / name, ignore=IGNORED)
    return folder


def edit(path: Path, addition: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")


@pytest.fixture
def kit_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    kit = copy_kit(tmp_path / "kit")
    monkeypatch.setattr(fingerprint, "KIT_ROOT", kit)
    fingerprint.code_fingerprint.cache_clear()
    yield kit
    fingerprint.code_fingerprint.cache_clear()


def key_now(cache_file: Path) -> str:
    fingerprint.code_fingerprint.cache_clear()
    return OutputCache(cache_file, "réglages").key("infos.md", "# Infos")


def test_one_byte_of_a_source_file_changes_the_cache_keys(kit_copy: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "pages.json"
    first = key_now(cache_file)
    assert key_now(cache_file) == first  # the same code, the same key
    source = kit_copy / "generator" / "slugs.py"
    original = source.read_bytes()
    source.write_bytes(original.replace(b"ASCII", b"ASCIJ", 1))
    assert key_now(cache_file) != first
    source.write_bytes(original)
    assert key_now(cache_file) == first
    edit(kit_copy / "theme" / "partials" / "footer.html", "\n")
    assert key_now(cache_file) != first


def test_a_library_upgrade_changes_the_cache_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    fingerprint.code_fingerprint.cache_clear()
    before = fingerprint.code_fingerprint(("generator",), fingerprint.PAGE_LIBRARIES)
    real = fingerprint._version
    monkeypatch.setattr(
        fingerprint, "_version", lambda name: "99.0" if name == "markdown" else real(name)
    )
    fingerprint.code_fingerprint.cache_clear()
    try:
        assert fingerprint.code_fingerprint(("generator",), fingerprint.PAGE_LIBRARIES) != before
    finally:
        fingerprint.code_fingerprint.cache_clear()


def build_with(kit: Path, project: Project) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` run by the kit copy (first on the import path: its ``generator``)."""
    environment = {**ENVIRONMENT, "PYTHONPATH": os.pathsep.join([str(kit), str(REPO)])}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(project.root / "mkdocs.yml"),
        ],
        capture_output=True,
        text=True,
        env=environment,
        cwd=project.root,
        timeout=300,
    )


def mark_kept_pages(project: Project) -> None:
    """Change the kept HTML of every page: a page taken from the cache shows the mark."""
    kept = project.root / ".cache" / "porte-voix" / "pages.json"
    entries = json.loads(kept.read_text(encoding="utf-8"))
    for entry in entries.values():
        entry["html"] = entry["html"].replace("Du lundi au vendredi.", "Marqué par le test.")
    kept.write_text(json.dumps(entries), encoding="utf-8")


def test_a_rebuild_after_a_code_change_does_not_reuse_old_pages(tmp_path: Path) -> None:
    kit = copy_kit(tmp_path / "kit")
    project = new_project(tmp_path / "projet")
    config = yaml.safe_load((project.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(kit / "theme")
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    project.write("infos.md", "# Infos\n\nDu lundi au vendredi.\n")
    result = build_with(kit, project)
    assert result.returncode == 0, result.stderr

    # Same code: the kept page is reused (the mark shows), so the check below means something.
    mark_kept_pages(project)
    assert build_with(kit, project).returncode == 0
    assert "Marqué par le test." in project.page("infos/").get_text()

    # An upgrade of the generator: the page is made again by the new code.
    mark_kept_pages(project)
    edit(kit / "generator" / "slugs.py", "\n# Une nouvelle version du kit.\n")
    assert build_with(kit, project).returncode == 0
    text = project.page("infos/").get_text()
    assert "Marqué par le test." not in text and "Du lundi au vendredi." in text

    # A theme template edited: it shows, and nothing kept from before is reused.
    mark_kept_pages(project)
    edit(kit / "theme" / "partials" / "footer.html", "\n<p>Pied de page modifié</p>\n")
    assert build_with(kit, project).returncode == 0
    page = project.page("infos/")
    assert "Pied de page modifié" in page.get_text()
    assert "Marqué par le test." not in page.get_text()
