"""What the tabs of the 专家考评 page share: a table model whose rows can stand out (an overdue
session in red), a list tab that keeps its selection by a key of the row, the year picker, and the
preview of a paper the services issue."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QSpinBox, QWidget

from desktop_app import clock
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.notices import IssuedDocument
from desktop_app.ui import operations, topics
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.paged_table import TONE_BRUSHES, Tone
from desktop_app.ui.widgets.tables import Column, RecordTableModel

R = TypeVar("R")


class TonedTableModel(RecordTableModel[R], Generic[R]):
    """A ``RecordTableModel`` whose ``tone(record)`` colours a row (the complaints list's reds)."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        tone: Callable[[R], Tone | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(columns, parent=parent)
        self._tone = tone

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and index.isValid():
            if not 0 <= index.row() < self.rowCount():
                return None
            tone = self._tone(self.record(index.row()))
            if tone is None:
                return None
            background, text = TONE_BRUSHES[tone]
            return background if role == Qt.ItemDataRole.BackgroundRole else text
        return super().data(index, role)


class KeyedListTab(ListTab):
    """A ``ListTab`` over records without an ``id`` (an expert's row): ``key(record)`` keeps the
    selection across a reload."""

    def key(self, record: Any) -> Any:
        return record.id

    def refresh(self) -> None:
        chosen = self.current()
        self.model.set_records(self.load_records())
        if self.sharing is None:
            from desktop_app.ui.widgets.tables import fit_columns

            fit_columns(self.view)
        self._show_empty_note()
        if chosen is not None:
            kept = self.key(chosen)
            self.select(lambda record: self.key(record) == kept)
        self.update_actions()


def year_box(parent: QWidget, name: str, accessible: str) -> QSpinBox:
    """The year a list shows (this year to start with)."""
    box = QSpinBox(parent)
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setToolTip(accessible)
    box.setRange(2000, 2100)
    box.setValue(clock.today().year)
    box.setKeyboardTracking(False)  # typing 2025 does not load 2, 20, 202 first
    return box


def preview_document(
    parent: QWidget, services: Services, actor: CurrentUser, issue: Callable[[], IssuedDocument]
) -> IssuedDocument | None:
    """Issue a paper (a number, an archive entry) and show it in the preview, from which it is
    printed or saved."""
    outcome = operations.run(parent, issue, show="message", changed=topics.NOTICE)
    if not outcome.ok or outcome.value is None:
        return None
    from desktop_app.ui.notices.preview import NoticePreviewDialog

    dialog = NoticePreviewDialog(services, actor, outcome.value, parent)
    modal.run_and_delete(dialog)
    return outcome.value
