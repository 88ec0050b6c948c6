"""专家考评: the sessions (考评场次) with their filters, the expert roster (评标专家), the proposals
waiting for a leader (处理建议) and the yearly ranking (年度排名), as tabs.

A session opens in the witness's grid (``ui/evaluations/grid.py``, ``open_session_window``); Ctrl+N
on any tab starts a new session (``ui/evaluations/session_form.py``). A procurement session not
finalised within its 5 working days is red. A leader reopens a finalised session with a reason.
The home page's 待办 opens the lists by name (``show_target``): ``proposals:pending``,
``sessions:mine-draft``, ``sessions:overdue``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.evaluations import SessionState, TradeCategory
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import SessionFilter, SessionInfo
from desktop_app.services.facade import Services
from desktop_app.ui import operations, pages, topics
from desktop_app.ui.dates import table_date, text_date
from desktop_app.ui.evaluations.experts import ExpertsTab
from desktop_app.ui.evaluations.labels import category_label, session_state_label
from desktop_app.ui.evaluations.lists import TonedTableModel, preview_document
from desktop_app.ui.evaluations.proposals import ProposalsTab
from desktop_app.ui.evaluations.ranking import RankingTab
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.paged_table import Tone
from desktop_app.ui.widgets.tables import Column, Width

# The lists the home page's 待办 (services/evaluations/todo.py) and the status bar ask for.
TARGET_PROPOSALS = "proposals:pending"
TARGET_MINE_DRAFT = "sessions:mine-draft"
TARGET_OVERDUE = "sessions:overdue"
STATE_OVERDUE = "overdue"  # the state filter's entry for overdue drafts (not a stored state)


def session_tone(info: SessionInfo) -> Tone | None:
    if info.overdue and info.state == SessionState.DRAFT:
        return Tone.ALARM
    return None


def due_text(info: SessionInfo) -> str:
    if info.due_on is None:
        return ""
    return table_date(info.due_on) + ("*" if info.due_provisional else "")


class SessionTableModel(TonedTableModel[SessionInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Number"),
                    lambda s: s.number,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Date"),
                    lambda s: table_date(s.evaluation_date),
                    lambda s: (s.evaluation_date.toordinal(), s.number),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Project code"),
                    lambda s: s.project_code,
                    width=Width("TH-2026-0001", weight=0.5, gives_way=1),
                ),
                Column(
                    self.tr("Project"),
                    lambda s: s.project_name,
                    width=Width("天河区政府采购项目", "天河区第一中学教学楼改造工程监理", weight=3),
                ),
                Column(
                    self.tr("Category"),
                    lambda s: category_label(s.category),
                    width=Width("建设工程", weight=0.5, gives_way=2),
                ),
                Column(self.tr("Room"), lambda s: s.room, width=Width("第三评标室", weight=0.5, gives_way=3)),
                Column(self.tr("Witness"), lambda s: s.witness_name, width=Width("王静静", weight=0.5)),
                Column(
                    self.tr("Experts"),
                    lambda s: str(len(s.experts)),
                    lambda s: len(s.experts),
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Points"),
                    lambda s: str(s.points_total) if s.marks_count else "",
                    lambda s: s.points_total,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("State"),
                    lambda s: session_state_label(s.state, s.overdue),
                    lambda s: (s.state != SessionState.DRAFT, not s.overdue),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Due"),
                    due_text,
                    lambda s: s.due_on.toordinal() if s.due_on else 0,
                    width=Width(whole=True, weight=0, gives_way=4),
                ),
            ],
            session_tone,
            parent,
        )


class SessionsTab(ListTab):
    """考评场次: the filters go to the service (date, category, room, witness, state); the search box
    narrows what is shown (number, project, expert names in the tooltip are not searched)."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            SessionTableModel(), "session_search", "session_table", self.tr("Evaluation sessions"), parent
        )
        self.services = services
        self.actor = actor
        self.search.setPlaceholderText(self.tr("Number, project (Ctrl+F)"))
        self.search.setMinimumWidth(170)
        self.new_button = self.add_button(
            self.tr("&New session…"),
            "new_session",
            self.new_item,
            self.tr("Start the form of a session (Ctrl+N)"),
        )
        self.new_button.setVisible(actor.can(Permission.EXPERT_EVALUATE))
        self.open_button = self.add_button(
            self.tr("&Open"), "open_session", self.edit_current, self.tr("Open the session's grid (Enter)")
        )
        self.reopen_button = self.add_button(
            self.tr("&Reopen…"),
            "reopen_session",
            self.reopen_current,
            self.tr("Let a finalised session be corrected; its first version stays readable"),
        )
        self.reopen_button.setVisible(actor.can(Permission.EXPERT_DECIDE))
        self.print_button = self.add_button(
            self.tr("&Print form…"),
            "print_form",
            self.print_current,
            self.tr("The session's evaluation form (Ctrl+P)"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)

        filters = QHBoxLayout()
        self.date_from = self._date(self.tr("Evaluated from"), "date_from")
        self.date_to = self._date(self.tr("Evaluated until"), "date_to")
        filters.addWidget(QLabel(self.tr("Date:"), self))
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("–", self))
        filters.addWidget(self.date_to)
        self.category = self._combo(
            "category_filter", self.tr("All categories"), [(category_label(c), c) for c in TradeCategory]
        )
        filters.addWidget(self.category)
        self.room = QLineEdit(self)
        self.room.setObjectName("room_filter")
        self.room.setAccessibleName(self.tr("Room"))
        self.room.setPlaceholderText(self.tr("Room"))
        self.room.setClearButtonEnabled(True)
        self.room.setMaximumWidth(130)
        self.room.returnPressed.connect(self.refresh)
        self.room.textChanged.connect(lambda text: None if text else self.refresh())
        filters.addWidget(self.room)
        self.witness = self._combo(
            "witness_filter",
            self.tr("All witnesses"),
            [(s.name, s.id) for s in services.organisation.staff(include_inactive=False)],
        )
        filters.addWidget(self.witness)
        self.state = self._combo(
            "state_filter",
            self.tr("All states"),
            [
                (session_state_label(SessionState.DRAFT), SessionState.DRAFT.value),
                (session_state_label(SessionState.DRAFT, overdue=True), STATE_OVERDUE),
                (session_state_label(SessionState.FINALISED), SessionState.FINALISED.value),
            ],
        )
        filters.addWidget(self.state)
        self.mine = QCheckBox(self.tr("Mine"), self)
        self.mine.setObjectName("mine")
        self.mine.setToolTip(self.tr("Sessions I witness or created"))
        self.mine.toggled.connect(lambda _on: self.refresh())
        filters.addWidget(self.mine)
        filters.addStretch(1)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("session_count")
        filters.addWidget(self.count_label)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, filters)
        self.set_empty_text(self.tr("No session matches these filters."))
        self.watcher = operations.refresh_on_change(self, (topics.EVALUATION,), self.refresh)

    def _date(self, accessible: str, name: str) -> DateField:
        field = DateField(self, optional=True)
        field.setObjectName(name)
        field.setAccessibleName(accessible)
        field.setToolTip(accessible)
        field.set_value(None)
        field.dateChanged.connect(lambda _d: self.refresh())
        return field

    def _combo(self, name: str, everything: str, entries: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(everything)
        combo.addItem(everything, None)
        for text, value in entries:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self.refresh())
        return combo

    # -- the list ---------------------------------------------------------------------------------
    def current_filter(self) -> SessionFilter:
        state = self.state.currentData()
        category = self.category.currentData()
        return SessionFilter(
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            category=TradeCategory(category) if category else None,
            room=self.room.text().strip(),
            witness_staff_id=self.witness.currentData(),
            state=SessionState(state) if state and state != STATE_OVERDUE else None,
            overdue_only=state == STATE_OVERDUE,
        )

    def is_mine(self, info: SessionInfo) -> bool:
        witness = self.actor.staff_id is not None and info.witness_staff_id == self.actor.staff_id
        return witness or info.created_by in (self.actor.username, self.actor.display_name)

    def load_records(self) -> list[Any]:
        where = self.current_filter()
        found = operations.run(
            self, lambda: self.services.evaluations.sessions(self.actor, where), show="message"
        )
        rows = list(found.value or [])
        if self.mine.isChecked():
            rows = [info for info in rows if self.is_mine(info)]
        self.count_label.setText(self.tr("%n session(s)", "", len(rows)))
        return rows

    def update_actions(self) -> None:
        chosen = self.current()
        self.open_button.setEnabled(chosen is not None)
        self.print_button.setEnabled(chosen is not None)
        self.reopen_button.setEnabled(
            isinstance(chosen, SessionInfo) and chosen.state == SessionState.FINALISED
        )

    def set_filters(self, state: str | None, mine: bool) -> None:
        """One of the 待办's lists: every other filter cleared."""
        widgets = (
            self.date_from,
            self.date_to,
            self.category,
            self.room,
            self.witness,
            self.state,
            self.mine,
        )
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.date_from.set_value(None)
            self.date_to.set_value(None)
            self.category.setCurrentIndex(0)
            self.room.clear()
            self.witness.setCurrentIndex(0)
            self.state.setCurrentIndex(max(0, self.state.findData(state)) if state else 0)
            self.mine.setChecked(mine)
            self.search.clear()
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.refresh()

    # -- acting -----------------------------------------------------------------------------------
    def new_item(self) -> None:
        if not self.actor.can(Permission.EXPERT_EVALUATE):
            return
        self.clear_messages()
        from desktop_app.ui.evaluations.session_form import new_session_dialog  # on first use

        made = new_session_dialog(self.services, self.actor, self)
        if made is None:
            return
        self.refresh()
        self.select(lambda info: info.id == made)
        self.open_session(made)  # the witness goes on to the grid

    def edit_current(self) -> None:
        chosen = self.current()
        if isinstance(chosen, SessionInfo):
            self.open_session(chosen.id)

    def open_session(self, session_id: int) -> None:
        from desktop_app.ui.evaluations.grid import open_session_window  # the grid, on first use

        open_session_window(self.services, self.actor, session_id, self)

    def reopen_current(self) -> bool:
        chosen = self.current()
        if not isinstance(chosen, SessionInfo) or chosen.state != SessionState.FINALISED:
            return False
        reopened = reopen_session(self, self.services, self.actor, chosen)
        if reopened is not None:
            self.refresh()
            self.select(lambda info: info.id == reopened.id)
            self.show_status(
                self.tr(
                    "%1 is open for correction (version %2). Its records stay in force until it is finalised again."
                )
                .replace("%1", reopened.number)
                .replace("%2", str(reopened.revision))
            )
        return reopened is not None

    def print_current(self) -> None:
        chosen = self.current()
        if not isinstance(chosen, SessionInfo):
            return
        session_id = chosen.id
        preview_document(
            self,
            self.services,
            self.actor,
            lambda: self.services.evaluations.evaluation_form(self.actor, session_id),
        )


