"""A staff member's monthly sheet as data, and what a key does to it, apart from Qt's view so that the
key handling is measured and tested on its own.

``SheetDraft`` holds the sheet as typed: its lines (the service's, in its order, and the lines added
here), the points, evidence and remark of each; its total, subtotals, grade and veto come from
``domain.scoring.sheet_total`` with the month's rule, computed again at every change (a dozen lines:
well under a millisecond). ``SheetModel`` shows it in a ``QTableView``: the five dimensions in order,
each a heading row with its subtotal, then its lines — base, deductions, bonuses.
"""

from __future__ import annotations

import itertools
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

from desktop_app.domain.scoring import (
    DIMENSION_LABELS,
    Bands,
    ContestState,
    Dimension,
    ItemKind,
    Line,
    ScoringRule,
    SheetState,
    Total,
    sheet_total,
)
from desktop_app.services.scoring.types import (
    EntryInfo,
    EntryInput,
    RuleInfo,
    SchemeItemInfo,
    SheetInfo,
    SheetInput,
)

ITEM_COLUMN, RANGE_COLUMN, POINTS_COLUMN, EVIDENCE_COLUMN, REMARK_COLUMN, SOURCE_COLUMN = range(6)
COLUMNS = 6
KIND_ORDER = {ItemKind.BASE: 0, ItemKind.DEDUCTION: 1, ItemKind.BONUS: 2}
HEADING_BACKGROUND = QColor("#eef1f5")
CHANGED_BACKGROUND = QColor("#fff3c4")
AUTOMATIC_FOREGROUND = QColor("#1565c0")
WITHDRAWN_FOREGROUND = QColor("#8a8a8a")
DEDUCTION_FOREGROUND = QColor("#b71c1c")
BONUS_FOREGROUND = QColor("#2e7d32")
DISPLAY = Qt.ItemDataRole.DisplayRole.value
CENTRE = int(Qt.AlignmentFlag.AlignCenter.value)
_SLOTS = {
    DISPLAY: 0,
    Qt.ItemDataRole.TextAlignmentRole.value: 1,
    Qt.ItemDataRole.BackgroundRole.value: 2,
    Qt.ItemDataRole.ForegroundRole.value: 3,
    Qt.ItemDataRole.FontRole.value: 4,
}


# -- labels ---------------------------------------------------------------------------------------
def kind_label(kind: ItemKind) -> str:
    return {
        ItemKind.BASE: QCoreApplication.translate("ScoringLabels", "Base"),
        ItemKind.DEDUCTION: QCoreApplication.translate("ScoringLabels", "Deduction"),
        ItemKind.BONUS: QCoreApplication.translate("ScoringLabels", "Bonus"),
    }[kind]


def sheet_state_label(state: SheetState) -> str:
    return {
        SheetState.DRAFT: QCoreApplication.translate("ScoringLabels", "Being filled"),
        SheetState.SUBMITTED: QCoreApplication.translate("ScoringLabels", "Submitted"),
        SheetState.LOCKED: QCoreApplication.translate("ScoringLabels", "Locked"),
    }[state]


def contest_label(state: ContestState) -> str:
    return {
        ContestState.NONE: "",
        ContestState.CONTESTED: QCoreApplication.translate("ScoringLabels", "contested"),
        ContestState.UPHELD: QCoreApplication.translate("ScoringLabels", "contest not accepted"),
        ContestState.WITHDRAWN: QCoreApplication.translate("ScoringLabels", "withdrawn"),
    }[state]


def auto_source_label(entry: EntryInfo) -> str:
    from desktop_app.domain.scoring import AutoSource

    if entry.auto_source is None:
        return ""
    return {
        AutoSource.COMPLAINT_TRUE: QCoreApplication.translate("ScoringLabels", "Complaint found true"),
        AutoSource.COMPLAINT_OVERDUE: QCoreApplication.translate("ScoringLabels", "Case closed late"),
        AutoSource.BAD_RATING: QCoreApplication.translate("ScoringLabels", "Bad rating at follow-up"),
        AutoSource.PRAISE: QCoreApplication.translate("ScoringLabels", "Praise"),
        AutoSource.STAFF_RECORD: QCoreApplication.translate("ScoringLabels", "Staff integrity record"),
    }[entry.auto_source]


def dimension_label(dimension: Dimension) -> str:
    return DIMENSION_LABELS[dimension]  # 德能勤绩廉: the trade's own words in either language


def points_text(value: float) -> str:
    """12, 0.5, 7.5 (no trailing zeros)."""
    return f"{value:g}"


