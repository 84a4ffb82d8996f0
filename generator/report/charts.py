"""Charts as inline SVG, drawn here: no script, no library from elsewhere, sharp when printed.

Each chart is an image with a title and a description for screen readers; the table printed
under it holds the same numbers (RGAA 1.8: a complex image has a text alternative nearby).
Colours contrast at least 3:1 with the white page (WCAG 1.4.11), text at least 4.5:1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from .masking import SMALL, THRESHOLD, Cell
from .publication import ShownPeriod

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
    """One row of a bar chart: its label and the published cell."""

    label: str
    cell: Cell


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


def _tick_step(top: int) -> int:
    """Between the axis' values: a round multiple of 5, like every published count, that
    divides ``top`` (itself a multiple of 5) into at most 6 steps."""
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top % step == 0 and top // step <= 6:
            return step
    return top


def _month_label(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _count(x: float, y: float, cell: Cell, attributes: str) -> str:
    """A published count written in a chart, marked as one (``data-count``: what it counts)."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" data-count="{cell.key}" {attributes}>'
        f"{escape(cell.text)}</text>"
    )


def _tick(x: float, y: float, value: int) -> str:
    """A value of an axis (``data-axis``: a scale, not a count of young people)."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" data-axis="" text-anchor="end" font-size="12" '
        f'fill="{INK}">{value}</text>'
    )


def progress_chart(
    periods: list[ShownPeriod],
    *,
    start: date,
    end: date,
    target: int,
    last_day: date,
    reached: Cell,
    projection: Cell | None,
) -> str:
    """Young people reached since the start, against the straight line to the target, with the
    trend to the end when the pace is known. Only published cumulative figures are drawn."""
    height, left, right, top, bottom = 320, 52, 24, 20, 44
    pace = projection if projection is not None and projection.exact else None
    y_top = _nice_top(
        max(target, reached.value or 0, pace.value if pace and pace.value else 0) * 1.05
    )
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        return left + (WIDTH - left - right) * min(max((day - start).days, 0), span) / span

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / y_top)

    description = (
        f"Depuis le {start:%d/%m/%Y}, {reached.text} jeunes atteints au {last_day:%d/%m/%Y}, "
        f"pour un objectif de {target} au {end:%d/%m/%Y}."
        + (f" À ce rythme, environ {pace.text} à la fin." if pace else "")
    )
    parts = _open("progression", height, "Jeunes atteints depuis le début", description)
    step = _tick_step(y_top)
    for value in range(0, y_top + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{GRID}"/>' + _tick(left - 8, y(value) + 4, value)
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
        (x(period.last), y(period.cumulative.value))
        for period in periods
        if period.cumulative.value is not None
    ]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="3"/>')
    level = reached.value or 0
    if pace and reached.exact and last_day < end:
        parts.append(
            f'<line x1="{x(last_day):.1f}" y1="{y(level):.1f}" x2="{x(end):.1f}" '
            f'y2="{y(pace.value or 0):.1f}" stroke="{ORANGE}" stroke-width="2" '
            f'stroke-dasharray="3 4"/><text x="{x(end) - 4:.1f}" y="{y(pace.value or 0) + 18:.1f}" '
            f'text-anchor="end" font-size="13" fill="{ORANGE}">À ce rythme : '
            f'<tspan data-count="{pace.key}">{escape(pace.text)}</tspan></text>'
        )
    parts.append(
        _count(
            x(last_day) + 6,
            y(level) - 8,
            reached,
            f'font-size="13" font-weight="bold" fill="{BLUE}"',
        )
        + "</svg>"
    )
    return "\n".join(parts)


def periods_chart(periods: list[ShownPeriod], start: date, last_day: date) -> str:
    """New young people reached, period by period: each bar as wide as its period."""
    height, left, right, top, bottom = 180, 52, 24, 16, 36
    y_top = _nice_top(max((p.new.value or 0 for p in periods), default=0) or 1)
    span = max((last_day - start).days + 1, 1)

    def x(day: date) -> float:
        return left + (WIDTH - left - right) * (day - start).days / span

    exact = [period for period in periods if period.new.exact]
    busiest = max(exact, key=lambda period: period.new.value or 0, default=None)
    description = (
        f"La plus forte : {busiest.new.text} jeunes, "
        f"du {busiest.first:%d/%m/%Y} au {busiest.last:%d/%m/%Y}."
        if busiest
        else f"Moins de {THRESHOLD} jeunes en tout : rien n'est dessiné."
    )
    parts = _open("semaines", height, "Nouveaux jeunes atteints, période par période", description)
    for value in (0, y_top):
        level = top + (height - top - bottom) * (1 - value / y_top)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{level:.1f}" y2="{level:.1f}" '
            f'stroke="{GRID}"/>' + _tick(left - 8, level + 4, value)
        )
    for period in periods:
        first, after = x(period.first), x(period.last + timedelta(days=1))
        if period.new.value is not None:
            bar = (height - top - bottom) * period.new.value / y_top
            parts.append(
                f'<rect x="{first + 1:.1f}" y="{height - bottom - bar:.1f}" '
                f'width="{max(after - first - 2, 1):.1f}" height="{bar:.1f}" fill="{BLUE}"/>'
            )
        else:
            bar = 0.0
        if after - first >= 18:  # room for the number above the bar
            parts.append(
                _count(
                    (first + after) / 2,
                    height - bottom - bar - 4,
                    period.new,
                    f'text-anchor="middle" font-size="12" fill="{INK}"',
                )
            )
    month = date(start.year, start.month, 1)
    months = (last_day.year - start.year) * 12 + last_day.month - start.month
    while month <= last_day:
        # Not too near the right edge: the label would be cut.
        room = x(month) <= WIDTH - right - 50
        if month >= start and room and (months <= 7 or month.month % 3 == 1):
            parts.append(
                f'<text x="{x(month):.1f}" y="{height - bottom + 20}" font-size="12" '
                f'fill="{INK}">{_month_label(month)}</text>'
            )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(chart_id: str, title: str, bars: list[Bar]) -> str:
    """Horizontal bars, the label above each. Hidden counts get no length of their own: « < 5 »
    is drawn hatched to the length of 5 (what it may be at most), « masqué » not at all."""
    row, left, right, top = 44, 8, 70, 8
    height = top + row * len(bars) + 8
    largest = max([bar.cell.value or 0 for bar in bars] + [THRESHOLD])
    scale = (WIDTH - left - right) / largest
    shown_bars = "; ".join(f"{bar.label} : {bar.cell.text}" for bar in bars)
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
        if bar.cell.value is not None:
            length = bar.cell.value * scale
            parts.append(
                f'<rect x="{left}" y="{y + 20}" width="{length:.1f}" height="16" fill="{BLUE}"/>'
            )
        elif bar.cell.text == SMALL:
            length = THRESHOLD * scale
            parts.append(
                f'<rect x="{left}" y="{y + 20}" width="{length:.1f}" height="16" '
                f'fill="url(#{chart_id}-h)" stroke="{BLUE}"/>'
            )
        else:
            length = 0.0
        parts.append(
            _count(
                left + length + 6,
                y + 33,
                bar.cell,
                f'font-size="13" font-weight="bold" fill="{INK}"',
            )
        )
    parts.append("</svg>")
    return "\n".join(parts)
