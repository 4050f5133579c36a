"""Server-drawn SVG charts for the statistics pages.

Each chart is one self-contained SVG string that works in three places: inline in the HTML page (beside the data
table that holds the same numbers), downloaded as a standalone .svg file, and drawn on a canvas in the browser (as a
data: URL image) to make a PNG. Hence:

- every colour and font is a presentation attribute (`fill=`, `font-size=`...): no `style` attribute and no
  `<style>` element, which the Content-Security-Policy forbids, and nothing that a stylesheet of the page must supply;
- no external references, no scripts, a white background rectangle;
- `role="img"`, named by the `<title>` (`aria-labelledby`) and described by the `<desc>`
  (`aria-describedby`) that open the SVG;
  (`aria-describedby`) that open the SVG;
- every text goes through `escape`.

The geometry always runs left to right, like a table of years, even in right-to-left pages: the root carries
`direction="ltr"` so that an inline chart does not inherit the page's direction, and a text whose first strong
character is right-to-left (Arabic, Hebrew...) gets `direction="rtl"` with its anchor swapped, so that it stays
where it belongs and reads correctly (a "…" that shortens it sits at its visual end, on the left).

Text widths cannot be measured on the server: they are estimated (about 0.6 em a character, 1 em for CJK and other
wide characters, nothing for combining marks), with some room to spare. Labels longer than their column are
shortened with "…"; the full label stays in a `<title>`, which browsers show as a tooltip.

Class names (`rtc-...`) do not style anything; they name the parts for tests and for whoever reads the SVG.
"""

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LINE_CHART_HEIGHT = 320
EMPTY_HEIGHT = 32

FONT_FAMILY = "system-ui, 'Segoe UI', 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', sans-serif"
TEXT_COLOUR = "#1d2329"
MUTED_COLOUR = "#46505a"
AXIS_COLOUR = "#5a6570"
GRID_COLOUR = "#dfe4ea"
TRACK_COLOUR = "#eef1f4"
BACKGROUND_COLOUR = "#ffffff"

PAD = 8  # outer margin
LABEL_SIZE = 13  # row labels
SMALL_SIZE = 12  # legend, totals
AXIS_SIZE = 11  # axis values and x labels
LEGEND_LINE = 20  # height of one legend line
LEGEND_SWATCH = 12
LEGEND_GAP = 18  # between two legend items

ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_COLUMN_MAX = round(WIDTH * 0.3)  # 216 px
LABEL_COLUMN_MIN = 40
LABEL_GAP = 8  # between the label column and the bars
NUMBER_MARGIN = 110  # right of the bars, for the totals
NUMBER_MARGIN_MAX = 200

MARKERS_UP_TO = 24  # point markers on a line chart with at most this many x labels
LINE_SWATCH = 24

# The site's CSS (.fill-<status>) uses the same colours.
STATUS_COLOURS: dict[str, str] = {
    "fully_implemented": "#1e6b34",
    "completed": "#1e6b34",
    "in_progress": "#1565c0",
    "partially_implemented": "#4f9d69",
    "not_started": "#8a949e",
    "planned": "#8a949e",
    "not_implemented": "#b3261e",
    "delayed": "#b3261e",
    "no_longer_applicable": "#5b3a9b",
    "cancelled": "#5b3a9b",
}

# Hues after Okabe and Ito's colour-blind-safe set, darkened where needed so that each has a contrast of at least
# 3:1 with the white background, and two from Paul Tol's set to make eight.
FALLBACK_COLOURS: tuple[str, ...] = (
    "#0072b2",  # blue
    "#d55e00",  # vermilion
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#b26b00",  # ochre
    "#332288",  # indigo
    "#882255",  # wine
    "#999933",  # olive
)

# Dash patterns, one per line series, so that lines can be told apart without colour (WCAG 1.4.1).
DASH_PATTERNS: tuple[str, ...] = ("none", "8 4", "2 3", "12 4 2 4", "5 5", "14 3 3 3 3 3", "1 5", "18 6")
MARKER_SHAPES: tuple[str, ...] = ("circle", "square", "diamond", "triangle", "triangle-down")


def colour_for(key: str, index: int = 0) -> str:
    """The colour of a status key (`STATUS_COLOURS`), or else the `index`-th colour of the fallback palette (cycling).

    Callers pass the position of the series among those shown, so that unknown keys get distinct colours.
    """
    if key in STATUS_COLOURS:
        return STATUS_COLOURS[key]
    return FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)]


