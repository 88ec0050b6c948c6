"""Entry point: ``integrity-desk`` and ``python -m desktop_app``.

With a command, run it (``desktop_app.cli``); with none, start the GUI; with ``--smoke-test``, build
the main window offscreen and exit. Qt is imported only on the last two paths, so the commands start
fast and never need a display. A plain start of the GUI (no command, only --home/--db-url/--user)
does not even build the command-line parser: the login window is on screen sooner.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from desktop_app import paths
from desktop_app.logging_setup import configure, log_failure
from desktop_app.settings import Settings

log = logging.getLogger("desktop_app")
EXIT_REFUSED = 2  # as desktop_app.cli.common
EXIT_SOFTWARE = 70
# The options a plain GUI start may carry (each with a value); anything else goes to the full parser.
GUI_OPTIONS = {"--home": "home", "--db-url": "db_url", "--user": "user"}


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else EXIT_REFUSED


def plain_gui_start(raw: Sequence[str]) -> Any:
    """The options of a start with no command, when that is all ``raw`` holds; else None."""
    values: dict[str, str | None] = dict.fromkeys(GUI_OPTIONS.values())
    rest = list(raw)
    while rest:
        option, equals, attached = rest.pop(0).partition("=")
        if option not in GUI_OPTIONS:
            return None
        if equals:
            values[GUI_OPTIONS[option]] = attached
        elif rest and not rest[0].startswith("-"):
            values[GUI_OPTIONS[option]] = rest.pop(0)
        else:
            return None  # a missing value: the full parser says what is wrong
    return SimpleNamespace(command=None, smoke_test=False, **values)


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    args = plain_gui_start(raw)
    if args is None:
        from desktop_app.cli import build_parser

        parser = build_parser()
        try:
            args = parser.parse_args(raw)
            if args.command is not None and args.smoke_test:
                parser.error("--smoke-test 不能与命令同时使用")
        except SystemExit as exc:  # --help, --version, or a usage error already printed
            return _exit_code(exc)

    where = paths.set_home(args.home)
    root = logging.getLogger()
    level = root.level
    handler = configure(where.log_file)
    try:
        settings = Settings.load(where)
        if args.command is not None:
            return _command(args, where, settings, handler)
        return _gui(args, where, settings, raw)
    except Exception:
        # Never Python's own exit code 1 (a broken audit chain, for the commands) nor its traceback.
        log.exception("the program stopped before its command")
        print(f"发生意外错误，程序已停止。详细信息已写入日志：{where.log_file}", file=sys.stderr)
        return EXIT_SOFTWARE
    finally:
        # In-process callers (tests, the PyInstaller entry) get the logging they had back.
        root.removeHandler(handler)
        handler.close()
        root.setLevel(level)


def _command(args: Any, where: paths.Locations, settings: Settings, handler: logging.Handler) -> int:
    from desktop_app.cli import run
    from desktop_app.cli.common import EXIT_DISK_FULL, EXIT_IO_ERROR, disk_full, err, os_reason

    try:
        where.ensure()
    except OSError as exc:
        # No data folder, no command: said in a line, with the code of what happened (never Python's
        # exit code 1, which the commands use for "audit chain broken").
        err(f"错误：无法创建或使用数据目录 {where.home}（{os_reason(exc)}）。")
        return EXIT_DISK_FULL if disk_full(exc) else EXIT_IO_ERROR
    code = run(args, where, settings)
    failed = log_failure(handler)
    if failed is not None:
        reason = "磁盘空间不足" if disk_full(failed) else os_reason(failed)
        err(f"警告：日志文件 {where.log_file} 未能写入（{reason}）。")
    return code


def _gui(args: object, where: paths.Locations, settings: Settings, raw: list[str]) -> int:
    db_url_override: str | None = getattr(args, "db_url", None)
    try:
        if getattr(args, "smoke_test", False):
            from desktop_app.app import smoke_test

            return smoke_test(where, settings, db_url_override)
        from desktop_app.app import run_gui

        program = sys.argv[0] if sys.argv and sys.argv[0] else "integrity-desk"
        return run_gui(where, settings, db_url_override, [program, *raw])
    except KeyboardInterrupt:
        return 130
    except Exception:
        # The GUI installs its own crash dialog; this catches what happens before it can (Qt missing,
        # no display libraries...).
        log.exception("the application could not start")
        print(f"程序无法启动，详细信息已写入日志：{where.log_file}", file=sys.stderr)
        return EXIT_SOFTWARE


if __name__ == "__main__":
    raise SystemExit(main())
