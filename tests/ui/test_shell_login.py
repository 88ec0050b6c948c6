"""First start, login, lockout and the forced password change, driven through the real dialogs."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from desktop_app.domain.passwords import PasswordPolicy, PasswordRule
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.auth_dialogs import ChangePasswordDialog, FirstAdminDialog, LoginDialog
from desktop_app.ui.session import SessionController
from desktop_app.ui.shell import ShellContext

from .shell_support import (
    audit_actions,
    error_line,
    field_error,
    press_enter,
    rows,
    tab_order,
    type_text,
    user_row,
)

pytestmark = pytest.mark.usefixtures("message_boxes")

PASSWORD = "Passw0rd#x"  # tests/conftest.py DEFAULT_PASSWORD


def show_login(qtbot: Any, services: Services, context: ShellContext, **kwargs: Any) -> LoginDialog:
    dialog = LoginDialog(services, context, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def sign_in(qtbot: Any, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    dialog.password.clear()
    type_text(qtbot, dialog.username, username)
    type_text(qtbot, dialog.password, password)
    press_enter(qtbot, dialog.password)


def intro_text(dialog: QDialog) -> str:
    label = dialog.findChild(QLabel, "intro")
    return label.text() if label is not None else ""


# -- first start ------------------------------------------------------------------------------------
def test_first_start_creates_the_system_admin_then_asks_to_sign_in(
    qtbot: Any, services: Services, controller: SessionController
) -> None:
    controller.start()
    dialog = controller.dialog
    assert isinstance(dialog, FirstAdminDialog)
    assert dialog.isVisible()

    type_text(qtbot, dialog.username, "root")
    type_text(qtbot, dialog.display_name, "信息科张工")
    type_text(qtbot, dialog.password, "Admin#2026")
    type_text(qtbot, dialog.repeat_password, "Admin#2026")
    press_enter(qtbot, dialog.repeat_password)

    login = controller.dialog
    assert isinstance(login, LoginDialog)
    assert login.isVisible()
    assert login.username.text() == "root"
    assert login.focusWidget() is login.password
    user = user_row(services, "root")
    assert user.display_name == "信息科张工"
    assert [r.role for r in rows(services, "SELECT role FROM user_roles WHERE user_id = :i", i=user.id)] == [
        "system-admin"
    ]
    assert len(rows(services, "SELECT id FROM departments")) == 8
    assert "init.first_admin" in audit_actions(services)

    sign_in(qtbot, login, "root", "Admin#2026")
    window = controller.window
    assert window is not None
    assert window.actor.username == "root"


def test_first_admin_refusals_keep_the_form_and_create_nothing(
    qtbot: Any, services: Services, shell_context: ShellContext
) -> None:
    dialog = FirstAdminDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.username, "root")
    type_text(qtbot, dialog.password, "Admin#2026")
    type_text(qtbot, dialog.repeat_password, "Admin#2025")
    press_enter(qtbot, dialog.repeat_password)
    assert "The two passwords are not the same" in field_error(dialog, "repeat_password")
    assert dialog.isVisible()

    dialog.password.clear()
    dialog.repeat_password.clear()
    type_text(qtbot, dialog.password, "short")
    type_text(qtbot, dialog.repeat_password, "short")
    press_enter(qtbot, dialog.repeat_password)
    assert "至少需要 8 个字符" in field_error(dialog, "password")
    assert "至少需要 8 个字符" in error_line(dialog)
    assert dialog.username.text() == "root"
    assert dialog.isVisible()
    assert services.auth.needs_first_admin()


def test_cancelling_the_first_start_ends_the_program(
    qtbot: Any, services: Services, controller: SessionController
) -> None:
    controller.start()
    assert controller.dialog is not None
    with qtbot.waitSignal(controller.finished) as ended:
        qtbot.keyClick(controller.dialog, Qt.Key.Key_Escape)
    assert ended.args == [0]
    assert services.auth.needs_first_admin()


def test_first_start_on_a_center_set_up_meanwhile_goes_on_to_the_login(
    qtbot: Any, services: Services, controller: SessionController
) -> None:
    controller.start()
    dialog = controller.dialog
    assert isinstance(dialog, FirstAdminDialog)
    services.auth.create_first_admin("other", "Admin#2026")  # another workstation was quicker
    type_text(qtbot, dialog.username, "root")
    type_text(qtbot, dialog.password, "Admin#2027")
    type_text(qtbot, dialog.repeat_password, "Admin#2027")
    press_enter(qtbot, dialog.repeat_password)
    login = controller.dialog
    assert isinstance(login, LoginDialog)
    assert login.isVisible()
    assert "系统已初始化" in error_line(login)
    assert [r.username for r in rows(services, "SELECT username FROM users")] == ["other"]


# -- login ------------------------------------------------------------------------------------------
def test_login_with_the_right_password(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    dialog = show_login(qtbot, services, shell_context)
    assert dialog.focusWidget() is dialog.username
    sign_in(qtbot, dialog, "clerk", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None
    assert dialog.actor.username == "clerk"
    assert dialog.actor.roles == {Role.HALL_STAFF}


def test_wrong_password_is_shown_at_the_field_and_counted(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    dialog = show_login(qtbot, services, shell_context)
    sign_in(qtbot, dialog, "clerk", "wrong-password")
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "用户名或密码不正确" in field_error(dialog, "password")
    assert "连续输错 5 次" in error_line(dialog)  # the rule, not the tries left: names stay secret
    assert dialog.focusWidget() is dialog.password
    assert dialog.password.selectedText() == "wrong-password"  # the next keystroke replaces it
    assert dialog.username.text() == "clerk"
    assert user_row(services, "clerk").failed_logins == 1


def test_unknown_user_and_empty_fields_are_refused(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    dialog = show_login(qtbot, services, shell_context)
    press_enter(qtbot, dialog.username)
    assert "请输入用户名和密码" in field_error(dialog, "username")
    sign_in(qtbot, dialog, "nobody", "whatever1A#")
    assert error_line(dialog).startswith("用户名或密码不正确。")
    assert dialog.actor is None
    assert dialog.isVisible()


def test_five_failures_lock_the_account(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    dialog = show_login(qtbot, services, shell_context)
    for attempt in range(1, 5):
        sign_in(qtbot, dialog, "clerk", f"wrong-{attempt}")
        assert "连续输错 5 次，账户将锁定 30 分钟" in error_line(dialog)
        assert user_row(services, "clerk").failed_logins == attempt
    sign_in(qtbot, dialog, "clerk", "wrong-5")
    assert "连续输错 5 次，账户将锁定 30 分钟" in error_line(dialog)
    locked = user_row(services, "clerk")
    assert locked.locked_until is not None
    assert locked.failed_logins == 0  # the tally restarts once the lock is set

    sign_in(qtbot, dialog, "clerk", PASSWORD)  # even the right password is refused while locked
    assert "如已锁定，请稍后再试" in error_line(dialog)
    assert dialog.actor is None
    assert dialog.isVisible()
    assert audit_actions(services).count("account.locked") == 1


def test_escape_cancels_the_login(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    dialog = show_login(qtbot, services, shell_context)
    type_text(qtbot, dialog.username, "clerk")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()


def test_login_tab_order_follows_the_form(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    dialog = show_login(qtbot, services, shell_context)
    assert tab_order(dialog.username, 4) == ["username", "password", "sign_in", "cancel"]
    assert dialog.username.accessibleName() and dialog.password.accessibleName()


# -- forced password change -------------------------------------------------------------------------
def test_reset_password_forces_a_change_then_signs_in(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    temporary = services.users.reset_password(admin, clerk.user_id)
    dialog = show_login(qtbot, services, shell_context)
    sign_in(qtbot, dialog, "clerk", temporary)

    change = dialog.change_dialog
    assert isinstance(change, ChangePasswordDialog)
    assert change.isVisible()
    assert dialog.actor is None
    assert "重置" in intro_text(change) and "第一次" not in intro_text(change)
    assert change.old_password.text() == temporary
    assert change.focusWidget() is change.new_password

    type_text(qtbot, change.new_password, "NewPass#2026")
    type_text(qtbot, change.repeat_password, "NewPass#2027")
    press_enter(qtbot, change.repeat_password)
    assert field_error(change, "repeat_password")
    assert change.isVisible()
    assert user_row(services, "clerk").must_change_password

    change.repeat_password.clear()
    type_text(qtbot, change.repeat_password, "NewPass#2026")
    press_enter(qtbot, change.repeat_password)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None
    assert dialog.actor.username == "clerk"
    assert not user_row(services, "clerk").must_change_password
    actions = audit_actions(services)
    assert actions.index("password.changed") < len(actions) - 1
    assert actions[-1] == "login"
    assert services.auth.login("clerk", "NewPass#2026").username == "clerk"


def test_forced_change_refuses_a_weak_password_at_its_field(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    temporary = services.users.reset_password(admin, clerk.user_id)
    dialog = show_login(qtbot, services, shell_context)
    sign_in(qtbot, dialog, "clerk", temporary)
    change = dialog.change_dialog
    assert change is not None
    type_text(qtbot, change.new_password, "weakweak")
    type_text(qtbot, change.repeat_password, "weakweak")
    press_enter(qtbot, change.repeat_password)
    assert "至少 3 类" in field_error(change, "new_password")
    assert change.isVisible()
    assert dialog.actor is None
    assert user_row(services, "clerk").must_change_password


def test_a_new_account_is_told_it_is_its_first_sign_in(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    services.users.create(
        admin, username="newbie", display_name="新人", roles={Role.HALL_STAFF}, password="Start#2026x"
    )
    dialog = show_login(qtbot, services, shell_context)
    sign_in(qtbot, dialog, "newbie", "Start#2026x")
    change = dialog.change_dialog
    assert change is not None and change.isVisible()
    assert "第一次登录" in intro_text(change) and "重置" not in intro_text(change)


@pytest.mark.usefixtures("zh_ui")
def test_the_password_hints_list_every_rule(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    services.center.update(
        admin, {"password_min_length": 10, "password_min_classes": 4}, services.center.get().versions
    )
    first = FirstAdminDialog(services)
    change = ChangePasswordDialog(services, "clerk")
    for dialog in (first, change):
        qtbot.addWidget(dialog)
    rules = {
        PasswordRule.MIN_LENGTH: "10 到 256 个字符",
        PasswordRule.MAX_LENGTH: "10 到 256 个字符",
        PasswordRule.CLASSES: "至少 4 类",
        PasswordRule.NOT_USERNAME: "不包含用户名",
        PasswordRule.NOT_CURRENT: "与当前密码不同",
    }
    assert set(rules) == set(PasswordPolicy().rules())  # a new rule needs its line in the hint
    for rule, words in rules.items():
        assert words in change.hint.text(), rule
        if rule is not PasswordRule.NOT_CURRENT:
            assert words in first.hint.text(), rule
    assert "当前密码" not in first.hint.text()  # a new account has none
    assert "小写字母、大写字母、数字、符号" in change.hint.text()
