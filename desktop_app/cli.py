"""The admin and batch commands of ``integrity-desk`` (argparse sub-commands).

Every command opens the database the way the application does (backup, upgrade, key check) and acts
through the services, so roles, lockout, forced password changes and the audit trail apply exactly as
in the GUI. Commands other than ``init``, ``demo`` and ``db`` sign in with ``--user NAME``; the password
comes from ``INTEGRITY_DESK_PASSWORD`` or, on a terminal, a prompt. New passwords are read from the
first line of standard input (or prompted twice on a terminal).

Exit codes: 0 done; 1 audit chain broken, or ``notice verify`` found no genuine document, or ``import``
imported nothing because the file has bad rows; 2 refused (usage, permission, wrong password, invalid
input: the reason is printed in Chinese on stderr); 3 ``credit check``: 禁止入场; 4 ``credit check``:
未找到; 70 unexpected error (traceback in the log file).

Module-level imports stay light (no SQLAlchemy, never Qt) so ``--help`` answers at once; the services
are imported by the commands that use them.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import shutil
import sqlite3
import sys
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from desktop_app import DISPLAY_NAME, __version__, clock, paths
from desktop_app.domain.errors import DomainError, PasswordChangeRequired, ValidationError
from desktop_app.domain.roles import ROLE_LABELS, Role
from desktop_app.settings import Settings, describe_db_url

if TYPE_CHECKING:
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services
    from desktop_app.store.migrate import OpenReport

log = logging.getLogger(__name__)

PASSWORD_ENV = "INTEGRITY_DESK_PASSWORD"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2
EXIT_BANNED = 3  # credit check: 禁止入场
EXIT_NOT_FOUND = 4  # credit check: 未找到
EXIT_INTERRUPTED = 130
EXIT_SOFTWARE = 70  # sysexits EX_SOFTWARE: a bug
EXIT_BROKEN_PIPE = 141  # as a shell reports a process ended by SIGPIPE

PROG = "integrity-desk"

COMMANDS_EPILOG = """\
命令一览：
  init --admin NAME              初始化新数据库并创建首个系统管理员（密码从标准输入读取）
  demo [--force]                 在数据目录中生成演示中心，并显示一次演示账户密码
  db upgrade                     备份并将数据库升级到本程序的版本
  db current                     显示数据库版本与本程序版本（不升级）
  backup [--to FILE]             备份数据库（系统管理员）
  restore FILE                   用经过校验的备份替换数据库（系统管理员）
  audit verify                   校验审计链（审计管理员）
  user add NAME --role ROLE      新建账户（系统管理员；密码从标准输入读取）
  passwd                         修改自己的密码（新密码从标准输入读取）
  notice test-page -o FILE.pdf   出具一张带编号和验证码的打印测试页
  notice verify NUMBER CODE      验证文书的编号与验证码（--file F.pdf 同时核对文件）
  notice reprint NUMBER -o FILE  补打已出具的文书（标注“补打”）
  credit check QUERY [--on DATE] [--json]
                                 入场信用核查：按名称、代码或身份证号查询，给出入场结论
  import subjects|records FILE [--skip-bad]
                                 从 .xlsx 或 .csv 批量导入信用主体或信用记录
  import template subjects|records FILE
                                 生成导入模板（.xlsx 或 .csv）
不带命令时启动图形界面。

