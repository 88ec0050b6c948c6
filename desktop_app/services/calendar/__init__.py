"""The working-day calendar: read it, edit a day (system admin), import a year, count deadlines.

Other modules count their deadlines inside their own transaction with ``deadline_in(session, db,
received, n)`` (the complaints module: a case's committed deadline, its follow-up deadlines) and
read the whole calendar with ``calendar_in`` (``working_days_between`` for "overdue by N working
days"). Neither opens a transaction nor checks rights.

The calendar is read once per transaction (kept in ``session.info``) and, across transactions, kept
per database as long as the table's fingerprint (row count, newest change, sum of row versions) is
unchanged: an import of thousands of complaints reads it once, and a change made on another
workstation is seen by the next transaction here. A change made in a transaction forgets that
transaction's copy at once.

``todo.py`` reminds the system admin (home page 待办) of a schedule not entered yet.

An import adds days and never changes one: a file row for a listed day with another kind or name is
an error (the admin changes that day on the page, then imports again); one with the same kind and
name is already present. The commit's one audit entry names the file and the counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, Refusals, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.workdays import (
    DAY_KIND_LABELS,
    NAME_LIMIT,
    CalendarDay,
    DayKind,
    Deadline,
    WorkCalendar,
    check_day,
    parse_day_kind,
)
from desktop_app.services.base import Service, changes, touch
from desktop_app.services.context import CurrentUser
from desktop_app.services.tabular_import import (
    ColumnSpec,
    Evaluated,
    Header,
    RowError,
    RowEvaluator,
    RowOutcome,
    RowStatus,
    TableSpec,
    TabularImportService,
    Written,
    parse_date,
)
from desktop_app.store.calendar_models import CalendarDayRow
from desktop_app.store.database import Database

SESSION_KEY = "work_calendar"
MAX_WORKING_DAYS = 1000  # four years of working days: far beyond any time limit, and counted at once
_BY_DATABASE: WeakKeyDictionary[Database, tuple[tuple[Any, ...], WorkCalendar]] = WeakKeyDictionary()


# -- reading, for every module -------------------------------------------------------------------
def calendar_in(session: Session, db: Database) -> WorkCalendar:
    """The calendar as this transaction sees it (read once per transaction)."""
    cached = session.info.get(SESSION_KEY)
    if isinstance(cached, WorkCalendar):
        return cached
    fingerprint = tuple(
        session.execute(
            select(
                func.count(CalendarDayRow.id),
                func.max(CalendarDayRow.updated_at),
                func.coalesce(func.sum(CalendarDayRow.version), 0),
            )
        ).one()
    )
    known = _BY_DATABASE.get(db)
    if known is not None and known[0] == fingerprint:
        calendar = known[1]
    else:
        rows = session.execute(select(CalendarDayRow.day, CalendarDayRow.kind, CalendarDayRow.name))
        calendar = WorkCalendar(CalendarDay(day, DayKind(kind), name) for day, kind, name in rows)
        _BY_DATABASE[db] = (fingerprint, calendar)
    session.info[SESSION_KEY] = calendar
    return calendar


def forget_calendar(session: Session) -> None:
    """This transaction changed the calendar: read it again when next asked."""
    session.info.pop(SESSION_KEY, None)


def forget_cached_calendars() -> None:
    """Drop the copies kept per database (each is read again when next asked)."""
    _BY_DATABASE.clear()


def deadline_in(session: Session, db: Database, received: date | datetime, n: int) -> Deadline:
    """The n-th working day after the day of receipt, provisional when a counted day lies in a year
    without schedule (``domain.workdays``)."""
    return calendar_in(session, db).add_working_days(received, n)


# -- what crosses the boundary --------------------------------------------------------------------
@dataclass(frozen=True)
class DayInput:
    day: date | None
    kind: DayKind | None
    name: str


@dataclass(frozen=True)
class DayInfo:
    id: int
    version: int
    day: date
    kind: DayKind
    name: str
    updated_by: str
    updated_at: datetime

    @property
    def kind_label(self) -> str:
        return DAY_KIND_LABELS[self.kind]


@dataclass(frozen=True)
class YearSchedule:
    year: int
    days: tuple[DayInfo, ...]

    @property
    def has_schedule(self) -> bool:
        return bool(self.days)

    @property
    def off_count(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.OFF)

    @property
    def work_count(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.WORK)


def day_info(row: CalendarDayRow) -> DayInfo:
    return DayInfo(row.id, row.version, row.day, DayKind(row.kind), row.name, row.updated_by, row.updated_at)


def checked_day(data: DayInput) -> tuple[date, DayKind, str]:
    """Every fault of a day's input at once (fields: day, kind, name)."""
    refusals = Refusals()
    name = " ".join(data.name.split())
    if data.day is None:
        refusals.add("请填写日期。", "day")
    if data.kind is None:
        refusals.add("请选择类型：休（放假）或班（调休上班）。", "kind")
    if not name:
        refusals.add("请填写名称，如“春节”。", "name")
    elif len(name) > NAME_LIMIT:
        refusals.add(f"名称最多 {NAME_LIMIT} 个字。", "name")
    if data.day is not None and data.kind is not None:
        fault = check_day(CalendarDay(data.day, data.kind, name))
        if fault:
            refusals.add(fault, "kind")
    refusals.raise_any()
    assert data.day is not None and data.kind is not None
    return data.day, data.kind, name


