"""Table report: a title block, then a table over as many pages as it needs, its header row repeated
on every page, an optional totals row, and "第 n 页 共 m 页" in the footer; optional charts of the
same figures (``notices/charts.py``) above or below the table."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app import __version__
from desktop_app.notices.base import (
    GREY,
    LIGHT,
    SEAL_DIAMETER,
    IssueStamp,
    MarkedCanvas,
    check_texts,
    draw_reprint_mark,
    draw_signoff,
    draw_stamp_block,
    draw_text,
    fit_size,
    signoff_date,
    wrap,
)
from desktop_app.notices.charts import ChartSpec, chart_drawing
from desktop_app.notices.fonts import ensure_font, one_at_a_time, text_width

SIZE = 9.5
LEADING = 12.5
PAD = 3
CHART_HEIGHT = 68 * mm
CHART_GAP = 4 * mm
CHART_POSITIONS = ("above", "below")


@dataclass(frozen=True)
class Column:
    title: str
    weight: float = 1.0
    align: str = "left"  # left | center | right (numbers)


@dataclass(frozen=True)
class TableReport:
    center_name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    subtitle: str = ""
    totals: tuple[str, ...] | None = None
    landscape: bool = False
    generated_at: datetime | None = None
    footnotes: tuple[str, ...] = field(default=())
    # A sheet handed to outsiders ends with the 落款 (center name, Chinese date) and the seal area;
    # a list kept in the hall does not.
    signoff: bool = False
    # The 落款's date; None: the day the document is issued (the stamp's).
    issued_on: date | None = None
    # Charts of the figures, each across the page's width, above the table or below it (before the
    # footnotes). Archived contents from before charts have neither key and load with the defaults.
    charts: tuple[ChartSpec, ...] = ()
    charts_position: str = "above"
    # Signature lines under the table (科室负责人, 分管领导 …), each a label and a line to sign on,
    # then the date to fill in (``sign_date``; blank: by hand). Kept on a page with the last rows.
    signatures: tuple[str, ...] = ()
    sign_date: str = ""

    def __post_init__(self) -> None:
        if self.charts_position not in CHART_POSITIONS:
            raise ValueError(f"charts_position {self.charts_position!r} is not one of {CHART_POSITIONS}")

    def texts(self) -> list[str]:
        cells = [c for row in self.rows for c in row]
        return [
            self.center_name,
            self.title,
            self.subtitle,
            *(c.title for c in self.columns),
            *cells,
            *(self.totals or ()),
            *self.footnotes,
            *(text for chart in self.charts for text in chart.texts()),
            *self.signatures,
            self.sign_date,
        ]


def _numbered_canvas(report: TableReport, stamp: IssueStamp | None) -> type[Canvas]:
    """A canvas that knows the page count when it writes each footer (two-pass numbering)."""

    class NumberedCanvas(MarkedCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The doc template passes initialFontName=None explicitly (setdefault would keep it), and
            # the canvas then references an unembedded Helvetica in every page's resources.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or ensure_font()
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.setTitle(report.title)
            self.setAuthor(report.center_name)
            self.setCreator(f"诚信服务台 Integrity Desk {__version__}")

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize
            page = self._pageNumber
            draw_text(self, width / 2, 10 * mm, f"第 {page} 页  共 {total} 页", 9, GREY, align="center")
            draw_text(self, 15 * mm, height - 10 * mm, report.center_name, 8.5, GREY)
            if page > 1:
                draw_text(
                    self, width - 15 * mm, height - 10 * mm, report.title + "（续）", 8.5, GREY, align="right"
                )
            if stamp is not None:
                draw_reprint_mark(self, stamp, width - 15 * mm, height - 16 * mm)
                if page == total:
                    draw_stamp_block(self, stamp, 15 * mm, 14 * mm, qr_side=15 * mm, size=7.5)

    return NumberedCanvas


# Rows that go over with the 落款 when it would otherwise stand alone on the last page.
SIGNOFF_ROWS = 3


@one_at_a_time
def render_table_report(report: TableReport, stamp: IssueStamp | None = None) -> bytes:
    check_texts(report.texts() + (stamp.texts() if stamp else []))
    pdf, signoff_alone = _build(report, stamp, tail=0)
    if signoff_alone:
        # GB/T 9704: the page with the 落款 also carries body text. The last rows (or the last chart,
        # when the charts follow the table) go over with it.
        below = report.charts and report.charts_position == "below"
        pdf, _ = _build(report, stamp, tail=1 if below else min(SIGNOFF_ROWS, len(report.rows)))
    return pdf


def _build(report: TableReport, stamp: IssueStamp | None, tail: int) -> tuple[bytes, bool]:
    """The PDF, and whether the 落款 landed on a page without a row of the table."""
    font = ensure_font()
    pagesize = landscape(A4) if report.landscape else A4
    buffer = io.BytesIO()
    bottom = 32 * mm if stamp is not None else 18 * mm
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=16 * mm,
        bottomMargin=bottom,
        title=report.title,
        author=report.center_name,
    )
    total_weight = sum(c.weight for c in report.columns) or 1
    widths = [doc.width * c.weight / total_weight for c in report.columns]

    def cell(text: str, width: float) -> str:
        return "\n".join(wrap(text, width - 2 * PAD, SIZE))

    header = [cell(c.title, w) for c, w in zip(report.columns, widths, strict=True)]
    body = [[cell(v, w) for v, w in zip(row, widths, strict=True)] for row in report.rows]
    totals = (
        [[cell(v, w) for v, w in zip(report.totals, widths, strict=True)]]
        if report.totals is not None
        else []
    )
    base_style = [
        ("FONT", (0, 0), (-1, -1), font, SIZE, LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ]

    def table(rows: list[list[str]], with_header: bool = True, with_totals: bool = True) -> Table:
        first = 1 if with_header else 0
        rules = list(base_style)
        if with_header:
            rules += [("BACKGROUND", (0, 0), (-1, 0), LIGHT), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
        for index, column in enumerate(report.columns):
            if column.align != "left":
                rules.append(("ALIGN", (index, first), (index, -1), column.align.upper()))
        if with_totals and totals:
            rules.append(("BACKGROUND", (0, -1), (-1, -1), LIGHT))
        data: list[Sequence[str]] = [
            *([header] if with_header else []),
            *rows,
            *(totals if with_totals else []),
        ]
        return Table(data, colWidths=widths, repeatRows=first, style=TableStyle(rules))

    charts: list[Flowable] = []
    for spec in report.charts:
        charts += [Spacer(1, CHART_GAP), chart_drawing(spec, doc.width, CHART_HEIGHT)]
    below = charts if report.charts_position == "below" else []
    notes: list[Flowable] = [_TextLine(note) for note in report.footnotes]
    story: list[Flowable] = [_TitleBlock(report), *(charts if not below else []), Spacer(1, 4 * mm)]
    # Marks the page of the last body text the 落款 must share a page with: the table's last row, or
    # the last chart when the charts follow the table.
    last_body = _PageMark()
    signoff = _Signoff(report.center_name, signoff_date(report.issued_on, stamp))
    closing: list[_SignatureRow | _Signoff] = []
    if report.signatures:
        closing.append(_SignatureRow(report.signatures, report.sign_date))
    if report.signoff:
        closing.append(signoff)
    totals_table = [table([], with_header=False)] if totals else []
    if not closing:
        story += [table(body), *below, *notes]
    elif not tail:
        # The totals as a table of their own, straight under the rows (the rules meet): the mark
        # between them tells whether the 落款 shares a page with a row of the table.
        story += [table(body, with_totals=False), *([] if below else [last_body])]
        story += [*totals_table, *below, *([last_body] if below else []), *notes, *closing]
    elif below:
        # The last chart goes over with the 落款.
        story += [table(body), *below[:-2], KeepTogether([*below[-2:], last_body, *notes, *closing])]
    else:
        # The last rows start a page of their own (with the header), together with the 落款.
        if len(body) > tail:
            story.append(table(body[:-tail], with_totals=False))
        story.append(KeepTogether([table(body[-tail:]), last_body, *notes, *closing]))
    doc.build(story, canvasmaker=_numbered_canvas(report, stamp))
    alone = bool(closing) and max(part.page for part in closing) > last_body.page
    return buffer.getvalue(), alone


class _PageMark(Spacer):
    """Takes no room; remembers the page it was placed on."""

    def __init__(self) -> None:
        super().__init__(0, 0)
        self.page = 0

    def draw(self) -> None:
        self.page = self.canv.getPageNumber()


class _TitleBlock(Spacer):
    """Centred title and subtitle, drawn with the shared text helper so line breaking stays one rule."""

    def __init__(self, report: TableReport) -> None:
        self.report = report
        super().__init__(1, 24 if not report.subtitle else 40)

    def draw(self) -> None:
        canvas = self.canv
        width = self._frame_width
        # A long title is set smaller rather than run off both edges of the page.
        size = fit_size(self.report.title, width, 16, 9)
        draw_text(canvas, width / 2, self.height - 18, self.report.title, size, align="center", bold=True)
        if self.report.subtitle:
            size = fit_size(self.report.subtitle, width, 10, 6)
            draw_text(canvas, width / 2, self.height - 36, self.report.subtitle, size, GREY, align="center")

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._frame_width = available_width
        return available_width, self.height


class _TextLine(Spacer):
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        super().__init__(1, 14)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.lines = wrap(self.text, available_width, 9)
        self.height = 6 + 12 * len(self.lines)
        return available_width, self.height

    def draw(self) -> None:
        y = self.height - 12
        for line in self.lines:
            draw_text(self.canv, 0, y, line, 9, GREY)
            y -= 12


class _SignatureRow(Spacer):
    """Signature lines side by side (label, then a line to sign on), the date to fill in at the right."""

    SIZE = 10.5
    LINE_W = 38 * mm

    def __init__(self, labels: Sequence[str], date_text: str) -> None:
        self.labels = tuple(labels)
        self.date_text = "日期：" + (date_text or "      年    月    日")
        self.page = 0
        super().__init__(1, 13 * mm)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._frame_width = available_width
        return available_width, self.height

    def draw(self) -> None:
        self.page = self.canv.getPageNumber()
        y = 3 * mm
        x = self._frame_width - text_width(self.date_text, self.SIZE)
        draw_text(self.canv, x, y, self.date_text, self.SIZE)
        for label in reversed(self.labels):
            x -= 10 * mm + self.LINE_W
            self.canv.saveState()
            self.canv.setStrokeColor(GREY)
            self.canv.setLineWidth(0.6)
            self.canv.line(x, y - 1.2 * mm, x + self.LINE_W, y - 1.2 * mm)
            self.canv.restoreState()
            x -= text_width(label + "：", self.SIZE) + 1 * mm
            draw_text(self.canv, x, y, label + "：", self.SIZE)


class _Signoff(Spacer):
    """The 落款 at the right under the table, with the seal area (never split from itself)."""

    SIZE = 10.5

    def __init__(self, issuer: str, date_text: str) -> None:
        self.issuer = issuer
        self.date_text = date_text
        self.page = 0
        super().__init__(1, SEAL_DIAMETER + 8 * mm)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._frame_width = available_width
        return available_width, self.height

    def draw(self) -> None:
        self.page = self.canv.getPageNumber()
        # The seal area's centre is 1.8 lines above the date's baseline (see draw_signoff).
        baseline = 4 * mm + SEAL_DIAMETER / 2 - self.SIZE * 1.8
        draw_signoff(
            self.canv,
            self._frame_width,
            baseline,
            self.issuer,
            self.date_text,
            self.SIZE,
            seal=True,
            inset_chars=2,
        )
