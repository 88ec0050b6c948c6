"""Charts on a table report, as a reader sees them: the text layer (pdftotext, with word boxes), the
pixels of the page (pdftoppm), their place on the page, and the colours on a grey-scale printer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from desktop_app.notices import documents
from desktop_app.notices.charts import PALETTE, ChartSpec, Series, number_text
from desktop_app.notices.table_report import TableReport, render_table_report

from . import support
from .support import MONTHS, STAMP, Word

DPI = 100
SCALE = DPI / 72


def rendered(report: TableReport, folder: Path, name: str = "report.pdf") -> Path:
    return support.save(render_table_report(report, STAMP), folder, name)


def word(page: support.PageWords, text: str) -> Word:
    found = [w for w in page.words if w.text == text]
    assert len(found) == 1, (text, [w.text for w in page.words][:80])
    return found[0]


def centre(w: Word) -> float:
    return (w.x0 + w.x1) / 2


def near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def rgb(index: int) -> tuple[int, int, int]:
    red, green, blue = PALETTE[index].rgb()
    return round(red * 255), round(green * 255), round(blue * 255)


def luma(index: int) -> float:
    red, green, blue = rgb(index)
    return 0.299 * red + 0.587 * green + 0.114 * blue


def single_chart(spec: ChartSpec, **changes: object) -> TableReport:
    return replace(support.table_report(3), charts=(spec,), **changes)  # type: ignore[arg-type]


# -- text ------------------------------------------------------------------------------------------
def test_the_text_layer_has_titles_categories_legend_and_values(tmp_path):
    pdf = rendered(support.chart_report(), tmp_path)
    text = support.pdf_text(pdf, page=1)
    bar, line = support.charts()
    expected = [bar.title, line.title, *bar.categories, *MONTHS, "受理", support.LATIN, "按时办结率"]
    # Values at their bars and points, with the suffix; the axes' scale too.
    expected += ["12件", "7件", "0件", "92.5%", "100%", "0%"]
    for item in expected:
        assert item in text, (item, text[:1500])


def test_charts_above_come_between_the_title_block_and_the_table(tmp_path):
    pdf = rendered(support.chart_report(), tmp_path)
    page = support.pdf_words(pdf)[0]
    title = word(page, "2026年11月入场信用查询登记表")
    bar_title, line_title = word(page, "各类投诉件数"), word(page, "各月按时办结率")
    header = word(page, "序号")
    assert title.y1 < bar_title.y0 < line_title.y0 < header.y0


def test_charts_below_follow_the_totals_and_the_signoff_never_stands_alone(tmp_path):
    for rows in (3, 20, 30, 45):
        pdf = rendered(support.chart_report(rows, "below", signoff=True), tmp_path, f"below-{rows}.pdf")
        pages = support.pdf_words(pdf)
        text = support.pdf_text(pdf)
        assert text.index("TOTALS-ROW") < text.index("各类投诉件数") < text.index("各月按时办结率")
        # The 落款 shares its page with the last chart (body text, as GB/T 9704 asks).
        last = pages[-1]
        seal = word(last, "盖章处")
        assert word(last, "各月按时办结率").y1 < seal.y0, rows
        assert "注：本表由诚信服务台自动生成。" in support.pdf_text(pdf, page=len(pages))


def test_a_value_after_a_gap_is_labelled_at_its_own_month(tmp_path):
    """reportlab numbers a line's labels by drawn point: after the month without a value (10月) each
    label must still stand over its own month."""
    pdf = rendered(support.chart_report(), tmp_path)
    page = support.pdf_words(pdf)[0]
    for month, label in (("7月", "100%"), ("9月", "92.5%"), ("11月", "88%"), ("12月", "90%")):
        # The nearest word of that text (100% is on the scale at the left too).
        x = centre(word(page, month))
        assert min(abs(centre(w) - x) for w in page.words if w.text == label) < 3, (month, label)
    x = centre(word(page, "10月"))
    assert not [w.text for w in page.words if abs(centre(w) - x) < 8 and w.text.endswith("%")]


def test_a_rate_is_read_against_the_whole_scale(tmp_path):
    spec = ChartSpec("line", "满意率", MONTHS, (Series("满意率", (90, 85, 80, 82, 88, 91)),), "%")
    text = support.pdf_text(rendered(single_chart(spec), tmp_path))
    assert "100%" in text and "120%" not in text


def test_a_horizontal_bar_chart_lists_its_categories_from_the_top(tmp_path):
    names = ("交易服务部", "综合办公室（信息中心）", "场地管理部")
    spec = ChartSpec("horizontal_bar", "各部门投诉件数", names, (Series("件数", (5, 2, 1)),))
    page = support.pdf_words(rendered(single_chart(spec), tmp_path))[0]
    tops = [word(page, name).y0 for name in names]
    assert tops == sorted(tops)
    # Each value is written at the end of its own bar: on its category's line, right of its name.
    for name, value in zip(names, ("5", "2", "1"), strict=True):
        label = [w for w in page.words if w.text == value and abs(w.y0 - word(page, name).y0) < 4]
        assert label and label[0].x0 > word(page, name).x1, name


def test_a_stacked_bar_chart_scales_to_the_tallest_column(tmp_path):
    spec = ChartSpec(
        "stacked_bar",
        "各渠道投诉件数",
        MONTHS,
        (
            Series("窗口", (3, 4, 2, 5, 1, 0)),
            Series("电话", (2, 2, 1, 3, 2, 1)),
            Series("差评", (0, 1, 1, 4, 2, 2)),
        ),
    )
    page = support.pdf_words(rendered(single_chart(spec), tmp_path))[0]
    scale = [int(w.text) for w in page.words if w.text.isdigit() and w.x1 < 30 * mm]
    assert max(scale) >= 12  # 5 + 3 + 4 in 10月
    assert {"窗口", "电话", "差评"} <= {w.text for w in page.words}


def test_a_chart_of_zeros_has_a_readable_scale(tmp_path):
    spec = ChartSpec("bar", "本月投诉", ("窗口", "电话"), (Series("件数", (0, 0)),))
    text = support.pdf_text(rendered(single_chart(spec), tmp_path))
    assert "本月投诉" in text and "0" in text and "1" in text


@pytest.mark.parametrize("kind", ["bar", "stacked_bar", "horizontal_bar", "line"])
def test_charts_of_little_or_no_data_still_print(kind, tmp_path):
    """No categories, every value missing, a single point (reportlab refuses to join fewer than two),
    a negative value: each a chart on paper, not an exception."""
    specs = (
        ChartSpec(kind, "无类别", (), (Series("件数", ()),)),
        ChartSpec(kind, "一个值", ("甲",), (Series("缺", (None,)), Series("有", (3,)))),
        ChartSpec(kind, "有负值", ("甲", "乙"), (Series("分", (-3, 2)),)),
    )
    report = replace(support.table_report(1), charts=specs)
    text = support.pdf_text(rendered(report, tmp_path))
    assert all(spec.title in text for spec in specs)
    assert "有" in text and "-3" in text


# -- pixels ----------------------------------------------------------------------------------------
def chart_box(pdf: Path, folder: Path) -> tuple[support.Image.Image, tuple[int, int, int, int]]:
    """Page 1 at 100 dpi and the pixel box between the first chart's title and the table header."""
    pngs, stderr = support.render_pages(pdf, DPI, folder, page=1)
    assert stderr == ""
    page = support.pdf_words(pdf)[0]
    top = word(page, "各类投诉件数").y1
    bottom = word(page, "序号").y0
    img = support.image(pngs[0])
    return img, (0, int(top * SCALE), img.width, int(bottom * SCALE) - 4)


