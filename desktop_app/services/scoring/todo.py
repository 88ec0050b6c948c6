"""The monthly scoring's 待办 (registered in ``services.todo.providers``).

Items, each opening the scoring page (``PAGE``) on a target its tabs implement in ``show_target``:

- ``scoring.submitted`` → ``months:submitted``: department months submitted and waiting for a
  leader's lock or return (accounts with SCORING_LOCK, shown even at 0);
- ``scoring.late`` → ``months:late``: deductions stored for a month already locked that are not on
  the staff member's current sheet — applied by a reopen (leaders, shown while some; all urgent);
- ``scoring.contests`` → ``contests:pending``: automatic lines contested by a supervisor and not yet
  decided (leaders, shown even at 0);
- ``scoring.mine`` → ``month:mine``: a supervisor's own department, its last month ended and not yet
  submitted (shown while so; urgent).

Counts on indexed columns: the department months (a few hundred rows, by month and state), the sheets
through ``ix_scoring_sheets_month`` / ``ix_scoring_sheets_staff``, the entries by sheet.
"""

from __future__ import annotations

from sqlalchemy import exists, func, or_, select, true
from sqlalchemy.orm import Session

from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import ContestState, SheetState, month_of
from desktop_app.services.context import CurrentUser
from desktop_app.services.todo import QT_TRANSLATE_NOOP, TodoItem
from desktop_app.store.complaint_models import StaffDeduction
from desktop_app.store.database import Database
from desktop_app.store.scoring_models import ScoringDepartmentMonth, ScoringEntry, ScoringSheet

PAGE = "scoring"
SUBMITTED = "months:submitted"
LATE = "months:late"
CONTESTS = "contests:pending"
MINE = "month:mine"


def submitted_count_in(session: Session) -> int:
    query = (
        select(func.count())
        .select_from(ScoringDepartmentMonth)
        .where(ScoringDepartmentMonth.state == SheetState.SUBMITTED.value)
    )
    return int(session.scalar(query) or 0)


def late_count_in(session: Session) -> int:
    """Deductions (not withdrawn) of a staff member's month whose department month is locked and whose
    current sheet carries no line of them."""
    on_sheet = exists().where(
        ScoringEntry.sheet_id == ScoringSheet.id,
        or_(
            (ScoringEntry.source_type == "staff_deduction") & (ScoringEntry.source_id == StaffDeduction.id),
            (ScoringEntry.source_id == StaffDeduction.source_id)
            & (ScoringEntry.auto_source == StaffDeduction.kind),
        ),
    )
    query = (
        select(func.count())
        .select_from(StaffDeduction)
        .join(
            ScoringSheet,
            (ScoringSheet.staff_id == StaffDeduction.staff_id)
            & (ScoringSheet.current == true())
            & (ScoringSheet.month == StaffDeduction.month),
        )
        .join(
            ScoringDepartmentMonth,
            (ScoringDepartmentMonth.department_id == ScoringSheet.department_id)
            & (ScoringDepartmentMonth.month == ScoringSheet.month),
        )
        .where(
            StaffDeduction.state != ContestState.WITHDRAWN.value,
            ScoringDepartmentMonth.state == SheetState.LOCKED.value,
            ~on_sheet,
        )
    )
    return int(session.scalar(query) or 0)


def contested_count_in(session: Session) -> int:
    """Automatic lines contested and not decided, on the current sheets of months not locked."""
    query = (
        select(func.count())
        .select_from(ScoringDepartmentMonth)
        .join(
            ScoringSheet,
            (ScoringSheet.month == ScoringDepartmentMonth.month)
            & (ScoringSheet.current == true())
            & (ScoringSheet.department_id == ScoringDepartmentMonth.department_id),
        )
        .join(ScoringEntry, ScoringEntry.sheet_id == ScoringSheet.id)
        .where(
            ScoringDepartmentMonth.state != SheetState.LOCKED.value,
            ScoringEntry.contest_state == ContestState.CONTESTED.value,
        )
    )
    return int(session.scalar(query) or 0)


def last_month_ended(db: Database) -> str:
    today = db.today()
    return month_of(today.year, today.month - 1) if today.month > 1 else month_of(today.year - 1, 12)


def todo_in(session: Session, db: Database, actor: CurrentUser) -> list[TodoItem]:
    items: list[TodoItem] = []
    if actor.can(Permission.SCORING_LOCK):
        items.append(
            TodoItem(
                "scoring.submitted",
                QT_TRANSLATE_NOOP("Todo", "Department scores to lock"),
                submitted_count_in(session),
                PAGE,
                SUBMITTED,
                QT_TRANSLATE_NOOP(
                    "Todo", "Departments' monthly scores submitted by their supervisors: lock or return them."
                ),
            )
        )
        late = late_count_in(session)
        if late:
            items.append(
                TodoItem(
                    "scoring.late",
                    QT_TRANSLATE_NOOP("Todo", "Deductions arrived after locking"),
                    late,
                    PAGE,
                    LATE,
                    QT_TRANSLATE_NOOP(
                        "Todo", "Deductions for a month already locked: reopen the month to apply them."
                    ),
                    late,
                )
            )
        items.append(
            TodoItem(
                "scoring.contests",
                QT_TRANSLATE_NOOP("Todo", "Contested score lines to decide"),
                contested_count_in(session),
                PAGE,
                CONTESTS,
                QT_TRANSLATE_NOOP(
                    "Todo", "Automatic deductions or bonuses a supervisor contests: uphold or withdraw them."
                ),
            )
        )
    elif actor.can(Permission.SCORING_FILL) and actor.department_id is not None:
        month = last_month_ended(db)
        state = session.scalar(
            select(ScoringDepartmentMonth.state).where(
                ScoringDepartmentMonth.department_id == actor.department_id,
                ScoringDepartmentMonth.month == month,
            )
        )
        if state in (None, SheetState.DRAFT.value):
            items.append(
                TodoItem(
                    "scoring.mine",
                    QT_TRANSLATE_NOOP("Todo", "Your department's monthly scores"),
                    1,
                    PAGE,
                    MINE,
                    QT_TRANSLATE_NOOP(
                        "Todo", "Last month has ended: score every member of your department and submit."
                    ),
                    1,
                )
            )
    return items
