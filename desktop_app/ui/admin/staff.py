"""人员: the staff list (personal data masked), the add/edit form, and the audited 查看明文."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import DomainError
from desktop_app.domain.identifiers import normalize_phone, normalize_resident_id
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.organisation import StaffInfo
from desktop_app.ui import operations, topics
from desktop_app.ui.common import clear_field_error, make_error_label, mark_field
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data, named, required_note, set_required
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel


class StaffTableModel(RecordTableModel[StaffInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Employee no."), lambda s: s.employee_no),
                Column(self.tr("Name"), lambda s: s.name),
                Column(self.tr("Department"), lambda s: s.department_name),
                Column(self.tr("Post"), lambda s: s.post),
                Column(self.tr("Status"), self.status_text, lambda s: not s.active),
                Column(self.tr("Phone"), lambda s: s.phone_masked),
                Column(self.tr("ID number"), lambda s: s.id_number_masked),
            ],
            muted=lambda s: not s.active,
            parent=parent,
        )

    def status_text(self, s: StaffInfo) -> str:
        return self.tr("On duty") if s.active else self.tr("Left")


class StaffDialog(FormDialog):
    """New staff member (``record`` None) or edit one. Stored phone and ID are never shown here: blank
    keeps them, a new value replaces them."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        record: StaffInfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("New staff member") if record is None else self.tr("Edit staff member"), parent
        )
        self.services = services
        self.actor = actor
        self.record = record
        self.employee_no = self.add_field(
            self.tr("Employee no.:"),
            QLineEdit(self),
            "employee_no",
            self.tr("Employee number"),
            required=True,
        )
        self.employee_no.setMaxLength(20)
        self.name = self.add_field(self.tr("Name:"), QLineEdit(self), "name", self.tr("Name"), required=True)
        self.name.setMaxLength(50)
        self.department = self.add_field(self.tr("Department:"), QComboBox(self), "department", required=True)
        self.post = self.add_field(self.tr("Post:"), QLineEdit(self), "post")
        self.post.setMaxLength(50)
        self.post.setPlaceholderText(self.tr("e.g. 综合窗口、评标见证"))
        posts = sorted({s.post for s in services.organisation.staff() if s.post})
        completer = QCompleter(posts, self.post)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.post.setCompleter(completer)
        self.phone = self.add_field(self.tr("Phone:"), QLineEdit(self), "phone", self.tr("Phone number"))
        self.phone.setMaxLength(20)
        self.id_number = self.add_field(
            self.tr("ID number:"), QLineEdit(self), "id_number", self.tr("Resident ID number")
        )
        self.id_number.setMaxLength(18)
        self.active = self.add_field(self.tr("Status:"), QCheckBox(self.tr("On duty"), self), "active")
        self.active.setChecked(True)
        self.active.setVisible(record is not None)
        self.form.labelForField(self.active).setVisible(record is not None)
        self.phone.editingFinished.connect(lambda: self._check(self.phone, normalize_phone))
        self.id_number.editingFinished.connect(lambda: self._check(self.id_number, normalize_resident_id))
        self._fill_departments(record.department_id if record else None)
        if record is not None:
            self._show(record)
        else:
            self.phone.setPlaceholderText(self.tr("Mobile or landline, optional"))
            self.id_number.setPlaceholderText(self.tr("18 digits, optional"))
        self.setMinimumWidth(440)

    def _fill_departments(self, keep: int | None) -> None:
        chosen = self.department.currentData() if self.department.count() else keep
        self.department.clear()
        self.department.addItem(self.tr("— choose —"), None)
        for d in self.services.organisation.departments():
            if d.active or d.id == keep:
                self.department.addItem(d.name, d.id)
        combo_select_data(self.department, chosen)

    def _show(self, record: StaffInfo) -> None:
        self.record = record
        self.employee_no.setText(record.employee_no)
        self.name.setText(record.name)
        combo_select_data(self.department, record.department_id)
        self.post.setText(record.post)
        self.active.setChecked(record.active)
        self.phone.clear()
        self.id_number.clear()
        keep = self.tr("Stored: %1 — leave blank to keep")
        none = self.tr("Not recorded, optional")
        self.phone.setPlaceholderText(
            keep.replace("%1", record.phone_masked) if record.phone_masked else none
        )
        self.id_number.setPlaceholderText(
            keep.replace("%1", record.id_number_masked) if record.id_number_masked else none
        )

    def _check(self, widget: QLineEdit, validator: object) -> None:
        """Point at a field as soon as the user leaves it, without pulling the focus back to it."""
        if not widget.text().strip():
            clear_field_error(self, widget)
            return
        try:
            validator(widget.text(), field=widget.objectName())  # type: ignore[operator]
        except DomainError as error:
            mark_field(self, widget, error.message)
        else:
            clear_field_error(self, widget)

    def submit(self) -> None:
        phone = self.phone.text()
        id_number = self.id_number.text()
        employee_no, name, post = self.employee_no.text(), self.name.text(), self.post.text()
        department_id, active, record = self.department.currentData(), self.active.isChecked(), self.record
        self.save(
            lambda: self.services.organisation.save_staff(
                self.actor,
                employee_no=employee_no,
                name=name,
                department_id=department_id,
                post=post,
                active=active,
                phone=phone if phone.strip() else None,
                id_number=id_number if id_number.strip() else None,
                staff_id=record.id if record else None,
                expected_version=record.version if record else None,
            ),
            changed=topics.STAFF,
            ids=lambda saved: (saved.id,),
        )

    def reload(self) -> None:
        if self.record is None:
            return
        current = next((s for s in self.services.organisation.staff() if s.id == self.record.id), None)
        if current is not None:
            self._fill_departments(current.department_id)
            self._show(current)


