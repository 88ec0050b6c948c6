"""月度考核: the month picked above the tabs; a supervisor's own department (its sheets open in the
department's window, ``ui/scoring/department.py``), a leader's overview of every department with
lock/return/reopen, the calibration view, late arrivals and contests; the quarter, the year and the
charts; and everyone's own results.

The home page's 待办 opens the lists by name (``show_target``): ``months:submitted``, ``months:late``,
``contests:pending``, ``month:mine`` (each may end in ``:YYYY-MM``, the month to show).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop_app import clock
from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import MONTH_PATTERN, SheetState, month_of, previous_months
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, pages
from desktop_app.ui.dates import text_month
from desktop_app.ui.scoring.calibration import AnnualTab, CalibrationTab, QuarterTab
from desktop_app.ui.scoring.charts import ChartsTab
from desktop_app.ui.scoring.leader import ContestsTab, LateTab, MonthsTab
from desktop_app.ui.scoring.own import OwnTab
from desktop_app.ui.widgets.listtab import ListTab

TARGET_SUBMITTED = "months:submitted"
TARGET_LATE = "months:late"
TARGET_CONTESTS = "contests:pending"
TARGET_MINE = "month:mine"
MONTHS_OFFERED = 24
MONTHS_SEARCHED = 6  # a 待办 without its month: the latest of these months that has what it names


def default_month() -> str:
    """The month just ended: scored in the month after it."""
    today = clock.today()
    return previous_months(month_of(today.year, today.month), 2)[0]


class ScoringPage(QWidget):
    commands_changed = Signal()  # another tab came into view

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoring_page")
        self.services = services
        self.actor = actor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        label = QLabel(self.tr("&Month:"), self)
        self.month_box = QComboBox(self)
        self.month_box.setObjectName("scoring_month")
        self.month_box.setAccessibleName(self.tr("Month"))
        today = clock.today()
        for month in reversed(previous_months(month_of(today.year, today.month), MONTHS_OFFERED)):
            self.month_box.addItem(text_month(int(month[:4]), int(month[5:])), month)
        self.month_box.setCurrentIndex(max(0, self.month_box.findData(default_month())))
        label.setBuddy(self.month_box)
        bar.addWidget(label)
        bar.addWidget(self.month_box)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("scoring_tabs")
        self.tabs.setAccessibleName(self.tr("Monthly scoring"))
        layout.addWidget(self.tabs, 1)
        leader = actor.can(Permission.SCORING_LOCK)
        filler = leader or actor.can(Permission.SCORING_FILL)
        self.months: MonthsTab | None = None
        self.calibration: CalibrationTab | None = None
        self.late: LateTab | None = None
        self.contests: ContestsTab | None = None
        self.quarter: QuarterTab | None = None
        self.annual: AnnualTab | None = None
        self.charts: ChartsTab | None = None
        self.own: OwnTab | None = None
        if filler:
            self.months = MonthsTab(services, actor, self.month, self)
            self.tabs.addTab(self.months, self.tr("Departments") if leader else self.tr("My department"))
        if leader:
            self.calibration = CalibrationTab(services, actor, self.month, self)
            self.tabs.addTab(self.calibration, self.tr("Calibration"))
            self.late = LateTab(services, actor, self)
            self.tabs.addTab(self.late, self.tr("Late arrivals"))
            self.contests = ContestsTab(services, actor, self.month, self)
            self.tabs.addTab(self.contests, self.tr("Contests"))
        if filler:
            self.quarter = QuarterTab(services, actor, self)
            self.tabs.addTab(self.quarter, self.tr("Quarter"))
            self.annual = AnnualTab(services, actor, self)
            self.tabs.addTab(self.annual, self.tr("Year"))
            self.charts = ChartsTab(services, actor, self.month, self)
            self.tabs.addTab(self.charts, self.tr("Charts"))
        if actor.can(Permission.SCORING_READ_OWN) and actor.staff_id is not None:
            self.own = OwnTab(services, actor, self)
            self.tabs.addTab(self.own, self.tr("My results"))
        if self.tabs.count() == 0:
            note = QLabel(
                self.tr("Your account is not linked to a staff member: there are no results to show."), self
            )
            note.setObjectName("no_staff_note")
            note.setWordWrap(True)
            layout.addWidget(note)
            self.tabs.hide()  # an empty tab bar is a strip with nothing in it
        self.month_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tabs.currentChanged.connect(self._tab_changed)
        self._month_shown()
        self.refresh()  # the other tabs read their lists when first shown

    def month(self) -> str:
        return str(self.month_box.currentData() or default_month())

    def set_month(self, month: str) -> None:
        index = self.month_box.findData(month)
        if index >= 0 and index != self.month_box.currentIndex():
            self.month_box.blockSignals(True)
            self.month_box.setCurrentIndex(index)
            self.month_box.blockSignals(False)

    def _month_shown(self) -> None:
        """The month picker is there for the tabs that read it."""
        tab = self.tabs.currentWidget()
        monthly = tab is not None and tab in (self.months, self.calibration, self.contests, self.charts)
        self.month_box.setEnabled(monthly)

    def _tab_changed(self, index: int) -> None:
        self._month_shown()
        pages.refresh(self.tabs.widget(index))
        self.commands_changed.emit()

    # -- commands of the window ---------------------------------------------------------------------
    def offers(self, command: pages.PageCommand) -> bool:
        if command is pages.PageCommand.NEW:
            return False
        if command is pages.PageCommand.PRINT:
            tab = self.tabs.currentWidget()
            return tab is not None and (tab in (self.quarter, self.own) or isinstance(tab, MonthsTab))
        return isinstance(self.tabs.currentWidget(), ListTab)

    def focus_search(self) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, ListTab):
            tab.focus_search()

    def print_current(self) -> None:
        tab = self.tabs.currentWidget()
        if tab is self.quarter and self.quarter is not None:
            self.quarter.print_notice()
        elif tab is self.own and self.own is not None:
            self.own.print_current()
        elif isinstance(tab, MonthsTab):
            tab.print_current()

    def refresh(self) -> None:
        pages.refresh(self.tabs.currentWidget())

    def show_target(self, target: str) -> None:
        """``months:submitted``, ``months:late``, ``contests:pending``, ``month:mine`` (each maybe with
        ``:YYYY-MM`` after it; also with ``filter:`` in front)."""
        target = target.removeprefix("filter:")
        month = ""
        head, _, tail = target.rpartition(":")
        if head and MONTH_PATTERN.match(tail):
            target, month = head, tail
        if target == TARGET_LATE and self.late is not None:
            self.tabs.setCurrentWidget(self.late)
            self.late.focus_list()
            return
        if target == TARGET_CONTESTS and self.contests is not None:
            self.set_month(month or self._latest(lambda o: any(r.contested for d in o for r in d.rows)))
            self.tabs.setCurrentWidget(self.contests)
            self.contests.refresh()
            self.contests.focus_list()
            return
        if target in (TARGET_SUBMITTED, TARGET_MINE, TARGET_LATE) and self.months is not None:
            if target == TARGET_SUBMITTED:
                month = month or self._latest(lambda o: any(d.state == SheetState.SUBMITTED for d in o))
            self.set_month(month or default_month())
            self.tabs.setCurrentWidget(self.months)
            self.months.refresh()
            if target == TARGET_SUBMITTED:
                self.months.select(lambda d: d.state == SheetState.SUBMITTED)
            elif self.actor.department_id is not None:
                self.months.select_department(self.actor.department_id)
            self.months.focus_list()

    def _latest(self, has: object) -> str:
        """The latest of the last months whose overview ``has`` what the 待办 names (the default
        month when none has)."""
        assert callable(has)
        today = clock.today()
        for month in reversed(previous_months(month_of(today.year, today.month), MONTHS_SEARCHED)):
            found = operations.run(
                self, lambda m=month: self.services.scoring.month_overview(self.actor, m), show="message"
            )
            if found.ok and found.value is not None and has(found.value.departments):
                return month
        return default_month()
