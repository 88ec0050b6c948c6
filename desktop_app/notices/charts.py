"""Charts on paper: a plain description of a chart (``ChartSpec``) and its reportlab drawing.

Everything is drawn by reportlab's own chart widgets (``reportlab.graphics.charts``): bars, lines,
axes, value labels and the legend. This module only chooses sizes, the font and the colours. The
colours are print-friendly and keep apart on a grey-scale printer (their lightness differs by a
clear step); lines also differ by marker and dash.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.validators import Auto

from desktop_app.notices.base import BLACK, GREY
from desktop_app.notices.fonts import ensure_font, text_width

ChartKind = Literal["bar", "stacked_bar", "horizontal_bar", "line"]
CHART_KINDS: tuple[str, ...] = ("bar", "stacked_bar", "horizontal_bar", "line")


@dataclass(frozen=True)
class Series:
    """One named row of values, one value per category; None: no value (a gap, not a zero)."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class ChartSpec:
    """A chart as plain data (kept in a document's archived content, so a reprint draws it again).

    ``kind``: ``bar`` (grouped columns), ``stacked_bar``, ``horizontal_bar`` (grouped bars, for long
    category names) or ``line``. ``value_suffix`` follows every value on the axis and the labels
    (``%``, ``件``)."""

    kind: ChartKind
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_suffix: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise ValueError(f"chart kind {self.kind!r} is not one of {CHART_KINDS}")
        if not self.series:
            raise ValueError(f"chart {self.title!r} has no series")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"series {series.name!r} of chart {self.title!r} has {len(series.values)} values "
                    f"for {len(self.categories)} categories"
                )

    def texts(self) -> list[str]:
        return [self.title, self.value_suffix, *self.categories, *(s.name for s in self.series)]

    @classmethod
    def from_plain(cls, data: dict[str, Any]) -> ChartSpec:
        """From the dict that ``documents.to_content`` wrote (lists already made tuples)."""
        series = tuple(Series(s["name"], tuple(s["values"])) for s in data["series"])
        return cls(**{**data, "series": series})


# Print-friendly and apart in grey: lightness 58, 172, 99, 216, 133, 157 (ITU-R 601 luma).
PALETTE: tuple[Color, ...] = tuple(
    HexColor(code) for code in ("#1F3F6B", "#E8A33D", "#B0443C", "#D5E0B5", "#7A9A3A", "#6FA8DC")
)
# Lines are told apart by their markers and dashes too.
MARKERS = ("FilledCircle", "FilledSquare", "FilledDiamond", "FilledTriangle", "Circle", "Square")
DASHES: tuple[tuple[float, ...] | None, ...] = (None, (4, 2), None, (1.5, 1.5), (6, 2, 1.5, 2), None)
GRID = HexColor("#D0D0D0")

TITLE_SIZE = 10.5
LABEL_SIZE = 7.5
VALUE_SIZE = 6.5
# More bars than this and their value labels would crowd each other: the axis carries the values.
MAX_LABELLED_BARS = 36


def number_text(value: float, suffix: str = "") -> str:
    """12 → "12", 12.5 → "12.5", 12.345 → "12.3" (one decimal at most), then the suffix."""
    text = f"{value:.1f}".removesuffix(".0")
    return ("0" if text == "-0" else text) + suffix


def color(index: int) -> Color:
    return PALETTE[index % len(PALETTE)]


