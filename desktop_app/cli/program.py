"""The program's command line: its parser, assembled from the command groups in a fixed order, and
``run``, which turns every outcome of a command into an exit code and a message."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from desktop_app import DISPLAY_NAME, __version__, paths
from desktop_app.cli import (
    accounts,
    audit,
    backup,
    calendar,
    complaints,
    credit,
    database,
    evaluation_papers,
    evaluations,
    importing,
    notices,
    scoring,
)
from desktop_app.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_DISK_FULL,
    EXIT_INTERRUPTED,
    EXIT_IO_ERROR,
    EXIT_REFUSED,
    EXIT_SOFTWARE,
    PROG,
    ArgumentParser,
    Context,
    Formatter,
    chinese_argparse_texts,
    disk_full,
    err,
    global_options,
    os_reason,
    silence_stdout,
)
from desktop_app.domain.errors import DomainError
from desktop_app.settings import Settings, describe_db_url

log = logging.getLogger(__name__)

# Each group registers its commands and lists them in the overview, in this order.
COMMAND_GROUPS = (
    database,
    backup,
    audit,
    accounts,
    notices,
    credit,
    importing,
    calendar,
    complaints,
    evaluations,
    # after the groups that make the notice and evaluation commands it adds to
    evaluation_papers,
    # monthly scoring: adds to notice, makes export
    scoring,
)

COMMANDS_EPILOG = (
    "命令一览：\n"
    + "".join(group.OVERVIEW for group in COMMAND_GROUPS)
    + """\
不带命令时启动图形界面。

以账户身份执行的命令（backup、restore、audit、user、passwd、notice、credit、import、calendar import、complaint、
evaluation、expert、export）需要 --user NAME，密码取自环境变量 INTEGRITY_DESK_PASSWORD，未设置时在终端中输入
（import template、calendar show/deadline/template、complaint template、evaluation template 不需要）。
退出码：0 成功（credit check：可入场或有不良记录）；1 审计链校验未通过，或 notice verify 判定不是真实文书，
或 import、calendar import、complaint import、evaluation import 因文件有误未导入任何数据；2 操作被拒绝或输入有误；3 credit check 结论为禁止入场；
4 credit check 未找到；5 磁盘空间不足（未写入任何数据）；70 意外错误（详见日志）；74 无法读写文件或文件夹。
"""
)


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog=PROG,
        description=f"{DISPLAY_NAME}：公共资源交易中心服务大厅的诚信管理程序。不带命令时启动图形界面。",
        epilog=COMMANDS_EPILOG,
        formatter_class=Formatter,
        add_help=False,
    )
    chinese_argparse_texts(parser)
    parser.add_argument("-h", "--help", action="help", help="显示此帮助并退出")
    parser.add_argument(
        "--version", action="version", version=f"{DISPLAY_NAME} {__version__}", help="显示版本号并退出"
    )
    global_options(parser, suppress=False)
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="在后台构建主窗口并连接已配置的数据库，成功则输出 ok 并退出（用于安装检查）",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="命令", title="命令", parser_class=ArgumentParser
    )
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def _described(url: str) -> str:
    try:
        return describe_db_url(url)
    except Exception:  # a URL too broken to parse: the command says so; the log says nothing of it
        return "an unparsable database URL"


def run(args: argparse.Namespace, where: paths.Locations, settings: Settings) -> int:
    """Run the parsed command; every outcome becomes an exit code and a message."""
    ctx = Context(args, where, settings, settings.resolved_db_url(where, args.db_url))
    handler: Callable[[Context], int] = args.handler
    name = " ".join(part for part in (args.command, getattr(args, f"{args.command}_command", None)) if part)
    log.info("command %s (home %s, %s)", name, where.home, _described(ctx.db_url))
    try:
        code = handler(ctx)
    except KeyboardInterrupt:
        err("已取消。")
        return EXIT_INTERRUPTED
    except Exception as exc:
        return failure_code(exc, name, where)
    log.info("command %s finished with exit code %s", name, code)
    return code


def failure_code(exc: Exception, name: str, where: paths.Locations) -> int:
    """The message and exit code of a command that did not finish; never a traceback on screen."""
    if disk_full(exc):
        log.warning("command %s stopped: disk full (%s)", name, type(exc).__name__)
        if isinstance(exc, DomainError):
            err(f"错误：{exc.message}")
        else:
            err(
                f"错误：磁盘空间不足，操作未完成（已完成的部分不受影响）。请清理磁盘后重试（数据目录：{where.home}）。"
            )
        return EXIT_DISK_FULL
    if isinstance(exc, DomainError):
        # The reason goes to the user; the log keeps only its kind (messages may quote what was typed).
        log.info("command %s refused: %s", name, type(exc).__name__)
        err(f"错误：{exc.message}")
        return EXIT_REFUSED
    if isinstance(exc, BrokenPipeError):
        # Output piped into a program that stopped reading (| head): not a bug of ours.
        log.info("command %s: output pipe closed by the reader", name)
        silence_stdout()
        return EXIT_BROKEN_PIPE
    if isinstance(exc, OSError):
        # A file or folder the command needs (rights, a device gone): the user's to fix, not a bug.
        log.warning("command %s stopped: %s", name, type(exc).__name__)
        named = f" {exc.filename}" if exc.filename else ""
        err(f"错误：无法读写文件{named}（{os_reason(exc)}），命令未完成。")
        return EXIT_IO_ERROR
    log.error("unexpected error in command %s", name, exc_info=exc)
    err(f"发生意外错误，命令未完成。详细信息已写入日志：{where.log_file}")
    return EXIT_SOFTWARE
