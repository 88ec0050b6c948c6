"""The witness's flow of an on-site expert evaluation (issue 12 item 4–5, GUI): the session built in
its form (a refusal at its field with the form kept, experts found by number and pinyin initials and
pasted from the drawn list), the grid marked with the keyboard only, the draft kept as typed and
offered back after the window was closed, the sign-off naming the totals, the session locked, and
the expert's credit file showing the deductions — on screen and in the database. And the grid of 9
experts fitting the hall's screens. SQLite only: the storage is the services' tests' concern."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_app import app as app_module
from desktop_app.domain.credit import RecordKind
from desktop_app.domain.evaluations import SessionState
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.credit.lookup_detail import SubjectDetailPane
from desktop_app.ui.evaluations import session_form
from desktop_app.ui.evaluations.grid import SessionGridWindow, open_session_window
from desktop_app.ui.evaluations.grid_model import FIRST_EXPERT_COLUMN
from desktop_app.ui.evaluations.session_form import SessionDialog, new_session_dialog
from desktop_app.ui.widgets import modal
from tests.complaint_builders import staff_account
from tests.evaluation_builders import experts, numbered_expert, session_input

from .conftest import MessageBoxes
from .layout_support import layout_problems, window_problems
from .shell_support import field_error, rows, type_text
from .test_credit_desk import Keys
from .test_layout_fits import settle

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the screen, not the storage
DAY = date(2026, 11, 18)


@pytest.fixture
def hall_zh(qapp: QApplication) -> Any:
    """The hall's look (test_layout_fits.hall_look) in its language only: the bundled font, the style."""
    font = qapp.font()
    app_module.install_font(qapp)
    app_module.apply_style(qapp)
    app_module.apply_language(qapp, "zh_CN")
    yield
    app_module.apply_language(qapp, "en")
    qapp.setStyleSheet("")
    qapp.setFont(font)


@pytest.fixture(autouse=True)
def _close_windows(message_boxes: MessageBoxes) -> Any:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SessionGridWindow | SessionDialog) and widget.isVisible():
            widget.close()


@pytest.fixture
def leader(services: Services, admin: CurrentUser) -> CurrentUser:
    return staff_account(services, admin, "evlead", "尹百川", "办公室", Role.LEADER)


@pytest.fixture
def witness(services: Services, admin: CurrentUser, leader: CurrentUser) -> CurrentUser:
    return staff_account(services, admin, "evwit", "肖晓雨", "办公室", Role.HALL_STAFF)


def activate(qtbot: Any, window: QWidget) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def cell(window: SessionGridWindow, code: str, subject_id: int) -> str:
    index = window.model.cell_index(subject_id, code)
    return str(window.model.data(index))


