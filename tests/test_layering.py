"""Arrows point one way: domain, store, services and notices never import Qt, and domain imports no
SQLAlchemy either, so every rule runs from the CLI and in tests without a screen; the GUI and the
CLI reach the database only through the services (no store module, no SQLAlchemy)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "desktop_app"
QT_FREE = ("domain", "store", "services", "notices")
FORBIDDEN = {
    "domain": (
        "PySide6",
        "shiboken6",
        "sqlalchemy",
        "alembic",
        "desktop_app.store",
        "desktop_app.services",
        "desktop_app.ui",
    ),
    "store": ("PySide6", "shiboken6", "desktop_app.services", "desktop_app.ui"),
    "services": ("PySide6", "shiboken6", "desktop_app.ui"),
    "notices": ("PySide6", "shiboken6", "desktop_app.ui", "desktop_app.services", "desktop_app.store"),
}


# The front ends: they reach the database only through services.
FRONT_ENDS = ("ui", "cli", "app.py", "__main__.py")
FRONT_END_FORBIDDEN = ("desktop_app.store", "sqlalchemy", "alembic")


def modules_of(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def package_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(".__init__")


def imported_names(path: Path, package: str) -> set[str]:
    """Every module an import statement in the file names, wherever it sits (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def test_the_layers_exist() -> None:
    for layer in ("domain", "store", "services"):
        assert modules_of(layer), layer


def offences(layer: str, path: Path, package: str) -> list[str]:
    return [
        f"{path.name} imports {name}"
        for name in sorted(imported_names(path, package))
        for banned in FORBIDDEN[layer]
        if name == banned or name.startswith(banned + ".")
    ]


@pytest.mark.parametrize("layer", QT_FREE)
def test_layer_imports_nothing_it_must_not(layer: str) -> None:
    found = [o for path in modules_of(layer) for o in offences(layer, path, package_of(path))]
    assert found == []


def front_end_modules() -> list[Path]:
    found: list[Path] = []
    for part in FRONT_ENDS:
        found += sorted((PACKAGE / part).rglob("*.py")) if (PACKAGE / part).is_dir() else [PACKAGE / part]
    return found


def forbidden_in_front_end(path: Path, package: str) -> list[str]:
    """The store and SQLAlchemy modules a file imports, wherever the import sits."""
    return sorted(
        name
        for name in imported_names(path, package)
        for banned in FRONT_END_FORBIDDEN
        if name == banned or name.startswith(banned + ".")
    )


def test_front_ends_reach_the_database_only_through_services() -> None:
    modules = front_end_modules()
    names = {p.relative_to(PACKAGE).as_posix() for p in modules}
    assert {"app.py", "__main__.py", "cli/__init__.py", "ui/audit/page.py"} <= names
    assert all(p.is_file() for p in modules)
    found = [
        f"{path.relative_to(PACKAGE).as_posix()} imports {name}"
        for path in modules
        for name in forbidden_in_front_end(path, package_of(path))
    ]
    assert found == []


def test_the_front_end_scan_sees_store_and_sqlalchemy_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from desktop_app.store.database import Database\n"
        "def later():\n"
        "    from sqlalchemy.exc import DBAPIError\n"
        "    import desktop_app.store.migrate\n"
        "    from ..store import audit\n"
        "    from desktop_app.services.opening import open_services\n",
        encoding="utf-8",
    )
    assert forbidden_in_front_end(probe, "desktop_app.cli") == [
        "desktop_app.store",
        "desktop_app.store.audit",
        "desktop_app.store.database",
        "desktop_app.store.database.Database",
        "desktop_app.store.migrate",
        "sqlalchemy.exc",
        "sqlalchemy.exc.DBAPIError",
    ]


def test_the_scan_sees_what_it_looks_for(tmp_path: Path) -> None:
    """The scan itself: imports hidden in functions, relative imports and __import__ are all seen."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def later():\n"
        "    from PySide6 import QtCore\n"
        "    import sqlalchemy.orm\n"
        "    __import__('shiboken6')\n"
        "    from ..store import models\n",
        encoding="utf-8",
    )
    names = imported_names(probe, "desktop_app.domain")
    assert {"PySide6", "PySide6.QtCore", "sqlalchemy.orm", "shiboken6", "desktop_app.store"} <= names
    assert len(offences("domain", probe, "desktop_app.domain")) >= 4
    assert offences("services", probe, "desktop_app.services") == [
        "probe.py imports PySide6",
        "probe.py imports PySide6.QtCore",
        "probe.py imports shiboken6",
    ]


PROBE = """
import importlib, json, pkgutil, sys
import desktop_app
loaded = []
for layer in sys.argv[1:]:
    package = importlib.import_module(f"desktop_app.{layer}")
    loaded.append(package.__name__)
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
        loaded.append(info.name)
print(json.dumps({"loaded": loaded, "qt": sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")),
                  "sqlalchemy": "sqlalchemy" in sys.modules}))
"""


def run_probe(*layers: str) -> dict[str, object]:
    layers = tuple(layer for layer in layers if (PACKAGE / layer).is_dir())
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *layers], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_importing_every_qt_free_module_loads_no_qt() -> None:
    report = run_probe(*QT_FREE)
    loaded = report["loaded"]
    assert isinstance(loaded, list)
    expected = {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for layer in QT_FREE
        for p in modules_of(layer)
        if p.name != "__init__.py"
    }
    assert expected <= set(loaded)
    assert report["qt"] == []


def test_importing_the_domain_loads_no_sqlalchemy() -> None:
    report = run_probe("domain")
    assert report["qt"] == [] and report["sqlalchemy"] is False


def test_importing_every_command_module_loads_neither_qt_nor_sqlalchemy() -> None:
    """``--help`` and a usage error answer at once: the commands import the services when they run."""
    report = run_probe("cli")
    loaded = report["loaded"]
    assert isinstance(loaded, list)
    assert {"desktop_app.cli.common", "desktop_app.cli.program", "desktop_app.cli.credit"} <= set(loaded)
    assert report["qt"] == [] and report["sqlalchemy"] is False
