"""The monthly statistics of complaints on screen, and the export of a list to .xlsx.

``ComplaintStatsView``: a month picker, the month's figures as a small table, two charts (received by
category and by channel, pyqtgraph through ``ui/widgets/charts.py``) and a button that issues the
投诉月度统计表 (the same figures and charts on paper) and opens its preview. It refreshes itself when a
case changes.

``export_list(services, actor, where, order, parent)``: what the list page's 导出 does — a save dialog,
then for someone who may unmask the choice of personal data in clear with a reason, then the export
(``services.complaints.export_xlsx``) and a line that says how many cases went to which file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.complaints import Category, Channel
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.services.complaints import ComplaintFilter, ListOrder, MonthlyStats
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.common import show_field_error
from desktop_app.ui.complaints.labels import (
    category_label,
    channel_label,
    outcome_label,
    satisfaction_label,
)
from desktop_app.ui.dates import table_date, text_month
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.charts import BarChartWidget
from desktop_app.ui.widgets.forms import FormDialog

MONTHS_OFFERED = 36
LAST_EXPORT_DIR = "complaints/last_export_dir"


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def recent_months(today: date, count: int = MONTHS_OFFERED) -> list[tuple[int, int]]:
    """(year, month) of this month and the ``count - 1`` before it, newest first."""
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found


def rate_text(rate: float | None) -> str:
    return f"{100 * rate:.1f}%" if rate is not None else "—"


def share_text(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


class ComplaintStatsView(QWidget):
    """The statistics of one month (this month at first)."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaint_stats")
        self.services = services
        self.actor = actor
        self.stats: MonthlyStats | None = None

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        month_label = QLabel(self.tr("&Month:"), self)
        self.month = QComboBox(self)
        self.month.setObjectName("month")
        self.month.setAccessibleName(self.tr("Month"))
        for year, month in recent_months(clock.today()):
            self.month.addItem(text_month(year, month), month_key(year, month))
        month_label.setBuddy(self.month)
        bar.addWidget(month_label)
        bar.addWidget(self.month)
        bar.addStretch(1)
        self.print_button = QPushButton(self.tr("&Print table report…"), self)
        self.print_button.setObjectName("print_report")
        bar.addWidget(self.print_button)
        layout.addLayout(bar)

        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet("font-size: 11pt; color: #1f3b5a;")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableWidget(0, 4, splitter)
        self.table.setObjectName("figures")
        self.table.setAccessibleName(self.tr("Figures of the month"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Figure"), self.tr("Item"), self.tr("Cases"), self.tr("Share / rate")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        charts = QWidget(splitter)
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        suffix = self.tr(" cases", "value suffix on the charts' scale")
        self.category_chart = BarChartWidget(
            charts, title=self.tr("Received by category"), value_suffix=suffix
        )
        self.category_chart.setObjectName("category_chart")
        self.channel_chart = BarChartWidget(charts, title=self.tr("Received by channel"), value_suffix=suffix)
        self.channel_chart.setObjectName("channel_chart")
        charts_layout.addWidget(self.category_chart)
        charts_layout.addWidget(self.channel_chart)
        splitter.addWidget(self.table)
        splitter.addWidget(charts)
        # The table whole (its four columns without scrolling), the charts the rest.
        self.table.setMinimumWidth(430)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 660])
        layout.addWidget(splitter, 1)

        self.month.currentIndexChanged.connect(self.refresh)
        self.print_button.clicked.connect(self.print_report)
        operations.refresh_on_change(self, {topics.COMPLAINT}, self.refresh)
        self.refresh()

    # -- the figures ------------------------------------------------------------------------------
    def selected_month(self) -> str:
        return str(self.month.currentData())

    def set_month(self, key: str) -> None:
        index = self.month.findData(key)
        if index >= 0:
            self.month.setCurrentIndex(index)

    def refresh(self) -> None:
        month = self.selected_month()
        outcome = operations.run(
            self, lambda: self.services.complaints.monthly_stats(self.actor, month), show="message"
        )
        if outcome.ok and outcome.value is not None:
            self.show_stats(outcome.value)

    def rows(self, stats: MonthlyStats) -> list[tuple[str, str, str, str]]:
        received, closed, visited = stats.received, stats.closed, stats.visited
        late = closed - stats.closed_on_time
        total = self.tr("Total")
        rows = [(self.tr("Received"), total, str(received), "")]
        rows += [
            (self.tr("By category"), category_label(c), str(n), share_text(n, received))
            for c, n in stats.by_category
        ]
        rows += [
            (self.tr("By channel"), channel_label(c), str(n), share_text(n, received))
            for c, n in stats.by_channel
        ]
        rows += [
            (self.tr("Closed"), total, str(closed), ""),
            (self.tr("Closed"), self.tr("On time"), str(stats.closed_on_time), rate_text(stats.on_time_rate)),
            (self.tr("Closed"), self.tr("Late"), str(late), share_text(late, closed)),
        ]
        rows += [
            (self.tr("Finding"), outcome_label(o), str(n), share_text(n, closed)) for o, n in stats.by_outcome
        ]
        rows.append(
            (self.tr("Open and overdue"), self.tr("Received this month"), str(stats.open_overdue),
             share_text(stats.open_overdue, received))
        )  # fmt: skip
        rows.append((self.tr("Follow-up visits"), total, str(visited), ""))
        rows += [
            (self.tr("Rating"), satisfaction_label(s), str(n), share_text(n, visited))
            for s, n in stats.by_satisfaction
        ]
        rows.append(
            (self.tr("Follow-up visits"), self.tr("Satisfied (incl. fairly)"), str(stats.satisfied),
             rate_text(stats.satisfaction_rate))
        )  # fmt: skip
        return rows

    def show_stats(self, stats: MonthlyStats) -> None:
        self.stats = stats
        self.summary.setText(
            self.tr("Received %1 · closed %2 · on-time rate %3 · satisfaction %4 · open and overdue %5")
            .replace("%1", str(stats.received))
            .replace("%2", str(stats.closed))
            .replace("%3", rate_text(stats.on_time_rate))
            .replace("%4", rate_text(stats.satisfaction_rate))
            .replace("%5", str(stats.open_overdue))
        )
        rows = self.rows(stats)
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.category_chart.set_data(
            [category_label(Category(c)) for c, _ in stats.by_category],
            [(self.tr("Received"), [float(n) for _, n in stats.by_category])],
        )
        self.channel_chart.set_data(
            [channel_label(Channel(c)) for c, _ in stats.by_channel],
            [(self.tr("Received"), [float(n) for _, n in stats.by_channel])],
        )

    # -- paper ------------------------------------------------------------------------------------
    def print_report(self) -> None:
        month = self.selected_month()
        outcome = operations.run(
            self, lambda: self.services.complaints.stats_report(self.actor, month), show="message"
        )
        if not outcome.ok or outcome.value is None:
            return
        from desktop_app.ui.notices.preview import NoticePreviewDialog

        dialog = NoticePreviewDialog(self.services, self.actor, outcome.value, self)
        modal.run_and_delete(dialog)


