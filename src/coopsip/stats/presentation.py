"""Raw counts (``selectors``) into tables, charts and CSV lines, with the small-group rule applied.

A ``Table`` is what a page shows and what its CSV link streams: the same rows, so a
downloaded file never says more than the page. People counts become ``Figure`` objects
through ``suppression.people`` here and nowhere else.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from coopsip.accounts.models import SPOKEN_LANGUAGES, Gender, StakeholderType
from coopsip.core import charts
from coopsip.places.models import Country
from coopsip.recommendations.models import DecisionKind
from coopsip.registrations.exports import escape_cell
from coopsip.registrations.models import MeetingMode
from coopsip.stats.selectors import PEOPLE_COLUMNS, PLATFORM, RECORDED, Breakdown, EditionFigures, Funnel, Overview
from coopsip.stats.suppression import Figure, people, protect, rate

Cell = Figure | int | float | str | None


@dataclass(frozen=True)
class Table:
    key: str  # also the CSV file's name
    caption: str
    headers: tuple[str, ...]
    columns: tuple[str, ...]  # machine names of the columns (CSV header, API keys)
    rows: list[tuple[Cell, ...]]


def column_label(column: str) -> str:
    labels = {
        "edition": _("Edition"),
        "source": _("Source"),
        "registrations": _("Registrations"),
        "placed": _("People placed in a group"),
        "groups": _("Groups"),
        "meetings_held": _("Meetings held"),
        "attendance_rate": _("Attendance rate (%)"),
        "recommendations_submitted": _("Recommendations submitted"),
        "recommendations_decided": _("Recommendations decided"),
        "test_projects": _("Test projects"),
        "first_choices": _("First choice of"),
        "recommendations": _("Recommendations submitted"),
        "count": _("Registrations"),
        "country": _("Country"),
        "office": _("Office"),
        "theme": _("Theme"),
        "stakeholder_type": _("Stakeholder type"),
        "gender": _("Gender"),
        "mode": _("How to meet"),
        "language": _("Working language"),
        "volunteering": _("Volunteers as"),
        "decision": _("Decision"),
        "step": _("Step"),
        "people": _("People"),
    }
    return labels.get(column, column)


def _row_label(key: str, value: str) -> str:
    if key == "country":
        return str(dict(Country.choices).get(value, _("not given")))
    if key == "office":
        return value or _("no office (by video)")
    if key == "gender":
        return str(dict(Gender.choices).get(value, _("not answered")))
    if key == "stakeholder_type":
        return str(dict(StakeholderType.choices).get(value, _("member")))
    if key == "mode":
        return str(dict(MeetingMode.choices).get(value, value))
    if key == "language":
        return str(dict(SPOKEN_LANGUAGES).get(value, value))
    if key == "volunteering":
        return _("moderator") if value == "moderator" else _("secretary")
    return value


def known_people(count: int | None, *, exact: bool = False) -> Figure | None:
    """``suppression.people`` of a count that may be unknown: None stays None ("not known", not 0)."""
    return None if count is None else people(count, exact=exact)


def source_label(source: str) -> str:
    if source == PLATFORM:
        return _("on the platform")
    if source == RECORDED:
        return _("recorded by the team")
    return _("no data")


def attendance(figures: EditionFigures, *, exact: bool = False) -> float | None:
    if figures.source == RECORDED:
        return figures.recorded_rate
    return rate(figures.attended, figures.marked, exact=exact)


def overview_table(data: Overview, *, exact: bool = False) -> Table:
    columns = (
        "edition",
        "source",
        "registrations",
        "placed",
        "groups",
        "meetings_held",
        "attendance_rate",
        "recommendations_submitted",
        "recommendations_decided",
        "test_projects",
    )
    rows: list[tuple[Cell, ...]] = [
        (
            row.edition.title,
            source_label(row.source),
            known_people(row.registrations, exact=exact),
            known_people(row.placed, exact=exact),
            row.groups,
            row.meetings_held,
            attendance(row, exact=exact),
            row.recommendations_submitted,
            row.decided,
            row.test_projects,
        )
        for row in data.editions
    ]
    return Table(
        "editions",
        _("Participation per edition"),
        tuple(column_label(c) for c in columns),
        columns,
        rows,
    )


def decisions_table(data: Overview, *, edition: EditionFigures | None = None) -> Table:
    totals: dict[str, int] = {}
    for row in [edition] if edition else data.editions:
        for kind, n in row.decisions.items():
            totals[kind] = totals.get(kind, 0) + n
    rows: list[tuple[Cell, ...]] = [(str(label), totals.get(kind, 0)) for kind, label in DecisionKind.choices]
    return Table(
        "decisions",
        _("Recommendations decided, by the board's decision"),
        (column_label("decision"), column_label("recommendations_decided")),
        ("decision", "recommendations_decided"),
        rows,
    )


def breakdown_table(breakdown: Breakdown, *, exact: bool = False) -> Table:
    captions = {
        "office": _("Per office"),
        "country": _("Per country"),
        "theme": _("Per theme"),
        "stakeholder_type": _("By stakeholder type"),
        "gender": _("By gender (where people answered)"),
        "mode": _("By how they want to meet"),
        "language": _("By working language"),
        "volunteering": _("Volunteers"),
    }
    # Each people column adds up to the edition's total (shown on the page): secondary suppression.
    people_at = [index for index, column in enumerate(breakdown.columns) if column in PEOPLE_COLUMNS]
    # Partial lines (offices of one country) are of the first column, a people column where there are any.
    first_is_people = bool(people_at) and people_at[0] == 0
    partial = [([(row, 0) for row in rows], rest) for rows, rest in breakdown.partial_lines] if first_is_people else []
    protected = protect(
        [[counts[index] for index in people_at] for _label, counts in breakdown.rows],
        exact=exact,
        partial_lines=partial,
    )
    rows: list[tuple[Cell, ...]] = []
    for (label, counts), figures in zip(breakdown.rows, protected, strict=True):
        cells: list[Cell] = list(counts)
        for index, figure in zip(people_at, figures, strict=True):
            cells[index] = figure
        rows.append((_row_label(breakdown.key, label), *cells))
    columns = (breakdown.key, *breakdown.columns)
    return Table(
        breakdown.key,
        captions.get(breakdown.key, breakdown.key),
        tuple(column_label(c) for c in columns),
        columns,
        rows,
    )


def funnel_table(funnel: Funnel) -> Table:
    """The staff's funnel (exact numbers: staff only)."""
    steps = [
        (_("registered"), funnel.registered),
        (_("proposed a group"), funnel.proposed),
        (_("accepted a group"), funnel.accepted),
        (_("present at three meetings or more"), funnel.attending),
    ]
    return Table(
        "funnel",
        _("From registration to taking part"),
        (column_label("step"), column_label("people")),
        ("step", "people"),
        [(label, n) for label, n in steps],
    )


