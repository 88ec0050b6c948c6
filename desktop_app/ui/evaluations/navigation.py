"""The expert evaluation module's entry in the main window (专家考评): the sessions, the expert
roster, the proposals for leaders and the yearly ranking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.ui.pages import PageSpec

if TYPE_CHECKING:
    from desktop_app.services.facade import Services


def evaluations_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.evaluations.page import EvaluationsPage  # on first open: the dialogs with it

    return EvaluationsPage(services, actor, parent)


EVALUATIONS = PageSpec(
    "evaluations",
    lambda: QCoreApplication.translate("Navigation", "Expert evaluation"),
    frozenset({Permission.EXPERT_EVALUATE, Permission.EXPERT_DECIDE}),
    evaluations_page,
    lambda: QCoreApplication.translate(
        "Navigation",
        "Record the on-site evaluation of bid-evaluation experts item by item, add up their points over the year, and propose suspensions for a leader to confirm.",
    ),
)

ENTRIES = (EVALUATIONS,)
