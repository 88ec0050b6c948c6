"""Setting up a database: ``init``, ``demo``, ``db upgrade`` and ``db current`` (no sign-in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app import DISPLAY_NAME
from desktop_app.cli.common import (
    EXIT_OK,
    PROG,
    Context,
    format_table,
    nested,
    open_services,
    out,
    read_new_password,
    subparser,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.settings import describe_db_url

if TYPE_CHECKING:
    from desktop_app.cli.common import Commands

OVERVIEW = """\
  init --admin NAME              初始化新数据库并创建首个系统管理员（密码从标准输入读取）
  demo [--force]                 在数据目录中生成演示中心，并显示一次演示账户密码
  db upgrade                     备份并将数据库升级到本程序的版本
  db current                     显示数据库版本与本程序版本（不升级）
"""


def register(commands: Commands) -> None:
    init = subparser(commands, "init", "初始化新数据库并创建首个系统管理员（密码从标准输入第一行读取）")
    init.add_argument("--admin", metavar="NAME", required=True, help="系统管理员的用户名")
    init.add_argument(
        "--name", "--display-name", dest="display_name", metavar="DISPLAY", default="", help="显示的姓名"
    )
    init.set_defaults(handler=cmd_init)

    demo = subparser(commands, "demo", "在数据目录中生成确定的演示中心，并显示一次演示账户及密码")
    demo.add_argument(
        "--force",
        action="store_true",
        help="数据目录中已有数据库时清空重建：原数据库先备份到 backups/，原密钥文件改名保留",
    )
    demo.set_defaults(handler=cmd_demo)

    db = subparser(commands, "db", "数据库版本：upgrade 升级，current 查看")
    db_commands = nested(db, "db_command")
    subparser(db_commands, "upgrade", "备份并将数据库升级到本程序的版本").set_defaults(handler=cmd_db_upgrade)
    subparser(db_commands, "current", "显示数据库当前版本与本程序所需版本（不做升级）").set_defaults(
        handler=cmd_db_current
    )


def cmd_init(ctx: Context) -> int:
    from desktop_app.services.auth import validate_username

    username = validate_username(ctx.args.admin)
    with open_services(ctx) as services:
        if not services.auth.needs_first_admin():
            raise ValidationError("系统已初始化（数据库中已有账户），请由系统管理员用 user add 创建账户。")
        password = read_new_password("系统管理员的密码")
        services.auth.create_first_admin(username, password, ctx.args.display_name)
    out(f"已初始化{DISPLAY_NAME}：系统管理员账户 {username}。")
    out(f"数据目录：{ctx.where.home}")
    out(f"数据库：{describe_db_url(ctx.db_url)}")
    out(f"密钥文件：{ctx.key_file}（请另行妥善备份，不要与数据库备份放在一起）")
    return EXIT_OK


def _clear_for_demo(ctx: Context) -> None:
    """``demo --force``: set the home's SQLite database and key file aside so the demo starts empty."""
    from desktop_app.services.opening import set_aside_for_demo

    aside = set_aside_for_demo(ctx.db_url, ctx.where.home, ctx.where.backups, ctx.key_file)
    if aside.backup is not None:
        out(f"原数据库已备份到：{aside.backup}")
    if aside.key_file is not None:
        out(f"原密钥文件已改名为：{aside.key_file}（打开上述备份需要它）")


def cmd_demo(ctx: Context) -> int:
    from desktop_app.services.opening import build_demo_database

    if ctx.args.force:
        _clear_for_demo(ctx)
    report = build_demo_database(
        ctx.db_url, ctx.key_file, ctx.where.backups, ctx.settings.resolved_workstation(), ctx.where.home
    )
    out(f"演示中心已生成：{report.center_name}")
    out(f"数据目录：{ctx.where.home}")
    out(f"数据库：{describe_db_url(ctx.db_url)}")
    out(
        f"科室 {len(report.departments)} 个，人员 {report.counts.get('staff', 0)} 名，"
        f"账户 {len(report.accounts)} 个。"
    )
    out()
    out("演示账户（密码只显示这一次，请记下）：")
    rows = [(a.username, a.role_labels, a.display_name, a.department, a.password) for a in report.accounts]
    for line in format_table(("用户名", "角色", "姓名", "科室", "密码"), rows):
        out(line)
    out()
    out(f"启动：{PROG} --home {ctx.where.home}")
    return EXIT_OK


def cmd_db_upgrade(ctx: Context) -> int:
    from desktop_app.services.opening import upgrade_database

    report = upgrade_database(
        ctx.db_url, ctx.key_file, ctx.where.backups, ctx.settings.resolved_workstation()
    )
    ctx.open_report = report
    out(f"数据库：{describe_db_url(ctx.db_url)}")
    if report.upgraded:
        out(f"已升级：{report.upgraded_from or '（空数据库）'} → {report.head}")
    else:
        out(f"无需升级：已是最新版本 {report.head}")
    if report.backup is not None:
        out(f"升级前备份：{report.backup}")
    return EXIT_OK


def cmd_db_current(ctx: Context) -> int:
    from desktop_app.services.opening import VersionState, version_status

    status = version_status(ctx.db_url)
    out(f"数据库：{describe_db_url(ctx.db_url)}")
    out(f"数据库版本：{status.current or '（尚未创建）'}")
    out(f"程序所需版本：{status.head}")
    if status.state is VersionState.MISSING:
        out(f"状态：数据库尚未创建，请运行 {PROG} init 或 {PROG} demo")
    elif status.state is VersionState.UP_TO_DATE:
        out("状态：已是最新（up to date）")
    elif status.state is VersionState.NEWER:
        out("状态：数据库比本程序新，请升级本程序")
    else:
        out(f"状态：需要升级（not up to date），请运行 {PROG} db upgrade")
    return EXIT_OK
