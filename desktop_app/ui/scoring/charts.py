"""The charts of 月度考核 (ui/widgets/charts.py, as the complaints' statistics): a staff member's
totals over the last 12 months beside their department's average, and the grade distribution of
each department in the month picked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.widgets.charts import BarChartWidget, LineChartWidget

GRADE_ORDER = ("优秀", "良好", "合格", "基本合格", "不合格")


class ChartsTab(QWidget):
    def __init__(
        self, services: Services, actor: CurrentUser, month: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scoring_charts")
        self.services = services
        self.actor = actor
        self.month = month
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        label = QLabel(self.tr("&Staff member:"), self)
        self.staff = QComboBox(self)
        self.staff.setObjectName("chart_staff")
        self.staff.setAccessibleName(self.tr("Staff member"))
        self.staff.setMinimumWidth(180)
        label.setBuddy(self.staff)
        bar.addWidget(label)
        bar.addWidget(self.staff)
        bar.addStretch(1)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.history = LineChartWidget(splitter, title=self.tr("Last 12 months"))
        self.history.setObjectName("history_chart")
        self.distribution = BarChartWidget(splitter, title=self.tr("Grades by department"), stacked=True)
        self.distribution.setObjectName("distribution_chart")
        layout.addWidget(splitter, 1)
        self._fill_staff()
        self.staff.currentIndexChanged.connect(lambda _i: self.show_history())
        self.watcher = operations.refresh_on_change(self, (topics.SCORING,), self.refresh)

    def _fill_staff(self) -> None:
        department = None if self.actor.can(Permission.SCORING_LOCK) else self.actor.department_id
        for staff in self.services.organisation.staff(include_inactive=False):
            if department is None or staff.department_id == department:
                self.staff.addItem(staff.name, staff.id)

    def refresh(self) -> None:
        self.show_history()
        self.show_distribution()

    def show_history(self) -> None:
        staff_id = self.staff.currentData()
        if staff_id is None:
            self.history.set_data([], [])
            return
        month = self.month()
        found = operations.run(
            self,
            lambda: self.services.scoring.history(self.actor, staff_id, months=12, until=month),
            show="message",
        )
        points = list(found.value or [])
        self.history.set_title(
            self.tr("%1: the 12 months up to %2").replace("%1", self.staff.currentText()).replace("%2", month)
        )
        self.history.set_data(
            [str(int(p.month[5:])) for p in points],  # the month's number: the title says the year
            [
                (self.staff.currentText(), [p.total for p in points]),
                (self.tr("Department average"), [p.department_average for p in points]),
            ],
        )

    def show_distribution(self) -> None:
        month = self.month()
        found = operations.run(
            self, lambda: self.services.scoring.grade_distribution(self.actor, month), show="message"
        )
        counts = dict(found.value or {})
        departments = sorted(counts)
        grades = [g for g in GRADE_ORDER if any(counts[d].get(g) for d in departments)]
        grades += sorted({g for d in departments for g in counts[d]} - set(grades))
        self.distribution.set_title(self.tr("Grades by department, %1").replace("%1", month))
        self.distribution.set_data(
            departments, [(grade, [float(counts[d].get(grade, 0)) for d in departments]) for grade in grades]
        )
