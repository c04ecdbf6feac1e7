"""The one chart module: server-rendered SVG charts, each with its numbers in a table.

Surveys, the networking dashboard and statistics all draw through here, so a
chart looks and reads the same everywhere. Four kinds:

* ``bar_chart``: horizontal bars, one per label (choices of a question, sectors);
* ``distribution``: vertical columns over an ordered scale (1–5, 0–10, years of membership);
* ``heat_map``: a matrix of counts (rows × columns), each cell's number written in it;
* ``line_chart``: one or more series over ordered points (a trend over the years).

Every chart is readable without colour: bars carry a hatch pattern and their
number, heat-map cells their number, lines differ by dash and marker and are
labelled at their last point. Each SVG has a ``<title>`` and a ``<desc>``
(``role="img"``, ``aria-labelledby``) and comes with the same numbers as a
table (``Chart.headers`` and ``Chart.rows``); ``{% include "core/_chart.html" with
chart=… %}`` shows the figure and its table side by side.

Every text goes through ``html.escape``: labels typed by people (survey
choices, theme titles) can hold anything. The module needs no Django models and
no plotting library; ``Chart.svg`` is marked safe because it is built here from
escaped parts only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Sizes in SVG user units; the viewBox scales the drawing to the width of the page.
WIDTH = 640
LABEL_WIDTH = 220
ROW_HEIGHT = 28
BAR_HEIGHT = 18
PADDING = 12
INK = "#1f2933"
BAR_FILL = "#2f6f9f"
GRID = "#c5c9cf"
# Dash patterns and markers of successive line series (told apart without colour).
DASHES = ("", "8 4", "2 4", "12 4 2 4", "4 4")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
LINE_COLOURS = ("#2f6f9f", "#a23b12", "#3b7d23", "#6a3d9a", "#444444")


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the SVG, its title and description, and its numbers as a table."""

    kind: str
    title: str
    description: str
    svg: SafeString
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart_id: str


def _id(kind: str, title: str, chart_id: str | None) -> str:
    if chart_id:
        return "".join(c if c.isalnum() or c in "-_" else "-" for c in chart_id)
    return f"chart-{kind}-{hashlib.sha256(title.encode()).hexdigest()[:10]}"


