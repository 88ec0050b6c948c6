"""The results of a credit lookup as a table, and the colours of the four entry verdicts.

The model holds the ``SubjectHit`` tuples the credit service returns; it is replaced as a whole on
every search (a few dozen rows at most), so a reset is cheaper than diffing. When more subjects
match than the first page holds, the view asks for more as the clerk scrolls (``canFetchMore`` /
``fetchMore``), and ``fetcher`` (the page) appends the next ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_app.domain.credit import Verdict
from desktop_app.services.credit import SubjectHit
from desktop_app.ui.credit.labels import subject_kind_label, verdict_label
from desktop_app.ui.widgets.tables import RECORD_ROLE, SORT_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex

# (background, text) of each verdict: red, amber, green, grey. Dark text on amber for contrast.
VERDICT_COLOURS: dict[Verdict, tuple[str, str]] = {
    Verdict.BANNED: ("#c62828", "#ffffff"),
    Verdict.RECORDS: ("#ffb300", "#3e2700"),
    Verdict.CLEAR: ("#2e7d32", "#ffffff"),
    Verdict.NOT_FOUND: ("#607d8b", "#ffffff"),
    Verdict.TAMPERED: ("#4a148c", "#ffffff"),  # no answer: a row it rests on was changed
}

# The verdict as coloured text on white (check history, tooltips): darker amber for contrast.
VERDICT_TEXT_COLOURS: dict[Verdict, str] = {
    Verdict.BANNED: "#c62828",
    Verdict.RECORDS: "#8a5a00",
    Verdict.CLEAR: "#2e7d32",
    Verdict.NOT_FOUND: "#455a64",
    Verdict.TAMPERED: "#4a148c",
}


VERDICT_ORDER = {
    Verdict.TAMPERED: -1,
    Verdict.BANNED: 0,
    Verdict.RECORDS: 1,
    Verdict.CLEAR: 2,
    Verdict.NOT_FOUND: 3,
}

COL_VERDICT, COL_NAME, COL_KIND, COL_IDENTIFIER, COL_SCORE = range(5)


class LookupResultsModel(QAbstractTableModel):
    """Columns: verdict badge, name (with the former name that matched), kind, USCC / masked ID, score."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SubjectHit] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self.more = False  # more subjects match than the rows hold
        self.fetcher: Callable[[], None] | None = None

    # -- feeding -----------------------------------------------------------------------------
    def set_hits(self, hits: Sequence[SubjectHit], more: bool = False) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.more = more
        self.endResetModel()

    def append_hits(self, hits: Sequence[SubjectHit], more: bool) -> None:
        """The next results below those shown (the ones already shown are left out)."""
        shown = {hit.subject_id for hit in self._hits}
        new = [hit for hit in hits if hit.subject_id not in shown]
        self.more = more and bool(new)
        if new:
            first = len(self._hits)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._hits.extend(new)
            self.endInsertRows()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.more and self.fetcher is not None

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self.fetcher is not None:
            self.fetcher()

    def hits(self) -> list[SubjectHit]:
        return list(self._hits)

    def hit(self, row: int) -> SubjectHit:
        return self._hits[row]

    def row_of(self, subject_id: int) -> int:
        return next((i for i, h in enumerate(self._hits) if h.subject_id == subject_id), -1)

    # -- texts -------------------------------------------------------------------------------
    @staticmethod
    def name_text(hit: SubjectHit) -> str:
        if hit.matched_alias and hit.matched_alias != hit.name:
            former = QCoreApplication.translate("CreditLookup", "formerly: {alias}").format(
                alias=hit.matched_alias
            )
            return f"{hit.name}（{former}）"
        return hit.name

    @staticmethod
    def score_text(hit: SubjectHit) -> str:
        if hit.grade_forced:
            return QCoreApplication.translate("CreditLookup", "{score} / {grade} while barred").format(
                score=hit.score, grade=hit.grade
            )
        return QCoreApplication.translate("CreditLookup", "{score} / {grade}").format(
            score=hit.score, grade=hit.grade
        )

    @staticmethod
    def score_tooltip(hit: SubjectHit) -> str:
        if not hit.grade_forced:
            return LookupResultsModel.score_text(hit)
        return QCoreApplication.translate(
            "CreditLookup",
            "{score} points. While the ban lasts the grade is {grade}, whatever the score."
            " For information only: the verdict decides entry.",
        ).format(score=hit.score, grade=hit.grade)

    def _text(self, hit: SubjectHit, column: int) -> str:
        if column == COL_VERDICT:
            return verdict_label(hit.verdict)
        if column == COL_NAME:
            return self.name_text(hit)
        if column == COL_KIND:
            return subject_kind_label(hit.kind)
        if column == COL_IDENTIFIER:
            return hit.identifier
        return self.score_text(hit)

    # -- Qt ----------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits) or not 0 <= index.column() < 5:
            return None
        hit = self._hits[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(hit, column)
        if role == RECORD_ROLE:
            return hit
        if role == SORT_ROLE:
            if column == COL_VERDICT:
                return VERDICT_ORDER[hit.verdict]
            if column == COL_SCORE:
                return hit.score
            return self._text(hit, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_SCORE:
                return self.score_tooltip(hit)
            if column == COL_NAME:  # the kind and score columns give way on a narrow screen
                return f"{self.name_text(hit)}\n{subject_kind_label(hit.kind)} · {self.score_text(hit)}"
            return hit.reason if column == COL_VERDICT else self._text(hit, column)
        if column == COL_VERDICT:
            background, foreground = VERDICT_COLOURS[hit.verdict]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(background))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(foreground))
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        if column == COL_SCORE and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if 0 <= section < len(self._hits) else None
        headers = (
            QCoreApplication.translate("CreditLookup", "Result"),
            QCoreApplication.translate("CreditLookup", "Name"),
            QCoreApplication.translate("CreditLookup", "Type"),
            QCoreApplication.translate("CreditLookup", "USCC / ID number"),
            QCoreApplication.translate("CreditLookup", "Score / grade"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class VerdictBadgeDelegate(QStyledItemDelegate):
    """Paints the verdict cell as a coloured badge that stays coloured on the selected row."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        hit = index.data(RECORD_ROLE)
        if not isinstance(hit, SubjectHit):
            super().paint(painter, option, index)
            return
        background, foreground = VERDICT_COLOURS[hit.verdict]
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        badge = option.rect.adjusted(4, 3, -4, -3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(badge, 4, 4)
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(foreground))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), verdict_label(hit.verdict))
        painter.restore()
