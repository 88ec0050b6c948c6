"""The detail pane of the complaints page: one case as the service reads it (personal data masked),
its deadline and statutory clocks, its history (internal notes marked), evidence, extensions,
deductions, the linked case and the credit record drafted from it; the buttons of the moves the
page offers sit above it (the page decides which are shown)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.complaints import ComplaintInfo
from desktop_app.services.complaints.types import DeductionInfo, EventInfo, EvidenceInfo, ExtensionInfo
from desktop_app.ui.complaints.labels import (
    category_label,
    channel_label,
    deduction_kind_label,
    extension_state_label,
    id_type_label,
    outcome_label,
    respondent_kind_label,
    satisfaction_label,
    state_label,
    statutory_label,
    time_limit_label,
)
from desktop_app.ui.dates import table_date, table_time, text_date, text_deadline, text_time
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width, make_table_view, share_width


class CaseDetail(QWidget):
    """``open_case(number)``: a link to another case was clicked."""

    open_case = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_detail")
        self.info: ComplaintInfo | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.heading = QLabel(self)
        self.heading.setObjectName("case_heading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.button_row = QHBoxLayout()
        self.button_row.setSpacing(4)
        layout.addLayout(self.button_row)
        self.buttons: dict[str, QPushButton] = {}

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("case_tabs")
        self.text = QTextBrowser(self)
        self.text.setObjectName("case_text")
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._anchor)
        self.tabs.addTab(self.text, self.tr("Case"))

        self.events = RecordTableModel[EventInfo](
            [
                Column(self.tr("Time"), lambda e: table_time(e.at), width=Width(whole=True, weight=0)),
                Column(self.tr("By"), lambda e: e.actor_name, width=Width("欧阳明", weight=0)),
                Column(self.tr("What"), self.event_words, width=Width("开始调查处理", weight=0)),
                Column(self.tr("Internal"), self.internal_text, width=Width("内部", weight=0)),
                Column(
                    self.tr("Text"),
                    lambda e: e.text,
                    tooltip=lambda e: e.text,
                    width=Width("投诉", "投诉" * 12, weight=3),
                ),
            ],
            muted=lambda e: e.internal,
            parent=self,
        )
        self.events_view = make_table_view("case_events", self.tr("History"), self)
        self.events_view.setModel(self.events)
        share_width(self.events_view, self.events)
        self.tabs.addTab(self.events_view, self.tr("History"))

        evidence_page = QWidget(self)
        evidence_layout = QVBoxLayout(evidence_page)
        evidence_layout.setContentsMargins(0, 0, 0, 0)
        self.evidence = RecordTableModel[EvidenceInfo](
            [
                Column(
                    self.tr("File"),
                    lambda e: e.filename,
                    width=Width("录音记录", "录音记录录音记录.mp3", weight=2),
                ),
                Column(
                    self.tr("Size"),
                    lambda e: f"{e.size:,}",
                    align_right=True,
                    width=Width("123,456", weight=0),
                ),
                Column(
                    self.tr("Description"),
                    lambda e: e.description,
                    width=Width("说明", "说明说明说明", weight=2),
                ),
                Column(self.tr("Added"), lambda e: table_time(e.added_at), width=Width(whole=True, weight=0)),
                Column(
                    self.tr("SHA-256"),
                    lambda e: e.sha256[:16],
                    width=Width("0123456789abcdef", weight=0, gives_way=1),
                ),
            ],
            parent=self,
        )
        self.evidence_view = make_table_view("case_evidence", self.tr("Evidence"), self)
        self.evidence_view.setModel(self.evidence)
        share_width(self.evidence_view, self.evidence)
        evidence_layout.addWidget(self.evidence_view)
        evidence_buttons = QHBoxLayout()
        self.save_evidence = QPushButton(self.tr("Save a copy…"), evidence_page)
        self.save_evidence.setObjectName("save_evidence")
        evidence_buttons.addWidget(self.save_evidence)
        evidence_buttons.addStretch(1)
        evidence_layout.addLayout(evidence_buttons)
        self.tabs.addTab(evidence_page, self.tr("Evidence"))

        more = QWidget(self)
        more_layout = QVBoxLayout(more)
        more_layout.setContentsMargins(0, 0, 0, 0)
        self.extensions = RecordTableModel[ExtensionInfo](
            [
                Column(
                    self.tr("Asked"), lambda x: table_time(x.requested_at), width=Width(whole=True, weight=0)
                ),
                Column(self.tr("Asked by"), lambda x: x.requested_by_name, width=Width("欧阳明", weight=0)),
                Column(self.tr("Days"), lambda x: str(x.days), align_right=True, width=Width("30", weight=0)),
                Column(
                    self.tr("Reason"), lambda x: x.reason, width=Width("理由", "理由理由理由理由", weight=2)
                ),
                Column(
                    self.tr("State"),
                    lambda x: extension_state_label(x.state),
                    width=Width("等待审批", weight=0),
                ),
                Column(
                    self.tr("New deadline"),
                    lambda x: table_date(x.new_deadline),
                    width=Width(whole=True, weight=0),
                ),
                Column(self.tr("Decision"), lambda x: x.decision_note, width=Width("意见", weight=1)),
            ],
            parent=self,
        )
        self.extensions_view = make_table_view("case_extensions", self.tr("Extensions"), self)
        self.extensions_view.setModel(self.extensions)
        share_width(self.extensions_view, self.extensions)
        self.deductions = RecordTableModel[DeductionInfo](
            [
                Column(self.tr("Staff"), lambda d: d.staff_name, width=Width("欧阳明", weight=0)),
                Column(self.tr("Month"), lambda d: d.month, width=Width("2026-11", weight=0)),
                Column(
                    self.tr("Points"), lambda d: str(d.points), align_right=True, width=Width("-10", weight=0)
                ),
                Column(
                    self.tr("Why"), lambda d: deduction_kind_label(d.kind), width=Width("投诉属实", weight=1)
                ),
                Column(
                    self.tr("Reason"), lambda d: d.reason, width=Width("理由", "理由理由理由理由", weight=2)
                ),
            ],
            parent=self,
        )
        self.deductions_view = make_table_view("case_deductions", self.tr("Deductions"), self)
        self.deductions_view.setModel(self.deductions)
        share_width(self.deductions_view, self.deductions)
        more_layout.addWidget(QLabel(self.tr("Deadline extensions"), more))
        more_layout.addWidget(self.extensions_view, 1)
        more_layout.addWidget(QLabel(self.tr("Deductions on staff months"), more))
        more_layout.addWidget(self.deductions_view, 1)
        self.tabs.addTab(more, self.tr("Extensions and deductions"))
        layout.addWidget(self.tabs, 1)
        self.show_case(None)

    # -- buttons ---------------------------------------------------------------------------------
    def add_button(self, key: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(f"action_{key}")
        button.setAutoDefault(False)
        self.button_row.addWidget(button)
        self.buttons[key] = button
        return button

    def finish_buttons(self) -> None:
        self.button_row.addStretch(1)

    def set_offered(self, offered: set[str]) -> None:
        """Only the moves offered for this case and this account are shown (the row stays short)."""
        for key, button in self.buttons.items():
            button.setVisible(key in offered)
            button.setEnabled(key in offered)

    # -- content ---------------------------------------------------------------------------------
    def event_words(self, event: EventInfo) -> str:
        words = {
            "register": self.tr("Registered"),
            "accept": self.tr("Accepted"),
            "reject": self.tr("Not accepted"),
            "transfer": self.tr("Transferred"),
            "investigate": self.tr("Investigation started"),
            "close": self.tr("Closed"),
            "visit": self.tr("Follow-up visit"),
            "assign": self.tr("Assigned"),
            "note": self.tr("Internal note"),
            "extension_request": self.tr("Extension asked"),
            "extension_decide": self.tr("Extension decided"),
            "credit_draft": self.tr("Credit record drafted"),
            "followup_contacted": self.tr("Complainant contacted"),
            "followup_rectified": self.tr("Rectification done"),
        }
        return words.get(event.action, event.action)

    def internal_text(self, event: EventInfo) -> str:
        return self.tr("Internal") if event.internal else ""

    def show_case(self, info: ComplaintInfo | None) -> None:
        self.info = info
        self.tabs.setEnabled(info is not None)
        if info is None:
            self.heading.setText(
                self.tr("Choose a case in the list, or type its number or lookup code above.")
            )
            self.text.clear()
            for model in (self.events, self.evidence, self.extensions, self.deductions):
                model.set_records([])
            self.set_offered(set())
            return
        due = html.escape(text_deadline(info.deadline, info.deadline_provisional))
        # The words are looked up outside the f-strings: lupdate does not read calls inside them.
        overdue_word = html.escape(self.tr("Overdue"))
        due_text = html.escape(self.tr("Due: %1")).replace("%1", due)
        overdue = (
            f' <span style="color:#b71c1c;font-weight:bold;">{overdue_word}</span>' if info.overdue else ""
        )
        self.heading.setText(
            f'<b style="font-size:13pt;">{html.escape(info.number)}</b>　'
            f"{html.escape(state_label(info.state))}　"
            f"{due_text}{overdue}"
        )
        self.text.setHtml(self.case_html(info))
        self.events.set_records(list(info.events))
        self.evidence.set_records(list(info.evidence))
        self.extensions.set_records(list(info.extensions))
        self.deductions.set_records(list(info.deductions))
        self.tabs.setTabText(2, self.tr("Evidence (%1)").replace("%1", str(len(info.evidence))))

    def case_html(self, info: ComplaintInfo) -> str:
        rows: list[tuple[str, str]] = []

        def add(label: str, value: str, raw: bool = False) -> None:
            if value:
                rows.append((label, value if raw else html.escape(value)))

        add(self.tr("Lookup code"), info.lookup_code)
        add(self.tr("Received"), f"{text_time(info.received_at)}（{channel_label(info.channel)}）")
        add(self.tr("Received by"), info.receiver_name)
        complainant = self.tr("Anonymous") if info.anonymous else info.complainant_name
        if info.complainant_unit:
            complainant += f"（{info.complainant_unit}）"
        add(self.tr("Complainant"), complainant)
        if info.id_number_masked:
            kind = id_type_label(info.id_type) if info.id_type else ""
            add(self.tr("ID"), f"{kind} {info.id_number_masked}".strip())
        add(self.tr("Phone"), info.phone_masked)
        add(self.tr("Address"), info.address_masked)
        respondent = respondent_kind_label(info.respondent_kind)
        if info.respondent_text:
            respondent = self.tr("%1: %2").replace("%1", respondent).replace("%2", info.respondent_text)
        add(self.tr("Respondent"), respondent)
        add(self.tr("Project code"), info.project_code)
        add(self.tr("Category"), category_label(info.category))
        add(self.tr("Facts"), info.facts)
        add(self.tr("Request"), info.request)
        add(
            self.tr("Time limit"),
            self.tr("%1, %2 working days")
            .replace("%1", time_limit_label(info.time_limit))
            .replace("%2", str(info.time_limit_days)),
        )
        add(self.tr("Deadline"), text_deadline(info.deadline, info.deadline_provisional))
        add(self.tr("Accept by"), text_date(info.acceptance_deadline))
        if info.statutory_clocks:
            add(self.tr("Statutory"), statutory_label(info.statutory))
            for what, day, provisional in info.statutory_clocks:
                add(what, text_deadline(day, provisional))
        add(self.tr("Department"), info.department_name)
        add(self.tr("Handler"), info.handler_name)
        add(self.tr("Transferred to"), info.transfer_to)
        add(self.tr("Reason"), info.state_reason)
        if info.outcome is not None:
            add(self.tr("Finding"), outcome_label(info.outcome))
        add(self.tr("Reply"), info.reply)
        if info.closed_at is not None:
            add(self.tr("Closed"), text_time(info.closed_at))
        if info.satisfaction is not None:
            add(self.tr("Satisfaction"), satisfaction_label(info.satisfaction))
        if info.followup_contact_deadline is not None:
            contact = text_deadline(info.followup_contact_deadline, False)
            if info.followup_contacted_at is not None:
                contact += " ✓ " + text_time(info.followup_contacted_at)
            add(self.tr("Contact by"), contact)
        if info.followup_rectify_deadline is not None:
            rectify = text_deadline(info.followup_rectify_deadline, False)
            if info.followup_done_at is not None:
                rectify += " ✓ " + text_time(info.followup_done_at)
            add(self.tr("Rectify by"), rectify)
        add(self.tr("Follow-up"), info.followup_note)
        if info.linked_to_number:
            number = html.escape(info.linked_to_number)
            add(self.tr("Linked case"), f'<a href="case:{number}">{number}</a>', raw=True)
        if info.credit_record_id is not None:
            add(
                self.tr("Credit record"),
                self.tr("Record #%1 in the subject's credit file").replace("%1", str(info.credit_record_id)),
            )
        add(self.tr("Receipt"), "、".join(info.receipt_numbers))
        add(self.tr("Result notice"), "、".join(info.reply_letter_numbers))
        body = "".join(
            f'<tr><td style="color:#546e7a;padding-right:10px;white-space:nowrap;" valign="top">'
            f"{html.escape(label)}</td><td>{value.replace(chr(10), '<br>')}</td></tr>"
            for label, value in rows
        )
        return f"<table cellspacing=2>{body}</table>"

    def _anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("case:"):
            self.open_case.emit(text.removeprefix("case:"))
