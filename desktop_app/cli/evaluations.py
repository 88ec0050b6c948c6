"""Expert evaluations (评标专家现场考评): ``evaluation import FILE`` (earlier paper forms, one row per mark),
``evaluation template FILE``, ``evaluation show NUMBER`` and ``expert status EXPERT``.

The papers' commands (``evaluation ranking``, ``evaluation export``) live in cli/evaluation_papers.py:
registered after this module, they add themselves to ``SUBCOMMANDS["evaluation"]``."""

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
from desktop_app.domain.errors import ValidationError

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands
    from desktop_app.services.evaluations.importing import ImportedSession
    from desktop_app.services.evaluations.types import (
        ExpertStatus,
        MarkInfo,
        ProposalInfo,
        RevisionInfo,
        SessionInfo,
    )

OVERVIEW = """\
  evaluation import FILE [--json] [--skip-bad]
                                 从 .xlsx 或 .csv 导入以往的评标专家现场考评表（每行一项扣分），导入即定稿
  evaluation show NUMBER [--json]
                                 查看一场专家考评：专家、扣分、定稿和更正记录（身份证号打码）
  evaluation template FILE       生成专家考评导入模板（.xlsx 或 .csv）
  expert status EXPERT [--year YYYY] [--json]
                                 评标专家的年度扣分、达到的阈值及应采取的处理、处理建议和在库状态
"""

# The nested sub-commands of this module's commands, for the modules registered after it.
SUBCOMMANDS: dict[str, Commands] = {}


def register(commands: Commands) -> None:
    evaluation = subparser(
        commands,
        "evaluation",
        "评标专家现场考评：import 导入以往的考评表，show 查看一场考评，template 生成导入模板，"
        "ranking 年度扣分排名，export 导出年度考评",
    )
    evaluation_commands = nested(evaluation, "evaluation_command")
    SUBCOMMANDS["evaluation"] = evaluation_commands
    importing = subparser(
        evaluation_commands,
        "import",
        "从 .xlsx 或 .csv 导入以往的评标专家现场考评表（可进行专家考评的账户），每行一项扣分。"
        "列：项目编号、项目名称、交易类别、评标日期、专家（专家编号、身份证号或姓名）、考评项（如 E04，或考评项内容；"
        "不填表示该专家参加了评标、没有扣分）、扣分（不填按该项默认扣分）、备注、见证人。"
        "项目编号和评标日期相同的行合为一场考评，导入即定稿：扣分记入专家的信用档案，达到阈值的生成处理建议，与在程序中定稿相同。"
        "逐行检查，列出有误的行（行号、列名、原因）；有误时不导入任何数据，除非加 --skip-bad（有误的行所在的整场考评不导入）。"
        "已导入或已在程序中登记的场次跳过，重复导入不会新增。"
        "退出码：0 已导入（或没有需要导入的新考评），1 文件有误、未导入，2 出错",
    )
    importing.add_argument("file", metavar="FILE", type=Path, help="要导入的 .xlsx 或 .csv 文件")
    importing.add_argument(
        "--skip-bad", action="store_true", help="跳过有误的行所在的场次，只导入无误的场次（有误的行仍会列出）"
    )
    importing.add_argument(
        "--json",
        action="store_true",
        help="每场导入的考评输出一行 JSON（number、evaluation_date 为 YYYY-MM-DD、marks、points、proposals 等）；"
        "有误的行以 error 对象输出",
    )
    importing.set_defaults(handler=cmd_evaluation_import)
    show = subparser(
        evaluation_commands,
        "show",
        "按考评编号（如 KP2026-000123）查看一场专家考评：项目、见证人、专家、各项扣分和备注、定稿及更正记录；身份证号打码",
    )
    show.add_argument("number", metavar="NUMBER", help="考评编号")
    show.add_argument("--json", action="store_true", help="输出 JSON（UTF-8，中文不转义），便于其他程序读取")
    show.set_defaults(handler=cmd_evaluation_show)
    template = subparser(
        evaluation_commands,
        "template",
        "生成专家考评导入模板：.xlsx（带填写说明工作表）或 .csv（仅表头）；无需登录",
    )
    template.add_argument("file", metavar="FILE", type=Path, help="写入的模板文件（.xlsx 或 .csv）")
    template.set_defaults(handler=cmd_evaluation_template)

    expert = subparser(commands, "expert", "评标专家：status 查看年度扣分、处理建议和在库状态")
    expert_commands = nested(expert, "expert_command")
    SUBCOMMANDS["expert"] = expert_commands
    status = subparser(
        expert_commands,
        "status",
        "评标专家某年的累计扣分、每项扣分及其考评场次、达到的阈值及应采取的处理、待确认和已决定的处理建议、"
        "在库状态（在库、暂停至某日、清退）。EXPERT 为专家编号、身份证号或姓名（重名时请用专家编号）",
    )
    status.add_argument("expert", metavar="EXPERT", help="专家编号、身份证号或姓名")
    status.add_argument("--year", type=int, metavar="YYYY", help="年度（默认今年）")
    status.add_argument(
        "--json",
        action="store_true",
        help="输出 JSON（points、actions、pool_status 等；UTF-8，中文不转义），便于其他程序读取",
    )
    status.set_defaults(handler=cmd_expert_status)


