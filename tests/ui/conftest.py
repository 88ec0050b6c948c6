"""Fixtures of the GUI tests (pytest-qt, offscreen). The shared ones live in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import paths
from desktop_app.app import apply_language, check_connection
from desktop_app.services.facade import Services
from desktop_app.settings import Settings
from desktop_app.ui.shell import ShellContext


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """GUI tests run on SQLite: what a screen shows comes from the services, whose tests run on both
    databases. A GUI flow marked ``both_databases`` runs on PostgreSQL too (the multi-workstation ones)."""
    here = Path(__file__).parent
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        on_postgresql = params.get("db_url") == "postgresql"
        if on_postgresql and here in item.path.parents and item.get_closest_marker("both_databases") is None:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def core(request: pytest.FixtureRequest) -> ModuleType:
    """tests/conftest.py itself, for ``make_user`` (``import conftest`` may find another folder's)."""
    module = request.config.pluginmanager.get_plugin(str(Path(__file__).resolve().parents[1] / "conftest.py"))
    assert module is not None
    return module  # type: ignore[no-any-return]


@pytest.fixture
def shell_context(isolated_home: paths.Locations, services: Services) -> ShellContext:
    """What the login dialog and the main window know about this workstation."""
    return ShellContext(isolated_home, Settings(), services.db.url, None, check_connection)


class MessageBoxes:
    """The static QMessageBox calls a test made: (kind, text); ``answer`` is what question() returns."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes

    def texts(self) -> list[str]:
        return [text for _, text in self.calls]


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> MessageBoxes:
    """No modal message box ever blocks a test: they are recorded instead."""
    boxes = MessageBoxes()

    def record(kind: str) -> Any:
        def show(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
            boxes.calls.append((kind, str(args[2]) if len(args) > 2 else ""))
            return boxes.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return boxes


@pytest.fixture
def zh_ui(qapp: QApplication) -> Iterator[None]:
    """The interface in Chinese (the default language) for one test, back to English afterwards."""
    before = QLocale()
    assert apply_language(qapp, "zh_CN"), "the zh_CN translation (.qm) is missing"
    yield
    apply_language(qapp, "en")
    QLocale.setDefault(before)


@pytest.fixture
def controller(services: Services, shell_context: ShellContext) -> Iterator[Any]:
    """A SessionController; whatever it still shows at the end is hidden and deleted (the windows and
    dialogs it already deleted itself are left alone, which qtbot.addWidget would not do)."""
    from shiboken6 import isValid

    from desktop_app.ui.session import SessionController

    made = SessionController(services, shell_context)
    yield made
    for widget in (made.window, made.dialog):
        if widget is not None and isValid(widget):
            widget.hide()
            widget.deleteLater()
