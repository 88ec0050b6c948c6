"""The entry-desk credit lookup driven through its widgets, checked on screen and in the database."""

from __future__ import annotations

from datetime import timedelta
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QWidget

from desktop_app.domain.credit import RecordKind, Severity, SubjectKind, Verdict
from desktop_app.domain.identifiers import id_check_char, uscc_check_char
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import AliasInput, RecordInput, SubjectInput
from desktop_app.services.facade import Services
from desktop_app.ui.credit import editing, lookup
from desktop_app.ui.credit.labels import record_kind_label
from desktop_app.ui.credit.lookup import CreditLookupPage
from desktop_app.ui.credit.lookup_model import LookupResultsModel
from desktop_app.ui.notices.preview import NoticePreviewDialog
from tests.suite_clock import suite_today

from .conftest import MessageBoxes
from .shell_support import rows, type_text

TODAY = suite_today()  # the day the suite's clock stands at, not the machine's
BANNED_NAME = "天河华建建筑工程有限公司"
CLEAR_NAME = "广州顺安建设集团有限公司"
RECORDS_NAME = "恒信招标代理有限公司"
EXPERT_NAME = "张三丰"
BAN_NUMBER = "天建罚〔2026〕3号"


def uscc(body: str) -> str:
    return body + uscc_check_char(body)


def resident_id(body: str) -> str:
    return body + id_check_char(body)


@pytest.fixture
def leader(services: Services, admin: CurrentUser, core: ModuleType) -> CurrentUser:
    return core.make_user(services, admin, "leader1", Role.LEADER)  # type: ignore[no-any-return]


@pytest.fixture
def clerk(services: Services, admin: CurrentUser, core: ModuleType) -> CurrentUser:
    return core.make_user(services, admin, "clerk1", Role.HALL_STAFF)  # type: ignore[no-any-return]


@pytest.fixture
def subjects(services: Services, leader: CurrentUser) -> dict[str, int]:
    return make_subjects(services, leader)


def make_subjects(services: Services, leader: CurrentUser) -> dict[str, int]:
    """A banned bidder, a clear one with an expired record (and a former name), an agency with a bad
    record in force, and an expert (a person: masked ID and phone)."""
    credit = services.credit
    banned = credit.create_subject(
        leader, SubjectInput(SubjectKind.BIDDER, BANNED_NAME, uscc=uscc("91440101MA5CXXXX0"))
    ).id
    credit.add_record(
        leader,
        RecordInput(
            banned,
            RecordKind.BAN,
            Severity.GENERAL,
            TODAY - timedelta(days=40),
            facts="串通投标",
            authority="天河市住建局",
            decision_number=BAN_NUMBER,
            ban_start=TODAY - timedelta(days=30),
            ban_end=TODAY + timedelta(days=150),
        ),
    )
    clear = credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.BIDDER,
            CLEAR_NAME,
            uscc=uscc("91440101MA5DYYYY1"),
            legal_representative="李顺安",
            aliases=(AliasInput("广州顺安建筑有限公司"),),
        ),
    ).id
    credit.add_record(
        leader,
        RecordInput(
            clear,
            RecordKind.BAD,
            Severity.GENERAL,
            TODAY - timedelta(days=800),
            facts="逾期提交资料",
            authority="天河市公共资源交易中心",
            decision_number="天公资交〔2024〕8号",
            publicity_end=TODAY - timedelta(days=400),
        ),
    )
    records = credit.create_subject(
        leader, SubjectInput(SubjectKind.AGENCY, RECORDS_NAME, uscc=uscc("91440101MA5EPPPP2"))
    ).id
    credit.add_record(
        leader,
        RecordInput(
            records,
            RecordKind.BAD,
            Severity.GENERAL,
            TODAY - timedelta(days=20),
            facts="开标迟到",
            decision_number="天公资交〔2026〕21号",
            publicity_end=TODAY + timedelta(days=200),
        ),
    )
    expert = credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.EXPERT,
            EXPERT_NAME,
            id_number=resident_id("11010519491231002"),
            phone="13812345678",
            expert_no="ZJ-0001",
            specialty="房屋建筑",
        ),
    ).id
    return {"banned": banned, "clear": clear, "records": records, "expert": expert}


def open_page(qtbot: Any, services: Services, actor: CurrentUser) -> CreditLookupPage:
    page = CreditLookupPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def result_names(page: CreditLookupPage) -> list[str]:
    return [hit.name for hit in page.model.hits()]


def search(qtbot: Any, page: CreditLookupPage, text: str) -> None:
    """Type into the box and wait for the results of exactly that text."""
    page.query.setFocus()
    type_text(qtbot, page.query, text)
    qtbot.waitUntil(lambda: page.result is not None and page.result.query == page.query.text())


