"""Idle lock: notice when nobody has touched the keyboard or mouse, cover the windows, ask for the password.

Nothing is closed or destroyed while locked: every window gets an opaque cover on top and the lock
dialog is application-modal, so whatever was typed in any form is there again after the unlock.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import AccountLocked
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations
from desktop_app.ui.auth_dialogs import password_edit
from desktop_app.ui.shell import app_icon
from desktop_app.ui.widgets.forms import FormDialog

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``timeout_ms`` without keyboard or mouse input anywhere in the app.

    The event filter only restarts a clock; one timer checks it when it would run out, so input costs
    next to nothing."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_ms = timeout_ms
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self._active = False

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._active:
            app.installEventFilter(self)
        self._active = True
        self._clock.start()
        self._timer.start(self.timeout_ms)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None and self._active:
            app.removeEventFilter(self)
        self._active = False
        self._timer.stop()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self.timeout_ms = timeout_ms
        if self._active:
            self._clock.start()
            self._timer.start(timeout_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self._clock.restart()
        return False

    def _check(self) -> None:
        left = self.timeout_ms - self._clock.elapsed()
        if left > 0:
            self._timer.start(left)
            return
        self.stop()
        self.idle.emit()


class Cover(QWidget):
    """An opaque sheet over one window while the screen is locked; the window underneath is untouched."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("lock_cover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        label = QLabel(self.tr("Locked"), self)
        label.setObjectName("lock_cover_text")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.target = target
        target.installEventFilter(self)
        self.setGeometry(target.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.target and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.target.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        self.target.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class LockDialog(FormDialog):
    """Asks for the password of the signed-in account. Esc does nothing; the way out is Sign out.

    ``unlocked`` when the password is right; ``sign_out_requested(message)`` when the user asks to,
    or when the account got locked by too many wrong passwords (the same count as at the login)."""

    unlocked = Signal()
    sign_out_requested = Signal(str)

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Screen locked — Integrity Desk"), parent)
        self.services = services
        self.actor = actor
        self._finished = False
        self.setWindowIcon(app_icon())
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        intro = QLabel(
            self.tr(
                "The screen was locked to protect the data on it. {name}, enter your password to "
                "continue: everything you typed is kept."
            ).format(name=actor.display_name),
            self,
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(0, intro)
        self.password = self.add_field(
            self.tr("Password:"), password_edit(self), "password", self.tr("Password")
        )
        self.save_button.setText(self.tr("Unlock"))
        self.save_button.setObjectName("unlock")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.removeButton(cancel)
        cancel.deleteLater()
        self.sign_out_button = QPushButton(self.tr("Sign out"), self)
        self.sign_out_button.setObjectName("sign_out")
        self.sign_out_button.setAutoDefault(False)
        self.sign_out_button.clicked.connect(lambda: self.sign_out_requested.emit(""))
        self.buttons.addButton(self.sign_out_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.setMinimumWidth(440)
        self.password.setFocus()

    def submit(self) -> None:
        password = self.password.text()
        unlocked = operations.run(
            self,
            lambda: self.services.auth.unlock_screen(self.actor, password),
            blame="password",
            handled=(AccountLocked,),
        )
        if isinstance(unlocked.error, AccountLocked):
            self.sign_out_requested.emit(unlocked.error.message)
            return
        if unlocked.error is not None:
            self.password.selectAll()
            return
        self.unlocked.emit()

    def finish(self) -> None:
        """Close for good (unlocked or signed out)."""
        self._finished = True
        self.done(0)

    def reject(self) -> None:
        # Esc and the rejected signal of the button box must not get past the lock.
        if self._finished:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            super().closeEvent(event)
        else:
            event.ignore()
