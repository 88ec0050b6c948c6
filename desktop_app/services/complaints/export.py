"""Any filtered list of complaints to ``.xlsx`` (openpyxl, write-only: 10,000 rows in about a second).

Personal data (ID number, phone, address) is exported masked. Someone with the right to unmask who
states a reason gets it in clear: read through the mapped objects (the sealed columns open when the
row loads), and the export's audit entry names the count and the reason — never the data. Every export
is audited (what left the system, how many rows, which filter), and the file lands at its path only
once that entry is committed.

The sheet: a title row (the filter in words, who exported and when), Chinese headers, dates as Excel
dates, the header row frozen, widths to fit the usual content.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from desktop_app.domain.complaints import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    OPEN_STATES,
    OUTCOME_LABELS,
    SATISFACTION_LABELS,
    STATE_LABELS,
    Category,
    Channel,
    Outcome,
    Satisfaction,
    State,
)
from desktop_app.domain.dates import chinese_date, chinese_datetime
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.notices.files import write_atomic
from desktop_app.services.base import Service, audit_in
from desktop_app.services.complaints.cases import department_names_in, require_read, staff_names_in
from desktop_app.services.complaints.listing import ORDER_COLUMNS, Horizon, filter_conditions, horizon_in
from desktop_app.services.complaints.types import ComplaintFilter, ListOrder
from desktop_app.services.context import CurrentUser
from desktop_app.store.complaint_models import Complaint

# An export this large is a copy of the database, not a list: refused (the filters narrow it).
EXPORT_LIMIT = 200_000
# Excel refuses a cell longer than this.
CELL_LIMIT = 32_767
BATCH = 2_000
REASON_MIN = 2


@dataclass(frozen=True)
class ExportColumn:
    title: str
    width: float  # in Excel's character widths (a CJK character is about two)
    kind: str = "text"  # text | datetime | date | number


COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("投诉编号", 16),
    ExportColumn("收到时间", 17, "datetime"),
    ExportColumn("渠道", 12),
    ExportColumn("类别", 10),
    ExportColumn("状态", 9),
    ExportColumn("投诉人", 10),
    ExportColumn("单位", 20),
    ExportColumn("证件号码", 21),
    ExportColumn("联系电话", 14),
    ExportColumn("地址", 28),
    ExportColumn("被投诉对象", 20),
    ExportColumn("项目编号", 16),
    ExportColumn("承办科室", 12),
    ExportColumn("承办人", 9),
    ExportColumn("办结期限", 12, "date"),
    ExportColumn("期限暂定", 9),
    ExportColumn("逾期", 6),
    ExportColumn("办结日期", 12, "date"),
    ExportColumn("办结结果", 10),
    ExportColumn("回访评价", 11),
    ExportColumn("投诉事项", 50),
    ExportColumn("诉求", 30),
)
HEADERS = tuple(c.title for c in COLUMNS)

SELECTED = (
    Complaint.id,
    Complaint.number,
    Complaint.received_at,
    Complaint.channel,
    Complaint.category,
    Complaint.state,
    Complaint.anonymous,
    Complaint.complainant_name,
    Complaint.complainant_unit,
    Complaint.complainant_id_number_masked,
    Complaint.complainant_phone_masked,
    Complaint.complainant_address_masked,
    Complaint.respondent_text,
    Complaint.project_code,
    Complaint.department_id,
    Complaint.handler_staff_id,
    Complaint.deadline,
    Complaint.deadline_provisional,
    Complaint.closed_on,
    Complaint.outcome,
    Complaint.satisfaction,
    Complaint.facts,
    Complaint.request,
)


def describe_filter(session: Session, where: ComplaintFilter) -> str:
    """The filter in words, for the sheet's title row and the audit entry."""
    parts: list[str] = []
    if where.states:
        parts.append("状态：" + "、".join(STATE_LABELS[s] for s in State if s in where.states))
    if where.categories:
        parts.append("类别：" + "、".join(CATEGORY_LABELS[c] for c in Category if c in where.categories))
    if where.channels:
        parts.append("渠道：" + "、".join(CHANNEL_LABELS[c] for c in Channel if c in where.channels))
    if where.department_id is not None:
        name = department_names_in(session).get(where.department_id, str(where.department_id))
        parts.append(f"承办科室：{name}")
    if where.handler_staff_id is not None:
        name = staff_names_in(session, [where.handler_staff_id]).get(
            where.handler_staff_id, str(where.handler_staff_id)
        )
        parts.append(f"承办人：{name}")
    if where.overdue and where.due_within_day:
        parts.append("逾期或一个工作日内到期")
    elif where.overdue:
        parts.append("逾期未办结")
    elif where.due_within_day:
        parts.append("一个工作日内到期")
    if where.received_from is not None or where.received_to is not None:
        start = chinese_date(where.received_from) if where.received_from else "…"
        end = chinese_date(where.received_to) if where.received_to else "…"
        parts.append(f"收到日期：{start}至{end}")
    if where.text.strip():
        parts.append(f"关键词：{where.text.strip()}")
    if where.mine:
        parts.append("仅我的")
    return "；".join(parts) if parts else "全部投诉"


