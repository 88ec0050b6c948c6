"""Roll-ups of the monthly scores: the ranking (locked months only, ties sharing a rank, scope by
role), the calibration and grade distribution before locking, the quarterly grade and the 标兵
candidates with their exclusions, the annual grade with its quota, a staff member's history beside the
department average, and the 待办.

Sheets are written here through mapped objects (``Board``), as score-core's flow leaves them, so that
the roll-ups are tested apart from the sheets' editing."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import PermissionDenied
from desktop_app.domain.roles import Role
from desktop_app.domain.scoring import Dimension, ItemKind, Line, sheet_total
from desktop_app.services.context import CurrentUser
from desktop_app.services.scoring import todo
from desktop_app.services.scoring.rollups import RollupOps, shared_ranks
from desktop_app.store.complaint_models import StaffDeduction
from desktop_app.store.credit_models import CreditRecord, CreditSubject
from desktop_app.store.database import Database
from desktop_app.store.models import Department, Staff
from desktop_app.store.scoring_models import (
    ScoringDepartmentMonth,
    ScoringEntry,
    ScoringScheme,
    ScoringSheet,
)

# The default scheme's items this file uses: code → (dimension, kind, veto).
ITEMS = {
    "B01": (Dimension.MORALITY, ItemKind.BASE, False),
    "B02": (Dimension.ABILITY, ItemKind.BASE, False),
    "B03": (Dimension.DILIGENCE, ItemKind.BASE, False),
    "B04": (Dimension.PERFORMANCE, ItemKind.BASE, False),
    "B05": (Dimension.INTEGRITY, ItemKind.BASE, False),
    "D04": (Dimension.MORALITY, ItemKind.DEDUCTION, False),
    "D06": (Dimension.DILIGENCE, ItemKind.DEDUCTION, False),
    "V01": (Dimension.DILIGENCE, ItemKind.DEDUCTION, True),
    "P02": (Dimension.PERFORMANCE, ItemKind.BONUS, False),
}
BASE = (("B01", 15.0), ("B02", 15.0), ("B03", 10.0), ("B04", 50.0), ("B05", 10.0))
NUMBERS = itertools.count(1)


@dataclass(frozen=True)
class L:
    """A line beyond the full base: item, points, automatic source and its contest state."""

    code: str
    points: float
    auto: str | None = None
    contest: str = "none"
    ref: str = ""


class Board:
    def __init__(self, database: Database) -> None:
        self.db = database
        with database.session(write=True) as session:
            for order, name in enumerate(("办公室", "评审科")):
                session.add(Department(name=name, sort_order=order))
            session.flush()
            self.departments = {d.name: d.id for d in session.scalars(select(Department))}
            self.scheme = session.scalars(select(ScoringScheme).where(ScoringScheme.is_default)).first().id  # type: ignore[union-attr]

    def staff(self, name: str, department: str) -> int:
        with self.db.session(write=True) as session:
            row = Staff(
                employee_no=f"S{next(NUMBERS):03d}", name=name, department_id=self.departments[department]
            )
            session.add(row)
            session.flush()
            return row.id

    def month(self, department: str, month: str, state: str = "locked", *sheets: tuple[int, list[L]]) -> None:
        """The department's month in ``state`` with a sheet (revision 1, current) per staff member."""
        department_id = self.departments[department]
        with self.db.session(write=True) as session:
            session.add(ScoringDepartmentMonth(department_id=department_id, month=month, state=state))
            for staff_id, lines in sheets:
                self.sheet_in(session, staff_id, department_id, month, state, lines)

    def sheet_in(
        self,
        session: Session,
        staff_id: int,
        department_id: int,
        month: str,
        state: str,
        lines: list[L],
        **kw: int,
    ) -> None:
        all_lines = [L(code, points) for code, points in BASE] + lines
        counted = [
            Line(ITEMS[x.code][0], ITEMS[x.code][1], x.points, ITEMS[x.code][2])
            for x in all_lines
            if x.contest != "withdrawn"
        ]
        total = sheet_total(counted, 110)
        sheet = ScoringSheet(
            staff_id=staff_id,
            department_id=department_id,
            month=month,
            scheme_id=self.scheme,
            post="窗口受理",
            state=state,
            total=total.total,
            grade=total.grade,
            veto=total.veto,
            **kw,
        )
        session.add(sheet)
        session.flush()
        for x in all_lines:
            session.add(
                ScoringEntry(
                    sheet_id=sheet.id,
                    item_code=x.code,
                    points=x.points,
                    auto_source=x.auto,
                    source_type="complaint" if x.auto else "",
                    source_id=1 if x.auto else None,
                    source_ref=x.ref,
                    contest_state=x.contest,
                )
            )


