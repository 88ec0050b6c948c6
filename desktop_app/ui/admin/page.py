"""The system administrator's page: 科室, 人员, 账户, 中心设置, 信用目录, 投诉规则, 专家考评项目, 考核方案, 工作日历 as tabs, each shown only with its right.

The window's Ctrl+F and Ctrl+N act on the tab in view, and are enabled when that tab offers them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.admin.calendar import WorkCalendarTab
from desktop_app.ui.admin.center import CenterSettingsTab
from desktop_app.ui.admin.complaint_rules import ComplaintRulesTab
from desktop_app.ui.admin.credit_catalogue import CreditCatalogueTab
from desktop_app.ui.admin.departments import DepartmentsTab
from desktop_app.ui.admin.evaluation_catalogue import EvaluationCatalogueTab
from desktop_app.ui.admin.scoring_schemes import ScoringSchemesTab
from desktop_app.ui.admin.staff import StaffTab
from desktop_app.ui.admin.users import UsersTab
from desktop_app.ui.pages import PageCommand, offers, refresh, run_command


class AdminPage(QWidget):
    commands_changed = Signal()  # another tab came into view

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_page")
        self.services = services
        self.actor = actor
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("admin_tabs")
        self.tabs.setAccessibleName(self.tr("System administration"))
        self.tabs.setDocumentMode(True)
        self.departments: DepartmentsTab | None = None
        self.staff: StaffTab | None = None
        self.users: UsersTab | None = None
        self.center: CenterSettingsTab | None = None
        self.credit_catalogue: CreditCatalogueTab | None = None
        self.complaint_rules: ComplaintRulesTab | None = None
        self.evaluation_catalogue: EvaluationCatalogueTab | None = None
        self.scoring_schemes: ScoringSchemesTab | None = None
        self.calendar: WorkCalendarTab | None = None
        if actor.can(Permission.ADMIN_ORGANISATION):
            self.departments = DepartmentsTab(services, actor, self)
            self.tabs.addTab(self.departments, self.tr("Departments"))
            self.staff = StaffTab(services, actor, self)
            self.tabs.addTab(self.staff, self.tr("Staff"))
        if actor.can(Permission.ADMIN_USERS):
            self.users = UsersTab(services, actor, self)
            self.tabs.addTab(self.users, self.tr("Accounts"))
        if actor.can(Permission.ADMIN_SETTINGS):
            self.center = CenterSettingsTab(services, actor, self)
            self.tabs.addTab(self.center, self.tr("Center settings"))
            self.credit_catalogue = CreditCatalogueTab(services, actor, self)
            self.tabs.addTab(self.credit_catalogue, self.tr("Credit catalogue"))
            self.complaint_rules = ComplaintRulesTab(services, actor, self)
            self.tabs.addTab(self.complaint_rules, self.tr("Complaints rules"))
            self.evaluation_catalogue = EvaluationCatalogueTab(services, actor, self)
            self.tabs.addTab(self.evaluation_catalogue, self.tr("Evaluation items"))
            self.scoring_schemes = ScoringSchemesTab(services, actor, self)
            self.tabs.addTab(self.scoring_schemes, self.tr("Scoring schemes"))
            self.calendar = WorkCalendarTab(services, actor, self)
            self.tabs.addTab(self.calendar, self.tr("Working-day calendar"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _tab_changed(self, index: int) -> None:
        # Counts and choices depend on the other tabs (staff per department, staff for accounts).
        refresh(self.tabs.widget(index))
        self.commands_changed.emit()

    def show_tab(self, tab: QWidget | None) -> None:
        if tab is not None:
            self.tabs.setCurrentWidget(tab)

    def show_target(self, target: str) -> None:
        """A 待办's target: "calendar" (or "calendar:2027", on that year) opens the 工作日历 tab."""
        what, _, year = target.partition(":")
        if what == "calendar" and self.calendar is not None:
            self.show_tab(self.calendar)
            if year.isdigit():
                self.calendar.year.setValue(int(year))

    # -- called by the main window: the tab in view answers ------------------------------------------
    def offers(self, command: PageCommand) -> bool:
        return offers(self.tabs.currentWidget(), command)

    def focus_search(self) -> None:
        run_command(self.tabs.currentWidget(), PageCommand.FIND)

    def new_item(self) -> None:
        run_command(self.tabs.currentWidget(), PageCommand.NEW)
