"""The record dialog: a new record in a subject's file, with its periods and points filled from the
catalogue version in force on the decision date."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QSpinBox, QWidget

from desktop_app import clock
from desktop_app.domain.credit import (
    BARRING_KINDS,
    GRADED_SEVERITIES,
    RecordKind,
    RecordStatus,
    Severity,
    SubjectKind,
)
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInfo, RecordInput
from desktop_app.services.facade import Services
from desktop_app.ui import topics
from desktop_app.ui.credit.labels import record_kind_label, severity_label, subject_kind_label
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data, document_number_example


class RecordDialog(FormDialog):
    """A new record of a subject. Periods and points come from the catalogue version in force on the
    decision date, refilled when the kind, severity or date change, except where the user typed."""

    def __init__(
        self, services: Services, actor: CurrentUser, subject_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("New credit record"), parent)
        self.services = services
        self.actor = actor
        self.subject = services.credit.subject(subject_id)
        self.touched: set[str] = set()
        self._filling = False
        self._catalogue = {(r.kind, r.severity) for _id, _v, r in services.credit.rule_rows()}

        self.subject_label = QLabel(
            f"{self.subject.name}（{subject_kind_label(self.subject.kind)}，{self.subject.identifier}）", self
        )
        self.subject_label.setObjectName("subject")
        self.subject_label.setWordWrap(True)
        self.form.addRow(self.tr("Subject:"), self.subject_label)
        self.kind = self.add_field(
            self.tr("Record kind:"), QComboBox(self), "kind", self.tr("Record kind"), required=True
        )
        kinds = [RecordKind.GOOD, RecordKind.BAD, RecordKind.SERIOUS, RecordKind.BAN]
        if self.subject.kind == SubjectKind.EXPERT:
            kinds.append(RecordKind.EXPERT_DEDUCTION)
        if self.subject.kind == SubjectKind.STAFF:
            kinds.append(RecordKind.STAFF_RECORD)
        for kind in kinds:
            self.kind.addItem(record_kind_label(kind), kind)
        combo_select_data(self.kind, RecordKind.BAD)
        self.severity = self.add_field(
            self.tr("Severity:"), QComboBox(self), "severity", self.tr("Severity"), required=True
        )
        self.decision_date = self.add_field(
            self.tr("Decision date:"),
            DateField(self),
            "decision_date",
            self.tr("Decision date"),
            required=True,
        )
        self.facts = self.add_field(
            self.tr("Facts:"), QPlainTextEdit(self), "facts", self.tr("Facts"), required=True
        )
        self.facts.setTabChangesFocus(True)
        self.facts.setFixedHeight(self.facts.fontMetrics().height() * 4 + 16)
        self.legal_basis = self.add_field(
            self.tr("Legal basis:"), QPlainTextEdit(self), "legal_basis", self.tr("Legal basis")
        )
        self.legal_basis.setTabChangesFocus(True)
        self.legal_basis.setFixedHeight(self.legal_basis.fontMetrics().height() * 2 + 16)
        self.authority = self.add_field(
            self.tr("Decided by:"), QLineEdit(self), "authority", self.tr("Deciding authority")
        )
        self.authority.setMaxLength(100)
        self.decision_number = self.add_field(
            self.tr("Decision no.:"), QLineEdit(self), "decision_number", self.tr("Decision document number")
        )
        self.decision_number.setMaxLength(100)
        self.decision_number.setPlaceholderText(
            document_number_example(str(services.center.get()["doc_number_prefix"]), clock.today().year)
        )
        self.publicity_min_end = self.add_field(
            self.tr("Published at least until:"),
            DateField(self, optional=True),
            "publicity_min_end",
            self.tr("End of the minimum publicity period"),
        )
        self.publicity_end = self.add_field(
            self.tr("Published until:"),
            DateField(self, optional=True),
            "publicity_end",
            self.tr("End of publicity"),
        )
        self.ban_start = self.add_field(
            self.tr("Ban from:"), DateField(self, optional=True), "ban_start", self.tr("First day of the ban")
        )
        self.ban_end = self.add_field(
            self.tr("Ban until:"), DateField(self, optional=True), "ban_end", self.tr("Last day of the ban")
        )
        self.points = self.add_field(self.tr("Points:"), QSpinBox(self), "points", self.tr("Points"))
        self.points.setRange(0, 100)
        self.points.setToolTip(
            self.tr("Deducted from the score (added for good conduct) while the record is in force")
        )

        # The fields the catalogue fills, by the names ``fill_defaults`` and ``touched`` use.
        self.defaulted: dict[str, DateField | QSpinBox] = {
            "publicity_min_end": self.publicity_min_end,
            "publicity_end": self.publicity_end,
            "ban_start": self.ban_start,
            "ban_end": self.ban_end,
            "points": self.points,
        }
        for name, widget in self.defaulted.items():
            signal = widget.valueChanged if isinstance(widget, QSpinBox) else widget.dateChanged
            signal.connect(lambda *_a, n=name: self._edited(n))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.severity.currentIndexChanged.connect(lambda _i: self.fill_defaults())
        self.decision_date.dateChanged.connect(lambda _d: self.fill_defaults())
        self._kind_changed()
        self.setMinimumWidth(560)

    def _edited(self, name: str) -> None:
        if self._filling:
            return
        self.touched.add(name)
        if name == "ban_end" and "publicity_end" not in self.touched:
            self.fill_defaults()

    def _kind_changed(self) -> None:
        kind = RecordKind(self.kind.currentData())
        chosen = self.severity.currentData()
        self._filling = True
        self.severity.clear()
        offered = [s for s in Severity if (kind, s) in self._catalogue] or list(GRADED_SEVERITIES)
        for severity in offered:
            self.severity.addItem(severity_label(severity), severity)
        combo_select_data(
            self.severity,
            chosen
            if chosen in offered
            else (Severity.GENERAL if Severity.GENERAL in offered else offered[0]),
        )
        self._filling = False
        ban = kind == RecordKind.BAN
        self.form.setRowVisible(self.ban_start, ban)
        self.form.setRowVisible(self.ban_end, ban)
        # What the service refuses to save without, for this kind (domain.credit.validate_periods).
        barring = kind in BARRING_KINDS
        self.set_required(self.authority, barring)
        self.set_required(self.decision_number, barring)
        self.set_required(self.publicity_end, not ban)
        self.set_required(self.ban_start, ban)
        self.set_required(self.ban_end, ban)
        if kind in BARRING_KINDS:
            if self.actor.can(Permission.CREDIT_APPROVE):
                self.set_hint(
                    self.tr(
                        "As a center leader, your entry ban or serious-list record takes effect when saved."
                    )
                )
            else:
                self.set_hint(
                    self.tr(
                        "An entry ban or serious-list record you enter waits for a center leader's "
                        "confirmation. Until a leader confirms it, it does not bar entry. "
                        "Deciding authority and decision number are required."
                    )
                )
        else:
            self.set_hint("")
        self.fill_defaults()

    def fill_defaults(self) -> None:
        """Periods and points from the catalogue, for every field the user has not changed."""
        if self._filling or self.severity.currentData() is None:
            return
        kind = RecordKind(self.kind.currentData())
        decided = self.decision_date.value()
        assert decided is not None
        defaults = self.services.credit.defaults_for(kind, Severity(self.severity.currentData()), decided)
        values: dict[str, Any] = {
            "publicity_min_end": defaults.publicity_min_end,
            "publicity_end": defaults.publicity_end,
            "ban_start": defaults.ban_start if kind == RecordKind.BAN else None,
            "ban_end": defaults.ban_end if kind == RecordKind.BAN else None,
            "points": defaults.points,
        }
        if kind == RecordKind.BAN:
            ban_end = self.ban_end.value() if "ban_end" in self.touched else values["ban_end"]
            if values["publicity_end"] and ban_end:  # as the service does: publicised for the whole ban
                values["publicity_end"] = max(values["publicity_end"], ban_end)
        self._filling = True
        try:
            for name, value in values.items():
                if name in self.touched:
                    continue
                widget = self.defaulted[name]
                if isinstance(widget, QSpinBox):
                    widget.setValue(int(value))
                else:
                    widget.set_value(value)
        finally:
            self._filling = False

    def record_input(self) -> RecordInput:
        kind = RecordKind(self.kind.currentData())
        ban = kind == RecordKind.BAN
        decided = self.decision_date.value()
        assert decided is not None
        return RecordInput(
            subject_id=self.subject.id,
            kind=kind,
            severity=Severity(self.severity.currentData()),
            decision_date=decided,
            facts=self.facts.toPlainText(),
            legal_basis=self.legal_basis.toPlainText(),
            authority=self.authority.text(),
            decision_number=self.decision_number.text(),
            publicity_min_end=self.publicity_min_end.value(),
            publicity_end=self.publicity_end.value(),
            ban_start=self.ban_start.value() if ban else None,
            ban_end=self.ban_end.value() if ban else None,
            points=self.points.value(),
        )

    def submit(self) -> None:
        data = self.record_input()
        self.save(
            lambda: self.services.credit.add_record(self.actor, data),
            changed=topics.CREDIT_RECORD,
            ids=lambda saved: (saved.id,),
        )

    def reload(self) -> None:
        pass  # a new record: nothing stored to reload


def add_record(parent: QWidget | None, services: Services, actor: CurrentUser, subject_id: int) -> int | None:
    dialog = RecordDialog(services, actor, subject_id, parent)
    try:
        if not modal.run_dialog(dialog) or dialog.result_value is None:
            return None
        saved: RecordInfo = dialog.result_value
        if saved.status == RecordStatus.PENDING:
            QMessageBox.information(
                parent,
                QCoreApplication.translate("CreditEditing", "Record saved"),
                QCoreApplication.translate(
                    "CreditEditing",
                    "The record is saved and waits for a center leader's confirmation. It does not bar entry until a leader confirms it.",
                ),
            )
        return saved.id
    finally:
        dialog.deleteLater()
