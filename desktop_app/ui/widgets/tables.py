"""A table model over a list of plain records (the dataclasses services return), and its view.

Pages describe their columns once (header, how to show a value, how to sort it); the model does the
Qt bookkeeping and passes ``qtmodeltester``. A ``QSortFilterProxyModel`` on top sorts by the raw
value (``SORT_ROLE``) and filters on the shown text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.ui.widgets.text import whole

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex

WORD = re.compile(r"[A-Za-z0-9_.,:;'’()\-]{2,}")  # where a line never breaks in Latin text

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
MUTED = QColor("#8a8a8a")


@dataclass(frozen=True)
class Width:
    """How a column shares the width of a view that fits its columns to its width (``share_width``).

    ``least``: a sample text the column is at least as wide as (besides its header); ``whole``: the
    cells never wrap (a date, a time: the column is as wide as its widest cell); ``pieces``: parts of
    a cell that never break (a decision number's 〔2026〕205号), the rest wraps; ``wants``: a sample
    text the column reads comfortably at (a name, the facts: on fewer lines); ``weight``: its share of
    the width left over; ``gives_way``: while the columns shown do not fit at the widths they want,
    columns hide in this order (1 first; 0 never), and their values are read in the row's tooltip."""

    least: str = "天河华"
    wants: str = ""
    whole: bool = False
    pieces: re.Pattern[str] | None = None
    weight: float = 1.0
    gives_way: int = 0


@dataclass(frozen=True)
class Column(Generic[R]):
    """``sort``: the raw value a proxy sorts a list in memory by; ``order_by``: the name a service
    sorts by when the list is too big to hold (``paged_table.PagedTableModel``: a header click asks
    the page for a source in that order; a column without it cannot be sorted there)."""

    header: str
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str] | None = None
    align_right: bool = False
    width: Width | None = None
    order_by: str | None = None


def cell_tooltip(
    record: R, column: Column[R], columns: Sequence[Column[R]], given_way: Sequence[int]
) -> str | None:
    """A cell's tooltip: the column's own, then the values of the columns hidden for want of width."""
    lines = [column.tooltip(record)] if column.tooltip is not None else []
    for hidden in given_way:
        other = columns[hidden]
        value = other.text(record)
        if value:
            lines.append(
                QCoreApplication.translate("RecordTableModel", "{label}: {value}").format(
                    label=other.header, value=value
                )
            )
    return "\n".join(line for line in lines if line) or None


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
        self._given_way: list[int] = []  # columns hidden by share_width: read in the tooltip

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

    def columns(self) -> list[Column[R]]:
        return list(self._columns)

    def shares_width(self) -> bool:
        """Its columns say how they share a view's width (see ``share_width``)."""
        return any(column.width is not None for column in self._columns)

    def set_given_way(self, columns: Sequence[int]) -> None:
        """The columns the view hides for want of width; each cell's tooltip then reads them."""
        if list(columns) != self._given_way:
            self._given_way = list(columns)
            if self._records:
                last = self.index(len(self._records) - 1, len(self._columns) - 1)
                self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.ToolTipRole])

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
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(record, column, self._columns, self._given_way)
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


# -- columns that share the view's width -----------------------------------------------------------
class PiecesDelegate(QStyledItemDelegate):
    """Draws and measures a cell with the parts that must not break joined (``Width.pieces``,
    ``Width.whole``); the model's text, which the search filters on, stays plain."""

    LINES = 4  # a row grows to at most this many lines; the rest is in the cell's tooltip

    def __init__(self, view: QTableView, columns: Sequence[Column[Any]]) -> None:
        super().__init__(view)
        self.view = view
        self.widths = [column.width for column in columns]

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        tallest = self.view.fontMetrics().lineSpacing() * self.LINES + 8
        return QSize(hint.width(), min(hint.height(), tallest))

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        width = self.widths[index.column()] if 0 <= index.column() < len(self.widths) else None
        if width is None or not option.text:  # type: ignore[attr-defined]
            return
        if width.whole:
            option.text = whole(option.text)  # type: ignore[attr-defined]
        elif width.pieces is not None:
            option.text = width.pieces.sub(lambda m: whole(m.group(0)), option.text)  # type: ignore[attr-defined]


