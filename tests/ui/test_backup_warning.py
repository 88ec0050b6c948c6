"""A start whose compulsory daily backup failed (a full disk): the program works, and whoever can make
backups is told at sign-in, in a box of its own; the other accounts are not troubled with it."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QMessageBox

from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.session import SessionController

from .shell_support import press_enter, type_text

PROBLEM = "磁盘空间不足：需要 2.0 MB，可用 64.0 KB（/data/backups）。请清理磁盘后重试。"


def sign_in(qtbot: Any, controller: SessionController, username: str, password: str) -> MainWindow:
    controller.start()
    login = controller.dialog
    assert login is not None
    type_text(qtbot, login.username, username)  # type: ignore[attr-defined]
    type_text(qtbot, login.password, password)  # type: ignore[attr-defined]
    press_enter(qtbot, login.password)  # type: ignore[attr-defined]
    window = controller.window
    assert isinstance(window, MainWindow)
    return window


def test_the_system_admin_is_told_that_todays_backup_failed(
    qtbot: Any, services: Services, admin: CurrentUser, controller: SessionController, core: ModuleType
) -> None:
    services.backup_problem = PROBLEM
    window = sign_in(qtbot, controller, "sysadmin", core.ADMIN_PASSWORD)
    box = window.findChild(QMessageBox, "backup_problem")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert PROBLEM in box.informativeText()
    assert box.icon() == QMessageBox.Icon.Warning
    box.accept()


def test_a_clerk_is_not_shown_the_backup_problem(
    qtbot: Any, services: Services, admin: CurrentUser, controller: SessionController, core: ModuleType
) -> None:
    core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    services.backup_problem = PROBLEM
    window = sign_in(qtbot, controller, "clerk", core.DEFAULT_PASSWORD)
    assert window.findChild(QMessageBox, "backup_problem") is None
