"""Batch import of credit files: ``import subjects|records FILE`` and ``import template``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands

OVERVIEW = """\
  import subjects|records FILE [--skip-bad]
                                 从 .xlsx 或 .csv 批量导入信用主体或信用记录
  import template subjects|records FILE
                                 生成导入模板（.xlsx 或 .csv）
"""

KINDS = (
    (
        "subjects",
        "从 .xlsx 或 .csv 导入信用主体（评标专家可带专家编号和专业）。"
        "统一社会信用代码或身份证号已登记的主体跳过，不会重复导入",
    ),
    (
        "records",
        "从 .xlsx 或 .csv 导入信用记录。已登记的相同记录（同一主体、类别、文号、决定日期和事实）跳过；"
        "科室负责人导入的禁止入场、严重失信记录须经中心领导确认后生效",
    ),
)


def register(commands: Commands) -> None:
    importing = subparser(
        commands,
        "import",
        "批量导入（科室负责人、中心领导）：subjects 信用主体，records 信用记录，template 生成模板",
    )
    import_commands = nested(importing, "import_command")
    for name, text in KINDS:
        sub = subparser(
            import_commands,
            name,
            text + "。逐行检查，列出有误的行（行号、列名、原因）；有误时不导入任何数据，除非加 --skip-bad。"
            "退出码：0 已导入（或没有需要导入的新数据），1 文件有误、未导入，2 出错",
        )
        sub.add_argument("file", metavar="FILE", type=Path, help="要导入的 .xlsx 或 .csv 文件")
        sub.add_argument(
            "--skip-bad", action="store_true", help="跳过有误的行，只导入无误的行（有误的行仍会列出）"
        )
        sub.set_defaults(handler=cmd_import, import_kind=name)
    template = subparser(
        import_commands, "template", "生成导入模板：.xlsx（带填写说明工作表）或 .csv（仅表头）；无需登录"
    )
    template.add_argument("kind", metavar="KIND", choices=("subjects", "records"), help="subjects 或 records")
    template.add_argument("file", metavar="FILE", type=Path, help="写入的模板文件（.xlsx 或 .csv）")
    template.set_defaults(handler=cmd_import_template)


def cmd_import(ctx: Context) -> int:
    kind = ctx.args.import_kind
    source = ctx.args.file.expanduser()
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        report = services.credit_import.commit(actor, source, ctx.args.skip_bad, kind=kind)
    what = "信用主体" if kind == "subjects" else "信用记录"
    out(f"文件：{source}（SHA-256 {report.sha256}）")
    for message in report.file_errors:
        out(f"文件有误：{one_line(message)}")
    bad = report.bad_rows
    if bad:
        out(f"有误的行（{len(bad)}）：")
        rows = [(f"第 {r.row} 行", r.column or "—", r.reason) for r in bad]
        for line in format_table(("行号", "列", "原因"), rows):
            out(f"  {line}")
    if report.committed:
        out(f"已导入{what} {report.created} 条；已存在跳过 {report.present} 条；有误跳过 {report.bad} 条。")
        if report.pending:
            out(f"其中禁止入场、严重失信记录 {report.pending} 条须经中心领导确认后生效。")
        return EXIT_OK
    if report.file_errors:
        out("未导入任何数据：请按上述提示修正文件后重新导入。")
        return EXIT_FAILED
    if report.bad:
        new = len(report.rows) - report.present - report.bad
        out(f"新增 {new} 条，已存在 {report.present} 条，有误 {report.bad} 条。")
        if ctx.args.skip_bad:
            out("未导入任何数据：没有无误的新行。")
        else:
            out("未导入任何数据：请修正有误的行后重新导入，或加 --skip-bad 只导入无误的行。")
        return EXIT_FAILED
    out(f"没有需要导入的新{what}：已存在跳过 {report.present} 条；有误 {report.bad} 条。")
    return EXIT_OK


def cmd_import_template(ctx: Context) -> int:
    from desktop_app.services.credit.importing import write_template

    target = write_template(ctx.args.kind, ctx.args.file.expanduser().resolve())
    out(f"已生成导入模板：{target}")
    return EXIT_OK
