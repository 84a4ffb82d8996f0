"""The small-count rule: nobody can be recognised from the report.

Any count of young people under 5 is shown as « < 5 » (zero too: a zero beside « < 5 » cells
would narrow them down). In a breakdown whose total is shown (communes, ages…), a single hidden
cell could be found back by subtraction; then the next smallest cell is hidden too, as
« masqué » — what statistical offices call secondary suppression.
"""

from __future__ import annotations

THRESHOLD = 5
SMALL = "< 5"
HIDDEN = "masqué"


def shown(count: int) -> str:
    """A count as the report shows it."""
    return SMALL if count < THRESHOLD else str(count)


def shown_partition(counts: list[int]) -> list[str]:
    """The cells of a breakdown of a shown total, with secondary suppression when needed."""
    cells = [shown(count) for count in counts]
    if cells.count(SMALL) == 1:
        visible = [index for index, cell in enumerate(cells) if cell != SMALL]
        if visible:
            smallest = min(visible, key=lambda index: counts[index])
            cells[smallest] = HIDDEN
    return cells


def is_exact(cell: str) -> bool:
    """True when the cell shows the real number (charts draw a bar only for those)."""
    return cell not in (SMALL, HIDDEN)
