"""Separation of duties (三员分立): a system admin cannot give themselves a business role.

Once the center has a leader, a business role given by the system admin takes effect only when a
leader confirms it; the first leader and the first audit admin take effect at once (setting up); a
second audit admin waits for the audit admin; the audit admin only reads."""

from __future__ import annotations

import pytest
from conftest import DEFAULT_PASSWORD, make_user

from desktop_app.domain.errors import (
    AuthenticationError,
    PasswordChangeRequired,
    PermissionDenied,
    ValidationError,
)
from desktop_app.domain.roles import Permission, Role
from desktop_app.notices import test_page
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.users import UserInfo
from tests.builders import audit_actions


def add(
    services: Services, admin: CurrentUser, username: str, *roles: Role, department: str = "评审科"
) -> UserInfo:
    dept_id = next(d.id for d in services.organisation.departments() if d.name == department)
    return services.users.create(
        admin,
        username=username,
        display_name=username,
        roles=set(roles),
        password=DEFAULT_PASSWORD,
        department_id=dept_id if Role.SUPERVISOR in roles else None,
        must_change_password=False,
    )


def edit_roles(services: Services, admin: CurrentUser, info: UserInfo, *roles: Role) -> UserInfo:
    return services.users.update(
        admin,
        info.id,
        display_name=info.display_name,
        roles=set(roles),
        department_id=info.department_id,
        staff_id=info.staff_id,
        active=info.active,
        expected_version=info.version,
    )


def test_a_system_admin_cannot_unmask_through_a_supervisor_account_of_their_own(
    services: Services, admin: CurrentUser, leader: CurrentUser
) -> None:
    add(services, admin, "sysadmin-too", Role.SUPERVISOR)
    try:
        own = services.auth.login("sysadmin-too", DEFAULT_PASSWORD)
    except AuthenticationError as refused:
        assert "待确认" in refused.message
    else:
        assert not own.can(Permission.UNMASK_PERSONAL_DATA)
    pending = services.users.pending(leader)
    assert [(u.username, u.roles, u.pending_roles) for u in pending] == [
        ("sysadmin-too", (), (Role.SUPERVISOR,))
    ]
    assert audit_actions(services.db)[-1] == "login.failed"


def test_a_leader_confirms_and_the_role_takes_effect(
    services: Services, admin: CurrentUser, leader: CurrentUser
) -> None:
    info = add(services, admin, "clerk", Role.HALL_STAFF)
    assert info.roles == () and info.pending_roles == (Role.HALL_STAFF,) and info.pending_by == "sysadmin"
    with pytest.raises(PermissionDenied):
        services.users.confirm(admin, info.id)  # not the system admin
    confirmed = services.users.confirm(leader, info.id)
    assert confirmed.roles == (Role.HALL_STAFF,) and confirmed.pending_roles == ()
    assert services.auth.login("clerk", DEFAULT_PASSWORD).roles == {Role.HALL_STAFF}
    assert services.users.pending(leader) == []
    with pytest.raises(ValidationError, match="没有待确认"):
        services.users.confirm(leader, info.id)
    assert "user.confirm" in audit_actions(services.db)


def test_role_changes_of_existing_accounts_wait_too(
    services: Services, admin: CurrentUser, leader: CurrentUser, clerk: CurrentUser
) -> None:
    info = services.users.get(clerk.user_id or 0)
    changed = edit_roles(services, admin, info, Role.HALL_STAFF, Role.LEADER)
    assert changed.roles == (Role.HALL_STAFF,)  # kept meanwhile
    assert changed.pending_roles == (Role.HALL_STAFF, Role.LEADER)
    assert services.auth.login("clerk1", DEFAULT_PASSWORD).roles == {Role.HALL_STAFF}
    # A leader declines: nothing changes but the request is gone.
    declined = services.users.confirm(leader, info.id, accept=False)
    assert declined.roles == (Role.HALL_STAFF,) and declined.pending_roles == ()
    assert audit_actions(services.db)[-1] == "user.decline"
    # Taking a role away takes effect at once.
    fresh = services.users.get(info.id)
    fewer = edit_roles(services, admin, fresh, Role.HALL_STAFF)
    assert fewer.roles == (Role.HALL_STAFF,) and fewer.pending_roles == ()


def test_a_leader_cannot_confirm_their_own_roles(
    services: Services, admin: CurrentUser, leader: CurrentUser
) -> None:
    info = services.users.get(leader.user_id or 0)
    changed = edit_roles(services, admin, info, Role.LEADER, Role.HALL_STAFF)
    assert changed.roles == (Role.LEADER,)
    assert services.users.pending(leader) == []
    with pytest.raises(ValidationError, match="自己"):
        services.users.confirm(leader, info.id)
    other = make_user(services, admin, "leader2", Role.LEADER)  # confirmed by leader1
    assert set(services.users.confirm(other, info.id).roles) == {Role.LEADER, Role.HALL_STAFF}