def rule_of(info: RuleInfo) -> ScoringRule:
    """The month's rule (bands, veto cap, quota) as the domain computes with it."""
    return ScoringRule(
        effective_from=info.effective_from,
        monthly=Bands.parse(info.monthly_bands, info.monthly_worst),
        veto_cap=info.veto_cap,
        excellent=info.excellent,
        quota_percent=info.quota_percent,
        quota_min_size=info.quota_min_size,
        quarterly=Bands.parse(info.quarterly_bands, info.quarterly_worst),
        annual=Bands.parse(info.annual_bands, info.annual_worst),
    )


# -- the sheet as typed ---------------------------------------------------------------------------
_keys = itertools.count(1)


@dataclass
class SheetLine:
    """One line as typed. ``entry`` is the line as loaded (or made from the scheme's item)."""

    entry: EntryInfo
    points: float
    evidence: str
    remark: str
    key: int = field(default_factory=lambda: next(_keys))
    added: bool = False  # added in this window, not yet saved

    @property
    def automatic(self) -> bool:
        return self.entry.auto_source is not None

    @property
    def counts(self) -> bool:
        return self.entry.counts

    @property
    def changed(self) -> bool:
        e = self.entry
        return self.added or (self.points, self.evidence, self.remark) != (e.points, e.evidence, e.remark)

    def line(self) -> Line:
        present = self.automatic or self.points > 0
        return Line(self.entry.dimension, self.entry.kind, self.points, self.entry.veto and present)


@dataclass
class KeyOutcome:
    """What a key did: ``changed`` (the line's points), a note for the status line, a refusal."""

    changed: bool = False
    note: str = ""
    refused: bool = False


def line_of(entry: EntryInfo) -> SheetLine:
    return SheetLine(entry, entry.points, entry.evidence, entry.remark)


def entry_of_item(item: SchemeItemInfo) -> EntryInfo:
    """A new line of a scheme's item, at its default points."""
    return EntryInfo(
        id=None,
        item_code=item.code,
        dimension=item.dimension,
        kind=item.kind,
        text=item.text,
        points=item.points,
        min_points=item.min_points,
        max_points=item.max_points,
        evidence_required=item.evidence_required,
        veto=item.veto,
        evidence="",
        remark="",
        auto_source=None,
        source_type="",
        source_id=None,
        source_ref="",
        contest_state=ContestState.NONE,
        contest_reason="",
        decided_by="",
        decision_note="",
    )


class SheetDraft:
    """The sheet as typed, and its total."""

    def __init__(self, sheet: SheetInfo, rule: ScoringRule) -> None:
        self.sheet = sheet
        self.rule = rule
        self.lines: list[SheetLine] = [line_of(e) for e in sheet.entries]
        self.removed = False  # a saved manual line was deleted
        self.pending = ""  # the digits typed on the current line so far
        self.pending_key = 0
        self._total: Total | None = None

    # -- reading --------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.removed or any(line.changed for line in self.lines)

    def total(self) -> Total:
        if self._total is None:
            counted = [line.line() for line in self.lines if line.counts]
            self._total = sheet_total(counted, self.sheet.maximum, self.rule)
        return self._total

    def base_of(self, dimension: Dimension) -> float:
        return sum(
            line.entry.max_points
            for line in self.lines
            if line.entry.dimension == dimension and line.entry.kind == ItemKind.BASE
        )

    def ordered(self) -> list[tuple[Dimension, list[SheetLine]]]:
        """The dimensions in order, each with its lines: base, deductions, bonuses (as loaded within)."""
        groups: list[tuple[Dimension, list[SheetLine]]] = []
        for dimension in Dimension:
            lines = [line for line in self.lines if line.entry.dimension == dimension]
            lines.sort(key=lambda line: KIND_ORDER[line.entry.kind])
            groups.append((dimension, lines))
        return groups

    def sheet_input(self) -> SheetInput:
        """The manual lines as they are saved (automatic lines are the service's)."""
        entries = tuple(
            EntryInput(
                line.entry.item_code, line.points, line.evidence.strip(), line.remark.strip(), line.entry.id
            )
            for line in self.lines
            if not line.automatic
        )
        return SheetInput(entries, self.sheet.remark)

    # -- what the keys do -------------------------------------------------------------------------
    def changed(self) -> None:
        self._total = None

    def type_char(self, line: SheetLine, char: str) -> KeyOutcome:
        """A digit or the decimal point: the line's points, within its range. Digits typed one after
        another make one number (1 then 2: 12); one that would leave the range starts a new number."""
        if line.automatic:
            return KeyOutcome(refused=True, note=_automatic_note())
        if self.pending_key != line.key:
            self.pending, self.pending_key = "", line.key
        low, high = line.entry.min_points, line.entry.max_points
        for typed in (self.pending + char, char):
            if typed == ".":
                typed = "0."
            if not _could_be(typed, low, high):
                continue
            self.pending = typed
            value = float(typed)
            if low <= value <= high and not typed.endswith("."):
                if value != line.points:
                    line.points = value
                    self.changed()
                    return KeyOutcome(changed=True)
                return KeyOutcome()
            return KeyOutcome(
                note=QCoreApplication.translate("ScoringSheet", "%1… (type on)").replace("%1", typed)
            )
        return KeyOutcome(
            refused=True,
            note=QCoreApplication.translate("ScoringSheet", "%1: points from %2 to %3")
            .replace("%1", line.entry.item_code)
            .replace("%2", points_text(low))
            .replace("%3", points_text(high)),
        )

    def backspace(self, line: SheetLine) -> KeyOutcome:
        """The last digit typed taken back (the value shown when nothing was typed here yet)."""
        if line.automatic:
            return KeyOutcome(refused=True, note=_automatic_note())
        if self.pending_key != line.key or not self.pending:
            self.pending, self.pending_key = points_text(line.points), line.key
        self.pending = self.pending[:-1]
        low, high = line.entry.min_points, line.entry.max_points
        value = float(self.pending) if self.pending and self.pending != "." else 0.0
        if self.pending and self.pending.endswith("."):
            return KeyOutcome()
        if low <= value <= high and value != line.points:
            line.points = value
            self.changed()
            return KeyOutcome(changed=True)
        return KeyOutcome()

    def forget_typing(self) -> None:
        self.pending, self.pending_key = "", 0

    def add_line(self, item: SchemeItemInfo) -> SheetLine:
        line = SheetLine(entry_of_item(item), item.points, "", "", added=True)
        self.lines.append(line)
        self.changed()
        return line

    def remove_line(self, line: SheetLine) -> KeyOutcome:
        """Delete: a base line back to its full points; a manual deduction or bonus removed; an
        automatic line never (it is contested instead)."""
        if line.automatic:
            return KeyOutcome(refused=True, note=_automatic_note())
        self.forget_typing()
        if line.entry.kind == ItemKind.BASE:
            if line.points == line.entry.max_points:
                return KeyOutcome()
            line.points = line.entry.max_points
        else:
            self.lines.remove(line)
            self.removed = self.removed or not line.added
        self.changed()
        return KeyOutcome(changed=True)


