"""What every command group shares: exit codes, the Chinese argparse parser, the context of a run,
opening the database, signing in, reading passwords, output, tables and masking.

Module-level imports stay light (no SQLAlchemy, never Qt) so ``--help`` answers at once; the services
are imported by the functions that use them.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import logging
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from desktop_app import paths
from desktop_app.domain.errors import PasswordChangeRequired, ValidationError
from desktop_app.settings import Settings

if TYPE_CHECKING:
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services
    from desktop_app.services.opening import OpenReport

    # What a command group's ``register`` adds its commands to.
    Commands: TypeAlias = argparse._SubParsersAction[Any]

log = logging.getLogger(__name__)

PASSWORD_ENV = "INTEGRITY_DESK_PASSWORD"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2
EXIT_BANNED = 3  # credit check: 禁止入场
EXIT_NOT_FOUND = 4  # credit check: 未找到
EXIT_DISK_FULL = 5  # 磁盘空间不足: nothing was done, or (said so) the part before the disk filled
EXIT_INTERRUPTED = 130
EXIT_SOFTWARE = 70  # sysexits EX_SOFTWARE: a bug
EXIT_IO_ERROR = 74  # sysexits EX_IOERR: a file or folder cannot be read or written (rights, a device)
EXIT_BROKEN_PIPE = 141  # as a shell reports a process ended by SIGPIPE

PROG = "integrity-desk"


# -- the parser ---------------------------------------------------------------------------------
class Formatter(argparse.RawDescriptionHelpFormatter):
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


def chinese_argparse_texts(parser: argparse.ArgumentParser) -> None:
    parser._positionals.title = "位置参数"
    parser._optionals.title = "选项"


def global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
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


def subparser(commands: Commands, name: str, text: str) -> argparse.ArgumentParser:
    """A command (or sub-command) with Chinese help that also accepts the global options."""
    parser = commands.add_parser(name, help=text, description=text, formatter_class=Formatter, add_help=False)
    parser.add_argument("-h", "--help", action="help", help="显示此帮助并退出")
    chinese_argparse_texts(parser)
    global_options(parser, suppress=True)
    return parser


def nested(parser: argparse.ArgumentParser, dest: str) -> Commands:
    """The sub-commands of a command (``db upgrade``); one of them is required."""
    return parser.add_subparsers(
        dest=dest, metavar="子命令", title="子命令", required=True, parser_class=ArgumentParser
    )


def sub_commands(commands: Commands, name: str, text: str) -> Commands:
    """The sub-commands of the command ``name`` (made, with its sub-command list, if missing): a module
    registered later adds its own to a group another made (``notice``, ``evaluation``, ``export``)."""
    parser = commands.choices.get(name)
    if parser is None:
        return nested(subparser(commands, name, text), f"{name}_command")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: Commands = action
            return found
    return nested(parser, f"{name}_command")


def pdf_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", metavar="FILE.pdf", type=Path, required=True, help="写入的 PDF 文件"
    )


# -- the context of a run ------------------------------------------------------------------------
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


@contextmanager
def open_services(ctx: Context) -> Iterator[Services]:
    """Open the database as the application does on start (backup, upgrade, key check)."""
    from desktop_app.services.opening import open_services as open_database

    services, report = open_database(
        ctx.db_url,
        ctx.key_file,
        ctx.where.backups,
        ctx.settings.resolved_workstation(),
        keep=ctx.settings.backup_keep(),
    )
    ctx.open_report = report
    try:
        if report.backup_problem is not None:
            err(
                f"警告：今日自动备份未能完成（{report.backup_problem}）。程序继续运行，"
                f"但在问题解决前没有当天的备份：请系统管理员处理，详见日志 {ctx.where.log_file}。"
            )
        if report.upgraded_from is not None:
            err(f"提示：数据库已从版本 {report.upgraded_from} 升级（升级前备份：{report.backup}）。")
        yield services
    finally:
        services.dispose()


# -- output -------------------------------------------------------------------------------------
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNPRINTABLE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def one_line(text: object) -> str:
    """Text as one line of a terminal: line breaks, tabs and control characters written as escapes
    (\\n, \\x00), so a stored name or a cell's content can never break a table or the terminal."""
    return _UNPRINTABLE.sub(_escape, str(text))


def out(text: str = "") -> None:
    """A line (or lines) of output; a control character in it (a stored \\r, ESC...) is escaped, so it
    cannot rewrite the terminal. Values that may hold a line break go through ``one_line``."""
    print(_UNPRINTABLE_BUT_NEWLINE.sub(_escape, text), flush=True)


def err(text: str) -> None:
    print(_UNPRINTABLE_BUT_NEWLINE.sub(_escape, text), file=sys.stderr, flush=True)


def silence_stdout() -> None:
    """Point stdout at the null device so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a real file (tests capture it): nothing will flush it at exit


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns aligned for a terminal: a Chinese character takes two columns; every cell one line."""
    header = [one_line(c) for c in header]
    rows = [[one_line(c) for c in row] for row in rows]
    widths = [max(_display_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [str(c) + " " * (w - _display_width(str(c))) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def disk_full(exc: BaseException) -> bool:
    """Whether the failure, or what caused it, is a full disk (or quota): the OS's ENOSPC, SQLite's
    "database or disk is full", PostgreSQL's disk_full (SQLSTATE 53100)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        if type(error).__name__ == "DiskFull":
            return True
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return True
        if "database or disk is full" in str(error) or getattr(error, "sqlstate", None) == "53100":
            return True
        pending += [getattr(error, "orig", None), error.__cause__, error.__context__]
    return False


def os_reason(exc: OSError) -> str:
    """Why a file could not be used, in Chinese."""
    if isinstance(exc, FileNotFoundError):
        return "文件或文件夹不存在"
    if isinstance(exc, PermissionError):
        return "没有访问权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹"
    return exc.strerror or type(exc).__name__


# -- masking ------------------------------------------------------------------------------------
def masked_query(query: str) -> str:
    """A query as it may be shown or logged: an ID number in it is masked."""
    from desktop_app.domain.identifiers import mask_id_query

    return mask_id_query(query)


def is_id_number(identifier: str) -> bool:
    """Whether a subject's identifier, as the services give it, is a (masked) ID number: a USCC is
    shown in full, an ID number never."""
    return "*" in identifier


# -- passwords and signing in -------------------------------------------------------------------
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


def username_of(ctx: Context) -> str:
    """The ``--user`` of a command that acts as an account; refused when missing."""
    username = (ctx.args.user or "").strip()
    if not username:
        raise ValidationError(
            f"此命令需要以账户身份执行：请用 --user NAME 指定用户名（密码取自环境变量 {PASSWORD_ENV}）。"
        )
    return username


def sign_in(ctx: Context, services: Services) -> CurrentUser:
    username = username_of(ctx)
    password = current_password(username)
    try:
        return services.auth.login(username, password)
    except PasswordChangeRequired as exc:
        raise PasswordChangeRequired(
            f"{exc.message}请先运行：{PROG} --user {username} passwd（新密码从标准输入读取）"
        ) from None