def test_setting_up_takes_effect_at_once_and_cannot_be_reopened(
    services: Services, admin: CurrentUser
) -> None:
    # Before a leader: a center being set up.
    clerk = add(services, admin, "clerk", Role.HALL_STAFF)
    first = add(services, admin, "boss", Role.LEADER)
    assert clerk.roles == (Role.HALL_STAFF,) and first.roles == (Role.LEADER,)
    second = add(services, admin, "boss2", Role.LEADER)
    assert second.roles == () and second.pending_roles == (Role.LEADER,)
    # Taking the leader role away (or disabling every leader) does not make the next one "first".
    edit_roles(services, admin, services.users.get(first.id), Role.HALL_STAFF)
    again = add(services, admin, "boss3", Role.LEADER)
    assert again.roles == ()
    # With no active leader left, the audit admin confirms the new one.
    auditor = add(services, admin, "auditor", Role.AUDIT_ADMIN)
    assert auditor.roles == (Role.AUDIT_ADMIN,)  # the first audit admin: at once
    audit_actor = services.auth.login("auditor", DEFAULT_PASSWORD)
    # (boss: from leader to hall staff — the hall staff role is a new business role, it waits too)
    assert {u.username for u in services.users.pending(audit_actor)} == {"boss", "boss2", "boss3"}
    assert services.users.confirm(audit_actor, again.id).roles == (Role.LEADER,)
    # Now there is a leader again: the rest is theirs.
    boss3 = services.auth.login("boss3", DEFAULT_PASSWORD)
    assert {u.username for u in services.users.pending(boss3)} == {"boss", "boss2"}
    assert services.users.pending(audit_actor) == []


def test_a_second_audit_admin_waits_for_the_audit_admin(
    services: Services, admin: CurrentUser, leader: CurrentUser
) -> None:
    add(services, admin, "auditor", Role.AUDIT_ADMIN)
    auditor = services.auth.login("auditor", DEFAULT_PASSWORD)
    second = add(services, admin, "auditor2", Role.AUDIT_ADMIN)
    assert second.roles == () and second.pending_roles == (Role.AUDIT_ADMIN,)
    assert services.users.pending(leader) == []
    with pytest.raises(PermissionDenied):
        services.users.confirm(leader, second.id)
    assert services.users.confirm(auditor, second.id).roles == (Role.AUDIT_ADMIN,)
    # A system admin is the system admin's business: no confirmation.
    assert add(services, admin, "sysadmin2", Role.SYSTEM_ADMIN).roles == (Role.SYSTEM_ADMIN,)


def test_the_leaders_home_lists_the_accounts_to_confirm(
    services: Services, admin: CurrentUser, leader: CurrentUser
) -> None:
    def waiting(actor: CurrentUser) -> int:
        return {i.key: i.count for i in services.todo.items(actor)}.get("accounts.to_confirm", -1)

    assert waiting(leader) == -1  # no card while nothing waits
    add(services, admin, "clerk", Role.HALL_STAFF)
    add(services, admin, "super", Role.SUPERVISOR)
    assert waiting(leader) == 2
    assert waiting(admin) == -1
    services.users.confirm(leader, next(u.id for u in services.users.pending(leader)))
    assert waiting(leader) == 1


def test_the_audit_admin_only_reads(services: Services, admin: CurrentUser) -> None:
    add(services, admin, "auditor", Role.AUDIT_ADMIN)
    auditor = services.auth.login("auditor", DEFAULT_PASSWORD)
    page = test_page.TestPage("演示中心", services.db.now(), "ws-test", "auditor")
    with pytest.raises(PermissionDenied):
        services.notices.issue(auditor, "test_page", page)
    assert services.notices.issue(admin, "test_page", page).number.startswith("CS")


def test_a_password_reset_puts_business_roles_back_for_confirmation(
    services: Services, admin: CurrentUser, leader: CurrentUser, clerk: CurrentUser
) -> None:
    """The system admin knows the temporary password: a leader vouches before the roles work again."""
    temporary = services.users.reset_password(admin, clerk.user_id or 0)
    info = services.users.get(clerk.user_id or 0)
    assert info.roles == () and info.pending_roles == (Role.HALL_STAFF,)
    with pytest.raises(AuthenticationError, match="待确认"):
        services.auth.login("clerk1", temporary)
    services.users.confirm(leader, info.id)
    with pytest.raises(PasswordChangeRequired):
        services.auth.login("clerk1", temporary)
    # The leader's own reset waits for another leader, or the audit admin when there is none.
    services.users.reset_password(admin, leader.user_id or 0)
    assert services.users.get(leader.user_id or 0).roles == ()
    add(services, admin, "auditor", Role.AUDIT_ADMIN)
    auditor = services.auth.login("auditor", DEFAULT_PASSWORD)
    assert [u.username for u in services.users.pending(auditor)] == ["leader1"]
    # An admin account's reset changes no role.
    other_admin = add(services, admin, "sysadmin2", Role.SYSTEM_ADMIN)
    services.users.reset_password(admin, other_admin.id)
    assert services.users.get(other_admin.id).roles == (Role.SYSTEM_ADMIN,)


def test_before_any_leader_a_reset_changes_no_role(services: Services, admin: CurrentUser) -> None:
    info = add(services, admin, "clerk", Role.HALL_STAFF)
    services.users.reset_password(admin, info.id)
    assert services.users.get(info.id).roles == (Role.HALL_STAFF,)
