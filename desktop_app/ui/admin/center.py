"""中心设置: the center's identity (printed on notices) and the security policy."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.services.center import INT_RANGES, REQUIRED, TEXT_LIMITS, CenterSettings
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.common import make_error_label
from desktop_app.ui.widgets.forms import document_number, named, required_note, set_required


class CenterSettingsTab(QWidget):
    """One form over all settings. Save sends only the values changed since they were loaded, each with
    the version it was loaded at, so two admins editing different settings do not collide."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.loaded: CenterSettings | None = None
        self.fields: dict[str, QLineEdit | QSpinBox] = {}

        text_labels = {
            "center_name": self.tr("Center name:"),
            "center_short_name": self.tr("Short name:"),
            "center_address": self.tr("Address:"),
            "query_phone": self.tr("Query phone:"),
            "doc_number_prefix": self.tr("Document number prefix:"),
            "complaint_number_prefix": self.tr("Complaint number prefix:"),
        }
        text_hints = {
            "center_name": self.tr("Printed as the issuing body on every notice"),
            "center_short_name": self.tr("Used where space is short, e.g. 某市公资交"),
            "center_address": self.tr("Printed on receipts"),
            "query_phone": self.tr("Printed on receipts for the public to ask about their case"),
            "doc_number_prefix": "",  # the center's own numbers, shown as they will read (_prefix_edited)
            "complaint_number_prefix": self.tr(
                "Letters before the year in a complaint's number, e.g. TS → TS2026-000123"
            ),
        }
        int_labels = {
            "password_min_length": self.tr("Minimum password length:"),
            "password_min_classes": self.tr("Character classes required:"),
            "max_failed_logins": self.tr("Failed sign-ins before lockout:"),
            "lockout_minutes": self.tr("Lockout duration:"),
            "idle_lock_minutes": self.tr("Lock the screen after idle:"),
        }
        int_suffixes = {
            "password_min_length": self.tr(" characters"),
            "password_min_classes": self.tr(" of 4"),
            "max_failed_logins": self.tr(" attempts"),
            "lockout_minutes": self.tr(" minutes"),
            "idle_lock_minutes": self.tr(" minutes"),
        }

        outer = QHBoxLayout(self)
        body = QWidget(self)
        body.setMaximumWidth(760)
        outer.addWidget(body, 1)
        outer.addStretch(0)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        identity = QGroupBox(self.tr("Center"), self)
        identity_form = QFormLayout(identity)
        identity_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for key, label in text_labels.items():
            edit = named(QLineEdit(self), key, label.rstrip(":："))
            edit.setMaxLength(TEXT_LIMITS[key])
            edit.setToolTip(text_hints[key])
            if key not in REQUIRED:
                edit.setPlaceholderText(self.tr("Optional"))
            identity_form.addRow(label, edit)
            set_required(identity_form, edit, key in REQUIRED)
            self.fields[key] = edit
        layout.addWidget(identity)
        self.fields["doc_number_prefix"].textChanged.connect(self._prefix_edited)

        security = QGroupBox(self.tr("Security policy"), self)
        security_form = QFormLayout(security)
        security_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        security_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for key, label in int_labels.items():
            spin = named(QSpinBox(self), key, label.rstrip(":："))
            low, high = INT_RANGES[key]
            spin.setRange(low, high)
            spin.setSuffix(int_suffixes[key])
            spin.setMinimumWidth(160)
            security_form.addRow(label, spin)
            self.fields[key] = spin
        layout.addWidget(security)

        self.required_note = required_note(self)
        layout.addWidget(self.required_note)
        self.form_error = make_error_label(self)
        layout.addWidget(self.form_error)
        self.status = QLabel(self)
        self.status.setObjectName("status_message")
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.hide()
        layout.addWidget(self.status)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.reload_button = named(QPushButton(self.tr("Reload"), self), "reload", self.tr("Reload"))
        self.reload_button.setToolTip(self.tr("Discard unsaved changes and load the stored settings"))
        self.reload_button.clicked.connect(self.reload)
        buttons.addWidget(self.reload_button)
        self.save_button = named(QPushButton(self.tr("Save"), self), "save", self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)

        for key in TEXT_LIMITS:
            self.fields[key].textEdited.connect(lambda _t: self.status.hide())  # type: ignore[union-attr]
        self.reload()

    def _prefix_edited(self, prefix: str) -> None:
        example = document_number(prefix.strip() or "……", clock.today().year)
        field = self.fields["doc_number_prefix"]
        tip = self.tr("Document numbers will read %1").replace("%1", example)
        field.setProperty("plainToolTip", tip)  # what an error mark gives back once the field is fixed
        field.setToolTip(tip)

    # -- values ----------------------------------------------------------------------------------
    def value_of(self, key: str) -> Any:
        widget = self.fields[key]
        return widget.value() if isinstance(widget, QSpinBox) else widget.text().strip()

    def changed_values(self) -> dict[str, Any]:
        if self.loaded is None:
            return {}
        return {
            key: self.value_of(key)
            for key in self.fields
            if self.value_of(key) != self.loaded.values.get(key)
        }

    def _show(self, settings: CenterSettings) -> None:
        self.loaded = settings
        for key, widget in self.fields.items():
            value = settings.values.get(key)
            if isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            else:
                widget.setText(str(value or ""))
                widget.setCursorPosition(0)

    # -- actions ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Called when the tab is shown again: reload only if nothing is being edited."""
        if not self.changed_values():
            self._show(self.services.center.get())

    def reload(self) -> None:
        self.form_error.hide()
        self.status.hide()
        self._show(self.services.center.get())

    def save(self) -> None:
        self.status.hide()
        changed = self.changed_values()
        if not changed or self.loaded is None:
            self.status.setText(self.tr("Nothing changed."))
            self.status.show()
            return
        # A stale refusal leaves every typed value in place; the message names who saved first.
        versions = self.loaded.versions
        saved = operations.run(
            self,
            lambda: self.services.center.update(self.actor, changed, versions),
            changed=topics.CENTER_SETTINGS,
        ).value
        if saved is not None:
            self._show(saved)
            self.status.setText(self.tr("Settings saved."))
            self.status.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            event.accept()
            return
        super().keyPressEvent(event)
