"""Form plumbing shared by the edit dialogs: named fields, Save/Cancel, and the stale-save path.

The form conventions every module follows:
- a field the service refuses to save without is *required*: its label starts with a red * and the
  form says once what the * means (``set_required``, ``required_note``);
- every refusal of a save is shown at once, each under its field, and each goes as its field is
  edited (``ui/common.py``);
- date fields use ``widgets.dates.DateField`` (the form date format of ``ui/dates.py``).

Strings here use ``QCoreApplication.translate`` with a fixed context: ``self.tr`` in a base class
would look them up under the subclass name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.common import clear_field_errors, make_error_label

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent
    from PySide6.QtWidgets import QComboBox, QLayout

    from desktop_app.domain.errors import DomainError

T = TypeVar("T")
W = TypeVar("W", bound=QWidget)


def set_by_key(target: QObject, prop: str, keys: str) -> None:
    """Set an enum property by its key names through Qt's property system (``"AlignRight|AlignTop"``).

    For what the login window does before its first paint: the first touch of PySide's ``Qt``
    namespace builds all of its ~90 enum types at once (~20 ms), and the login needs none of them."""
    if not target.setProperty(prop, keys):
        raise ValueError(f"{type(target).__name__}.{prop} has no value {keys!r}")


def escape(text: str) -> str:
    """``html.escape``, without importing ``html`` (and its entity tables) before the login paints."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def named(widget: W, name: str, accessible: str) -> W:
    """objectName = the service's field name (errors find the widget by it); accessible name for readers."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


REQUIRED_PROPERTY = "requiredField"
REQUIRED_COLOR = "#c62828"
_PLAIN_LABEL = "plainLabel"


def required_mark() -> str:
    return f'<span style="color:{REQUIRED_COLOR};">*</span>'


def set_required(layout: QFormLayout, field: QWidget | QLayout, required: bool = True) -> None:
    """Mark (or unmark) the row of ``field`` as required: a red * before its label. A field is
    required when the service refuses to save without it (whatever its widget: a combo box or a
    date is marked too, so that the marks say what the record must have)."""
    label = layout.labelForField(field)
    if not isinstance(label, QLabel):
        return
    plain = label.property(_PLAIN_LABEL)
    if plain is None:
        plain = label.text()
        label.setProperty(_PLAIN_LABEL, plain)
    label.setProperty(REQUIRED_PROPERTY, required)
    if required:
        set_by_key(label, "textFormat", "RichText")
        # The label's Alt key (its &) stays a mnemonic: escaped, "&amp;h" would make Alt+A of it.
        label.setText(required_mark() + escape(str(plain)).replace("&amp;", "&"))
    else:
        set_by_key(label, "textFormat", "PlainText")
        label.setText(str(plain))
    widget = field if isinstance(field, QWidget) else None
    if widget is not None:
        widget.setProperty(REQUIRED_PROPERTY, required)
        widget.setAccessibleDescription(
            QCoreApplication.translate("FormDialog", "Required") if required else ""
        )


def is_required(layout: QFormLayout, field: QWidget | QLayout) -> bool:
    label = layout.labelForField(field)
    return isinstance(label, QLabel) and bool(label.property(REQUIRED_PROPERTY))


def required_note(parent: QWidget) -> QLabel:
    """The one line per form that says what the red * means."""
    note = QLabel(parent)
    note.setObjectName("required_note")
    set_by_key(note, "textFormat", "RichText")
    note.setText(
        escape(QCoreApplication.translate("FormDialog", "Fields marked %1 are required.")).replace(
            "%1", required_mark()
        )
    )
    return note


def document_number(prefix: str, year: int, number: int = 12) -> str:
    """A document number as the center writes them: 天公资交〔2026〕12号."""
    return f"{prefix}〔{year}〕{number}号"


def document_number_example(prefix: str, year: int) -> str:
    """A placeholder's example of a document number, in the center's own prefix (from its
    settings), never another city's."""
    return QCoreApplication.translate("FormDialog", "e.g. %1").replace("%1", document_number(prefix, year))


