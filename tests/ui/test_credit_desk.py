"""The entry desk as a clerk works it, keyboard only (issue 9, items 1–8): the confirmation line goes
with its subject, one result is chosen by itself, the cursor comes back to the search box, a second
Ctrl+P asks to reprint, the barred grade says why, and the keys from an empty box to a printed
certificate and back are counted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_app.domain.credit import Verdict
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.credit import lookup
from desktop_app.ui.credit.lookup import CreditLookupPage
from desktop_app.ui.notices.preview import NoticePreviewDialog

from .conftest import MessageBoxes
from .shell_support import rows, type_text
from .test_credit_lookup import (
    BANNED_NAME,
    CLEAR_NAME,
    RECORDS_NAME,
    make_subjects,
    open_page,
    result_names,
    search,
)


@pytest.fixture
def subjects(services: Services, leader: CurrentUser) -> dict[str, int]:
    return make_subjects(services, leader)


class Keys:
    """Key presses sent where the keyboard focus really is (as a person's keys are), counted."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.pressed: list[str] = []

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        target = QApplication.focusWidget()
        assert target is not None, f"no widget has the focus for key {key}"
        self.pressed.append(f"{modifier.name}+{key.name}" if modifier.value else key.name)
        self.qtbot.keyClick(target, key, modifier)

    def count(self) -> int:
        return len(self.pressed)


class PrintDialogs:
    """QPrintDialog.exec patched: the printer writes a PDF into tmp_path; accepting it is the one key
    (Enter on its default button) a clerk presses there, counted in ``keys``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, output: Path, keys: Keys | None = None) -> None:
        self.shown = 0

        def fake_exec(dialog: QPrintDialog) -> int:
            self.shown += 1
            if keys is not None:
                keys.pressed.append("Key_Return (print dialog)")
            printer = dialog.printer()
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(output))
            return int(QDialog.DialogCode.Accepted)

        monkeypatch.setattr(QPrintDialog, "exec", fake_exec)


class ReprintQuestions:
    """lookup.ask_reprint_or_new patched: the questions asked, and the answer given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[Any] = []
        self.answer = lookup.REPRINT

        def ask(parent: QWidget, earlier: Any) -> str:
            self.asked.append(earlier)
            return self.answer

        monkeypatch.setattr(lookup, "ask_reprint_or_new", ask)


@pytest.fixture
def reprint_questions(monkeypatch: pytest.MonkeyPatch) -> ReprintQuestions:
    return ReprintQuestions(monkeypatch)


@pytest.fixture(autouse=True)
def _close_previews(message_boxes: MessageBoxes) -> Any:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, NoticePreviewDialog):
            widget.reject()


def wait_preview(qtbot: Any, page: CreditLookupPage) -> NoticePreviewDialog:
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible())
    preview = page.preview
    assert isinstance(preview, NoticePreviewDialog)
    preview.activateWindow()
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() is not None and preview.isAncestorOf(QApplication.focusWidget())
    )
    return preview


def checks(services: Services) -> list[Any]:
    return rows(services, "SELECT subject_id, verdict, notice_number FROM credit_entry_checks ORDER BY id")


