"""The small-count rule: nobody can be recognised from the report.

Every count the report publishes — table cells, CSV files, chart labels and titles, key figures,
the cumulative series, the projection — is read from one :class:`Publication`, which decides
what each count shows: the number, « < 5 » or « masqué ». The HTML, CSV and chart writers only
ever see :class:`Cell` objects, never a raw count.

The rules, applied to every count:

- a count under 5 shows « < 5 » (zero too: a zero beside « < 5 » cells would narrow them down);
- the publication knows every sum anyone can make from what is published (a total and its rows,
  a territory and its communes, the young people of a channel and those of them signed up, two
  tables counting the same young people…). Whenever such a relation lets a reader of the
  published cells work out the hidden ones — a single hidden cell, or hidden cells (or an
  unpublished difference) that the rounded figures show add up to 1 to 4, or a « < 5 » they
  show is not empty — the smallest cell still shown in it is hidden too, as « masqué », and so
  on until no relation gives anything away (what statistical offices call secondary
  suppression). This is decided from what the report shows only, never from the true hidden
  counts: a cell masked only when the « < 5 » beside it truly hold someone would tell the
  reader that they do.

Then every count still shown is **rounded to the nearest multiple of 5** (7 shows 5, 8 shows
10), each on its own: a total is rounded from its true value, not added up from its rounded rows,
so it may differ from their sum. This is the practice of the UK's Office for National Statistics
for small-area and administrative tables (rounding to base 5, « < 5 » for the smallest counts),
also used by Eurostat and INSEE for their confidential series: every published number is then a
multiple of 5, so no difference between two of them — in one report, or between two reports made
days apart — can be 1 to 4, and a reader who knows how rounding works only learns intervals.

Zero shows « < 5 » too: were it shown as 0, a row going from 0 to « < 5 » between two reports
would tell that someone new came from there.

A rate (the show-up rate) is computed from the true counts, then rounded to the nearest 10 %;
it is shown only when both counts it is made of are, and when its denominator is at least
:data:`RATE_MINIMUM` (one person then moves it by 5 points at most, half a step of 10 %).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
BASE = 5  # every published count is a multiple of BASE
RATE_STEP = 10  # percentages are rounded to the nearest RATE_STEP points
RATE_MINIMUM = 20  # no percentage of fewer young people than this
SMALL = "< 5"
HIDDEN = "masqué"
UNBOUNDED = 10**9  # no upper bound known to a reader


def rounded(value: int, base: int = BASE) -> int:
    """``value`` to the nearest multiple of ``base``, halves up (integers: 7 → 5, 8 → 10)."""
    return (value + base // 2) // base * base


def shown_count(key: str, value: int) -> Cell:
    """A count with no relation to hide: « < 5 » under 5 (zero too), else rounded to 5."""
    if value < THRESHOLD:
        return Cell(key, SMALL, None)
    published = rounded(value)
    return Cell(key, str(published), published)


def shown_rate(key: str, part: int, whole: int) -> Cell:
    """``part`` of ``whole`` in percent, from the true counts, rounded to 10 points; hidden
    when ``whole`` is under :data:`RATE_MINIMUM`."""
    if whole < RATE_MINIMUM:
        return Cell(key, HIDDEN, None, rate=True)
    percent = rounded(round(100 * part / whole), RATE_STEP)
    return Cell(key, f"{percent}\u00a0%", percent, rate=True)


@dataclass(frozen=True)
class Cell:
    """A count as the report publishes it: ``text`` for the page and the CSV files, ``value``
    the published (rounded) number, None when the count is hidden; ``key`` what it counts. A ``rate``
    cell is a percentage computed from two counts, not a count of young people."""

    key: str
    text: str
    value: int | None
    rate: bool = False

    @property
    def exact(self) -> bool:
        """True when the cell shows a number (rounded; charts draw a bar only for those)."""
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
        while (victim := self._next_victim(small, masked)) is not None:
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
                cells[key] = shown_count(key, value)
        for key, (part, whole) in self._rates.items():
            if cells[part].exact and cells[whole].exact:
                cells[key] = shown_rate(key, self._counts[part], self._counts[whole])
            else:
                cells[key] = Cell(key, HIDDEN, None, rate=True)
        return cells

    def _next_victim(self, small: set[str], masked: set[str]) -> str | None:
        """A shown cell to hide because a relation, or the sum or difference of two relations
        sharing a hidden cell, lets someone work out hidden counts; None when nothing leaks.

        Decided from what the report shows only (which cells are « < 5 » or « masqué », the
        rounded numbers), never from the true hidden counts: a cell hidden only when the
        « < 5 » beside it hold someone would tell the reader that they do."""
        hidden = small | masked | self._unpublished
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
                if not self._gives_away(combination, small, masked):
                    continue
                shown = [k for k in combination if k not in hidden]
                if shown:
                    return min(shown, key=lambda k: (rounded(self._counts[k]), k))
        return None

    def _interval(self, key: str, small: set[str], masked: set[str]) -> tuple[int, int]:
        """What a reader who knows these rules learns of a count from what the report shows."""
        if key in self._unpublished:
            return 0, UNBOUNDED
        if key in small:
            return 0, THRESHOLD - 1
        if key in masked:
            return THRESHOLD, UNBOUNDED  # only a shown count is ever masked
        published = rounded(self._counts[key])
        return max(published - BASE // 2, THRESHOLD), published + BASE // 2

    def _gives_away(self, terms: dict[str, int], small: set[str], masked: set[str]) -> bool:
        """True when ``sum(coefficient × count) = 0`` lets a reader of the published cells
        work out a single hidden cell, or hidden counts (on one side) adding up to 1 to 4."""
        hidden = small | masked | self._unpublished
        unknown = {k: c for k, c in terms.items() if k in hidden}
        if not unknown or len({coefficient > 0 for coefficient in unknown.values()}) > 1:
            return False  # nothing hidden, or unknowns on both sides: no sum can be worked out
        if len(unknown) == 1 and next(iter(unknown)) not in self._unpublished:
            return True
        sign = 1 if next(iter(unknown.values())) > 0 else -1
        # The hidden side equals minus the shown side: bounds from both.
        low, high = self._bounds({k: -sign * c for k, c in terms.items() if k not in hidden})
        own_low, own_high = self._bounds({k: sign * c for k, c in unknown.items()}, small, masked)
        low, high = max(low, own_low), min(high, own_high)
        if low > 0 and high < THRESHOLD:
            return True
        # One « < 5 » shown not to be empty: the others together cannot make up the sum (13
        # shows 15, 5 shows 5: the two « < 5 » beside it hold at least 6, so 2 each at least).
        highs = {k: abs(c) * self._interval(k, small, masked)[1] for k, c in unknown.items()}
        return any(low > sum(highs.values()) - highs[k] for k in unknown if k in small)

    def _bounds(
        self, terms: dict[str, int], small: set[str] = frozenset(), masked: set[str] = frozenset()
    ) -> tuple[int, int]:
        """The smallest and largest value ``sum(coefficient × count)`` can take for a reader."""
        low = high = 0
        for key, coefficient in terms.items():
            first, last = self._interval(key, small, masked)
            low += coefficient * (first if coefficient > 0 else last)
            high += coefficient * (last if coefficient > 0 else first)
        return low, high


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