# -- export -----------------------------------------------------------------------------------------
class ExportDialog(FormDialog):
    """For someone who may unmask: personal data masked (the default) or in clear with a reason."""

    def __init__(self, target: Path, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("ComplaintExport", "Export the list"), parent)
        intro = QLabel(
            QCoreApplication.translate(
                "ComplaintExport",
                "The list goes to %1. ID numbers, phones and addresses are masked unless you export them "
                "in clear; that is recorded in the audit log with your reason.",
            ).replace("%1", target.name),
            self,
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.clear = QCheckBox(
            QCoreApplication.translate("ComplaintExport", "Export personal data in &clear"), self
        )
        self.clear.setObjectName("reveal")
        self.form.addRow("", self.clear)
        self.reason = self.add_field(
            QCoreApplication.translate("ComplaintExport", "Reason:"),
            QLineEdit(self),
            "reason",
            QCoreApplication.translate("ComplaintExport", "Reason"),
        )
        self.reason.setMaxLength(200)
        self.reason.setEnabled(False)
        self.clear.toggled.connect(self._toggled)
        self.save_button.setText(QCoreApplication.translate("ComplaintExport", "Export"))
        self.setMinimumWidth(480)

    def _toggled(self, on: bool) -> None:
        self.reason.setEnabled(on)
        self.set_required(self.reason, on)
        if on:
            self.reason.setFocus()

    def reveal_reason(self) -> str | None:
        return self.reason.text() if self.clear.isChecked() else None

    def submit(self) -> None:
        reason = self.reveal_reason()
        if reason is not None and len(reason.strip()) < 2:
            message = QCoreApplication.translate(
                "ComplaintExport", "Give the reason for exporting personal data in clear."
            )
            show_field_error(self, ValidationError(message, field="reason"))
            return
        self.result_value = reason
        self.accept()

    def reload(self) -> None:
        pass


def choose_path(parent: QWidget | None) -> Path | None:
    """Where the .xlsx goes (the save dialog, in the folder used last)."""
    settings = QSettings()
    folder = str(settings.value(LAST_EXPORT_DIR, "") or str(Path.home()))
    suggested = Path(folder) / QCoreApplication.translate("ComplaintExport", "complaints-%1.xlsx").replace(
        "%1", table_date(clock.today())
    )
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ComplaintExport", "Export the list"),
        str(suggested),
        QCoreApplication.translate("ComplaintExport", "Excel workbook (*.xlsx)"),
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    settings.setValue(LAST_EXPORT_DIR, str(path.parent))
    return path


def ask_reveal(parent: QWidget | None, target: Path) -> tuple[bool, str | None]:
    """(go on, reason or None for masked): the choice for someone who may unmask."""
    dialog = ExportDialog(target, parent)
    try:
        if not modal.run_dialog(dialog):
            return False, None
        return True, dialog.reveal_reason()
    finally:
        dialog.deleteLater()


def export_list(
    services: Services,
    actor: CurrentUser,
    where: ComplaintFilter,
    order: ListOrder,
    parent: QWidget | None = None,
) -> int | None:
    """The list page's 导出: the cases ``where`` selects in ``order`` to an .xlsx the user names;
    the number exported, or None when cancelled or refused (the refusal is shown)."""
    target = choose_path(parent)
    if target is None:
        return None
    reason: str | None = None
    if actor.can(Permission.UNMASK_PERSONAL_DATA):
        go_on, reason = ask_reveal(parent, target)
        if not go_on:
            return None
    outcome = operations.run(
        parent,
        lambda: services.complaints.export_xlsx(actor, where, order, target, reveal_reason=reason),
        show="message",
    )
    if not outcome.ok or outcome.value is None:
        return None
    QMessageBox.information(
        parent,
        QCoreApplication.translate("ComplaintExport", "Export the list"),
        QCoreApplication.translate("ComplaintExport", "%1 cases exported to %2.")
        .replace("%1", str(outcome.value))
        .replace("%2", str(target)),
    )
    return int(outcome.value)


# The name the list page's brief uses.
export_current_list = export_list
