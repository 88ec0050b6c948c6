"""A damaged audit chain through the real windows (issue 10, item 2): a clerk's sign-in is refused
with whom to call, the audit admin signs in, verifies on the audit page and records the break, and
the clerk then gets in."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.audit.page import AuditPage
from desktop_app.ui.audit.record_break import RecordBreakDialog
from desktop_app.ui.auth_dialogs import LoginDialog
from desktop_app.ui.session import SessionController
from desktop_app.ui.widgets import modal
from tests.builders import append_junk_audit_row

from .shell_support import error_line, press_enter, type_text

PASSWORD = "Passw0rd#x"


def sign_in(qtbot: Any, dialog: LoginDialog, username: str) -> None:
    dialog.username.clear()
    dialog.password.clear()
    type_text(qtbot, dialog.username, username)
    type_text(qtbot, dialog.password, PASSWORD)
    press_enter(qtbot, dialog.password)


def test_the_audit_admin_gets_in_and_reopens_the_hall(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: Any,
    services: Services,
    admin: CurrentUser,
    controller: SessionController,
) -> None:
    for name, role in (("clerk", Role.HALL_STAFF), ("auditor", Role.AUDIT_ADMIN)):
        services.users.create(
            admin,
            username=name,
            display_name=f"{name}名",
            roles={role},
            password=PASSWORD,
            must_change_password=False,
        )
    junk = append_junk_audit_row(services.db)

    controller.start()
    login = controller.dialog
    assert isinstance(login, LoginDialog)
    sign_in(qtbot, login, "clerk")
    assert login.isVisible() and controller.window is None
    said = error_line(login) + " ".join(message_boxes.texts())
    assert "审计日志已损坏" in said and "auditor名" in said

    sign_in(qtbot, login, "auditor")
    window = controller.window
    assert window is not None and window.actor.username == "auditor"
    page = window.open_page("audit")
    assert isinstance(page, AuditPage)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert page.last_result is not None and page.last_result.first_bad_seq == junk

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, RecordBreakDialog)
        dialog.found.setPlainText("开门前发现日志末尾有异常记录")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run_dialog", fill)
    qtbot.mouseClick(page.record_break_button, Qt.MouseButton.LeftButton)
    assert page.last_result.intact and len(page.last_result.breaks) == 1
    assert services.auth.login("clerk", PASSWORD).username == "clerk"
