"""A month's scores as an .xlsx: one sheet 月度考核 with a row per staff member and the department as
a column (科室, 工号, 姓名, 岗位, 德, 能, 勤, 绩, 廉, 总分, 等次, 否决, then the state and the rank in
the department) — one sheet, so that the whole center sorts and filters at once — and a sheet
科室汇总 with a row per department (state, revision, count, average, highest, lowest, 优秀 and its
quota, vetoes, who locked it and when).

A leader exports every department or one; a supervisor their own department only. The export is
one use case: one audit entry (the month, the department, the rows, the file), and the file lands
at its path only once that entry is committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement

from desktop_app.domain.dates import chinese_datetime
from desktop_app.domain.errors import DataCheckFailed, NotFound, PermissionDenied, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import MONTH_PATTERN, SHEET_STATE_LABELS, Dimension, SheetState
from desktop_app.notices.files import write_atomic
from desktop_app.services.base import Service, audit_in
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.export import Sheet, workbook_bytes
from desktop_app.services.scoring.sheets import load_in, month_info
from desktop_app.services.scoring.types import DepartmentMonthInfo
from desktop_app.store.scoring_models import ScoringDepartmentMonth, ScoringSheet
from desktop_app.store.sealing import TAMPERED, failing_ids

CELL_LIMIT = 32_767

ROW_HEADERS = (
    ("科室", 16),
    ("工号", 12),
    ("姓名", 10),
    ("岗位", 12),
    ("德", 6),
    ("能", 6),
    ("勤", 6),
    ("绩", 6),
    ("廉", 6),
    ("总分", 7),
    ("等次", 9),
    ("否决", 6),
    ("状态", 8),
    ("科室排名", 9),
)
SUMMARY_HEADERS = (
    ("科室", 16),
    ("状态", 8),
    ("版次", 6),
    ("人数", 6),
    ("平均分", 8),
    ("最高分", 8),
    ("最低分", 8),
    ("优秀", 6),
    ("优秀限额", 9),
    ("否决", 6),
    ("锁定人", 10),
    ("锁定时间", 17),
)


def text_cell(value: str | None) -> str:
    text = value or ""
    # A cell starting with = + - @ is a formula to a spreadsheet: an exported text never runs.
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    return text[:CELL_LIMIT]


def _number(value: float) -> float | int:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the hall's wall clock time, naive."""
    return moment.astimezone().replace(tzinfo=None, microsecond=0) if moment is not None else None


def month_rows(months: Sequence[DepartmentMonthInfo]) -> list[list[Any]]:
    """A row per staff member: the departments in the order given, each by employee number."""
    rows: list[list[Any]] = []
    for info in months:
        for row in sorted(info.rows, key=lambda r: (r.employee_no, r.staff_name)):
            rows.append(
                [
                    text_cell(row.department_name or info.department_name),
                    text_cell(row.employee_no),
                    text_cell(row.staff_name),
                    text_cell(row.post),
                    *(_number(row.by_dimension.get(d, 0.0)) for d in Dimension),
                    _number(row.total),
                    row.grade,
                    "是" if row.veto else "",
                    SHEET_STATE_LABELS[row.state],
                    row.rank_in_department or "",
                ]
            )
    return rows


def summary_rows(months: Sequence[DepartmentMonthInfo]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for info in months:
        totals = [r.total for r in info.rows]
        rows.append(
            [
                text_cell(info.department_name),
                SHEET_STATE_LABELS[info.state],
                info.revision,
                len(info.rows),
                _number(sum(totals) / len(totals)) if totals else "",
                _number(max(totals)) if totals else "",
                _number(min(totals)) if totals else "",
                info.excellent_count,
                info.excellent_quota,
                sum(1 for r in info.rows if r.veto),
                text_cell(info.locked_by),
                _local(info.locked_at),
            ]
        )
    return rows


class _Reads(Protocol):
    def department_month(self, actor: CurrentUser, department_id: int, month: str) -> DepartmentMonthInfo: ...

    def departments_for(self, actor: CurrentUser) -> list[tuple[int, str]]: ...


def supervisor_department(actor: CurrentUser, department_id: int | None) -> int:
    """The department a supervisor may export: their own (asking for another is refused)."""
    if not actor.can(Permission.SCORING_FILL):
        raise PermissionDenied("您没有导出月度考核结果的权限。")
    own = actor.department_id
    if own is None:
        raise PermissionDenied("您的账户未关联科室，不能导出考核结果。")
    if department_id is not None and department_id != own:
        raise PermissionDenied("科室负责人只能导出本科室的考核结果。")
    return own


class ExportOps(Service):
    def _department_month(self, actor: CurrentUser, department_id: int, month: str) -> DepartmentMonthInfo:
        """A department's month as stored when it is locked or not opened (an export opens none);
        through ``department_month`` (its automatic lines brought up to date) while it is being filled."""
        with self.db.session() as session:
            loaded = load_in(session, department_id, month)
            if loaded.row is None or loaded.state == SheetState.LOCKED:
                return month_info(session, loaded)
        return cast(_Reads, self).department_month(actor, department_id, month)

    def export_month(
        self, actor: CurrentUser, month: str, path: Path | str, department_id: int | None = None
    ) -> Path:
        """Write ``month``'s scores (every department the actor may read, or ``department_id``'s)
        to the .xlsx at ``path`` (``.xlsx`` added when missing); the path written."""
        if not MONTH_PATTERN.match(month or ""):
            raise ValidationError(f"月份“{month}”的格式应为 YYYY-MM，例如 2026-10。", field="month")
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        reads = cast(_Reads, self)
        if actor.can(Permission.SCORING_LOCK):
            wanted = [d for d, _ in reads.departments_for(actor) if department_id in (None, d)]
            if not wanted:
                raise NotFound("该科室不存在或已停用。")
            months = [self._department_month(actor, d, month) for d in wanted]
        else:
            months = [reads.department_month(actor, supervisor_department(actor, department_id), month)]
        wanted = [info.department_id for info in months]
        with self.db.session() as session:
            where: ColumnElement[bool] = (
                ScoringSheet.department_id.in_(wanted)
                & (ScoringSheet.month == month)
                & ScoringSheet.current.is_(True)
            )
            bad = failing_ids(session, ScoringSheet, where) or failing_ids(
                session,
                ScoringDepartmentMonth,
                ScoringDepartmentMonth.department_id.in_(wanted) & (ScoringDepartmentMonth.month == month),
            )
        if bad:
            raise DataCheckFailed(f"{TAMPERED}：{month}的考核记录中有与校验码不符的，不能导出。")
        rows = month_rows(months)
        year, number = int(month[:4]), int(month[5:])
        scope = months[0].department_name if department_id is not None and months else "全部科室"
        exported_at = self.db.now()
        subtitle = (
            f"{year}年{number}月　{scope}　导出人：{actor.display_name or actor.username}　"
            f"导出时间：{chinese_datetime(exported_at)}　人数 {len(rows)}"
        )
        sheets = (
            Sheet("月度考核", f"{year}年{number}月月度考核结果（{scope}）", ROW_HEADERS, rows),
            Sheet("科室汇总", f"{year}年{number}月月度考核科室汇总", SUMMARY_HEADERS, summary_rows(months)),
        )
        data = workbook_bytes(sheets, subtitle)
        with self.write() as session:
            audit_in(
                session,
                actor,
                "scoring.export",
                "scoring_month",
                month,
                {"departments": scope, "exported_rows": len(rows), "file": target.name},
            )
            # Inside the transaction: a file that cannot be written leaves no entry behind.
            write_atomic(target, data)
        return target
