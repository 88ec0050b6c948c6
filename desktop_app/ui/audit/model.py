"""The audit trail as a table that loads page by page as the view scrolls (newest first)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from desktop_app.services.audit_log import AuditFilter, AuditRow
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services

AnyIndex = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
BAD = QColor("#fde7e9")


def key_label(key: str) -> str:
    labels = {
        "username": QCoreApplication.translate("AuditSummary", "username"),
        "display_name": QCoreApplication.translate("AuditSummary", "name"),
        "name": QCoreApplication.translate("AuditSummary", "name"),
        "roles": QCoreApplication.translate("AuditSummary", "roles"),
        "department_id": QCoreApplication.translate("AuditSummary", "department"),
        "staff_id": QCoreApplication.translate("AuditSummary", "staff"),
        "active": QCoreApplication.translate("AuditSummary", "active"),
        "employee_no": QCoreApplication.translate("AuditSummary", "employee no."),
        "post": QCoreApplication.translate("AuditSummary", "post"),
        "phone": QCoreApplication.translate("AuditSummary", "phone"),
        "id_number": QCoreApplication.translate("AuditSummary", "ID number"),
        "field": QCoreApplication.translate("AuditSummary", "item"),
        "reason": QCoreApplication.translate("AuditSummary", "reason"),
        "intact": QCoreApplication.translate("AuditSummary", "intact"),
        "checked": QCoreApplication.translate("AuditSummary", "checked"),
        "first_bad_seq": QCoreApplication.translate("AuditSummary", "first bad entry"),
        "minutes": QCoreApplication.translate("AuditSummary", "minutes"),
        "count": QCoreApplication.translate("AuditSummary", "count"),
        "center_name": QCoreApplication.translate("AuditSummary", "center name"),
        "center_short_name": QCoreApplication.translate("AuditSummary", "short name"),
        "center_address": QCoreApplication.translate("AuditSummary", "address"),
        "query_phone": QCoreApplication.translate("AuditSummary", "query phone"),
        "doc_number_prefix": QCoreApplication.translate("AuditSummary", "document number prefix"),
        "password_min_length": QCoreApplication.translate("AuditSummary", "minimum password length"),
        "password_min_classes": QCoreApplication.translate("AuditSummary", "character classes"),
        "max_failed_logins": QCoreApplication.translate("AuditSummary", "failed sign-ins before lockout"),
        "lockout_minutes": QCoreApplication.translate("AuditSummary", "lockout minutes"),
        "idle_lock_minutes": QCoreApplication.translate("AuditSummary", "idle lock minutes"),
    }
    return labels.get(key, key)


def _value_text(value: Any) -> str:
    if value is None:
        return "—"
    if value is True:
        return QCoreApplication.translate("AuditSummary", "yes")
    if value is False:
        return QCoreApplication.translate("AuditSummary", "no")
    if isinstance(value, list):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value_text(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if text else QCoreApplication.translate("AuditSummary", "(empty)")


def render_summary(action: str, summary: dict[str, Any]) -> str:
    """One line: ``key: value; key: old → new`` (changes in updates shown as arrows)."""
    if not summary:
        return ""
    diff = action.endswith(".update")
    items = summary.items()
    if diff and isinstance(summary.get("changed"), dict) and len(summary) == 1:
        items = summary["changed"].items()
    parts = []
    for key, value in items:
        if diff and isinstance(value, list) and len(value) == 2:
            parts.append(f"{key_label(key)}: {_value_text(value[0])} → {_value_text(value[1])}")
        else:
            parts.append(f"{key_label(key)}: {_value_text(value)}")
    return "; ".join(parts)


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
            self.tr("User"),
            self.tr("Workstation"),
            self.tr("Action"),
            self.tr("Object"),
            self.tr("Summary"),
        ]
        self.object_types = {
            "user": self.tr("account"),
            "staff": self.tr("staff"),
            "department": self.tr("department"),
            "center_settings": self.tr("center settings"),
            "audit_log": self.tr("audit log"),
        }

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

    def object_text(self, row: AuditRow) -> str:
        kind = self.object_types.get(row.object_type, row.object_type)
        if row.object_id:
            return f"{kind} #{row.object_id}" if kind else f"#{row.object_id}"
        return kind

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        if not 0 <= column < len(self.headers):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(row.seq)
            if column == 1:
                return row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if column == 2:
                return row.username
            if column == 3:
                return row.workstation
            if column == 4:
                return row.action_label
            if column == 5:
                return self.object_text(row)
            return render_summary(row.action, row.summary)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 4:
                return row.action
            if column == 6 and row.summary:
                return json.dumps(row.summary, ensure_ascii=False, indent=2, sort_keys=True, default=str)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self.bad_seq is not None and row.seq == self.bad_seq:
            return QBrush(BAD)
        if role == RECORD_ROLE:
            return row
        return None
