"""Credit files: ``credit check``, the entry desk's check from a terminal (read only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop_app.cli.common import (
    EXIT_BANNED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    Context,
    is_id_number,
    masked_query,
    nested,
    open_services,
    out,
    sign_in,
    subparser,
)
from desktop_app.domain.errors import ValidationError

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands

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


def _check_date(text: str | None) -> Any:
    from desktop_app.services.tabular_import import RowError, parse_date

    if not text:
        return None
    try:
        day = parse_date(text, "on")
    except RowError as exc:
        raise ValidationError(exc.reason, field="on") from None
    if day is None:
        raise ValidationError("请给出核验日期，如 2026-03-01。", field="on")
    return day


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
        as_of = services.credit.data_as_of()
    verdict, decided_by, decisive = query_verdict(query, result.hits)
    shown_query = masked_query(query)
    code = {Verdict.BANNED: EXIT_BANNED, Verdict.NOT_FOUND: EXIT_NOT_FOUND}.get(verdict, EXIT_OK)
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
        out(f"[{index}] {h.name}（{h.kind_label}）{mark}")
        out(f"    {id_label}：{h.identifier}")
        matched = HOW_LABELS.get(h.how, h.how) + (f"“{h.matched_alias}”" if h.matched_alias else "")
        out(f"    匹配：{matched}")
        out(f"    结论：{h.verdict_label}　{h.reason}")
        out(f"    信用分：{h.score} 分 / {h.grade} 级（仅供参考，不作为入场条件）")
    return code
