"""``ui.operations``: the wait cursor, refusals at their field or in a box, bugs to the crash dialog,
the "data changed" announcement, and pages that refresh on it (at once on screen, else when shown)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from desktop_app import app as app_module
from desktop_app import paths
from desktop_app.domain.errors import AccountLocked, DomainError, StaleEdit, ValidationError
from desktop_app.ui import operations
from desktop_app.ui.common import make_error_label

from .conftest import MessageBoxes
from .shell_support import error_line, field_error


class Form(QWidget):
    """A form with a named field, a second one, and the message line."""

    def __init__(self, with_error_line: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("Form")
        layout = QVBoxLayout(self)
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.other = QLineEdit(self)
        self.other.setObjectName("other")
        layout.addWidget(self.name)
        layout.addWidget(self.other)
        if with_error_line:
            layout.addWidget(make_error_label(self))


@pytest.fixture
def form(qtbot: Any) -> Form:
    made = Form()
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


@pytest.fixture
def announced() -> list[tuple[str, object]]:
    heard: list[tuple[str, object]] = []
    hub = operations.data_changes()

    def listen(topic: str, ids: object) -> None:
        heard.append((topic, ids))

    hub.changed.connect(listen)
    yield heard
    hub.changed.disconnect(listen)


def cursor_shape() -> Qt.CursorShape | None:
    cursor = QGuiApplication.overrideCursor()
    return cursor.shape() if cursor is not None else None


def refuse(error: DomainError) -> Callable[[], Any]:
    def call() -> Any:
        raise error

    return call


def broken() -> None:
    raise KeyError("a bug, not a refusal")


# -- the wait cursor --------------------------------------------------------------------------------
def test_the_wait_cursor_shows_while_the_call_runs_and_never_stays(form: Form) -> None:
    seen: list[Qt.CursorShape | None] = []

    def call() -> int:
        seen.append(cursor_shape())
        return 42

    assert cursor_shape() is None
    done = operations.run(form, call)
    assert seen == [Qt.CursorShape.WaitCursor]
    assert done.ok and done.value == 42 and cursor_shape() is None

    operations.run(form, refuse(ValidationError("名称不能为空。", field="name")))
    assert cursor_shape() is None
    with pytest.raises(KeyError):
        operations.run(form, broken)
    assert cursor_shape() is None

    seen.clear()
    operations.run(form, call, busy=False)  # a dialog waiting for the user: no wait cursor over it
    assert seen == [None]


def test_the_cursor_is_back_before_a_refusal_is_shown(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, Qt.CursorShape | None]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append((args[2], cursor_shape())))
    operations.run(None, refuse(DomainError("该记录已被删除。")))
    assert shown == [("该记录已被删除。", None)]


# -- refusals ---------------------------------------------------------------------------------------
def test_a_refusal_is_shown_at_its_field_and_nothing_typed_is_lost(
    form: Form, announced: list[Any], message_boxes: MessageBoxes
) -> None:
    form.name.setText("天河华建")
    form.other.setFocus()
    done = operations.run(
        form,
        refuse(ValidationError("统一社会信用代码校验位不正确。", field="name")),
        changed="credit.subject",
    )
    assert not done.ok and done.value is None and isinstance(done.error, ValidationError)
    assert field_error(form, "name") == "统一社会信用代码校验位不正确。"
    assert error_line(form) == "统一社会信用代码校验位不正确。"
    assert form.focusWidget() is form.name and form.name.text() == "天河华建"
    assert announced == [] and message_boxes.calls == []  # refused: nothing written, no box

    assert operations.run(form, lambda: "ok").ok  # the next call clears the marks first
    assert field_error(form, "name") == "" and error_line(form) == ""


def test_a_refusal_naming_no_field_goes_to_the_message_line_or_a_box(
    qtbot: Any, form: Form, message_boxes: MessageBoxes
) -> None:
    operations.run(form, refuse(DomainError("您没有执行此操作的权限。")))
    assert error_line(form) == "您没有执行此操作的权限。" and message_boxes.calls == []

    bare = Form(with_error_line=False)
    qtbot.addWidget(bare)
    operations.run(bare, refuse(DomainError("您没有执行此操作的权限。")))
    assert message_boxes.calls == [("warning", "您没有执行此操作的权限。")]

    # From a page rather than a form: always a box, the page's message line untouched.
    operations.run(form, refuse(DomainError("该记录已被删除。")), show="message")
    assert message_boxes.calls[-1] == ("warning", "该记录已被删除。")
    assert error_line(form) == "您没有执行此操作的权限。"


def test_blamed_field_stale_saves_and_refusals_the_caller_handles(
    form: Form, message_boxes: MessageBoxes
) -> None:
    operations.run(form, refuse(DomainError("密码不正确。")), blame="name")
    assert field_error(form, "name") == "密码不正确。"

    stale = operations.run(form, refuse(StaleEdit("李主任已先保存了此记录。")))
    assert stale.stale and not stale.ok

    locked = operations.run(form, refuse(AccountLocked("账户已锁定。")), handled=(AccountLocked,))
    assert isinstance(locked.error, AccountLocked) and not locked.stale
    assert error_line(form) == ""  # left to the caller: not shown
    assert message_boxes.calls == []


# -- bugs -------------------------------------------------------------------------------------------
@pytest.mark.qt_no_exception_capture  # the application's own hook takes it, as in use
def test_a_bug_reaches_the_crash_dialog_untouched(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: paths.Locations,
    form: Form,
    announced: list[Any],
    message_boxes: MessageBoxes,
) -> None:
    """From a button, as a user meets it: the application's excepthook logs it and shows the dialog."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crashes: list[tuple[Path, BaseException]] = []
    monkeypatch.setattr(
        app_module, "show_crash_dialog", lambda log_file, error: crashes.append((log_file, error))
    )
    app_module.install_crash_handler(isolated_home.log_file)
    button = QPushButton("Save", form)
    button.clicked.connect(lambda: operations.run(form, broken, changed="credit.record"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [type(error) for _, error in crashes] == [KeyError]
    assert crashes[0][0] == isolated_home.log_file
    assert cursor_shape() is None
    assert announced == [] and error_line(form) == "" and message_boxes.calls == []


# -- "data changed" ---------------------------------------------------------------------------------
def test_a_successful_write_announces_its_topics_with_the_ids_written(
    form: Form, announced: list[Any]
) -> None:
    operations.run(form, lambda: 7, changed="credit.subject", ids=lambda saved: (saved,))
    operations.run(form, lambda: None, changed=("credit.subject", "credit.record"), ids=(3, 4))
    operations.run(form, lambda: None)  # a read: nothing to announce
    assert announced == [("credit.subject", (7,)), ("credit.subject", (3, 4)), ("credit.record", (3, 4))]


def test_a_page_on_screen_refreshes_at_once_and_one_out_of_view_when_shown(qtbot: Any) -> None:
    shown, hidden = QWidget(), QWidget()
    for widget in (shown, hidden):
        qtbot.addWidget(widget)
    shown.show()
    qtbot.waitExposed(shown)
    refreshed: list[str] = []
    operations.refresh_on_change(shown, ("credit.record",), lambda: refreshed.append("shown"))
    watcher = operations.refresh_on_change(hidden, ("credit.record",), lambda: refreshed.append("hidden"))

    operations.announce("credit.check", (1,))  # a topic neither shows
    assert refreshed == [] and not watcher.stale
    operations.announce("credit.record", (1,))
    operations.announce("credit.record", (2,))
    assert refreshed == ["shown", "shown"]  # the hidden page ran no query
    assert watcher.stale

    hidden.show()
    qtbot.waitExposed(hidden)
    assert refreshed == ["shown", "shown", "hidden"] and not watcher.stale  # once, however many changes
    hidden.hide()
    hidden.show()
    assert refreshed.count("hidden") == 1  # nothing changed since


def test_a_deleted_page_hears_nothing_more(qtbot: Any) -> None:
    page = QWidget()
    page.show()
    qtbot.waitExposed(page)
    refreshed: list[int] = []
    operations.refresh_on_change(page, ("credit.record",), lambda: refreshed.append(1))
    operations.announce("credit.record")
    shiboken6.delete(page)  # its watcher goes with it, and so does the subscription
    operations.announce("credit.record")
    assert refreshed == [1]
