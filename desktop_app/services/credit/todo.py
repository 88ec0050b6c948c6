"""The credit files' 待办 (registered in ``services.todo.providers``).

- A leader: the bans and serious-list records waiting for confirmation (anyone's).
- A supervisor (who proposes but does not confirm): the records their department entered that still
  wait for a leader, so they can chase or withdraw them (their own only, without a department).

Both open the 待领导确认 list of the credit files page. The counts use the partial index on pending
records (a handful among millions).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import RecordStatus
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.todo import QT_TRANSLATE_NOOP, TodoItem
from desktop_app.store.credit_models import CreditRecord
from desktop_app.store.database import Database
from desktop_app.store.models import User

PAGE = "credit_files"
PENDING_LIST = "pending"  # the target: the 待领导确认 tab


def entered_in_scope(actor: CurrentUser) -> ColumnElement[bool] | None:
    """Which pending records an account answers for: a leader all (None); a department head those
    entered by anyone of their department; an account without a department its own."""
    if actor.can(Permission.CREDIT_APPROVE):
        return None
    if actor.department_id is None:
        return CreditRecord.created_by == actor.username
    colleagues = select(User.username).where(User.department_id == actor.department_id)
    return or_(CreditRecord.created_by == actor.username, CreditRecord.created_by.in_(colleagues))


def pending_count_in(session: Session, actor: CurrentUser | None = None) -> int:
    """Records waiting for a leader's confirmation (those ``actor`` answers for, if given)."""
    query = (
        select(func.count())
        .select_from(CreditRecord)
        .where(CreditRecord.status == RecordStatus.PENDING.value)
    )
    scope = entered_in_scope(actor) if actor is not None else None
    if scope is not None:
        query = query.where(scope)
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
                QT_TRANSLATE_NOOP("Todo", "My department's entries awaiting confirmation"),
                pending_count_in(session, actor),
                PAGE,
                PENDING_LIST,
                QT_TRANSLATE_NOOP(
                    "Todo",
                    "Bans and serious-list records entered by you and your department, still waiting"
                    " for a leader.",
                ),
            )
        ]
    return []
