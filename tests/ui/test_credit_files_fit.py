"""The 信用档案 lists (待领导确认, 最近变更) fit the hall's screens: at 1280×800 and 1366×768 their
eleven or twelve columns share the table's width with no horizontal scroll bar; long cells wrap, a
date or a decision number never breaks, and a column that gives way is still read in the row's
tooltip."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QTableView

from desktop_app import app as app_module
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.credit.files import CreditFilesPage
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shell import ShellContext
from tests.builders import ban, company, serious

pytestmark = [
    pytest.mark.usefixtures("message_boxes"),
    pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),  # layout, not storage
]

SIZES = [QSize(1280, 800), QSize(1366, 768)]
LONG_FACTS = (
    "在天河市第一人民医院门诊综合楼建设工程施工总承包招标中，与其他投标人相互约定投标报价，"
    "并由同一单位人员办理多家投标人的投标事宜，经调查属实。"
)


@pytest.fixture(params=["zh_CN", "en"])
def hall_look(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    font = qapp.font()
    app_module.install_font(qapp)
    app_module.apply_style(qapp)
    app_module.apply_language(qapp, request.param)
    yield str(request.param)
    app_module.apply_language(qapp, "en")
    qapp.setStyleSheet("")
    qapp.setFont(font)


def fill(services: Services, leader: CurrentUser, supervisor: CurrentUser) -> None:
    for n in range(1, 7):
        sid = company(services, leader, f"天河华建第{n}工程咨询管理有限责任公司", n)
        services.credit.add_record(
            supervisor,
            ban(
                sid,
                facts=LONG_FACTS,
                authority="天河市住房和城乡建设局建筑市场监督管理处",
                decision_number=f"天河市住建罚〔2026〕{200 + n}号",
            ),
        )
        services.credit.add_record(supervisor, serious(sid, decision_number=f"天发改〔2026〕{n}号"))


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def cell_fits_on_one_line(view: QTableView, row: int, column: int, text: str) -> bool:
    return view.fontMetrics().horizontalAdvance(text) + 8 <= view.columnWidth(column)


@pytest.mark.usefixtures("hall_look")
@pytest.mark.parametrize("size", SIZES, ids=["1280x800", "1366x768"])
def test_the_lists_fit_without_a_horizontal_scroll_bar(
    qtbot: Any,
    services: Services,
    leader: CurrentUser,
    supervisor: CurrentUser,
    shell_context: ShellContext,
    size: QSize,
) -> None:
    fill(services, leader, supervisor)
    window = MainWindow(services, leader, shell_context)
    window.remember_layout = False
    qtbot.addWidget(window)
    window.resize(size)
    window.show()
    qtbot.waitExposed(window)
    page = window.open_page("credit_files")
    assert isinstance(page, CreditFilesPage)
    for tab in (page.pending, page.recent):
        page.tabs.setCurrentWidget(tab)
        settle()
        view = tab.view
        assert tab.model.rowCount() == 12
        bar = view.horizontalScrollBar()
        assert not bar.isVisible() and bar.maximum() == 0, f"{view.objectName()} scrolls sideways"
        header = view.horizontalHeader()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        assert header.count() - len(shown) <= 3, "too many columns give way"
        assert sum(view.columnWidth(c) for c in shown) <= view.viewport().width()
        model = view.model()
        for column in shown:
            title = model.headerData(column, Qt.Orientation.Horizontal)
            for row in range(model.rowCount()):
                text = model.index(row, column).data()
                if title in ("Decision date", "决定日期", "Entered at", "录入时间"):
                    assert cell_fits_on_one_line(view, row, column, text), (title, text)
                if title in ("Decision no.", "决定文号"):
                    core = text[text.index("〔") :].replace("\u2060", "")
                    assert cell_fits_on_one_line(view, row, column, core), (title, text)
        # Long cells wrap: the row is as tall as its text needs, and a column that gave way is read in
        # the tooltip of every cell of the row.
        assert view.rowHeight(0) > view.fontMetrics().height() * 2
        hidden = [c for c in range(header.count()) if header.isSectionHidden(c)]
        tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) or ""
        for column in hidden:
            title = model.headerData(column, Qt.Orientation.Horizontal)
            assert f"{title}" in tip and model.index(0, column).data() in tip


@pytest.mark.usefixtures("zh_ui")
def test_an_empty_list_says_that_nothing_waits(
    qtbot: Any, services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    page = CreditFilesPage(services, supervisor)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.pending.model.rowCount() == 0
    assert page.pending.empty_note.isVisible() and page.pending.empty_note.text() == "没有待确认的记录。"
    services.credit.add_record(supervisor, ban(company(services, leader)))
    page.pending.refresh()
    assert page.pending.model.rowCount() == 1 and not page.pending.empty_note.isVisible()
