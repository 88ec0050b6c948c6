"""Helpers of the shell tests (login, main window, lock): typing like a user and reading the database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from sqlalchemy import text

from desktop_app.services.facade import Services
from desktop_app.ui.common import ERROR_PROPERTY, MESSAGE_PROPERTY


def type_text(qtbot: Any, widget: QWidget, value: str) -> None:
    """Key presses for ASCII; an input-method commit for Chinese (keyClicks with Chinese aborts Qt)."""
    if value.isascii():
        qtbot.keyClicks(widget, value)
        return
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(value)
    QApplication.sendEvent(widget, event)


def press_enter(qtbot: Any, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def field_error(form: QWidget, name: str) -> str:
    """The message pointed at a field (its error mark and tooltip); '' when the field is not marked."""
    widget = form.findChild(QWidget, name)
    assert widget is not None, name
    return widget.toolTip() if widget.property(ERROR_PROPERTY) else ""


def error_line(form: QWidget) -> str:
    """Every refusal the form shows in words: its message line, then the messages under its fields
    (one per line, in the form's order); '' when it shows none."""
    shown = []
    label = form.findChild(QLabel, "form_error")
    if label is not None and label.isVisible() and label.text():
        shown.append(label.text())
    for message in form.findChildren(QLabel):
        if message.property(MESSAGE_PROPERTY) and message.isVisible() and message.text():
            shown.append(message.text())
    return "\n".join(shown)


def rows(services: Services, sql: str, **params: Any) -> list[Any]:
    with services.db.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def user_row(services: Services, username: str) -> Any:
    found = rows(
        services,
        "SELECT id, display_name, failed_logins, locked_until, must_change_password FROM users "
        "WHERE username = :u",
        u=username,
    )
    assert len(found) == 1, username
    return found[0]


def audit_actions(services: Services) -> list[str]:
    return [r.action for r in rows(services, "SELECT action FROM audit_log ORDER BY seq")]


def tab_order(start: QWidget, count: int) -> list[str]:
    """objectNames of the widgets Tab visits from ``start`` (visible, enabled, taking Tab focus)."""
    names = [start.objectName()]
    widget = start
    while len(names) < count:
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        ):
            names.append(widget.objectName())
    return names
