"""A second Ctrl+P for the subject just certified at the desk: reprint that 告知单 or issue a new one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.services.credit import EntryCheckInfo
from desktop_app.ui.dates import text_time
from desktop_app.ui.widgets.text import whole

REPRINT, NEW_CERTIFICATE = "reprint", "new"


def reprint_question(earlier: EntryCheckInfo) -> str:
    """The question's first line. The box wraps it where it likes; the time (2026年12月6日 14:05) and
    the notice number stay whole on one line (a date broken as "2026年12月6" / "日" misreads)."""
    return QCoreApplication.translate(
        "CreditLookup", "Notice {number} for “{name}” was issued at {time}."
    ).format(
        number=whole(earlier.notice_number or ""),
        name=earlier.subject_name or earlier.query,
        time=whole(text_time(earlier.checked_at)),
    )


def ask_reprint_or_new(parent: QWidget, earlier: EntryCheckInfo) -> str:
    """A second Ctrl+P for the subject just certified: reprint that notice (the default, Enter) or
    issue a new one (Alt+N); Esc neither. Returns REPRINT, NEW_CERTIFICATE or ""."""
    box = QMessageBox(parent)
    box.setObjectName("reprint_or_new")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("CreditLookup", "Check and print"))
    box.setText(reprint_question(earlier))
    box.setInformativeText(
        QCoreApplication.translate(
            "CreditLookup",
            "Reprint it (marked 补打, same number), or record a new check with a new notice number?",
        )
    )
    reprint = box.addButton(
        QCoreApplication.translate("CreditLookup", "&Reprint {number}").format(
            number=earlier.notice_number or ""
        ),
        QMessageBox.ButtonRole.AcceptRole,
    )
    reprint.setObjectName("reprint")
    new = box.addButton(
        QCoreApplication.translate("CreditLookup", "&New notice"), QMessageBox.ButtonRole.ActionRole
    )
    new.setObjectName("new_notice")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reprint)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is reprint:
        return REPRINT
    if clicked is new:
        return NEW_CERTIFICATE
    return ""
