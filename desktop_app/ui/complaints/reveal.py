"""The complainant's personal data in clear: asks which and why, records it in the audit log, and
shows the value once (the right to unmask personal data only)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.complaints import ComplaintInfo
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog


def field_label(field: str) -> str:
    return {
        "phone": QCoreApplication.translate("ComplaintReveal", "Phone"),
        "id_number": QCoreApplication.translate("ComplaintReveal", "ID number"),
        "address": QCoreApplication.translate("ComplaintReveal", "Address"),
    }[field]


class ComplaintRevealDialog(FormDialog):
    def __init__(
        self, services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("View personal data"), parent)
        self.services = services
        self.actor = actor
        self.info = info
        intro = QLabel(
            self.tr(
                "Viewing the complainant's data of %1 in clear is recorded in the audit log with your reason."
            ).replace("%1", info.number),
            self,
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.field = self.add_field(self.tr("What:"), QComboBox(self), "field", self.tr("What to view"))
        for name, masked in (
            ("phone", info.phone_masked),
            ("id_number", info.id_number_masked),
            ("address", info.address_masked),
        ):
            if masked:
                self.field.addItem(f"{field_label(name)}（{masked}）", name)
        self.reason = self.add_field(
            self.tr("Reason:"), QLineEdit(self), "reason", self.tr("Reason"), required=True
        )
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("e.g. 回电核实情况"))
        self.save_button.setText(self.tr("Show"))
        self.setMinimumWidth(460)

    def submit(self) -> None:
        field, reason = str(self.field.currentData()), self.reason.text()
        self.save(
            lambda: self.services.complaints.reveal_personal_data(self.actor, self.info.id, field, reason)
        )

    def reload(self) -> None:
        pass


def reveal_personal_data(
    parent: QWidget | None, services: Services, actor: CurrentUser, info: ComplaintInfo
) -> str | None:
    title = QCoreApplication.translate("ComplaintReveal", "View personal data")
    if not actor.can(Permission.UNMASK_PERSONAL_DATA):
        QMessageBox.warning(
            parent,
            title,
            QCoreApplication.translate(
                "ComplaintReveal", "Your account may not view personal data in clear."
            ),
        )
        return None
    dialog = ComplaintRevealDialog(services, actor, info, parent)
    try:
        if not modal.run_dialog(dialog):
            return None
        value = str(dialog.result_value or "")
        label = field_label(str(dialog.field.currentData()))
    finally:
        dialog.deleteLater()
    QMessageBox.information(
        parent,
        title,
        QCoreApplication.translate("ComplaintReveal", "%1: %2").replace("%1", label).replace("%2", value),
    )
    return value
