"""The pages of the main window and who may see each. Pages are imported when first opened.

A page class takes ``(services, actor, parent=None)``. Business issues replace the placeholder
entries with their own pages.

Titles and descriptions call ``QCoreApplication.translate("Navigation", "...")`` literally (not
through a helper) so that lupdate finds them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser


def _no_description() -> str:
    return ""


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: Callable[[], str]
    any_of: frozenset[Permission]
    factory: str  # "module:Class"
    shortcut: str = ""
    description: Callable[[], str] = _no_description  # one sentence: what the page is for

    def visible_to(self, actor: CurrentUser) -> bool:
        return bool(self.any_of & actor.permissions)

    def create(self, services: object, actor: CurrentUser, parent: QWidget | None = None) -> QWidget:
        module_name, class_name = self.factory.split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        return cls(services, actor, parent)  # type: ignore[no-any-return]


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "credit",
        lambda: QCoreApplication.translate("Navigation", "Credit lookup"),
        frozenset({Permission.CREDIT_LOOKUP}),
        "desktop_app.ui.credit.lookup:CreditLookupPage",
        "Ctrl+1",
        lambda: QCoreApplication.translate(
            "Navigation",
            "Look up the credit file of a company or person and tell whether they may enter today's bid opening, with a printed result notice.",
        ),
    ),
    PageSpec(
        "credit_files",
        lambda: QCoreApplication.translate("Navigation", "Credit files"),
        frozenset({Permission.CREDIT_PROPOSE, Permission.CREDIT_APPROVE}),
        "desktop_app.ui.credit.files:CreditFilesPage",
        "Ctrl+7",
        lambda: QCoreApplication.translate(
            "Navigation",
            "Keep the credit files: register subjects, enter and import records, confirm bans, handle repairs and revocations.",
        ),
    ),
    PageSpec(
        "complaints",
        lambda: QCoreApplication.translate("Navigation", "Complaints"),
        frozenset({Permission.COMPLAINT_TAKE, Permission.COMPLAINT_HANDLE}),
        "desktop_app.ui.placeholder:ComplaintsPlaceholder",
        "Ctrl+2",
        lambda: QCoreApplication.translate(
            "Navigation",
            "Register complaints from every channel, follow each one through acceptance, handling, reply and follow-up within its deadline, and print the receipt for the complainant.",
        ),
    ),
    PageSpec(
        "evaluations",
        lambda: QCoreApplication.translate("Navigation", "Expert evaluation"),
        frozenset({Permission.EXPERT_EVALUATE, Permission.EXPERT_DECIDE}),
        "desktop_app.ui.placeholder:EvaluationsPlaceholder",
        "Ctrl+3",
        lambda: QCoreApplication.translate(
            "Navigation",
            "Record the on-site evaluation of bid-evaluation experts item by item, add up their points over the year, and propose suspensions for a leader to confirm.",
        ),
    ),
    PageSpec(
        "scoring",
        lambda: QCoreApplication.translate("Navigation", "Monthly scoring"),
        frozenset({Permission.SCORING_FILL, Permission.SCORING_LOCK, Permission.SCORING_READ_OWN}),
        "desktop_app.ui.placeholder:ScoringPlaceholder",
        "Ctrl+4",
        lambda: QCoreApplication.translate(
            "Navigation",
            "Score the staff of each department every month against the scheme of their post, submit the sheets, and lock the month's grades.",
        ),
    ),
    PageSpec(
        "admin",
        lambda: QCoreApplication.translate("Navigation", "System administration"),
        frozenset({Permission.ADMIN_USERS, Permission.ADMIN_ORGANISATION, Permission.ADMIN_SETTINGS}),
        "desktop_app.ui.admin.page:AdminPage",
        "Ctrl+5",
        lambda: QCoreApplication.translate(
            "Navigation",
            "Manage accounts, departments and staff, and the center's settings.",
        ),
    ),
    PageSpec(
        "audit",
        lambda: QCoreApplication.translate("Navigation", "Audit"),
        frozenset({Permission.AUDIT_READ}),
        "desktop_app.ui.audit.page:AuditPage",
        "Ctrl+6",
        lambda: QCoreApplication.translate(
            "Navigation",
            "Read the audit log and verify that its chain is intact.",
        ),
    ),
)


def pages_for(actor: CurrentUser) -> list[PageSpec]:
    return [page for page in PAGES if page.visible_to(actor)]
