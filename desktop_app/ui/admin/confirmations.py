"""账户确认: a leader puts into effect the business roles a system admin gave (三员分立), the audit
admin a new audit admin's role. Opened from the home page's 待办 card and from the navigation."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.users import UserInfo
from desktop_app.ui import operations, topics
from desktop_app.ui.dates import table_time
from desktop_app.ui.labels import roles_text
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel


class PendingAccountsModel(RecordTableModel[UserInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Username"), lambda u: u.username),
                Column(self.tr("Name"), lambda u: u.display_name),
                Column(self.tr("Roles asked for"), lambda u: roles_text(u.pending_roles)),
                Column(self.tr("Roles in effect"), lambda u: roles_text(u.roles) or self.tr("None")),
                Column(self.tr("Department"), lambda u: u.department_name),
                Column(self.tr("Linked staff"), lambda u: u.staff_name),
                Column(self.tr("Asked by"), lambda u: u.pending_by),
                Column(
                    self.tr("Since"),
                    lambda u: table_time(u.pending_since),
                    lambda u: u.pending_since.timestamp() if u.pending_since else 0.0,
                ),
            ],
            parent=parent,
        )


class ConfirmationsPage(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            PendingAccountsModel(),
            "confirm_search",
            "pending_accounts_table",
            self.tr("Accounts to confirm"),
            parent,
        )
        self.setObjectName("account_confirmations_page")
        self.services = services
        self.actor = actor
        self.confirm_button = self.add_button(self.tr("Confirm"), "confirm_account", self.confirm)
        self.decline_button = self.add_button(self.tr("Decline"), "decline_account", self.decline)
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        title = QLabel(self.tr("Account confirmations"), self)  # titled like the other pages
        title.setObjectName("page_title")
        self.layout().insertWidget(0, title)
        self.set_empty_text(self.tr("No account is waiting for your confirmation."))
        self.changes = operations.refresh_on_change(self, topics.USER, self.refresh)
        self.refresh()

    def load_records(self) -> list[Any]:
        return self.services.users.pending(self.actor)

    def update_actions(self) -> None:
        chosen = self.current() is not None
        self.confirm_button.setEnabled(chosen)
        self.decline_button.setEnabled(chosen)

    def edit_current(self) -> None:
        self.confirm()

    def confirm(self) -> None:
        self._decide(True)

    def decline(self) -> None:
        self._decide(False)

    def _decide(self, accept: bool) -> None:
        record: UserInfo | None = self.current()
        if record is None:
            return
        self.clear_messages()
        question = (
            self.tr("Put into effect the roles “%2” of account “%1”?")
            if accept
            else self.tr("Decline the roles “%2” asked for account “%1”? It keeps the roles it has.")
        )
        answer = QMessageBox.question(
            self,
            self.tr("Confirm roles") if accept else self.tr("Decline roles"),
            question.replace("%1", record.username).replace("%2", roles_text(record.pending_roles)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        done = operations.run(
            self,
            lambda: self.services.users.confirm(self.actor, record.id, accept=accept),
            changed=topics.USER,
            ids=(record.id,),
        )
        if done.ok:
            self.refresh()
            text = self.tr("Roles of “%1” confirmed.") if accept else self.tr("Roles of “%1” declined.")
            self.show_status(text.replace("%1", record.username))
