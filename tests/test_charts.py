"""The server-drawn SVG charts of the statistics pages (rectrack.statistics.charts); no database."""

import re
import struct
import sys
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from rectrack.statistics import charts
from rectrack.statistics.charts import (
    FALLBACK_COLOURS,
    STATUS_COLOURS,
    BarRow,
    LineSeries,
    Series,
    colour_for,
    line_chart,
    stacked_bars,
)

NS = "{http://www.w3.org/2000/svg}"
SERIES = [
    Series("fully_implemented", "Fully implemented", "#1e6b34"),
    Series("in_progress", "In progress", "#1565c0"),
    Series("not_started", "Not started", "#8a949e"),
]
MONTHS = [f"{2021 + index // 12}-{index % 12 + 1:02d}" for index in range(60)]
GEOMETRY = {"x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - the XML is this module's own output


def bars(rows: list[BarRow], **options) -> ET.Element:
    options = {"chart_id": "bars", "title": "By institution", "description": "Shares by status", **options}
    return parse(stacked_bars(series=options.pop("series", SERIES), rows=rows, **options))


def lines(x_labels: list[str], series: list[LineSeries], **options) -> ET.Element:
    options = {"chart_id": "lines", "title": "Over time", "description": "Received by month", **options}
    return parse(line_chart(x_labels=x_labels, series=series, **options))


def with_class(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element.iter() if name in child.get("class", "").split()]


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def texts(element: ET.Element) -> list[str]:
    return [text_of(child) for child in element.iter(f"{NS}text")]


def segments(row: ET.Element) -> list[tuple[float, float]]:
    """The (x, width) of a row's segments, left to right."""
    return sorted((float(rect.get("x")), float(rect.get("width"))) for rect in with_class(row, "rtc-segment"))


def bar_length(row: ET.Element) -> float:
    parts = segments(row)
    return parts[-1][0] + parts[-1][1] - parts[0][0]


def series_line(root: ET.Element, index: int) -> ET.Element:
    return with_class(root, "rtc-series")[index].find(f"{NS}polyline")


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(float(number) for number in pair.split(",")) for pair in polyline.get("points").split()]


def some_charts() -> list[ET.Element]:
    rows = [BarRow("Ministry", {"fully_implemented": 3, "in_progress": 1}), BarRow("Police", {})]
    line = [LineSeries("received", "Received", "#0072b2", [1, 5, 2]), LineSeries("done", "Done", "#d55e00", [0, 1, 2])]
    return [bars(rows), bars(rows, shares=False), lines(["2025-01", "2025-02", "2025-03"], line)]


# Both charts -----------------------------------------------------------------------------------------------------


def test_charts_are_safe_strings() -> None:
    chart = stacked_bars(chart_id="c", title="t", description="d", series=SERIES, rows=[BarRow("a", {})])
    line = line_chart(chart_id="l", title="t", description="d", x_labels=["x"], series=[])
    assert isinstance(chart, SafeString)
    assert isinstance(line, SafeString)


@pytest.mark.parametrize("index", range(3))
def test_root_is_a_labelled_standalone_svg(index: int) -> None:
    root = some_charts()[index]
    assert root.tag == f"{NS}svg"
    width, height = root.get("width"), root.get("height")
    assert width == "720"
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert root.get("role") == "img"
    assert root.get("direction") == "ltr"
    assert "Noto Sans Arabic" in root.get("font-family")
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    first, second = list(root)[:2]
    assert (first.tag, first.get("id")) == (f"{NS}title", title_id)
    assert (second.tag, second.get("id")) == (f"{NS}desc", desc_id)
    assert title_id.endswith("-title") and desc_id.endswith("-desc")
    assert first.text in ("By institution", "Over time")
    assert second.text in ("Shares by status", "Received by month")
    background = list(root)[2]
    assert background.tag == f"{NS}rect" and background.get("fill") == "#ffffff"
    assert (background.get("width"), background.get("height")) == (width, height)


