"""The monthly scoring on the command line: ``export scores YYYY-MM -o F.xlsx [--department D]`` and
the papers ``notice scores-sheet DEPT YYYY-MM -o F.pdf``, ``notice scores-result STAFF YYYY-MM -o
F.pdf`` and ``notice honours YYYY Q -o F.pdf``.

``register`` adds them to the ``notice`` command the notices group made, and to the ``export``
command (made here, with its sub-command list, if no group made it before)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

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
from desktop_app.domain.errors import DomainError, ValidationError

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services
    from desktop_app.services.notices import IssuedDocument

log = logging.getLogger(__name__)

OVERVIEW = """\
  export scores YYYY-MM -o FILE.xlsx [--department D]
                                 导出该月的月度考核结果（领导：全部或一个科室；科室负责人：本科室）
  notice scores-sheet DEPT YYYY-MM -o FILE.pdf
                                 打印科室的月度考核评分表（科室负责人、分管领导签字栏）
  notice scores-result STAFF YYYY-MM -o FILE.pdf
                                 出具个人的考核结果通知（该月已锁定）
  notice honours YYYY Q -o FILE.pdf [--staff STAFF ...]
                                 出具季度服务示范岗标兵通报（领导）
"""


def register(commands: Commands) -> None:
    export = sub_commands(commands, "export", "导出：scores 月度考核结果（.xlsx）")
    scores = subparser(
        export,
        "scores",
        "把该月的月度考核结果导出为 .xlsx：工作表“月度考核”每人一行（科室、工号、姓名、岗位、德、能、勤、绩、廉、"
        "总分、等次、否决、状态、科室排名），工作表“科室汇总”每个科室一行。领导可导出全部科室或用 --department "
        "指定一个；科室负责人只能导出本科室（导出记入审计日志）",
    )
    scores.add_argument("month", metavar="YYYY-MM", help="考核月份，例如 2026-10")
    scores.add_argument(
        "-o", "--output", metavar="FILE.xlsx", type=Path, required=True, help="写入的 .xlsx 文件"
    )
    scores.add_argument("--department", metavar="D", help="只导出该科室（科室名称）")
    scores.set_defaults(handler=cmd_export_scores)

    notice = sub_commands(commands, "notice", "文书")
    sheet = subparser(
        notice,
        "scores-sheet",
        "打印科室的月度考核评分表（横向 A4：每人一行，德、能、勤、绩、廉、总分、等次、否决、备注，平均分，"
        "科室负责人、分管领导签字栏）：按该月当前版本，注明考核状态；内容与已出具的相同时按存档补打"
        "（领导，或本科室的科室负责人）",
    )
    sheet.add_argument("department", metavar="DEPT", help="科室名称")
    sheet.add_argument("month", metavar="YYYY-MM", help="考核月份，例如 2026-10")
    pdf_output_option(sheet)
    sheet.set_defaults(handler=cmd_scores_sheet)
    result = subparser(
        notice,
        "scores-result",
        "出具个人的考核结果通知：该月总分、等次、各维度得分，每项加分、扣分及其事由和来源（该月须已锁定；"
        "领导、本科室的科室负责人，或本人）",
    )
    result.add_argument("staff", metavar="STAFF", help="工号或姓名")
    result.add_argument("month", metavar="YYYY-MM", help="考核月份，例如 2026-10")
    pdf_output_option(result)
    result.set_defaults(handler=cmd_scores_result)
    honours = subparser(
        notice,
        "honours",
        "出具季度服务示范岗标兵通报：默认为每个科室季度平均分最高、符合条件（无一票否决、无属实投诉、"
        "无政务失信记录）的人员，或用 --staff 指定（领导）",
    )
    honours.add_argument("year", metavar="YYYY", type=int, help="年度，例如 2026")
    honours.add_argument("quarter", metavar="Q", type=int, choices=(1, 2, 3, 4), help="季度：1 至 4")
    honours.add_argument(
        "--staff", metavar="STAFF", action="append", help="授予称号的人员（工号或姓名，可重复给出）"
    )
    pdf_output_option(honours)
    honours.set_defaults(handler=cmd_honours)


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


def _told(issued: IssuedDocument, what: str, target: Path) -> None:
    out(f"{'已补打' if issued.reprint else '已出具'}{what} {issued.number}：{target}")
    out(f"验证码：{issued.verify_code}")


def _month(text: str) -> str:
    from desktop_app.domain.scoring import MONTH_PATTERN

    month = text.strip()
    if not MONTH_PATTERN.match(month):
        raise ValidationError(f"月份“{month}”的格式应为 YYYY-MM，例如 2026-10。", field="month")
    return month


def department_id(services: Services, name: str) -> int:
    wanted = name.strip()
    departments = services.organisation.departments()
    found = next((d.id for d in departments if d.name == wanted), None)
    if found is None:
        names = "、".join(d.name for d in departments if d.active)
        raise ValidationError(f"找不到科室“{wanted}”。现有科室：{names}", field="department")
    return found


def staff_id(services: Services, text: str) -> int:
    """The staff member with this employee number, or the only one with this name."""
    wanted = text.strip()
    staff = services.organisation.staff()
    by_number = [s for s in staff if s.employee_no.upper() == wanted.upper()]
    found = by_number or [s for s in staff if s.name == wanted]
    if not found:
        raise ValidationError(f"找不到工号或姓名为“{wanted}”的人员。", field="staff")
    if len(found) > 1:
        raise ValidationError(
            f"姓名为“{wanted}”的人员有 {len(found)} 名，不唯一：请改用工号。", field="staff"
        )
    return found[0].id


def cmd_export_scores(ctx: Context) -> int:
    month = _month(ctx.args.month)
    target = _output_path(ctx.args.output, ".xlsx")
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        department = department_id(services, ctx.args.department) if ctx.args.department else None
        written = services.scoring.export_month(actor, month, target, department)
    out(f"已导出{month[:4]}年{int(month[5:])}月月度考核结果：{written}")
    return EXIT_OK


def cmd_scores_sheet(ctx: Context) -> int:
    month = _month(ctx.args.month)
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        issued = services.scoring.department_paper(actor, department_id(services, ctx.args.department), month)
        _save(services, actor, issued, target)
    _told(issued, "月度考核评分表", target)
    return EXIT_OK


def cmd_scores_result(ctx: Context) -> int:
    month = _month(ctx.args.month)
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        issued = services.scoring.result_notice(actor, staff_id(services, ctx.args.staff), month)
        _save(services, actor, issued, target)
    _told(issued, "考核结果通知", target)
    return EXIT_OK


def cmd_honours(ctx: Context) -> int:
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        chosen = [staff_id(services, s) for s in ctx.args.staff] if ctx.args.staff else None
        issued = services.scoring.honours_notice(actor, ctx.args.year, ctx.args.quarter, chosen)
        _save(services, actor, issued, target)
    _told(issued, "服务示范岗标兵通报", target)
    return EXIT_OK
