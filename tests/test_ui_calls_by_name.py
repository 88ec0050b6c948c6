"""The UI calls its own code through typed references, never by a name held in a string.

Refused anywhere under ``desktop_app/ui``:
- ``getattr`` / ``setattr`` / ``hasattr`` / ``delattr`` whose name is a string naming a function or
  method of the application (``getattr(page, "focus_search")``), or is not a literal at all (a name
  computed at run time: ``getattr(self, name)``);
- ``importlib.import_module`` / ``__import__`` of an application module, or of a name computed at run
  time; ``QMetaObject.invokeMethod`` and ``operator.methodcaller`` (calls by name, Qt's and Python's);
- a ``"package.module:Class"`` string (a factory named instead of referenced).

Reading a third-party module's attribute by its literal name (``getattr(context, "category", None)``)
is not ours to police. Also: no file of the UI over 800 lines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "desktop_app" / "ui"
ATTRIBUTE_CALLS = {"getattr", "setattr", "hasattr", "delattr"}
NAME_CALLS = {"invokeMethod", "methodcaller"}
IMPORT_CALLS = {"import_module", "__import__"}
FACTORY_STRING = re.compile(r"^[A-Za-z_]\w*(\.\w+)+:[A-Za-z_]\w*$")
MAX_LINES = 800


def our_function_names() -> set[str]:
    """Every function and method defined in the application (the names a string must not call)."""
    names: set[str] = set()
    for path in (ROOT / "desktop_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
    return names


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def calls_by_name(source: str, ours: set[str]) -> list[tuple[int, str]]:
    """(line, what) of every call by a name held in a string in ``source``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and FACTORY_STRING.match(node.value)
        ):
            found.append((node.lineno, f"factory string {node.value!r}"))
        if not isinstance(node, ast.Call):
            continue
        called = _called_name(node)
        if called in ATTRIBUTE_CALLS and len(node.args) >= 2:
            name = _literal(node.args[1])
            if name is None:
                found.append((node.lineno, f"{called} with a name computed at run time"))
            elif name in ours:
                found.append((node.lineno, f"{called}(..., {name!r})"))
        elif called in NAME_CALLS:
            found.append((node.lineno, called))
        elif called in IMPORT_CALLS and node.args:
            module = _literal(node.args[0])
            if module is None:
                found.append((node.lineno, f"{called} of a module named at run time"))
            elif module.split(".")[0] == "desktop_app":
                found.append((node.lineno, f"{called}({module!r})"))
    return found


def test_the_ui_calls_nothing_by_a_name_held_in_a_string() -> None:
    ours = our_function_names()
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sorted(UI.rglob("*.py"))
        for line, what in calls_by_name(path.read_text(encoding="utf-8"), ours)
    ]
    assert offences == []


def test_the_scan_sees_what_it_looks_for() -> None:
    ours = {"focus_search", "edit_subject"}
    source = """
from importlib import import_module
def forward(page, method, editing, spec):
    getattr(page, "focus_search")()
    hasattr(page, "focus_search")
    setattr(page, method, None)
    getattr(editing, method)(page)
    import_module("desktop_app.ui.credit.lookup")
    import_module(spec.split(":")[0])
    QMetaObject.invokeMethod(page, "refresh")
    return "desktop_app.ui.credit.lookup:CreditLookupPage"
def fine(context):
    import_module("sqlalchemy")
    return getattr(context, "category", None), "Ctrl+1", "a: b", "12:30"
"""
    found = sorted(what for _, what in calls_by_name(source, ours))
    assert found == sorted(
        [
            "getattr(..., 'focus_search')",
            "hasattr(..., 'focus_search')",
            "setattr with a name computed at run time",
            "getattr with a name computed at run time",
            "import_module('desktop_app.ui.credit.lookup')",
            "import_module of a module named at run time",
            "invokeMethod",
            "factory string 'desktop_app.ui.credit.lookup:CreditLookupPage'",
        ]
    )
    assert "focus_search" in our_function_names()  # the application's methods are known


def test_no_file_of_the_ui_is_over_800_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(UI.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
