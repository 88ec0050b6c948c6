"""Translated labels shared by several screens: roles and the long form of a date.

Role names come from here, not from ``domain.roles.ROLE_LABELS`` (fixed Chinese, for the services'
messages and printed notices), so that the English interface speaks English.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QCoreApplication

from desktop_app.domain.roles import Role

ROLE_ORDER = (Role.HALL_STAFF, Role.SUPERVISOR, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN)


def role_label(role: Role) -> str:
    labels = {
        Role.HALL_STAFF: QCoreApplication.translate("Roles", "Hall staff"),
        Role.SUPERVISOR: QCoreApplication.translate("Roles", "Department head"),
        Role.LEADER: QCoreApplication.translate("Roles", "Center leader"),
        Role.SYSTEM_ADMIN: QCoreApplication.translate("Roles", "System administrator"),
        Role.AUDIT_ADMIN: QCoreApplication.translate("Roles", "Audit administrator"),
    }
    return labels[role]


def roles_text(roles: Iterable[Role]) -> str:
    chosen = set(roles)
    separator = QCoreApplication.translate("Roles", ", ")
    return separator.join(role_label(r) for r in ROLE_ORDER if r in chosen)


def long_date(day: date) -> str:
    """2026年11月27日 in Chinese, 2026-11-27 in English (``ui.dates.text_date``)."""
    from desktop_app.ui.dates import text_date

    return text_date(day)
