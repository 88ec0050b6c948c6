"""Every service write leaves its audit entry in the same transaction: when the entry cannot be
written, the change is not made either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from conftest import ADMIN_PASSWORD, DEFAULT_PASSWORD, make_user
from sqlalchemy import func, select

from desktop_app import paths
from desktop_app.domain.errors import PermissionDenied
from desktop_app.domain.roles import Role
from desktop_app.services.audit_log import ACTION_LABELS, AuditFilter
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store import audit
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry


class AuditDown(Exception):
    pass


def entries(database: Database) -> list[tuple[int, str]]:
    with database.session() as session:
        rows = session.execute(select(AuditEntry.seq, AuditEntry.action).order_by(AuditEntry.seq))
        return [(seq, action) for seq, action in rows]


def count(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@dataclass
class Write:
    name: str
    action: str
    run: Callable[[], object]
    state: Callable[[], object]  # what the write changes, read back from the database


def test_first_start_is_all_or_nothing(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AuditDown

    monkeypatch.setattr(audit, "record", refuse)
    with pytest.raises(AuditDown):
        services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
    assert services.auth.needs_first_admin()
    assert services.organisation.departments() == []
    monkeypatch.undo()
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
    assert [a for _, a in entries(services.db)] == ["init.first_admin"]


def test_every_write_is_audited_in_its_own_transaction(
    services: Services, admin: CurrentUser, monkeypatch: pytest.MonkeyPatch, isolated_home: paths.Locations
) -> None:
    db = services.db
    clerk = make_user(services, admin, "clerk", Role.HALL_STAFF)
    supervisor = make_user(services, admin, "kezhang", Role.SUPERVISOR)
    auditor = make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    office = services.organisation.departments()[0].id
    staff = services.organisation.save_staff(admin, employee_no="S001", name="张三", department_id=office)
    department = services.organisation.save_department(admin, "综合科")
    clerk_id = clerk.user_id or 0

    def user() -> object:
        info = services.users.get(clerk_id)
        return (info.display_name, info.roles, info.version, info.locked_until, info.must_change_password)

    def can_log_in(password: str) -> Callable[[], object]:
        def probe() -> object:
            try:
                with monkeypatch.context() as patch:
                    patch.setattr(audit, "record", original_record)
                    services.auth.login("clerk", password)
            except Exception as exc:
                return type(exc).__name__
            return "ok"

        return probe

    def update_user() -> object:
        info = services.users.get(clerk_id)
        return services.users.update(
            admin,
            clerk_id,
            display_name=info.display_name + "一",
            roles={Role.HALL_STAFF, Role.LEADER},
            department_id=None,
            staff_id=None,
            active=True,
            expected_version=info.version,
        )

    def update_staff() -> object:
        row = services.organisation.staff()[0]
        return services.organisation.save_staff(
            admin,
            staff_id=row.id,
            expected_version=row.version,
            employee_no="S001",
            name=row.name + "丰",
            department_id=office,
            phone="13812345678",
        )

    def rename_department() -> object:
        row = next(d for d in services.organisation.departments() if d.id == department.id)
        return services.organisation.save_department(
            admin, row.name + "一", department_id=row.id, expected_version=row.version
        )

    passwords = iter(["Second#2026a", "Third#2026b", "Fourth#2026c"])
    current_password = [DEFAULT_PASSWORD]

    def change_password() -> None:
        new = next(passwords)
        services.auth.change_password("clerk", current_password[0], new)
        current_password[0] = new

    def reset_password() -> None:
        current_password[0] = services.users.reset_password(admin, clerk_id)

    backups = isolated_home.backups

    writes = [
        Write(
            "create user",
            "user.create",
            lambda: services.users.create(
                admin,
                username="newbie",
                display_name="新人",
                roles={Role.HALL_STAFF},
                password=DEFAULT_PASSWORD,
            ),
            lambda: [u.username for u in services.users.list()],
        ),
        Write("update user", "user.update", update_user, user),
        Write("reset password", "user.password_reset", reset_password, user),
        # The reset put the clerk's (leader) roles back to wait: no active leader left, the audit admin
        # confirms (services/duties).
        Write("confirm roles", "user.confirm", lambda: services.users.confirm(auditor, clerk_id), user),
        Write(
            "change password",
            "password.changed",
            change_password,
            lambda: can_log_in(current_password[0])(),
        ),
        Write("unlock", "user.unlock", lambda: services.users.unlock(admin, clerk_id), user),
        Write(
            "create department",
            "department.create",
            lambda: services.organisation.save_department(admin, "新科室"),
            lambda: [d.name for d in services.organisation.departments()],
        ),
        Write(
            "rename department",
            "department.update",
            rename_department,
            lambda: [d.name for d in services.organisation.departments()],
        ),
        Write(
            "create staff",
            "staff.create",
            lambda: services.organisation.save_staff(
                admin, employee_no="S002", name="李四", department_id=office
            ),
            lambda: [s.employee_no for s in services.organisation.staff()],
        ),
        Write(
            "update staff",
            "staff.update",
            update_staff,
            lambda: [(s.name, s.phone_masked, s.version) for s in services.organisation.staff()],
        ),
        Write(
            "settings",
            "settings.update",
            lambda: services.center.update(
                admin, {"query_phone": f"022-1234567{count(db) % 10}"}, services.center.get().versions
            ),
            lambda: services.center.get().values,
        ),
        Write(
            "reveal",
            "pii.unmask",
            lambda: services.organisation.reveal_personal_data(supervisor, staff.id, "phone", "核对联系方式"),
            lambda: None,
        ),
        Write("login", "login", lambda: services.auth.login("kezhang", DEFAULT_PASSWORD), lambda: None),
        Write(
            "failed login",
            "login.failed",
            lambda: services.auth.login("kezhang", "wrong-Password1"),
            lambda: services.users.get(supervisor.user_id or 0).version,
        ),
        Write(
            "screen lock",
            "session.locked",
            lambda: services.auth.record_screen_lock(supervisor),
            lambda: None,
        ),
        Write(
            "screen unlock",
            "session.unlocked",
            lambda: services.auth.unlock_screen(supervisor, DEFAULT_PASSWORD),
            lambda: None,
        ),
        Write("logout", "logout", lambda: services.auth.logout(supervisor), lambda: None),
        Write(
            "backup",
            "backup",
            lambda: services.maintenance.backup(admin, None, backups) if db.backend == "sqlite" else None,
            lambda: sorted(p.name for p in backups.iterdir()),
        ),
        Write("verify", "audit.verify", lambda: services.audit_log.verify(auditor), lambda: None),
    ]

    original_record = audit.record

    def refuse(*args: object, **kwargs: object) -> None:
        raise AuditDown

    for write in writes:
        if write.name == "backup" and db.backend != "sqlite":
            continue  # pg_dump is covered elsewhere; the entry is written the same way
        before_state, before_entries = write.state(), entries(db)
        with monkeypatch.context() as patch:
            patch.setattr(audit, "record", refuse)
            with pytest.raises(AuditDown):
                write.run()
        assert entries(db) == before_entries, write.name
        assert write.state() == before_state, f"{write.name}: changed without its audit entry"
        try:
            write.run()
        except Exception as exc:
            assert write.name == "failed login", (write.name, exc)
        after = entries(db)
        assert len(after) > len(before_entries), write.name
        assert write.action in [a for _, a in after[len(before_entries) :]], write.name
        assert write.state() != before_state or write.name in {
            "reveal",
            "login",
            "screen lock",
            "screen unlock",
            "logout",
            "verify",
            "failed login",
        }, write.name
    # Every action the services write has a label for the audit log screen.
    assert {a for _, a in entries(db)} <= set(ACTION_LABELS)
    assert [s for s, _ in entries(db)] == list(range(1, count(db) + 1))
    assert services.audit_log.verify(auditor).intact


def test_reading_the_audit_log(services: Services, admin: CurrentUser) -> None:
    auditor = make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    services.organisation.save_department(admin, "综合科")
    services.organisation.save_department(admin, "后勤科")
    log = services.audit_log
    total = log.count(auditor, AuditFilter())
    rows = log.page(auditor, AuditFilter(), 0, 100)
    assert len(rows) == total and [r.seq for r in rows] == sorted((r.seq for r in rows), reverse=True)
    assert rows[0].action == "department.create" and rows[0].action_label == "新建科室"
    assert rows[0].summary == {"name": "后勤科"} and rows[0].username == "sysadmin"
    assert [r.seq for r in log.page(auditor, AuditFilter(), 1, 2)] == [rows[1].seq, rows[2].seq]
    assert log.count(auditor, AuditFilter(action="department")) == 2
    assert log.count(auditor, AuditFilter(action="department.create")) == 2
    assert log.count(auditor, AuditFilter(action="depart")) == 0
    assert log.count(auditor, AuditFilter(username=" AUDITOR ")) == 1  # its login
    assert log.count(auditor, AuditFilter(text="后勤")) == 1
    first = rows[-1].at
    assert log.count(auditor, AuditFilter(since=first)) == total
    assert log.count(auditor, AuditFilter(until=first)) == 0
    with pytest.raises(PermissionDenied):
        log.count(admin, AuditFilter())
    result = log.verify(auditor)
    assert result.intact and result.checked == total
    assert log.page(auditor, AuditFilter(), 0, 1)[0].action == "audit.verify"


def test_every_audited_action_has_a_label() -> None:
    """The audit page shows actions by name: an action a service writes must have a Chinese label."""
    import re
    from pathlib import Path

    import desktop_app.services as services_package

    written = set()
    for source in Path(services_package.__file__).parent.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        written |= set(re.findall(r'self\.audit\(\s*\w+,\s*\w+,\s*"([a-z_.]+)"', text))
        written |= set(re.findall(r'audit_in\(\s*\w+,\s*\w+,\s*"([a-z_.]+)"', text))
        written |= set(re.findall(r'audit\.record\(\s*\w+,\s*[\w.]+,\s*"([a-z_.]+)"', text))
    # Actions named with a variable part are listed here by every value they take.
    written |= {"credit.import.subjects", "credit.import.records"}
    assert "credit.entry_check" in written  # the pattern does find what services write
    assert written - set(ACTION_LABELS) == set()
