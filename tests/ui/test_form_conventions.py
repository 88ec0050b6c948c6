"""The form conventions every module copies, on the credit and admin forms: every refusal shown at
once under its field and cleared as that field is edited; required fields marked (and only they);
a new subject's kind; document number examples in the center's own prefix; spin box arrows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyle,
    QStyleOptionSpinBox,
    QWidget,
)

from desktop_app import clock
from desktop_app.app import style_sheet
from desktop_app.domain.credit import RecordKind, SubjectKind
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.admin.staff import StaffDialog
from desktop_app.ui.admin.users import UserDialog
from desktop_app.ui.common import field_message
from desktop_app.ui.credit.editing import RecordDialog, RepairDecisionDialog, SubjectDialog
from desktop_app.ui.widgets.forms import REQUIRED_PROPERTY, FormDialog
from tests.builders import uscc
from tests.ui.shell_support import error_line, field_error
from tests.ui.test_credit_editing import GOOD_USCC, company, record


def shown(qtbot: Any, dialog: QWidget) -> Any:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def marked(dialog: QWidget) -> set[str]:
    """The fields marked as refused, each with its message under it."""
    names = set()
    for widget in dialog.findChildren(QWidget):
        if field_error(dialog, widget.objectName()) if widget.objectName() else False:
            assert field_message(dialog, widget.objectName()) == widget.toolTip()
            names.add(widget.objectName())
    return names


def required(dialog: FormDialog) -> set[str]:
    """The visible fields whose label carries the red *."""
    names = set()
    for row in range(dialog.form.rowCount()):
        label = dialog.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = dialog.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is None or field is None or field.widget() is None:
            continue
        text = label.widget()
        assert isinstance(text, QLabel)
        if text.isVisible() and text.property(REQUIRED_PROPERTY):
            assert text.text().startswith('<span style="color:#c62828;">*</span>')
            names.add(field.widget().objectName())
        else:
            assert "*" not in text.text()
    return names


def legend_once(dialog: QWidget) -> bool:
    notes = [n for n in dialog.findChildren(QLabel, "required_note") if n.isVisible()]
    return len(notes) == 1 and "*" in notes[0].text()


# -- every refusal at once, each cleared as it is fixed ------------------------------------------
def test_a_subject_shows_every_fault_at_once_and_each_goes_as_it_is_fixed(
    qtbot: Any, services: Services, supervisor: CurrentUser
) -> None:
    dialog = shown(qtbot, SubjectDialog(services, supervisor, None))
    dialog.uscc.setText("123")
    dialog.phone.setText("12")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert marked(dialog) == {"kind", "name", "uscc", "phone"}
    assert field_message(dialog, "kind") == "请选择主体类型。"
    assert field_message(dialog, "name") == "请填写名称。"
    assert "18 位" in field_message(dialog, "uscc") and "电话号码" in field_message(dialog, "phone")
    assert dialog.focusWidget() is dialog.kind  # the first field at fault
    assert dialog.findChild(QLabel, "form_error").isHidden()  # every message is at its field

    dialog.name.setText("天河华建建筑工程有限公司")  # fixing one field clears its mark only
    assert marked(dialog) == {"kind", "uscc", "phone"} and field_message(dialog, "name") == ""
    dialog.kind.setCurrentIndex(dialog.kind.findData(SubjectKind.BIDDER))
    dialog.uscc.setText(GOOD_USCC)
    assert marked(dialog) == {"phone"}
    dialog.phone.clear()
    assert marked(dialog) == set() and error_line(dialog) == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), error_line(dialog)


def test_a_record_shows_every_fault_at_once_and_each_goes_as_it_is_fixed(
    qtbot: Any, services: Services, supervisor: CurrentUser
) -> None:
    subject_id = company(services, supervisor)
    dialog = shown(qtbot, RecordDialog(services, supervisor, subject_id))
    dialog.kind.setCurrentIndex(dialog.kind.findData(RecordKind.BAN))
    dialog.ban_end.set_value(dialog.ban_start.value() - timedelta(days=1))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert marked(dialog) == {"facts", "authority", "decision_number", "ban_end"}
    assert field_message(dialog, "ban_end") == "禁入截止日期不能早于开始日期。"
    assert dialog.height() <= 800  # still fits the hall's smallest screens
    dialog.facts.setPlainText("投标文件弄虚作假")
    dialog.authority.setText("市公共资源交易监督管理局")
    assert marked(dialog) == {"decision_number", "ban_end"}
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # refused again: what is left
    assert marked(dialog) == {"decision_number", "ban_end"}
    assert services.credit.subject_file(supervisor, subject_id).records == ()


def test_an_admin_form_shows_every_fault_at_once_and_each_goes_as_it_is_fixed(
    qtbot: Any, services: Services, admin: CurrentUser
) -> None:
    dialog = shown(qtbot, StaffDialog(services, admin, None))
    dialog.phone.setText("123")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert marked(dialog) == {"employee_no", "name", "department", "phone"}
    assert field_message(dialog, "department") == "请选择所属科室。"
    dialog.department.setCurrentIndex(1)
    dialog.employee_no.setText("A001")
    assert marked(dialog) == {"name", "phone"}


# -- required marks ---------------------------------------------------------------------------------
def test_required_marks_sit_exactly_on_the_fields_the_service_requires(
    qtbot: Any, services: Services, supervisor: CurrentUser, admin: CurrentUser
) -> None:
    subject = shown(qtbot, SubjectDialog(services, supervisor, None))
    assert required(subject) == {"kind", "name"} and legend_once(subject)  # a code or an ID: either
    subject.kind.setCurrentIndex(subject.kind.findData(SubjectKind.BIDDER))
    assert required(subject) == {"kind", "name", "uscc"}
    qtbot.mouseClick(subject.save_button, Qt.MouseButton.LeftButton)  # nothing typed: refused there
    assert marked(subject) == required(subject) - {"kind"}
    subject.kind.setCurrentIndex(subject.kind.findData(SubjectKind.EXPERT))
    assert required(subject) == {"kind", "name", "id_number"}

    record = shown(qtbot, RecordDialog(services, supervisor, company(services, supervisor)))
    assert required(record) == {"kind", "severity", "decision_date", "facts", "publicity_end"}
    record.kind.setCurrentIndex(record.kind.findData(RecordKind.BAN))
    assert required(record) == {
        "kind",
        "severity",
        "decision_date",
        "facts",
        "authority",
        "decision_number",
        "ban_start",
        "ban_end",
    }
    assert legend_once(record)

    staff = shown(qtbot, StaffDialog(services, admin, None))
    assert required(staff) == {"employee_no", "name", "department"}
    qtbot.mouseClick(staff.save_button, Qt.MouseButton.LeftButton)
    assert marked(staff) == required(staff)

    account = shown(qtbot, UserDialog(services, admin, None))
    assert required(account) == {"username", "display_name", "roles"}
    account.role_boxes[Role.SUPERVISOR].setChecked(True)
    assert required(account) == {"username", "display_name", "roles", "department"}
    qtbot.mouseClick(account.save_button, Qt.MouseButton.LeftButton)
    assert marked(account) == {"username", "display_name", "department"}


# -- a new subject's kind -----------------------------------------------------------------------------
def test_a_new_subject_starts_with_no_kind_then_with_the_last_one_used(
    qtbot: Any, services: Services, supervisor: CurrentUser
) -> None:
    first = shown(qtbot, SubjectDialog(services, supervisor, None))
    assert first.kind.currentIndex() == -1 and first.kind.currentText() == ""
    assert first.uscc.isVisible() and first.id_number.isVisible()  # either, until the kind is chosen
    first.kind.setCurrentIndex(first.kind.findData(SubjectKind.SUPPLIER))
    first.name.setText("广州穗安工程咨询有限公司")
    first.uscc.setText(uscc("91440101MA5CYYYY1"))
    qtbot.mouseClick(first.save_button, Qt.MouseButton.LeftButton)
    assert not first.isVisible(), error_line(first)

    second = shown(qtbot, SubjectDialog(services, supervisor, None))
    assert second.kind.currentData() == SubjectKind.SUPPLIER
    cancelled = shown(qtbot, SubjectDialog(services, supervisor, None))
    cancelled.kind.setCurrentIndex(cancelled.kind.findData(SubjectKind.EXPERT))
    cancelled.reject()  # only a saved subject's kind is remembered
    assert shown(qtbot, SubjectDialog(services, supervisor, None)).kind.currentData() == SubjectKind.SUPPLIER
    edited = shown(qtbot, SubjectDialog(services, supervisor, company(services, supervisor)))
    assert edited.kind.currentData() == SubjectKind.BIDDER  # an edit shows the stored kind


# -- document numbers -------------------------------------------------------------------------------
def test_document_number_examples_use_the_centers_prefix(
    qtbot: Any, services: Services, supervisor: CurrentUser, admin: CurrentUser
) -> None:
    loaded = services.center.get()
    services.center.update(admin, {"doc_number_prefix": "天公资交"}, loaded.versions)
    subject_id = company(services, supervisor)
    record_id = record(services, supervisor, subject_id)
    repair = services.credit.request_repair(supervisor, record_id, clock.today(), "华建", "整改报告")
    expected = f"天公资交〔{clock.today().year}〕12号"
    forms = [
        shown(qtbot, RecordDialog(services, supervisor, subject_id)),
        shown(qtbot, RepairDecisionDialog(services, supervisor, repair.id)),
    ]
    for form in forms:
        examples = [e.placeholderText() for e in form.findChildren(QLineEdit) if "〔" in e.placeholderText()]
        assert examples and all(expected in text for text in examples), examples


# -- spin boxes -------------------------------------------------------------------------------------
def test_spin_boxes_draw_their_arrows_under_the_style_sheet(qtbot: Any, qapp: QApplication) -> None:
    if qapp.style().name().lower() != "fusion":
        pytest.skip("the style sheet is written for Fusion")
    qapp.setStyleSheet(style_sheet())
    try:
        box = QSpinBox()
        qtbot.addWidget(box)
        box.setRange(0, 100)
        box.setValue(50)  # both arrows enabled
        box.resize(160, 30)
        box.show()
        qtbot.waitExposed(box)
        image = box.grab().toImage()
        option = QStyleOptionSpinBox()
        box.initStyleOption(option)
        for part in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
            area = box.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, part, box)
            assert area.width() > 8 and area.height() > 4
            # An arrow is a solid shape inside the button; a blank button has at most its frame lines
            # at the edges, which the inner rectangle leaves out.
            inner = area.adjusted(2, 2, -2, -2)
            dark = [
                (x, y)
                for x in range(inner.left(), inner.right() + 1)
                for y in range(inner.top(), inner.bottom() + 1)
                if QColor(image.pixel(x, y)).lightness() < 120
            ]
            drawn = len(dark) if len({y for _x, y in dark}) >= 3 else 0
            assert drawn >= 8, f"no arrow in {part}: {drawn} dark pixels"
    finally:
        qapp.setStyleSheet("")