def _cell_text(text: str | None) -> str:
    value = text or ""
    # A cell starting with = + - @ is a formula to a spreadsheet: an exported text never runs.
    if value[:1] in ("=", "+", "-", "@"):
        value = "'" + value
    return value[:CELL_LIMIT]


def _local(moment: datetime) -> datetime:
    """Excel has no time zones: the hall's wall clock time, naive."""
    return moment.astimezone().replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class Personal:
    id_number: str
    phone: str
    address: str


def _clear_values(session: Session, ids: list[int]) -> dict[int, Personal]:
    """The personal data of ``ids`` in clear, opened through the mapped objects as they load."""
    found: dict[int, Personal] = {}
    for start in range(0, len(ids), BATCH):
        part = ids[start : start + BATCH]
        query = (
            select(Complaint)
            .where(Complaint.id.in_(part))
            .options(
                undefer(Complaint.complainant_id_number),
                undefer(Complaint.complainant_phone),
                undefer(Complaint.complainant_address),
            )
        )
        for row in session.scalars(query):
            found[row.id] = Personal(
                row.complainant_id_number or "", row.complainant_phone or "", row.complainant_address or ""
            )
        session.expunge_all()
    return found


def _values(
    values: Any,
    horizon: Horizon,
    departments: dict[int, str],
    staff: dict[int, str],
    personal: Personal | None,
) -> list[Any]:
    state = State(values.state)
    overdue = (state in OPEN_STATES and values.deadline < horizon.today) or (
        values.closed_on is not None
        and state in (State.CLOSED, State.VISITED)
        and values.closed_on > values.deadline
    )
    if personal is not None:
        id_number, phone, address = personal.id_number, personal.phone, personal.address
    else:
        id_number = values.complainant_id_number_masked or ""
        phone = values.complainant_phone_masked or ""
        address = values.complainant_address_masked or ""
    return [
        values.number,
        _local(values.received_at),
        CHANNEL_LABELS[Channel(values.channel)],
        CATEGORY_LABELS[Category(values.category)],
        STATE_LABELS[state],
        "匿名" if values.anonymous else _cell_text(values.complainant_name),
        _cell_text(values.complainant_unit),
        id_number,
        phone,
        _cell_text(address),
        _cell_text(values.respondent_text),
        _cell_text(values.project_code),
        departments.get(values.department_id, "") if values.department_id else "",
        staff.get(values.handler_staff_id, "") if values.handler_staff_id else "",
        values.deadline,
        "是" if values.deadline_provisional else "",
        "是" if overdue else "",
        values.closed_on,
        OUTCOME_LABELS[Outcome(values.outcome)] if values.outcome else "",
        SATISFACTION_LABELS[Satisfaction(values.satisfaction)] if values.satisfaction else "",
        _cell_text(values.facts),
        _cell_text(values.request),
    ]