# -- the keys counted --------------------------------------------------------------------------------
def test_keys_from_an_empty_box_to_a_printed_certificate_and_back(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    subjects: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    zh_ui: None,
) -> None:
    """One result: the query, then Ctrl+P, Enter (print), Enter (the print dialog) — 3 keys, and the
    cursor is in the search box with the query selected, so the next name is typed over it."""
    page = open_page(qtbot, services, clerk)
    page.focus_search()
    keys = Keys(qtbot)
    printed = PrintDialogs(monkeypatch, tmp_path / "printed.pdf", keys)

    type_text(qtbot, page.query, "顺安")  # the query (not counted)
    qtbot.waitUntil(lambda: result_names(page) == [CLEAR_NAME])
    keys.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = wait_preview(qtbot, page)
    keys.press(Qt.Key.Key_Return)  # the preview's default button: print
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())

    assert printed.shown == 1 and (tmp_path / "printed.pdf").stat().st_size > 0
    assert keys.pressed == ["ControlModifier+Key_P", "Key_Return", "Key_Return (print dialog)"]
    assert keys.count() == 3
    recorded = checks(services)
    assert [(c.subject_id, c.verdict) for c in recorded] == [(subjects["clear"], Verdict.CLEAR.value)]
    assert preview.issued.number == recorded[0].notice_number
    outputs = rows(services, "SELECT object_id FROM audit_log WHERE action = 'print'")
    assert [o.object_id for o in outputs] == [recorded[0].notice_number]
    # Back in the box, the query selected: the next visitor's name replaces it with no other key.
    assert page.query.hasFocus() and page.query.selectedText() == "顺安"
    assert recorded[0].notice_number in page.check_status.text()
    type_text(qtbot, QApplication.focusWidget(), "华建")
    assert page.query.text() == "华建"
    qtbot.waitUntil(lambda: result_names(page) == [BANNED_NAME])
    assert not page.check_status.isVisible()  # the confirmation went with its subject


def test_several_results_take_one_more_key_down(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    subjects: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    zh_ui: None,
) -> None:
    """Several results: Down (the first result), Ctrl+P, Enter, Enter — 4 keys; or Esc to leave the
    preview without printing; either way back in the search box."""
    page = open_page(qtbot, services, clerk)
    page.focus_search()
    keys = Keys(qtbot)
    PrintDialogs(monkeypatch, tmp_path / "printed.pdf", keys)
    type_text(qtbot, page.query, "91440101MA5")
    qtbot.waitUntil(lambda: len(result_names(page)) == 3 and page.result.query == "91440101MA5")  # type: ignore[union-attr]
    assert page.selected_hit() is None  # three results: the clerk chooses
    keys.press(Qt.Key.Key_Down)
    assert page.view.hasFocus() and page.selected_hit() is not None
    chosen = page.selected_hit()
    keys.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    wait_preview(qtbot, page)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())
    assert keys.count() == 4
    assert [c.subject_id for c in checks(services)] == [chosen.subject_id]  # type: ignore[union-attr]
    assert page.query.hasFocus() and page.query.selectedText() == "91440101MA5"

    # Esc closes the preview unprinted: the check is recorded, the cursor back in the box.
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Down)
    second = page.selected_hit()
    assert second is not None and second.subject_id != chosen.subject_id  # type: ignore[union-attr]
    keys.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    wait_preview(qtbot, page)
    keys.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: page.preview is None and page.query.hasFocus()
    ) and page.query.selectedText() == "91440101MA5"
    assert [c.subject_id for c in checks(services)] == [chosen.subject_id, second.subject_id]  # type: ignore[union-attr]


# -- item 1: the confirmation line --------------------------------------------------------------------
def test_the_confirmation_line_belongs_to_its_subject(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "华建")
    page.print_current()
    number = checks(services)[0].notice_number
    assert page.check_status.isVisible() and number in page.check_status.text()
    assert "禁止入场" in page.check_status.text()
    # The check is in the subject's history, pointed at.
    current = page.detail.checks.currentItem()
    assert current is not None and current.text(4) == number
    page.preview.reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())

    # The next query: the banned company's confirmation is not left above another's verdict.
    type_text(qtbot, page.query, "顺安")
    qtbot.waitUntil(lambda: result_names(page) == [CLEAR_NAME])
    assert not page.check_status.isVisible() and page.check_status.text() == ""
    assert page.detail.banner.text() == "可入场"

    # Back to the banned company: its history still has the check.
    page.run_search_now("华建")
    assert page.detail.file is not None and page.detail.file.subject.id == subjects["banned"]
    assert page.detail.checks.topLevelItem(0).text(4) == number
    assert not page.check_status.isVisible()


