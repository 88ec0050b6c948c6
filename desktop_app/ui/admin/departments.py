"""科室: the list with staff counts; add, rename, deactivate."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QMessageBox, QWidget

from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.organisation import DepartmentInfo
from desktop_app.ui import operations, topics
from desktop_app.ui.widgets.forms import FormDialog
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel


class DepartmentTableModel(RecordTableModel[DepartmentInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Department"), lambda d: d.name, lambda d: (d.sort_order, d.id)),
                Column(
                    self.tr("Staff on duty"),
                    lambda d: str(d.staff_count),
                    lambda d: d.staff_count,
                    None,
                    True,
                ),
                Column(self.tr("Status"), self.status_text, lambda d: not d.active),
            ],
            muted=lambda d: not d.active,
            parent=parent,
        )

    def status_text(self, d: DepartmentInfo) -> str:
        return self.tr("Active") if d.active else self.tr("Deactivated")


class DepartmentDialog(FormDialog):
    """New department (``record`` None) or rename / activate an existing one."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        record: DepartmentInfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("New department") if record is None else self.tr("Edit department"), parent)
        self.services = services
        self.actor = actor
        self.record = record
        self.name = self.add_field(
            self.tr("Name:"), QLineEdit(self), "name", self.tr("Department name"), required=True
        )
        self.name.setMaxLength(50)
        self.name.setPlaceholderText(self.tr("e.g. 评审科"))
        self.active = self.add_field(self.tr("Status:"), QCheckBox(self.tr("Active"), self), "active")
        self.active.setChecked(True)
        self.active.setVisible(record is not None)
        self.form.labelForField(self.active).setVisible(record is not None)
        if record is not None:
            self._show(record)
        self.setMinimumWidth(380)

    def _show(self, record: DepartmentInfo) -> None:
        self.record = record
        self.name.setText(record.name)
        self.active.setChecked(record.active)

    def submit(self) -> None:
        name, active, record = self.name.text(), self.active.isChecked(), self.record
        self.save(
            lambda: self.services.organisation.save_department(
                self.actor,
                name,
                department_id=record.id if record else None,
                active=active,
                expected_version=record.version if record else None,
            ),
            changed=topics.DEPARTMENT,
            ids=lambda saved: (saved.id,),
        )

    def reload(self) -> None:
        if self.record is None:
            return
        current = next((d for d in self.services.organisation.departments() if d.id == self.record.id), None)
        if current is not None:
            self._show(current)


class DepartmentsTab(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            DepartmentTableModel(), "department_search", "departments_table", self.tr("Departments"), parent
        )
        self.services = services
        self.actor = actor
        self.new_button = self.add_button(self.tr("New department…"), "new_department", self.new_item)
        self.edit_button = self.add_button(self.tr("Rename…"), "edit_department", self.edit_current)
        self.toggle_button = self.add_button(self.tr("Deactivate"), "toggle_department", self.toggle_active)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.refresh()

    def load_records(self) -> list[Any]:
        return self.services.organisation.departments()

    def update_actions(self) -> None:
        record = self.current()
        self.edit_button.setEnabled(record is not None)
        self.toggle_button.setEnabled(record is not None)
        if record is not None and not record.active:
            self.toggle_button.setText(self.tr("Reactivate"))
        else:
            self.toggle_button.setText(self.tr("Deactivate"))

    def new_item(self) -> None:
        self.clear_messages()
        self.open_dialog(DepartmentDialog(self.services, self.actor, None, self), self._saved)

    def edit_current(self) -> None:
        record = self.current()
        if record is None:
            return
        self.clear_messages()
        self.open_dialog(DepartmentDialog(self.services, self.actor, record, self), self._saved)

    def _saved(self) -> None:
        saved = self.dialog.result_value if self.dialog is not None else None
        self.refresh()
        if saved is not None:
            self.select(lambda d: d.id == saved.id)
            self.show_status(self.tr("Department “%1” saved.").replace("%1", saved.name))

    def toggle_active(self) -> None:
        record = self.current()
        if record is None:
            return
        self.clear_messages()
        if record.active:
            answer = QMessageBox.question(
                self,
                self.tr("Deactivate department"),
                self.tr("Deactivate “%1”? It will no longer be offered for new staff and accounts.").replace(
                    "%1", record.name
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        saved = operations.run(
            self,
            lambda: self.services.organisation.save_department(
                self.actor,
                record.name,
                department_id=record.id,
                active=not record.active,
                expected_version=record.version,
            ),
            changed=topics.DEPARTMENT,
            ids=(record.id,),
        ).value
        if saved is not None:
            self.refresh()
            self.select(lambda d: d.id == saved.id)
            self.show_status(
                (self.tr("“%1” deactivated.") if not saved.active else self.tr("“%1” reactivated.")).replace(
                    "%1", saved.name
                )
            )
