"""Helpers every form uses: run a service call and show a DomainError at the field that caused it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from desktop_app.domain.errors import DomainError

T = TypeVar("T")
ERROR_PROPERTY = "fieldError"


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
    elif target is None:
        QMessageBox.warning(form, form.windowTitle() or QWidget.tr("Integrity Desk"), error.message)
    else:
        QMessageBox.warning(form, form.windowTitle() or QWidget.tr("Integrity Desk"), error.message)


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


def run_service(form: QWidget, call: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[bool, T | None]:
    """Call a service; a DomainError is shown at its field and reported as (False, None).

    Anything else is a bug and propagates to the crash handler."""
    clear_field_errors(form)
    try:
        return True, call(*args, **kwargs)
    except DomainError as error:
        show_field_error(form, error)
        return False, None


def make_error_label(parent: QWidget | None = None) -> QLabel:
    """The form-level message line; forms put it above their buttons."""
    label = QLabel(parent)
    label.setObjectName("form_error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label
