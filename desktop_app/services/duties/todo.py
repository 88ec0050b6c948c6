"""The accounts' 待办 (registered in ``services.todo.providers``): for a leader, the accounts whose
business roles a system admin gave and that wait for a leader's confirmation; for the audit admin,
a new audit admin (or, when the center has no active leader left, a leader) waiting likewise.
The accounts table is small: the count reads it. Nothing is listed while nothing waits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.duties import pending_for_in
from desktop_app.services.todo import QT_TRANSLATE_NOOP, TodoItem
from desktop_app.store.database import Database

PAGE = "account_confirmations"


def todo_in(session: Session, db: Database, actor: CurrentUser) -> list[TodoItem]:
    if not actor.can(Permission.CONFIRM_ACCOUNTS):
        return []
    waiting = len(pending_for_in(session, actor))
    if not waiting:  # a rare event: no card saying "0" on every leader's and audit admin's home
        return []
    return [
        TodoItem(
            "accounts.to_confirm",
            QT_TRANSLATE_NOOP("Todo", "Accounts to confirm"),
            waiting,
            PAGE,
            "",
            QT_TRANSLATE_NOOP(
                "Todo",
                "Roles a system admin gave take effect only once you confirm them (separation of duties).",
            ),
        )
    ]
