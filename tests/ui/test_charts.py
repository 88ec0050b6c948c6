"""The chart widgets (pyqtgraph) as a user sees them: the bars and lines pyqtgraph holds, the strings
its axes draw, the legend, the values under the mouse, the pixels of a grab, and that pyqtgraph is
imported only when a chart is made."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QToolTip

from desktop_app import app as app_module
from desktop_app.ui.widgets.charts import (
    PALETTE,
    BarChartWidget,
    ChartSeries,
    LineChartWidget,
    number_text,
    pyqtgraph,
)

ROOT = Path(__file__).resolve().parents[2]
CATEGORIES = ["服务态度", "办事效率", "业务差错", "廉洁纪律", "环境设施"]
MONTHS = [f"{m}月" for m in range(1, 13)]
RATES = [100, 95, 92.5, None, 88, 90, 97, 100, 99, 96, 94, 100]


@pytest.fixture(autouse=True)
def app_font(qapp: QApplication) -> None:
    app_module.install_font(qapp)  # the Chinese names are drawn in the bundled font, as in the app


@pytest.fixture
def shown(qtbot: Any) -> Iterator[Any]:
    def show(widget: Any, width: int = 640, height: int = 400) -> Any:
        qtbot.addWidget(widget)
        widget.resize(width, height)  # a quarter of a 1280×800 screen
        widget.show()
        qtbot.waitExposed(widget)
        QApplication.processEvents()
        return widget

    yield show
    QToolTip.hideText()


def drawn_strings(axis: Any) -> list[str]:
    """The tick texts the axis draws now, in order (pyqtgraph leaves out those that would not fit)."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _, _, text in texts]


def text_items(chart: Any) -> list[str]:
    pg = pyqtgraph()
    return [item.toPlainText() for item in chart.plot_item.items if isinstance(item, pg.TextItem)]


def legend_names(chart: Any) -> list[str]:
    return [label.text for _, label in chart.legend.items]


def colour_count(image: QImage, colour: str, tolerance: int = 10) -> int:
    want = QColor(colour)
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - want.red()) <= tolerance
                and abs(pixel.green() - want.green()) <= tolerance
                and abs(pixel.blue() - want.blue()) <= tolerance
            ):
                count += 1
    return count


# -- bars ------------------------------------------------------------------------------------------
def test_grouped_bars_show_the_given_figures(shown: Any) -> None:
    chart = shown(BarChartWidget(title="各类投诉件数", value_suffix="件"))
    chart.set_data(CATEGORIES, [("受理", [12, 7, 3, 1, 4]), ("属实", [9, 5, 2, 0, 2])])
    QApplication.processEvents()
    accepted, founded = chart.bar_items()
    assert list(accepted.opts["height"]) == [12, 7, 3, 1, 4]
    assert list(founded.opts["height"]) == [9, 5, 2, 0, 2]
    # Side by side within each category: the first series left of the second, both around the name.
    for index in range(len(CATEGORIES)):
        left, right = accepted.opts["x"][index], founded.opts["x"][index]
        assert index - 0.5 < left < index < right < index + 0.5
    assert drawn_strings(chart.category_axis) == CATEGORIES
    assert drawn_strings(chart.value_axis) == ["0件", "5件", "10件"]  # whole steps for counts
    assert legend_names(chart) == ["受理", "属实"]
    assert sorted(text_items(chart)) == sorted(number_text(v, "件") for v in (12, 7, 3, 1, 4, 9, 5, 2, 0, 2))
    assert chart.title() == "各类投诉件数" and chart.accessibleName() == "各类投诉件数"
    assert chart.series() == (ChartSeries("受理", (12, 7, 3, 1, 4)), ChartSeries("属实", (9, 5, 2, 0, 2)))


def test_setting_new_data_replaces_the_old(shown: Any) -> None:
    chart = shown(BarChartWidget(title="投诉件数"))
    chart.set_data(CATEGORIES, [("受理", [12, 7, 3, 1, 4]), ("属实", [9, 5, 2, 0, 2])])
    chart.set_data(["窗口", "电话", "12345转办"], [("件数", [4, 2, 6])])
    QApplication.processEvents()
    (only,) = chart.bar_items()
    assert list(only.opts["height"]) == [4, 2, 6]
    assert drawn_strings(chart.category_axis) == ["窗口", "电话", "12345转办"]
    assert legend_names(chart) == ["件数"]
    assert sorted(text_items(chart)) == ["2", "4", "6"]  # the old values' labels are gone
    chart.set_data([], [])
    QApplication.processEvents()
    assert chart.bar_items() == [] and legend_names(chart) == []
    assert text_items(chart) == ["No data"]


