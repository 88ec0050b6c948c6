"""投诉受理: the list of cases with its filters, the case's detail below it, and the moves that take a
case from registration to its follow-up.

The list reads a page of rows at a time from the service (``count`` and ``rows`` through
``CaseSource``; 200,000 cases open as fast as 20), sorted by the service on a header click. Overdue
rows are red, rows due within a working day amber. The lookup box takes a number or a lookup code
(a clerk on the phone) and opens that case at once with Enter.

Slots left for the statistics and export (another part of the module fills them): the ``stats_tab``
tab of ``self.tabs`` and the ``export_slot`` layout of the toolbar; ``current_filter()`` gives the
list's filter as shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.complaints import (
    FOUND_TRUE,
    OPEN_STATES,
    Action,
    Category,
    Channel,
    ExtensionState,
    RespondentKind,
    State,
)
from desktop_app.domain.roles import Permission, Role
from desktop_app.services.complaints import ComplaintFilter, ComplaintInfo, ComplaintRow, ListOrder
from desktop_app.services.complaints.types import ExtensionInfo
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, pages, topics
from desktop_app.ui.complaints import handling
from desktop_app.ui.complaints.detail import CaseDetail
from desktop_app.ui.complaints.labels import (
    action_label,
    category_label,
    channel_label,
    outcome_label,
    state_label,
)
from desktop_app.ui.dates import table_date, table_time
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.paged_table import PagedTableModel, Tone, make_paged_view
from desktop_app.ui.widgets.tables import Column, Width

# What a 待办 link or the status bar asks the page to show.
TARGET_OVERDUE = "overdue"
TARGET_DUE_SOON = "due_soon"
TARGET_MINE = "mine"
TARGET_OPEN = "open"
# The home page's 待办 (services/complaints/todo.py) names its lists so.
TODO_TARGETS = {
    "filter:overdue": TARGET_OVERDUE,
    "filter:due_soon": TARGET_DUE_SOON,
    "filter:registered": "registered",
    "filter:extensions": "extensions",
    "filter:followups": "followups",
}


@dataclass(frozen=True)
class CaseSource:
    """The list as the service gives it: the filter and the order inside."""

    services: Services
    actor: CurrentUser
    where: ComplaintFilter
    order: ListOrder

    def count(self) -> int:
        return self.services.complaints.count(self.actor, self.where)

    def rows(self, offset: int, limit: int) -> Sequence[ComplaintRow]:
        return self.services.complaints.rows(self.actor, self.where, self.order, offset, limit)


def case_tone(row: ComplaintRow) -> Tone | None:
    if row.overdue and row.state in OPEN_STATES:
        return Tone.ALARM
    if row.due_soon:
        return Tone.WARNING
    if row.overdue:  # closed late: red text stays a fact of the case, without the alarm
        return Tone.ALARM
    return None


class ComplaintsPage(QWidget):
    commands_changed = Signal()

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaints_page")
        self.services = services
        self.actor = actor
        self.order = ListOrder()
        # A list the 待办 asked for that has no widget of its own (extensions waiting, follow-ups
        # due): kept until the user changes a filter.
        self.special = ""
        self.info: ComplaintInfo | None = None
        self.preview: QWidget | None = None  # the latest notice preview opened

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("complaints_tabs")
        outer.addWidget(self.tabs)
        cases = QWidget(self)
        cases.setObjectName("cases_tab")
        self.tabs.addTab(cases, self.tr("Cases"))
        # The monthly statistics (ui/complaints/stats.py), built when first shown: the chart library
        # takes half a second to load, which the clerk at the window should not wait for.
        self.stats_tab = QWidget(self)
        self.stats_tab.setObjectName("stats_tab")
        self.stats_view: QWidget | None = None
        QVBoxLayout(self.stats_tab).setContentsMargins(0, 6, 0, 0)
        self.tabs.addTab(self.stats_tab, self.tr("Statistics"))
        self.tabs.currentChanged.connect(self._tab_shown)

        layout = QVBoxLayout(cases)
        layout.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        self.lookup = QLineEdit(cases)
        self.lookup.setObjectName("lookup")
        self.lookup.setAccessibleName(self.tr("Number or lookup code"))
        self.lookup.setPlaceholderText(self.tr("Number or lookup code, Enter"))
        self.lookup.setClearButtonEnabled(True)
        self.lookup.setMinimumWidth(170)
        self.lookup.returnPressed.connect(self.open_lookup)
        top.addWidget(self.lookup)
        self.search = QLineEdit(cases)
        self.search.setObjectName("search")
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setPlaceholderText(self.tr("Search the facts, names, respondent (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self.search.returnPressed.connect(self._filter_edited)
        self.search.textChanged.connect(self._search_edited)
        top.addWidget(self.search, 1)
        self.received_from = DateField(cases, optional=True)
        self.received_from.setObjectName("received_from")
        self.received_from.setAccessibleName(self.tr("Received from"))
        self.received_from.setToolTip(self.tr("Received from"))
        self.received_from.set_value(None)
        self.received_to = DateField(cases, optional=True)
        self.received_to.setObjectName("received_to")
        self.received_to.setAccessibleName(self.tr("Received until"))
        self.received_to.setToolTip(self.tr("Received until"))
        self.received_to.set_value(None)

        self.mine = QCheckBox(self.tr("Mine"), cases)
        self.mine.setObjectName("mine")
        self.mine.setToolTip(self.tr("Cases I received, handle or supervise"))
        self.mine.toggled.connect(lambda _on: self._filter_edited())
        top.addWidget(self.mine)
        self.received_label = QLabel(self.tr("Received:"), cases)
        top.addWidget(self.received_label)
        top.addWidget(self.received_from)
        top.addWidget(QLabel("–", cases))
        top.addWidget(self.received_to)
        self.new_button = QPushButton(self.tr("New complaint…"), cases)
        self.new_button.setObjectName("new_complaint")
        self.new_button.clicked.connect(self.new_item)
        self.new_button.setVisible(actor.can(Permission.COMPLAINT_TAKE))
        top.addWidget(self.new_button)
        self.refresh_button = QPushButton(self.tr("Refresh"), cases)
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        # The export of the filtered list as it is shown (ui/complaints/stats.py).
        self.export_slot = QHBoxLayout()
        self.export_button = QPushButton(self.tr("E&xport…"), cases)
        self.export_button.setObjectName("export")
        self.export_button.setToolTip(self.tr("Save the cases the filters show to an Excel file"))
        self.export_button.clicked.connect(self.export_cases)
        self.export_slot.addWidget(self.export_button)
        top.addLayout(self.export_slot)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.state = self._combo(
            cases, "state_filter", self.tr("All states"), [(state_label(s), s) for s in State]
        )
        self.category = self._combo(
            cases, "category_filter", self.tr("All categories"), [(category_label(c), c) for c in Category]
        )
        self.channel = self._combo(
            cases, "channel_filter", self.tr("All channels"), [(channel_label(c), c) for c in Channel]
        )
        self.department = self._combo(
            cases,
            "department_filter",
            self.tr("All departments"),
            [(d.name, d.id) for d in services.organisation.departments(include_inactive=False)],
        )
        self.handler = self._combo(
            cases,
            "handler_filter",
            self.tr("All handlers"),
            [(s.name, s.id) for s in services.organisation.staff(include_inactive=False)],
        )
        for combo in (self.state, self.category, self.channel, self.department, self.handler):
            filters.addWidget(combo)
        self.overdue = QCheckBox(self.tr("Overdue"), cases)
        self.overdue.setObjectName("overdue_filter")
        self.due_soon = QCheckBox(self.tr("Due within a day"), cases)
        self.due_soon.setObjectName("due_soon_filter")
        for box in (self.overdue, self.due_soon):
            box.toggled.connect(lambda _on: self._filter_edited())
            filters.addWidget(box)
        for field in (self.received_from, self.received_to):
            field.dateChanged.connect(lambda _d: self._filter_edited())
        filters.addStretch(1)
        layout.addLayout(filters)
        self.count_label = QLabel(cases)
        self.count_label.setObjectName("case_count")
        self.count_label.setStyleSheet("color: #546e7a;")
        layout.addWidget(self.count_label)

        self.model = PagedTableModel[ComplaintRow](
            self.columns(), key=lambda r: r.id, tone=case_tone, parent=self
        )
        self.model.set_sort(self.order.key, self.order.descending)
        self.model.sort_requested.connect(self._sort)
        self.model.fetch_failed.connect(self._fetch_failed)
        self.splitter = QSplitter(Qt.Orientation.Vertical, cases)
        self.splitter.setObjectName("cases_splitter")
        self.view = make_paged_view(self.model, "complaints_table", self.tr("Complaints"), self.splitter)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._row_chosen(current.row())
        )
        self.splitter.addWidget(self.view)
        self.detail = CaseDetail(self.splitter)
        self.detail.open_case.connect(self.open_case)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 360])
        layout.addWidget(self.splitter, 1)
        self._add_action_buttons()
        self.detail.save_evidence.clicked.connect(self.save_evidence)

        operations.refresh_on_change(self, (topics.COMPLAINT, topics.DEPARTMENT, topics.STAFF), self.refresh)
        self.reload()

    # -- the list --------------------------------------------------------------------------------
    def columns(self) -> list[Column[ComplaintRow]]:
        def deadline(row: ComplaintRow) -> str:
            return table_date(row.deadline) + (self.tr(" (provisional)") if row.deadline_provisional else "")

        return [
            Column(
                self.tr("Number"),
                lambda r: r.number,
                width=Width("TS2026-000123", weight=0),
                order_by="number",
            ),
            Column(
                self.tr("Received"),
                lambda r: table_time(r.received_at),
                width=Width("2026-11-18 10:30", weight=0),
                order_by="received_at",
            ),
            Column(
                self.tr("Channel"),
                lambda r: channel_label(r.channel),
                width=Width("12345转办", weight=0, gives_way=3),
                order_by="channel",
            ),
            Column(
                self.tr("Category"),
                lambda r: category_label(r.category),
                width=Width("服务态度", weight=0, gives_way=4),
                order_by="category",
            ),
            Column(
                self.tr("Respondent"),
                lambda r: r.respondent_text,
                tooltip=lambda r: f"{r.respondent_text}\n{r.facts}".strip(),
                width=Width("3号窗口", "天河华建工程咨询", weight=2),
                order_by="respondent_text",
            ),
            Column(
                self.tr("Complainant"),
                lambda r: f"{r.complainant_name} {r.phone_masked}".strip(),
                width=Width("张三 138****5678", weight=1, gives_way=5),
                order_by="complainant_name",
            ),
            Column(
                self.tr("State"),
                lambda r: state_label(r.state),
                width=Width("调查处理", weight=0),
                order_by="state",
            ),
            Column(
                self.tr("Department"),
                lambda r: r.department_name,
                width=Width("评审科", weight=0, gives_way=2),
                order_by="department_name",
            ),
            Column(
                self.tr("Handler"),
                lambda r: r.handler_name,
                width=Width("欧阳明", weight=0),
                order_by="handler_name",
            ),
            Column(self.tr("Deadline"), deadline, width=Width("2026-11-25", weight=0), order_by="deadline"),
            Column(
                self.tr("Outcome"),
                lambda r: outcome_label(r.outcome) if r.outcome else "",
                width=Width("部分属实", weight=0, gives_way=1),
                order_by="outcome",
            ),
        ]

    def _combo(
        self, parent: QWidget, name: str, everything: str, items: list[tuple[str, object]]
    ) -> QComboBox:
        combo = QComboBox(parent)
        combo.setObjectName(name)
        combo.setAccessibleName(everything)
        # As wide as a short name, not as the longest staff name: the row must fit 1280 pixels.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(7)
        combo.addItem(everything, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self._filter_edited())
        return combo

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.stats_tab and self.stats_view is None:
            from desktop_app.ui.complaints.stats import ComplaintStatsView

            self.stats_view = ComplaintStatsView(self.services, self.actor, self.stats_tab)
            layout = self.stats_tab.layout()
            assert layout is not None
            layout.addWidget(self.stats_view)

    def export_cases(self) -> None:
        from desktop_app.ui.complaints.stats import export_list

        export_list(self.services, self.actor, self.current_filter(), self.order, self)

    def current_filter(self) -> ComplaintFilter:
        state, category, channel = (
            self.state.currentData(),
            self.category.currentData(),
            self.channel.currentData(),
        )
        return ComplaintFilter(
            states=frozenset({State(state)}) if state else frozenset(),
            categories=frozenset({Category(category)}) if category else frozenset(),
            channels=frozenset({Channel(channel)}) if channel else frozenset(),
            department_id=self.department.currentData(),
            handler_staff_id=self.handler.currentData(),
            overdue=self.overdue.isChecked(),
            due_within_day=self.due_soon.isChecked(),
            received_from=self.received_from.value(),
            received_to=self.received_to.value(),
            text=self.search.text(),
            mine=self.mine.isChecked(),
            extensions_waiting=self.special == "extensions",
            followups_due=self.special == "followups",
        )

    def reload(self) -> None:
        """The list read again under the filters shown (the selection follows its case)."""
        source = CaseSource(self.services, self.actor, self.current_filter(), self.order)
        outcome = operations.run(self, lambda: self.model.reset_source(source), show="message")
        if outcome.ok:
            total = self.model.rowCount()
            self.count_label.setText(self.tr("%n case(s)", "", total))

    def _search_edited(self, text: str) -> None:
        # Cleared (the clear button): the whole list again; typed text waits for Enter.
        if not text:
            self._filter_edited()

    def _filter_edited(self) -> None:
        self.special = ""  # the user's own filters replace the list the 待办 asked for
        self.reload()

    def _sort(self, order_by: str, descending: bool) -> None:
        self.order = ListOrder(order_by or "received_at", descending)
        self.model.set_sort(self.order.key, self.order.descending)
        self.reload()

    def _fetch_failed(self, error: object) -> None:
        raise error if isinstance(error, BaseException) else RuntimeError(str(error))

    def _row_chosen(self, row: int) -> None:
        item = self.model.row_at(row)
        if item is None:
            return
        if self.info is not None and self.info.id == item.id:
            return
        self.show_case_id(item.id)

    def show_case_id(self, complaint_id: int) -> None:
        outcome = operations.run(
            self, lambda: self.services.complaints.get(self.actor, complaint_id), show="message"
        )
        if outcome.ok:
            self.show_info(outcome.value)

    def show_info(self, info: ComplaintInfo | None) -> None:
        self.info = info
        self.detail.show_case(info)
        self.detail.set_offered(self.offered(info) if info is not None else set())

    # -- finding a case --------------------------------------------------------------------------
    def open_lookup(self) -> None:
        key = self.lookup.text().strip()
        if key:
            self.open_case(key)

    def open_case(self, key: str) -> ComplaintInfo | None:
        """Open the case a number or lookup code names, as typed; it is selected in the list when the
        list shows it."""
        outcome = operations.run(self, lambda: self.services.complaints.find(self.actor, key), show="message")
        if not outcome.ok or outcome.value is None:
            return None
        info = outcome.value
        self.show_info(info)
        row = self.model.row_of_key(info.id)
        if row >= 0:
            blocked = self.view.selectionModel().blockSignals(True)
            self.view.selectRow(row)
            self.view.selectionModel().blockSignals(blocked)
            self.view.scrollTo(self.model.index(row, 0))
        else:
            self.view.clearSelection()
        self.lookup.selectAll()
        return info

    # -- page commands ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def offers(self, command: pages.PageCommand) -> bool:
        if command is pages.PageCommand.NEW:
            return self.actor.can(Permission.COMPLAINT_TAKE)
        if command is pages.PageCommand.PRINT:
            return self.info is not None
        return True

    def new_item(self) -> None:
        if not self.actor.can(Permission.COMPLAINT_TAKE):
            return
        from desktop_app.ui.complaints.intake import open_intake  # the intake form, on first use

        open_intake(self.services, self.actor, self)

    def print_current(self) -> None:
        """The reply letter of a closed case, else the receipt (补打 once printed)."""
        if self.info is None:
            return
        if self.info.state in (State.CLOSED, State.VISITED):
            self.print_reply_letter()
        else:
            self.print_receipt()

    def refresh(self) -> None:
        self.reload()
        if self.info is not None:
            shown = self.info.id
            outcome = operations.run(
                self, lambda: self.services.complaints.get(self.actor, shown), show="message"
            )
            if outcome.ok:
                self.show_info(outcome.value)

    def show_target(self, target: str) -> None:
        """``overdue``, ``due_soon``, ``mine``, ``open``, ``registered``, ``extensions``,
        ``followups`` (a list; the 待办's ``filter:…`` names too), or a case's number."""
        self.tabs.setCurrentIndex(0)
        target = TODO_TARGETS.get(target, target)
        lists = (
            TARGET_OVERDUE,
            TARGET_DUE_SOON,
            TARGET_MINE,
            TARGET_OPEN,
            "registered",
            "extensions",
            "followups",
        )
        if target in lists:
            widgets = (
                self.state,
                self.category,
                self.channel,
                self.department,
                self.handler,
                self.overdue,
                self.due_soon,
                self.mine,
                self.search,
                self.received_from,
                self.received_to,
            )
            for widget in widgets:
                widget.blockSignals(True)
            try:
                for combo in (self.state, self.category, self.channel, self.department, self.handler):
                    combo.setCurrentIndex(0)
                self.search.clear()
                self.received_from.set_value(None)
                self.received_to.set_value(None)
                self.overdue.setChecked(target == TARGET_OVERDUE)
                self.due_soon.setChecked(target == TARGET_DUE_SOON)
                if target == "registered":
                    self.state.setCurrentIndex(max(0, self.state.findData(State.REGISTERED)))
                self.special = target if target in ("extensions", "followups") else ""
                # The status bar counts the cases one answers for (a leader: all of them); the list
                # shows the same ones.
                self.mine.setChecked(target != TARGET_OPEN and Role.LEADER not in self.actor.roles)
            finally:
                for widget in widgets:
                    widget.blockSignals(False)
            self.reload()
        elif target:
            self.open_case(target)

    # -- moves -----------------------------------------------------------------------------------
    def _add_action_buttons(self) -> None:
        d = self.detail
        d.add_button("accept", action_label(Action.ACCEPT)).clicked.connect(lambda: self._assignment(True))
        d.add_button("reject", action_label(Action.REJECT)).clicked.connect(
            lambda: self._dialog(handling.RejectDialog)
        )
        d.add_button("transfer", action_label(Action.TRANSFER)).clicked.connect(
            lambda: self._dialog(handling.TransferDialog)
        )
        d.add_button("investigate", action_label(Action.INVESTIGATE)).clicked.connect(
            lambda: self._note(True)
        )
        d.add_button("close", action_label(Action.CLOSE)).clicked.connect(
            lambda: self._dialog(handling.CloseDialog)
        )
        d.add_button("visit", action_label(Action.VISIT)).clicked.connect(
            lambda: self._dialog(handling.VisitDialog)
        )
        d.add_button("followup", self.tr("Follow up")).clicked.connect(
            lambda: self._dialog(handling.FollowupDialog)
        )
        d.add_button("assign", self.tr("Assign")).clicked.connect(lambda: self._assignment(False))
        d.add_button("note", self.tr("Note")).clicked.connect(lambda: self._note(False))
        d.add_button("extend", self.tr("More time")).clicked.connect(
            lambda: self._dialog(handling.ExtensionRequestDialog)
        )
        d.add_button("decide_extension", self.tr("Decide extension")).clicked.connect(self.decide_extension)
        d.add_button("credit", self.tr("Credit record")).clicked.connect(self.draft_credit_record)
        d.add_button("reveal", self.tr("Personal data")).clicked.connect(self.reveal)
        d.add_button("receipt", self.tr("Receipt")).clicked.connect(self.print_receipt)
        d.add_button("letter", self.tr("Result notice")).clicked.connect(self.print_reply_letter)
        d.finish_buttons()
        d.set_offered(set())  # no case chosen yet

    def offered(self, info: ComplaintInfo) -> set[str]:
        """The moves this account may make on this case now (the service checks again)."""
        actor = self.actor
        offered = {action.value for action in info.allowed_actions}
        directs = actor.can(Permission.COMPLAINT_HANDLE)
        works = directs or (actor.staff_id is not None and actor.staff_id == info.handler_staff_id)
        open_ = info.state in OPEN_STATES
        pending = self.pending_extension(info)
        if directs and open_:
            offered.add("assign")
        if works:
            offered.add("note")
        if works and open_ and pending is None:
            offered.add("extend")
        if directs and pending is not None and pending.requested_by != actor.username:
            offered.add("decide_extension")
        if works and info.followup_contact_deadline is not None and info.followup_done_at is None:
            offered.add("followup")
        if (
            works
            and actor.can(Permission.CREDIT_PROPOSE)
            and info.respondent_kind is RespondentKind.SUBJECT
            and info.outcome in FOUND_TRUE
            and info.credit_record_id is None
        ):
            offered.add("credit")
        if actor.can(Permission.UNMASK_PERSONAL_DATA) and (
            info.phone_masked or info.id_number_masked or info.address_masked
        ):
            offered.add("reveal")
        offered.add("receipt")
        if info.state in (State.CLOSED, State.VISITED):
            offered.add("letter")
        return offered

    @staticmethod
    def pending_extension(info: ComplaintInfo) -> ExtensionInfo | None:
        return next((x for x in info.extensions if x.state is ExtensionState.PENDING), None)

    def _after(self, saved: ComplaintInfo | None) -> ComplaintInfo | None:
        if saved is not None:
            self.show_info(saved)
        return saved

    def _dialog(
        self, kind: Callable[[Services, CurrentUser, ComplaintInfo, QWidget], handling.CaseDialog]
    ) -> ComplaintInfo | None:
        if self.info is None:
            return None
        return self._after(handling.run_case_dialog(kind(self.services, self.actor, self.info, self)))

    def _assignment(self, accept: bool) -> ComplaintInfo | None:
        if self.info is None:
            return None
        dialog = handling.AssignmentDialog(self.services, self.actor, self.info, accept, self)
        return self._after(handling.run_case_dialog(dialog))

    def _note(self, investigate: bool) -> ComplaintInfo | None:
        if self.info is None:
            return None
        dialog = handling.NoteDialog(self.services, self.actor, self.info, investigate, self)
        return self._after(handling.run_case_dialog(dialog))

    def decide_extension(self) -> ComplaintInfo | None:
        if self.info is None:
            return None
        pending = self.pending_extension(self.info)
        if pending is None:
            return None
        dialog = handling.ExtensionDecisionDialog(self.services, self.actor, self.info, pending.id, self)
        return self._after(handling.run_case_dialog(dialog))

    def draft_credit_record(self) -> ComplaintInfo | None:
        if self.info is None:
            return None
        info = self.info
        made = operations.run(
            self, lambda: handling.credit_record_dialog(self.services, self.actor, info, self), show="message"
        )
        if not made.ok or made.value is None:
            return None
        return self._after(handling.run_case_dialog(made.value))

    def reveal(self) -> str | None:
        if self.info is None:
            return None
        from desktop_app.ui.complaints.reveal import reveal_personal_data

        return reveal_personal_data(self, self.services, self.actor, self.info)

    # -- papers and files ------------------------------------------------------------------------
    def print_receipt(self) -> None:
        if self.info is None:
            return
        number = self.info.number
        self._preview(lambda: self.services.complaints.receipt(self.actor, number))

    def print_reply_letter(self) -> None:
        if self.info is None:
            return
        number = self.info.number
        self._preview(lambda: self.services.complaints.reply_letter(self.actor, number))

    def _preview(self, call: Callable[[], tuple[str, bytes, bool]]) -> None:
        outcome = operations.run(self, call, show="message", changed=(topics.NOTICE, topics.COMPLAINT))
        if not outcome.ok or outcome.value is None:
            return
        notice_number, pdf, reprint = outcome.value
        archived = self.services.notices.archived(notice_number)
        from desktop_app.ui.notices.preview import NoticePreviewDialog

        dialog = NoticePreviewDialog(
            self.services, self.actor, replace(archived, pdf=pdf, reprint=reprint), self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its pages are images: free them
        self.preview = dialog
        dialog.open()

    def save_evidence(self) -> str:
        """Save a copy of the chosen evidence file where the user says, then offer to open it."""
        index = self.detail.evidence_view.currentIndex()
        if not index.isValid():
            return ""
        evidence = self.detail.evidence.record(index.row())
        outcome = operations.run(
            self, lambda: self.services.complaints.evidence_content(self.actor, evidence.id), show="message"
        )
        if not outcome.ok or outcome.value is None:
            return ""
        filename, content = outcome.value
        title = self.tr("Save a copy of the evidence")
        target, _filter = QFileDialog.getSaveFileName(self, title, filename)
        if not target:
            return ""
        try:
            Path(target).write_bytes(content)
        except OSError as error:
            QMessageBox.warning(
                self,
                title,
                self.tr("The copy could not be saved: %1").replace("%1", error.strerror or str(error)),
            )
            return ""
        answer = QMessageBox.question(self, title, self.tr("Saved to %1. Open it now?").replace("%1", target))
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(target))
        return target