def close_preview(page: CreditLookupPage) -> None:
    if page.preview is not None:
        page.preview.reject()


@pytest.fixture(autouse=True)
def _close_previews(message_boxes: MessageBoxes) -> Any:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, NoticePreviewDialog):
            widget.reject()


# -- the model --------------------------------------------------------------------------------------
def test_results_model_passes_the_model_tester(
    qtmodeltester: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int]
) -> None:
    model = LookupResultsModel()
    model.set_hits(services.credit.search(clerk, "91440101MA5").hits)
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.set_hits(services.credit.search(clerk, "张三丰").hits)
    qtmodeltester.check(model)


# -- the clerk's task -------------------------------------------------------------------------------
@pytest.mark.both_databases
def test_clerk_finds_a_company_with_the_keyboard_only_and_prints_the_certificate(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.query.hasFocus()
    type_text(qtbot, page.query, "顺安")
    qtbot.waitUntil(lambda: result_names(page) == [CLEAR_NAME])
    # The only result is chosen at once (its file shown); Down and Enter still go through it.
    assert page.selected_hit() is not None and page.selected_hit().subject_id == subjects["clear"]
    assert page.detail.file is not None and page.query.hasFocus()
    qtbot.keyClick(page.query, Qt.Key.Key_Down)
    assert page.view.hasFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert page.detail.file is not None and page.detail.file.subject.id == subjects["clear"]
    assert page.detail.banner.text() == "可入场"
    assert page.detail.values["name"].text() == CLEAR_NAME
    assert page.detail.checks.topLevelItem(0).text(0) == "尚未在服务台核验"

    qtbot.keyClick(page.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

    # The database has the check, with the notice number.
    file = services.credit.subject_file(clerk, subjects["clear"])
    assert len(file.checks) == 1
    check = file.checks[0]
    assert check.query == "顺安" and check.verdict == Verdict.CLEAR and check.operator == "clerk1"
    assert check.notice_number and check.notice_number.startswith("XY")
    # The preview shows that notice; the detail pane shows the check.
    assert isinstance(page.preview, NoticePreviewDialog) and page.preview.isVisible()
    assert page.preview.issued.number == check.notice_number
    assert page.detail.checks.topLevelItem(0).text(4) == check.notice_number
    assert page.detail.checks.topLevelItem(0).text(1) == "可入场"
    assert check.notice_number in page.check_status.text()
    audit = rows(services, "SELECT action FROM audit_log WHERE action = 'credit.entry_check'")
    assert len(audit) == 1
    close_preview(page)
    qtbot.waitUntil(lambda: page.preview is None)
    # Back in the search box, the last query selected: the next name replaces it.
    assert page.query.hasFocus() and page.query.selectedText() == "顺安"


def test_banned_company_shows_the_red_banner_and_the_decision(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "华建")
    assert result_names(page) == [BANNED_NAME]
    verdict_cell = page.model.index(0, 0)
    assert verdict_cell.data() == "禁止入场"
    assert verdict_cell.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#c62828"
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "结论"
    page.focus_results()
    banner = page.detail.banner
    assert banner.isVisible() and banner.text() == "禁止入场"
    assert "#c62828" in banner.styleSheet()
    assert banner.font().pointSize() >= 20 or "30pt" in banner.styleSheet()
    reason = page.detail.reason.text().replace("\u2060", "")  # word joiners keep 〔2026〕3号 whole
    assert BAN_NUMBER in reason and (TODAY + timedelta(days=150)).isoformat() in reason
    assert "仅供参考" in page.detail.values["score"].text()
    first = page.detail.record_texts()[0]
    assert first[0] == "生效中" and first[3] == f"{BAN_NUMBER}（天河市住建局）"
    assert first[1].startswith(record_kind_label(RecordKind.BAN))  # the credit labels' word
    assert (
        first[2]
        == f"禁入 {(TODAY - timedelta(days=30)).isoformat()} 至 {(TODAY + timedelta(days=150)).isoformat()}"
    )


def test_not_found_query_and_check_makes_a_not_found_notice(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "不存在的公司名称")
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "未找到"
    assert page.detail.banner.isVisible() and page.detail.banner.text() == "未找到"
    assert "不存在的公司名称" in page.detail.message.text()
    button = page.findChild(QPushButton, "entry_check")
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    found = rows(
        services, "SELECT query, verdict, subject_id, notice_number FROM credit_entry_checks ORDER BY id"
    )
    assert len(found) == 1
    assert found[0].query == "不存在的公司名称" and found[0].verdict == Verdict.NOT_FOUND.value
    assert found[0].subject_id is None and found[0].notice_number.startswith("XY")
    assert page.preview is not None and page.preview.isVisible()
    assert services.credit.recent_checks(clerk)[0].verdict == Verdict.NOT_FOUND


def test_legal_suffix_only_query_shows_the_hint(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "有限责任公司")
    if page.model.rowCount() == 0:
        assert page.hint_label.text() == page.result.hint  # type: ignore[union-attr]
        assert "组织形式" in page.hint_label.text()


@pytest.mark.both_databases
def test_results_update_as_you_type(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int]
) -> None:
    page = open_page(qtbot, services, clerk)
    page.query.setFocus()
    type_text(qtbot, page.query, "91440101MA5")
    qtbot.waitUntil(lambda: len(result_names(page)) == 3)
    qtbot.keyClicks(page.query, "E")
    qtbot.waitUntil(lambda: result_names(page) == [RECORDS_NAME])
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#ffb300"
    page.query.clear()
    qtbot.waitUntil(
        lambda: page.model.rowCount() == 0 and page.result is not None and page.result.query == ""
    )
    assert not page.check_button.isEnabled()
    # Pinyin initials and a former name.
    search(qtbot, page, "zsf")
    assert result_names(page) == [EXPERT_NAME]
    page.query.clear()
    search(qtbot, page, "顺安建筑")
    assert result_names(page) == [CLEAR_NAME]
    assert (
        "曾用名：广州顺安建筑有限公司" in page.model.index(0, 1).data()
        or "formerly" in page.model.index(0, 1).data()
    )


def test_run_search_now_bypasses_the_pause(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int]
) -> None:
    page = open_page(qtbot, services, clerk)
    with qtbot.waitSignal(page.results_shown, timeout=1000) as shown:
        page.run_search_now("华建")
    assert shown.args == ["华建"]
    assert result_names(page) == [BANNED_NAME]
    assert not page.timer.isActive()
    assert page.last_search_ms > 0