# -- evaluation import / template ------------------------------------------------------------------
def _imported_json(item: ImportedSession) -> dict[str, Any]:
    return {
        "number": item.number,
        "project_code": item.project_code,
        "project_name": item.project_name,
        "evaluation_date": item.evaluation_date.isoformat(),
        "experts": item.experts,
        "marks": item.marks,
        "points": item.points,
        "proposals": [
            {"expert": p.expert_name, "expert_no": p.expert_no, "action": p.action.value, "points": p.points}
            for p in item.proposals
        ],
    }


def cmd_evaluation_import(ctx: Context) -> int:
    import json

    source = ctx.args.file.expanduser()
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        report, created = services.evaluation_import.import_file(actor, source, ctx.args.skip_bad)
    if ctx.args.json:
        for message in report.file_errors:
            out(json.dumps({"error": "file", "reason": message}, ensure_ascii=False))
        for bad in report.bad_rows:
            error = {"error": "row", "row": bad.row, "column": bad.column, "reason": bad.reason}
            out(json.dumps(error, ensure_ascii=False))
        for item in created:
            out(json.dumps(_imported_json(item), ensure_ascii=False))
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
    for item in created:
        out(
            f"{item.number}  {item.evaluation_date.isoformat()}  {one_line(item.project_code)}  "
            f"专家 {item.experts} 名  扣分 {item.marks} 项共 {item.points} 分"
        )
        for proposal in item.proposals:
            who = (
                f"{proposal.expert_name}（{proposal.expert_no}）"
                if proposal.expert_no
                else proposal.expert_name
            )
            out(f"  处理建议：{who} {proposal.action_label}（当年累计 {proposal.points} 分）")
    if report.committed:
        marks = sum(item.marks for item in created)
        out(
            f"已导入考评 {report.created} 场（扣分 {marks} 项）；已登记跳过 {report.present} 行；"
            f"有误跳过 {report.bad} 行；新的处理建议 {report.pending} 条。"
        )
        return EXIT_OK
    if report.file_errors:
        out("未导入任何数据：请按上述提示修正文件后重新导入。")
        return EXIT_FAILED
    if report.bad:
        if ctx.args.skip_bad:
            out("未导入任何数据：没有无误的场次。")
        else:
            out("未导入任何数据：请修正有误的行后重新导入，或加 --skip-bad 只导入无误的场次。")
        return EXIT_FAILED
    out(f"没有需要导入的新考评：已登记跳过 {report.present} 行。")
    return EXIT_OK


def cmd_evaluation_template(ctx: Context) -> int:
    from desktop_app.services.evaluations.importing import write_template

    target = write_template(ctx.args.file.expanduser().resolve())
    out(f"已生成导入模板：{target}")
    return EXIT_OK


