"""Credit files: ``credit check``, the entry desk's check from a terminal (read only), and
``credit certify``, the recorded check with its 告知单, for one query or a bid opening's list."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.common import (
    EXIT_BANNED,
    EXIT_FAILED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    PROG,
    Context,
    format_table,
    is_id_number,
    masked_query,
    nested,
    one_line,
    open_services,
    os_reason,
    out,
    sign_in,
    subparser,
)
from desktop_app.domain.errors import DomainError, ValidationError

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.credit import BatchLine
    from desktop_app.services.facade import Services

log = logging.getLogger(__name__)
# certify: the query or a line of the list does not name one subject; nothing was recorded.
EXIT_UNDECIDED = EXIT_FAILED

OVERVIEW = """\
  credit check QUERY [--on DATE] [--json]
                                 入场信用核查：按名称、代码或身份证号查询，给出入场结论
"""

HOW_LABELS = {
    "id": "身份证号",
    "uscc": "统一社会信用代码",
    "name": "名称",
    "alias": "曾用名",
    "initials": "拼音首字母",
    "uscc_prefix": "代码前几位",
}


def register(commands: Commands) -> None:
    # The group's one-line text is also the top-level help's: certify shows in ``credit --help``.
    credit = subparser(commands, "credit", "信用档案：check 入场信用核查")
    credit_commands = nested(credit, "credit_command")
    check = subparser(
        credit_commands,
        "check",
        "入场信用核查：按统一社会信用代码、身份证号或名称（含曾用名、拼音首字母）查询，列出匹配的主体"
        "（身份证号打码）及其在核验日期的结论。"
        "结论取自：统一社会信用代码或身份证号完全相符的主体；没有时取名称或曾用名完全相同的主体；"
        "仍没有时取全部部分匹配的主体。其中有任何一个禁止入场即为禁止入场（从严）。"
        "只查询，不登记核验、不出具告知单（请在图形界面中登记核验并打印）。"
        "退出码：0 可入场或有不良记录，3 禁止入场，4 未找到，2 出错",
    )
    check.add_argument("query", metavar="QUERY", help="名称、统一社会信用代码或身份证号")
    check.add_argument(
        "--on", metavar="DATE", help="核验日期（默认今天），如 2026-03-01、2026/3/1 或 2026年3月1日"
    )
    check.add_argument("--json", action="store_true", help="输出 JSON（UTF-8，中文不转义），便于其他程序读取")
    check.set_defaults(handler=cmd_credit_check)
    certify = subparser(
        credit_commands,
        "certify",
        "登记核验并出具信用查询结果告知单。QUERY 为名称、统一社会信用代码或身份证号，告知单写入 -o 给出的 PDF "
        "文件；--list 为开标名单（.xlsx 或 .csv，列：名称、统一社会信用代码、身份证号，至少一列），逐行登记核验，"
        "在 -o 给出的文件夹中写入汇总表和每行的告知单，全部登记或全部不登记。"
        "主体的确定：代码完全相符即为该主体（同一行的名称须是其名称或曾用名）；没有代码时取名称或曾用名完全相同的"
        "唯一主体；都没有即为未找到（同样登记并出具告知单）。名称对应多个主体、代码与名称不符、只有相近名称或"
        "有误的行不登记，列出原因和候选主体（请补上代码或改正名单，或在图形界面中逐行确认）。"
        "退出码：0 可入场或有不良记录；3 禁止入场（名单中任一行）；4 未找到（名单中有未找到的行且无禁止入场）；"
        "1 无法确定主体，未登记任何核验；2 出错",
    )
    certify.add_argument("query", metavar="QUERY", nargs="?", help="名称、统一社会信用代码或身份证号")
    certify.add_argument(
        "--list", metavar="FILE", type=Path, help="开标名单文件（.xlsx 或 .csv），代替 QUERY"
    )
    certify.add_argument(
        "-o",
        "--output",
        metavar="FILE.pdf|DIR",
        type=Path,
        required=True,
        help="告知单写入的 PDF 文件；--list 时为写入汇总表和告知单的文件夹（不存在时新建）",
    )
    certify.add_argument(
        "--on", metavar="DATE", help="核验日期（默认今天），如 2026-03-01、2026/3/1 或 2026年3月1日"
    )
    certify.set_defaults(handler=cmd_credit_certify)


def _check_date(text: str | None) -> Any:
    from desktop_app.domain.dates import check_year_range
    from desktop_app.services.tabular_import import RowError, parse_date

    if not text:
        return None
    try:
        day = parse_date(text, "on")
    except RowError as exc:
        raise ValidationError(exc.reason, field="on") from None
    if day is None:
        raise ValidationError("请给出核验日期，如 2026-03-01。", field="on")
    return check_year_range(day, "on", "核验日期")


def cmd_credit_check(ctx: Context) -> int:
    import json

    from desktop_app.domain.credit import VERDICT_LABELS, Verdict, query_verdict

    on = _check_date(ctx.args.on)
    query = ctx.args.query.strip()
    if not query:
        raise ValidationError("请给出要查询的名称、统一社会信用代码或身份证号。", field="query")
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        result = services.credit.search(actor, query, on)
        # The hits the answer rests on are checked against their rows' MACs (store.sealing).
        decisive_hits = query_verdict(query, result.hits)[2]
        result = services.credit.verify_hits(actor, result, (h.subject_id for h in decisive_hits))
        as_of = services.credit.data_as_of()
    verdict, decided_by, decisive = query_verdict(query, result.hits)
    shown_query = masked_query(query)
    code = {
        Verdict.BANNED: EXIT_BANNED,
        Verdict.NOT_FOUND: EXIT_NOT_FOUND,
        Verdict.TAMPERED: EXIT_FAILED,
    }.get(verdict, EXIT_OK)
    decisive_ids = {h.subject_id for h in decisive}
    if ctx.args.json:
        payload = {
            "query": shown_query,
            "on": result.on.isoformat(),
            "verdict": verdict.value,
            "verdict_label": VERDICT_LABELS[verdict],
            "exit_code": code,
            "decided_by": decided_by,
            "data_as_of": as_of.astimezone().isoformat(timespec="seconds") if as_of else None,
            "hint": result.hint,
            "matches": [
                {
                    "subject_id": h.subject_id,
                    "name": h.name,
                    "kind": h.kind.value,
                    "kind_label": h.kind_label,
                    "identifier": h.identifier,
                    "identifier_type": "id_number" if is_id_number(h.identifier) else "uscc",
                    "matched_by": h.how,
                    "matched_alias": h.matched_alias,
                    "verdict": h.verdict.value,
                    "verdict_label": h.verdict_label,
                    "reason": h.reason,
                    "score": h.score,
                    "grade": h.grade,
                    "decisive": h.subject_id in decisive_ids,
                }
                for h in result.hits
            ],
        }
        out(json.dumps(payload, ensure_ascii=False, indent=2))
        return code
    out(f"查询：{shown_query}　核验日期：{result.on.isoformat()}")
    if as_of is not None:
        out(f"数据截至：{as_of.astimezone().strftime('%Y-%m-%d %H:%M:%S')}")
    out(f"结论：{VERDICT_LABELS[verdict]}")
    if not result.hits:
        out(result.hint or "按查询内容未找到信用档案。")
        return code
    if decided_by == "partial" and len(result.hits) > 1:
        out(
            f"注意：没有完全相符的主体，以下 {len(result.hits)} 个部分匹配中有任何一个禁止入场即按禁止入场处理；请核对名称或改用代码查询。"
        )
    elif len(decisive) > 1:
        out(f"注意：有 {len(decisive)} 个主体与查询内容完全相符，请核对代码后再作决定。")
    for index, h in enumerate(result.hits, 1):
        id_label = "身份证号" if is_id_number(h.identifier) else "统一社会信用代码"
        mark = "" if h.subject_id in decisive_ids else "（部分匹配，不计入结论）"
        out()
        out(f"[{index}] {one_line(h.name)}（{h.kind_label}）{mark}")
        out(f"    {id_label}：{h.identifier}")
        matched = HOW_LABELS.get(h.how, h.how) + (f"“{one_line(h.matched_alias)}”" if h.matched_alias else "")
        out(f"    匹配：{matched}")
        out(f"    结论：{h.verdict_label}　{one_line(h.reason)}")
        out(f"    信用分：{h.score} 分 / {h.grade} 级（仅供参考，不作为入场条件）")
    return code


# -- certify ------------------------------------------------------------------------------------
def cmd_credit_certify(ctx: Context) -> int:
    query = (ctx.args.query or "").strip()
    if ctx.args.list is not None and query:
        raise ValidationError("请只给出 QUERY 或 --list 其中之一。", field="query")
    if ctx.args.list is not None:
        return _certify_list(ctx)
    if not query:
        raise ValidationError("请给出要核验的名称、统一社会信用代码或身份证号，或用 --list 给出开标名单。")
    return _certify_query(ctx, query)


def _verdict_exit(banned: bool, not_found: bool) -> int:
    return EXIT_BANNED if banned else EXIT_NOT_FOUND if not_found else EXIT_OK


def _pdf_target(path: Path) -> Path:
    """Where a certificate goes; refused before anything is recorded if it cannot be a file."""
    target = path.expanduser().resolve()
    if target.is_dir():
        raise ValidationError(f"{target} 是一个文件夹：请给出要写入的 PDF 文件名。", field="output")
    if target.parent.exists() and not target.parent.is_dir():
        raise ValidationError(f"{target.parent} 不是文件夹，无法写入 {target.name}。", field="output")
    return target


def _folder_target(path: Path) -> Path:
    folder = path.expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ValidationError(f"{folder} 不是文件夹：请给出写入告知单的文件夹。", field="output") from None
    except OSError as exc:
        raise ValidationError(f"无法建立文件夹 {folder}：{os_reason(exc)}。", field="output") from None
    return folder


def _save(services: Services, actor: CurrentUser, number: str, pdf: bytes, target: Path) -> None:
    """Write one issued PDF atomically and log the export (the notice itself is archived already)."""
    from desktop_app.notices.files import write_atomic

    try:
        write_atomic(target, pdf)
    except OSError as exc:
        log.warning("could not write notice %s: %s", number, type(exc).__name__)
        raise DomainError(
            f"告知单 {number} 已登记并存档，但无法写入文件 {target}：{os_reason(exc)}。"
            f"可换一个位置后用 {PROG} notice reprint {number} -o FILE.pdf 补打。"
        ) from exc
    services.notices.record_output(actor, number, "export", str(target))


def _show_undecided(lines: list[BatchLine], numbered: bool = True) -> None:
    indent = "    " if numbered else ""
    for line in lines:
        if numbered:
            out(f"第 {line.row} 行：{one_line(line.listed) or '（空）'}")
        out(f"{indent}{line.state_label}：{one_line(line.note)}")
        for candidate in line.candidates:
            out(
                f"{indent}候选：{one_line(candidate.shown)}（{candidate.kind_label}）　{candidate.verdict_label}"
            )


def _certify_query(ctx: Context, query: str) -> int:
    from desktop_app.domain.credit import VERDICT_LABELS, Verdict
    from desktop_app.services.credit import UndecidedQuery

    on = _check_date(ctx.args.on)
    target = _pdf_target(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        try:
            result = services.credit.certify(actor, query, on)
        except UndecidedQuery as undecided:
            out(f"查询：{masked_query(query)}")
            out("未登记核验：无法确定要核验的主体。")
            _show_undecided([undecided.line], numbered=False)
            out("请改用统一社会信用代码或身份证号，或用与档案完全一致的名称查询。")
            return EXIT_UNDECIDED
        check = result.check
        number = check.notice_number or ""
        if result.notice is not None:
            _save(services, actor, number, result.notice.pdf, target)
    out(f"查询：{one_line(check.query)}　核验日期：{check.checked_on.isoformat()}")
    out(f"结论：{VERDICT_LABELS[check.verdict]}")
    if check.subject_name:
        out(f"主体：{one_line(check.subject_name)}")
    out(f"理由：{one_line(check.reason)}")
    out(f"告知单编号：{number}　验证码：{result.notice.verify_code if result.notice else ''}")
    out(f"已写入：{target}")
    return _verdict_exit(check.verdict == Verdict.BANNED, check.verdict == Verdict.NOT_FOUND)


def _certify_list(ctx: Context) -> int:
    from desktop_app.domain.credit import Verdict

    on = _check_date(ctx.args.on)
    source = ctx.args.list.expanduser()
    folder = _folder_target(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        preview = services.credit.preview_check_list(actor, source, on)
        out(f"名单：{source}（SHA-256 {preview.sha256}）　核验日期：{preview.on.isoformat()}")
        for message in preview.file_errors:
            out(f"文件有误：{one_line(message)}")
        if preview.file_errors or not preview.lines:
            out(
                "未登记任何核验："
                + ("请按上述提示修正名单。" if preview.file_errors else "名单中没有数据行。")
            )
            return EXIT_UNDECIDED
        if preview.undecided:
            out(f"有 {len(preview.undecided)} 行无法确定要核验的主体：")
            _show_undecided(list(preview.undecided))
            out(
                "未登记任何核验：请在名单中补上统一社会信用代码或身份证号、改正有误的行，"
                "或在图形界面的“批量核验”中逐行确认。"
            )
            return EXIT_UNDECIDED
        result = services.credit.certify_list(actor, preview)
        files: dict[int, str] = {}
        for line in result.certificates:
            name = f"第{line.line.row:03d}行_{line.notice_number}.pdf"
            _save(services, actor, line.notice_number, line.notice.pdf, folder / name)
            files[line.line.row] = name
        summary_name = f"汇总表_{result.summary.number}.pdf"
        _save(services, actor, result.summary.number, result.summary.pdf, folder / summary_name)
    rows = []
    for line in result.in_summary_order():
        written = files.get(line.line.row) or (f"同第 {line.same_as} 行" if line.same_as else "")
        subject = line.subject.shown if line.subject else "—"
        rows.append((str(line.line.row), line.line.listed, subject, line.verdict_label, written))
    for text in format_table(("行号", "名单所列", "核验主体", "结论", "告知单"), rows):
        out(f"  {text}")
    out(
        f"共 {len(result.lines)} 行：禁止入场 {result.count(Verdict.BANNED)}，未找到 {result.count(Verdict.NOT_FOUND)}，"
        f"有不良记录 {result.count(Verdict.RECORDS)}，可入场 {result.count(Verdict.CLEAR)}。"
    )
    out(f"汇总表 {result.summary.number}：{folder / summary_name}")
    out(f"告知单 {len(files)} 份，写入文件夹：{folder}")
    return _verdict_exit(result.count(Verdict.BANNED) > 0, result.count(Verdict.NOT_FOUND) > 0)
