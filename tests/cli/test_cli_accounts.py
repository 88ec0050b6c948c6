"""Accounts through the command line: user add, passwd, signing in, lockout, permissions."""

from __future__ import annotations

import pytest

from desktop_app.domain.roles import Role

ROOT_PASSWORD = "Boss#2026pw"
USER_PASSWORD = "Staff#2026pw"
NEW_PASSWORD = "Fresh#2026pw"

ROLE_CASES = [
    (("hall-staff",), None),
    (("supervisor",), "评审科"),
    (("leader",), None),
    (("system-admin",), None),
    (("audit-admin",), None),
    (("hall-staff", "leader"), "办公室"),
]


@pytest.mark.parametrize(("roles", "department"), ROLE_CASES)
def test_user_add_each_role(admin_cli, roles, department):
    result = admin_cli.add_user("newbie", *roles, department=department, change_required=True)
    assert result.code == 0, result.text
    assert "首次登录时须修改密码" in result.out
    with admin_cli.services() as services:
        info = next(u for u in services.users.list() if u.username == "newbie")
        assert set(info.roles) == {Role(r) for r in roles}
        assert info.display_name == "测试newbie"
        assert info.must_change_password
        assert info.department_name == (department or "")


def test_user_add_on_both_databases(any_cli):
    """init, user add and audit verify on SQLite and on PostgreSQL (--db-url)."""
    assert any_cli.init().code == 0
    for name, roles, dept in (
        ("clerk", ("hall-staff",), None),
        ("head", ("supervisor",), "政府采购科"),
        ("checker", ("audit-admin",), None),
    ):
        result = any_cli.add_user(name, *roles, department=dept)
        assert result.code == 0, result.text
    refused = any_cli.add_user("both", "system-admin", "audit-admin")
    assert refused.code == 2 and "三员分立" in refused.err
    verified = any_cli("audit", "verify", user="checker", password=USER_PASSWORD)
    assert verified.code == 0, verified.text
    assert "审计链完整" in verified.out
    with any_cli.services() as services:
        assert sorted(u.username for u in services.users.list()) == ["checker", "clerk", "head", "root"]
        head = next(u for u in services.users.list() if u.username == "head")
        assert head.department_name == "政府采购科"


@pytest.mark.parametrize(
    ("roles", "department", "message"),
    [
        (("system-admin", "audit-admin"), None, "三员分立"),
        (("system-admin", "leader"), None, "管理员账户不能同时拥有业务角色"),
        (("audit-admin", "hall-staff"), None, "管理员账户不能同时拥有业务角色"),
        (("supervisor",), None, "科室负责人必须指定所负责的科室"),
        (("chief",), None, "未知角色"),
        (("hall-staff",), "不存在的科", "找不到科室"),
    ],
)
def test_forbidden_combinations_are_refused(admin_cli, roles, department, message):
    result = admin_cli.add_user("mixed", *roles, department=department)
    assert result.code == 2
    assert message in result.err
    with admin_cli.services() as services:
        assert [u.username for u in services.users.list()] == ["root"]


def test_user_add_checks_the_password_policy_and_duplicates(admin_cli):
    weak = admin_cli.add_user("clerk", "hall-staff", password="abc")
    assert weak.code == 2 and "密码" in weak.err
    assert admin_cli.add_user("clerk", "hall-staff").code == 0
    again = admin_cli.add_user("clerk", "leader")
    assert again.code == 2 and "已存在" in again.err


def test_passwd_changes_the_password_and_clears_a_forced_change(admin_cli):
    assert admin_cli.add_user("checker", "audit-admin", change_required=True).code == 0

    forced = admin_cli("audit", "verify", user="checker", password=USER_PASSWORD)
    assert forced.code == 2
    assert "passwd" in forced.err

    wrong_old = admin_cli("passwd", user="checker", password="Nope#2026pw", stdin=NEW_PASSWORD + "\n")
    assert wrong_old.code == 2 and "原密码不正确" in wrong_old.err
    same = admin_cli("passwd", user="checker", password=USER_PASSWORD, stdin=USER_PASSWORD + "\n")
    assert same.code == 2 and "不能与原密码相同" in same.err

    changed = admin_cli("passwd", user="checker", password=USER_PASSWORD, stdin=NEW_PASSWORD + "\n")
    assert changed.code == 0, changed.text

    old = admin_cli("audit", "verify", user="checker", password=USER_PASSWORD)
    assert old.code == 2 and "用户名或密码不正确" in old.err
    new = admin_cli("audit", "verify", user="checker", password=NEW_PASSWORD)
    assert new.code == 0, new.text
    with admin_cli.services() as services:
        assert not next(u for u in services.users.list() if u.username == "checker").must_change_password


