"""The audit administrator's page: lazy table, filters, and verifying the chain (intact, then tampered)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app import paths
from desktop_app.domain.roles import Role
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.audit.model import AuditLogModel
from desktop_app.ui.audit.page import AuditPage
from tests.builders import append_junk_audit_row

PASSWORD = "Passw0rd#x"


def type_text(qtbot: Any, widget: QWidget, value: str) -> None:
    if value.isascii():
        qtbot.keyClicks(widget, value)
        return
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(value)
    QApplication.sendEvent(widget, event)


def make_account(services: Services, admin: CurrentUser, username: str, *roles: Role) -> CurrentUser:
    services.users.create(
        admin,
        username=username,
        display_name=username,
        roles=set(roles),
        password=PASSWORD,
        must_change_password=False,
    )
    return services.auth.login(username, PASSWORD)


@pytest.fixture
def auditor(services: Services, admin: CurrentUser) -> CurrentUser:
    # Some history: departments, staff, accounts, a failed sign-in.
    dept = next(d.id for d in services.organisation.departments() if d.name == "评审科")
    services.organisation.save_department(admin, "综合服务窗口")
    services.organisation.save_staff(admin, employee_no="HT001", name="张三丰", department_id=dept)
    make_account(services, admin, "clerk", Role.HALL_STAFF)
    with pytest.raises(Exception):  # noqa: B017 - a wrong password is audited too
        services.auth.login("clerk", "Wrong#pass1")
    return make_account(services, admin, "auditor", Role.AUDIT_ADMIN)


def open_page(qtbot: Any, services: Services, actor: CurrentUser, page_size: int = 200) -> AuditPage:
    page = AuditPage(services, actor, page_size=page_size)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    qtbot.waitExposed(page)
    return page


def shown(page: AuditPage, column: int) -> list[str]:
    model = page.view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def all_entries(services: Services, actor: CurrentUser, flt: AuditFilter = AuditFilter()) -> list[Any]:  # noqa: B008
    return services.audit_log.page(actor, flt, 0, 10_000)


def test_lists_entries_newest_first(qtbot: Any, services: Services, auditor: CurrentUser) -> None:
    page = open_page(qtbot, services, auditor)
    expected = all_entries(services, auditor)
    assert len(expected) >= 8
    assert shown(page, 0) == [str(e.seq) for e in expected]
    assert shown(page, 2) == [e.person for e in expected]  # by name
    assert shown(page, 3) == ["" if e.username.startswith("<") else e.username for e in expected]
    assert shown(page, 5) == [e.action_label for e in expected]
    first = expected[0]
    assert shown(page, 1)[0] == first.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert shown(page, 4)[0] == first.workstation
    assert shown(page, 2)[-1] == "系统（初始化）"  # the first admin was made by the app itself
    # Compact summaries: the staff record, with its fields in words, not raw JSON.
    staff_row = shown(page, 5).index("新建人员")
    summary = shown(page, 7)[staff_row]
    assert "工号：HT001" in summary and "姓名：张三丰" in summary and "科室：评审科" in summary
    assert "{" not in summary and "department_id" not in summary
    assert shown(page, 6)[staff_row].startswith("人员 张三丰")
    assert page.model.total == len(expected)
    assert str(len(expected)) in page.count_label.text()


def test_loads_lazily_page_by_page(
    qtbot: Any, services: Services, admin: CurrentUser, auditor: CurrentUser
) -> None:
    for number in range(40):
        services.organisation.save_department(admin, f"临时科室{number:02d}")
    total = len(all_entries(services, auditor))
    page = open_page(qtbot, services, auditor, page_size=5)
    page.resize(900, 300)
    model = page.model
    bar = page.view.verticalScrollBar()
    # The view asks for pages until it is full, then waits for the user to scroll.
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    loaded = model.rowCount()
    assert 5 <= loaded < total and loaded % 5 == 0
    assert model.canFetchMore(QModelIndex())
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: model.rowCount() > loaded)
    # Entries written meanwhile shift the service's offsets; nothing is shown twice or lost.
    services.organisation.save_department(admin, "新科室")
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    seqs = [int(s) for s in shown(page, 0)]
    assert len(seqs) == len(set(seqs)) == total
    assert seqs == sorted(seqs, reverse=True)
    assert str(total) in page.count_label.text()
    # Searching again picks up what was written since.
    page.apply_filter()
    assert int(shown(page, 0)[0]) > seqs[0]
    assert page.model.total == total + 1


def test_filters(qtbot: Any, services: Services, auditor: CurrentUser) -> None:
    page = open_page(qtbot, services, auditor)
    everything = all_entries(services, auditor)

    qtbot.keyClicks(page.username, "clerk")
    qtbot.keyClick(page.username, Qt.Key.Key_Return)
    assert shown(page, 3) and set(shown(page, 3)) == {"clerk"}
    assert len(shown(page, 3)) == sum(1 for e in everything if e.username == "clerk")
    page.username.clear()
    type_text(qtbot, page.username, "系统管理员")  # a person's name finds their entries too
    qtbot.keyClick(page.username, Qt.Key.Key_Return)
    assert shown(page, 3) and set(shown(page, 3)) == {"sysadmin"}
    page.username.clear()

    page.action.setCurrentIndex(page.action.findData("login"))  # login and login.* together
    assert set(shown(page, 5)) >= {"登录", "登录失败"}
    assert len(shown(page, 0)) == sum(1 for e in everything if e.action.split(".")[0] == "login")
    page.action.setCurrentIndex(page.action.findData("staff.create"))
    assert shown(page, 5) == ["新建人员"]
    page.action.setCurrentIndex(0)

    type_text(qtbot, page.text, "张三丰")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert len(shown(page, 0)) == 1 and "张三丰" in shown(page, 7)[0]
    page.text.clear()

    # Dates: every entry was made today (local); tomorrow on has none, and an inverted range is refused.
    today = everything[-1].at.astimezone().date()
    page.since.setDate(QDate(today.year, today.month, today.day))
    assert len(shown(page, 0)) >= len(everything)
    later = today + timedelta(days=1)
    page.since.setDate(QDate(later.year, later.month, later.day))
    assert shown(page, 0) == []
    page.until.setDate(QDate(today.year, today.month, today.day))
    assert "start date" in page.form_error.text() or "起始日期" in page.form_error.text()
    assert page.form_error.isVisible()

    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert not page.form_error.isVisible()
    assert len(shown(page, 0)) == page.model.total >= len(everything)


def test_ctrl_f_target(qtbot: Any, services: Services, auditor: CurrentUser) -> None:
    page = open_page(qtbot, services, auditor)
    with qtbot.waitActive(page):
        page.activateWindow()
    page.view.setFocus()
    page.focus_search()
    assert page.text.hasFocus()
    for name in ("since", "until", "username", "action", "text"):
        widget = page.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName(), name


def test_verify_reports_intact_then_the_first_tampered_entry(
    qtbot: Any, sqlite_database: Any, isolated_home: paths.Locations
) -> None:
    services = Services(sqlite_database)
    services.auth.create_first_admin("sysadmin", "Admin#2026", "系统管理员")
    admin = services.auth.login("sysadmin", "Admin#2026")
    for name in ("一科", "二科", "三科"):
        services.organisation.save_department(admin, name)
    auditor = make_account(services, admin, "auditor", Role.AUDIT_ADMIN)
    page = open_page(qtbot, services, auditor)

    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    result = page.last_result
    assert result is not None and result.intact
    assert str(result.checked) in page.verify_result.text()
    assert page.model.bad_seq is None
    # The check is itself audited, and shown at once.
    assert shown(page, 5)[0] == "校验审计链"

    target = next(e.seq for e in all_entries(services, auditor) if e.action == "department.create")
    with sqlite3.connect(isolated_home.database) as conn:
        conn.execute("UPDATE audit_log SET summary = ? WHERE seq = ?", ('{"name": "伪造科"}', target))
    conn.close()

    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    result = page.last_result
    assert result is not None and not result.intact
    assert result.first_bad_seq == target
    assert f"第 {target} 条记录内容被改动" in page.verify_result.text()
    assert page.model.bad_seq == target
    selected = page.view.selectionModel().selectedRows()
    assert [index.data() for index in selected] == [str(target)]
    assert page.model.index(selected[0].row(), 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_rows_name_people_and_objects_and_speak_chinese(
    qtbot: Any, services: Services, admin: CurrentUser, auditor: CurrentUser
) -> None:
    """A credit check in the trail: the clerk by name (login beside it), the subject by name, the
    verdict and the object in words; the summary's tooltip a field a line."""
    from desktop_app.domain.credit import SubjectKind
    from desktop_app.services.credit import SubjectInput
    from tests.builders import company_code

    services.users.create(
        admin,
        username="lixj",
        display_name="李晓珺",
        roles={Role.HALL_STAFF, Role.SUPERVISOR},
        password=PASSWORD,
        must_change_password=False,
        department_id=services.organisation.departments()[0].id,
    )
    clerk = services.auth.login("lixj", PASSWORD)
    subject = services.credit.create_subject(
        clerk, SubjectInput(SubjectKind.BIDDER, "天河华建建筑工程有限公司", uscc=company_code(1))
    )
    services.credit.entry_check(clerk, "华建", subject.id)
    page = open_page(qtbot, services, auditor)
    row = shown(page, 5).index("登记核验")
    assert (shown(page, 2)[row], shown(page, 3)[row]) == ("李晓珺", "lixj")
    assert shown(page, 6)[row] == "信用主体 天河华建建筑工程有限公司"
    summary = shown(page, 7)[row]
    assert "查询结果：可入场" in summary and "verdict" not in summary and "clear" not in summary
    tip = page.model.index(row, 7).data(Qt.ItemDataRole.ToolTipRole)
    assert "查询内容：华建" in tip.splitlines() and "{" not in tip
    created = shown(page, 5).index("新建信用主体")
    assert "主体类型：投标人" in shown(page, 7)[created] and "bidder" not in shown(page, 7)[created]
    account = shown(page, 5).index("新建账户")
    assert "角色：大厅工作人员、科室负责人" in shown(page, 7)[account]
    assert shown(page, 6)[account] == "账户 李晓珺（lixj）"


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_audit_model_passes_the_model_tester(
    qtmodeltester: Any, services: Services, admin: CurrentUser, auditor: CurrentUser, force_py: bool
) -> None:
    model = AuditLogModel(services, auditor, page_size=3)
    model.reload()
    assert model.rowCount() == 3 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=force_py)
    # The tester keeps watching while pages arrive, rows are marked, and filters reset the model.
    model.fetchMore(QModelIndex())
    services.organisation.save_department(admin, "新科室")
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    model.mark_bad(int(model.index(2, 0).data()))
    model.set_filter(AuditFilter(username="nobody"))
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    model.set_filter(AuditFilter(action="login"))
    assert model.rowCount() > 0


