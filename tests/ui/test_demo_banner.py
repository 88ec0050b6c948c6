"""A demo center's windows say 演示数据: the main window always, the login window once the database
is open; a real center's never. The audit admin is not offered a numbered test page."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ADMIN_PASSWORD, DEFAULT_PASSWORD

from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.auth_dialogs import LoginDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shell import ShellContext

pytestmark = pytest.mark.usefixtures("message_boxes", "zh_ui")


def demo_admin(services: Services) -> CurrentUser:
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员", demo=True)
    return services.auth.login("sysadmin", ADMIN_PASSWORD)


def open_window(qtbot: Any, services: Services, actor: CurrentUser, context: ShellContext) -> MainWindow:
    window = MainWindow(services, actor, context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_main_window_of_a_demo_center_carries_the_banner(
    qtbot: Any, services: Services, shell_context: ShellContext
) -> None:
    window = open_window(qtbot, services, demo_admin(services), shell_context)
    assert window.demo_banner is not None and window.demo_banner.isVisible()
    assert "演示数据" in window.demo_banner.text()
    assert window.demo_banner.geometry().top() <= window.splitter.geometry().top()


def test_the_login_window_shows_it_once_the_database_is_open(
    qtbot: Any, services: Services, shell_context: ShellContext
) -> None:
    demo_admin(services)
    early = LoginDialog(None, shell_context)  # shown before the database has opened
    qtbot.addWidget(early)
    early.show()
    assert early.demo_banner is None
    early.set_services(services, "演示中心")
    assert early.demo_banner is not None and early.demo_banner.isVisible()
    assert "演示数据" in early.demo_banner.text()

    later = LoginDialog(services, shell_context)
    qtbot.addWidget(later)
    later.show()
    assert later.demo_banner is not None and later.demo_banner.isVisible()


def test_a_real_center_has_no_banner(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_window(qtbot, services, admin, shell_context)
    assert window.demo_banner is None
    login = LoginDialog(services, shell_context)
    qtbot.addWidget(login)
    assert login.demo_banner is None


def test_the_audit_admin_is_not_offered_a_test_page(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    services.users.create(
        admin,
        username="auditor",
        display_name="审计员",
        roles={Role.AUDIT_ADMIN},
        password=DEFAULT_PASSWORD,
        must_change_password=False,
    )
    auditor = services.auth.login("auditor", DEFAULT_PASSWORD)
    window = open_window(qtbot, services, auditor, shell_context)
    assert not window.test_page_action.isVisible() and not window.test_page_action.isEnabled()
    assert open_window(qtbot, services, admin, shell_context).test_page_action.isEnabled()