def test_moving_to_another_result_hides_the_confirmation(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "91440101MA5")
    page.focus_results()
    page.print_current()
    page.preview.reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())
    assert page.check_status.isVisible()
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    assert page.selected_hit().subject_id != checks(services)[0].subject_id  # type: ignore[union-attr]
    assert not page.check_status.isVisible()


# -- item 2: one result ------------------------------------------------------------------------------
def test_ctrl_p_on_the_only_result_certifies_it_without_a_question(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    subjects: dict[str, int],
    message_boxes: MessageBoxes,
    zh_ui: None,
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "恒信")
    assert page.query.hasFocus()
    assert page.selected_hit() is not None and page.selected_hit().name == RECORDS_NAME  # type: ignore[union-attr]
    assert page.detail.banner.text() == "有不良记录"
    qtbot.keyClick(page.query, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert message_boxes.calls == []  # no "record as 未找到?"
    assert [(c.subject_id, c.verdict) for c in checks(services)] == [
        (subjects["records"], Verdict.RECORDS.value)
    ]


# -- item 6: a second Ctrl+P ---------------------------------------------------------------------------
def test_a_second_ctrl_p_for_the_same_subject_offers_the_reprint(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    subjects: dict[str, int],
    reprint_questions: ReprintQuestions,
    zh_ui: None,
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "华建")
    page.print_current()
    first = checks(services)
    assert len(first) == 1 and reprint_questions.asked == []
    page.preview.reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())

    # Ctrl+P again: asked; the answer "reprint" makes a 补打 of the same notice, no new number.
    qtbot.keyClick(page.query, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(reprint_questions.asked) == 1
    assert reprint_questions.asked[0].notice_number == first[0].notice_number
    assert checks(services) == first
    preview = page.preview
    assert isinstance(preview, NoticePreviewDialog)
    assert preview.issued.reprint and preview.issued.number == first[0].notice_number
    assert preview.reprint_mark.isVisible()
    reprints = rows(services, "SELECT number, reprints FROM notices")
    assert [(r.number, r.reprints) for r in reprints] == [(first[0].notice_number, 1)]
    assert rows(services, "SELECT object_id FROM audit_log WHERE action = 'notice.reprint'")
    assert "补打" in page.check_status.text()
    preview.reject()
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())

    # The answer "new": a new check and a new number.
    reprint_questions.answer = lookup.NEW_CERTIFICATE
    page.print_current()
    after = checks(services)
    assert len(after) == 2 and after[1].notice_number != after[0].notice_number
    page.preview.reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())

    # Cancel (Esc): nothing recorded, nothing printed.
    reprint_questions.answer = ""
    page.print_current()
    assert checks(services) == after and page.preview is None
    assert page.query.hasFocus()


def test_no_reprint_offered_for_another_subject_later_or_after_the_verdict_changed(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    subjects: dict[str, int],
    reprint_questions: ReprintQuestions,
    fixed_clock: Any,
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "华建")
    page.print_current()
    page.preview.reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())
    page.run_search_now("顺安")
    page.print_current()  # another subject: no question
    page.preview.reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.preview is None and page.query.hasFocus())
    assert reprint_questions.asked == []
    assert services.credit.repeat_of(clerk, "华建", subjects["banned"]) is not None
    fixed_clock.advance(timedelta(minutes=11))  # past the few minutes
    assert services.credit.repeat_of(clerk, "华建", subjects["banned"]) is None
    page.run_search_now("华建")
    page.print_current()
    assert reprint_questions.asked == [] and len(checks(services)) == 3