# -- evaluation show ------------------------------------------------------------------------------
def _when(value: Any) -> str | None:
    return value.astimezone().isoformat(timespec="minutes") if value is not None else None


def _mark_json(mark: MarkInfo) -> dict[str, Any]:
    return {
        "session": mark.session_number,
        "project_code": mark.project_code,
        "project_name": mark.project_name,
        "evaluation_date": mark.evaluation_date.isoformat(),
        "expert": mark.expert_name,
        "item": mark.item_code,
        "item_text": mark.item_text,
        "points": mark.points,
        "serious": mark.serious,
        "remark": mark.remark,
        "revision": mark.revision,
        "current": mark.current,
    }


def _show_json(info: SessionInfo, revisions: list[RevisionInfo], draft: list[MarkInfo]) -> dict[str, Any]:
    from desktop_app.domain.evaluations import SESSION_STATE_LABELS, TRADE_CATEGORY_LABELS

    return {
        "number": info.number,
        "project_code": info.project_code,
        "project_name": info.project_name,
        "category": info.category.value,
        "category_label": TRADE_CATEGORY_LABELS[info.category],
        "room": info.room,
        "scheduled_start": _when(info.scheduled_start),
        "scheduled_end": _when(info.scheduled_end),
        "actual_start": _when(info.actual_start),
        "actual_end": _when(info.actual_end),
        "evaluation_date": info.evaluation_date.isoformat(),
        "witness": info.witness_name,
        "state": info.state.value,
        "state_label": SESSION_STATE_LABELS[info.state],
        "revision": info.revision,
        "finalised_at": _when(info.finalised_at),
        "finalised_by": info.finalised_by,
        "due_on": info.due_on.isoformat() if info.due_on else None,
        "due_provisional": info.due_provisional,
        "overdue": info.overdue,
        "source": info.source,
        "experts": [
            {
                "name": e.name,
                "expert_no": e.expert_no,
                "specialty": e.specialty,
                "id_number": e.id_number_masked,
            }
            for e in info.experts
        ],
        "marks": [_mark_json(m) for m in _current_marks(revisions)],
        "points": info.points_total,
        "revisions": [
            {
                "revision": r.revision,
                "finalised_at": _when(r.finalised_at),
                "finalised_by": r.finalised_by,
                "reopened_at": _when(r.reopened_at),
                "reopened_by": r.reopened_by,
                "reopen_reason": r.reopen_reason,
                "marks": len(r.marks),
            }
            for r in revisions
        ],
        "draft_marks": [_mark_json(m) for m in draft],
    }


def _current_marks(revisions: list[RevisionInfo]) -> list[MarkInfo]:
    for revision in sorted(revisions, key=lambda r: r.revision, reverse=True):
        if revision.reopened_at is None:
            return list(revision.marks)
    return []