@dataclass(frozen=True)
class Series:
    """One part of the stacked bars: its key in `BarRow.values`, its (translated) label and its colour."""

    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class BarRow:
    """One bar: its label and its non-negative counts by series key (a missing key counts 0)."""

    label: str
    values: dict[str, int]

    @property
    def total(self) -> int:
        """The sum of all the row's values (keys without a series included, so a bar may then stop short)."""
        return sum(self.values.values())


@dataclass(frozen=True)
class LineSeries:
    """One line of a line chart: a key, its (translated) label, its colour and one value (>= 0) per x label."""

    key: str
    label: str
    colour: str
    values: Sequence[int | float]


# Helpers -------------------------------------------------------------------------------------------------------------


def _num(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0"."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return str(rounded)


def _char_em(char: str) -> float:
    """The estimated advance of one character, in em."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return 0.6


def _text_width(text: str, size: float) -> float:
    """The estimated width of `text` at font size `size`, in px."""
    return sum(_char_em(char) for char in text) * size


def _fit(text: str, max_width: float, size: float) -> str:
    """`text`, or as much of it as fits in `max_width` followed by "…"."""
    if _text_width(text, size) <= max_width:
        return text
    room = max_width - _text_width("…", size)
    used = 0.0
    cut = 0
    for index, char in enumerate(text):
        used += _char_em(char) * size
        if used > room:
            # `char` has a width (a combining mark adds none), so the marks of the characters kept stay with them.
            cut = index
            break
    return text[:cut].rstrip() + "…"


def _is_rtl(text: str) -> bool:
    """Whether the first strong character of `text` is right-to-left."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


_ANCHORS = {"left": ("start", "end"), "right": ("end", "start"), "middle": ("middle", "middle")}


def _text(
    x: float, y: float, content: str, *, size: float, fill: str = TEXT_COLOUR, align: str = "left", css: str = ""
) -> str:
    """A `<text>` element aligned (visually) left, right or middle at `x`, whatever the direction of `content`."""
    ltr_anchor, rtl_anchor = _ANCHORS[align]
    if _is_rtl(content):
        direction = f' direction="rtl" text-anchor="{rtl_anchor}"'
    else:
        direction = f' text-anchor="{ltr_anchor}"'
    klass = f' class="{css}"' if css else ""
    return (
        f'<text{klass} x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" fill="{escape(fill)}"{direction}>'
        f"{escape(content)}</text>"
    )


def _baseline(middle: float, size: float) -> float:
    """The y of a text's baseline so that the text is centred vertically on `middle`."""
    return middle + size * 0.35


def _svg(*, chart_id: str, title: str, description: str, height: float, body: list[str]) -> SafeString:
    """The SVG document around `body`."""
    chart_id = escape(chart_id)
    height_text = _num(height)
    return mark_safe(  # everything in it was escaped
        "\n".join(
            [
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height_text}" '
                f'viewBox="0 0 {WIDTH} {height_text}" role="img" '
                f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
                f'font-family="{FONT_FAMILY}" direction="ltr">',
                f'<title id="{chart_id}-title">{escape(title)}</title>',
                f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
                f'<rect width="{WIDTH}" height="{height_text}" fill="{BACKGROUND_COLOUR}"/>',
                *body,
                "</svg>",
            ]
        )
    )


def _legend(items: Sequence[tuple[str, float, Callable[[float, float], str]]], top: float) -> tuple[list[str], float]:
    """A legend from `top` down: each item is (label, swatch width, a function drawing the swatch at (x, middle)).

    Items flow left to right and wrap onto further lines; a label too long for a whole line is shortened.
    Returns the elements and the height used.
    """
    if not items:
        return [], 0.0
    parts: list[str] = []
    right = WIDTH - PAD
    x = PAD
    line = 0
    for label, swatch_width, swatch in items:
        shown = _fit(label, right - PAD - swatch_width - 6, SMALL_SIZE)
        item_width = swatch_width + 6 + _text_width(shown, SMALL_SIZE)
        if x > PAD and x + item_width > right:
            x = PAD
            line += 1
        middle = top + line * LEGEND_LINE + LEGEND_LINE / 2
        tooltip = f"<title>{escape(label)}</title>" if shown != label else ""
        parts.append(
            f'<g class="rtc-legend-item">{tooltip}{swatch(x, middle)}'
            f"{_text(x + swatch_width + 6, _baseline(middle, SMALL_SIZE), shown, size=SMALL_SIZE)}</g>"
        )
        x += item_width + LEGEND_GAP
    return ['<g class="rtc-legend">', *parts, "</g>"], (line + 1) * LEGEND_LINE