def listed_message(row: CalendarDayRow) -> str:
    kind = DAY_KIND_LABELS[DayKind(row.kind)]
    return f"{row.day.isoformat()} 已登记为“{kind}”（{row.name}）"


class CalendarService(Service):
    # -- reading -------------------------------------------------------------------------------------
    def calendar(self) -> WorkCalendar:
        with self.db.session() as session:
            return calendar_in(session, self.db)

    def year(self, year: int) -> YearSchedule:
        with self.db.session() as session:
            rows = session.scalars(
                select(CalendarDayRow)
                .where(CalendarDayRow.day >= date(year, 1, 1), CalendarDayRow.day <= date(year, 12, 31))
                .order_by(CalendarDayRow.day)
            )
            return YearSchedule(year, tuple(day_info(r) for r in rows))

    def scheduled_years(self) -> list[int]:
        return sorted(self.calendar().years)

    def deadline(self, received: date | datetime, n: int) -> Deadline:
        if not 1 <= n <= MAX_WORKING_DAYS:
            raise ValidationError(f"工作日数应为 1 至 {MAX_WORKING_DAYS} 之间的整数。", field="n")
        with self.db.session() as session:
            return deadline_in(session, self.db, received, n)

    # -- editing (system admin) -------------------------------------------------------------------
    def save_day(
        self,
        actor: CurrentUser,
        data: DayInput,
        day_id: int | None = None,
        expected_version: int | None = None,
    ) -> DayInfo:
        """List a day (``day_id`` None) or change a listed one (its date too)."""
        actor.require(Permission.ADMIN_SETTINGS)
        day, kind, name = checked_day(data)
        with self.write("该日期已在工作日历中登记。", "day") as session:
            other = session.scalar(select(CalendarDayRow).where(CalendarDayRow.day == day))
            if other is not None and other.id != day_id:
                raise ValidationError(f"{listed_message(other)}：请直接修改该日。", field="day")
            if day_id is None:
                row = CalendarDayRow(day=day, kind=kind.value, name=name)
                touch(row, actor, self.db)
                session.add(row)
                session.flush()
                summary: dict[str, Any] = {"day": day.isoformat(), "kind": kind.value, "name": name}
                action = "calendar.day.create"
            else:
                row = self.get_or_404(session, CalendarDayRow, day_id, "该日历日期")
                self.check_version(row, expected_version)
                summary = changes(row, {"day": day, "kind": kind.value, "name": name})
                if "day" in summary:
                    summary["day"] = [d.isoformat() for d in summary["day"]]
                else:
                    summary["on"] = day.isoformat()
                touch(row, actor, self.db)
                action = "calendar.day.update"
            session.flush()
            forget_calendar(session)
            self.audit(session, actor, action, "calendar_day", row.id, summary)
            return day_info(row)

    def remove_day(self, actor: CurrentUser, day_id: int, expected_version: int | None = None) -> None:
        """Take a day off the list: it is then an ordinary weekday or weekend day again."""
        actor.require(Permission.ADMIN_SETTINGS)
        with self.write() as session:
            row = session.get(CalendarDayRow, day_id)
            if row is None:
                raise NotFound("该日期已不在工作日历中（可能已被其他工作站删除），请刷新。")
            self.check_version(row, expected_version)
            summary = {"day": row.day.isoformat(), "kind": row.kind, "name": row.name}
            session.delete(row)
            session.flush()
            forget_calendar(session)
            self.audit(session, actor, "calendar.day.delete", "calendar_day", day_id, summary)


