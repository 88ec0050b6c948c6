"""The main window: navigation on the left, pages on the right, menus, status bar, idle lock.

Pages are created the first time they are opened and kept for the whole session, so what was typed
in one stays there while the clerk looks at another. The window's Ctrl+F, Ctrl+N and Ctrl+P act on
the page in view and are enabled exactly when it offers them (the protocols of ``ui.pages``); pages
with unsaved input are asked about before signing out or quitting. Ctrl+1…Ctrl+9 open the pages in
the order of the navigation as this account sees it.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.roles import Permission, Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.settings import describe_db_url
from desktop_app.ui import topics
from desktop_app.ui.home import HomePage
from desktop_app.ui.labels import long_date, roles_text
from desktop_app.ui.lock import Cover, IdleWatcher, LockDialog
from desktop_app.ui.navigation import page_shortcut, pages_for
from desktop_app.ui.operations import refresh_on_change
from desktop_app.ui.pages import (
    PageCommand,
    PageSpec,
    SearchablePage,
    VaryingCommandsPage,
    has_unsaved_input,
    offers,
    run_command,
    show_target,
)
from desktop_app.ui.shell import ShellContext, app_icon
from desktop_app.ui.widgets.demo_banner import DemoBanner

log = logging.getLogger(__name__)

HOME = "home"
START_PAGE = "credit"
KEY_ROLE = Qt.ItemDataRole.UserRole
STATE_GROUP = "main_window"
CASE_COUNT_INTERVAL_MS = 5 * 60_000  # the status bar's complaint counts, read again
COMING_COLOR = "#8ea3ba"  # a navigation entry of a module not built yet, on the dark navigation


class MainWindow(QMainWindow):
    """``finished(outcome, message)`` once the window has closed: outcome "quit" or "sign-out"; the
    message (may be empty) is for the login dialog that follows a sign-out."""

    finished = Signal(str, str)
    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        context: ShellContext,
        pages: Sequence[PageSpec] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.services = services
        self.actor = actor
        self.context = context
        self.specs = list(pages) if pages is not None else pages_for(actor)
        self.shortcuts = {
            spec.key: page_shortcut(position) for position, spec in enumerate(self.specs) if position < 9
        }
        self.pages: dict[str, QWidget] = {}
        self.dialog: QDialog | None = None  # the latest dialog opened from the menus
        self.lock_dialog: LockDialog | None = None
        self._covers: list[Cover] = []
        self._focus_before_lock: QWidget | None = None
        self._outcome, self._message, self._force, self._ended = "quit", "", False, False
        self.remember_layout = True  # window size and splitter, saved in ui-state.ini on close
        self.first_time = False  # no size remembered on this workstation yet

        center = services.center.get()
        self.center_name = str(center["center_name"])
        self.setWindowTitle(self.tr("Integrity Desk — {center}").format(center=self.center_name))
        self.setWindowIcon(app_icon())

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Pages"))
        self.navigation.setMinimumWidth(150)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")
        self.home = HomePage(
            services,
            actor,
            self.center_name,
            long_date(clock.today()),
            self.specs,
            self.open_page,
            self.shortcuts,
            self,
        )
        self.stack.addWidget(self.home)
        home_item = QListWidgetItem(self.tr("Home"))
        home_item.setData(KEY_ROLE, HOME)
        self.navigation.addItem(home_item)
        for spec in self.specs:
            item = QListWidgetItem(spec.title())
            item.setData(KEY_ROLE, spec.key)
            item.setToolTip(spec.description())
            if not spec.ready:  # its page only says that the module is coming: it must not look live
                item.setForeground(QColor(COMING_COLOR))
                item.setToolTip(self.tr("Coming soon: {purpose}").format(purpose=spec.description()))
            self.navigation.addItem(item)
        # A fixed row height: style-sheet padding on items is not always counted in their size.
        self.navigation.ensurePolished()
        row_height = self.navigation.fontMetrics().height() + 20
        for row in range(self.navigation.count()):
            self.navigation.item(row).setSizeHint(QSize(0, row_height))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setCollapsible(0, False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 1000])
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        self.demo_banner: DemoBanner | None = None
        if services.center.is_demo():
            self.demo_banner = DemoBanner(central)
            central_layout.addWidget(self.demo_banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self.navigation.currentRowChanged.connect(self._row_changed)
        self.navigation.setCurrentRow(0)
        self.navigation.setFocus()
        self._restore_state()
        self._open_start_page()

        self.idle_watcher = IdleWatcher(int(center["idle_lock_minutes"]) * 60_000, self)
        self.idle_watcher.idle.connect(self.lock_now)
        self.idle_watcher.start()

    # -- pages ---------------------------------------------------------------------------------
    def _open_start_page(self) -> None:
        """A hall clerk's day is the entry desk: they start on the lookup, ready to type."""
        if Role.HALL_STAFF in self.actor.roles and START_PAGE in self.page_keys():
            page = self.open_page(START_PAGE)
            if isinstance(page, SearchablePage):
                page.focus_search()

    def page_keys(self) -> list[str]:
        """The navigation entries, in order ("home" first)."""
        return [self.navigation.item(row).data(KEY_ROLE) for row in range(self.navigation.count())]

    def open_page(self, key: str) -> QWidget:
        """Show a page (creating it on first use) and return it."""
        rows = [row for row, k in enumerate(self.page_keys()) if k == key]
        if not rows:
            raise KeyError(f"page {key!r} is not open to this account")
        self.navigation.setCurrentRow(rows[0])
        return self.current_page()

    def current_page(self) -> QWidget:
        page = self.stack.currentWidget()
        assert page is not None  # the home page is always in the stack
        return page

    def _page(self, key: str) -> QWidget:
        page = self.pages.get(key)
        if page is None:
            spec = next(s for s in self.specs if s.key == key)
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                page = spec.create(self.services, self.actor, self.stack)
            finally:
                QGuiApplication.restoreOverrideCursor()
            self.stack.addWidget(page)
            self.pages[key] = page
            if isinstance(page, VaryingCommandsPage):
                page.commands_changed.connect(self._update_page_actions)
        return page

    def _row_changed(self, row: int) -> None:
        item = self.navigation.item(row)
        if item is None:
            return
        key = item.data(KEY_ROLE)
        self.stack.setCurrentWidget(self.home if key == HOME else self._page(key))
        self._update_page_actions()

    # -- menus ---------------------------------------------------------------------------------
    def _action(
        self, text: str, name: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self.addAction(action)  # shortcuts work even while the menu bar is hidden (full screen)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.new_action = self._action(self.tr("&New"), "action_new", QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(lambda: self._forward(PageCommand.NEW))
        self.print_action = self._action(self.tr("&Print…"), "action_print", QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(lambda: self._forward(PageCommand.PRINT))
        file_menu.addActions([self.new_action, self.print_action])
        # A complaint is taken whatever page is in view (the phone rings at the entry desk too):
        # Ctrl+N where the page in view has nothing of its own to create, Ctrl+Shift+N anywhere.
        self.new_complaint_action = self._action(
            self.tr("New &complaint…"), "action_new_complaint", "Ctrl+Shift+N"
        )
        self.new_complaint_action.triggered.connect(self.take_complaint)
        may_take = self.actor.can(Permission.COMPLAINT_TAKE)
        self.new_complaint_action.setVisible(may_take)
        self.new_complaint_action.setEnabled(may_take)
        file_menu.addAction(self.new_complaint_action)
        file_menu.addSeparator()
        self.change_password_action = self._action(self.tr("Change pass&word…"), "action_change_password")
        self.change_password_action.triggered.connect(self.change_password)
        self.lock_action = self._action(self.tr("&Lock screen"), "action_lock", "Ctrl+L")
        self.lock_action.triggered.connect(self.lock_now)
        self.sign_out_action = self._action(self.tr("Sign &out"), "action_sign_out")
        self.sign_out_action.triggered.connect(lambda: self.end_session("sign-out"))
        file_menu.addActions([self.change_password_action, self.lock_action, self.sign_out_action])
        file_menu.addSeparator()
        self.quit_action = self._action(self.tr("&Quit"), "action_quit", "Ctrl+Q")
        self.quit_action.triggered.connect(lambda: self.end_session("quit"))
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.find_action = self._action(self.tr("&Find"), "action_find", QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(lambda: self._forward(PageCommand.FIND))
        edit_menu.addAction(self.find_action)

        view_menu = bar.addMenu(self.tr("&View"))
        home_action = self._action(self.tr("&Home"), "action_page_home", "Ctrl+0")
        home_action.triggered.connect(lambda: self.open_page(HOME))
        view_menu.addAction(home_action)
        for spec in self.specs:
            action = self._action(spec.title(), f"action_page_{spec.key}", self.shortcuts.get(spec.key))
            action.triggered.connect(lambda _=False, key=spec.key: self.open_page(key))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.full_screen_action = self._action(
            self.tr("&Full screen"), "action_full_screen", QKeySequence.StandardKey.FullScreen
        )
        self.full_screen_action.setCheckable(True)
        self.full_screen_action.toggled.connect(self._set_full_screen)
        view_menu.addAction(self.full_screen_action)

        tools_menu = bar.addMenu(self.tr("&Tools"))
        settings_action = self._action(self.tr("&Settings…"), "action_settings")
        settings_action.triggered.connect(self.open_settings)
        tools_menu.addAction(settings_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        self.test_page_action = self._action(self.tr("Print a &test page…"), "action_test_page")
        self.test_page_action.triggered.connect(self.print_test_page)
        # A test page takes a number (a write): not offered to the audit admin, who only reads.
        self.test_page_action.setVisible(self.actor.can(Permission.PRINT_TEST_PAGE))
        self.test_page_action.setEnabled(self.actor.can(Permission.PRINT_TEST_PAGE))
        self.verify_notice_action = self._action(
            self.tr("&Verify a notice…"), "action_verify_notice", "Ctrl+Shift+V"
        )
        self.verify_notice_action.triggered.connect(self.open_verify_notice)
        help_menu.addActions([self.test_page_action, self.verify_notice_action])
        help_menu.addSeparator()
        about_action = self._action(self.tr("&About Integrity Desk"), "action_about")
        about_action.triggered.connect(self.open_about)
        about_qt_action = self._action(self.tr("About &Qt"), "action_about_qt")
        about_qt_action.triggered.connect(QApplication.aboutQt)
        help_menu.addActions([about_action, about_qt_action])

    def _forward(self, command: PageCommand) -> None:
        page = self.current_page()
        if command is PageCommand.NEW and not offers(page, command) and self._takes_complaints():
            self.take_complaint()
            return
        run_command(page, command)

    def _takes_complaints(self) -> bool:
        return self.actor.can(Permission.COMPLAINT_TAKE)

    def _update_page_actions(self) -> None:
        page = self.current_page()
        for action, command in (
            (self.find_action, PageCommand.FIND),
            (self.new_action, PageCommand.NEW),
            (self.print_action, PageCommand.PRINT),
        ):
            action.setEnabled(offers(page, command))
        if not offers(page, PageCommand.NEW) and self._takes_complaints():
            self.new_action.setEnabled(True)  # Ctrl+N takes a complaint (_forward)

    def _set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    # -- status bar ----------------------------------------------------------------------------
    def _status_label(self, name: str, text: str, tooltip: str = "") -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setToolTip(tooltip)
        self.statusBar().addPermanentWidget(label)
        return label

    def _build_status_bar(self) -> None:
        self.status_user = self._status_label(
            "status_user",
            self.actor.display_name,
            self.tr("Signed in as {username} at workstation {workstation}").format(
                username=self.actor.username, workstation=self.actor.workstation
            ),
        )
        self.status_roles = self._status_label("status_roles", roles_text(self.actor.roles))
        # Which database this is concerns the system administrator (also in Help → About), not a clerk.
        self.status_database: QLabel | None = None
        if self.actor.can(Permission.ADMIN_SETTINGS):
            self.status_database = self._status_label(
                "status_database", describe_db_url(self.context.db_url), self.tr("Database in use")
            )
        self.status_cases: QLabel | None = None
        if "complaints" in self.page_keys() and (
            self.actor.can(Permission.COMPLAINT_HANDLE) or self.actor.staff_id is not None
        ):
            # Whoever handles cases sees how many are overdue or due within a working day; a click
            # opens the list of them. Deadlines pass with time and other workstations write: a timer too.
            self.status_cases = self._status_label("status_cases", "")
            self.status_cases.setTextFormat(Qt.TextFormat.RichText)
            self.status_cases.linkActivated.connect(self._open_cases)
            refresh_on_change(self.status_cases, (topics.COMPLAINT,), self.update_case_counts)
            self._cases_timer = QTimer(self)
            self._cases_timer.setInterval(CASE_COUNT_INTERVAL_MS)
            self._cases_timer.timeout.connect(self.update_case_counts)
            self._cases_timer.start()
            self.update_case_counts()
        self.status_proposals: QLabel | None = None
        if "evaluations" in self.page_keys() and self.actor.can(Permission.EXPERT_DECIDE):
            # A leader sees how many suspension and notification proposals wait for a decision; a
            # click lists them. Other workstations finalise sessions: read again with the cases' timer.
            self.status_proposals = self._status_label("status_proposals", "")
            self.status_proposals.setTextFormat(Qt.TextFormat.RichText)
            self.status_proposals.linkActivated.connect(self._open_evaluations)
            refresh_on_change(
                self.status_proposals,
                (topics.EVALUATION, topics.EVALUATION_PROPOSAL),
                self.update_proposal_count,
            )
            self._proposals_timer = QTimer(self)
            self._proposals_timer.setInterval(CASE_COUNT_INTERVAL_MS)
            self._proposals_timer.timeout.connect(self.update_proposal_count)
            self._proposals_timer.start()
            self.update_proposal_count()
        self.status_date = self._status_label("status_date", "")
        self._date_timer = QTimer(self)
        self._date_timer.setSingleShot(True)
        self._date_timer.timeout.connect(self._update_date)
        self._update_date()

    def update_case_counts(self) -> None:
        if self.status_cases is None:
            return
        counts = self.services.complaints.workload(self.actor)
        overdue = self.tr("%n overdue", "", counts.overdue)
        soon = self.tr("%n due soon", "", counts.due_soon)
        red = "#b71c1c" if counts.overdue else "#546e7a"
        amber = "#7a4f01" if counts.due_soon else "#546e7a"
        self.status_cases.setText(
            f'<a href="overdue" style="color:{red};text-decoration:none;">{html.escape(overdue)}</a>'
            f' · <a href="due_soon" style="color:{amber};text-decoration:none;">{html.escape(soon)}</a>'
        )
        self.status_cases.setToolTip(self.tr("Complaints you answer for; click to list them"))

    def update_proposal_count(self) -> None:
        if self.status_proposals is None:
            return
        count = self.services.evaluations.pending_proposal_count(self.actor)
        text = self.tr("%n expert proposal(s) waiting", "", count)
        colour = "#b71c1c" if count else "#546e7a"
        self.status_proposals.setText(
            f'<a href="proposals:pending" style="color:{colour};text-decoration:none;">{html.escape(text)}</a>'
        )
        self.status_proposals.setToolTip(
            self.tr("Expert evaluation proposals waiting for a leader; click to list them")
        )

    def _open_evaluations(self, target: str) -> None:
        show_target(self.open_page("evaluations"), target)

    def _open_cases(self, target: str) -> None:
        show_target(self.open_page("complaints"), target)

    def _update_date(self) -> None:
        now = clock.local_now().replace(tzinfo=None)
        self.status_date.setText(long_date(now.date()))
        self.home.set_today(long_date(now.date()))
        midnight = datetime.combine(now.date() + timedelta(days=1), time())
        self._date_timer.start(int((midnight - now).total_seconds() * 1000) + 1000)

    # -- dialogs from the menus ----------------------------------------------------------------
    def _show_dialog(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    def change_password(self) -> QDialog:
        from desktop_app.ui.auth_dialogs import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.services, self.actor.username, parent=self)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(self.tr("Your password has been changed."), 15_000)
        )
        return self._show_dialog(dialog)

    def open_settings(self) -> QDialog:
        from desktop_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self, admin=self.actor.can(Permission.ADMIN_SETTINGS))
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(
                self.tr("Settings saved. They take effect the next time Integrity Desk starts."), 15_000
            )
        )
        return self._show_dialog(dialog)

    def open_about(self) -> QDialog:
        from desktop_app.ui.about import AboutDialog

        return self._show_dialog(AboutDialog(self, describe_db_url(self.context.db_url)))

    def print_test_page(self) -> QDialog | None:
        """Issue a numbered test page and show it in the preview, from which it is printed."""
        from desktop_app.ui.notices.test_page import issue_test_page

        dialog = issue_test_page(self.services, self.actor, self)
        if dialog is None:
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its pages are images: free them
        return self._show_dialog(dialog)

    def take_complaint(self) -> None:
        """投诉登记 (Ctrl+Shift+N): the intake form, then its receipt's preview."""
        if self.is_locked or not self.actor.can(Permission.COMPLAINT_TAKE):
            return
        from desktop_app.ui.complaints.intake import open_intake

        open_intake(self.services, self.actor, self)

    def open_verify_notice(self) -> QDialog:
        from desktop_app.ui.notices.verify import VerifyNoticeDialog

        dialog = VerifyNoticeDialog(self.services, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return self._show_dialog(dialog)

    # -- idle lock -----------------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return self.lock_dialog is not None

    def lock_now(self) -> None:
        """Cover every window and ask for the password; nothing underneath is closed or cleared."""
        if self.is_locked or self._ended:
            return
        self.idle_watcher.stop()
        self._focus_before_lock = QApplication.focusWidget()
        try:
            self.services.auth.record_screen_lock(self.actor)
        except Exception:
            # The lock protects the screen: it must happen even when the audit write fails.
            log.exception("could not record the screen lock")
        transient = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)  # menus close by themselves
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and window.windowType() not in transient:
                self._covers.append(Cover(window))
        dialog = LockDialog(self.services, self.actor, self)
        dialog.unlocked.connect(self._unlock)
        dialog.sign_out_requested.connect(lambda message: self.end_session("sign-out", message, force=True))
        self.lock_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.locked.emit()

    def _remove_covers(self) -> None:
        for cover in self._covers:
            cover.remove()
        self._covers.clear()

    def _unlock(self) -> None:
        if self.lock_dialog is not None:
            self.lock_dialog.finish()
            self.lock_dialog.deleteLater()
            self.lock_dialog = None
        self._remove_covers()
        focus, self._focus_before_lock = self._focus_before_lock, None
        if focus is not None:
            focus.activateWindow()
            focus.setFocus()
        self.idle_watcher.start()
        self.unlocked.emit()

    # -- ending the session --------------------------------------------------------------------
    def end_session(self, outcome: str, message: str = "", force: bool = False) -> bool:
        """Close the window to sign out or to quit; unless forced, unsaved input is asked about first."""
        self._outcome, self._message, self._force = outcome, message, force
        closed = self.close()
        if not closed:
            self._outcome, self._message, self._force = "quit", "", False
        return closed

    def _unsaved_pages(self) -> list[str]:
        titles = []
        for spec in self.specs:
            page = self.pages.get(spec.key)
            if page is not None and has_unsaved_input(page):
                titles.append(spec.title())
        return titles

    def _confirm_discard(self) -> bool:
        unsaved = self._unsaved_pages()
        if not unsaved:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved input"),
            self.tr(
                "These pages have input that is not saved yet: {pages}.\n\nDiscard it and continue?"
            ).format(pages=self.tr(", ").join(unsaved)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._ended:
            event.accept()
            return
        if not self._force and (self.is_locked or not self._confirm_discard()):
            event.ignore()
            return
        self._ended = True
        self._save_state()
        self.idle_watcher.stop()
        self._date_timer.stop()
        if self.lock_dialog is not None:
            self.lock_dialog.finish()
            self.lock_dialog = None
        self._remove_covers()
        event.accept()
        self.finished.emit(self._outcome, self._message)

    # -- remembered layout ---------------------------------------------------------------------
    def _restore_state(self) -> None:
        state = self.context.ui_state()
        geometry = state.value(f"{STATE_GROUP}/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = QGuiApplication.primaryScreen()
            area = screen.availableGeometry() if screen is not None else None
            width = min(1280, int(area.width() * 0.94)) if area else 1280
            height = min(800, int(area.height() * 0.92)) if area else 800
            self.resize(width, height)  # the size to come back to from maximised
            self.first_time = True
        splitter = state.value(f"{STATE_GROUP}/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def show_for_work(self) -> None:
        """Shown for a session: maximised the first time on a workstation (the hall's screens are
        1280–1366 wide: every pixel counts), then as the clerk left it."""
        if self.first_time:
            self.showMaximized()
        else:
            self.show()

    def _save_state(self) -> None:
        if not self.remember_layout:
            return
        state = self.context.ui_state()
        state.setValue(f"{STATE_GROUP}/geometry", self.saveGeometry())
        state.setValue(f"{STATE_GROUP}/splitter", self.splitter.saveState())
        state.sync()