# Stacked bars --------------------------------------------------------------------------------------------------------


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    rows: Sequence[BarRow],
    shares: bool = True,
    total_label: str = "{total}",
) -> SafeString:
    """Horizontal bars, one per row, split by series.

    shares=True: each bar is 100 % wide and segments are shares of the row's total (comparing groups of different
    sizes); shares=False: bar length proportional to the row total against the largest total. The row's total is
    written at the right end of each bar, formatted with total_label.format(total=...) (the caller passes a
    translated pattern such as "{total} recommendations" or "{total}"). A legend of the series (swatch + label) sits
    above the bars, wrapping onto several lines when needed. A row with total 0 shows an empty track. No rows: a
    small chart saying nothing (caller handles "no data" text).

    The label column takes the longest label's estimated width, at most 30 % of the chart; longer labels are
    shortened with "…" and every row's `<g>` keeps its full label in a `<title>` (a tooltip). Each segment has a
    `<title>` "series: value". The chart is 720 px wide and 28 px a row high, plus the legend.
    """
    if not rows:
        return _svg(chart_id=chart_id, title=title, description=description, height=EMPTY_HEIGHT, body=[])

    def swatch_for(colour: str) -> Callable[[float, float], str]:
        return lambda x, middle: (
            f'<rect x="{_num(x)}" y="{_num(middle - LEGEND_SWATCH / 2)}" width="{LEGEND_SWATCH}" '
            f'height="{LEGEND_SWATCH}" fill="{escape(colour)}"/>'
        )

    legend, legend_height = _legend([(item.label, LEGEND_SWATCH, swatch_for(item.colour)) for item in series], PAD)
    top = PAD + legend_height + (6 if legend_height else 0)

    label_column = round(
        min(max(max(_text_width(row.label, LABEL_SIZE) for row in rows) + 4, LABEL_COLUMN_MIN), LABEL_COLUMN_MAX), 1
    )
    totals = [total_label.format(total=row.total) for row in rows]
    number_margin = min(
        max(NUMBER_MARGIN, max(_text_width(text, SMALL_SIZE) for text in totals) + 14), NUMBER_MARGIN_MAX
    )
    bar_x = round(PAD + label_column + LABEL_GAP, 1)
    bar_width = round(WIDTH - number_margin - bar_x, 1)
    largest = max(row.total for row in rows)

    body = [*legend]
    for index, (row, total_text) in enumerate(zip(rows, totals, strict=True)):
        row_top = top + index * ROW_HEIGHT
        middle = row_top + ROW_HEIGHT / 2
        bar_y = _num(middle - BAR_HEIGHT / 2)
        parts = [
            '<g class="rtc-row">',
            f"<title>{escape(row.label)}</title>",
            _text(
                PAD + label_column,
                _baseline(middle, LABEL_SIZE),
                _fit(row.label, label_column, LABEL_SIZE),
                size=LABEL_SIZE,
                align="right",
                css="rtc-label",
            ),
        ]
        end = bar_x
        if row.total <= 0:
            parts.append(
                f'<rect class="rtc-track" x="{_num(bar_x)}" y="{bar_y}" width="{_num(bar_width)}" '
                f'height="{BAR_HEIGHT}" fill="{TRACK_COLOUR}"/>'
            )
        else:
            scale = bar_width / (row.total if shares else largest)
            running = 0
            left = bar_x
            for item in series:
                value = row.values.get(item.key, 0)
                if value <= 0:
                    continue
                running += value
                right = round(bar_x + running * scale, 1)
                width = round(right - left, 1)
                if width < 0.1:  # too thin to see; the next segment starts here
                    continue
                parts.append(
                    f'<rect class="rtc-segment" x="{_num(left)}" y="{bar_y}" width="{_num(width)}" '
                    f'height="{BAR_HEIGHT}" fill="{escape(item.colour)}" stroke="{BACKGROUND_COLOUR}" stroke-width="1">'
                    f"<title>{escape(item.label)}: {value}</title></rect>"
                )
                left = right
            end = round(bar_x + row.total * scale, 1)
        parts.append(
            _text(
                (bar_x + bar_width if row.total <= 0 else end) + 6,
                _baseline(middle, SMALL_SIZE),
                total_text,
                size=SMALL_SIZE,
                fill=MUTED_COLOUR,
                css="rtc-total",
            )
        )
        parts.append("</g>")
        body.append("".join(parts))
    height = top + len(rows) * ROW_HEIGHT + PAD
    return _svg(chart_id=chart_id, title=title, description=description, height=height, body=body)


# Line chart ----------------------------------------------------------------------------------------------------------


