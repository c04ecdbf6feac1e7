"""Secondary suppression: a small cell cannot be worked back from the totals, on tables computed by hand."""

from __future__ import annotations

from itertools import product

from coopsip.stats import presentation
from coopsip.stats.selectors import Breakdown
from coopsip.stats.suppression import THRESHOLD, Figure, protect


def shown(table: list[list[Figure]]) -> list[list[str]]:
    return [[figure.csv() for figure in row] for row in table]


def test_one_small_cell_in_a_column_hides_the_next_smallest_too() -> None:
    # Registrations per office: 3, 12, 7, 40 (total 62, shown on the page).
    # Alone, the 3 would be 62 - 12 - 7 - 40; hiding the 7 as well leaves 3 + 7 = 10 shared by two cells.
    assert shown(protect([[3], [12], [7], [40]])) == [["<5"], ["12"], ["x"], ["40"]]


def test_the_complement_reads_hidden_not_fewer_than_5() -> None:
    table = protect([[3], [12], [7]])
    assert str(table[0][0]) == "fewer than 5"
    assert str(table[2][0]) == "hidden"
    assert table[2][0].json() is None and table[2][0].complement


def test_two_small_cells_protect_each_other() -> None:
    assert shown(protect([[2], [3], [9], [20]])) == [["<5"], ["<5"], ["9"], ["20"]]


def test_zeros_are_shown_and_never_used_as_a_complement() -> None:
    assert shown(protect([[0], [4], [0], [6]])) == [["0"], ["<5"], ["0"], ["x"]]


def test_a_column_with_nothing_else_to_hide_keeps_its_one_small_cell() -> None:
    # The total is then 4 itself: it reads "fewer than 5" wherever it is shown.
    assert shown(protect([[0], [4], [0]])) == [["0"], ["<5"], ["0"]]


def test_ties_go_to_the_first_cell() -> None:
    assert shown(protect([[1], [8], [8]])) == [["<5"], ["x"], ["8"]]


def test_a_cross_table_is_protected_in_rows_and_columns_until_stable() -> None:
    # Hand-worked: the 2 hides the 9 in its column and the 6 in its row; the 9's row then
    # has one hidden cell and hides its next-smallest, the 10, which gives the 6's column its
    # second hidden cell: every row and column now has 0 or 2 hidden cells.
    counts = [
        [2, 6, 20],
        [9, 10, 30],
        [15, 11, 12],
    ]
    table = protect(counts, rows_add_up=True)
    assert shown(table) == [
        ["<5", "x", "20"],
        ["x", "x", "30"],
        ["15", "11", "12"],
    ]
    assert_no_line_has_one_hidden_cell(table, rows=True)


def assert_no_line_has_one_hidden_cell(table: list[list[Figure]], *, rows: bool) -> None:
    lines = [list(column) for column in zip(*table, strict=True)]
    if rows:
        lines += table
    for line in lines:
        assert sum(figure.suppressed for figure in line) != 1


def test_every_small_table_is_protected() -> None:
    # Every 3x2 table of counts from {0, 2, 5, 7}: no column keeps exactly one hidden cell
    # unless its other cells are zeros, and every cell from 1 to 4 is hidden.
    for flat in product((0, 2, 5, 7), repeat=6):
        counts = [list(flat[0:2]), list(flat[2:4]), list(flat[4:6])]
        table = protect(counts)
        for i, j in product(range(3), range(2)):
            if 0 < counts[i][j] < THRESHOLD:
                assert table[i][j].suppressed
            if counts[i][j] == 0:
                assert table[i][j].value == 0
        for j in range(2):
            column = [table[i][j] for i in range(3)]
            others = [counts[i][j] for i in range(3) if not column[i].suppressed]
            if sum(figure.suppressed for figure in column) == 1:
                assert all(value == 0 for value in others)


def test_staff_tables_are_exact() -> None:
    assert shown(protect([[3], [12]], exact=True)) == [["3"], ["12"]]


def test_an_empty_table() -> None:
    assert protect([]) == []


def test_a_breakdown_table_hides_the_complement_in_people_columns_only() -> None:
    breakdown = Breakdown(
        "theme",
        ("first_choices", "placed", "groups", "recommendations"),
        [("Care", (3, 0, 0, 2)), ("Housing", (11, 10, 2, 1)), ("Food", (6, 10, 2, 3))],
    )
    table = presentation.breakdown_table(breakdown)
    assert [[presentation.csv_cell(cell) for cell in row] for row in table.rows] == [
        ["Care", "<5", "0", "0", "2"],
        ["Housing", "11", "10", "2", "1"],
        ["Food", "x", "10", "2", "3"],
    ]
    exact = presentation.breakdown_table(breakdown, exact=True)
    assert presentation.csv_cell(exact.rows[0][1]) == "3"


def test_the_open_data_readme_is_written_in_the_language_asked() -> None:
    from django.utils import translation

    from coopsip.stats import opendata

    with translation.override("fr"):
        expected = str(opendata.FILES[0].description)
    assert f"\n{expected}\n" in opendata.readme("fr")
    assert "README.nl.md, README.fr.md" in opendata.readme("en")
    assert "- `title_nl`: " in opendata.readme("nl")


def test_a_partial_line_with_a_small_rest_hides_one_of_its_cells() -> None:
    # Offices Brussels 20 and Ghent 30 (BE), Lille 10 (FR), 3 without an office (all in BE);
    # Belgium's 53 is shown: Brussels + Ghent + 3 people in no BE cell. Brussels is hidden
    # for Belgium, and it is also the second hidden cell of the column: Lille stays shown.
    counts = [[20], [30], [10], [3]]
    table = protect(counts, partial_lines=[([(0, 0), (1, 0)], 3)])
    assert shown(table) == [["x"], ["30"], ["10"], ["<5"]]
    # A rest of 5 or more protects itself; a rest of 0 is an ordinary line.
    assert shown(protect([[20], [30], [10], [0]], partial_lines=[([(0, 0), (1, 0)], 7)])) == [
        ["20"],
        ["30"],
        ["10"],
        ["0"],
    ]
    assert shown(protect([[20], [3], [10]], partial_lines=[([(0, 0), (1, 0)], 0)])) == [["x"], ["<5"], ["10"]]


def test_an_office_breakdown_carries_its_countries_to_the_table() -> None:
    breakdown = Breakdown(
        "office", ("registrations", "placed"), [("Ghent", (6, 6)), ("Lille", (5, 5)), ("", (3, 3))], [([0], 3)]
    )
    table = presentation.breakdown_table(breakdown)
    assert [[presentation.csv_cell(cell) for cell in row[1:]] for row in table.rows] == [
        ["x", "6"],
        ["5", "x"],
        ["<5", "<5"],
    ]
