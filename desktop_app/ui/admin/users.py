"""账户: accounts, their roles (三员分立 enforced by the service), password resets and unlocking."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.errors import DomainError
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.users import UserInfo, temporary_password
from desktop_app.ui import operations, topics
from desktop_app.ui.dates import table_time
from desktop_app.ui.labels import ROLE_ORDER, role_label, roles_text
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data, named
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width


def is_locked(user: UserInfo, now: datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or clock.now())


class UserTableModel(RecordTableModel[UserInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Username"), lambda u: u.username, width=Width(weight=0.5)),
                Column(self.tr("Name"), lambda u: u.display_name, width=Width(weight=0.5)),
                Column(self.tr("Roles"), lambda u: roles_text(u.roles), width=Width("大厅工作", weight=1)),
                Column(self.tr("Department"), lambda u: u.department_name, width=Width(weight=1)),
                Column(self.tr("Linked staff"), lambda u: u.staff_name, width=Width(weight=0.5)),
                Column(
                    self.tr("Status"),
                    self.status_text,
                    self.status_rank,
                    width=Width("须修改密码", weight=1.5),
                ),
                Column(
                    self.tr("Last sign-in"),
                    lambda u: table_time(u.last_login_at),
                    lambda u: u.last_login_at.timestamp() if u.last_login_at else 0.0,
                    width=Width(whole=True, weight=0),
                ),
            ],
            muted=lambda u: not u.active,
            parent=parent,
        )

    def status_text(self, user: UserInfo) -> str:
        parts = []
        if not user.active:
            parts.append(self.tr("Inactive"))
        if is_locked(user):
            parts.append(self.tr("Locked until %1").replace("%1", table_time(user.locked_until)))
        if user.must_change_password:
            parts.append(self.tr("Must change password"))
        if user.pending_roles:
            parts.append(self.tr("Awaiting confirmation: %1").replace("%1", roles_text(user.pending_roles)))
        return self.tr(", ").join(parts) if parts else self.tr("Normal")

    @staticmethod
    def status_rank(user: UserInfo) -> int:
        return (
            (0 if user.active else 4)
            + (2 if is_locked(user) else 0)
            + (1 if user.must_change_password else 0)
            + (8 if user.pending_roles else 0)
        )


class UserDialog(FormDialog):
    """New account (``record`` None: an initial password is generated and shown once) or edit one."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        record: UserInfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("New account") if record is None else self.tr("Edit account"), parent)
        self.services = services
        self.actor = actor
        self.record = record
        self.password = ""
        self.username = self.add_field(
            self.tr("Username:"), QLineEdit(self), "username", self.tr("Username"), required=record is None
        )
        self.username.setMaxLength(32)
        self.username.setPlaceholderText(self.tr("Letters, digits and . _ -"))
        self.username.setReadOnly(record is not None)
        self.display_name = self.add_field(
            self.tr("Name:"), QLineEdit(self), "display_name", self.tr("Display name"), required=True
        )
        self.display_name.setMaxLength(50)

        self.roles = named(QWidget(self), "roles", self.tr("Roles"))
        grid = QGridLayout(self.roles)
        grid.setContentsMargins(4, 2, 4, 2)
        self.role_boxes: dict[Role, QCheckBox] = {}
        for i, role in enumerate(ROLE_ORDER):
            box = named(QCheckBox(role_label(role), self.roles), f"roles_{role.value}", role_label(role))
            box.toggled.connect(lambda _on: self._roles_changed())
            grid.addWidget(box, i // 3, i % 3)
            self.role_boxes[role] = box
        self.roles.setFocusProxy(self.role_boxes[ROLE_ORDER[0]])
        self.form.addRow(self.tr("Roles:"), self.roles)
        self.set_required(self.roles)

        self.department = self.add_field(self.tr("Department:"), QComboBox(self), "department")
        self.department.setToolTip(self.tr("The department a department head is responsible for"))
        self.staff = self.add_field(
            self.tr("Staff record:"), QComboBox(self), "staff", self.tr("Linked staff")
        )
        self.staff.setToolTip(self.tr("Optional: the staff record of this person"))
        self.active = self.add_field(self.tr("Status:"), QCheckBox(self.tr("Account active"), self), "active")
        self.active.setChecked(True)
        self.active.setVisible(record is not None)
        self.form.labelForField(self.active).setVisible(record is not None)
        self._fill_choices(record)
        self.staff.currentIndexChanged.connect(lambda _i: self._staff_changed())
        if record is not None:
            self._show(record)
        else:
            self.set_hint(
                self.tr(
                    "An initial password is generated when you save and shown once; "
                    "the user must change it at first sign-in."
                )
            )
        self._roles_changed()
        self.setMinimumWidth(520)

    # -- filling -------------------------------------------------------------------------------
    def _fill_choices(self, record: UserInfo | None) -> None:
        keep_dept = record.department_id if record else None
        keep_staff = record.staff_id if record else None
        self.department.clear()
        self.department.addItem(self.tr("— none —"), None)
        for d in self.services.organisation.departments():
            if d.active or d.id == keep_dept:
                self.department.addItem(d.name, d.id)
        taken = {u.staff_id for u in self.services.users.list() if u.staff_id is not None} - {keep_staff}
        self.staff.clear()
        self.staff.addItem(self.tr("— not linked —"), None)
        self._staff_names: dict[int, str] = {}
        for s in self.services.organisation.staff():
            if s.id in taken or (not s.active and s.id != keep_staff):
                continue
            self.staff.addItem(f"{s.employee_no}  {s.name}（{s.department_name}）", s.id)
            self._staff_names[s.id] = s.name

    def _show(self, record: UserInfo) -> None:
        self.record = record
        self.username.setText(record.username)
        self.display_name.setText(record.display_name)
        # The roles asked for (those waiting for confirmation included): saving the form unchanged
        # must not withdraw a request.
        asked = record.pending_roles or record.roles
        for role, box in self.role_boxes.items():
            box.setChecked(role in asked)
        combo_select_data(self.department, record.department_id)
        combo_select_data(self.staff, record.staff_id)
        self.active.setChecked(record.active)

    def _roles_changed(self) -> None:
        head = self.role_boxes[Role.SUPERVISOR].isChecked()
        self.department.setEnabled(head)
        # A department head heads a department: chosen here, or the linked staff member's.
        self.set_required(self.department, head and self.staff.currentData() is None)

    def _staff_changed(self) -> None:
        self._roles_changed()
        staff_id = self.staff.currentData()
        if staff_id is not None and not self.display_name.text().strip():
            self.display_name.setText(self._staff_names.get(staff_id, ""))

    def chosen_roles(self) -> set[Role]:
        return {role for role, box in self.role_boxes.items() if box.isChecked()}

    # -- saving --------------------------------------------------------------------------------
    def _initial_password(self) -> str:
        policy = self.services.center.get().policy
        length = max(12, policy.min_length)
        for _ in range(200):
            candidate = temporary_password(length)
            try:
                policy.check(candidate, self.username.text().strip().lower())
            except DomainError:
                continue
            return candidate
        return temporary_password(length)

    def submit(self) -> None:
        roles = self.chosen_roles()
        department_id = self.department.currentData() if Role.SUPERVISOR in roles else None
        display_name, staff_id, record = self.display_name.text(), self.staff.currentData(), self.record
        if record is None:
            password = self.password = self._initial_password()
            username = self.username.text()
            self.save(
                lambda: self.services.users.create(
                    self.actor,
                    username=username,
                    display_name=display_name,
                    roles=roles,
                    password=password,
                    department_id=department_id,
                    staff_id=staff_id,
                    must_change_password=True,
                ),
                changed=topics.USER,
            )
        else:
            active = self.active.isChecked()
            self.save(
                lambda: self.services.users.update(
                    self.actor,
                    record.id,
                    display_name=display_name,
                    roles=roles,
                    department_id=department_id,
                    staff_id=staff_id,
                    active=active,
                    expected_version=record.version,
                ),
                changed=topics.USER,
                ids=(record.id,),
            )

    def reload(self) -> None:
        if self.record is None:
            return
        record_id = self.record.id
        current = operations.run(self, lambda: self.services.users.get(record_id)).value
        if current is not None:
            self._fill_choices(current)
            self._show(current)


class TemporaryPasswordDialog(QDialog):
    """The one time a temporary password is visible: a read-only field and a copy button."""

    def __init__(self, username: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Temporary password"))
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "Temporary password of account “%1”. It is shown only this once: give it to the user, "
                "who must change it at the next sign-in."
            ).replace("%1", username),
            self,
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        row = QHBoxLayout()
        self.password = named(QLineEdit(password, self), "temporary_password", self.tr("Temporary password"))
        self.password.setReadOnly(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 1.0) * 1.3)
        self.password.setFont(font)
        self.password.setMinimumWidth(self.password.fontMetrics().horizontalAdvance("M" * 16))
        row.addWidget(self.password, 1)
        self.copy_button = named(QPushButton(self.tr("Copy"), self), "copy", self.tr("Copy password"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.copy_button)
        layout.addLayout(row)
        self.copied = QLabel(self)
        self.copied.setObjectName("copied")
        self.copied.setStyleSheet("color: #1b5e20;")
        layout.addWidget(self.copied)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.selectAll()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.password.text())
        self.copied.setText(self.tr("Copied to the clipboard."))

    def done(self, result: int) -> None:
        # Leave nothing behind: the field is cleared once the dialog closes.
        self.password.clear()
        super().done(result)


