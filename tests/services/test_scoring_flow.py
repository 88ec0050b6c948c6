"""The month's flow: submit, the 优秀 quota refusal and a leader's override, return, lock; a deduction
arriving for a locked month is listed and applied by a reopen, which keeps every version."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import Conflict, PermissionDenied, StaleEdit, ValidationError
from desktop_app.domain.scoring import AutoSource, SheetState
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring import SheetInput
from tests.builders import audit_entries
from tests.complaint_builders import People, people
from tests.services.test_scoring_sheets import MONTH, _close_true_against_respondent


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


def test_submit_lock_with_the_quota_then_a_late_deduction_applied_by_a_reopen(
    services: Services, crew: People
) -> None:
    scoring = services.scoring
    dept = crew.department_id
    month = scoring.department_month(crew.supervisor, dept, MONTH)
    with pytest.raises(PermissionDenied):
        scoring.lock_month(crew.supervisor, dept, MONTH, month.version, "理由")
    month = scoring.submit_month(crew.supervisor, dept, MONTH, month.version)
    assert month.state is SheetState.SUBMITTED and month.submitted_by == "罗浩"
    sheet = scoring.sheet(crew.supervisor, crew.respondent_staff_id, MONTH)
    with pytest.raises(ValidationError, match="退回"):
        scoring.save_sheet(crew.supervisor, sheet.id, SheetInput(()), sheet.version)

    # Three people, all 优秀: 20 % of 3 rounded down is 0 (under five, no minimum of one).
    with pytest.raises(ValidationError, match="超过本科室名额 0 人") as caught:
        scoring.lock_month(crew.leader, dept, MONTH, month.version)
    assert caught.value.field == "override_reason"
    returned = scoring.return_month(crew.leader, dept, MONTH, "优秀过多，请拉开差距", month.version)
    assert returned.state is SheetState.DRAFT and returned.return_reason == "优秀过多，请拉开差距"
    with pytest.raises(StaleEdit, match="tsleader"):
        scoring.submit_month(crew.supervisor, dept, MONTH, month.version)
    month = scoring.submit_month(crew.supervisor, dept, MONTH, returned.version)
    locked = scoring.lock_month(crew.leader, dept, MONTH, month.version, "三人本月均承担重大项目见证")
    assert locked.state is SheetState.LOCKED and locked.override_reason == "三人本月均承担重大项目见证"
    assert audit_entries(services.db, "scoring.month.lock")
    with pytest.raises(Conflict):
        scoring.lock_month(crew.leader, dept, MONTH, locked.version, "再锁")

    # A complaint closed as true (and rated 不满意) after the lock: listed, the locked sheet unchanged.
    case_id = _close_true_against_respondent(services, crew)
    late = scoring.late_arrivals(crew.leader)
    assert [(a.staff_name, a.month, a.auto_source, a.points, a.source_id) for a in late] == [
        ("王五", MONTH, AutoSource.COMPLAINT_TRUE, 3, case_id),
        ("王五", MONTH, AutoSource.BAD_RATING, 2, case_id),
    ]
    assert (
        len(scoring.late_arrivals(crew.supervisor)) == 2
        and scoring.late_arrivals(crew.other_supervisor) == []
    )
    assert len(scoring.department_month(crew.leader, dept, MONTH).late_arrivals) == 2
    assert scoring.sheet(crew.supervisor, crew.respondent_staff_id, MONTH).total == 100
    overview = scoring.month_overview(crew.leader, MONTH)
    assert len(overview.late_arrivals) == 2
    assert {d.department_name: d.state for d in overview.departments}["评审科"] is SheetState.LOCKED

    # The reopen applies them in revision 2; revision 1 stays readable as it was locked.
    with pytest.raises(ValidationError):
        scoring.reopen_month(crew.leader, dept, MONTH, " ", locked.version)
    reopened = scoring.reopen_month(crew.leader, dept, MONTH, "补计投诉属实扣分", locked.version)
    assert reopened.state is SheetState.DRAFT and reopened.revision == 2 and reopened.late_arrivals == ()
    assert scoring.late_arrivals(crew.leader) == []
    versions = scoring.sheet_versions(crew.leader, crew.respondent_staff_id, MONTH)
    assert [(v.revision, v.current, v.state, v.total) for v in versions] == [
        (1, False, SheetState.LOCKED, 100),
        (2, True, SheetState.DRAFT, 95),
    ]
    assert scoring.sheet(crew.leader, crew.respondent_staff_id, MONTH, revision=1).total == 100
    assert audit_entries(services.db, "scoring.month.reopen")[0]["late"] == 2
    # A staff member still reads the locked revision 1 while revision 2 is being corrected.
    assert [(s.staff_name, s.revision) for s in scoring.my_sheets(crew.handler)] == [("周敏", 1)]