def test_ids_come_from_the_chart_id() -> None:
    root = bars([BarRow("a", {"in_progress": 1})], chart_id="by-mechanism")
    assert root.get("aria-labelledby") == "by-mechanism-title"
    assert root.get("aria-describedby") == "by-mechanism-desc"
    assert root.find(f"{NS}title").get("id") == "by-mechanism-title"
    assert root.find(f"{NS}desc").get("id") == "by-mechanism-desc"


@pytest.mark.parametrize("index", range(3))
def test_no_styles_scripts_or_external_references(index: int) -> None:
    root = some_charts()[index]
    for element in root.iter():
        assert element.tag.split("}")[-1] not in ("style", "script", "foreignObject", "image", "use", "a")
        assert "style" not in element.attrib
        for name, value in element.attrib.items():
            assert "href" not in name
            assert "url(" not in value and not name.startswith("on")
    # Every text says its size and colour itself.
    for text in root.iter(f"{NS}text"):
        assert text.get("font-size") and text.get("fill", "").startswith("#")


@pytest.mark.parametrize("index", range(3))
def test_coordinates_have_at_most_one_decimal(index: int) -> None:
    for element in some_charts()[index].iter():
        for name, value in element.attrib.items():
            if name in GEOMETRY:
                assert re.fullmatch(r"-?\d+(\.\d)?", value), (name, value)
        if "points" in element.attrib:
            for number in re.split(r"[ ,]", element.get("points")):
                assert re.fullmatch(r"-?\d+(\.\d)?", number), number


@pytest.mark.parametrize("index", range(3))
def test_everything_is_inside_the_chart(index: int) -> None:
    root = some_charts()[index]
    width, height = float(root.get("width")), float(root.get("height"))
    for element in root.iter():
        for name in ("x", "x1", "x2", "cx"):
            if name in element.attrib:
                assert 0 <= float(element.get(name)) <= width, (element.tag, name)
        for name in ("y", "y1", "y2", "cy"):
            if name in element.attrib:
                assert 0 <= float(element.get(name)) <= height, (element.tag, name)


def test_text_is_escaped() -> None:
    nasty = '<b>&"x"'
    series = [Series("fully_implemented", "A & <i>B</i>", "#1e6b34")]
    chart = stacked_bars(
        chart_id='c"><script>',
        title="</title><script>alert(1)</script>",
        description="x < y & z",
        series=series,
        rows=[BarRow(nasty, {"fully_implemented": 2})],
        total_label="{total} <em>",
    )
    root = parse(chart)
    tags = {element.tag.split("}")[-1] for element in root.iter()}
    assert not tags & {"b", "i", "em", "script"}
    assert root.find(f"{NS}title").text == "</title><script>alert(1)</script>"
    assert root.find(f"{NS}desc").text == "x < y & z"
    assert nasty in texts(root)
    assert with_class(root, "rtc-row")[0].find(f"{NS}title").text == nasty
    assert "A & <i>B</i>" in texts(root)
    assert "2 <em>" in texts(root)
    assert "&lt;b&gt;&amp;&quot;x&quot;" in chart

    line = line_chart(
        chart_id="l",
        title="t",
        description="d",
        x_labels=["<b>1</b>", "2"],
        series=[LineSeries("a", "<script>x</script>", "#0072b2", [1, 2])],
    )
    root = parse(line)
    assert not {element.tag.split("}")[-1] for element in root.iter()} & {"b", "script"}
    assert "<b>1</b>" in texts(root) and "<script>x</script>" in texts(root)


# Stacked bars ----------------------------------------------------------------------------------------------------


