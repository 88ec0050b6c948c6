"""The witness's grid as data: experts as columns, items as rows, the totals row and the row of the
experts' general remarks; and what a key does to it (space, digits, Delete), apart from Qt's view so
that the key handling is measured and tested on its own.

``GridState`` holds the marks as typed (points and remark per cell, a general remark per expert);
``GridModel`` shows it in a ``QTableView``: column 0 the item (code and text), column 1 its default
points and range, then one column per expert in the session's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from desktop_app.services.evaluations.types import GridInput, GridMark, ItemLine, SessionExpert

ITEM_COLUMN = 0
RANGE_COLUMN = 1
FIRST_EXPERT_COLUMN = 2
MARKED_BACKGROUND = QColor("#fde2e1")
SERIOUS_FOREGROUND = QColor("#b71c1c")
ERROR_BACKGROUND = QColor("#f8b4b4")
TOTAL_BACKGROUND = QColor("#eef1f5")
# Qt.ItemDataRole.UserRole: the cell's (subject_id, item_code), for tests and the view.
CELL_ROLE = 0x0100
DISPLAY = Qt.ItemDataRole.DisplayRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
CENTRE = int(Qt.AlignmentFlag.AlignCenter.value)
# The roles a cell's look answers, and their place in the cached tuple.
_SLOTS = {
    DISPLAY: 0,
    Qt.ItemDataRole.TextAlignmentRole.value: 1,
    Qt.ItemDataRole.BackgroundRole.value: 2,
    Qt.ItemDataRole.ForegroundRole.value: 3,
    Qt.ItemDataRole.FontRole.value: 4,
}


@dataclass
class KeyOutcome:
    """What a key did to the grid: ``changed`` (the cell's points), and a note for the status line
    ('' when there is nothing to say)."""

    changed: bool = False
    note: str = ""
    refused: bool = False


@dataclass
class GridState:
    """The grid as typed. Remarks of a cell unmarked are kept while the window is open (a space
    pressed by mistake and pressed again gives the remark back); only marked cells are saved."""

    experts: tuple[SessionExpert, ...]
    items: tuple[ItemLine, ...]
    points: dict[tuple[int, str], int] = field(default_factory=dict)
    remarks: dict[tuple[int, str], str] = field(default_factory=dict)
    expert_remarks: dict[int, str] = field(default_factory=dict)
    pending: str = ""  # the first digit of a two-digit number, typed on the current cell

    @classmethod
    def of(
        cls, experts: tuple[SessionExpert, ...], items: tuple[ItemLine, ...], grid: GridInput
    ) -> GridState:
        state = cls(experts, items)
        state.load(grid)
        return state

    def load(self, grid: GridInput) -> None:
        self.points = {(m.subject_id, m.item_code): m.points for m in grid.marks}
        self.remarks = {(m.subject_id, m.item_code): m.remark for m in grid.marks if m.remark}
        self.expert_remarks = {k: v for k, v in grid.expert_remarks.items() if v}
        self.pending = ""

    def grid_input(self) -> GridInput:
        """What is saved (the draft) or finalised: the marked cells in the grid's order."""
        marks = []
        for expert in self.experts:
            for item in self.items:
                key = (expert.subject_id, item.code)
                if key in self.points:
                    marks.append(
                        GridMark(expert.subject_id, item.code, self.points[key], self.remarks.get(key, ""))
                    )
        remarks = {
            e.subject_id: self.expert_remarks[e.subject_id].strip()
            for e in self.experts
            if self.expert_remarks.get(e.subject_id, "").strip()
        }
        return GridInput(tuple(marks), remarks)

    def total(self, subject_id: int) -> int:
        return sum(points for (sid, _code), points in self.points.items() if sid == subject_id)

    def marks_of(self, subject_id: int) -> int:
        return sum(1 for sid, _code in self.points if sid == subject_id)

    # -- what the keys do -------------------------------------------------------------------------
    def toggle(self, subject_id: int, item: ItemLine) -> KeyOutcome:
        """Space: mark with the item's default points, or unmark."""
        self.pending = ""
        key = (subject_id, item.code)
        if key in self.points:
            del self.points[key]
        else:
            self.points[key] = item.default_points
        return KeyOutcome(changed=True)

    def unmark(self, subject_id: int, item: ItemLine) -> KeyOutcome:
        self.pending = ""
        return KeyOutcome(changed=self.points.pop((subject_id, item.code), None) is not None)

    def digit(self, subject_id: int, item: ItemLine, digit: int) -> KeyOutcome:
        """A digit: the points within the item's range. Two digits make 10–15 (the first one waits
        when it begins no number of the range by itself); 0 first unmarks the cell."""
        key = (subject_id, item.code)
        low, high = item.min_points, item.max_points
        typed = self.pending + str(digit) if self.pending else str(digit)
        if self.pending and not (low <= int(typed) <= high or _begins(typed, low, high)):
            typed = str(digit)  # a new number rather than a wrong second digit
        self.pending = ""
        value = int(typed)
        if value == 0 and typed == "0" and not low <= 0:
            return KeyOutcome(changed=self.points.pop(key, None) is not None)
        if low <= value <= high:
            self.points[key] = value
            if value * 10 <= high:
                self.pending = typed  # 1 of a range 1–15: set, and a second digit may follow
            return KeyOutcome(changed=True)
        if _begins(typed, low, high):
            self.pending = typed
            return KeyOutcome(
                note=QCoreApplication.translate("EvaluationGrid", "%1… (type the second digit)").replace(
                    "%1", typed
                )
            )
        return KeyOutcome(
            refused=True,
            note=QCoreApplication.translate("EvaluationGrid", "%1: points from %2 to %3")
            .replace("%1", item.code)
            .replace("%2", str(low))
            .replace("%3", str(high)),
        )


def _begins(typed: str, low: int, high: int) -> bool:
    """Whether ``typed`` begins a longer number of the range."""
    return any(
        str(value).startswith(typed) and len(str(value)) > len(typed)
        for value in range(max(low, 0), high + 1)
    )


class GridModel(QAbstractTableModel):
    """The grid on screen: the items' rows, then the totals row and the general remarks' row."""

    def __init__(self, state: GridState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.read_only = False
        self.errors: dict[tuple[int, str], str] = {}  # cells refused by the service: their messages
        self._bold = QFont()
        self._bold.setBold(True)
        self._marked = QBrush(MARKED_BACKGROUND)
        self._error = QBrush(ERROR_BACKGROUND)
        self._total = QBrush(TOTAL_BACKGROUND)
        self._serious = QBrush(SERIOUS_FOREGROUND)
        self._looks: dict[tuple[int, int], tuple[Any, ...]] = {}

    # -- shape ------------------------------------------------------------------------------------
    @property
    def total_row(self) -> int:
        return len(self.state.items)

    @property
    def remark_row(self) -> int:
        return len(self.state.items) + 1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.items) + 2

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_EXPERT_COLUMN + len(self.state.experts)

    def expert_at(self, column: int) -> SessionExpert | None:
        index = column - FIRST_EXPERT_COLUMN
        return self.state.experts[index] if 0 <= index < len(self.state.experts) else None

    def item_at(self, row: int) -> ItemLine | None:
        return self.state.items[row] if 0 <= row < len(self.state.items) else None

    def cell_index(self, subject_id: int, code: str) -> QModelIndex:
        column = next(
            (FIRST_EXPERT_COLUMN + i for i, e in enumerate(self.state.experts) if e.subject_id == subject_id),
            -1,
        )
        row = next((r for r, item in enumerate(self.state.items) if item.code == code), -1)
        return self.index(row, column) if row >= 0 and column >= 0 else QModelIndex()

    # -- contents ---------------------------------------------------------------------------------
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        expert = self.expert_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == ITEM_COLUMN:
                return QCoreApplication.translate("EvaluationGrid", "Item")
            if section == RANGE_COLUMN:
                return QCoreApplication.translate("EvaluationGrid", "Points")
            if expert is not None:
                return f"{expert.name}\n{expert.expert_no}" if expert.expert_no else expert.name
        if role == Qt.ItemDataRole.ToolTipRole and expert is not None:
            parts = [expert.name, expert.expert_no, expert.specialty, expert.id_number_masked]
            return " · ".join(p for p in parts if p)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        """What a cell shows, from a cache of each cell's look (a repaint asks ~7 roles of every
        cell: computed once, until the cell changes)."""
        if not index.isValid():
            return None
        slot = _SLOTS.get(role)
        if slot is None:
            if role == TOOLTIP:
                return self._tooltip(index.row(), index.column())
            if role == CELL_ROLE:
                return self._cell_key(index.row(), index.column())
            return None
        where = (index.row(), index.column())
        look = self._looks.get(where)
        if look is None:
            look = self._looks[where] = self._look(*where)
        return look[slot]

    def _cell_key(self, row: int, column: int) -> tuple[int, str] | None:
        item, expert = self.item_at(row), self.expert_at(column)
        return (expert.subject_id, item.code) if item is not None and expert is not None else None

    def _look(self, row: int, column: int) -> tuple[Any, ...]:
        """(display, alignment, background, foreground, font) of a cell."""
        item = self.item_at(row)
        expert = self.expert_at(column)
        centre = CENTRE
        if column < FIRST_EXPERT_COLUMN:
            if item is None:
                text = ""
                if column == ITEM_COLUMN:
                    text = (
                        QCoreApplication.translate("EvaluationGrid", "Total")
                        if row == self.total_row
                        else QCoreApplication.translate("EvaluationGrid", "General remark")
                    )
                return (text, None, self._total, None, self._bold)
            if column == ITEM_COLUMN:
                text = f"{item.code} {item.text}"
                return (text, None, None, self._serious if item.serious else None, None)
            if item.min_points == item.max_points:
                text = str(item.default_points)
            else:
                text = f"{item.default_points} ({item.min_points}–{item.max_points})"
            return (text, centre, None, self._serious if item.serious else None, None)
        if expert is None:
            return (None, None, None, None, None)
        sid = expert.subject_id
        if item is None:
            if row == self.total_row:
                return (str(self.state.total(sid)), centre, self._total, None, self._bold)
            remark = self.state.expert_remarks.get(sid, "")
            return (remark.replace("\n", " "), None, self._total, None, None)
        key = (sid, item.code)
        points = self.state.points.get(key)
        if points is None:
            return ("", centre, self._error if key in self.errors else None, None, None)
        remark = self.state.remarks.get(key, "")
        return (
            f"{points} ✎" if remark else str(points),
            centre,
            self._error if key in self.errors else self._marked,
            self._serious if item.serious else None,
            self._bold,
        )

    def _tooltip(self, row: int, column: int) -> str | None:
        item = self.item_at(row)
        expert = self.expert_at(column)
        if column < FIRST_EXPERT_COLUMN:
            if item is None:
                return None
            text = (
                QCoreApplication.translate("EvaluationGrid", "%1 %2: %3 points by default, from %4 to %5")
                .replace("%1", item.code)
                .replace("%2", item.text)
                .replace("%3", str(item.default_points))
                .replace("%4", str(item.min_points))
                .replace("%5", str(item.max_points))
            )
            return text + (QCoreApplication.translate("EvaluationGrid", " (serious)") if item.serious else "")
        if expert is None:
            return None
        sid = expert.subject_id
        if item is None:
            if row == self.total_row:
                return (
                    QCoreApplication.translate("EvaluationGrid", "%1: %2 points in %3 marks")
                    .replace("%1", expert.name)
                    .replace("%2", str(self.state.total(sid)))
                    .replace("%3", str(self.state.marks_of(sid)))
                )
            remark = self.state.expert_remarks.get(sid, "")
            return f"{expert.name}: {remark}" if remark else None
        key = (sid, item.code)
        lines = [f"{expert.name} · {item.code} {item.text}"]
        if key in self.state.points and self.state.remarks.get(key):
            lines.append(self.state.remarks[key])
        if key in self.errors:
            lines.append(self.errors[key])
        return "\n".join(lines)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- changes ----------------------------------------------------------------------------------
    def cell_changed(self, index: QModelIndex) -> None:
        """A cell's points or remark changed: it and its expert's total are drawn again."""
        self.errors.pop(self._cell_key(index.row(), index.column()) or (0, ""), None)
        self._looks.pop((index.row(), index.column()), None)
        self._looks.pop((self.total_row, index.column()), None)
        self.dataChanged.emit(index, index)
        total = self.index(self.total_row, index.column())
        self.dataChanged.emit(total, total)

    def expert_remark_changed(self, column: int) -> None:
        self._looks.pop((self.remark_row, column), None)
        cell = self.index(self.remark_row, column)
        self.dataChanged.emit(cell, cell)

    def reset(self, state: GridState) -> None:
        self.beginResetModel()
        self.state = state
        self.errors = {}
        self._looks = {}
        self.endResetModel()

    def set_errors(self, errors: dict[tuple[int, str], str]) -> None:
        self.beginResetModel()
        self.errors = dict(errors)
        self._looks = {}
        self.endResetModel()