def workbook_bytes(title: str, subtitle: str, lines: Iterator[list[Any]]) -> tuple[bytes, int]:
    """The .xlsx of ``lines`` (one list of values per row, in ``COLUMNS`` order) and their count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet: Any = book.create_sheet("投诉列表")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "B4"

    def styled(value: Any, **style: Any) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    sheet.append([styled(title, font=Font(bold=True, size=13))])
    sheet.append([styled(subtitle, font=Font(color="555555", size=9))])
    header_fill = PatternFill("solid", fgColor="DDE5EE")
    sheet.append(
        [
            styled(
                name,
                font=Font(bold=True),
                fill=header_fill,
                alignment=Alignment(horizontal="center", vertical="center"),
            )
            for name in HEADERS
        ]
    )
    # A date gets openpyxl's own yyyy-mm-dd; a time of day is shown to the minute. An empty text
    # is no cell at all (a third of the cells of a usual list, and the writer's time goes by cells).
    datetime_format = "yyyy-mm-dd hh:mm"
    timed = [i for i, c in enumerate(COLUMNS) if c.kind == "datetime"]
    count = 0
    for line in lines:
        row = [None if value == "" else value for value in line]
        for index in timed:
            if row[index] is not None:
                row[index] = styled(row[index], number_format=datetime_format)
        sheet.append(row)
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


class ExportOps(Service):
    def export_xlsx(
        self,
        actor: CurrentUser,
        where: ComplaintFilter,
        order: ListOrder,
        path: Path | str,
        reveal_reason: str | None = None,
    ) -> int:
        """Write the cases ``where`` selects, in ``order``, to the .xlsx at ``path``; the number of
        cases written. Personal data masked, unless ``reveal_reason`` is given by someone with the
        right to unmask (refused otherwise): then in clear, and the reason goes to the audit trail."""
        require_read(actor)
        reason = (reveal_reason or "").strip() if reveal_reason is not None else None
        if reason is not None:
            actor.require(Permission.UNMASK_PERSONAL_DATA)
            if len(reason) < REASON_MIN:
                raise ValidationError("导出完整个人信息须填写原因。", field="reason")
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        with self.db.session() as session:
            horizon = horizon_in(session, self.db)
            conditions = filter_conditions(actor, where, horizon)
            column = ORDER_COLUMNS.get(order.key, Complaint.received_at)
            ordering = column.desc() if order.descending else column.asc()
            tiebreak = Complaint.id.desc() if order.descending else Complaint.id.asc()
            found = session.execute(
                select(*SELECTED).where(*conditions).order_by(ordering, tiebreak).limit(EXPORT_LIMIT + 1)
            ).all()
            if len(found) > EXPORT_LIMIT:
                raise ValidationError(f"一次最多导出 {EXPORT_LIMIT:,} 件，请先缩小筛选范围。")
            departments = department_names_in(session)
            staff = staff_names_in(session, {r.handler_staff_id for r in found})
            clear = _clear_values(session, [r.id for r in found]) if reason is not None else {}
            described = describe_filter(session, where)
        exported_at = self.db.now()
        title = f"投诉列表（{described}）"
        subtitle = (
            f"导出人：{actor.display_name or actor.username}　导出时间：{chinese_datetime(exported_at)}　"
            f"共 {len(found)} 件　个人信息：{'完整（已登记原因）' if reason is not None else '已遮蔽'}"
        )
        lines = (
            _values(r, horizon, departments, staff, clear.get(r.id) if reason is not None else None)
            for r in found
        )
        data, count = workbook_bytes(title, subtitle, lines)
        summary: dict[str, Any] = {"rows": count, "filter": described, "file": target.name}
        if reason is not None:
            summary.update(personal_data="clear", reason=reason)
        with self.write() as session:
            audit_in(
                session,
                actor,
                "complaint.export.unmasked" if reason is not None else "complaint.export",
                "complaint",
                "",
                summary,
            )
            # Inside the transaction: a file that cannot be written leaves no entry behind, and no
            # file with personal data exists without its entry.
            write_atomic(target, data)
        return count
