"""Form plumbing shared by the edit dialogs: named fields, Save/Cancel, and the stale-save path.

Strings here use ``QCoreApplication.translate`` with a fixed context: ``self.tr`` in a base class
would look them up under the subclass name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import operations
from desktop_app.ui.common import make_error_label

T = TypeVar("T")
W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str) -> W:
    """objectName = the service's field name (errors find the widget by it); accessible name for readers."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


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
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(self.form)
        self.hint = QLabel(self)
        self.hint.setObjectName("form_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.hint.hide()
        outer.addWidget(self.hint)
        self.form_error = make_error_label(self)
        outer.addWidget(self.form_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
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

    def add_field(self, label: str, widget: W, name: str, accessible: str | None = None) -> W:
        named(widget, name, accessible or label.rstrip("：:"))
        self.form.addRow(label, widget)
        return widget

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
        outcome = operations.run(self, call, changed=changed, ids=ids)
        if outcome.ok:
            self.result_value = outcome.value
            self.accept()
            return True
        self.reload_button.setVisible(outcome.stale)
        return False

    def _reload_clicked(self) -> None:
        self.reload()
        self.reload_button.hide()
        self.form_error.clear()
        self.form_error.hide()

    # -- for subclasses ------------------------------------------------------------------------
    def submit(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError
