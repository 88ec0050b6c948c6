"""Attachments of a record: add a file (the decision document, 20 MB at most) and save a copy of one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import ATTACHMENT_LIMIT
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics


def add_attachment(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("CreditEditing", "Attach a file"),
        "",
        QCoreApplication.translate(
            "CreditEditing",
            "Documents (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx *.ofd);;All files (*)",
        ),
    )
    if not path:
        return False
    source = Path(path)
    try:
        size = source.stat().st_size
        if size > ATTACHMENT_LIMIT:
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("CreditEditing", "Attach a file"),
                QCoreApplication.translate("CreditEditing", "An attachment may not exceed 20 MB."),
            )
            return False
        content = source.read_bytes()
    except OSError as error:
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("CreditEditing", "Attach a file"),
            QCoreApplication.translate("CreditEditing", "The file could not be read: %1").replace(
                "%1", error.strerror or str(error)
            ),
        )
        return False
    done = operations.run(
        parent,
        lambda: services.credit.add_attachment(actor, record_id, source.name, content),
        changed=topics.CREDIT_RECORD,
        ids=(record_id,),
        show="message",
    )
    return done.ok


def open_attachment(
    parent: QWidget | None, services: Services, actor: CurrentUser, attachment_id: int
) -> None:
    """Save a copy where the user says, then offer to open it."""
    found = operations.run(parent, lambda: services.credit.attachment_content(attachment_id), show="message")
    if found.value is None:
        return
    filename, content = found.value
    target, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("CreditEditing", "Save a copy of the attachment"), filename
    )
    if not target:
        return
    try:
        Path(target).write_bytes(content)
    except OSError as error:
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("CreditEditing", "Save a copy of the attachment"),
            QCoreApplication.translate("CreditEditing", "The copy could not be saved: %1").replace(
                "%1", error.strerror or str(error)
            ),
        )
        return
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("CreditEditing", "Save a copy of the attachment"),
        QCoreApplication.translate("CreditEditing", "Saved to %1. Open it now?").replace("%1", target),
    )
    if answer == QMessageBox.StandardButton.Yes:
        QDesktopServices.openUrl(QUrl.fromLocalFile(target))
