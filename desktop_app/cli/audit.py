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
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services

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
        rows_sound = verify_business_rows(services, actor)
    if result.intact:
        out(f"审计链完整：已校验 {result.checked} 条记录。")
        return EXIT_OK if rows_sound else EXIT_FAILED
    where = f"第 {result.first_bad_seq} 条记录" if result.first_bad_seq is not None else "审计链头"
    out(f"审计链校验未通过：首个异常为{where}。原因：{result.reason}（此前 {result.checked} 条校验正常）")
    return EXIT_FAILED


def verify_business_rows(services: Services, actor: CurrentUser) -> bool:
    """The business rows against their MACs, personal data against its place; prints the failures
    (every id) and says whether everything was sound."""
    check = services.integrity.verify_rows(actor)
    if check.sound:
        out(f"业务数据完整：已校验 {check.checked} 行校验码、{check.personal_checked} 行个人信息。")
        return True
    total = sum(len(f.ids) for f in check.failing)
    out(f"业务数据校验未通过：{total} 行异常（数据库中的数据被改动过），请勿依据这些数据出具结论。")
    for failing in check.failing:
        ids = "、".join(str(i) for i in failing.ids)
        out(f"  {failing.label}（{failing.table}）{failing.problem}：{len(failing.ids)} 行，编号 {ids}")
    return False
