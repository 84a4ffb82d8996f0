"""Partners of the programme, read from ``content/partenaires.yml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fields import Field, Invalid, LocalFile, ReadContext, Schema, Text, TextList
from .frontmatter import Key, read_data_file
from .problems import Problems

PARTNERS_FILE = "partenaires.yml"


class Identifier(Field):
    """A short id in lower-case ASCII letters, digits and hyphens (``mjc-pompey``)."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> str:
        text = str(value).strip()
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text):
            raise Invalid(
                f"l'identifiant « {text} » contient des caractères interdits",
                "utilise seulement des minuscules sans accent, des chiffres et des tirets (par exemple « mjc-pompey »)",
            )
        return text


class WebAddress(Field):
    """A public web address starting with https:// (or http://)."""

    def convert(self, value: Any, context: ReadContext, key: Key) -> str:
        text = str(value).strip()
        if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text):
            raise Invalid(
                f"« {text} » n'est pas une adresse web",
                "écris l'adresse complète, qui commence par https://",
            )
        return text


class PartnerSchema(Schema):
    """One entry of ``partenaires.yml``."""

    id = Identifier(example="mjc-pompey")
    nom = Text(max_length=120, example="MJC de Pompey")
    type = Text(example="association")
    communes = TextList(required=False, default=[], example="Pompey")
    site = WebAddress(required=False)
    logo = LocalFile(required=False)


@dataclass(frozen=True)
class Partner:
    """A structure of the consortium."""

    id: str
    name: str
    kind: str
    communes: tuple[str, ...]
    website: str | None
    logo: Path | None
    line: int


def load_partners(content_dir: Path, problems: Problems) -> dict[str, Partner]:
    """Read ``partenaires.yml``; a missing file means no partners, not an error."""
    path = content_dir / PARTNERS_FILE
    if not path.is_file():
        return {}
    report = problems.for_file(path)
    parsed = read_data_file(path, report)
    if parsed is None:
        return {}
    data, lines = parsed
    if data is None:
        return {}
    if not isinstance(data, list):
        report.add(
            1,
            "ce fichier doit être une liste de partenaires",
            "commence chaque partenaire par « - id: … »",
        )
        return {}
    partners: dict[str, Partner] = {}
    context = ReadContext(report, lines, path.parent)
    for index, item in enumerate(data):
        line = lines.of((index,))
        if not isinstance(item, dict):
            report.add(
                line,
                "chaque partenaire doit avoir des clés (id, nom, type…)",
                "commence-le par « - id: … »",
            )
            continue
        values, ok = PartnerSchema.read(item, context, (index,))
        if not ok:
            continue
        if values["id"] in partners:
            report.add(
                line,
                f"l'identifiant « {values['id']} » est déjà utilisé",
                "donne un identifiant différent à chaque partenaire",
            )
            continue
        partners[values["id"]] = Partner(
            id=values["id"],
            name=values["nom"],
            kind=values["type"],
            communes=tuple(values["communes"]),
            website=values["site"],
            logo=values["logo"],
            line=line,
        )
    return partners