class UsersTab(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(UserTableModel(), "user_search", "users_table", self.tr("Accounts"), parent)
        self.services = services
        self.actor = actor
        self.password_dialog: TemporaryPasswordDialog | None = None
        self.new_button = self.add_button(self.tr("New account…"), "new_user", self.new_item)
        self.edit_button = self.add_button(self.tr("Edit…"), "edit_user", self.edit_current)
        self.reset_button = self.add_button(self.tr("Reset password…"), "reset_password", self.reset_password)
        self.unlock_button = self.add_button(self.tr("Unlock"), "unlock", self.unlock)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.refresh()

    def load_records(self) -> list[Any]:
        return self.services.users.list()

    def update_actions(self) -> None:
        record = self.current()
        self.edit_button.setEnabled(record is not None)
        self.reset_button.setEnabled(record is not None and record.active)
        self.unlock_button.setEnabled(record is not None and is_locked(record))

    def new_item(self) -> None:
        self.clear_messages()
        self.open_dialog(UserDialog(self.services, self.actor, None, self), self._saved)

    def edit_current(self) -> None:
        record = self.current()
        if record is None:
            return
        self.clear_messages()
        self.open_dialog(UserDialog(self.services, self.actor, record, self), self._saved)

    def _saved(self) -> None:
        dialog = self.dialog
        saved = dialog.result_value if isinstance(dialog, UserDialog) else None
        self.refresh()
        if saved is None:
            return
        self.select(lambda u: u.id == saved.id)
        if saved.pending_roles:
            self.show_status(
                self.tr(
                    "Account “%1” saved. Its roles “%2” take effect once confirmed (separation of duties)."
                )
                .replace("%1", saved.username)
                .replace("%2", roles_text(saved.pending_roles))
            )
        else:
            self.show_status(self.tr("Account “%1” saved.").replace("%1", saved.username))
        if isinstance(dialog, UserDialog) and dialog.record is None and dialog.password:
            self.show_password(saved.username, dialog.password)
            dialog.password = ""

    def show_password(self, username: str, password: str) -> None:
        if self.password_dialog is not None:
            self.password_dialog.deleteLater()
        self.password_dialog = TemporaryPasswordDialog(username, password, self)
        self.password_dialog.open()

    def reset_password(self) -> None:
        record = self.current()
        if record is None:
            return
        self.clear_messages()
        answer = QMessageBox.question(
            self,
            self.tr("Reset password"),
            self.tr(
                "Give “%1” a new temporary password? The current password stops working at once."
            ).replace("%1", record.username),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        password = operations.run(
            self,
            lambda: self.services.users.reset_password(self.actor, record.id),
            changed=topics.USER,
            ids=(record.id,),
        ).value
        if password:
            self.refresh()
            now = self.current()
            if now is not None and now.pending_roles and not record.pending_roles:
                self.show_status(
                    self.tr(
                        "Password of “%1” reset. Its roles take effect again once a leader confirms them "
                        "(separation of duties)."
                    ).replace("%1", record.username)
                )
            else:
                self.show_status(self.tr("Password of “%1” reset.").replace("%1", record.username))
            self.show_password(record.username, password)

    def unlock(self) -> None:
        record = self.current()
        if record is None:
            return
        self.clear_messages()
        done = operations.run(
            self,
            lambda: self.services.users.unlock(self.actor, record.id),
            changed=topics.USER,
            ids=(record.id,),
        )
        if done.ok:
            self.refresh()
            self.show_status(self.tr("Account “%1” unlocked.").replace("%1", record.username))
