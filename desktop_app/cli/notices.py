"""Numbered notices: ``notice test-page``, ``notice verify`` and ``notice reprint``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app import clock
from desktop_app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    Context,
    nested,
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
    from desktop_app.services.facade import Services

log = logging.getLogger(__name__)

OVERVIEW = """\
  notice test-page -o FILE.pdf   出具一张带编号和验证码的打印测试页
  notice verify NUMBER CODE      验证文书的编号与验证码（--file F.pdf 同时核对文件）
  notice reprint NUMBER -o FILE  补打已出具的文书（标注“补打”）
  notice complaint-receipt NUMBER -o FILE.pdf
                                 打印投诉受理回执（已出具过的为补打）
"""


def register(commands: Commands) -> None:
    notice = subparser(
        commands,
        "notice",
        "编号文书：test-page 出具打印测试页，verify 验证文书，reprint 补打，complaint-receipt 投诉受理回执，"
        "evaluation-form 评标专家现场考评表，evaluation-result 考评结果告知书，scores-sheet 月度考核评分表，"
        "scores-result 考核结果通知，honours 服务示范岗标兵通报",
    )
    notice_commands = nested(notice, "notice_command")
    test_page = subparser(
        notice_commands,
        "test-page",
        "出具一张打印测试页（带文书编号、验证码和二维码，存档并记入审计日志；审计管理员只读，不可出具）",
    )
    test_page.add_argument(
        "-o", "--output", metavar="FILE.pdf", type=Path, required=True, help="写入的 PDF 文件"
    )
    test_page.set_defaults(handler=cmd_notice_test_page)
    verify = subparser(
        notice_commands,
        "verify",
        "验证文书：编号与验证码是否与本中心档案一致；给出 --file 时同时核对文件是否为本中心出具的原件或补打件。"
        "退出码：0 真实有效，1 不是真实文书，2 出错",
    )
    verify.add_argument("number", metavar="NUMBER", help="文书编号，例如 CS2026-000001")
    verify.add_argument("code", metavar="CODE", help="验证码（大小写、短横线均可省略）")
    verify.add_argument("--file", metavar="F.pdf", type=Path, help="要核对的 PDF 文件")
    verify.set_defaults(handler=cmd_notice_verify)
    reprint = subparser(
        notice_commands, "reprint", "补打已出具的文书：按存档内容重新生成，标注“补打”及补打时间"
    )
    reprint.add_argument("number", metavar="NUMBER", help="文书编号")
    reprint.add_argument(
        "-o", "--output", metavar="FILE.pdf", type=Path, required=True, help="写入的 PDF 文件"
    )
    reprint.set_defaults(handler=cmd_notice_reprint)
    receipt = subparser(
        notice_commands,
        "complaint-receipt",
        "打印投诉受理回执（大厅联和投诉人联，电话和证件号码打码）：从未出具过的（如导入的 12345 转办投诉）"
        "现在出具并编号，已出具过的按存档内容补打，标注“补打”",
    )
    receipt.add_argument("number", metavar="NUMBER", help="投诉编号（如 TS2026-000123）或查询码")
    receipt.add_argument(
        "-o", "--output", metavar="FILE.pdf", type=Path, required=True, help="写入的 PDF 文件"
    )
    receipt.set_defaults(handler=cmd_notice_complaint_receipt)


def _output_path(path: Path) -> Path:
    """Where a PDF goes; refused before anything is issued if it cannot be a file."""
    target = path.expanduser().resolve()
    if target.is_dir():
        raise ValidationError(f"{target} 是一个文件夹：请给出要写入的 PDF 文件名。", field="output")
    if target.parent.exists() and not target.parent.is_dir():
        raise ValidationError(f"{target.parent} 不是文件夹，无法写入 {target.name}。", field="output")
    return target


def _save_pdf(services: Services, actor: CurrentUser, number: str, pdf: bytes, target: Path) -> None:
    """Write the PDF atomically and log the export; the document itself is already archived."""
    from desktop_app.notices.files import write_atomic

    try:
        write_atomic(target, pdf)
    except OSError as exc:
        log.warning("could not write notice %s: %s", number, type(exc).__name__)
        raise DomainError(
            f"文书 {number} 已出具并存档，但无法写入文件 {target}：{os_reason(exc)}。"
            f"可换一个位置后用 {PROG} notice reprint {number} -o FILE.pdf 补打。"
        ) from exc
    services.notices.record_output(actor, number, "export", str(target))


def cmd_notice_test_page(ctx: Context) -> int:
    from desktop_app.notices.test_page import TestPage

    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        page = TestPage(
            center_name=str(services.center.get()["center_name"]),
            printed_at=clock.now(),
            workstation=ctx.settings.resolved_workstation(),
            operator=actor.display_name or actor.username,
        )
        issued = services.notices.issue(actor, "test_page", page)
        _save_pdf(services, actor, issued.number, issued.pdf, target)
    out(f"已出具打印测试页：{target}")
    out(f"文书编号：{issued.number}")
    out(f"验证码：{issued.verify_code}")
    return EXIT_OK


def cmd_notice_verify(ctx: Context) -> int:
    from desktop_app.services.base import local_time_text

    pdf: bytes | None = None
    if ctx.args.file is not None:
        source = ctx.args.file.expanduser()
        try:
            pdf = source.read_bytes()
        except OSError as exc:
            raise ValidationError(f"无法读取文件 {source}：{os_reason(exc)}。", field="file") from exc
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        outcome = services.notices.verify(actor, ctx.args.number, ctx.args.code, pdf)
    if outcome.genuine:
        out(outcome.reason if outcome.reason.startswith("真实有效") else f"真实有效：{outcome.reason}")
    else:
        out(f"不是真实文书：{outcome.reason}")
    out(f"文书编号：{outcome.number or ctx.args.number.strip()}")
    if outcome.doc_label:
        out(f"文书类型：{outcome.doc_label}")
    if outcome.title:
        out(f"标题：{outcome.title}")
    if outcome.issued_at is not None:
        out(f"出具时间：{local_time_text(outcome.issued_at)}（出具人 {outcome.issued_by}）")
        out(f"补打次数：{outcome.reprints}")
    if outcome.content:
        out("文书内容：")
        for line in outcome.content:
            if line:
                out(f"  {line}")
    return EXIT_OK if outcome.genuine else EXIT_FAILED


def cmd_notice_reprint(ctx: Context) -> int:
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        issued = services.notices.reprint(actor, ctx.args.number)
        _save_pdf(services, actor, issued.number, issued.pdf, target)
    out(f"已补打文书 {issued.number}（{issued.title}）：{target}")
    out(f"验证码：{issued.verify_code}（与原件相同）")
    return EXIT_OK


def cmd_notice_complaint_receipt(ctx: Context) -> int:
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        number, pdf, reprint = services.complaints.receipt(actor, ctx.args.number)
        _save_pdf(services, actor, number, pdf, target)
    what = "已补打投诉受理回执" if reprint else "已出具投诉受理回执"
    out(f"{what} {number}：{target}")
    return EXIT_OK
