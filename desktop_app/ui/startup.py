"""Opening the database while the login window is already on screen.

Importing the data layer and opening the database (integrity check, daily backup, upgrade) takes
most of a cold start. The login window needs none of it until the password is submitted, so the
work runs on a worker thread started once the login window has painted, and the result comes back
to the GUI thread as a signal: ``ready(services)`` or ``failed(error)``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

# When the window never paints (minimised, hidden at once), the work starts anyway after this.
START_AT_THE_LATEST_MS = 300


class BackgroundOpener(QObject):
    """Runs ``open_database()`` on a worker thread; then ``warm_up()`` there too (imports the
    modules the main window needs, so signing in does not wait for them). ``prepare()``, if given,
    runs on the GUI thread just before the worker starts."""

    ready = Signal(object)  # the open Services
    failed = Signal(object)  # the exception, for the GUI thread to put in words

    def __init__(
        self,
        open_database: Callable[[], Any],
        warm_up: Callable[[], None] | None = None,
        parent: QObject | None = None,
        prepare: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_database = open_database
        self._warm_up = warm_up
        self._prepare = prepare
        self._thread: threading.Thread | None = None
        self._waiting_for: QWidget | None = None
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self.start)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start_after_paint(self, window: QWidget) -> None:
        """Start once ``window`` has painted, so the worker's imports do not delay its first frame."""
        self._waiting_for = window
        window.installEventFilter(self)
        self._fallback.start(START_AT_THE_LATEST_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._waiting_for and event.type() == QEvent.Type.Paint:
            # Let the paint finish and reach the screen before the worker takes the interpreter.
            QTimer.singleShot(0, self.start)
        return False

    def start(self) -> None:
        if self._waiting_for is not None:
            self._waiting_for.removeEventFilter(self)
            self._waiting_for = None
        self._fallback.stop()
        if self.running:
            return
        if self._prepare is not None:
            self._prepare()
        self._thread = threading.Thread(target=self._run, name="open-database", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the worker is done (tests, and a quit while it still runs)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            services = self._open_database()
        except Exception as error:  # every failure goes to the GUI thread, which explains it
            log.info("database not opened: %s", type(error).__name__)
            self.failed.emit(error)
            return
        self.ready.emit(services)
        if self._warm_up is not None:
            try:
                self._warm_up()
            except Exception:
                # Only a head start: the same imports happen again, in the open, when needed.
                log.exception("warming up the main window's modules failed")
