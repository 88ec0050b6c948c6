"""The entry point: a plain start of the GUI skips the command-line parser and reads its options
exactly as the parser would; everything else goes to the parser."""

from __future__ import annotations

import subprocess
import sys

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