# -- item 7: the grade of a barred subject -------------------------------------------------------------
def test_a_barred_subjects_grade_says_it_is_forced_while_the_ban_lasts(
    qtbot: Any, services: Services, clerk: CurrentUser, subjects: dict[str, int], zh_ui: None
) -> None:
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "华建")
    hit = page.model.hit(0)
    assert hit.grade_forced and hit.grade == "E" and hit.score >= 80
    cell = page.model.index(0, 4)
    assert cell.data() == f"{hit.score} 分 / E（禁入期间）"
    assert "禁止入场期间" in cell.data(Qt.ItemDataRole.ToolTipRole)
    score = page.detail.values["score"].text()
    assert score.startswith(f"{hit.score} 分；禁止入场期间") and "E 级" in score and "仅供参考" in score
    # A subject that is not barred: the plain grade.
    page.run_search_now("恒信")
    assert not page.model.hit(0).grade_forced
    assert "禁止入场期间" not in page.detail.values["score"].text()
    assert "禁入期间" not in page.model.index(0, 4).data()


# -- item 8: the 待领导确认 tab ---------------------------------------------------------------------------
def test_the_pending_tab_counts_what_its_reader_answers_for_and_follows_confirmations(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    leader: CurrentUser,
    supervisor: CurrentUser,
    core: Any,
    zh_ui: None,
) -> None:
    from desktop_app.domain.roles import Role
    from desktop_app.ui.credit.files import CreditFilesPage
    from tests.builders import ban, company, serious

    colleague = core.make_user(services, admin, "super3", Role.SUPERVISOR)  # the same department
    elsewhere = core.make_user(services, admin, "super4", Role.SUPERVISOR, department="建设工程科")
    sid = company(services, leader)
    services.credit.add_record(supervisor, ban(sid))
    theirs = services.credit.add_record(colleague, serious(sid))
    services.credit.add_record(elsewhere, ban(sid, decision_number="天建罚〔2026〕4号"))

    own = CreditFilesPage(services, supervisor)
    qtbot.addWidget(own)
    own.show()
    qtbot.waitExposed(own)
    assert own.tabs.tabText(0) == "待领导确认 (2)" and own.pending.model.rowCount() == 2
    assert "评审科" in own.pending.scope.text() and own.pending.scope.isVisible()

    page = CreditFilesPage(services, leader)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.tabs.tabText(0) == "待领导确认 (3)"

    # Confirmed elsewhere (another workstation: nothing announced here), then the page is shown again.
    services.credit.confirm_record(leader, theirs.id, theirs.version)
    own.hide()
    own.show()
    qtbot.waitUntil(lambda: own.tabs.tabText(0) == "待领导确认 (1)")
    # The Refresh button, too.
    page.pending.refresh_button.click()
    assert page.tabs.tabText(0) == "待领导确认 (2)"


# -- item 4: how many match, and the rest as the clerk scrolls ---------------------------------------------
DIGITS = "零一二三四五六七八九"


def many_companies(services: Services, actor: CurrentUser, count: int) -> None:
    from tests.builders import company

    for n in range(count):
        name = "华康" + "".join(DIGITS[int(d)] for d in f"{n:03d}") + "建材有限公司"
        company(services, actor, name, 100 + n)


def test_the_count_says_how_many_match_and_scrolling_loads_the_rest(
    qtbot: Any, services: Services, clerk: CurrentUser, leader: CurrentUser, zh_ui: None
) -> None:
    many_companies(services, leader, 128)
    page = open_page(qtbot, services, clerk)
    search(qtbot, page, "华康")
    assert page.model.rowCount() == 50 and page.model.more
    # The count comes once the clerk pauses (never between keystrokes).
    qtbot.waitUntil(lambda: page.total is not None)
    assert page.total == 128
    assert page.count_label.text() == "共 128 条，已显示 50 条（向下滚动查看其余）"

    # Scrolling to the end loads the next ones, without repeating a row.
    for _ in range(5):
        page.view.scrollToBottom()
        qtbot.wait(10)
    qtbot.waitUntil(lambda: page.model.rowCount() == 128)
    ids = [hit.subject_id for hit in page.model.hits()]
    assert len(set(ids)) == 128 and not page.model.more
    assert page.count_label.text() == "共 128 条结果"
    # A new query starts from its first page again.
    page.run_search_now("华康零零")
    assert page.model.rowCount() == 10 and page.count_label.text() == "共 10 条结果"


