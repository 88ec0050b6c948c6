"""Roll-ups of the monthly scores: the ranking of a month (department and center), the calibration a
leader looks at before locking, the quarterly 平时考核 and the 服务示范岗标兵 candidates, the annual
summary with its quota, a staff member's history beside the department average and the grade
distribution of a month.

What counts is the **current** sheet (the latest revision) of a **locked** department month: a month
being filled, submitted or reopened counts nowhere but in the calibration and the grade distribution,
which a leader reads before locking. Every query starts from ``ix_scoring_sheets_month`` (month,
current, department) or ``ix_scoring_sheets_staff`` (staff, current, month); the department months
(a few hundred rows) say which are locked; names come from one join on ``staff``.

Rights: ``SCORING_LOCK`` (a leader) reads every department; ``SCORING_FILL`` (a supervisor) their own
department only; ``SCORING_READ_OWN`` their own history and nothing else.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from desktop_app.domain.credit import RecordKind, RecordStatus, effective_period
from desktop_app.domain.errors import NotFound, PermissionDenied, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import (
    AutoSource,
    ContestState,
    Dimension,
    ItemKind,
    ScoringRule,
    SheetState,
    annual_grade,
    check_month,
    excellent_quota,
    month_of,
    previous_months,
    quarter_grade,
    quarter_months,
)
from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.records import record_facts
from desktop_app.services.scoring.schemes import rule_in
from desktop_app.services.scoring.types import (
    AnnualRow,
    CalibrationRow,
    Candidate,
    HistoryPoint,
    QuarterRow,
    SheetRow,
)
from desktop_app.store.complaint_models import StaffDeduction
from desktop_app.store.credit_models import CreditRecord, CreditSubject
from desktop_app.store.models import Department, Staff
from desktop_app.store.scoring_models import (
    ScoringDepartmentMonth,
    ScoringEntry,
    ScoringSchemeItem,
    ScoringSheet,
)

LOCKED = SheetState.LOCKED.value
CENTER_NAME = "全中心"
NOT_ALLOWED = "您没有查看考核汇总的权限。"
OTHER_DEPARTMENT = "您只能查看本科室的考核结果。"
OTHER_STAFF = "您只能查看本人的考核结果。"
COUNTING_RECORDS = (RecordStatus.CONFIRMED.value, RecordStatus.REPAIRED.value)


# -- what the queries return -----------------------------------------------------------------------
@dataclass(frozen=True)
class SheetFact:
    """A current sheet as the roll-ups need it (no entries)."""

    id: int
    staff_id: int
    staff_name: str
    employee_no: str
    department_id: int
    month: str
    revision: int
    state: str
    post: str
    total: float
    grade: str
    veto: bool


def sheets_in(
    session: Session,
    months: Sequence[str],
    department_id: int | None = None,
    *,
    locked_only: bool = True,
    staff_id: int | None = None,
) -> list[SheetFact]:
    """The current sheets of ``months`` (of a department, of a staff member), those of locked
    department months only unless ``locked_only`` is false."""
    query = (
        select(
            ScoringSheet.id,
            ScoringSheet.staff_id,
            Staff.name,
            Staff.employee_no,
            ScoringSheet.department_id,
            ScoringSheet.month,
            ScoringSheet.revision,
            ScoringSheet.state,
            ScoringSheet.post,
            ScoringSheet.total,
            ScoringSheet.grade,
            ScoringSheet.veto,
        )
        .join(Staff, Staff.id == ScoringSheet.staff_id)
        .where(ScoringSheet.current == true())
    )
    query = query.where(
        ScoringSheet.month == months[0] if len(months) == 1 else ScoringSheet.month.in_(months)
    )
    if staff_id is not None:
        query = query.where(ScoringSheet.staff_id == staff_id)
    if department_id is not None:
        query = query.where(ScoringSheet.department_id == department_id)
    if locked_only:
        query = query.join(
            ScoringDepartmentMonth,
            (ScoringDepartmentMonth.department_id == ScoringSheet.department_id)
            & (ScoringDepartmentMonth.month == ScoringSheet.month),
        ).where(ScoringDepartmentMonth.state == LOCKED)
    return [
        SheetFact(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], float(r[9]), r[10], bool(r[11]))
        for r in session.execute(query)
    ]


def departments_in(session: Session) -> dict[int, tuple[str, int]]:
    """id → (name, sort order) of every department (the roll-ups' order)."""
    rows = session.execute(select(Department.id, Department.name, Department.sort_order))
    return {row.id: (row.name, row.sort_order) for row in rows}


def shared_ranks(values: Sequence[float]) -> list[int]:
    """Competition ranks of ``values`` sorted best first: ties share a rank (1, 1, 3)."""
    ranks: list[int] = []
    for position, value in enumerate(values):
        if position and value == values[position - 1]:
            ranks.append(ranks[-1])
        else:
            ranks.append(position + 1)
    return ranks


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 2) if values else 0.0