def test_the_witness_builds_a_session_marks_it_with_the_keyboard_and_signs_off(
    qtbot: Any,
    services: Services,
    leader: CurrentUser,
    witness: CurrentUser,
    message_boxes: MessageBoxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zhang = numbered_expert(services, leader, 1)  # 张三 Z1001
    li = numbered_expert(services, leader, 2)  # 李四 Z1002
    wang = numbered_expert(services, leader, 3)  # 王五 Z1003
    keys = Keys(qtbot)
    seen: dict[str, Any] = {}

    # -- the session's form -----------------------------------------------------------------------
    def fill_form(dialog: QDialog) -> bool:
        assert isinstance(dialog, SessionDialog)  # (deleted once closed)
        activate(qtbot, dialog)
        assert dialog.focusWidget() is dialog.project_code
        assert dialog.witness.staff_id() == witness.staff_id  # the witness is the one signed in
        type_text(qtbot, dialog.project_code, "GC2026-017")
        keys.press(Qt.Key.Key_Tab)
        type_text(qtbot, dialog.project_name, "天河大道改造工程施工")
        keys.press(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # &Room
        type_text(qtbot, dialog.room, "第3评标室")
        keys.press(Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)  # Find e&xpert
        assert dialog.focusWidget() is dialog.expert_search
        type_text(qtbot, dialog.expert_search, "Z1001")  # by expert number
        dialog.search_now()  # (the pause after typing, skipped)
        keys.press(Qt.Key.Key_Down)  # the one found, in the list dropped down
        keys.press(Qt.Key.Key_Return)
        type_text(qtbot, dialog.expert_search, "ls")  # 李四 by pinyin initials
        dialog.search_now()
        keys.press(Qt.Key.Key_Down)
        keys.press(Qt.Key.Key_Return)
        assert dialog.experts.subject_ids() == (zhang, li)
        monkeypatch.setattr(
            session_form, "ask_drawn_text", lambda _parent: "Z1003\t王五\nZ1002 李四\nZ9999,无名"
        )
        dialog.paste_button.click()  # the drawn list: 王五 added, 李四 already there, Z9999 names nobody
        assert dialog.experts.subject_ids() == (zhang, li, wang)
        assert "Z9999" in field_error(dialog, "experts")
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # no category yet: refused
        assert dialog.isVisible()
        assert field_error(dialog, "category") == "请选择交易类别。"
        assert dialog.project_name.text() == "天河大道改造工程施工"  # the form stays filled
        assert dialog.experts.subject_ids() == (zhang, li, wang)
        keys.press(Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # &Trade category
        keys.press(Qt.Key.Key_Down)
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen["form_keys"] = keys.count()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run_dialog", fill_form)
    session_id = new_session_dialog(services, witness)
    assert session_id is not None
    info = services.evaluations.session(session_id)
    assert (info.project_code, info.room, info.state) == ("GC2026-017", "第3评标室", SessionState.DRAFT)
    assert [e.subject_id for e in info.experts] == [zhang, li, wang]

    # -- the grid, keyboard only --------------------------------------------------------------------
    window = open_session_window(services, witness, session_id)  # (deleted once closed)
    assert window is not None
    activate(qtbot, window)
    window.table.setFocus()
    assert window.table.currentIndex() == window.model.index(0, FIRST_EXPERT_COLUMN)  # E01 × 张三
    keys.press(Qt.Key.Key_Space)  # E01 late: the default 2 points
    for _ in range(3):
        keys.press(Qt.Key.Key_Down)  # E04 phone not handed in (3–8)
    keys.press(Qt.Key.Key_6)
    keys.press(Qt.Key.Key_9)  # out of the range: refused, 6 stays
    assert "E04" in window.status.text()
    keys.press(Qt.Key.Key_Return)  # its remark
    assert QApplication.focusWidget() is window.remark
    type_text(qtbot, window.remark, "手机未交存")
    keys.press(Qt.Key.Key_Return)  # back to the grid
    assert QApplication.focusWidget() is window.table
    keys.press(Qt.Key.Key_Right)  # 李四
    keys.press(Qt.Key.Key_Down)  # E05
    keys.press(Qt.Key.Key_Space)
    keys.press(Qt.Key.Key_Space)  # unmarked again
    keys.press(Qt.Key.Key_Down)  # E06 left the room (5–15): two digits
    keys.press(Qt.Key.Key_1)
    keys.press(Qt.Key.Key_2)
    assert (cell(window, "E01", zhang), cell(window, "E04", zhang), cell(window, "E06", li)) == (
        "2",
        "6 ✎",
        "12",
    )
    assert cell(window, "E05", li) == ""
    totals = window.model.total_row
    assert [window.model.data(window.model.index(totals, FIRST_EXPERT_COLUMN + i)) for i in range(3)] == [
        "8",
        "12",
        "0",
    ]
    qtbot.waitUntil(lambda: window.draft_saved_at is not None, timeout=3000)  # kept as typed (0.8 s)
    drafts = rows(services, "SELECT session_id FROM evaluation_drafts")
    assert [d.session_id for d in drafts] == [session_id]

    # -- closed, and the draft comes back ----------------------------------------------------------
    keys.press(Qt.Key.Key_Down)  # E07, then a last key closed at once: kept at closing
    keys.press(Qt.Key.Key_Space)
    window.close()
    message_boxes.calls.clear()
    window = open_session_window(services, witness, session_id)  # (deleted once closed)
    assert window is not None
    assert [kind for kind, _ in message_boxes.calls] == ["question"]  # the draft offered back: Yes
    assert (cell(window, "E04", zhang), cell(window, "E06", li), cell(window, "E07", li)) == (
        "6 ✎",
        "12",
        "5",
    )
    activate(qtbot, window)
    window.table.setFocus()

    # -- the sign-off --------------------------------------------------------------------------------
    message_boxes.calls.clear()
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    question, result = message_boxes.calls
    assert question[0] == "question" and "张三（Z1001）: 8 points (2 marks)" in question[1]
    assert "李四（Z1002）: 17 points (2 marks)" in question[1] and "王五（Z1003）: 0 points" in question[1]
    assert result[0] == "information" and "4 deductions" in result[1]
    assert "李四: Suspend from the pool (17 points in 2026)" in result[1]  # for a leader
    assert window.read_only and "revision 1" in window.state_label.text()
    keys.press(Qt.Key.Key_Space)  # locked: nothing changes
    assert cell(window, "E01", zhang) == "2"
    assert keys.count() - seen["form_keys"] == 19  # the grid: one key a step, the sign-off included

    # Ctrl+P: the form for the signatures, issued and previewed.
    previews: list[str] = []

    def preview(dialog: QDialog) -> bool:
        previews.append(type(dialog).__name__)
        return False

    monkeypatch.setattr(modal, "run_dialog", preview)
    keys.press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert previews == ["NoticePreviewDialog"]
    issued = rows(services, "SELECT doc_type, number FROM notices")
    assert [r.doc_type for r in issued] == ["evaluation_form"]
    # The result notice of the expert in the current column (张三: deductions), from the button.
    window.table.setCurrentIndex(window.model.cell_index(zhang, "E01"))
    window.notice_button.click()
    assert previews == ["NoticePreviewDialog", "NoticePreviewDialog"]
    issued = rows(services, "SELECT doc_type FROM notices ORDER BY id")
    assert [r.doc_type for r in issued] == ["evaluation_form", "evaluation_notice"]

    # -- the database and the expert's credit file -----------------------------------------------------
    marks = rows(services, "SELECT subject_id, item_code, points, remark FROM evaluation_marks ORDER BY id")
    assert {(m.subject_id, m.item_code, m.points, m.remark) for m in marks} == {
        (zhang, "E01", 2, ""),
        (zhang, "E04", 6, "手机未交存"),
        (li, "E06", 12, ""),
        (li, "E07", 5, ""),
    }
    assert rows(services, "SELECT * FROM evaluation_drafts") == []
    pane = SubjectDetailPane(can_unmask=False, can_propose=False)
    qtbot.addWidget(pane)
    pane.show_file(services.credit.subject_file(witness, zhang))
    shown = [pane.records.topLevelItem(i) for i in range(pane.records.topLevelItemCount())]
    deductions = [item for item in shown if info.number in item.text(3)]
    assert len(deductions) == 2
    assert any("E04" in item.text(4) and "手机未交存" in item.text(4) for item in deductions)
    tips = {line for item in deductions for line in item.toolTip(0).splitlines()}
    assert {"Points: −6", "Points: −2"} <= tips  # (a minus sign)
    records = rows(
        services,
        "SELECT points FROM credit_records WHERE subject_id = :s AND kind = :k",
        s=zhang,
        k=RecordKind.EXPERT_DEDUCTION.value,
    )
    assert sorted(r.points for r in records) == [2, 6]


@pytest.mark.parametrize("size", [QSize(1280, 800), QSize(1366, 768)], ids=["1280x800", "1366x768"])
def test_the_grid_of_nine_experts_fits_the_hall_screens(
    qtbot: Any,
    services: Services,
    leader: CurrentUser,
    hall_zh: None,
    size: QSize,
    tmp_path: Path,
) -> None:
    nine = experts(services, leader, 9)
    info = services.evaluations.create_session(leader, session_input(DAY, nine))
    window = open_session_window(services, leader, info.id)  # (deleted once closed)
    assert window is not None
    window.resize(size.width() - 16, size.height() - 70)  # inside its frame, over the taskbar
    window.model.state.points[(nine[0], "E04")] = 5
    window.model.state.remarks[(nine[0], "E04")] = "手机未交存"
    window.model.state.expert_remarks[nine[1]] = "评审认真"
    settle(window)
    window.grab().save(str(tmp_path / f"grid-{size.width()}.png"))
    problems = window_problems(window, size) + layout_problems(window)
    assert problems == [], "\n".join(map(str, problems))
    dialog = SessionDialog(services, leader, info)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.project_name.clear()
    dialog.category.setCurrentIndex(-1)
    dialog.submit()  # refused at two fields, each message under its field: the form at its tallest
    assert dialog.isVisible() and field_error(dialog, "category")
    settle(dialog)
    dialog.grab().save(str(tmp_path / f"session-{size.width()}.png"))
    problems = window_problems(dialog, size) + layout_problems(dialog)
    assert problems == [], "\n".join(map(str, problems))