def number_text(value: int | float) -> str:
    """A number as the active language writes it: "4 200" and "69,0" in French, "4,200" and "69.0" in English."""
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1, force_grouping=True)
    return formats.number_format(value, force_grouping=True)


def cell_text(cell: Cell) -> str:
    """A cell on a page (files and the API keep plain numbers)."""
    if cell is None:
        return pgettext("statistics", "not known")
    if isinstance(cell, Figure):
        return str(cell) if cell.value is None else number_text(cell.value)
    if isinstance(cell, int | float):
        return number_text(cell)
    return str(cell)


def csv_cell(cell: Cell) -> str:
    if isinstance(cell, Figure):
        return cell.csv()
    return "" if cell is None else escape_cell(str(cell))


def json_cell(cell: Cell) -> int | float | str | None:
    if isinstance(cell, Figure):
        return cell.json()
    return cell


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV lines (UTF-8 with a byte order mark, comma-separated), header of machine names first."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"
    yield writer.writerow(table.columns)
    for row in table.rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


# ---------------------------------------------------------------------------
# Charts (core.charts): each with its numbers in a table beside it


def _value(cell: Cell) -> float | None:
    if isinstance(cell, Figure):
        return None if cell.value is None else float(cell.value)
    return None if cell is None or isinstance(cell, str) else float(cell)


def trend_chart(data: Overview) -> charts.Chart:
    points = [row.edition.slug for row in data.editions]
    return charts.line_chart(
        title=_("Registrations and people placed per edition"),
        description=_(
            "Per edition since 2015, oldest first: the number of registrations and of people placed in a group. "
            "A gap is a figure that is not known or concerns fewer than 5 people."
        ),
        points=points,
        series=[
            (_("Registrations"), [_value(known_people(row.registrations)) for row in data.editions]),
            (_("People placed in a group"), [_value(known_people(row.placed)) for row in data.editions]),
        ],
        point_header=_("Edition"),
        chart_id="trend-people",
    )


def recommendations_chart(data: Overview) -> charts.Chart:
    return charts.line_chart(
        title=_("Recommendations submitted and decided per edition"),
        description=_("Per edition since 2015, oldest first: recommendations submitted to the board and decided."),
        points=[row.edition.slug for row in data.editions],
        series=[
            (_("Submitted"), [float(row.recommendations_submitted) for row in data.editions]),
            (_("Decided"), [float(row.decided) for row in data.editions]),
        ],
        point_header=_("Edition"),
        chart_id="trend-recommendations",
    )


def bars_chart(table: Table, *, column: int, chart_id: str, description: str) -> charts.Chart:
    """Bars of one column of ``table``; suppressed rows are left out of the drawing (the table says why)."""
    bars: Sequence[tuple[str, float]] = [
        (str(row[0]), value) for row in table.rows if (value := _value(row[column])) is not None
    ]
    return charts.bar_chart(
        title=table.caption,
        description=description,
        bars=bars,
        label_header=table.headers[0],
        value_header=table.headers[column],
        chart_id=chart_id,
    )