class RevealDialog(QDialog):
    """Show one personal value in clear: only for accounts with the right, with a typed reason, audited."""

    def __init__(
        self, services: Services, actor: CurrentUser, record: StaffInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.record = record
        self.setWindowTitle(self.tr("View personal data"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Viewing personal data of %1 (%2) is recorded in the audit log with your reason.")
            .replace("%1", record.name)
            .replace("%2", record.employee_no),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.field = named(QComboBox(self), "field", self.tr("Item"))
        self.field.addItem(self.tr("Phone"), "phone")
        self.field.addItem(self.tr("ID number"), "id_number")
        form.addRow(self.tr("Item:"), self.field)
        set_required(form, self.field)
        self.reason = named(QLineEdit(self), "reason", self.tr("Reason"))
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("At least 4 characters, e.g. 核对投诉人身份"))
        form.addRow(self.tr("Reason:"), self.reason)
        set_required(form, self.reason)
        self.value = named(QLineEdit(self), "value", self.tr("Value in clear"))
        self.value.setReadOnly(True)
        form.addRow(self.tr("Value:"), self.value)
        layout.addLayout(form)
        layout.addWidget(required_note(self))
        self.form_error = make_error_label(self)
        layout.addWidget(self.form_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        close.setAutoDefault(False)
        self.show_button = buttons.addButton(self.tr("Show"), QDialogButtonBox.ButtonRole.ActionRole)
        self.show_button.setObjectName("show")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.reveal)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.currentIndexChanged.connect(lambda _i: self.value.clear())
        self.setMinimumWidth(440)

    def reveal(self) -> None:
        self.value.clear()
        field, reason = self.field.currentData(), self.reason.text()
        shown = operations.run(
            self,
            lambda: self.services.organisation.reveal_personal_data(
                self.actor, self.record.id, field, reason
            ),
        )
        if shown.ok:
            value = shown.value
            self.value.setText(value or self.tr("(not recorded)"))


class StaffTab(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(StaffTableModel(), "staff_search", "staff_table", self.tr("Staff"), parent)
        self.services = services
        self.actor = actor
        self.department_filter = named(QComboBox(self), "department_filter", self.tr("Department filter"))
        self.department_filter.setMinimumContentsLength(8)
        self.toolbar_extra.addWidget(self.department_filter)
        self.new_button = self.add_button(self.tr("New staff member…"), "new_staff", self.new_item)
        self.edit_button = self.add_button(self.tr("Edit…"), "edit_staff", self.edit_current)
        self.reveal_button = None
        if actor.can(Permission.UNMASK_PERSONAL_DATA):
            self.reveal_button = self.add_button(
                self.tr("View in clear…"),
                "reveal",
                self.reveal_current,
                self.tr("Show a phone or ID number in clear; asks for a reason and is audited"),
            )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self._fill_filter()
        self.department_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def _fill_filter(self) -> None:
        chosen = self.department_filter.currentData()
        self.department_filter.blockSignals(True)
        self.department_filter.clear()
        self.department_filter.addItem(self.tr("All departments"), None)
        for d in self.services.organisation.departments():
            self.department_filter.addItem(d.name, d.id)
        combo_select_data(self.department_filter, chosen)
        self.department_filter.blockSignals(False)

    def load_records(self) -> list[Any]:
        self._fill_filter()
        return self.services.organisation.staff(self.department_filter.currentData())

    def update_actions(self) -> None:
        record = self.current()
        self.edit_button.setEnabled(record is not None)
        if self.reveal_button is not None:
            self.reveal_button.setEnabled(record is not None)

    def new_item(self) -> None:
        self.clear_messages()
        dialog = StaffDialog(self.services, self.actor, None, self)
        chosen = self.department_filter.currentData()
        if chosen is not None:
            combo_select_data(dialog.department, chosen)
        self.open_dialog(dialog, self._saved)

    def edit_current(self) -> None:
        record = self.current()
        if record is None:
            return
        self.clear_messages()
        self.open_dialog(StaffDialog(self.services, self.actor, record, self), self._saved)

    def reveal_current(self) -> None:
        record = self.current()
        if record is None or not self.actor.can(Permission.UNMASK_PERSONAL_DATA):
            return
        self.clear_messages()
        self.open_dialog(RevealDialog(self.services, self.actor, record, self))

    def _saved(self) -> None:
        saved = self.dialog.result_value if isinstance(self.dialog, StaffDialog) else None
        self.refresh()
        if saved is not None:
            self.select(lambda s: s.id == saved.id)
            self.show_status(
                self.tr("%1 (%2) saved.").replace("%1", saved.name).replace("%2", saved.employee_no)
            )
