"""The 专家考评 page: the sessions with their filters (an overdue procurement session red), a leader's
decision on a proposal from the status bar to the roster's 暂停至, a reopen with its reason, and the
system admin's new item version — on screen and in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop_app.domain.credit import SubjectKind
from desktop_app.domain.evaluations import (
    PoolState,
    ProposalAction,
    ProposalState,
    SessionState,
    TradeCategory,
)
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import SubjectInput
from desktop_app.services.evaluations.types import GridInput, GridMark, SessionInfo, SessionInput
from desktop_app.services.facade import Services
from desktop_app.ui.admin.evaluation_catalogue import EvaluationCatalogueTab, ItemDialog
from desktop_app.ui.evaluations.page import EvaluationsPage
from desktop_app.ui.evaluations.proposals import ConfirmDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shell import ShellContext
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.paged_table import TONE_COLOURS, Tone
from tests.builders import born_on
from tests.complaint_builders import People, people

pytestmark = [
    pytest.mark.usefixtures("message_boxes"),
    pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),  # the screens, not the database
]

TZ = datetime.fromisoformat("2026-11-18T10:30:00+08:00").tzinfo
Script = Callable[[Any], None]


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def expert(services: Services, actor: CurrentUser, n: int, name: str) -> int:
    data = SubjectInput(
        SubjectKind.EXPERT,
        name,
        id_number=born_on(date(1960 + n, 1, n)),
        expert_no=f"Z{1000 + n}",
        specialty="土建",
    )
    return services.credit.create_subject(actor, data).id


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


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


def session(
    services: Services,
    witness: CurrentUser,
    experts: tuple[int, ...],
    day: date,
    category: TradeCategory = TradeCategory.CONSTRUCTION,
    room: str = "第一评标室",
    code: str = "TH-2026-001",
    name: str = "天河区第一中学教学楼改造工程",
) -> SessionInfo:
    return services.evaluations.create_session(
        witness,
        SessionInput(code, name, category, room, at(day), at(day, 17), expert_ids=experts),
    )


def finalise(services: Services, witness: CurrentUser, info: SessionInfo, *marks: GridMark) -> SessionInfo:
    done = services.evaluations.finalise(witness, info.id, GridInput(marks=marks), info.version)
    return done.session


def make_page(qtbot: Any, services: Services, actor: CurrentUser) -> EvaluationsPage:
    page = EvaluationsPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1090, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def shown(tab: Any, column: int = 0) -> list[str]:
    return [tab.proxy.index(r, column).data() for r in range(tab.proxy.rowCount())]


def test_sessions_filter_by_date_category_room_witness_and_state_and_overdue_ones_are_red(
    qtbot: Any, services: Services, crew: People, drive: Callable[..., list[str]]
) -> None:
    zhang = expert(services, crew.leader, 1, "张建国")
    li = expert(services, crew.leader, 2, "李华")
    late = session(
        services,
        crew.handler,
        (zhang,),
        date(2026, 10, 30),
        TradeCategory.PROCUREMENT,
        "第二评标室",
        "CG-01",
        "办公家具采购",
    )
    mine = session(services, crew.handler, (li,), date(2026, 11, 16))
    other = session(
        services, crew.clerk, (zhang, li), date(2026, 11, 17), room="第三评标室", code="TH-2026-002"
    )
    other = finalise(services, crew.clerk, other, GridMark(zhang, "E01", 1))
    page = make_page(qtbot, services, crew.leader)
    tab = page.sessions
    assert shown(tab) == [other.number, mine.number, late.number]
    row = shown(tab).index(late.number)
    assert tab.proxy.index(row, 0).data(Qt.ItemDataRole.BackgroundRole).color() == TONE_COLOURS[Tone.ALARM][0]
    assert tab.proxy.index(shown(tab).index(mine.number), 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert tab.proxy.index(row, 9).data() == "Overdue"

    tab.category.setCurrentIndex(tab.category.findData(TradeCategory.PROCUREMENT))
    assert shown(tab) == [late.number]
    tab.category.setCurrentIndex(0)
    tab.room.setText("第三评标室")
    qtbot.keyClick(tab.room, Qt.Key.Key_Return)
    assert shown(tab) == [other.number]
    tab.room.clear()
    tab.witness.setCurrentIndex(tab.witness.findData(crew.handler.staff_id))
    assert shown(tab) == [mine.number, late.number]
    tab.witness.setCurrentIndex(0)
    tab.date_from.set_value(date(2026, 11, 16))
    assert shown(tab) == [other.number, mine.number]
    tab.date_to.set_value(date(2026, 11, 16))
    assert shown(tab) == [mine.number]
    tab.state.setCurrentIndex(tab.state.findData(SessionState.FINALISED.value))
    assert shown(tab) == []
    assert tab.empty_note.isVisible()

    # The 待办's lists clear the other filters.
    page.show_target("sessions:overdue")
    assert shown(tab) == [late.number]
    handler_page = make_page(qtbot, services, crew.handler)
    handler_page.show_target("sessions:mine-draft")
    assert shown(handler_page.sessions) == [mine.number, late.number]

    # A leader reopens the finalised session with a reason; the list says draft again.
    # At the keyboard: the number typed in the search box, Down to the row it found.
    page.sessions.set_filters(None, mine=False)
    tab.view.clearSelection()
    tab.focus_search()
    qtbot.keyClicks(tab.search, other.number)
    qtbot.keyClick(tab.search, Qt.Key.Key_Down)
    assert tab.current().id == other.id and tab.window().focusWidget() is tab.view
    assert page.sessions.reopen_button.isEnabled()

    def reopen(dialog: Any) -> None:
        assert other.number in dialog.intro.text()
        dialog.reason.setPlainText("见证人误将迟到记在李华名下")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    opened = drive(reopen)
    assert page.sessions.reopen_current()
    assert opened == ["ReasonDialog"]
    reopened = services.evaluations.session(other.id)
    assert reopened.state == SessionState.DRAFT and reopened.revision == 2
    assert services.evaluations.revisions(other.id)[0].reopen_reason == "见证人误将迟到记在李华名下"
    row = shown(page.sessions).index(other.number)
    assert page.sessions.proxy.index(row, 9).data() == "Draft"


def test_a_leader_confirms_a_suspension_from_the_status_bar_and_the_roster_shows_it(
    qtbot: Any,
    services: Services,
    crew: People,
    shell_context: ShellContext,
    drive: Callable[..., list[str]],
) -> None:
    zhang = expert(services, crew.leader, 1, "张建国")
    li = expert(services, crew.leader, 2, "李华")
    day = date(2026, 11, 16)
    info = session(services, crew.handler, (zhang, li), day)
    finalise(
        services,
        crew.handler,
        info,
        GridMark(zhang, "E04", 5),
        GridMark(zhang, "E05", 5),
        GridMark(zhang, "E07", 3),
    )
    waiting = services.evaluations.proposals(crew.leader, ProposalState.PENDING)
    assert sorted(p.action for p in waiting) == [ProposalAction.NOTIFY, ProposalAction.SUSPEND]

    window = MainWindow(services, crew.leader, shell_context)
    window.remember_layout = False
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.status_proposals is not None
    assert "2 expert proposal(s) waiting" in window.status_proposals.text()
    window.status_proposals.linkActivated.emit("proposals:pending")
    page = window.current_page()
    assert isinstance(page, EvaluationsPage) and page.proposals is not None
    tab = page.proposals
    assert page.tabs.currentWidget() is tab
    assert shown(tab) == ["张建国", "张建国"]

    def confirm(dialog: ConfirmDialog) -> None:
        assert dialog.suspends and dialog.suspend_until.value() == date(2027, 5, 17)
        dialog.authority.setText("市财政局")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()  # the decision number is required
        dialog.decision_number.setText("财采〔2026〕8号")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    def reject(dialog: Any) -> None:
        dialog.reason.setPlainText("已由财政局另行通报")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    drive(confirm, reject)
    assert tab.select(lambda p: p.action == ProposalAction.SUSPEND)
    confirmed = tab.confirm_current()
    assert confirmed is not None and confirmed.state == ProposalState.CONFIRMED
    assert tab.select(lambda p: p.action == ProposalAction.NOTIFY)
    rejected = tab.reject_current()
    assert rejected is not None and rejected.reason_text == "已由财政局另行通报"
    assert shown(tab) == []  # nothing pending any more
    assert "0 expert proposal(s) waiting" in window.status_proposals.text()

    pool = services.evaluations.pool_status(zhang, date(2026, 11, 19))
    assert pool.state == PoolState.SUSPENDED and pool.until == date(2027, 5, 17)
    page.tabs.setCurrentWidget(page.experts)
    roster = page.experts
    names = shown(roster)
    assert roster.proxy.index(names.index("张建国"), 4).data() == "Suspended until 2027-05-17"
    assert roster.proxy.index(names.index("李华"), 4).data() == "In the pool"
    assert roster.proxy.index(names.index("张建国"), 5).data() == "13"
    assert roster.select_expert(zhang)
    assert roster.years.rowCount() == 1 and roster.years.index(0, 3).data() == "13"
    assert roster.marks.rowCount() == 3
    page.tabs.setCurrentWidget(page.ranking)
    assert shown(page.ranking, 1)[0] == "张建国"


def test_the_admin_saves_a_new_item_version_from_a_date(
    qtbot: Any, services: Services, admin: CurrentUser
) -> None:
    tab = EvaluationCatalogueTab(services, admin)
    qtbot.addWidget(tab)
    tab.resize(1090, 700)
    tab.show()
    qtbot.waitExposed(tab)
    codes = {r.item.code for r in tab.model.records()}
    assert {"E01", "E17"} <= codes
    assert tab.thresholds.model.rowCount() >= 1
    assert tab.select(lambda r: r.item.code == "E01")
    tab.new_item()
    dialog = tab.dialog
    assert isinstance(dialog, ItemDialog)
    assert dialog.code.text() == "E01" and not dialog.correcting
    dialog.effective_from.set_value(date(2027, 1, 1))
    dialog.text.setText("迟到超过15分钟")
    dialog.default_points.setValue(2)
    dialog.max_points.setValue(3)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = [i for i in services.evaluations.item_versions() if i.code == "E01"]
    assert sorted(i.effective_from for i in saved)[-1] == date(2027, 1, 1)
    newest = max(saved, key=lambda i: i.effective_from)
    assert (newest.text, newest.default_points, newest.max_points) == ("迟到超过15分钟", 2, 3)
    assert [line.text for line in services.evaluations.items_on(date(2027, 1, 1)) if line.code == "E01"] == [
        "迟到超过15分钟"
    ]
    chosen = tab.current()
    assert chosen.item.effective_from == date(2027, 1, 1) and chosen.state == "future"
    assert "E01" in tab.status.text()
