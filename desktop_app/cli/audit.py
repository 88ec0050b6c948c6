"""``audit verify`` and ``audit record-break`` (audit administrator).

``verify`` exits 0 when the chain is intact — also when it carries breaks on record, which it lists
every time — and 1 when it finds damage not yet recorded. ``record-break`` records such damage (what
was found, by the signed-in audit admin) and opens a new segment, so audited work resumes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    Context,
    nested,
    open_services,
    out,
    sign_in,
    subparser,
)

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands
    from desktop_app.services.audit_log import RecordedBreak
    from desktop_app.services.integrity import RowCheck

OVERVIEW = """\
  audit verify                   校验审计链（审计管理员）：含已记录的断裂与各见证
  audit record-break --found TEXT
                                 记录审计链断裂并开启新段，业务操作随即恢复（审计管理员）
"""


def register(commands: Commands) -> None:
    audit = subparser(commands, "audit", "审计日志：verify 校验审计链，record-break 记录断裂（审计管理员）")
    audit_commands = nested(audit, "audit_command")
    subparser(
        audit_commands,
        "verify",
        "从头到尾校验审计链，核对本工作站及其备份所见的链尾，报告第一条异常记录和已记录的断裂；"
        "退出码 0 完整（含已记录的断裂），1 发现未记录的损坏",
    ).set_defaults(handler=cmd_audit_verify)
    record = subparser(
        audit_commands,
        "record-break",
        "审计链损坏时，记录发现了什么（记录人为 --user 账户），并在最后一条完整记录之后开启新段；"
        "此后业务操作恢复，每次校验都会报告这处断裂",
    )
    record.add_argument(
        "--found", required=True, metavar="TEXT", help="发现了什么、如何发现（必填，最多 500 字）"
    )
    record.set_defaults(handler=cmd_audit_record_break)


def break_lines(recorded: RecordedBreak) -> list[str]:
    """A break on record in words, as verify prints it."""
    when = recorded.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    what = "从备份恢复数据库" if recorded.action == "restore" else "记录审计链断裂"
    lines = [f"  第 {recorded.seq} 条：{when} {recorded.username} {what}：{recorded.found}"]
    if recorded.reason:
        lines.append(f"    当时校验发现：{recorded.reason}")
    if recorded.seq > recorded.last_good_seq + 1:
        gap = f"    第 {recorded.last_good_seq + 1}–{recorded.seq - 1} 条不在链上"
        if recorded.damaged_rows:
            gap += f"（其中 {recorded.damaged_rows} 行异常记录保留为证据）"
        lines.append(gap)
    return lines


def cmd_audit_verify(ctx: Context) -> int:
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        result = services.audit_log.verify(actor)
        rows = services.integrity.verify_rows(actor)
    if result.intact:
        breaks = f"（含 {len(result.breaks)} 处已记录的断裂）" if result.breaks else ""
        out(f"审计链完整：已校验 {result.checked} 条记录{breaks}，核对见证 {result.witnesses} 份。")
    else:
        where = f"第 {result.first_bad_seq} 条记录" if result.first_bad_seq is not None else "审计链头"
        out(f"审计链校验未通过：首个异常为{where}。原因：{result.reason}（此前 {result.checked} 条校验正常）")
    if result.breaks:
        out("已记录的断裂：")
        for recorded in result.breaks:
            for line in break_lines(recorded):
                out(line)
    for note in result.notes:
        out(f"注意：{note}")
    rows_sound = report_business_rows(rows)
    if result.intact:
        return EXIT_OK if rows_sound else EXIT_FAILED
    out(
        f"核查后，审计管理员可记录断裂以恢复业务操作：{PROG} --user {actor.username} audit record-break "
        '--found "发现了什么"'
    )
    return EXIT_FAILED


def cmd_audit_record_break(ctx: Context) -> int:
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        recorded = services.audit_log.record_break(actor, ctx.args.found)
    out(
        f"已记录审计链断裂：新段自第 {recorded.seq} 条起，接在最后一条完整记录（第 {recorded.last_good_seq} 条）之后。"
        "业务操作可以继续；此后每次校验都会报告这处断裂。"
    )
    out(f"当时校验发现：{recorded.reason}")
    return EXIT_OK


def report_business_rows(check: RowCheck) -> bool:
    """Prints what the check of the business rows (MACs) and personal data (its place) found, every
    failing id; says whether everything was sound."""
    if check.sound:
        out(f"业务数据完整：已校验 {check.checked} 行校验码、{check.personal_checked} 行个人信息。")
        return True
    total = sum(len(f.ids) for f in check.failing)
    out(f"业务数据校验未通过：{total} 行异常（数据库中的数据被改动过），请勿依据这些数据出具结论。")
    for failing in check.failing:
        ids = "、".join(str(i) for i in failing.ids)
        out(f"  {failing.label}（{failing.table}）{failing.problem}：{len(failing.ids)} 行，编号 {ids}")
    return False
