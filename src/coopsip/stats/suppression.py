"""The small-group rule, in one place: no figure about fewer than 5 people leaves coopsip.

This module is the project's only small-group rule: statistics, the open-data ZIP, the API
and other apps' dashboards (networking, surveys) import it rather than writing their own.
Its public API is stable:

- ``THRESHOLD`` (5): the smallest group a published figure may be about.
- ``people(count, exact=False) -> Figure``: one count of people. A count from 1 to 4
  becomes a ``Figure`` without a value, which reads "fewer than 5" (0 is shown: nobody is
  identified by an empty group). Staff pages pass ``exact=True``: the team already reads
  the registrations one by one.
- ``rate(part, whole, exact=False) -> float | None``: a percentage of a group of people,
  None when the group is smaller than ``THRESHOLD``.
- ``protect(counts, exact=False, rows_add_up=False, columns_add_up=True, partial_lines=())
  -> list[list[Figure]]``: a whole table of people counts, with *secondary suppression*
  (below). Use it whenever a table's column (or row) adds up to a total that is shown
  somewhere else, such as registrations per office and the edition's registrations.
  ``partial_lines`` are other sums that a published total reveals: some cells of the
  table plus a rest that is in no cell (the offices of Belgium plus the people of
  Belgium without an office add up to Belgium's registrations, shown per country).

Secondary suppression. Hiding a 3 in a column is useless when the column's total is
published: subtracting the other cells from the total gives the 3 back. So ``protect``
hides one more cell in every line (column, and row when ``rows_add_up``) where exactly
one cell is hidden: the next-smallest non-zero cell of that line. Hiding it may leave
another line with one hidden cell, so it repeats until no line has exactly one. A line
whose only other cells are zeros gets no complement: its total is then the hidden cell
itself, and that total is fewer than 5, so it is suppressed wherever it is shown.
A complement cell reads "hidden" (``x`` in files), not "fewer than 5": it is usually a
larger number, and the page does not lie about it. The hidden cells of a line then add
up to the total minus the shown cells, which is shared by two cells or more.

A partial line's rest is never shown, so it counts as a hidden cell of its line; when it is
itself a small group (1 to 4), it is a small cell like the others: the line then needs one
hidden cell of the table as well, or the total minus the shown cells would give it back.
A rest of 5 or more protects the line's one hidden cell by itself.

Counts of things that are not people (recommendations, meetings, groups) are not suppressed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

THRESHOLD = 5


@dataclass(frozen=True)
class Figure:
    """A count as it may be published: ``value`` is None when it is suppressed.

    ``complement`` is True for a cell hidden by secondary suppression (it protects a small
    cell of the same line; its own count may be large).
    """

    value: int | None
    complement: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            return gettext("hidden") if self.complement else gettext("fewer than 5")
        return str(self.value)

    def csv(self) -> str:
        """In files: the number, ``<5``, or ``x`` for a complement (markers documented in the README)."""
        if self.value is None:
            return "x" if self.complement else "<5"
        return str(self.value)

    def json(self) -> int | None:
        return self.value


def people(count: int | None, *, exact: bool = False) -> Figure:
    """The publishable figure of ``count`` people (None counts as 0)."""
    value = count or 0
    if not exact and 0 < value < THRESHOLD:
        return Figure(None)
    return Figure(value)


def rate(part: int, whole: int, *, exact: bool = False) -> float | None:
    """``part`` of ``whole`` people in percent (one decimal), or None when ``whole`` is a small group or empty."""
    if whole == 0 or (not exact and whole < THRESHOLD):
        return None
    return round(100 * part / whole, 1)


def _small(value: int) -> bool:
    return 0 < value < THRESHOLD


def protect(
    counts: Sequence[Sequence[int | None]],
    *,
    exact: bool = False,
    rows_add_up: bool = False,
    columns_add_up: bool = True,
    partial_lines: Sequence[tuple[Sequence[tuple[int, int]], int]] = (),
) -> list[list[Figure]]:
    """A table of people counts (rows of equal length) as publishable figures, with secondary suppression.

    ``columns_add_up``: each column adds up to a total shown elsewhere (the usual case: a
    breakdown of one population). ``rows_add_up``: each row does too (a cross-table).
    ``partial_lines``: ``(cells, rest)`` pairs, where the ``(row, column)`` cells plus ``rest``
    people in no cell add up to a total shown elsewhere.
    Ties between candidate complements go to the first cell in reading order, so the same
    table always hides the same cells.
    """
    values = [[value or 0 for value in row] for row in counts]
    if exact:
        return [[Figure(value) for value in row] for row in values]
    height = len(values)
    width = len(values[0]) if values else 0
    primary = {(i, j) for i in range(height) for j in range(width) if _small(values[i][j])}
    hidden = set(primary)
    # Each line: its cells and the rest of its total that is in no cell (0 for a whole column or row).
    # Partial lines first: a complement chosen for one of them often serves its column too.
    lines: list[tuple[list[tuple[int, int]], int]] = [(list(cells), rest) for cells, rest in partial_lines]
    if columns_add_up:
        lines += [([(i, j) for i in range(height)], 0) for j in range(width)]
    if rows_add_up:
        lines += [([(i, j) for j in range(width)], 0) for i in range(height)]
    changed = True
    while changed:
        changed = False
        for line, rest in lines:
            hidden_here = sum(cell in hidden for cell in line)
            if rest >= THRESHOLD or hidden_here + (rest > 0) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden and values[cell[0]][cell[1]] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: (values[cell[0]][cell[1]], cell)))
                changed = True
    return [
        [
            Figure(None, complement=(i, j) not in primary) if (i, j) in hidden else Figure(values[i][j])
            for j in range(width)
        ]
        for i in range(height)
    ]
