"""The small-count rule: nobody can be recognised from the report.

Every count the report publishes — table cells, CSV files, chart labels and titles, key figures,
the cumulative series, the projection — is read from one :class:`Publication`, which decides
what each count shows: the number, « < 5 » or « masqué ». The HTML, CSV and chart writers only
ever see :class:`Cell` objects, never a raw count.

The rules, applied to every count:

- a count under 5 shows « < 5 » (zero too: a zero beside « < 5 » cells would narrow them down);
- the publication knows every sum anyone can make from what is published (a total and its rows,
  a territory and its communes, the young people of a channel and those of them signed up, two
  tables counting the same young people…). Whenever such a relation lets someone work out the
  hidden cells — a single hidden cell, or hidden cells (or an unpublished difference) adding up
  to 1 to 4 — the smallest cell still shown in it is hidden too, as « masqué », and so on until
  no relation gives anything away (what statistical offices call secondary suppression).

So the difference between two published figures that can be compared is never 1 to 4. A rate
(the show-up rate) is shown only when both counts it is made of are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
SMALL = "< 5"
HIDDEN = "masqué"


@dataclass(frozen=True)
class Cell:
    """A count as the report publishes it: ``text`` for the page and the CSV files, ``value``
    the published number (None when the count is hidden), ``key`` what it counts. A ``rate``
    cell is a percentage computed from two counts, not a count of young people."""

    key: str
    text: str
    value: int | None
    rate: bool = False

    @property
    def exact(self) -> bool:
        """True when the cell shows the real number (charts draw a bar only for those)."""
        return self.value is not None


@dataclass(frozen=True)
class _Relation:
    """What anyone knows: the counts on the left add up to those on the right."""

    left: tuple[str, ...]
    right: tuple[str, ...]


class Publication:
    """The counts of one report and the relations between them; the only way to read a count."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._unpublished: set[str] = set()
        self._relations: list[_Relation] = []
        self._derived: dict[str, str] = {}  # a key shown only when its source key is exact
        self._rates: dict[str, tuple[str, str]] = {}  # a percentage: its part and whole keys
        self._cells: dict[str, Cell] | None = None

    def count(self, key: str, value: int) -> str:
        """Add a count the report shows; returns its key."""
        if key in self._counts:
            raise ValueError(f"count {key} given twice")
        self._check_open()
        self._counts[key] = value
        return key

    def derived(self, key: str, value: int, source: str) -> str:
        """A figure computed from ``source`` (the projection from the total): shown as it is
        when ``source`` is, else hidden with it (else it would give ``source`` back)."""
        self._check_open()
        self._derived[key] = source
        self._counts[key] = value
        return key

    def rate(self, key: str, part: str, whole: str) -> str:
        """The percentage ``part`` is of ``whole`` (the show-up rate): shown only when both
        counts are, else hidden (a rate beside one shown count would give the other back)."""
        self._check_open()
        if key in self._rates or key in self._counts:
            raise ValueError(f"rate {key} given twice")
        self._rates[key] = (part, whole)
        return key

    def equal(self, left: Sequence[str], right: Sequence[str]) -> None:
        """The counts of ``left`` add up to those of ``right``, and anyone can know it."""
        self._check_open()
        difference = sum(self._counts[k] for k in left) - sum(self._counts[k] for k in right)
        if difference:  # does not hold exactly here: only an unpublished count balances it
            extra = self._secret(difference if difference > 0 else -difference)
            left, right = (left, [*right, extra]) if difference > 0 else ([*left, extra], right)
        self._relations.append(_Relation(tuple(left), tuple(right)))

    def within(self, parts: Sequence[str], whole: Sequence[str]) -> None:
        """The young people of ``parts`` are among those of ``whole``: the difference, never
        published, counts young people too."""
        self._check_open()
        difference = sum(self._counts[k] for k in whole) - sum(self._counts[k] for k in parts)
        if difference < 0:
            return  # not a subset in these data: no one can draw anything from it
        self._relations.append(_Relation(tuple(whole), (*parts, self._secret(difference))))

    def cell(self, key: str) -> Cell:
        """What the report shows for the count ``key``."""
        if self._cells is None:
            self._cells = self._decide()
        return self._cells[key]

    def _secret(self, value: int) -> str:
        key = f"#{len(self._unpublished)}"
        self._counts[key] = value
        self._unpublished.add(key)
        return key

    def _check_open(self) -> None:
        if self._cells is not None:
            raise RuntimeError("the publication is already decided")

    def _decide(self) -> dict[str, Cell]:
        published = [k for k in self._counts if k not in self._unpublished]
        small = {k for k in published if k not in self._derived and self._counts[k] < THRESHOLD}
        masked: set[str] = set()
        while (victim := self._next_victim(small | masked | self._unpublished)) is not None:
            masked.add(victim)
        hidden = small | masked
        cells = {}
        for key in published:
            value = self._counts[key]
            if key in self._derived and self._derived[key] in hidden:
                cells[key] = Cell(key, HIDDEN, None)
            elif key in small:
                cells[key] = Cell(key, SMALL, None)
            elif key in masked:
                cells[key] = Cell(key, HIDDEN, None)
            else:
                cells[key] = Cell(key, str(value), value)
        for key, (part, whole) in self._rates.items():
            if cells[part].exact and cells[whole].exact and self._counts[whole]:
                percent = round(100 * self._counts[part] / self._counts[whole])
                cells[key] = Cell(key, f"{percent}\u00a0%", percent, rate=True)
            else:
                cells[key] = Cell(key, HIDDEN, None, rate=True)
        return cells

    def _next_victim(self, hidden: set[str]) -> str | None:
        """A shown cell to hide because a relation, or the sum or difference of two relations
        sharing a hidden cell, lets someone work out hidden counts; None when nothing leaks."""
        terms = [_terms(relation) for relation in self._relations]
        sharing: dict[str, list[int]] = {}
        for index, relation_terms in enumerate(terms):
            for key in relation_terms:
                if key in hidden:
                    sharing.setdefault(key, []).append(index)
        for index, relation_terms in enumerate(terms):
            combinations = [relation_terms]
            others = {j for key in relation_terms for j in sharing.get(key, ()) if j > index}
            for other in sorted(others):
                combinations.append(_add(relation_terms, terms[other], 1))
                combinations.append(_add(relation_terms, terms[other], -1))
            for combination in combinations:
                unknown = {k: c for k, c in combination.items() if k in hidden}
                if not self._gives_away(unknown):
                    continue
                shown = [k for k in combination if k not in hidden]
                if shown:
                    return min(shown, key=lambda k: (self._counts[k], k))
        return None

    def _gives_away(self, unknown: dict[str, int]) -> bool:
        """True when these hidden counts, with these signs, add up to a known number that
        gives someone away: a single hidden cell, or a group of 1 to 4 young people."""
        if not unknown or len({coefficient > 0 for coefficient in unknown.values()}) > 1:
            return False  # nothing hidden, or unknowns on both sides: no sum can be worked out
        worked_out = sum(abs(c) * self._counts[k] for k, c in unknown.items())
        alone = len(unknown) == 1 and next(iter(unknown)) not in self._unpublished
        return alone or 0 < worked_out < THRESHOLD


def _terms(relation: _Relation) -> dict[str, int]:
    """The relation as ``sum(coefficient × count) = 0``."""
    terms: dict[str, int] = {}
    for key in relation.left:
        terms[key] = terms.get(key, 0) + 1
    for key in relation.right:
        terms[key] = terms.get(key, 0) - 1
    return {key: coefficient for key, coefficient in terms.items() if coefficient}


def _add(first: dict[str, int], second: dict[str, int], sign: int) -> dict[str, int]:
    terms = dict(first)
    for key, coefficient in second.items():
        terms[key] = terms.get(key, 0) + sign * coefficient
    return {key: coefficient for key, coefficient in terms.items() if coefficient}


def shown_partition(counts: list[int]) -> list[str]:
    """The cells of a breakdown of a shown total, with secondary suppression when needed."""
    publication = Publication()
    total = publication.count("total", sum(counts))
    keys = [publication.count(str(index), count) for index, count in enumerate(counts)]
    publication.equal([total], keys)
    return [publication.cell(key).text for key in keys]
