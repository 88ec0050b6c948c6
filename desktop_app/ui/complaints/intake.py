"""投诉登记: the intake form, its draft, the question about duplicates, and the receipt preview.

Keyboard only. The form opens with the cursor in the complainant's name: the channel (the one last
saved on this workstation, phone the first time), the time received (now) and the first owner (the
user) are filled in. Every label has its Alt key; Tab follows the form top to bottom, left column
then right; Tab leaves the multi-line fields (Enter there is a new line); Ctrl+Enter or Alt+S saves
from anywhere, Esc closes (keeping a draft).

What is typed is kept as a draft in the database (sealed: it holds personal data) two seconds after
the last edit, when the form is closed unsaved and when the screen locks; the next time the form
opens, the draft is offered back. Saving the case discards it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.complaints import (
    Category,
    Channel,
    IdType,
    RespondentKind,
    Statutory,
    TimeLimit,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.services.complaints import ComplaintInfo, ComplaintInput, EvidenceInput, IntakeResult
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.common import ERROR_PROPERTY, clear_field_errors, show_field_error
from desktop_app.ui.complaints.intake_parts import (
    EvidenceList,
    StaffCombo,
    SubjectPicker,
    ask_about_duplicates,
)
from desktop_app.ui.complaints.labels import (
    category_label,
    channel_label,
    id_type_label,
    respondent_kind_label,
    statutory_label,
    time_limit_label,
)
from desktop_app.ui.dates import FORM_DATETIME_FORMAT, text_deadline, text_time
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data, set_required

DRAFT_FORM = "complaint_intake"
DRAFT_DELAY_MS = 2000
LAST_CHANNEL_KEY = "complaints/last_channel"
MAX_DAYS = 60
# The order a clerk meets them: the commonest first.
RESPONDENT_KINDS = (
    RespondentKind.WINDOW,
    RespondentKind.STAFF,
    RespondentKind.DEPARTMENT,
    RespondentKind.SUBJECT,
    RespondentKind.NONE,
)


def _ui_state() -> QSettings:
    from desktop_app.ui.notices.preview import ui_state

    return ui_state()


def clock_label(what: str) -> str:
    """The statutory clocks' names (the service gives the paper's Chinese) on screen."""
    names = {
        "受理决定": QCoreApplication.translate("ComplaintIntake", "Acceptance decision"),
        "作出处理决定": QCoreApplication.translate("ComplaintIntake", "Handling decision"),
    }
    return names.get(what, what)


class ComplaintIntakeDialog(FormDialog):
    """The intake form. ``result_value`` is the ``IntakeResult`` once saved."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New complaint"), parent)
        self.setObjectName("complaint_intake")
        self.services = services
        self.actor = actor
        self._filling = False
        self.draft_saved_at: datetime | None = None
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self.content = QFormLayout()  # the right column (the left one is the dialog's own form)

        self._build_left()
        self._build_right()
        self._arrange_columns()
        self._fill_choices()
        self._wire()
        # A label's Alt key focuses its buddy only if that takes focus: a row of several fields
        # names its first one.
        for layout, row, first in (
            (self.form, self.id_row, self.id_type),
            (self.form, self.respondent, self.respondent_kind),
            (self.content, self.limit_row, self.time_limit),
            (self.content, self.evidence, self.evidence.files),
        ):
            label = layout.labelForField(row)
            if isinstance(label, QLabel):
                label.setBuddy(first)
        self.save_button.setText(self.tr("&Save"))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.submit)
        self.set_hint(
            self.tr("Ctrl+Enter saves and shows the receipt to print. Esc closes; what you typed is kept.")
        )
        self._anonymous_changed()
        self._respondent_kind_changed()
        self._statutory_changed()
        self._time_limit_changed()
        self.setMinimumWidth(980)
        self.complainant_name.setFocus()

    # -- building ------------------------------------------------------------------------------
    def _build_left(self) -> None:
        self.channel = self.add_field(self.tr("C&hannel:"), QComboBox(self), "channel", required=True)
        self.received_at = self.add_field(
            self.tr("Received a&t:"), QDateTimeEdit(self), "received_at", required=True
        )
        self.received_at.setDisplayFormat(FORM_DATETIME_FORMAT)
        self.received_at.setCalendarPopup(True)
        self.receiver = self.add_field(self.tr("First &owner:"), StaffCombo(self), "receiver")
        self.receiver.setToolTip(
            self.tr("首问负责人: who took the complaint and owns it until it is handed on")
        )
        self.anonymous = self.add_field(
            self.tr("Anon&ymous:"), QCheckBox(self.tr("The complainant gives no name"), self), "anonymous"
        )
        self.complainant_name = self.add_field(self.tr("&Name:"), QLineEdit(self), "complainant_name")
        self.complainant_name.setMaxLength(50)
        self.phone = self.add_field(self.tr("&Phone:"), QLineEdit(self), "phone")
        self.phone.setMaxLength(30)
        self.phone.setPlaceholderText(self.tr("Mobile or landline, for the answer"))
        self.complainant_unit = self.add_field(self.tr("&Unit:"), QLineEdit(self), "complainant_unit")
        self.complainant_unit.setMaxLength(100)
        self.id_row = QWidget(self)
        id_layout = QHBoxLayout(self.id_row)
        id_layout.setContentsMargins(0, 0, 0, 0)
        self.id_type = QComboBox(self.id_row)
        self.id_type.setObjectName("id_type")
        self.id_type.setAccessibleName(self.tr("ID document type"))
        self.id_number = QLineEdit(self.id_row)
        self.id_number.setObjectName("id_number")
        self.id_number.setAccessibleName(self.tr("ID number"))
        self.id_number.setMaxLength(30)
        self.id_number.setPlaceholderText(self.tr("Optional"))
        id_layout.addWidget(self.id_type)
        id_layout.addWidget(self.id_number, 1)
        self.id_row.setFocusProxy(self.id_type)
        self.form.addRow(self.tr("&ID document:"), self.id_row)
        self.address = self.add_field(self.tr("A&ddress:"), QLineEdit(self), "address")
        self.address.setMaxLength(120)

        # The respondent: its kind, then the picker for that kind (one shown at a time).
        self.respondent = QWidget(self)
        self.respondent.setObjectName("respondent")
        self.respondent.setAccessibleName(self.tr("Respondent"))
        row = QHBoxLayout(self.respondent)
        row.setContentsMargins(0, 0, 0, 0)
        self.respondent_kind = QComboBox(self.respondent)
        self.respondent_kind.setObjectName("respondent_kind")
        self.respondent_kind.setAccessibleName(self.tr("Respondent kind"))
        self.pickers = QStackedWidget(self.respondent)
        self.respondent_text = QLineEdit(self.pickers)
        self.respondent_text.setObjectName("respondent_text")
        self.respondent_text.setAccessibleName(self.tr("Window or respondent named"))
        self.respondent_text.setMaxLength(100)
        self.respondent_staff = StaffCombo(self.pickers)
        self.respondent_staff.setObjectName("respondent_staff")
        self.respondent_staff.setAccessibleName(self.tr("Staff member complained about"))
        self.respondent_department = QComboBox(self.pickers)
        self.respondent_department.setObjectName("respondent_department")
        self.respondent_department.setAccessibleName(self.tr("Department complained about"))
        self.respondent_department.setPlaceholderText(self.tr("Choose a department"))
        self.respondent_subject = SubjectPicker(self.services, self.actor, self.pickers)
        self.respondent_subject.setObjectName("respondent_subject")
        self.respondent_subject.setAccessibleName(self.tr("Market subject complained about"))
        for picker in (
            self.respondent_text,
            self.respondent_staff,
            self.respondent_department,
            self.respondent_subject,
        ):
            self.pickers.addWidget(picker)
        row.addWidget(self.respondent_kind)
        row.addWidget(self.pickers, 1)
        self.respondent.setFocusProxy(self.respondent_kind)
        self.form.addRow(self.tr("&Respondent:"), self.respondent)
        self.project_code = self.add_field(self.tr("Pro&ject code:"), QLineEdit(self), "project_code")
        self.project_code.setMaxLength(60)
        self.project_code.setPlaceholderText(self.tr("When it concerns a trade"))

    def _build_right(self) -> None:
        self.content.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.content.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.category = self._add_right(self.tr("&Category:"), QComboBox(self), "category", required=True)
        self.category.setPlaceholderText(self.tr("Choose (Down)"))
        self.facts = self._add_right(self.tr("&Facts:"), QPlainTextEdit(self), "facts", required=True)
        self.facts.setTabChangesFocus(True)
        self.facts.setFixedHeight(self.facts.fontMetrics().height() * 5 + 12)
        self.request = self._add_right(self.tr("Re&quest:"), QPlainTextEdit(self), "request")
        self.request.setTabChangesFocus(True)
        self.request.setFixedHeight(self.request.fontMetrics().height() * 2 + 12)

        self.limit_row = limit_row = QWidget(self)
        limit_layout = QHBoxLayout(limit_row)
        limit_layout.setContentsMargins(0, 0, 0, 0)
        self.time_limit = QComboBox(limit_row)
        self.time_limit.setObjectName("time_limit")
        self.time_limit.setAccessibleName(self.tr("Time-limit class"))
        self.time_limit_days = QSpinBox(limit_row)
        self.time_limit_days.setObjectName("time_limit_days")
        self.time_limit_days.setAccessibleName(self.tr("Working days"))
        self.time_limit_days.setRange(1, MAX_DAYS)
        self.time_limit_days.setSuffix(self.tr(" working days"))
        limit_layout.addWidget(self.time_limit)
        limit_layout.addWidget(self.time_limit_days)
        limit_layout.addStretch(1)
        limit_row.setFocusProxy(self.time_limit)
        self.content.addRow(self.tr("Ti&me limit:"), limit_row)
        self.deadline = QLabel(self)
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        self.deadline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.content.addRow(self.tr("Deadline:"), self.deadline)
        self.statutory = self._add_right(self.tr("&Bid/procurement:"), QComboBox(self), "statutory")
        self.statutory.setToolTip(
            self.tr(
                "A complaint against a bid or procurement outcome is registered here and transferred "
                "to the supervising department, under its statutory clock"
            )
        )
        self.statutory_clocks = QLabel(self)
        self.statutory_clocks.setObjectName("statutory_clocks")
        self.statutory_clocks.setWordWrap(True)
        self.content.addRow(self.tr("Statutory clock:"), self.statutory_clocks)
        self.evidence = self._add_right(self.tr("E&vidence:"), EvidenceList(self), "evidence")

    def _add_right(self, label: str, widget: Any, name: str, *, required: bool = False) -> Any:
        widget.setObjectName(name)
        widget.setAccessibleName(label.replace("&", "").rstrip("：:"))
        self.content.addRow(label, widget)
        if required:
            self.set_required(widget)
        return widget

    def set_required(self, field: QWidget | Any, required: bool = True) -> None:
        layout = self.content if self._in_right(field) else self.form
        set_required(layout, field, required)
        if required:
            self.required_note.show()

    def _in_right(self, field: QWidget) -> bool:
        return self.content.indexOf(field) >= 0

    def _arrange_columns(self) -> None:
        """Two columns (who and against whom | what and by when): the form fits the hall's
        1280×800 and 1366×768 screens without scrolling."""
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.removeItem(self.form)
        for layout in (self.form, self.content):
            layout.setVerticalSpacing(6)  # with a message under every field it still fits 768 px
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(self.form, 1)
        columns.addLayout(self.content, 1)
        outer.insertLayout(0, columns)

    def _fill_choices(self) -> None:
        for channel in Channel:
            self.channel.addItem(channel_label(channel), channel)
        last = str(_ui_state().value(LAST_CHANNEL_KEY, Channel.PHONE.value))
        combo_select_data(self.channel, last if last in set(Channel) else Channel.PHONE)
        now = clock.local_now()
        self.received_at.setDateTime(QDateTime(now.year, now.month, now.day, now.hour, now.minute, 0))
        members = [
            (s.id, f"{s.name}（{s.department_name}）")
            for s in self.services.organisation.staff(include_inactive=False)
        ]
        self.receiver.set_staff(members)
        self.receiver.set_staff_id(self.actor.staff_id)
        self.respondent_staff.set_staff(members)
        for department in self.services.organisation.departments(include_inactive=False):
            self.respondent_department.addItem(department.name, department.id)
        self.respondent_department.setCurrentIndex(-1)
        for id_type in IdType:
            self.id_type.addItem(id_type_label(id_type), id_type)
        for kind in RESPONDENT_KINDS:
            self.respondent_kind.addItem(respondent_kind_label(kind), kind)
        for category in Category:
            self.category.addItem(category_label(category), category)
        self.category.setCurrentIndex(-1)
        for limit in TimeLimit:
            self.time_limit.addItem(time_limit_label(limit), limit)
        combo_select_data(self.time_limit, TimeLimit.GENERAL)
        for statutory in Statutory:
            self.statutory.addItem(statutory_label(statutory), statutory)

    def _wire(self) -> None:
        self.anonymous.toggled.connect(lambda _on: self._anonymous_changed())
        self.respondent_kind.currentIndexChanged.connect(lambda _i: self._respondent_kind_changed())
        self.statutory.currentIndexChanged.connect(lambda _i: self._statutory_changed())
        self.time_limit.currentIndexChanged.connect(lambda _i: self._time_limit_changed())
        self.time_limit_days.valueChanged.connect(lambda _v: self.update_deadline())
        self.received_at.dateTimeChanged.connect(lambda _d: self.update_deadline())
        for line in self.findChildren(QLineEdit):
            line.textChanged.connect(self._edited)
        for text in (self.facts, self.request):
            text.textChanged.connect(self._edited)
        for combo in self.findChildren(QComboBox):
            combo.currentIndexChanged.connect(self._edited)
        self.anonymous.toggled.connect(self._edited)
        self.time_limit_days.valueChanged.connect(self._edited)
        self.received_at.dateTimeChanged.connect(self._edited)
        self.evidence.changed.connect(self._edited)
        # A market subject chosen or forgotten changes the respondent: its mark goes.
        self.respondent_subject.chosen.connect(lambda _id: self._edited())

    # -- reacting to choices -------------------------------------------------------------------
    def _edited(self, *_args: object) -> None:
        if not self._filling:
            self.draft_timer.start()

    def _anonymous_changed(self) -> None:
        # Hidden, not cleared: unticked again, what was typed is there (it is not sent while hidden).
        named = not self.anonymous.isChecked()
        for field in (self.complainant_name, self.complainant_unit, self.id_row):
            self.form.setRowVisible(field, named)
        self.set_required(self.complainant_name, named)

    def _respondent_kind_changed(self) -> None:
        kind = self.respondent_kind_value()
        picker: QWidget = {
            RespondentKind.STAFF: self.respondent_staff,
            RespondentKind.DEPARTMENT: self.respondent_department,
            RespondentKind.SUBJECT: self.respondent_subject,
        }.get(kind, self.respondent_text)
        self.pickers.setCurrentWidget(picker)
        if kind is RespondentKind.WINDOW:
            self.respondent_text.setPlaceholderText(self.tr("Which window, e.g. Window 3"))
        elif kind is RespondentKind.NONE:
            self.respondent_text.setPlaceholderText(self.tr("Optional: whom the complaint is about"))
        self.set_required(self.respondent, kind is not RespondentKind.NONE)

    def _statutory_changed(self) -> None:
        statutory = self.statutory_value()
        self.content.setRowVisible(self.statutory_clocks, statutory is not Statutory.NONE)
        self.set_required(self.project_code, statutory is not Statutory.NONE)
        self.update_deadline()

    def _time_limit_changed(self) -> None:
        """A class chosen: its days from the catalogue (the days stay editable)."""
        preview = self.services.complaints.deadline_preview(
            self.received_value(), None, self.time_limit_value(), self.statutory_value()
        )
        self._filling, filling = True, self._filling
        try:
            self.time_limit_days.setValue(preview.days)
        finally:
            self._filling = filling
        self.update_deadline()

    def update_deadline(self) -> None:
        """The committed deadline for the received time, the days and the statutory choice."""
        preview = self.services.complaints.deadline_preview(
            self.received_value(),
            self.time_limit_days.value(),
            self.time_limit_value(),
            self.statutory_value(),
        )
        self.deadline.setText(
            self.tr("{deadline} (decision on acceptance by {acceptance})").format(
                deadline=text_deadline(preview.deadline, preview.provisional),
                acceptance=text_deadline(preview.acceptance_deadline, preview.provisional),
            )
        )
        self.deadline.setStyleSheet("color: #b26a00;" if preview.provisional else "")
        self.statutory_clocks.setText(
            "\n".join(
                self.tr("{what}: by {day}").format(
                    what=clock_label(what), day=text_deadline(day, provisional)
                )
                for what, day, provisional in preview.statutory_clocks
            )
        )

    # -- values --------------------------------------------------------------------------------
    def channel_value(self) -> Channel | None:
        data = self.channel.currentData()
        return Channel(data) if data else None

    def received_value(self) -> datetime:
        moment = self.received_at.dateTime()
        d, t = moment.date(), moment.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).astimezone()

    def respondent_kind_value(self) -> RespondentKind:
        data = self.respondent_kind.currentData()
        return RespondentKind(data) if data else RespondentKind.NONE

    def time_limit_value(self) -> TimeLimit:
        data = self.time_limit.currentData()
        return TimeLimit(data) if data else TimeLimit.GENERAL

    def statutory_value(self) -> Statutory:
        data = self.statutory.currentData()
        return Statutory(data) if data else Statutory.NONE

    def complaint_input(self, evidence: tuple[EvidenceInput, ...] = ()) -> ComplaintInput:
        named = not self.anonymous.isChecked()
        kind = self.respondent_kind_value()
        category = self.category.currentData()
        id_type = self.id_type.currentData()
        return ComplaintInput(
            channel=self.channel_value(),
            received_at=self.received_value(),
            facts=self.facts.toPlainText(),
            category=Category(category) if category else None,
            receiver_staff_id=self.receiver.staff_id(),
            anonymous=not named,
            complainant_name=self.complainant_name.text() if named else "",
            complainant_unit=self.complainant_unit.text() if named else "",
            id_type=IdType(id_type) if id_type and named else None,
            id_number=self.id_number.text() if named else "",
            phone=self.phone.text(),
            address=self.address.text(),
            respondent_kind=kind,
            respondent_staff_id=self.respondent_staff.staff_id() if kind is RespondentKind.STAFF else None,
            respondent_department_id=self.respondent_department.currentData()
            if kind is RespondentKind.DEPARTMENT
            else None,
            respondent_subject_id=self.respondent_subject.subject_id
            if kind is RespondentKind.SUBJECT
            else None,
            respondent_text=self.respondent_text.text()
            if kind in (RespondentKind.WINDOW, RespondentKind.NONE)
            else "",
            project_code=self.project_code.text(),
            request=self.request.toPlainText(),
            time_limit=self.time_limit_value(),
            time_limit_days=self.time_limit_days.value(),
            statutory=self.statutory_value(),
            evidence=evidence,
        )

    def read_evidence(self) -> tuple[EvidenceInput, ...]:
        """The files' contents, read now (a file gone since it was added is refused at the list)."""
        read = []
        for name in self.evidence.paths():
            path = Path(name)
            try:
                read.append(EvidenceInput(path.name, path.read_bytes()))
            except OSError:
                raise ValidationError(
                    self.tr("The file {name} cannot be read any more.").format(name=name), field="evidence"
                ) from None
        return tuple(read)

    def has_input(self) -> bool:
        """Whether anything worth keeping was typed or chosen."""
        texts = (
            self.complainant_name,
            self.complainant_unit,
            self.id_number,
            self.phone,
            self.address,
            self.respondent_text,
            self.project_code,
        )
        return (
            any(line.text().strip() for line in texts)
            or bool(self.facts.toPlainText().strip() or self.request.toPlainText().strip())
            or self.category.currentIndex() >= 0
            or self.respondent_staff.staff_id() is not None
            or self.respondent_department.currentIndex() >= 0
            or self.respondent_subject.subject_id is not None
            or bool(self.evidence.paths())
        )

    # -- drafts --------------------------------------------------------------------------------
    def draft_values(self) -> dict[str, Any]:
        return {
            "channel": self.channel.currentData(),
            "received_at": self.received_at.dateTime().toSecsSinceEpoch(),
            "receiver": self.receiver.currentText(),
            "anonymous": self.anonymous.isChecked(),
            "complainant_name": self.complainant_name.text(),
            "complainant_unit": self.complainant_unit.text(),
            "id_type": self.id_type.currentData(),
            "id_number": self.id_number.text(),
            "phone": self.phone.text(),
            "address": self.address.text(),
            "respondent_kind": self.respondent_kind.currentData(),
            "respondent_text": self.respondent_text.text(),
            "respondent_staff": self.respondent_staff.currentText(),
            "respondent_department": self.respondent_department.currentData(),
            "respondent_subject_id": self.respondent_subject.subject_id,
            "respondent_subject_text": self.respondent_subject.text(),
            "project_code": self.project_code.text(),
            "category": self.category.currentData(),
            "facts": self.facts.toPlainText(),
            "request": self.request.toPlainText(),
            "time_limit": self.time_limit.currentData(),
            "time_limit_days": self.time_limit_days.value(),
            "statutory": self.statutory.currentData(),
            "evidence": self.evidence.paths(),
        }

    def restore(self, values: dict[str, Any]) -> None:
        """Put a draft's values back (what no longer exists, a staff member gone, is left empty)."""
        self._filling = True
        try:
            combo_select_data(self.channel, values.get("channel"))
            if isinstance(values.get("received_at"), int):
                self.received_at.setDateTime(QDateTime.fromSecsSinceEpoch(values["received_at"]))
            self.receiver.setEditText(str(values.get("receiver", "")))
            self.anonymous.setChecked(bool(values.get("anonymous")))
            for name in ("complainant_name", "complainant_unit", "id_number", "phone", "address"):
                line = self.findChild(QLineEdit, name)
                assert line is not None
                line.setText(str(values.get(name, "")))
            combo_select_data(self.id_type, values.get("id_type"))
            combo_select_data(self.respondent_kind, values.get("respondent_kind"))
            self.respondent_text.setText(str(values.get("respondent_text", "")))
            self.respondent_staff.setEditText(str(values.get("respondent_staff", "")))
            department = self.respondent_department.findData(values.get("respondent_department"))
            self.respondent_department.setCurrentIndex(department)
            subject_id = values.get("respondent_subject_id")
            self.respondent_subject.choose(
                subject_id if isinstance(subject_id, int) else None,
                str(values.get("respondent_subject_text", "")),
            )
            self.project_code.setText(str(values.get("project_code", "")))
            self.category.setCurrentIndex(self.category.findData(values.get("category")))
            self.facts.setPlainText(str(values.get("facts", "")))
            self.request.setPlainText(str(values.get("request", "")))
            combo_select_data(self.time_limit, values.get("time_limit", TimeLimit.GENERAL))
            combo_select_data(self.statutory, values.get("statutory", Statutory.NONE))
            days = values.get("time_limit_days")
            if isinstance(days, int):
                self.time_limit_days.setValue(days)
            self.evidence.files.clear()
            self.evidence.add_paths([Path(p) for p in values.get("evidence", []) if Path(p).is_file()])
        finally:
            self._filling = False
        self.update_deadline()

    def save_draft(self) -> None:
        """Keep what is typed (nothing when nothing is); a failure to keep it must not stop the clerk."""
        self.draft_timer.stop()
        if not self.has_input():
            return
        saved = operations.run(
            self,
            lambda: self.services.drafts.save(self.actor, DRAFT_FORM, self.draft_values()),
            busy=False,
            show="message",
        )
        if saved.ok:
            self.draft_saved_at = saved.value

    def discard_draft(self) -> None:
        self.draft_timer.stop()
        self.services.drafts.discard(self.actor, DRAFT_FORM)
        self.draft_saved_at = None

    def offer_draft(self) -> bool:
        """The draft left by a form not saved, offered back: True when restored."""
        kept = self.services.drafts.load(self.actor, DRAFT_FORM)
        if kept is None:
            return False
        values, saved_at = kept
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved complaint"),
            self.tr(
                "A complaint was being registered and not saved (kept at {time}). Restore it?\n\n"
                "Yes: continue with it. No: discard it and start a new one."
            ).format(time=text_time(saved_at)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(values)
            self.draft_saved_at = saved_at
            return True
        self.discard_draft()
        return False

    # -- saving --------------------------------------------------------------------------------
    def submit(self) -> None:
        clear_field_errors(self)
        try:
            evidence = self.read_evidence()
        except ValidationError as refused:
            show_field_error(self, refused)
            return
        data = self.complaint_input(evidence)
        hits = operations.run(self, lambda: self.services.complaints.duplicates(self.actor, data))
        if not hits.ok:
            return
        link_to_id: int | None = None
        if hits.value:
            choice = ask_about_duplicates(self, hits.value)
            if choice is None:
                return  # back to the form, everything still typed
            link_to_id = choice.link_to_id
        saved = self.save(
            lambda: self.services.complaints.register(self.actor, data, link_to_id),
            changed=topics.COMPLAINT,
            ids=lambda result: (result.complaint.id,),
        )
        if not saved:
            self._relayout_marked()
            return
        if saved:
            self.discard_draft()
            state = _ui_state()
            state.setValue(LAST_CHANNEL_KEY, str(data.channel.value if data.channel else Channel.PHONE.value))
            state.sync()

    def _relayout_marked(self) -> None:
        # The red frame of a refused field is a little taller; a new style does not ask the layout
        # again by itself, and the field would be drawn squeezed into its old row.
        for widget in self.findChildren(QWidget):
            if widget.property(ERROR_PROPERTY):
                widget.updateGeometry()

    def reload(self) -> None:
        pass  # a new case: nothing stored to reload

    def reject(self) -> None:
        self.save_draft()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_draft()
        super().closeEvent(event)


def watch_lock(dialog: ComplaintIntakeDialog, parent: QWidget | None) -> None:
    """When the idle lock covers the screen, the draft is kept at once (the clerk may never come back
    to this workstation: another signs in after a forced sign-out)."""
    from desktop_app.ui.main_window import MainWindow

    window = parent.window() if parent is not None else None
    if isinstance(window, MainWindow):
        window.locked.connect(dialog.save_draft)
        # A bound method of a QObject: disconnected when the dialog is deleted.


def show_receipt(
    services: Services, actor: CurrentUser, result: IntakeResult, parent: QWidget | None
) -> QWidget | None:
    """The 投诉受理回执 in the notices' preview (Enter prints; the preview closes once printed)."""
    if result.receipt is None:
        return None
    from desktop_app.ui.notices.preview import NoticePreviewDialog

    preview = NoticePreviewDialog(services, actor, result.receipt, parent, close_after_print=True)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its pages are images: free them
    preview.open()
    return preview


def open_intake(
    services: Services, actor: CurrentUser, parent: QWidget | None = None
) -> ComplaintInfo | None:
    """Take a complaint: the form (a draft offered back first), then the receipt's preview.
    Returns the case registered, or None when the form was closed unsaved."""
    dialog = ComplaintIntakeDialog(services, actor, parent)
    watch_lock(dialog, parent)
    try:
        dialog.offer_draft()
        if not modal.run_dialog(dialog) or dialog.result_value is None:
            return None
        result: IntakeResult = dialog.result_value
    finally:
        dialog.deleteLater()
    show_receipt(services, actor, result, parent)
    return result.complaint
