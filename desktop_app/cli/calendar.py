"""The working-day calendar: ``calendar show YEAR``, ``calendar deadline DATE N`` (read only, no
sign-in: the schedule is public), ``calendar import FILE`` (system admin) and ``calendar template``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    Context,
    format_table,
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
  calendar show YEAR [--json]    工作日历：某年的放假日和调休上班日
  calendar deadline DATE N       从 DATE 收件起算 N 个工作日的期限（次日起算）
  calendar import FILE [--skip-bad]
                                 从 .xlsx 或 .csv 导入放假安排（日期、类型 休/班、名称）
  calendar template FILE         生成放假安排导入模板（.xlsx 或 .csv）
"""

WEEKDAYS = "一二三四五六日"
PROVISIONAL_NOTE = "暂定：{year} 年尚未登记放假安排，按周一至周五计算；登记后请重新核对。"


def register(commands: Commands) -> None:
    calendar = subparser(
        commands,
        "calendar",
        "工作日历：show 查看某年安排，deadline 计算期限，import 导入某年安排（系统管理员）",
    )
    calendar_commands = nested(calendar, "calendar_command")
    show = subparser(
        calendar_commands,
        "show",
        "列出某年登记的放假日（休）和调休上班日（班）；未登记任何一天的年份视为尚未公布安排，"
        "该年的期限按周一至周五计算并标注“暂定”。无需登录",
    )
    show.add_argument("year", metavar="YEAR", type=int, help="年份，如 2026")
    show.add_argument("--json", action="store_true", help="输出 JSON（UTF-8，中文不转义），便于其他程序读取")
    show.set_defaults(handler=cmd_calendar_show)
    deadline = subparser(
        calendar_commands,
        "deadline",
        "计算期限：DATE 收到（当天不计，次日起算）后的第 N 个工作日。跳过周末和放假日，调休上班日计入；"
        "涉及尚未登记安排的年份时按周一至周五计算并标注“暂定”。无需登录",
    )
    deadline.add_argument("date", metavar="DATE", help="收到日期，如 2026-03-01、2026/3/1 或 2026年3月1日")
    deadline.add_argument("n", metavar="N", type=int, help="工作日数（正整数），如 简易 2、一般 5、复杂 10")
    deadline.add_argument(
        "--json", action="store_true", help="输出 JSON：deadline（YYYY-MM-DD）和 provisional"
    )
    deadline.set_defaults(handler=cmd_calendar_deadline)
    importing = subparser(
        calendar_commands,
        "import",
        "从 .xlsx 或 .csv 导入放假安排（系统管理员）。列：日期、类型（休 或 班）、名称，每行一天。"
        "已登记且相同的日期跳过；与已登记内容不同的日期、工作日登记为“班”等有误的行逐行列出（行号、列名、原因），"
        "有误时不导入任何数据，除非加 --skip-bad。退出码：0 已导入（或没有需要导入的新数据），1 文件有误、未导入，2 出错",
    )
    importing.add_argument("file", metavar="FILE", type=Path, help="要导入的 .xlsx 或 .csv 文件")
    importing.add_argument(
        "--skip-bad", action="store_true", help="跳过有误的行，只导入无误的行（有误的行仍会列出）"
    )
    importing.set_defaults(handler=cmd_calendar_import)
    template = subparser(
        calendar_commands,
        "template",
        "生成放假安排导入模板：.xlsx（带填写说明工作表）或 .csv（仅表头）；无需登录",
    )
    template.add_argument("file", metavar="FILE", type=Path, help="写入的模板文件（.xlsx 或 .csv）")
    template.set_defaults(handler=cmd_calendar_template)


def weekday(day: Any) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


def cmd_calendar_show(ctx: Context) -> int:
    import json

    year = ctx.args.year
    if not 1900 <= year <= 9999:
        raise ValidationError(f"年份“{year}”无效，请写四位年份，如 2026。", field="year")
    with open_services(ctx) as services:
        schedule = services.calendar.year(year)
    if ctx.args.json:
        payload = {
            "year": year,
            "has_schedule": schedule.has_schedule,
            "days": [
                {"date": d.day.isoformat(), "kind": d.kind.value, "kind_label": d.kind_label, "name": d.name}
                for d in schedule.days
            ],
        }
        out(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not schedule.has_schedule:
        out(f"{year} 年尚未登记放假安排：该年的期限按周一至周五计算，标注为“暂定”。")
        return EXIT_OK
    rows = [(d.day.isoformat(), weekday(d.day), d.kind_label, d.name) for d in schedule.days]
    for line in format_table(("日期", "星期", "类型", "名称"), rows):
        out(line)
    out(f"{year} 年：放假 {schedule.off_count} 天，调休上班 {schedule.work_count} 天。")
    return EXIT_OK


def cmd_calendar_deadline(ctx: Context) -> int:
    import json

    from desktop_app.domain.workdays import first_year_without_schedule
    from desktop_app.services.tabular_import import RowError, parse_date

    try:
        received = parse_date(ctx.args.date.strip(), "date")
    except RowError as exc:
        raise ValidationError(exc.reason, field="date") from None
    if received is None:
        raise ValidationError("请给出收到日期，如 2026-03-01。", field="date")
    with open_services(ctx) as services:
        deadline = services.calendar.deadline(received, ctx.args.n)
        calendar = services.calendar.calendar()
    if ctx.args.json:
        payload = {
            "received": received.isoformat(),
            "working_days": ctx.args.n,
            "deadline": deadline.day.isoformat(),
            "provisional": deadline.provisional,
        }
        out(json.dumps(payload, ensure_ascii=False))
        return EXIT_OK
    mark = "（暂定）" if deadline.provisional else ""
    out(
        f"{received.isoformat()} 收到，{ctx.args.n} 个工作日：期限 {deadline.day.isoformat()}"
        f"（{weekday(deadline.day)}）{mark}"
    )
    year = first_year_without_schedule(calendar, received, deadline.day)
    if deadline.provisional and year is not None:
        out(PROVISIONAL_NOTE.format(year=year))
    return EXIT_OK


def cmd_calendar_import(ctx: Context) -> int:
    source = ctx.args.file.expanduser()
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        report = services.calendar_import.commit(actor, source, ctx.args.skip_bad, kind="days")
    out(f"文件：{source}（SHA-256 {report.sha256}）")
    for message in report.file_errors:
        out(f"文件有误：{message}")
    bad = report.bad_rows
    if bad:
        out(f"有误的行（{len(bad)}）：")
        rows = [(f"第 {r.row} 行", r.column or "—", r.reason) for r in bad]
        for line in format_table(("行号", "列", "原因"), rows):
            out(f"  {line}")
    if report.committed:
        out(f"已导入 {report.created} 天；已登记跳过 {report.present} 天；有误跳过 {report.bad} 行。")
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
    out(f"没有需要导入的新日期：已登记跳过 {report.present} 天。")
    return EXIT_OK


def cmd_calendar_template(ctx: Context) -> int:
    from desktop_app.services.calendar import write_template

    target = write_template(ctx.args.file.expanduser().resolve())
    out(f"已生成导入模板：{target}")
    return EXIT_OK
