"""``audit verify`` and ``audit record-break`` on a damaged chain, on SQLite and PostgreSQL (issue 10).

A junk row appended at the end of ``audit_log`` used to make every command that signs in fail with
"数据与已有记录冲突"; now business commands are refused with whom to call, the audit admin verifies
(exit 1) and records the break, and verify lists the break (exit 0) from then on."""

from __future__ import annotations

from tests.builders import append_junk_audit_row

from .conftest import ROOT_PASSWORD, USER_PASSWORD


def _append_junk(cli) -> int:
    with cli.services() as services:
        return append_junk_audit_row(services.db)


def test_a_junk_row_is_recorded_as_a_break_and_the_hall_resumes(any_cli):
    assert any_cli.init().code == 0
    assert any_cli.add_user("checker", "audit-admin").code == 0
    junk = _append_junk(any_cli)

    refused = any_cli.add_user("clerk", "hall-staff")
    assert refused.code == 2
    assert "审计日志已损坏" in refused.err and "请联系审计管理员（测试checker）" in refused.err
    assert "数据与已有记录冲突" not in refused.text

    broken = any_cli("audit", "verify", user="checker", password=USER_PASSWORD)
    assert broken.code == 1, broken.text
    assert f"首个异常为第 {junk} 条记录" in broken.out
    assert "audit record-break" in broken.out

    missing = any_cli("audit", "record-break", user="checker", password=USER_PASSWORD)
    assert missing.code == 2 and "--found" in missing.err
    by_root = any_cli("audit", "record-break", "--found", "x", user="root", password=ROOT_PASSWORD)
    assert by_root.code == 2 and "审计日志已损坏" in by_root.err  # only the audit admin signs in

    recorded = any_cli(
        "audit",
        "record-break",
        "--found",
        "日志末尾有一条无法核实的记录",
        user="checker",
        password=USER_PASSWORD,
    )
    assert recorded.code == 0, recorded.text
    assert f"新段自第 {junk + 1} 条起" in recorded.out and f"（第 {junk - 1} 条）" in recorded.out

    assert any_cli.add_user("clerk", "hall-staff").code == 0
    for _ in range(2):  # forever after
        verified = any_cli("audit", "verify", user="checker", password=USER_PASSWORD)
        assert verified.code == 0, verified.text
        assert "审计链完整" in verified.out and "含 1 处已记录的断裂" in verified.out
        assert (
            f"第 {junk + 1} 条：" in verified.out
            and "checker 记录审计链断裂：日志末尾有一条无法核实的记录" in verified.out
        )
        assert f"第 {junk} 条不在链上" in verified.out or f"第 {junk}–{junk} 条不在链上" in verified.out
        assert "1 行异常记录保留为证据" in verified.out


def test_record_break_on_an_intact_chain_is_refused(any_cli):
    assert any_cli.init().code == 0
    assert any_cli.add_user("checker", "audit-admin").code == 0
    result = any_cli("audit", "record-break", "--found", "演练", user="checker", password=USER_PASSWORD)
    assert result.code == 2 and "没有需要记录的断裂" in result.err