def test_long_category_names_never_run_into_each_other(shown: Any) -> None:
    names = ["交易服务部", "综合办公室（信息中心）", "场地管理部", "财务部", "专家管理科", "政府采购科"]
    names += ["工程建设科", "党群工作部"]
    chart = shown(BarChartWidget(title="各部门投诉件数"))
    chart.set_data(names, [("受理", [5, 2, 1, 0, 3, 7, 4, 1]), ("属实", [2, 1, 0, 0, 1, 3, 2, 0])])
    QApplication.processEvents()
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = chart.category_axis.generateDrawSpecs(painter)
        # Where the text really goes: the painter's own measure of each (multi-line) string.
        boxes = [painter.boundingRect(rect, flags, text) for rect, flags, text in texts]
    finally:
        painter.end()
    assert len(texts) == len(names)  # every category named
    for left, right in itertools.pairwise(boxes):
        assert left.right() < right.left()
    drawn = [text for _, _, text in texts]
    changed = [(name, text) for name, text in zip(names, drawn, strict=True) if text != name]
    assert [name for name, _ in changed] == ["综合办公室（信息中心）"]
    first, second = changed[0][1].split("\n")
    assert first and names[1].startswith(first) and second.endswith("…")
    # The whole name is in the tool tip.
    assert chart.value_text_at(1).startswith("综合办公室（信息中心）\n")
    # Wide enough, every name is whole on one line.
    chart.resize(1280, 400)
    QApplication.processEvents()
    assert drawn_strings(chart.category_axis) == names


def test_stacked_bars_stand_on_each_other(shown: Any) -> None:
    chart = shown(BarChartWidget(title="各渠道投诉件数", stacked=True))
    chart.set_data(MONTHS[:3], [("窗口", [3, 4, 2]), ("电话", [2, 2, 1]), ("差评", [0, 1, 5])])
    QApplication.processEvents()
    window, phone, rating = chart.bar_items()
    assert list(phone.opts["y0"]) == [3, 4, 2]
    assert list(rating.opts["y0"]) == [5, 6, 3]
    assert list(window.opts["x"]) == list(rating.opts["x"]) == [0, 1, 2]  # one column per month
    low, high = chart.plot_item.getViewBox().viewRange()[1]
    assert low == 0 and high >= 8  # the tallest column fits: 2 + 1 + 5 in 3月
    assert text_items(chart) == []  # segments are read on the scale and in the tool tip


def test_a_series_must_have_one_value_per_category(shown: Any) -> None:
    chart = shown(BarChartWidget())
    with pytest.raises(ValueError, match="3 values for 2 categories"):
        chart.set_data(["甲", "乙"], [("件数", [1, 2, 3])])


