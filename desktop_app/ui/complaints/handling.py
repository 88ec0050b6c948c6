"""The dialogs that move a case on: 受理 (with the assignment), 不予受理, 转办, 开始调查, 办结 (reply
templates filled from the case, the internal note kept apart, an optional deduction figure), 回访,
跟进 after 差评, 分派, 内部备注, 申请延期 and 审批延期, and the credit record drafted from a case.

Each dialog saves through its service call (``FormDialog.save``: refusals at their field, the
COMPLAINT topic announced); a save refused because another workstation moved the case first keeps
what was typed and offers Reload, which reads the case again. ``run_case_dialog`` opens one through
``modal.run_dialog`` (tests drive it) and returns the case as saved, or None.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.domain.complaints import FOUND_TRUE, RULE_RANGES, Outcome, RespondentKind, Satisfaction
from desktop_app.services.complaints import Assignment, Closure, ComplaintInfo
from desktop_app.services.complaints.replies import TEMPLATE_FOR_OUTCOME
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInput
from desktop_app.services.facade import Services
from desktop_app.ui import topics
from desktop_app.ui.complaints.labels import outcome_label, satisfaction_label, state_label
from desktop_app.ui.dates import text_deadline
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data

NOTE_LINES = 3


def text_box(parent: QWidget, lines: int = NOTE_LINES) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().height() * lines + 16)
    return box


class CaseDialog(FormDialog):
    """A dialog about one case: its number and state on top; ``call(info)`` saves."""

    def __init__(
        self, title: str, services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None
    ) -> None:
        super().__init__(title, parent)
        self.services = services
        self.actor = actor
        self.info = info
        self.case_label = QLabel(self)
        self.case_label.setObjectName("case")
        self.case_label.setWordWrap(True)
        # A fixed context: ``self.tr`` in the base class would look the text up under each subclass.
        self.form.addRow(QCoreApplication.translate("ComplaintHandling", "Case:"), self.case_label)
        self._show_case()
        self.setMinimumWidth(520)

    def _show_case(self) -> None:
        self.case_label.setText(
            QCoreApplication.translate("ComplaintHandling", "%1 (%2), due %3")
            .replace("%1", self.info.number)
            .replace("%2", state_label(self.info.state))
            .replace("%3", text_deadline(self.info.deadline, self.info.deadline_provisional))
        )

    def save_case(self, call: Callable[[], ComplaintInfo]) -> bool:
        return self.save(call, changed=topics.COMPLAINT, ids=(self.info.id,))

    def reload(self) -> None:
        """Another workstation moved the case: read it again (its version with it); what was typed stays."""
        self.info = self.services.complaints.get(self.actor, self.info.id)
        self._show_case()


def department_combo(services: Services, parent: QWidget, none_text: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(none_text, None)
    for department in services.organisation.departments(include_inactive=False):
        combo.addItem(department.name, department.id)
    return combo


def fill_handlers(combo: QComboBox, services: Services, department_id: int | None, none_text: str) -> None:
    chosen = combo.currentData()
    combo.clear()
    combo.addItem(none_text, None)
    for staff in services.organisation.staff(department_id, include_inactive=False):
        combo.addItem(f"{staff.name}（{staff.department_name}）", staff.id)
    combo_select_data(combo, chosen)


class AssignmentDialog(CaseDialog):
    """受理 (with the department and handler it goes to) or 分派 (the case stays in its state)."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        info: ComplaintInfo,
        accept: bool,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Accept the complaint") if accept else self.tr("Assign the complaint")
        super().__init__(title, services, actor, info, parent)
        self.accepting = accept
        self.department = self.add_field(
            self.tr("Department:"),
            department_combo(services, self, self.tr("(not chosen)")),
            "department",
            self.tr("Department"),
        )
        self.handler = self.add_field(self.tr("Handler:"), QComboBox(self), "handler", self.tr("Handler"))
        self.note = self.add_field(self.tr("Note:"), text_box(self, 2), "note", self.tr("Note"))
        combo_select_data(self.department, info.department_id)
        fill_handlers(self.handler, services, info.department_id, self.tr("(not chosen)"))
        combo_select_data(self.handler, info.handler_staff_id)
        self.department.currentIndexChanged.connect(
            lambda _i: fill_handlers(
                self.handler, services, self.department.currentData(), self.tr("(not chosen)")
            )
        )
        self.save_button.setText(self.tr("Accept") if accept else self.tr("Assign"))

    def submit(self) -> None:
        assignment = Assignment(
            self.department.currentData(), self.handler.currentData(), self.note.toPlainText()
        )
        complaints = self.services.complaints
        if self.accepting:
            self.save_case(lambda: complaints.accept(self.actor, self.info.id, self.info.version, assignment))
        else:
            self.save_case(lambda: complaints.assign(self.actor, self.info.id, self.info.version, assignment))


