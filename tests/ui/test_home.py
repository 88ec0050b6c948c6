"""The home page: what waits for the account (the 待办 registered in services.todo), each count
opening its list; greyed cards for the modules not built yet."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from desktop_app.app import style_sheet
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.admin.page import AdminPage
from desktop_app.ui.credit.files import CreditFilesPage
from desktop_app.ui.home import TodoCard
from desktop_app.ui.main_window import COMING_COLOR, KEY_ROLE, MainWindow
from desktop_app.ui.shell import ShellContext
from tests.builders import ban, company, serious

from .conftest import MessageBoxes
from .shell_support import tab_order

pytestmark = pytest.mark.usefixtures("message_boxes")

FOCUS_FRAME = "#2d6cdf"  # resources/style.qss: the frame of the card that has the focus


def open_home(qtbot: Any, services: Services, actor: CurrentUser, context: ShellContext) -> MainWindow:
    window = MainWindow(services, actor, context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_page("home")
    return window


# What waits in the complaints module for a leader or a supervisor (services/complaints/todo.py).
COMPLAINT_CARDS = [
    "complaints.overdue",
    "complaints.due_soon",
    "complaints.registered",
    "complaints.extensions",
    "complaints.followups",
]


def card(window: MainWindow, key: str) -> TodoCard:
    return window.home.todo_cards[key]


def test_a_leader_sees_the_records_to_confirm_and_opens_the_list(
    qtbot: Any,
    services: Services,
    leader: CurrentUser,
    supervisor: CurrentUser,
    shell_context: ShellContext,
) -> None:
    sid = company(services, leader)
    first = services.credit.add_record(supervisor, ban(sid))
    services.credit.add_record(supervisor, serious(sid))
    window = open_home(qtbot, services, leader, shell_context)
    # The complaints' lists follow the credit ones, the evaluations' the complaints' (services/todo.providers'
    # order); a leader always sees the proposals to decide and the overdue procurement sessions.
    assert list(window.home.todo_cards) == [
        "credit.to_confirm",
        *COMPLAINT_CARDS,
        "evaluations.proposals",
        "evaluations.overdue",
        "scoring.submitted",
        "scoring.contests",
    ]
    waiting = card(window, "credit.to_confirm")
    assert waiting.count.text() == "2" and waiting.isVisible()
    assert not window.home.nothing_waiting.isVisible()

    files = window.open_page("credit_files")
    assert isinstance(files, CreditFilesPage)
    files.tabs.setCurrentWidget(files.recent)  # the leader looked at another list meanwhile
    window.open_page("home")
    qtbot.mouseClick(waiting.button, Qt.MouseButton.LeftButton)
    assert window.current_page() is files
    assert files.tabs.currentWidget() is files.pending
    assert files.pending.model.rowCount() == 2

    # A confirmation made in this window is announced: the home page reads its counts again.
    window.open_page("home")
    operations.run(
        None,
        lambda: services.credit.confirm_record(leader, first.id, first.version),
        changed=topics.CREDIT_RECORD,
    )
    assert waiting.count.text() == "1"
    # Another workstation's entry is seen when the page comes back into view.
    window.open_page("credit")
    services.credit.add_record(supervisor, ban(sid, decision_number="天建罚〔2026〕8号"))
    window.open_page("home")
    assert card(window, "credit.to_confirm").count.text() == "2"


def test_a_supervisor_sees_their_own_entries_waiting(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    leader: CurrentUser,
    supervisor: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
) -> None:
    colleague = core.make_user(services, admin, "super2", Role.SUPERVISOR, department="财务科")
    sid = company(services, leader)
    services.credit.add_record(supervisor, ban(sid))
    services.credit.add_record(colleague, serious(sid))
    window = open_home(qtbot, services, supervisor, shell_context)
    # A supervisor's department month not submitted after the month ended (the scoring's 待办).
    assert list(window.home.todo_cards) == ["credit.own_pending", *COMPLAINT_CARDS, "scoring.mine"]
    assert card(window, "credit.own_pending").count.text() == "1"
    assert card(window, "credit.own_pending").property("empty") is False


@pytest.mark.parametrize("role", [Role.HALL_STAFF, Role.AUDIT_ADMIN], ids=lambda r: r.value)
def test_nothing_waits_for_those_with_nothing_to_confirm(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    role: Role,
) -> None:
    actor = admin if role is Role.SYSTEM_ADMIN else core.make_user(services, admin, "someone", role)
    window = open_home(qtbot, services, actor, shell_context)
    assert window.home.todo_cards == {}
    assert window.home.nothing_waiting.isVisible()


def test_the_system_admin_is_reminded_of_next_years_holiday_schedule(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    """In November 2026 the 2027 schedule is not entered: the card opens the 工作日历 tab on 2027."""
    window = open_home(qtbot, services, admin, shell_context)
    assert list(window.home.todo_cards) == ["calendar.schedule"]
    waiting = card(window, "calendar.schedule")
    assert waiting.count.text() == "1" and not window.home.nothing_waiting.isVisible()
    qtbot.mouseClick(waiting.button, Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert isinstance(page, AdminPage) and page.calendar is not None
    assert page.tabs.currentWidget() is page.calendar and page.calendar.year.value() == 2027
    assert "No holiday schedule is listed for 2027" in page.calendar.note.text()


def test_an_empty_list_is_muted_and_says_so(
    qtbot: Any, services: Services, leader: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_home(qtbot, services, leader, shell_context)
    waiting = card(window, "credit.to_confirm")
    assert waiting.count.text() == "0" and waiting.property("empty") is True
    assert window.home.nothing_waiting.isVisible()


@pytest.mark.usefixtures("zh_ui")
def test_modules_not_built_yet_do_not_look_live(
    qtbot: Any, services: Services, leader: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_home(qtbot, services, leader, shell_context)
    assert sorted(window.home.coming) == []
    assert sorted(window.home.buttons) == [
        "account_confirmations",
        "complaints",
        "credit",
        "credit_files",
        "evaluations",
        "scoring",
    ]
    for coming in window.home.coming.values():
        assert coming.findChildren(QAbstractButton) == []  # nothing to click
        tags = [label.text() for label in coming.findChildren(QLabel, "home_coming")]
        assert tags == ["即将提供"]
    assert card(window, "credit.to_confirm").button.text() == "待确认的信用记录"
    # Their navigation entries are greyed too (they open a page that says the module is coming).
    for row in range(window.navigation.count()):
        item = window.navigation.item(row)
        greyed = item.foreground().color().name() == COMING_COLOR
        assert greyed == (item.data(KEY_ROLE) in window.home.coming), item.text()


def test_tab_from_the_navigation_reaches_what_waits_first(
    qtbot: Any, services: Services, leader: CurrentUser, shell_context: ShellContext
) -> None:
    window = open_home(qtbot, services, leader, shell_context)
    order = tab_order(window.navigation, 4)
    assert order == [
        "navigation",
        "todo_credit.to_confirm",
        "todo_complaints.overdue",
        "todo_complaints.due_soon",
    ]


@pytest.mark.usefixtures("zh_ui")
def test_a_leader_opens_the_accounts_to_confirm_from_home_and_confirms(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    leader: CurrentUser,
    shell_context: ShellContext,
    message_boxes: MessageBoxes,
) -> None:
    """三员分立: an account the system admin made waits on the leader's home until confirmed."""
    info = services.users.create(
        admin,
        username="newclerk",
        display_name="新职员",
        roles={Role.HALL_STAFF},
        password="Passw0rd#x",
        must_change_password=False,
    )
    assert info.pending_roles == (Role.HALL_STAFF,)
    window = open_home(qtbot, services, leader, shell_context)
    waiting = card(window, "accounts.to_confirm")
    assert waiting.count.text() == "1" and waiting.button.text() == "待确认的账户"
    qtbot.mouseClick(waiting.button, Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert page.objectName() == "account_confirmations_page"
    assert page.model.rowCount() == 1
    assert page.findChild(QLabel, "page_title").text() == "账户确认"
    assert page.empty_note.isHidden()
    page.view.selectRow(0)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0
    assert not page.empty_note.isHidden() and page.empty_note.text() == "没有等待您确认的账户。"
    assert services.users.get(info.id).roles == (Role.HALL_STAFF,)
    assert "newclerk" in message_boxes.texts()[-1]
    assert "已生效" in page.status.text()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_keyboard_only_tab_to_the_first_card_and_open_its_list(
    qtbot: Any,
    services: Services,
    leader: CurrentUser,
    supervisor: CurrentUser,
    shell_context: ShellContext,
    key: Qt.Key,
) -> None:
    """Tab from the navigation to the first 待办 card, then Enter (or Space): the list it counts."""
    sid = company(services, leader)
    services.credit.add_record(supervisor, ban(sid))
    window = open_home(qtbot, services, leader, shell_context)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Tab)
    focused = window.focusWidget()
    assert focused is card(window, "credit.to_confirm").button
    qtbot.keyClick(focused, key)
    page = window.current_page()
    assert isinstance(page, CreditFilesPage)
    assert page.tabs.currentWidget() is page.pending
    assert page.pending.model.rowCount() == 1
    # The cursor is in the list, on its first entry: Enter there confirms it (no Tab first).
    assert window.focusWidget() is page.pending.view
    assert page.pending.current() is not None


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_a_page_card_opens_with_the_keyboard(
    qtbot: Any, services: Services, leader: CurrentUser, shell_context: ShellContext, key: Qt.Key
) -> None:
    window = open_home(qtbot, services, leader, shell_context)
    with qtbot.waitActive(window):
        window.activateWindow()
    button = window.home.buttons["credit_files"]
    button.setFocus()
    qtbot.keyClick(button, key)
    assert isinstance(window.current_page(), CreditFilesPage)