def combo_select_data(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class FormDialog(QDialog):
    """A form in a dialog: rows of labelled fields, the error line, then Save / Cancel.

    Enter saves (Save is the default button), Esc cancels. When the service refuses a save because
    another workstation changed the record first, the message (naming who) stays in the error line,
    everything typed stays in the fields, and a Reload button appears.
    Subclasses implement ``submit()`` (call ``self.save(...)``) and ``reload()``.
    Saving runs through ``operations.run``: the topics ``changed`` are announced once saved.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.result_value: Any = None
        self.refusal: DomainError | None = None  # the last save's refusal, as shown
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        set_by_key(self.form, "labelAlignment", "AlignRight|AlignVCenter")
        outer.addLayout(self.form)
        self.required_note = required_note(self)
        self.required_note.hide()  # shown once a field is marked required
        outer.addWidget(self.required_note)
        self.hint = QLabel(self)
        self.hint.setObjectName("form_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.hint.hide()
        outer.addWidget(self.hint)
        self.form_error = make_error_label(self)
        outer.addWidget(self.form_error)
        # The parent by keyword and the buttons set after: ``QDialogButtonBox(buttons, parent)`` makes
        # PySide weigh the ``Qt.Orientation`` overload, which builds the ``Qt`` namespace (see set_by_key).
        self.buttons = QDialogButtonBox(parent=self)
        self.buttons.setStandardButtons(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(QCoreApplication.translate("FormDialog", "Save"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(QCoreApplication.translate("FormDialog", "Cancel"))
        cancel.setObjectName("cancel")
        self.reload_button = QPushButton(QCoreApplication.translate("FormDialog", "Reload"), self)
        self.reload_button.setObjectName("reload")
        self.reload_button.setAutoDefault(False)
        self.reload_button.setToolTip(
            QCoreApplication.translate(
                "FormDialog", "Discard what you typed and load the record as it is stored now"
            )
        )
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reload_button.hide()  # after addButton, which shows it
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.reload_button.clicked.connect(self._reload_clicked)
        outer.addWidget(self.buttons)
        self._focus_placed = False

    def add_field(
        self, label: str, widget: W, name: str, accessible: str | None = None, *, required: bool = False
    ) -> W:
        named(widget, name, accessible or label.rstrip("：:"))
        self.form.addRow(label, widget)
        if required:
            self.set_required(widget)
        return widget

    def set_required(self, field: QWidget | QLayout, required: bool = True) -> None:
        set_required(self.form, field, required)
        if required:
            self.required_note.show()

    def showEvent(self, event: QShowEvent) -> None:
        """Opened, the form waits in its first field. (The buttons are made before the fields, so
        without this the focus starts on Save: what the clerk types goes nowhere and Enter saves an
        empty form, or Tab then Enter cancels it.) A subclass that focused a field itself keeps it."""
        super().showEvent(event)
        if self._focus_placed:
            return
        self._focus_placed = True
        focus = self.focusWidget()
        if focus is not None and not self.buttons.isAncestorOf(focus):
            return
        first = self._first_field()
        if first is not None:
            first.setFocus()

    def _first_field(self) -> QWidget | None:
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item is None:
                continue
            widgets = [item.widget()] if item.widget() is not None else []
            if item.layout() is not None:
                layout = item.layout()
                widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
            for widget in widgets:
                # (No ``Qt`` enum here: the login is a form too, shown before anything else is loaded.)
                if (
                    widget is not None
                    and widget.isVisible()
                    and widget.isEnabled()
                    and not isinstance(widget, QLabel)
                ):
                    return widget
        return None

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self._grow_to_rows()
        return handled

    def _grow_to_rows(self) -> None:
        """Never shorter than its rows: rows shown later (a kind's own fields, the messages under
        fields) make the dialog grow instead of squeezing fixed-height fields onto each other. (The
        layout does not do it itself once a subclass has set a minimum width.)"""
        layout = self.layout()
        if layout is None:
            return
        width = self.width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalMinimumSize().height()
        )
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(width, needed)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def save(
        self,
        call: Callable[[], T],
        *,
        changed: str | Iterable[str] = (),
        ids: Iterable[int] | Callable[[T], Iterable[int]] = (),
    ) -> bool:
        from desktop_app.ui import operations  # at the first save: the login window opens without it

        outcome = operations.run(self, call, changed=changed, ids=ids)
        self.refusal = outcome.error
        if outcome.ok:
            self.result_value = outcome.value
            self.accept()
            return True
        self.reload_button.setVisible(outcome.stale)
        return False

    def _reload_clicked(self) -> None:
        self.reload()
        self.reload_button.hide()
        clear_field_errors(self)

    # -- for subclasses ------------------------------------------------------------------------
    def submit(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError
