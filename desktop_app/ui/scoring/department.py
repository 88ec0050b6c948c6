"""A department's month (月度考核): its staff with the dimension subtotals, total, grade, veto and the
automatic and contested lines of each sheet; Enter opens a sheet (``sheet.SheetWindow``), Ctrl+Enter
there goes through the staff one by one; Submit (Ctrl+Enter) sends the month to a leader after a confirmation.

Read-only when the month is submitted or locked, or when the one signed in does not fill sheets (a
leader reads it). The page opens it with ``open_department_month``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QCloseEvent, QFocusEvent, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import Dimension, SheetState
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring.types import DepartmentMonthInfo, SheetRow
from desktop_app.ui import operations, topics
from desktop_app.ui.common import make_error_label
from desktop_app.ui.dates import text_time
from desktop_app.ui.scoring.sheet import SheetWindow, escape, month_text, open_sheet
from desktop_app.ui.scoring.sheet_model import dimension_label, points_text, sheet_state_label
from desktop_app.ui.widgets.tables import Column, RecordTableModel

_open_months: dict[tuple[int, str], DepartmentMonthWindow] = {}


def _columns() -> list[Column[SheetRow]]:
    def dimension(d: Dimension) -> Column[SheetRow]:
        return Column(
            dimension_label(d),
            lambda r: points_text(round(r.by_dimension.get(d, 0.0), 2)),
            lambda r: r.by_dimension.get(d, 0.0),
            align_right=True,
        )

    return [
        Column(QCoreApplication.translate("DepartmentMonthWindow", "Staff no."), lambda r: r.employee_no),
        Column(QCoreApplication.translate("DepartmentMonthWindow", "Name"), lambda r: r.staff_name),
        Column(QCoreApplication.translate("DepartmentMonthWindow", "Post"), lambda r: r.post),
        *(dimension(d) for d in Dimension),
        Column(
            QCoreApplication.translate("DepartmentMonthWindow", "Total"),
            lambda r: points_text(r.total),
            lambda r: r.total,
            align_right=True,
        ),
        Column(QCoreApplication.translate("DepartmentMonthWindow", "Grade"), lambda r: r.grade),
        Column(
            QCoreApplication.translate("DepartmentMonthWindow", "Veto"),
            lambda r: QCoreApplication.translate("DepartmentMonthWindow", "veto") if r.veto else "",
        ),
        Column(
            QCoreApplication.translate("DepartmentMonthWindow", "Automatic"),
            lambda r: str(r.automatic_items) if r.automatic_items else "",
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("DepartmentMonthWindow", "Contested"),
            lambda r: str(r.contested) if r.contested else "",
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("DepartmentMonthWindow", "Rank"),
            lambda r: str(r.rank_in_department) if r.rank_in_department else "",
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("DepartmentMonthWindow", "State"), lambda r: sheet_state_label(r.state)
        ),
    ]


class StaffTable(QTableView):
    """Enter opens the sheet of the selected staff member."""

    def __init__(self, opener: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.opener = opener

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.opener()
            event.accept()
            return
        super().keyPressEvent(event)


class DepartmentMonthWindow(QWidget):
    """One department's month, in a window of its own beside the main window."""

    def __init__(
        self, services: Services, actor: CurrentUser, info: DepartmentMonthInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("scoring_department")
        self.services = services
        self.actor = actor
        self.info = info
        self._build()
        self.show_month(info)
        operations.refresh_on_change(self, {topics.SCORING}, self.refresh)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(6)
        head = QHBoxLayout()
        self.heading = QLabel(self)
        self.heading.setObjectName("month_heading")
        self.heading.setWordWrap(True)
        head.addWidget(self.heading, 1)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("month_state")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.state_label)
        outer.addLayout(head)
        self.quota_label = QLabel(self)
        self.quota_label.setObjectName("month_quota")
        self.quota_label.setWordWrap(True)
        outer.addWidget(self.quota_label)

        self.model: RecordTableModel[SheetRow] = RecordTableModel(_columns(), parent=self)
        self.table = StaffTable(self.open_selected, self)
        # The look of every list of the app (make_table_view), on a table that takes Enter.
        self.table.setObjectName("month_staff")
        self.table.setAccessibleName(self.tr("Staff of the department"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        outer.addWidget(self.table, 1)

        self.hint = QLabel(self)
        self.hint.setObjectName("month_hint")
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        outer.addWidget(self.hint)
        self.form_error = make_error_label(self)
        outer.addWidget(self.form_error)

        buttons = QHBoxLayout()
        self.open_button = self._button(self.tr("&Open sheet (Enter)"), "open_sheet", self.open_selected)
        self.refresh_button = self._button(self.tr("Re&fresh (F5)"), "refresh", self.refresh)
        self.submit_button = self._button(
            self.tr("&Submit the month… (Ctrl+Enter)"), "submit_month", self.submit
        )
        self.close_button = self._button(self.tr("C&lose"), "close", self.close)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)
        for keys, slot in (("F5", self.refresh), ("Ctrl+Return", self.submit), ("Ctrl+Enter", self.submit)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self._fit_screen()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width = min(1180, area.width() - 16) if area is not None else 1180
        height = min(680, area.height() - 40) if area is not None else 680
        self.resize(width, height)

    # -- the month -----------------------------------------------------------------------------
    @property
    def can_fill(self) -> bool:
        return self.info.state == SheetState.DRAFT and self.actor.can(Permission.SCORING_FILL)

    @property
    def can_submit(self) -> bool:
        return self.info.state == SheetState.DRAFT and (
            self.actor.can(Permission.SCORING_FILL) or self.actor.can(Permission.SCORING_LOCK)
        )

    def show_month(self, info: DepartmentMonthInfo) -> None:
        selected = self.selected_row()
        self.info = info
        self.setWindowTitle(
            self.tr("Monthly scoring %1 — %2")
            .replace("%1", month_text(info.month))
            .replace("%2", info.department_name)
        )
        self.heading.setText(
            f"<b>{escape(info.department_name)}</b> · <b>{month_text(info.month)}</b> · "
            + self.tr("%1 staff").replace("%1", str(info.staff_count))
        )
        state = sheet_state_label(info.state)
        if info.revision > 1:
            state += " · " + self.tr("revision %1").replace("%1", str(info.revision))
        if info.state == SheetState.SUBMITTED and info.submitted_by:
            state += "\n" + self.tr("submitted %1 by %2").replace("%1", text_time(info.submitted_at)).replace(
                "%2", info.submitted_by
            )
        if info.state == SheetState.LOCKED and info.locked_by:
            state += "\n" + self.tr("locked %1 by %2").replace("%1", text_time(info.locked_at)).replace(
                "%2", info.locked_by
            )
        self.state_label.setText(state)
        quota = (
            self.tr("Excellent: %1 of a quota of %2")
            .replace("%1", str(info.excellent_count))
            .replace("%2", str(info.excellent_quota))
        )
        if info.over_quota:
            quota = (
                "<span style='color:#b71c1c'><b>" + quota + " · " + self.tr("over the quota") + "</b></span>"
            )
        notes = [quota]
        if info.state == SheetState.DRAFT and info.return_reason:
            notes.append(self.tr("Returned by a leader: %1").replace("%1", escape(info.return_reason)))
        if info.reopen_reason and info.state == SheetState.DRAFT:
            notes.append(self.tr("Reopened: %1").replace("%1", escape(info.reopen_reason)))
        contested = sum(r.contested for r in info.rows)
        if contested:
            notes.append(
                self.tr("%1 automatic lines contested, waiting for a leader").replace("%1", str(contested))
            )
        self.quota_label.setText(" · ".join(notes))
        self.model.set_records(info.rows)
        self.submit_button.setVisible(self.can_submit)
        if self.can_fill:
            hint = self.tr("Enter opens a sheet; in the sheet, Ctrl+Enter saves and opens the next one.")
        elif info.state != SheetState.DRAFT:
            hint = self.tr("Read only: the month is %1.").replace("%1", sheet_state_label(info.state))
        else:
            hint = self.tr("Read only: you do not fill this department's sheets.")
        self.hint.setText(hint)
        row = self.model.row_of(lambda r: selected is not None and r.staff_id == selected.staff_id)
        self.table.selectRow(max(row, 0))
        self.table.setCurrentIndex(self.model.index(max(row, 0), 1))

    def selected_row(self) -> SheetRow | None:
        index: QModelIndex = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.record(index.row())

    def refresh(self) -> None:
        info = self.info
        fresh = operations.run(
            self,
            lambda: self.services.scoring.department_month(self.actor, info.department_id, info.month),
            show="message",
        ).value
        if fresh is not None:
            self.show_month(fresh)

    def open_selected(self) -> SheetWindow | None:
        row = self.selected_row()
        if row is None:
            return None
        staff = tuple(r.staff_id for r in self.info.rows)
        return open_sheet(self.services, self.actor, row.staff_id, self.info.month, staff, self)

    def submit(self) -> None:
        """The month goes to a leader: every sheet of the department, after a confirmation."""
        if not self.can_submit:
            return
        info = self.info
        grades: dict[str, int] = {}
        for row in info.rows:
            grades[row.grade] = grades.get(row.grade, 0) + 1
        lines = [
            self.tr("%1 staff; grades: %2")
            .replace("%1", str(info.staff_count))
            .replace("%2", "、".join(f"{g} {n}" for g, n in grades.items()))
        ]
        if info.over_quota:
            lines.append(
                self.tr("Excellent %1 is over the quota of %2: a leader will have to override it to lock.")
                .replace("%1", str(info.excellent_count))
                .replace("%2", str(info.excellent_quota))
            )
        contested = sum(r.contested for r in info.rows)
        if contested:
            lines.append(
                self.tr("%1 automatic lines are contested: a leader decides them.").replace(
                    "%1", str(contested)
                )
            )
        answer = QMessageBox.question(
            self,
            self.tr("Submit the month"),
            self.tr(
                "Submit the sheets of %1 for %2 to a leader?\n\n%3\n\nOnce submitted they cannot be changed here."
            )
            .replace("%1", info.department_name)
            .replace("%2", month_text(info.month))
            .replace("%3", "\n".join(lines)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        done = operations.run(
            self,
            lambda: self.services.scoring.submit_month(
                self.actor, info.department_id, info.month, info.version
            ),
            changed=topics.SCORING,
            ids=(info.department_id,),
        )
        if done.ok and done.value is not None:
            self.show_month(done.value)
            self.hint.setText(self.tr("Submitted: the month is with a leader."))

    def closeEvent(self, event: QCloseEvent) -> None:
        for child in self.findChildren(SheetWindow):
            if child.isVisible() and not child.close():
                event.ignore()
                return
        key = (self.info.department_id, self.info.month)
        if _open_months.get(key) is self:
            del _open_months[key]
        super().closeEvent(event)


def open_department_month(
    services: Services, actor: CurrentUser, department_id: int, month: str, parent: QWidget | None = None
) -> DepartmentMonthWindow | None:
    """A department's month in its own window (brought forward when open; the service opens the
    month — a draft sheet for every active staff member — the first time it is read). None when the
    actor may not read it (the refusal was shown)."""
    key = (department_id, month)
    shown = _open_months.get(key)
    if shown is not None:
        shown.refresh()
        shown.show()
        shown.raise_()
        shown.activateWindow()
        return shown
    info = operations.run(
        parent, lambda: services.scoring.department_month(actor, department_id, month), show="message"
    ).value
    if info is None:
        return None
    window = DepartmentMonthWindow(services, actor, info, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_months[key] = window
    window.show()
    window.table.setFocus(Qt.FocusReason.OtherFocusReason)
    return window