def chart_drawing(spec: ChartSpec, width: float, height: float) -> Drawing:
    """The chart as a reportlab Drawing (a flowable) of the given size in points: title, legend,
    axes, bars or lines, value labels; every string in the embedded CJK font."""
    font = ensure_font()
    # The renderer's first state sets this font: the default (Helvetica) would otherwise be named,
    # unembedded, in the page's resources.
    drawing = Drawing(width, height, initialFontName=font, initialFontSize=LABEL_SIZE)
    drawing.add(
        String(
            width / 2,
            height - TITLE_SIZE,
            spec.title,
            fontName=font,
            fontSize=TITLE_SIZE,
            fillColor=BLACK,
            textAnchor="middle",
        )
    )
    legend_top = height - TITLE_SIZE - 6
    chart = _chart(spec)
    # Under the legend; lower still when a value is written above the top of the scale.
    _place(chart, spec, width, legend_top - LABEL_SIZE - 8 - (VALUE_SIZE + 2 if labelled(spec) else 0))
    # The chart first: it counts its series as it draws, and the legend asks it for them.
    drawing.add(chart)
    drawing.add(_legend(chart, spec, width / 2, legend_top))
    return drawing


def _chart(spec: ChartSpec) -> BarChart | HorizontalLineChart:
    font = ensure_font()
    data = [list(s.values) for s in spec.series]
    chart: BarChart | HorizontalLineChart
    if spec.kind == "line":
        chart = HorizontalLineChart()
        chart.joinedLines = 0
        for index, series in enumerate(spec.series):
            line = chart.lines[index]
            # reportlab refuses to join fewer than two points: such a series is its marker alone.
            drawn = sum(v is not None for v in series.values)
            line.lineStyle = "joinedLine" if drawn >= 2 else "line"
            line.strokeColor = color(index)
            line.strokeWidth = 1.6
            line.name = series.name
            line.symbol = makeMarker(MARKERS[index % len(MARKERS)], size=4.5)
            dash = DASHES[index % len(DASHES)]
            if dash:
                line.strokeDashArray = dash
        if labelled(spec):
            # reportlab numbers a line's labels by its drawn points, skipping gaps, not by category:
            # the labels are given in that order.
            chart.lineLabelFormat = "values"
            chart.lineLabelArray = [
                [number_text(v, spec.value_suffix) for v in s.values if v is not None] for s in spec.series
            ]
            chart.lineLabels.fontName = font
            chart.lineLabels.fontSize = VALUE_SIZE
            chart.lineLabels.fillColor = GREY
            chart.lineLabels.dy = 6
    else:
        chart = HorizontalBarChart() if spec.kind == "horizontal_bar" else VerticalBarChart()
        if spec.kind == "horizontal_bar":
            chart.categoryAxis.reverseDirection = 1  # the first category at the top, as it is read
        chart.strokeColor = None
        chart.bars.strokeColor = BLACK
        chart.bars.strokeWidth = 0.4
        for index, series in enumerate(spec.series):
            chart.bars[index].fillColor = color(index)
            chart.bars[index].name = series.name
        chart.groupSpacing = 6
        chart.barSpacing = 1
        if spec.kind == "stacked_bar":
            chart.categoryAxis.style = "stacked"
        if labelled(spec):
            chart.barLabelFormat = _formatter(spec.value_suffix)
            chart.barLabels.fontName = font
            chart.barLabels.fontSize = VALUE_SIZE
            chart.barLabels.fillColor = BLACK
            chart.barLabels.nudge = 5
    chart.data = data
    chart.categoryAxis.categoryNames = list(spec.categories)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.strokeColor = GREY
    # The names at the foot of the plot, not at the zero line (where a negative bar would cover them).
    chart.categoryAxis.labelAxisMode = "low"
    axis = chart.valueAxis
    axis.labels.fontName = font
    axis.labels.fontSize = LABEL_SIZE
    axis.labelTextFormat = _formatter(spec.value_suffix)
    axis.strokeColor = GREY
    axis.visibleGrid = 1
    axis.gridStrokeColor = GRID
    axis.gridStrokeWidth = 0.4
    axis.rangeRound = "ceiling"
    present = [v for s in spec.series for v in s.values if v is not None]
    largest = _largest(spec, present)
    # From zero (a bar's length is its value); given, because reportlab cannot look for the least
    # value of a chart without any (no categories, or every value missing).
    axis.valueMin = min([0.0, *present])
    if spec.value_suffix == "%" and present and min(present) >= 0 and largest <= 100:
        # A rate is read against the whole scale.
        axis.valueMax = 100
        axis.valueStep = 20
        return chart
    if largest <= 0:
        axis.valueMax = 1  # an empty month still gets a readable scale
        axis.valueStep = 1
    elif labelled(spec):
        # Room above the tallest bar (or right of the longest, or above a point) for its label.
        axis.avoidBoundFrac = 0.12
    if present and all(float(v).is_integer() for v in present) and largest <= 5:
        axis.valueStep = 1  # counts: no 0.5 of a complaint on the axis
    return chart


