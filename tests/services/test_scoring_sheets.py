"""The monthly sheet: opening a department's month, saving manual lines, who may read and write what,
and the automatic lines that arrive by themselves (a complaint found true, a 差评) with their link."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import text

from desktop_app.domain.complaints import Outcome, RespondentKind, Satisfaction
from desktop_app.domain.errors import (
    DataCheckFailed,
    PermissionDenied,
    StaleEdit,
    ValidationError,
    ValidationErrors,
)
from desktop_app.domain.roles import Role
from desktop_app.domain.scoring import AutoSource, ContestState, Dimension, SheetState
from desktop_app.services.complaints import Assignment, Closure
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring import (
    EntryInput,
    RuleInput,
    SchemeInput,
    SchemeItemInput,
    SheetInfo,
    SheetInput,
)
from desktop_app.store.database import Database
from tests.builders import audit_entries
from tests.complaint_builders import People, people, phone_complaint
from tests.conftest import ADMIN_PASSWORD, make_user

HALL = datetime.fromisoformat("2026-11-18T10:30:00+08:00")
MONTH = "2026-11"


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


def typed(sheet: SheetInfo, *extra: EntryInput, **base: float) -> SheetInput:
    """The sheet's manual lines as they stand, base points changed by code, extra lines added."""
    lines = [
        EntryInput(e.item_code, base.get(e.item_code, e.points), e.evidence, e.remark, e.id)
        for e in sheet.entries
        if e.auto_source is None
    ]
    return SheetInput((*lines, *extra))


def test_a_supervisor_opens_the_month_scores_and_saves_their_own_department_only(
    services: Services, crew: People
) -> None:
    scoring = services.scoring
    month = scoring.department_month(crew.supervisor, crew.department_id, MONTH)
    # 罗浩, 周敏 and 王五 of 评审科: a draft sheet each, base lines at full points.
    assert sorted(r.staff_name for r in month.rows) == ["周敏", "王五", "罗浩"]
    assert month.state is SheetState.DRAFT and month.revision == 1
    assert {r.total for r in month.rows} == {100.0} and {r.grade for r in month.rows} == {"优秀"}
    assert month.excellent_quota == 0 and month.over_quota
    sheet = scoring.sheet(crew.supervisor, crew.respondent_staff_id, MONTH)
    assert sheet.scheme_name == "通用岗位" and [e.item_code for e in sheet.entries] == [
        "B01",
        "B02",
        "B03",
        "B04",
        "B05",
    ]

    # Evidence is required for 迟到 (D01); points outside the item's range are refused; all at once.
    with pytest.raises(ValidationErrors) as caught:
        scoring.save_sheet(
            crew.supervisor,
            sheet.id,
            typed(sheet, EntryInput("D01", 1), EntryInput("P02", 9, "抢险")),
            sheet.version,
        )
    assert {e.field for e in caught.value.errors} == {"entry5.evidence", "entry6.points"}
    saved = scoring.save_sheet(
        crew.supervisor,
        sheet.id,
        typed(sheet, EntryInput("D01", 1.5, "11月3日、5日迟到"), B04=46),
        sheet.version,
    )
    assert saved.total == 94.5 and saved.grade == "良好" and saved.by_dimension[Dimension.DILIGENCE] == 8.5
    assert saved.updated_by == "罗浩"
    assert audit_entries(services.db, "scoring.sheet.save")

    # A second workstation saving the sheet it read before: refused, naming who saved.
    with pytest.raises(StaleEdit, match="luo"):
        scoring.save_sheet(crew.leader, sheet.id, typed(sheet, B01=10), sheet.version)
    # A line no longer typed goes; base lines not typed stay.
    again = scoring.save_sheet(crew.supervisor, saved.id, SheetInput(()), saved.version)
    assert again.total == 96 and len(again.entries) == 5

    # Another department's supervisor reads and writes nothing of 评审科; nor does a clerk.
    with pytest.raises(PermissionDenied, match="本科室"):
        scoring.department_month(crew.other_supervisor, crew.department_id, MONTH)
    with pytest.raises(PermissionDenied, match="本科室"):
        scoring.sheet(crew.other_supervisor, crew.respondent_staff_id, MONTH)
    with pytest.raises(PermissionDenied):
        scoring.save_sheet(crew.other_supervisor, again.id, SheetInput(()), again.version)
    with pytest.raises(PermissionDenied):
        scoring.department_month(crew.clerk, crew.department_id, MONTH)
    assert scoring.departments_for(crew.other_supervisor) == [
        (d, n) for d, n in scoring.departments_for(crew.leader) if n == "财务科"
    ]