以账户身份执行的命令（backup、restore、audit、user、passwd、notice、credit、import）需要 --user NAME，
密码取自环境变量 INTEGRITY_DESK_PASSWORD，未设置时在终端中输入（import template 不需要）。
退出码：0 成功（credit check：可入场或有不良记录）；1 审计链校验未通过，或 notice verify 判定不是真实文书，
或 import 因文件有误未导入任何数据；2 操作被拒绝或输入有误；3 credit check 结论为禁止入场；
4 credit check 未找到；70 意外错误（详见日志）。
"""


# -- the parser ---------------------------------------------------------------------------------
class _Formatter(argparse.RawDescriptionHelpFormatter):
    def _split_lines(self, text: str, width: int) -> list[str]:
        # Role names have hyphens: never wrap inside "system-admin".
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's own messages are English; the ones a hall administrator will meet, in Chinese.
_ARGPARSE_MESSAGES = (
    ("the following arguments are required: ", "缺少必需的参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("expected one argument", "需要提供一个值"),
    ("invalid choice: ", "无效的选择："),
    ("choose from ", "可选："),
    ("argument ", "参数 "),
)


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_MESSAGES:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(EXIT_REFUSED, f"{self.prog}：错误：{message}\n")


def _chinese_argparse_texts(parser: argparse.ArgumentParser) -> None:
    parser._positionals.title = "位置参数"
    parser._optionals.title = "选项"


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Options accepted before the command and, repeated, after it (the later one wins)."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--home",
        metavar="DIR",
        default=default,
        help="数据目录（默认取环境变量 INTEGRITY_DESK_HOME，否则为系统的应用数据目录）",
    )
    parser.add_argument(
        "--db-url",
        metavar="URL",
        default=default,
        help="数据库地址（默认依次取环境变量 INTEGRITY_DESK_DB_URL、settings.json、数据目录中的 SQLite 文件）",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=default,
        help="以此账户身份执行命令（密码取自环境变量 INTEGRITY_DESK_PASSWORD 或终端输入）",
    )


def _subparser(subparsers: argparse._SubParsersAction[Any], name: str, text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=text, description=text, formatter_class=_Formatter, add_help=False
    )
    parser.add_argument("-h", "--help", action="help", help="显示此帮助并退出")
    _chinese_argparse_texts(parser)
    _global_options(parser, suppress=True)
    return parser


def _nested(parser: argparse.ArgumentParser, dest: str) -> argparse._SubParsersAction[Any]:
    return parser.add_subparsers(
        dest=dest, metavar="子命令", title="子命令", required=True, parser_class=ArgumentParser
    )


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog=PROG,
        description=f"{DISPLAY_NAME}：公共资源交易中心服务大厅的诚信管理程序。不带命令时启动图形界面。",
        epilog=COMMANDS_EPILOG,
        formatter_class=_Formatter,
        add_help=False,
    )
    _chinese_argparse_texts(parser)
    parser.add_argument("-h", "--help", action="help", help="显示此帮助并退出")
    parser.add_argument(
        "--version", action="version", version=f"{DISPLAY_NAME} {__version__}", help="显示版本号并退出"
    )
    _global_options(parser, suppress=False)
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="在后台构建主窗口并连接已配置的数据库，成功则输出 ok 并退出（用于安装检查）",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="命令", title="命令", parser_class=ArgumentParser
    )

    init = _subparser(commands, "init", "初始化新数据库并创建首个系统管理员（密码从标准输入第一行读取）")
    init.add_argument("--admin", metavar="NAME", required=True, help="系统管理员的用户名")
    init.add_argument(
        "--name", "--display-name", dest="display_name", metavar="DISPLAY", default="", help="显示的姓名"
    )
    init.set_defaults(handler=cmd_init)

    demo = _subparser(commands, "demo", "在数据目录中生成确定的演示中心，并显示一次演示账户及密码")
    demo.add_argument(
        "--force",
        action="store_true",
        help="数据目录中已有数据库时清空重建：原数据库先备份到 backups/，原密钥文件改名保留",
    )
    demo.set_defaults(handler=cmd_demo)

    db = _subparser(commands, "db", "数据库版本：upgrade 升级，current 查看")
    db_commands = _nested(db, "db_command")
    _subparser(db_commands, "upgrade", "备份并将数据库升级到本程序的版本").set_defaults(
        handler=cmd_db_upgrade
    )
    _subparser(db_commands, "current", "显示数据库当前版本与本程序所需版本（不做升级）").set_defaults(
        handler=cmd_db_current
    )

    backup = _subparser(commands, "backup", "备份数据库（系统管理员）")
    backup.add_argument("--to", metavar="FILE", type=Path, help="备份文件（默认写入数据目录的 backups/）")
    backup.set_defaults(handler=cmd_backup)

    restore = _subparser(
        commands, "restore", "用备份替换数据库（系统管理员）：备份须通过完整性检查和审计链校验"
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="备份文件")
    restore.set_defaults(handler=cmd_restore)

    audit = _subparser(commands, "audit", "审计日志：verify 校验审计链（审计管理员）")
    audit_commands = _nested(audit, "audit_command")
    _subparser(audit_commands, "verify", "从头到尾校验审计链，报告第一条异常记录").set_defaults(
        handler=cmd_audit_verify
    )

    user = _subparser(commands, "user", "账户管理：add 新建账户（系统管理员）")
    user_commands = _nested(user, "user_command")
    add = _subparser(user_commands, "add", "新建账户；初始密码从标准输入第一行读取")
    add.add_argument("username", metavar="NAME", help="用户名")
    add.add_argument(
        "--role",
        dest="roles",
        metavar="ROLE",
        action="append",
        required=True,
        help="角色，可重复："
        + "，".join(f"{r.value}（{ROLE_LABELS[r]}）" for r in Role)
        + "。系统管理员、审计管理员不能兼任，也不能兼任业务角色",
    )
    add.add_argument("--department", metavar="DEPT", help="所属科室名称（科室负责人必填）")
    add.add_argument("--display-name", "--name", dest="display_name", metavar="X", default="", help="姓名")
    add.add_argument(
        "--no-password-change",
        action="store_true",
        help="首次登录不要求修改密码（默认要求，因为管理员知道初始密码）",
    )
    add.set_defaults(handler=cmd_user_add)

    passwd = _subparser(
        commands,
        "passwd",
        "修改 --user 账户自己的密码：原密码取自 INTEGRITY_DESK_PASSWORD 或终端输入，新密码从标准输入读取",
    )
    passwd.set_defaults(handler=cmd_passwd)

    notice = _subparser(
        commands, "notice", "编号文书：test-page 出具打印测试页，verify 验证文书，reprint 补打"
    )
    notice_commands = _nested(notice, "notice_command")
    test_page = _subparser(
        notice_commands,
        "test-page",
        "出具一张打印测试页（带文书编号、验证码和二维码，存档并记入审计日志；任何已登录账户均可）",
    )
    test_page.add_argument(
        "-o", "--output", metavar="FILE.pdf", type=Path, required=True, help="写入的 PDF 文件"
    )
    test_page.set_defaults(handler=cmd_notice_test_page)
    verify = _subparser(
        notice_commands,
        "verify",
        "验证文书：编号与验证码是否与本中心档案一致；给出 --file 时同时核对文件是否为本中心出具的原件或补打件。"
        "退出码：0 真实有效，1 不是真实文书，2 出错",
    )
    verify.add_argument("number", metavar="NUMBER", help="文书编号，例如 CS2026-000001")
    verify.add_argument("code", metavar="CODE", help="验证码（大小写、短横线均可省略）")
    verify.add_argument("--file", metavar="F.pdf", type=Path, help="要核对的 PDF 文件")
    verify.set_defaults(handler=cmd_notice_verify)
    reprint = _subparser(
        notice_commands, "reprint", "补打已出具的文书：按存档内容重新生成，标注“补打”及补打时间"
    )
    reprint.add_argument("number", metavar="NUMBER", help="文书编号")
    reprint.add_argument(
        "-o", "--output", metavar="FILE.pdf", type=Path, required=True, help="写入的 PDF 文件"
    )
    reprint.set_defaults(handler=cmd_notice_reprint)

    credit = _subparser(commands, "credit", "信用档案：check 入场信用核查")
    credit_commands = _nested(credit, "credit_command")
    check = _subparser(
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

    importing = _subparser(
        commands,
        "import",
        "批量导入（科室负责人、中心领导）：subjects 信用主体，records 信用记录，template 生成模板",
    )
    import_commands = _nested(importing, "import_command")
    for name, text in (
        (
            "subjects",
            "从 .xlsx 或 .csv 导入信用主体。统一社会信用代码或身份证号已登记的主体跳过，不会重复导入",
        ),
        (
            "records",
            "从 .xlsx 或 .csv 导入信用记录。已登记的相同记录（同一主体、类别、文号、决定日期和事实）跳过；"
            "科室负责人导入的禁止入场、严重失信记录须经中心领导确认后生效",
        ),
    ):
        sub = _subparser(
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
    template = _subparser(
        import_commands, "template", "生成导入模板：.xlsx（带填写说明工作表）或 .csv（仅表头）；无需登录"
    )
    template.add_argument("kind", metavar="KIND", choices=("subjects", "records"), help="subjects 或 records")
    template.add_argument("file", metavar="FILE", type=Path, help="写入的模板文件（.xlsx 或 .csv）")
    template.set_defaults(handler=cmd_import_template)
    return parser


# -- running a command --------------------------------------------------------------------------
@dataclass
class Context:
    args: argparse.Namespace
    where: paths.Locations
    settings: Settings
    db_url: str
    open_report: OpenReport | None = None

    @property
    def key_file(self) -> Path:
        return self.settings.resolved_key_file(self.where)


def run(args: argparse.Namespace, where: paths.Locations, settings: Settings) -> int:
    """Run the parsed command; every outcome becomes an exit code and a message."""
    ctx = Context(args, where, settings, settings.resolved_db_url(where, args.db_url))
    handler: Callable[[Context], int] = args.handler
    name = " ".join(part for part in (args.command, getattr(args, f"{args.command}_command", None)) if part)
    log.info("command %s (home %s, %s)", name, where.home, describe_db_url(ctx.db_url))
    try:
        code = handler(ctx)
    except DomainError as exc:
        # The reason goes to the user; the log keeps only its kind (messages may quote what was typed).
        log.info("command %s refused: %s", name, type(exc).__name__)
        _err(f"错误：{exc.message}")
        return EXIT_REFUSED
    except KeyboardInterrupt:
        _err("已取消。")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into a program that stopped reading (| head): not a bug of ours.
        log.info("command %s: output pipe closed by the reader", name)
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception:
        log.exception("unexpected error in command %s", name)
        _err(f"发生意外错误，命令未完成。详细信息已写入日志：{where.log_file}")
        return EXIT_SOFTWARE
    log.info("command %s finished with exit code %s", name, code)
    return code


def _silence_stdout() -> None:
    """Point stdout at the null device so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a real file (tests capture it): nothing will flush it at exit


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _unreachable(ctx: Context, exc: Exception) -> DomainError:
    """A database that cannot be reached is the user's to fix (server, URL, rights), not a bug."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    log.warning("cannot open %s: %s", describe_db_url(ctx.db_url), type(cause).__name__)
    return DomainError(
        f"无法打开数据库（{describe_db_url(ctx.db_url)}）：{lines[0] if lines else type(cause).__name__}"
    )


@contextmanager
def open_services(ctx: Context) -> Iterator[Services]:
    """Open the database as the application does on start (backup, upgrade, key check)."""
    from sqlalchemy.exc import DBAPIError

    from desktop_app.services.facade import Services
    from desktop_app.store.migrate import open_database

    try:
        database, report = open_database(
            ctx.db_url, ctx.key_file, ctx.where.backups, ctx.settings.resolved_workstation()
        )
    except DBAPIError as exc:
        raise _unreachable(ctx, exc) from exc
    ctx.open_report = report
    try:
        if report.upgraded_from is not None and ctx.args.command != "db":
            _err(f"提示：数据库已从版本 {report.upgraded_from} 升级（升级前备份：{report.backup}）。")
        yield Services(database)
    finally:
        database.dispose()


def _strip_newline(line: str) -> str:
    if line.endswith("\n"):
        line = line[:-1]
    if line.endswith("\r"):
        line = line[:-1]
    return line


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def read_new_password(what: str) -> str:
    """A new password: prompted twice on a terminal, else the first line of standard input."""
    if _stdin_is_terminal():
        first = getpass.getpass(f"{what}：")
        if getpass.getpass("再次输入以确认：") != first:
            raise ValidationError("两次输入的密码不一致。")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise ValidationError(f"未从标准输入读到{what}：请在第一行提供（例如 printf '%s\\n' … | {PROG} …）。")
    return _strip_newline(line)


def current_password(username: str) -> str:
    """The signing-in password: the environment variable, else a prompt on a terminal."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if _stdin_is_terminal():
        return getpass.getpass(f"账户 {username} 的密码：")
    raise ValidationError(f"未提供密码：请设置环境变量 {PASSWORD_ENV}，或在终端中运行以输入密码。")