def test_shares_fill_the_bar_in_proportion() -> None:
    rows = [
        BarRow("Ministry", {"fully_implemented": 3, "in_progress": 1}),
        BarRow("Court", {"fully_implemented": 1, "in_progress": 1, "not_started": 2}),
        BarRow("Police", {"not_started": 7}),
        BarRow("Nobody", {}),
    ]
    root = bars(rows)
    groups = with_class(root, "rtc-row")
    assert len(groups) == 4
    track = with_class(groups[3], "rtc-track")[0]
    bar_x, bar_width = float(track.get("x")), float(track.get("width"))
    assert bar_width > 300
    for group in groups[:3]:
        parts = segments(group)
        assert parts[0][0] == pytest.approx(bar_x, abs=0.05)
        assert sum(width for _, width in parts) == pytest.approx(bar_width, abs=0.5)
        for (x, width), (next_x, _) in zip(parts, parts[1:], strict=False):
            assert x + width == pytest.approx(next_x, abs=0.05)  # no gaps, no overlaps
    ministry, court, police = (segments(group) for group in groups[:3])
    assert [width for _, width in ministry] == pytest.approx([bar_width * 0.75, bar_width * 0.25], abs=0.2)
    assert [width for _, width in court] == pytest.approx([bar_width / 4, bar_width / 4, bar_width / 2], abs=0.2)
    assert len(police) == 1
    # Segments follow the series' order and colours.
    colours = [rect.get("fill") for rect in with_class(groups[1], "rtc-segment")]
    assert colours == ["#1e6b34", "#1565c0", "#8a949e"]


def test_segments_too_thin_to_see_are_left_out() -> None:
    root = bars([BarRow("Tiny", {"fully_implemented": 1, "in_progress": 100_000, "not_started": 1}), BarRow("", {})])
    tiny, empty = with_class(root, "rtc-row")
    bar_width = float(with_class(empty, "rtc-track")[0].get("width"))
    parts = segments(tiny)
    assert [rect.get("fill") for rect in with_class(tiny, "rtc-segment")] == ["#1565c0"]
    assert sum(width for _, width in parts) == pytest.approx(bar_width, abs=0.5)


def test_segments_tell_their_series_and_value() -> None:
    root = bars([BarRow("Ministry", {"fully_implemented": 3, "in_progress": 1})])
    titles = [rect.find(f"{NS}title").text for rect in with_class(root, "rtc-segment")]
    assert titles == ["Fully implemented: 3", "In progress: 1"]


def test_counts_give_lengths_against_the_largest_total() -> None:
    rows = [
        BarRow("Half", {"fully_implemented": 10, "not_started": 10}),
        BarRow("Largest", {"fully_implemented": 25, "in_progress": 15}),
        BarRow("Quarter", {"in_progress": 10}),
        BarRow("Nobody", {}),
    ]
    groups = with_class(bars(rows, shares=False), "rtc-row")
    track_width = float(with_class(groups[3], "rtc-track")[0].get("width"))
    half, largest, quarter = (bar_length(group) for group in groups[:3])
    assert largest == max(half, largest, quarter)
    assert largest == pytest.approx(track_width, abs=0.5)
    assert half == pytest.approx(largest / 2, abs=0.5)
    assert quarter == pytest.approx(largest / 4, abs=0.5)
    # Within a bar the segments are still in proportion to the values.
    first, second = segments(groups[1])
    assert first[1] / second[1] == pytest.approx(25 / 15, rel=0.01)


def test_shares_and_counts_differ() -> None:
    rows = [BarRow("Small", {"in_progress": 1}), BarRow("Big", {"in_progress": 4})]
    shares = [bar_length(group) for group in with_class(bars(rows), "rtc-row")]
    counts = [bar_length(group) for group in with_class(bars(rows, shares=False), "rtc-row")]
    assert shares[0] == pytest.approx(shares[1])
    assert counts[0] == pytest.approx(counts[1] / 4, abs=0.5)


