"""Evaluation sessions: the form checked at its fields, the number, the procurement deadline and
overdue, the list and its filters, a suspended expert refused inside the suspension and accepted the
day after, the expert picker and the drawn list (pasted and from a file)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.errors import StaleEdit, ValidationError, ValidationErrors, refusals_of
from desktop_app.domain.evaluations import PoolState, SessionState, TradeCategory
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import SessionFilter
from desktop_app.services.facade import Services
from desktop_app.store.database import Database
from tests.builders import BAN_LAST, ban, born_on, company
from tests.complaint_builders import people
from tests.conftest import ADMIN_PASSWORD, make_user
from tests.evaluation_builders import at, experts, numbered_expert, session_input


def fields(error: ValidationError) -> dict[str | None, str]:
    return {e.field: str(e) for e in refusals_of(error)}


def test_a_session_numbered_with_its_deadline_listed_and_corrected(
    services: Services, admin: CurrentUser
) -> None:
    team = people(services, admin)
    zhang, li, wang = experts(services, team.leader, 3)
    ev = services.evaluations
    # Government procurement ending Tue 10 Nov: finalised within 5 working days (by Tue 17 Nov).
    day = date(2026, 11, 10)
    data = session_input(day, [zhang, li], category=TradeCategory.PROCUREMENT, room="第1评标室")
    first = ev.create_session(team.clerk, data)
    second = ev.create_session(team.clerk, session_input(date(2026, 11, 16), [wang]))
    assert (first.number, second.number) == ("KP2026-000001", "KP2026-000002")
    assert first.evaluation_date == day and first.state == SessionState.DRAFT and first.revision == 1
    assert first.witness_name == "肖晓雨" and first.witness_staff_id is not None  # the clerk's staff record
    assert [e.expert_no for e in first.experts] == ["Z1001", "Z1002"]
    assert first.experts[0].id_number_masked.startswith("4403") and "*" in first.experts[0].id_number_masked
    assert first.due_on == date(2026, 11, 17) and first.overdue  # today is 18 Nov
    assert second.due_on is None and not second.overdue
    paper = ev.create_session(team.clerk, session_input(day, [wang], witness_name="刘见证"))
    assert (paper.witness_staff_id, paper.witness_name) == (None, "刘见证")

    assert ev.find_session(" kp2026-000001 ") == first
    assert ev.find_session("KP2026-999999") is None
    mine = ev.sessions(team.clerk)
    assert [s.number for s in mine] == [second.number, paper.number, first.number]  # newest first
    assert [s.number for s in ev.sessions(team.clerk, SessionFilter(overdue_only=True))] == [first.number]
    assert [s.number for s in ev.sessions(team.clerk, SessionFilter(text="王五"))] == [
        second.number,
        paper.number,
    ]
    assert [s.number for s in ev.sessions(team.clerk, SessionFilter(expert_id=li))] == [first.number]
    assert [
        s.number
        for s in ev.sessions(team.clerk, SessionFilter(category=TradeCategory.PROCUREMENT, room="第1评标室"))
    ] == [first.number]
    assert (
        ev.sessions(team.clerk, SessionFilter(date_from=date(2026, 11, 11), date_to=date(2026, 11, 15))) == []
    )

    # Corrected: the actual end moves the deadline; an expert swapped; the stale form is refused.
    fixed = ev.update_session(
        team.clerk,
        first.id,
        replace(data, actual_start=at(day, 9), actual_end=at(date(2026, 11, 13), 11), expert_ids=(li, wang)),
        first.version,
    )
    assert fixed.due_on == date(2026, 11, 20) and not fixed.overdue
    assert [e.subject_id for e in fixed.experts] == [li, wang]
    with pytest.raises(StaleEdit, match="已被 xiao 于"):
        ev.update_session(team.clerk, first.id, data, first.version)


def test_a_suspended_expert_refused_inside_the_suspension_accepted_the_day_after(
    services: Services, admin: CurrentUser
) -> None:
    team = people(services, admin)
    zhang, li = experts(services, team.leader, 2)
    services.credit.add_record(team.leader, ban(zhang))  # barred 10 Mar – 9 Sep 2026
    with pytest.raises(ValidationError) as caught:
        services.evaluations.create_session(team.clerk, session_input(BAN_LAST, [li, zhang]))
    assert fields(caught.value) == {
        "experts": "专家张三（Z1001）暂停至2026年9月9日（天河市住建局 天建罚〔2026〕3号），不能参加2026年9月9日的评标。"
    }
    after = services.evaluations.create_session(team.clerk, session_input(date(2026, 9, 10), [li, zhang]))
    assert [e.subject_id for e in after.experts] == [li, zhang]


# -- the form's checks, the picker and the drawn list (one backend) ------------------------------
@pytest.fixture
def lite(sqlite_database: Database) -> Services:
    return Services(sqlite_database)


@pytest.fixture
def lite_admin(lite: Services) -> CurrentUser:
    lite.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
    return lite.auth.login("sysadmin", ADMIN_PASSWORD)


@pytest.fixture
def lite_leader(lite: Services, lite_admin: CurrentUser) -> CurrentUser:
    return make_user(lite, lite_admin, "leader1", Role.LEADER)


def test_the_form_refuses_every_fault_at_its_field(lite: Services, lite_admin: CurrentUser) -> None:
    services = lite
    team = people(services, lite_admin)
    zhang, li = experts(services, team.leader, 2)
    bidder = company(services, team.leader, "天河建设有限公司", 1)
    data = session_input(date(2026, 11, 10), [zhang, li, zhang, bidder], project_code=" ", category=None)
    data = replace(data, scheduled_end=at(date(2026, 11, 9)))
    with pytest.raises(ValidationErrors) as caught:
        services.evaluations.create_session(team.clerk, data)
    found = fields(caught.value)
    assert set(found) == {"project_code", "category", "scheduled_end", "experts"}
    assert (
        "专家张三（Z1001）重复添加。" in found["experts"]
        and "天河建设有限公司不是评标专家。" in found["experts"]
    )
    assert services.evaluations.sessions(team.clerk) == []
    # A mistyped year (2062 for 2026) is refused at its field, not kept as a session far ahead.
    with pytest.raises(ValidationError) as far:
        services.evaluations.create_session(team.clerk, session_input(date(2062, 11, 10), [zhang, li]))
    assert far.value.field == "scheduled_start" and "年份" in far.value.message


def test_the_picker_and_the_drawn_list(lite: Services, lite_leader: CurrentUser, tmp_path: Path) -> None:
    leader, ev = lite_leader, lite.evaluations
    zhang, li, wang = experts(lite, leader, 3)
    other_zhang = numbered_expert(lite, leader, 4, "张三")
    company(lite, leader, "张三建筑有限公司", 7)
    lite.credit.add_record(leader, ban(wang))
    on = date(2026, 6, 1)

    assert {c.subject_id for c in ev.candidates(leader, "张三", on)} == {zhang, other_zhang}  # experts only
    assert [c.subject_id for c in ev.candidates(leader, "z1002", on)] == [li]
    assert [c.subject_id for c in ev.candidates(leader, "ls", on)] == [li]  # pinyin initials
    assert [c.subject_id for c in ev.candidates(leader, born_on(date(1972, 1, 3)), on)] == [li]
    (banned,) = ev.candidates(leader, "王五", on)
    assert banned.pool.state == PoolState.SUSPENDED and banned.pool.until == BAN_LAST

    pasted = "专家编号\t姓名\nZ1002\t李四\nZ1001,张三\n王五\n张三\nZ1009 某某\n李四 Z1001\nZ1002 李四"
    lines = ev.drawn_list(leader, pasted, on)
    assert [(line.row, line.subject_id) for line in lines[:2]] == [(2, li), (3, zhang)]
    assert lines[2].subject_id == wang and lines[2].problem.startswith("专家王五（Z1003）暂停至2026年9月9日")
    assert lines[3].subject_id is None and "多位“张三”" in lines[3].problem
    assert lines[4].subject_id is None and "没有这个专家编号" in lines[4].problem
    assert "与所填姓名“李四”不符" in lines[5].problem
    assert lines[6].problem == "名单中重复出现。"

    csv = tmp_path / "抽取名单.csv"
    csv.write_text(f"序号,身份证号,姓名\n1,{born_on(date(1971, 1, 2))},张三\n2,,李四\n", encoding="utf-8")
    from_file = ev.drawn_file(leader, csv, on)
    assert [(line.row, line.subject_id, line.problem) for line in from_file] == [(2, zhang, ""), (3, li, "")]
    assert "*" in from_file[0].text  # the ID number shown masked