class WidthModel(Protocol):
    """What ``WidthSharing`` reads of a model: ``RecordTableModel``, and ``PagedTableModel`` (which
    gives no records: its columns are sized by their headers and ``Width`` samples alone)."""

    def columns(self) -> list[Column[Any]]: ...

    def records(self) -> list[Any]: ...

    def set_given_way(self, columns: Sequence[int]) -> None: ...


class WidthSharing(QObject):
    """Keeps the columns of a view over a ``RecordTableModel`` within the view's width (see
    ``share_width``): again when the view is resized or the model is reloaded."""

    def __init__(self, view: QTableView, model: WidthModel) -> None:
        super().__init__(view)
        self.view = view
        self.model = model
        self.columns = model.columns()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # a burst of resizes is laid out once
        self._timer.timeout.connect(self.apply)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        return False

    def widths(self) -> tuple[list[int], list[int]]:
        """Each column's least width and the width it wants (at least its least)."""
        view = self.view
        metrics = view.fontMetrics()
        header_metrics = view.horizontalHeader().fontMetrics()
        pad = 2 * view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin, None, view) + 14
        arrow = 16  # the sort indicator beside the header's text
        least, wants = [], []
        records = self.model.records()
        for column in self.columns:
            width = column.width or Width()
            fewest = max(
                header_metrics.horizontalAdvance(column.header) + arrow,
                metrics.horizontalAdvance(width.least),
            )
            if width.whole:
                fewest = max([fewest] + [metrics.horizontalAdvance(column.text(r)) for r in records])
            else:  # wraps, but never inside a word (Chinese breaks between any two characters)
                pattern = WORD if width.pieces is None else width.pieces
                texts = {column.text(r) for r in records}
                pieces = {m.group(0) for text in texts for m in pattern.finditer(text)}
                if width.pieces is not None:
                    pieces |= {m.group(0) for text in texts for m in WORD.finditer(text)}
                fewest = max([fewest] + [metrics.horizontalAdvance(piece) for piece in pieces])
            least.append(fewest + pad)
            wants.append(max(fewest, metrics.horizontalAdvance(width.wants)) + pad)
        return least, wants

    def available(self) -> int:
        """The viewport's width with room kept for the vertical scroll bar (rows grow as they wrap,
        and a scroll bar appearing must not make the columns scroll sideways)."""
        bar = self.view.verticalScrollBar()
        return self.view.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width())

    def apply(self) -> None:
        header = self.view.horizontalHeader()
        available = self.available()
        if available <= 0:
            return
        least, wants = self.widths()
        shown = list(range(len(self.columns)))
        order = sorted(
            (c for c in shown if (self.columns[c].width or Width()).gives_way > 0),
            key=lambda c: (self.columns[c].width or Width()).gives_way,
        )
        while sum(wants[c] for c in shown) > available and order:
            shown.remove(order.pop(0))
        if sum(least[c] for c in shown) > available:  # a very narrow view: every column gives way alike
            total = sum(least[c] for c in shown)
            least = [w * available // total for w in least]
        spare = max(0, available - sum(least[c] for c in shown))
        weights = {c: (self.columns[c].width or Width()).weight for c in shown}
        total_weight = sum(weights.values()) or 1
        for column in range(len(self.columns)):
            hidden = column not in shown
            header.setSectionHidden(column, hidden)
            if not hidden:
                header.resizeSection(column, least[column] + int(spare * weights[column] / total_weight))
        self.model.set_given_way([c for c in range(len(self.columns)) if c not in shown])


def share_width(view: QTableView, model: RecordTableModel[Any]) -> WidthSharing:
    """The columns of ``view`` share its width instead of scrolling sideways: each at least as wide
    as its header and what must not break in it (``Column.width``), the rest by weight; when even
    that does not fit, the columns that give way are hidden (and read in each cell's tooltip). Long
    cells wrap and the rows grow (to ``PiecesDelegate.LINES`` lines)."""
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setItemDelegate(PiecesDelegate(view, model.columns()))
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setStretchLastSection(True)
    # Each row as tall as its wrapped cells (Qt measures them at the columns' widths, also after a
    # sort or a search); the delegate caps the height.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    sharing = WidthSharing(view, model)
    model.modelReset.connect(sharing.apply)
    return sharing
