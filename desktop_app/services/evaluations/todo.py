"""The expert evaluations' 待办 (registered in ``services.todo.providers``).

Items, each opening the evaluations page (``PAGE``) on a target its lists implement in
``show_target``:

- ``evaluations.proposals`` → ``proposals:pending``: proposals waiting for a leader's decision
  (accounts with EXPERT_DECIDE, shown even at 0);
- ``evaluations.mine_draft`` → ``sessions:mine-draft``: sessions not finalised that this account
  witnesses (its staff record) or created; urgent: those past their due date (shown while some);
- ``evaluations.overdue`` → ``sessions:overdue``: government-procurement sessions past their 5th
  working day and not finalised (all urgent; for a leader always, for others while some).

Every count is one ``count(*)`` on indexed columns (state and due date; the proposals' partial index).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.evaluations import SessionState
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.proposals import pending_count_in
from desktop_app.services.todo import QT_TRANSLATE_NOOP, TodoItem
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import EvaluationSession

PAGE = "evaluations"
PROPOSALS = "proposals:pending"
MINE_DRAFT = "sessions:mine-draft"
OVERDUE = "sessions:overdue"


def _count(session: Session, *where: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(EvaluationSession).where(*where)
    return int(session.scalar(query) or 0)


def todo_in(session: Session, db: Database, actor: CurrentUser) -> list[TodoItem]:
    decides = actor.can(Permission.EXPERT_DECIDE)
    if not decides and not actor.can(Permission.EXPERT_EVALUATE):
        return []
    today = db.today()
    draft = EvaluationSession.state == SessionState.DRAFT.value
    late = EvaluationSession.due_on < today
    items: list[TodoItem] = []
    if decides:
        items.append(
            TodoItem(
                "evaluations.proposals",
                QT_TRANSLATE_NOOP("Todo", "Expert proposals to decide"),
                pending_count_in(session),
                PAGE,
                PROPOSALS,
                QT_TRANSLATE_NOOP(
                    "Todo",
                    "Experts whose points reached a threshold: enter the supervising department's decision"
                    " or reject the proposal.",
                ),
            )
        )
    mine_where = [EvaluationSession.created_by == actor.username]
    if actor.staff_id is not None:
        mine_where.append(EvaluationSession.witness_staff_id == actor.staff_id)
    mine = or_(*mine_where)
    drafts = _count(session, draft, mine)
    if drafts:
        items.append(
            TodoItem(
                "evaluations.mine_draft",
                QT_TRANSLATE_NOOP("Todo", "Evaluation forms not finalised"),
                drafts,
                PAGE,
                MINE_DRAFT,
                QT_TRANSLATE_NOOP(
                    "Todo", "Sessions you witness or created whose form waits for your sign-off."
                ),
                _count(session, draft, mine, late),
            )
        )
    overdue = _count(session, draft, late)
    if decides or overdue:
        items.append(
            TodoItem(
                "evaluations.overdue",
                QT_TRANSLATE_NOOP("Todo", "Procurement evaluations past their deadline"),
                overdue,
                PAGE,
                OVERDUE,
                QT_TRANSLATE_NOOP(
                    "Todo",
                    "Government-procurement sessions not finalised within 5 working days after they ended.",
                ),
                overdue,
            )
        )
    return items