def test_each_row_writes_its_total_after_its_bar() -> None:
    rows = [BarRow("A", {"fully_implemented": 2, "in_progress": 3}), BarRow("B", {"not_started": 12}), BarRow("C", {})]
    for shares in (True, False):
        groups = with_class(bars(rows, shares=shares, total_label="{total} recommendations"), "rtc-row")
        totals = [text_of(with_class(group, "rtc-total")[0]) for group in groups]
        assert totals == ["5 recommendations", "12 recommendations", "0 recommendations"]
        for group in groups[:2]:
            parts = segments(group)
            bar_end = parts[-1][0] + parts[-1][1]
            total_x = float(with_class(group, "rtc-total")[0].get("x"))
            assert bar_end < total_x < bar_end + 12


def test_total_label_defaults_to_the_number() -> None:
    root = bars([BarRow("A", {"fully_implemented": 2, "in_progress": 3})])
    assert [text_of(text) for text in with_class(root, "rtc-total")] == ["5"]


def test_a_zero_row_shows_an_empty_track_only() -> None:
    rows = [BarRow("Some", {"in_progress": 2}), BarRow("None", {}), BarRow("Zeros", {"in_progress": 0})]
    for shares in (True, False):
        groups = with_class(bars(rows, shares=shares), "rtc-row")
        assert len(with_class(groups[0], "rtc-segment")) == 1
        assert not with_class(groups[0], "rtc-track")
        for group in groups[1:]:
            assert with_class(group, "rtc-segment") == []
            [track] = with_class(group, "rtc-track")
            assert track.get("fill") == "#eef1f4"
            assert float(track.get("width")) > 300


def test_all_rows_empty() -> None:
    root = bars([BarRow("A", {}), BarRow("B", {})], shares=False)
    assert with_class(root, "rtc-segment") == []
    assert len(with_class(root, "rtc-track")) == 2


def test_no_rows_make_a_small_empty_chart() -> None:
    root = bars([])
    assert float(root.get("height")) <= 40
    assert root.find(f"{NS}title").text == "By institution"
    assert texts(root) == []
    assert len(root.findall(f".//{NS}rect")) == 1  # the background


def test_height_grows_with_the_rows() -> None:
    three = bars([BarRow(str(index), {"in_progress": 1}) for index in range(3)])
    six = bars([BarRow(str(index), {"in_progress": 1}) for index in range(6)])
    assert float(six.get("height")) - float(three.get("height")) == pytest.approx(3 * 28)
    rects = with_class(six, "rtc-segment")
    assert all(float(rect.get("height")) == 18 for rect in rects)
    ys = [float(rect.get("y")) for rect in rects]
    assert [b - a for a, b in zip(ys, ys[1:], strict=False)] == [28] * 5


def test_legend_shows_every_series_above_the_bars() -> None:
    root = bars([BarRow("A", {"in_progress": 1})])
    legend = with_class(root, "rtc-legend-item")
    assert [text_of(item.find(f"{NS}text")) for item in legend] == [item.label for item in SERIES]
    assert [item.find(f"{NS}rect").get("fill") for item in legend] == [item.colour for item in SERIES]
    legend_bottom = max(float(item.find(f"{NS}rect").get("y")) + 12 for item in legend)
    assert float(with_class(root, "rtc-segment")[0].get("y")) > legend_bottom


def test_a_long_legend_wraps() -> None:
    series = [
        Series(f"key{index}", f"A rather long series label number {index}", colour_for("", index)) for index in range(8)
    ]
    root = bars([BarRow("A", {"key0": 1})], series=series)
    legend = with_class(root, "rtc-legend-item")
    assert len(legend) == 8
    lines_used = {item.find(f"{NS}rect").get("y") for item in legend}
    assert len(lines_used) >= 3
    for item in legend:
        text = item.find(f"{NS}text")
        # About 0.6 em a character at 12 px must end inside the chart.
        assert float(text.get("x")) + len(text_of(text)) * 0.6 * 12 <= 720
    legend_bottom = max(float(item.find(f"{NS}rect").get("y")) + 12 for item in legend)
    assert float(with_class(root, "rtc-segment")[0].get("y")) > legend_bottom


