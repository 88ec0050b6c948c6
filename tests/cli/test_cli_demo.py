"""``demo`` through the command line, and what the log file may never contain."""

from __future__ import annotations

import re

import pytest

from desktop_app import paths
from desktop_app.services import demo
from desktop_app.services.demo import AUDITOR, SYSADMIN, demo_people
from desktop_app.services.demo.people import STEPS as PEOPLE_STEPS

ROOT_PASSWORD = "Boss#2026pw"
USER_PASSWORD = "Staff#2026pw"
NEW_PASSWORD = "Fresh#2026pw"


def _accounts(output: str) -> dict[str, list[str]]:
    """username → [roles, name, department, password] from the printed table."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("用户名"))
    table = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        username, *rest = re.split(r"\s{2,}", line.strip())
        table[username] = rest
    return table


@pytest.fixture
def people_only(monkeypatch):
    """For tests about the command (accounts, refusals, what a kill leaves): the demo's center, staff
    and accounts only. The whole build (about a minute) is tested by tests/test_demo.py, and through
    this command by the audit-verify and log tests below."""
    monkeypatch.setattr(demo, "STEPS", list(PEOPLE_STEPS))


def test_demo_is_deterministic(cli, tmp_path, people_only):
    first = cli("--home", str(tmp_path / "one"), "demo")
    second = cli("--home", str(tmp_path / "two"), "demo")
    assert first.code == 0, first.text
    assert second.code == 0, second.text
    table = _accounts(first.out)
    assert table == _accounts(second.out)
    assert len(table) >= 30
    assert {SYSADMIN, AUDITOR} <= set(table)
    assert str(tmp_path / "one") in first.out

    staff_names = []
    for home in ("one", "two"):
        cli.where = paths.Locations(tmp_path / home)
        with cli.services() as services:
            staff_names.append(
                [(s.employee_no, s.name, s.department_name, s.post) for s in services.organisation.staff()]
            )
    assert staff_names[0] == staff_names[1]
    assert [name for _, name, _, _ in staff_names[0]] == [p.name for p in demo_people()]


def test_demo_database_passes_audit_verify(cli, isolated_home):
    result = cli("demo")
    assert result.code == 0, result.text
    table = _accounts(result.out)
    verified = cli("audit", "verify", user=AUDITOR, password=table[AUDITOR][-1])
    assert verified.code == 0, verified.text
    assert "审计链完整" in verified.out
    # every role can sign in with the printed password, without a forced change
    for username, (roles, *_rest, password) in table.items():
        if username in (SYSADMIN, AUDITOR):
            continue
        if "中心领导" in roles or "科室负责人" in roles:
            refused = cli("backup", user=username, password=password)
            assert refused.code == 2 and "权限" in refused.err, username
    backup = cli("backup", user=SYSADMIN, password=table[SYSADMIN][-1])
    assert backup.code == 0, backup.text


def test_demo_refuses_existing_data_unless_forced(cli, isolated_home, people_only):
    assert cli.init().code == 0
    refused = cli("demo")
    assert refused.code == 2
    assert "--force" in refused.err
    with cli.services() as services:
        assert [u.username for u in services.users.list()] == ["root"]
    old_key = isolated_home.default_key_file.read_bytes()

    forced = cli("demo", "--force")
    assert forced.code == 0, forced.text
    assert "原数据库已备份到" in forced.out
    assert len(list(isolated_home.backups.glob("*-before-demo.sqlite3"))) == 1
    aside = list(isolated_home.default_key_file.parent.glob("*.before-demo-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == old_key
    assert isolated_home.default_key_file.read_bytes() != old_key
    with cli.services() as services:
        names = {u.username for u in services.users.list()}
    assert "root" not in names and SYSADMIN in names


def test_demo_force_leaves_databases_outside_the_home_alone(cli, tmp_path):
    outside = tmp_path / "production.sqlite3"
    result = cli("--db-url", f"sqlite:///{outside.as_posix()}", "demo", "--force")
    assert result.code == 2
    assert "不在数据目录" in result.err
    assert not outside.exists()


def test_no_password_or_personal_data_in_the_log(cli, isolated_home, tmp_path):
    assert cli.init().code == 0
    assert cli.add_user("clerk", "hall-staff", change_required=True).code == 0
    assert cli("passwd", user="clerk", password="Guess#1wrong", stdin=NEW_PASSWORD + "\n").code == 2
    assert cli("passwd", user="clerk", password=USER_PASSWORD, stdin=NEW_PASSWORD + "\n").code == 0
    assert cli("backup", user="clerk", password=NEW_PASSWORD).code == 2
    demo_home = tmp_path / "demo-home"
    demo = cli("--home", str(demo_home), "demo")
    assert demo.code == 0
    passwords = [ROOT_PASSWORD, USER_PASSWORD, NEW_PASSWORD, "Guess#1wrong"]
    passwords += [row[-1] for row in _accounts(demo.out).values()]

    logs = [*isolated_home.logs.glob("*.log*"), *(demo_home / "logs").glob("*.log*")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in logs)
    assert "command demo" in text and "command passwd" in text
    for secret in passwords:
        assert secret not in text
    for person in demo_people():
        assert person.id_number not in text
        assert person.phone not in text
    assert "\n".join(demo.out.splitlines()).count(demo_people()[0].id_number) == 0


def _accounts_in(folder) -> int:
    """Accounts in any SQLite file of the folder (the database, or a demo being built beside it)."""
    import sqlite3

    most = 0
    for candidate in folder.glob("integrity-desk.sqlite3*"):
        if candidate.name.endswith(("-wal", "-shm", "-journal")):
            continue
        try:
            conn = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True, timeout=0.2)
            try:
                most = max(most, conn.execute("SELECT count(*) FROM users").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:
            continue
    return most


def test_a_demo_killed_half_way_leaves_nothing_that_a_plain_demo_refuses(cli, tmp_path, people_only):
    """Issue 10 item 13: a kill while the demo center is being built, then ``demo`` again."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    home = tmp_path / "hall"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "--home", str(home), "demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while _accounts_in(home) < 5:  # half-way: some accounts made, the center not finished
            assert child.poll() is None, "the demo finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    again = cli("--home", str(home), "demo")
    assert again.code == 0, again.text
    assert [p.name for p in home.iterdir() if "partial" in p.name] == []
