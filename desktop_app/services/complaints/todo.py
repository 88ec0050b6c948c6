"""The complaints' 待办 (registered in ``services.todo.providers``), for whoever answers for cases: a
leader (all cases), a supervisor (their department's, and those they handle), a staff member who
handles cases (their own; shown only while they have some).

Items, each opening the complaints page (``PAGE``) on a target its list implements in
``show_target``:

- ``complaints.overdue`` → ``filter:overdue``: open cases past their deadline (all urgent);
- ``complaints.due_soon`` → ``filter:due_soon``: open cases due today or the next working day;
- ``complaints.registered`` → ``filter:registered``: cases registered and not yet accepted, refused
  or transferred — for a leader all, for a supervisor those of their department and those with no
  department yet (any supervisor may take one up: 首问负责; the first to accept assigns it); urgent:
  past their acceptance deadline;
- ``complaints.extensions`` → ``filter:extensions``: extension requests waiting for this account's
  decision (never its own request);
- ``complaints.followups`` → ``filter:followups``: follow-ups after 差评 not finished; urgent: the
  contact deadline passed without contact, or the rectification deadline passed.

Every count is one ``count(*)`` on indexed columns (state, deadline, department, handler).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.complaints import OPEN_STATES, ExtensionState, State
from desktop_app.domain.roles import Permission, Role
from desktop_app.services.complaints.listing import ListingOps, horizon_in
from desktop_app.services.context import CurrentUser
from desktop_app.services.todo import QT_TRANSLATE_NOOP, TodoItem
from desktop_app.store.complaint_models import Complaint, ComplaintExtension
from desktop_app.store.database import Database

PAGE = "complaints"
OVERDUE = "filter:overdue"
DUE_SOON = "filter:due_soon"
REGISTERED = "filter:registered"
EXTENSIONS = "filter:extensions"
FOLLOWUPS = "filter:followups"
OPEN_VALUES = tuple(s.value for s in OPEN_STATES)


def _count(session: Session, *where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(Complaint).where(*where)) or 0)


def directed_scope(actor: CurrentUser) -> ColumnElement[bool] | None:
    """The cases an account decides on (acceptance, extensions): a leader all (None), a supervisor
    their department's and those not given to a department yet."""
    if Role.LEADER in actor.roles:
        return None
    return or_(Complaint.department_id == actor.department_id, Complaint.department_id.is_(None))


def todo_in(session: Session, db: Database, actor: CurrentUser) -> list[TodoItem]:
    directs = actor.can(Permission.COMPLAINT_HANDLE)
    if not directs and actor.staff_id is None:
        return []
    horizon = horizon_in(session, db)
    today = horizon.today
    scope = ListingOps.scope_condition(actor)
    mine: list[ColumnElement[bool]] = [scope] if scope is not None else []
    open_ = Complaint.state.in_(OPEN_VALUES)
    overdue = _count(session, open_, Complaint.deadline < today, *mine)
    soon = _count(
        session, open_, Complaint.deadline >= today, Complaint.deadline <= horizon.next_working_day, *mine
    )
    follow = [Complaint.followup_contact_deadline.is_not(None), Complaint.followup_done_at.is_(None), *mine]
    followups = _count(session, *follow)
    late_followups = _count(
        session,
        *follow,
        or_(
            and_(Complaint.followup_contacted_at.is_(None), Complaint.followup_contact_deadline < today),
            Complaint.followup_rectify_deadline < today,
        ),
    )
    items: list[TodoItem] = []
    if directs or overdue or soon:
        items += [
            TodoItem(
                "complaints.overdue",
                QT_TRANSLATE_NOOP("Todo", "Complaints past their deadline"),
                overdue,
                PAGE,
                OVERDUE,
                QT_TRANSLATE_NOOP(
                    "Todo",
                    "Open cases you answer for whose deadline has passed: an overdue closure costs points.",
                ),
                overdue,
            ),
            TodoItem(
                "complaints.due_soon",
                QT_TRANSLATE_NOOP("Todo", "Complaints due within a working day"),
                soon,
                PAGE,
                DUE_SOON,
                QT_TRANSLATE_NOOP("Todo", "Open cases due today or on the next working day."),
            ),
        ]
    if directs:
        scope_directed = directed_scope(actor)
        directed = [scope_directed] if scope_directed is not None else []
        registered_where = [Complaint.state == State.REGISTERED.value, *directed]
        registered = _count(session, *registered_where)
        late_registered = _count(session, *registered_where, Complaint.acceptance_deadline < today)
        extension_query = (
            select(func.count())
            .select_from(ComplaintExtension)
            .join(Complaint, Complaint.id == ComplaintExtension.complaint_id)
            .where(
                ComplaintExtension.state == ExtensionState.PENDING.value,
                ComplaintExtension.requested_by != actor.username,
                *directed,
            )
        )
        extensions = int(session.scalar(extension_query) or 0)
        items += [
            TodoItem(
                "complaints.registered",
                QT_TRANSLATE_NOOP("Todo", "Complaints waiting for acceptance"),
                registered,
                PAGE,
                REGISTERED,
                QT_TRANSLATE_NOOP(
                    "Todo",
                    "Registered cases of your department, or not yet given to one, to accept, refuse or"
                    " transfer.",
                ),
                late_registered,
            ),
            TodoItem(
                "complaints.extensions",
                QT_TRANSLATE_NOOP("Todo", "Deadline extensions to decide"),
                extensions,
                PAGE,
                EXTENSIONS,
                QT_TRANSLATE_NOOP("Todo", "Requests for more time that wait for your approval."),
            ),
        ]
    if directs or followups:
        items.append(
            TodoItem(
                "complaints.followups",
                QT_TRANSLATE_NOOP("Todo", "Follow-ups after bad ratings"),
                followups,
                PAGE,
                FOLLOWUPS,
                QT_TRANSLATE_NOOP(
                    "Todo",
                    "Dissatisfied complainants to contact within a working day and problems to rectify.",
                ),
                late_followups,
            )
        )
    return items
