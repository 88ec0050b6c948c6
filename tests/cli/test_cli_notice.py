"""``integrity-desk notice``: test-page, verify and reprint, in-process and through a real process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import paths
from desktop_app.notices import files

from .conftest import ROOT_PASSWORD, USER_PASSWORD


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def issued(result) -> tuple[str, str]:
    number = re.search(r"文书编号：(\S+)", result.out)
    code = re.search(r"验证码：(\S+)", result.out)
    assert number and code, result.text
    return number.group(1), code.group(1)


def audit_actions(cli) -> list[tuple[str, str, str]]:
    from sqlalchemy import select

    from desktop_app.store.models import AuditEntry

    with cli.services() as services, services.db.session() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.object_id, AuditEntry.username)
            .where(AuditEntry.object_type == "notice")
            .order_by(AuditEntry.seq)
        ).all()
    return [tuple(row) for row in rows]


def test_help_lists_the_notice_commands(cli):
    result = cli("--help")
    for command in ("notice test-page", "notice verify", "notice reprint"):
        assert command in result.out
    sub = cli("notice", "--help")
    assert sub.code == 0
    assert "test-page" in sub.out and "verify" in sub.out and "reprint" in sub.out
    verify = cli("notice", "verify", "--help")
    assert "退出码" in verify.out and "--file" in verify.out
    assert cli("notice").code == 2


def test_test_page_issues_a_numbered_page(admin_cli, tmp_path):
    out = tmp_path / "out" / "测试页.pdf"
    result = admin_cli("notice", "test-page", "-o", str(out), user="root", password=ROOT_PASSWORD)
    assert result.code == 0, result.text
    number, code = issued(result)
    assert re.fullmatch(r"CS\d{4}-000001", number)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    text = pdf_text(out)
    assert "打印测试页" in text and number in text and code in text
    assert "某市公共资源交易中心" in text  # services.center.get()["center_name"]
    assert "系统管理员" in text  # the operator
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no .partial left
    second = admin_cli("notice", "test-page", "-o", str(out), user="root", password=ROOT_PASSWORD)
    assert issued(second)[0] == number.replace("000001", "000002")
    assert audit_actions(admin_cli) == [
        ("notice.issue", number, "root"),
        ("export", number, "root"),
        ("notice.issue", issued(second)[0], "root"),
        ("export", issued(second)[0], "root"),
    ]


@pytest.mark.parametrize(
    "role, department",
    [("hall-staff", None), ("supervisor", "评审科"), ("leader", None)],
)
def test_any_signed_in_role_may_print_a_test_page(admin_cli, tmp_path, role, department):
    assert admin_cli.add_user("someone", role, department=department).code == 0
    out = tmp_path / "t.pdf"
    result = admin_cli("notice", "test-page", "-o", str(out), user="someone", password=USER_PASSWORD)
    assert result.code == 0, result.text
    assert "测试someone" in pdf_text(out)


def test_the_audit_admin_only_reads_no_test_page(admin_cli, tmp_path):
    assert admin_cli.add_user("someone", "audit-admin").code == 0
    out = tmp_path / "t.pdf"
    result = admin_cli("notice", "test-page", "-o", str(out), user="someone", password=USER_PASSWORD)
    assert result.code == 2 and "权限" in result.err
    assert not out.exists()


def test_commands_need_an_account(admin_cli, tmp_path):
    out = tmp_path / "t.pdf"
    result = admin_cli("notice", "test-page", "-o", str(out))
    assert result.code == 2
    assert "--user" in result.err
    wrong = admin_cli("notice", "test-page", "-o", str(out), user="root", password="Wrong#2026pw")
    assert wrong.code == 2
    assert not out.exists()
    assert admin_cli("notice", "verify", "CS2026-000001", "AAAA", user="nobody", password="x").code == 2


def test_verify_genuine_and_not(admin_cli, tmp_path):
    out = tmp_path / "t.pdf"
    number, code = issued(
        admin_cli("notice", "test-page", "-o", str(out), user="root", password=ROOT_PASSWORD)
    )

    def verify(*args: str):
        return admin_cli("notice", "verify", *args, user="root", password=ROOT_PASSWORD)

    genuine = verify(number, code)
    assert genuine.code == 0, genuine.text
    assert genuine.out.startswith("真实有效")
    assert "打印测试页" in genuine.out and "某市公共资源交易中心" in genuine.out  # what it said
    assert "操作人：系统管理员" in genuine.out
    assert verify(number.lower(), code.lower().replace("-", "")).code == 0
    assert verify(number, code, "--file", str(out)).code == 0

    changed = verify(number, code[:-1] + ("A" if code[-1] != "A" else "B"))
    assert changed.code == 1
    assert changed.out.startswith("不是真实文书")
    assert "验证码" in changed.out
    assert "某市公共资源交易中心" not in changed.out  # no content without the right code

    missing = verify(number[:-1] + "9", code)
    assert missing.code == 1 and "查无此编号" in missing.out

    tampered = tmp_path / "tampered.pdf"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x20
    tampered.write_bytes(bytes(data))
    altered = verify(number, code, "--file", str(tampered))
    assert altered.code == 1 and "文件" in altered.out

    absent = verify(number, code, "--file", str(tmp_path / "nope.pdf"))
    assert absent.code == 2 and "无法读取文件" in absent.err
    assert [a for a, _, _ in audit_actions(admin_cli)].count("notice.verify") == 6


def test_reprint_is_marked_and_verifies(admin_cli, tmp_path):
    out = tmp_path / "t.pdf"
    number, code = issued(
        admin_cli("notice", "test-page", "-o", str(out), user="root", password=ROOT_PASSWORD)
    )
    copy = tmp_path / "补打.pdf"
    result = admin_cli("notice", "reprint", number, "-o", str(copy), user="root", password=ROOT_PASSWORD)
    assert result.code == 0, result.text
    assert number in result.out and code in result.out
    assert "补打" in pdf_text(copy) and "补打" not in pdf_text(out)
    check = admin_cli(
        "notice", "verify", number, code, "--file", str(copy), user="root", password=ROOT_PASSWORD
    )
    assert check.code == 0, check.text
    assert "补打次数：1" in check.out
    unknown = admin_cli(
        "notice", "reprint", "CS2026-999999", "-o", str(copy), user="root", password=ROOT_PASSWORD
    )
    assert unknown.code == 2 and "查无" in unknown.err
    assert ("notice.reprint", number, "root") in audit_actions(admin_cli)


def test_a_bad_output_path_is_refused_before_a_number_is_taken(admin_cli, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = admin_cli("notice", "test-page", "-o", str(folder), user="root", password=ROOT_PASSWORD)
    assert result.code == 2 and "文件夹" in result.err
    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = admin_cli(
        "notice", "test-page", "-o", str(a_file / "t.pdf"), user="root", password=ROOT_PASSWORD
    )
    assert result.code == 2
    ok = admin_cli("notice", "test-page", "-o", str(tmp_path / "t.pdf"), user="root", password=ROOT_PASSWORD)
    assert issued(ok)[0].endswith("-000001")  # nothing was issued by the refused attempts


def test_a_failed_write_says_the_notice_is_archived(admin_cli, tmp_path, monkeypatch):
    def refuse(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files, "write_atomic", refuse)
    out = tmp_path / "t.pdf"
    result = admin_cli("notice", "test-page", "-o", str(out), user="root", password=ROOT_PASSWORD)
    assert result.code == 2
    assert "已出具并存档" in result.err and "没有访问权限" in result.err
    assert "notice reprint CS" in result.err
    assert not out.exists()


def test_test_page_and_verify_on_both_databases(any_cli, tmp_path):
    assert any_cli.init().code == 0
    out = tmp_path / "t.pdf"
    first = any_cli("notice", "test-page", "-o", str(out), user="root", password=ROOT_PASSWORD)
    assert first.code == 0, first.text
    number, code = issued(first)
    assert number.endswith("-000001")
    result = any_cli(
        "notice", "verify", number, code, "--file", str(out), user="root", password=ROOT_PASSWORD
    )
    assert result.code == 0, result.text


def _child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTEGRITY_DESK_")}
    env[paths.HOME_ENV] = str(home)
    env["INTEGRITY_DESK_PASSWORD"] = ROOT_PASSWORD
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def _command() -> list[str]:
    beside = Path(sys.executable).parent / ("integrity-desk.exe" if os.name == "nt" else "integrity-desk")
    script = str(beside) if beside.is_file() else shutil.which("integrity-desk")
    return [script] if script else [sys.executable, "-m", "desktop_app"]


def test_through_a_real_process(admin_cli, isolated_home, tmp_path):
    """The console script on the database ``init`` made (its cheap test hash keeps sign-in fast)."""
    env = _child_env(isolated_home.home)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_command(), "--user", "root", "notice", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
        )

    out = tmp_path / "page.pdf"
    made = run("test-page", "-o", str(out))
    assert made.returncode == 0, made.stderr
    number = re.search(r"文书编号：(\S+)", made.stdout)
    code = re.search(r"验证码：(\S+)", made.stdout)
    assert number and code, made.stdout
    assert number.group(1) in pdf_text(out)
    genuine = run("verify", number.group(1), code.group(1), "--file", str(out))
    assert genuine.returncode == 0, genuine.stderr
    assert genuine.stdout.startswith("真实有效")
    fake = run("verify", number.group(1), "ABCD-EFGH-IJKL")
    assert fake.returncode == 1
    assert fake.stdout.startswith("不是真实文书")
