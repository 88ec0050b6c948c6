"""The main window: pages per role, status bar, menus and shortcuts, remembered layout, signing out."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from desktop_app import __version__, clock
from desktop_app.domain.roles import Permission, Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.settings import Settings
from desktop_app.ui.auth_dialogs import LoginDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.navigation import pages_for
from desktop_app.ui.pages import PageSpec
from desktop_app.ui.session import SessionController
from desktop_app.ui.shell import ShellContext

from .conftest import MessageBoxes
from .shell_support import audit_actions, error_line, field_error, press_enter, type_text

pytestmark = pytest.mark.usefixtures("message_boxes")

BUSINESS = ["home", "credit", "complaints", "evaluations", "scoring"]
KEEPERS = ["home", "credit", "credit_files", "complaints", "evaluations", "scoring"]  # credit files too
EXPECTED_PAGES = {
    Role.HALL_STAFF: BUSINESS,
    Role.SUPERVISOR: KEEPERS,
    Role.LEADER: [*KEEPERS, "account_confirmations"],  # confirms roles a system admin gave
    Role.SYSTEM_ADMIN: ["home", "admin"],
    Role.AUDIT_ADMIN: ["home", "audit", "account_confirmations"],  # a second audit admin
}


def open_window(
    qtbot: Any,
    services: Services,
    actor: CurrentUser,
    context: ShellContext,
    pages: list[PageSpec] | None = None,
) -> MainWindow:
    window = MainWindow(services, actor, context, pages)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def make_leader(services: Services, admin: CurrentUser, core: ModuleType) -> CurrentUser:
    services.users.create(
        admin,
        username="leader",
        display_name="李主任",
        roles={Role.LEADER},
        password=core.DEFAULT_PASSWORD,
        must_change_password=False,
    )
    return services.auth.login("leader", core.DEFAULT_PASSWORD)


class ToolPage(QWidget):
    """A page offering the optional methods the window's shortcuts call, counting the calls."""

    def __init__(self, services: object, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calls: list[str] = []
        self.unsaved = False
        self.search = QLineEdit(self)
        self.search.setObjectName("search")

    def focus_search(self) -> None:
        self.calls.append("focus_search")
        self.search.setFocus()

    def new_item(self) -> None:
        self.calls.append("new_item")

    def print_current(self) -> None:
        self.calls.append("print_current")

    def has_unsaved_changes(self) -> bool:
        return self.unsaved


TOOL_SPEC = PageSpec("tools", lambda: "Tools", frozenset(Permission), ToolPage)


# -- pages per role ---------------------------------------------------------------------------------
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_sees_exactly_its_pages(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    role: Role,
) -> None:
    actor = admin if role is Role.SYSTEM_ADMIN else core.make_user(services, admin, "someone", role)
    window = open_window(qtbot, services, actor, shell_context)
    assert window.page_keys() == EXPECTED_PAGES[role]
    # A card for each page; those of modules not built yet are greyed, with nothing to click.
    assert sorted([*window.home.buttons, *window.home.coming]) == sorted(EXPECTED_PAGES[role][1:])
    assert not set(window.home.coming) - {"complaints", "evaluations", "scoring"}
    for card in window.home.coming.values():
        assert not card.findChildren(QAbstractButton)
    page_actions = sorted(
        a.objectName().removeprefix("action_page_")
        for a in window.actions()
        if a.objectName().startswith("action_page_")
    )
    assert page_actions == sorted(EXPECTED_PAGES[role])
    if role in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(KeyError):
            window.open_page("credit")  # no business page, not even by its shortcut
    if role is Role.HALL_STAFF:  # a clerk starts at the entry desk: only the lookup is built
        assert list(window.pages) == ["credit"] and window.current_page() is window.pages["credit"]
    else:
        assert window.pages == {}  # nothing opened yet: pages are built on first use
    for key in EXPECTED_PAGES[role][1:]:  # every page this role may open builds (the smoke test does not)
        assert window.open_page(key) is window.current_page()
    assert sorted(window.pages) == sorted(EXPECTED_PAGES[role][1:])


def test_pages_are_created_once_and_kept(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    leader = make_leader(services, admin, core)
    window = open_window(qtbot, services, leader, shell_context)
    credit = window.open_page("credit")
    assert list(window.pages) == ["credit"]
    complaints = window.open_page("complaints")
    assert complaints is not credit
    assert window.open_page("credit") is credit
    assert list(window.pages) == ["credit", "complaints"]
    window.navigation.setCurrentRow(0)
    assert window.current_page() is window.home


def test_placeholders_say_plainly_that_the_module_is_not_built(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    zh_ui: None,
) -> None:
    leader = make_leader(services, admin, core)
    window = open_window(qtbot, services, leader, shell_context)
    # Every module is built now: the scoring page has its tabs, no placeholder.
    scoring = window.open_page("scoring")
    assert "本版本的诚信服务台尚未包含此功能模块。" not in [
        label.text() for label in scoring.findChildren(QLabel)
    ]
    assert scoring.findChildren(QAbstractItemView)
    assert window.navigation.item(1).text() == "信用查询"
    # The credit lookup is a working page now: a search box, results and the check button.
    credit = window.open_page("credit")
    texts = [label.text() for label in credit.findChildren(QLabel)]
    assert texts[0] == "信用查询"
    assert "本版本的诚信服务台尚未包含此功能模块。" not in texts
    # So is the complaints page: its list of cases, no placeholder.
    complaints = window.open_page("complaints")
    assert "本版本的诚信服务台尚未包含此功能模块。" not in [
        label.text() for label in complaints.findChildren(QLabel)
    ]
    assert complaints.findChildren(QAbstractItemView)
    assert credit.findChild(QLineEdit, "query") is not None
    assert credit.findChild(QAbstractButton, "entry_check") is not None
    assert credit.findChild(QAbstractItemView, "results") is not None


# -- status bar, menus, shortcuts -------------------------------------------------------------------
def database_text(services: Services, context: ShellContext) -> str:
    if services.db.backend == "sqlite":
        return f"SQLite {context.where.database.as_posix()}"
    return "PostgreSQL "


def test_status_bar_shows_user_roles_and_date(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    zh_ui: None,
) -> None:
    leader = make_leader(services, admin, core)
    window = open_window(qtbot, services, leader, shell_context)
    today = clock.today()
    assert window.status_user.text() == "李主任"
    assert window.status_roles.text() == "中心领导"
    # Which database this is belongs to the system administrator's status bar and to About.
    assert window.status_database is None
    assert not [label for label in window.statusBar().findChildren(QLabel) if "SQLite" in label.text()]
    assert window.status_date.text() == f"{today.year}年{today.month}月{today.day}日"
    visible = window.statusBar().findChildren(QLabel)
    assert all(label.isVisible() for label in (window.status_user, window.status_date))
    assert window.status_user in visible
    assert window.windowTitle() == "诚信服务台 — 某市公共资源交易中心"


def test_the_system_administrator_sees_the_database_in_the_status_bar(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_window(qtbot, services, admin, shell_context)
    assert window.status_database is not None
    assert window.status_database.text().startswith(database_text(services, shell_context))
    assert "@" not in window.status_database.text()  # never a password


def test_shortcuts_reach_the_page_in_view(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_window(qtbot, services, admin, shell_context, [TOOL_SPEC])
    assert not window.find_action.isEnabled()  # the home page has no search
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # the first (only) page
    page = window.current_page()
    assert isinstance(page, ToolPage)
    assert window.find_action.isEnabled()
    for key, method in (
        (Qt.Key.Key_F, "focus_search"),
        (Qt.Key.Key_N, "new_item"),
        (Qt.Key.Key_P, "print_current"),
    ):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert page.calls[-1] == method
    assert page.calls == ["focus_search", "new_item", "print_current"]
    assert window.focusWidget() is page.search
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.home


def test_window_layout_is_remembered_in_the_data_folder(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_window(qtbot, services, admin, shell_context)
    window.resize(720, 530)
    window.splitter.setSizes([240, 480])
    assert window.end_session("quit")
    assert (shell_context.where.home / "ui-state.ini").is_file()

    again = open_window(qtbot, services, admin, shell_context)
    assert again.size().toTuple() == (720, 530)
    assert again.splitter.sizes()[0] == 240


# -- ending the session -----------------------------------------------------------------------------
def test_sign_out_returns_to_the_login_and_is_audited(
    qtbot: Any, services: Services, admin: CurrentUser, controller: SessionController, core: ModuleType
) -> None:
    controller.start()
    login = controller.dialog
    assert isinstance(login, LoginDialog)
    type_text(qtbot, login.username, "sysadmin")
    type_text(qtbot, login.password, core.ADMIN_PASSWORD)
    press_enter(qtbot, login.password)
    window = controller.window
    assert isinstance(window, MainWindow)

    window.sign_out_action.trigger()
    assert controller.window is None
    assert not window.isVisible()
    again = controller.dialog
    assert isinstance(again, LoginDialog) and again is not login
    assert again.isVisible()
    assert again.username.text() == "sysadmin"
    assert audit_actions(services)[-1] == "logout"

    with qtbot.waitSignal(controller.finished):
        qtbot.keyClick(again, Qt.Key.Key_Escape)


def test_unsaved_input_is_asked_about_before_signing_out(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    message_boxes: MessageBoxes,
) -> None:
    window = open_window(qtbot, services, admin, shell_context, [TOOL_SPEC])
    page = window.open_page("tools")
    assert isinstance(page, ToolPage)
    page.unsaved = True
    ended: list[tuple[str, str]] = []
    window.finished.connect(lambda outcome, message: ended.append((outcome, message)))

    message_boxes.answer = message_boxes.answer.No
    assert not window.end_session("sign-out")
    assert window.isVisible() and ended == []
    assert "Tools" in message_boxes.texts()[-1]

    message_boxes.answer = message_boxes.answer.Yes
    assert window.end_session("sign-out")
    assert ended == [("sign-out", "")]


# -- dialogs from the menus -------------------------------------------------------------------------
def test_settings_dialog_saves_for_the_next_start(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_window(qtbot, services, admin, shell_context)
    dialog = window.open_settings()
    assert dialog.isVisible()
    db_url = dialog.findChild(QLineEdit, "db_url")
    workstation = dialog.findChild(QLineEdit, "workstation")
    assert db_url is not None and workstation is not None
    type_text(qtbot, db_url, "mysql://server/db")
    type_text(qtbot, workstation, "前台2号机")
    press_enter(qtbot, workstation)
    assert "sqlite:///" in field_error(dialog, "db_url")
    assert dialog.isVisible()
    assert not shell_context.where.settings_file.exists()

    db_url.clear()
    press_enter(qtbot, workstation)
    assert not dialog.isVisible()
    saved = Settings.load(shell_context.where)
    assert saved.workstation == "前台2号机"
    assert saved.db_url == ""
    assert saved.language == "zh_CN"
    assert "next time" in window.statusBar().currentMessage()


def test_settings_dialog_tests_the_connection(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_window(qtbot, services, admin, shell_context)
    dialog = window.open_settings()
    db_url = dialog.findChild(QLineEdit, "db_url")
    result = dialog.findChild(QLabel, "connection_result")
    assert db_url is not None and result is not None
    dialog.test_connection()  # empty: the SQLite file of the data folder, which exists
    assert result.isVisible()
    assert str(shell_context.where.database) in result.text()

    broken = shell_context.where.home / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    type_text(qtbot, db_url, f"sqlite:///{broken.as_posix()}")
    dialog.test_connection()
    assert not result.isVisible()
    assert "not a sound SQLite database" in field_error(dialog, "db_url")
    assert "not a sound SQLite database" in error_line(dialog)


def test_about_names_versions_licenses_and_the_database(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    window = open_window(
        qtbot, services, core.make_user(services, admin, "clerk", Role.HALL_STAFF), shell_context
    )
    dialog = window.open_about()
    assert dialog.isVisible()
    database = dialog.findChild(QLabel, "about_database").text()
    assert database_text(services, shell_context) in database and "@" not in database
    assert __version__ in dialog.findChild(QLabel, "about_version").text()
    versions = dialog.findChild(QLabel, "about_versions").text()
    for name in ("Qt", "PySide6", "SQLAlchemy", "reportlab"):
        assert name in versions
    table = dialog.findChild(QTableWidget, "licenses")
    licenses = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert licenses["Qt / PySide6"] == "LGPL-3.0"
    assert licenses["psycopg"] == "LGPL-3.0"
    assert licenses["SQLAlchemy"] == "MIT"
    assert licenses["reportlab"] == "BSD"
    assert licenses["cryptography"] == "Apache-2.0 / BSD"
    assert "Apache-2.0" in licenses["WenQuanYi Micro Hei"]
    assert "GPL-3" in licenses["WenQuanYi Micro Hei"]
    font_license = dialog.findChild(QWidget, "font_license")
    assert "GPL-3+ with Font exception" in font_license.toPlainText()
    assert dialog.findChild(QTabWidget, "about_tabs").count() == 2


def test_change_own_password_from_the_menu(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    window = open_window(qtbot, services, admin, shell_context)
    dialog = window.change_password()
    type_text(qtbot, dialog.old_password, core.ADMIN_PASSWORD)
    type_text(qtbot, dialog.new_password, "Changed#2026")
    type_text(qtbot, dialog.repeat_password, "Changed#2026")
    press_enter(qtbot, dialog.repeat_password)
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage() == "Your password has been changed."
    assert services.auth.login("sysadmin", "Changed#2026").username == "sysadmin"


def test_navigation_is_built_from_the_registry(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    leader = make_leader(services, admin, core)
    window = open_window(qtbot, services, leader, shell_context)
    titles = [window.navigation.item(row).text() for row in range(1, window.navigation.count())]
    assert titles == [spec.title() for spec in pages_for(leader)]
    assert all(window.navigation.item(row).toolTip() for row in range(1, window.navigation.count()))


def test_a_hall_clerk_starts_on_the_lookup_ready_to_type(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    window = open_window(qtbot, services, clerk, shell_context)
    page = window.current_page()
    assert page is window.pages["credit"]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.focusWidget() is page.findChild(QWidget, "query"))
    leader = make_leader(services, admin, core)
    assert open_window(qtbot, services, leader, shell_context).current_page() is not None