def _username(ctx: Context) -> str:
    username = (ctx.args.user or "").strip()
    if not username:
        raise ValidationError(
            f"此命令需要以账户身份执行：请用 --user NAME 指定用户名（密码取自环境变量 {PASSWORD_ENV}）。"
        )
    return username


def sign_in(ctx: Context, services: Services) -> CurrentUser:
    username = _username(ctx)
    password = current_password(username)
    try:
        return services.auth.login(username, password)
    except PasswordChangeRequired as exc:
        raise PasswordChangeRequired(
            f"{exc.message}请先运行：{PROG} --user {username} passwd（新密码从标准输入读取）"
        ) from None


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(_display_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [str(c) + " " * (w - _display_width(str(c))) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


# -- commands -----------------------------------------------------------------------------------
def cmd_init(ctx: Context) -> int:
    from desktop_app.services.auth import validate_username

    username = validate_username(ctx.args.admin)
    with open_services(ctx) as services:
        if not services.auth.needs_first_admin():
            raise ValidationError("系统已初始化（数据库中已有账户），请由系统管理员用 user add 创建账户。")
        password = read_new_password("系统管理员的密码")
        services.auth.create_first_admin(username, password, ctx.args.display_name)
    _out(f"已初始化{DISPLAY_NAME}：系统管理员账户 {username}。")
    _out(f"数据目录：{ctx.where.home}")
    _out(f"数据库：{describe_db_url(ctx.db_url)}")
    _out(f"密钥文件：{ctx.key_file}（请另行妥善备份，不要与数据库备份放在一起）")
    return EXIT_OK


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _clear_for_demo(ctx: Context) -> None:
    """``demo --force``: set the home's SQLite database and key file aside so the demo starts empty."""
    from desktop_app.store.migrate import automatic_backup, sqlite_path

    path = sqlite_path(ctx.db_url)
    if path is None:
        raise ValidationError("--force 只能用于数据目录中的 SQLite 数据库；PostgreSQL 请使用一个空的数据库。")
    if not _inside(path, ctx.where.home):
        raise ValidationError(f"数据库 {path} 不在数据目录 {ctx.where.home} 中，--force 不会删除它。")
    now = clock.local_now().replace(tzinfo=None)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    if path.is_file():
        try:
            kept = automatic_backup(path, ctx.where.backups, "before-demo", now)
        except sqlite3.DatabaseError:
            # A damaged file cannot go through the backup API: keep its bytes as they are.
            kept = ctx.where.backups / f"integrity-desk-{stamp}-before-demo.sqlite3"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, kept)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        _out(f"原数据库已备份到：{kept}")
    key_file = ctx.key_file
    if key_file.is_file() and _inside(key_file, ctx.where.home):
        aside = key_file.with_name(f"{key_file.name}.before-demo-{stamp}")
        key_file.replace(aside)
        _out(f"原密钥文件已改名为：{aside}（打开上述备份需要它）")


def cmd_demo(ctx: Context) -> int:
    from desktop_app.services.demo import build_demo

    if ctx.args.force:
        _clear_for_demo(ctx)
    with open_services(ctx) as services:
        if not services.auth.needs_first_admin():
            raise ValidationError(
                f"数据目录 {ctx.where.home} 中的数据库已有数据，未做任何改动。"
                f"如要清空并重建演示中心，请加 --force（原数据库会先备份，原密钥文件改名保留）。"
            )
        report = build_demo(services)
    _out(f"演示中心已生成：{report.center_name}")
    _out(f"数据目录：{ctx.where.home}")
    _out(f"数据库：{describe_db_url(ctx.db_url)}")
    _out(
        f"科室 {len(report.departments)} 个，人员 {report.counts.get('staff', 0)} 名，"
        f"账户 {len(report.accounts)} 个。"
    )
    _out()
    _out("演示账户（密码只显示这一次，请记下）：")
    rows = [(a.username, a.role_labels, a.display_name, a.department, a.password) for a in report.accounts]
    for line in format_table(("用户名", "角色", "姓名", "科室", "密码"), rows):
        _out(line)
    _out()
    _out(f"启动：{PROG} --home {ctx.where.home}")
    return EXIT_OK


def cmd_db_upgrade(ctx: Context) -> int:
    from desktop_app.store.migrate import head_revision

    with open_services(ctx):
        report = ctx.open_report
    assert report is not None
    head = head_revision()
    _out(f"数据库：{describe_db_url(ctx.db_url)}")
    if report.upgraded:
        _out(f"已升级：{report.upgraded_from or '（空数据库）'} → {head}")
    else:
        _out(f"无需升级：已是最新版本 {head}")
    if report.backup is not None:
        _out(f"升级前备份：{report.backup}")
    return EXIT_OK


def cmd_db_current(ctx: Context) -> int:
    from sqlalchemy.exc import DBAPIError

    from desktop_app.store.database import make_engine
    from desktop_app.store.migrate import current_revision, head_revision, script_directory, sqlite_path

    head = head_revision()
    path = sqlite_path(ctx.db_url)
    current: str | None = None
    if path is None or path.is_file():
        engine = make_engine(ctx.db_url)
        try:
            current = current_revision(engine)
        except DBAPIError as exc:
            raise _unreachable(ctx, exc) from exc
        finally:
            engine.dispose()
    _out(f"数据库：{describe_db_url(ctx.db_url)}")
    _out(f"数据库版本：{current or '（尚未创建）'}")
    _out(f"程序所需版本：{head}")
    known = {rev.revision for rev in script_directory().walk_revisions()}
    if current is None:
        _out(f"状态：数据库尚未创建，请运行 {PROG} init 或 {PROG} demo")
    elif current == head:
        _out("状态：已是最新（up to date）")
    elif current is not None and current not in known:
        _out("状态：数据库比本程序新，请升级本程序")
    else:
        _out(f"状态：需要升级（not up to date），请运行 {PROG} db upgrade")
    return EXIT_OK


def cmd_backup(ctx: Context) -> int:
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        target = ctx.args.to.expanduser().resolve() if ctx.args.to else None
        made = services.maintenance.backup(actor, target, ctx.where.backups)
    _out(f"已备份到：{made}")
    return EXIT_OK


def cmd_restore(ctx: Context) -> int:
    source = ctx.args.file.expanduser().resolve()
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        safety = services.maintenance.restore(actor, source, ctx.where.backups)
    _out(f"已从 {source} 恢复数据库。")
    _out(f"恢复前的数据库已另存为：{safety}")
    return EXIT_OK


def cmd_audit_verify(ctx: Context) -> int:
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        result = services.audit_log.verify(actor)
    if result.intact:
        _out(f"审计链完整：已校验 {result.checked} 条记录。")
        return EXIT_OK
    where = f"第 {result.first_bad_seq} 条记录" if result.first_bad_seq is not None else "审计链头"
    _out(f"审计链校验未通过：首个异常为{where}。原因：{result.reason}（此前 {result.checked} 条校验正常）")
    return EXIT_FAILED


def cmd_user_add(ctx: Context) -> int:
    from desktop_app.domain.roles import Permission, parse_role
    from desktop_app.services.auth import validate_username

    username = validate_username(ctx.args.username)
    roles = {parse_role(text) for text in ctx.args.roles}
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        actor.require(Permission.ADMIN_USERS)  # before asking for a password
        department_id: int | None = None
        if ctx.args.department:
            wanted = ctx.args.department.strip()
            department_id = next(
                (d.id for d in services.organisation.departments(include_inactive=False) if d.name == wanted),
                None,
            )
            if department_id is None:
                names = "、".join(d.name for d in services.organisation.departments(include_inactive=False))
                raise ValidationError(f"找不到科室“{wanted}”。现有科室：{names}", field="department")
        password = read_new_password(f"账户 {username} 的初始密码")
        info = services.users.create(
            actor,
            username=username,
            display_name=ctx.args.display_name.strip() or username,
            roles=roles,
            password=password,
            department_id=department_id,
            must_change_password=not ctx.args.no_password_change,
        )
    _out(f"已新建账户 {info.username}（{info.display_name}）：{info.role_labels}")
    if info.department_name:
        _out(f"科室：{info.department_name}")
    if info.must_change_password:
        _out(f"该账户首次登录时须修改密码（{PROG} --user {info.username} passwd，或在登录界面修改）。")
    return EXIT_OK


def cmd_passwd(ctx: Context) -> int:
    username = _username(ctx)
    with open_services(ctx) as services:
        old = current_password(username)
        new = read_new_password("新密码")
        services.auth.change_password(username, old, new)
    _out(f"账户 {username} 的密码已修改。")
    return EXIT_OK


# -- notices ------------------------------------------------------------------------------------
def _output_path(path: Path) -> Path:
    """Where a PDF goes; refused before anything is issued if it cannot be a file."""
    target = path.expanduser().resolve()
    if target.is_dir():
        raise ValidationError(f"{target} 是一个文件夹：请给出要写入的 PDF 文件名。", field="output")
    if target.parent.exists() and not target.parent.is_dir():
        raise ValidationError(f"{target.parent} 不是文件夹，无法写入 {target.name}。", field="output")
    return target


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件或文件夹不存在"
    if isinstance(exc, PermissionError):
        return "没有访问权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹"
    return exc.strerror or type(exc).__name__


def _save_pdf(services: Services, actor: CurrentUser, number: str, pdf: bytes, target: Path) -> None:
    """Write the PDF atomically and log the export; the document itself is already archived."""
    from desktop_app.notices.files import write_atomic

    try:
        write_atomic(target, pdf)
    except OSError as exc:
        log.warning("could not write notice %s: %s", number, type(exc).__name__)
        raise DomainError(
            f"文书 {number} 已出具并存档，但无法写入文件 {target}：{_os_reason(exc)}。"
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
            printed_at=services.db.now(),
            workstation=ctx.settings.resolved_workstation(),
            operator=actor.display_name or actor.username,
        )
        issued = services.notices.issue(actor, "test_page", page)
        _save_pdf(services, actor, issued.number, issued.pdf, target)
    _out(f"已出具打印测试页：{target}")
    _out(f"文书编号：{issued.number}")
    _out(f"验证码：{issued.verify_code}")
    return EXIT_OK


def cmd_notice_verify(ctx: Context) -> int:
    from desktop_app.services.base import local_time_text

    pdf: bytes | None = None
    if ctx.args.file is not None:
        source = ctx.args.file.expanduser()
        try:
            pdf = source.read_bytes()
        except OSError as exc:
            raise ValidationError(f"无法读取文件 {source}：{_os_reason(exc)}。", field="file") from exc
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        outcome = services.notices.verify(actor, ctx.args.number, ctx.args.code, pdf)
    if outcome.genuine:
        _out(outcome.reason if outcome.reason.startswith("真实有效") else f"真实有效：{outcome.reason}")
    else:
        _out(f"不是真实文书：{outcome.reason}")
    _out(f"文书编号：{outcome.number or ctx.args.number.strip()}")
    if outcome.doc_label:
        _out(f"文书类型：{outcome.doc_label}")
    if outcome.title:
        _out(f"标题：{outcome.title}")
    if outcome.issued_at is not None:
        _out(f"出具时间：{local_time_text(outcome.issued_at)}（出具人 {outcome.issued_by}）")
        _out(f"补打次数：{outcome.reprints}")
    if outcome.content:
        _out("文书内容：")
        for line in outcome.content:
            if line:
                _out(f"  {line}")
    return EXIT_OK if outcome.genuine else EXIT_FAILED


def cmd_notice_reprint(ctx: Context) -> int:
    target = _output_path(ctx.args.output)
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        issued = services.notices.reprint(actor, ctx.args.number)
        _save_pdf(services, actor, issued.number, issued.pdf, target)
    _out(f"已补打文书 {issued.number}（{issued.title}）：{target}")
    _out(f"验证码：{issued.verify_code}（与原件相同）")
    return EXIT_OK


# -- credit files -------------------------------------------------------------------------------
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
    from desktop_app.domain.identifiers import mask_id_query

    on = _check_date(ctx.args.on)
    query = ctx.args.query.strip()
    if not query:
        raise ValidationError("请给出要查询的名称、统一社会信用代码或身份证号。", field="query")
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        result = services.credit.search(actor, query, on)
        as_of = services.credit.data_as_of()
    verdict, decided_by, decisive = query_verdict(query, result.hits)
    shown_query = mask_id_query(query)
    code = {Verdict.BANNED: EXIT_BANNED, Verdict.NOT_FOUND: EXIT_NOT_FOUND}.get(verdict, EXIT_OK)
    decisive_ids = {h.subject_id for h in decisive}
    how_labels = {
        "id": "身份证号",
        "uscc": "统一社会信用代码",
        "name": "名称",
        "alias": "曾用名",
        "initials": "拼音首字母",
        "uscc_prefix": "代码前几位",
    }
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
                    "identifier_type": "id_number" if "*" in h.identifier else "uscc",
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
        _out(json.dumps(payload, ensure_ascii=False, indent=2))
        return code
    _out(f"查询：{shown_query}　核验日期：{result.on.isoformat()}")
    if as_of is not None:
        _out(f"数据截至：{as_of.astimezone().strftime('%Y-%m-%d %H:%M:%S')}")
    _out(f"结论：{VERDICT_LABELS[verdict]}")
    if not result.hits:
        _out(result.hint or "按查询内容未找到信用档案。")
        return code
    if decided_by == "partial" and len(result.hits) > 1:
        _out(
            f"注意：没有完全相符的主体，以下 {len(result.hits)} 个部分匹配中有任何一个禁止入场即按禁止入场处理；请核对名称或改用代码查询。"
        )
    elif len(decisive) > 1:
        _out(f"注意：有 {len(decisive)} 个主体与查询内容完全相符，请核对代码后再作决定。")
    for index, h in enumerate(result.hits, 1):
        id_label = "身份证号" if "*" in h.identifier else "统一社会信用代码"
        mark = "" if h.subject_id in decisive_ids else "（部分匹配，不计入结论）"
        _out()
        _out(f"[{index}] {h.name}（{h.kind_label}）{mark}")
        _out(f"    {id_label}：{h.identifier}")
        matched = how_labels.get(h.how, h.how) + (f"“{h.matched_alias}”" if h.matched_alias else "")
        _out(f"    匹配：{matched}")
        _out(f"    结论：{h.verdict_label}　{h.reason}")
        _out(f"    信用分：{h.score} 分 / {h.grade} 级（仅供参考，不作为入场条件）")
    return code


def cmd_import(ctx: Context) -> int:
    kind = ctx.args.import_kind
    source = ctx.args.file.expanduser()
    with open_services(ctx) as services:
        actor = sign_in(ctx, services)
        report = services.credit_import.commit(actor, source, ctx.args.skip_bad, kind=kind)
    what = "信用主体" if kind == "subjects" else "信用记录"
    _out(f"文件：{source}（SHA-256 {report.sha256}）")
    for message in report.file_errors:
        _out(f"文件有误：{message}")
    bad = report.bad_rows
    if bad:
        _out(f"有误的行（{len(bad)}）：")
        rows = [(f"第 {r.row} 行", r.column or "—", r.reason) for r in bad]
        for line in format_table(("行号", "列", "原因"), rows):
            _out(f"  {line}")
    if report.committed:
        _out(f"已导入{what} {report.created} 条；已存在跳过 {report.present} 条；有误跳过 {report.bad} 条。")
        if report.pending:
            _out(f"其中禁止入场、严重失信记录 {report.pending} 条须经中心领导确认后生效。")
        return EXIT_OK
    if report.file_errors:
        _out("未导入任何数据：请按上述提示修正文件后重新导入。")
        return EXIT_FAILED
    if report.bad:
        new = len(report.rows) - report.present - report.bad
        _out(f"新增 {new} 条，已存在 {report.present} 条，有误 {report.bad} 条。")
        if ctx.args.skip_bad:
            _out("未导入任何数据：没有无误的新行。")
        else:
            _out("未导入任何数据：请修正有误的行后重新导入，或加 --skip-bad 只导入无误的行。")
        return EXIT_FAILED
    _out(f"没有需要导入的新{what}：已存在跳过 {report.present} 条；有误 {report.bad} 条。")
    return EXIT_OK


def cmd_import_template(ctx: Context) -> int:
    from desktop_app.services.credit.importing import write_template

    target = write_template(ctx.args.kind, ctx.args.file.expanduser().resolve())
    _out(f"已生成导入模板：{target}")
    return EXIT_OK