def test_long_labels_are_shortened_with_the_full_label_as_tooltip() -> None:
    long = "National Commission for Human Rights and Fundamental Freedoms of the Republic"
    root = bars([BarRow(long, {"in_progress": 1}), BarRow("Police", {"in_progress": 1})])
    long_row, short_row = with_class(root, "rtc-row")
    shown = text_of(with_class(long_row, "rtc-label")[0])
    assert shown.endswith("…") and len(shown) < len(long)
    assert long.startswith(shown[:-1])
    assert long_row.find(f"{NS}title").text == long
    assert text_of(with_class(short_row, "rtc-label")[0]) == "Police"
    # The label column stays within about 30 % of the width.
    assert float(with_class(long_row, "rtc-segment")[0].get("x")) <= 720 * 0.3 + 20
    assert float(with_class(long_row, "rtc-label")[0].get("x")) + 8 <= float(
        with_class(long_row, "rtc-segment")[0].get("x")
    )


def test_short_labels_make_a_narrow_label_column() -> None:
    narrow = bars([BarRow("A", {"in_progress": 1})])
    wide = bars([BarRow("A rather longer label", {"in_progress": 1})])
    assert float(with_class(narrow, "rtc-segment")[0].get("x")) < float(with_class(wide, "rtc-segment")[0].get("x"))


def test_cjk_characters_count_as_wider_than_latin() -> None:
    latin, chinese = "a" * 25, "人" * 25
    root = bars([BarRow(latin, {"in_progress": 1}), BarRow(chinese, {"in_progress": 1})])
    latin_row, chinese_row = with_class(root, "rtc-row")
    assert text_of(with_class(latin_row, "rtc-label")[0]) == latin
    shown = text_of(with_class(chinese_row, "rtc-label")[0])
    assert shown.endswith("…") and 10 <= len(shown) <= 17
    assert chinese_row.find(f"{NS}title").text == chinese


def test_arabic_and_chinese_labels_survive() -> None:
    arabic, chinese = "وزارة العدل", "司法部"
    series = [Series("in_progress", "قيد التنفيذ", "#1565c0"), Series("completed", "已完成", "#1e6b34")]
    root = bars(
        [BarRow(arabic, {"in_progress": 1}), BarRow(chinese, {"completed": 2})],
        series=series,
        total_label="{total} توصية",
    )
    assert {arabic, chinese, "قيد التنفيذ", "已完成", "1 توصية", "2 توصية"} <= set(texts(root))
    # Right-to-left text keeps its place: the label stays right-aligned against the bars, the total left-aligned.
    arabic_row, chinese_row = with_class(root, "rtc-row")
    arabic_label = with_class(arabic_row, "rtc-label")[0]
    assert (arabic_label.get("direction"), arabic_label.get("text-anchor")) == ("rtl", "start")
    chinese_label = with_class(chinese_row, "rtc-label")[0]
    assert (chinese_label.get("direction"), chinese_label.get("text-anchor")) == (None, "end")
    total = with_class(arabic_row, "rtc-total")[0]
    assert (total.get("direction"), total.get("text-anchor")) == ("rtl", "end")


def test_bar_row_total() -> None:
    assert BarRow("a", {"x": 2, "y": 3}).total == 5
    assert BarRow("a", {}).total == 0


# Line chart ------------------------------------------------------------------------------------------------------


def three_series(count: int) -> list[LineSeries]:
    return [
        LineSeries("received", "Received", "#0072b2", [index * 10 % 100 for index in range(count)]),
        LineSeries("implemented", "Implemented", "#d55e00", [index % 7 for index in range(count)]),
        LineSeries("delayed", "Delayed", "#b3261e", [100] + [50] * (count - 1)),
    ]


def test_line_chart_size() -> None:
    root = lines(MONTHS[:12], three_series(12))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("720", "320", "0 0 720 320")


