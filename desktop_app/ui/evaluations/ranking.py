"""年度排名: the experts of a year by points (then serious marks, then name), as the service ranks
them; printed as a table report, and the year's evaluations exported to an .xlsx workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from desktop_app.domain.evaluations import PoolState
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import RankingRow
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.evaluations.experts import pool_tone
from desktop_app.ui.evaluations.labels import pool_label
from desktop_app.ui.evaluations.lists import KeyedListTab, TonedTableModel, preview_document, year_box
from desktop_app.ui.widgets.tables import Column, Width

LAST_EXPORT_DIR = "evaluations/last_export_dir"


class RankingModel(TonedTableModel[RankingRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Rank"),
                    lambda r: str(r.rank),
                    lambda r: r.rank,
                    align_right=True,
                    width=Width("999", weight=0),
                ),
                Column(self.tr("Name"), lambda r: r.name, width=Width("欧阳建国", weight=1)),
                Column(self.tr("Expert no."), lambda r: r.expert_no, width=Width(whole=True, weight=0)),
                Column(
                    self.tr("Specialty"),
                    lambda r: r.specialty,
                    width=Width("建筑工程", "房屋建筑工程造价", weight=2),
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
                    self.tr("Marks"),
                    lambda r: str(r.marks),
                    lambda r: r.marks,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Serious"),
                    lambda r: str(r.serious_marks) if r.serious_marks else "",
                    lambda r: r.serious_marks,
                    align_right=True,
                    width=Width("9", weight=0),
                ),
                Column(
                    self.tr("Pool status"),
                    lambda r: pool_label(r.pool),
                    lambda r: (list(PoolState).index(r.pool.state), r.pool.until or r.pool.state),
                    width=Width(whole=True, weight=0),
                ),
            ],
            lambda r: pool_tone(r.pool.state),
            parent,
        )


class RankingTab(KeyedListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(RankingModel(), "ranking_search", "ranking_table", self.tr("Yearly ranking"), parent)
        self.services = services
        self.actor = actor
        self.search.setPlaceholderText(self.tr("Name, expert no. (Ctrl+F)"))
        self.year = year_box(self, "ranking_year", self.tr("Year"))
        self.year.setPrefix(self.tr("Year "))
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.toolbar_extra.addWidget(self.year)
        self.print_button = self.add_button(
            self.tr("&Print…"),
            "print_ranking",
            self.print_report,
            self.tr("The ranking as a table report (Ctrl+P)"),
        )
        self.export_button = self.add_button(
            self.tr("E&xport…"),
            "export_year",
            self.export,
            self.tr("The year's evaluations, one row per mark, to an Excel file"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("ranking_count")
        self.toolbar.addWidget(self.count_label)
        self.set_empty_text(self.tr("No expert was marked in this year."))
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.watcher = operations.refresh_on_change(
            self, (topics.EVALUATION, topics.EVALUATION_PROPOSAL), self.refresh
        )

    def key(self, record: Any) -> Any:
        return record.subject_id

    def load_records(self) -> list[Any]:
        year = self.year.value()
        found = operations.run(self, lambda: self.services.evaluations.ranking(year), show="message")
        rows = list(found.value or [])
        self.count_label.setText(self.tr("%n expert(s)", "", len(rows)))
        return rows

    def print_report(self) -> None:
        year = self.year.value()
        preview_document(
            self,
            self.services,
            self.actor,
            lambda: self.services.evaluations.ranking_report(self.actor, year),
        )

    def choose_path(self) -> Path | None:
        settings = QSettings()
        folder = str(settings.value(LAST_EXPORT_DIR, "") or str(Path.home()))
        year = self.year.value()
        suggested = Path(folder) / self.tr("expert-evaluations-%1.xlsx").replace("%1", str(year))
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the year's evaluations"), str(suggested), self.tr("Excel workbook (*.xlsx)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        settings.setValue(LAST_EXPORT_DIR, str(path.parent))
        return path

    def export(self) -> Path | None:
        target = self.choose_path()
        if target is None:
            return None
        year = self.year.value()
        done = operations.run(
            self, lambda: self.services.evaluations.export_year(self.actor, year, target), show="message"
        )
        if not done.ok or done.value is None:
            return None
        QMessageBox.information(
            self,
            self.tr("Export the year's evaluations"),
            self.tr("The evaluations of %1 were saved to %2.")
            .replace("%1", str(year))
            .replace("%2", str(done.value)),
        )
        return Path(done.value)
