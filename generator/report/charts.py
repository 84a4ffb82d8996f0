"""Charts as inline SVG, drawn here: no script, no library from elsewhere, sharp when printed.

Each chart is an image with a title and a description for screen readers; the table printed
under it holds the same numbers (RGAA 1.8: a complex image has a text alternative nearby).
Colours contrast at least 3:1 with the white page (WCAG 1.4.11), text at least 4.5:1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from .figures import Week
from .masking import HIDDEN, SMALL, THRESHOLD

INK = "#1b1b1b"
BLUE = "#1d4f91"  # 8.6:1 on white
ORANGE = "#a8431a"  # 5.6:1
GREY = "#595959"  # 7:1
GRID = "#d0d0d0"  # lines only, never text
WIDTH = 720
FONT = 'font-family="Atkinson Hyperlegible, Arial, sans-serif"'
MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")  # fmt: skip


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: its label, the cell as the table shows it, and the count."""

    label: str
    cell: str
    count: int


def _open(chart_id: str, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" {FONT}>',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]


def _nice_top(value: float) -> int:
    """A round top for an axis at or above ``value``."""
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 5:
            return max(step, -(-int(value) // step) * step)
    return int(value) + 1


def _month_label(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def progress_chart(
    weeks: list[Week],
    *,
    start: date,
    end: date,
    target: int,
    last_day: date,
    projection: int | None,
) -> str:
    """Young people reached since the start, against the straight line to the target, with the
    trend to the end when the pace is known."""
    height, left, right, top, bottom = 320, 52, 24, 20, 44
    reached = weeks[-1].cumulative if weeks else 0
    y_top = _nice_top(max(target, reached, projection or 0) * 1.05)
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        return left + (WIDTH - left - right) * min(max((day - start).days, 0), span) / span

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / y_top)

    description = (
        f"Depuis le {start:%d/%m/%Y}, {reached} jeunes atteints au {last_day:%d/%m/%Y}, pour un "
        f"objectif de {target} au {end:%d/%m/%Y}."
        + (f" À ce rythme, environ {projection} à la fin." if projection is not None else "")
    )
    parts = _open("progression", height, "Jeunes atteints depuis le début", description)
    step = y_top // 5
    for value in range(0, y_top + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 8}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{INK}">{value}</text>'
        )
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start and (month.month - start.month) % 3 == 0:
            parts.append(
                f'<text x="{x(month):.1f}" y="{height - bottom + 20}" text-anchor="middle" '
                f'font-size="12" fill="{INK}">{_month_label(month)}</text>'
            )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    parts.append(
        f'<line x1="{x(start):.1f}" y1="{y(0):.1f}" x2="{x(end):.1f}" y2="{y(target):.1f}" '
        f'stroke="{GREY}" stroke-width="2" stroke-dasharray="6 5"/>'
        f'<text x="{x(end) - 4:.1f}" y="{y(target) - 8:.1f}" text-anchor="end" font-size="13" '
        f'fill="{GREY}">Objectif : {target}</text>'
    )
    points = [(x(start), y(0))] + [
        (x(min(week.monday + timedelta(days=6), last_day)), y(week.cumulative)) for week in weeks
    ]
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="3"/>')
    if projection is not None and last_day < end:
        parts.append(
            f'<line x1="{x(last_day):.1f}" y1="{y(reached):.1f}" x2="{x(end):.1f}" '
            f'y2="{y(projection):.1f}" stroke="{ORANGE}" stroke-width="2" stroke-dasharray="3 4"/>'
            f'<text x="{x(end) - 4:.1f}" y="{y(projection) + 18:.1f}" text-anchor="end" '
            f'font-size="13" fill="{ORANGE}">À ce rythme : {projection}</text>'
        )
    parts.append(
        f'<text x="{x(last_day) + 6:.1f}" y="{y(reached) - 8:.1f}" font-size="13" '
        f'font-weight="bold" fill="{BLUE}">{reached}</text></svg>'
    )
    return "\n".join(parts)


def weekly_chart(weeks: list[Week]) -> str:
    """New young people reached each week."""
    height, left, right, top, bottom = 180, 52, 24, 16, 36
    y_top = _nice_top(max((week.new for week in weeks), default=0) or 1)
    plot_width = WIDTH - left - right
    slot = plot_width / max(len(weeks), 1)
    busiest = max(weeks, key=lambda week: week.new, default=None)
    description = (
        f"{len(weeks)} semaines ; la plus forte : {busiest.new} jeunes, semaine du "
        f"{busiest.monday:%d/%m/%Y}."
        if busiest
        else "Aucune semaine."
    )
    parts = _open("semaines", height, "Nouveaux jeunes atteints chaque semaine", description)
    for value in (0, y_top):
        level = top + (height - top - bottom) * (1 - value / y_top)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{level:.1f}" y2="{level:.1f}" '
            f'stroke="{GRID}"/><text x="{left - 8}" y="{level + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{INK}">{value}</text>'
        )
    for index, week in enumerate(weeks):
        bar = (height - top - bottom) * week.new / y_top
        parts.append(
            f'<rect x="{left + index * slot + slot * 0.15:.1f}" y="{height - bottom - bar:.1f}" '
            f'width="{max(slot * 0.7, 1):.1f}" height="{bar:.1f}" fill="{BLUE}"/>'
        )
        if slot >= 18 and week.new:  # room for the number above the bar
            parts.append(
                f'<text x="{left + (index + 0.5) * slot:.1f}" y="{height - bottom - bar - 4:.1f}" '
                f'text-anchor="middle" font-size="12" fill="{INK}">{week.new}</text>'
            )
        # Each month's first week while the weeks are few, then each quarter's.
        if week.monday.day <= 7 and (len(weeks) <= 30 or week.monday.month % 3 == 1):
            parts.append(
                f'<text x="{left + index * slot:.1f}" y="{height - bottom + 20}" font-size="12" '
                f'fill="{INK}">{_month_label(week.monday)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(chart_id: str, title: str, bars: list[Bar]) -> str:
    """Horizontal bars, the label above each. Hidden counts get no length of their own: « < 5 »
    is drawn hatched to the length of 5 (what it may be at most), « masqué » not at all."""
    row, left, right, top = 44, 8, 70, 8
    height = top + row * len(bars) + 8
    largest = max([bar.count for bar in bars if bar.cell not in (SMALL, HIDDEN)] + [THRESHOLD])
    scale = (WIDTH - left - right) / largest
    shown_bars = "; ".join(f"{bar.label} : {bar.cell}" for bar in bars)
    parts = _open(chart_id, height, title, shown_bars)
    parts.append(
        f'<defs><pattern id="{chart_id}-h" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BLUE}" stroke-width="3"/></pattern></defs>'
    )
    for index, bar in enumerate(bars):
        y = top + index * row
        parts.append(
            f'<text x="{left}" y="{y + 14}" font-size="13" fill="{INK}">{escape(bar.label)}</text>'
        )
        if bar.cell == HIDDEN:
            length = 0.0
        elif bar.cell == SMALL:
            length = THRESHOLD * scale
            parts.append(
                f'<rect x="{left}" y="{y + 20}" width="{length:.1f}" height="16" '
                f'fill="url(#{chart_id}-h)" stroke="{BLUE}"/>'
            )
        else:
            length = bar.count * scale
            parts.append(
                f'<rect x="{left}" y="{y + 20}" width="{length:.1f}" height="16" fill="{BLUE}"/>'
            )
        parts.append(
            f'<text x="{left + length + 6:.1f}" y="{y + 33}" font-size="13" font-weight="bold" '
            f'fill="{INK}">{escape(bar.cell)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
