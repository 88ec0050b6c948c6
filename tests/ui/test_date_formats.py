"""One date format per kind of place: nothing in desktop_app/ui formats a date itself; it calls
``desktop_app.ui.dates`` (table_date/table_time, FORM_DATE_FORMAT, text_date/text_time).

The scan reads the source (no import): strftime and isoformat calls, ``toString`` with a date format,
``setDisplayFormat`` with a literal, f-string format specs such as ``{moment:%H:%M}``, and string
literals holding strftime directives."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "desktop_app" / "ui"
DATES_MODULE = "dates.py"

# Files still to convert (an entry whose file no longer formats a date fails the test below, so the
# list cannot outlive its reason). Every screen is converted.
PENDING_CONVERSION: set[str] = set()

DATE_WORDS = re.compile(r"date|time|day|moment|_at\b|_on\b", re.IGNORECASE)
QT_DATE_PATTERN = re.compile(r"yyyy|yy|MM|dd|HH|hh|mm|ss")
STRFTIME_DIRECTIVE = re.compile(r"%[YyBbmdHIMSjaApz]")


def findings(source: str) -> list[str]:
    """Every place the source formats a date itself, as 'line: what'."""
    found: list[str] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in ("strftime", "isoformat"):
                found.append(f"{node.lineno}: {name}()")
            elif name == "toString":
                args = [ast.unparse(a) for a in node.args]
                receiver = ast.unparse(node.func.value)
                if any("DateFormat" in a or QT_DATE_PATTERN.search(a.strip("'\"")) for a in args) or (
                    not args and DATE_WORDS.search(receiver)
                ):
                    found.append(f"{node.lineno}: toString({', '.join(args)}) on {receiver}")
            elif name == "setDisplayFormat" and any(isinstance(a, ast.Constant) for a in node.args):
                found.append(f"{node.lineno}: setDisplayFormat with a literal (use FORM_DATE_FORMAT)")
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = ast.unparse(node.format_spec)
            if STRFTIME_DIRECTIVE.search(spec):
                found.append(f"{node.lineno}: f-string date format {spec}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and STRFTIME_DIRECTIVE.search(node.value)
            and re.search(r"%[YHM]", node.value)
        ):
            found.append(f"{node.lineno}: strftime pattern {node.value!r}")
    return sorted(set(found), key=lambda f: int(f.split(":")[0]))


def ui_files() -> dict[str, str]:
    return {
        path.relative_to(UI).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(UI.rglob("*.py"))
        if path.relative_to(UI).as_posix() != DATES_MODULE
    }


def test_no_screen_formats_a_date_outside_ui_dates() -> None:
    offenders = {
        name: found
        for name, source in ui_files().items()
        if name not in PENDING_CONVERSION and (found := findings(source))
    }
    assert offenders == {}, "format dates with desktop_app.ui.dates instead: " + repr(offenders)


def test_the_pending_list_names_only_files_that_still_format_dates() -> None:
    files = ui_files()
    stale = sorted(name for name in PENDING_CONVERSION if name not in files or not findings(files[name]))
    assert stale == [], f"converted (or gone): remove from PENDING_CONVERSION: {stale}"


@pytest.mark.parametrize(
    "source",
    [
        "x = day.isoformat()",
        "x = moment.astimezone().strftime('%Y-%m-%d %H:%M')",
        "x = f'{moment:%H:%M}'",
        "x = f'{day:%Y年%m月%d日}'",
        "x = when.toString('yyyy-MM-dd')",
        "x = when.toString(Qt.DateFormat.ISODate)",
        "x = self.decision_date.date().toString()",
        "edit.setDisplayFormat('yyyy-MM-dd')",
        "PATTERN = '%Y-%m-%d'",
        "x = '{0:%Y-%m-%d}'.format(day)",
    ],
)
def test_the_scan_finds_each_way_of_formatting_a_date(source: str) -> None:
    assert findings(source), source


@pytest.mark.parametrize(
    "source",
    [
        "x = table_date(day)",
        "edit.setDisplayFormat(FORM_DATE_FORMAT)",
        "x = key.toString(QKeySequence.SequenceFormat.NativeText)",
        "x = self.tr('Application no. %1').replace('%1', str(number))",
        "x = f'{count:02d} {ratio:.1%}'",
    ],
)
def test_the_scan_leaves_other_formatting_alone(source: str) -> None:
    assert findings(source) == [], source
