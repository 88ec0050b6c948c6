"""Receipt: the hall's copy (存根) and the party's copy on one A4 page with a cut line between them,
or each copy on its own page (A5 by choice, or content too long for one sheet). Label/value rows in
boxes, notes, signature boxes, the verification block, and the 落款 (the center's name and the
Chinese date, bottom right) with the seal area on every copy handed out.

The counterfoil (``counterfoil``, the copy the hall keeps) is not sealed; with ``counterfoil_fields``
it is a compact stub that repeats only those fields, so that it and the full copy share one sheet."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app.notices.base import (
    BLACK,
    GREY,
    LIGHT,
    SEAL_DIAMETER,
    IssueStamp,
    check_texts,
    draw_reprint_mark,
    draw_signoff,
    draw_stamp_block,
    draw_text,
    fit_size,
    new_canvas,
    signoff_date,
    signoff_width,
    wrap,
)
from desktop_app.notices.fonts import one_at_a_time, text_width

MARGIN = 12 * mm
LABEL_W = 32 * mm
SIZE = 10
LEADING = 13
PAD = 1.6 * mm
SIGN_H = 17 * mm
SIGN_MAX_W = 80 * mm  # a lone signature box wider than this only looks empty
STAMP_W = 62 * mm
HEADLINE_H = 12 * mm
SIGNOFF_SIZE = 10.5
SIGNOFF_INSET = 2  # characters between the date and the right edge (a form is narrower than a 公文)
CUT_GAP = 10 * mm  # between a copy and the cut line under it
TONES = {"danger": HexColor("#C8161D"), "warning": HexColor("#A65F00"), "ok": HexColor("#1E7B34")}
COUNTERFOIL = "存根（大厅留存）"


@dataclass(frozen=True)
class Receipt:
    center_name: str
    title: str
    fields: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ("经办人签字", "当事人签字")
    copies: tuple[str, ...] = (COUNTERFOIL, "回执（当事人收执）")
    paper: str = "A4"  # "A4": the copies on one page with a cut line if they fit; "A5": one copy per page
    # A conclusion printed large under the title (a verdict), and its tone: danger / warning / ok.
    headline: str = ""
    headline_tone: str = ""
    # The 落款's date; None: the day the document is issued (the stamp's).
    issued_on: date | None = None
    # The 落款 (center name and date) on every copy, and the seal area on those handed out.
    signoff: bool = True
    # The label (one of ``copies``) of the copy the hall keeps: never sealed.
    counterfoil: str = COUNTERFOIL
    # Labels of the fields the counterfoil repeats (a compact stub, without headline and notes); empty:
    # the counterfoil is a full copy.
    counterfoil_fields: tuple[str, ...] = ()
    # Who signs the counterfoil (a party signs for receipt there); None: the same as ``signatures``.
    counterfoil_signatures: tuple[str, ...] | None = None
    # Kept with the archived content and shown by verification, never printed (the operator's login
    # name, the workstation).
    archive_fields: tuple[tuple[str, str], ...] = ()

    def texts(self) -> list[str]:
        return [
            self.center_name,
            self.title,
            self.headline,
            *(t for pair in self.fields for t in pair),
            *self.notes,
            *self.signatures,
            *(self.counterfoil_signatures or ()),
            *self.copies,
        ]


Cell = tuple[list[str], list[str]]


@dataclass
class _Copy:
    """One copy's layout: short fields share a row two by two, long ones take the whole width."""

    receipt: Receipt
    width: float
    label: str
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    title_size: float = 16

    @property
    def is_counterfoil(self) -> bool:
        return bool(self.label) and self.label == self.receipt.counterfoil

    @property
    def is_stub(self) -> bool:
        return self.is_counterfoil and bool(self.receipt.counterfoil_fields)

    @property
    def sealed(self) -> bool:
        return self.receipt.signoff and not self.is_counterfoil

    @property
    def headline(self) -> str:
        return "" if self.is_stub else self.receipt.headline

    @property
    def signatures(self) -> tuple[str, ...]:
        if self.is_counterfoil and self.receipt.counterfoil_signatures is not None:
            return self.receipt.counterfoil_signatures
        return self.receipt.signatures

    def __post_init__(self) -> None:
        half_value_w = self.width / 2 - LABEL_W - 2 * PAD
        full_value_w = self.width - LABEL_W - 2 * PAD
        fields = self.receipt.fields
        if self.is_stub:
            fields = tuple(f for f in fields if f[0] in self.receipt.counterfoil_fields)
        pending: Cell | None = None
        for label, value in fields:
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
        for note in () if self.is_stub else self.receipt.notes:
            self.notes.extend(wrap(note, self.width, 8.5))
        # The centred title must clear the copy label at the right (and, for symmetry, as much room
        # on the left): a long title is set smaller rather than printed over the label.
        label_w = max((text_width(label, 9) for label in self.receipt.copies), default=0.0)
        self.title_size = fit_size(self.receipt.title, self.width - 2 * (label_w + 3 * mm), 16, 9)

    @staticmethod
    def _row_height(row: list[Cell]) -> float:
        return max(max(len(a), len(b)) for a, b in row) * LEADING + 2 * PAD

    def _footer_height(self, stamp: IssueStamp | None) -> float:
        """The signature boxes, the verification block and the 落款. A sealed copy stacks the
        verification block under the signatures, beside the seal area, which needs that height."""
        if self.sealed:
            return max(SIGN_H + (2 * mm + SIGN_H if stamp is not None else 0), SEAL_DIAMETER - 4 * mm)
        return SIGN_H

    def height(self, stamp: IssueStamp | None) -> float:
        rows = sum(self._row_height(row) for row in self.rows)
        headline = HEADLINE_H + 6 if self.headline else 0
        notes = len(self.notes) * 11
        return 16 + 16 + 10 + headline + rows + 4 + notes + 6 + self._footer_height(stamp)

    def draw(
        self,
        canvas: Canvas,
        left: float,
        top: float,
        stamp: IssueStamp | None,
        bottom: float | None = None,
        next_page: Callable[[], float] | None = None,
    ) -> None:
        """Draw the copy from ``top`` down. With ``bottom`` and ``next_page`` (a copy on pages of its
        own) a copy too long for one page goes on over more: rows move to the next page whole, a
        row taller than what is left is split between its lines, and the notes, signatures and 落款
        stay together on the last page. ``next_page`` starts a page and returns its top."""
        y = self._draw_heading(canvas, left, top, stamp)
        if self.headline:
            self._draw_headline(canvas, left, y)
            y -= HEADLINE_H + 6

        def new_page() -> float:
            assert next_page is not None
            return self._draw_heading(canvas, left, next_page(), stamp, continued=True)

        pending = list(self.rows)
        while pending:
            row = pending.pop(0)
            height = self._row_height(row)
            if bottom is not None and next_page is not None and y - height < bottom:
                head, rest = self._split(row, int((y - bottom - 2 * PAD) // LEADING))
                if head:
                    self._draw_row(canvas, left, y, head)
                    pending.insert(0, rest)
                else:
                    pending.insert(0, row)
                y = new_page()
                continue
            self._draw_row(canvas, left, y, row)
            y -= height
        closing = 4 + len(self.notes) * 11 + 6 + self._footer_height(stamp)
        if bottom is not None and next_page is not None and y - closing < bottom:
            y = new_page()
        y -= 4
        for line in self.notes:
            y -= 11
            draw_text(canvas, left, y, line, 8.5, GREY)
        y -= 6
        self._draw_footer(canvas, left, y, stamp)

    @staticmethod
    def _split(row: list[Cell], lines: int) -> tuple[list[Cell], list[Cell]]:
        """A full-width row cut after ``lines`` lines of its value, or ([], row) when it cannot be (a
        row of two cells, or too little room to be worth it)."""
        if len(row) != 1 or lines < 2:
            return [], row
        label_lines, value_lines = row[0]
        if len(value_lines) <= lines:
            return [], row
        continued = [f"{label_lines[0]}（续）", *label_lines[1:]] if label_lines else []
        return [(label_lines, value_lines[:lines])], [(continued, value_lines[lines:])]

    def _draw_heading(
        self, canvas: Canvas, left: float, top: float, stamp: IssueStamp | None, continued: bool = False
    ) -> float:
        """Title, copy label, center and number; returns where the body starts."""
        right = left + self.width
        y = top - 16
        title = self.receipt.title + ("（续）" if continued else "")
        size = self.title_size if not continued else min(self.title_size, 12)
        draw_text(canvas, left + self.width / 2, y, title, size, align="center", bold=True)
        draw_text(canvas, right, y + 2, self.label, 9, GREY, align="right")
        y -= 16
        draw_text(canvas, left, y, self.receipt.center_name, 10)
        if stamp is not None:
            draw_text(canvas, right, y, f"编号：{stamp.number}", 10, align="right")
        y -= 10
        canvas.setLineWidth(0.6)
        return y

    def _draw_headline(self, canvas: Canvas, left: float, y: float) -> None:
        tone = TONES.get(self.receipt.headline_tone, BLACK)
        canvas.setStrokeColor(tone)
        canvas.setLineWidth(1.5)
        canvas.rect(left, y - HEADLINE_H, self.width, HEADLINE_H, stroke=1, fill=0)
        size = fit_size(self.headline, self.width - 4 * PAD, 20, 10)
        draw_text(
            canvas,
            left + self.width / 2,
            y - HEADLINE_H / 2 - size * 0.35,
            self.headline,
            size,
            tone,
            align="center",
            bold=True,
        )
        canvas.setStrokeColor(BLACK)
        canvas.setLineWidth(0.6)

    def _draw_row(self, canvas: Canvas, left: float, y: float, row: list[Cell]) -> None:
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

    def _draw_footer(self, canvas: Canvas, left: float, top: float, stamp: IssueStamp | None) -> None:
        right = left + self.width
        bottom = top - self._footer_height(stamp)
        date_text = signoff_date(self.receipt.issued_on, stamp)
        signoff_w = 0.0
        if self.receipt.signoff:
            reach = signoff_width(
                self.receipt.center_name, date_text, SIGNOFF_SIZE, self.sealed, SIGNOFF_INSET
            )
            signoff_w = reach + 3 * mm
            # The date sits low in the footer, the seal area (when there is one) reaching up from it.
            baseline = bottom + (SEAL_DIAMETER / 2 - 3 * mm if self.sealed else PAD + 3)
            draw_signoff(
                canvas,
                right,
                baseline,
                self.receipt.center_name,
                date_text,
                SIGNOFF_SIZE,
                self.sealed,
                SIGNOFF_INSET,
            )
        # Signature boxes from the left; the verification block beside them, or under them on a
        # sealed copy (the seal area takes the height of both).
        stamp_beside = stamp is not None and not self.sealed
        boxes_w = self.width - signoff_w - (STAMP_W if stamp_beside else 0)
        boxes = max(len(self.signatures), 1)
        box_w = min(boxes_w / boxes, SIGN_MAX_W)
        for index, label in enumerate(self.signatures):
            x = left + index * box_w
            canvas.rect(x, top - SIGN_H, box_w, SIGN_H, stroke=1, fill=0)
            draw_text(canvas, x + PAD, top - PAD - 9, label + "：", 9)
            draw_text(canvas, x + box_w - PAD, top - SIGN_H + PAD, "年    月    日", 9, align="right")
        if stamp is None:
            return
        if stamp_beside:
            x = left + boxes_w + 3 * mm
            draw_stamp_block(canvas, stamp, x, top - SIGN_H, qr_side=SIGN_H, size=7.5)
        else:
            draw_stamp_block(canvas, stamp, left, bottom, qr_side=SIGN_H, size=7.5)


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
    copies = [_Copy(receipt, page_w - 2 * MARGIN, label) for label in receipt.copies or ("",)]
    heights = [c.height(stamp) for c in copies]
    usable = page_h - 2 * MARGIN
    half = page_h / 2
    if not a5 and len(copies) == 2 and max(heights) <= half - 2 * MARGIN:
        # Two halves of the sheet, cut in the middle.
        tops = [page_h - MARGIN, half - MARGIN]
        cuts = [half]
    elif not a5 and len(copies) > 1 and sum(heights) + (len(copies) - 1) * 2 * CUT_GAP <= usable:
        # A short stub and a full copy: stacked, cut under each but the last.
        tops, cuts = [], []
        top = page_h - MARGIN
        for height in heights:
            tops.append(top)
            cuts.append(top - height - CUT_GAP)
            top -= height + 2 * CUT_GAP
        cuts.pop()
    else:
        tops, cuts = [], []
    if tops:
        for copy, top in zip(copies, tops, strict=True):
            copy.draw(canvas, MARGIN, top, stamp)
            if stamp is not None:
                # Above each copy: the part handed over after cutting is marked 补打 too.
                draw_reprint_mark(canvas, stamp, page_w - MARGIN, top + MARGIN - 8 * mm)
        for cut in cuts:
            _cut_line(canvas, cut, page_w)
        canvas.showPage()
    else:
        # One copy per page (or more, for a long one): A5 by choice, or content too long to share
        # a sheet. Every page of a reprint is marked.
        def mark() -> None:
            if stamp is not None:
                draw_reprint_mark(canvas, stamp, page_w - MARGIN, page_h - 8 * mm)

        def next_page() -> float:
            canvas.showPage()
            mark()
            return page_h - MARGIN

        for copy in copies:
            mark()
            copy.draw(canvas, MARGIN, page_h - MARGIN, stamp, bottom=MARGIN, next_page=next_page)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()