def test_expired_records_are_greyed_with_their_state(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "顺安")
    page.focus_results()
    texts = page.detail.record_texts()
    assert texts[0][0] == "已到期" and texts[0][3].startswith("天公资交〔2024〕8号")
    assert page.detail.record_is_muted(0)
    assert page.detail.banner.text() == "可入场"
    # In force stays black; the amber verdict for the agency with a record in force.
    page.query.clear()
    search(qtbot, page, "恒信")
    page.focus_results()
    assert page.detail.record_texts()[0][0] == "生效中"
    assert not page.detail.record_is_muted(0)
    assert page.detail.banner.text() == "有不良记录"


def test_unmask_is_hidden_for_hall_staff_and_personal_data_is_masked(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "张三丰")
    assert page.model.index(0, 3).data() != resident_id("11010519491231002")
    assert "*" in page.model.index(0, 3).data()
    page.focus_results()
    detail = page.detail
    assert detail.captions["identifier"].text() == "身份证号："
    assert "*" in detail.values["identifier"].text() and "*" in detail.values["phone"].text()
    assert detail.values["expert_no"].text() == "ZJ-0001" and detail.values["expert_no"].isVisible()
    for name in ("unmask_id_number", "unmask_phone"):
        button = page.findChild(QPushButton, name)
        assert button is not None and not button.isVisible()
    assert not page.findChild(QPushButton, "new_subject").isVisible()
    assert not page.findChild(QPushButton, "add_record").isVisible()


