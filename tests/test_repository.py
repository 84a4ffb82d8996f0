"""The repository can be reused: its licences are there, and requirements.lock follows pyproject."""

from __future__ import annotations

import json
import re
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

import material
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO

LOCK = REPO / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)")


def locked() -> dict[str, tuple[str, list[str]]]:
    """Each locked package: its version and its hashes, as ``pip install --require-hashes`` reads them."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = (match[2], [])
        for digest in re.findall(r"--hash=sha256:([0-9a-f]{64})", line):
            assert current is not None
            pins[current][1].append(digest)
    return pins


def runtime() -> list[Requirement]:
    """The runtime dependencies of pyproject.toml."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def declared() -> list[Requirement]:
    """What pyproject.toml and requirements-venv.in ask for: runtime, test and venv tools."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    venv_tools = (REPO / "requirements-venv.in").read_text(encoding="utf-8").splitlines()
    lines = [
        *project["optional-dependencies"]["test"],
        *(line for line in venv_tools if line.strip() and not line.startswith("#")),
    ]
    return [*runtime(), *(Requirement(line) for line in lines)]


def test_every_declared_dependency_is_locked_at_an_allowed_version() -> None:
    pins = locked()
    missing = [str(r) for r in declared() if canonicalize_name(r.name) not in pins]
    assert not missing, f"absent de requirements.lock : {missing} — lance « make lock »"
    outside = [
        f"{r} (verrouillé : {pins[canonicalize_name(r.name)][0]})"
        for r in declared()
        if not r.specifier.contains(pins[canonicalize_name(r.name)][0], prereleases=True)
    ]
    assert not outside, f"requirements.lock ne suit plus pyproject.toml : {outside} — « make lock »"


def test_every_locked_package_has_a_hash() -> None:
    pins = locked()
    assert len(pins) > 20
    assert not [name for name, (_, hashes) in pins.items() if not hashes]


def test_runtime_dependencies_have_an_upper_bound() -> None:
    # tzdata is the time-zone data of the year: it must follow the law, never be held back.
    unbounded = [
        str(r)
        for r in runtime()
        if r.name != "tzdata"
        and not any(s.operator in ("<", "<=", "==", "~=") for s in r.specifier)
    ]
    assert not unbounded


def test_the_installed_package_carries_its_licences() -> None:
    assert "Copyright (c) 2026 Mission Locale du Val de Lorraine" in (REPO / "LICENSE").read_text()
    licences = (REPO / "LICENCES.md").read_text(encoding="utf-8")
    for text in (
        "Altered source versions must be plainly marked as such",  # zlib (the ICC profile)
        "Copyright (c) 2016-2025 Martin Donath",  # Material for MkDocs
        "SIL OPEN FONT LICENSE Version 1.1",  # Atkinson Hyperlegible
    ):
        assert text in licences
    # The venv's own record (a stale porte_voix.egg-info in the work tree would answer first).
    site_packages = sysconfig.get_paths()["purelib"]
    (installed,) = [
        d.metadata for d in metadata.distributions(name="porte-voix", path=[site_packages])
    ]
    assert installed["License-Expression"] == "MIT"
    assert sorted(installed.get_all("License-File") or []) == ["LICENCES.md", "LICENSE"]


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_third_party_script_a_site_publishes_has_its_licence_text(sample_site) -> None:
    """A built site redistributes Material's search stemmers: only those the French search loads
    are published (wordcut.js is LGPL 3.0), and LICENCES.md holds the full text of each licence."""
    published = sorted(
        path.relative_to(sample_site.site).as_posix()
        for path in (sample_site.site / "assets/javascripts/lunr").rglob("*")
        if path.is_file()
    )
    assert published == [
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
    ]
    licences = _words((REPO / "LICENCES.md").read_text(encoding="utf-8"))
    for path in published:
        assert Path(path).name in licences
    assert _words("MOZILLA PUBLIC LICENSE Version 1.1") in licences
    assert "EXHIBIT A -Mozilla Public License." in licences
    assert "Copyright (C) 2013 by Oliver Nightingale" in licences  # lunr.js, in the search worker
    icons = Path(material.__file__).parent / "templates/.icons/material/LICENSE"
    assert _words(icons.read_text(encoding="utf-8")) in licences
    assert "Apache License Version 2.0, January 2004" in licences
    assert "END OF TERMS AND CONDITIONS" in licences


def test_every_library_bundled_in_a_built_site_has_its_licence_text(sample_site) -> None:  # type: ignore[no-untyped-def]
    """Material's script and style sheet bundle npm packages (RxJS, clipboard.js, focus-visible…)
    with no licence comment left: the source maps published beside them name each, and
    LICENCES.md must give each one's licence."""
    bundled = set()
    for source_map in (sample_site.site / "assets").rglob("*.map"):
        for source in json.loads(source_map.read_text(encoding="utf-8"))["sources"]:
            found = re.search(r"node_modules/((?:@[^/]+/)?[^/]+)/", source)
            if found:
                bundled.add(found[1])
    assert {"rxjs", "clipboard", "focus-visible", "lunr"} <= bundled  # the maps were read
    licences = (REPO / "LICENCES.md").read_text(encoding="utf-8")
    headings = " ".join(re.findall(r"^## (.+)$", licences, re.MULTILINE)).lower()
    assert not [name for name in sorted(bundled) if name not in headings]
    words = _words(licences)
    assert "Copyright (c) 2015-2018 Google, Inc., Netflix, Inc., Microsoft Corp." in words
    assert "Copyright (c) Zeno Rocha" in words  # clipboard.js
    assert _words("The full text of this NOTICE in a location viewable to users") in words
    assert "Permission to use, copy, modify, and/or distribute this software" in words  # 0BSD


def test_the_site_shows_its_visitors_the_licences_of_what_it_redistributes(sample_site) -> None:  # type: ignore[no-untyped-def]
    # The W3C licence (focus-visible) asks for its notice « in a location viewable to users of the
    # redistributed work », Apache 2.0 (RxJS) for a copy of the licence to every recipient.
    published = (sample_site.site / "licences.txt").read_bytes()
    assert published.startswith("\ufeff".encode())
    assert published.decode("utf-8-sig") == (REPO / "LICENCES.md").read_text(encoding="utf-8")
    legal = sample_site.page("mentions-legales")
    (link,) = [a for a in legal.select("article a") if "licences.txt" in a.get("href", "")]
    assert link["href"] == "../licences.txt"
    assert (sample_site.site / "mentions-legales" / link["href"]).resolve().is_file()
