"""A department's month and its sheets: who may see and fill what, opening the month (a draft sheet
for every active staff member, base lines at full points), reading a sheet, saving its manual lines.

Rights: a supervisor (SCORING_FILL) their own department only; a leader (SCORING_LOCK) every
department; a staff member with an account (SCORING_READ_OWN) their own locked sheets only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import DataCheckFailed, NotFound, PermissionDenied, Refusals, ValidationError
from desktop_app.domain.roles import Permission, Role
from desktop_app.domain.scoring import (
    AutoSource,
    ContestState,
    ItemKind,
    ScoringRule,
    SheetState,
    check_month,
    excellent_quota,
)
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, check_version
from desktop_app.services.context import CurrentUser
from desktop_app.services.scoring.automatic import (
    SYNC_ACTOR,
    arrivals_in,
    missing_of,
    store_total,
    sync_sheet_in,
    total_of,
)
from desktop_app.services.scoring.schemes import Scheme, SchemePicker, rule_in, schemes_by_id_in
from desktop_app.services.scoring.types import (
    DepartmentMonthInfo,
    EntryInfo,
    LateArrival,
    MonthOverview,
    SheetInfo,
    SheetInput,
    SheetRow,
)
from desktop_app.store.database import Database
from desktop_app.store.models import Department, Staff, User, UserRole
from desktop_app.store.scoring_models import ScoringDepartmentMonth, ScoringEntry, ScoringSheet
from desktop_app.store.sealing import failing_ids

TEXT_LIMIT = 500
OTHER_DEPARTMENT = "您只能查看和填写本科室的月度考核。"
NO_SCORING = "您没有查看月度考核的权限。"
OWN_ONLY = "您只能查看本人已锁定的月度考核结果。"


# -- rights -------------------------------------------------------------------------------------------
def may_fill(actor: CurrentUser, department_id: int) -> bool:
    """A leader, or the supervisor of this department."""
    if actor.can(Permission.SCORING_LOCK):
        return True
    return actor.can(Permission.SCORING_FILL) and actor.department_id == department_id


def require_fill(actor: CurrentUser, department_id: int) -> None:
    if not may_fill(actor, department_id):
        if actor.can(Permission.SCORING_FILL):
            raise PermissionDenied(OTHER_DEPARTMENT)
        raise PermissionDenied(NO_SCORING)


def scored_staff() -> ColumnElement[bool]:
    """Who a department's month scores: its active staff, but not the center's leaders (their
    appraisal is not a department head's to make)."""
    leaders = (
        select(User.staff_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.LEADER.value, User.staff_id.is_not(None))
    )
    return and_(Staff.active.is_(True), Staff.id.not_in(leaders))


def require_lock(actor: CurrentUser) -> None:
    if not actor.can(Permission.SCORING_LOCK):
        raise PermissionDenied("只有中心领导可以提交审核、退回、锁定或重新打开月度考核，并处理申诉。")


def may_read_sheet(actor: CurrentUser, sheet: ScoringSheet) -> bool:
    if may_fill(actor, sheet.department_id):
        return True
    return (
        actor.can(Permission.SCORING_READ_OWN)
        and actor.staff_id is not None
        and actor.staff_id == sheet.staff_id
        and sheet.state == SheetState.LOCKED.value
    )


def checked_month(month: str) -> str:
    try:
        return check_month(month)
    except ValueError:
        raise ValidationError("请按“年-月”填写月份，例如 2026-11。", field="month") from None


# -- a department's month as loaded ------------------------------------------------------------------
@dataclass
class Loaded:
    """A department's month with its current sheets, their lines, schemes and the month's rule."""

    department: Department
    month: str
    row: ScoringDepartmentMonth | None
    sheets: list[ScoringSheet]
    entries: dict[int, list[ScoringEntry]]
    schemes: dict[int, Scheme]
    rule: ScoringRule
    staff: dict[int, Staff] = field(default_factory=dict)

    @property
    def state(self) -> SheetState:
        return SheetState(self.row.state) if self.row is not None else SheetState.DRAFT


def entries_in(session: Session, sheet_ids: Sequence[int]) -> dict[int, list[ScoringEntry]]:
    found: dict[int, list[ScoringEntry]] = {sid: [] for sid in sheet_ids}
    if sheet_ids:
        for entry in session.scalars(
            select(ScoringEntry).where(ScoringEntry.sheet_id.in_(sheet_ids)).order_by(ScoringEntry.id)
        ):
            found[entry.sheet_id].append(entry)
    return found


def staff_in(session: Session, staff_ids: Iterable[int]) -> dict[int, Staff]:
    wanted = set(staff_ids)
    if not wanted:
        return {}
    return {s.id: s for s in session.scalars(select(Staff).where(Staff.id.in_(wanted)))}


def load_in(session: Session, department_id: int, month: str, lock: bool = False) -> Loaded:
    department = session.get(Department, department_id)
    if department is None:
        raise NotFound("该科室不存在或已被删除。")
    query = select(ScoringDepartmentMonth).where(
        ScoringDepartmentMonth.department_id == department_id, ScoringDepartmentMonth.month == month
    )
    row = session.scalar(query.with_for_update() if lock else query)
    sheets = list(
        session.scalars(
            select(ScoringSheet)
            .where(
                ScoringSheet.month == month,
                ScoringSheet.current.is_(True),
                ScoringSheet.department_id == department_id,
            )
            .order_by(ScoringSheet.id)
        )
    )
    entries = entries_in(session, [s.id for s in sheets])
    schemes = schemes_by_id_in(session, {s.scheme_id for s in sheets})
    staff = staff_in(session, [s.staff_id for s in sheets])
    return Loaded(department, month, row, sheets, entries, schemes, rule_in(session, month), staff)


def check_sealed_in(session: Session, loaded: Loaded) -> None:
    """What a grade rests on (the month's row, its sheets and their lines) verifies."""
    bad: list[str] = []
    if loaded.row is not None and failing_ids(
        session, ScoringDepartmentMonth, ScoringDepartmentMonth.id == loaded.row.id
    ):
        bad.append(f"{ScoringDepartmentMonth.sealed_label} #{loaded.row.id}")
    sheet_ids = [s.id for s in loaded.sheets]
    if sheet_ids:
        bad += [
            f"{ScoringSheet.sealed_label} #{i}"
            for i in failing_ids(session, ScoringSheet, ScoringSheet.id.in_(sheet_ids))
        ]
        bad += [
            f"{ScoringEntry.sealed_label} #{i}"
            for i in failing_ids(session, ScoringEntry, ScoringEntry.sheet_id.in_(sheet_ids))
        ]
    if bad:
        shown = "、".join(bad[:5]) + ("等" if len(bad) > 5 else "")
        raise DataCheckFailed(
            f"数据校验失败 — 请联系审计管理员：{loaded.department.name} {loaded.month} 的月度考核"
            f"（{shown}）在程序之外被改动过，不能作为考核结果的依据。"
        )


def new_sheet_in(
    session: Session,
    actor: CurrentUser,
    db: Database,
    staff: Staff,
    month: str,
    revision: int,
    picker: SchemePicker,
    schemes: dict[int, Scheme],
) -> tuple[ScoringSheet, list[ScoringEntry]]:
    """A draft sheet for a staff member: the scheme in force, base lines at full points."""
    scheme_id = picker.scheme_id(staff.post, month)
    if scheme_id not in schemes:
        schemes.update(schemes_by_id_in(session, [scheme_id]))
    scheme = schemes[scheme_id]
    sheet = ScoringSheet(
        staff_id=staff.id,
        department_id=staff.department_id,
        month=month,
        revision=revision,
        current=True,
        scheme_id=scheme_id,
        post=staff.post or "",
        state=SheetState.DRAFT.value,
        created_at=db.now(),
        updated_at=db.now(),
        updated_by=actor.username,
    )
    session.add(sheet)
    session.flush()
    entries = [
        ScoringEntry(sheet_id=sheet.id, item_code=item.code, points=item.points)
        for item in scheme.items
        if item.kind == ItemKind.BASE
    ]
    session.add_all(entries)
    return sheet, entries


def open_and_sync_in(
    session: Session, db: Database, actor: CurrentUser, loaded: Loaded
) -> tuple[str, dict[str, Any]] | None:
    """Open the month (its row, a sheet for every active staff member without one) and bring its
    automatic lines up to date, unless locked. Returns the audit summary of what changed (None: nothing)."""
    if loaded.state == SheetState.LOCKED:
        return None
    created = 0
    opened = False
    if loaded.row is None:
        loaded.row = ScoringDepartmentMonth(
            department_id=loaded.department.id,
            month=loaded.month,
            state=SheetState.DRAFT.value,
            revision=1,
            updated_at=db.now(),
            updated_by=actor.username,
        )
        session.add(loaded.row)
        opened = True
    if loaded.state == SheetState.DRAFT:
        have = {s.staff_id for s in loaded.sheets}
        joining = list(
            session.scalars(
                select(Staff)
                .where(Staff.department_id == loaded.department.id, scored_staff())
                .order_by(Staff.employee_no)
            )
        )
        joining = [s for s in joining if s.id not in have]
        if joining:
            picker = SchemePicker(session)
            taken = set(
                session.scalars(
                    select(ScoringSheet.staff_id).where(
                        ScoringSheet.month == loaded.month, ScoringSheet.staff_id.in_([s.id for s in joining])
                    )
                )
            )
            for staff in joining:
                if staff.id in taken:  # scored in another department this month (moved since)
                    continue
                sheet, entries = new_sheet_in(
                    session, actor, db, staff, loaded.month, loaded.row.revision, picker, loaded.schemes
                )
                loaded.sheets.append(sheet)
                loaded.entries[sheet.id] = entries
                loaded.staff[staff.id] = staff
                created += 1
    automatic = sync_loaded_in(session, db, loaded)
    session.flush()
    if not (opened or created or automatic):
        return None
    action = "scoring.month.open" if opened or created else "scoring.month.sync"
    return action, {"month": loaded.month, "sheets": created, "automatic": automatic}


def sync_loaded_in(session: Session, db: Database, loaded: Loaded) -> int:
    """Automatic lines of every current sheet; totals rewritten where they moved."""
    arrivals = arrivals_in(session, [s.staff_id for s in loaded.sheets], [loaded.month])
    changed = 0
    for sheet in loaded.sheets:
        entries = loaded.entries.setdefault(sheet.id, [])
        scheme = loaded.schemes[sheet.scheme_id]
        moved = sync_sheet_in(
            session, sheet, entries, arrivals.get((sheet.staff_id, loaded.month), []), scheme
        )
        if store_total(sheet, entries, scheme, loaded.rule) or moved:
            sheet.updated_at, sheet.updated_by = db.now(), SYNC_ACTOR
        changed += moved
    return changed


def late_in(session: Session, months: Sequence[Loaded]) -> list[LateArrival]:
    """The late arrivals of these (locked) months, oldest month first."""
    locked = [m for m in months if m.state == SheetState.LOCKED and m.sheets]
    if not locked:
        return []
    arrivals = arrivals_in(session, {s.staff_id for m in locked for s in m.sheets}, {m.month for m in locked})
    late: list[LateArrival] = []
    for loaded in locked:
        for sheet in loaded.sheets:
            scheme = loaded.schemes[sheet.scheme_id]
            staff = loaded.staff[sheet.staff_id]
            for a in missing_of(
                loaded.entries.get(sheet.id, []), arrivals.get((sheet.staff_id, loaded.month), []), scheme
            ):
                item = scheme.for_source(a.source)
                assert item is not None
                late.append(
                    LateArrival(
                        staff.id,
                        staff.name,
                        loaded.department.id,
                        loaded.department.name,
                        loaded.month,
                        a.source,
                        a.points if a.points is not None else item.points,
                        a.source_type,
                        a.source_id,
                        a.source_ref,
                        a.arrived_at,
                    )
                )
    late.sort(key=lambda x: (x.month, x.department_name, x.staff_name, x.arrived_at))
    return late


# -- plain data ------------------------------------------------------------------------------------
def names_in(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Display names of accounts (the screen shows people, not usernames)."""
    wanted = {u for u in usernames if u and not u.startswith("<")}
    names = {SYNC_ACTOR: SYNC_ACTOR}
    if wanted:
        names.update(
            (u, n or u)
            for u, n in session.execute(
                select(User.username, User.display_name).where(User.username.in_(wanted))
            )
        )
    return names


def entry_info(entry: ScoringEntry, scheme: Scheme, names: dict[str, str]) -> EntryInfo:
    item = scheme.item(entry.item_code)
    if item is None:  # a scheme version never loses items once used; shown plainly if it did
        raise DataCheckFailed(f"评分项 {entry.item_code} 不在其考核方案中：请联系系统管理员。")
    return EntryInfo(
        entry.id,
        item.code,
        item.dimension,
        item.kind,
        item.text,
        entry.points,
        item.min_points,
        item.max_points,
        item.evidence_required,
        item.veto,
        entry.evidence,
        entry.remark,
        AutoSource(entry.auto_source) if entry.auto_source else None,
        entry.source_type,
        entry.source_id,
        entry.source_ref,
        ContestState(entry.contest_state),
        entry.contest_reason,
        names.get(entry.decided_by, entry.decided_by),
        entry.decision_note,
    )


def ordered(entries: Iterable[ScoringEntry], scheme: Scheme) -> list[ScoringEntry]:
    positions = {i.code: (i.kind != ItemKind.BASE, i.position) for i in scheme.items}
    return sorted(entries, key=lambda e: (*positions.get(e.item_code, (True, 999)), e.id or 0))


def sheet_info(
    sheet: ScoringSheet,
    entries: Sequence[ScoringEntry],
    scheme: Scheme,
    rule: ScoringRule,
    staff: Staff,
    department_name: str,
    names: dict[str, str],
) -> SheetInfo:
    result = total_of(entries, scheme, rule)
    return SheetInfo(
        sheet.id,
        sheet.staff_id,
        staff.name,
        staff.employee_no,
        sheet.department_id,
        department_name,
        sheet.post,
        sheet.month,
        sheet.revision,
        sheet.current,
        scheme.id,
        scheme.name,
        scheme.maximum,
        SheetState(sheet.state),
        tuple(entry_info(e, scheme, names) for e in ordered(entries, scheme)),
        sheet.total,
        dict(result.by_dimension),
        sheet.grade,
        sheet.veto,
        result.capped,
        sheet.remark,
        sheet.updated_at,
        names.get(sheet.updated_by, sheet.updated_by),
        sheet.version,
        scheme.items,
    )


def ranks(totals: Sequence[float]) -> list[int]:
    """Competition ranking (1, 2, 2, 4), best first."""
    return [1 + sum(1 for other in totals if other > t) for t in totals]


def rows_of(loaded: Loaded) -> list[SheetRow]:
    rows = []
    totals = [s.total for s in loaded.sheets]
    for sheet, rank in zip(loaded.sheets, ranks(totals), strict=True):
        staff = loaded.staff[sheet.staff_id]
        entries = loaded.entries.get(sheet.id, [])
        scheme = loaded.schemes[sheet.scheme_id]
        automatic = [e for e in entries if e.auto_source]
        rows.append(
            SheetRow(
                sheet.id,
                sheet.staff_id,
                staff.name,
                staff.employee_no,
                sheet.department_id,
                loaded.department.name,
                sheet.post,
                sheet.month,
                sheet.revision,
                SheetState(sheet.state),
                dict(total_of(entries, scheme, loaded.rule).by_dimension),
                sheet.total,
                sheet.grade,
                sheet.veto,
                len(automatic),
                sum(1 for e in automatic if e.contest_state == ContestState.CONTESTED.value),
                rank,
                0,
            )
        )
    rows.sort(key=lambda r: (r.rank_in_department, r.employee_no))
    return rows


def month_info(session: Session, loaded: Loaded, late: Sequence[LateArrival] = ()) -> DepartmentMonthInfo:
    row = loaded.row
    names = names_in(session, [row.submitted_by, row.locked_by] if row is not None else [])
    count = len(loaded.sheets)
    if count == 0 and row is None:
        count = int(
            session.scalar(
                select(func.count()).where(Staff.department_id == loaded.department.id, scored_staff())
            )
            or 0
        )
    excellent = sum(1 for s in loaded.sheets if s.grade == loaded.rule.excellent)
    quota = excellent_quota(count, loaded.rule)
    return DepartmentMonthInfo(
        loaded.department.id,
        loaded.department.name,
        loaded.month,
        loaded.state,
        row.revision if row is not None else 0,
        tuple(rows_of(loaded)),
        count,
        excellent,
        quota,
        excellent > quota,
        row.submitted_at if row is not None else None,
        names.get(row.submitted_by, row.submitted_by) if row is not None else "",
        row.locked_at if row is not None else None,
        names.get(row.locked_by, row.locked_by) if row is not None else "",
        row.override_reason if row is not None else "",
        row.return_reason if row is not None else "",
        row.reopen_reason if row is not None else "",
        tuple(late),
        row.version if row is not None else 0,
    )


def audit_sync_in(
    service: Service, session: Session, actor: CurrentUser, loaded: Loaded, done: tuple[str, dict[str, Any]]
) -> None:
    """The one audit entry of opening a month or bringing its automatic lines up to date."""
    assert loaded.row is not None
    action, summary = done
    if action == "scoring.month.open":
        service.audit(
            session, actor, "scoring.month.open", "scoring_department_month", loaded.row.id, summary
        )
    else:
        service.audit(
            session, actor, "scoring.month.sync", "scoring_department_month", loaded.row.id, summary
        )


def _text_in(refusals: Refusals, value: str, field: str, label: str) -> str:
    try:
        return clean_text(value, field, label, TEXT_LIMIT, multiline=True)
    except ValidationError as error:
        refusals.keep(error)
        return ""


def checked_entries(data: SheetInput, scheme: Scheme) -> tuple[list[dict[str, Any]], str]:
    """The manual lines as typed, checked against the sheet's scheme (field ``entryN.points`` etc.,
    N the line's index in ``data.entries``)."""
    refusals = Refusals()
    lines: list[dict[str, Any]] = []
    base_seen: set[str] = set()
    for index, typed in enumerate(data.entries):
        at = f"entry{index}"
        item = scheme.item((typed.item_code or "").strip().upper())
        if item is None:
            refusals.add(f"考核方案“{scheme.name}”中没有项目 {typed.item_code}。", f"{at}.item_code")
            continue
        if item.auto_source is not None:
            refusals.add(f"{item.code}（{item.text}）由系统自动计入，不能手工填写。", f"{at}.item_code")
            continue
        evidence = _text_in(refusals, typed.evidence, f"{at}.evidence", "依据")
        remark = _text_in(refusals, typed.remark, f"{at}.remark", "备注")
        points = typed.points
        if item.kind == ItemKind.BASE:
            if item.code in base_seen:
                refusals.add(f"{item.code} 基本分只能填写一行。", f"{at}.item_code")
            base_seen.add(item.code)
            if not 0 <= points <= item.max_points:
                refusals.add(f"{item.code}（{item.text}）应在 0–{item.max_points:g} 分之间。", f"{at}.points")
        else:
            if not item.min_points <= points <= item.max_points:
                refusals.add(
                    f"{item.code}（{item.text}）应在 {item.min_points:g}–{item.max_points:g} 分之间。",
                    f"{at}.points",
                )
            if item.evidence_required and not evidence:
                refusals.add(f"{item.code}（{item.text}）须填写依据。", f"{at}.evidence")
        lines.append(
            {
                "entry_id": typed.entry_id,
                "item_code": item.code,
                "kind": item.kind,
                "points": float(points),
                "evidence": evidence,
                "remark": remark,
            }
        )
    remark = refusals.check(lambda: clean_text(data.remark, "remark", "备注", TEXT_LIMIT, multiline=True), "")
    refusals.raise_any()
    return lines, remark


class SheetOps(Service):
    # -- reading and opening ------------------------------------------------------------------------
    def departments_for(self, actor: CurrentUser) -> list[tuple[int, str]]:
        """The departments whose months the actor may open (a leader: all active; a supervisor: theirs)."""
        with self.db.session() as session:
            query = select(Department.id, Department.name).where(Department.active.is_(True))
            if not actor.can(Permission.SCORING_LOCK):
                if not actor.can(Permission.SCORING_FILL) or actor.department_id is None:
                    return []
                query = query.where(Department.id == actor.department_id)
            return [
                (i, n) for i, n in session.execute(query.order_by(Department.sort_order, Department.name))
            ]

    def _month(self, actor: CurrentUser, department_id: int, month: str) -> DepartmentMonthInfo:
        with self.db.session() as session:
            loaded = load_in(session, department_id, month)
            if loaded.state == SheetState.LOCKED:
                check_sealed_in(session, loaded)
                return month_info(session, loaded, late_in(session, [loaded]))
        with self.write() as session:
            loaded = load_in(session, department_id, month, lock=True)
            done = open_and_sync_in(session, self.db, actor, loaded)
            if done is not None:
                audit_sync_in(self, session, actor, loaded, done)
            check_sealed_in(session, loaded)
            return month_info(session, loaded, late_in(session, [loaded]))

    def department_month(self, actor: CurrentUser, department_id: int, month: str) -> DepartmentMonthInfo:
        """A department's month, opened if it was not (a draft sheet for every active staff member)
        and its automatic lines brought up to date while it is not locked."""
        month = checked_month(month)
        require_fill(actor, department_id)
        return self._month(actor, department_id, month)

    def month_overview(self, actor: CurrentUser, month: str) -> MonthOverview:
        """Every active department's month (those not opened yet shown empty), and the late arrivals."""
        month = checked_month(month)
        require_lock(actor)
        with self.write() as session:
            departments = session.scalars(
                select(Department)
                .where(Department.active.is_(True))
                .order_by(Department.sort_order, Department.name)
            ).all()
            infos = []
            months = []
            for department in departments:
                loaded = load_in(session, department.id, month)
                if loaded.row is not None:
                    done = open_and_sync_in(session, self.db, actor, loaded)
                    if done is not None:
                        audit_sync_in(self, session, actor, loaded, done)
                months.append(loaded)
            late = late_in(session, months)
            for loaded in months:
                mine = [x for x in late if x.department_id == loaded.department.id]
                infos.append(month_info(session, loaded, mine))
            return MonthOverview(month, tuple(infos), tuple(self._late(session)))

    def _late(self, session: Session, department_id: int | None = None) -> list[LateArrival]:
        """Late arrivals of every locked month (of one department): the sources of all those months are
        read at once, and only the months where one of them falls are loaded and compared (24 months of
        a 500-strong center: a handful of queries, not every month's sheets)."""
        query = select(ScoringDepartmentMonth.department_id, ScoringDepartmentMonth.month).where(
            ScoringDepartmentMonth.state == SheetState.LOCKED.value
        )
        if department_id is not None:
            query = query.where(ScoringDepartmentMonth.department_id == department_id)
        locked = {(d, m) for d, m in session.execute(query)}
        if not locked:
            return []
        months = {m for _d, m in locked}
        department_of: dict[tuple[int, str], int] = {}
        for staff_id, sheet_department, month in session.execute(
            select(ScoringSheet.staff_id, ScoringSheet.department_id, ScoringSheet.month).where(
                ScoringSheet.current.is_(True), ScoringSheet.month.in_(months)
            )
        ):
            if (sheet_department, month) in locked:
                department_of[(staff_id, month)] = sheet_department
        arrivals = arrivals_in(session, {staff for staff, _m in department_of}, months)
        wanted = sorted({(department_of[key], key[1]) for key in arrivals if key in department_of})
        return late_in(session, [load_in(session, d, m) for d, m in wanted])

    def late_arrivals(self, actor: CurrentUser) -> list[LateArrival]:
        """Automatic items for months already locked (a leader: all; a supervisor: their department),
        to be applied by a reopen."""
        if actor.can(Permission.SCORING_LOCK):
            with self.db.session() as session:
                return self._late(session)
        if actor.can(Permission.SCORING_FILL) and actor.department_id is not None:
            with self.db.session() as session:
                return self._late(session, actor.department_id)
        raise PermissionDenied(NO_SCORING)

    def _sheet_info_in(self, session: Session, sheet: ScoringSheet) -> SheetInfo:
        entries = entries_in(session, [sheet.id])[sheet.id]
        scheme = schemes_by_id_in(session, [sheet.scheme_id])[sheet.scheme_id]
        staff = session.get(Staff, sheet.staff_id)
        department = session.get(Department, sheet.department_id)
        assert staff is not None and department is not None
        names = names_in(session, [sheet.updated_by, *(e.decided_by for e in entries)])
        return sheet_info(
            sheet, entries, scheme, rule_in(session, sheet.month), staff, department.name, names
        )

    def _check_sheet_sealed(self, session: Session, sheet: ScoringSheet) -> None:
        if failing_ids(session, ScoringSheet, ScoringSheet.id == sheet.id) or failing_ids(
            session, ScoringEntry, ScoringEntry.sheet_id == sheet.id
        ):
            raise DataCheckFailed(
                f"数据校验失败 — 请联系审计管理员：{sheet.month} 的月度考核评分表 #{sheet.id} 在程序之外被改动过，"
                "不能作为考核结果的依据。"
            )

    def sheet(self, actor: CurrentUser, staff_id: int, month: str, revision: int | None = None) -> SheetInfo:
        """A staff member's sheet for a month (the current revision unless one is named). A leader or
        the department's supervisor may open it (the month is opened if it was not); the staff member
        reads it once locked."""
        month = checked_month(month)
        with self.db.session() as session:
            query = select(ScoringSheet).where(ScoringSheet.staff_id == staff_id, ScoringSheet.month == month)
            query = query.where(
                ScoringSheet.revision == revision if revision is not None else ScoringSheet.current.is_(True)
            )
            sheet = session.scalar(query)
            if sheet is None:
                staff = session.get(Staff, staff_id)
                if staff is None:
                    raise NotFound("该工作人员不存在。")
                department_id = staff.department_id
            else:
                department_id = sheet.department_id
                if not may_read_sheet(actor, sheet):
                    self._refuse_read(actor, department_id)
                if (
                    not sheet.current
                    or sheet.state == SheetState.LOCKED.value
                    or not may_fill(actor, department_id)
                ):
                    self._check_sheet_sealed(session, sheet)
                    return self._sheet_info_in(session, sheet)
        if sheet is None and (revision is not None or not may_fill(actor, department_id)):
            if not may_fill(actor, department_id):
                self._refuse_read(actor, department_id)
            raise NotFound(f"{month} 没有这一版评分表。")
        self._month(actor, department_id, month)  # open, or bring its automatic lines up to date
        with self.db.session() as session:
            sheet = session.scalar(
                select(ScoringSheet).where(
                    ScoringSheet.staff_id == staff_id,
                    ScoringSheet.month == month,
                    ScoringSheet.current.is_(True),
                )
            )
            if sheet is None:
                raise NotFound(f"该工作人员 {month} 没有评分表（不在职或不属于该科室）。")
            self._check_sheet_sealed(session, sheet)
            return self._sheet_info_in(session, sheet)

    def _refuse_read(self, actor: CurrentUser, department_id: int) -> None:
        if actor.can(Permission.SCORING_FILL) or actor.can(Permission.SCORING_LOCK):
            raise PermissionDenied(OTHER_DEPARTMENT)
        if actor.can(Permission.SCORING_READ_OWN):
            raise PermissionDenied(OWN_ONLY)
        raise PermissionDenied(NO_SCORING)

    def sheet_versions(self, actor: CurrentUser, staff_id: int, month: str) -> list[SheetInfo]:
        """Every revision of a staff member's sheet for a month, oldest first (what the actor may read)."""
        month = checked_month(month)
        with self.db.session() as session:
            sheets = list(
                session.scalars(
                    select(ScoringSheet)
                    .where(ScoringSheet.staff_id == staff_id, ScoringSheet.month == month)
                    .order_by(ScoringSheet.revision)
                )
            )
            readable = [s for s in sheets if may_read_sheet(actor, s)]
            if sheets and not readable:
                self._refuse_read(actor, sheets[0].department_id)
            for sheet in readable:
                self._check_sheet_sealed(session, sheet)
            return [self._sheet_info_in(session, s) for s in readable]

    def my_sheets(self, actor: CurrentUser) -> list[SheetInfo]:
        """The actor's own locked sheets, newest month first (the latest locked revision of each)."""
        if not actor.can(Permission.SCORING_READ_OWN):
            raise PermissionDenied(NO_SCORING)
        if actor.staff_id is None:
            return []
        with self.db.session() as session:
            sheets = session.scalars(
                select(ScoringSheet)
                .where(ScoringSheet.staff_id == actor.staff_id, ScoringSheet.state == SheetState.LOCKED.value)
                .order_by(ScoringSheet.month.desc(), ScoringSheet.revision.desc())
            )
            latest: dict[str, ScoringSheet] = {}
            for sheet in sheets:
                latest.setdefault(sheet.month, sheet)
            for sheet in latest.values():
                self._check_sheet_sealed(session, sheet)
            return [self._sheet_info_in(session, s) for s in latest.values()]

    # -- saving -------------------------------------------------------------------------------------
    def save_sheet(
        self, actor: CurrentUser, sheet_id: int, data: SheetInput, expected_version: int | None
    ) -> SheetInfo:
        """The manual lines and remark of a draft sheet. Automatic lines are the service's (contest
        them instead); a manual line no longer typed is removed; base lines not typed stay."""
        with self.write() as session:
            sheet = session.scalar(select(ScoringSheet).where(ScoringSheet.id == sheet_id).with_for_update())
            if sheet is None:
                raise NotFound("该评分表不存在或已被删除。")
            require_fill(actor, sheet.department_id)
            if not sheet.current:
                raise ValidationError("这是评分表的历史版本，不能修改。")
            check_version(sheet, expected_version)
            if sheet.state != SheetState.DRAFT.value:
                if sheet.state == SheetState.LOCKED.value:
                    raise ValidationError("本月考核已锁定：如需修改，请中心领导重新打开。")
                raise ValidationError("本月考核已提交审核：如需修改，请中心领导退回。")
            self._check_sheet_sealed(session, sheet)
            scheme = schemes_by_id_in(session, [sheet.scheme_id])[sheet.scheme_id]
            lines, remark = checked_entries(data, scheme)
            entries = entries_in(session, [sheet.id])[sheet.id]
            before = (sheet.total, sheet.grade)
            apply_lines(session, sheet, entries, lines, scheme)
            sheet.remark = remark
            store_total(sheet, entries, scheme, rule_in(session, sheet.month))
            sheet.updated_at, sheet.updated_by = self.db.now(), actor.username
            session.flush()
            summary: dict[str, Any] = {"month": sheet.month, "lines": len(lines)}
            if before != (sheet.total, sheet.grade):
                summary["total"] = [before[0], sheet.total]
                summary["grade"] = [before[1], sheet.grade]
            self.audit(session, actor, "scoring.sheet.save", "scoring_sheet", sheet.id, summary)
            return self._sheet_info_in(session, sheet)


def apply_lines(
    session: Session,
    sheet: ScoringSheet,
    entries: list[ScoringEntry],
    lines: list[dict[str, Any]],
    scheme: Scheme,
) -> None:
    """Apply the typed manual lines: automatic lines untouched; base lines matched by code (or id),
    other manual lines by id (None: added); a non-base manual line not typed any more is removed,
    a base line not typed stays as it was."""
    base = {i.code for i in scheme.items if i.kind == ItemKind.BASE}
    manual = {e.id: e for e in entries if not e.auto_source}
    base_by_code = {e.item_code: e for e in manual.values() if e.item_code in base}
    kept: set[int] = set()
    for line in lines:
        entry: ScoringEntry | None = None
        if line["entry_id"] is not None:
            entry = manual.get(line["entry_id"])
            if entry is None:
                raise ValidationError("该评分行已不在这张评分表上：请刷新后重新填写。")
        elif line["kind"] == ItemKind.BASE:
            entry = base_by_code.get(line["item_code"])
        if entry is None:
            entry = ScoringEntry(sheet_id=sheet.id, item_code=line["item_code"], points=line["points"])
            session.add(entry)
            entries.append(entry)
        else:
            kept.add(entry.id)
        entry.item_code, entry.points = line["item_code"], line["points"]
        entry.evidence, entry.remark = line["evidence"], line["remark"]
    for entry in list(manual.values()):
        if entry.id in kept or entry.item_code in base:
            continue
        session.delete(entry)
        entries.remove(entry)
