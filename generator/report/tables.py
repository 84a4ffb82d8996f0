"""The report's tables, with the small-count rule applied: the HTML report and the CSV files
are written from these same cells, so they cannot disagree."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from forms_backend.store.export import neutralise

from ..slugs import normalise
from .charts import Bar
from .figures import Figures
from .masking import shown, shown_partition


@dataclass(frozen=True)
class Table:
    """A table of the report: its CSV name, caption, headers and rows of shown cells.

    ``bars``: the column drawn as a bar chart (an index), if any."""

    name: str
    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    bars: int | None = None
    counts: list[int] = field(default_factory=list)  # the real counts behind the bars column

    def chart_bars(self) -> list[Bar]:
        """The rows as bars: label (first column), shown cell and count of the bars column."""
        assert self.bars is not None
        return [
            Bar(row[0], row[self.bars], count)
            for row, count in zip(self.rows, self.counts, strict=True)
        ]

    def write_csv(self, folder: Path) -> Path:
        """``NAME.csv``: UTF-8 with BOM and semicolons, as French spreadsheets open it."""
        path = folder / f"{self.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(self.headers)
            writer.writerows([neutralise(cell) for cell in row] for row in self.rows)
        return path


def _yes(flag: bool) -> str:
    return "oui" if flag else ""


def _largest_first(rows: list[tuple[str, ...]], columns: tuple[int, ...]) -> list[tuple[str, ...]]:
    """Rows by the numbers they show, largest first, then by name. Hidden cells weigh nothing:
    ordering by the real counts would tell which « < 5 » is bigger than another."""

    def weight(row: tuple[str, ...]) -> int:
        return sum(int(row[column]) for column in columns if row[column].isdigit())

    return sorted(rows, key=lambda row: (-weight(row), normalise(row[0])))


def report_tables(figures: Figures) -> list[Table]:
    """Every table of the report, in the order it shows them."""
    channels = figures.channels
    channel_cells = shown_partition([row.people for row in channels])
    territories = figures.territories
    territory_cells = shown_partition([count for _, count in territories])
    communes = figures.communes
    commune_cells = shown_partition([row.people for row in communes])
    ages = shown_partition([count for _, count in figures.ages])
    contact = shown_partition([count for _, count in figures.contact_channels])
    return [
        Table(
            "semaines",
            "Nouveaux jeunes atteints chaque semaine, depuis le début du programme",
            ("Semaine du", "Nouveaux jeunes", "Depuis le début"),
            [
                (f"{week.monday:%d/%m/%Y}", str(week.new), str(week.cumulative))
                for week in figures.weeks
            ],
        ),
        Table(
            "canaux",
            "Par quel moyen les jeunes sont venus",
            ("Moyen", "Jeunes atteints", "Dont inscrits à un événement"),
            [
                (row.label, cell, shown(row.to_event))
                for row, cell in zip(channels, channel_cells, strict=True)
            ],
            bars=1,
            counts=[row.people for row in channels],
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
            _largest_first(
                [
                    (row.label, shown(row.flyers), shown(row.referrals), shown(row.to_event))
                    for row in figures.partners[:-1]
                ],
                (1, 2),
            )
            + [
                (row.label, shown(row.flyers), shown(row.referrals), shown(row.to_event))
                for row in figures.partners[-1:]  # the structures not recognised, last
            ],
        ),
        Table(
            "territoires",
            "Par communauté de communes",
            ("Communauté de communes", "Jeunes atteints"),
            [(name, cell) for (name, _), cell in zip(territories, territory_cells, strict=True)],
            bars=1,
            counts=[count for _, count in territories],
        ),
        Table(
            "priorites",
            "Les jeunes que le programme cherche d'abord",
            ("Lieu de vie", "Jeunes atteints"),
            [
                ("Commune avec un quartier prioritaire", shown(figures.priority_people)),
                ("Commune rurale", shown(figures.rural_people)),
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
            _largest_first(
                [
                    (row.commune, row.territory, _yes(row.priority), _yes(row.rural), cell)
                    for row, cell in zip(communes[:-1], commune_cells[:-1], strict=True)
                ],
                (4,),
            )
            + [
                (row.commune, row.territory, _yes(row.priority), _yes(row.rural), cell)
                for row, cell in zip(communes[-1:], commune_cells[-1:], strict=True)
            ],
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
            ),
            [
                (
                    f"{row.day:%d/%m/%Y}",
                    row.title,
                    _places(row.registration, row.places),
                    shown(row.signed_up) if row.registration else "",
                    shown(row.waiting) if row.registration else "",
                    shown(row.reached) if row.past else "à venir",
                )
                for row in figures.events
            ],
        ),
        Table(
            "ages",
            "Par âge",
            ("Âge", "Jeunes atteints"),
            [(label, cell) for (label, _), cell in zip(figures.ages, ages, strict=True)],
            bars=1,
            counts=[count for _, count in figures.ages],
        ),
        Table(
            "contact",
            "Moyen de contact préféré",
            ("Moyen de contact", "Jeunes atteints"),
            [
                (label, cell)
                for (label, _), cell in zip(figures.contact_channels, contact, strict=True)
            ],
            bars=1,
            counts=[count for _, count in figures.contact_channels],
        ),
    ]


def _places(registration: bool, places: int | None) -> str:
    if not registration:
        return "entrée libre"
    return "sans limite" if places is None else str(places)