def _nice_scale(largest: float, integers: bool) -> tuple[float, int, int]:
    """The y axis for values from 0 to `largest`: (step, number of steps, decimals of the tick values).

    The step is 1, 2, 2.5 or 5 times a power of ten (2.5 only when it is not below 10 for counts), the smallest
    giving at most 5 steps; there are at least 3 steps so that the axis shows 4 to 6 grid lines, 0 included.
    """
    if largest <= 0:
        largest = 1
    exponent = math.floor(math.log10(largest / 5))
    if integers:
        exponent = max(exponent, 0)
    while True:
        for factor in (1, 2, 2.5, 5):
            if integers and factor == 2.5 and exponent < 1:
                continue
            step = factor * 10**exponent
            count = math.ceil(largest / step - 1e-9)
            if count <= 5:
                decimals = max(0, -exponent + (1 if factor == 2.5 else 0))
                return step, max(count, 3), decimals
        exponent += 1


def _x_label_indices(count: int, spacing: float, needed: float) -> list[int]:
    """Which of `count` x labels `spacing` px apart to show so that they are at least `needed` px apart.

    Every n-th from the first; the last always, dropping the one before it when they would be too close.
    """
    if count <= 1:
        return list(range(count))
    step = max(1, math.ceil(needed / spacing - 1e-9)) if spacing > 0 else count
    indices = list(range(0, count, step))
    if indices[-1] != count - 1:
        if len(indices) > 1 and (count - 1 - indices[-1]) * spacing < needed:
            indices.pop()
        indices.append(count - 1)
    return indices


def _marker(shape: str, x: float, y: float, colour: str, radius: float = 4) -> tuple[str, str]:
    """The opening and closing tags of a point marker (a closed shape centred on x, y), to put a `<title>` in."""
    colour = escape(colour)
    paint = f'fill="{colour}" stroke="{BACKGROUND_COLOUR}" stroke-width="1"'
    if shape == "circle":
        return f'<circle class="rtc-marker" cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}" {paint}>', "</circle>"
    side = radius * 1.7
    if shape == "square":
        return (
            f'<rect class="rtc-marker" x="{_num(x - side / 2)}" y="{_num(y - side / 2)}" width="{_num(side)}" '
            f'height="{_num(side)}" {paint}>',
            "</rect>",
        )
    r = radius * 1.25
    if shape == "diamond":
        points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    elif shape == "triangle":
        points = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    else:  # triangle-down
        points = [(x, y + r), (x + r, y - r * 0.8), (x - r, y - r * 0.8)]
    coordinates = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
    return f'<polygon class="rtc-marker" points="{coordinates}" {paint}>', "</polygon>"


def _format_value(value: float, decimals: int | None = None) -> str:
    """A value as written in a tooltip or on the axis."""
    if decimals is not None:
        return f"{value:.{decimals}f}"
    if isinstance(value, int):
        return str(value)
    return f"{value:g}"