def leader() -> CurrentUser:
    return CurrentUser(1, "lead", "领导", frozenset({Role.LEADER}), "ws")


def supervisor(department_id: int) -> CurrentUser:
    return CurrentUser(2, "sup", "科长", frozenset({Role.SUPERVISOR}), "ws", department_id=department_id)


def clerk(staff_id: int) -> CurrentUser:
    return CurrentUser(3, "clk", "职员", frozenset({Role.HALL_STAFF}), "ws", staff_id=staff_id)


def test_shared_ranks() -> None:
    assert shared_ranks([98, 95, 95, 90]) == [1, 2, 2, 4]
    assert shared_ranks([]) == []


def test_ranking_calibration_and_distribution(database: Database) -> None:
    board = Board(database)
    a = [board.staff(n, "评审科") for n in ("甲", "乙", "丙")]
    b = [board.staff(n, "办公室") for n in ("丁", "戊")]
    board.month(
        "评审科",
        "2026-09",
        "locked",
        (a[0], []),  # 100
        (a[1], [L("D06", 5)]),  # 95
        (a[2], [L("D04", 3, "complaint_true", "contested", "TS1"), L("D06", 2)]),  # 95
    )
    board.month(
        "办公室",
        "2026-09",
        "locked",
        (b[0], [L("D04", 3, "complaint_true", "withdrawn", "TS2"), L("P02", 2)]),  # 102
        (b[1], [L("V01", 10)]),  # 90, veto → 合格
    )
    # A month not locked: in the calibration and the distribution, never in the ranking.
    board.month("评审科", "2026-10", "submitted", (a[0], [L("D06", 20)]), (a[1], []))
    # A reopened month: the earlier revision no longer current.
    with database.session(write=True) as session:
        old = session.scalars(select(ScoringSheet).where(ScoringSheet.staff_id == a[0])).first()
        assert old is not None
        old.current = False
        board.sheet_in(session, a[0], old.department_id, "2026-09", "locked", [L("D06", 1)], revision=2)
    rollups = RollupOps(database)
    review, office = board.departments["评审科"], board.departments["办公室"]

    center = rollups.ranking(leader(), "2026-09")
    assert [(r.staff_name, r.total, r.rank_in_center, r.rank_in_department) for r in center] == [
        ("丁", 102.0, 1, 1),
        ("甲", 99.0, 2, 1),
        ("乙", 95.0, 3, 2),
        ("丙", 95.0, 3, 2),
        ("戊", 90.0, 5, 2),
    ]
    ding, jia, _yi, bing, wu = center
    assert jia.revision == 2
    assert ding.by_dimension[Dimension.MORALITY] == 15 and ding.by_dimension[Dimension.PERFORMANCE] == 52
    assert (ding.automatic_items, ding.contested) == (1, 0)
    assert (bing.automatic_items, bing.contested, bing.by_dimension[Dimension.MORALITY]) == (1, 1, 12)
    assert wu.veto and wu.grade == "合格"
    assert rollups.ranking(leader(), "2026-10") == []

    own = rollups.ranking(supervisor(review), "2026-09")
    assert [r.staff_name for r in own] == ["甲", "乙", "丙"] and own[1].rank_in_center == 3
    assert rollups.ranking(leader(), "2026-09", office)[0].staff_name == "丁"
    with pytest.raises(PermissionDenied, match="本科室"):
        rollups.ranking(supervisor(review), "2026-09", office)
    with pytest.raises(PermissionDenied):
        rollups.ranking(clerk(a[0]), "2026-09")

    rows = rollups.calibration(leader(), "2026-09")
    assert [(r.department_id, r.count, r.average, r.excellent_count, r.excellent_quota) for r in rows] == [
        (0, 5, 96.2, 4, 0),
        (office, 2, 96.0, 1, 0),
        (review, 3, 96.33, 3, 0),
    ]
    assert rows[2].difference == 0.13 and rows[1].lowest == 90 and rows[1].highest == 102
    assert rows[1].spread == 6.0 and rows[1].excellent_share == 0.5 and rows[0].department_name == "全中心"
    october = rollups.calibration(supervisor(review), "2026-10")
    assert [(r.department_id, r.count, r.average) for r in october] == [(0, 2, 90.0), (review, 2, 90.0)]

    assert rollups.grade_distribution(leader(), "2026-09") == {
        "评审科": {"优秀": 3, "良好": 0, "合格": 0, "基本合格": 0, "不合格": 0},
        "办公室": {"优秀": 1, "良好": 0, "合格": 1, "基本合格": 0, "不合格": 0},
    }
    assert list(rollups.grade_distribution(supervisor(office), "2026-10")) == []