def quarter_of(year: int, quarter: int) -> tuple[str, ...]:
    if not 1 <= quarter <= 4:
        raise ValidationError("季度应为 1 到 4。", field="quarter")
    return quarter_months(year, quarter)


def _month_days(first: str, last: str) -> tuple[date, date]:
    start = date(int(first[:4]), int(first[5:]), 1)
    year, number = int(last[:4]), int(last[5:])
    following = date(year + number // 12, number % 12 + 1, 1)
    return start, following - timedelta(days=1)


# -- the Ops class -------------------------------------------------------------------------------------
class RollupOps(Service):
    """``ranking``, ``calibration``, ``quarter``, ``candidates``, ``annual``, ``history``,
    ``grade_distribution``: reads only (no audit entry)."""

    @staticmethod
    def rollup_scope(actor: CurrentUser, department_id: int | None = None) -> int | None:
        """The department the actor may read (None: every one), or PermissionDenied."""
        if actor.can(Permission.SCORING_LOCK):
            return department_id
        if actor.can(Permission.SCORING_FILL) and actor.department_id is not None:
            if department_id not in (None, actor.department_id):
                raise PermissionDenied(OTHER_DEPARTMENT)
            return actor.department_id
        raise PermissionDenied(NOT_ALLOWED)

    # -- a month ---------------------------------------------------------------------------------------
    def ranking(self, actor: CurrentUser, month: str, department_id: int | None = None) -> list[SheetRow]:
        """The current sheets of the locked department months of ``month`` in the actor's scope, best
        total first, each with its rank in its department and in the center (ties share a rank)."""
        month = _month(month)
        scope = self.rollup_scope(actor, department_id)
        with self.db.session() as session:
            facts = sheets_in(session, [month])
            departments = departments_in(session)
            shown = [f for f in facts if scope is None or f.department_id == scope]
            lines = _line_sums_in(session, [f.id for f in shown])
        return ranked_rows(facts, shown, departments, lines)

    def calibration(self, actor: CurrentUser, month: str) -> list[CalibrationRow]:
        """Each department's current sheets of ``month`` (whatever their state: before locking)
        beside the center's: average, spread, lowest, highest, 优秀 share and quota. The center's row
        (department_id 0) comes first; a supervisor sees the center and their own department."""
        month = _month(month)
        scope = self.rollup_scope(actor)
        with self.db.session() as session:
            facts = sheets_in(session, [month], locked_only=False)
            departments = departments_in(session)
            rule = rule_in(session, month)
        return calibration_rows(facts, departments, rule, scope)

    def grade_distribution(self, actor: CurrentUser, month: str) -> dict[str, dict[str, int]]:
        """Department name → grade → count of the current sheets of ``month`` (whatever their state),
        every grade of the month's bands present (best first), departments in their order."""
        month = _month(month)
        scope = self.rollup_scope(actor)
        with self.db.session() as session:
            facts = sheets_in(session, [month], scope, locked_only=False)
            departments = departments_in(session)
            rule = rule_in(session, month)
        counts: dict[int, dict[str, int]] = {}
        for fact in facts:
            grades = counts.setdefault(fact.department_id, dict.fromkeys(rule.monthly.grades, 0))
            grades[fact.grade] = grades.get(fact.grade, 0) + 1
        order = sorted(counts, key=lambda d: (departments[d][1], departments[d][0]))
        return {departments[d][0]: counts[d] for d in order}

    # -- a quarter, a year ---------------------------------------------------------------------------
    def quarter(
        self, actor: CurrentUser, year: int, quarter: int, department_id: int | None = None
    ) -> list[QuarterRow]:
        """平时考核: each staff member's average over the quarter's locked months and its grade
        (好/较好/一般/较差), by department then best average."""
        months = quarter_of(year, quarter)
        scope = self.rollup_scope(actor, department_id)
        with self.db.session() as session:
            facts = sheets_in(session, months, scope)
            departments = departments_in(session)
            rule = rule_in(session, months[-1])
        return quarter_rows(facts, departments, rule, year, quarter)

    def candidates(self, actor: CurrentUser, year: int, quarter: int) -> list[Candidate]:
        """The 服务示范岗标兵 candidates of a quarter: the eligible by best average (ranked, ties
        sharing a rank), then those excluded with why — a veto in a month, a complaint found true in
        the quarter (a counting automatic line, or a deduction stored for one of its months and not
        withdrawn), a staff integrity record in force on a day of the quarter."""
        months = quarter_of(year, quarter)
        scope = self.rollup_scope(actor)
        with self.db.session() as session:
            facts = sheets_in(session, months, scope)
            departments = departments_in(session)
            rule = rule_in(session, months[-1])
            staff_ids = {f.staff_id for f in facts}
            complaints = _true_complaints_in(session, months, staff_ids)
            records = _staff_records_in(session, months, staff_ids)
        rows = quarter_rows(facts, departments, rule, year, quarter)
        return candidate_list(rows, facts, complaints, records)

    def annual(self, actor: CurrentUser, year: int, department_id: int | None = None) -> list[AnnualRow]:
        """The year: each staff member's average over its locked months → the annual grade (a veto in
        the year caps it), 优秀 kept by the best of each department up to its quota (ties at the cut
        keep it), the others given the next grade; by department then best average."""
        months = tuple(month_of(year, m) for m in range(1, 13))
        scope = self.rollup_scope(actor, department_id)
        with self.db.session() as session:
            facts = sheets_in(session, months, scope)
            departments = departments_in(session)
            rule = rule_in(session, months[-1])
        return annual_rows(facts, departments, rule, year)

    def history(
        self, actor: CurrentUser, staff_id: int, months: int = 12, until: str | None = None
    ) -> list[HistoryPoint]:
        """A staff member's locked totals over ``months`` months up to ``until`` (by default the last
        month ended), oldest first, each beside the average of the department they were scored in
        that month (their present department for a month without a sheet)."""
        if until is None:
            today = self.db.today()
            until = month_of(today.year, today.month - 1) if today.month > 1 else month_of(today.year - 1, 12)
        until = _month(until)
        span = previous_months(until, max(1, min(months, 120)))
        with self.db.session() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise NotFound("工作人员不存在或已被删除。")
            self._check_history_right(actor, staff)
            own = {f.month: f for f in sheets_in(session, span, staff_id=staff_id)}
            departments = {f.department_id for f in own.values()} | {staff.department_id}
            averages = _department_averages_in(session, span, departments)
        points = []
        for month in span:
            fact = own.get(month)
            department = fact.department_id if fact is not None else staff.department_id
            points.append(
                HistoryPoint(
                    month, fact.total if fact is not None else None, averages.get((department, month))
                )
            )
        return points

    @staticmethod
    def _check_history_right(actor: CurrentUser, staff: Staff) -> None:
        if actor.can(Permission.SCORING_LOCK):
            return
        if actor.can(Permission.SCORING_FILL) and staff.department_id == actor.department_id:
            return
        if actor.can(Permission.SCORING_READ_OWN) and actor.staff_id == staff.id:
            return
        if actor.can(Permission.SCORING_FILL) or actor.can(Permission.SCORING_READ_OWN):
            raise PermissionDenied(OTHER_DEPARTMENT if actor.can(Permission.SCORING_FILL) else OTHER_STAFF)
        raise PermissionDenied(NOT_ALLOWED)


def _month(month: str) -> str:
    try:
        return check_month(month)
    except ValueError:
        raise ValidationError("月份格式应为 YYYY-MM。", field="month") from None


# -- the queries behind them ---------------------------------------------------------------------------
def _line_sums_in(
    session: Session, sheet_ids: Sequence[int]
) -> dict[int, tuple[dict[Dimension, float], int, int]]:
    """sheet id → (points by dimension of the counting lines, automatic lines, contested lines)."""
    found: dict[int, tuple[dict[Dimension, float], int, int]] = {}
    if not sheet_ids:
        return found
    sums: dict[int, dict[Dimension, float]] = {sid: dict.fromkeys(Dimension, 0.0) for sid in sheet_ids}
    automatic: dict[int, int] = defaultdict(int)
    contested: dict[int, int] = defaultdict(int)
    items = {
        (row.scheme_id, row.code): (Dimension(row.dimension), row.kind)
        for row in session.execute(
            select(
                ScoringSchemeItem.scheme_id,
                ScoringSchemeItem.code,
                ScoringSchemeItem.dimension,
                ScoringSchemeItem.kind,
            )
        )
    }
    for first in range(0, len(sheet_ids), 900):
        chunk = sheet_ids[first : first + 900]
        query = (
            select(
                ScoringEntry.sheet_id,
                ScoringSheet.scheme_id,
                ScoringEntry.item_code,
                ScoringEntry.points,
                ScoringEntry.auto_source,
                ScoringEntry.contest_state,
            )
            .join(ScoringSheet, ScoringSheet.id == ScoringEntry.sheet_id)
            .where(ScoringEntry.sheet_id.in_(chunk))
        )
        for sheet_id, scheme_id, code, points, auto_source, contest_state in session.execute(query):
            if auto_source:
                automatic[sheet_id] += 1
            if contest_state == ContestState.CONTESTED.value:
                contested[sheet_id] += 1
            item = items.get((scheme_id, code))
            if contest_state == ContestState.WITHDRAWN.value or item is None:
                continue
            dimension, kind = item
            sums[sheet_id][dimension] += -float(points) if kind == ItemKind.DEDUCTION.value else float(points)
    for sid in sheet_ids:
        by_dimension = {d: round(v, 2) for d, v in sums[sid].items()}
        found[sid] = (by_dimension, automatic[sid], contested[sid])
    return found


def _true_complaints_in(
    session: Session, months: Sequence[str], staff_ids: Iterable[int]
) -> dict[int, list[str]]:
    """staff id → the numbers of the cases found true against them in ``months``: counting automatic
    lines of their current sheets, and stored deductions not withdrawn (a late arrival counts too)."""
    wanted = set(staff_ids)
    found: dict[int, list[str]] = defaultdict(list)
    if not wanted:
        return found
    lines = (
        select(ScoringSheet.staff_id, ScoringEntry.source_ref)
        .join(ScoringEntry, ScoringEntry.sheet_id == ScoringSheet.id)
        .where(
            ScoringSheet.month.in_(months),
            ScoringSheet.current == true(),
            ScoringEntry.auto_source == AutoSource.COMPLAINT_TRUE.value,
            ScoringEntry.contest_state != ContestState.WITHDRAWN.value,
        )
    )
    deductions = select(StaffDeduction.staff_id, StaffDeduction.source_ref).where(
        StaffDeduction.month.in_(months),
        StaffDeduction.kind == AutoSource.COMPLAINT_TRUE.value,
        StaffDeduction.state != ContestState.WITHDRAWN.value,
    )
    for query in (lines, deductions):
        for staff_id, ref in session.execute(query):
            if staff_id in wanted and ref not in found[staff_id]:
                found[staff_id].append(ref)
    return found


def _staff_records_in(
    session: Session, months: Sequence[str], staff_ids: Iterable[int]
) -> dict[int, list[str]]:
    """staff id → the decision numbers of their staff integrity records in force on a day of
    ``months`` (confirmed or repaired, its period reaching into them)."""
    wanted = set(staff_ids)
    found: dict[int, list[str]] = defaultdict(list)
    if not wanted:
        return found
    first, last = _month_days(months[0], months[-1])
    query = (
        select(CreditSubject.staff_id, CreditRecord)
        .join(CreditRecord, CreditRecord.subject_id == CreditSubject.id)
        .where(
            CreditSubject.staff_id.is_not(None),
            CreditRecord.kind == RecordKind.STAFF_RECORD.value,
            CreditRecord.status.in_(COUNTING_RECORDS),
            CreditRecord.decision_date <= last,
        )
    )
    for staff_id, record in session.execute(query):
        if staff_id not in wanted:
            continue
        start, end = effective_period(record_facts(record))
        if start <= last and (end is None or end >= first):
            found[staff_id].append(record.decision_number or f"#{record.id}")
    return found


def _department_averages_in(
    session: Session, months: Sequence[str], department_ids: Iterable[int]
) -> dict[tuple[int, str], float]:
    """(department, month) → the average of its locked current totals."""
    totals: dict[tuple[int, str], list[float]] = defaultdict(list)
    for department_id in department_ids:
        for fact in sheets_in(session, months, department_id):
            totals[(fact.department_id, fact.month)].append(fact.total)
    return {key: _mean(values) for key, values in totals.items()}


# -- pure assembly (no database) ---------------------------------------------------------------------
def _department_key(departments: dict[int, tuple[str, int]], department_id: int) -> tuple[int, str]:
    name, order = departments.get(department_id, ("", 0))
    return order, name


def ranked_rows(
    center: Sequence[SheetFact],
    shown: Sequence[SheetFact],
    departments: dict[int, tuple[str, int]],
    lines: dict[int, tuple[dict[Dimension, float], int, int]],
) -> list[SheetRow]:
    """``shown`` as rows, best first, ranked within their department and within ``center``."""
    in_center = sorted(center, key=lambda f: -f.total)
    center_rank = dict(
        zip([f.id for f in in_center], shared_ranks([f.total for f in in_center]), strict=True)
    )
    by_department: dict[int, list[SheetFact]] = defaultdict(list)
    for fact in center:
        by_department[fact.department_id].append(fact)
    department_rank: dict[int, int] = {}
    for facts in by_department.values():
        ordered = sorted(facts, key=lambda f: -f.total)
        department_rank.update(
            zip([f.id for f in ordered], shared_ranks([f.total for f in ordered]), strict=True)
        )
    rows = []
    for fact in sorted(shown, key=lambda f: (-f.total, f.employee_no)):
        by_dimension, automatic, contested = lines.get(fact.id, (dict.fromkeys(Dimension, 0.0), 0, 0))
        rows.append(
            SheetRow(
                sheet_id=fact.id,
                staff_id=fact.staff_id,
                staff_name=fact.staff_name,
                employee_no=fact.employee_no,
                department_id=fact.department_id,
                department_name=departments.get(fact.department_id, ("", 0))[0],
                post=fact.post,
                month=fact.month,
                revision=fact.revision,
                state=SheetState(fact.state),
                by_dimension=by_dimension,
                total=fact.total,
                grade=fact.grade,
                veto=fact.veto,
                automatic_items=automatic,
                contested=contested,
                rank_in_department=department_rank[fact.id],
                rank_in_center=center_rank[fact.id],
            )
        )
    return rows


def _calibration_row(
    department_id: int, name: str, facts: Sequence[SheetFact], rule: ScoringRule, quota: int
) -> CalibrationRow:
    totals = [f.total for f in facts]
    excellent = sum(1 for f in facts if f.grade == rule.excellent)
    return CalibrationRow(
        department_id=department_id,
        department_name=name,
        count=len(facts),
        average=_mean(totals),
        spread=round(statistics.pstdev(totals), 2) if totals else 0.0,
        lowest=min(totals, default=0.0),
        highest=max(totals, default=0.0),
        excellent_share=round(excellent / len(facts), 4) if facts else 0.0,
        excellent_count=excellent,
        excellent_quota=quota,
        difference=0.0,
    )


def calibration_rows(
    facts: Sequence[SheetFact],
    departments: dict[int, tuple[str, int]],
    rule: ScoringRule,
    scope: int | None,
) -> list[CalibrationRow]:
    """The center (department 0; its quota the sum of the departments') first, then each department
    with sheets (only ``scope`` when set), in the departments' order, with its difference from the
    center's average."""
    by_department: dict[int, list[SheetFact]] = defaultdict(list)
    for fact in facts:
        by_department[fact.department_id].append(fact)
    quotas = {d: excellent_quota(len(f), rule) for d, f in by_department.items()}
    center = _calibration_row(0, CENTER_NAME, facts, rule, sum(quotas.values()))
    rows = [center]
    for department_id in sorted(by_department, key=lambda d: _department_key(departments, d)):
        if scope is not None and department_id != scope:
            continue
        row = _calibration_row(
            department_id,
            departments.get(department_id, ("", 0))[0],
            by_department[department_id],
            rule,
            quotas[department_id],
        )
        rows.append(_with_difference(row, round(row.average - center.average, 2)))
    return rows


def _with_difference(row: CalibrationRow, difference: float) -> CalibrationRow:
    return replace(row, difference=difference)


@dataclass
class _Person:
    staff_id: int
    name: str
    latest: SheetFact
    totals: list[float]
    months: list[str]
    veto: bool


def _people(facts: Iterable[SheetFact]) -> list[_Person]:
    people: dict[int, _Person] = {}
    for fact in sorted(facts, key=lambda f: f.month):
        person = people.get(fact.staff_id)
        if person is None:
            person = people[fact.staff_id] = _Person(fact.staff_id, fact.staff_name, fact, [], [], False)
        person.latest = fact
        person.totals.append(fact.total)
        person.months.append(fact.month)
        person.veto = person.veto or fact.veto
    return list(people.values())


def _ordered(people: Iterable[_Person], departments: dict[int, tuple[str, int]]) -> list[_Person]:
    return sorted(
        people,
        key=lambda p: (
            _department_key(departments, p.latest.department_id),
            -sum(p.totals) / len(p.totals),
            p.latest.employee_no,
        ),
    )


def quarter_rows(
    facts: Sequence[SheetFact],
    departments: dict[int, tuple[str, int]],
    rule: ScoringRule,
    year: int,
    quarter: int,
) -> list[QuarterRow]:
    return [
        QuarterRow(
            staff_id=p.staff_id,
            staff_name=p.name,
            department_name=departments.get(p.latest.department_id, ("", 0))[0],
            post=p.latest.post,
            year=year,
            quarter=quarter,
            months=tuple(p.months),
            average=_mean(p.totals),
            grade=quarter_grade(p.totals, rule),
            veto=p.veto,
        )
        for p in _ordered(_people(facts), departments)
    ]


def candidate_list(
    rows: Sequence[QuarterRow],
    facts: Sequence[SheetFact],
    complaints: dict[int, list[str]],
    records: dict[int, list[str]],
) -> list[Candidate]:
    vetoed: dict[int, list[str]] = defaultdict(list)
    for fact in sorted(facts, key=lambda f: f.month):
        if fact.veto:
            vetoed[fact.staff_id].append(fact.month)
    eligible: list[tuple[QuarterRow, tuple[str, ...]]] = []
    excluded: list[tuple[QuarterRow, tuple[str, ...]]] = []
    for row in rows:
        reasons = []
        if vetoed.get(row.staff_id):
            reasons.append(f"一票否决（{'、'.join(vetoed[row.staff_id])}）")
        if complaints.get(row.staff_id):
            reasons.append(f"投诉属实（{'、'.join(complaints[row.staff_id])}）")
        if records.get(row.staff_id):
            reasons.append(f"政务失信记录在有效期内（{'、'.join(records[row.staff_id])}）")
        (excluded if reasons else eligible).append((row, tuple(reasons)))
    eligible.sort(key=lambda pair: -pair[0].average)
    excluded.sort(key=lambda pair: -pair[0].average)
    ranks = shared_ranks([row.average for row, _ in eligible])
    found = [
        Candidate(row.staff_id, row.staff_name, row.department_name, row.post, row.average, rank, True, ())
        for (row, _), rank in zip(eligible, ranks, strict=True)
    ]
    found += [
        Candidate(row.staff_id, row.staff_name, row.department_name, row.post, row.average, 0, False, reasons)
        for row, reasons in excluded
    ]
    return found


def annual_rows(
    facts: Sequence[SheetFact], departments: dict[int, tuple[str, int]], rule: ScoringRule, year: int
) -> list[AnnualRow]:
    people = _ordered(_people(facts), departments)
    by_department: dict[int, list[_Person]] = defaultdict(list)
    for person in people:
        by_department[person.latest.department_id].append(person)
    best = rule.annual.grades[0]
    demoted = rule.annual.grades[1] if len(rule.annual.grades) > 1 else best
    rows = []
    for department_id, members in by_department.items():
        quota = excellent_quota(len(members), rule)
        averages = [sum(p.totals) / len(p.totals) for p in members]  # best first already
        ranks = shared_ranks([round(a, 6) for a in averages])
        for person, average, rank in zip(members, averages, ranks, strict=True):
            grade = annual_grade(person.totals, person.veto, rule)
            if grade == best and rank > quota:
                grade = demoted
            rows.append(
                AnnualRow(
                    staff_id=person.staff_id,
                    staff_name=person.name,
                    department_name=departments.get(department_id, ("", 0))[0],
                    post=person.latest.post,
                    year=year,
                    months=len(person.totals),
                    average=round(average, 2),
                    grade=grade,
                    veto=person.veto,
                    excellent_quota=quota,
                )
            )
    return rows
