"""处理建议: what the threshold rules proposed for experts (通报 at 8 points, a suspension at 12 or at
a serious item), for a leader to confirm with the supervising department's decision, or to reject with
a reason. A confirmed suspension is a ban-type record in the expert's credit file: the entry lookup
then shows it, and the roster shows 暂停至 its last day."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from desktop_app import clock
from desktop_app.domain.evaluations import ProposalAction, ProposalState, suspension_end
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import ConfirmInput, ProposalInfo
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.dates import table_date, table_time, text_date
from desktop_app.ui.evaluations.labels import action_label, proposal_state_label, reason_label
from desktop_app.ui.evaluations.lists import TonedTableModel
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.forms import FormDialog, document_number_example
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.paged_table import Tone
from desktop_app.ui.widgets.tables import Column, Width

# What a confirmation writes, besides the proposals: the ban record in the credit file.
CONFIRM_TOPICS = (topics.EVALUATION_PROPOSAL, topics.CREDIT_RECORD)


def decision_text(p: ProposalInfo) -> str:
    """The decision as entered: authority and number, or the rejection's reason; the suspension."""
    if p.state == ProposalState.REJECTED:
        return p.reason_text
    if p.state != ProposalState.CONFIRMED:
        return ""
    said = " ".join(part for part in (p.authority, p.decision_number) if part)
    if p.suspend_from is not None and p.suspend_until is not None:
        said += " " + QCoreApplication.translate("ProposalModel", "%1 to %2").replace(
            "%1", table_date(p.suspend_from)
        ).replace("%2", table_date(p.suspend_until))
    return said


def proposal_tone(p: ProposalInfo) -> Tone | None:
    if p.state == ProposalState.PENDING:
        return None
    return Tone.MUTED if p.state in (ProposalState.REJECTED, ProposalState.WITHDRAWN) else None


class ProposalModel(TonedTableModel[ProposalInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Expert"), lambda p: p.expert_name, width=Width("欧阳建国", weight=1)),
                Column(
                    self.tr("Expert no."),
                    lambda p: p.expert_no,
                    width=Width(whole=True, weight=0, gives_way=2),
                ),
                Column(
                    self.tr("Year"),
                    lambda p: str(p.year),
                    lambda p: p.year,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Proposal"),
                    lambda p: action_label(p.action),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Because"),
                    lambda p: reason_label(p.reason),
                    width=Width("存在严重违规项", weight=1, gives_way=3),
                ),
                Column(
                    self.tr("Points"),
                    lambda p: str(p.points),
                    lambda p: p.points,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Session"),
                    lambda p: p.session_number,
                    width=Width(whole=True, weight=0, gives_way=4),
                ),
                Column(
                    self.tr("Proposed"),
                    lambda p: table_time(p.proposed_at),
                    lambda p: p.proposed_at,
                    width=Width(whole=True, weight=0, gives_way=5),
                ),
                Column(
                    self.tr("State"),
                    lambda p: proposal_state_label(p.state),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Decision"),
                    decision_text,
                    width=Width("市财政局 财采〔2026〕8号", weight=2, gives_way=1),
                ),
            ],
            proposal_tone,
            parent,
        )


