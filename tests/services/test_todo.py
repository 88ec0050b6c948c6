"""The 待办 registry (services.todo): each module's provider, run for the account signed in.

The credit module's: a leader counts every ban and serious-list record waiting for confirmation; a
supervisor counts the ones they entered; a clerk and the administrators have nothing from it."""

from __future__ import annotations

from conftest import make_user
from sqlalchemy.orm import Session

from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.todo import TodoItem, providers, todo_in
from desktop_app.store.database import Database
from tests.builders import bad, ban, company, serious


def counts(services: Services, actor: CurrentUser, module: str = "credit") -> dict[str, int]:
    """The counts of one module's items (other modules' providers answer the same accounts)."""
    return {item.key: item.count for item in services.todo.items(actor) if item.key.startswith(f"{module}.")}


def test_every_provider_is_registered_once_and_runs_in_order(services: Services, admin: CurrentUser) -> None:
    assert len(set(providers())) == len(providers()) >= 1

    def first(session: Session, db: Database, actor: CurrentUser) -> list[TodoItem]:
        return [TodoItem("a.first", "First", 1, "credit")]

    def second(session: Session, db: Database, actor: CurrentUser) -> list[TodoItem]:
        return [TodoItem("b.second", "Second", 2, "credit", "x")]

    with services.db.session() as session:
        found = todo_in(session, services.db, admin, [first, second])
    assert [item.key for item in found] == ["a.first", "b.second"]