def labelled(spec: ChartSpec) -> bool:
    """Whether each value is written at its bar or point. Not on stacked bars (the axis reads the
    segments), nor on two or more lines (their labels would fall on each other), nor on more bars
    than fit their labels side by side."""
    if spec.kind == "stacked_bar" or (spec.kind == "line" and len(spec.series) > 1):
        return False
    return len(spec.categories) * len(spec.series) <= MAX_LABELLED_BARS


def _largest(spec: ChartSpec, present: Sequence[float]) -> float:
    if spec.kind == "stacked_bar":
        sums = [sum(v or 0 for v in column) for column in zip(*(s.values for s in spec.series), strict=True)]
        return max(sums, default=0)
    return max(present, default=0)


def _formatter(suffix: str) -> Callable[[float | None], str]:
    def format_value(value: float | None) -> str:
        return "" if value is None else number_text(value, suffix)

    return format_value


def _legend(chart: BarChart | HorizontalLineChart, spec: ChartSpec, centre: float, top: float) -> Legend:
    legend = Legend()
    legend.fontName = ensure_font()
    legend.fontSize = LABEL_SIZE
    legend.boxAnchor = "n"
    legend.x = centre
    legend.y = top
    legend.alignment = "right"  # the swatch, then its name
    legend.columnMaximum = 1  # one row, side by side
    legend.deltax = 0  # each entry as wide as its name
    legend.variColumn = 1
    legend.autoXPadding = 14
    legend.dx = 14 if spec.kind == "line" else 8
    legend.dy = 7
    legend.dxTextSpace = 4
    legend.strokeWidth = 0.4
    legend.strokeColor = BLACK
    # The chart draws each swatch itself: a bar's fill and outline, a line's colour, dash and marker.
    legend.colorNamePairs = Auto(obj=chart)
    return legend


def _place(chart: BarChart | HorizontalLineChart, spec: ChartSpec, width: float, top: float) -> None:
    """The plot area inside ``width`` × ``top``, leaving room for the axis labels."""
    longest_category = max((text_width(c, LABEL_SIZE) for c in spec.categories), default=0.0)
    value_labels = [number_text(v, spec.value_suffix) for v in (0.0, _largest_value(spec) * 1.2)]
    value_width = max(text_width(t, LABEL_SIZE) for t in value_labels)
    right = 12.0
    if spec.kind == "horizontal_bar":
        left = longest_category + 10
        bottom = LABEL_SIZE + 8
    else:
        left = value_width + 10
        plot_width = width - left - right
        slot = plot_width / max(len(spec.categories), 1)
        if longest_category > slot - 4:
            # Names wider than their slot are set aslant rather than over each other.
            labels = chart.categoryAxis.labels
            labels.angle = 35
            labels.boxAnchor = "ne"
            labels.dx = 2
            bottom = longest_category * 0.58 + LABEL_SIZE + 8
            # The first name reaches left of its slot, by its length along the slant.
            left = max(left, longest_category * 0.82 - slot / 2 + 4)
        else:
            bottom = LABEL_SIZE + 10
    chart.x = left
    chart.y = bottom
    chart.width = width - left - right
    chart.height = max(top - bottom - 4, 20)


def _largest_value(spec: ChartSpec) -> float:
    present = [v for s in spec.series for v in s.values if v is not None]
    return max(_largest(spec, present), 1.0)
