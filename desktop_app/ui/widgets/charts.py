"""Charts on screen: grouped (or stacked) bars and lines over categories, drawn by pyqtgraph.

Everything visible is one of pyqtgraph's items: ``BarGraphItem`` for bars, ``PlotDataItem`` for
lines and their markers, ``TextItem`` for the values written at the bars, ``LegendItem`` for the
legend, ``AxisItem`` ticks for the category names and the scale. The widgets only choose colours,
sizes and ranges, and show the values under the mouse as a tool tip.

pyqtgraph (and numpy with it) is imported when the first chart is made, not when this module is:
start-up time matters, and most sessions never show a chart.

Usage::

    chart = BarChartWidget(title="各类投诉件数", value_suffix="件")
    chart.set_data(["服务态度", "办事效率"], [("受理", [12, 7]), ("属实", [9, 5])])
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics
from PySide6.QtWidgets import QSizePolicy, QToolTip, QVBoxLayout, QWidget

# The same colours as the printed charts (notices/charts.py): apart in lightness, so that a
# screenshot printed in grey still tells the series apart.
PALETTE = ("#1F3F6B", "#E8A33D", "#B0443C", "#D5E0B5", "#7A9A3A", "#6FA8DC")
SYMBOLS = ("o", "s", "d", "t", "star", "h")
DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.SolidLine, Qt.PenStyle.DotLine)
TEXT = "#222222"
AXIS = "#555555"
OUTLINE = "#333333"
# More bars than this and their value labels would crowd each other: the tool tip has the values.
MAX_LABELLED_BARS = 36
# Head room above the tallest bar or point, for its value label.
HEADROOM = 1.15

SeriesData = tuple[str, Sequence[float | None]]


@dataclass(frozen=True)
class ChartSeries:
    """One named row of values, one per category; None: no value (a gap, not a zero)."""

    name: str
    values: tuple[float | None, ...]


def number_text(value: float, suffix: str = "") -> str:
    """12 → "12", 12.5 → "12.5", 12.345 → "12.3", then the suffix (as on paper)."""
    text = f"{value:.1f}".removesuffix(".0")
    return ("0" if text == "-0" else text) + suffix


def fit_label(name: str, width: float, metrics: QFontMetrics) -> str:
    """``name`` within ``width`` pixels: whole, else over two lines, the second cut short with …."""
    if width <= 0 or metrics.horizontalAdvance(name) <= width:
        return name
    split = 1
    while split < len(name) and metrics.horizontalAdvance(name[: split + 1]) <= width:
        split += 1
    first, rest = name[:split], name[split:]
    return first + "\n" + metrics.elidedText(rest, Qt.TextElideMode.ElideRight, int(width))


@functools.cache
def pyqtgraph() -> ModuleType:
    """pyqtgraph on the PySide6 binding, configured for the app's light theme (imported once)."""
    # pyqtgraph picks the first Qt binding it finds; PyQt would be a second Qt in the process.
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, background="w", foreground=AXIS)
    return pg


@functools.cache
def _axis_classes() -> tuple[type[Any], type[Any]]:
    """AxisItem subclasses, made on first use (the base class is pyqtgraph's)."""
    pg = pyqtgraph()

    class ValueAxis(pg.AxisItem):  # type: ignore[name-defined]
        """The scale: numbers written as on paper, with the suffix; whole steps for counts."""

        suffix = ""
        whole = False

        def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
            return [number_text(v * scale, self.suffix) for v in values]

        def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
            # Major steps only: each grid line has its number.
            step, offset = super().tickSpacing(minVal, maxVal, size)[0]
            if self.whole:
                step = max(1.0, step)  # no half a complaint on the scale
            return [(step, offset)]

        def boundingRect(self) -> Any:
            # With the grid on, pyqtgraph bounds the axis by the plot's height exactly and drops the
            # label of a tick on the plot's edge (the 0 at the foot of the bars): half a line more.
            return super().boundingRect().adjusted(0, -10, 0, 10)

    class CategoryAxis(pg.AxisItem):  # type: ignore[name-defined]
        """The category names as ticks under their bars. A name wider than its slot is broken over
        two lines, then cut short with … (the tool tip has it whole): never over its neighbour."""

        names: tuple[str, ...] = ()

        def set_names(self, names: Sequence[str]) -> None:
            self.names = tuple(names)
            self.fit_names()

        def fit_names(self) -> None:
            metrics = QFontMetrics(self.style["tickFont"] or QFont())
            slot = self.width() / max(len(self.names), 1) - 8
            labels = [fit_label(name, slot, metrics) for name in self.names]
            self.setTicks([list(enumerate(labels)), []])
            lines = max((label.count("\n") + 1 for label in labels), default=1)
            self.setHeight(lines * metrics.height() + 8)

        def resizeEvent(self, event: Any = None) -> None:
            super().resizeEvent(event)
            self.fit_names()

    return ValueAxis, CategoryAxis


