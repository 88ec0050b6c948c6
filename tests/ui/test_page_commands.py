"""The window's Ctrl+F / Ctrl+N / Ctrl+P are enabled exactly when the page in view offers them (the
protocols of ``ui.pages``), and Ctrl+1…Ctrl+9 follow the navigation as each role sees it."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.admin.page import AdminPage
from desktop_app.ui.admin.users import UserDialog
from desktop_app.ui.credit.lookup import CreditLookupPage
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.navigation import PAGES, pages_for
from desktop_app.ui.pages import (
    CreatingPage,
    PageCommand,
    PrintingPage,
    RefreshablePage,
    SearchablePage,
    VaryingCommandsPage,
    offers,
)
from desktop_app.ui.shell import ShellContext
from desktop_app.ui.widgets import modal

pytestmark = pytest.mark.usefixtures("message_boxes")

# The navigation as each role sees it, in order (home, Ctrl+0, aside).
NAVIGATION = {
    Role.HALL_STAFF: ["credit", "complaints", "evaluations", "scoring"],
    Role.SUPERVISOR: ["credit", "credit_files", "complaints", "evaluations", "scoring"],
    Role.LEADER: ["credit", "credit_files", "complaints", "evaluations", "scoring", "account_confirmations"],
    Role.SYSTEM_ADMIN: ["admin"],
    Role.AUDIT_ADMIN: ["audit", "account_confirmations"],
}


def actor_for(services: Services, admin: CurrentUser, core: ModuleType, role: Role) -> CurrentUser:
    return admin if role is Role.SYSTEM_ADMIN else core.make_user(services, admin, "someone", role)  # type: ignore[no-any-return]


def open_window(qtbot: Any, services: Services, actor: CurrentUser, context: ShellContext) -> MainWindow:
    window = MainWindow(services, actor, context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def enabled(window: MainWindow) -> dict[str, bool]:
    return {
        "find": window.find_action.isEnabled(),
        "new": window.new_action.isEnabled(),
        "print": window.print_action.isEnabled(),
    }


def test_every_module_declares_its_entries_and_the_navigation_keeps_their_order() -> None:
    assert [spec.key for spec in PAGES] == [
        "credit",
        "credit_files",
        "complaints",
        "evaluations",
        "scoring",
        "admin",
        "audit",
        "account_confirmations",
    ]
    declared_in = {spec.key: spec.factory.__module__ for spec in PAGES}
    assert declared_in == {
        "credit": "desktop_app.ui.credit.navigation",
        "credit_files": "desktop_app.ui.credit.navigation",
        "complaints": "desktop_app.ui.complaints.navigation",
        "evaluations": "desktop_app.ui.evaluations.navigation",
        "scoring": "desktop_app.ui.scoring.navigation",
        "admin": "desktop_app.ui.admin.navigation",
        "audit": "desktop_app.ui.audit.navigation",
        "account_confirmations": "desktop_app.ui.admin.navigation",
    }


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_ctrl_digits_follow_the_navigation_of_each_role(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    role: Role,
) -> None:
    actor = actor_for(services, admin, core, role)
    window = open_window(qtbot, services, actor, shell_context)
    assert [spec.key for spec in pages_for(actor)] == NAVIGATION[role]
    assert window.page_keys()[1:] == NAVIGATION[role]
    for position, key in enumerate(NAVIGATION[role]):
        action = next(a for a in window.actions() if a.objectName() == f"action_page_{key}")
        assert action.shortcut() == QKeySequence(f"Ctrl+{position + 1}"), key
        if key in window.home.buttons:  # a module not built yet has a greyed card, no button
            assert f"Ctrl+{position + 1}" in window.home.buttons[key].toolTip()
        else:
            assert key in window.home.coming
    last = len(NAVIGATION[role])
    qtbot.keyClick(window, Qt.Key.Key_0 + last, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.pages[NAVIGATION[role][-1]]
    qtbot.keyClick(window, Qt.Key.Key_0 + last + 1, Qt.KeyboardModifier.ControlModifier)  # no such page
    assert window.current_page() is window.pages[NAVIGATION[role][-1]]
    if role is Role.SUPERVISOR:  # the credit files page is Ctrl+2 now, next to the lookup
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() is window.pages["credit_files"]


def test_the_lookup_offers_new_only_to_those_who_may_register_subjects(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    supervisor: CurrentUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    window = open_window(qtbot, services, clerk, shell_context)
    page = window.current_page()  # a clerk starts on the lookup
    assert isinstance(page, CreditLookupPage)
    for protocol in (SearchablePage, PrintingPage, CreatingPage, RefreshablePage, VaryingCommandsPage):
        assert isinstance(page, protocol), protocol.__name__
    # A clerk registers no subject: Ctrl+N on the lookup takes a complaint (the phone rings).
    assert enabled(window) == {"find": True, "new": True, "print": True}
    opened: list[QDialog] = []
    monkeypatch.setattr(modal, "run_dialog", lambda dialog: opened.append(dialog) or False)
    page.query.setFocus()  # the key itself, as the clerk presses it (the lookup must not swallow it)
    qtbot.keyClick(page.query, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert [type(d).__name__ for d in opened] == ["ComplaintIntakeDialog"]
    assert not page.new_button.isVisible()
    opened.clear()
    window.open_page("home")
    assert enabled(window) == {"find": False, "new": True, "print": False}

    keeper = open_window(qtbot, services, supervisor, shell_context)
    keeper.open_page("credit")
    assert enabled(keeper) == {"find": True, "new": True, "print": True}
    keeper.new_action.trigger()
    assert [type(dialog).__name__ for dialog in opened] == ["SubjectDialog"]
    keeper.open_page("credit_files")  # registers subjects and searches its lists; prints nothing
    assert enabled(keeper) == {"find": True, "new": True, "print": False}


def test_the_admin_page_offers_what_the_tab_in_view_offers(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_window(qtbot, services, admin, shell_context)
    page = window.open_page("admin")
    assert isinstance(page, AdminPage) and isinstance(page, VaryingCommandsPage)
    assert page.tabs.currentWidget() is page.departments
    assert enabled(window) == {"find": True, "new": True, "print": False}
    page.show_tab(page.center)  # one form, no list: nothing to search or create
    assert enabled(window) == {"find": False, "new": False, "print": False}
    assert not offers(page, PageCommand.NEW)
    page.show_tab(page.users)
    assert enabled(window) == {"find": True, "new": True, "print": False}
    window.new_action.trigger()  # Ctrl+N reaches the accounts tab
    assert isinstance(page.users.dialog, UserDialog) and page.users.dialog.isVisible()
    page.users.dialog.reject()
    window.find_action.trigger()
    assert page.users.search.hasFocus()


def test_the_audit_page_offers_search_only(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
) -> None:
    auditor = core.make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    window = open_window(qtbot, services, auditor, shell_context)
    window.open_page("audit")
    assert enabled(window) == {"find": True, "new": False, "print": False}