def test_page_speaks_chinese(qtbot: Any, zh_ui: None, services: Services, auditor: CurrentUser) -> None:
    page = open_page(qtbot, services, auditor)
    model = page.view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["序号", "时间", "操作人", "登录名", "工作站", "操作", "对象", "摘要"]
    assert page.verify_button.text() == "校验审计链"
    assert page.since.specialValueText() == "不限"


def test_the_audit_admin_records_a_break_from_the_page(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, services: Services, admin: CurrentUser, auditor: CurrentUser
) -> None:
    """A junk row at the end of the chain (issue 10, item 2): verify names it, 记录断裂 records what the
    audit admin found, and the page then shows the chain intact with the break on record."""

    from PySide6.QtWidgets import QDialog

    from desktop_app.ui.audit.record_break import RecordBreakDialog
    from desktop_app.ui.widgets import modal

    page = open_page(qtbot, services, auditor)
    assert page.record_break_button.isVisible() and not page.record_break_button.isEnabled()
    junk = append_junk_audit_row(services.db)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert page.last_result is not None and not page.last_result.intact
    assert page.record_break_button.isEnabled()

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, RecordBreakDialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert f"{junk - 1}" in dialog.findChild(QWidget, "intro").text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nothing written yet
        assert dialog.isVisible() and "请写明发现了什么" in dialog.form_error.text() + _field_errors(dialog)
        dialog.found.setPlainText("末尾有一条无法核实的记录")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run_dialog", fill)
    qtbot.mouseClick(page.record_break_button, Qt.MouseButton.LeftButton)
    result = page.last_result
    assert result is not None and result.intact and [b.seq for b in result.breaks] == [junk + 1]
    assert "末尾有一条无法核实的记录" in page.verify_result.text() and "auditor" in page.verify_result.text()
    assert not page.record_break_button.isEnabled()
    assert "记录审计链断裂" in shown(page, 5)
    services.organisation.save_department(admin, "恢复后的科室")  # the hall resumes


def _field_errors(dialog: QWidget) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())
