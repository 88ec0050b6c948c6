"""Help → Print a test page: a numbered 打印测试页 from the archive's numbering, shown in the preview.

Any signed-in account may print one (it is harmless, and the audit log records who did).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app import clock
from desktop_app.notices.test_page import TestPage
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.notices.preview import NoticePreviewDialog


def build_test_page(services: Services, actor: CurrentUser) -> TestPage:
    return TestPage(
        center_name=str(services.center.get()["center_name"]),
        printed_at=clock.now(),
        workstation=services.db.workstation,
        operator=actor.display_name,
    )


def issue_test_page(
    services: Services, actor: CurrentUser, parent: QWidget | None = None
) -> NoticePreviewDialog | None:
    """Issue the test page and return its preview (not shown yet); None if the service refused."""
    issued = operations.run(
        parent,
        lambda: services.notices.issue(actor, "test_page", build_test_page(services, actor)),
        changed=topics.NOTICE,
        show="message",
        title=QCoreApplication.translate("Notices", "Print a test page"),
    ).value
    if issued is None:
        return None
    return NoticePreviewDialog(services, actor, issued, parent)