def line_chart(
    *, chart_id: str, title: str, description: str, x_labels: Sequence[str], series: Sequence[LineSeries]
) -> SafeString:
    """One line per series over x_labels (e.g. months "2025-01").

    A y axis from 0 to a rounded 'nice' maximum with 4-5 grid lines and their values, x labels thinned so they do
    not overlap (first and last always shown), a point marker on each value when there are at most 24 points, and a
    legend above. Dash patterns differ per series (solid, dashed, dotted, …) so lines can be told apart without
    colour (WCAG 1.4.1); so do the markers' shapes. The chart is 720 × 320 px. Values must be >= 0, one per x label
    (ValueError otherwise); no x labels gives a small empty chart.
    """
    for item in series:
        if len(item.values) != len(x_labels):
            raise ValueError(f"Series {item.key!r} has {len(item.values)} values for {len(x_labels)} x labels.")
    if not x_labels:
        return _svg(chart_id=chart_id, title=title, description=description, height=EMPTY_HEIGHT, body=[])
    count = len(x_labels)
    with_markers = count <= MARKERS_UP_TO

    def swatch_for(index: int, colour: str) -> Callable[[float, float], str]:
        def swatch(x: float, middle: float) -> str:
            dash = DASH_PATTERNS[index % len(DASH_PATTERNS)]
            line = (
                f'<line x1="{_num(x)}" y1="{_num(middle)}" x2="{_num(x + LINE_SWATCH)}" y2="{_num(middle)}" '
                f'stroke="{escape(colour)}" stroke-width="2" stroke-dasharray="{dash}"/>'
            )
            if not with_markers:
                return line
            opening, closing = _marker(MARKER_SHAPES[index % len(MARKER_SHAPES)], x + LINE_SWATCH / 2, middle, colour)
            return line + opening + closing

        return swatch

    legend, legend_height = _legend(
        [(item.label, LINE_SWATCH, swatch_for(index, item.colour)) for index, item in enumerate(series)], PAD
    )

    values = [value for item in series for value in item.values]
    integers = all(isinstance(value, int) for value in values)
    step, steps, decimals = _nice_scale(max(values, default=0), integers)
    top_value = step * steps
    ticks = [_format_value(step * index, decimals) for index in range(steps + 1)]

    shown_labels = [_fit(label, 120, AXIS_SIZE) for label in x_labels]
    first_half = _text_width(shown_labels[0], AXIS_SIZE) / 2
    last_half = _text_width(shown_labels[-1], AXIS_SIZE) / 2
    left = round(max(PAD + max(_text_width(tick, AXIS_SIZE) for tick in ticks) + 8, PAD + first_half), 1)
    right = round(WIDTH - max(PAD + 8, PAD + last_half), 1)
    plot_top = round(PAD + legend_height + (12 if legend_height else 8), 1)
    plot_bottom = LINE_CHART_HEIGHT - 28
    plot_height = plot_bottom - plot_top

    def x_of(index: int) -> float:
        if count == 1:
            return (left + right) / 2
        return left + index * (right - left) / (count - 1)

    def y_of(value: float) -> float:
        return plot_bottom - value / top_value * plot_height

    body = [*legend, '<g class="rtc-axes">']
    for index, tick in enumerate(ticks):
        y = y_of(step * index)
        colour = AXIS_COLOUR if index == 0 else GRID_COLOUR
        klass = "rtc-baseline" if index == 0 else "rtc-grid"
        body.append(
            f'<line class="{klass}" x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" y2="{_num(y)}" '
            f'stroke="{colour}" stroke-width="1"/>'
        )
        body.append(
            _text(
                left - 6, _baseline(y, AXIS_SIZE), tick, size=AXIS_SIZE, fill=MUTED_COLOUR, align="right", css="rtc-y"
            )
        )
    spacing = (right - left) / (count - 1) if count > 1 else right - left
    needed = max(_text_width(label, AXIS_SIZE) for label in shown_labels) + 10
    for index in _x_label_indices(count, spacing, needed):
        x = x_of(index)
        body.append(
            f'<line x1="{_num(x)}" y1="{_num(plot_bottom)}" x2="{_num(x)}" y2="{_num(plot_bottom + 4)}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        body.append(
            _text(
                x,
                plot_bottom + 17,
                shown_labels[index],
                size=AXIS_SIZE,
                fill=MUTED_COLOUR,
                align="middle",
                css="rtc-x",
            )
        )
    body.append("</g>")

    for index, item in enumerate(series):
        colour = escape(item.colour)
        dash = DASH_PATTERNS[index % len(DASH_PATTERNS)]
        points = " ".join(f"{_num(x_of(i))},{_num(y_of(value))}" for i, value in enumerate(item.values))
        parts = [
            '<g class="rtc-series">',
            f"<title>{escape(item.label)}</title>",
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round" '
            f'stroke-dasharray="{dash}"/>',
        ]
        if with_markers:
            shape = MARKER_SHAPES[index % len(MARKER_SHAPES)]
            for i, value in enumerate(item.values):
                opening, closing = _marker(shape, x_of(i), y_of(value), item.colour)
                tooltip = f"{item.label}, {x_labels[i]}: {_format_value(value)}"
                parts.append(f"{opening}<title>{escape(tooltip)}</title>{closing}")
        parts.append("</g>")
        body.append("".join(parts))
    return _svg(chart_id=chart_id, title=title, description=description, height=LINE_CHART_HEIGHT, body=body)


# As a picture ---------------------------------------------------------------

# resvg lays right-to-left text out by its script but ignores the `direction` attribute, so for it the anchor of a
# right-to-left text is swapped back to the side it is drawn from (the browser needs the swap, resvg does not).
_RTL_ANCHORS = re.compile(r' direction="rtl" text-anchor="(start|end)"')


def as_png(svg: str, *, zoom: float = 2) -> bytes:
    """The chart as a PNG picture (for Word documents), `zoom` times its size, drawn by resvg with the system's
    fonts."""
    import resvg_py  # a compiled renderer: imported only where pictures are made

    flipped = _RTL_ANCHORS.sub(lambda m: f' text-anchor="{"end" if m[1] == "start" else "start"}"', svg)
    return bytes(resvg_py.svg_to_bytes(svg_string=flipped, zoom=zoom, background="#ffffff"))
