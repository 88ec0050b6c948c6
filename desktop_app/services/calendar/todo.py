"""The working-day calendar's 待办 (registered in ``services.todo.providers``), for the system admin:
the holiday schedules not entered yet — this year's, and from October (the State Council publishes
the next year's schedule each October–December) the next year's. Until one is entered, deadlines in
that year are counted Monday to Friday and marked provisional. The item opens the 工作日历 tab on the
first year missing. One read of the calendar (kept per database: no query past the fingerprint)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop_app.domain.roles import Permission
from desktop_app.services.calendar import calendar_in
from desktop_app.services.context import CurrentUser
from desktop_app.services.todo import QT_TRANSLATE_NOOP, TodoItem
from desktop_app.store.database import Database

PAGE = "admin"
TARGET = "calendar"  # the tab; "calendar:2027" opens it on that year
PUBLISHED_FROM_MONTH = 10


def missing_years(session: Session, db: Database) -> list[int]:
    """The years whose schedule should be entered by now and is not."""
    today = db.today()
    wanted = [today.year] + ([today.year + 1] if today.month >= PUBLISHED_FROM_MONTH else [])
    calendar = calendar_in(session, db)
    return [year for year in wanted if not calendar.has_schedule(year)]


def todo_in(session: Session, db: Database, actor: CurrentUser) -> list[TodoItem]:
    if not actor.can(Permission.ADMIN_SETTINGS):
        return []
    missing = missing_years(session, db)
    return [
        TodoItem(
            "calendar.schedule",
            QT_TRANSLATE_NOOP("Todo", "Holiday schedules to enter"),
            len(missing),
            PAGE,
            f"{TARGET}:{missing[0]}" if missing else TARGET,
            QT_TRANSLATE_NOOP(
                "Todo",
                "Deadlines in a year without its holiday schedule are counted Monday to Friday and marked "
                "provisional.",
            ),
        )
    ]