def test_leader_sees_unmask_and_edit_buttons(
    qtbot: Any,
    services: Services,
    leader: CurrentUser,
    subjects: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = open_page(qtbot, services, leader)
    search(qtbot, page, "张三丰")
    page.focus_results()
    for name in ("unmask_id_number", "unmask_phone", "add_record", "edit_subject"):
        button = page.findChild(QPushButton, name)
        assert button is not None and button.isVisible(), name
    assert page.findChild(QPushButton, "new_subject").isVisible()

    def reveal(parent: QWidget, services_: Services, actor: CurrentUser, subject_id: int, field: str) -> str:
        return services_.credit.reveal_personal_data(actor, subject_id, field, "核对身份")

    monkeypatch.setattr(editing, "reveal_personal_data", reveal)
    qtbot.mouseClick(page.findChild(QPushButton, "unmask_phone"), Qt.MouseButton.LeftButton)
    assert page.detail.values["phone"].text() == "13812345678"
    assert rows(services, "SELECT action FROM audit_log WHERE action = 'pii.unmask'")


def test_several_results_and_none_chosen_asks_before_a_not_found_check(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    subjects: dict[str, int],
    message_boxes: MessageBoxes,
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "91440101MA5")
    message_boxes.answer = QMessageBox.StandardButton.No
    page.print_current()
    assert len(message_boxes.calls) == 1 and message_boxes.calls[0][0] == "question"
    assert rows(services, "SELECT id FROM credit_entry_checks") == []
    assert page.view.hasFocus() and page.selected_hit() is not None  # pointed at the results
    page.print_current()  # now a result is chosen: no question
    assert len(message_boxes.calls) == 1
    found = rows(services, "SELECT subject_id FROM credit_entry_checks")
    assert [r.subject_id for r in found] == [page.model.hit(0).subject_id]


def test_search_box_and_buttons_are_named(
    qtbot: Any, services: Services, clerk: CurrentUser, zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    query = page.findChild(QLineEdit, "query")
    assert query is not None and query.accessibleName() == "查询信用档案"
    assert page.findChild(QPushButton, "entry_check").accessibleName()
    assert page.view.objectName() == "results" and page.view.accessibleName()
    assert not page.check_button.isEnabled()  # nothing typed yet
    page.print_current()  # Ctrl+P with an empty box: a message, no check
    assert page.form_error.isVisible()
    assert rows(services, "SELECT id FROM credit_entry_checks") == []


def test_in_the_main_window_ctrl_p_checks_once(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    subjects: dict[str, int],
    shell_context: Any,
    monkeypatch: pytest.MonkeyPatch,
    zh_ui: None,
) -> None:
    """The window's Ctrl+F/Ctrl+P actions and the page's own keys never both fire."""
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(services, clerk, shell_context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.open_page("credit")
    assert isinstance(page, CreditLookupPage)
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # the window's
    assert page.query.hasFocus()
    type_text(qtbot, page.query, "华建")
    qtbot.waitUntil(lambda: result_names(page) == [BANNED_NAME])
    qtbot.keyClick(page.query, Qt.Key.Key_Return)  # Enter also goes into the results
    assert page.view.hasFocus() and page.selected_hit() is not None
    qtbot.keyClick(page.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    checks = services.credit.subject_file(clerk, subjects["banned"]).checks
    assert len(checks) == 1 and checks[0].verdict == Verdict.BANNED
    assert page.detail.banner.text() == "禁止入场"
    page.preview.reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.preview is None)
    window.navigation.setFocus()
    asked: list[Any] = []
    monkeypatch.setattr(
        lookup, "ask_reprint_or_new", lambda *args: asked.append(args) or lookup.NEW_CERTIFICATE
    )
    qtbot.keyClick(window.navigation, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # the window's
    assert len(asked) == 1  # the same subject again: reprint or new? (new)
    assert len(services.credit.subject_file(clerk, subjects["banned"]).checks) == 2
    window.close()


def test_record_actions_follow_the_rights(
    qtbot: Any, services: Services, leader: CurrentUser, clerk: CurrentUser, subjects: dict[str, int]
) -> None:
    leader_page = open_page(qtbot, services, leader)
    clerk_page = open_page(qtbot, services, clerk)
    record = services.credit.subject_file(leader, subjects["records"]).records[0]
    names = [action.name for action in leader_page.record_actions("record", record)]
    assert names == ["request_repair", "revoke_record", "add_attachment"]
    assert clerk_page.record_actions("record", record) == []


def test_an_expert_under_a_ban_shows_suspended_until_its_end(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    leader: CurrentUser,
    subjects: dict[str, int],
    zh_ui: None,
) -> None:
    """A leader's confirmed suspension from the evaluations is a ban: the lookup says 暂停至 its last day,
    not the 在库 the file was entered with; searched again, the shown file is reloaded when its verdict
    changed meanwhile (a decision at another workstation), not left as first shown."""
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, EXPERT_NAME)
    page.focus_results()
    assert page.detail.values["pool_status"].text() == "在库"
    end = TODAY + timedelta(days=90)
    services.credit.add_record(
        leader,
        RecordInput(
            subjects["expert"],
            RecordKind.BAN,
            Severity.GENERAL,
            TODAY,
            facts="评标专家现场考评累计扣分12分，暂停评标专家资格",
            authority="天河市财政局",
            decision_number="天财采〔2026〕9号",
            ban_start=TODAY,
            ban_end=end,
        ),
    )
    before = page.result
    page.query.clear()
    search(qtbot, page, EXPERT_NAME)
    qtbot.waitUntil(lambda: page.result is not before and page.result.query == EXPERT_NAME)
    page.focus_results()
    assert page.detail.banner.text() == "禁止入场"
    assert page.detail.values["pool_status"].text() == f"暂停至{end.year}年{end.month}月{end.day}日"