def reopen_session(
    parent: QWidget, services: Services, actor: CurrentUser, info: SessionInfo
) -> SessionInfo | None:
    """A leader's reopen of a finalised session, with the reason asked first; the session reopened."""
    from desktop_app.ui.credit.editing.decisions import ReasonDialog

    intro = (
        QCoreApplication.translate(
            "EvaluationsPage",
            "Reopen %1 (%2, %3) for correction. The marks and the credit records of version %4 stay in force "
            "and readable until the correction is finalised; then they are revoked and the corrected ones added.",
        )
        .replace("%1", info.number)
        .replace("%2", info.project_name)
        .replace("%3", text_date(info.evaluation_date))
        .replace("%4", str(info.revision))
    )
    done: list[SessionInfo] = []

    def reopen(reason: str) -> SessionInfo:
        reopened = services.evaluations.reopen(actor, info.id, reason, info.version)
        done.append(reopened)
        return reopened

    dialog = ReasonDialog(
        QCoreApplication.translate("EvaluationsPage", "Reopen session"),
        intro,
        QCoreApplication.translate("EvaluationsPage", "Reason:"),
        reopen,
        QCoreApplication.translate("EvaluationsPage", "Reopen"),
        parent,
        placeholder=QCoreApplication.translate("EvaluationsPage", "e.g. the witness marked the wrong expert"),
        changed=topics.EVALUATION,
        ids=(info.id,),
    )
    dialog.setObjectName("reopen_dialog")
    accepted = modal.run_and_delete(dialog)
    return done[-1] if accepted and done else None