class _Chart(QWidget):
    """What both charts share: the plot on a white ground, the title, the legend above the plot,
    the category axis, the scale, and the tool tip of the values under the mouse."""

    def __init__(self, parent: QWidget | None = None, *, title: str = "", value_suffix: str = "") -> None:
        super().__init__(parent)
        pg = pyqtgraph()
        value_axis, category_axis = _axis_classes()
        self._categories: tuple[str, ...] = ()
        self._series: tuple[ChartSeries, ...] = ()
        self.value_suffix = value_suffix
        self.setAccessibleName(title)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.view.ci.setContentsMargins(6, 6, 10, 6)
        self.view.ci.setSpacing(2)
        self.title_item = self.view.addLabel(title, row=0, col=0, color=TEXT, size="11pt")
        self.legend = pg.LegendItem(
            labelTextColor=TEXT, labelTextSize="9pt", colCount=1, frame=False, horSpacing=6
        )
        # As wide as its entries and centred, not stretched over the plot's width.
        self.legend.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.view.addItem(self.legend, row=1, col=0)
        self.view.ci.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignHCenter)
        self.value_axis = value_axis(orientation="left")
        self.value_axis.suffix = value_suffix
        self.category_axis = category_axis(orientation="bottom")
        self.plot_item = self.view.addPlot(
            row=2, col=0, axisItems={"left": self.value_axis, "bottom": self.category_axis}
        )
        plot = self.plot_item
        # A figure to read, not to explore: no panning, zooming, context menu or auto-range button.
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.getViewBox().setMouseEnabled(x=False, y=False)
        plot.showGrid(x=False, y=True, alpha=0.25)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0))
        for axis in (self.value_axis, self.category_axis):
            axis.setPen(pg.mkPen(AXIS))
            axis.setTextPen(pg.mkPen(TEXT))
            axis.setTickFont(font)
        self.category_axis.setStyle(tickLength=0)
        # One context for both kinds (self.tr would name the subclass at run time).
        self.empty_note = pg.TextItem(
            QCoreApplication.translate("Charts", "No data"), color=AXIS, anchor=(0.5, 0.5)
        )
        self.view.scene().sigMouseMoved.connect(self._hover)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.setMinimumSize(320, 220)

    # -- data -----------------------------------------------------------------------------------
    def set_data(self, categories: Sequence[str], series: Sequence[SeriesData]) -> None:
        """Show these figures instead of the ones shown: ``series`` as (name, one value per category)."""
        rows = tuple(ChartSeries(name, tuple(values)) for name, values in series)
        for row in rows:
            if len(row.values) != len(categories):
                raise ValueError(
                    f"series {row.name!r} has {len(row.values)} values for {len(categories)} categories"
                )
        self._categories = tuple(categories)
        self._series = rows
        self.plot_item.clear()
        self.legend.clear()
        self.legend.setColumnCount(max(1, len(rows)))  # one row, side by side
        present = [v for row in rows for v in row.values if v is not None]
        self.value_axis.whole = all(float(v).is_integer() for v in present)
        self._draw()
        self.category_axis.set_names(self._categories)
        low, high = self._value_range()
        self._fit_scale(low, high)
        self.plot_item.setXRange(-0.6, max(len(self._categories), 1) - 0.4, padding=0)
        self.plot_item.setYRange(low, high, padding=0)
        if not self._categories or not present:
            self.empty_note.setPos((len(self._categories) - 1) / 2 if self._categories else 0, high / 2)
            self.plot_item.addItem(self.empty_note)

    def categories(self) -> tuple[str, ...]:
        return self._categories

    def series(self) -> tuple[ChartSeries, ...]:
        return self._series

    def set_title(self, title: str) -> None:
        self.title_item.setText(title, color=TEXT, size="11pt")
        self.setAccessibleName(title)

    def title(self) -> str:
        return str(self.title_item.text)

    def value_text_at(self, x: float) -> str:
        """The tool tip over the category at ``x`` (plot coordinates): its name and each series' value."""
        index = round(x)
        if not 0 <= index < len(self._categories) or abs(x - index) > 0.5:
            return ""
        lines = [self._categories[index]]
        for row in self._series:
            value = row.values[index]
            lines.append(f"{row.name}：{'—' if value is None else number_text(value, self.value_suffix)}")
        return "\n".join(lines)

    # -- for the kinds --------------------------------------------------------------------------
    def _draw(self) -> None:
        raise NotImplementedError

    def _largest(self) -> float:
        return max((v for row in self._series for v in row.values if v is not None), default=0.0)

    def _smallest(self) -> float:
        return min((v for row in self._series for v in row.values if v is not None), default=0.0)

    def _value_range(self) -> tuple[float, float]:
        low = min(0.0, self._smallest())
        high = max(0.0, self._largest())
        if self.value_suffix == "%" and low >= 0 and high <= 100 and self._series:
            return 0.0, 100.0 * 1.08  # a rate is read against the whole scale
        if high <= low:
            return low, low + 1.0
        return low * HEADROOM, high * HEADROOM

    def _fit_scale(self, low: float, high: float) -> None:
        """The scale as wide as its widest number: pyqtgraph widens it only after a paint that
        dropped the labels that did not fit (the first picture of a chart would lack its 100%)."""
        samples = [low, high] if self.value_axis.whole else [low, high, high - 0.5, low - 0.5]
        texts = [number_text(v, self.value_suffix) for v in samples]
        metrics = QFontMetrics(self.value_axis.style["tickFont"] or self.font())
        self.value_axis.setWidth(max(metrics.horizontalAdvance(t) for t in texts) + 14)

    def _label(self, x: float, value: float, lift: float = 0.0) -> None:
        """The value written over (under, if negative) its bar or point; ``lift``: clear of a marker,
        in text heights."""
        pg = pyqtgraph()
        anchor = (0.5, 1.0 + lift) if value >= 0 else (0.5, -lift)
        label = pg.TextItem(number_text(value, self.value_suffix), color=TEXT, anchor=anchor)
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        label.setFont(font)
        label.setPos(x, value)
        self.plot_item.addItem(label)

    def _hover(self, scene_pos: QPointF) -> None:
        box = self.plot_item.getViewBox()
        if not box.sceneBoundingRect().contains(scene_pos):
            QToolTip.hideText()
            return
        text = self.value_text_at(box.mapSceneToView(scene_pos).x())
        if text:
            QToolTip.showText(QCursor.pos(), text, self.view)
        else:
            QToolTip.hideText()


