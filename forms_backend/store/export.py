"""CSV export for the counsellor's spreadsheet: UTF-8 with BOM, no formula can run."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from forms_backend.store.private import private_file
from forms_backend.validator.phones import display_french_phone

HEADERS = {
    "id": "Référence",
    "created_at": "Reçu le (UTC)",
    "form": "Formulaire",
    "event_id": "Événement",
    "status": "Statut",
    "first_name": "Prénom",
    "phone": "Téléphone",
    "email": "E-mail",
    "commune": "Commune",
    "age": "Âge",
    "channel": "Contact préféré",
    "source": "Source",
    "referrer_name": "Orienté par",
    "referrer_structure": "Structure",
    "referrer_contact": "Contact du partenaire",
}
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """A cell that a spreadsheet will show as text, never run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


def export_csv(rows: list[dict[str, Any]], path: Path) -> int:
    """Write ``rows`` to ``path``; returns how many."""
    # Personal data: readable by the one who exported it only, even in a shared folder.
    private_file(path)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS.values())
        for row in rows:
            shown = dict(row, phone=display_french_phone(row["phone"]) if row.get("phone") else "")
            writer.writerow(neutralise(shown.get(column)) for column in HEADERS)
    return len(rows)