# -- importing a year ----------------------------------------------------------------------------
COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("日期", "day", True, "必填。如 2027-01-01、2027/1/1 或 2027年1月1日。", "2027-01-01", 14),
    ColumnSpec(
        "类型",
        "kind",
        True,
        "必填。休：放假（假期中的周六、周日也逐日列出）；班：调休上班的周六或周日。",
        "休",
        8,
    ),
    ColumnSpec("名称", "name", True, f"必填，最多 {NAME_LIMIT} 字。所属节日，如 元旦、春节。", "元旦", 16),
)
SPEC = TableSpec(
    "days",
    "工作日历",
    COLUMNS,
    "工作日历导入模板",
    template_notes=(
        "每行一天：国务院办公厅公布的放假日（休）和调休上班日（班）。未列出的日子按周一至周五上班、周六周日休息计算。",
        "已登记的日期：类型和名称相同的跳过；不同的报错，请先在“工作日历”页修改该日后再导入。",
        "某年只要登记了任何一天，即视为已公布该年安排；此前该年的期限按周一至周五计算并标注“暂定”。",
    ),
    choices={"类型": ("休", "班")},
)
SPECS = {SPEC.kind: SPEC}


class DayRows(RowEvaluator):
    def __init__(self, spec: TableSpec, header: Header, session: Session) -> None:
        super().__init__(spec, header)
        self.session = session
        self.seen: dict[date, int] = {}

    def parse(self, values: Sequence[Any]) -> tuple[date, DayKind, str]:
        day = parse_date(self.cell(values, "日期"), "日期")
        if day is None:
            raise RowError("日期", "请填写日期。")
        kind_text = self.text(values, "类型")
        kind = parse_day_kind(kind_text)
        if kind is None:
            raise RowError(
                "类型", f"类型“{kind_text}”无效：请填写“休”或“班”。" if kind_text else "请填写类型：休或班。"
            )
        return checked_day(DayInput(day, kind, self.text(values, "名称")))

    def evaluate(self, batch: list[tuple[int, Sequence[Any]]]) -> list[Evaluated]:
        parsed: list[tuple[int, str, tuple[date, DayKind, str] | None, Evaluated | None]] = []
        for number, values in batch:
            summary = self.text(values, "日期")
            try:
                day, kind, name = self.parse(values)
                parsed.append(
                    (number, f"{day.isoformat()} {DAY_KIND_LABELS[kind]} {name}", (day, kind, name), None)
                )
            except (RowError, ValidationError) as exc:
                parsed.append((number, summary, None, self.error(number, summary, exc)))
        days = [p[2][0] for p in parsed if p[2] is not None]
        listed = {
            row.day: row
            for row in (
                self.session.scalars(select(CalendarDayRow).where(CalendarDayRow.day.in_(days)))
                if days
                else []
            )
        }
        results = []
        for number, summary, value, failed in parsed:
            if value is None:
                assert failed is not None
                results.append(failed)
                continue
            day, kind, name = value
            row = listed.get(day)
            if day in self.seen:
                reason = f"与第 {self.seen[day]} 行是同一天。"
                results.append(Evaluated(RowOutcome(number, RowStatus.ERROR, summary, "日期", reason)))
            elif row is not None and (row.kind, row.name) == (kind.value, name):
                results.append(Evaluated(RowOutcome(number, RowStatus.PRESENT, summary, "", "已登记，跳过")))
            elif row is not None:
                reason = f"{listed_message(row)}，与文件不同：请先在“工作日历”页修改或删除该日。"
                results.append(Evaluated(RowOutcome(number, RowStatus.ERROR, summary, "日期", reason)))
            else:
                results.append(Evaluated(RowOutcome(number, RowStatus.NEW, summary), value))
            self.seen.setdefault(day, number)
        return results


class CalendarImportService(TabularImportService):
    """Preview and commit a year's schedule from .xlsx/.csv (日期, 类型 休/班, 名称)."""

    permission = Permission.ADMIN_SETTINGS
    audit_action_prefix = "calendar.import"
    audit_object_type = "calendar_import"
    conflict_message = "导入时其他工作站登记了相同的日期，未导入任何数据，请重新预览后再导入。"

    @property
    def specs(self) -> Mapping[str, TableSpec]:
        return SPECS

    def evaluator(
        self, session: Session, actor: CurrentUser, spec: TableSpec, header: Header, source: Path
    ) -> RowEvaluator:
        return DayRows(spec, header, session)

    def write_rows(
        self, session: Session, actor: CurrentUser, spec: TableSpec, rows: list[Evaluated]
    ) -> Written:
        added = []
        for evaluated in rows:
            day, kind, name = evaluated.payload
            row = CalendarDayRow(day=day, kind=kind.value, name=name)
            touch(row, actor, self.db)
            added.append(row)
        session.add_all(added)
        session.flush()
        forget_calendar(session)
        return Written([row.id for row in added])


def write_template(path: str | Path) -> Path:
    from desktop_app.services.tabular_import import write_template as write

    return write(SPEC, path)
