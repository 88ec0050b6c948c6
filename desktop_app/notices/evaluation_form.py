"""The 评标专家现场考评表 as the paper form looks: landscape A4, the session's data in boxes at the
top, then the grid — the items as rows (code, text, the points' range), the experts present as
columns, the points of each mark in its cell, the totals per expert — the notes and remarks under
it, and the witness's and the supervisor's signature lines at the bottom right.

More experts than fit across a page (9) go on further pages, each with the whole header and the
items; remarks that do not fit under the grid continue on a page of their own. The signature
lines are on the last page. Built from plain strings: the service writes every value in words.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app.notices.base import (
    GREY,
    LIGHT,
    RED,
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

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 12 * mm
TOP = 9 * mm
BOTTOM = 10 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
TITLE_BAND = 15 * mm
HEADER_ROW = 6.5 * mm
HEADER_LABEL_W = 19 * mm
GRID_GAP = 2.5 * mm
GRID_HEAD = 10 * mm
ROW_H = 5.5 * mm
MIN_ROW_H = 4.4 * mm
TOTALS_H = 6 * mm
CODE_W = 12 * mm
RANGE_W = 15 * mm
MIN_TEXT_W = 62 * mm
MAX_EXPERT_W = 26 * mm
EXPERTS_PER_PAGE = 9
PAD = 1.5 * mm
NOTE_SIZE = 7.5
NOTE_LINE = 3.4 * mm
REMARK_SIZE = 8.5
REMARK_LINE = 4 * mm
REMARK_GAP = 6 * mm  # between the two columns of remarks
SIGN_H = 11 * mm  # the row of signature lines at the bottom
SIGN_LINE_W = 62 * mm
SIGN_SIZE = 10
STAMP_QR = 14 * mm
STAMP_W = 58 * mm
CONTINUED = "（续）"


@dataclass(frozen=True)
class EvaluationForm:
    """One session's form, every value already in words. ``items``: (code, text, range, serious);
    ``cells[row][column]``: the points of that item against that expert ('' when not marked)."""

    center_name: str
    number: str
    project_code: str
    project_name: str
    category: str
    room: str
    evaluation_date: str
    scheduled: str
    actual: str
    witness: str
    experts: tuple[tuple[str, str], ...]  # (name, expert number)
    items: tuple[tuple[str, str, str, bool], ...]
    cells: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...]
    remarks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    status: str = ""  # 草稿（未定稿）, 第2版（更正）… in red beside the title; '' for a plain first version
    title: str = "评标专家现场考评表"
    signatures: tuple[str, ...] = ("见证人签字", "监督人员签字")
    sign_date: str = "          年      月      日"

    def __post_init__(self) -> None:
        if len(self.cells) != len(self.items):
            raise ValueError("one row of cells per item")
        if any(len(row) != len(self.experts) for row in self.cells) or len(self.totals) != len(self.experts):
            raise ValueError("one cell and one total per expert")

    def texts(self) -> list[str]:
        return [
            self.center_name,
            self.number,
            self.project_code,
            self.project_name,
            self.category,
            self.room,
            self.evaluation_date,
            self.scheduled,
            self.actual,
            self.witness,
            *(part for expert in self.experts for part in expert),
            *(part for item in self.items for part in item[:3]),
            *(cell for row in self.cells for cell in row),
            *self.totals,
            *self.remarks,
            *self.notes,
            self.status,
            self.title,
            *self.signatures,
            self.sign_date,
        ]


# -- drawing helpers ------------------------------------------------------------------------------
def _box(canvas: Canvas, x: float, top: float, width: float, height: float, fill: bool = False) -> None:
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.5)
    if fill:
        canvas.setFillColor(LIGHT)
    canvas.rect(x, top - height, width, height, stroke=1, fill=1 if fill else 0)
    canvas.restoreState()


def _cell_text(
    canvas: Canvas,
    x: float,
    top: float,
    width: float,
    height: float,
    text: str,
    size: float,
    align: str = "left",
    minimum: float = 6.5,
    bold: bool = False,
) -> None:
    """``text`` inside a box: on one line, set smaller down to ``minimum`` if it must; else wrapped
    at ``minimum`` over the lines the box holds (never past its edges)."""
    inner = width - 2 * PAD
    fitted = fit_size(text, inner, size, minimum)
    if text_width(text, fitted) <= inner:
        lines, size = [text], fitted
    else:
        size = minimum
        lines = wrap(text, inner, size)
    leading = size * 1.2
    lines = lines[: max(1, int((height - 2) // leading))]
    block = leading * (len(lines) - 1) + size * 0.8
    y = top - (height - block) / 2 - size * 0.8
    for line in lines:
        if align == "center":
            draw_text(canvas, x + width / 2, y, line, size, align="center", bold=bold)
        else:
            draw_text(canvas, x + PAD, y, line, size, bold=bold)
        y -= leading


REMARK_COL_W = (CONTENT_W - REMARK_GAP) / 2
REMARK_INDENT = 4 * mm  # a remark's second line
Lines = tuple[tuple[float, str], ...]  # (indent, text)


@dataclass(frozen=True)
class _Page:
    experts: range  # the columns on this page
    items: range  # the rows on this page
    remarks: tuple[Lines, Lines]  # the remark lines on this page, in two columns
    grid: bool  # False: a page of remarks only (the grid went on before)
    last: bool


def _expert_width(count: int) -> float:
    return min(MAX_EXPERT_W, (CONTENT_W - CODE_W - RANGE_W - MIN_TEXT_W) / max(count, 1))


def _grid_top() -> float:
    return PAGE_H - TOP - TITLE_BAND - 3 * HEADER_ROW - GRID_GAP


def _grid_room() -> float:
    """The items' rows' share of the page: the notes, three lines of remarks and the signatures
    under them."""
    return _grid_top() - GRID_HEAD - TOTALS_H - BOTTOM - SIGN_H - 2 * NOTE_LINE - 3 * REMARK_LINE


def _row_height(item_count: int) -> float:
    """The items' row height: ROW_H, smaller for a long catalogue (one too long even then goes on
    over pages)."""
    return max(MIN_ROW_H, min(ROW_H, _grid_room() / max(item_count, 1)))


def _column_capacity(top: float) -> int:
    """How many remark lines fit in a column from ``top`` (under the 备注 heading) down to the
    signature row."""
    return max(0, int((top - BOTTOM - SIGN_H - REMARK_LINE) // REMARK_LINE))


def _remark_groups(form: EvaluationForm) -> list[Lines]:
    """Each remark's lines, wrapped to a column's width (its second line on indented)."""
    groups: list[Lines] = []
    for remark in form.remarks:
        lines = wrap(remark, REMARK_COL_W - 2 * mm, REMARK_SIZE, REMARK_INDENT)
        groups.append(tuple((REMARK_INDENT if index else 0.0, line) for index, line in enumerate(lines)))
    return groups


def _pack(groups: list[Lines], first: int, later: int) -> list[tuple[Lines, Lines]]:
    """The remarks in columns, two a page: ``first`` lines a column on the first page, ``later``
    on the others; a remark moves to the next column whole unless it is longer than a column."""
    columns: list[list[tuple[float, str]]] = [[]]
    capacity = [first]

    def room() -> int:
        return capacity[len(columns) - 1] - len(columns[-1])

    def next_column() -> None:
        columns.append([])
        capacity.append(first if len(columns) <= 2 else later)

    for group in groups:
        lines = list(group)
        if len(lines) > room() and columns[-1] and len(lines) <= later:
            next_column()
        while lines:
            while room() <= 0:
                next_column()
            take = room()
            columns[-1] += lines[:take]
            lines = lines[take:]
    if len(columns) % 2:
        columns.append([])
    return [(tuple(columns[i]), tuple(columns[i + 1])) for i in range(0, len(columns), 2)]


def _plan(form: EvaluationForm) -> list[_Page]:
    row_h = _row_height(len(form.items))
    rows_per_page = max(1, int(_grid_room() // row_h))
    experts = len(form.experts)
    # More experts than fit across a page: as many on each page as on the others (11: 6 and 5).
    pages_across = -(-experts // EXPERTS_PER_PAGE)
    per_page = -(-experts // pages_across) if experts else 1
    chunks = [range(i, min(i + per_page, experts)) for i in range(0, experts, per_page)]
    row_chunks = [
        range(i, min(i + rows_per_page, len(form.items))) for i in range(0, len(form.items), rows_per_page)
    ] or [range(0)]
    grids = [(columns, rows) for columns in chunks or [range(0)] for rows in row_chunks]
    # Under the last grid: its notes, then the remarks down to the signature row.
    last_columns, last_rows = grids[-1]
    grid_bottom = _grid_top() - GRID_HEAD - len(last_rows) * row_h - TOTALS_H
    first = _column_capacity(grid_bottom - _notes_height(form))
    later = max(1, _column_capacity(PAGE_H - TOP - TITLE_BAND))
    remark_pages = _pack(_remark_groups(form), first, later)
    pages = [_Page(columns, rows, ((), ()), True, False) for columns, rows in grids[:-1]]
    pages.append(_Page(last_columns, last_rows, remark_pages[0], True, len(remark_pages) == 1))
    for index, chunk in enumerate(remark_pages[1:], start=2):
        pages.append(_Page(range(0), range(0), chunk, False, index == len(remark_pages)))
    return pages


def _notes_height(form: EvaluationForm) -> float:
    return sum(len(wrap(note, CONTENT_W, NOTE_SIZE)) for note in form.notes) * NOTE_LINE + 1.5 * mm


# -- the page's parts ----------------------------------------------------------------------------
def _draw_title(canvas: Canvas, form: EvaluationForm, stamp: IssueStamp | None, continued: bool) -> None:
    top = PAGE_H - TOP
    draw_text(canvas, PAGE_W / 2, top - 4 * mm, form.center_name, 10, GREY, align="center")
    title = form.title + (CONTINUED if continued else "")
    draw_text(canvas, PAGE_W / 2, top - 12 * mm, title, 18, align="center", bold=True)
    if form.status:
        size = fit_size(form.status, PAGE_W / 2 - MARGIN - text_width(title, 18) / 2 - 4 * mm, 10.5, 7)
        draw_text(canvas, MARGIN, top - 12 * mm, form.status, size, RED, bold=True)
    if stamp is not None:
        draw_stamp_block(canvas, stamp, PAGE_W - MARGIN - STAMP_W, top - STAMP_QR - 1 * mm, STAMP_QR, 7.5)
        draw_reprint_mark(canvas, stamp, PAGE_W - MARGIN - STAMP_W - 4 * mm, top - 4 * mm)


def _draw_header(canvas: Canvas, form: EvaluationForm) -> None:
    value_w = (CONTENT_W - 4 * HEADER_LABEL_W) / 4
    column = [MARGIN + i * (HEADER_LABEL_W + value_w) for i in range(4)]
    top = PAGE_H - TOP - TITLE_BAND
    people = f"{len(form.experts)} 人"
    rows: list[list[tuple[str, str, int]]] = [
        [("考评编号", form.number, 1), ("项目编号", form.project_code, 1), ("交易类别", form.category, 1)],
        [("项目名称", form.project_name, 3), ("评标日期", form.evaluation_date, 1)],
        [("计划时间", form.scheduled, 1), ("实际时间", form.actual, 1), ("见证人", form.witness, 1)],
    ]
    rows[0].append(("评标室", form.room, 1))
    rows[2].append(("专家人数", people, 1))
    for row in rows:
        slot = 0
        for label, value, span in row:
            x = column[slot]
            width = span * (HEADER_LABEL_W + value_w) - HEADER_LABEL_W
            _box(canvas, x, top, HEADER_LABEL_W, HEADER_ROW, fill=True)
            _cell_text(canvas, x, top, HEADER_LABEL_W, HEADER_ROW, label, 9, "center")
            _box(canvas, x + HEADER_LABEL_W, top, width, HEADER_ROW)
            _cell_text(canvas, x + HEADER_LABEL_W, top, width, HEADER_ROW, value, 9, minimum=6)
            slot += span
        top -= HEADER_ROW


def _draw_grid(canvas: Canvas, form: EvaluationForm, page: _Page, row_h: float) -> float:
    """The grid of ``page``; the y of its bottom edge."""
    expert_w = _expert_width(len(page.experts))
    text_w = CONTENT_W - CODE_W - RANGE_W - expert_w * len(page.experts)
    xs = [MARGIN, MARGIN + CODE_W, MARGIN + CODE_W + text_w, MARGIN + CODE_W + text_w + RANGE_W]
    top = _grid_top()
    for x, width, label in zip(xs, (CODE_W, text_w, RANGE_W), ("编号", "考评内容", "扣分标准"), strict=False):
        _box(canvas, x, top, width, GRID_HEAD, fill=True)
        _cell_text(canvas, x, top, width, GRID_HEAD, label, 9, "center")
    for slot, index in enumerate(page.experts):
        x = xs[3] + slot * expert_w
        name, number = form.experts[index]
        _box(canvas, x, top, expert_w, GRID_HEAD, fill=True)
        _cell_text(canvas, x, top - 0.8 * mm, expert_w, GRID_HEAD * 0.55, name, 9, "center", minimum=6)
        _cell_text(canvas, x, top - GRID_HEAD * 0.5, expert_w, GRID_HEAD * 0.45, number, 7, "center", 5.5)
    top -= GRID_HEAD
    for row in page.items:
        code, text, points_range, serious = form.items[row]
        cells = ((xs[0], CODE_W, code, "center"), (xs[1], text_w, text + ("★" if serious else ""), "left"))
        for x, width, value, align in (*cells, (xs[2], RANGE_W, points_range, "center")):
            _box(canvas, x, top, width, row_h)
            _cell_text(canvas, x, top, width, row_h, value, 8.5, align, minimum=6.5)
        for slot, index in enumerate(page.experts):
            x = xs[3] + slot * expert_w
            _box(canvas, x, top, expert_w, row_h)
            value = form.cells[row][index]
            if value:
                _cell_text(canvas, x, top, expert_w, row_h, value, 10, "center", bold=True)
        top -= row_h
    _box(canvas, MARGIN, top, CODE_W + text_w + RANGE_W, TOTALS_H, fill=True)
    _cell_text(canvas, MARGIN, top, CODE_W + text_w + RANGE_W, TOTALS_H, "合计扣分", 9.5, "center", bold=True)
    for slot, index in enumerate(page.experts):
        x = xs[3] + slot * expert_w
        _box(canvas, x, top, expert_w, TOTALS_H, fill=True)
        _cell_text(canvas, x, top, expert_w, TOTALS_H, form.totals[index], 10, "center", bold=True)
    return top - TOTALS_H


def _draw_notes(canvas: Canvas, form: EvaluationForm, top: float) -> float:
    y = top - NOTE_LINE
    for note in form.notes:
        for line in wrap(note, CONTENT_W, NOTE_SIZE):
            draw_text(canvas, MARGIN, y + 1 * mm, line, NOTE_SIZE, GREY)
            y -= NOTE_LINE
    return y + NOTE_LINE - 1.5 * mm


def _draw_remarks(canvas: Canvas, columns: tuple[Lines, Lines], top: float, continued: bool) -> None:
    """The remark lines in two columns under a 备注 heading."""
    if not any(columns):
        return
    y = top - REMARK_LINE
    draw_text(canvas, MARGIN, y + 1 * mm, "备注" + (CONTINUED if continued else "") + "：", 9, bold=True)
    for index, lines in enumerate(columns):
        x = MARGIN + 2 * mm + index * (REMARK_COL_W + REMARK_GAP)
        line_y = y - REMARK_LINE
        for indent, line in lines:
            draw_text(canvas, x + indent, line_y + 1 * mm, line, REMARK_SIZE)
            line_y -= REMARK_LINE


def _draw_signatures(canvas: Canvas, form: EvaluationForm) -> None:
    """One row at the bottom: a line to sign on after each label, then the date to fill in."""
    y = BOTTOM + 3 * mm
    x = PAGE_W - MARGIN
    date_text = "日期：" + form.sign_date
    x -= text_width(date_text, SIGN_SIZE)
    draw_text(canvas, x, y, date_text, SIGN_SIZE)
    for label in reversed(form.signatures):
        x -= 8 * mm + SIGN_LINE_W
        canvas.saveState()
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.6)
        canvas.line(x, y - 1.2 * mm, x + SIGN_LINE_W, y - 1.2 * mm)
        canvas.restoreState()
        x -= text_width(label + "：", SIGN_SIZE) + 1 * mm
        draw_text(canvas, x, y, label + "：", SIGN_SIZE)


def _draw_footer(canvas: Canvas, page: int, total: int) -> None:
    draw_text(canvas, PAGE_W / 2, BOTTOM - 5 * mm, f"第 {page} 页  共 {total} 页", 8.5, GREY, align="center")


@one_at_a_time
def render_evaluation_form(form: EvaluationForm, stamp: IssueStamp | None = None) -> bytes:
    check_texts(form.texts() + (stamp.texts() if stamp else []))
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (PAGE_W, PAGE_H), f"{form.title} {form.number}", form.center_name)
    pages = _plan(form)
    row_h = _row_height(len(form.items))
    for number, page in enumerate(pages, start=1):
        _draw_title(canvas, form, stamp, continued=number > 1)
        if page.grid:
            _draw_header(canvas, form)
            bottom = _draw_grid(canvas, form, page, row_h)
            bottom = _draw_notes(canvas, form, bottom)
            _draw_remarks(canvas, page.remarks, bottom, continued=False)
        else:
            _draw_remarks(canvas, page.remarks, PAGE_H - TOP - TITLE_BAND, continued=True)
        if page.last:
            _draw_signatures(canvas, form)
        _draw_footer(canvas, number, len(pages))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
