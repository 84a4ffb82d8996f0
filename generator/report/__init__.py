"""The programme's report: figures counted from the form backend, published through one
masking step (:mod:`.publication`), shown as charts and tables."""

from __future__ import annotations

from pathlib import Path

from forms_backend.html_typography import typeset_html

from .document import report_html
from .figures import Figures, count_figures
from .publication import publish
from .tables import report_tables

__all__ = ["Figures", "count_figures", "write_report"]


def write_report(figures: Figures, folder: Path, organisation: str) -> list[Path]:
    """``rapport.html`` and one CSV per table in ``folder``; returns the files written. The
    writers only see what :func:`publish` lets out."""
    folder.mkdir(parents=True, exist_ok=True)
    shown = publish(figures)
    tables = report_tables(shown)
    page = folder / "rapport.html"
    # The non-breaking spaces of every other page of the kit (« : », « », « 5 jeunes »).
    page.write_text(typeset_html(report_html(shown, tables, organisation)), encoding="utf-8")
    return [page, *(table.write_csv(folder) for table in tables)]
