"""The witness's grid signed off: the draft kept and given back, points outside an item's range refused
at their cell, one transaction of marks, credit records and proposals with one audit entry, the
locked session refusing every edit; a leader's reopen keeping the original revision and correcting
the credit records (revoked and re-added, never deleted); marks of 31 December and 1 January
counting in their own years; catalogue versions by date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.domain.credit import RecordKind, RecordSource, RecordStatus, Severity
from desktop_app.domain.errors import (
    DataCheckFailed,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
    refusals_of,
)
from desktop_app.domain.evaluations import (
    Accumulation,
    ProposalAction,
    ProposalReason,
    ProposalState,
    SessionState,
)
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInfo
from desktop_app.services.evaluations import LOCKED
from desktop_app.services.evaluations.types import GridInput, GridMark, ItemInput, RuleInput
from desktop_app.services.facade import Services
from desktop_app.store.database import Database
from tests.builders import audit_actions, last_audit_seq
from tests.complaint_builders import people
from tests.conftest import ADMIN_PASSWORD, make_user
from tests.evaluation_builders import experts, session_input

DAY = date(2026, 11, 16)


def records_of(services: Services, leader: CurrentUser, subject_id: int) -> list[RecordInfo]:
    return sorted(services.credit.subject_file(leader, subject_id).records, key=lambda r: r.id)


def test_the_grid_kept_then_signed_off_and_locked(services: Services, admin: CurrentUser) -> None:
    team = people(services, admin)
    zhang, li, wang = experts(services, team.leader, 3)
    ev = services.evaluations
    info = ev.create_session(team.clerk, session_input(DAY, [zhang, li, wang]))
    grid = GridInput(
        (
            GridMark(zhang, "E04", 5, "手机未交存"),
            GridMark(zhang, "E01", 2),
            GridMark(li, "E14", 10, "评标间隙与投标人代表交谈"),
        ),
        {wang: "认真负责"},
    )
    ev.save_draft(team.clerk, info.id, grid)
    kept = ev.grid(info.id)
    assert kept.from_draft and kept.grid == grid and kept.draft_saved_by == "肖晓雨"
    assert [item.code for item in kept.items][:2] == ["E01", "E02"] and len(kept.items) == 17
    assert kept.session.marks_count == 3 and kept.session.points_total == 17

    bad = GridInput((GridMark(zhang, "E04", 9), GridMark(li, "E99", 1), GridMark(li, "E14", 10)))
    seq = last_audit_seq(services.db)
    with pytest.raises(ValidationErrors) as caught:
        ev.finalise(team.clerk, info.id, bad, info.version)
    assert {e.field: str(e) for e in refusals_of(caught.value)} == {
        f"cell:{zhang}:E04": "E04 的扣分应在 3–8 分之间。",
        f"cell:{li}:E99": "考评项目 E99 不在评标当日适用的考评目录中。",
    }
    assert audit_actions(services.db, seq) == [] and ev.session(info.id).state == SessionState.DRAFT

    result = ev.finalise(team.clerk, info.id, grid, info.version)
    assert result.records_added == 3 and result.records_revoked == 0
    assert result.session.state == SessionState.FINALISED and result.session.finalised_by == "肖晓雨"
    assert (result.session.marks_count, result.session.points_total) == (3, 17)
    # 10 points of a serious item: notify (8) and, for the serious item, suspend; 7 points: nothing.
    assert sorted((p.subject_id, p.action, p.reason, p.state) for p in result.proposals) == [
        (li, ProposalAction.NOTIFY, ProposalReason.POINTS, ProposalState.PENDING),
        (li, ProposalAction.SUSPEND, ProposalReason.SERIOUS, ProposalState.PENDING),
    ]
    assert result.proposals[0].session_number == info.number
    actions = audit_actions(services.db, seq)
    assert actions.count("evaluation.session.finalise") == 1 and actions.count("credit.record.create") == 3

    late, phone = records_of(services, team.leader, zhang)  # signed off in the form's order
    assert (phone.kind, phone.severity, phone.points, phone.status) == (
        RecordKind.EXPERT_DEDUCTION,
        Severity.GENERAL,
        5,
        RecordStatus.CONFIRMED,
    )
    assert (
        phone.facts
        == "天河大道改造工程施工（GC2026-017）评标现场考评：E04 携带或使用通讯工具，未按规定存放；手机未交存"
    )
    assert (phone.decision_number, phone.decision_date, phone.authority) == (
        info.number,
        DAY,
        "某市公共资源交易中心",
    )
    assert (phone.source, phone.source_ref) == (RecordSource.EXPERT_EVALUATION, info.number)
    assert late.severity == Severity.MINOR and late.points == 2
    (contact,) = records_of(services, team.leader, li)
    assert contact.severity == Severity.SERIOUS and contact.points == 10

    shown = ev.grid(info.id)
    assert not shown.from_draft and set(shown.grid.marks) == set(grid.marks)
    assert shown.grid.expert_remarks == {wang: "认真负责"}
    # Locked: every edit refused with the same words.
    for edit in (
        lambda: ev.save_draft(team.clerk, info.id, grid),
        lambda: ev.finalise(team.clerk, info.id, grid, None),
        lambda: ev.update_session(team.clerk, info.id, session_input(DAY, [zhang]), None),
        lambda: ev.discard_draft(team.clerk, info.id),
    ):
        with pytest.raises(ValidationError, match=LOCKED):
            edit()


def test_a_reopen_keeps_the_original_and_corrects_the_credit_records(
    services: Services, admin: CurrentUser
) -> None:
    team = people(services, admin)
    (zhang,) = experts(services, team.leader, 1)
    ev = services.evaluations
    info = ev.create_session(team.clerk, session_input(DAY, [zhang]))
    first = ev.finalise(
        team.clerk, info.id, GridInput((GridMark(zhang, "E02", 8, "开评前半小时请假"),)), info.version
    )
    (notify,) = first.proposals
    assert notify.action == ProposalAction.NOTIFY and notify.points == 8

    with pytest.raises(PermissionDenied):
        ev.reopen(team.clerk, info.id, "扣分有误", first.session.version)
    with pytest.raises(ValidationError) as caught:
        ev.reopen(team.leader, info.id, "  ", first.session.version)
    assert caught.value.field == "reason"
    reopened = ev.reopen(team.leader, info.id, "专家提前请假，应按迟到扣分", first.session.version)
    assert (reopened.state, reopened.revision) == (SessionState.DRAFT, 2)
    draft = ev.grid(info.id)
    assert draft.from_draft and draft.grid.marks == (GridMark(zhang, "E02", 8, "开评前半小时请假"),)
    (original,) = records_of(services, team.leader, zhang)
    assert original.status == RecordStatus.CONFIRMED  # in force until the correction is signed off

    corrected = ev.finalise(team.clerk, info.id, GridInput((GridMark(zhang, "E01", 3),)), reopened.version)
    assert (corrected.records_added, corrected.records_revoked) == (1, 1)
    assert [(p.id, p.state) for p in corrected.withdrawn] == [(notify.id, ProposalState.WITHDRAWN)]
    old, new = records_of(services, team.leader, zhang)
    assert old.id == original.id and old.status == RecordStatus.REVOKED
    assert old.closed_reason == "第2版更正：专家提前请假，应按迟到扣分"
    assert (
        new.status == RecordStatus.CONFIRMED and new.decision_number == f"{info.number}-2" and new.points == 3
    )

    one, two = ev.revisions(info.id)
    assert (one.revision, one.reopen_reason, one.reopened_by) == (1, "专家提前请假，应按迟到扣分", "尹百川")
    assert [(m.item_code, m.points, m.current, m.credit_record_id) for m in one.marks] == [
        ("E02", 8, False, original.id)
    ]
    assert [(m.item_code, m.points, m.current) for m in two.marks] == [("E01", 3, True)]
    assert two.reopened_at is None and ev.session(info.id).points_total == 3


# -- rules by date (one backend: no query of its own) ------------------------------------------------
@pytest.fixture
def lite(sqlite_database: Database) -> Services:
    return Services(sqlite_database)


def test_years_and_catalogue_versions_by_date(lite: Services) -> None:
    lite.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
    admin = lite.auth.login("sysadmin", ADMIN_PASSWORD)
    leader = make_user(lite, admin, "leader1", Role.LEADER)
    ev = lite.evaluations
    (zhang,) = experts(lite, leader, 1)

    # E04 from 1 June: 4–10 points; the thresholds from 1 June: suspend at 10.
    e04 = ItemInput("e04", "携带或使用通讯工具", 6, 4, 10, False, date(2026, 6, 1))
    saved = ev.save_item(admin, e04)
    with pytest.raises(ValidationError) as caught:
        ev.save_item(admin, e04)
    assert caught.value.field == "effective_from"
    with pytest.raises(ValidationError) as caught:
        ev.save_item(admin, ItemInput("E04", "x", 2, 3, 8, False, date(2026, 7, 1)))
    assert caught.value.field == "default_points"
    ev.save_rule(admin, RuleInput(date(2026, 6, 1), Accumulation.CALENDAR_YEAR, 8, 10, True, 3))
    before, after = ev.items_on(date(2026, 5, 31)), ev.items_on(date(2026, 6, 1))
    assert next((i.min_points, i.max_points) for i in before if i.code == "E04") == (3, 8)
    assert next((i.default_points, i.text) for i in after if i.code == "E04") == (6, "携带或使用通讯工具")
    assert (
        ev.rule_on(date(2026, 5, 31)).suspend_points == 12
        and ev.rule_on(date(2026, 6, 1)).suspend_points == 10
    )
    assert [(v.code, v.effective_from) for v in ev.item_versions() if v.code == "E04"] == [
        ("E04", date(2026, 1, 1)),
        ("E04", date(2026, 6, 1)),
    ]
    retired = ev.save_item(
        admin,
        ItemInput("E04", "携带或使用通讯工具", 6, 4, 10, False, date(2026, 6, 1), False),
        saved.id,
        saved.version,
    )
    assert (
        "E04" not in {i.code for i in ev.items_on(date(2026, 6, 2))} and retired.version == saved.version + 1
    )
    with pytest.raises(PermissionDenied):
        ev.save_item(leader, e04)

    # 8 points on 31 Dec 2025 (the earliest catalogue stands for that year) and 9 on 1 Jan 2026:
    # each year has its own, and neither reaches 12.
    def signed(day: date, points: int) -> list[tuple[int, ProposalAction]]:
        info = ev.create_session(leader, session_input(day, [zhang]))
        result = ev.finalise(leader, info.id, GridInput((GridMark(zhang, "E08", points),)), info.version)
        return [(p.year, p.action) for p in result.proposals]

    assert signed(date(2025, 12, 31), 8) == [(2025, ProposalAction.NOTIFY)]
    assert signed(date(2026, 1, 1), 9) == [(2026, ProposalAction.NOTIFY)]
    assert sorted(r.decision_date.year for r in records_of(lite, leader, zhang)) == [2025, 2026]


def test_points_changed_in_the_database_file_are_refused_not_printed(lite: Services, tmp_path: Path) -> None:
    """A mark's points lowered with a database tool: the form, the expert's standing and the year's
    export refuse with 数据校验失败 instead of printing or counting the changed figure."""
    services = lite
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    team = people(services, admin)
    zhang, li = experts(services, team.leader, 2)
    info = services.evaluations.create_session(team.clerk, session_input(date(2026, 11, 17), [zhang, li]))
    services.evaluations.finalise(
        team.clerk, info.id, GridInput(marks=(GridMark(zhang, "E04", 5),)), info.version
    )
    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE evaluation_marks SET points = 3"))
    with pytest.raises(DataCheckFailed):
        services.evaluations.evaluation_form(team.clerk, info.id)
    with pytest.raises(DataCheckFailed):
        services.evaluations.expert_status(zhang, 2026)
    with pytest.raises(DataCheckFailed):
        services.evaluations.export_year(team.leader, 2026, tmp_path / "year.xlsx")
