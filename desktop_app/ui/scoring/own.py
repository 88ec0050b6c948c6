"""A staff member's own results (SCORING_READ_OWN): their locked sheets, month by month, and the lines
of the one selected; nobody else's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop_app.domain.scoring import Dimension, ItemKind
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring.types import EntryInfo, SheetInfo
from desktop_app.ui import operations, topics
from desktop_app.ui.evaluations.lists import KeyedListTab, TonedTableModel, preview_document
from desktop_app.ui.scoring.leader import (
    contest_label,
    dimension_label,
    points_text,
    source_label,
    state_label,
)
from desktop_app.ui.widgets.paged_table import Tone
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width, make_table_view, share_width


class OwnTableModel(TonedTableModel[SheetInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns: list[Column[SheetInfo]] = [
            Column(self.tr("Month"), lambda s: s.month, width=Width(whole=True, weight=0)),
            Column(
                self.tr("Revision"),
                lambda s: str(s.revision),
                lambda s: s.revision,
                align_right=True,
                width=Width("9", weight=0),
            ),
            Column(self.tr("Post"), lambda s: s.post, width=Width("窗口受理", weight=1)),
        ]
        for dimension in Dimension:
            columns.append(
                Column(
                    dimension_label(dimension),
                    lambda s, d=dimension: points_text(s.by_dimension.get(d, 0.0)),
                    lambda s, d=dimension: s.by_dimension.get(d, 0.0),
                    align_right=True,
                    width=Width("50.0", weight=0),
                )
            )
        columns += [
            Column(
                self.tr("Total"),
                lambda s: points_text(s.total),
                lambda s: s.total,
                align_right=True,
                width=Width("100.0", weight=0),
            ),
            Column(self.tr("Grade"), lambda s: s.grade, width=Width("基本合格", weight=0)),
            Column(
                self.tr("Veto"),
                lambda s: self.tr("veto") if s.veto else "",
                width=Width(whole=True, weight=0),
            ),
            Column(self.tr("State"), lambda s: state_label(s.state), width=Width(whole=True, weight=1)),
        ]
        super().__init__(columns, lambda s: Tone.ALARM if s.veto else None, parent)


class OwnEntryTableModel(RecordTableModel[EntryInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Code"), lambda e: e.item_code, width=Width(whole=True, weight=0)),
                Column(
                    self.tr("Dimension"),
                    lambda e: dimension_label(e.dimension),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Text"),
                    lambda e: e.text,
                    width=Width("工作纪律", "遵守工作纪律，按时到岗", weight=3),
                ),
                Column(
                    self.tr("Points"),
                    lambda e: ("−" if e.kind == ItemKind.DEDUCTION else "") + points_text(e.points),
                    lambda e: e.points,
                    align_right=True,
                    width=Width("−10.5", weight=0),
                ),
                Column(
                    self.tr("Source"),
                    lambda e: " ".join(p for p in (source_label(e.auto_source), e.source_ref) if p),
                    width=Width("投诉属实 TS-2026-0001", weight=1),
                ),
                Column(
                    self.tr("Contest"),
                    lambda e: contest_label(e.contest_state),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Evidence, remark"),
                    lambda e: "；".join(p for p in (e.evidence, e.remark) if p),
                    width=Width("迟到两次", weight=2),
                ),
            ],
            muted=lambda e: not e.counts,
            parent=parent,
        )


class OwnTab(KeyedListTab):
    """My results: the actor's own locked sheets (the service gives nothing else)."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(OwnTableModel(), "own_search", "own_table", self.tr("My results"), parent)
        self.services = services
        self.actor = actor
        self.search.setPlaceholderText(self.tr("Month, grade (Ctrl+F)"))
        self.search.setMinimumWidth(150)
        self.print_button = self.add_button(
            self.tr("&Print notice…"),
            "print_result",
            self.print_current,
            self.tr("The month's result notice"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.set_empty_text(self.tr("No locked month of yours yet."))
        self.entries_model = OwnEntryTableModel(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeWidget(self.view)
        self.view.setParent(splitter)
        splitter.addWidget(self.view)
        lower = QWidget(splitter)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.detail = QLabel(lower)
        self.detail.setObjectName("own_detail")
        lower_layout.addWidget(self.detail)
        self.entries = make_table_view("own_entries", self.tr("Lines of the sheet"), lower)
        self.entries.setModel(self.entries_model)
        self.entries_sharing = share_width(self.entries, self.entries_model)
        lower_layout.addWidget(self.entries, 1)
        layout.addWidget(splitter, 1)
        self.watcher = operations.refresh_on_change(self, (topics.SCORING,), self.refresh)

    def key(self, record: Any) -> Any:
        return (record.month, record.revision)

    def load_records(self) -> list[Any]:
        found = operations.run(self, lambda: self.services.scoring.my_sheets(self.actor), show="message")
        return list(found.value or [])

    def refresh(self) -> None:
        super().refresh()
        if self.current() is None and self.proxy.rowCount() > 0:
            self.view.selectRow(0)  # the latest month's lines at once

    def update_actions(self) -> None:
        chosen = self.current()
        self.print_button.setEnabled(isinstance(chosen, SheetInfo))
        if isinstance(chosen, SheetInfo):
            self.entries_model.set_records(list(chosen.entries))
            self.detail.setText(
                self.tr("%1, revision %2: %3 points, %4. %5")
                .replace("%1", chosen.month)
                .replace("%2", str(chosen.revision))
                .replace("%3", points_text(chosen.total))
                .replace("%4", chosen.grade)
                .replace("%5", chosen.remark)
                .strip()
            )
        else:
            self.entries_model.set_records([])
            self.detail.clear()

    def print_current(self) -> None:
        chosen = self.current()
        if not isinstance(chosen, SheetInfo):
            return
        sheet = chosen
        preview_document(
            self,
            self.services,
            self.actor,
            lambda: self.services.scoring.result_notice(self.actor, sheet.staff_id, sheet.month),
        )
