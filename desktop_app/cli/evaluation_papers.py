"""The expert evaluations' papers on the command line: ``notice evaluation-form NUMBER -o F.pdf``,
``notice evaluation-result NUMBER EXPERT -o F.pdf``, ``evaluation ranking YEAR -o F.pdf`` and
``evaluation export YEAR -o F.xlsx``.

``register_papers`` adds them to the ``notice`` and ``evaluation`` commands the other groups made
(the ``evaluation`` command itself is made here if it is not there yet)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.common import (
    EXIT_OK,
    PROG,
    Context,
    open_services,
    os_reason,
    out,
    pdf_output_option,
    sign_in,
    sub_commands,
    subparser,
)
from desktop_app.domain.errors import DomainError, NotFound, ValidationError

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services
    from desktop_app.services.notices import IssuedDocument

log = logging.getLogger(__name__)

OVERVIEW = """\
  notice evaluation-form NUMBER -o FILE.pdf [--revision N]
                                 打印评标专家现场考评表（已出具过的相同内容按存档补打）
  notice evaluation-result NUMBER EXPERT -o FILE.pdf
                                 出具考评结果告知书（该专家在该场次有扣分）
  evaluation ranking YEAR -o FILE.pdf
                                 出具评标专家年度考评扣分排名表
  evaluation export YEAR -o FILE.xlsx
                                 导出该年度的专家考评（扣分明细、场次和汇总工作表）
"""


def register_papers(commands: Commands) -> None:
    notice = sub_commands(commands, "notice", "文书")
    form = subparser(
        notice,
        "evaluation-form",
        "打印评标专家现场考评表（横向 A4：专家为列、考评项为行，备注，见证人、监督人员签字栏）：草稿按当前填写内容，"
        "已定稿的按定稿内容；内容与已出具的相同时按存档补打，标注“补打”（可查阅考评的账户）",
    )
    form.add_argument("number", metavar="NUMBER", help="考评编号，例如 KP2026-000123")
    form.add_argument("--revision", metavar="N", type=int, help="打印第 N 版定稿（重新打开更正前的版本）")
    pdf_output_option(form)
    form.set_defaults(handler=cmd_evaluation_form)
    result = subparser(
        notice,
        "evaluation-result",
        "出具考评结果告知书：已定稿场次中有扣分的专家，列出各项扣分及年度累计扣分（可查阅考评的账户）",
    )
    result.add_argument("number", metavar="NUMBER", help="考评编号，例如 KP2026-000123")
    result.add_argument("expert", metavar="EXPERT", help="专家编号、身份证号或姓名")
    pdf_output_option(result)
    result.set_defaults(handler=cmd_evaluation_result)

    evaluation = sub_commands(commands, "evaluation", "评标专家现场考评")
    ranking = subparser(
        evaluation,
        "ranking",
        "出具评标专家年度考评扣分排名表：已定稿考评的当年扣分，从高到低（可查阅考评的账户）",
    )
    ranking.add_argument("year", metavar="YEAR", type=int, help="年度，例如 2026")
    pdf_output_option(ranking)
    ranking.set_defaults(handler=cmd_evaluation_ranking)
    export = subparser(
        evaluation,
        "export",
        "把该年度的专家考评导出为 .xlsx：扣分明细（每项扣分一行，含场次信息）、考评场次、专家排名、"
        "考评项汇总、交易类别汇总（可查阅考评的账户；导出记入审计日志）",
    )
    export.add_argument("year", metavar="YEAR", type=int, help="年度，例如 2026")
    export.add_argument(
        "-o", "--output", metavar="FILE.xlsx", type=Path, required=True, help="写入的 .xlsx 文件"
    )
    export.set_defaults(handler=cmd_evaluation_export)


register = register_papers


def _output_path(path: Path, what: str = "PDF") -> Path:
    target = path.expanduser().resolve()
    if target.is_dir():
        raise ValidationError(f"{target} 是一个文件夹：请给出要写入的 {what} 文件名。", field="output")
    if target.parent.exists() and not target.parent.is_dir():
        raise ValidationError(f"{target.parent} 不是文件夹，无法写入 {target.name}。", field="output")
    return target


def _save(services: Services, actor: CurrentUser, issued: IssuedDocument, target: Path) -> None:
    from desktop_app.notices.files import write_atomic

    try:
        write_atomic(target, issued.pdf)
    except OSError as exc:
        log.warning("could not write notice %s: %s", issued.number, type(exc).__name__)
        raise DomainError(
            f"文书 {issued.number} 已出具并存档，但无法写入文件 {target}：{os_reason(exc)}。"
            f"可换一个位置后用 {PROG} notice reprint {issued.number} -o FILE.pdf 补打。"
        ) from exc
    services.notices.record_output(actor, issued.number, "export", str(target))


def _session_id(services: Services, number: str) -> int:
    found: Any = services.evaluations.find_session(number.strip())
    if found is None:
        raise NotFound(f"查无考评编号为 {number.strip()} 的考评。")
    session_id: int = found.id
    return session_id


def _told(issued: IssuedDocument, what: str, target: Path) -> None:
    out(f"{'已补打' if issued.reprint else '已出具'}{what} {issued.number}：{target}")
    out(f"验证码：{issued.verify_code}")


def cmd_evaluation_form(ctx: Context) -> int:
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        issued = services.evaluations.evaluation_form(
            actor, _session_id(services, ctx.args.number), ctx.args.revision
        )
        _save(services, actor, issued, target)
    _told(issued, "评标专家现场考评表", target)
    return EXIT_OK


def cmd_evaluation_result(ctx: Context) -> int:
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        session_id = _session_id(services, ctx.args.number)
        subject_id = services.evaluations.find_expert(ctx.args.expert)
        issued = services.evaluations.result_notice(actor, session_id, subject_id)
        _save(services, actor, issued, target)
    _told(issued, "考评结果告知书", target)
    return EXIT_OK


def cmd_evaluation_ranking(ctx: Context) -> int:
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        issued = services.evaluations.ranking_report(actor, ctx.args.year)
        _save(services, actor, issued, target)
    _told(issued, f"{ctx.args.year}年度评标专家考评扣分排名表", target)
    return EXIT_OK


def cmd_evaluation_export(ctx: Context) -> int:
    target = _output_path(ctx.args.output, ".xlsx")
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        written = services.evaluations.export_year(actor, ctx.args.year, target)
    out(f"已导出{ctx.args.year}年度专家考评：{written}")
    return EXIT_OK