def test_one_line_per_series_with_a_point_per_x_label() -> None:
    for count in (1, 12, 60):
        root = lines(MONTHS[:count], three_series(count))
        groups = with_class(root, "rtc-series")
        assert len(groups) == 3
        assert len(root.findall(f".//{NS}polyline")) == 3
        for index, group in enumerate(groups):
            assert group.find(f"{NS}title").text == ["Received", "Implemented", "Delayed"][index]
            assert len(points(series_line(root, index))) == count
            assert series_line(root, index).get("fill") == "none"
        assert series_line(root, 2).get("stroke") == "#b3261e"


def test_y_axis_runs_from_zero_at_the_bottom_to_the_maximum_at_the_top() -> None:
    series = [LineSeries("a", "A", "#0072b2", [0, 40, 100, 60]), LineSeries("b", "B", "#d55e00", [20, 0, 10, 30])]
    root = lines(["Q1", "Q2", "Q3", "Q4"], series)
    gridlines = with_class(root, "rtc-grid")
    [baseline] = with_class(root, "rtc-baseline")
    top = min(float(line.get("y1")) for line in gridlines)
    bottom = float(baseline.get("y1"))
    a = points(series_line(root, 0))
    assert a[2][1] == pytest.approx(top)  # 100
    assert a[0][1] == pytest.approx(bottom)  # 0
    assert a[1][1] == pytest.approx(bottom - (bottom - top) * 0.4, abs=0.1)  # 40
    assert bottom - top > 200
    assert [text_of(text) for text in with_class(root, "rtc-y")] == ["0", "20", "40", "60", "80", "100"]
    # The x positions run left to right across the plot, first and last at its ends.
    xs = [x for x, _ in a]
    assert xs == sorted(xs)
    assert xs[0] == pytest.approx(float(baseline.get("x1")))
    assert xs[-1] == pytest.approx(float(baseline.get("x2")))


