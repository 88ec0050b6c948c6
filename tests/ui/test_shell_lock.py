"""Idle lock: it comes after the idle time, covers everything, keeps every typed form, counts failures."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from desktop_app.domain.roles import Permission, Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.auth_dialogs import LoginDialog
from desktop_app.ui.lock import Cover
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.navigation import pages_for
from desktop_app.ui.pages import PageSpec
from desktop_app.ui.session import SessionController
from desktop_app.ui.shell import ShellContext

from .shell_support import audit_actions, error_line, field_error, press_enter, type_text, user_row

pytestmark = pytest.mark.usefixtures("message_boxes")


class FormPage(QWidget):
    """A page with a half-filled form, as a clerk leaves it when called away from the desk."""

    def __init__(self, services: object, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.name = QLineEdit(self)
        self.name.setObjectName("complainant_name")
        self.facts = QPlainTextEdit(self)
        self.facts.setObjectName("facts")
        layout.addWidget(self.name)
        layout.addWidget(self.facts)


FORM_SPEC = PageSpec("form", lambda: "Form", frozenset(Permission), FormPage)


def sign_in_window(qtbot: Any, controller: SessionController, username: str, password: str) -> MainWindow:
    controller.start()
    login = controller.dialog
    assert isinstance(login, LoginDialog)
    type_text(qtbot, login.username, username)
    type_text(qtbot, login.password, password)
    press_enter(qtbot, login.password)
    window = controller.window
    assert isinstance(window, MainWindow)
    return window


def covers(window: QWidget) -> list[Cover]:
    return [c for c in window.findChildren(Cover) if c.isVisible()]


def test_idle_lock_keeps_the_typed_form_and_counts_a_wrong_password(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    window = MainWindow(services, clerk, shell_context, [*pages_for(clerk), FORM_SPEC])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.open_page("form")
    assert isinstance(page, FormPage)
    type_text(qtbot, page.name, "Zhang ")
    type_text(qtbot, page.name, "张三丰")
    type_text(qtbot, page.facts, "window 3, ")
    type_text(qtbot, page.facts, "等候超过一小时")
    assert window.idle_watcher.timeout_ms == 15 * 60_000  # the center's default

    window.idle_watcher.set_timeout_ms(80)
    with qtbot.waitSignal(window.locked, timeout=5000):
        pass
    lock = window.lock_dialog
    assert lock is not None and lock.isVisible()
    assert lock.isModal()
    assert lock.windowModality() == Qt.WindowModality.ApplicationModal
    cover = covers(window)
    assert len(cover) == 1 and cover[0].geometry() == window.rect()
    assert page.name.text() == "Zhang 张三丰"  # covered, not cleared
    assert audit_actions(services)[-1] == "session.locked"

    qtbot.keyClick(lock.password, Qt.Key.Key_Escape)  # Esc does not get past the lock
    assert window.is_locked and lock.isVisible()

    type_text(qtbot, lock.password, "wrong-password")
    press_enter(qtbot, lock.password)
    assert "再错 4 次" in field_error(lock, "password")
    assert "再错 4 次" in error_line(lock)
    assert window.is_locked
    assert user_row(services, "clerk").failed_logins == 1

    lock.password.clear()
    type_text(qtbot, lock.password, core.DEFAULT_PASSWORD)
    with qtbot.waitSignal(window.unlocked):
        press_enter(qtbot, lock.password)
    assert not window.is_locked
    assert not lock.isVisible()
    assert covers(window) == []
    assert window.current_page() is page and window.pages["form"] is page
    assert page.name.text() == "Zhang 张三丰"
    assert page.facts.toPlainText() == "window 3, 等候超过一小时"
    assert user_row(services, "clerk").failed_logins == 0
    actions = audit_actions(services)
    assert actions[-3:] == ["session.locked", "login.failed", "session.unlocked"]
    assert window.idle_watcher.active  # watching again


def test_lock_covers_open_dialogs_too_and_ctrl_l_locks(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    window = MainWindow(services, admin, shell_context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked
    lock = window.lock_dialog
    assert lock is not None
    type_text(qtbot, lock.password, core.ADMIN_PASSWORD)
    press_enter(qtbot, lock.password)
    assert not window.is_locked

    settings = window.open_settings()
    workstation = settings.findChild(QLineEdit, "workstation")
    type_text(qtbot, workstation, "前台3号机")
    window.lock_now()  # what the idle timer does, whatever window is in front
    assert window.is_locked
    assert covers(window) and covers(settings)
    assert settings.isVisible()  # covered, not closed

    lock = window.lock_dialog
    assert lock is not None
    type_text(qtbot, lock.password, core.ADMIN_PASSWORD)
    press_enter(qtbot, lock.password)
    assert not window.is_locked
    assert covers(window) == [] and covers(settings) == []
    assert settings.isVisible()
    assert workstation.text() == "前台3号机"


def test_too_many_wrong_unlock_passwords_sign_out(
    qtbot: Any, services: Services, admin: CurrentUser, controller: SessionController, core: ModuleType
) -> None:
    core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    window = sign_in_window(qtbot, controller, "clerk", core.DEFAULT_PASSWORD)
    window.lock_now()
    lock = window.lock_dialog
    assert lock is not None
    for attempt in range(5):
        lock.password.clear()
        type_text(qtbot, lock.password, f"wrong-{attempt}")
        press_enter(qtbot, lock.password)

    assert controller.window is None
    assert not window.isVisible() and not lock.isVisible()
    login = controller.dialog
    assert isinstance(login, LoginDialog)
    assert login.isVisible()
    assert login.username.text() == "clerk"
    assert "账户已锁定" in error_line(login)
    assert user_row(services, "clerk").locked_until is not None
    actions = audit_actions(services)
    assert actions.count("account.locked") == 1
    assert actions[-1] == "logout"


def test_sign_out_from_the_lock(
    qtbot: Any, services: Services, admin: CurrentUser, controller: SessionController, core: ModuleType
) -> None:
    window = sign_in_window(qtbot, controller, "sysadmin", core.ADMIN_PASSWORD)
    window.lock_now()
    lock = window.lock_dialog
    assert lock is not None
    qtbot.mouseClick(lock.sign_out_button, Qt.MouseButton.LeftButton)
    assert controller.window is None
    assert isinstance(controller.dialog, LoginDialog)
    assert error_line(controller.dialog) == ""
    assert lock.result() == QDialog.DialogCode.Rejected


def test_idle_time_comes_from_the_center_settings(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    current = services.center.get()
    services.center.update(admin, {"idle_lock_minutes": 3}, current.versions)
    window = MainWindow(services, admin, shell_context)
    qtbot.addWidget(window)
    assert window.idle_watcher.timeout_ms == 3 * 60_000
    assert window.idle_watcher.active
    assert not window.is_locked