def test_the_chart_area_is_drawn_in_the_palette_and_within_the_margins(tmp_path):
    pdf = rendered(support.chart_report(), tmp_path)
    img, (_, top, right, bottom) = chart_box(pdf, tmp_path)
    inside = support.pixels(
        img, (int(15 * mm * SCALE) - 1, top, int(img.width - 15 * mm * SCALE) + 1, bottom)
    )
    # Both series' bars and the line are there in their colours (not a blank box, not all black).
    for index in (0, 1):
        assert sum(near(p, rgb(index)) for p in inside) > 800, index
    dark = sum(max(p) < 100 for p in inside)
    assert dark > 500  # the text, the axes and the bars' outlines
    # Nothing of the charts reaches into the side margins.
    for box in (
        (0, top, int(15 * mm * SCALE) - 2, bottom),
        (int(img.width - 15 * mm * SCALE) + 2, top, right, bottom),
    ):
        assert all(min(p) > 245 for p in support.pixels(img, box)), box


def test_long_category_names_are_set_aslant_and_stay_on_the_page(tmp_path):
    names = tuple(f"天河市第{n}建筑工程有限公司" for n in range(1, 15))
    spec = ChartSpec("bar", "各类投诉件数", names, (Series("件数", tuple(range(14))),))
    pdf = rendered(single_chart(spec), tmp_path)
    img, (_, top, right, bottom) = chart_box(pdf, tmp_path)
    margin = int(15 * mm * SCALE)
    for box in ((0, top, margin - 2, bottom), (img.width - margin + 2, top, right, bottom)):
        assert all(min(p) > 245 for p in support.pixels(img, box)), box
    # Set aslant, each character is a word of its own to pdftotext: read in drawing order, joined.
    raw = support.run_tool("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-").stdout.decode("utf-8")
    joined = "".join(raw.split())
    assert all(name in joined for name in names)


def test_the_colours_stay_apart_on_a_grey_scale_printer():
    lumas = [luma(i) for i in range(4)]
    assert all(abs(a - b) >= 35 for i, a in enumerate(lumas) for b in lumas[i + 1 :]), lumas
    # None is so light that a bar would vanish on white paper, nor so dark its outline is lost.
    assert all(40 <= value <= 225 for value in lumas)


# -- data ------------------------------------------------------------------------------------------
def test_a_series_must_have_one_value_per_category():
    with pytest.raises(ValueError, match="3 values for 2 categories"):
        ChartSpec("bar", "表", ("甲", "乙"), (Series("件数", (1, 2, 3)),))
    with pytest.raises(ValueError, match="pie"):
        ChartSpec("pie", "表", ("甲",), (Series("件数", (1,)),))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no series"):
        ChartSpec("bar", "表", ("甲",), ())
    with pytest.raises(ValueError, match="charts_position"):
        replace(support.table_report(1), charts_position="left")


@pytest.mark.parametrize(
    ("value", "text"), [(12, "12"), (12.0, "12"), (12.5, "12.5"), (12.345, "12.3"), (-0.04, "0"), (0, "0")]
)
def test_numbers_are_written_without_trailing_zeros(value, text):
    assert number_text(value) == text
    assert number_text(value, "%") == text + "%"


def test_a_report_with_charts_round_trips_through_its_archived_content(tmp_path):
    report = support.chart_report(5, "below", signoff=True)
    content = documents.to_content(report)
    back = documents.from_content("table", content)
    assert back == report
    assert documents.to_content(back) == content
    # The reprint from the archive draws the same charts.
    text = support.pdf_text(support.save(documents.render("table", back, STAMP), tmp_path))
    assert "各类投诉件数" in text and "92.5%" in text
    assert "图表：各月按时办结率" in documents.summary_lines("table", content)