def test_quarter_candidates_and_annual(database: Database) -> None:
    board = Board(database)
    names = ("甲", "乙", "丙", "丁", "戊", "己")
    staff = [board.staff(n, "评审科") for n in names]
    record_holder, late_holder = staff[4], staff[5]
    plan = {
        # per staff: the deduction of each of Jul, Aug, Sep
        "甲": [L("D06", 1)],
        "乙": [L("D06", 1)],
        "丙": [L("V01", 5)],  # a veto each month
        "丁": [L("D04", 3, "complaint_true", "none", "TS-7")],
        "戊": [],
        "己": [L("D06", 2)],
    }
    for month in ("2026-07", "2026-08", "2026-09"):
        sheets = [(sid, list(plan[name])) for sid, name in zip(staff, names, strict=True)]
        if month == "2026-08":  # 甲's August: a contested complaint withdrawn does not exclude
            sheets[0] = (staff[0], [L("D04", 3, "complaint_true", "withdrawn", "TS-8"), L("D06", 1)])
        board.month("评审科", month, "locked", *sheets)
    board.month("评审科", "2026-06", "locked", *[(sid, [L("D06", 15)]) for sid in staff])
    with database.session(write=True) as session:
        # 己: a complaint found true stored for September after the month was locked (a late arrival).
        session.add(
            StaffDeduction(
                staff_id=late_holder,
                month="2026-09",
                points=3,
                kind="complaint_true",
                source_type="complaint",
                source_id=99,
                source_ref="TS-99",
                created_by="x",
            )
        )
        # 戊: a staff integrity record decided in June, published until the end of July.
        subject = CreditSubject(kind="staff", name="戊", staff_id=record_holder)
        session.add(subject)
        session.flush()
        session.add(
            CreditRecord(
                subject_id=subject.id,
                kind="staff_record",
                severity="general",
                status="confirmed",
                decision_number="天政监〔2026〕3号",
                decision_date=date(2026, 6, 10),
                publicity_end=date(2026, 7, 31),
                dedupe_key="rollups-test-record",
            )
        )
    rollups = RollupOps(database)
    review = board.departments["评审科"]

    quarter = rollups.quarter(leader(), 2026, 3)
    assert [(q.staff_name, q.average, q.grade, q.veto) for q in quarter] == [
        ("戊", 100.0, "好", False),
        ("甲", 99.0, "好", False),
        ("乙", 99.0, "好", False),
        ("己", 98.0, "好", False),
        ("丁", 97.0, "好", False),
        ("丙", 95.0, "好", True),
    ]
    assert quarter[0].months == ("2026-07", "2026-08", "2026-09")
    assert [q.grade for q in rollups.quarter(supervisor(review), 2026, 2)] == ["较好"] * 6  # June's 85 alone

    candidates = rollups.candidates(leader(), 2026, 3)
    assert [(c.staff_name, c.rank, c.eligible) for c in candidates] == [
        ("甲", 1, True),
        ("乙", 1, True),
        ("戊", 0, False),
        ("己", 0, False),
        ("丁", 0, False),
        ("丙", 0, False),
    ]
    reasons = {c.staff_name: c.reasons for c in candidates}
    assert reasons["戊"] == ("政务失信记录在有效期内（天政监〔2026〕3号）",)
    assert reasons["己"] == ("投诉属实（TS-99）",)
    assert reasons["丁"] == ("投诉属实（TS-7）",)
    assert reasons["丙"] == ("一票否决（2026-07、2026-08、2026-09）",)
    assert rollups.candidates(leader(), 2026, 4) == []

    annual = rollups.annual(leader(), 2026)
    # Six in the department: a quota of one 优秀 (the best); 丙's veto caps at 合格 anyway.
    assert [(a.staff_name, a.months, a.average, a.grade, a.excellent_quota) for a in annual] == [
        ("戊", 4, 96.25, "优秀", 1),
        ("甲", 4, 95.5, "合格", 1),
        ("乙", 4, 95.5, "合格", 1),
        ("己", 4, 94.75, "合格", 1),
        ("丁", 4, 94.0, "合格", 1),
        ("丙", 4, 92.5, "合格", 1),
    ]
    with pytest.raises(PermissionDenied):
        rollups.annual(supervisor(board.departments["办公室"]), 2026, review)


