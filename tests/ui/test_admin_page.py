"""The system administrator's page driven through its widgets, checked on screen and in the database."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from sqlalchemy import text

from desktop_app.domain.errors import PasswordChangeRequired
from desktop_app.domain.identifiers import id_check_char
from desktop_app.domain.roles import Permission, Role, permissions_of
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.admin.departments import DepartmentTableModel
from desktop_app.ui.admin.page import AdminPage
from desktop_app.ui.admin.staff import StaffDialog, StaffTableModel
from desktop_app.ui.admin.users import UserDialog, UserTableModel
from desktop_app.ui.common import ERROR_PROPERTY
from desktop_app.ui.labels import role_label
from desktop_app.ui.widgets.tables import filter_proxy
from tests.ui import shell_support

VALID_ID = "11010519491231002" + id_check_char("11010519491231002")
BAD_ID = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")


# -- helpers ------------------------------------------------------------------------------------
def type_text(qtbot: Any, widget: QWidget, value: str) -> None:
    """Type like a user: key presses for ASCII, an input-method commit for Chinese."""
    if value.isascii():
        qtbot.keyClicks(widget, value)
        return
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(value)
    QApplication.sendEvent(widget, event)


def rows(sql: str, services: Services, **params: Any) -> list[Any]:
    with services.db.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def table_texts(view: Any) -> list[list[str]]:
    model = view.model()
    return [
        [model.index(r, c).data() or "" for c in range(model.columnCount())] for r in range(model.rowCount())
    ]


def department_id(services: Services, name: str) -> int:
    return next(d.id for d in services.organisation.departments() if d.name == name)


def open_page(qtbot: Any, services: Services, actor: CurrentUser) -> AdminPage:
    page = AdminPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def field_error(dialog: QWidget, name: str) -> str:
    """The message pointed at a field: its error mark and tooltip; '' when the field is not marked."""
    widget = dialog.findChild(QWidget, name)
    assert widget is not None, name
    return widget.toolTip() if widget.property(ERROR_PROPERTY) else ""


def error_line(form: QWidget) -> str:
    return shell_support.error_line(form)


@pytest.fixture
def page(qtbot: Any, services: Services, admin: CurrentUser) -> AdminPage:
    return open_page(qtbot, services, admin)


# -- accounts -----------------------------------------------------------------------------------
ROLE_CASES = [
    (Role.HALL_STAFF, "u.hall", "窗口小张"),
    (Role.SUPERVISOR, "u.head", "评审科长"),
    (Role.LEADER, "u.leader", "中心主任"),
    (Role.SYSTEM_ADMIN, "u.sys", "信息科运维"),
    (Role.AUDIT_ADMIN, "u.audit", "审计专员"),
]


@pytest.mark.parametrize(("role", "username", "name"), ROLE_CASES, ids=[r.value for r, _, _ in ROLE_CASES])
def test_admin_creates_account_of_each_role(
    qtbot: Any, page: AdminPage, services: Services, role: Role, username: str, name: str
) -> None:
    tab = page.users
    page.show_tab(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, UserDialog) and dialog.isVisible()
    assert not dialog.department.isEnabled()
    qtbot.keyClicks(dialog.username, username)
    type_text(qtbot, dialog.display_name, name)
    qtbot.mouseClick(dialog.role_boxes[role], Qt.MouseButton.LeftButton)
    assert dialog.role_boxes[role].isChecked()
    if role is Role.SUPERVISOR:
        assert dialog.department.isEnabled()
        dialog.department.setCurrentIndex(dialog.department.findText("评审科"))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.display_name, Qt.Key.Key_Return)

    # On screen: the new row, and the initial password shown once.
    shown = {row[0]: row for row in table_texts(tab.view)}
    assert shown[username][1] == name
    assert shown[username][2] == role_label(role)
    assert shown[username][3] == ("评审科" if role is Role.SUPERVISOR else "")
    password_dialog = tab.password_dialog
    assert password_dialog is not None and password_dialog.isVisible()
    password = password_dialog.password.text()
    assert len(password) >= 12

    # In the database: the account and exactly its one role; it must change the password first.
    stored = rows(
        "SELECT u.id, u.display_name, u.department_id, u.must_change_password, r.role "
        "FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.username = :name",
        services,
        name=username,
    )
    assert [(r.display_name, r.role, bool(r.must_change_password)) for r in stored] == [
        (name, role.value, True)
    ]
    expected_dept = department_id(services, "评审科") if role is Role.SUPERVISOR else None
    assert stored[0].department_id == expected_dept
    # The password shown is the one stored.
    with pytest.raises(PasswordChangeRequired):
        services.auth.login(username, password)
    qtbot.keyClick(password_dialog, Qt.Key.Key_Escape)
    assert not password_dialog.isVisible()
    assert password_dialog.password.text() == ""


def test_roles_waiting_for_a_leader_are_shown_and_kept_by_an_unchanged_save(
    qtbot: Any, page: AdminPage, services: Services, admin: CurrentUser, leader: CurrentUser
) -> None:
    """三员分立: once the center has a leader, the roles the admin gives wait; the form shows them."""
    tab = page.users
    page.show_tab(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, UserDialog)
    qtbot.keyClicks(dialog.username, "u.new")
    type_text(qtbot, dialog.display_name, "新职员")
    qtbot.mouseClick(dialog.role_boxes[Role.HALL_STAFF], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.display_name, Qt.Key.Key_Return)
    waiting_prefix = tab.model.tr("Awaiting confirmation: %1").split("%1")[0]
    assert tab.select(lambda u: u.username == "u.new")
    record = tab.current()
    assert record.roles == () and record.pending_roles == (Role.HALL_STAFF,)
    assert waiting_prefix in tab.model.status_text(record)
    assert tab.status.isVisible() and "u.new" in tab.status.text()

    # Edited and saved unchanged: the request stays.
    tab.edit_current()
    edit = tab.dialog
    assert isinstance(edit, UserDialog) and edit.role_boxes[Role.HALL_STAFF].isChecked()
    with qtbot.waitSignal(edit.accepted):
        qtbot.keyClick(edit.display_name, Qt.Key.Key_Return)
    assert services.users.get(record.id).pending_roles == (Role.HALL_STAFF,)


FORBIDDEN = [
    ((Role.SYSTEM_ADMIN, Role.LEADER), "roles", "业务角色"),
    ((Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN), "roles", "三员分立"),
    ((Role.SUPERVISOR,), "department", "科室负责人必须指定"),
]


@pytest.mark.parametrize(
    ("roles", "field", "message"), FORBIDDEN, ids=["admin+leader", "admin+audit", "supervisor-no-dept"]
)
def test_forbidden_role_combination_is_refused_at_the_field(
    qtbot: Any, page: AdminPage, services: Services, roles: tuple[Role, ...], field: str, message: str
) -> None:
    tab = page.users
    page.show_tab(tab)
    page.new_item()  # Ctrl+N on the accounts tab
    dialog = tab.dialog
    assert isinstance(dialog, UserDialog)
    qtbot.keyClicks(dialog.username, "mixed")
    type_text(qtbot, dialog.display_name, "李混合")
    for role in roles:
        qtbot.mouseClick(dialog.role_boxes[role], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert message in field_error(dialog, field)
    assert message in error_line(dialog)
    target = dialog.findChild(QWidget, field)
    assert dialog.focusWidget() in (target, target.focusProxy())
    # Everything typed is still there.
    assert dialog.username.text() == "mixed"
    assert dialog.display_name.text() == "李混合"
    assert dialog.chosen_roles() == set(roles)
    assert rows("SELECT id FROM users WHERE username = 'mixed'", services) == []
    assert "mixed" not in [r[0] for r in table_texts(tab.view)]

    # Fixing it clears the mark and saves.
    for role in roles[1:]:
        qtbot.mouseClick(dialog.role_boxes[role], Qt.MouseButton.LeftButton)
    if field == "department":
        dialog.department.setCurrentIndex(dialog.department.findText("办公室"))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert field_error(dialog, field) == ""
    assert [
        r.role
        for r in rows(
            "SELECT role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'mixed'",
            services,
        )
    ] == [roles[0].value]


def test_edit_account_keeps_username_and_links_staff(
    qtbot: Any, page: AdminPage, services: Services, admin: CurrentUser
) -> None:
    staff = services.organisation.save_staff(
        admin, employee_no="HT101", name="王晓梅", department_id=department_id(services, "办公室")
    )
    services.users.create(
        admin, username="wxm", display_name="wxm", roles={Role.HALL_STAFF}, password="Passw0rd#x"
    )
    tab = page.users
    page.show_tab(tab)
    tab.refresh()
    assert tab.select(lambda u: u.username == "wxm")
    tab.edit_current()
    dialog = tab.dialog
    assert isinstance(dialog, UserDialog)
    assert dialog.username.isReadOnly()
    dialog.display_name.clear()
    dialog.staff.setCurrentIndex(dialog.staff.findData(staff.id))
    assert dialog.display_name.text() == "王晓梅"  # taken from the linked staff record
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.display_name, Qt.Key.Key_Enter)
    stored = rows("SELECT display_name, staff_id, version FROM users WHERE username = 'wxm'", services)
    assert [(r.display_name, r.staff_id, r.version) for r in stored] == [("王晓梅", staff.id, 2)]
    assert {r[0]: r[4] for r in table_texts(tab.view)}["wxm"] == "王晓梅"


def test_escape_cancels_without_saving(qtbot: Any, page: AdminPage, services: Services) -> None:
    tab = page.users
    page.show_tab(tab)
    tab.new_item()
    dialog = tab.dialog
    qtbot.keyClicks(dialog.username, "never")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.username, Qt.Key.Key_Escape)
    assert rows("SELECT id FROM users WHERE username = 'never'", services) == []


def test_reset_password_shows_it_once_with_copy(
    qtbot: Any, page: AdminPage, services: Services, admin: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.users.create(
        admin,
        username="clerk",
        display_name="窗口",
        roles={Role.HALL_STAFF},
        password="Passw0rd#x",
        must_change_password=False,
    )
    tab = page.users
    page.show_tab(tab)
    tab.refresh()
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes
    )
    assert tab.select(lambda u: u.username == "clerk")
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert asked and "clerk" in asked[0]
    shown = tab.password_dialog
    assert shown is not None and shown.isVisible()
    password = shown.password.text()
    qtbot.mouseClick(shown.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == password
    with pytest.raises(PasswordChangeRequired):
        services.auth.login("clerk", password)
    assert {r[0]: r[5] for r in table_texts(tab.view)}["clerk"] == tab.model.tr("Must change password")
    assert "clerk" in tab.status.text()


def test_reset_password_declined_changes_nothing(
    qtbot: Any, page: AdminPage, services: Services, admin: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.users.create(
        admin,
        username="clerk",
        display_name="窗口",
        roles={Role.HALL_STAFF},
        password="Passw0rd#x",
        must_change_password=False,
    )
    tab = page.users
    tab.refresh()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert tab.select(lambda u: u.username == "clerk")
    tab.reset_password()
    assert tab.password_dialog is None
    assert services.auth.login("clerk", "Passw0rd#x").username == "clerk"


def test_unlock_locked_account(qtbot: Any, page: AdminPage, services: Services, admin: CurrentUser) -> None:
    services.users.create(
        admin,
        username="clerk",
        display_name="窗口",
        roles={Role.HALL_STAFF},
        password="Passw0rd#x",
        must_change_password=False,
    )
    for _ in range(services.center.get().policy.max_failed_logins):
        with pytest.raises(Exception):  # noqa: B017 - wrong password, then locked
            services.auth.login("clerk", "Wrong#pass1")
    tab = page.users
    tab.refresh()
    assert tab.select(lambda u: u.username == "clerk")
    assert tab.unlock_button.isEnabled()
    locked_prefix = tab.model.tr("Locked until %1").split("%1")[0]
    assert tab.model.status_text(tab.current()).startswith(locked_prefix)
    qtbot.mouseClick(tab.unlock_button, Qt.MouseButton.LeftButton)
    assert rows("SELECT locked_until, failed_logins FROM users WHERE username = 'clerk'", services)[0] == (
        None,
        0,
    )
    assert not tab.unlock_button.isEnabled()
    assert services.auth.login("clerk", "Passw0rd#x").username == "clerk"


# -- staff --------------------------------------------------------------------------------------
def test_staff_form_validates_at_the_field_and_shows_masked_data(
    qtbot: Any, page: AdminPage, services: Services
) -> None:
    tab = page.staff
    page.show_tab(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, StaffDialog)
    qtbot.keyClicks(dialog.employee_no, "HT201")
    type_text(qtbot, dialog.name, "欧阳振华")
    dialog.department.setCurrentIndex(dialog.department.findText("评审科"))
    type_text(qtbot, dialog.post, "评标见证")
    qtbot.keyClicks(dialog.phone, "138 1234 5678")
    qtbot.keyClicks(dialog.id_number, BAD_ID)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert "校验位" in field_error(dialog, "id_number")
    assert "校验位" in error_line(dialog)
    assert dialog.focusWidget() is dialog.id_number
    assert (dialog.employee_no.text(), dialog.name.text(), dialog.post.text(), dialog.id_number.text()) == (
        "HT201",
        "欧阳振华",
        "评标见证",
        BAD_ID,
    )
    assert dialog.department.currentText() == "评审科"
    assert rows("SELECT id FROM staff", services) == []

    dialog.id_number.selectAll()
    qtbot.keyClicks(dialog.id_number, VALID_ID.lower())
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.id_number, Qt.Key.Key_Return)

    masked_id = VALID_ID[:4] + "*" * 10 + VALID_ID[-4:]
    shown = {r[0]: r for r in table_texts(tab.view)}["HT201"]
    assert shown[1:4] == ["欧阳振华", "评审科", "评标见证"]
    assert shown[5] == "138****5678"
    assert shown[6] == masked_id
    # Nothing in clear on screen, and nothing in clear at rest.
    assert "13812345678" not in str(table_texts(tab.view)) and VALID_ID not in str(table_texts(tab.view))
    raw = rows("SELECT phone, id_number, phone_masked, id_number_masked FROM staff", services)[0]
    assert "13812345678" not in str(raw.phone) and VALID_ID not in str(raw.id_number)
    assert (raw.phone_masked, raw.id_number_masked) == ("138****5678", masked_id)


def test_staff_live_check_marks_the_field_without_stealing_focus(qtbot: Any, page: AdminPage) -> None:
    tab = page.staff
    tab.new_item()
    dialog = tab.dialog
    qtbot.keyClicks(dialog.phone, "12345")
    dialog.phone.editingFinished.emit()
    assert "电话号码格式不正确" in field_error(dialog, "phone")
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "022-12345678")
    dialog.phone.editingFinished.emit()
    assert field_error(dialog, "phone") == ""


def test_staff_edit_keeps_stored_personal_data_when_left_blank(
    qtbot: Any, page: AdminPage, services: Services, admin: CurrentUser
) -> None:
    staff = services.organisation.save_staff(
        admin,
        employee_no="HT301",
        name="陈静",
        department_id=department_id(services, "信息科"),
        phone="18622223333",
        id_number=VALID_ID,
    )
    tab = page.staff
    page.show_tab(tab)
    tab.refresh()
    assert tab.select(lambda s: s.id == staff.id)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)  # Enter on the row opens it
    dialog = tab.dialog
    assert isinstance(dialog, StaffDialog) and dialog.record is not None
    assert dialog.phone.text() == "" and "186****3333" in dialog.phone.placeholderText()
    dialog.post.setText("系统运维")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    raw = rows("SELECT post, phone_masked, id_number_masked FROM staff WHERE id = :i", services, i=staff.id)[
        0
    ]
    assert tuple(raw) == ("系统运维", "186****3333", VALID_ID[:4] + "*" * 10 + VALID_ID[-4:])


def test_staff_dialog_tab_order_follows_the_form(page: AdminPage) -> None:
    page.staff.new_item()
    dialog = page.staff.dialog
    expected = ["employee_no", "name", "department", "post", "phone", "id_number"]
    chain = []
    widget = dialog.employee_no
    for _ in expected:
        chain.append(widget.objectName())
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
    assert chain == expected
    for name in expected:
        assert dialog.findChild(QWidget, name).accessibleName()


def test_admin_sees_no_clear_text_action(page: AdminPage) -> None:
    assert not page.actor.can(Permission.UNMASK_PERSONAL_DATA)
    assert page.staff.findChild(QPushButton, "reveal") is None


def test_reveal_needs_a_reason_and_is_audited(qtbot: Any, services: Services, admin: CurrentUser) -> None:
    # No real account has both rights (三员分立); the page still honours the right if one ever does.
    staff = services.organisation.save_staff(
        admin,
        employee_no="HT401",
        name="赵文博",
        department_id=department_id(services, "办公室"),
        phone="13923456789",
    )
    actor = CurrentUser(
        admin.user_id,
        admin.username,
        admin.display_name,
        admin.roles,
        admin.workstation,
        permissions=permissions_of(admin.roles) | {Permission.UNMASK_PERSONAL_DATA},
    )
    page = open_page(qtbot, services, actor)
    tab = page.staff
    page.show_tab(tab)
    button = tab.findChild(QPushButton, "reveal")
    assert button is not None and not button.isEnabled()
    assert tab.select(lambda s: s.id == staff.id)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    type_text(qtbot, dialog.reason, "看看")
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    assert "至少 4 个字" in field_error(dialog, "reason")
    assert dialog.value.text() == ""
    dialog.reason.clear()
    type_text(qtbot, dialog.reason, "核对投诉人身份")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.value.text() == "13923456789"
    audit = rows("SELECT action, object_id, summary FROM audit_log ORDER BY seq DESC LIMIT 1", services)[0]
    assert (audit.action, audit.object_id) == ("pii.unmask", str(staff.id))
    assert "核对投诉人身份" in audit.summary


# -- departments --------------------------------------------------------------------------------
def test_add_rename_and_deactivate_department(
    qtbot: Any, page: AdminPage, services: Services, admin: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = page.departments
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    type_text(qtbot, dialog.name, "综合服务窗口")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert ["综合服务窗口", "0", tab.model.status_text(tab.current())] in table_texts(tab.view)

    # A duplicate name is refused at the name field.
    tab.new_item()
    dialog = tab.dialog
    type_text(qtbot, dialog.name, "评审科")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible() and "同名" in field_error(dialog, "name")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    # Rename.
    assert tab.select(lambda d: d.name == "综合服务窗口")
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    dialog.name.selectAll()
    type_text(qtbot, dialog.name, "便民服务窗口")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert rows("SELECT name FROM departments WHERE name LIKE '%窗口'", services)[0].name == "便民服务窗口"

    # A department with staff on duty cannot be deactivated; an empty one can.
    services.organisation.save_staff(
        admin, employee_no="HT501", name="孙立", department_id=department_id(services, "财务科")
    )
    tab.refresh()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert tab.select(lambda d: d.name == "财务科")
    assert {r[0]: r[1] for r in table_texts(tab.view)}["财务科"] == "1"
    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    assert "1 名在岗人员" in error_line(tab)
    assert rows("SELECT active FROM departments WHERE name = '财务科'", services)[0].active
    assert tab.select(lambda d: d.name == "便民服务窗口")
    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    assert not rows("SELECT active FROM departments WHERE name = '便民服务窗口'", services)[0].active
    assert tab.toggle_button.text() == tab.tr("Reactivate")
    # A deactivated department is no longer offered for new staff.
    page.staff.new_item()
    assert page.staff.dialog.department.findText("便民服务窗口") == -1


# -- center settings ----------------------------------------------------------------------------
def test_center_settings_save_changed_values(qtbot: Any, page: AdminPage, services: Services) -> None:
    tab = page.center
    page.show_tab(tab)
    field = tab.fields["center_name"]
    field.selectAll()
    type_text(qtbot, field, "天津市公共资源交易中心")
    spin = tab.fields["max_failed_logins"]
    spin.setValue(6)
    qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter saves
    settings = services.center.get()
    assert settings["center_name"] == "天津市公共资源交易中心"
    assert settings["max_failed_logins"] == 6
    assert tab.status.isVisible()
    # A required value left empty is refused at its field.
    tab.fields["center_short_name"].clear()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "不能为空" in field_error(tab, "center_short_name")
    assert services.center.get()["center_short_name"] != ""


# -- two workstations ---------------------------------------------------------------------------
@pytest.fixture
def two_admins(
    qtbot: Any, core: ModuleType, sqlite_database: Any, sqlite_url: str, isolated_home: Any
) -> Any:
    """Two workstations on one database file, each with its own system admin signed in."""
    first = Services(sqlite_database)
    first.auth.create_first_admin("sysadmin", core.ADMIN_PASSWORD, "王建国")
    first_admin = first.auth.login("sysadmin", core.ADMIN_PASSWORD)
    core.make_user(first, first_admin, "admin2", Role.SYSTEM_ADMIN)
    second_db = core.open_test_database(sqlite_url, isolated_home, "ws-2")
    second = Services(second_db)
    second_admin = second.auth.login("admin2", core.DEFAULT_PASSWORD)
    yield (first, first_admin), (second, second_admin)
    second_db.dispose()


def test_stale_department_save_is_refused_and_names_who(qtbot: Any, two_admins: Any) -> None:
    (a, a_admin), (b, b_admin) = two_admins
    page_a = open_page(qtbot, a, a_admin)
    page_b = open_page(qtbot, b, b_admin)
    for page in (page_a, page_b):
        assert page.departments.select(lambda d: d.name == "财务科")
        page.departments.edit_current()
    first, second = page_b.departments.dialog, page_a.departments.dialog
    first.name.selectAll()
    type_text(qtbot, first.name, "计划财务科")
    with qtbot.waitSignal(first.accepted):
        qtbot.keyClick(first.name, Qt.Key.Key_Return)

    second.name.selectAll()
    type_text(qtbot, second.name, "财务审计科")
    qtbot.keyClick(second.name, Qt.Key.Key_Return)
    assert second.isVisible()
    assert "admin2" in error_line(second)
    assert second.name.text() == "财务审计科"
    assert second.reload_button.isVisible()
    assert [r.name for r in rows("SELECT name FROM departments WHERE name LIKE '%财务%'", a)] == [
        "计划财务科"
    ]

    # Reload shows what is stored now; a save from there goes through.
    qtbot.mouseClick(second.reload_button, Qt.MouseButton.LeftButton)
    assert second.name.text() == "计划财务科"
    assert not second.reload_button.isVisible() and error_line(second) == ""
    second.name.selectAll()
    type_text(qtbot, second.name, "财务审计科")
    with qtbot.waitSignal(second.accepted):
        qtbot.keyClick(second.name, Qt.Key.Key_Return)
    assert [r.name for r in rows("SELECT name FROM departments WHERE name LIKE '%财务%'", a)] == [
        "财务审计科"
    ]


def test_stale_staff_save_is_refused_and_names_who(qtbot: Any, two_admins: Any) -> None:
    (a, a_admin), (b, b_admin) = two_admins
    staff = a.organisation.save_staff(
        a_admin, employee_no="HT601", name="李思远", department_id=department_id(a, "评审科"), post="评标见证"
    )
    page_a = open_page(qtbot, a, a_admin)
    page_b = open_page(qtbot, b, b_admin)
    for page in (page_a, page_b):
        page.show_tab(page.staff)
        assert page.staff.select(lambda s: s.id == staff.id)
        page.staff.edit_current()
    first, second = page_a.staff.dialog, page_b.staff.dialog
    first.post.selectAll()
    type_text(qtbot, first.post, "开标主持")
    with qtbot.waitSignal(first.accepted):
        qtbot.mouseClick(first.save_button, Qt.MouseButton.LeftButton)

    second.post.selectAll()
    type_text(qtbot, second.post, "进场登记")
    qtbot.mouseClick(second.save_button, Qt.MouseButton.LeftButton)
    assert second.isVisible()
    assert "sysadmin" in error_line(second)
    assert second.post.text() == "进场登记"
    assert rows("SELECT post, updated_by FROM staff WHERE id = :i", a, i=staff.id)[0] == (
        "开标主持",
        "sysadmin",
    )


def test_stale_center_setting_save_is_refused_and_names_who(qtbot: Any, two_admins: Any) -> None:
    (a, a_admin), (b, b_admin) = two_admins
    page_a = open_page(qtbot, a, a_admin)
    page_b = open_page(qtbot, b, b_admin)
    tab_a, tab_b = page_a.center, page_b.center
    page_a.show_tab(tab_a)
    page_b.show_tab(tab_b)
    tab_a.fields["center_name"].setText("某市公共资源交易服务中心")
    qtbot.mouseClick(tab_a.save_button, Qt.MouseButton.LeftButton)
    assert tab_a.status.isVisible()

    tab_b.fields["center_name"].setText("某市公共资源交易中心（本部）")
    qtbot.mouseClick(tab_b.save_button, Qt.MouseButton.LeftButton)
    assert "sysadmin" in error_line(tab_b)
    assert tab_b.fields["center_name"].text() == "某市公共资源交易中心（本部）"
    assert b.center.get()["center_name"] == "某市公共资源交易服务中心"

    # A different setting changed on the stale form does not overwrite the other admin's change.
    qtbot.mouseClick(tab_b.reload_button, Qt.MouseButton.LeftButton)
    assert tab_b.fields["center_name"].text() == "某市公共资源交易服务中心"
    tab_a.fields["center_short_name"].setText("某市公资中心")
    qtbot.mouseClick(tab_a.save_button, Qt.MouseButton.LeftButton)
    tab_b.fields["query_phone"].setText("022-12345678")
    qtbot.mouseClick(tab_b.save_button, Qt.MouseButton.LeftButton)
    assert error_line(tab_b) == ""
    stored = a.center.get()
    assert (stored["center_short_name"], stored["query_phone"]) == ("某市公资中心", "022-12345678")


# -- page-level keyboard and the models ---------------------------------------------------------
def test_page_shortcuts_follow_the_current_tab(qtbot: Any, page: AdminPage) -> None:
    with qtbot.waitActive(page):
        page.activateWindow()
    page.show_tab(page.staff)
    page.focus_search()
    assert page.staff.search.hasFocus()
    page.new_item()
    assert isinstance(page.staff.dialog, StaffDialog) and page.staff.dialog.isVisible()
    page.staff.dialog.reject()
    page.show_tab(page.users)
    page.new_item()
    assert isinstance(page.users.dialog, UserDialog)
    page.users.dialog.reject()
    page.show_tab(page.center)
    page.focus_search()  # no search on the settings form: nothing happens, nothing breaks
    page.new_item()


def test_search_filters_the_table(qtbot: Any, page: AdminPage) -> None:
    tab = page.departments
    qtbot.keyClicks(tab.search, "x")
    assert tab.view.model().rowCount() == 0
    tab.search.clear()
    type_text(qtbot, tab.search, "工程")
    assert [r[0] for r in table_texts(tab.view)] == ["建设工程科"]


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
@pytest.mark.parametrize("kind", ["departments", "staff", "users"])
def test_table_models_pass_the_model_tester(
    qtbot: Any, qtmodeltester: Any, services: Services, admin: CurrentUser, kind: str, force_py: bool
) -> None:
    office = department_id(services, "办公室")
    services.organisation.save_staff(
        admin,
        employee_no="HT701",
        name="张三丰",
        department_id=office,
        phone="13812345678",
        id_number=VALID_ID,
    )
    services.organisation.save_staff(
        admin, employee_no="HT702", name="孙立", department_id=department_id(services, "财务科"), active=False
    )
    services.users.create(
        admin,
        username="clerk",
        display_name="窗口",
        roles={Role.HALL_STAFF, Role.SUPERVISOR},
        password="Passw0rd#x",
        department_id=office,
    )
    model: Any
    if kind == "departments":
        model, load = DepartmentTableModel(), services.organisation.departments
    elif kind == "staff":
        model, load = StaffTableModel(), services.organisation.staff
    else:
        model, load = UserTableModel(), services.users.list
    model.set_records(load())
    assert model.rowCount() > 1
    qtmodeltester.check(model, force_py=force_py)
    # The tester keeps watching: resets with more, fewer and no rows must stay consistent.
    services.organisation.save_staff(admin, employee_no="HT703", name="周敏", department_id=office)
    services.users.create(
        admin, username="second", display_name="二号", roles={Role.LEADER}, password="Passw0rd#x"
    )
    with qtbot.waitSignal(model.modelReset):
        model.set_records(load())
    model.set_records([])
    model.set_records(load()[:1])
    assert model.rowCount() == 1


def test_proxy_over_a_table_model_passes_the_model_tester(qtmodeltester: Any, services: Services) -> None:
    model = DepartmentTableModel()
    model.set_records(services.organisation.departments())
    proxy = filter_proxy(model, None)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    proxy.setFilterFixedString("科")
    model.set_records(services.organisation.departments()[:3])


def test_every_input_is_named_for_tests_and_screen_readers(
    qtbot: Any, page: AdminPage, services: Services, admin: CurrentUser
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit

    staff = services.organisation.save_staff(
        admin, employee_no="HT801", name="陈静", department_id=department_id(services, "信息科")
    )
    page.staff.refresh()
    page.staff.select(lambda s: s.id == staff.id)
    forms: list[QWidget] = [
        page.departments,
        page.staff,
        page.users,
        page.center,
        page.complaint_rules,
        page.calendar,
    ]
    for tab in (page.departments, page.staff, page.users, page.complaint_rules, page.calendar):
        tab.new_item()
        forms.append(tab.dialog)
    page.staff.edit_current()
    forms.append(page.staff.dialog)
    inputs = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton)
    checked = 0
    for form in forms:
        for widget in form.findChildren(QWidget):
            if not isinstance(widget, inputs) or widget.objectName().startswith("qt_"):
                continue
            if isinstance(widget.parent(), QAbstractSpinBox | QComboBox | QLineEdit | QAbstractItemView):
                continue  # parts of a compound widget: a spin box's editor, a clear button, a corner
            assert widget.objectName(), f"{type(widget).__name__} in {type(form).__name__} has no objectName"
            # A push button's text is its accessible name; every other input needs one set.
            spoken = widget.text() if isinstance(widget, QPushButton) else widget.accessibleName()
            assert spoken, f"{widget.objectName()} in {type(form).__name__}"
            checked += 1
    assert checked > 40


def test_page_speaks_chinese(qtbot: Any, zh_ui: None, services: Services, admin: CurrentUser) -> None:
    page = open_page(qtbot, services, admin)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "科室",
        "人员",
        "账户",
        "中心设置",
        "信用目录",
        "投诉规则",
        "专家考评项目",
        "考核方案",
        "工作日历",
    ]
    headers = page.users.view.model()
    assert [headers.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["用户名", "姓名", "角色"]
    page.users.new_item()
    dialog = page.users.dialog
    assert [box.text() for box in dialog.role_boxes.values()] == [
        "大厅工作人员",
        "科室负责人",
        "中心领导",
        "系统管理员",
        "审计管理员",
    ]
    assert (dialog.save_button.text(), dialog.windowTitle()) == ("保存", "新建账户")
