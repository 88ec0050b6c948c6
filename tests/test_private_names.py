"""A module never reaches into another module's underscore names: it imports and calls only what the
other module offers publicly (the credit module's ``add_record_in``, not ``_add_record_in``).

Checked on the source of the application, the benchmarks and the tests themselves:
- ``from desktop_app.x import _name`` (or ``import desktop_app.x._mod``) is refused outright;
- ``something._name`` (and ``getattr(something, "_name")``) where ``something`` is not ``self``,
  ``cls`` or ``super()`` is refused when ``_name`` is defined in another module of the application
  and not in the module that uses it (a class reading its own kind's fields on another instance is
  fine; a library's private, such as argparse's, is not ours to police).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [ROOT / "desktop_app", ROOT / "benchmarks", ROOT / "tests"]


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name != "_"


def _sources() -> list[Path]:
    return sorted(p for folder in CHECKED for p in folder.rglob("*.py"))


def _defined_private_names(tree: ast.AST) -> set[str]:
    """Underscore names a module defines: functions, classes, assignments, ``self._x = ...`` fields."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[-1])
    return {n for n in names if _is_private(n)}


def _own_object(node: ast.expr) -> bool:
    if isinstance(node, ast.Name) and node.id in ("self", "cls"):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _reaches(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of every underscore attribute read off an object that is not the module's own."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr) and not _own_object(node.value):
            found.append((node.lineno, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _is_private(node.args[1].value)
            and not _own_object(node.args[0])
        ):
            found.append((node.lineno, node.args[1].value))
    return found


def _private_imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("desktop_app"):
            module_parts = (node.module or "").split(".")
            if any(_is_private(part) for part in module_parts):
                found.append((node.lineno, node.module or ""))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names if _is_private(a.name)]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("desktop_app") and any(
                    _is_private(p) for p in alias.name.split(".")
                ):
                    found.append((node.lineno, alias.name))
    return found


def offences() -> list[str]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for path in _sources()}
    defined = {path: _defined_private_names(tree) for path, tree in trees.items()}
    app_modules = [p for p in trees if p.is_relative_to(ROOT / "desktop_app")]
    defined_in: dict[str, set[Path]] = defaultdict(set)
    for path in app_modules:
        for name in defined[path]:
            defined_in[name].add(path)
    found = []
    for path, tree in trees.items():
        where = path.relative_to(ROOT)
        found += [f"{where}:{line}: imports {name}" for line, name in _private_imports(tree)]
        for line, name in _reaches(tree):
            others = defined_in.get(name, set()) - {path}
            if others and name not in defined[path]:
                owner = sorted(p.relative_to(ROOT).as_posix() for p in others)[0]
                found.append(f"{where}:{line}: uses {name} of {owner}")
    return sorted(found)


def test_no_module_uses_another_modules_underscore_names() -> None:
    assert offences() == []


def test_the_check_finds_a_reach_into_another_module(tmp_path: Path) -> None:
    tree = ast.parse("def f(credit, session):\n    return credit._create_subject_in(session)\n")
    assert _reaches(tree) == [(2, "_create_subject_in")]
    tree = ast.parse("from desktop_app.services.credit.records import _hidden\n")
    assert _private_imports(tree) == [(1, "desktop_app.services.credit.records._hidden")]
    own = ast.parse("class A:\n    def f(self, other):\n        return self._x + other._x\n    _x = 1\n")
    assert {name for _, name in _reaches(own)} == {"_x"}
    assert "_x" in _defined_private_names(own)  # so it is the module's own: allowed