def cmd_evaluation_show(ctx: Context) -> int:
    import json

    from desktop_app.domain.evaluations import SESSION_STATE_LABELS, TRADE_CATEGORY_LABELS, SessionState
    from desktop_app.domain.roles import Permission
    from desktop_app.services.base import local_time_text

    number = ctx.args.number.strip().upper()
    if not number:
        raise ValidationError("请给出考评编号。", field="number")
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        actor.require(Permission.EXPERT_EVALUATE)
        info = services.evaluations.find_session(number)
        if info is None:
            raise ValidationError(f"没有编号为 {number} 的专家考评。", field="number")
        revisions = services.evaluations.revisions(info.id)
        draft: list[MarkInfo] = []
        draft_grid = None
        if info.state == SessionState.DRAFT:
            draft_grid = services.evaluations.grid(info.id)
    names = {e.subject_id: e.name for e in info.experts}
    if draft_grid is not None and draft_grid.from_draft:
        texts = {i.code: i for i in draft_grid.items}
        draft = [
            _draft_mark(
                info, m.subject_id, names.get(m.subject_id, ""), m.item_code, texts, m.points, m.remark
            )
            for m in draft_grid.grid.marks
        ]
    if ctx.args.json:
        out(json.dumps(_show_json(info, revisions, draft), ensure_ascii=False, indent=2))
        return EXIT_OK
    state = SESSION_STATE_LABELS[info.state]
    if info.state == SessionState.FINALISED and info.finalised_at is not None:
        state += f"（第 {info.revision} 版，{local_time_text(info.finalised_at)} {info.finalised_by}）"
    elif info.revision > 1:
        state += f"（第 {info.revision} 版更正中）"
    lines = [
        ("考评编号", info.number),
        ("项目", f"{info.project_name}（{info.project_code}）"),
        ("交易类别", TRADE_CATEGORY_LABELS[info.category]),
        ("评标日期", info.evaluation_date.isoformat()),
        ("评标室", info.room or "—"),
        ("见证人", info.witness_name or "—"),
        ("状态", state + ("　导入" if info.source == "import" else "")),
    ]
    if info.due_on is not None:
        due = info.due_on.isoformat() + ("（暂定）" if info.due_provisional else "")
        lines.append(("定稿期限", due + ("　已超期" if info.overdue else "")))
    for label, value in lines:
        out(f"{label}：{one_line(value)}")
    out(f"专家（{len(info.experts)}）：")
    experts = [
        (e.name, e.expert_no or "—", e.specialty or "—", e.id_number_masked or "—") for e in info.experts
    ]
    for line in format_table(("姓名", "专家编号", "专业", "身份证号"), experts):
        out(f"  {line}")
    marks = _current_marks(revisions)
    title = "扣分"
    if draft:
        marks, title = draft, "扣分（草稿，未定稿）"
    out(f"{title}（{len(marks)} 项，共 {sum(m.points for m in marks)} 分）：")
    rows = [
        (m.expert_name, f"{m.item_code} {m.item_text}", str(m.points), m.remark or "")
        for m in sorted(marks, key=lambda m: (m.expert_name, m.item_code))
    ]
    for line in format_table(("专家", "考评项", "扣分", "备注"), rows):
        out(f"  {line}")
    for revision in revisions:
        if revision.reopened_at is not None:
            out(
                f"第 {revision.revision} 版：{local_time_text(revision.finalised_at)} {revision.finalised_by} 定稿，"
                f"{local_time_text(revision.reopened_at)} {revision.reopened_by} 重新打开"
                f"（{one_line(revision.reopen_reason)}），扣分 {len(revision.marks)} 项"
            )
    return EXIT_OK


def _draft_mark(
    info: SessionInfo, subject_id: int, name: str, code: str, items: dict[str, Any], points: int, remark: str
) -> MarkInfo:
    from desktop_app.services.evaluations.types import MarkInfo

    item = items.get(code)
    return MarkInfo(
        0,
        info.id,
        info.number,
        info.project_code,
        info.project_name,
        info.evaluation_date,
        subject_id,
        name,
        code,
        item.text if item else "",
        points,
        bool(item.serious) if item else False,
        remark,
        info.revision,
        False,
        None,
    )


# -- expert status --------------------------------------------------------------------------------
def _proposal_json(p: ProposalInfo) -> dict[str, Any]:
    return {
        "id": p.id,
        "year": p.year,
        "action": p.action.value,
        "reason": p.reason.value,
        "points": p.points,
        "suspension_months": p.suspension_months,
        "state": p.state.value,
        "session": p.session_number,
        "proposed_at": _when(p.proposed_at),
        "decided_by": p.decided_by,
        "decided_at": _when(p.decided_at),
        "authority": p.authority,
        "decision_number": p.decision_number,
        "decision_date": p.decision_date.isoformat() if p.decision_date else None,
        "suspend_from": p.suspend_from.isoformat() if p.suspend_from else None,
        "suspend_until": p.suspend_until.isoformat() if p.suspend_until else None,
        "reason_text": p.reason_text,
    }