def test_credit_records_waiting_for_a_leader(
    services: Services, admin: CurrentUser, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    other = make_user(services, admin, "super2", Role.SUPERVISOR, department="建设工程科")
    clerk = make_user(services, admin, "clerk1", Role.HALL_STAFF)
    auditor = make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    assert counts(services, leader) == {"credit.to_confirm": 0}
    assert counts(services, supervisor) == {"credit.own_pending": 0}

    sid = company(services, leader)
    mine = [
        services.credit.add_record(supervisor, ban(sid)),
        services.credit.add_record(supervisor, serious(sid)),
    ]
    services.credit.add_record(other, ban(sid, decision_number="天建罚〔2026〕4号"))
    services.credit.add_record(supervisor, bad(sid))  # takes effect at once: nothing to confirm
    services.credit.add_record(leader, ban(sid, decision_number="天建罚〔2026〕5号"))  # a leader's own

    assert counts(services, leader) == {"credit.to_confirm": 3}
    assert counts(services, supervisor) == {"credit.own_pending": 2}
    assert counts(services, other) == {"credit.own_pending": 1}
    for nobody in (clerk, auditor):
        assert counts(services, nobody) == {}
    assert "credit.to_confirm" not in counts(services, admin)
    item = services.todo.items(leader)[0]
    assert (item.page, item.target) == ("credit_files", "pending")

    services.credit.confirm_record(leader, mine[0].id, mine[0].version)
    services.credit.decline_record(leader, mine[1].id, "证据不足", mine[1].version)
    assert counts(services, leader) == {"credit.to_confirm": 1}
    assert counts(services, supervisor) == {"credit.own_pending": 0}


def test_a_department_head_answers_for_the_pending_entries_of_their_department(
    services: Services, admin: CurrentUser, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    colleague = make_user(services, admin, "super3", Role.SUPERVISOR)  # the same department (评审科)
    elsewhere = make_user(services, admin, "super4", Role.SUPERVISOR, department="建设工程科")
    sid = company(services, leader)
    own = services.credit.add_record(supervisor, ban(sid))
    theirs = services.credit.add_record(colleague, serious(sid))
    services.credit.add_record(elsewhere, ban(sid, decision_number="天建罚〔2026〕4号"))

    assert counts(services, supervisor) == {"credit.own_pending": 2}
    assert counts(services, colleague) == {"credit.own_pending": 2}
    assert counts(services, elsewhere) == {"credit.own_pending": 1}
    listed = {record.id for _, record in services.credit.pending_records(supervisor)}
    assert listed == {own.id, theirs.id}
    assert len(services.credit.pending_records(leader)) == 3
    services.credit.confirm_record(leader, theirs.id, theirs.version)
    assert counts(services, supervisor) == {"credit.own_pending": 1}
    assert [record.id for _, record in services.credit.pending_records(colleague)] == [own.id]


def test_complaints_due_waiting_and_followed_up(services: Services, admin: CurrentUser) -> None:
    """Overdue and due-soon cases for whoever answers for them, registered cases and extensions for
    those who decide, follow-ups after 差评; a clerk with no case sees nothing of it."""
    from datetime import datetime, timedelta

    from desktop_app.domain.complaints import Outcome, Satisfaction, TimeLimit
    from desktop_app.services.complaints import Assignment, Closure
    from tests.complaint_builders import people, phone_complaint

    crew = people(services, admin)
    assert counts(services, crew.clerk, "complaints") == {}
    assert counts(services, crew.leader, "complaints") == {
        "complaints.overdue": 0,
        "complaints.due_soon": 0,
        "complaints.registered": 0,
        "complaints.extensions": 0,
        "complaints.followups": 0,
    }
    now = datetime.fromisoformat("2026-11-18T10:30:00+08:00")
    complaints = services.complaints

    def case(received: datetime, facts: str, **changes: object) -> int:
        data = phone_complaint(received, facts=facts, phone="", address="天河市人民东路 1 号", **changes)
        return complaints.register(crew.clerk, data, receipt=False).complaint.id

    # Received 9 November (general, 5 days): due 16 November, overdue today; left registered, unassigned.
    late = case(now - timedelta(days=9), "九日前的投诉，一直未受理。")
    # Received 16 November: due 23 November; simple (2 days) → due 18 November: today.
    soon = case(now - timedelta(days=2), "两日前的简易投诉。", time_limit=TimeLimit.SIMPLE)
    info = complaints.accept(
        crew.supervisor, soon, None, Assignment(crew.department_id, crew.handler.staff_id)
    )
    complaints.request_extension(crew.handler, soon, 3, "需要调取监控录像。")
    visited = case(now - timedelta(days=1), "昨日的投诉，已办结回访。")
    info = complaints.accept(
        crew.leader, visited, None, Assignment(crew.department_id, crew.handler.staff_id)
    )
    info = complaints.investigate(crew.handler, visited, info.version)
    info = complaints.close(crew.handler, visited, info.version, Closure(Outcome.FALSE, "经核实，不属实。"))
    complaints.visit(crew.handler, visited, info.version, Satisfaction.VERY_DISSATISFIED)

    leader = counts(services, crew.leader, "complaints")
    assert leader == {
        "complaints.overdue": 1,
        "complaints.due_soon": 1,
        "complaints.registered": 1,
        "complaints.extensions": 1,
        "complaints.followups": 1,
    }
    # The supervisor of 评审科: the unassigned registered case too; the extension of their department.
    assert counts(services, crew.supervisor, "complaints") == {
        "complaints.overdue": 0,
        "complaints.due_soon": 1,
        "complaints.registered": 1,
        "complaints.extensions": 1,
        "complaints.followups": 1,
    }
    # Another department's supervisor decides on the case no department has yet, nothing else.
    assert counts(services, crew.other_supervisor, "complaints") == {
        "complaints.overdue": 0,
        "complaints.due_soon": 0,
        "complaints.registered": 1,
        "complaints.extensions": 0,
        "complaints.followups": 0,
    }
    # The handler: their cases due and followed up, not the decisions (nor their own request).
    assert counts(services, crew.handler, "complaints") == {
        "complaints.overdue": 0,
        "complaints.due_soon": 1,
        "complaints.followups": 1,
    }
    assert counts(services, crew.clerk, "complaints") == {}
    items = {i.key: i for i in services.todo.items(crew.leader)}
    assert (items["complaints.overdue"].page, items["complaints.overdue"].target) == (
        "complaints",
        "filter:overdue",
    )
    assert items["complaints.overdue"].urgent == 1
    assert items["complaints.registered"].urgent == 1  # past its acceptance deadline (13 November)
    assert {items[k].target for k in items if k.startswith("complaints.")} == {
        "filter:overdue",
        "filter:due_soon",
        "filter:registered",
        "filter:extensions",
        "filter:followups",
    }
    assert late and info.number
