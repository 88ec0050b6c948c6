"""The entry point: a plain start of the GUI skips the command-line parser and reads its options
exactly as the parser would; everything else goes to the parser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.__main__ import plain_gui_start
from desktop_app.cli import build_parser


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--home", "/tmp/h"],
        ["--home=/tmp/h", "--db-url", "postgresql://x@y/z"],
        ["--db-url=sqlite:////tmp/a b.sqlite3", "--user", "clerk1"],
        ["--home", "/tmp/first", "--home", "/tmp/second"],  # the later one wins, as in argparse
    ],
)
def test_a_plain_gui_start_reads_the_options_as_the_parser_does(argv: list[str]) -> None:
    fast = plain_gui_start(argv)
    full = build_parser().parse_args(argv)
    assert fast is not None
    for name in ("home", "db_url", "user", "command", "smoke_test"):
        assert getattr(fast, name) == getattr(full, name), name


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["--smoke-test"],
        ["--home"],  # missing value: the parser says so
        ["--home", "--db-url", "x"],
        ["--ho", "/tmp/h"],  # an abbreviation argparse accepts
        ["demo"],
        ["--home", "/tmp/h", "credit", "check", "华建"],
        ["--unknown"],
    ],
)
def test_anything_else_goes_to_the_parser(argv: list[str]) -> None:
    assert plain_gui_start(argv) is None


def test_starting_the_gui_imports_no_command_line_module() -> None:
    probe = (
        "import sys\n"
        "import desktop_app.__main__ as entry\n"
        "assert entry.plain_gui_start(['--home', '/tmp/x']) is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith('desktop_app.cli')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# Runs the real start-up and, at the login window's first paint, reports what was loaded by then.
# Imported first as the installed entry point does (``integrity-desk`` runs desktop_app.__main__).
LOGIN_PAINT_PROBE = """\
import json, os, sys
import desktop_app.__main__ as entry
import desktop_app.ui.session as session
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QEvent, QObject

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            built = [n for n, m in (("Qt", QtCore), ("QStyle", QtWidgets), ("QMessageBox", QtWidgets))
                     if n in m.__dict__]
            print(json.dumps({"modules": sorted(sys.modules), "built": built}), flush=True)
            os._exit(0)  # before the database opens behind the window
        return False

probe = Probe()

class Watched(session.SessionController):
    def show_login(self, *args, **kwargs):
        super().show_login(*args, **kwargs)
        self.dialog.installEventFilter(probe)

session.SessionController = Watched
entry.main(sys.argv[1:])
"""


def test_the_login_window_paints_before_the_data_layer_and_the_main_window_are_loaded(
    tmp_path: Path,
) -> None:
    """What the login window loads before it is on screen is what it costs to start: the data layer,
    the documents and the pages load behind it (while the clerk types), and the PySide types
    whose first use builds hundreds of enum values (the ``Qt`` namespace, QStyle, QMessageBox)
    are not touched by it at all."""
    lazy = subprocess.run(
        [sys.executable, "-c", "import sys; from PySide6 import QtCore; print('Qt' in QtCore.__dict__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for name in ("INTEGRITY_DESK_HOME", "INTEGRITY_DESK_DB_URL", "INTEGRITY_DESK_KEY_FILE"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", LOGIN_PAINT_PROBE, "--home", str(tmp_path / "home")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = set(seen["modules"])
    heavy = ("sqlalchemy", "alembic", "reportlab", "openpyxl", "pypinyin", "argon2", "cryptography")
    ours = ("desktop_app.store", "desktop_app.services", "desktop_app.notices", "desktop_app.cli")
    pages = ("desktop_app.ui.main_window", "desktop_app.ui.operations", "desktop_app.ui.credit")
    early = sorted(
        name
        for name in loaded
        if any(name == root or name.startswith(f"{root}.") for root in (*heavy, *ours, *pages))
    )
    assert early == []
    if lazy.stdout.strip() == "False":  # PySide builds its types on first use (its default)
        assert seen["built"] == []