def test_history_beside_the_department(sqlite_database: Database) -> None:
    board = Board(sqlite_database)
    me, colleague = board.staff("甲", "评审科"), board.staff("乙", "评审科")
    stranger = board.staff("丙", "办公室")
    board.month("评审科", "2026-08", "locked", (me, [L("D06", 4)]), (colleague, []))
    board.month("评审科", "2026-09", "locked", (colleague, [L("D06", 10)]))
    board.month("评审科", "2026-10", "draft", (me, []), (colleague, []))  # not locked: not shown
    rollups = RollupOps(sqlite_database)

    points = rollups.history(clerk(me), me)  # the clock: 2026-11-18, so up to October
    assert len(points) == 12 and points[0].month == "2025-11" and points[-1].month == "2026-10"
    assert [(p.month, p.total, p.department_average) for p in points[-3:]] == [
        ("2026-08", 96.0, 98.0),
        ("2026-09", None, 90.0),
        ("2026-10", None, None),
    ]
    assert len(rollups.history(leader(), me, 3, "2026-09")) == 3
    assert rollups.history(supervisor(board.departments["评审科"]), colleague, 1, "2026-09")[0].total == 90
    with pytest.raises(PermissionDenied, match="本人"):
        rollups.history(clerk(me), colleague)
    with pytest.raises(PermissionDenied, match="本科室"):
        rollups.history(supervisor(board.departments["评审科"]), stranger)


def test_todo(database: Database) -> None:
    board = Board(database)
    me = board.staff("甲", "评审科")
    other = board.staff("乙", "办公室")
    board.month("评审科", "2026-09", "locked", (me, [L("D04", 3, "complaint_true", "none", "TS-1")]))
    board.month("办公室", "2026-10", "submitted", (other, [L("D04", 3, "complaint_true", "contested")]))
    with database.session(write=True) as session:
        for source_id, ref in ((1, "TS-1"), (2, "TS-2")):  # the first is on the sheet, the second late
            session.add(
                StaffDeduction(
                    staff_id=me,
                    month="2026-09",
                    points=3,
                    kind="complaint_true",
                    source_type="complaint",
                    source_id=source_id,
                    source_ref=ref,
                    created_by="x",
                )
            )
    with database.session() as session:
        found = {i.key: (i.count, i.target, i.urgent) for i in todo.todo_in(session, database, leader())}
        assert found == {
            "scoring.submitted": (1, "months:submitted", 0),
            "scoring.late": (1, "months:late", 1),
            "scoring.contests": (1, "contests:pending", 0),
        }
        mine = todo.todo_in(session, database, supervisor(board.departments["评审科"]))
        assert [(i.key, i.target) for i in mine] == [("scoring.mine", "month:mine")]
        assert todo.todo_in(session, database, supervisor(board.departments["办公室"])) == []
        assert todo.todo_in(session, database, clerk(me)) == []
