"""Random sequences of handling moves against the service: an allowed move changes the state and
adds its history entry and audit entry; a forbidden one is refused and changes nothing."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest
from conftest import ADMIN_PASSWORD, open_test_database
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop_app.domain.complaints import Action, Outcome, Satisfaction, State, next_state
from desktop_app.domain.errors import Conflict
from desktop_app.services.complaints import Assignment, Closure, ComplaintInfo
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.complaint_models import Complaint
from tests.builders import last_audit_seq
from tests.complaint_builders import People, people, phone_complaint

HALL = datetime.fromisoformat("2026-11-18T10:30:00+08:00")


def _do(services: Services, crew: People, info: ComplaintInfo, action: Action) -> ComplaintInfo:
    c = services.complaints
    actor = crew.leader
    if action is Action.ACCEPT:
        return c.accept(actor, info.id, info.version, Assignment(crew.department_id, crew.handler.staff_id))
    if action is Action.REJECT:
        return c.reject(actor, info.id, info.version, "不属于受理范围")
    if action is Action.TRANSFER:
        return c.transfer(actor, info.id, info.version, "市住建局")
    if action is Action.INVESTIGATE:
        return c.investigate(actor, info.id, info.version)
    if action is Action.CLOSE:
        return c.close(actor, info.id, info.version, Closure(Outcome.FALSE, "经核实不属实。"))
    return c.visit(actor, info.id, info.version, Satisfaction.SATISFIED)


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from(list(Action)), min_size=1, max_size=8))
def test_random_move_sequences(services: Services, crew: People, actions: list[Action]) -> None:
    info = services.complaints.register(crew.clerk, phone_complaint(HALL), receipt=False).complaint
    for action in actions:
        expected = next_state(info.state, action)
        events = len(info.events)
        seq = last_audit_seq(services.db)
        if expected is None:
            with pytest.raises(Conflict):
                _do(services, crew, info, action)
            again = services.complaints.get(crew.leader, info.id)
            assert again.state is info.state and len(again.events) == events
            assert last_audit_seq(services.db) == seq
            continue
        info = _do(services, crew, info, action)
        assert info.state is expected
        assert info.events[-1].to_state is expected and info.events[-1].action == action.value
        assert last_audit_seq(services.db) > seq
    assert info.state in State


@pytest.mark.postgres
def test_concurrent_intake_on_postgresql_gets_distinct_gapless_numbers(
    pg_schema_url: str, isolated_home: Any
) -> None:
    setup = open_test_database(pg_schema_url, isolated_home)
    try:
        services = Services(setup)
        services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
        admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
        crew = people(services, admin)
        workers, each = 8, 6
        databases = [open_test_database(pg_schema_url, isolated_home, f"ws-{n}") for n in range(workers)]
        numbers: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()
        start = threading.Barrier(workers)

        def work(n: int, database: Any) -> None:
            try:
                service = Services(database).complaints
                start.wait(timeout=60)
                for i in range(each):
                    data = phone_complaint(HALL, phone=f"139{n:04d}{i:04d}")
                    result = service.register(crew.clerk, data, receipt=(i % 2 == 0))
                    with lock:
                        numbers.append(result.complaint.number)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n, db)) for n, db in enumerate(databases)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        finally:
            for database in databases:
                database.dispose()
        assert not errors, errors
        total = workers * each
        assert sorted(numbers) == [f"TS2026-{n:06d}" for n in range(1, total + 1)]
        with setup.session() as session:
            assert session.scalar(select(func.count(func.distinct(Complaint.lookup_code)))) == total
    finally:
        setup.dispose()