class EvaluationsPage(QWidget):
    commands_changed = Signal()  # another tab came into view

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluations_page")
        self.services = services
        self.actor = actor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("evaluations_tabs")
        self.tabs.setAccessibleName(self.tr("Expert evaluation"))
        layout.addWidget(self.tabs)
        self.sessions = SessionsTab(services, actor, self)
        self.tabs.addTab(self.sessions, self.tr("Sessions"))
        self.experts = ExpertsTab(services, actor, self)
        self.tabs.addTab(self.experts, self.tr("Experts"))
        self.proposals: ProposalsTab | None = None
        if actor.can(Permission.EXPERT_DECIDE):
            self.proposals = ProposalsTab(services, actor, self)
            self.tabs.addTab(self.proposals, self.tr("Proposals"))
        self.ranking = RankingTab(services, actor, self)
        self.tabs.addTab(self.ranking, self.tr("Yearly ranking"))
        self.sessions.view.selectionModel().selectionChanged.connect(lambda *_: self.commands_changed.emit())
        self.tabs.currentChanged.connect(self._tab_changed)
        self.sessions.refresh()  # the other tabs read their lists when first shown

    def _tab_changed(self, index: int) -> None:
        pages.refresh(self.tabs.widget(index))
        self.commands_changed.emit()

    # -- commands of the window ---------------------------------------------------------------------
    def offers(self, command: pages.PageCommand) -> bool:
        tab = self.tabs.currentWidget()
        if command is pages.PageCommand.NEW:
            return self.actor.can(Permission.EXPERT_EVALUATE)
        if command is pages.PageCommand.PRINT:
            if tab is self.sessions:
                return self.sessions.current() is not None
            return tab is self.ranking
        return True

    def focus_search(self) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, ListTab):
            tab.focus_search()

    def new_item(self) -> None:
        if not self.actor.can(Permission.EXPERT_EVALUATE):
            return
        self.tabs.setCurrentWidget(self.sessions)
        self.sessions.new_item()

    def print_current(self) -> None:
        tab = self.tabs.currentWidget()
        if tab is self.sessions:
            self.sessions.print_current()
        elif tab is self.ranking:
            self.ranking.print_report()

    def refresh(self) -> None:
        pages.refresh(self.tabs.currentWidget())

    def show_target(self, target: str) -> None:
        """``proposals:pending``, ``sessions:mine-draft``, ``sessions:overdue`` (also with a ``filter:``
        in front), or a session's number (it is opened)."""
        target = target.removeprefix("filter:")
        if target == TARGET_PROPOSALS:
            if self.proposals is not None:
                self.tabs.setCurrentWidget(self.proposals)
                self.proposals.show_pending()
                self.proposals.focus_list()
            return
        if target in (TARGET_MINE_DRAFT, TARGET_OVERDUE):
            self.tabs.setCurrentWidget(self.sessions)
            if target == TARGET_MINE_DRAFT:
                self.sessions.set_filters(SessionState.DRAFT.value, mine=True)
            else:
                self.sessions.set_filters(STATE_OVERDUE, mine=False)
            self.sessions.focus_list()
            return
        if target:
            found = operations.run(
                self, lambda: self.services.evaluations.find_session(target), show="message"
            )
            if found.ok and isinstance(found.value, SessionInfo):
                self.tabs.setCurrentWidget(self.sessions)
                self.sessions.select(lambda info: info.id == found.value.id)  # type: ignore[union-attr]
                self.sessions.open_session(found.value.id)
