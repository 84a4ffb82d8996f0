"""Each figure of BENCHMARKS.md beside its target: a figure that misses says « cible manquée ».

Every bench script writes its figures through ``checked``, so that a missed target is printed
where the figure is, by the script itself, and never left for the reader to work out from the
« Cibles » line. The figure is compared as it is printed (rounded): 1.30 against « ≤ 1,3 » meets
the target, 1.32 misses it.
"""

from __future__ import annotations

from dataclasses import dataclass

MISSED = "cible manquée"


@dataclass(frozen=True)
class Target:
    """A figure must be at most (or at least) ``limit``; ``label`` says it in French."""

    limit: float
    at_most: bool
    label: str

    def met_by(self, figure: float) -> bool:
        """Whether ``figure`` meets this target."""
        return figure <= self.limit if self.at_most else figure >= self.limit


def at_most(limit: float, label: str) -> Target:
    """A figure that must not exceed ``limit`` (a time, a size, a ratio to a reference)."""
    return Target(limit, True, label)


def at_least(limit: float, label: str) -> Target:
    """A figure that must reach ``limit`` (a speed, a score)."""
    return Target(limit, False, label)


def checked(value: float, target: Target, spec: str = ".0f", unit: str = "") -> str:
    """``value`` written with ``spec`` and ``unit``, then « (cible manquée : …) » if it misses."""
    shown = format(value, spec)
    text = f"{shown}{unit}"
    if target.met_by(float(shown)):
        return text
    return f"{text} ({MISSED} : {target.label})"
