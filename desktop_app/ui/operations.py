"""The one way the UI runs a service call, and the application-wide news that data changed.

``run(where, call, ...)``:
- shows the wait cursor while ``call`` runs (restored before anything else is shown);
- shows a ``DomainError`` (a refusal the user can fix) at the field it names inside ``where`` — every
  field at once when the service reports several (``ValidationErrors``) — or in ``where``'s message
  line, or in a message box when ``where`` has neither (``show="message"``: always a message box, for
  calls made from a page rather than a form);
- lets anything else propagate untouched: it is a bug, and the application's excepthook logs it and
  shows the crash dialog. Nothing is swallowed here;
- after a successful write, announces the ``changed`` topics on ``data_changes().changed`` with the
  ids written, so that every page showing that data refreshes (``refresh_on_change``) without pages
  knowing of each other. Topics are named in ``desktop_app.ui.topics``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.errors import DomainError, StaleEdit, refusals_of
from desktop_app.ui.common import app_title, clear_field_errors, show_field_error

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a call gave: its value, or the refusal that was shown (or left to the caller)."""

    value: T | None = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def stale(self) -> bool:
        """Refused because another workstation saved the same record first."""
        return isinstance(self.error, StaleEdit)


def run(
    where: QWidget | None,
    call: Callable[[], T],
    *,
    changed: str | Iterable[str] = (),
    ids: Iterable[int] | Callable[[T], Iterable[int]] = (),
    show: Literal["form", "message"] = "form",
    title: str = "",
    blame: str | None = None,
    handled: tuple[type[DomainError], ...] = (),
    busy: bool = True,
) -> Outcome[T]:
    """Run ``call``; see the module's text. ``blame`` is the field blamed when a refusal names none;
    refusals of the ``handled`` kinds are returned without being shown (the caller has its own way).
    ``busy=False`` for a call that opens a dialog and waits for the user: no wait cursor over it (the
    service calls the dialog makes show their own)."""
    if show == "form" and where is not None:
        clear_field_errors(where)
    refusal: DomainError | None = None
    if busy:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        value = call()
    except DomainError as error:
        refusal = error
    finally:
        if busy:
            QGuiApplication.restoreOverrideCursor()
    if refusal is not None:
        if not isinstance(refusal, handled):
            if blame and not refusal.field:
                refusal.field = blame
            _report(where, refusal, show, title)
        return Outcome(error=refusal)
    if changed:
        announce(changed, ids(value) if callable(ids) else ids)
    return Outcome(value=value)


def _report(where: QWidget | None, error: DomainError, show: str, title: str) -> None:
    if show == "form" and where is not None:
        show_field_error(where, error)
        return
    window_title = where.windowTitle() if where is not None else ""
    from PySide6.QtWidgets import QMessageBox  # when needed: its enums cost the login window ~5 ms

    text = "\n".join(refusal.message for refusal in refusals_of(error))
    QMessageBox.warning(where, title or window_title or app_title(), text)


# -- "data changed" ----------------------------------------------------------------------------------
class DataChanges(QObject):
    """``changed(topic, ids)``: data of ``topic`` was written; ``ids`` (a tuple, maybe empty) names the
    rows when the writer knows them. One per application: ``data_changes()``."""

    changed = Signal(str, object)


_hub: DataChanges | None = None


def data_changes() -> DataChanges:
    global _hub
    if _hub is None:
        _hub = DataChanges()
    return _hub


def announce(changed: str | Iterable[str], ids: Iterable[int] = ()) -> None:
    """Say that data of these topics was written (``run`` does it for the calls it makes)."""
    written = tuple(ids)
    for topic in (changed,) if isinstance(changed, str) else tuple(changed):
        data_changes().changed.emit(topic, written)


class ChangeWatcher(QObject):
    """Calls ``refresh`` when one of ``topics`` changed: at once while ``widget`` is on screen, else
    the next time it is shown (a page out of view runs no query for nothing)."""

    def __init__(self, widget: QWidget, topics: Collection[str], refresh: Callable[[], None]) -> None:
        super().__init__(widget)  # deleted with the widget, which ends the subscription
        self.setObjectName("change_watcher")
        self._widget = widget
        self._topics = frozenset(topics)
        self._refresh = refresh
        self.stale = False
        widget.installEventFilter(self)
        data_changes().changed.connect(self._changed)

    def _changed(self, topic: str, _ids: object) -> None:
        if topic not in self._topics:
            return
        if self._widget.isVisible():
            self.stale = False
            self._refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._refresh()
        return False


def refresh_on_change(widget: QWidget, topics: Collection[str], refresh: Callable[[], None]) -> ChangeWatcher:
    return ChangeWatcher(widget, topics, refresh)
