"""月度考核评分表: a staff member's sheet for a month, in its own window beside the department's.

The lines are grouped by dimension (德 能 勤 绩 廉), each with its subtotal: base, deductions, bonuses.
Keyboard only: the arrows and Tab move; digits (and the decimal point) type the current line's points,
and the total, grade and veto above the table follow at once; Backspace takes a digit back; Delete
puts a base line back to full points or removes a manual line; Enter edits the line's evidence (or,
in the remark column, its remark) in the fields under the table, Enter or Esc there goes back; Insert
adds a manual deduction or bonus from the scheme's items. Automatic lines (from a complaint, a
follow-up visit, the credit file) show their source and are never deleted: Enter on one contests it
with a reason. Ctrl+S saves; Ctrl+Enter saves and opens the next staff member; Esc closes (asking about changes). A save refused because
another workstation saved first names who saved and keeps everything typed (Reload to take theirs).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import ContestState, ItemKind, ScoringRule, SheetState
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring.types import SchemeItemInfo, SheetInfo
from desktop_app.ui import operations, topics
from desktop_app.ui.common import make_error_label
from desktop_app.ui.dates import text_month, text_time
from desktop_app.ui.scoring.sheet_model import (
    EVIDENCE_COLUMN,
    ITEM_COLUMN,
    POINTS_COLUMN,
    RANGE_COLUMN,
    REMARK_COLUMN,
    SOURCE_COLUMN,
    KeyOutcome,
    SheetDraft,
    SheetLine,
    SheetModel,
    dimension_label,
    kind_label,
    points_text,
    rule_of,
    sheet_state_label,
)
from desktop_app.ui.widgets import modal

TEXT_MAX = 200


def month_text(month: str) -> str:
    return text_month(int(month[:4]), int(month[5:]))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SheetView(QTableView):
    """The sheet's table: the window decides what digits, Backspace, Delete, Enter and Insert do; the
    arrows and Tab move as in any table."""

    def __init__(self, window: SheetWindow) -> None:
        super().__init__(window)
        self.sheet_window = window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.sheet_window.close()
            event.accept()
            return
        if self.sheet_window.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)


class SheetWindow(QWidget):
    """One staff member's sheet; ``staff`` are the department's staff in the month's order, for
    Ctrl+Enter's next one."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        sheet: SheetInfo,
        staff: tuple[int, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("scoring_sheet")
        self.services = services
        self.actor = actor
        self.staff = staff or (sheet.staff_id,)
        self.rules: dict[str, ScoringRule] = {}
        self.schemes: dict[int, tuple[SchemeItemInfo, ...]] = {}
        self.draft = SheetDraft(sheet, self._rule(sheet.month))
        self.model = SheetModel(self.draft, self)
        self._build()
        self._show_sheet()

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(6)
        head = QHBoxLayout()
        self.heading = QLabel(self)
        self.heading.setObjectName("sheet_heading")
        self.heading.setWordWrap(True)
        head.addWidget(self.heading, 1)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("sheet_state")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.state_label)
        outer.addLayout(head)

        self.total_label = QLabel(self)
        self.total_label.setObjectName("sheet_total")
        self.total_label.setAccessibleName(self.tr("Total and grade"))
        self.total_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        font = self.total_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.total_label.setFont(font)
        self.total_label.setFixedHeight(self.total_label.fontMetrics().height() + 8)
        outer.addWidget(self.total_label)

        self.table = SheetView(self)
        self.table.setObjectName("sheet_table")
        self.table.setAccessibleName(self.tr("Sheet"))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(True)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 9)
        palette = self.table.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, QColor("#90caf9"))
            palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#000000"))
        self.table.setPalette(palette)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        outer.addWidget(self.table, 1)

        fields = QHBoxLayout()
        self.evidence_caption = QLabel(self.tr("&Evidence:"), self)
        self.evidence = QLineEdit(self)
        self.evidence.setObjectName("evidence")
        self.evidence.setAccessibleName(self.tr("Evidence"))
        self.evidence.setMaxLength(TEXT_MAX)
        self.evidence_caption.setBuddy(self.evidence)
        self.remark_caption = QLabel(self.tr("Re&mark:"), self)
        self.remark = QLineEdit(self)
        self.remark.setObjectName("remark")
        self.remark.setAccessibleName(self.tr("Remark"))
        self.remark.setMaxLength(TEXT_MAX)
        self.remark_caption.setBuddy(self.remark)
        for caption, edit in ((self.evidence_caption, self.evidence), (self.remark_caption, self.remark)):
            edit.textEdited.connect(self._text_edited)
            edit.returnPressed.connect(self._back_to_table)
            edit.installEventFilter(self)
            fields.addWidget(caption)
            fields.addWidget(edit, 1)
        outer.addLayout(fields)

        self.status = QLabel(self)
        self.status.setObjectName("sheet_status")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.status.setFixedHeight(self.status.fontMetrics().height() + 4)
        outer.addWidget(self.status)
        self.form_error = make_error_label(self)
        outer.addWidget(self.form_error)

        buttons = QHBoxLayout()
        self.add_button = self._button(self.tr("&Add line… (Ins)"), "add_line", self.add_line)
        self.contest_button = self._button(self.tr("&Contest…"), "contest", self.contest)
        self.reload_button = self._button(self.tr("&Reload (F5)"), "reload", self.reload)
        self.reload_button.hide()
        self.save_button = self._button(self.tr("&Save (Ctrl+S)"), "save", self.save)
        self.next_button = self._button(
            self.tr("Save and &next (Ctrl+Enter)"), "save_next", self.save_and_next
        )
        self.close_button = self._button(self.tr("C&lose"), "close", self.close)
        for button in (self.add_button, self.contest_button, self.reload_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.save_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        outer.addLayout(buttons)

        self._shortcut("Ctrl+S", self.save)
        self._shortcut("F5", self.reload_if_kept)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            self._shortcut(keys, self.save_and_next)
        self._size_columns()
        self._fit_screen()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        metrics = self.table.fontMetrics()

        # Fixed widths measured once: a column sized to its contents is measured at every key.
        def widest(column: int, sample: str) -> int:
            texts = [
                str(self.model.data(self.model.index(r, column)) or "") for r in range(self.model.rowCount())
            ]
            return max(metrics.horizontalAdvance(t) for t in [*texts, sample]) + 16

        for column, width in (
            (ITEM_COLUMN, min(widest(ITEM_COLUMN, "B01 基本分：政治素质、职业道德、服务态度"), 400)),
            (RANGE_COLUMN, widest(RANGE_COLUMN, "10–20") + 8),
            (POINTS_COLUMN, widest(POINTS_COLUMN, "−10.5") + 14),
            (SOURCE_COLUMN, min(widest(SOURCE_COLUMN, "投诉属实 · TS2026-000001"), 380)),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        for column in (EVIDENCE_COLUMN, REMARK_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width = min(1240, area.width() - 16) if area is not None else 1240
        height = min(720, area.height() - 40) if area is not None else 700
        self.resize(width, height)

    # -- the sheet -----------------------------------------------------------------------------
    def _rule(self, month: str) -> ScoringRule:
        if month not in self.rules:
            self.rules[month] = rule_of(self.services.scoring.rule_on(month))
        return self.rules[month]

    @property
    def sheet(self) -> SheetInfo:
        return self.draft.sheet

    @property
    def read_only(self) -> bool:
        return self.sheet.state != SheetState.DRAFT or not self.actor.can(Permission.SCORING_FILL)

    def _show_sheet(self) -> None:
        s = self.sheet
        self.setWindowTitle(
            self.tr("Monthly scoring %1 — %2").replace("%1", month_text(s.month)).replace("%2", s.staff_name)
        )
        parts = [
            f"<b>{escape(s.staff_name)}</b>（{escape(s.employee_no)}）"
            if s.employee_no
            else f"<b>{escape(s.staff_name)}</b>",
            escape(s.department_name),
            escape(s.post),
            f"<b>{month_text(s.month)}</b>",
            self.tr("scheme %1").replace("%1", escape(s.scheme_name)),
        ]
        if len(self.staff) > 1 and s.staff_id in self.staff:
            parts.append(
                self.tr("%1 of %2")
                .replace("%1", str(self.staff.index(s.staff_id) + 1))
                .replace("%2", str(len(self.staff)))
            )
        self.heading.setText(" · ".join(p for p in parts if p))
        state = sheet_state_label(s.state)
        if s.revision > 1:
            state += " · " + self.tr("revision %1").replace("%1", str(s.revision))
        if not s.current:
            state += " · " + self.tr("an earlier version")
        if s.updated_by:
            state += "\n" + self.tr("saved %1 by %2").replace("%1", text_time(s.updated_at)).replace(
                "%2", s.updated_by
            )
        self.state_label.setText(state)
        read_only = self.read_only
        for widget in (self.add_button, self.contest_button, self.save_button, self.next_button):
            widget.setVisible(not read_only)
        if read_only and len(self.staff) > 1:
            self.next_button.setVisible(True)
        self.next_button.setText(
            self.tr("&Next (Ctrl+Enter)") if read_only else self.tr("Save and &next (Ctrl+Enter)")
        )
        self.evidence.setReadOnly(read_only)
        self.remark.setReadOnly(read_only)
        self._show_total()
        self._show_hint()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(self.model.first_line_row(), POINTS_COLUMN))
        self._current_changed(self.table.currentIndex())

    def _show_total(self) -> None:
        total = self.draft.total()
        subtotals = "  ".join(
            f"{dimension_label(d)} {points_text(round(v, 2))}" for d, v in total.by_dimension.items()
        )
        text = (
            self.tr("Total <b>%1</b> · grade <b>%2</b>")
            .replace("%1", points_text(total.total))
            .replace("%2", escape(total.grade))
        )
        if total.veto:
            text += " · <span style='color:#b71c1c'><b>" + self.tr("veto") + "</b></span>"
        if total.capped:
            text += " · " + self.tr("capped from %1").replace("%1", points_text(total.raw))
        text += f"　　<span style='color:#555'>{subtotals}</span>"
        if self.draft.dirty and not self.read_only:
            text += "　<span style='color:#8d6e00'>" + self.tr("(not saved)") + "</span>"
        if self.total_label.text() != text:
            self.total_label.setText(text)

    def _set_status(self, text: str, colour: str) -> None:
        if self.status.text() != text:
            self.status.setText(text)
        style = f"color: {colour};"
        if self.status.styleSheet() != style:
            self.status.setStyleSheet(style)

    def _show_hint(self, note: str = "", refused: bool = False) -> None:
        if note:
            self._set_status(note, "#b00020" if refused else "#1565c0")
            return
        if self.read_only:
            text = self.tr("Read only (%1). Arrows move; Ctrl+Enter: the next staff member.").replace(
                "%1",
                sheet_state_label(self.sheet.state)
                if self.sheet.state != SheetState.DRAFT
                else self.tr("you do not fill sheets"),
            )
        else:
            text = self.tr(
                "Digits: points · Enter: evidence (in the remark column: remark; on an automatic line: contest)"
                " · Ins: add a line · Del: full points / remove · Ctrl+S: save · Ctrl+Enter: save and next"
            )
        self._set_status(text, "#555")

    def current_line(self) -> SheetLine | None:
        return self.model.line_at(self.table.currentIndex().row())

    def load(self, sheet: SheetInfo) -> None:
        """A sheet as stored (after a save, a reload, the next staff member)."""
        current = self.table.currentIndex()
        same = sheet.id == self.sheet.id
        self.draft = SheetDraft(sheet, self._rule(sheet.month))
        self.model.reset(self.draft)
        self._size_columns()
        self.reload_button.hide()
        self.form_error.hide()
        if same and current.isValid() and current.row() < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        else:
            self.table.setCurrentIndex(self.model.index(self.model.first_line_row(), POINTS_COLUMN))
        self._show_sheet()

    def reload_if_kept(self) -> None:
        """F5: the sheet as stored, unless that would throw away typing not refused by a stale save."""
        if self.reload_button.isVisible() or not self.draft.dirty:
            self.reload()

    def reload(self) -> None:
        s = self.sheet
        fresh = operations.run(
            self, lambda: self.services.scoring.sheet(self.actor, s.staff_id, s.month), show="message"
        ).value
        if fresh is not None:
            self.load(fresh)

    # -- the keys -----------------------------------------------------------------------------
    def handle_key(self, event: QKeyEvent) -> bool:
        """What the sheet does with a key (True: handled; the arrows and Tab are left to the table)."""
        if event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        ):
            return False
        key = event.key()
        text = event.text()
        typed = len(text) == 1 and text in "0123456789."
        line = self.current_line()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_line()
            return True
        if key == Qt.Key.Key_Insert:
            self.add_line()
            return True
        if not typed and key not in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            return False
        if self.read_only:
            self._show_hint(self.tr("This sheet cannot be changed here."), refused=True)
            return True
        if line is None:
            self._show_hint(self.tr("Points go on the lines under each dimension."), refused=True)
            return True
        if typed:
            outcome = self.draft.type_char(line, text)
        elif key == Qt.Key.Key_Backspace:
            outcome = self.draft.backspace(line)
        else:
            removed = line.entry.kind != ItemKind.BASE and not line.automatic
            outcome = self.draft.remove_line(line)
            if removed and outcome.changed:
                row = self.table.currentIndex().row()
                self.model.relayout()
                self.table.setCurrentIndex(
                    self.model.index(min(row, self.model.rowCount() - 1), POINTS_COLUMN)
                )
                outcome = KeyOutcome(note=outcome.note)
                self._show_total()
        self._after_key(line, outcome)
        return True

    def _after_key(self, line: SheetLine, outcome: KeyOutcome) -> None:
        if outcome.changed:
            self.model.line_changed(line)
            self._show_total()
        self._show_hint(outcome.note, outcome.refused)
        if outcome.refused:
            QApplication.beep()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        """The fields under the table show the current line's evidence and remark."""
        self.draft.forget_typing()
        line = self.model.line_at(current.row()) if current.isValid() else None
        editable = line is not None and not line.automatic
        for edit, value in (
            (self.evidence, line.evidence if line is not None else ""),
            (self.remark, line.remark if line is not None else ""),
        ):
            edit.blockSignals(True)
            edit.setText(value)
            edit.setEnabled(editable)
            edit.blockSignals(False)
        required = line is not None and line.entry.evidence_required and not line.automatic
        self.evidence_caption.setText(self.tr("&Evidence (required):") if required else self.tr("&Evidence:"))
        self.contest_button.setEnabled(
            line is not None and line.automatic and line.entry.contest_state == ContestState.NONE
        )

    def enter_line(self) -> None:
        """Enter: the evidence (or the remark, in its column) of a manual line; on an automatic line,
        the contest."""
        index = self.table.currentIndex()
        line = self.current_line()
        if line is None or self.read_only:
            return
        if line.automatic:
            self.contest()
            return
        target = self.remark if index.column() == REMARK_COLUMN else self.evidence
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        target.end(False)

    def _text_edited(self, _text: str) -> None:
        line = self.current_line()
        if line is None or line.automatic or self.read_only:
            return
        line.evidence = self.evidence.text()
        line.remark = self.remark.text()
        self.model.line_changed(line)
        self._show_total()

    def _back_to_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched in (self.evidence, self.remark)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self._back_to_table()
            return True
        return super().eventFilter(watched, event)

    # -- adding and contesting -------------------------------------------------------------------
    def manual_items(self) -> tuple[SchemeItemInfo, ...]:
        """The scheme's deductions and bonuses a supervisor may add (not the automatic ones)."""
        scheme_id = self.sheet.scheme_id
        if self.sheet.scheme_items:
            self.schemes[scheme_id] = self.sheet.scheme_items
        if scheme_id not in self.schemes:
            found = operations.run(self, self.services.scoring.schemes, show="message").value or []
            for scheme in found:
                self.schemes[scheme.id] = scheme.items
        items = self.schemes.get(scheme_id, ())
        return tuple(i for i in items if i.kind != ItemKind.BASE and i.auto_source is None)

    def add_line(self) -> None:
        if self.read_only:
            return
        item = choose_item(self, self.manual_items())
        self.activateWindow()  # back from the picker, the keys come here again
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if item is None:
            return
        line = self.draft.add_line(item)
        self.model.relayout()
        self.table.setCurrentIndex(self.model.index(self.model.row_of(line), POINTS_COLUMN))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_total()
        self._show_hint(
            self.tr("%1 added at %2 points: type the points, then Enter for the evidence.")
            .replace("%1", item.code)
            .replace("%2", points_text(item.points))
        )

    def contest(self) -> None:
        """An automatic line disputed with a reason (a leader decides); what was typed is saved first."""
        line = self.current_line()
        if self.read_only or line is None or not line.automatic or line.entry.id is None:
            return
        if line.entry.contest_state != ContestState.NONE:
            self._show_hint(self.tr("This line is already contested or decided."), refused=True)
            return
        if self.draft.dirty and not self.save():
            return
        from desktop_app.ui.credit.editing.decisions import ReasonDialog

        entry = line.entry
        title = f"{entry.item_code} {entry.text}" + (f"（{entry.source_ref}）" if entry.source_ref else "")
        dialog = ReasonDialog(
            self.tr("Contest an automatic line"),
            self.tr(
                "%1\n\nA leader decides: upheld, it counts; withdrawn, it does not (its link stays)."
            ).replace("%1", title),
            self.tr("&Reason:"),
            lambda reason: self.services.scoring.contest_entry(self.actor, entry.id or 0, reason),
            self.tr("Contest"),
            self,
            changed=topics.SCORING,
            ids=(self.sheet.id,),
        )
        contested = modal.run_and_delete(dialog)
        self.activateWindow()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if contested and isinstance(dialog.result_value, SheetInfo):
            self.load(dialog.result_value)

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> bool:
        """Ctrl+S. A refusal stays in the line above the buttons with everything typed kept."""
        if self.read_only:
            return True
        self.form_error.hide()
        data = self.draft.sheet_input()
        sheet = self.sheet
        saved = operations.run(
            self,
            lambda: self.services.scoring.save_sheet(self.actor, sheet.id, data, sheet.version),
            changed=topics.SCORING,
            ids=(sheet.id,),
        )
        if not saved.ok:
            self.reload_button.setVisible(saved.stale)
            self._show_hint(self.tr("Not saved: see the message below."), refused=True)
            return False
        self.load(saved.value)  # type: ignore[arg-type]
        self._show_hint(self.tr("Saved."))
        return True

    def save_and_next(self) -> None:
        """Ctrl+Enter: saved, then the next staff member of the department."""
        if not self.read_only and not self.save():
            return
        position = self.staff.index(self.sheet.staff_id) if self.sheet.staff_id in self.staff else -1
        if position + 1 >= len(self.staff):
            self._show_hint(self.tr("That was the last staff member of the department."))
            return
        following = self.staff[position + 1]
        month = self.sheet.month
        sheet = operations.run(
            self, lambda: self.services.scoring.sheet(self.actor, following, month), show="message"
        ).value
        if sheet is not None:
            self.load(sheet)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.draft.dirty and not self.read_only:
            answer = QMessageBox.question(
                self,
                self.windowTitle(),
                self.tr("The sheet of %1 has changes not saved. Save them?").replace(
                    "%1", self.sheet.staff_name
                ),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and not self.save()
            ):
                event.ignore()
                return
        super().closeEvent(event)
        owner = self.parentWidget()
        if owner is not None and owner.isVisible():  # back to the department's month
            owner.activateWindow()


class ItemPicker(QDialog):
    """The scheme's manual items: arrows choose, Enter adds, Esc cancels."""

    def __init__(self, items: tuple[SchemeItemInfo, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a line"))
        self.items = items
        layout = QVBoxLayout(self)
        caption = QLabel(self.tr("&Item of the scheme:"), self)
        layout.addWidget(caption)
        self.list = QListWidget(self)
        self.list.setObjectName("items")
        self.list.setAccessibleName(self.tr("Items"))
        for item in items:
            text = f"{item.code}  {kind_label(item.kind)}　{dimension_label(item.dimension)}　{item.text}"
            text += "　" + self.tr("%1 points (%2–%3)").replace("%1", points_text(item.points)).replace(
                "%2", points_text(item.min_points)
            ).replace("%3", points_text(item.max_points))
            if item.evidence_required:
                text += "　" + self.tr("evidence required")
            QListWidgetItem(text, self.list)
        caption.setBuddy(self.list)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(parent=self)
        buttons.setStandardButtons(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(min(760, self.list.sizeHintForColumn(0) + 60))
        self.list.setFocus()

    def chosen(self) -> SchemeItemInfo | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None


def choose_item(parent: QWidget, items: tuple[SchemeItemInfo, ...]) -> SchemeItemInfo | None:
    if not items:
        return None
    picker = ItemPicker(items, parent)
    try:
        return picker.chosen() if modal.run_dialog(picker) else None
    finally:
        picker.deleteLater()


_open_sheets: dict[int, SheetWindow] = {}


def open_sheet(
    services: Services,
    actor: CurrentUser,
    staff_id: int,
    month: str,
    staff: tuple[int, ...] = (),
    parent: QWidget | None = None,
) -> SheetWindow | None:
    """A staff member's sheet in its own window (the one window of its parent, brought forward and
    turned to this staff member when open). None when it cannot be read (the refusal was shown)."""
    key = id(parent) if parent is not None else 0
    shown = _open_sheets.get(key)
    if shown is not None and shown.isVisible():
        if shown.sheet.staff_id != staff_id or shown.sheet.month != month:
            if shown.draft.dirty and not shown.read_only and not shown.save():
                shown.raise_()
                return shown
            sheet = operations.run(
                parent, lambda: services.scoring.sheet(actor, staff_id, month), show="message"
            ).value
            if sheet is None:
                return None
            shown.staff = staff or (staff_id,)
            shown.load(sheet)
        shown.show()
        shown.raise_()
        shown.activateWindow()
        shown.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return shown
    sheet = operations.run(
        parent, lambda: services.scoring.sheet(actor, staff_id, month), show="message"
    ).value
    if sheet is None:
        return None
    window = SheetWindow(services, actor, sheet, staff, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_sheets[key] = window
    window.destroyed.connect(lambda _=None, k=key: _open_sheets.pop(k, None))
    window.show()
    window.table.setFocus(Qt.FocusReason.OtherFocusReason)
    return window
