"""The 月度考核 page: a leader locks a department's month, a lock over the 优秀 quota is refused then
overridden with a reason, a staff member sees only their own sheets, and the system admin saves a
new scheme version — on screen and in the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from sqlalchemy import text

from desktop_app.domain.scoring import ItemKind, SheetState
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring.types import EntryInput, SheetInput
from desktop_app.ui.admin.scoring_schemes import SchemeDialog, ScoringSchemesTab
from desktop_app.ui.pages import PageCommand
from desktop_app.ui.scoring.page import ScoringPage
from desktop_app.ui.widgets import modal
from tests.complaint_builders import department_id, people

pytestmark = [
    pytest.mark.usefixtures("message_boxes"),
    pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),  # the screens, not the database
]

MONTH = "2026-10"  # the month just ended on the fixed clock (2026-11-18): the page's first month
Script = Callable[[Any], None]


@pytest.fixture
def drive(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> Callable[..., list[str]]:
    """Each modal dialog the page opens is shown and handed to the next script, which works it."""
    opened: list[str] = []

    def install(*scripts: Script) -> list[str]:
        queue = list(scripts)

        def run(dialog: QDialog) -> bool:
            opened.append(type(dialog).__name__)
            dialog.show()
            qtbot.waitExposed(dialog)
            try:
                queue.pop(0)(dialog)
            finally:
                if dialog.isVisible():
                    dialog.reject()
            return dialog.result() == QDialog.DialogCode.Accepted

        monkeypatch.setattr(modal, "run_dialog", run)
        return opened

    return install


def show(qtbot: Any, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)


def shown(tab: Any, column: int = 0) -> list[str]:
    return [tab.proxy.index(r, column).data() for r in range(tab.proxy.rowCount())]


def lower_to_good(services: Services, supervisor: CurrentUser, department: int) -> None:
    """Every sheet of the department's month at 90 (良好): the base of one dimension lowered by 10."""
    for row in services.scoring.department_month(supervisor, department, MONTH).rows:
        sheet = services.scoring.sheet(supervisor, row.staff_id, MONTH)
        base = [e for e in sheet.entries if e.kind == ItemKind.BASE]
        lowered = base[-1].item_code
        entries = tuple(
            EntryInput(e.item_code, e.points - 10 if e.item_code == lowered else e.points, entry_id=e.id)
            for e in sheet.entries
            if e.auto_source is None
        )
        services.scoring.save_sheet(supervisor, sheet.id, SheetInput(entries), sheet.version)


def submit(services: Services, supervisor: CurrentUser, department: int) -> None:
    info = services.scoring.department_month(supervisor, department, MONTH)
    services.scoring.submit_month(supervisor, department, MONTH, info.version)


def test_the_leader_locks_a_month_and_a_lock_over_the_quota_needs_a_reason_and_staff_see_only_their_own(
    qtbot: Any, services: Services, admin: CurrentUser, drive: Callable[..., list[str]]
) -> None:
    crew = people(services, admin)
    review = crew.department_id  # 评审科: 罗浩, 周敏, 王五 — lowered to 良好, within the quota
    finance = department_id(services, "财务科")  # 钱进 alone at full points: 优秀 over a quota of 0
    lower_to_good(services, crew.supervisor, review)
    submit(services, crew.supervisor, review)
    submit(services, crew.other_supervisor, finance)

    page = ScoringPage(services, crew.leader)
    show(qtbot, page)
    assert page.month() == MONTH
    months = page.months
    assert months is not None and page.tabs.currentWidget() is months
    assert {"评审科", "财务科"} <= set(shown(months))

    def lock(dialog: Any) -> None:
        assert "评审科" in dialog.intro.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    def lock_over_quota(dialog: Any) -> None:
        assert "1" in dialog.intro.text() and dialog.hint.isVisible()  # 1 优秀, the quota 0
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()  # refused: no reason
        refused = services.scoring.department_month(crew.leader, finance, MONTH)
        assert refused.state == SheetState.SUBMITTED
        assert dialog.refusal is not None and dialog.refusal.message
        dialog.override_reason.setPlainText("钱进本月独立完成年度决算，经班子会研究同意评为优秀")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    opened = drive(lock, lock_over_quota)
    assert months.select_department(review) and months.lock_button.isEnabled()
    assert months.lock_current()
    assert services.scoring.department_month(crew.leader, review, MONTH).state == SheetState.LOCKED
    assert months.select_department(finance)
    assert months.lock_current()
    assert opened == ["MonthLockDialog", "MonthLockDialog"]
    locked = services.scoring.department_month(crew.leader, finance, MONTH)
    assert locked.state == SheetState.LOCKED
    assert locked.override_reason == "钱进本月独立完成年度决算，经班子会研究同意评为优秀"
    row = shown(months).index("财务科")
    assert months.proxy.index(row, 1).data() == "Locked"
    assert months.reopen_button.isEnabled() and not months.lock_button.isEnabled()

    # Ctrl+P on the list: the chosen department's 月度考核评分表, issued and previewed.
    opened.clear()
    drive(lambda dialog: None)
    assert page.offers(PageCommand.PRINT)
    page.print_current()
    assert opened == ["NoticePreviewDialog"]
    with services.db.session() as session:
        assert list(session.scalars(text("SELECT doc_type FROM notices"))) == ["scoring_sheet"]

    # 周敏 (a hall clerk of 评审科) sees her own locked sheet, and only the tab of her own results.
    own_page = ScoringPage(services, crew.handler)
    show(qtbot, own_page)
    assert [own_page.tabs.tabText(i) for i in range(own_page.tabs.count())] == ["My results"]
    own = own_page.own
    assert own is not None
    records = own.model.records()
    assert [(s.staff_id, s.month) for s in records] == [(crew.handler.staff_id, MONTH)]
    own.focus_list()
    assert own.entries_model.rowCount() == len(records[0].entries)
    assert "90" in own.detail.text()


def test_the_admin_saves_a_new_scheme_version(qtbot: Any, services: Services, admin: CurrentUser) -> None:
    tab = ScoringSchemesTab(services, admin)
    show(qtbot, tab)
    assert tab.select(lambda r: r.scheme.name == "通用岗位")
    start = tab.current().scheme
    assert tab.items_model.rowCount() == len(start.items)
    tab.new_item()
    dialog = tab.dialog
    assert isinstance(dialog, SchemeDialog)
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.name  # the form opens in its first field
    assert dialog.name.currentText() == "通用岗位" and dialog.items.rowCount() == len(start.items)
    dialog.effective_from.setText("2027-01")
    dialog.items.item(0, 3).setText("坚持政治学习，遵守职业道德")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    versions = [s for s in services.scoring.schemes() if s.name == "通用岗位"]
    assert [s.effective_from for s in versions][-1] == "2027-01"
    assert versions[-1].items[0].text == "坚持政治学习，遵守职业道德"
    assert versions[-1].items[1:] == start.items[1:] or len(versions[-1].items) == len(start.items)
    assert tab.current().scheme.effective_from == "2027-01"
    assert "2027-01" in tab.status.text()
