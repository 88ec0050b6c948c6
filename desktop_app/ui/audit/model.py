"""The audit trail as a table that loads page by page as the view scrolls (newest first).

Every cell is in words (the service's ``audit_labels``): the person by name with the login name in
its own column (the audit admin looks accounts up by it), the action, the object by kind and name,
and the summary with its fields and coded values in Chinese; the tooltip of a summary gives it a
field a line, in full."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from desktop_app.services.audit_log import AuditFilter, AuditRow
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.dates import table_time

AnyIndex = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
BAD = QColor("#fde7e9")
SEQ, TIME, PERSON, LOGIN, WORKSTATION, ACTION, OBJECT, SUMMARY = range(8)


class AuditLogModel(QAbstractTableModel):
    """Counts the matching entries on ``set_filter`` and fetches them ``page_size`` at a time.

    Entries written while the table is open shift the service's offsets; rows already shown are
    skipped by sequence number, so nothing appears twice. ``reload()`` picks up new entries."""

    def __init__(
        self, services: Services, actor: CurrentUser, page_size: int = 200, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.page_size = page_size
        self.filter = AuditFilter()
        self.total = 0
        self._rows: list[AuditRow] = []
        self._offset = 0
        self._exhausted = False
        self.bad_seq: int | None = None
        self._busy = False
        self.headers = [
            self.tr("No."),
            self.tr("Time"),
            self.tr("Person"),
            self.tr("Login name"),
            self.tr("Workstation"),
            self.tr("Action"),
            self.tr("Object"),
            self.tr("Summary"),
        ]

    # -- feeding ---------------------------------------------------------------------------------
    def set_filter(self, flt: AuditFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        # No fetching while the reset is being announced (views and testers react to modelReset by
        # asking for more; rows must not arrive inside the reset) or while a page is being inserted.
        self._busy = True
        try:
            self.beginResetModel()
            self._rows = []
            self._offset = 0
            self._exhausted = False
            self.total = self.services.audit_log.count(self.actor, self.filter)
            self.endResetModel()
        finally:
            self._busy = False
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def row_record(self, row: int) -> AuditRow:
        return self._rows[row]

    def row_of_seq(self, seq: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.seq == seq), -1)

    def mark_bad(self, seq: int | None) -> None:
        old = self.bad_seq
        self.bad_seq = seq
        for changed in (old, seq):
            row = self.row_of_seq(changed) if changed is not None else -1
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))

    # -- lazy loading ----------------------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex) -> bool:
        if parent.isValid() or self._busy:
            return False
        return not self._exhausted and len(self._rows) < self.total

    def fetchMore(self, parent: AnyIndex) -> None:
        if parent.isValid() or not self.canFetchMore(parent):
            return
        page = self.services.audit_log.page(self.actor, self.filter, self._offset, self.page_size)
        self._offset += len(page)
        if not page:
            self._exhausted = True
            return
        oldest = self._rows[-1].seq if self._rows else None
        fresh = [r for r in page if oldest is None or r.seq < oldest]
        fresh = fresh[: max(self.total - len(self._rows), 0)]
        if not fresh:
            return
        first = len(self._rows)
        self._busy = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        finally:
            self._busy = False

    # -- Qt --------------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self.headers[section] if 0 <= section < len(self.headers) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        if not 0 <= column < len(self.headers):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                SEQ: str(row.seq),
                TIME: table_time(row.at, seconds=True),
                PERSON: row.person,
                LOGIN: "" if row.username.startswith("<") else row.username,  # <login>: the system
                WORKSTATION: row.workstation,
                ACTION: row.action_label,
                OBJECT: row.object_text,
                SUMMARY: row.summary_text,
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SUMMARY and row.summary_lines:
                return "\n".join(row.summary_lines)
            if column in (OBJECT, SUMMARY) and row.object_text:
                return row.object_text
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self.bad_seq is not None and row.seq == self.bad_seq:
            return QBrush(BAD)
        if role == RECORD_ROLE:
            return row
        return None
