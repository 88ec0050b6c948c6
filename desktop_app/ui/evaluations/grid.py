"""评标专家现场考评: the witness's grid window for one session.

Experts are the columns, the items of the catalogue in force on the session's day the rows, then a
row of totals and a row of general remarks. Keyboard only: the arrows move; Space marks the cell with
the item's default points (again: unmarks); digits set the points within the item's range (two
digits for 10–15; 0 or Delete unmarks); Enter edits the remark of a marked cell (or, on the last row,
the expert's general remark) in the line under the grid, and Enter or Esc there goes back to the grid;
Ctrl+Enter signs off after a confirmation that names every expert's total.

What is typed is kept as the session's draft in the database 0.8 s after the last key, when the window
closes and when the idle lock covers the screen; when the window opens again the draft is offered back.
A finalised session is shown read-only with its revision; a leader's reopen (on the page) makes it a
draft again, and an open window follows it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFocusEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import refusals_of
from desktop_app.domain.evaluations import SessionState
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import FinaliseResult, SessionGrid, SessionInfo
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.common import make_error_label
from desktop_app.ui.dates import table_time, text_date, text_time
from desktop_app.ui.evaluations.grid_model import (
    FIRST_EXPERT_COLUMN,
    ITEM_COLUMN,
    RANGE_COLUMN,
    GridModel,
    GridState,
    KeyOutcome,
)
from desktop_app.ui.evaluations.labels import action_label, category_label, session_state_label
from desktop_app.ui.evaluations.lists import preview_document

DRAFT_DELAY_MS = 800
REMARK_MAX = 200
_open_windows: dict[int, SessionGridWindow] = {}


class GridView(QTableView):
    """The grid's table: the window decides what Space, digits, Delete and Enter do; the arrows and
    Tab move as in any table."""

    def __init__(self, window: SessionGridWindow) -> None:
        super().__init__(window)
        self.grid_window = window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.grid_window.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    # Going to the remark line and back: only the current cell is drawn again (the table's own
    # handlers repaint the whole grid, ~10–25 ms at 9 × 17; active and inactive look alike here).
    def focusInEvent(self, event: QFocusEvent) -> None:
        QWidget.focusInEvent(self, event)
        if not self.currentIndex().isValid() and self.model() is not None:
            self.setCurrentIndex(self.model().index(0, FIRST_EXPERT_COLUMN))
        self.viewport().update(self.visualRect(self.currentIndex()))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        QWidget.focusOutEvent(self, event)
        self.viewport().update(self.visualRect(self.currentIndex()))


class SessionGridWindow(QWidget):
    """One session's grid (a window of its own beside the main window)."""

    def __init__(
        self, services: Services, actor: CurrentUser, grid: SessionGrid, parent: QWidget | None = None
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("evaluation_grid")
        self.services = services
        self.actor = actor
        self.session: SessionInfo = grid.session
        self.dirty = False
        self.draft_saved_at: datetime | None = grid.draft_saved_at if grid.from_draft else None
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self.model = GridModel(GridState.of(grid.session.experts, grid.items, grid.grid), self)
        self._build()
        self._show_session()
        operations.refresh_on_change(self, {topics.EVALUATION}, self._session_changed)

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(6)
        head = QHBoxLayout()
        self.heading = QLabel(self)
        self.heading.setObjectName("grid_heading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(self.heading, 1)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("grid_state")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.state_label)
        outer.addLayout(head)

        self.table = GridView(self)
        self.table.setObjectName("grid")
        self.table.setAccessibleName(self.tr("Evaluation grid"))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 11)
        # The current cell in a light blue that keeps the cell's text readable (a palette, not a
        # style sheet: a style sheet's items are drawn several times slower, and every repaint counts).
        palette = self.table.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, QColor("#90caf9"))
            palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#000000"))
        self.table.setPalette(palette)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        outer.addWidget(self.table, 1)

        remark_row = QHBoxLayout()
        self.remark_caption = QLabel(self)
        self.remark_caption.setObjectName("remark_caption")
        remark_row.addWidget(self.remark_caption)
        self.remark = QLineEdit(self)
        self.remark.setObjectName("remark")
        self.remark.setAccessibleName(self.tr("Remark"))
        self.remark.setMaxLength(REMARK_MAX)
        self.remark.textEdited.connect(self._remark_edited)
        self.remark.returnPressed.connect(self._back_to_grid)
        self.remark.installEventFilter(self)
        remark_row.addWidget(self.remark, 1)
        outer.addLayout(remark_row)
        self.remark_caption.setBuddy(self.remark)

        self.status = QLabel(self)
        self.status.setObjectName("grid_status")
        # One line that never changes the window's layout (a key's note must not resize the grid).
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.status.setFixedHeight(self.status.fontMetrics().height() + 4)
        outer.addWidget(self.status)
        self.form_error = make_error_label(self)
        outer.addWidget(self.form_error)

        self.buttons = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("&Session details…"), self)
        self.edit_button.setObjectName("edit_session")
        self.edit_button.setAutoDefault(False)
        self.edit_button.clicked.connect(self.edit_session)
        self.finalise_button = QPushButton(self.tr("Sign off and &finalise (Ctrl+Enter)"), self)
        self.finalise_button.setObjectName("finalise")
        self.finalise_button.setAutoDefault(False)
        self.finalise_button.clicked.connect(self.finalise)
        self.print_button = QPushButton(self.tr("&Print form… (Ctrl+P)"), self)
        self.print_button.setObjectName("print_form")
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_form)
        self.notice_button = QPushButton(self.tr("Result &notice…"), self)
        self.notice_button.setObjectName("result_notice")
        self.notice_button.setAutoDefault(False)
        self.notice_button.setToolTip(
            self.tr(
                "The evaluation result notice of the expert in the current column (finalised sessions, experts with deductions)"
            )
        )
        self.notice_button.clicked.connect(self.print_notice)
        self.close_button = QPushButton(self.tr("&Close"), self)
        self.close_button.setObjectName("close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        self.buttons.addWidget(self.edit_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.notice_button)
        self.buttons.addWidget(self.print_button)
        self.buttons.addWidget(self.finalise_button)
        self.buttons.addWidget(self.close_button)
        outer.addLayout(self.buttons)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.finalise)
        print_shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
        print_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        print_shortcut.activated.connect(self.print_form)
        self._size_columns()
        self._fit_screen()

    def add_button(self, button: QPushButton) -> None:
        """A button of the page's (a leader's reopen), put before Close."""
        self.buttons.insertWidget(self.buttons.count() - 1, button)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setMinimumSectionSize(40)
        metrics = self.table.fontMetrics()
        longest = max(
            (metrics.horizontalAdvance(f"{i.code} {i.text}") for i in self.model.state.items), default=200
        )
        header.setSectionResizeMode(ITEM_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(ITEM_COLUMN, min(longest + 16, 340))
        # Fixed widths measured once: a column sized to its contents is measured again at every
        # change of a cell, and the whole grid repainted (~40 ms a key at 9 × 17).
        header.setSectionResizeMode(RANGE_COLUMN, QHeaderView.ResizeMode.Interactive)
        widest = max(
            (
                metrics.horizontalAdvance(str(self.model.data(self.model.index(r, RANGE_COLUMN))))
                for r in range(self.model.rowCount())
            ),
            default=60,
        )
        self.table.setColumnWidth(
            RANGE_COLUMN,
            max(widest, metrics.horizontalAdvance(QCoreApplication.translate("EvaluationGrid", "Points")))
            + 20,
        )
        for column in range(FIRST_EXPERT_COLUMN, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setMinimumHeight(metrics.height() * 2 + 10)

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width = min(1280, area.width() - 16) if area is not None else 1264  # the frame's edges
        height = min(760, area.height() - 40) if area is not None else 720  # and its title bar
        self.resize(width, height)

    # -- the session ---------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.session.state == SessionState.FINALISED or not self.actor.can(Permission.EXPERT_EVALUATE)

    def _show_session(self) -> None:
        s = self.session
        self.setWindowTitle(
            self.tr("Expert evaluation %1 — %2").replace("%1", s.number).replace("%2", s.project_name)
        )
        start = s.actual_start or s.scheduled_start
        times = text_time(start)
        end = s.actual_end or s.scheduled_end
        if end is not None:
            same_day = end.astimezone().date() == start.astimezone().date()
            times += "–" + (table_time(end)[-5:] if same_day else text_time(end))
        parts = [
            f"<b>{s.number}</b>",
            f"<b>{_escape(s.project_name)}</b>（{_escape(s.project_code)}）",
            category_label(s.category),
            _escape(s.room),
            times,
            self.tr("Witness: %1").replace("%1", _escape(s.witness_name)),
        ]
        self.heading.setText(" · ".join(p for p in parts if p))
        if s.state == SessionState.FINALISED:
            state = (
                self.tr("Finalised, revision %1, %2 by %3")
                .replace("%1", str(s.revision))
                .replace("%2", text_time(s.finalised_at))
                .replace("%3", s.finalised_by)
            )
            colour = "#2e7d32"
        else:
            state = session_state_label(s.state, s.overdue)
            if s.revision > 1:
                state = (
                    self.tr("%1 (correction: revision %2)")
                    .replace("%1", state)
                    .replace("%2", str(s.revision))
                )
            if s.due_on is not None:
                state += " · " + self.tr("finalise by %1").replace("%1", text_date(s.due_on))
            colour = "#c62828" if s.overdue else "#555"
        self.state_label.setText(state)
        self.state_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.model.read_only = self.read_only
        for widget in (self.edit_button, self.finalise_button):
            widget.setVisible(not self.read_only)
        self.notice_button.setVisible(s.state == SessionState.FINALISED)
        self.remark.setReadOnly(self.read_only)
        self._show_hint()
        if not self.table.currentIndex().isValid() and self.model.state.experts:
            self.table.setCurrentIndex(self.model.index(0, FIRST_EXPERT_COLUMN))
        self._current_changed(self.table.currentIndex())

    def _set_status(self, text: str, colour: str) -> None:
        if self.status.text() != text:
            self.status.setText(text)
        style = f"color: {colour};"
        if self.status.styleSheet() != style:  # a new style sheet polishes the label again
            self.status.setStyleSheet(style)

    def _show_hint(self, note: str = "", refused: bool = False) -> None:
        if note:
            self._set_status(note, "#b00020" if refused else "#1565c0")
            return
        if self.read_only:
            text = self.tr(
                "Read only: this session is finalised. Arrows move; the remark of a cell shows below;"
                " Ctrl+P prints the form for the signatures."
            )
        else:
            text = self.tr(
                "Arrows move · Space marks with the default points (again: unmarks) · digits set the points"
                " · Delete unmarks · Enter: the remark · Ctrl+Enter signs off"
            )
            if self.draft_saved_at is not None:
                text += " · " + self.tr("draft kept %1").replace("%1", text_time(self.draft_saved_at))
        self._set_status(text, "#555")

    def reload(self) -> None:
        """Read the session and its grid again (after a change elsewhere: the page's reopen, the
        session edited)."""
        grid = operations.run(
            self, lambda: self.services.evaluations.grid(self.session.id), show="message"
        ).value
        if grid is None:
            return
        self.load(grid)

    def load(self, grid: SessionGrid) -> None:
        current = self.table.currentIndex()
        self.session = grid.session
        self.model.reset(GridState.of(grid.session.experts, grid.items, grid.grid))
        self.dirty = False
        self.draft_saved_at = grid.draft_saved_at if grid.from_draft else None
        self._size_columns()
        if (
            current.isValid()
            and current.row() < self.model.rowCount()
            and current.column() < self.model.columnCount()
        ):
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        self._show_session()

    def _session_changed(self) -> None:
        """Another window or the page wrote this session: follow it, unless typing is not yet kept."""
        if not self.dirty:
            self.reload()

    # -- the keys -----------------------------------------------------------------------------
    def handle_key(self, event: QKeyEvent) -> bool:
        """What the grid does with a key (True: handled; the arrows are left to the table)."""
        if event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        ):
            return False
        key = event.key()
        index = self.table.currentIndex()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_remark()
            return True
        text = event.text()
        is_digit = len(text) == 1 and text in "0123456789"
        if key not in (Qt.Key.Key_Space, Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not is_digit:
            return False
        if self.read_only:
            self._show_hint(self.tr("This session is finalised: it cannot be changed."), refused=True)
            return True
        item = self.model.item_at(index.row())
        expert = self.model.expert_at(index.column())
        if item is None or expert is None:
            self._show_hint(self.tr("Marks go in the cells of an item and an expert."), refused=True)
            return True
        state = self.model.state
        if key == Qt.Key.Key_Space:
            outcome = state.toggle(expert.subject_id, item)
        elif is_digit:
            outcome = state.digit(expert.subject_id, item, int(text))
        else:
            outcome = state.unmark(expert.subject_id, item)
        self._after_key(index, outcome)
        return True

    def _after_key(self, index: QModelIndex, outcome: KeyOutcome) -> None:
        if outcome.changed:
            self.model.cell_changed(index)
            self._changed()
            self._current_changed(index)
        self._show_hint(outcome.note, outcome.refused)
        if outcome.refused:
            QApplication.beep()

    def _changed(self) -> None:
        self.dirty = True
        self.draft_timer.start()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        """The line under the grid shows the current cell's remark (or the expert's general one)."""
        self.model.state.pending = ""
        item = self.model.item_at(current.row()) if current.isValid() else None
        expert = self.model.expert_at(current.column()) if current.isValid() else None
        self.remark.blockSignals(True)
        try:
            if expert is not None and current.row() == self.model.remark_row:
                self.remark_caption.setText(self.tr("&General remark on %1:").replace("%1", expert.name))
                self.remark.setText(self.model.state.expert_remarks.get(expert.subject_id, ""))
                self.remark.setEnabled(True)
            elif expert is not None and item is not None:
                self.remark_caption.setText(
                    self.tr("&Remark on %1, %2:").replace("%1", expert.name).replace("%2", item.code)
                )
                key = (expert.subject_id, item.code)
                marked = key in self.model.state.points
                self.remark.setText(self.model.state.remarks.get(key, "") if marked else "")
                self.remark.setEnabled(marked)
            else:
                self.remark_caption.setText(self.tr("&Remark:"))
                self.remark.clear()
                self.remark.setEnabled(False)
        finally:
            self.remark.blockSignals(False)

    def edit_remark(self) -> None:
        """Enter on a marked cell or on the general remarks' row: the remark line takes the keys."""
        index = self.table.currentIndex()
        self._current_changed(index)
        if self.read_only:
            return
        if not self.remark.isEnabled():
            self._show_hint(self.tr("Mark the cell first (Space), then Enter for its remark."), refused=True)
            return
        self.remark.setFocus(Qt.FocusReason.OtherFocusReason)
        self.remark.end(False)

    def _remark_edited(self, text: str) -> None:
        index = self.table.currentIndex()
        item = self.model.item_at(index.row())
        expert = self.model.expert_at(index.column())
        if expert is None or self.read_only:
            return
        state = self.model.state
        if index.row() == self.model.remark_row:
            state.expert_remarks[expert.subject_id] = text
            self.model.expert_remark_changed(index.column())
        elif item is not None and (expert.subject_id, item.code) in state.points:
            state.remarks[(expert.subject_id, item.code)] = text
            self.model.cell_changed(index)
        else:
            return
        self._changed()

    def _back_to_grid(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            watched is self.remark
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self._back_to_grid()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    # -- the draft -----------------------------------------------------------------------------
    def save_draft(self) -> None:
        """Keep what is typed; a failure to keep it must not stop the witness (it is said in a box)."""
        self.draft_timer.stop()
        if not self.dirty or self.read_only:
            return
        saved = operations.run(
            self,
            lambda: self.services.evaluations.save_draft(
                self.actor, self.session.id, self.model.state.grid_input()
            ),
            busy=False,
            show="message",
        )
        if saved.ok:
            self.dirty = False
            self.draft_saved_at = saved.value
            if "#b00020" not in self.status.styleSheet():
                self._show_hint()

    def offer_draft(self, grid: SessionGrid) -> None:
        """A draft kept earlier (by this witness or another, or after a leader's reopen), offered back:
        Yes continues with it; No discards it (the grid shows the finalised marks, or none)."""
        if not grid.from_draft or self.read_only:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Draft kept"),
            self.tr(
                "This grid was being filled and not finalised (kept at %1 by %2). Continue with it?\n\n"
                "Yes: continue with the draft. No: discard it."
            )
            .replace("%1", text_time(grid.draft_saved_at))
            .replace("%2", grid.draft_saved_by),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            return
        discarded = operations.run(
            self, lambda: self.services.evaluations.discard_draft(self.actor, self.session.id), show="message"
        )
        if discarded.ok:
            self.reload()

    # -- editing the session and signing off -----------------------------------------------------
    def print_form(self) -> None:
        """The 评标专家现场考评表 for signatures: as finalised, or as typed so far (the draft kept first)."""
        if not self.read_only:
            self.save_draft()
        session_id = self.session.id
        preview_document(
            self,
            self.services,
            self.actor,
            lambda: self.services.evaluations.evaluation_form(self.actor, session_id),
        )

    def print_notice(self) -> None:
        """The 考评结果告知书 of the expert whose column the cursor is in."""
        expert = self.model.expert_at(self.table.currentIndex().column())
        if expert is None:
            self._show_hint(
                self.tr("Put the cursor in the column of the expert the notice is for."), refused=True
            )
            return
        session_id, subject_id = self.session.id, expert.subject_id
        preview_document(
            self,
            self.services,
            self.actor,
            lambda: self.services.evaluations.result_notice(self.actor, session_id, subject_id),
        )

    def edit_session(self) -> None:
        from desktop_app.ui.evaluations.session_form import edit_session_dialog

        self.save_draft()
        if self.dirty:
            return  # not kept: the message said why; the edit would reload over it
        if edit_session_dialog(self.services, self.actor, self.session, self) is not None:
            self.reload()

    def finalise(self) -> None:
        """Ctrl+Enter: the witness signs off. The confirmation names each expert's total."""
        if self.read_only:
            return
        state = self.model.state
        lines = []
        for expert in state.experts:
            name = f"{expert.name}（{expert.expert_no}）" if expert.expert_no else expert.name
            lines.append(
                self.tr("%1: %2 points (%3 marks)")
                .replace("%1", name)
                .replace("%2", str(state.total(expert.subject_id)))
                .replace("%3", str(state.marks_of(expert.subject_id)))
            )
        answer = QMessageBox.question(
            self,
            self.tr("Sign off"),
            self.tr(
                "Sign off the evaluation %1 with these totals?\n\n%2\n\nEach mark becomes a deduction in the "
                "expert's credit file and the session is locked: only a leader can reopen it."
            )
            .replace("%1", self.session.number)
            .replace("%2", "\n".join(lines)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        grid = state.grid_input()
        self.draft_timer.stop()
        done = operations.run(
            self,
            lambda: self.services.evaluations.finalise(
                self.actor, self.session.id, grid, self.session.version
            ),
            changed=(topics.EVALUATION, topics.CREDIT_RECORD),
            ids=(self.session.id,),
        )
        if not done.ok:
            self._show_cell_refusals(done.error)
            return
        result: FinaliseResult = done.value  # type: ignore[assignment]
        self.dirty = False
        self.reload()
        QMessageBox.information(self, self.tr("Finalised"), self._result_text(result))

    def _result_text(self, result: FinaliseResult) -> str:
        text = (
            self.tr("The evaluation %1 is finalised: %2 deductions entered in the experts' credit files.")
            .replace("%1", result.session.number)
            .replace("%2", str(result.records_added))
        )
        if result.records_revoked:
            text += "\n" + self.tr("%1 deductions of the earlier revision revoked.").replace(
                "%1", str(result.records_revoked)
            )
        if result.proposals:
            text += "\n\n" + self.tr("Proposals for a leader to decide:") + "\n"
            text += "\n".join(
                self.tr("%1: %2 (%3 points in %4)")
                .replace("%1", p.expert_name)
                .replace("%2", action_label(p.action))
                .replace("%3", str(p.points))
                .replace("%4", str(p.year))
                for p in result.proposals
            )
        if result.withdrawn:
            text += "\n\n" + self.tr("Proposals withdrawn (no longer reached):") + "\n"
            text += "\n".join(f"{p.expert_name}: {action_label(p.action)}" for p in result.withdrawn)
        return text

    def _show_cell_refusals(self, error: object) -> None:
        """Refusals at cells (``cell:{subject_id}:{code}``): the cells turn red, the first is current."""
        errors: dict[tuple[int, str], str] = {}
        for refusal in refusals_of(error) if error is not None else []:  # type: ignore[arg-type]
            field = refusal.field or ""
            if field.startswith("cell:"):
                _cell, subject, code = field.split(":", 2)
                errors[(int(subject), code)] = refusal.message
        if not errors:
            return
        self.model.set_errors(errors)
        first = next(iter(errors))
        index = self.model.cell_index(*first)
        if index.isValid():
            self.table.setCurrentIndex(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_draft()
        if _open_windows.get(self.session.id) is self:
            del _open_windows[self.session.id]
        super().closeEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def watch_lock(window: SessionGridWindow, parent: QWidget | None) -> None:
    """When the idle lock covers the screen, the draft is kept at once (the witness may never come
    back to this workstation: another signs in after a forced sign-out)."""
    from desktop_app.ui.main_window import MainWindow

    main = parent.window() if parent is not None else None
    if isinstance(main, MainWindow):
        main.locked.connect(window.save_draft)
        main.finished.connect(window.close)


def open_session_window(
    services: Services, actor: CurrentUser, session_id: int, parent: QWidget | None = None
) -> SessionGridWindow | None:
    """The grid of a session, in its own window (brought forward when already open); a draft kept
    earlier is offered back first. None when the session cannot be read (the refusal was shown)."""
    shown = _open_windows.get(session_id)
    if shown is not None:
        shown.show()
        shown.raise_()
        shown.activateWindow()
        return shown
    grid = operations.run(parent, lambda: services.evaluations.grid(session_id), show="message").value
    if grid is None:
        return None
    window = SessionGridWindow(services, actor, grid, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_windows[session_id] = window
    watch_lock(window, parent)
    window.show()
    window.offer_draft(grid)
    window.table.setFocus(Qt.FocusReason.OtherFocusReason)
    return window
