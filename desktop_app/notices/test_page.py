"""打印测试页: lets the hall check a printer — the center's name, the date, Chinese and Latin samples,
rare name characters, and a millimetre grid for alignment."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from desktop_app.notices.base import (
    GREY,
    RED,
    IssueStamp,
    check_texts,
    chinese_date,
    draw_reprint_mark,
    draw_stamp_block,
    draw_text,
    new_canvas,
    wrap,
)
from desktop_app.notices.fonts import FONT_NAME, one_at_a_time

CHINESE_SAMPLE = (
    "公共资源交易中心诚信服务台打印测试。本页用于检查打印机能否正确输出中文、数字和符号，"
    "以及纸张是否对齐：网格线间距为 10 毫米，边框距纸边 10 毫米。"
)
LATIN_SAMPLE = "The quick brown fox jumps over the lazy dog. 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SYMBOLS = "，。、；：？！“”‘’（）《》【】— … ¥ ％ № ①②③ ±×÷"
RARE_NAMES = "堃 喆 昇 珺 玥 彧 赟 犇 淼 燚"


@dataclass(frozen=True)
class TestPage:
    center_name: str
    printed_at: datetime
    workstation: str
    operator: str

    def texts(self) -> list[str]:
        return [self.center_name, self.workstation, self.operator]


@one_at_a_time
def render_test_page(page: TestPage, stamp: IssueStamp | None = None) -> bytes:
    check_texts(
        [*page.texts(), CHINESE_SAMPLE, LATIN_SAMPLE, SYMBOLS, RARE_NAMES] + (stamp.texts() if stamp else [])
    )
    buffer = io.BytesIO()
    width, height = A4
    canvas = new_canvas(buffer, A4, "打印测试页", page.center_name)

    # Alignment grid: 10 mm squares inside a frame 10 mm from every edge, labelled in millimetres.
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.2)
    for x_mm in range(10, int(width / mm) - 9, 10):
        canvas.line(x_mm * mm, 10 * mm, x_mm * mm, height - 10 * mm)
        draw_text(canvas, x_mm * mm + 0.8 * mm, 6 * mm, str(x_mm), 5.5, GREY)
    for y_mm in range(10, int(height / mm) - 9, 10):
        canvas.line(10 * mm, y_mm * mm, width - 10 * mm, y_mm * mm)
        draw_text(canvas, 4 * mm, y_mm * mm - 1, str(y_mm), 5.5, GREY)
    canvas.setLineWidth(1)
    canvas.setStrokeColor(RED)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)

    # A white panel keeps the samples legible over the grid.
    panel_left, panel_w = 25 * mm, width - 50 * mm
    panel_top = height - 30 * mm
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(
        panel_left - 4 * mm, 66 * mm, panel_w + 8 * mm, panel_top - 66 * mm + 8 * mm, stroke=0, fill=1
    )

    y = panel_top - 10
    draw_text(canvas, width / 2, y, "打印测试页", 24, align="center", bold=True)
    y -= 30
    draw_text(canvas, width / 2, y, page.center_name, 14, align="center")
    y -= 24
    info = [
        (
            "打印日期",
            f"{chinese_date(page.printed_at.astimezone().date())} {page.printed_at.astimezone():%H:%M}",
        ),
        ("工作站", page.workstation),
        ("操作人", page.operator),
        ("字体", f"{FONT_NAME}（已嵌入）"),
    ]
    for label, value in info:
        draw_text(canvas, panel_left, y, f"{label}：{value}", 11)
        y -= 17
    y -= 6
    for heading, text, size in (
        ("中文样张", CHINESE_SAMPLE, 12),
        ("西文与数字", LATIN_SAMPLE, 11),
        ("标点与符号", SYMBOLS, 12),
        ("生僻姓名用字", RARE_NAMES, 14),
    ):
        draw_text(canvas, panel_left, y, heading, 10, GREY)
        y -= size + 6
        for line in wrap(text, panel_w, size):
            draw_text(canvas, panel_left, y, line, size)
            y -= size + 6
        y -= 6
    for size in (8, 10, 12, 16, 20):
        draw_text(canvas, panel_left, y, f"{size} 磅：诚信服务台 Integrity Desk 2026", size)
        y -= size + 7

    # A 100 mm ruler: a printer that scales the page shows it at once.
    ruler_y = 100 * mm
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.6)
    canvas.line(panel_left, ruler_y, panel_left + 100 * mm, ruler_y)
    for tick in range(0, 101):
        length = 3 * mm if tick % 10 == 0 else (2 * mm if tick % 5 == 0 else 1 * mm)
        canvas.line(panel_left + tick * mm, ruler_y, panel_left + tick * mm, ruler_y + length)
    draw_text(canvas, panel_left + 102 * mm, ruler_y, "100 毫米标尺：实测应为 100 毫米", 9)

    if stamp is not None:
        draw_stamp_block(canvas, stamp, panel_left, 70 * mm)
        # On the white panel, not over the grid lines.
        draw_reprint_mark(canvas, stamp, panel_left + panel_w, panel_top + 2 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
