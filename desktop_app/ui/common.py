"""How a form shows refusals: every field at fault marked (red frame, its message under it and in its
tooltip), the first one focused, and each mark cleared as soon as that field is edited. A refusal
that names no field (or a field not on screen) goes to the form's message line, or a message box when
the form has none. ``operations.run`` uses these; a service reports several refusals at once with
``ValidationErrors``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QWidget

from desktop_app.domain.errors import refusals_of

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLayout

    from desktop_app.domain.errors import DomainError

# Qt's own enums (``Qt.…``) and the widget classes only compared against are imported where they
# are used: the login window shows a form (``make_error_label``) before its first paint, and the
# first touch of the ``Qt`` namespace builds all of its enum types (~20 ms).

ERROR_PROPERTY = "fieldError"
# The label under a field that says what is wrong with it (objectName ``<field>_message``).
MESSAGE_PROPERTY = "fieldMessage"
_WATCHED_PROPERTY = "fieldErrorWatched"


def app_title() -> str:
    return QCoreApplication.translate("Operations", "Integrity Desk")


def _polish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def clear_field_errors(form: QWidget) -> None:
    """Remove every mark, field message and the message line (before a new save is tried)."""
    for widget in form.findChildren(QWidget):
        if widget.property(ERROR_PROPERTY):
            clear_field_error(form, widget)
    label = form.findChild(QLabel, "form_error")
    if label is not None:
        label.clear()
        label.hide()


def clear_field_error(form: QWidget, widget: QWidget) -> None:
    """The field was edited: its mark and its message go (the others stay)."""
    if not widget.property(ERROR_PROPERTY):
        return
    widget.setProperty(ERROR_PROPERTY, False)
    widget.setToolTip(str(widget.property("plainToolTip") or ""))
    _polish(widget)
    message = form.findChild(QLabel, f"{widget.objectName()}_message")
    if message is not None:
        message.clear()
        _set_row_visible(message, False)


def show_field_error(form: QWidget, error: DomainError) -> None:
    """Mark every field the error names (objectNames; several for ``ValidationErrors``), put each
    message under its field, focus the first field marked; nothing already shown is cleared."""
    unplaced: list[str] = []
    first: QWidget | None = None
    for refusal in refusals_of(error):
        target = form.findChild(QWidget, refusal.field) if refusal.field else None
        if target is None or not target.isVisibleTo(form):
            unplaced.append(refusal.message)
            continue
        if not mark_field(form, target, refusal.message):
            unplaced.append(refusal.message)
        first = first or target
    if first is not None:
        from PySide6.QtCore import Qt

        first.setFocus(Qt.FocusReason.OtherFocusReason)
    label = form.findChild(QLabel, "form_error")
    if unplaced and label is not None:
        shown = [line for line in label.text().split("\n") if line] if label.isVisible() else []
        label.setText("\n".join(shown + [m for m in unplaced if m not in shown]))
        label.show()
    elif unplaced:
        from PySide6.QtWidgets import QMessageBox  # when needed: its enums cost the login window ~5 ms

        QMessageBox.warning(form, form.windowTitle() or app_title(), "\n".join(unplaced))
    _grow_dialog_to_fit(form)


def mark_field(form: QWidget, widget: QWidget, message: str) -> bool:
    """Mark one field (red frame, tooltip, the message under it) until it is edited; no focus change.
    False when the field is in no form layout, so the message has no place under it."""
    if not widget.property(ERROR_PROPERTY):
        widget.setProperty("plainToolTip", widget.toolTip())
    widget.setProperty(ERROR_PROPERTY, True)
    widget.setToolTip(message)
    _polish(widget)
    if not widget.property(_WATCHED_PROPERTY):
        widget.setProperty(_WATCHED_PROPERTY, True)
        for signal in _edit_signals(widget):
            signal.connect(lambda *_args, w=widget: clear_field_error(form, w))
    return _message_under(form, widget, message)


def field_message(form: QWidget, name: str) -> str:
    """The message shown under the field ``name`` ('' when there is none)."""
    label = form.findChild(QLabel, f"{name}_message")
    return label.text() if label is not None and label.isVisibleTo(form) else ""


def _edit_signals(widget: QWidget) -> list:  # type: ignore[type-arg]
    """The signals that say the user changed this field, or any input inside it (a group of boxes)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    signals = []
    for part in [widget, *widget.findChildren(QWidget)]:
        # a QLineEdit also stands for the spin box or date field it is inside
        if isinstance(part, QLineEdit | QPlainTextEdit | QTextEdit):
            signals.append(part.textChanged)
        elif isinstance(part, QComboBox):
            signals.append(part.currentIndexChanged)
        elif isinstance(part, QAbstractButton) and part.isCheckable():
            signals.append(part.toggled)
        elif isinstance(part, QAbstractItemView) and part.model() is not None:
            signals.append(part.model().dataChanged)
            signals.append(part.model().rowsInserted)
            signals.append(part.model().rowsRemoved)
    return signals


def _form_row_of(form: QWidget, target: QWidget) -> tuple[QFormLayout, int] | None:
    """The form layout row whose field holds ``target`` (itself, a container of it, or a layout)."""
    for layout in form.findChildren(QFormLayout):
        for row in range(layout.rowCount()):
            item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item is None:
                continue
            widget, inner = item.widget(), item.layout()
            if widget is not None and (widget is target or widget.isAncestorOf(target)):
                return layout, row
            if inner is not None and _layout_holds(inner, target):
                return layout, row
    return None


def _layout_holds(layout: QLayout, target: QWidget) -> bool:
    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget, inner = item.widget(), item.layout()
        if widget is not None and (widget is target or widget.isAncestorOf(target)):
            return True
        if inner is not None and _layout_holds(inner, target):
            return True
    return False


def _message_under(form: QWidget, target: QWidget, message: str) -> bool:
    """Show ``message`` in a row right under the target's form row; False when it is in no form."""
    name = f"{target.objectName()}_message"
    label = form.findChild(QLabel, name)
    if label is None:
        found = _form_row_of(form, target)
        if found is None:
            return False
        from PySide6.QtCore import Qt

        layout, row = found
        parent = layout.parentWidget() or form
        label = QLabel(parent)
        label.setObjectName(name)
        label.setProperty(MESSAGE_PROPERTY, True)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        # Right under its field, even when the row is measured taller than one line of text.
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setAccessibleName(QCoreApplication.translate("FormDialog", "Error"))
        layout.insertRow(row + 1, "", label)
    label.setText(message)
    # A wrapped label is measured at a narrow guess of its width, leaving a gap under a long
    # message: measure it at the width of the field it stands under.
    label.setMinimumWidth(min(target.width(), label.fontMetrics().horizontalAdvance(message) + 4))
    _set_row_visible(label, True)
    return True


def _set_row_visible(label: QLabel, visible: bool) -> None:
    parent = label.parentWidget()
    for layout in parent.findChildren(QFormLayout) if parent is not None else []:
        row, _role = layout.getWidgetPosition(label)
        if row >= 0:
            layout.setRowVisible(row, visible)
            return
    label.setVisible(visible)


def _grow_dialog_to_fit(form: QWidget) -> None:
    """A dialog whose messages just appeared grows so that no wrapped text gets squeezed."""
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
        screen = window.screen()
        room = screen.availableGeometry().height() - 40 if screen is not None else needed
        window.resize(width, min(needed, max(room, window.height())))


def make_error_label(parent: QWidget | None = None) -> QLabel:
    """The form-level message line; forms put it above their buttons."""
    label = QLabel(parent)
    label.setObjectName("form_error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label