def test_the_count_stops_at_its_cap(services: Services, clerk: CurrentUser, leader: CurrentUser) -> None:
    many_companies(services, leader, 60)
    assert services.credit.count_matches(clerk, "华康") == 60
    assert services.credit.count_matches(clerk, "华康", cap=40) == 41  # more than 40
    assert services.credit.count_matches(clerk, "华康零") == 60
    assert services.credit.count_matches(clerk, "  ") == 0
    first = services.credit.search(clerk, "华康")
    assert len(first.hits) == 50 and first.more
    assert not services.credit.search(clerk, "华康零零").more


def test_more_is_known_when_a_source_stops_at_the_limit(
    services: Services, clerk: CurrentUser, leader: CurrentUser
) -> None:
    """Initials and code prefixes come from their own index ranges, each cut at the limit: exactly
    a limit's worth found there is no proof that nothing more matches."""
    many_companies(services, leader, 60)
    result = services.credit.search(clerk, "91440101MA5C", limit=50)
    assert len(result.hits) == 50 and result.more
    assert not services.credit.search(clerk, "91440101MA5C", limit=60).more


# -- item 5: the window and the panes ---------------------------------------------------------------------
def test_the_main_window_opens_maximised_the_first_time_then_as_it_was_left(
    qtbot: Any, services: Services, clerk: CurrentUser, shell_context: Any
) -> None:
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(services, clerk, shell_context)
    qtbot.addWidget(window)
    assert window.first_time
    window.show_for_work()
    qtbot.waitUntil(window.isMaximized)
    window.showNormal()
    window.resize(720, 540)
    assert window.end_session("quit")
    again = MainWindow(services, clerk, shell_context)
    qtbot.addWidget(again)
    assert not again.first_time
    again.show_for_work()
    qtbot.waitExposed(again)
    assert not again.isMaximized() and again.size().toTuple() == (720, 540)
    again.end_session("quit", force=True)


def lines_of(text: str, font: Any, width: int) -> list[str]:
    """How Qt breaks ``text`` into lines ``width`` pixels wide (word joiners left out)."""
    from PySide6.QtGui import QTextLayout, QTextOption

    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()].replace("\u2060", ""))
    layout.endLayout()
    return lines


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)], ids=["1280x800", "1366x768"])
def test_the_records_table_wraps_within_the_pane_and_keeps_decision_numbers_whole(
    qtbot: Any,
    services: Services,
    clerk: CurrentUser,
    subjects: dict[str, int],
    size: tuple[int, int],
    zh_ui: None,
) -> None:
    page = open_page(qtbot, services, clerk)
    page.resize(size[0] - 190, size[1] - 110)  # the page's share of a maximised main window
    search(qtbot, page, "华建")
    qtbot.wait(20)
    records = page.detail.records
    # No horizontal scroll bar: the columns share the viewport's width.
    total = sum(records.columnWidth(c) for c in range(records.columnCount()))
    assert total <= records.viewport().width() + 1
    assert not records.horizontalScrollBar().isVisible()
    # Tall enough for five rows at least, and the wrapped row taller than one line.
    one_line = records.fontMetrics().height()
    assert records.height() >= records.header().height() + 5 * one_line
    first = records.topLevelItem(0)
    cell = first.text(3)
    width = records.columnWidth(3) - 10
    broken = lines_of(cell, records.font(), width)
    assert any("〔2026〕3号" in line for line in broken), broken
    assert records.visualItemRect(first).height() >= len(broken) * one_line
    # The name is whole in the results; the score column gave way, the kind too if need be.
    name_width = page.view.columnWidth(1)
    assert name_width >= page.view.fontMetrics().horizontalAdvance(BANNED_NAME)
    assert not page.view.horizontalScrollBar().isVisible()
