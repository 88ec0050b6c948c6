"""评标专家: the roster with each expert's pool status (在库 / 暂停至 date / 清退), points and sessions
of the year, and below it the chosen expert's history: sessions and points by year, and each mark."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop_app.domain.evaluations import PoolState
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import ExpertHistory, ExpertRow, MarkInfo, YearLine
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.dates import table_date
from desktop_app.ui.evaluations.labels import pool_label
from desktop_app.ui.evaluations.lists import KeyedListTab, TonedTableModel, year_box
from desktop_app.ui.widgets.paged_table import Tone
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width, make_table_view, share_width


def pool_tone(pool_state: PoolState) -> Tone | None:
    if pool_state == PoolState.SUSPENDED:
        return Tone.ALARM
    if pool_state == PoolState.REMOVED:
        return Tone.MUTED
    return None


class RosterModel(TonedTableModel[ExpertRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Name"), lambda r: r.name, width=Width("欧阳建国", weight=1)),
                Column(self.tr("Expert no."), lambda r: r.expert_no, width=Width(whole=True, weight=0)),
                Column(
                    self.tr("Specialty"),
                    lambda r: r.specialty,
                    width=Width("建筑工程", "房屋建筑工程造价", weight=2),
                ),
                Column(
                    self.tr("ID number"),
                    lambda r: r.id_number_masked,
                    width=Width(whole=True, weight=0, gives_way=1),
                ),
                Column(
                    self.tr("Pool status"),
                    lambda r: pool_label(r.pool),
                    lambda r: (list(PoolState).index(r.pool.state), r.pool.until or r.pool.state),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Points"),
                    lambda r: str(r.points),
                    lambda r: r.points,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Sessions"),
                    lambda r: str(r.sessions),
                    lambda r: r.sessions,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Proposals waiting"),
                    lambda r: str(r.pending_proposals) if r.pending_proposals else "",
                    lambda r: r.pending_proposals,
                    align_right=True,
                    width=Width("9", weight=0, gives_way=2),
                ),
            ],
            lambda r: pool_tone(r.pool.state),
            parent,
        )


class YearModel(RecordTableModel[YearLine]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Year"),
                    lambda y: str(y.year),
                    lambda y: y.year,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Sessions"),
                    lambda y: str(y.sessions),
                    lambda y: y.sessions,
                    align_right=True,
                    width=Width("999", weight=1),
                ),
                Column(
                    self.tr("Marks"),
                    lambda y: str(y.marks),
                    lambda y: y.marks,
                    align_right=True,
                    width=Width("99", weight=1),
                ),
                Column(
                    self.tr("Points"),
                    lambda y: str(y.points),
                    lambda y: y.points,
                    align_right=True,
                    width=Width("99", weight=1),
                ),
            ],
            parent=parent,
        )


class MarkModel(RecordTableModel[MarkInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Date"),
                    lambda m: table_date(m.evaluation_date),
                    lambda m: m.evaluation_date.toordinal(),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Session"),
                    lambda m: m.session_number,
                    width=Width(whole=True, weight=0, gives_way=2),
                ),
                Column(
                    self.tr("Project"),
                    lambda m: m.project_name,
                    width=Width("天河区第一中学", weight=2, gives_way=1),
                ),
                Column(
                    self.tr("Item"),
                    lambda m: f"{m.item_code} {m.item_text}",
                    width=Width("E01 迟到", "E05 未按规定关闭通讯工具", weight=3),
                ),
                Column(
                    self.tr("Points"),
                    lambda m: str(m.points),
                    lambda m: m.points,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(self.tr("Remark"), lambda m: m.remark, width=Width(weight=2, gives_way=3)),
            ],
            parent=parent,
        )


class ExpertsTab(KeyedListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(RosterModel(), "expert_search", "expert_table", self.tr("Experts"), parent)
        self.services = services
        self.actor = actor
        self.search.setPlaceholderText(self.tr("Name, expert no., specialty (Ctrl+F)"))
        self.year = year_box(self, "expert_year", self.tr("Year of the points and sessions"))
        self.year.setPrefix(self.tr("Year "))
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.toolbar_extra.addWidget(self.year)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("expert_count")
        self.toolbar.addWidget(self.count_label)

        # The chosen expert's history, under the roster.
        self.history_box = QWidget(self)
        self.history_box.setObjectName("expert_history")
        box = QVBoxLayout(self.history_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.history_title = QLabel(self.history_box)
        self.history_title.setObjectName("history_title")
        self.history_title.setStyleSheet("font-weight: bold;")
        box.addWidget(self.history_title)
        tables = QHBoxLayout()
        self.years = YearModel(self.history_box)
        self.years_view = make_table_view("history_years", self.tr("Points by year"), self.history_box)
        self.years_view.setModel(self.years)
        share_width(self.years_view, self.years)
        self.years_view.setMinimumWidth(250)
        self.years_view.setMaximumWidth(320)
        tables.addWidget(self.years_view)
        self.marks = MarkModel(self.history_box)
        self.marks_view = make_table_view("history_marks", self.tr("Marks"), self.history_box)
        self.marks_view.setModel(self.marks)
        share_width(self.marks_view, self.marks)
        tables.addWidget(self.marks_view, 1)
        box.addLayout(tables, 1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeWidget(self.view)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("expert_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.history_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.history: ExpertHistory | None = None
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.show_history())
        self.set_empty_text(
            self.tr("No expert in the roster yet: experts are credit subjects of the kind 评标专家.")
        )
        self.watcher = operations.refresh_on_change(
            self, (topics.EVALUATION, topics.EVALUATION_PROPOSAL, *topics.CREDIT_FILES), self.refresh
        )
        self.show_history()

    def key(self, record: Any) -> Any:
        return record.subject_id

    def load_records(self) -> list[Any]:
        year = self.year.value()
        found = operations.run(
            self, lambda: self.services.evaluations.roster(self.actor, year), show="message"
        )
        rows = list(found.value or [])
        self.count_label.setText(self.tr("%n expert(s)", "", len(rows)))
        return rows

    def refresh(self) -> None:
        super().refresh()
        self.show_history()

    def select_expert(self, subject_id: int) -> bool:
        return self.select(lambda r: r.subject_id == subject_id)

    def show_history(self) -> None:
        chosen = self.current()
        if not isinstance(chosen, ExpertRow):
            self.history = None
            self.history_title.setText(self.tr("Choose an expert to see their evaluations by year."))
            self.years.set_records([])
            self.marks.set_records([])
            return
        subject_id = chosen.subject_id
        found = operations.run(
            self, lambda: self.services.evaluations.expert_history(subject_id), show="message"
        )
        history = found.value
        self.history = history
        if history is None:
            return
        self.history_title.setText(
            self.tr("%1 (%2): %3")
            .replace("%1", history.name)
            .replace("%2", history.expert_no)
            .replace("%3", pool_label(chosen.pool))
        )
        self.years.set_records(list(history.years))
        self.marks.set_records(list(history.marks))
