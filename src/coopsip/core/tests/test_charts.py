"""The one chart module: SVG that names itself, escapes what people typed, and carries its numbers."""

from __future__ import annotations

from xml.etree import ElementTree

from django.template.loader import render_to_string

from coopsip.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(chart: charts.Chart) -> ElementTree.Element:
    return ElementTree.fromstring(str(chart.svg))


def test_a_bar_chart_has_a_title_a_description_and_a_bar_with_its_number_per_label() -> None:
    chart = charts.bar_chart(
        title="What do you need?",
        description="30 members answered.",
        bars=[("A place to work", 12), ("Clients", 30), ("Nothing", 0)],
        percent_of=30,
    )
    root = _parsed(chart)
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "What do you need?"
    assert root.findtext(f"{SVG}desc") == "30 members answered."
    assert root.get("aria-labelledby") == f"{chart.chart_id}-title {chart.chart_id}-desc"
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill", "").startswith("url(")]
    assert len(bars) == 3
    # The longest bar is the largest number; a zero is a bar of no length, still labelled.
    widths = [float(rect.get("width", "")) for rect in bars]
    assert widths[1] > widths[0] > widths[2] == 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "12 (40%)" in texts and "30 (100%)" in texts and "0 (0%)" in texts
    assert chart.rows == (("A place to work", "12", "40%"), ("Clients", "30", "100%"), ("Nothing", "0", "0%"))


def test_bars_carry_a_hatch_pattern_so_they_read_without_colour() -> None:
    chart = charts.bar_chart(title="t", description="d", bars=[("a", 1)])
    assert f'id="{chart.chart_id}-hatch"' in chart.svg
    assert f'fill="url(#{chart.chart_id}-hatch)"' in chart.svg


def test_hostile_labels_are_escaped_everywhere() -> None:
    hostile = '<script>alert(1)</script>"&'
    for chart in (
        charts.bar_chart(title=hostile, description=hostile, bars=[(hostile, 1)]),
        charts.distribution(title=hostile, description=hostile, counts=[(hostile, 1)]),
        charts.heat_map(
            title=hostile, description=hostile, row_labels=[hostile], column_labels=[hostile], values=[[1]]
        ),
        charts.line_chart(title=hostile, description=hostile, points=[hostile], series=[(hostile, [1])]),
    ):
        assert "<script>" not in chart.svg
        _parsed(chart)  # still well-formed XML
        html = render_to_string("core/_chart.html", {"chart": chart})
        assert "<script>" not in html


def test_a_distribution_keeps_the_scale_in_order() -> None:
    chart = charts.distribution(
        title="Scale", description="d", counts=[(str(n), n * 2) for n in range(1, 6)], value_header="answers"
    )
    root = _parsed(chart)
    columns = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill", "").startswith("url(")]
    xs = [float(rect.get("x", "")) for rect in columns]
    heights = [float(rect.get("height", "")) for rect in columns]
    assert xs == sorted(xs) and heights == sorted(heights)
    assert chart.headers == ("", "answers")
    assert chart.rows[0] == ("1", "2")


def test_a_heat_map_writes_every_number_in_its_cell_and_shades_the_largest_darkest() -> None:
    chart = charts.heat_map(
        title="Matrix",
        description="d",
        row_labels=["Clients", "Space"],
        column_labels=["never", "sometimes", "often"],
        values=[[0, 5, 10], [3, 2]],  # a short row counts as zeros
    )
    root = _parsed(chart)
    cells = [rect for rect in root.iter(f"{SVG}rect") if rect.get("stroke") == "#ffffff"]
    assert len(cells) == 6
    assert cells[0].get("fill") == "#ffffff"  # nothing: white
    assert cells[2].get("fill") == "#1c3f66"  # the most: the darkest
    assert chart.rows == (("Clients", "0", "5", "10"), ("Space", "3", "2", "0"))
    numbers = [t.text for t in root.iter(f"{SVG}text")]
    assert numbers.count("10") == 1 and numbers.count("0") >= 2


def test_a_line_chart_tells_series_apart_by_dash_and_names_them() -> None:
    chart = charts.line_chart(
        title="Members taking part",
        description="Per year",
        points=["2017", "2018", "2019"],
        series=[("Belgium", [100, 150, 200]), ("France", [None, 20, 40])],
        point_header="year",
    )
    root = _parsed(chart)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    assert lines[0].get("stroke-dasharray") is None and lines[1].get("stroke-dasharray") == "8 4"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Belgium" in texts and "France" in texts
    assert chart.headers == ("year", "Belgium", "France")
    assert chart.rows[0] == ("2017", "100", "")


def test_the_include_shows_the_figure_and_its_table() -> None:
    chart = charts.bar_chart(title="Needs", description="Eight answered.", bars=[("Clients", 8)], value_header="n")
    html = render_to_string("core/_chart.html", {"chart": chart})
    assert "<svg" in html and "<table>" in html
    assert '<th scope="row">Clients</th><td>8</td>' in html
    assert "Eight answered." in html
    # Laid out by the stylesheet: a Content-Security-Policy without 'unsafe-inline' refuses style attributes.
    assert "style=" not in html


def test_two_charts_with_other_titles_get_other_ids_and_an_explicit_id_wins() -> None:
    first = charts.bar_chart(title="One", description="", bars=[])
    second = charts.bar_chart(title="Two", description="", bars=[])
    assert first.chart_id != second.chart_id
    assert charts.bar_chart(title="x", description="", bars=[], chart_id="q 7").chart_id == "q-7"
