"""信用查询: the entry-desk lookup, the first page a hall clerk sees.

One search box with results as the clerk types (a 60 ms pause, then the credit service's search,
which takes milliseconds), the verdict of every result in colour, the credit file of the chosen one,
and 登记核验: record the check and print the 信用查询结果告知单 (also when nothing was found).

Keyboard: Ctrl+F puts the cursor in the search box; Down (or Enter) moves into the results; Up on the
first result goes back; Enter on a result shows its file; Ctrl+P records the check and opens the
notice, where Enter prints it; Ctrl+N registers a new subject (for those who may propose records).
Inside the main window Ctrl+F/P/N are the window's actions, which call ``focus_search``,
``print_current`` and ``new_item``; standing alone the page handles the same keys itself.

The page refreshes itself when a credit file changes anywhere in the application (a record added
here, confirmed on the files page, drafted by a complaint): at once when on screen, else when shown.

``run_search_now(text)`` searches at once, bypassing the pause; ``results_shown`` is emitted once
the model holds the new results, and ``last_search_ms`` is how long the service call plus the model
update took (for the latency benchmark).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.credit import RecordStatus, Verdict
from desktop_app.domain.roles import Permission
from desktop_app.paths import locations
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import COUNT_CAP, SEARCH_LIMIT, EntryCheckInfo, SearchResult, SubjectHit
from desktop_app.ui import operations, topics
from desktop_app.ui.common import make_error_label
from desktop_app.ui.credit.labels import verdict_label
from desktop_app.ui.credit.lookup_detail import SubjectDetailPane
from desktop_app.ui.credit.lookup_model import (
    COL_IDENTIFIER,
    COL_KIND,
    COL_NAME,
    COL_SCORE,
    COL_VERDICT,
    LookupResultsModel,
    VerdictBadgeDelegate,
)
from desktop_app.ui.credit.lookup_reprint import NEW_CERTIFICATE, REPRINT, ask_reprint_or_new
from desktop_app.ui.dates import text_time
from desktop_app.ui.pages import PageCommand, run_command
from desktop_app.ui.widgets.forms import named
from desktop_app.ui.widgets.tables import make_table_view

if TYPE_CHECKING:
    from desktop_app.ui.credit.editing import RowEdit

log = logging.getLogger(__name__)

# Short enough that pause + search stays under 100 ms from the last keystroke; a search costs
# 5–25 ms on a million subjects, so searching between fast keystrokes does no harm.
DEBOUNCE_MS = 60
SPLITTER_KEY = "credit_lookup/splitter"
# A count of a common word walks up to 1000 names (≤ 0.25 s at a million subjects): asked only once
# the clerk has stopped typing long enough to be reading the results.
COUNT_DELAY_MS = 600
PAGE_KEYS = (
    (QKeySequence.StandardKey.Find, PageCommand.FIND),
    (QKeySequence.StandardKey.Print, PageCommand.PRINT),
    (QKeySequence.StandardKey.New, PageCommand.NEW),
)
T = TypeVar("T")


def lookup_state() -> QSettings:
    """The workstation's remembered layout (ui-state.ini in the data folder, as the main window's)."""
    return QSettings(str(locations().home / "ui-state.ini"), QSettings.Format.IniFormat)


@dataclass(frozen=True)
class RecordAction:
    """An entry of a record's menu: its text, the menu entry's objectName, and what it does."""

    label: str
    name: str
    run: Callable[[], object]


class CreditLookupPage(QWidget):
    results_shown = Signal(str)  # the query whose results the table now holds
    check_recorded = Signal(object)  # EntryCheckResult
    commands_changed = Signal()  # never: what the page offers depends on the account only

    def __init__(self, services: Any, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("credit_page")
        self.services = services
        self.actor = actor
        self.can_propose = actor.can(Permission.CREDIT_PROPOSE)
        self.can_approve = actor.can(Permission.CREDIT_APPROVE)
        self.result: SearchResult | None = None
        self.last_search_ms = 0.0
        self.preview: QWidget | None = None
        self.last_check: Any = None
        self._shown_subject: int | None = None
        self._shown_verdict: Verdict | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)

        title_row = QHBoxLayout()
        title = QLabel(self.tr("Credit lookup"), self)
        title.setObjectName("page_title")
        title_row.addWidget(title)
        title_row.addStretch(1)
        self.as_of_label = QLabel(self)
        self.as_of_label.setObjectName("data_as_of")
        self.as_of_label.setStyleSheet("color: #607d8b;")
        title_row.addWidget(self.as_of_label)
        layout.addLayout(title_row)

        search_row = QHBoxLayout()
        search_row.setSpacing(8)
        self.query = named(QLineEdit(self), "query", self.tr("Search credit files"))
        self.query.setPlaceholderText(
            self.tr("Name, former name, USCC, ID number or pinyin initials (Ctrl+F)")
        )
        self.query.setClearButtonEnabled(True)
        self.query.setMaxLength(100)
        self.query.setStyleSheet("font-size: 16pt; padding: 6px 8px;")
        self.query.setToolTip(
            self.tr("Results appear as you type. Down moves into the results; Ctrl+P records the check.")
        )
        search_row.addWidget(self.query, 1)
        self.check_button = named(
            QPushButton(self.tr("Check and print (Ctrl+P)"), self), "entry_check", self.tr("Check and print")
        )
        self.check_button.setToolTip(
            self.tr(
                "Record this check at the desk and print the credit check notice for the selected result,"
                " or a “not found” notice when nothing matches."
            )
        )
        self.check_button.setStyleSheet("font-size: 13pt; font-weight: bold; padding: 8px 16px;")
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(self.print_current)
        search_row.addWidget(self.check_button)
        self.new_button = named(
            QPushButton(self.tr("New subject… (Ctrl+N)"), self), "new_subject", self.tr("New subject")
        )
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.new_item)
        self.new_button.setVisible(self.can_propose)
        search_row.addWidget(self.new_button)
        self.batch_button = named(
            QPushButton(self.tr("&Batch check…"), self),
            "batch_check",
            self.tr("Batch check of a bid opening"),
        )
        self.batch_button.setAutoDefault(False)
        self.batch_button.clicked.connect(self.batch_check)
        search_row.addWidget(self.batch_button)
        layout.addLayout(search_row)

        status_row = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("result_count")
        status_row.addWidget(self.count_label)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("search_hint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet("color: #8d6e00;")
        status_row.addWidget(self.hint_label, 1)
        layout.addLayout(status_row)
        self.form_error = make_error_label(self)
        layout.addWidget(self.form_error)
        self.check_status = QLabel(self)
        self.check_status.setObjectName("check_status")
        self.check_status.setWordWrap(True)
        self.check_status.setStyleSheet("color: #1b5e20;")
        self.check_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_status.hide()
        layout.addWidget(self.check_status)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("lookup_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.model = LookupResultsModel(self)
        self.model.fetcher = self.fetch_more
        self.view = make_table_view("results", self.tr("Search results"), self.splitter)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)  # the service ranks the results; keep its order
        table_font = QFont(self.view.font())
        table_font.setPointSizeF(max(12.0, table_font.pointSizeF()))
        self.view.setFont(table_font)
        self.view.setItemDelegateForColumn(COL_VERDICT, VerdictBadgeDelegate(self.view))
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 16)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        metrics = self.view.fontMetrics()
        bold = QFont(table_font)
        bold.setBold(True)
        header.resizeSection(
            COL_VERDICT, QFontMetrics(bold).horizontalAdvance(verdict_label(Verdict.RECORDS)) + 28
        )
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_KIND, metrics.horizontalAdvance("评标专家") + 20)
        header.resizeSection(COL_IDENTIFIER, metrics.horizontalAdvance("91440101MAWWQQGG0M") + 24)
        header.resizeSection(
            COL_SCORE,
            metrics.horizontalAdvance(self.tr("{score} / {grade} while barred").format(score=100, grade="E"))
            + 12,
        )
        self.column_widths = {
            column: header.sectionSize(column)
            for column in (COL_VERDICT, COL_KIND, COL_IDENTIFIER, COL_SCORE)
        }
        # A name needs this much before it is cut; the kind and score columns give way first (the
        # detail pane shows both, the name's tooltip too).
        self.name_room = metrics.horizontalAdvance("广州市天河区华建建筑工程有限公司") + 16
        self.splitter.addWidget(self.view)
        self.detail = SubjectDetailPane(
            actor.can(Permission.UNMASK_PERSONAL_DATA), self.can_propose, self.splitter
        )
        self.detail.reveal_requested.connect(self.reveal)
        self.detail.edit_requested.connect(self.edit_subject)
        self.detail.add_record_requested.connect(self.add_record)
        self.detail.record_menu_requested.connect(self._record_menu)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])  # 3 : 2 of whatever the window gives, until moved
        self._restore_splitter()
        self.splitter.splitterMoved.connect(lambda *_: self._save_splitter())
        layout.addWidget(self.splitter, 1)

        self.timer = QTimer(self)
        self.timer.setObjectName("search_timer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._search)
        # How many match is counted once the clerk pauses, and only when the first page is full:
        # typing never waits for a count.
        self.count_timer = QTimer(self)
        self.count_timer.setObjectName("count_timer")
        self.count_timer.setSingleShot(True)
        self.count_timer.setInterval(COUNT_DELAY_MS)
        self.count_timer.timeout.connect(self.count_matches)
        self.total: int | None = None  # how many match the shown query (COUNT_CAP + 1: more than that)
        self.query.textChanged.connect(self._text_changed)
        self.query.installEventFilter(self)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)  # its width decides which columns fit
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(self._activated)
        self.setTabOrder(self.query, self.view)
        self.setTabOrder(self.view, self.check_button)
        self._update_status()
        self._update_as_of()
        self.changes = operations.refresh_on_change(self, topics.CREDIT_FILES, self.refresh)

    # -- the window's shortcuts ----------------------------------------------------------------
    def offers(self, command: PageCommand) -> bool:
        return command is not PageCommand.NEW or self.can_propose

    def focus_search(self) -> None:
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def print_current(self) -> None:
        self.entry_check()

    def new_item(self) -> None:
        if self.can_propose:
            self.new_subject()

    def event(self, event: QEvent) -> bool:
        # Standing alone (tests, a kiosk) the page answers Ctrl+F/P/N itself; inside the main window
        # it claims them first while it has the focus, so they never reach the window twice.
        if event.type() == QEvent.Type.ShortcutOverride and self._claimed_key(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        command = self._claimed_key(event)
        if command is not None:
            run_command(self, command)
            event.accept()
            return
        super().keyPressEvent(event)

    def _claimed_key(self, event: QEvent) -> PageCommand | None:
        command = self._page_key(event)
        if command is PageCommand.NEW and not self.can_propose:
            return None  # nothing to register here: the window's Ctrl+N takes a complaint
        return command

    @staticmethod
    def _page_key(event: QEvent) -> PageCommand | None:
        if not isinstance(event, QKeyEvent):
            return None
        for key, command in PAGE_KEYS:
            if event.matches(key):
                return command
        return None

    # -- the panes ----------------------------------------------------------------------------------
    def _restore_splitter(self) -> None:
        state = lookup_state().value(SPLITTER_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.splitter.restoreState(state)

    def _save_splitter(self) -> None:
        """Where the clerk put the divider is kept for this workstation (ui-state.ini)."""
        state = lookup_state()
        state.setValue(SPLITTER_KEY, self.splitter.saveState())
        state.sync()

    def fit_columns(self) -> None:
        """Score, then kind, hidden while the name column would be too narrow for a whole name."""
        width = self.view.viewport().width()
        shown = dict(self.column_widths)  # a hidden section's size reads 0: the widths set at the start
        for column in (COL_SCORE, COL_KIND):
            if width - sum(shown.values()) >= self.name_room:
                break
            del shown[column]
        for column in (COL_SCORE, COL_KIND):
            self.view.setColumnHidden(column, column not in shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if watched is self.query and plain and key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focus_results()
            return True
        if watched is self.view and plain:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._activated(self.view.currentIndex())
                return True
            if key == Qt.Key.Key_Up and self.view.currentIndex().row() <= 0:
                self.focus_search()
                return True
            if key == Qt.Key.Key_Escape:
                self.focus_search()
                return True
        return False

    def focus_results(self) -> None:
        """Run a pending search at once and put the cursor on the first result."""
        if self.timer.isActive():
            self._search()
        if self.model.rowCount() == 0:
            return
        if self.selected_hit() is None:
            current = self.view.currentIndex()
            self.select_row(current.row() if current.isValid() else 0)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)

    # -- searching -----------------------------------------------------------------------------
    def _text_changed(self, _text: str) -> None:
        self.count_timer.stop()
        self.form_error.hide()
        self._forget_check()
        self.timer.start()

    def run_search_now(self, text: str) -> None:
        """Put ``text`` in the box and search at once (no pause)."""
        self.query.blockSignals(True)
        self.query.setText(text)
        self.query.blockSignals(False)
        self.form_error.hide()
        self._forget_check()
        self._search()

    def _forget_check(self) -> None:
        """The confirmation of the last 登记核验 is about its subject: a new query is about another
        (the check stays in that subject's history)."""
        self.check_status.hide()
        self.check_status.clear()

    def _search(self) -> None:
        self.timer.stop()
        started = time.perf_counter()
        text = self.query.text()
        keep = self.selected_hit()
        result = operations.run(self, lambda: self.services.credit.search(self.actor, text)).value
        if result is None:
            return
        self.result = result
        self.model.set_hits(result.hits, more=result.more)
        self.fit_columns()
        self.total = None if result.more else len(result.hits)
        if result.more:
            self.count_timer.start()
        else:
            self.count_timer.stop()
        self.last_search_ms = (time.perf_counter() - started) * 1000
        self.results_shown.emit(text)
        row = self.model.row_of(keep.subject_id) if keep is not None else -1
        if row < 0 and self.model.rowCount() == 1:
            row = 0  # the query names one subject: Ctrl+P certifies it, no Down/Enter needed
        if row >= 0:
            self.select_row(row)
            hit = self.model.hit(row)
            if hit.subject_id == self._shown_subject and hit.verdict != self._shown_verdict:
                # Its file changed since it was shown (a decision at another workstation): as it is now.
                self.show_subject(hit.subject_id, force=True)
        else:
            self._show_nothing_selected()
        self._update_status()

    def _show_nothing_selected(self) -> None:
        self._shown_subject = None
        if self.result is None or not self.result.query.strip():
            self.detail.show_message(
                self.tr("Type a name, a code or pinyin initials to look up a credit file.")
            )
        elif not self.result.hits:
            self.detail.show_not_found(self.result.query.strip(), self.result.hint)
        else:
            self.detail.show_message(
                self.tr("Choose the result that is the company or person asked about (Down, then Enter).")
            )

    def count_matches(self) -> None:
        """How many subjects the shown query matches (up to COUNT_CAP), for the count line."""
        self.count_timer.stop()
        if self.result is None or not self.model.more:
            return
        query = self.result.query
        total = operations.run(self, lambda: self.services.credit.count_matches(self.actor, query)).value
        if total is not None and self.result is not None and self.result.query == query:
            self.total = max(total, self.model.rowCount())
            self._update_status()

    def fetch_more(self) -> None:
        """The next page of results below those shown (the view asks as the clerk scrolls down)."""
        if self.result is None or not self.model.more:
            return
        limit = min(COUNT_CAP, self.model.rowCount() + SEARCH_LIMIT)
        query, on = self.result.query, self.result.on
        found = operations.run(
            self, lambda: self.services.credit.search(self.actor, query, on, limit), busy=False
        ).value
        if found is None or self.result is None or self.result.query != query:
            return
        self.model.append_hits(found.hits, more=found.more and limit < COUNT_CAP)
        self._update_status()

    def _count_text(self) -> str:
        shown = self.model.rowCount()
        if not self.model.more and (self.total is None or self.total <= shown):
            return self.tr("Results: {count}").format(count=shown)
        if self.total is None:
            return self.tr("First {shown} results shown; more match (scroll down)").format(shown=shown)
        if self.total > COUNT_CAP:
            return self.tr(
                "More than {cap} match; {shown} shown (type more of the name to narrow them)"
            ).format(cap=COUNT_CAP, shown=shown)
        return self.tr("{total} match; {shown} shown (scroll down for the rest)").format(
            total=self.total, shown=shown
        )

    def _update_status(self) -> None:
        result = self.result
        text = self.query.text().strip()
        self.check_button.setEnabled(bool(text))
        if result is None or not result.query.strip():
            self.count_label.setText("")
            self.hint_label.setText("")
            return
        if result.hits:
            self.count_label.setText(self._count_text())
            self.count_label.setStyleSheet("font-weight: bold;")
        else:
            self.count_label.setText(self.tr("Not found"))
            self.count_label.setStyleSheet("font-weight: bold; color: #b71c1c;")
        self.hint_label.setText(result.hint)

    def _update_as_of(self) -> None:
        as_of = self.services.credit.data_as_of()
        if as_of is None:
            self.as_of_label.setText(self.tr("No credit data yet"))
        else:
            self.as_of_label.setText(self.tr("Data as of {time}").format(time=text_time(as_of)))

    # -- the chosen subject --------------------------------------------------------------------
    def selected_hit(self) -> SubjectHit | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.hit(rows[0].row())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.show_subject(self.model.hit(current.row()).subject_id)

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        if not self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.select_row(index.row())
        self.show_subject(self.model.hit(index.row()).subject_id, force=True)

    def show_subject(self, subject_id: int, force: bool = False) -> None:
        if subject_id == self._shown_subject and not force:
            return
        file = operations.run(self, lambda: self.services.credit.subject_file(self.actor, subject_id)).value
        if file is not None:
            self._shown_subject = subject_id
            self._shown_verdict = file.assessment.verdict
            self.detail.show_file(file)
            checked = self.last_check.check if self.last_check is not None else None
            if checked is not None and checked.subject_id == subject_id:
                self.detail.mark_check(checked.id)
            else:
                self._forget_check()

    def refresh(self) -> None:
        """Search again and reload the shown file (a credit file changed, or a check was recorded)."""
        shown = self._shown_subject
        self._search()
        if shown is not None and self._shown_subject == shown:
            self.show_subject(shown, force=True)
        self._update_as_of()

    # -- 登记核验 --------------------------------------------------------------------------------
    def entry_check(self) -> Any:
        """Record the check for the selected result (or "not found") and open the notice."""
        if self.timer.isActive():
            self._search()
        query = self.query.text().strip()
        if not query:
            self.form_error.setText(self.tr("Type what the visitor asked about first."))
            self.form_error.show()
            self.focus_search()
            return None
        hit = self.selected_hit()
        if hit is None and self.model.rowCount() > 0:
            answer = QMessageBox.question(
                self,
                self.tr("Check and print"),
                self.tr(
                    "Credit files matching “{query}”: {count}, but none is selected.\n\n"
                    "Record the check as “not found”? Choose No to pick a result first."
                ).format(query=query, count=self.model.rowCount()),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.focus_results()
                return None
        subject_id = hit.subject_id if hit is not None else None
        earlier = operations.run(
            self, lambda: self.services.credit.repeat_of(self.actor, query, subject_id)
        ).value
        if earlier is not None:
            choice = ask_reprint_or_new(self, earlier)
            if choice == REPRINT:
                return self._reprint(earlier)
            if choice != NEW_CERTIFICATE:
                self.focus_search()
                return None
        # Announced as a credit check: this page (on screen) refreshes the file with the new check.
        done = operations.run(
            self,
            lambda: self.services.credit.entry_check(self.actor, query, subject_id),
            changed=topics.CREDIT_CHECK,
            ids=(subject_id,) if subject_id is not None else (),
        ).value
        if done is None:
            if self.form_error.text():
                self.form_error.show()
            return None
        self.last_check = done
        number = done.check.notice_number or ""
        self.check_status.setText(
            self.tr("Check recorded: {name} — {verdict}. Notice {number}.").format(
                name=done.check.subject_name or query,
                verdict=verdict_label(done.check.verdict),
                number=number,
            )
        )
        self.check_status.show()
        if done.check.subject_id is not None and done.check.subject_id == self._shown_subject:
            self.detail.mark_check(done.check.id)
        self.check_recorded.emit(done)
        if done.notice is not None:
            self._open_preview(done.notice)
        return done

    def _reprint(self, earlier: EntryCheckInfo) -> Any:
        """补打 of the notice just issued for this subject: the archived one, marked as a reprint."""
        number = earlier.notice_number or ""
        copy = operations.run(
            self, lambda: self.services.notices.reprint(self.actor, number), changed=topics.NOTICE
        ).value
        if copy is None:
            return None
        self.check_status.setText(
            self.tr("Reprint of notice {number} ({name} — {verdict}); no new check recorded.").format(
                number=number,
                name=earlier.subject_name or earlier.query,
                verdict=verdict_label(earlier.verdict),
            )
        )
        self.check_status.show()
        self._open_preview(copy)
        return copy

    def _open_preview(self, notice: Any) -> None:
        from desktop_app.ui.notices.preview import NoticePreviewDialog

        dialog = NoticePreviewDialog(self.services, self.actor, notice, self, close_after_print=True)
        dialog.printed.connect(self._printed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its pages are images: free them
        dialog.finished.connect(self._preview_closed)
        self.preview = dialog
        dialog.open()

    def _printed(self, target: str) -> None:
        if self.check_status.isVisible():
            self.check_status.setText(
                self.tr("{confirmation} Printed on {printer}.").format(
                    confirmation=self.check_status.text(), printer=target
                )
            )

    def _preview_closed(self, _result: int) -> None:
        # The next visitor's name is typed at once: over the last query, which is selected.
        self.preview = None
        # Not every window manager gives the activation back to the window under a closed dialog.
        self.window().activateWindow()
        self.focus_search()

    def batch_check(self) -> None:
        """批量核验 of a bid opening's list (ui/credit/batch.py); the page refreshes on its announcement."""
        from desktop_app.ui.credit.batch import check_list

        check_list(self, self.services, self.actor)

    # -- changes (for those who may propose records) -------------------------------------------
    # The dialogs (``credit.editing``) are imported when first used: the page opens without them.
    # What they save is announced, and this page refreshes itself on the announcement.
    def _edit(self, call: Callable[[], T]) -> T | None:
        """Run an editing dialog; a refusal before it opens (the record is gone) is said in a box."""
        return operations.run(self, call, show="message", title=self.tr("Credit lookup"), busy=False).value

    def new_subject(self) -> None:
        from desktop_app.ui.credit import editing

        subject_id = self._edit(lambda: editing.edit_subject(self, self.services, self.actor, None))
        if subject_id:
            self._show_new_subject(subject_id)

    def _show_new_subject(self, subject_id: int) -> None:
        name = self.services.credit.subject(subject_id).name
        self.run_search_now(name)
        row = self.model.row_of(subject_id)
        if row >= 0:
            self.select_row(row)
        self.show_subject(subject_id, force=True)
        self._update_as_of()

    def edit_subject(self) -> None:
        from desktop_app.ui.credit import editing

        if self.detail.file is not None:
            subject_id = self.detail.file.subject.id
            self._edit(lambda: editing.edit_subject(self, self.services, self.actor, subject_id))

    def add_record(self) -> None:
        from desktop_app.ui.credit import editing

        if self.detail.file is not None:
            subject_id = self.detail.file.subject.id
            self._edit(lambda: editing.add_record(self, self.services, self.actor, subject_id))

    def reveal(self, field: str) -> None:
        from desktop_app.ui.credit import editing

        if self.detail.file is None:
            return
        subject_id = self.detail.file.subject.id
        value = self._edit(
            lambda: editing.reveal_personal_data(self, self.services, self.actor, subject_id, field)
        )
        if value:
            self.detail.show_revealed(field, value)

    def record_actions(self, item_kind: str, info: Any) -> list[RecordAction]:
        """What may be done with a record, repair or attachment row of the file, by this account."""
        from desktop_app.ui.credit import editing

        def action(label: str, name: str, function: RowEdit, argument: int) -> RecordAction:
            return RecordAction(
                label, name, lambda: self._edit(lambda: function(self, self.services, self.actor, argument))
            )

        actions: list[RecordAction] = []
        if item_kind == "attachment":
            actions.append(
                action(self.tr("Open attachment…"), "open_attachment", editing.open_attachment, info.id)
            )
            return actions
        if item_kind == "repair":
            if info.status == "requested" and (self.can_propose or self.can_approve):
                actions.append(
                    action(self.tr("Decide on the repair…"), "decide_repair", editing.decide_repair, info.id)
                )
            return actions
        if item_kind != "record":
            return actions
        if info.status == RecordStatus.PENDING and self.can_approve:
            actions.append(
                action(self.tr("Confirm record…"), "confirm_record", editing.confirm_record, info.id)
            )
            actions.append(
                action(self.tr("Decline record…"), "decline_record", editing.decline_record, info.id)
            )
        if self.can_propose and info.status in (RecordStatus.CONFIRMED, RecordStatus.PENDING):
            if info.status == RecordStatus.CONFIRMED:
                actions.append(
                    action(self.tr("Request a repair…"), "request_repair", editing.request_repair, info.id)
                )
            actions.append(action(self.tr("Revoke record…"), "revoke_record", editing.revoke_record, info.id))
        if self.can_propose:
            actions.append(
                action(self.tr("Add attachment…"), "add_attachment", editing.add_attachment, info.id)
            )
        return actions

    def _record_menu(self, item_kind: str, info: Any, where: Any) -> None:
        actions = self.record_actions(item_kind, info)
        if not actions:
            return
        menu = QMenu(self)
        menu.setObjectName("record_menu")
        for entry in actions:
            item = menu.addAction(entry.label)
            item.setObjectName(entry.name)
            item.triggered.connect(lambda _=False, run=entry.run: run())
        menu.exec(where)
        menu.deleteLater()
