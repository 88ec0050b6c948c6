"""Plain data for the scoring papers' tests: a department's month of staff with hard names, long
employee numbers, deductions from complaints, a veto and a bonus."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop_app.domain.scoring import AutoSource, ContestState, Dimension, ItemKind, SheetState
from desktop_app.services.scoring.types import (
    Candidate,
    DepartmentMonthInfo,
    EntryInfo,
    SheetInfo,
    SheetRow,
)

MONTH = "2026-10"
DEPARTMENT = "综合窗口服务科"
NAMES = (
    "王堃",
    "张喆",
    "李昇",
    "陈珺",
    "欧阳晓明",
    "赵六",
    "孙七",
    "周八",
    "吴九",
    "郑十",
    "钱十一",
    "司马相如",
)
POSTS = ("窗口受理", "投诉受理", "见证员", "科长")
FULL = {
    Dimension.MORALITY: 15.0,
    Dimension.ABILITY: 15.0,
    Dimension.DILIGENCE: 10.0,
    Dimension.PERFORMANCE: 50.0,
    Dimension.INTEGRITY: 10.0,
}
LOCKED_AT = datetime(2026, 11, 5, 8, 30, tzinfo=UTC)


def entry(
    code: str,
    dimension: Dimension,
    kind: ItemKind,
    text: str,
    points: float,
    *,
    maximum: float | None = None,
    evidence: str = "",
    auto: AutoSource | None = None,
    ref: str = "",
    contest: ContestState = ContestState.NONE,
    veto: bool = False,
) -> EntryInfo:
    return EntryInfo(
        id=None,
        item_code=code,
        dimension=dimension,
        kind=kind,
        text=text,
        points=points,
        min_points=0.0,
        max_points=maximum if maximum is not None else points,
        evidence_required=False,
        veto=veto,
        evidence=evidence,
        remark="",
        auto_source=auto,
        source_type="complaint" if auto else "",
        source_id=7 if auto else None,
        source_ref=ref,
        contest_state=contest,
        contest_reason="",
        decided_by="",
        decision_note="",
    )


BASE = tuple(
    entry(f"B0{i}", d, ItemKind.BASE, f"{label}基本分", full)
    for i, (d, label, full) in enumerate(
        (
            (Dimension.MORALITY, "职业道德", 15.0),
            (Dimension.ABILITY, "业务能力", 15.0),
            (Dimension.DILIGENCE, "工作纪律", 10.0),
            (Dimension.PERFORMANCE, "工作实绩", 50.0),
            (Dimension.INTEGRITY, "廉洁自律", 10.0),
        ),
        start=1,
    )
)


def lines_of(index: int) -> tuple[EntryInfo, ...]:
    """Staff 0: a true complaint and a lowered base line; 1: a veto; 2: a bonus over the top."""
    if index == 0:
        lowered = entry(
            "B04",
            Dimension.PERFORMANCE,
            ItemKind.BASE,
            "工作实绩基本分",
            46.0,
            maximum=50.0,
            evidence="10月受理量未达岗位目标",
        )
        return (
            *BASE[:3],
            lowered,
            BASE[4],
            entry(
                "D04",
                Dimension.PERFORMANCE,
                ItemKind.DEDUCTION,
                "投诉经查属实",
                2.0,
                auto=AutoSource.COMPLAINT_TRUE,
                ref="TS2026-000123",
            ),
            entry(
                "D03",
                Dimension.DILIGENCE,
                ItemKind.DEDUCTION,
                "投诉超期办结",
                1.0,
                auto=AutoSource.COMPLAINT_OVERDUE,
                ref="TS2026-000131",
                contest=ContestState.WITHDRAWN,
            ),
            entry(
                "D01",
                Dimension.DILIGENCE,
                ItemKind.DEDUCTION,
                "迟到、早退",
                0.5,
                evidence="10月12日迟到20分钟（考勤记录）",
            ),
        )
    if index == 1:
        return (
            *BASE,
            entry(
                "V02",
                Dimension.INTEGRITY,
                ItemKind.DEDUCTION,
                "政务失信记录（一票否决）",
                10.0,
                auto=AutoSource.STAFF_RECORD,
                ref="天公资交信〔2026〕8号",
                veto=True,
            ),
        )
    if index == 2:
        return (
            *BASE,
            entry(
                "P01",
                Dimension.PERFORMANCE,
                ItemKind.BONUS,
                "服务对象书面表扬",
                3.0,
                auto=AutoSource.PRAISE,
                ref="天公资交表〔2026〕3号",
            ),
            entry(
                "P02",
                Dimension.PERFORMANCE,
                ItemKind.BONUS,
                "承担专项工作成绩突出",
                9.0,
                evidence="牵头完成不见面开标系统上线",
            ),
        )
    return BASE


def totals_of(index: int) -> tuple[dict[Dimension, float], float, str, bool, bool]:
    dims = dict(FULL)
    if index == 0:
        dims[Dimension.PERFORMANCE] = 44.0
        dims[Dimension.DILIGENCE] = 9.5
        return dims, 93.5, "良好", False, False
    if index == 1:
        dims[Dimension.INTEGRITY] = 0.0
        return dims, 90.0, "合格", True, False
    if index == 2:
        dims[Dimension.PERFORMANCE] = 62.0
        return dims, 110.0, "优秀", False, True
    spread = (0.0, -3.0, -6.5, -12.0, -18.0, -31.0, -45.0, -2.0, 0.0)[index % 9]
    dims[Dimension.PERFORMANCE] = 50.0 + spread
    total = 100.0 + spread
    grade = (
        "优秀"
        if total >= 95
        else "良好"
        if total >= 85
        else "合格"
        if total >= 70
        else "基本合格"
        if total >= 60
        else "不合格"
    )
    return dims, total, grade, False, False


def employee_no(index: int) -> str:
    return f"TH2015{index + 1:04d}"


def sheet_info(index: int, month: str = MONTH, revision: int = 1) -> SheetInfo:
    dims, total, grade, veto, capped = totals_of(index)
    return SheetInfo(
        id=500 + index,
        staff_id=100 + index,
        staff_name=NAMES[index % len(NAMES)],
        employee_no=employee_no(index),
        department_id=3,
        department_name=DEPARTMENT,
        post=POSTS[index % len(POSTS)],
        month=month,
        revision=revision,
        current=True,
        scheme_id=1,
        scheme_name="通用岗位",
        maximum=110,
        state=SheetState.LOCKED,
        entries=lines_of(index),
        total=total,
        by_dimension=dims,
        grade=grade,
        veto=veto,
        capped=capped,
        remark="10月下旬病假3天" if index == 3 else "",
        updated_at=LOCKED_AT,
        updated_by="李科长",
        version=3,
    )


def row_of(sheet: SheetInfo) -> SheetRow:
    return SheetRow(
        sheet_id=sheet.id,
        staff_id=sheet.staff_id,
        staff_name=sheet.staff_name,
        employee_no=sheet.employee_no,
        department_id=sheet.department_id,
        department_name=sheet.department_name,
        post=sheet.post,
        month=sheet.month,
        revision=sheet.revision,
        state=sheet.state,
        by_dimension=sheet.by_dimension,
        total=sheet.total,
        grade=sheet.grade,
        veto=sheet.veto,
        automatic_items=sum(1 for e in sheet.entries if e.auto_source),
        contested=0,
        rank_in_department=0,
        rank_in_center=0,
    )


def department_month(
    count: int = 12, state: SheetState = SheetState.LOCKED, revision: int = 1
) -> DepartmentMonthInfo:
    sheets = [sheet_info(i, revision=revision) for i in range(count)]
    return DepartmentMonthInfo(
        department_id=3,
        department_name=DEPARTMENT,
        month=MONTH,
        state=state,
        revision=revision,
        rows=tuple(row_of(s) for s in sheets),
        staff_count=count,
        excellent_count=sum(1 for s in sheets if s.grade == "优秀"),
        excellent_quota=max(1, count // 5) if count >= 5 else count // 5,
        over_quota=False,
        submitted_at=LOCKED_AT,
        submitted_by="李科长",
        locked_at=LOCKED_AT if state == SheetState.LOCKED else None,
        locked_by="周主任" if state == SheetState.LOCKED else "",
        override_reason="",
        return_reason="",
        reopen_reason="D04投诉经复查不属实，撤销扣分" if revision > 1 else "",
        late_arrivals=(),
        version=4,
    )


def candidates() -> list[Candidate]:
    return [
        Candidate(101, "张喆", DEPARTMENT, "投诉受理", 99.5, 1, True, ()),
        Candidate(102, "欧阳晓明", "交易见证科", "见证员", 99.5, 1, True, ()),
        Candidate(103, "李昇", DEPARTMENT, "窗口受理", 98.0, 3, True, ()),
        Candidate(104, "陈珺", "信息技术科", "科长", 97.0, 4, False, ("季度内有投诉经查属实",)),
        Candidate(105, "司马相如", "信息技术科", "窗口受理", 96.5, 5, True, ()),
    ]
