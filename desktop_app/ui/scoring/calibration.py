"""The roll-ups of 月度考核: the calibration view before locking (each department's average, spread and
share of 优秀 beside the center's: a lenient or harsh supervisor stands out), the quarter (平时考核
grades and the 服务示范岗标兵 candidates, with why the others are excluded; the 通报 printed), and the
year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from desktop_app import clock
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring.types import AnnualRow, CalibrationRow, Candidate, QuarterRow
from desktop_app.ui import operations, topics
from desktop_app.ui.evaluations.lists import KeyedListTab, TonedTableModel, preview_document, year_box
from desktop_app.ui.scoring.leader import points_text
from desktop_app.ui.widgets.paged_table import Tone
from desktop_app.ui.widgets.tables import Column, Width

# A department whose average is this far from the center's, or whose share of 优秀 is this far above
# the center's, stands out: its supervisor may be lenient (or harsh).
AVERAGE_GAP = 3.0
SHARE_GAP = 0.10


def leaning(row: CalibrationRow, center: CalibrationRow | None) -> str:
    """'lenient', 'harsh' or '' beside the center."""
    if row.department_id == 0 or center is None or row.count == 0:
        return ""
    if row.difference >= AVERAGE_GAP or row.excellent_share - center.excellent_share >= SHARE_GAP:
        return "lenient"
    if row.difference <= -AVERAGE_GAP:
        return "harsh"
    return ""


def leaning_label(value: str) -> str:
    if value == "lenient":
        return QCoreApplication.translate("ScoringCalibration", "Lenient")
    if value == "harsh":
        return QCoreApplication.translate("ScoringCalibration", "Harsh")
    return ""


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


@dataclass(frozen=True)
class CalibrationLine:
    id: int
    row: CalibrationRow
    leaning: str


def line_tone(line: CalibrationLine) -> Tone | None:
    if line.row.department_id == 0:
        return Tone.MUTED
    if line.leaning == "lenient":
        return Tone.ALARM
    if line.leaning == "harsh":
        return Tone.WARNING
    return None


class CalibrationTableModel(TonedTableModel[CalibrationLine]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Department"),
                    lambda c: c.row.department_name or self.tr("The center"),
                    lambda c: (c.row.department_id != 0, c.row.department_name),
                    width=Width("综合业务科", weight=2),
                ),
                Column(
                    self.tr("Staff"),
                    lambda c: str(c.row.count),
                    lambda c: c.row.count,
                    align_right=True,
                    width=Width("999", weight=0),
                ),
                Column(
                    self.tr("Average"),
                    lambda c: points_text(c.row.average),
                    lambda c: c.row.average,
                    align_right=True,
                    width=Width("100.0", weight=0),
                ),
                Column(
                    self.tr("Beside the center"),
                    lambda c: "" if c.row.department_id == 0 else f"{c.row.difference:+.1f}",
                    lambda c: c.row.difference,
                    align_right=True,
                    width=Width("+10.0", weight=0),
                ),
                Column(
                    self.tr("Spread"),
                    lambda c: points_text(c.row.spread),
                    lambda c: c.row.spread,
                    align_right=True,
                    width=Width("10.0", weight=0),
                ),
                Column(
                    self.tr("Lowest – highest"),
                    lambda c: f"{points_text(c.row.lowest)} – {points_text(c.row.highest)}",
                    lambda c: c.row.lowest,
                    width=Width(whole=True, weight=0, gives_way=1),
                ),
                Column(
                    self.tr("Excellent"),
                    lambda c: f"{c.row.excellent_count} ({percent(c.row.excellent_share)})",
                    lambda c: c.row.excellent_share,
                    align_right=True,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Quota"),
                    lambda c: str(c.row.excellent_quota),
                    lambda c: c.row.excellent_quota,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Reading"), lambda c: leaning_label(c.leaning), width=Width(whole=True, weight=1)
                ),
            ],
            line_tone,
            parent,
        )


class CalibrationTab(KeyedListTab):
    """The month picked, department by department beside the center (the center's row first)."""

    def __init__(
        self, services: Services, actor: CurrentUser, month: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            CalibrationTableModel(), "calibration_search", "calibration_table", self.tr("Calibration"), parent
        )
        self.services = services
        self.actor = actor
        self.month = month
        self.search.hide()
        self.note = QLabel(
            self.tr("Red: well above the center (lenient); amber: well below (harsh). Look before locking."),
            self,
        )
        self.note.setObjectName("calibration_note")
        self.note.setWordWrap(True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.note)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.set_empty_text(self.tr("No sheet in this month yet."))
        self.watcher = operations.refresh_on_change(self, (topics.SCORING,), self.refresh)

    def load_records(self) -> list[Any]:
        month = self.month()
        found = operations.run(
            self, lambda: self.services.scoring.calibration(self.actor, month), show="message"
        )
        rows = list(found.value or [])
        center = next((r for r in rows if r.department_id == 0), None)
        return [CalibrationLine(r.department_id, r, leaning(r, center)) for r in rows]


# -- the quarter -------------------------------------------------------------------------------------
class QuarterTableModel(TonedTableModel[QuarterRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Department"), lambda r: r.department_name, width=Width("综合业务科", weight=1)
                ),
                Column(self.tr("Staff member"), lambda r: r.staff_name, width=Width("王静静", weight=1)),
                Column(self.tr("Post"), lambda r: r.post, width=Width("窗口受理", weight=1, gives_way=1)),
                Column(
                    self.tr("Months"),
                    lambda r: str(len(r.months)),
                    lambda r: len(r.months),
                    align_right=True,
                    width=Width("9", weight=0),
                ),
                Column(
                    self.tr("Average"),
                    lambda r: points_text(r.average),
                    lambda r: r.average,
                    align_right=True,
                    width=Width("100.0", weight=0),
                ),
                Column(self.tr("Grade"), lambda r: r.grade, width=Width("较好", weight=0)),
                Column(
                    self.tr("Veto"),
                    lambda r: self.tr("veto") if r.veto else "",
                    lambda r: r.veto,
                    width=Width(whole=True, weight=0),
                ),
            ],
            lambda r: Tone.ALARM if r.veto else None,
            parent,
        )


