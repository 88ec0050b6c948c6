"""Accounts, departments, staff and center settings as the system admin manages them: permission
checks, 三员分立 at the service, unique clashes naming the field, and stale saves between two
workstations refused with the name of whoever saved first, nothing overwritten."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import DEFAULT_PASSWORD, make_user, open_test_database
from sqlalchemy import select

from desktop_app import paths
from desktop_app.domain.errors import (
    Conflict,
    NotFound,
    PasswordChangeRequired,
    PermissionDenied,
    StaleEdit,
    ValidationError,
)
from desktop_app.domain.passwords import PasswordPolicy
from desktop_app.domain.roles import Role
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.models import AuditEntry, Department
from tests.builders import SAMPLE_ID, audit_actions

PHONE = "13812345678"
ID_NUMBER = SAMPLE_ID


def dept_id(services: Services, name: str = "评审科") -> int:
    return next(d.id for d in services.organisation.departments() if d.name == name)


@pytest.fixture
def other(
    services: Services, admin: CurrentUser, isolated_home: paths.Locations
) -> Iterator[tuple[Services, CurrentUser]]:
    """A second workstation with a second system admin signed in."""
    make_user(services, admin, "admin2", Role.SYSTEM_ADMIN)
    database = open_test_database(services.db.url, isolated_home, "ws-2")
    there = Services(database)
    yield there, there.auth.login("admin2", DEFAULT_PASSWORD)
    database.dispose()


def test_who_may_do_what(services: Services, admin: CurrentUser) -> None:
    hall = make_user(services, admin, "clerk", Role.HALL_STAFF)
    auditor = make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    supervisor = make_user(services, admin, "kezhang", Role.SUPERVISOR)
    staff = services.organisation.save_staff(
        admin, employee_no="S001", name="张三", department_id=dept_id(services), phone=PHONE
    )
    settings = services.center.get()
    for actor in (hall, auditor, supervisor):
        with pytest.raises(PermissionDenied):
            services.users.create(
                actor, username="x1", display_name="x", roles={Role.HALL_STAFF}, password=DEFAULT_PASSWORD
            )
        with pytest.raises(PermissionDenied):
            services.users.reset_password(actor, admin.user_id or 0)
        with pytest.raises(PermissionDenied):
            services.center.update(actor, {"center_name": "别的中心"}, settings.versions)
        with pytest.raises(PermissionDenied):
            services.organisation.save_department(actor, "新科室")
        with pytest.raises(PermissionDenied):
            services.organisation.save_staff(actor, employee_no="S9", name="x", department_id=1)
        with pytest.raises(PermissionDenied):
            services.maintenance.backup(actor, None, paths.locations().backups)
    # The system admin runs the system but sees no personal data in clear and cannot read the audit log.
    with pytest.raises(PermissionDenied):
        services.organisation.reveal_personal_data(admin, staff.id, "phone", "核对联系方式")
    with pytest.raises(PermissionDenied):
        services.organisation.reveal_personal_data(hall, staff.id, "phone", "核对联系方式")
    with pytest.raises(PermissionDenied):
        services.audit_log.verify(admin)
    with pytest.raises(PermissionDenied):
        services.audit_log.page(admin, AuditFilter(), 0, 10)
    assert services.audit_log.verify(auditor).intact
    assert services.organisation.reveal_personal_data(supervisor, staff.id, "phone", "核对联系方式") == PHONE
    assert services.center.get()["center_name"] == settings["center_name"]
    assert [u.username for u in services.users.list()] == ["auditor", "clerk", "kezhang", "sysadmin"]


def test_role_rules_at_the_service(services: Services, admin: CurrentUser) -> None:
    def create(username: str, roles: set[Role], **links: int | None) -> object:
        return services.users.create(
            admin, username=username, display_name=username, roles=roles, password=DEFAULT_PASSWORD, **links
        )

    for roles, field in (
        ({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}, "roles"),
        ({Role.SYSTEM_ADMIN, Role.HALL_STAFF}, "roles"),
        ({Role.AUDIT_ADMIN, Role.LEADER}, "roles"),
        ({Role.SUPERVISOR}, "department"),
        (set(), "roles"),
    ):
        with pytest.raises(ValidationError) as caught:
            create("u1", roles)
        assert caught.value.field == field, roles
    staff = services.organisation.save_staff(
        admin, employee_no="S001", name="李科长", department_id=dept_id(services, "财务科")
    )
    # A supervisor linked to a staff member heads that person's department.
    head = create("kezhang", {Role.SUPERVISOR}, staff_id=staff.id)
    assert (head.department_name, head.staff_name) == ("财务科", "李科长")  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as caught:
        create("kezhang2", {Role.HALL_STAFF}, staff_id=staff.id)
    assert caught.value.field == "staff"
    with pytest.raises(ValidationError) as caught:
        create("u2", {Role.HALL_STAFF}, department_id=9999)
    assert caught.value.field == "department"
    with pytest.raises(ValidationError) as caught:
        services.users.create(
            admin, username="u3", display_name="u3", roles={Role.HALL_STAFF}, password="U3#passwordx"
        )
    assert caught.value.field == "password"  # contains the username
    with pytest.raises(ValidationError) as caught:
        create("bad name!", {Role.HALL_STAFF})
    assert caught.value.field == "username"
    with pytest.raises(ValidationError) as caught:
        services.users.create(
            admin, username="u4", display_name=" ", roles={Role.HALL_STAFF}, password=DEFAULT_PASSWORD
        )
    assert caught.value.field == "display_name"
    assert [u.username for u in services.users.list()] == ["kezhang", "sysadmin"]


def test_unique_clashes_name_the_field(services: Services, admin: CurrentUser) -> None:
    make_user(services, admin, "clerk", Role.HALL_STAFF)
    with pytest.raises(ValidationError) as caught:
        services.users.create(
            admin, username="CLERK", display_name="x", roles={Role.HALL_STAFF}, password=DEFAULT_PASSWORD
        )
    assert caught.value.field == "username"
    with pytest.raises(ValidationError) as caught:
        services.organisation.save_department(admin, " 办公室 ")
    assert caught.value.field == "name"
    office = dept_id(services, "信息科")
    with pytest.raises(ValidationError) as caught:
        services.organisation.save_department(admin, "办公室", department_id=office)
    assert caught.value.field == "name"
    services.organisation.save_staff(admin, employee_no="S001", name="张三", department_id=office)
    with pytest.raises(ValidationError) as caught:
        services.organisation.save_staff(admin, employee_no="S001", name="李四", department_id=office)
    assert caught.value.field == "employee_no"
    # A clash the checks could not see coming (another workstation inserted meanwhile) still comes
    # back as a DomainError naming the field, not as a database error.
    with (
        pytest.raises(Conflict) as conflict,
        services.organisation.write("已有同名科室。", "name") as session,
    ):
        session.add(Department(name="办公室", sort_order=99, updated_by="x"))
    assert conflict.value.field == "name" and conflict.value.message == "已有同名科室。"
    assert len(services.organisation.departments()) == 8


def test_stale_user_save_is_refused_naming_who(
    services: Services, admin: CurrentUser, other: tuple[Services, CurrentUser]
) -> None:
    there, admin2 = other
    clerk = make_user(services, admin, "clerk", Role.HALL_STAFF)
    loaded = services.users.get(clerk.user_id or 0)
    changed = there.users.update(
        admin2,
        loaded.id,
        display_name="窗口二",
        roles={Role.HALL_STAFF, Role.SUPERVISOR},
        department_id=dept_id(services),
        staff_id=None,
        active=True,
        expected_version=loaded.version,
    )
    assert changed.roles == (Role.HALL_STAFF, Role.SUPERVISOR) and changed.version > loaded.version
    with pytest.raises(StaleEdit) as caught:
        services.users.update(
            admin,
            loaded.id,
            display_name="窗口一",
            roles={Role.LEADER},
            department_id=None,
            staff_id=None,
            active=True,
            expected_version=loaded.version,
        )
    assert "admin2" in caught.value.message
    now = services.users.get(loaded.id)
    assert (now.display_name, now.roles) == ("窗口二", (Role.HALL_STAFF, Role.SUPERVISOR))
    assert now.department_name == "评审科"
    # With the fresh version the change goes through; roles are replaced, not added to.
    done = services.users.update(
        admin,
        loaded.id,
        display_name="窗口一",
        roles={Role.LEADER},
        department_id=None,
        staff_id=None,
        active=True,
        expected_version=now.version,
    )
    assert done.roles == (Role.LEADER,)
    assert services.auth.login("clerk", DEFAULT_PASSWORD).roles == {Role.LEADER}


def test_an_admin_cannot_lock_themselves_out(services: Services, admin: CurrentUser) -> None:
    me = services.users.get(admin.user_id or 0)
    for roles, active in (({Role.SYSTEM_ADMIN}, False), ({Role.LEADER}, True)):
        with pytest.raises(ValidationError):
            services.users.update(
                admin,
                me.id,
                display_name=me.display_name,
                roles=roles,
                department_id=None,
                staff_id=None,
                active=active,
                expected_version=me.version,
            )
    with pytest.raises(NotFound):
        services.users.get(9999)


def test_reset_and_unlock(services: Services, admin: CurrentUser) -> None:
    clerk = make_user(services, admin, "clerk", Role.HALL_STAFF)
    for _ in range(5):
        with pytest.raises(Exception):  # noqa: B017 - wrong passwords until locked
            services.auth.login("clerk", "wrong-Password1")
    assert services.users.get(clerk.user_id or 0).locked_until is not None
    services.users.unlock(admin, clerk.user_id or 0)
    assert audit_actions(services.db)[-1] == "user.unlock"
    assert services.users.get(clerk.user_id or 0).locked_until is None
    services.auth.login("clerk", DEFAULT_PASSWORD)

    temporary = services.users.reset_password(admin, clerk.user_id or 0)
    assert audit_actions(services.db)[-1] == "user.password_reset"
    PasswordPolicy().check(temporary, "clerk")
    with pytest.raises(PasswordChangeRequired):
        services.auth.login("clerk", temporary)
    services.auth.change_password("clerk", temporary, "Mine#2026xy")
    services.auth.login("clerk", "Mine#2026xy")
    with pytest.raises(NotFound):
        services.users.unlock(admin, 9999)


# -- departments and staff ----------------------------------------------------------------------
def test_stale_department_save(
    services: Services, admin: CurrentUser, other: tuple[Services, CurrentUser]
) -> None:
    there, admin2 = other
    created = services.organisation.save_department(admin, "综合科")
    assert created.sort_order == 8 and created.version == 1
    renamed = there.organisation.save_department(
        admin2, "综合业务科", department_id=created.id, expected_version=created.version
    )
    assert renamed.version == created.version + 1
    with pytest.raises(StaleEdit) as caught:
        services.organisation.save_department(
            admin, "综合服务科", department_id=created.id, expected_version=created.version
        )
    assert "admin2" in caught.value.message
    assert [d.name for d in services.organisation.departments() if d.id == created.id] == ["综合业务科"]
    # A department with active staff cannot be switched off.
    services.organisation.save_staff(admin, employee_no="S001", name="张三", department_id=created.id)
    with pytest.raises(ValidationError) as refused:
        services.organisation.save_department(
            admin, "综合业务科", department_id=created.id, active=False, expected_version=renamed.version
        )
    assert refused.value.field == "active"
    assert services.organisation.departments(include_inactive=False)[-1].staff_count == 1


def test_stale_staff_save(
    services: Services, admin: CurrentUser, other: tuple[Services, CurrentUser]
) -> None:
    there, admin2 = other
    office = dept_id(services)
    loaded = services.organisation.save_staff(
        admin, employee_no="S001", name="张三", department_id=office, phone=PHONE, id_number=ID_NUMBER
    )
    there.organisation.save_staff(
        admin2,
        staff_id=loaded.id,
        expected_version=loaded.version,
        employee_no="S001",
        name="张三",
        department_id=office,
        phone="13900001111",
    )
    with pytest.raises(StaleEdit) as caught:
        services.organisation.save_staff(
            admin,
            staff_id=loaded.id,
            expected_version=loaded.version,
            employee_no="S001",
            name="张三丰",
            department_id=office,
            post="窗口",
        )
    assert "admin2" in caught.value.message
    now = services.organisation.staff()[0]
    assert (now.name, now.post, now.phone_masked, now.updated_by) == ("张三", "", "139****1111", "admin2")
    assert now.id_number_masked == "4403**********1234"


def test_staff_input_is_checked(services: Services, admin: CurrentUser) -> None:
    office = dept_id(services)
    for values, field in (
        ({"phone": "12345"}, "phone"),
        ({"id_number": "440301199001011235"}, "id_number"),
        ({"employee_no": " "}, "employee_no"),
        ({"name": "名" * 51}, "name"),
        ({"department_id": None}, "department"),
        ({"department_id": 9999}, "department"),
    ):
        arguments: dict[str, object] = {"employee_no": "S001", "name": "张三", "department_id": office}
        arguments.update(values)
        with pytest.raises(ValidationError) as caught:
            services.organisation.save_staff(admin, **arguments)  # type: ignore[arg-type]
        assert caught.value.field == field, values
    assert services.organisation.staff() == []
    made = services.organisation.save_staff(
        admin,
        employee_no=" S001 ",
        name=" 张三 ",
        department_id=office,
        phone="+86 138-1234-5678",
        id_number=ID_NUMBER.lower(),
    )
    assert (made.employee_no, made.name, made.phone_masked) == ("S001", "张三", "138****5678")


def test_revealing_personal_data_is_audited_with_its_reason(services: Services, admin: CurrentUser) -> None:
    staff = services.organisation.save_staff(
        admin,
        employee_no="S001",
        name="张三",
        department_id=dept_id(services),
        phone=PHONE,
        id_number=ID_NUMBER,
    )
    supervisor = make_user(services, admin, "kezhang", Role.SUPERVISOR)
    for reason in ("", "看看", "x" * 201):
        with pytest.raises(ValidationError) as caught:
            services.organisation.reveal_personal_data(supervisor, staff.id, "id_number", reason)
        assert caught.value.field == "reason"
    with pytest.raises(ValidationError):
        services.organisation.reveal_personal_data(supervisor, staff.id, "password_hash", "核对身份信息")
    assert (
        services.organisation.reveal_personal_data(supervisor, staff.id, "id_number", "核对身份信息")
        == ID_NUMBER
    )
    rows = services.audit_log.page(
        make_user(services, admin, "auditor", Role.AUDIT_ADMIN), AuditFilter(), 0, 50
    )
    unmask = [r for r in rows if r.action == "pii.unmask"]
    assert len(unmask) == 1
    assert unmask[0].username == "kezhang" and unmask[0].summary == {
        "field": "id_number",
        "reason": "核对身份信息",
    }
    # Personal data never reaches the audit log in clear.
    with services.db.session() as session:
        text = " ".join(session.scalars(select(AuditEntry.summary)))
    assert PHONE not in text and ID_NUMBER not in text
    assert any(r.action == "staff.create" and r.summary["phone"] == "（已填写）" for r in rows)


# -- center settings ------------------------------------------------------------------------------
def test_center_settings(services: Services, admin: CurrentUser, other: tuple[Services, CurrentUser]) -> None:
    there, admin2 = other
    loaded = services.center.get()
    assert loaded["center_name"] == "某市公共资源交易中心" and loaded.policy == PasswordPolicy()
    first = services.center.update(admin, {"center_name": "天津市公共资源交易中心"}, loaded.versions)
    assert audit_actions(services.db)[-1] == "settings.update"
    assert first["center_name"] == "天津市公共资源交易中心"
    seen_there = there.center.get()
    there.center.update(
        admin2, {"query_phone": "022-12345678", "password_min_length": 10}, seen_there.versions
    )

    # The first workstation still holds the form it loaded first: its save is refused.
    with pytest.raises(StaleEdit) as caught:
        services.center.update(admin, {"center_name": "天津市公共资源交易中心（新）"}, loaded.versions)
    assert "sysadmin" in caught.value.message
    with pytest.raises(StaleEdit) as caught:
        services.center.update(
            admin, {"center_name": "天津市公共资源交易中心", "query_phone": "022-87654321"}, first.versions
        )
    assert "admin2" in caught.value.message
    now = services.center.get()
    assert (now["center_name"], now["query_phone"]) == ("天津市公共资源交易中心", "022-12345678")
    # The policy in force is the stored one.
    assert now.policy.min_length == 10
    with pytest.raises(ValidationError):
        services.users.create(
            admin, username="u1", display_name="u", roles={Role.HALL_STAFF}, password="Abcdef#12"
        )
    # Unchanged values do not count as edits.
    unchanged = services.center.update(admin, {"center_name": "天津市公共资源交易中心"}, {})
    assert unchanged.versions == now.versions


def test_center_settings_are_validated(services: Services, admin: CurrentUser) -> None:
    versions = services.center.get().versions
    for key, value in (
        ("center_name", " "),
        ("center_name", "名" * 61),
        ("password_min_length", 7),
        ("password_min_classes", 5),
        ("lockout_minutes", "abc"),
        ("max_failed_logins", None),
        ("no_such_setting", 1),
    ):
        with pytest.raises(ValidationError) as caught:
            services.center.update(admin, {key: value}, versions)
        assert caught.value.field == key
    assert services.center.get().versions == versions
