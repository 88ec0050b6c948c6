"""The admin and batch commands of ``integrity-desk`` (argparse sub-commands), one module per group.

Every command opens the database the way the application does (backup, upgrade, key check) and acts
through the services, so roles, lockout, forced password changes and the audit trail apply exactly as
in the GUI. Commands other than ``init``, ``demo`` and ``db`` sign in with ``--user NAME``; the password
comes from ``INTEGRITY_DESK_PASSWORD`` or, on a terminal, a prompt. New passwords are read from the
first line of standard input (or prompted twice on a terminal).

Exit codes: 0 done; 1 audit chain broken, or ``notice verify`` found no genuine document, or ``import``
imported nothing because the file has bad rows; 2 refused (usage, permission, wrong password, invalid
input: the reason is printed in Chinese on stderr); 3 ``credit check``: 禁止入场; 4 ``credit check``:
未找到; 5 the disk is full (checked before backups and imports); 70 unexpected error (traceback in the log
file); 74 a file or folder cannot be read or written. Never a Python traceback on screen, nor Python's
own exit code 1 for an uncaught error (1 means a broken audit chain).

The layout: ``common`` holds what the groups share (parser and formatter, context, signing in,
passwords, output, tables, masking, exit codes); ``database`` (init, demo, db), ``backup`` (backup,
restore), ``audit``, ``accounts`` (user add, passwd), ``notices``, ``credit`` and ``importing`` each
register their commands next to their handlers; ``program`` assembles the parser in a fixed order and
runs a command. A new module adds a group there. Module-level imports stay light (no SQLAlchemy,
never Qt) so ``--help`` answers at once; the services are imported by the commands that use them.
"""

from desktop_app.cli.common import (
    EXIT_BANNED,
    EXIT_BROKEN_PIPE,
    EXIT_DISK_FULL,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_IO_ERROR,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_SOFTWARE,
    PASSWORD_ENV,
    PROG,
    format_table,
)
from desktop_app.cli.program import build_parser, run

__all__ = [
    "EXIT_BANNED",
    "EXIT_BROKEN_PIPE",
    "EXIT_DISK_FULL",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_IO_ERROR",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_SOFTWARE",
    "PASSWORD_ENV",
    "PROG",
    "build_parser",
    "format_table",
    "run",
]