class CandidateTableModel(TonedTableModel[Candidate]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Rank"),
                    lambda c: str(c.rank),
                    lambda c: c.rank,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(self.tr("Staff member"), lambda c: c.staff_name, width=Width("王静静", weight=1)),
                Column(
                    self.tr("Department"), lambda c: c.department_name, width=Width("综合业务科", weight=1)
                ),
                Column(
                    self.tr("Average"),
                    lambda c: points_text(c.average),
                    lambda c: c.average,
                    align_right=True,
                    width=Width("100.0", weight=0),
                ),
                Column(
                    self.tr("Candidate"),
                    lambda c: self.tr("yes") if c.eligible else self.tr("excluded"),
                    lambda c: not c.eligible,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Why excluded"),
                    lambda c: "；".join(c.reasons),
                    width=Width("有投诉属实", weight=3),
                ),
            ],
            lambda c: None if c.eligible else Tone.MUTED,
            parent,
        )


class CandidatesSection(KeyedListTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            CandidateTableModel(), "candidate_search", "candidate_table", self.tr("Honour candidates"), parent
        )
        self.records: list[Candidate] = []
        self.search.hide()
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Service model post (服务示范岗标兵) candidates"), self)
        title.setObjectName("candidates_title")
        title.setStyleSheet("font-weight: bold;")
        self.toolbar_extra.addWidget(title)
        self.set_empty_text(self.tr("No locked month in this quarter yet."))

    def key(self, record: Any) -> Any:
        return record.staff_id

    def load_records(self) -> list[Any]:
        return list(self.records)


