"""From start to quit: first system admin if needed, login, the main window, and back to login on sign-out.

Everything is shown with ``show()``/``open()`` (no nested event loops): the controller reacts to the
dialogs' and the window's signals and says ``finished(exit_code)`` when the program should end.

At a cold start the database is not open yet: the login window appears at once and the database
opens behind it (``BackgroundOpener``); the login waits for it only if the password is submitted
first. A database without accounts turns the login into the first-admin dialog once it is known.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from desktop_app.ui.shell import ShellContext

if TYPE_CHECKING:
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services
    from desktop_app.ui.startup import BackgroundOpener

log = logging.getLogger(__name__)
CENTER_NAME_KEY = "login/center_name"


class SessionController(QObject):
    finished = Signal(int)
    # Emitted when the database could not be opened: the receiver explains why, and either calls
    # ``retry()`` (with the settings the user fixed) or lets the program end.
    database_failed = Signal(object)

    def __init__(
        self,
        services: Services | None,
        context: ShellContext,
        opener: BackgroundOpener | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.context = context
        self.opener = opener
        self.dialog: QDialog | None = None  # the first-start or login dialog on screen
        self.window = None  # the main window of the session, while signed in
        if opener is not None:
            opener.ready.connect(self._database_ready)
            opener.failed.connect(self.database_failed.emit)

    def start(self) -> None:
        if self.services is None:
            self.show_login()
            assert self.opener is not None, "no database and nothing opening one"
            assert self.dialog is not None
            self.opener.start_after_paint(self.dialog)
        elif self.services.auth.needs_first_admin():
            self._show_first_admin()
        else:
            self.show_login()

    def retry(self, context: ShellContext) -> None:
        """Open the database again with the settings the user fixed (the login shows them)."""
        from desktop_app.ui.auth_dialogs import LoginDialog

        self.context = context
        typed = self.dialog.username.text() if isinstance(self.dialog, LoginDialog) else ""
        self.show_login(typed)
        assert self.opener is not None
        self.opener.start()

    def close_all(self) -> None:
        """Hide and delete whatever the controller still shows (the program is ending)."""
        for widget in (self.dialog, self.window):
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.dialog = self.window = None

    def _database_ready(self, services: Services) -> None:
        self.services = services
        state = self.context.ui_state()
        center_name = str(services.center.get()["center_name"])
        state.setValue(CENTER_NAME_KEY, center_name)
        from desktop_app.ui.auth_dialogs import LoginDialog

        if services.auth.needs_first_admin():
            self._show_first_admin()
        elif isinstance(self.dialog, LoginDialog):
            self.dialog.set_services(services, center_name)

    def _show_dialog(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _show_first_admin(self) -> None:
        from desktop_app.ui.auth_dialogs import FirstAdminDialog

        assert self.services is not None
        dialog = FirstAdminDialog(self.services)
        dialog.accepted.connect(
            lambda: self.show_login(
                dialog.created.username if dialog.created else "",
                dialog.form_error.text() if dialog.already_set_up else "",
            )
        )
        dialog.rejected.connect(lambda: self.finished.emit(0))
        self._show_dialog(dialog)

    def show_login(self, username: str = "", message: str = "") -> None:
        from desktop_app.ui.auth_dialogs import LoginDialog

        cached = str(self.context.ui_state().value(CENTER_NAME_KEY, "") or "")
        dialog = LoginDialog(self.services, self.context, username, message, center_name=cached)
        dialog.accepted.connect(lambda: self._start_session(dialog.actor))
        dialog.rejected.connect(lambda: self.finished.emit(0))
        self._show_dialog(dialog)

    def _start_session(self, actor: CurrentUser | None) -> None:
        from desktop_app.ui.main_window import MainWindow

        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        assert actor is not None and self.services is not None
        log.info("session started (user id %s)", actor.user_id)
        window = MainWindow(self.services, actor, self.context)
        window.finished.connect(lambda outcome, message: self._session_ended(window, outcome, message))
        self.window = window
        window.show_for_work()
        self._warn_about_backup(window, actor)

    def _warn_about_backup(self, window: QWidget, actor: CurrentUser) -> None:
        """Today's compulsory backup failed at start: whoever can make backups is told at once, in a
        box they must close, until a backup is made."""
        from PySide6.QtWidgets import QMessageBox  # its type and enums cost the login window's start

        from desktop_app.domain.roles import Permission

        assert self.services is not None
        problem = self.services.backup_problem
        if problem is None or Permission.ADMIN_BACKUP not in actor.permissions:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Session", "Integrity Desk"),
            QCoreApplication.translate("Session", "Today's automatic backup could not be made."),
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setObjectName("backup_problem")
        box.setInformativeText(
            QCoreApplication.translate(
                "Session",
                "{problem}\n\nThe program works, but there is no backup of today's data until this is "
                "fixed. Free disk space (or fix the backups folder), then make a backup.\n\nLog file: {log}",
            ).format(problem=problem, log=self.context.where.log_file)
        )
        box.open()

    def _session_ended(self, window: QObject, outcome: str, message: str) -> None:
        actor: CurrentUser = window.actor  # type: ignore[attr-defined]
        assert self.services is not None
        self.services.auth.logout(actor)
        log.info("session ended (user id %s): %s", actor.user_id, outcome)
        window.deleteLater()
        self.window = None
        if outcome == "sign-out":
            self.show_login(actor.username, message)
        else:
            self.finished.emit(0)
