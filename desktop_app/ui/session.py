"""From start to quit: first system admin if needed, login, the main window, and back to login on sign-out.

Everything is shown with ``show()``/``open()`` (no nested event loops): the controller reacts to the
dialogs' and the window's signals and says ``finished(exit_code)`` when the program should end.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.shell import ShellContext

log = logging.getLogger(__name__)


class SessionController(QObject):
    finished = Signal(int)

    def __init__(self, services: Services, context: ShellContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.context = context
        self.dialog: QDialog | None = None  # the first-start or login dialog on screen
        self.window = None  # the main window of the session, while signed in

    def start(self) -> None:
        if self.services.auth.needs_first_admin():
            self._show_first_admin()
        else:
            self.show_login()

    def _show_dialog(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _show_first_admin(self) -> None:
        from desktop_app.ui.auth_dialogs import FirstAdminDialog

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

        dialog = LoginDialog(self.services, self.context, username, message)
        dialog.accepted.connect(lambda: self._start_session(dialog.actor))
        dialog.rejected.connect(lambda: self.finished.emit(0))
        self._show_dialog(dialog)

    def _start_session(self, actor: CurrentUser | None) -> None:
        from desktop_app.ui.main_window import MainWindow

        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        assert actor is not None
        log.info("session started (user id %s)", actor.user_id)
        window = MainWindow(self.services, actor, self.context)
        window.finished.connect(lambda outcome, message: self._session_ended(window, outcome, message))
        self.window = window
        window.show()

    def _session_ended(self, window: QObject, outcome: str, message: str) -> None:
        actor: CurrentUser = window.actor  # type: ignore[attr-defined]
        self.services.auth.logout(actor)
        log.info("session ended (user id %s): %s", actor.user_id, outcome)
        window.deleteLater()
        self.window = None
        if outcome == "sign-out":
            self.show_login(actor.username, message)
        else:
            self.finished.emit(0)
