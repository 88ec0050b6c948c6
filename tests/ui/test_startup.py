"""A cold start: the login window is on screen before the database has opened; it opens behind it.

The opener runs a real worker thread; the test holds it back with an event to play the slow part
(importing the data layer, the daily backup, an upgrade) while the clerk types.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from shiboken6 import isValid

from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.auth_dialogs import FirstAdminDialog, LoginDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.session import CENTER_NAME_KEY, SessionController
from desktop_app.ui.shell import ShellContext
from desktop_app.ui.startup import BackgroundOpener

from .shell_support import audit_actions, error_line, press_enter, type_text

pytestmark = pytest.mark.usefixtures("message_boxes")
PASSWORD = "Passw0rd#x"  # tests/conftest.py DEFAULT_PASSWORD


class HeldOpener:
    """Opens ``services`` only once released; counts the warm-ups."""

    def __init__(self, services: Services | Exception) -> None:
        self.release = threading.Event()
        self.services = services
        self.warmed = 0

    def open(self) -> Services:
        assert self.release.wait(20), "the test never released the opener"
        if isinstance(self.services, Exception):
            raise self.services
        return self.services

    def warm_up(self) -> None:
        self.warmed += 1


@pytest.fixture
def cold(shell_context: ShellContext, services: Services) -> Iterator[tuple[SessionController, HeldOpener]]:
    held = HeldOpener(services)
    opener = BackgroundOpener(held.open, held.warm_up)
    controller = SessionController(None, shell_context, opener)
    yield controller, held
    held.release.set()
    opener.wait(20)
    for widget in (controller.window, controller.dialog):
        if widget is not None and isValid(widget):
            widget.hide()
            widget.deleteLater()


def test_the_login_is_typed_into_while_the_database_opens_and_signs_in_once_it_is_open(
    qtbot: Any, services: Services, admin: CurrentUser, core: Any, cold: Any, shell_context: ShellContext
) -> None:
    core.make_user(services, admin, "clerk1", Role.HALL_STAFF)
    shell_context.ui_state().setValue(CENTER_NAME_KEY, "天河市公共资源交易中心")
    controller, held = cold
    controller.start()
    login = controller.dialog
    assert isinstance(login, LoginDialog) and login.services is None
    qtbot.waitExposed(login)
    # The center's name as the last start saw it, before the database says it.
    assert login.center.text() == "天河市公共资源交易中心"
    type_text(qtbot, login.username, "clerk1")
    type_text(qtbot, login.password, PASSWORD)
    press_enter(qtbot, login.password)
    assert login.waiting_for_database and not login.save_button.isEnabled()
    assert "正在打开数据库" in error_line(login) or "Opening the database" in error_line(login)
    logins_before = audit_actions(services).count("login")

    held.release.set()
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
    assert controller.window.actor.username == "clerk1"
    assert audit_actions(services).count("login") == logins_before + 1  # signed in once, now
    qtbot.waitUntil(lambda: held.warmed == 1, timeout=10_000)


def test_a_database_without_accounts_turns_the_login_into_the_first_admin_dialog(
    qtbot: Any, cold: Any
) -> None:
    controller, held = cold
    controller.start()
    assert isinstance(controller.dialog, LoginDialog)
    held.release.set()
    qtbot.waitUntil(lambda: isinstance(controller.dialog, FirstAdminDialog), timeout=10_000)
    assert controller.dialog.isVisible()


def test_a_database_that_cannot_open_is_reported_to_the_start_up(
    qtbot: Any, shell_context: ShellContext
) -> None:
    from desktop_app.domain.errors import DatabaseTooNew

    held = HeldOpener(DatabaseTooNew("数据库由更新版本的程序创建。"))
    opener = BackgroundOpener(held.open)
    controller = SessionController(None, shell_context, opener)
    failures: list[BaseException] = []
    controller.database_failed.connect(failures.append)
    try:
        controller.start()
        held.release.set()
        qtbot.waitUntil(lambda: len(failures) == 1, timeout=10_000)
        assert isinstance(failures[0], DatabaseTooNew)
        assert controller.services is None and isinstance(controller.dialog, LoginDialog)
    finally:
        opener.wait(20)
        controller.close_all()


def test_the_opener_starts_only_after_the_login_has_painted(qtbot: Any, shell_context: ShellContext) -> None:
    started = threading.Event()

    def slow_open() -> Services:
        started.set()
        raise RuntimeError("not needed")

    opener = BackgroundOpener(slow_open)
    controller = SessionController(None, shell_context, opener)
    try:
        controller.start()
        assert not started.is_set()  # nothing ran before the event loop painted the window
        qtbot.waitUntil(started.is_set, timeout=10_000)
    finally:
        opener.wait(20)
        controller.close_all()


def test_the_opener_prepares_on_the_gui_thread_before_its_worker_starts(qtbot: Any) -> None:
    events: list[tuple[str, bool]] = []

    def prepare() -> None:
        events.append(("prepare", threading.current_thread() is threading.main_thread()))

    def open_database() -> None:
        events.append(("open", threading.current_thread() is threading.main_thread()))

    opener = BackgroundOpener(open_database, prepare=prepare)
    with qtbot.waitSignal(opener.ready, timeout=10_000):
        opener.start()
    opener.wait(20)
    assert events == [("prepare", True), ("open", False)]


def test_the_warm_up_imports_what_signing_in_needs() -> None:
    """The modules named in the warm-up exist (a rename would otherwise only cost time, silently)."""
    import sys

    from desktop_app.app import warm_up_main_window

    warm_up_main_window()
    for module in (
        "desktop_app.ui.main_window",
        "desktop_app.ui.credit.lookup",
        "desktop_app.services.credit",
    ):
        assert module in sys.modules


def test_the_icon_comes_from_its_png_renders_in_every_size(qapp: Any) -> None:
    """The window icon loads without the SVG plug-in (PNG renders of the SVG, one per size shown)."""
    from desktop_app.ui.shell import ICON_SIZES, app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert sorted(size.width() for size in icon.availableSizes()) == sorted(ICON_SIZES)
    assert not icon.pixmap(56, 56).isNull()
