"""Entry point: ``integrity-desk`` and ``python -m desktop_app``.

With a command, run it (``desktop_app.cli``); with none, start the GUI; with ``--smoke-test``, build
the main window offscreen and exit. Qt is imported only on the last two paths, so the commands start
fast and never need a display.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from desktop_app import paths
from desktop_app.cli import EXIT_REFUSED, EXIT_SOFTWARE, build_parser, run
from desktop_app.logging_setup import configure
from desktop_app.settings import Settings

log = logging.getLogger("desktop_app")


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else EXIT_REFUSED


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
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
            where.ensure()
            return run(args, where, settings)
        return _gui(args, where, settings, raw)
    finally:
        # In-process callers (tests, the PyInstaller entry) get the logging they had back.
        root.removeHandler(handler)
        handler.close()
        root.setLevel(level)


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
