"""Personal data in clear: asks why, records it in the audit log, and shows the value once."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog


class RevealDialog(FormDialog):
    """Asks why; shows nothing itself (the caller shows the value once)."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        subject_id: int,
        field: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("View personal data"), parent)
        self.services = services
        self.actor = actor
        self.subject_id = subject_id
        self.field_name = field
        subject = services.credit.subject(subject_id)
        what = self.tr("ID number") if field == "id_number" else self.tr("phone")
        intro = QLabel(
            self.tr("Viewing the %1 of %2 in clear is recorded in the audit log with your reason.")
            .replace("%1", what)
            .replace("%2", subject.name),
            self,
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.reason = self.add_field(
            self.tr("Reason:"), QLineEdit(self), "reason", self.tr("Reason"), required=True
        )
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("e.g. 核对投诉人身份"))
        self.save_button.setText(self.tr("Show"))
        self.setMinimumWidth(460)

    def submit(self) -> None:
        reason = self.reason.text()
        self.save(
            lambda: self.services.credit.reveal_personal_data(
                self.actor, self.subject_id, self.field_name, reason
            )
        )

    def reload(self) -> None:
        pass


def reveal_personal_data(
    parent: QWidget | None, services: Services, actor: CurrentUser, subject_id: int, field: str
) -> str | None:
    if not actor.can(Permission.UNMASK_PERSONAL_DATA):
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("CreditEditing", "View personal data"),
            QCoreApplication.translate("CreditEditing", "Your account may not view personal data in clear."),
        )
        return None
    dialog = RevealDialog(services, actor, subject_id, field, parent)
    try:
        if not modal.run_dialog(dialog):
            return None
        value = str(dialog.result_value or "")
    finally:
        dialog.deleteLater()
    label = (
        QCoreApplication.translate("CreditEditing", "ID number")
        if field == "id_number"
        else QCoreApplication.translate("CreditEditing", "Phone")
    )
    shown = value or QCoreApplication.translate("CreditEditing", "(not recorded)")
    QMessageBox.information(
        parent,
        QCoreApplication.translate("CreditEditing", "View personal data"),
        QCoreApplication.translate("CreditEditing", "%1: %2").replace("%1", label).replace("%2", shown),
    )
    return value
