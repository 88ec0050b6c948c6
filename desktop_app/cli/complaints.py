"""Complaints: ``complaint import FILE`` (12345 transfers), ``complaint show NUMBER|CODE`` and
``complaint template FILE``. The receipt is printed by ``notice complaint-receipt`` (cli/notices.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    Context,
    format_table,
    nested,
    one_line,
    open_services,
    out,
    sign_in,
    subparser,
)
from desktop_app.domain.complaints import EXTENSION_STATE_LABELS
from desktop_app.domain.errors import ValidationError

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands
    from desktop_app.services.complaints import ComplaintInfo
    from desktop_app.services.complaints.importing import ImportedCase

OVERVIEW = """\
  complaint import FILE [--json] [--skip-bad]
                                 从 .xlsx、.csv 或 .jsonl 导入 12345 转办投诉，列出编号和办理期限
  complaint show NUMBER|CODE [--json]
                                 按投诉编号或查询码查看投诉及办理记录（个人信息打码）
  complaint template FILE        生成 12345 转办投诉导入模板（.xlsx 或 .csv）
"""

PROVISIONAL = "（暂定：该年尚未登记放假安排）"


def register(commands: Commands) -> None:
    complaint = subparser(
        commands,
        "complaint",
        "服务投诉：import 导入 12345 转办投诉，show 查看投诉，template 生成导入模板",
    )
    complaint_commands = nested(complaint, "complaint_command")
    importing = subparser(
        complaint_commands,
        "import",
        "从 .xlsx、.csv 或 JSON lines（.jsonl，每行一个对象）导入 12345 转办投诉（可受理投诉的账户）。"
        "列或键：渠道、收到时间、投诉人、联系电话、身份证号、被投诉对象、类别、时限类别、事实、诉求。"
        "被投诉对象可以是科室、在职工作人员姓名（重名时写“姓名（科室）”）、市场主体名称或统一社会信用代码。"
        "逐行检查，列出有误的行（行号、列名、原因）；有误时不导入任何数据，除非加 --skip-bad。"
        "每件投诉按文件顺序编号，从收到次日起算办理期限；不出具受理回执（需要时用 notice complaint-receipt 打印）。"
        "收到时间、事实和联系电话与已登记投诉相同的行跳过。"
        "退出码：0 已导入（或没有需要导入的新投诉），1 文件有误、未导入，2 出错",
    )
    importing.add_argument("file", metavar="FILE", type=Path, help="要导入的 .xlsx、.csv 或 .jsonl 文件")
    importing.add_argument(
        "--skip-bad", action="store_true", help="跳过有误的行，只导入无误的行（有误的行仍会列出）"
    )
    importing.add_argument(
        "--json",
        action="store_true",
        help="每件导入的投诉输出一行 JSON（number、deadline 为 YYYY-MM-DD、provisional 等）；"
        "有误的行以 error 对象输出",
    )
    importing.set_defaults(handler=cmd_complaint_import)
    show = subparser(
        complaint_commands,
        "show",
        "按投诉编号（如 TS2026-000123）或 8 位查询码查看投诉及办理记录；电话、证件号码、地址打码。"
        "内部备注只向可办理此投诉的账户（中心领导、所属科室负责人、承办人）显示",
    )
    show.add_argument("key", metavar="NUMBER|CODE", help="投诉编号或查询码（大小写、短横线均可省略）")
    show.add_argument("--json", action="store_true", help="输出 JSON（UTF-8，中文不转义），便于其他程序读取")
    show.set_defaults(handler=cmd_complaint_show)
    template = subparser(
        complaint_commands,
        "template",
        "生成 12345 转办投诉导入模板：.xlsx（带填写说明工作表）或 .csv（仅表头）；无需登录",
    )
    template.add_argument("file", metavar="FILE", type=Path, help="写入的模板文件（.xlsx 或 .csv）")
    template.set_defaults(handler=cmd_complaint_template)


def _case_json(case: ImportedCase) -> dict[str, Any]:
    return {
        "row": case.row,
        "number": case.number,
        "lookup_code": case.lookup_code,
        "received_at": case.received_at.astimezone().isoformat(timespec="minutes"),
        "deadline": case.deadline.isoformat(),
        "provisional": case.provisional,
        "respondent": case.respondent_text,
        "state": case.state,
    }


def cmd_complaint_import(ctx: Context) -> int:
    import json

    source = ctx.args.file.expanduser()
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        report, cases = services.complaint_import.import_file(actor, source, ctx.args.skip_bad)
    if ctx.args.json:
        for message in report.file_errors:
            out(json.dumps({"error": "file", "reason": message}, ensure_ascii=False))
        for bad in report.bad_rows:
            error = {"error": "row", "row": bad.row, "column": bad.column, "reason": bad.reason}
            out(json.dumps(error, ensure_ascii=False))
        for case in cases:
            out(json.dumps(_case_json(case), ensure_ascii=False))
        return EXIT_OK if report.committed or not (report.file_errors or report.bad) else EXIT_FAILED
    out(f"文件：{source}（SHA-256 {report.sha256}）")
    for message in report.file_errors:
        out(f"文件有误：{one_line(message)}")
    bad_rows = report.bad_rows
    if bad_rows:
        out(f"有误的行（{len(bad_rows)}）：")
        rows = [(f"第 {r.row} 行", r.column or "—", r.reason) for r in bad_rows]
        for line in format_table(("行号", "列", "原因"), rows):
            out(f"  {line}")
    for case in cases:
        mark = PROVISIONAL if case.provisional else ""
        out(
            f"{case.number}  办理期限 {case.deadline.isoformat()}{mark}  第 {case.row} 行  查询码 {case.lookup_code}"
        )
    if report.committed:
        out(f"已导入投诉 {report.created} 件；已登记跳过 {report.present} 件；有误跳过 {report.bad} 行。")
        return EXIT_OK
    if report.file_errors:
        out("未导入任何数据：请按上述提示修正文件后重新导入。")
        return EXIT_FAILED
    if report.bad:
        if ctx.args.skip_bad:
            out("未导入任何数据：没有无误的新行。")
        else:
            out("未导入任何数据：请修正有误的行后重新导入，或加 --skip-bad 只导入无误的行。")
        return EXIT_FAILED
    out(f"没有需要导入的新投诉：已登记跳过 {report.present} 件。")
    return EXIT_OK


def _show_json(info: ComplaintInfo, internal: bool) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.astimezone().isoformat(timespec="minutes") if value is not None else None

    return {
        "number": info.number,
        "lookup_code": info.lookup_code,
        "state": info.state.value,
        "state_label": info.state_label,
        "channel": info.channel.value,
        "channel_label": info.channel_label,
        "category": info.category.value,
        "category_label": info.category_label,
        "received_at": when(info.received_at),
        "receiver": info.receiver_name,
        "anonymous": info.anonymous,
        "complainant": info.complainant_display,
        "phone": info.phone_masked,
        "id_number": info.id_number_masked,
        "address": info.address_masked,
        "respondent": info.respondent_text,
        "respondent_kind": info.respondent_kind.value,
        "project_code": info.project_code,
        "facts": info.facts,
        "request": info.request,
        "time_limit": info.time_limit.value,
        "time_limit_days": info.time_limit_days,
        "deadline": info.deadline.isoformat(),
        "provisional": info.deadline_provisional,
        "acceptance_deadline": info.acceptance_deadline.isoformat(),
        "overdue": info.overdue,
        "statutory": info.statutory.value,
        "statutory_clocks": [
            {"what": what, "deadline": day.isoformat(), "provisional": provisional}
            for what, day, provisional in info.statutory_clocks
        ],
        "department": info.department_name,
        "handler": info.handler_name,
        "transfer_to": info.transfer_to,
        "reason": info.state_reason,
        "outcome": info.outcome.value if info.outcome else None,
        "outcome_label": info.outcome_label,
        "reply": info.reply,
        "closed_at": when(info.closed_at),
        "satisfaction": info.satisfaction.value if info.satisfaction else None,
        "satisfaction_label": info.satisfaction_label,
        "followup_contact_deadline": info.followup_contact_deadline.isoformat()
        if info.followup_contact_deadline
        else None,
        "followup_rectify_deadline": info.followup_rectify_deadline.isoformat()
        if info.followup_rectify_deadline
        else None,
        "linked_to": info.linked_to_number,
        "receipts": list(info.receipt_numbers),
        "reply_letters": list(info.reply_letter_numbers),
        "internal_shown": internal,
        "history": [
            {
                "at": when(e.at),
                "actor": e.actor_name or e.actor,
                "action": e.action,
                "from_state": e.from_state.value if e.from_state else None,
                "to_state": e.to_state.value if e.to_state else None,
                "text": e.text,
                "internal": e.internal,
            }
            for e in info.events
            if internal or not e.internal
        ],
        "extensions": [
            {
                "days": x.days,
                "reason": x.reason,
                "state": x.state.value,
                "old_deadline": x.old_deadline.isoformat(),
                "new_deadline": x.new_deadline.isoformat() if x.new_deadline else None,
            }
            for x in info.extensions
        ],
        "deductions": [
            {"staff": d.staff_name, "month": d.month, "points": d.points, "kind": d.kind.value}
            for d in info.deductions
        ]
        if internal
        else [],
    }


EVENT_LABELS = {
    "register": "登记",
    "accept": "受理",
    "reject": "不予受理",
    "transfer": "转办",
    "investigate": "开始调查处理",
    "close": "办结",
    "visit": "回访",
    "assign": "分派",
    "note": "内部备注",
    "extension_request": "申请延期",
    "extension_decide": "延期审批",
    "credit_draft": "起草信用记录",
    "followup_contacted": "差评跟进：已联系",
    "followup_rectified": "差评跟进：已整改",
}


def cmd_complaint_show(ctx: Context) -> int:
    import json

    from desktop_app.services.base import local_time_text
    from desktop_app.services.complaints import sees_internal

    key = ctx.args.key.strip()
    if not key:
        raise ValidationError("请给出投诉编号或查询码。", field="key")
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        info = services.complaints.find(actor, key)
    internal = sees_internal(actor, info)
    if ctx.args.json:
        out(json.dumps(_show_json(info, internal), ensure_ascii=False, indent=2))
        return EXIT_OK
    marks = ("（暂定）" if info.deadline_provisional else "") + ("　已超期" if info.overdue else "")
    lines = [
        ("投诉编号", f"{info.number}　查询码 {info.lookup_code}"),
        ("状态", info.state_label + (f"（{info.state_reason}）" if info.state_reason else "")),
        ("渠道", info.channel_label),
        ("类别", info.category_label),
        ("收到时间", local_time_text(info.received_at)),
        ("首问负责人", info.receiver_name),
        ("投诉人", info.complainant_display),
        ("联系电话", info.phone_masked or "—"),
        ("证件号码", info.id_number_masked or "—"),
        ("联系地址", info.address_masked or "—"),
        (
            "被投诉对象",
            f"{info.respondent_text}（{info.respondent_kind_label}）" if info.respondent_text else "—",
        ),
        (
            "办理期限",
            f"{info.deadline.isoformat()}（{info.time_limit_label}，{info.time_limit_days} 个工作日）{marks}",
        ),
        ("受理决定期限", info.acceptance_deadline.isoformat()),
    ]
    if info.project_code:
        lines.append(("项目编号", info.project_code))
    for what, day, provisional in info.statutory_clocks:
        lines.append((f"法定时限：{what}", day.isoformat() + ("（暂定）" if provisional else "")))
    if info.transfer_to:
        lines.append(("转办至", info.transfer_to))
    if info.department_name or info.handler_name:
        lines.append(("承办", "　".join(x for x in (info.department_name, info.handler_name) if x)))
    if info.outcome:
        lines.append(("调查结论", info.outcome_label))
    if info.reply:
        lines.append(("答复", info.reply))
    if info.satisfaction:
        lines.append(("回访", info.satisfaction_label))
    if info.followup_contact_deadline:
        done = "已整改" if info.followup_done_at else ("已联系" if info.followup_contacted_at else "待跟进")
        lines.append(
            (
                "差评跟进",
                f"联系期限 {info.followup_contact_deadline.isoformat()}，"
                f"整改期限 {info.followup_rectify_deadline.isoformat() if info.followup_rectify_deadline else '—'}（{done}）",
            )
        )
    if info.linked_to_number:
        lines.append(("关联投诉", info.linked_to_number))
    if info.receipt_numbers:
        lines.append(("受理回执", "、".join(info.receipt_numbers)))
    if info.reply_letter_numbers:
        lines.append(("处理结果告知书", "、".join(info.reply_letter_numbers)))
    for label, value in lines:
        out(f"{label}：{one_line(value)}")
    out(f"事实：{one_line(info.facts)}")
    if info.request:
        out(f"诉求：{one_line(info.request)}")
    for extension in info.extensions:
        out(
            f"延期：{extension.days} 个工作日，{EXTENSION_STATE_LABELS[extension.state]}"
            f"（{one_line(extension.reason)}）"
        )
    if internal:
        for deduction in info.deductions:
            out(
                f"扣分：{deduction.staff_name} {deduction.month} {deduction.points} 分（{one_line(deduction.reason)}）"
            )
    events = [e for e in info.events if internal or not e.internal]
    out(f"办理记录（{len(events)}）：" + ("" if internal else "（不含内部备注）"))
    rows = [
        (
            local_time_text(e.at),
            e.actor_name or e.actor,
            EVENT_LABELS.get(e.action, e.action),
            e.text,
        )
        for e in events
    ]
    for line in format_table(("时间", "办理人", "事项", "内容"), rows):
        out(f"  {line}")
    return EXIT_OK


def cmd_complaint_template(ctx: Context) -> int:
    from desktop_app.services.complaints.importing import write_template

    target = write_template(ctx.args.file.expanduser().resolve())
    out(f"已生成导入模板：{target}")
    return EXIT_OK