class RejectDialog(CaseDialog):
    def __init__(
        self, services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Do not accept the complaint"), services, actor, info, parent)
        self.reason = self.add_field(
            self.tr("Reason:"), text_box(self), "reason", self.tr("Reason for not accepting"), required=True
        )
        self.save_button.setText(self.tr("Do not accept"))

    def submit(self) -> None:
        reason = self.reason.toPlainText()
        self.save_case(
            lambda: self.services.complaints.reject(self.actor, self.info.id, self.info.version, reason)
        )


class TransferDialog(CaseDialog):
    """转办: to a department of the center, or to another body named in words."""

    def __init__(
        self, services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Transfer the complaint"), services, actor, info, parent)
        self.department = self.add_field(
            self.tr("To a department:"),
            department_combo(services, self, self.tr("(another body)")),
            "department",
            self.tr("Department transferred to"),
        )
        self.to = self.add_field(
            self.tr("Or to:"), QLineEdit(self), "transfer_to", self.tr("Body transferred to")
        )
        self.to.setMaxLength(100)
        self.to.setPlaceholderText(self.tr("e.g. 市市场监督管理局"))
        self.note = self.add_field(self.tr("Note:"), text_box(self, 2), "note", self.tr("Note"))
        self.save_button.setText(self.tr("Transfer"))

    def submit(self) -> None:
        to, department, note = self.to.text(), self.department.currentData(), self.note.toPlainText()
        self.save_case(
            lambda: self.services.complaints.transfer(
                self.actor, self.info.id, self.info.version, to, department, note
            )
        )


class NoteDialog(CaseDialog):
    """开始调查 (with an optional note) or an internal note (required; never on paper)."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        info: ComplaintInfo,
        investigate: bool,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Start the investigation") if investigate else self.tr("Internal note")
        super().__init__(title, services, actor, info, parent)
        self.investigating = investigate
        self.note = self.add_field(
            self.tr("Note:"), text_box(self, 4), "note", self.tr("Note"), required=not investigate
        )
        if not investigate:
            self.set_hint(
                self.tr("Internal notes stay in the case's history; they are never sent to the complainant.")
            )
        self.save_button.setText(self.tr("Start") if investigate else self.tr("Save"))

    def submit(self) -> None:
        note = self.note.toPlainText()
        complaints = self.services.complaints
        if self.investigating:
            self.save_case(lambda: complaints.investigate(self.actor, self.info.id, self.info.version, note))
        else:
            self.save_case(lambda: complaints.add_note(self.actor, self.info.id, note))


class CloseDialog(CaseDialog):
    """办结: the finding, the reply (a template filled from the case, then edited), an internal note
    kept apart, and, for a finding against a staff member, the points if not the catalogue's."""

    def __init__(
        self, services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Close the complaint"), services, actor, info, parent)
        self.outcome = self.add_field(
            self.tr("Finding:"), QComboBox(self), "outcome", self.tr("Finding"), required=True
        )
        self.outcome.addItem(self.tr("(choose)"), None)
        for outcome in Outcome:
            self.outcome.addItem(outcome_label(outcome), outcome)
        self.template = self.add_field(
            self.tr("Reply template:"), QComboBox(self), "template", self.tr("Reply template")
        )
        self.template.addItem(self.tr("(none)"), None)
        for template in services.complaints.reply_templates():
            self.template.addItem(template.title, template.key)
        self.reply = self.add_field(
            self.tr("Reply:"), text_box(self, 7), "reply", self.tr("Reply to the complainant"), required=True
        )
        self.note = self.add_field(
            self.tr("Internal note:"), text_box(self, 2), "note", self.tr("Internal note")
        )
        self.own_points = QCheckBox(self.tr("Deduct other points than the catalogue's"), self)
        self.own_points.setObjectName("own_points")
        self.points = QSpinBox(self)
        low, high = RULE_RANGES["found_true_points"]
        self.points.setRange(low, high)
        self.points.setValue(max(low, min(high, -3)))
        self.points.setEnabled(False)
        self.own_points.toggled.connect(self.points.setEnabled)
        self.add_field(self.tr("Deduction:"), self.own_points, "own_points", self.tr("Own deduction"))
        self.add_field(self.tr("Points:"), self.points, "deduction_points", self.tr("Deduction points"))
        against_staff = info.respondent_kind is RespondentKind.STAFF
        self.form.setRowVisible(self.own_points, against_staff)
        self.form.setRowVisible(self.points, against_staff)
        self._typed = False
        self._filling = False
        self.reply.textChanged.connect(self._reply_edited)
        self.outcome.currentIndexChanged.connect(lambda _i: self._outcome_chosen())
        self.template.currentIndexChanged.connect(lambda _i: self.fill_template())
        self.set_hint(
            self.tr(
                "The reply is printed on the result notice; the internal note stays in the case's history."
            )
        )
        self.save_button.setText(self.tr("Close the case"))
        self.setMinimumWidth(620)

    def _reply_edited(self) -> None:
        if not self._filling:
            self._typed = bool(self.reply.toPlainText().strip())

    def _outcome_chosen(self) -> None:
        outcome = self.outcome.currentData()
        if outcome is not None and not self._typed:
            combo_select_data(self.template, TEMPLATE_FOR_OUTCOME.get(Outcome(outcome)))

    def fill_template(self) -> None:
        """The chosen template, filled from the case, over what the template put there before (not
        over a reply the user typed themselves unless they choose a template again)."""
        key = self.template.currentData()
        if key is None:
            return
        text = self.services.complaints.fill_reply(str(key), self.info)
        self._filling = True
        try:
            self.reply.setPlainText(text)
        finally:
            self._filling = False
        self._typed = False

    def submit(self) -> None:
        outcome = self.outcome.currentData()
        points = (
            self.points.value()
            if self.own_points.isChecked() and self.info.respondent_kind is RespondentKind.STAFF
            else None
        )
        closure = Closure(
            Outcome(outcome) if outcome is not None else None,
            self.reply.toPlainText(),
            self.note.toPlainText(),
            points,
        )
        self.save_case(
            lambda: self.services.complaints.close(self.actor, self.info.id, self.info.version, closure)
        )


class VisitDialog(CaseDialog):
    """回访 with one of five satisfaction levels; 不满意 and 非常不满意 open the follow-up."""

    def __init__(
        self, services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Follow-up visit"), services, actor, info, parent)
        self.satisfaction = self.add_field(
            self.tr("Satisfaction:"), QComboBox(self), "satisfaction", self.tr("Satisfaction"), required=True
        )
        self.satisfaction.addItem(self.tr("(choose)"), None)
        for level in Satisfaction:
            self.satisfaction.addItem(satisfaction_label(level), level)
        self.note = self.add_field(self.tr("Notes:"), text_box(self), "note", self.tr("Visit notes"))
        self.set_hint(
            self.tr(
                "Dissatisfied or very dissatisfied opens a follow-up: contact within one working day, "
                "rectification within fifteen."
            )
        )
        self.save_button.setText(self.tr("Record the visit"))

    def submit(self) -> None:
        chosen = self.satisfaction.currentData()
        level = Satisfaction(chosen) if chosen is not None else None
        note = self.note.toPlainText()
        self.save_case(
            lambda: self.services.complaints.visit(self.actor, self.info.id, self.info.version, level, note)
        )


class FollowupDialog(CaseDialog):
    """跟进 after 差评: the complainant was contacted, or the rectification is done."""

    def __init__(
        self, services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Follow-up after a bad rating"), services, actor, info, parent)
        self.step = self.add_field(self.tr("Step:"), QComboBox(self), "step", self.tr("Step"), required=True)
        if info.followup_contacted_at is None:
            self.step.addItem(self.tr("Complainant contacted"), "contacted")
        self.step.addItem(self.tr("Rectification done"), "rectified")
        self.note = self.add_field(
            self.tr("Record:"), text_box(self), "note", self.tr("Follow-up record"), required=True
        )
        if info.followup_contact_deadline and info.followup_rectify_deadline:
            self.set_hint(
                self.tr("Contact by %1, rectify by %2.")
                .replace("%1", text_deadline(info.followup_contact_deadline, False))
                .replace("%2", text_deadline(info.followup_rectify_deadline, False))
            )

    def submit(self) -> None:
        step, note = str(self.step.currentData()), self.note.toPlainText()
        self.save_case(
            lambda: self.services.complaints.followup(self.actor, self.info.id, self.info.version, step, note)
        )


class ExtensionRequestDialog(CaseDialog):
    def __init__(
        self, services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Ask for more time"), services, actor, info, parent)
        self.days = self.add_field(
            self.tr("Working days:"), QSpinBox(self), "days", self.tr("Working days more"), required=True
        )
        self.days.setRange(1, 30)
        self.days.setValue(5)
        self.reason = self.add_field(
            self.tr("Reason:"), text_box(self), "reason", self.tr("Reason"), required=True
        )
        self.set_hint(self.tr("A supervisor or a center leader other than you approves the extension."))
        self.save_button.setText(self.tr("Ask"))

    def submit(self) -> None:
        days, reason = self.days.value(), self.reason.toPlainText()
        self.save_case(
            lambda: self.services.complaints.request_extension(self.actor, self.info.id, days, reason)
        )


class ExtensionDecisionDialog(CaseDialog):
    """审批延期: approve or refuse (a refusal says why)."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        info: ComplaintInfo,
        extension_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Decide on the extension"), services, actor, info, parent)
        self.extension_id = extension_id
        extension = next(x for x in info.extensions if x.id == extension_id)
        asked = QLabel(
            self.tr("%1 working days more, asked by %2: %3")
            .replace("%1", str(extension.days))
            .replace("%2", extension.requested_by_name)
            .replace("%3", extension.reason),
            self,
        )
        asked.setObjectName("asked")
        asked.setWordWrap(True)
        self.form.addRow(self.tr("Request:"), asked)
        self.decision = self.add_field(self.tr("Decision:"), QComboBox(self), "decision", self.tr("Decision"))
        self.decision.addItem(self.tr("Approve"), True)
        self.decision.addItem(self.tr("Refuse"), False)
        self.note = self.add_field(self.tr("Note:"), text_box(self), "note", self.tr("Decision note"))
        self.decision.currentIndexChanged.connect(
            lambda _i: self.set_required(self.note, not bool(self.decision.currentData()))
        )
        self.save_button.setText(self.tr("Decide"))

    def submit(self) -> None:
        approve, note = bool(self.decision.currentData()), self.note.toPlainText()
        self.save_case(
            lambda: self.services.complaints.decide_extension(self.actor, self.extension_id, approve, note)
        )


def credit_record_dialog(
    services: Services, actor: CurrentUser, info: ComplaintInfo, parent: QWidget | None = None
) -> FormDialog:
    """The credit module's record dialog, prefilled from the case (``credit_draft``), saving through
    ``draft_credit_record`` so that the record and the case's link are one transaction."""
    from desktop_app.ui.credit.editing.records import RecordDialog

    draft: RecordInput = services.complaints.credit_draft(actor, info.id)

    class CaseRecordDialog(RecordDialog):
        def submit(self) -> None:
            data = self.record_input()
            self.save(
                lambda: services.complaints.draft_credit_record(actor, info.id, data),
                changed=(topics.COMPLAINT, topics.CREDIT_RECORD),
                ids=(info.id,),
            )

    dialog = CaseRecordDialog(services, actor, draft.subject_id, parent)
    combo_select_data(dialog.kind, draft.kind)
    combo_select_data(dialog.severity, draft.severity)
    dialog.decision_date.set_value(draft.decision_date)
    dialog.facts.setPlainText(draft.facts)
    dialog.authority.setText(draft.authority)
    title = QCoreApplication.translate("ComplaintHandling", "Credit record from complaint %1")
    dialog.setWindowTitle(title.replace("%1", info.number))
    return dialog


def run_case_dialog(dialog: FormDialog) -> ComplaintInfo | None:
    """Show the dialog; the case as saved, or None when cancelled."""
    try:
        if not modal.run_dialog(dialog):
            return None
        value = dialog.result_value
        return value if isinstance(value, ComplaintInfo) else None
    finally:
        dialog.deleteLater()


def found_true(info: ComplaintInfo) -> bool:
    return info.outcome is not None and info.outcome in FOUND_TRUE