class BarChartWidget(_Chart):
    """Bars over categories: one bar per series side by side in each category (``stacked``: one
    column per category, the series on top of each other), the value written above each bar."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        title: str = "",
        value_suffix: str = "",
        stacked: bool = False,
    ) -> None:
        super().__init__(parent, title=title, value_suffix=value_suffix)
        self.stacked = stacked

    def bar_items(self) -> list[Any]:
        """The BarGraphItems shown, one per series in order."""
        pg = pyqtgraph()
        return [item for item in self.plot_item.items if isinstance(item, pg.BarGraphItem)]

    def _draw(self) -> None:
        pg = pyqtgraph()
        count = max(len(self._series), 1)
        group = 0.8  # of each category's width
        width = group if self.stacked else group / count
        base = [0.0] * len(self._categories)
        labelled = not self.stacked and len(self._categories) * count <= MAX_LABELLED_BARS
        for index, row in enumerate(self._series):
            offset = 0.0 if self.stacked else -group / 2 + width * (index + 0.5)
            xs = [i + offset for i in range(len(self._categories))]
            heights = [v or 0.0 for v in row.values]
            item = pg.BarGraphItem(
                x=xs,
                height=heights,
                y0=list(base) if self.stacked else 0.0,
                width=width * (1.0 if self.stacked else 0.92),
                brush=pg.mkBrush(PALETTE[index % len(PALETTE)]),
                pen=pg.mkPen(OUTLINE, width=1),
                name=row.name,
            )
            self.plot_item.addItem(item)
            self.legend.addItem(item, row.name)
            if labelled:
                for x, value in zip(xs, row.values, strict=True):
                    if value is not None:
                        self._label(x, value)
            if self.stacked:
                base = [b + h for b, h in zip(base, heights, strict=True)]

    def _largest(self) -> float:
        if not self.stacked:
            return super()._largest()
        columns = zip(*(row.values for row in self._series), strict=True)
        return max((sum(v or 0 for v in column) for column in columns), default=0.0)


class LineChartWidget(_Chart):
    """One line per series over the categories (months, say), each with its own colour, dash and
    marker; a missing value leaves a gap. A single line has its values written at its points."""

    def line_items(self) -> list[Any]:
        """The PlotDataItems shown, one per series in order."""
        return list(self.plot_item.listDataItems())

    def _draw(self) -> None:
        pg = pyqtgraph()
        labelled = len(self._series) == 1 and len(self._categories) <= MAX_LABELLED_BARS
        for index, row in enumerate(self._series):
            colour = PALETTE[index % len(PALETTE)]
            points = [(x, v) for x, v in enumerate(row.values) if v is not None]
            # A series without any value is drawn empty (pyqtgraph warns on a line of gaps only),
            # and still named in the legend.
            item = pg.PlotDataItem(
                x=list(range(len(self._categories))) if points else [],
                y=[math.nan if v is None else v for v in row.values] if points else [],
                connect="finite",  # a gap where a value is missing, not a line across it
                pen=pg.mkPen(colour, width=2.5, style=DASHES[index % len(DASHES)]),
                symbol=SYMBOLS[index % len(SYMBOLS)],
                symbolSize=8,
                symbolBrush=pg.mkBrush(colour),
                symbolPen=pg.mkPen(QColor(OUTLINE), width=1),
                name=row.name,
            )
            self.plot_item.addItem(item)
            self.legend.addItem(item, row.name)
            if labelled:
                for x, value in enumerate(row.values):
                    if value is not None:
                        self._label(x, value, lift=0.25)
