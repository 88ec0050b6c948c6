"""The pages of the main window and who may see each. Pages are imported when first opened.

A page class takes ``(services, actor, parent=None)``. Business issues replace the placeholder
entries with their own pages.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser


def _t(text: str) -> str:
    return QCoreApplication.translate("Navigation", text)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: Callable[[], str]
    any_of: frozenset[Permission]
    factory: str  # "module:Class"
    shortcut: str = ""

    def visible_to(self, actor: CurrentUser) -> bool:
        return bool(self.any_of & actor.permissions)

    def create(self, services: object, actor: CurrentUser, parent: QWidget | None = None) -> QWidget:
        module_name, class_name = self.factory.split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        return cls(services, actor, parent)  # type: ignore[no-any-return]


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "credit",
        lambda: _t("Credit lookup"),
        frozenset({Permission.CREDIT_LOOKUP}),
        "desktop_app.ui.placeholder:CreditPlaceholder",
        "Ctrl+1",
    ),
    PageSpec(
        "complaints",
        lambda: _t("Complaints"),
        frozenset({Permission.COMPLAINT_TAKE, Permission.COMPLAINT_HANDLE}),
        "desktop_app.ui.placeholder:ComplaintsPlaceholder",
        "Ctrl+2",
    ),
    PageSpec(
        "evaluations",
        lambda: _t("Expert evaluation"),
        frozenset({Permission.EXPERT_EVALUATE, Permission.EXPERT_DECIDE}),
        "desktop_app.ui.placeholder:EvaluationsPlaceholder",
        "Ctrl+3",
    ),
    PageSpec(
        "scoring",
        lambda: _t("Monthly scoring"),
        frozenset({Permission.SCORING_FILL, Permission.SCORING_LOCK, Permission.SCORING_READ_OWN}),
        "desktop_app.ui.placeholder:ScoringPlaceholder",
        "Ctrl+4",
    ),
    PageSpec(
        "admin",
        lambda: _t("System administration"),
        frozenset({Permission.ADMIN_USERS, Permission.ADMIN_ORGANISATION, Permission.ADMIN_SETTINGS}),
        "desktop_app.ui.admin.page:AdminPage",
        "Ctrl+5",
    ),
    PageSpec(
        "audit",
        lambda: _t("Audit"),
        frozenset({Permission.AUDIT_READ}),
        "desktop_app.ui.audit.page:AuditPage",
        "Ctrl+6",
    ),
)


def pages_for(actor: CurrentUser) -> list[PageSpec]:
    return [page for page in PAGES if page.visible_to(actor)]
