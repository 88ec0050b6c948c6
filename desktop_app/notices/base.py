"""What every printed page shares: the stamp (number, verification code, QR), Chinese dates, drawing helpers."""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app import __version__
from desktop_app.notices.fonts import ensure_font, require_glyphs, text_width
from desktop_app.notices.linebreak import break_lines

RED = HexColor("#C8161D")
GREY = HexColor("#555555")
LIGHT = HexColor("#EEEEEE")
BLACK = HexColor("#000000")


def chinese_date(day: date) -> str:
    """2026年11月27日 (Arabic numerals, as GB/T 9704-2012 prescribes for 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class IssueStamp:
    """The identity printed on an issued document; ``reprinted_at`` marks a 补打 copy."""

    number: str
    verify_code: str
    issued_at: datetime
    reprinted_at: datetime | None = None

    @property
    def qr_payload(self) -> str:
        return f"INTEGRITY-DESK|{self.number}|{self.verify_code}"

    def texts(self) -> list[str]:
        return [self.number, self.verify_code]


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], title: str, author: str) -> Canvas:
    # The initial font is ours, so no unembedded Helvetica is referenced by the page preamble.
    canvas = Canvas(
        buffer, pagesize=pagesize, pageCompression=1, initialFontName=ensure_font(), initialFontSize=10
    )
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator(f"诚信服务台 Integrity Desk {__version__}")
    canvas.setSubject(title)
    return canvas


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    color: Color = BLACK,
    align: str = "left",
    bold: bool = False,
) -> None:
    """One line of text. ``bold`` strokes the outline: the embedded font has a single weight."""
    if align == "center":
        x -= text_width(text, size) / 2
    elif align == "right":
        x -= text_width(text, size)
    # Always set the fill: a box filled just before (grey label cells, the white panel of the test
    # page) leaves its colour as the canvas's fill, and black text drawn in it would be invisible.
    canvas.setFillColor(color)
    canvas.setFont(ensure_font(), size)
    if bold:
        # Tr (render mode) is graphics state and outlives BT/ET: keep it inside q/Q.
        canvas.saveState()
        obj = canvas.beginText(x, y)
        obj.setFont(ensure_font(), size)
        canvas.setStrokeColor(color)
        canvas.setLineWidth(size * 0.03)
        obj.setTextRenderMode(2)
        obj.textOut(text)
        canvas.drawText(obj)
        canvas.restoreState()
    else:
        canvas.drawString(x, y, text)
    canvas.setFillColor(BLACK)


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    return break_lines(text, width, lambda s: text_width(s, size), first_indent)


def balanced_wrap(text: str, width: float, size: float) -> list[str]:
    """Wrap a title into as few lines as plain wrapping needs, but of even length (no lone tail)."""
    lines = wrap(text, width, size)
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    for _ in range(12):
        middle = (low + high) / 2
        if len(wrap(text, middle, size)) > len(lines):
            low = middle
        else:
            high = middle
    return wrap(text, high, size)


def fit_size(text: str, width: float, preferred: float, minimum: float) -> float:
    """Largest size ≤ preferred at which text fits on one line (not below minimum)."""
    size = preferred
    while size > minimum and text_width(text, size) > width:
        size -= 0.5
    return size


@functools.lru_cache(maxsize=256)
def qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The QR matrix of a payload, with reportlab's own encoder.

    Mask pattern 0 instead of the encoder's search over all eight: any mask is valid and scans the
    same, and the search costs more than drawing the rest of a receipt."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.version = code.calculate_version()
    code.makeImpl(False, 0)
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, side: float, border: int = 2) -> None:
    """Filled runs of dark modules, drawn once per document as a form and placed where needed (a
    receipt shows it on both copies). Straight on the canvas: renderPDF would reference an
    unembedded Helvetica in the page resources."""
    modules = qr_modules(payload)
    extent = len(modules) + 2 * border
    name = f"qr-{hashlib.sha1(payload.encode()).hexdigest()[:16]}"
    if not canvas.hasForm(name):
        canvas.beginForm(name, lowerx=0, lowery=0, upperx=extent, uppery=extent)
        canvas.setFillColor(BLACK)
        path = canvas.beginPath()
        for row_index, row in enumerate(modules):
            column = 0
            for dark, run in itertools.groupby(row):
                length = len(list(run))
                if dark:
                    path.rect(column + border, extent - border - row_index - 1, length, 1)
                column += length
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(side / extent, side / extent)
    canvas.doForm(name)
    canvas.restoreState()


def draw_stamp_block(
    canvas: Canvas, stamp: IssueStamp, x: float, y: float, qr_side: float = 18 * mm, size: float = 8.5
) -> None:
    """QR code with the number and verification code beside it; (x, y) is the lower-left corner."""
    draw_qr(canvas, stamp.qr_payload, x, y, qr_side)
    tx = x + qr_side + 2 * mm
    draw_text(canvas, tx, y + qr_side - size - 1, f"文书编号：{stamp.number}", size, GREY)
    draw_text(canvas, tx, y + qr_side - 2 * size - 4, f"验证码：{stamp.verify_code}", size, GREY)
    draw_text(canvas, tx, y + qr_side - 3 * size - 7, "可在诚信服务台“验证文书”核验", size, GREY)


def draw_reprint_mark(canvas: Canvas, stamp: IssueStamp, right: float, top: float) -> None:
    if stamp.reprinted_at is not None:
        when = stamp.reprinted_at.astimezone().strftime("%Y-%m-%d %H:%M")
        draw_text(canvas, right, top, f"补打  {when}", 10, RED, align="right", bold=True)


def check_texts(texts: Sequence[str]) -> None:
    """Refuse characters the font lacks before drawing anything (never a silent gap or box)."""
    require_glyphs(*texts)