@pytest.mark.parametrize(
    ("largest", "top_tick"), [(87, "100"), (11, "15"), (3, "3"), (1234, "1250"), (0, "3"), (0.7, "0.8")]
)
def test_y_axis_maximum_is_rounded_up_to_a_nice_number(largest: float, top_tick: str) -> None:
    root = lines(["a", "b"], [LineSeries("a", "A", "#0072b2", [0, largest])])
    ticks = [text_of(text) for text in with_class(root, "rtc-y")]
    assert ticks[0] in ("0", "0.0")
    assert ticks[-1] == top_tick
    assert 4 <= len(ticks) <= 6
    assert len(with_class(root, "rtc-grid")) == len(ticks) - 1
    steps = {round(float(b) - float(a), 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1  # evenly spaced


def test_dash_patterns_differ_between_series() -> None:
    root = lines(MONTHS[:6], three_series(6))
    dashes = [series_line(root, index).get("stroke-dasharray") for index in range(3)]
    assert all(dashes)
    assert len(set(dashes)) == 3
    # The legend shows the same pattern as the line.
    legend = with_class(root, "rtc-legend-item")
    assert [item.find(f"{NS}line").get("stroke-dasharray") for item in legend] == dashes
    assert [text_of(item.find(f"{NS}text")) for item in legend] == ["Received", "Implemented", "Delayed"]


def test_many_x_labels_are_thinned() -> None:
    root = lines(MONTHS, three_series(60))
    labels = with_class(root, "rtc-x")
    shown = [text_of(label) for label in labels]
    assert shown[0] == "2021-01" and shown[-1] == "2025-12"
    assert 5 <= len(shown) <= 12
    assert shown == [month for month in MONTHS if month in shown]  # in order
    xs = [float(label.get("x")) for label in labels]
    width = len("2025-12") * 0.6 * 11  # as estimated
    assert all(b - a >= width for a, b in zip(xs, xs[1:], strict=False))


def test_few_x_labels_are_all_shown() -> None:
    root = lines(MONTHS[:12], three_series(12))
    assert [text_of(label) for label in with_class(root, "rtc-x")] == MONTHS[:12]


def test_markers_up_to_24_points() -> None:
    root = lines(MONTHS[:24], three_series(24))
    for index, group in enumerate(with_class(root, "rtc-series")):
        markers = with_class(group, "rtc-marker")
        assert len(markers) == 24
        assert markers[0].find(f"{NS}title").text == f"{['Received', 'Implemented', 'Delayed'][index]}, 2021-01: " + (
            "100" if index == 2 else "0"
        )
    shapes = [with_class(group, "rtc-marker")[0].tag for group in with_class(root, "rtc-series")]
    assert len(set(shapes)) == 3  # told apart by shape too
    root = lines(MONTHS[:25], three_series(25))
    assert with_class(root, "rtc-marker") == []


def test_values_must_match_the_x_labels() -> None:
    with pytest.raises(ValueError, match="received"):
        line_chart(
            chart_id="l",
            title="t",
            description="d",
            x_labels=MONTHS[:3],
            series=[LineSeries("received", "R", "#000000", [1, 2])],
        )


def test_no_x_labels_make_a_small_empty_chart() -> None:
    root = lines([], [])
    assert float(root.get("height")) <= 40
    assert texts(root) == []
    assert root.find(f"{NS}desc").text == "Received by month"


def test_line_chart_without_series_still_draws_the_axes() -> None:
    root = lines(MONTHS[:3], [])
    assert root.findall(f".//{NS}polyline") == []
    assert [text_of(label) for label in with_class(root, "rtc-x")] == MONTHS[:3]
    assert with_class(root, "rtc-baseline")


# Colours ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "colour"),
    [
        ("fully_implemented", "#1e6b34"),
        ("completed", "#1e6b34"),
        ("in_progress", "#1565c0"),
        ("partially_implemented", "#4f9d69"),
        ("not_started", "#8a949e"),
        ("planned", "#8a949e"),
        ("not_implemented", "#b3261e"),
        ("delayed", "#b3261e"),
        ("no_longer_applicable", "#5b3a9b"),
        ("cancelled", "#5b3a9b"),
    ],
)
def test_status_colours(key: str, colour: str) -> None:
    assert STATUS_COLOURS[key] == colour
    assert colour_for(key) == colour
    assert colour_for(key, 5) == colour


def test_other_keys_take_distinct_fallback_colours_cycling() -> None:
    colours = [colour_for(f"mechanism-{index}", index) for index in range(8)]
    assert len(set(colours)) == 8
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours)
    assert not set(colours) & set(STATUS_COLOURS.values())
    assert colours == list(FALLBACK_COLOURS)
    assert colour_for("other", 8) == colours[0]
    assert colour_for("other", 11) == colours[3]
    assert colour_for("other") == colours[0]


def test_a_chart_as_a_png_picture_twice_its_size() -> None:
    svg = stacked_bars(
        chart_id="png", title="T", description="D", series=SERIES,
        rows=[BarRow("Right to education", {"in_progress": 2}), BarRow("حقوق الطفل", {"not_started": 1})],
    )  # fmt: skip
    png = charts.as_png(str(svg))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1440 and height == 2 * int(ET.fromstring(str(svg)).get("height"))  # noqa: S314


def test_right_to_left_labels_are_anchored_for_resvg(monkeypatch) -> None:
    """resvg ignores `direction`: the anchor the browser needs is swapped back before drawing."""
    seen = {}

    class Fake:
        @staticmethod
        def svg_to_bytes(*, svg_string, **options):
            seen["svg"] = svg_string
            return b"png"

    monkeypatch.setitem(sys.modules, "resvg_py", Fake)
    svg = (
        '<svg><text direction="rtl" text-anchor="start">عربي</text>'
        '<text direction="rtl" text-anchor="end">ب</text></svg>'
    )
    assert charts.as_png(svg) == b"png"
    assert seen["svg"] == '<svg><text text-anchor="end">عربي</text><text text-anchor="start">ب</text></svg>'