def _number(value: float) -> str:
    """12 → "12", 3.5 → "3.5", 2.25 → "2.3" (a chart shows one decimal at most)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _truncate(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open_svg(chart_id: str, title: str, description: str, height: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" font-size="13" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{BAR_FILL}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" '
        'stroke-width="2"/></pattern></defs>',
    ]


def _chart(
    *, kind: str, title: str, description: str, parts: list[str], headers: Sequence[str], rows: Sequence[Sequence[str]]
) -> Chart:
    parts.append("</svg>")
    return Chart(
        kind=kind,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308  every text in ``parts`` went through escape()
        headers=tuple(headers),
        rows=tuple(tuple(row) for row in rows),
        chart_id=parts[1].split('"')[1].removesuffix("-title"),
    )


def bar_chart(
    *,
    title: str,
    description: str,
    bars: Sequence[tuple[str, float]],
    value_header: str = "",
    label_header: str = "",
    chart_id: str | None = None,
    percent_of: float | None = None,
) -> Chart:
    """Horizontal bars, one per ``(label, value)``, in the given order, each with its number.

    With ``percent_of`` (the number of people who answered, say) the number reads
    "12 (40%)" on the bar and the table has a percentage column.
    """
    cid = _id("bar", title, chart_id)
    top = max((value for _label, value in bars), default=0) or 1
    height = PADDING * 2 + ROW_HEIGHT * max(len(bars), 1)
    parts = _open_svg(cid, title, description, height)
    room = WIDTH - LABEL_WIDTH - 90
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{PADDING}" x2="{LABEL_WIDTH}" y2="{height - PADDING}" stroke="{GRID}"/>'
    )
    rows: list[tuple[str, ...]] = []
    for index, (label, value) in enumerate(bars):
        y = PADDING + index * ROW_HEIGHT
        length = room * value / top
        shown = _number(value)
        share = ""
        if percent_of:
            share = f"{100 * value / percent_of:.0f}%"
            shown = f"{shown} ({share})"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 4}" text-anchor="end">{escape(_truncate(label))}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="url(#{cid}-hatch)" stroke="{INK}" stroke-width="0.5"/>'
        )
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR_HEIGHT - 4}">{escape(shown)}</text>')
        rows.append((label, _number(value), share) if percent_of else (label, _number(value)))
    headers = [label_header, value_header] + (["%"] if percent_of else [])
    return _chart(kind="bar", title=title, description=description, parts=parts, headers=headers, rows=rows)


def distribution(
    *,
    title: str,
    description: str,
    counts: Sequence[tuple[str, float]],
    value_header: str = "",
    label_header: str = "",
    chart_id: str | None = None,
) -> Chart:
    """Vertical columns over an ordered scale (``counts`` in scale order), each with its number on top."""
    cid = _id("distribution", title, chart_id)
    height = 220
    base = height - 30
    top = max((value for _label, value in counts), default=0) or 1
    slot = (WIDTH - 2 * PADDING) / max(len(counts), 1)
    column = min(slot * 0.7, 60)
    parts = _open_svg(cid, title, description, height)
    parts.append(f'<line x1="{PADDING}" y1="{base}" x2="{WIDTH - PADDING}" y2="{base}" stroke="{INK}"/>')
    rows: list[tuple[str, ...]] = []
    for index, (label, value) in enumerate(counts):
        x = PADDING + index * slot + (slot - column) / 2
        tall = (base - 30) * value / top
        middle = x + column / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{base - tall:.1f}" width="{column:.1f}" height="{tall:.1f}" '
            f'fill="url(#{cid}-hatch)" stroke="{INK}" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{middle:.1f}" y="{base - tall - 5:.1f}" text-anchor="middle">{escape(_number(value))}</text>'
        )
        parts.append(
            f'<text x="{middle:.1f}" y="{base + 18}" text-anchor="middle">{escape(_truncate(label, 12))}</text>'
        )
        rows.append((label, _number(value)))
    return _chart(
        kind="distribution",
        title=title,
        description=description,
        parts=parts,
        headers=[label_header, value_header],
        rows=rows,
    )


def _shade(value: float, top: float) -> tuple[str, str]:
    """A fill between white (nothing) and dark blue (the largest value), and a text colour readable on it."""
    share = value / top if top else 0
    dark = (0x1C, 0x3F, 0x66)
    fill = "#" + "".join(f"{round(255 + (channel - 255) * share):02x}" for channel in dark)
    return fill, ("#ffffff" if share >= 0.5 else INK)


def heat_map(
    *,
    title: str,
    description: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    corner_header: str = "",
    chart_id: str | None = None,
) -> Chart:
    """A grid of ``values[row][column]``: darker is more, and the number is written in every cell."""
    cid = _id("heat", title, chart_id)
    columns = max(len(column_labels), 1)
    cell_width = (WIDTH - LABEL_WIDTH - PADDING) / columns
    header_height = 40
    height = header_height + ROW_HEIGHT * max(len(row_labels), 1) + PADDING
    top = max((value for row in values for value in row), default=0)
    parts = _open_svg(cid, title, description, height)
    limit = max(3, int(cell_width / 7))
    for index, label in enumerate(column_labels):
        x = LABEL_WIDTH + index * cell_width + cell_width / 2
        parts.append(
            f'<text x="{x:.1f}" y="{header_height - 10}" text-anchor="middle">{escape(_truncate(label, limit))}</text>'
        )
    rows: list[tuple[str, ...]] = []
    for r, label in enumerate(row_labels):
        y = header_height + r * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW_HEIGHT / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_truncate(label))}</text>"
        )
        row_values = list(values[r]) if r < len(values) else []
        for c in range(len(column_labels)):
            value = row_values[c] if c < len(row_values) else 0
            fill, ink = _shade(value, top)
            x = LABEL_WIDTH + c * cell_width
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell_width:.1f}" height="{ROW_HEIGHT}" '
                f'fill="{fill}" stroke="#ffffff"/>'
            )
            parts.append(
                f'<text x="{x + cell_width / 2:.1f}" y="{y + ROW_HEIGHT / 2 + 4:.1f}" text-anchor="middle" '
                f'fill="{ink}">{escape(_number(value))}</text>'
            )
        rows.append((label, *(_number(row_values[c] if c < len(row_values) else 0) for c in range(len(column_labels)))))
    return _chart(
        kind="heat",
        title=title,
        description=description,
        parts=parts,
        headers=[corner_header, *column_labels],
        rows=rows,
    )


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    if kind == "diamond":
        corners = f"{x:.1f},{y - 5:.1f} {x - 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x + 5:.1f},{y:.1f}"
        return f'<polygon points="{corners}" fill="{colour}"/>'
    if kind == "cross":
        return (
            f'<path d="M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x - 4:.1f},{y + 4:.1f} '
            f'L{x + 4:.1f},{y - 4:.1f}" stroke="{colour}" stroke-width="2"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(
    *,
    title: str,
    description: str,
    points: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    point_header: str = "",
    chart_id: str | None = None,
) -> Chart:
    """Lines over ordered ``points`` (years, say); each series is ``(name, values)`` with None for a gap.

    Series differ by dash pattern and marker, and each is named at its last value.
    """
    cid = _id("line", title, chart_id)
    height = 260
    left, right, top_y, base = 50, WIDTH - 150, 20, height - 40
    peak = max((v for _name, values in series for v in values if v is not None), default=0) or 1
    step = (right - left) / max(len(points) - 1, 1)
    parts = _open_svg(cid, title, description, height)
    parts.append(f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{INK}"/>')
    parts.append(f'<line x1="{left}" y1="{top_y}" x2="{left}" y2="{base}" stroke="{INK}"/>')
    parts.append(f'<text x="{left - 6}" y="{top_y + 4}" text-anchor="end">{escape(_number(peak))}</text>')
    parts.append(f'<text x="{left - 6}" y="{base + 4}" text-anchor="end">0</text>')
    for index, label in enumerate(points):
        x = left + index * step
        parts.append(f'<text x="{x:.1f}" y="{base + 20}" text-anchor="middle">{escape(_truncate(label, 10))}</text>')

    def y_of(value: float) -> float:
        return base - (base - top_y) * value / peak

    for number, (name, values) in enumerate(series):
        colour = LINE_COLOURS[number % len(LINE_COLOURS)]
        dash = DASHES[number % len(DASHES)]
        marker = MARKERS[number % len(MARKERS)]
        segment: list[str] = []
        last: tuple[float, float] | None = None
        for index, value in enumerate(values[: len(points)]):
            if value is None:
                if len(segment) > 1:
                    parts.append(_polyline(segment, colour, dash))
                segment = []
                continue
            x, y = left + index * step, y_of(value)
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(_marker(marker, x, y, colour))
            last = (x, y)
        if len(segment) > 1:
            parts.append(_polyline(segment, colour, dash))
        if last is not None:
            name_text = escape(_truncate(name, 20))
            parts.append(f'<text x="{last[0] + 8:.1f}" y="{last[1] + 4:.1f}" fill="{colour}">{name_text}</text>')
    rows = [
        (
            label,
            *(
                "" if index >= len(values) or values[index] is None else _number(values[index] or 0)
                for _n, values in series
            ),
        )
        for index, label in enumerate(points)
    ]
    return _chart(
        kind="line",
        title=title,
        description=description,
        parts=parts,
        headers=[point_header, *(name for name, _values in series)],
        rows=rows,
    )


def _polyline(points: list[str], colour: str, dash: str) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>'
