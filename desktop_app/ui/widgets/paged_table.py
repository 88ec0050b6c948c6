"""A table over a list too big to hold (200,000 complaints, the audit trail): rows are read a block at
a time from a source that a service wraps, as the view comes to them.

The source (``PageSource``) is plain Python: ``count()`` and ``rows(offset, limit)``, with the filter
and the order already inside it. The model knows the count at once, so the scroll bar is right and
the user can drag to row 150,000; it reads the block a row falls in when the view first asks for the
row, synchronously (a block of 200 is a few milliseconds on an indexed query: see
``benchmarks/paged_table_bench.py``), and keeps the blocks read last (``max_blocks``), so memory stays
bounded however far one scrolls. Sorting is the service's: a header click asks the page for a source
in the new order (``sort_requested``); a filter changed by the page is a new source too
(``reset_source``). Columns are described as for ``RecordTableModel`` (``tables.Column``), with
``order_by`` naming the service's order for a sortable column.

Wiring a page::

    model = PagedTableModel(columns, key=lambda case: case.id, tone=case_tone)
    model.sort_requested.connect(lambda order_by, descending: reload(order=(order_by, descending)))
    view = make_paged_view(model, "complaints_table", self.tr("Complaints"), self)
    model.reset_source(services.complaints.listing(actor, flt, order))   # count() and rows()

``make_paged_view`` keeps the selected row on the same item (by ``key``) across a new source, and
the rows the user was looking at where they were when the item is gone. Never put a proxy model on
top: ``QSortFilterProxyModel`` reads every row to sort or filter.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_app.ui.widgets.tables import (
    MUTED,
    RECORD_ROLE,
    SORT_ROLE,
    Column,
    WidthSharing,
    cell_tooltip,
    make_table_view,
)

log = logging.getLogger(__name__)

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)
AnyIndex = QModelIndex | QPersistentModelIndex


class PageSource(Protocol[R_co]):
    """One filtered, ordered list as a service offers it: how many rows, and a slice of them."""

    def count(self) -> int: ...

    def rows(self, offset: int, limit: int) -> Sequence[R_co]: ...


@runtime_checkable
class LocatingSource(PageSource[R_co], Protocol[R_co]):
    """A source that can say where an item is in its order (a ``COUNT`` of the rows before it): the
    selection then follows the item anywhere in a new source, not only near where it was."""

    def position(self, key: Any) -> int | None: ...


class ListSource(Generic[R]):
    """A ``PageSource`` over a list in memory (small lists, tests)."""

    def __init__(self, rows: Sequence[R]) -> None:
        self.items = list(rows)

    def count(self) -> int:
        return len(self.items)

    def rows(self, offset: int, limit: int) -> Sequence[R]:
        return self.items[offset : offset + limit]


class Tone(Enum):
    """How a row stands out (``PagedTableModel(tone=...)``): a case overdue, one due soon, one closed."""

    ALARM = "alarm"
    WARNING = "warning"
    MUTED = "muted"


# (background, text) of each tone; the same reds and ambers as the credit and import tables.
TONE_COLOURS: dict[Tone, tuple[QColor | None, QColor]] = {
    Tone.ALARM: (QColor("#fdecea"), QColor("#b71c1c")),
    Tone.WARNING: (QColor("#fff3cd"), QColor("#7a4f01")),
    Tone.MUTED: (None, MUTED),
}
TONE_BRUSHES: dict[Tone, tuple[QBrush | None, QBrush]] = {
    tone: (QBrush(background) if background is not None else None, QBrush(text))
    for tone, (background, text) in TONE_COLOURS.items()
}

DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
ANSWERED = frozenset({DISPLAY, ALIGNMENT, BACKGROUND, FOREGROUND, TOOLTIP, int(RECORD_ROLE), int(SORT_ROLE)})
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class PagedTableModel(QAbstractTableModel, Generic[R]):
    """Rows from a ``PageSource``, read ``block_size`` at a time, the last ``max_blocks`` kept.

    ``key(row)`` names an item across sources (the selection follows it); ``tone(row)`` colours a
    row. ``fetches`` counts the blocks read since the model was made (benchmarks, tests)."""

    # The column's ``order_by`` ("" for the source's own order) and whether descending: the page
    # answers with ``reset_source`` of a source in that order.
    sort_requested = Signal(str, bool)
    # A block could not be read (the exception): its rows stay empty until the next source or
    # ``refresh``. Emitted after the paint that asked for it, never inside it.
    fetch_failed = Signal(object)

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        key: Callable[[R], Hashable] | None = None,
        tone: Callable[[R], Tone | None] | None = None,
        block_size: int = 200,
        max_blocks: int = 30,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if block_size < 1 or max_blocks < 3:
            raise ValueError("block_size >= 1 and max_blocks >= 3 (a screen may span two blocks)")
        self._columns = list(columns)
        self._key = key
        self._tone = tone
        self.block_size = block_size
        self.max_blocks = max_blocks
        self._source: PageSource[R] | None = None
        self._total = 0
        self._blocks: OrderedDict[int, Sequence[R]] = OrderedDict()
        self._last: tuple[int, Sequence[R]] | None = None  # the block read last: most cells are in it
        self._failed = False
        self._given_way: list[int] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.fetches = 0

    # -- feeding ---------------------------------------------------------------------------------
    def source(self) -> PageSource[R] | None:
        return self._source

    def reset_source(self, source: PageSource[R] | None) -> None:
        """Show ``source`` (a new filter or order, or the same list read again). The count is taken
        before the reset, so a count that fails leaves the model as it was."""
        total = max(0, source.count()) if source is not None else 0
        self.beginResetModel()
        self._source = source
        self._total = total
        self._drop_blocks()
        self._failed = False
        self.endResetModel()

    def refresh(self) -> None:
        """The same source read again (rows written since): count, then blocks as the view asks."""
        self.reset_source(self._source)

    def set_sort(self, order_by: str | None, descending: bool = False) -> None:
        """The order the page's source is in (shown by the header's indicator after the next reset);
        no ``sort_requested``. ``None``: the source's own order."""
        column = next((i for i, c in enumerate(self._columns) if order_by and c.order_by == order_by), -1)
        self._sort_column = column
        self._sort_order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        """The column the rows are sorted by (-1: none) and the order, as the header shows them."""
        return self._sort_column, self._sort_order

    def columns(self) -> list[Column[R]]:
        return list(self._columns)

    def shares_width(self) -> bool:
        return any(column.width is not None for column in self._columns)

    def records(self) -> list[R]:
        """No rows for ``tables.WidthSharing`` to measure: the columns of a paged list are as wide as
        their headers and their ``Width`` samples say, so they do not jump as the user scrolls or
        filters, and sizing them reads nothing."""
        return []

    def set_given_way(self, columns: Sequence[int]) -> None:
        """The columns the view hides for want of width; each cell's tooltip then reads them."""
        if list(columns) != self._given_way:
            self._given_way = list(columns)
            if self._total:
                last = self.index(self._total - 1, len(self._columns) - 1)
                self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.ToolTipRole])

    def loaded_blocks(self) -> list[int]:
        """The numbers of the blocks held, the least recently used first."""
        return list(self._blocks)

    # -- rows ------------------------------------------------------------------------------------
    def row_at(self, index: AnyIndex | int) -> R | None:
        """The item of a row (an index of this model, or a row number); None for no such row, or a
        row gone from the source since it was counted."""
        row = index if isinstance(index, int) else (index.row() if index.isValid() else -1)
        if not 0 <= row < self._total:
            return None
        number, within = divmod(row, self.block_size)
        block = self._block(number)
        return block[within] if within < len(block) else None

    def key_of(self, row: int) -> Hashable | None:
        item = self.row_at(row)
        return None if item is None or self._key is None else self._key(item)

    def row_of_key(self, key: Hashable, near: int = 0) -> int:
        """The row of the item named ``key``, or -1. Looked for in the blocks held, then in the block
        of row ``near`` (read: the same list read again has it there, and it is the block the view
        shows next), then where the source says (``LocatingSource``: one COUNT), else in the
        blocks on either side of ``near``."""
        if self._key is None or self._source is None or self._total == 0:
            return -1
        for number, block in list(self._blocks.items()):
            row = self._find_in(block, key)
            if row >= 0:
                return number * self.block_size + row
        middle = min(max(near, 0), self._total - 1) // self.block_size
        row = self._find_in(self._block(middle), key)
        if row >= 0:
            return middle * self.block_size + row
        if isinstance(self._source, LocatingSource):
            found = self._source.position(key)
            return found if found is not None and 0 <= found < self._total else -1
        for number in (middle - 1, middle + 1):
            if 0 <= number * self.block_size < self._total and number not in self._blocks:
                row = self._find_in(self._block(number), key)
                if row >= 0:
                    return number * self.block_size + row
        return -1

    def _find_in(self, block: Sequence[R], key: Hashable) -> int:
        assert self._key is not None
        return next((i for i, item in enumerate(block) if self._key(item) == key), -1)

    def _block(self, number: int) -> Sequence[R]:
        last = self._last
        if last is not None and last[0] == number:
            return last[1]
        block = self._blocks.get(number)
        if block is None:
            block = self._read(number)
            self._blocks[number] = block
            while len(self._blocks) > self.max_blocks:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        self._last = (number, block)
        return block

    def _read(self, number: int) -> Sequence[R]:
        offset = number * self.block_size
        if self._source is None or self._failed:
            return ()
        self.fetches += 1
        try:
            return list(self._source.rows(offset, min(self.block_size, self._total - offset)))
        except Exception as error:
            # Inside a paint there is no one to tell: the page hears of it once the paint is over,
            # and the rest of this source is not read again (a broken query would fail each row).
            log.exception("Rows %d.. of the list could not be read", offset)
            self._failed = True
            failure = error
            QTimer.singleShot(0, self, lambda: self.fetch_failed.emit(failure))
            return ()

    def _drop_blocks(self) -> None:
        self._blocks.clear()
        self._last = None

    # -- Qt --------------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        # Asked seven times for each cell on screen at every paint (text, icon, font, alignment,
        # colours, check state): the roles not answered leave first, and plain ints are compared.
        if role not in ANSWERED:
            return None
        row = index.row()  # -1 for an invalid index
        column = index.column()
        if not (0 <= row < self._total and 0 <= column < len(self._columns)):
            return None
        number, within = divmod(row, self.block_size)
        last = self._last
        block = last[1] if last is not None and last[0] == number else self._block(number)
        if within >= len(block):
            return None
        item = block[within]
        if role == DISPLAY:
            return self._columns[column].text(item)
        if role in (BACKGROUND, FOREGROUND):
            tone = self._tone(item) if self._tone is not None else None
            if tone is None:
                return None
            return TONE_BRUSHES[tone][0 if role == BACKGROUND else 1]
        if role == ALIGNMENT:
            return RIGHT if self._columns[column].align_right else None
        if role == TOOLTIP:
            return cell_tooltip(item, self._columns[column], self._columns, self._given_way)
        if role == RECORD_ROLE:
            return item
        spec = self._columns[column]  # SORT_ROLE
        return spec.sort(item) if spec.sort else spec.text(item)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header if 0 <= section < len(self._columns) else None
        return section + 1 if 0 <= section < self._total else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: ask for a source in that order (the rows stay as they are until it comes).
        A column without ``order_by`` is not sortable here: nothing is asked."""
        if (column, order) == (self._sort_column, self._sort_order):
            return
        order_by = self._columns[column].order_by if 0 <= column < len(self._columns) else ""
        if column >= 0 and not order_by:
            return
        self._sort_column, self._sort_order = column, order
        self.sort_requested.emit(order_by or "", order == Qt.SortOrder.DescendingOrder)


class PagedViewKeeper(QObject):
    """Across ``reset_source``: the selected item stays selected (found by its key) at the same
    height on screen; when it is gone, the row that was at the top stays there (a list read again);
    when that is gone too, the list starts at its top (another filter)."""

    def __init__(self, view: QTableView, model: PagedTableModel[Any]) -> None:
        super().__init__(view)
        self.view = view
        self.model = model
        self._selected: tuple[Hashable, int, int, int] | None = None  # key, row, its height on screen, column
        self._top: tuple[Hashable, int] | None = None  # key, row
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)
        view.horizontalHeader().sortIndicatorChanged.connect(self._indicator_changed)

    def _remember(self) -> None:
        self._selected = self._top = None
        top = self.view.rowAt(0)
        selection = self.view.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        if rows:
            row = rows[0].row()
            key = self.model.key_of(row)
            if key is not None:
                self._selected = (key, row, row - max(top, 0), max(self.view.currentIndex().column(), 0))
        if top >= 0:
            key = self.model.key_of(top)
            if key is not None:
                self._top = (key, top)

    def _restore(self) -> None:
        self._show_sort()
        selected, top = self._selected, self._top
        self._selected = self._top = None
        # The scroll bar's range follows the new count only at the view's next layout: bring it
        # forward, or a row beyond the old count could not be scrolled to.
        self.view.updateGeometries()
        bar = self.view.verticalScrollBar()
        if selected is not None:
            key, old_row, height, column = selected
            row = self.model.row_of_key(key, near=old_row)
            if row >= 0:
                bar.setValue(max(0, row - height))
                index = self.model.index(row, column)
                flags = (
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.view.selectionModel().setCurrentIndex(index, flags)
                return
        if top is not None:
            key, old_row = top
            row = self.model.row_of_key(key, near=old_row)
            if row >= 0:
                bar.setValue(row)
                return
        bar.setValue(0)

    def _show_sort(self) -> None:
        column, order = self.model.sort_state()
        header = self.view.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            blocked = header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(blocked)

    def _indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        # The view has asked the model to sort; a column the service cannot sort by keeps the
        # indicator where the rows really are sorted.
        if (section, order) != self.model.sort_state():
            self._show_sort()


def make_paged_view(
    model: PagedTableModel[Any], object_name: str, accessible_name: str, parent: QWidget | None = None
) -> QTableView:
    """The house table view (``tables.make_table_view``: rows selected whole, copy of the current
    cell with Ctrl+C, keyboard navigation) over ``model``, with rows of one fixed height (nothing
    is measured row by row: 200,000 rows cost what the screen shows), header clicks as sort requests,
    the selection kept across sources (``PagedViewKeeper``), and columns that share the width when
    they say how (``tables.WidthSharing`` from the headers and the ``Width`` samples alone: give a
    date column ``least`` a date; cells elide rather than wrap)."""
    view = make_table_view(object_name, accessible_name, parent)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setModel(model)
    header = view.horizontalHeader()
    header.setSortIndicatorShown(True)
    column, order = model.sort_state()
    header.setSortIndicator(column, order)
    view.setSortingEnabled(True)  # asks model.sort for the state it already has: nothing happens
    keeper = PagedViewKeeper(view, model)
    keeper.setObjectName("paged_view_keeper")
    if model.shares_width():
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        sharing = WidthSharing(view, model)
        model.modelReset.connect(sharing.apply)
    return view
