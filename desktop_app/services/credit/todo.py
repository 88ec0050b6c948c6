"""The credit files' 待办 (registered in ``services.todo.providers``).

- A leader: the bans and serious-list records waiting for confirmation (anyone's).
- A supervisor (who proposes but does not confirm): the records they entered that still wait for a
  leader, so they can chase or withdraw them.

Both open the 待领导确认 list of the credit files page. The counts use the partial index on pending
records (a handful among millions).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import RecordStatus
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.todo import QT_TRANSLATE_NOOP, TodoItem
from desktop_app.store.credit_models import CreditRecord
from desktop_app.store.database import Database

PAGE = "credit_files"
PENDING_LIST = "pending"  # the target: the 待领导确认 tab


def pending_count_in(session: Session, entered_by: str | None = None) -> int:
    """Records waiting for a leader's confirmation (those entered by ``entered_by`` only, if given)."""
    query = (
        select(func.count())
        .select_from(CreditRecord)
        .where(CreditRecord.status == RecordStatus.PENDING.value)
    )
    if entered_by is not None:
        query = query.where(CreditRecord.created_by == entered_by)
    return int(session.scalar(query) or 0)


def todo_in(session: Session, db: Database, actor: CurrentUser) -> list[TodoItem]:
    if actor.can(Permission.CREDIT_APPROVE):
        return [
            TodoItem(
                "credit.to_confirm",
                QT_TRANSLATE_NOOP("Todo", "Credit records to confirm"),
                pending_count_in(session),
                PAGE,
                PENDING_LIST,
                QT_TRANSLATE_NOOP(
                    "Todo", "Bans and serious-list records take effect only once a leader confirms them."
                ),
            )
        ]
    if actor.can(Permission.CREDIT_PROPOSE):
        return [
            TodoItem(
                "credit.own_pending",
                QT_TRANSLATE_NOOP("Todo", "My entries awaiting confirmation"),
                pending_count_in(session, actor.username),
                PAGE,
                PENDING_LIST,
                QT_TRANSLATE_NOOP(
                    "Todo", "Bans and serious-list records you entered, still waiting for a leader."
                ),
            )
        ]
    return []