def _could_be(typed: str, low: float, high: float) -> bool:
    """Whether ``typed`` is a number of the range, or begins one (``0.`` of 0.5, ``1`` of 12)."""
    try:
        value = float(typed)
    except ValueError:
        return False
    if typed.count(".") > 1 or len(typed) > 6:
        return False
    if low <= value <= high:
        return True
    if value > high:
        return False
    # Below the lowest: a longer number may still reach the range (1 of 15 when it is 10–20; 0. of 0.5).
    if "." in typed:
        return value + 10 ** -(len(typed) - typed.index(".") - 1) > low
    return value * 10 <= high


def _automatic_note() -> str:
    return QCoreApplication.translate(
        "ScoringSheet",
        "This line arrived by itself from its source: contest it (Enter) rather than change it.",
    )


# -- the table -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    dimension: Dimension
    line: SheetLine | None  # None: the dimension's heading row


class SheetModel(QAbstractTableModel):
    """The sheet on screen: per dimension, a heading row with the subtotal, then its lines."""

    def __init__(self, draft: SheetDraft, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.rows: list[Row] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._heading = QBrush(HEADING_BACKGROUND)
        self._changed = QBrush(CHANGED_BACKGROUND)
        self._automatic = QBrush(AUTOMATIC_FOREGROUND)
        self._withdrawn = QBrush(WITHDRAWN_FOREGROUND)
        self._deduction = QBrush(DEDUCTION_FOREGROUND)
        self._bonus = QBrush(BONUS_FOREGROUND)
        self._looks: dict[tuple[int, int], tuple[Any, ...]] = {}
        self._layout_rows()

    def _layout_rows(self) -> None:
        self.rows = []
        for dimension, lines in self.draft.ordered():
            self.rows.append(Row(dimension, None))
            self.rows.extend(Row(dimension, line) for line in lines)

    # -- shape ------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def line_at(self, row: int) -> SheetLine | None:
        return self.rows[row].line if 0 <= row < len(self.rows) else None

    def row_of(self, line: SheetLine) -> int:
        return next((r for r, row in enumerate(self.rows) if row.line is line), -1)

    def heading_row(self, dimension: Dimension) -> int:
        return next(r for r, row in enumerate(self.rows) if row.line is None and row.dimension == dimension)

    def first_line_row(self) -> int:
        return next((r for r, row in enumerate(self.rows) if row.line is not None), 0)

    # -- contents ---------------------------------------------------------------------------------
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            ITEM_COLUMN: QCoreApplication.translate("ScoringSheet", "Item"),
            RANGE_COLUMN: QCoreApplication.translate("ScoringSheet", "Range"),
            POINTS_COLUMN: QCoreApplication.translate("ScoringSheet", "Points"),
            EVIDENCE_COLUMN: QCoreApplication.translate("ScoringSheet", "Evidence"),
            REMARK_COLUMN: QCoreApplication.translate("ScoringSheet", "Remark"),
            SOURCE_COLUMN: QCoreApplication.translate("ScoringSheet", "Source"),
        }.get(section)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        slot = _SLOTS.get(role)
        if slot is None:
            if role == Qt.ItemDataRole.ToolTipRole.value:
                return self._tooltip(index.row())
            return None
        where = (index.row(), index.column())
        look = self._looks.get(where)
        if look is None:
            look = self._looks[where] = self._look(*where)
        return look[slot]

    def _look(self, row: int, column: int) -> tuple[Any, ...]:
        """(display, alignment, background, foreground, font) of a cell."""
        dimension, line = self.rows[row].dimension, self.rows[row].line
        if line is None:
            total = self.draft.total()
            text = ""
            if column == ITEM_COLUMN:
                text = dimension_label(dimension)
            elif column == RANGE_COLUMN:
                text = points_text(self.draft.base_of(dimension))
            elif column == POINTS_COLUMN:
                text = points_text(round(total.by_dimension.get(dimension, 0.0), 2))
            align = CENTRE if column in (RANGE_COLUMN, POINTS_COLUMN) else None
            return (text, align, self._heading, None, self._bold)
        e = line.entry
        muted = self._withdrawn if not line.counts else None
        if column == ITEM_COLUMN:
            text = (
                f"{e.item_code} {e.text}"
                if e.kind == ItemKind.BASE
                else f"{e.item_code} {kind_label(e.kind)}：{e.text}"
            )
            return ("    " + text, None, None, muted or (self._automatic if line.automatic else None), None)
        if column == RANGE_COLUMN:
            low, high = points_text(e.min_points), points_text(e.max_points)
            return (
                high if low == "0" and e.kind == ItemKind.BASE else f"{low}–{high}",
                CENTRE,
                None,
                muted,
                None,
            )
        if column == POINTS_COLUMN:
            sign = {ItemKind.BASE: "", ItemKind.DEDUCTION: "−", ItemKind.BONUS: "+"}[e.kind]
            text = sign + points_text(line.points) if line.points else "0"
            colour = {ItemKind.BASE: None, ItemKind.DEDUCTION: self._deduction, ItemKind.BONUS: self._bonus}
            return (
                text,
                CENTRE,
                self._changed if line.changed else None,
                muted or colour[e.kind],
                self._bold,
            )
        if column == EVIDENCE_COLUMN:
            return (line.evidence.replace("\n", " "), None, None, muted, None)
        if column == REMARK_COLUMN:
            return (line.remark.replace("\n", " "), None, None, muted, None)
        parts = [auto_source_label(e), e.source_ref, contest_label(e.contest_state)]
        return (" · ".join(p for p in parts if p), None, None, muted or self._automatic, None)

    def _tooltip(self, row: int) -> str | None:
        line = self.line_at(row)
        if line is None:
            return None
        e = line.entry
        lines = [f"{e.item_code} {e.text}"]
        if e.evidence_required:
            lines.append(QCoreApplication.translate("ScoringSheet", "Evidence required"))
        if e.veto:
            lines.append(QCoreApplication.translate("ScoringSheet", "Veto: caps the month's grade"))
        if e.contest_reason:
            lines.append(
                QCoreApplication.translate("ScoringSheet", "Contested: %1").replace("%1", e.contest_reason)
            )
        if e.decision_note or e.decided_by:
            lines.append(f"{e.decided_by}: {e.decision_note}".strip(": "))
        return "\n".join(lines)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- changes ----------------------------------------------------------------------------------
    def line_changed(self, line: SheetLine) -> None:
        """A line's points, evidence or remark changed: it and its dimension's heading drawn again."""
        row = self.row_of(line)
        if row < 0:
            return
        heading = self.heading_row(line.entry.dimension)
        for r in (row, heading):
            for c in range(COLUMNS):
                self._looks.pop((r, c), None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMNS - 1))
        self.dataChanged.emit(self.index(heading, 0), self.index(heading, COLUMNS - 1))

    def relayout(self) -> None:
        """Lines added or removed."""
        self.beginResetModel()
        self._looks = {}
        self._layout_rows()
        self.endResetModel()

    def reset(self, draft: SheetDraft) -> None:
        self.beginResetModel()
        self.draft = draft
        self._looks = {}
        self._layout_rows()
        self.endResetModel()
