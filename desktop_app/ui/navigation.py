"""The pages of the main window, in navigation order: each module's UI package declares its own
entries (``ENTRIES`` in its ``navigation`` module), listed here module by module. A page's module is
imported when the page is first opened. The window gives Ctrl+1…Ctrl+9 to the entries an account
sees, in this order.
"""

from __future__ import annotations

from desktop_app.services.context import CurrentUser
from desktop_app.ui.admin import navigation as admin
from desktop_app.ui.audit import navigation as audit
from desktop_app.ui.complaints import navigation as complaints
from desktop_app.ui.credit import navigation as credit
from desktop_app.ui.evaluations import navigation as evaluations
from desktop_app.ui.pages import PageSpec
from desktop_app.ui.scoring import navigation as scoring

MODULES: tuple[tuple[PageSpec, ...], ...] = (
    credit.ENTRIES,
    complaints.ENTRIES,
    evaluations.ENTRIES,
    scoring.ENTRIES,
    admin.ENTRIES,
    audit.ENTRIES,
    admin.CONFIRMATIONS,
)
PAGES: tuple[PageSpec, ...] = tuple(spec for entries in MODULES for spec in entries)


def pages_for(actor: CurrentUser) -> list[PageSpec]:
    return [page for page in PAGES if page.visible_to(actor)]


def page_shortcut(position: int) -> str:
    """Ctrl+1 for the first page an account sees, … Ctrl+9 for the ninth; none after."""
    return f"Ctrl+{position + 1}" if 0 <= position < 9 else ""
