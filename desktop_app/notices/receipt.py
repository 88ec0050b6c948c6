"""Receipt: the hall's copy and the complainant's copy on one A4 page with a cut line between them,
or each copy on its own A5 page. Label/value rows in boxes, notes, and signature boxes."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app.notices.base import (
    BLACK,
    GREY,
    LIGHT,
    IssueStamp,
    check_texts,
    draw_reprint_mark,
    draw_stamp_block,
    draw_text,
    fit_size,
    new_canvas,
    wrap,
)
from desktop_app.notices.fonts import one_at_a_time, text_width

MARGIN = 12 * mm
LABEL_W = 32 * mm
SIZE = 10
LEADING = 13
PAD = 1.6 * mm
SIGN_H = 17 * mm
STAMP_W = 62 * mm
HEADLINE_H = 12 * mm
TONES = {"danger": HexColor("#C8161D"), "warning": HexColor("#A65F00"), "ok": HexColor("#1E7B34")}


@dataclass(frozen=True)
class Receipt:
    center_name: str
    title: str
    fields: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ("经办人签字", "当事人签字")
    copies: tuple[str, ...] = ("存根（大厅留存）", "回执（当事人收执）")
    paper: str = "A4"  # "A4": both copies on one page with a cut line; "A5": one copy per page
    # A conclusion printed large under the title (a verdict), and its tone: danger / warning / ok.
    headline: str = ""
    headline_tone: str = ""

    def texts(self) -> list[str]:
        return [
            self.center_name,
            self.title,
            self.headline,
            *(t for pair in self.fields for t in pair),
            *self.notes,
            *self.signatures,
            *self.copies,
        ]


Cell = tuple[list[str], list[str]]


@dataclass
class _Copy:
    """One copy's layout: short fields share a row two by two, long ones take the whole width."""

    receipt: Receipt
    width: float
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    title_size: float = 16

    def __post_init__(self) -> None:
        half_value_w = self.width / 2 - LABEL_W - 2 * PAD
        full_value_w = self.width - LABEL_W - 2 * PAD
        pending: Cell | None = None
        for label, value in self.receipt.fields:
            text = value or "—"
            label_lines = wrap(label, LABEL_W - 2 * PAD, SIZE)
            if len(label_lines) == 1 and text_width(text, SIZE) <= half_value_w and "\n" not in text:
                cell = (label_lines, [text])
                if pending is None:
                    pending = cell
                else:
                    self.rows.append([pending, cell])
                    pending = None
                continue
            if pending is not None:
                self.rows.append([pending])
                pending = None
            self.rows.append([(label_lines, wrap(text, full_value_w, SIZE))])
        if pending is not None:
            self.rows.append([pending])
        for note in self.receipt.notes:
            self.notes.extend(wrap(note, self.width, 8.5))
        # The centred title must clear the copy label at the right (and, for symmetry, as much room
        # on the left): a long title is set smaller rather than printed over the label.
        label_w = max((text_width(label, 9) for label in self.receipt.copies), default=0.0)
        self.title_size = fit_size(self.receipt.title, self.width - 2 * (label_w + 3 * mm), 16, 9)

    @staticmethod
    def _row_height(row: list[Cell]) -> float:
        return max(max(len(a), len(b)) for a, b in row) * LEADING + 2 * PAD

    def height(self) -> float:
        rows = sum(self._row_height(row) for row in self.rows)
        headline = HEADLINE_H + 6 if self.receipt.headline else 0
        return 16 + 16 + 10 + headline + rows + 4 + len(self.notes) * 11 + 6 + SIGN_H

    def draw(
        self, canvas: Canvas, left: float, top: float, copy_label: str, stamp: IssueStamp | None
    ) -> None:
        right = left + self.width
        y = top - 16
        draw_text(
            canvas, left + self.width / 2, y, self.receipt.title, self.title_size, align="center", bold=True
        )
        draw_text(canvas, right, y + 2, copy_label, 9, GREY, align="right")
        y -= 16
        draw_text(canvas, left, y, self.receipt.center_name, 10)
        if stamp is not None:
            draw_text(canvas, right, y, f"编号：{stamp.number}", 10, align="right")
        y -= 10
        canvas.setLineWidth(0.6)
        if self.receipt.headline:
            tone = TONES.get(self.receipt.headline_tone, BLACK)
            canvas.setStrokeColor(tone)
            canvas.setLineWidth(1.5)
            canvas.rect(left, y - HEADLINE_H, self.width, HEADLINE_H, stroke=1, fill=0)
            size = fit_size(self.receipt.headline, self.width - 4 * PAD, 20, 10)
            draw_text(
                canvas,
                left + self.width / 2,
                y - HEADLINE_H / 2 - size * 0.35,
                self.receipt.headline,
                size,
                tone,
                align="center",
                bold=True,
            )
            canvas.setStrokeColor(BLACK)
            canvas.setLineWidth(0.6)
            y -= HEADLINE_H + 6
        for row in self.rows:
            height = self._row_height(row)
            cell_w = self.width / len(row)
            for index, (label_lines, value_lines) in enumerate(row):
                x = left + index * cell_w
                canvas.setFillColor(LIGHT)
                canvas.rect(x, y - height, LABEL_W, height, stroke=1, fill=1)
                canvas.rect(x + LABEL_W, y - height, cell_w - LABEL_W, height, stroke=1, fill=0)
                for column_x, lines in ((x + PAD, label_lines), (x + LABEL_W + PAD, value_lines)):
                    line_y = y - PAD - SIZE
                    for line in lines:
                        draw_text(canvas, column_x, line_y, line, SIZE)
                        line_y -= LEADING
            y -= height
        y -= 4
        for line in self.notes:
            y -= 11
            draw_text(canvas, left, y, line, 8.5, GREY)
        y -= 6
        # Signature boxes on the left, the verification block beside them on the right.
        boxes = max(len(self.receipt.signatures), 1)
        box_w = (self.width - (STAMP_W if stamp is not None else 0)) / boxes
        for index, label in enumerate(self.receipt.signatures):
            x = left + index * box_w
            canvas.rect(x, y - SIGN_H, box_w, SIGN_H, stroke=1, fill=0)
            draw_text(canvas, x + PAD, y - PAD - 9, label + "：", 9)
            draw_text(canvas, x + box_w - PAD, y - SIGN_H + PAD, "年    月    日", 9, align="right")
        if stamp is not None:
            draw_stamp_block(canvas, stamp, right - STAMP_W + 3 * mm, y - SIGN_H, qr_side=SIGN_H, size=7.5)