def test_a_staff_member_reads_their_own_locked_sheets_and_nothing_else(
    services: Services, crew: People
) -> None:
    scoring = services.scoring
    month = scoring.department_month(crew.supervisor, crew.department_id, MONTH)
    own = crew.handler.staff_id
    assert own is not None
    with pytest.raises(PermissionDenied, match="本人已锁定"):
        scoring.sheet(crew.handler, own, MONTH)  # not locked yet
    assert scoring.my_sheets(crew.handler) == []
    month = scoring.submit_month(crew.supervisor, crew.department_id, MONTH, month.version)
    scoring.lock_month(crew.leader, crew.department_id, MONTH, month.version, "评审科三人均全勤无差错")
    assert [s.staff_name for s in scoring.my_sheets(crew.handler)] == ["周敏"]
    assert scoring.sheet(crew.handler, own, MONTH).state is SheetState.LOCKED
    with pytest.raises(PermissionDenied, match="本人"):
        scoring.sheet(crew.handler, crew.respondent_staff_id, MONTH)
    with pytest.raises(PermissionDenied):
        scoring.department_month(crew.handler, crew.department_id, MONTH)
    # A grade raised with a database tool: nothing is shown from it.
    with services.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE scoring_sheets SET grade = '优秀', total = 99.5 WHERE staff_id = :s"), {"s": own}
        )
    with pytest.raises(DataCheckFailed, match="审计管理员"):
        scoring.my_sheets(crew.handler)
    with pytest.raises(DataCheckFailed):
        scoring.department_month(crew.leader, crew.department_id, MONTH)