def test_the_grab_shows_the_bars_in_the_palette_on_white(shown: Any) -> None:
    chart = shown(BarChartWidget(title="各类投诉件数", value_suffix="件"))
    chart.set_data(CATEGORIES, [("受理", [12, 7, 3, 1, 4]), ("属实", [9, 5, 2, 0, 2])])
    QApplication.processEvents()
    image = chart.grab().toImage()
    total = (image.width() // 2 + 1) * (image.height() // 2 + 1)
    assert colour_count(image, "#FFFFFF", 3) > total * 0.5  # a light theme
    assert colour_count(image, PALETTE[0]) > total * 0.02
    assert colour_count(image, PALETTE[1]) > total * 0.01


# -- lines -----------------------------------------------------------------------------------------
def test_lines_show_each_series_with_a_gap_where_a_value_is_missing(shown: Any) -> None:
    chart = shown(LineChartWidget(title="按时办结率与满意率", value_suffix="%"))
    satisfied = [90, 85, 80, 82, 88, 91, 93, 89, 90, 92, 95, 96]
    chart.set_data(MONTHS, [("按时办结率", RATES), ("满意率", satisfied)])
    QApplication.processEvents()
    on_time, satisfaction = chart.line_items()
    xs, ys = on_time.getData()
    assert list(xs) == list(range(12))
    assert [None if math.isnan(y) else y for y in ys] == RATES
    assert on_time.opts["connect"] == "finite"  # the line stops at 4月 rather than crossing it
    assert list(satisfaction.getData()[1]) == satisfied
    assert on_time.opts["symbol"] != satisfaction.opts["symbol"]  # apart without colour too
    assert legend_names(chart) == ["按时办结率", "满意率"]
    assert drawn_strings(chart.category_axis) == MONTHS  # all twelve months fit a quarter screen
    scale = drawn_strings(chart.value_axis)
    assert scale[0] == "0%" and scale[-1] == "100%"  # a rate against the whole scale
    assert text_items(chart) == []  # two lines' labels would fall on each other


def test_a_single_line_has_its_values_written_at_its_points(shown: Any) -> None:
    chart = shown(LineChartWidget(title="月度投诉件数"))
    chart.set_data(MONTHS[:6], [("件数", [3, 5, None, 8, 6, 4])])
    QApplication.processEvents()
    assert text_items(chart) == ["3", "5", "8", "6", "4"]
    chart.set_data(MONTHS[:2], [("件数", [1, 2])])
    QApplication.processEvents()
    assert text_items(chart) == ["1", "2"]
    assert len(chart.line_items()) == 1


def test_a_line_without_any_value_is_named_but_not_drawn(shown: Any) -> None:
    chart = shown(LineChartWidget(title="本月按时办结率", value_suffix="%"))
    chart.set_data(MONTHS[:2], [("按时办结率", [None, None])])  # no warning from pyqtgraph either
    QApplication.processEvents()
    (line,) = chart.line_items()
    xs, _ = line.getData()
    assert xs is None or len(xs) == 0
    assert legend_names(chart) == ["按时办结率"]
    assert text_items(chart) == ["No data"]


def test_the_grab_of_a_line_chart_is_drawn(shown: Any) -> None:
    chart = shown(LineChartWidget(title="按时办结率", value_suffix="%"))
    chart.set_data(MONTHS, [("按时办结率", RATES)])
    QApplication.processEvents()
    image = chart.grab().toImage()
    assert colour_count(image, PALETTE[0], 25) > 150  # the line and its markers


# -- the values under the mouse --------------------------------------------------------------------
def test_the_tool_tip_names_the_category_and_every_value(shown: Any) -> None:
    chart = shown(LineChartWidget(value_suffix="%"))
    chart.set_data(MONTHS, [("按时办结率", RATES), ("满意率", [90] * 12)])
    assert chart.value_text_at(2.2) == "3月\n按时办结率：92.5%\n满意率：90%"
    assert chart.value_text_at(3) == "4月\n按时办结率：—\n满意率：90%"
    assert chart.value_text_at(-0.6) == "" and chart.value_text_at(11.7) == ""


def test_moving_the_mouse_over_a_bar_shows_its_values(shown: Any, qtbot: Any) -> None:
    chart = shown(BarChartWidget(value_suffix="件"))
    chart.set_data(CATEGORIES, [("受理", [12, 7, 3, 1, 4])])
    QApplication.processEvents()
    box = chart.plot_item.getViewBox()
    over = box.mapViewToScene(QPointF(1.1, 3))
    chart.view.scene().sigMouseMoved.emit(over)
    qtbot.waitUntil(lambda: QToolTip.text() == "办事效率\n受理：7件", timeout=2000)
    chart.view.scene().sigMouseMoved.emit(QPointF(0, 0))  # the title, outside the plot
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)


# -- the library ----------------------------------------------------------------------------------
def test_pyqtgraph_draws_with_pyside6() -> None:
    pg = pyqtgraph()
    assert pg.Qt.QT_LIB == "PySide6"
    assert "PyQt5" not in sys.modules and "PyQt6" not in sys.modules


def test_importing_the_chart_module_loads_neither_pyqtgraph_nor_numpy() -> None:
    """Pages import the module at start-up; the library (about half a second) waits for a chart."""
    code = (
        "import json, sys\n"
        "import desktop_app.ui.widgets.charts\n"
        "print(json.dumps(sorted(m for m in ('pyqtgraph', 'numpy') if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []
