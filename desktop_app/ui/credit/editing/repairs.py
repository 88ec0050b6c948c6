"""Credit repair: the application for a record (after its minimum publicity period) and the decision
on it, which ends the record's effect from the decision date on when approved."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from desktop_app import clock
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RepairInfo
from desktop_app.services.facade import Services
from desktop_app.ui import topics
from desktop_app.ui.credit.editing.decisions import record_title
from desktop_app.ui.dates import text_date
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.forms import FormDialog, document_number_example


class RepairRequestDialog(FormDialog):
    def __init__(
        self, services: Services, actor: CurrentUser, record_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Credit repair application"), parent)
        self.services = services
        self.actor = actor
        self.record = services.credit.record(record_id)
        subject = services.credit.subject(self.record.subject_id)
        about = QLabel(record_title(services, self.record), self)
        about.setObjectName("record")
        about.setWordWrap(True)
        self.form.addRow(self.tr("Record:"), about)
        self.requested_on = self.add_field(
            self.tr("Applied on:"),
            DateField(self),
            "requested_on",
            self.tr("Application date"),
            required=True,
        )
        self.applicant = self.add_field(
            self.tr("Applicant:"), QLineEdit(self), "applicant", self.tr("Applicant"), required=True
        )
        self.applicant.setMaxLength(100)
        self.applicant.setText(subject.name)
        self.materials = self.add_field(
            self.tr("Materials:"),
            QPlainTextEdit(self),
            "materials",
            self.tr("Materials submitted"),
            required=True,
        )
        self.materials.setTabChangesFocus(True)
        self.materials.setFixedHeight(self.materials.fontMetrics().height() * 4 + 16)
        self.materials.setPlaceholderText(self.tr("e.g. 信用修复申请书、整改报告、信用承诺书"))
        if self.record.publicity_min_end:
            self.set_hint(
                self.tr(
                    "Repair may be applied for after the minimum publicity period, which ends on %1."
                ).replace("%1", text_date(self.record.publicity_min_end))
            )
        self.setMinimumWidth(520)

    def submit(self) -> None:
        record_id, requested_on = self.record.id, self.requested_on.value()
        applicant, materials = self.applicant.text(), self.materials.toPlainText()
        self.save(
            lambda: self.services.credit.request_repair(
                self.actor, record_id, requested_on, applicant, materials
            ),
            changed=topics.CREDIT_RECORD,
            ids=(record_id,),
        )

    def reload(self) -> None:
        pass


def request_repair(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    return modal.run_and_delete(RepairRequestDialog(services, actor, record_id, parent))


class RepairDecisionDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        repair_id: int,
        record_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Decide on credit repair"), parent)
        self.services = services
        self.actor = actor
        self.repair_id = repair_id
        self.repair: RepairInfo | None = None
        about_text = self.tr("Application no. %1").replace("%1", str(repair_id))
        if record_id is None:
            record_id = services.credit.repair(repair_id).record_id
        self.record_id = record_id
        if record_id is not None:
            record = services.credit.record(record_id)
            self.repair = next((r for r in record.repairs if r.id == repair_id), None)
            about_text = record_title(services, record)
            if self.repair is not None:
                about_text += "\n" + self.tr("Applied on %1 by %2: %3").replace(
                    "%1", text_date(self.repair.requested_on)
                ).replace("%2", self.repair.applicant).replace("%3", self.repair.materials)
        about = QLabel(about_text, self)
        about.setObjectName("application")
        about.setWordWrap(True)
        self.form.addRow(self.tr("Application:"), about)
        self.approve = self.add_field(
            self.tr("Decision:"), QComboBox(self), "approve", self.tr("Decision"), required=True
        )
        self.approve.addItem(self.tr("Approve the repair"), True)
        self.approve.addItem(self.tr("Reject the repair"), False)
        self.decided_on = self.add_field(
            self.tr("Decided on:"), DateField(self), "decided_on", self.tr("Decision date"), required=True
        )
        self.decision_number = self.add_field(
            self.tr("Decision no.:"), QLineEdit(self), "decision_number", self.tr("Decision document number")
        )
        self.decision_number.setMaxLength(100)
        self.decision_number.setPlaceholderText(
            document_number_example(str(services.center.get()["doc_number_prefix"]), clock.today().year)
        )
        self.decision_note = self.add_field(
            self.tr("Note:"), QPlainTextEdit(self), "decision_note", self.tr("Decision note")
        )
        self.decision_note.setTabChangesFocus(True)
        self.decision_note.setFixedHeight(self.decision_note.fontMetrics().height() * 3 + 16)
        self.decision_note.setPlaceholderText(self.tr("Required when rejecting"))
        self.approve.currentIndexChanged.connect(lambda _i: self._decision_changed())
        self._decision_changed()
        self.set_hint(self.tr("An approved repair ends the record's effect from the decision date on."))
        self.setMinimumWidth(520)

    def _decision_changed(self) -> None:
        self.set_required(self.decision_note, not self.approve.currentData())  # a rejection says why

    def submit(self) -> None:
        approve, decided_on = bool(self.approve.currentData()), self.decided_on.value()
        number, note = self.decision_number.text(), self.decision_note.toPlainText()
        version = self.repair.version if self.repair is not None else None
        self.save(
            lambda: self.services.credit.decide_repair(
                self.actor, self.repair_id, approve, decided_on, number, note, version
            ),
            changed=topics.CREDIT_RECORD,
            ids=(self.record_id,) if self.record_id is not None else (),
        )

    def reload(self) -> None:
        pass


def decide_repair(
    parent: QWidget | None,
    services: Services,
    actor: CurrentUser,
    repair_id: int,
    *,
    record_id: int | None = None,
) -> bool:
    return modal.run_and_delete(RepairDecisionDialog(services, actor, repair_id, record_id, parent))
