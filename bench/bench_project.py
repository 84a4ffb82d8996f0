"""A throw-away project for the benches: the repository's settings, theme, partners and logo,
and generated events. Shared by the flyers and build-at-scale runs."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ("Pont-à-Mousson", "Pompey", "Frouard", "Champigneulles", "Dieulouard", "Liverdun")


def start_project(folder: Path, cache: Path | None = None) -> Path:
    """``mkdocs.yml`` (without the sample's nav; ``cache``: a cache shared between projects) and
    ``content/`` with the partners, the print logo and a home page; returns ``content/``."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("nav")
    if cache is not None:
        plugin = next(p for p in config["plugins"] if isinstance(p, dict) and "porte-voix" in p)
        plugin["porte-voix"]["cache"] = str(cache)
    config["theme"]["custom_dir"] = str(ROOT / "theme")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    content = folder / "content"
    for sub in ("evenements", "images"):
        (content / sub).mkdir(parents=True)
    shutil.copy(ROOT / "content" / "partenaires.yml", content)
    shutil.copy(ROOT / "content" / "images" / "logo-mission-locale.png", content / "images")
    (content / "index.md").write_text(
        "# Accueil\n\n<!-- porte-voix: prochains-evenements -->\n", encoding="utf-8"
    )
    return content


def write_event(
    content: Path, number: int, day: datetime, title: str, registration: str, body: str
) -> None:
    """``content/evenements/DAY-evenement-NUMBER.md``: a valid event of three hours."""
    (content / "evenements" / f"{day:%Y-%m-%d}-evenement-{number}.md").write_text(
        f"""---
titre: {title}
debut: {day:%Y-%m-%d %H:%M}
fin: {day + timedelta(hours=3):%Y-%m-%d %H:%M}
lieu:
  nom: Centre social
  adresse: 1 place de la République
commune: {COMMUNES[number % len(COMMUNES)]}
public: Jeunes de 16 à 29 ans
inscription:{registration}
partenaires: [mjc-pompey]
---
{body}
""",
        encoding="utf-8",
    )