class ConfirmDialog(FormDialog):
    """A leader enters the supervising department's decision on a proposal: authority, number and
    date; for a suspension its first and last day (the last from the rule's months unless changed)."""

    def __init__(
        self, services: Services, actor: CurrentUser, proposal: ProposalInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Confirm proposal"), parent)
        self.setObjectName("confirm_proposal")
        self.services = services
        self.actor = actor
        self.proposal = proposal
        self.suspends = proposal.action == ProposalAction.SUSPEND
        self.intro = QLabel(self)
        self.intro.setObjectName("intro")
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.authority = self.add_field(
            self.tr("&Authority:"), QLineEdit(self), "authority", self.tr("Authority"), required=True
        )
        self.authority.setPlaceholderText(self.tr("The supervising department that decided"))
        self.decision_number = self.add_field(
            self.tr("Decision &number:"),
            QLineEdit(self),
            "decision_number",
            self.tr("Decision number"),
            required=True,
        )
        self.decision_number.setPlaceholderText(
            document_number_example(str(services.center.get()["doc_number_prefix"]), clock.today().year)
        )
        self.decision_date = self.add_field(
            self.tr("Decision &date:"),
            DateField(self),
            "decision_date",
            self.tr("Decision date"),
            required=True,
        )
        self.suspend_from = self.add_field(
            self.tr("Suspended &from:"),
            DateField(self),
            "suspend_from",
            self.tr("Suspended from"),
            required=True,
        )
        self.suspend_until = self.add_field(
            self.tr("Suspended &until:"),
            DateField(self),
            "suspend_until",
            self.tr("Suspended until"),
            required=True,
        )
        self.note = self.add_field(self.tr("N&ote:"), QLineEdit(self), "note", self.tr("Note"))
        for field in (self.suspend_from, self.suspend_until):
            self.form.setRowVisible(field, self.suspends)
        self._until_typed = False
        self._follow_from(clock.today())
        self.decision_date.dateChanged.connect(lambda _d: self._decision_date_changed())
        self.suspend_from.dateChanged.connect(lambda _d: self._from_changed())
        self.suspend_until.dateChanged.connect(lambda _d: self._until_changed())
        self._show_intro()
        self.save_button.setText(self.tr("Confirm"))
        self.setMinimumWidth(520)

    def _show_intro(self) -> None:
        p = self.proposal
        text = (
            self.tr("%1 (%2), %3: %4 points in %5 — %6.")
            .replace("%1", p.expert_name)
            .replace("%2", p.expert_no)
            .replace("%3", reason_label(p.reason))
            .replace("%4", str(p.points))
            .replace("%5", str(p.year))
            .replace("%6", action_label(p.action))
        )
        if self.suspends:
            text += " " + self.tr(
                "The suspension becomes a ban record in the expert's credit file; the entry lookup shows it."
            )
        self.intro.setText(text)

    # -- the suspension's days follow the decision until typed -------------------------------------
    def _follow_from(self, start: date) -> None:
        for field in (self.suspend_from, self.suspend_until):
            field.blockSignals(True)
        try:
            self.suspend_from.set_value(start)
            if not self._until_typed:
                self.suspend_until.set_value(suspension_end(start, self.proposal.suspension_months))
        finally:
            for field in (self.suspend_from, self.suspend_until):
                field.blockSignals(False)

    def _decision_date_changed(self) -> None:
        day = self.decision_date.value()
        if day is not None:
            self._follow_from(day)

    def _from_changed(self) -> None:
        start = self.suspend_from.value()
        if start is not None and not self._until_typed:
            self.suspend_until.blockSignals(True)
            self.suspend_until.set_value(suspension_end(start, self.proposal.suspension_months))
            self.suspend_until.blockSignals(False)

    def _until_changed(self) -> None:
        self._until_typed = True

    # -- saving ----------------------------------------------------------------------------------
    def data(self) -> ConfirmInput:
        return ConfirmInput(
            authority=self.authority.text().strip(),
            decision_number=self.decision_number.text().strip(),
            decision_date=self.decision_date.value(),
            suspend_from=self.suspend_from.value() if self.suspends else None,
            suspend_until=self.suspend_until.value() if self.suspends else None,
            note=self.note.text().strip(),
        )

    def submit(self) -> None:
        data = self.data()
        p = self.proposal
        self.save(
            lambda: self.services.evaluations.confirm_proposal(self.actor, p.id, data, p.version),
            changed=CONFIRM_TOPICS,
            ids=(p.id,),
        )

    def reload(self) -> None:
        self.proposal = self.services.evaluations.proposal(self.proposal.id)
        self._show_intro()


class ProposalsTab(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(ProposalModel(), "proposal_search", "proposal_table", self.tr("Proposals"), parent)
        self.services = services
        self.actor = actor
        self.search.setPlaceholderText(self.tr("Expert, session (Ctrl+F)"))
        self.state = QComboBox(self)
        self.state.setObjectName("proposal_state")
        self.state.setAccessibleName(self.tr("State"))
        self.state.addItem(self.tr("All states"), None)
        for state in ProposalState:
            self.state.addItem(proposal_state_label(state), state.value)
        self.state.setCurrentIndex(self.state.findData(ProposalState.PENDING.value))
        self.state.currentIndexChanged.connect(lambda _i: self.refresh())
        self.toolbar_extra.addWidget(self.state)
        decides = actor.can(Permission.EXPERT_DECIDE)
        self.confirm_button = self.add_button(
            self.tr("&Confirm…"),
            "confirm_proposal",
            self.confirm_current,
            self.tr("Enter the decision that confirms it"),
        )
        self.reject_button = self.add_button(
            self.tr("&Reject…"),
            "reject_proposal",
            self.reject_current,
            self.tr("Not confirmed, with the reason"),
        )
        for button in (self.confirm_button, self.reject_button):
            button.setVisible(decides)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.set_empty_text(self.tr("No proposal in this state."))
        self.watcher = operations.refresh_on_change(
            self, (topics.EVALUATION, topics.EVALUATION_PROPOSAL), self.refresh
        )

    def load_records(self) -> list[Any]:
        state = self.state.currentData()
        wanted = ProposalState(state) if state else None
        found = operations.run(
            self, lambda: self.services.evaluations.proposals(self.actor, wanted), show="message"
        )
        return list(found.value or [])

    def show_pending(self) -> None:
        self.search.clear()
        index = self.state.findData(ProposalState.PENDING.value)
        if self.state.currentIndex() != index:
            self.state.setCurrentIndex(index)  # reloads
        else:
            self.refresh()

    def update_actions(self) -> None:
        chosen = self.current()
        pending = isinstance(chosen, ProposalInfo) and chosen.state == ProposalState.PENDING
        self.confirm_button.setEnabled(pending)
        self.reject_button.setEnabled(pending)

    def edit_current(self) -> None:
        self.confirm_current()

    def confirm_current(self) -> ProposalInfo | None:
        chosen = self.current()
        if not isinstance(chosen, ProposalInfo) or chosen.state != ProposalState.PENDING:
            return None
        if not self.actor.can(Permission.EXPERT_DECIDE):
            return None
        self.clear_messages()
        dialog = ConfirmDialog(self.services, self.actor, chosen, self)
        accepted = modal.run_and_delete(dialog)
        saved = dialog.result_value if accepted else None
        if isinstance(saved, ProposalInfo):
            self.refresh()
            said = (
                self.tr("Confirmed: %1, %2.")
                .replace("%1", saved.expert_name)
                .replace("%2", action_label(saved.action))
            )
            if saved.suspend_until is not None:
                said += " " + self.tr("Suspended until %1.").replace("%1", text_date(saved.suspend_until))
            self.show_status(said)
            return saved
        return None

    def reject_current(self) -> ProposalInfo | None:
        chosen = self.current()
        if not isinstance(chosen, ProposalInfo) or chosen.state != ProposalState.PENDING:
            return None
        if not self.actor.can(Permission.EXPERT_DECIDE):
            return None
        from desktop_app.ui.credit.editing.decisions import ReasonDialog

        self.clear_messages()
        proposal = chosen
        dialog = ReasonDialog(
            self.tr("Reject proposal"),
            self.tr("Not confirming: %1 (%2), %3 points in %4 — %5. The marks and points stay as they are.")
            .replace("%1", proposal.expert_name)
            .replace("%2", proposal.expert_no)
            .replace("%3", str(proposal.points))
            .replace("%4", str(proposal.year))
            .replace("%5", action_label(proposal.action)),
            self.tr("Reason:"),
            lambda reason: self.services.evaluations.reject_proposal(
                self.actor, proposal.id, reason, proposal.version
            ),
            self.tr("Reject"),
            self,
            changed=topics.EVALUATION_PROPOSAL,
            ids=(proposal.id,),
        )
        dialog.setObjectName("reject_proposal_dialog")
        accepted = modal.run_and_delete(dialog)
        saved = dialog.result_value if accepted else None
        if isinstance(saved, ProposalInfo):
            self.refresh()
            self.show_status(
                self.tr("Rejected: %1, %2.")
                .replace("%1", saved.expert_name)
                .replace("%2", action_label(saved.action))
            )
            return saved
        return None
