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


def counts(services: Services, actor: CurrentUser) -> dict[str, int]:
    return {item.key: item.count for item in services.todo.items(actor)}


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
