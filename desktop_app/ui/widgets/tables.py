"""A table model over a list of plain records (the dataclasses services return), and its view.

Pages describe their columns once (header, how to show a value, how to sort it); the model does the
Qt bookkeeping and passes ``qtmodeltester``. A ``QSortFilterProxyModel`` on top sorts by the raw
value (``SORT_ROLE``) and filters on the shown text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
MUTED = QColor("#8a8a8a")


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str] | None = None
    align_right: bool = False


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records, columns are ``Column`` specs. ``muted(record)`` greys out a row (inactive)."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        muted: Callable[[R], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[R] = []
        self._muted = muted

    # -- feeding -----------------------------------------------------------------------------
    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[R]:
        return list(self._records)

    def record(self, row: int) -> R:
        return self._records[row]

    def row_of(self, predicate: Callable[[R], bool]) -> int:
        return next((i for i, r in enumerate(self._records) if predicate(r)), -1)

    # -- Qt ----------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == SORT_ROLE:
            return column.sort(record) if column.sort else column.text(record)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self._muted is not None and self._muted(record):
            return QBrush(MUTED)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header if 0 <= section < len(self._columns) else None
        return section + 1 if 0 <= section < len(self._records) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def filter_proxy(source: QAbstractTableModel, parent: QWidget | None = None) -> QSortFilterProxyModel:
    """Sorts by each column's raw value, filters on the shown text of every column, ignoring case."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(source)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSortLocaleAware(True)
    return proxy


def make_table_view(object_name: str, accessible_name: str, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(object_name)
    view.setAccessibleName(accessible_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


def fit_columns(view: QTableView, padding: int = 18, widest: int = 360) -> None:
    """Size columns to their contents with some air, none wider than ``widest`` (the last one stretches)."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        header.resizeSection(column, min(header.sectionSize(column) + padding, widest))


def selected_record(view: QTableView) -> Any:
    """The record behind the selected row of a view over a ``RecordTableModel`` (through any proxy)."""
    selection = view.selectionModel()
    if selection is None:
        return None
    rows = selection.selectedRows()
    if not rows:
        return None
    return rows[0].data(RECORD_ROLE)


def select_record(view: QTableView, predicate: Callable[[Any], bool]) -> bool:
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if predicate(index.data(RECORD_ROLE)):
            view.selectRow(row)
            view.scrollTo(index)
            return True
    return False
