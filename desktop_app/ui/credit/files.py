"""信用档案: the work list of those who keep the credit files.

- 待领导确认: bans and serious-list records waiting for a leader. Leaders see all and confirm or
  decline them; a department head sees the ones they entered (and may withdraw them).
- 新建主体 (Ctrl+N), and the import of subjects and records from a spreadsheet
  (``desktop_app.ui.credit.importing``, loaded when first used).

Looking a subject up and changing its file happens on the lookup page; both use ``editing``. The page
refreshes itself when credit subjects or records change anywhere in the application (at once when on
screen, else when shown), so no other page needs to know it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInfo, SubjectInfo
from desktop_app.services.facade import Services
from desktop_app.ui import operations, pages, topics
from desktop_app.ui.credit import editing
from desktop_app.ui.credit.labels import record_kind_label, record_state_label, severity_label
from desktop_app.ui.dates import table_date, table_time
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width
from desktop_app.ui.widgets.text import NUMBER_CORE

T = TypeVar("T")


def run_editing(parent: QWidget, call: Callable[[], T]) -> T | None:
    """Run an editing dialog; a refusal before it opens (the record is gone) is said in a box."""
    return operations.run(parent, call, show="message", busy=False).value


@dataclass(frozen=True)
class PendingRow:
    subject: SubjectInfo
    record: RecordInfo

    @property
    def id(self) -> int:
        return self.record.id


class PendingTableModel(RecordTableModel[PendingRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Subject"),
                    lambda p: p.subject.name,
                    width=Width("天河华建", "天河华建工程咨询", weight=2),
                ),
                Column(
                    self.tr("Identifier"),
                    lambda p: p.subject.identifier,
                    width=Width(whole=True, weight=0, gives_way=2),
                ),
                Column(
                    self.tr("Record"),
                    lambda p: record_kind_label(p.record.kind),
                    width=Width("严重失", weight=0.5),
                ),
                Column(
                    self.tr("Severity"),
                    lambda p: severity_label(p.record.severity),
                    width=Width("一般", weight=0),
                ),
                Column(
                    self.tr("Decision no."),
                    lambda p: p.record.decision_number,
                    width=Width(pieces=NUMBER_CORE, weight=1),
                ),
                Column(
                    self.tr("Decided by"),
                    lambda p: p.record.authority,
                    width=Width("天河市", "天河市住建局", weight=1, gives_way=3),
                ),
                Column(
                    self.tr("Decision date"),
                    lambda p: table_date(p.record.decision_date),
                    lambda p: p.record.decision_date,
                    width=Width(whole=True, weight=0),
                ),
                Column(self.tr("Period"), self.period_text, width=Width("2026-12-31 至", weight=0)),
                Column(
                    self.tr("Entered by"),
                    lambda p: p.record.created_by_name or p.record.created_by,
                    width=Width("欧阳明", weight=0),
                ),
                Column(
                    self.tr("Entered at"),
                    lambda p: table_time(p.record.created_at),
                    lambda p: p.record.created_at,
                    width=Width(whole=True, weight=0, gives_way=1),
                ),
                Column(
                    self.tr("Facts"),
                    lambda p: p.record.facts.replace("\n", " "),
                    None,
                    lambda p: p.record.facts,
                    width=Width("串通投标", "串通投标串通投标串通", weight=3),
                ),
            ],
            parent=parent,
        )

    def period_text(self, p: PendingRow) -> str:
        r = p.record
        if r.ban_start is not None:
            start, end = r.ban_start, r.ban_end
        else:
            start, end = r.decision_date, r.publicity_end
        return self.tr("%1 to %2").replace("%1", table_date(start)).replace("%2", table_date(end) or "—")


class PendingTab(ListTab):
    """Bans and serious-list records awaiting a leader. ``counted(n)`` after every reload."""

    counted = Signal(int)

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            PendingTableModel(), "pending_search", "pending_table", self.tr("Awaiting confirmation"), parent
        )
        self.services = services
        self.actor = actor
        self.leader = actor.can(Permission.CREDIT_APPROVE)
        self.confirm_button: QPushButton | None = None
        self.decline_button: QPushButton | None = None
        if self.leader:
            self.confirm_button = self.add_button(
                self.tr("Confirm…"), "confirm", self.confirm_current, self.tr("The record takes effect now")
            )
            self.decline_button = self.add_button(
                self.tr("Decline…"),
                "decline",
                self.decline_current,
                self.tr("Asks a reason; the record never counts"),
            )
        self.revoke_button = self.add_button(
            self.tr("Withdraw…"),
            "revoke",
            self.revoke_current,
            self.tr("Asks a reason; for a record entered in error"),
        )
        self.attach_button = self.add_button(
            self.tr("Attach file…"), "attach", self.attach_current, self.tr("Add the decision document")
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.scope = QLabel(self.scope_text(), self)
        self.scope.setObjectName("pending_scope")
        self.scope.setWordWrap(True)
        self.scope.setStyleSheet("color: #546e7a;")
        self.layout().insertWidget(1, self.scope)
        self.set_empty_text(self.tr("Nothing awaits confirmation."))
        self.refresh()

    def load_records(self) -> list[Any]:
        # The service gives a leader every pending record, anyone else their department's.
        return [PendingRow(s, r) for s, r in self.services.credit.pending_records(self.actor)]

    def scope_text(self) -> str:
        """What the list holds, said above it (the count alone would read as everyone's)."""
        if self.leader:
            return self.tr("Every ban and serious-list record waiting for a leader.")
        if self.actor.department_name:
            return self.tr(
                "Bans and serious-list records entered by {department}, waiting for a leader."
            ).format(department=self.actor.department_name)
        return self.tr("Bans and serious-list records you entered, waiting for a leader.")

    def refresh(self) -> None:
        super().refresh()
        self.counted.emit(self.model.rowCount())

    def update_actions(self) -> None:
        chosen = self.current() is not None
        for button in (self.confirm_button, self.decline_button, self.revoke_button, self.attach_button):
            if button is not None:
                button.setEnabled(chosen)

    def edit_current(self) -> None:
        if self.leader:
            self.confirm_current()

    def _act(self, action: editing.RowEdit, done: str) -> None:
        chosen: PendingRow | None = self.current()
        if chosen is None:
            return
        self.clear_messages()
        record_id = chosen.record.id
        if run_editing(self, lambda: action(self, self.services, self.actor, record_id)):
            self.show_status(done.replace("%1", chosen.subject.name))

    def confirm_current(self) -> None:
        self._act(editing.confirm_record, self.tr("The record of “%1” is confirmed and in effect."))

    def decline_current(self) -> None:
        self._act(editing.decline_record, self.tr("The record of “%1” was not confirmed."))

    def revoke_current(self) -> None:
        self._act(editing.revoke_record, self.tr("The record of “%1” is withdrawn."))

    def attach_current(self) -> None:
        chosen: PendingRow | None = self.current()
        if chosen is None:
            return
        self.clear_messages()
        record_id = chosen.record.id
        if run_editing(self, lambda: editing.add_attachment(self, self.services, self.actor, record_id)):
            self.show_status(
                self.tr("File attached to the record of “%1”.").replace("%1", chosen.subject.name)
            )


class RecentTableModel(PendingTableModel):
    """Like the pending list, with each record's state today; inactive records greyed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns.insert(
            2,
            Column(
                self.tr("State"), lambda p: record_state_label(p.record), width=Width("待领导确认", weight=0)
            ),
        )
        self._muted = lambda p: not p.record.in_force


class RecentTab(ListTab):
    """The records changed last, to check one's own entries and what colleagues changed."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            RecentTableModel(), "recent_search", "recent_table", self.tr("Recently changed records"), parent
        )
        self.services = services
        self.actor = actor
        self.attach_button = self.add_button(
            self.tr("Attach file…"), "attach", self.attach_current, self.tr("Add the decision document")
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.refresh()

    def load_records(self) -> list[Any]:
        return [PendingRow(s, r) for s, r in self.services.credit.recent_records(self.actor)]

    def update_actions(self) -> None:
        self.attach_button.setEnabled(self.current() is not None)

    def attach_current(self) -> None:
        chosen: PendingRow | None = self.current()
        if chosen is None:
            return
        self.clear_messages()
        record_id = chosen.record.id
        if run_editing(self, lambda: editing.add_attachment(self, self.services, self.actor, record_id)):
            self.show_status(
                self.tr("File attached to the record of “%1”.").replace("%1", chosen.subject.name)
            )


class CreditFilesPage(QWidget):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("credit_files_page")
        self.services = services
        self.actor = actor

        self.new_subject_button = self._button(
            self.tr("New subject…"),
            "new_subject",
            self.new_item,
            self.tr("Register a company or person (Ctrl+N)"),
        )
        self.import_subjects_button = self._button(
            self.tr("Import subjects…"),
            "import_subjects",
            lambda: self.open_import("subjects"),
            self.tr("Register many subjects from a spreadsheet"),
        )
        self.import_records_button = self._button(
            self.tr("Import records…"),
            "import_records",
            lambda: self.open_import("records"),
            self.tr("Enter many records from a spreadsheet"),
        )
        self.template_button = self._button(
            self.tr("Save import template…"),
            "save_template",
            lambda: self.save_template(),
            self.tr("Save an empty spreadsheet with the columns the import expects"),
        )
        toolbar = QHBoxLayout()
        for button in (
            self.new_subject_button,
            self.import_subjects_button,
            self.import_records_button,
            self.template_button,
        ):
            toolbar.addWidget(button)
        toolbar.addStretch(1)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("credit_files_tabs")
        self.tabs.setAccessibleName(self.tr("Credit files"))
        self.tabs.setDocumentMode(True)
        self.pending = PendingTab(services, actor, self)
        self.tabs.addTab(self.pending, self.tr("Awaiting leader confirmation"))
        self.recent = RecentTab(services, actor, self)
        self.tabs.addTab(self.recent, self.tr("Recently changed"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.pending.counted.connect(self._update_tab_title)  # the count in its title

        title = QLabel(self.tr("Credit files"), self)
        title.setObjectName("page_title")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(toolbar)
        layout.addWidget(self.tabs, 1)
        self._update_tab_title()
        self.changes = operations.refresh_on_change(
            self, (topics.CREDIT_SUBJECT, topics.CREDIT_RECORD), self.refresh
        )

    def _button(self, text: str, name: str, slot: Any, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.rstrip("…"))
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _tab_changed(self, index: int) -> None:
        pages.refresh(self.tabs.widget(index))
        self._update_tab_title()

    def _update_tab_title(self, _count: int = 0) -> None:
        count = self.pending.model.rowCount()
        title = self.tr("Awaiting leader confirmation")
        self.tabs.setTabText(self.tabs.indexOf(self.pending), f"{title} ({count})" if count else title)

    def refresh(self) -> None:
        self.pending.refresh()
        self.recent.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        # Leaders confirm on other workstations, which announce nothing here: coming back to the
        # page reloads the list and its count (a handful of rows on the pending index).
        super().showEvent(event)
        if not event.spontaneous():
            self.pending.refresh()

    # -- called by the main window -----------------------------------------------------------------
    def show_target(self, target: str) -> None:
        """The home page's 待办 open the 待领导确认 list (target "pending", services.credit.todo)."""
        if target == "pending":
            self.tabs.setCurrentWidget(self.pending)
            self.pending.focus_list()

    def focus_search(self) -> None:
        tab = self.tabs.currentWidget()
        (tab if isinstance(tab, ListTab) else self.pending).focus_search()

    def new_item(self) -> None:
        """A new subject; then, if wanted, its first record."""
        self.pending.clear_messages()
        subject_id = run_editing(self, lambda: editing.edit_subject(self, self.services, self.actor, None))
        if subject_id is None:
            return
        subject = self.services.credit.subject(subject_id)
        self.pending.show_status(self.tr("Subject “%1” registered.").replace("%1", subject.name))
        answer = QMessageBox.question(
            self,
            self.tr("New subject"),
            self.tr("“%1” is registered. Enter a record in its file now?").replace("%1", subject.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        record_id = run_editing(self, lambda: editing.add_record(self, self.services, self.actor, subject_id))
        if record_id is not None:
            self.pending.show_status(self.tr("Record of “%1” saved.").replace("%1", subject.name))

    # -- import (written with the import service; loaded on first use) ----------------------------
    def open_import(self, what: Literal["subjects", "records"]) -> None:
        from desktop_app.ui.credit.importing import import_file

        self.pending.clear_messages()
        import_file(self, self.services, self.actor, what)  # announces what it imported

    def save_template(self, what: Literal["subjects", "records"] | None = None) -> None:
        """Save an empty import file; without ``what``, ask which one with a small menu."""
        from desktop_app.ui.credit.importing import save_template

        if what is None:
            menu = QMenu(self)
            subjects = menu.addAction(self.tr("Template for subjects"))
            records = menu.addAction(self.tr("Template for records"))
            chosen = menu.exec(self.template_button.mapToGlobal(self.template_button.rect().bottomLeft()))
            menu.deleteLater()
            if chosen is subjects:
                what = "subjects"
            elif chosen is records:
                what = "records"
            else:
                return
        save_template(self, self.services, self.actor, what)