def test_commands_need_a_user_and_the_right_password(admin_cli):
    for args in (("backup",), ("audit", "verify"), ("user", "add", "x", "--role", "leader"), ("passwd",)):
        result = admin_cli(*args, password=ROOT_PASSWORD)
        assert result.code == 2, args
        assert "--user" in result.err
    wrong = admin_cli("backup", user="root", password="Wrong#2026pw")
    assert wrong.code == 2
    assert "用户名或密码不正确" in wrong.err
    unknown = admin_cli("backup", user="nobody", password=ROOT_PASSWORD)
    assert unknown.code == 2
    no_password = admin_cli("backup", user="root")  # stdin is not a terminal: no prompt
    assert no_password.code == 2
    assert "INTEGRITY_DESK_PASSWORD" in no_password.err


def test_five_wrong_passwords_lock_the_account(admin_cli):
    assert admin_cli.add_user("clerk", "hall-staff").code == 0
    for attempt in range(1, 5):
        result = admin_cli("passwd", user="clerk", password=f"Wrong#{attempt}xyz", stdin=NEW_PASSWORD + "\n")
        assert result.code == 2
        assert "连续输错 5 次，账户将锁定 30 分钟" in result.err  # the rule, never the tries left
    locked = admin_cli("audit", "verify", user="clerk", password="Wrong#5xyz")
    assert locked.code == 2
    assert "锁定" in locked.err
    still = admin_cli("passwd", user="clerk", password=USER_PASSWORD, stdin=NEW_PASSWORD + "\n")
    assert still.code == 2
    assert "如已锁定" in still.err
    unknown = admin_cli("passwd", user="nobody", password=USER_PASSWORD, stdin=NEW_PASSWORD + "\n")
    assert (unknown.code, unknown.err) == (still.code, still.err)
    with admin_cli.services() as services:
        assert next(u for u in services.users.list() if u.username == "clerk").locked_until is not None


@pytest.mark.parametrize("command", [("user", "add", "intruder", "--role", "system-admin"), ("backup",)])
def test_hall_staff_cannot_administer(admin_cli, isolated_home, tmp_path, command):
    assert admin_cli.add_user("clerk", "hall-staff").code == 0
    target = tmp_path / "copy.sqlite3"
    args = (*command, "--to", str(target)) if command == ("backup",) else command
    result = admin_cli(*args, user="clerk", password=USER_PASSWORD, stdin="Intruder#2026\n")
    assert result.code == 2
    assert "没有执行此操作的权限" in result.err
    assert not target.exists()
    assert not list(isolated_home.backups.glob("*-manual.sqlite3"))
    with admin_cli.services() as services:
        assert sorted(u.username for u in services.users.list()) == ["clerk", "root"]


def test_admins_hold_no_business_or_each_others_rights(admin_cli):
    assert admin_cli.add_user("checker", "audit-admin").code == 0
    assert admin_cli("audit", "verify", user="root", password=ROOT_PASSWORD).code == 2
    assert admin_cli("backup", user="checker", password=USER_PASSWORD).code == 2


def test_a_leader_confirms_roles_on_the_command_line(admin_cli):
    """Separation of duties: once there is a leader, the roles root gives wait for the leader."""
    assert admin_cli.add_user("boss", "leader").code == 0  # the first leader: at once
    added = admin_cli.add_user("mine", "supervisor", department="评审科", confirm=False)
    assert added.code == 0, added.text
    assert "须经确认后生效" in added.out and "user confirm mine" in added.out
    refused = admin_cli("credit", "check", "x", user="mine", password=USER_PASSWORD)
    assert refused.code == 2 and "待确认" in refused.err

    not_root = admin_cli("user", "confirm", "mine", user="root", password=ROOT_PASSWORD)
    assert not_root.code == 2
    listed = admin_cli("user", "pending", user="boss", password=USER_PASSWORD)
    assert listed.code == 0 and "mine（测试mine）：申请角色 科室负责人" in listed.out
    confirmed = admin_cli("user", "confirm", "MINE", user="boss", password=USER_PASSWORD)
    assert confirmed.code == 0, confirmed.text
    assert "角色已生效：科室负责人" in confirmed.out
    again = admin_cli("user", "confirm", "mine", user="boss", password=USER_PASSWORD)
    assert again.code == 2 and "user pending" in again.err
    with admin_cli.services() as services:
        info = next(u for u in services.users.list() if u.username == "mine")
        assert info.roles == (Role.SUPERVISOR,) and info.pending_roles == ()

    assert admin_cli.add_user("clerk", "hall-staff", confirm=False).code == 0
    declined = admin_cli("user", "confirm", "clerk", "--decline", user="boss", password=USER_PASSWORD)
    assert declined.code == 0 and "已驳回" in declined.out
    assert "没有待您确认的账户" in admin_cli("user", "pending", user="boss", password=USER_PASSWORD).out
