"""``audit verify`` (audit administrator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    Context,
    nested,
    open_services,
    out,
    sign_in,
    subparser,
)

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands

OVERVIEW = """\
  audit verify                   校验审计链（审计管理员）
"""


def register(commands: Commands) -> None:
    audit = subparser(commands, "audit", "审计日志：verify 校验审计链（审计管理员）")
    audit_commands = nested(audit, "audit_command")
    subparser(audit_commands, "verify", "从头到尾校验审计链，报告第一条异常记录").set_defaults(
        handler=cmd_audit_verify
    )


def cmd_audit_verify(ctx: Context) -> int:
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        result = services.audit_log.verify(actor)
    if result.intact:
        out(f"审计链完整：已校验 {result.checked} 条记录。")
        return EXIT_OK
    where = f"第 {result.first_bad_seq} 条记录" if result.first_bad_seq is not None else "审计链头"
    out(f"审计链校验未通过：首个异常为{where}。原因：{result.reason}（此前 {result.checked} 条校验正常）")
    return EXIT_FAILED
