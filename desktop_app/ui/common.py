"""How a form shows a refusal: the field that caused it marked and focused, the message in the form's
message line (or a message box when the form has none). ``operations.run`` uses these."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from desktop_app.domain.errors import DomainError

ERROR_PROPERTY = "fieldError"


def app_title() -> str:
    return QCoreApplication.translate("Operations", "Integrity Desk")


def clear_field_errors(form: QWidget) -> None:
    for widget in form.findChildren(QWidget):
        if widget.property(ERROR_PROPERTY):
            widget.setProperty(ERROR_PROPERTY, False)
            widget.setToolTip("")
            widget.style().unpolish(widget)
            widget.style().polish(widget)
    label = form.findChild(QLabel, "form_error")
    if label is not None:
        label.clear()
        label.hide()


def show_field_error(form: QWidget, error: DomainError) -> None:
    """Mark the field named by the error (its objectName), focus it, and say why; nothing is cleared."""
    target = form.findChild(QWidget, error.field) if error.field else None
    label = form.findChild(QLabel, "form_error")
    if target is not None:
        target.setProperty(ERROR_PROPERTY, True)
        target.setToolTip(error.message)
        target.style().unpolish(target)
        target.style().polish(target)
        target.setFocus()
    if label is not None:
        label.setText(error.message)
        label.show()
        _grow_dialog_to_fit(form)
    else:
        from PySide6.QtWidgets import QMessageBox  # when needed: its enums cost the login window ~5 ms

        QMessageBox.warning(form, form.windowTitle() or app_title(), error.message)


def _grow_dialog_to_fit(form: QWidget) -> None:
    """A dialog whose message line just appeared grows so that no wrapped text gets squeezed."""
    window = form.window()
    layout = window.layout()
    if not isinstance(window, QDialog) or layout is None:
        return
    layout.activate()
    width = window.width()
    needed = (
        layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    )
    if needed > window.height():
        window.resize(width, needed)


def make_error_label(parent: QWidget | None = None) -> QLabel:
    """The form-level message line; forms put it above their buttons."""
    label = QLabel(parent)
    label.setObjectName("form_error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label
