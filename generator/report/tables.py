"""The report's tables, from the published cells only: the HTML report and the CSV files are
written from these same cells, so they cannot disagree, and neither can show a raw count."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from forms_backend.store.export import neutralise

from ..slugs import normalise
from .charts import Bar
from .masking import Cell
from .publication import Shown, ShownEvent

Row = tuple[str | Cell, ...]


def text(cell: str | Cell) -> str:
    """What a cell of a table shows."""
    return cell.text if isinstance(cell, Cell) else cell


@dataclass(frozen=True)
class Table:
    """A table of the report: its CSV name, caption, headers and rows (labels and cells).

    ``bars``: the column drawn as a bar chart (an index), if any."""

    name: str
    caption: str
    headers: tuple[str, ...]
    rows: list[Row]
    bars: int | None = None

    def chart_bars(self) -> list[Bar]:
        """The rows as bars: label (first column) and the published cell of the bars column."""
        assert self.bars is not None
        bars = []
        for row in self.rows:
            cell = row[self.bars]
            assert isinstance(cell, Cell)
            bars.append(Bar(text(row[0]), cell))
        return bars

    def write_csv(self, folder: Path) -> Path:
        """``NAME.csv``: UTF-8 with BOM and semicolons, as French spreadsheets open it."""
        path = folder / f"{self.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(self.headers)
            writer.writerows([neutralise(text(cell)) for cell in row] for row in self.rows)
        return path


def _yes(flag: bool) -> str:
    return "oui" if flag else ""


def _largest_first(rows: list[Row], columns: tuple[int, ...]) -> list[Row]:
    """Rows by the numbers they show, largest first, then by name. Hidden cells weigh nothing:
    ordering by the real counts would tell which « < 5 » is bigger than another."""

    def weight(row: Row) -> int:
        return sum(cell.value or 0 for column in columns if isinstance(cell := row[column], Cell))

    return sorted(rows, key=lambda row: (-weight(row), normalise(text(row[0]))))


def report_tables(shown: Shown) -> list[Table]:
    """Every table of the report, in the order it shows them."""
    partner_rows: list[Row] = [
        (label, flyers, referrals, signed) for label, flyers, referrals, signed in shown.partners
    ]
    commune_rows: list[Row] = [
        (row.commune, row.territory, _yes(row.priority), _yes(row.rural), row.people)
        for row in shown.communes
    ]
    return [
        Table(
            "semaines",
            "Nouveaux jeunes atteints, période par période, depuis le début du programme",
            ("Période", "Nouveaux jeunes", "Depuis le début"),
            [
                (_span(period.first, period.last), period.new, period.cumulative)
                for period in shown.periods
            ],
        ),
        Table(
            "canaux",
            "Par quel moyen les jeunes sont venus",
            ("Moyen", "Jeunes atteints", "Dont inscrits à un événement"),
            [(label, people, signed) for label, people, signed in shown.channels],
            bars=1,
        ),
        Table(
            "partenaires",
            "Ce que chaque partenaire a apporté",
            (
                "Partenaire",
                "Par ses flyers et affiches",
                "Par ses orientations",
                "Dont inscrits à un événement",
            ),
            # The structures not recognised, last.
            _largest_first(partner_rows[:-1], (1, 2)) + partner_rows[-1:],
        ),
        Table(
            "territoires",
            "Par communauté de communes",
            ("Communauté de communes", "Jeunes atteints"),
            list(shown.territories),
            bars=1,
        ),
        Table(
            "priorites",
            "Les jeunes que le programme cherche d'abord",
            ("Lieu de vie", "Jeunes atteints"),
            [
                ("Commune avec un quartier prioritaire", shown.priority),
                ("Commune rurale", shown.rural),
            ],
        ),
        Table(
            "communes",
            "Par commune",
            (
                "Commune",
                "Communauté de communes",
                "Quartier prioritaire",
                "Rurale",
                "Jeunes atteints",
            ),
            _largest_first(commune_rows[:-1], (4,)) + commune_rows[-1:],
        ),
        Table(
            "evenements",
            "Par événement",
            (
                "Date",
                "Événement",
                "Places",
                "Inscrits",
                "Liste d'attente",
                "Jeunes atteints grâce à lui",
                "Inscrits venus",
                "Venus sans place réservée",
                "Taux de présence des inscrits",
            ),
            [
                (
                    f"{row.day:%d/%m/%Y}",
                    row.title,
                    _places(row.registration, row.places),
                    row.signed_up if row.registration else "",
                    row.waiting if row.registration else "",
                    row.reached if row.past else _not_counted(row, shown.last_day),
                    *_presence(row, shown.last_day),
                )
                for row in shown.events
            ],
        ),
        *_attendance_table(shown),
        Table("ages", "Par âge", ("Âge", "Jeunes atteints"), list(shown.ages), bars=1),
        Table(
            "contact",
            "Moyen de contact préféré",
            ("Moyen de contact", "Jeunes atteints"),
            list(shown.contact_channels),
            bars=1,
        ),
    ]


def _span(first: date, last: date) -> str:
    if first == last:
        return f"le {first:%d/%m/%Y}"
    return f"du {first:%d/%m/%Y} au {last:%d/%m/%Y}"


def _places(registration: bool, places: int | None) -> str:
    if not registration:
        return "entrée libre"
    return "sans limite" if places is None else str(places)


def _not_counted(row: ShownEvent, last_day: date) -> str:
    """What an event's figure says before the report counts it: « à venir » for an event still
    to come, « après le … » for one held after the report's last day (its end of period)."""
    return f"après le {last_day:%d/%m/%Y}" if row.since_end else "à venir"


def _presence(row: ShownEvent, last_day: date) -> tuple[str | Cell, str | Cell, str | Cell]:
    """Came, came without a place, show-up rate: « à venir » before the day (« après le … »
    when held after the report's end), empty where the event took no sign-up."""
    if not row.held:
        return (_not_counted(row, last_day),) * 3
    return (row.came or "", row.walked_in or "", row.rate or "")


def _attendance_table(shown: Shown) -> list[Table]:
    """The events held, all together (none when no event was held in the period)."""
    totals = shown.attendance
    if totals is None:
        return []
    return [
        Table(
            "presence",
            "Présence aux événements déjà passés, en tout",
            ("Qui", "Nombre"),
            [
                ("Inscrits", totals.signed_up),
                ("Inscrits venus", totals.came),
                (
                    "Venus sans place réservée (sans inscription ou sur liste d'attente)",
                    totals.walked_in,
                ),
                ("Taux de présence des inscrits", totals.rate),
            ],
        )
    ]
