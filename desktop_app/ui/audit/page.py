"""The audit administrator's page: filter the audit trail, read it, verify the chain end to end."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roles import Permission
from desktop_app.services.audit_log import ACTION_LABELS, AuditFilter, RecordedBreak, VerifyResult
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations
from desktop_app.ui.audit.model import ACTION, LOGIN, OBJECT, PERSON, SEQ, TIME, WORKSTATION, AuditLogModel
from desktop_app.ui.audit.record_break import record_break
from desktop_app.ui.common import make_error_label
from desktop_app.ui.dates import FORM_DATE_FORMAT, text_time
from desktop_app.ui.widgets.forms import named
from desktop_app.ui.widgets.tables import make_table_view

NO_LIMIT = QDate(2000, 1, 1)
SHOW_ENTRY_LIMIT = 20_000  # rows to load while looking for an entry to point at


def _date_edit(parent: QWidget, name: str, accessible: str, no_limit_text: str) -> QDateEdit:
    edit = named(QDateEdit(parent), name, accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(FORM_DATE_FORMAT)
    edit.setMinimumDate(NO_LIMIT)
    edit.setSpecialValueText(no_limit_text)  # shown while the date is the minimum: no bound
    edit.setDate(NO_LIMIT)
    edit.setMinimumWidth(130)
    return edit


def _local_midnight(day: QDate) -> datetime:
    return datetime.combine(day.toPython(), time()).astimezone()


class AuditPage(QWidget):
    def __init__(
        self, services: Services, actor: CurrentUser, parent: QWidget | None = None, page_size: int = 200
    ) -> None:
        super().__init__(parent)
        self.setObjectName("audit_page")
        self.services = services
        self.actor = actor
        self.last_result: VerifyResult | None = None

        layout = QVBoxLayout(self)
        filters = QGridLayout()
        self.since = _date_edit(self, "since", self.tr("From date"), self.tr("Any"))
        self.until = _date_edit(self, "until", self.tr("To date"), self.tr("Any"))
        self.username = named(QLineEdit(self), "username", self.tr("Person"))
        self.username.setPlaceholderText(self.tr("Name or login name"))
        self.username.setClearButtonEnabled(True)
        self.action = named(QComboBox(self), "action", self.tr("Action"))
        self.action.addItem(self.tr("All actions"), "")
        for code, label in ACTION_LABELS.items():
            self.action.addItem(label, code)
        self.action.setMaxVisibleItems(20)
        self.text = named(QLineEdit(self), "text", self.tr("Text in summary or object number"))
        self.text.setPlaceholderText(self.tr("Text in summary, or an object number (Ctrl+F)"))
        self.text.setClearButtonEnabled(True)
        self.search_button = named(QPushButton(self.tr("Search"), self), "search", self.tr("Search"))
        self.clear_button = named(QPushButton(self.tr("Clear"), self), "clear", self.tr("Clear filters"))

        filters.addWidget(QLabel(self.tr("From:"), self), 0, 0, Qt.AlignmentFlag.AlignRight)
        filters.addWidget(self.since, 0, 1)
        filters.addWidget(QLabel(self.tr("To:"), self), 0, 2, Qt.AlignmentFlag.AlignRight)
        filters.addWidget(self.until, 0, 3)
        filters.addWidget(QLabel(self.tr("Person:"), self), 0, 4, Qt.AlignmentFlag.AlignRight)
        filters.addWidget(self.username, 0, 5)
        filters.addWidget(QLabel(self.tr("Action:"), self), 0, 6, Qt.AlignmentFlag.AlignRight)
        filters.addWidget(self.action, 0, 7)
        filters.addWidget(QLabel(self.tr("Text:"), self), 1, 0, Qt.AlignmentFlag.AlignRight)
        filters.addWidget(self.text, 1, 1, 1, 5)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        filters.addLayout(buttons, 1, 6, 1, 2)
        filters.setColumnStretch(5, 1)
        filters.setColumnStretch(7, 1)
        layout.addLayout(filters)
        self.form_error = make_error_label(self)
        layout.addWidget(self.form_error)

        self.model = AuditLogModel(services, actor, page_size, self)
        self.view = make_table_view("audit_table", self.tr("Audit log"), self)
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        metrics = self.view.fontMetrics()
        samples = {
            SEQ: "000000",
            TIME: "2026-12-31 23:59:59",
            PERSON: "系统（登录验证）",
            LOGIN: "username",
            WORKSTATION: "workstation-01",
            ACTION: "查看个人信息明文",
            OBJECT: "信用记录 #0000（某某建设工程有限公司）",
        }
        for column, sample in samples.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        layout.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        self.verify_result = QLabel(self)
        self.verify_result.setObjectName("verify_result")
        self.verify_result.setWordWrap(True)
        self.verify_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.verify_result, 3)
        self.verify_button = named(
            QPushButton(self.tr("Verify audit chain"), self), "verify", self.tr("Verify audit chain")
        )
        self.verify_button.setToolTip(
            self.tr("Check every entry against its key-protected hash and the one before it")
        )
        bottom.addWidget(self.verify_button)
        # Only after a verification found damage not yet on record, and only for the audit admin.
        self.record_break_button = named(
            QPushButton(self.tr("Record break…"), self), "record_break", self.tr("Record break")
        )
        self.record_break_button.setToolTip(
            self.tr("Record what was found and start a new segment, so audited work can resume")
        )
        self.record_break_button.setVisible(actor.can(Permission.AUDIT_RECORD_BREAK))
        self.record_break_button.setEnabled(False)
        bottom.addWidget(self.record_break_button)
        layout.addLayout(bottom)

        self.search_button.clicked.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filter)
        self.username.returnPressed.connect(self.apply_filter)
        self.text.returnPressed.connect(self.apply_filter)
        self.action.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.since.dateChanged.connect(lambda _d: self.apply_filter())
        self.until.dateChanged.connect(lambda _d: self.apply_filter())
        self.verify_button.clicked.connect(self.verify)
        self.record_break_button.clicked.connect(self.record_break)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.model.modelReset.connect(self._update_count)
        self.apply_filter()

    # -- filtering -------------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        since = self.since.date()
        until = self.until.date()
        return AuditFilter(
            since=_local_midnight(since) if since != NO_LIMIT else None,
            until=_local_midnight(until) + timedelta(days=1) if until != NO_LIMIT else None,
            username=self.username.text().strip(),
            action=self.action.currentData() or "",
            text=self.text.text().strip(),
        )

    def apply_filter(self) -> None:
        flt = self.current_filter()
        if flt.since and flt.until and flt.since >= flt.until:
            self.form_error.setText(self.tr("The start date is after the end date."))
            self.form_error.show()
            return
        self.form_error.hide()
        if operations.run(self, lambda: self.model.set_filter(flt)).ok:
            self.view.scrollToTop()

    def clear_filter(self) -> None:
        for widget in (self.since, self.until, self.username, self.action, self.text):
            widget.blockSignals(True)
        self.since.setDate(NO_LIMIT)
        self.until.setDate(NO_LIMIT)
        self.username.clear()
        self.action.setCurrentIndex(0)
        self.text.clear()
        for widget in (self.since, self.until, self.username, self.action, self.text):
            widget.blockSignals(False)
        self.apply_filter()

    def _update_count(self) -> None:
        self.count_label.setText(
            self.tr("%1 entries, %2 shown")
            .replace("%1", str(self.model.total))
            .replace("%2", str(self.model.rowCount()))
        )

    # -- verifying -------------------------------------------------------------------------------
    def verify(self) -> None:
        result = operations.run(self, lambda: self.services.audit_log.verify(self.actor)).value
        if result is None:
            return
        self.last_result = result
        if result.intact:
            self.verify_result.setStyleSheet("color: #1b5e20;")
            text = self.tr("Audit chain intact: %1 entries checked.").replace("%1", str(result.checked))
            if result.breaks:
                # A break on record is shown every time, never folded away.
                self.verify_result.setStyleSheet("color: #8a4b00; font-weight: bold;")
                text += " " + self.tr("Breaks on record: %1.").replace(
                    "%1", "; ".join(self._break_text(b) for b in result.breaks)
                )
        else:
            self.verify_result.setStyleSheet("color: #b00020; font-weight: bold;")
            text = (
                self.tr("Audit chain BROKEN: %1 (%2 entries before it are intact).")
                .replace("%1", result.reason)
                .replace("%2", str(result.checked))
            )
        for note in result.notes:
            text += "\n" + note
        self.verify_result.setText(text)
        self.record_break_button.setEnabled(not result.intact)
        # The check itself is an audited action: show it, and point at the bad entry if there is one.
        self.model.reload()
        self.model.mark_bad(result.first_bad_seq if not result.intact else None)
        if not result.intact and result.first_bad_seq is not None:
            self.show_entry(result.first_bad_seq)

    def _break_text(self, recorded: RecordedBreak) -> str:
        return (
            self.tr("entry %1, %2 by %3: %4")
            .replace("%1", str(recorded.seq))
            .replace("%2", text_time(recorded.at))
            .replace("%3", recorded.username)
            .replace("%4", recorded.found)
        )

    def record_break(self) -> None:
        if self.last_result is None or self.last_result.intact:
            return
        if record_break(self, self.services, self.actor, self.last_result) is not None:
            self.verify()  # shows the chain intact again, with the break on record

    def show_entry(self, seq: int) -> bool:
        """Scroll to the entry with this number, loading pages until it is there."""
        row = self.model.row_of_seq(seq)
        while (
            row < 0
            and self.model.rowCount() < SHOW_ENTRY_LIMIT
            and self.model.canFetchMore(self.view.rootIndex())
        ):
            self.model.fetchMore(self.view.rootIndex())
            row = self.model.row_of_seq(seq)
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    # -- called by the main window ---------------------------------------------------------------
    def focus_search(self) -> None:
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text.selectAll()
