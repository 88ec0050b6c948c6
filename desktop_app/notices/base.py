"""What every printed page shares: the stamp (number, verification code, QR), Chinese dates, the 落款
with its seal area, drawing helpers."""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app import __version__
from desktop_app.domain.dates import chinese_date, chinese_datetime
from desktop_app.notices.fonts import ensure_font, require_glyphs, text_width
from desktop_app.notices.linebreak import break_lines

__all__ = ["chinese_date", "chinese_datetime"]  # the layouts take paper dates from here

RED = HexColor("#C8161D")
GREY = HexColor("#555555")
LIGHT = HexColor("#EEEEEE")
BLACK = HexColor("#000000")
SEAL_GUIDE = HexColor("#9A9A9A")
# An institution's round seal is 40–42 mm across; the guide is a little smaller so the inked seal
# covers it (a guide left showing beside the seal would look like a second, empty seal).
SEAL_DIAMETER = 38 * mm


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


# A demo center's passwords are the same on every install: none of its papers may pass for a real
# one. ``documents.render(..., demo=True)`` sets this for the drawing; every canvas of the layouts
# (``MarkedCanvas``) then marks each page as it closes it.
DEMO_MARK = "演示数据"
DEMO_NOTE = "演示数据 · 非真实记录，不得作为正式文书使用"
_DEMO_PAGES: ContextVar[bool] = ContextVar("demo_pages", default=False)


@contextmanager
def demo_pages(demo: bool) -> Iterator[None]:
    token = _DEMO_PAGES.set(demo)
    try:
        yield
    finally:
        _DEMO_PAGES.reset(token)


def draw_demo_mark(canvas: Canvas) -> None:
    """A red line of text at the top edge and a faint diagonal 演示数据 across the page."""
    width, height = canvas._pagesize
    canvas.saveState()
    draw_text(canvas, width / 2, height - 4.5 * mm, DEMO_NOTE, 8, RED, align="center")
    size = min(width, height) / 5
    canvas.setFillColor(RED)
    canvas.setFillAlpha(0.10)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    canvas.setFont(ensure_font(), size)
    canvas.drawCentredString(0, -size / 3, DEMO_MARK)
    canvas.restoreState()


class MarkedCanvas(Canvas):
    """The canvas of every layout: a demo center's mark goes on each page as it is closed."""

    def showPage(self) -> None:
        if _DEMO_PAGES.get():
            draw_demo_mark(self)
        super().showPage()


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], title: str, author: str) -> Canvas:
    # The initial font is ours, so no unembedded Helvetica is referenced by the page preamble.
    canvas = MarkedCanvas(
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
        when = chinese_datetime(stamp.reprinted_at)
        draw_text(canvas, right, top, f"补打  {when}", 10, RED, align="right", bold=True)


def signoff_date(day: date | None, stamp: IssueStamp | None) -> str:
    """The 成文日期 of a 落款: the document's own date, else the day it was issued; blank to fill in
    by hand when there is neither (a form printed before it is issued)."""
    if day is None and stamp is not None:
        day = stamp.issued_at.astimezone().date()
    return chinese_date(day) if day is not None else "年    月    日"


def draw_seal_area(canvas: Canvas, cx: float, cy: float, diameter: float = SEAL_DIAMETER) -> None:
    """A thin dashed circle where the seal goes, with 盖章处 in it: the clerk stamps over it."""
    canvas.saveState()
    canvas.setStrokeColor(SEAL_GUIDE)
    canvas.setLineWidth(0.5)
    canvas.setDash(2, 2)
    canvas.circle(cx, cy, diameter / 2, stroke=1, fill=0)
    canvas.restoreState()
    draw_text(canvas, cx, cy + diameter / 2 - 5 * mm, "盖章处", 7.5, SEAL_GUIDE, align="center")


def signoff_centre(issuer: str, date_text: str, size: float, seal: bool, inset_chars: float = 4) -> float:
    """How far left of the right edge the 落款's centre line is: the date ``inset_chars`` characters
    in, unless the issuer's name or the seal area would then cross the edge."""
    return max(
        inset_chars * size + text_width(date_text, size) / 2,
        text_width(issuer, size) / 2,
        SEAL_DIAMETER / 2 if seal else 0.0,
    )


def signoff_width(issuer: str, date_text: str, size: float, seal: bool, inset_chars: float = 4) -> float:
    """How far left of the right edge a 落款 (and its seal area) reaches."""
    centre = signoff_centre(issuer, date_text, size, seal, inset_chars)
    half = max(text_width(issuer, size), text_width(date_text, size)) / 2
    return centre + max(half, SEAL_DIAMETER / 2 if seal else 0.0)


def draw_signoff(
    canvas: Canvas,
    right: float,
    baseline: float,
    issuer: str,
    date_text: str,
    size: float,
    seal: bool,
    inset_chars: float = 4,
) -> None:
    """The 落款 as GB/T 9704-2012 places it: the date ``inset_chars`` characters in from ``right``,
    the issuer centred over it, the date's baseline at ``baseline``; neither (nor the seal area)
    past ``right``.

    With ``seal`` the seal area is drawn centred on both lines, so that they sit a little below the
    seal's centre (居中下压发文机关署名和成文日期)."""
    centre = right - signoff_centre(issuer, date_text, size, seal, inset_chars)
    line = size * 1.8
    if seal:
        draw_seal_area(canvas, centre, baseline + line * 0.5 + size * 0.9)
    draw_text(canvas, centre, baseline + line, issuer, size, align="center")
    draw_text(canvas, centre, baseline, date_text, size, align="center")


def check_texts(texts: Sequence[str]) -> None:
    """Refuse characters the font lacks before drawing anything (never a silent gap or box)."""
    require_glyphs(*texts)