class QuarterTab(KeyedListTab):
    """The quarter's 平时考核 grades and, for a leader, the honour candidates and their 通报."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            QuarterTableModel(), "quarter_search", "quarter_table", self.tr("Quarterly grades"), parent
        )
        self.services = services
        self.actor = actor
        self.search.setPlaceholderText(self.tr("Name, department (Ctrl+F)"))
        self.search.setMinimumWidth(150)
        self.year = year_box(self, "quarter_year", self.tr("Year"))
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.quarter = QComboBox(self)
        self.quarter.setObjectName("quarter")
        self.quarter.setAccessibleName(self.tr("Quarter"))
        for number in range(1, 5):
            self.quarter.addItem(self.tr("Quarter %1").replace("%1", str(number)), number)
        self.quarter.setCurrentIndex((clock.today().month - 1) // 3)
        self.quarter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.toolbar_extra.addWidget(self.year)
        self.toolbar_extra.addWidget(self.quarter)
        self.leader = actor.can(Permission.SCORING_LOCK)
        self.print_button = self.add_button(
            self.tr("&Print notice…"),
            "print_honours",
            self.print_notice,
            self.tr("The quarter's 服务示范岗标兵 notice (official notice)"),
        )
        self.print_button.setVisible(self.leader)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.set_empty_text(self.tr("No locked month in this quarter yet."))
        self.candidates: CandidatesSection | None = None
        if self.leader:
            self.candidates = CandidatesSection(self)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.addWidget(self.candidates, 1)
        self.watcher = operations.refresh_on_change(self, (topics.SCORING,), self.refresh)

    def key(self, record: Any) -> Any:
        return record.staff_id

    def load_records(self) -> list[Any]:
        year, quarter = self.year.value(), int(self.quarter.currentData())
        found = operations.run(
            self, lambda: self.services.scoring.quarter(self.actor, year, quarter), show="message"
        )
        if self.candidates is not None:
            listed = operations.run(
                self, lambda: self.services.scoring.candidates(self.actor, year, quarter), show="message"
            )
            self.candidates.records = list(listed.value or [])
            self.candidates.refresh()
            self.print_button.setEnabled(any(c.eligible for c in self.candidates.records))
        return list(found.value or [])

    def print_notice(self) -> None:
        if not self.leader:
            return
        year, quarter = self.year.value(), int(self.quarter.currentData())
        preview_document(
            self,
            self.services,
            self.actor,
            lambda: self.services.scoring.honours_notice(self.actor, year, quarter),
        )


# -- the year ----------------------------------------------------------------------------------------
class AnnualTableModel(TonedTableModel[AnnualRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Department"), lambda r: r.department_name, width=Width("综合业务科", weight=1)
                ),
                Column(self.tr("Staff member"), lambda r: r.staff_name, width=Width("王静静", weight=1)),
                Column(self.tr("Post"), lambda r: r.post, width=Width("窗口受理", weight=1, gives_way=1)),
                Column(
                    self.tr("Months"),
                    lambda r: str(r.months),
                    lambda r: r.months,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Average"),
                    lambda r: points_text(r.average),
                    lambda r: r.average,
                    align_right=True,
                    width=Width("100.0", weight=0),
                ),
                Column(self.tr("Grade"), lambda r: r.grade, width=Width("基本合格", weight=0)),
                Column(
                    self.tr("Veto"),
                    lambda r: self.tr("veto") if r.veto else "",
                    lambda r: r.veto,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Department's quota"),
                    lambda r: str(r.excellent_quota),
                    lambda r: r.excellent_quota,
                    align_right=True,
                    width=Width("99", weight=0, gives_way=2),
                ),
            ],
            lambda r: Tone.ALARM if r.veto else None,
            parent,
        )


class AnnualTab(KeyedListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            AnnualTableModel(), "annual_search", "annual_table", self.tr("Annual summary"), parent
        )
        self.services = services
        self.actor = actor
        self.search.setPlaceholderText(self.tr("Name, department (Ctrl+F)"))
        self.year: QSpinBox = year_box(self, "annual_year", self.tr("Year"))
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.toolbar_extra.addWidget(self.year)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.set_empty_text(self.tr("No locked month in this year yet."))
        self.watcher = operations.refresh_on_change(self, (topics.SCORING,), self.refresh)

    def key(self, record: Any) -> Any:
        return record.staff_id

    def load_records(self) -> list[Any]:
        year = self.year.value()
        found = operations.run(self, lambda: self.services.scoring.annual(self.actor, year), show="message")
        return list(found.value or [])
