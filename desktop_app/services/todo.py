"""What waits for a person (待办): the home page's list, with one registration point for every module.

A module contributes a *provider*, ``todo_in(session, db, actor) -> list[TodoItem]``, in a module of
its own named ``todo.py`` (``services/credit/todo.py`` for the credit files), and lists it in
``providers()`` below, module by module. ``TodoService.items(actor)`` runs every provider in one read
transaction, in that order; the home page shows what they return and opens ``item.page`` (then
``item.target`` inside it) when one is chosen.

A provider decides what the actor is concerned by from the actor's rights (a leader confirms, a
supervisor waits for a leader), returns nothing for an actor it does not concern, and keeps its
queries to counts on indexed columns: the home page is the first page most accounts see.

Titles are English source strings marked with ``QT_TRANSLATE_NOOP("Todo", ...)``: the services stay
Qt-free, ``update_translations.py`` finds the marks in every ``services/**/todo.py``, and the UI
translates the title when it shows it (zh_CN by default).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.store.database import Database

TODO_CONTEXT = "Todo"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name Qt Linguist looks for
    """Mark ``text`` for translation in ``context`` without translating it (the UI does, when shown)."""
    return text


@dataclass(frozen=True)
class TodoItem:
    """One kind of thing waiting for the actor, and how many.

    ``key`` names it for good (``module.what``: tests and widget names use it); ``title`` and
    ``detail`` are English sources in the ``Todo`` context; ``page`` is the key of the main window's
    page that lists them, ``target`` what to show inside that page ("" for the page as it opens);
    ``urgent`` counts those past a deadline (shown apart), for the modules that have deadlines."""

    key: str
    title: str
    count: int
    page: str
    target: str = ""
    detail: str = ""
    urgent: int = 0


TodoProvider = Callable[[Session, Database, CurrentUser], Sequence[TodoItem]]


def providers() -> tuple[TodoProvider, ...]:
    """The registration point: one provider per module, in the order the home page lists them.
    (Imported here, not at the top: a provider's module imports ``TodoItem`` from this one.)"""
    from desktop_app.services.calendar import todo as calendar
    from desktop_app.services.complaints import todo as complaints
    from desktop_app.services.credit import todo as credit
    from desktop_app.services.duties import todo as accounts
    from desktop_app.services.evaluations import todo as evaluations
    from desktop_app.services.scoring import todo as scoring

    return (
        credit.todo_in,
        complaints.todo_in,
        evaluations.todo_in,
        scoring.todo_in,
        accounts.todo_in,
        calendar.todo_in,
    )


def todo_in(
    session: Session, db: Database, actor: CurrentUser, among: Sequence[TodoProvider] | None = None
) -> list[TodoItem]:
    """Every provider's items for ``actor`` (or those of ``among``), in the caller's transaction."""
    found: list[TodoItem] = []
    for provider in providers() if among is None else among:
        found.extend(provider(session, db, actor))
    return found


class TodoService(Service):
    def items(self, actor: CurrentUser) -> list[TodoItem]:
        """What waits for ``actor`` now (an item may count 0: the home page says "nothing waiting")."""
        with self.db.session() as session:
            return todo_in(session, self.db, actor)
