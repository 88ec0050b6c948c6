"""Official notice in the habits of GB/T 9704-2012: red issuing-body header, document number, red rule,
title, addressee, indented body, issuing body and Chinese date at the bottom right, "— 1 —" page numbers."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app.notices.base import (
    RED,
    SEAL_DIAMETER,
    IssueStamp,
    balanced_wrap,
    check_texts,
    chinese_date,
    draw_reprint_mark,
    draw_signoff,
    draw_stamp_block,
    draw_text,
    fit_size,
    new_canvas,
    wrap,
)
from desktop_app.notices.fonts import one_at_a_time

PAGE_W, PAGE_H = A4
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
TEXT_W = PAGE_W - LEFT - RIGHT
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
LINE = 28.9  # 22 lines on the type area, as the standard asks
STAMP_CLEARANCE = 18 * mm  # the verification block sits this high above the bottom margin


@dataclass(frozen=True)
class OfficialNotice:
    issuer: str
    doc_number: str
    title: str
    addressee: str
    paragraphs: tuple[str, ...]
    issued_on: date
    signer: str = ""  # the body at the bottom; defaults to the issuer
    attachments: tuple[str, ...] = field(default=())

    def texts(self) -> list[str]:
        return [
            self.issuer,
            self.doc_number,
            self.title,
            self.addressee,
            *self.paragraphs,
            self.signer,
            *self.attachments,
        ]


class _Pager:
    def __init__(self, canvas: Canvas, stamp: IssueStamp | None) -> None:
        self.canvas = canvas
        self.stamp = stamp
        self.page = 1
        self.y = PAGE_H - TOP

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.finish_page()
            self.canvas.showPage()
            self.page += 1
            self.y = PAGE_H - TOP

    def finish_page(self) -> None:
        number = f"— {self.page} —"
        # Odd pages carry the number on the right, even pages on the left (one character in).
        if self.page % 2:
            draw_text(self.canvas, PAGE_W - RIGHT - 14, BOTTOM - 14 * mm, number, 14, align="right")
        else:
            draw_text(self.canvas, LEFT + 14, BOTTOM - 14 * mm, number, 14)
        if self.stamp is not None:
            draw_reprint_mark(self.canvas, self.stamp, PAGE_W - RIGHT, PAGE_H - 15 * mm)


def _widow_break(body: list[tuple[float, str] | None], start_y: float, signature_height: float) -> int | None:
    """Index of a body line to start a new page at, so the signature page also has body text."""
    y = start_y
    page_starts = set()
    for index, _ in enumerate(body):
        if y - LINE < BOTTOM:
            y = PAGE_H - TOP
            page_starts.add(index)
        y -= LINE
    candidate = len(body) - 2
    if y - signature_height >= BOTTOM or candidate < 1 or candidate in page_starts:
        return None
    return candidate


@one_at_a_time
def render_official_notice(notice: OfficialNotice, stamp: IssueStamp | None = None) -> bytes:
    check_texts(notice.texts() + (stamp.texts() if stamp else []))
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, A4, notice.title, notice.issuer)
    pager = _Pager(canvas, stamp)

    # Header block: issuing body in red, document number, red rule.
    header_size = fit_size(notice.issuer + "文件", TEXT_W, 30, 16)
    pager.y -= header_size
    draw_text(canvas, PAGE_W / 2, pager.y, notice.issuer, header_size, RED, align="center", bold=True)
    pager.y -= 2 * LINE
    if notice.doc_number:
        draw_text(canvas, PAGE_W / 2, pager.y, notice.doc_number, BODY_SIZE, align="center")
    pager.y -= 4 * mm + 0.3 * LINE
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1.2)
    canvas.line(LEFT, pager.y, PAGE_W - RIGHT, pager.y)
    pager.y -= 2 * LINE

    for line in balanced_wrap(notice.title, TEXT_W - 2 * TITLE_SIZE, TITLE_SIZE):
        pager.need(LINE * 1.2)
        draw_text(canvas, PAGE_W / 2, pager.y, line, TITLE_SIZE, align="center", bold=True)
        pager.y -= LINE * 1.2
    pager.y -= LINE * 0.8

    # The body as lines first: the page breaks can then be chosen so that the signature never
    # stands alone on a page (GB/T 9704 asks for body text on the page that carries it).
    indent = 2 * BODY_SIZE
    body: list[tuple[float, str] | None] = []  # (x, text); None is an empty line
    if notice.addressee:
        body.extend((LEFT, line) for line in wrap(notice.addressee + "：", TEXT_W, BODY_SIZE))
    for paragraph in notice.paragraphs:
        for index, line in enumerate(wrap(paragraph, TEXT_W, BODY_SIZE, first_indent=indent)):
            body.append((LEFT + (indent if index == 0 else 0), line))
    if notice.attachments:
        body.append(None)
        for index, name in enumerate(notice.attachments, start=1):
            label = "附件：" if index == 1 else "　　　"
            text = f"{label}{index}．{name}" if len(notice.attachments) > 1 else f"附件：{name}"
            body.extend((LEFT + indent, line) for line in wrap(text, TEXT_W - indent, BODY_SIZE))

    # Three lines down to the date, and below it the lower part of the seal area (or the
    # verification block, which sits above the bottom margin).
    signature_height = 3 * LINE + max(SEAL_DIAMETER / 2 - LINE, STAMP_CLEARANCE if stamp else 0)
    forced_break = _widow_break(body, pager.y, signature_height)
    for index, item in enumerate(body):
        if index == forced_break:
            pager.need(PAGE_H)  # always breaks
        pager.need(LINE)
        if item is not None:
            draw_text(canvas, item[0], pager.y, item[1], BODY_SIZE)
        pager.y -= LINE

    # Issuing body centred over the date, the date four characters in from the right margin, the
    # seal area pressing both (GB/T 9704-2012 7.3.5.1).
    signer = notice.signer or notice.issuer
    pager.need(signature_height)
    pager.y -= 3 * LINE
    draw_signoff(
        canvas, PAGE_W - RIGHT, pager.y, signer, chinese_date(notice.issued_on), BODY_SIZE, seal=True
    )
    if stamp is not None:
        draw_stamp_block(canvas, stamp, LEFT, BOTTOM - 2 * mm)
    pager.finish_page()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