def _status_json(status: ExpertStatus) -> dict[str, Any]:
    pool = status.pool
    return {
        "name": status.name,
        "expert_no": status.expert_no,
        "specialty": status.specialty,
        "id_number": status.id_number_masked,
        "year": status.year,
        "period_start": status.period_start.isoformat(),
        "period_end": status.period_end.isoformat(),
        "points": status.points,
        "sessions": status.sessions,
        "marks": [_mark_json(m) for m in status.marks],
        "reached": [
            {"action": r.action.value, "reason": r.reason.value, "threshold": r.threshold, "text": r.text}
            for r in status.reached
        ],
        "actions": list(status.actions),
        "proposals": [_proposal_json(p) for p in status.proposals],
        "pool_status": pool.state.value,
        "pool_status_label": pool.label(),
        "pool_until": pool.until.isoformat() if pool.until else None,
        "pool_reason": pool.reason,
    }


def cmd_expert_status(ctx: Context) -> int:
    import json

    from desktop_app.domain.evaluations import (
        PROPOSAL_ACTION_LABELS,
        PROPOSAL_REASON_LABELS,
        PROPOSAL_STATE_LABELS,
        ProposalState,
    )
    from desktop_app.domain.roles import Permission

    text = ctx.args.expert.strip()
    if not text:
        raise ValidationError("请给出专家编号、身份证号或姓名。", field="expert")
    year = ctx.args.year
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError(f"年度 {year} 无效。", field="year")
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        actor.require(Permission.EXPERT_EVALUATE)
        subject_id = services.evaluations.find_expert(text)
        status = services.evaluations.expert_status(subject_id, year)
    if ctx.args.json:
        out(json.dumps(_status_json(status), ensure_ascii=False, indent=2))
        return EXIT_OK
    pool = status.pool
    pool_text = pool.label() + (f"（{pool.reason}）" if pool.reason else "")
    lines = [
        ("专家", f"{status.name}（{status.expert_no or '无专家编号'}）"),
        ("专业", status.specialty or "—"),
        ("身份证号", status.id_number_masked or "—"),
        ("在库状态", pool_text),
        ("累计期间", f"{status.period_start.isoformat()} 至 {status.period_end.isoformat()}"),
        ("累计扣分", f"{status.points} 分（参加评标 {status.sessions} 场，扣分 {len(status.marks)} 项）"),
    ]
    for label, value in lines:
        out(f"{label}：{one_line(value)}")
    if status.marks:
        out("扣分明细：")
        rows = [
            (
                m.evaluation_date.isoformat(),
                m.session_number,
                f"{m.project_name}（{m.project_code}）",
                f"{m.item_code} {m.item_text}" + ("（严重）" if m.serious else ""),
                str(m.points),
                m.remark,
            )
            for m in status.marks
        ]
        for line in format_table(("评标日期", "考评编号", "项目", "考评项", "扣分", "备注"), rows):
            out(f"  {line}")
    if status.reached:
        out("达到的阈值：")
        for reached in status.reached:
            out(f"  {one_line(reached.text)}")
        out("应采取的处理：" + "；".join(status.actions))
    else:
        out("达到的阈值：无")
    pending = [p for p in status.proposals if p.state == ProposalState.PENDING]
    decided = [p for p in status.proposals if p.state != ProposalState.PENDING]
    for title, proposals in (("待确认的处理建议", pending), ("已决定的处理建议", decided)):
        out(f"{title}（{len(proposals)}）：")
        for p in proposals:
            what = f"{p.year}年 {PROPOSAL_ACTION_LABELS[p.action]}（{PROPOSAL_REASON_LABELS[p.reason]}，{p.points} 分）"
            state = PROPOSAL_STATE_LABELS[p.state]
            if p.state == ProposalState.CONFIRMED:
                state += f"：{p.authority} {p.decision_number}"
                if p.suspend_from and p.suspend_until:
                    state += f"，暂停 {p.suspend_from.isoformat()} 至 {p.suspend_until.isoformat()}"
            elif p.reason_text:
                state += f"：{p.reason_text}"
            source = f"（{p.session_number}）" if p.session_number else ""
            out(f"  {what}{source} {one_line(state)}")
    return EXIT_OK
