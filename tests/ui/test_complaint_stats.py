"""The complaint statistics view (the month's figures, the charts, the table report's preview) and the
list's export (save dialog, the choice of personal data in clear with a reason)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_app.domain.complaints import Category, Channel
from desktop_app.services.complaints import ComplaintFilter, ListOrder
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.common import ERROR_PROPERTY, field_message
from desktop_app.ui.complaints import stats as stats_ui
from desktop_app.ui.complaints.labels import category_label, channel_label
from desktop_app.ui.complaints.stats import ComplaintStatsView, ExportDialog, export_list
from desktop_app.ui.notices.preview import NoticePreviewDialog
from tests.builders import audit_entries
from tests.complaint_builders import People, people
from tests.services.test_complaint_stats import known_month


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    crew = people(services, admin)
    known_month(services, crew)
    return crew


def test_the_view_shows_the_months_figures_and_charts(qtbot, services: Services, crew: People) -> None:
    view = ComplaintStatsView(services, crew.supervisor)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    assert view.selected_month() == "2026-11"  # this month first
    assert view.stats is not None and view.stats.received == 5
    summary = view.summary.text()
    assert "5" in summary and "75.0%" in summary and "66.7%" in summary
    cells = [tuple(view.table.item(r, c).text() for c in range(4)) for r in range(view.table.rowCount())]
    assert any(row[1:] == (category_label(Category.ATTITUDE), "2", "40.0%") for row in cells)
    assert any(row[2:] == ("3", "75.0%") for row in cells)  # closed on time, on-time rate
    chart = view.category_chart
    assert chart.categories() == tuple(category_label(c) for c in Category)
    assert chart.series()[0].values == (2.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0)
    assert (
        dict(zip(chart.categories(), chart.series()[0].values, strict=True))[
            category_label(Category.ATTITUDE)
        ]
        == 2.0
    )
    channels = dict(zip(view.channel_chart.categories(), view.channel_chart.series()[0].values, strict=True))
    assert channels[channel_label(Channel.PHONE)] == 2.0 and channels[channel_label(Channel.HOTLINE)] == 0.0
    assert len(chart.bar_items()) == 1
    qtbot.wait(50)
    view.grab().save(str(Path("/tmp") / "complaint-stats-view.png"))

    view.set_month("2026-10")
    assert view.stats is not None and view.stats.received == 1
    assert (
        dict(zip(chart.categories(), chart.series()[0].values, strict=True))[
            category_label(Category.ATTITUDE)
        ]
        == 1.0
    )


def test_print_issues_the_table_report_and_opens_its_preview(
    qtbot, services: Services, crew: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = ComplaintStatsView(services, crew.leader)
    qtbot.addWidget(view)
    shown: list[NoticePreviewDialog] = []
    monkeypatch.setattr(stats_ui.modal, "run_and_delete", lambda dialog: shown.append(dialog) or False)
    view.print_button.click()
    assert len(shown) == 1 and shown[0].issued.number.startswith("TB2026-")
    assert shown[0].issued.pdf.startswith(b"%PDF")


def test_export_masked_for_a_clerk_without_asking(
    qtbot, services: Services, crew: People, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "list.xlsx"
    monkeypatch.setattr(stats_ui, "choose_path", lambda parent: target)
    asked: list[Path] = []
    monkeypatch.setattr(stats_ui, "ask_reveal", lambda parent, path: asked.append(path) or (True, "x"))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    count = export_list(services, crew.clerk, ComplaintFilter(), ListOrder())
    assert count == 6 and not asked  # a clerk may not unmask: no question, masked
    assert told and str(target) in told[0]
    sheet = openpyxl.load_workbook(target).active
    phones = [row[8] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert phones and all("*" in str(p) for p in phones)


def test_export_in_clear_needs_the_reason_in_the_dialog(
    qtbot, services: Services, crew: People, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = ExportDialog(tmp_path / "x.xlsx")
    qtbot.addWidget(dialog)
    assert not dialog.reason.isEnabled() and dialog.reveal_reason() is None
    dialog.clear.setChecked(True)
    assert dialog.reason.isEnabled()
    dialog.submit()
    assert dialog.result() == 0 and dialog.reason.property(ERROR_PROPERTY)  # refused at the field
    assert field_message(dialog, "reason")
    dialog.reason.setText("核对12345转办件联系方式")
    dialog.submit()
    assert dialog.result() == 1 and dialog.reveal_reason() == "核对12345转办件联系方式"

    target = tmp_path / "clear.xlsx"
    monkeypatch.setattr(stats_ui, "choose_path", lambda parent: target)
    monkeypatch.setattr(stats_ui, "ask_reveal", lambda parent, path: (True, "核对联系方式"))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    assert export_list(services, crew.leader, ComplaintFilter(), ListOrder()) == 6
    phones = [row[8] for row in openpyxl.load_workbook(target).active.iter_rows(min_row=4, values_only=True)]
    assert "13800000001" in phones
    assert audit_entries(services.db, "complaint.export.unmasked")[-1]["reason"] == "核对联系方式"