def _close_true_against_respondent(services: Services, crew: People) -> int:
    complaints = services.complaints
    info = complaints.register(
        crew.clerk,
        phone_complaint(
            HALL, respondent_kind=RespondentKind.STAFF, respondent_staff_id=crew.respondent_staff_id
        ),
    ).complaint
    info = complaints.accept(
        crew.supervisor, info.id, info.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    info = complaints.investigate(crew.handler, info.id, info.version, "已调取录像")
    info = complaints.close(crew.handler, info.id, info.version, Closure(Outcome.TRUE, "经调查属实。"))
    complaints.visit(crew.handler, info.id, info.version, Satisfaction.DISSATISFIED, "认为处理过轻")
    return info.id


def test_a_complaint_found_true_arrives_on_the_right_sheet_and_contesting_keeps_the_link(
    services: Services, crew: People
) -> None:
    scoring = services.scoring
    scoring.department_month(crew.supervisor, crew.department_id, MONTH)  # opened before the case
    case_id = _close_true_against_respondent(services, crew)
    sheet = scoring.sheet(crew.supervisor, crew.respondent_staff_id, MONTH)
    automatic = [e for e in sheet.entries if e.auto_source]
    assert [(e.item_code, e.auto_source, e.points, e.source_id, e.source_ref) for e in automatic] == [
        ("D04", AutoSource.COMPLAINT_TRUE, 3, case_id, "TS2026-000001"),
        ("D05", AutoSource.BAD_RATING, 2, case_id, "TS2026-000001"),
    ]
    assert sheet.total == 95
    # Nobody else's sheet, and not October's.
    assert scoring.sheet(crew.supervisor, crew.handler.staff_id or 0, MONTH).total == 100
    assert not [
        e
        for e in scoring.sheet(crew.supervisor, crew.respondent_staff_id, "2026-10").entries
        if e.auto_source
    ]
    assert audit_entries(services.db, "scoring.month.sync")

    # Never typed over nor deleted: a manual D04 is refused, the save keeps the automatic lines.
    with pytest.raises(ValidationError, match="自动计入"):
        scoring.save_sheet(crew.supervisor, sheet.id, typed(sheet, EntryInput("D04", 3)), sheet.version)
    sheet = scoring.save_sheet(crew.supervisor, sheet.id, SheetInput(()), sheet.version)
    assert len([e for e in sheet.entries if e.auto_source]) == 2

    d04 = next(e for e in sheet.entries if e.item_code == "D04")
    assert d04.id is not None
    contested = scoring.contest_entry(crew.supervisor, d04.id, "当事人已调岗，投诉所涉为前任")
    line = next(e for e in contested.entries if e.id == d04.id)
    assert line.contest_state is ContestState.CONTESTED and line.counts and contested.total == 95
    with pytest.raises(PermissionDenied):
        scoring.decide_contest(crew.supervisor, d04.id, False, "同意")
    decided = scoring.decide_contest(crew.leader, d04.id, False, "经核实，投诉所涉为前任")
    line = next(e for e in decided.entries if e.id == d04.id)
    assert line.contest_state is ContestState.WITHDRAWN and not line.counts
    assert (line.source_id, line.source_ref, line.decided_by) == (case_id, "TS2026-000001", "尹百川")
    assert decided.total == 98
    deduction = services.complaints.get(crew.leader, case_id).deductions[0]
    assert deduction.state == "withdrawn"
    # Read again: the sync leaves the leader's decision alone.
    assert scoring.sheet(crew.supervisor, crew.respondent_staff_id, MONTH).total == 98


def test_schemes_and_rules_are_versions_from_a_month_on(sqlite_database: Database) -> None:
    services = Services(sqlite_database)
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    scoring = services.scoring
    assert scoring.scheme_for("窗口受理", MONTH).name == "窗口服务岗"
    general = scoring.scheme_for("保洁", MONTH)
    assert general.name == "通用岗位" and general.is_default

    items = tuple(
        SchemeItemInput(
            i.code,
            i.dimension,
            i.kind,
            i.text,
            i.points,
            i.min_points,
            i.max_points,
            i.evidence_required,
            i.veto,
            i.auto_source,
        )
        for i in general.items
    )
    lowered = tuple(replace(i, points=40, max_points=40) if i.code == "B04" else i for i in items)
    with pytest.raises(ValidationError, match="合计应为 100") as caught:
        scoring.save_scheme(admin, SchemeInput("通用岗位", "2027-01", True, 110, lowered))
    assert caught.value.field == "items"
    with pytest.raises(PermissionDenied):
        scoring.save_scheme(
            crew_less_leader(services, admin), SchemeInput("通用岗位", "2027-01", True, 110, items)
        )
    newer = scoring.save_scheme(admin, SchemeInput("通用岗位", "2027-01", True, 105, items, "上限调整"))
    assert scoring.scheme_for("保洁", "2026-12").id == general.id
    assert scoring.scheme_for("保洁", "2027-03").id == newer.id and newer.maximum == 105
    assert [s.effective_from for s in scoring.schemes() if s.name == "通用岗位"] == ["2026-01", "2027-01"]

    scoring.set_post_scheme(admin, "综合岗", "见证岗")
    assert scoring.scheme_for("综合岗", MONTH).name == "见证岗"
    assert ("综合岗", "见证岗") in {(p.post, p.scheme_name) for p in scoring.post_schemes()}

    rule = scoring.rule_on(MONTH)
    data = RuleInput(
        "2027-01",
        rule.monthly_bands,
        rule.monthly_worst,
        rule.veto_cap,
        rule.excellent,
        30,
        rule.quota_min_size,
        rule.quarterly_bands,
        rule.quarterly_worst,
        rule.annual_bands,
        rule.annual_worst,
    )
    with pytest.raises(ValidationError):
        scoring.save_rule(admin, replace(data, monthly_bands="良好:85,优秀:95"))
    scoring.save_rule(admin, data)
    assert scoring.rule_on("2027-02").quota_percent == 30 and scoring.rule_on(MONTH).quota_percent == 20
    assert len(audit_entries(sqlite_database, "scoring.scheme.save")) == 1


def crew_less_leader(services: Services, admin: CurrentUser) -> CurrentUser:
    return make_user(services, admin, "lead9", Role.LEADER)


def test_the_centers_leaders_are_not_scored_in_their_departments_month(
    services: Services, crew: People
) -> None:
    """A leader on 办公室's staff list is appraised elsewhere: no sheet in that department's month, and
    not counted in its size (the 优秀 quota)."""
    office = services.scoring.department_month(crew.leader, crew.office_id, MONTH)
    scored = {row.staff_id for row in office.rows}
    assert crew.leader.staff_id not in scored
    assert crew.clerk.staff_id in scored
    assert office.staff_count == len(office.rows)
