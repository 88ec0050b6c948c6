"""The entry point itself: help, version, usage errors, a real subprocess, db revisions, init, crashes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import __version__, paths
from desktop_app.services.maintenance import MaintenanceService
from desktop_app.store.migrate import head_revision

ALL_COMMANDS = (
    "init",
    "demo",
    "db upgrade",
    "db current",
    "backup",
    "restore",
    "audit verify",
    "user add",
    "passwd",
)


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.code == 0
    for command in ALL_COMMANDS:
        assert command in result.out, command
    assert "用法" in result.out and "数据目录" in result.out
    for option in ("--home", "--db-url", "--user", "--smoke-test", "--version"):
        assert option in result.out


@pytest.mark.parametrize("command", [["db"], ["audit"], ["user"], ["user", "add"], ["restore"], ["init"]])
def test_subcommand_help_and_usage_errors_are_chinese(cli, command):
    assert cli(*command, "--help").code == 0
    result = cli(*command)
    assert result.code == 2
    assert "错误" in result.err and "用法" in result.err


def test_version(cli):
    result = cli("--version")
    assert result.code == 0
    assert __version__ in result.out


def test_smoke_test_with_a_command_is_refused(cli):
    result = cli("--smoke-test", "db", "current")
    assert result.code == 2
    assert "--smoke-test" in result.err


def test_global_options_also_after_the_command(cli, tmp_path):
    other = tmp_path / "elsewhere"
    assert cli("init", "--admin", "root", "--home", str(other), stdin="Boss#2026pw\n").code == 0
    assert (other / "integrity-desk.sqlite3").is_file()
    assert not paths.Locations(Path(os.environ[paths.HOME_ENV])).database.exists()


def _child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTEGRITY_DESK_")}
    env[paths.HOME_ENV] = str(home)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def _console_script() -> str:
    beside = Path(sys.executable).parent / ("integrity-desk.exe" if os.name == "nt" else "integrity-desk")
    found = str(beside) if beside.is_file() else shutil.which("integrity-desk")
    if not found:
        pytest.fail("the integrity-desk console script is not installed (pip install -e .)")
    return found


@pytest.mark.parametrize("how", ["module", "script"])
def test_help_through_a_real_process(how, tmp_path):
    command = [sys.executable, "-m", "desktop_app"] if how == "module" else [_console_script()]
    proc = subprocess.run(
        [*command, "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_child_env(tmp_path),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ALL_COMMANDS:
        assert name in proc.stdout
    proc = subprocess.run(
        [*command, "--version"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_child_env(tmp_path),
        timeout=60,
    )
    assert proc.returncode == 0
    assert __version__ in proc.stdout


def test_commands_never_import_qt(tmp_path):
    """The CLI runs on a server without a display: no PySide6 on the command paths."""
    code = (
        "import sys\n"
        "from desktop_app.__main__ import main\n"
        "rc = main(['db', 'current'])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
        "raise SystemExit(rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_child_env(tmp_path),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "尚未创建" in proc.stdout


def test_db_current_before_and_after(cli, isolated_home):
    before = cli("db", "current")
    assert before.code == 0
    assert "尚未创建" in before.out
    assert not isolated_home.database.exists(), "db current must not create the database"

    upgraded = cli("db", "upgrade")
    assert upgraded.code == 0, upgraded.text
    assert f"（空数据库） → {head_revision()}" in upgraded.out

    after = cli("db", "current")
    assert after.code == 0
    assert f"数据库版本：{head_revision()}" in after.out
    assert "已是最新" in after.out

    again = cli("db", "upgrade")
    assert again.code == 0
    assert "无需升级" in again.out


def test_db_newer_than_the_program(cli, isolated_home):
    assert cli("db", "upgrade").code == 0
    with sqlite3.connect(isolated_home.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed'")
    conn.close()
    current = cli("db", "current")
    assert current.code == 0
    assert "f00dfeed" in current.out and "比本程序新" in current.out
    refused = cli("db", "upgrade")
    assert refused.code == 2
    assert "更新版本" in refused.err


def test_init_then_login(cli):
    result = cli.init()
    assert result.code == 0, result.text
    assert "root" in result.out
    with cli.services() as services:
        actor = services.auth.login("root", "Boss#2026pw")
        assert actor.display_name == "系统管理员"
        assert len(services.organisation.departments()) == 8
    # and through the CLI: the new admin can add an account
    assert cli.add_user("clerk", "hall-staff").code == 0


def test_init_refuses_when_accounts_exist(admin_cli):
    result = admin_cli.init("second", "Other#2026pw")
    assert result.code == 2
    assert "已初始化" in result.err
    with admin_cli.services() as services:
        assert [u.username for u in services.users.list()] == ["root"]


def test_init_checks_the_password_policy(cli):
    weak = cli("init", "--admin", "root", stdin="short\n")
    assert weak.code == 2
    assert "密码至少需要" in weak.err
    empty = cli("init", "--admin", "root", stdin="")
    assert empty.code == 2
    assert "标准输入" in empty.err
    # Only the trailing newline is stripped: spaces are part of the password.
    assert cli("init", "--admin", "root", stdin=" Boss#2026pw \r\n").code == 0
    with cli.services() as services:
        services.auth.login("root", " Boss#2026pw ")


def test_unexpected_error_is_logged_and_exits_70(admin_cli, monkeypatch, isolated_home):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire near 11010119900307803X")

    monkeypatch.setattr(MaintenanceService, "backup", broken)
    result = admin_cli("backup", user="root", password="Boss#2026pw")
    assert result.code == 70
    assert str(isolated_home.log_file) in result.err
    assert len(result.err.strip().splitlines()) == 1
    log = isolated_home.log_file.read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: disk on fire" in log
    assert "11010119900307803X" not in log  # the log scrubs anything that looks like an ID number


def test_gui_path_reports_a_failed_start(cli, monkeypatch, isolated_home):
    """No command starts the GUI; if it cannot even start, the user gets a line naming the log."""
    import builtins

    real_import = builtins.__import__

    def no_app(name, *args, **kwargs):
        if name == "desktop_app.app":
            raise ImportError("simulated: Qt libraries missing")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_app)
    result = cli("--smoke-test")
    assert result.code == 70
    assert str(isolated_home.log_file) in result.err


def test_unreachable_database_is_a_message_not_a_crash(cli):
    url = "postgresql+psycopg://nobody:not-logged@127.0.0.1:1/none"
    for args in (("db", "current"), ("db", "upgrade"), ("init", "--admin", "root")):
        result = cli("--db-url", url, *args, stdin="Boss#2026pw\n")
        assert result.code == 2, args
        assert "无法打开数据库（PostgreSQL 127.0.0.1:1/none）" in result.err
        assert "not-logged" not in result.err


def test_passwords_are_prompted_on_a_terminal(cli, monkeypatch):
    import getpass

    from desktop_app.cli import common as cli_module

    answers: list[str] = []
    monkeypatch.setattr(cli_module, "_stdin_is_terminal", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": answers.pop(0))

    answers[:] = ["Boss#2026pw", "Boss#2026px"]
    mismatch = cli("init", "--admin", "root")
    assert mismatch.code == 2 and "两次输入的密码不一致" in mismatch.err

    answers[:] = ["Boss#2026pw", "Boss#2026pw"]
    assert cli("init", "--admin", "root").code == 0

    answers[:] = ["Boss#2026pw"]  # INTEGRITY_DESK_PASSWORD unset: the sign-in password is prompted
    assert cli("backup", user="root").code == 0
    assert answers == []
