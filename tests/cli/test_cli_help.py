"""The help of the program and of every sub-command, word for word as recorded in ``help_texts.json``.

The file was captured from the single-module ``cli.py`` before the commands became a package: the
move must not change a letter of what an administrator reads. After a deliberate change of a help
text, record the new texts with ``python tests/cli/test_cli_help.py`` (and review the diff).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pytest

RECORDED = Path(__file__).with_name("help_texts.json")
COLUMNS = "100"  # argparse wraps to the terminal's width: fix it so the texts are comparable


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path of the parser, the program itself first, in the order argparse lists them."""
    found = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += command_paths(sub, (*prefix, name))
    return found


@pytest.fixture
def fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", COLUMNS)


def test_the_recorded_commands_are_the_commands_there_are(fixed_width: None) -> None:
    from desktop_app.cli import build_parser

    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert [" ".join(p) for p in command_paths(build_parser())] == list(recorded)


def test_every_help_text_is_as_recorded(fixed_width: None, cli) -> None:
    recorded: dict[str, str] = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert len(recorded) > 20
    for path, text in recorded.items():
        result = cli(*path.split(), "--help")
        assert result.code == 0, path
        assert result.err == ""
        assert result.out == text, path


def record() -> None:
    from contextlib import redirect_stdout
    from io import StringIO

    from desktop_app.__main__ import main
    from desktop_app.cli import build_parser

    os.environ["COLUMNS"] = COLUMNS

    texts: dict[str, str] = {}
    for path in command_paths(build_parser()):
        out = StringIO()
        with redirect_stdout(out):
            code = main([*path, "--help"])
        assert code == 0, path
        texts[" ".join(path)] = out.getvalue()
    RECORDED.write_text(json.dumps(texts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(texts)} help texts written to {RECORDED}", file=sys.stderr)


if __name__ == "__main__":
    record()
