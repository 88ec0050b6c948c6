"""The lookup when a row the verdict rests on was changed in the database (issue 10, item 3): the
detail pane says 数据校验失败 instead of a verdict, and Check and print refuses, with the reason."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.credit.lookup import CreditLookupPage
from tests.builders import company, serious

from .conftest import MessageBoxes
from .shell_support import type_text

NAME = "天河华建建筑工程有限公司"
TAMPERED = "数据校验失败 — 请联系审计管理员"


def test_a_changed_record_shows_the_data_check_failure_and_is_not_certified(
    qtbot: Any,
    services: Services,
    leader: CurrentUser,
    clerk: CurrentUser,
    zh_ui: None,
    message_boxes: MessageBoxes,
) -> None:
    sid = company(services, leader, NAME, 1)
    record = services.credit.add_record(leader, serious(sid))
    with services.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE credit_records SET publicity_end = '2020-01-01' WHERE id = :i"), {"i": record.id}
        )

    page = CreditLookupPage(services, clerk)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.query.setFocus()
    type_text(qtbot, page.query, "华建")
    qtbot.waitUntil(lambda: page.result is not None and page.result.query == page.query.text())
    page.focus_results()
    qtbot.waitUntil(lambda: page.detail.banner.isVisible())
    assert page.detail.banner.text() == TAMPERED
    assert page.detail.reason.text().startswith(TAMPERED)
    assert f"信用记录 #{record.id}" in page.detail.reason.text()

    assert page.entry_check() is None
    shown = [*message_boxes.texts(), page.form_error.text()]
    assert any(TAMPERED in text for text in shown), shown
    assert services.credit.recent_checks(clerk) == []