def _cut_line(canvas: Canvas, y: float, width: float) -> None:
    canvas.setDash(4, 3)
    canvas.setStrokeColor(GREY)
    label = "沿此线剪开"
    canvas.line(MARGIN, y, width / 2 - 40, y)
    canvas.line(width / 2 + 40, y, width - MARGIN, y)
    canvas.setDash()
    draw_text(canvas, width / 2, y - 3, label, 9, GREY, align="center")


@one_at_a_time
def render_receipt(receipt: Receipt, stamp: IssueStamp | None = None) -> bytes:
    check_texts(receipt.texts() + (stamp.texts() if stamp else []))
    buffer = io.BytesIO()
    a5 = receipt.paper.upper() == "A5"
    page_w, page_h = A5 if a5 else A4
    canvas = new_canvas(buffer, (page_w, page_h), receipt.title, receipt.center_name)
    body = _Copy(receipt, page_w - 2 * MARGIN)
    half = page_h / 2
    fits_half = body.height() <= half - 2 * MARGIN
    if not a5 and fits_half and len(receipt.copies) == 2:
        for index, label in enumerate(receipt.copies):
            top = page_h - MARGIN if index == 0 else half - MARGIN
            body.draw(canvas, MARGIN, top, label, stamp)
            if stamp is not None:
                # Above each copy: the half handed over after cutting is marked 补打 too.
                draw_reprint_mark(canvas, stamp, page_w - MARGIN, top + MARGIN - 8 * mm)
        _cut_line(canvas, half, page_w)
        canvas.showPage()
    else:
        # One copy per page: A5 by choice, or content too long for half an A4 sheet.
        for label in receipt.copies:
            body.draw(canvas, MARGIN, page_h - MARGIN, label, stamp)
            if stamp is not None:
                draw_reprint_mark(canvas, stamp, page_w - MARGIN, page_h - 8 * mm)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()