def test_the_focused_card_is_framed(
    qtbot: Any, qapp: QApplication, services: Services, leader: CurrentUser, shell_context: ShellContext
) -> None:
    """Under the style sheet, the card whose button has the keyboard focus shows a blue frame."""
    if qapp.style().name().lower() != "fusion":
        pytest.skip("the style sheet is written for Fusion")
    qapp.setStyleSheet(style_sheet())
    try:
        window = open_home(qtbot, services, leader, shell_context)
        with qtbot.waitActive(window):
            window.activateWindow()
        todo = card(window, "credit.to_confirm")
        page_card = window.home.buttons["credit"].parentWidget()

        def framed(frame: QWidget) -> bool:
            image = frame.grab().toImage()
            y = frame.height() - 1  # the bottom edge, away from the rounded corners
            xs = range(frame.width() // 4, 3 * frame.width() // 4)
            return all(QColor(image.pixel(x, y)).name() == FOCUS_FRAME for x in xs)

        window.navigation.setFocus()
        assert not framed(todo) and not framed(page_card)
        qtbot.keyClick(window.navigation, Qt.Key.Key_Tab)
        assert window.focusWidget() is todo.button
        assert framed(todo) and not framed(page_card)
        window.home.buttons["credit"].setFocus(Qt.FocusReason.TabFocusReason)  # past the other cards
        assert framed(page_card) and not framed(todo)
    finally:
        qapp.setStyleSheet("")
