"""Signing in: the first admin, lockout counted in the database (seen by every workstation), the
forced password change, the screen lock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from conftest import ADMIN_PASSWORD, DEFAULT_PASSWORD, make_user, open_test_database

from desktop_app import paths
from desktop_app.clock import SteppingClock
from desktop_app.domain.errors import (
    AccountLocked,
    AuthenticationError,
    PasswordChangeRequired,
    ValidationError,
)
from desktop_app.domain.roles import Role
from desktop_app.paths import db_dir
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.database import Database
from desktop_app.store.models import User
from tests.builders import audit_actions, last_audit_seq

DEPARTMENTS = ["办公室", "评审科", "建设工程科", "交通水利科", "政府采购科", "土地产权科", "财务科", "信息科"]


@pytest.fixture
def second_workstation(database: Database, isolated_home: paths.Locations) -> Iterator[Services]:
    other = open_test_database(database.url, isolated_home, "ws-2")
    yield Services(other)
    other.dispose()


def failed_logins(services: Services, username: str) -> int:
    with services.db.session() as session:
        return session.query(User.failed_logins).filter_by(username=username).scalar() or 0


def make_info_id(services: Services, username: str) -> int:
    return next(u.id for u in services.users.list() if u.username == username)


def test_first_admin_seeds_the_departments(services: Services) -> None:
    assert services.auth.needs_first_admin()
    with pytest.raises(ValidationError) as caught:
        services.auth.create_first_admin("sysadmin", "short")
    assert caught.value.field == "password"
    assert services.auth.needs_first_admin() and services.organisation.departments() == []

    admin = services.auth.create_first_admin(" SysAdmin ", ADMIN_PASSWORD, "王管理")
    assert admin.username == "sysadmin" and admin.roles == {Role.SYSTEM_ADMIN}
    assert admin.display_name == "王管理"
    seed = json.loads((db_dir() / "seed" / "departments.json").read_text(encoding="utf-8"))["departments"]
    assert seed == DEPARTMENTS
    assert [d.name for d in services.organisation.departments()] == DEPARTMENTS
    assert not services.auth.needs_first_admin()
    assert audit_actions(services.db) == ["init.first_admin"]

    with pytest.raises(ValidationError) as caught:
        services.auth.create_first_admin("another", ADMIN_PASSWORD)
    assert caught.value.field == "username"
    assert len(services.organisation.departments()) == 8
    assert [u.username for u in services.users.list()] == ["sysadmin"]


def test_login(services: Services, admin: CurrentUser) -> None:
    assert admin.roles == {Role.SYSTEM_ADMIN} and admin.workstation == "ws-test"
    again = services.auth.login("  SYSADMIN ", ADMIN_PASSWORD)
    assert again.user_id == admin.user_id
    with pytest.raises(AuthenticationError) as caught:
        services.auth.login("", ADMIN_PASSWORD)
    assert caught.value.field == "username"
    with pytest.raises(AuthenticationError) as caught:
        services.auth.login("sysadmin", "")
    assert caught.value.field == "password"
    with pytest.raises(AuthenticationError) as caught:
        services.auth.login("nobody", ADMIN_PASSWORD)
    assert caught.value.message.startswith("用户名或密码不正确。")
    assert services.users.get(admin.user_id or 0).last_login_at is not None
    assert audit_actions(services.db)[-1] == "login.failed"


def test_lockout_is_counted_in_the_database_for_every_workstation(
    services: Services, admin: CurrentUser, second_workstation: Services, fixed_clock: SteppingClock
) -> None:
    make_user(services, admin, "clerk", Role.HALL_STAFF)
    before = last_audit_seq(services.db)

    for attempt in range(3):
        with pytest.raises(AuthenticationError) as caught:
            services.auth.login("clerk", "wrong-Password1")
        assert "连续输错 5 次，账户将锁定 30 分钟" in caught.value.message
        assert type(caught.value) is AuthenticationError
        assert failed_logins(services, "clerk") == attempt + 1
    # The other workstation continues the same count.
    with pytest.raises(AuthenticationError):
        second_workstation.auth.login("clerk", "wrong-Password1")
    assert failed_logins(services, "clerk") == 4
    with pytest.raises(AuthenticationError):
        second_workstation.auth.login("clerk", "wrong-Password1")
    assert services.users.get(make_info_id(services, "clerk")).locked_until is not None

    # Locked for everyone, even with the right password.
    for workstation in (services, second_workstation):
        with pytest.raises(AuthenticationError):
            workstation.auth.login("clerk", DEFAULT_PASSWORD)
    fixed_clock.advance(timedelta(minutes=29, seconds=59))
    with pytest.raises(AuthenticationError):
        second_workstation.auth.login("clerk", DEFAULT_PASSWORD)
    fixed_clock.advance(timedelta(seconds=2))
    user = services.auth.login("clerk", DEFAULT_PASSWORD)
    assert user.roles == {Role.HALL_STAFF}
    info = services.users.get(user.user_id or 0)
    assert info.locked_until is None
    with services.db.session() as session:
        assert session.get(User, user.user_id).failed_logins == 0

    assert audit_actions(services.db, before) == [
        "login.failed",
        "login.failed",
        "login.failed",
        "login.failed",
        "login.failed",
        "account.locked",
        "login.refused_locked",
        "login.refused_locked",
        "login.refused_locked",
        "login",
    ]
    # After the lock the count starts again from zero.
    with pytest.raises(AuthenticationError):
        services.auth.login("clerk", "wrong-Password1")
    assert failed_logins(services, "clerk") == 1


def test_a_success_resets_the_count(services: Services, admin: CurrentUser) -> None:
    make_user(services, admin, "clerk", Role.HALL_STAFF)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            services.auth.login("clerk", "wrong-Password1")
    services.auth.login("clerk", DEFAULT_PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            services.auth.login("clerk", "wrong-Password1")
    assert failed_logins(services, "clerk") == 4
    assert services.users.get(make_info_id(services, "clerk")).locked_until is None


def test_lockout_follows_the_center_policy(
    services: Services, admin: CurrentUser, fixed_clock: SteppingClock
) -> None:
    settings = services.center.get()
    services.center.update(admin, {"max_failed_logins": 3, "lockout_minutes": 10}, settings.versions)
    make_user(services, admin, "clerk", Role.HALL_STAFF)
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            services.auth.login("clerk", "wrong-Password1")
    with pytest.raises(AuthenticationError, match="连续输错 3 次，账户将锁定 10 分钟"):
        services.auth.login("clerk", "wrong-Password1")
    with pytest.raises(AuthenticationError):
        services.auth.login("clerk", DEFAULT_PASSWORD)
    fixed_clock.advance(timedelta(minutes=10, seconds=1))
    services.auth.login("clerk", DEFAULT_PASSWORD)


def test_disabled_account_is_refused(services: Services, admin: CurrentUser) -> None:
    clerk = make_user(services, admin, "clerk", Role.HALL_STAFF)
    info = services.users.get(clerk.user_id or 0)
    services.users.update(
        admin,
        info.id,
        display_name=info.display_name,
        roles=set(info.roles),
        department_id=None,
        staff_id=None,
        active=False,
        expected_version=info.version,
    )
    with pytest.raises(AuthenticationError, match="停用"):
        services.auth.login("clerk", DEFAULT_PASSWORD)
    assert audit_actions(services.db)[-1] == "login.failed"
    # Only the password's owner learns that the account exists and is disabled.
    with pytest.raises(AuthenticationError) as caught:
        services.auth.login("clerk", "wrong-Password1")
    assert "停用" not in caught.value.message


def test_a_forced_change_says_whether_it_is_the_first_sign_in_or_a_reset(
    services: Services, admin: CurrentUser
) -> None:
    info = services.users.create(
        admin, username="newbie", display_name="新人", roles={Role.HALL_STAFF}, password="Temp#2026x"
    )
    for _attempt in range(2):  # a change given up keeps it the first sign-in
        with pytest.raises(PasswordChangeRequired) as caught:
            services.auth.login("newbie", "Temp#2026x")
        assert "第一次登录" in caught.value.message and "重置" not in caught.value.message
    with services.db.session() as session:
        assert session.get_one(User, info.id).last_login_at is None  # not signed in yet

    services.auth.change_password("newbie", "Temp#2026x", "Mine#2026yz")
    services.auth.login("newbie", "Mine#2026yz")
    temporary = services.users.reset_password(admin, info.id)
    with pytest.raises(PasswordChangeRequired) as caught:
        services.auth.login("newbie", temporary)
    assert "重置" in caught.value.message and "第一次" not in caught.value.message


def test_forced_password_change(services: Services, admin: CurrentUser) -> None:
    services.users.create(
        admin,
        username="newbie",
        display_name="新人",
        roles={Role.HALL_STAFF},
        password="Temp#2026x",
    )
    with pytest.raises(PasswordChangeRequired):
        services.auth.login("newbie", "Temp#2026x")
    assert audit_actions(services.db)[-1] == "login.password_change_required"

    with pytest.raises(AuthenticationError) as caught:
        services.auth.change_password("newbie", "Wrong#2026x", "Better#2026y")
    assert caught.value.field == "old_password" and caught.value.message.startswith("用户名或原密码不正确")
    with pytest.raises(ValidationError) as caught:
        services.auth.change_password("newbie", "Temp#2026x", "Temp#2026x")
    assert caught.value.field == "new_password"
    with pytest.raises(ValidationError) as caught:
        services.auth.change_password("newbie", "Temp#2026x", "weakweak")
    assert caught.value.field == "new_password"
    with pytest.raises(ValidationError) as caught:
        services.auth.change_password("newbie", "Temp#2026x", "Newbie#2026")
    assert caught.value.field == "new_password"  # contains the username

    services.auth.change_password("newbie", "Temp#2026x", "Better#2026y")
    assert audit_actions(services.db)[-1] == "password.changed"
    user = services.auth.login("newbie", "Better#2026y")
    assert not services.users.get(user.user_id or 0).must_change_password
    with pytest.raises(AuthenticationError):
        services.auth.login("newbie", "Temp#2026x")


def test_wrong_old_passwords_lock_the_account_too(services: Services, admin: CurrentUser) -> None:
    make_user(services, admin, "clerk", Role.HALL_STAFF)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            services.auth.change_password("clerk", "Wrong#2026x", "Better#2026y")
    with pytest.raises(AuthenticationError, match="用户名或原密码不正确"):
        services.auth.change_password("clerk", "Wrong#2026x", "Better#2026y")
    assert services.users.get(make_info_id(services, "clerk")).locked_until is not None
    with pytest.raises(AuthenticationError):
        services.auth.login("clerk", DEFAULT_PASSWORD)


def test_screen_unlock(services: Services, admin: CurrentUser) -> None:
    clerk = make_user(services, admin, "clerk", Role.HALL_STAFF)
    services.auth.record_screen_lock(clerk)
    services.auth.unlock_screen(clerk, DEFAULT_PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            services.auth.unlock_screen(clerk, "wrong-Password1")
    with pytest.raises(AccountLocked):
        services.auth.unlock_screen(clerk, "wrong-Password1")
    with pytest.raises(AccountLocked, match="请于"):
        services.auth.unlock_screen(clerk, DEFAULT_PASSWORD)
    with pytest.raises(AuthenticationError):
        services.auth.login("clerk", DEFAULT_PASSWORD)
    services.auth.logout(clerk)
    trail = audit_actions(services.db)
    assert "session.locked" in trail and "session.unlocked" in trail and trail[-1] == "logout"


def test_signing_in_does_not_make_an_open_account_form_stale(
    services: Services, admin: CurrentUser, second_workstation: Services
) -> None:
    """The admin has the account open while its owner signs in elsewhere: signing in (last login
    time, failure count) is not an edit, so the admin's save must not be refused as stale."""
    clerk = make_user(services, admin, "clerk", Role.HALL_STAFF)
    loaded = services.users.get(clerk.user_id or 0)
    second_workstation.auth.login("clerk", DEFAULT_PASSWORD)
    with pytest.raises(AuthenticationError):
        second_workstation.auth.login("clerk", "wrong-Password1")
    saved = services.users.update(
        admin,
        loaded.id,
        display_name="窗口一",
        roles={Role.HALL_STAFF},
        department_id=None,
        staff_id=None,
        active=True,
        expected_version=loaded.version,
    )
    assert saved.display_name == "窗口一"
