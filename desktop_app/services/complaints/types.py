"""The plain data the complaint services take and return (what the GUI, the CLI and the demo see).

Infos are detached copies with personal data masked; none holds a Session or a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from desktop_app.domain.complaints import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    RESPONDENT_KIND_LABELS,
    SATISFACTION_LABELS,
    STATE_LABELS,
    STATUTORY_LABELS,
    TIME_LIMIT_LABELS,
    Action,
    Category,
    Channel,
    DeductionKind,
    ExtensionState,
    IdType,
    Outcome,
    RespondentKind,
    Satisfaction,
    State,
    Statutory,
    TimeLimit,
)
from desktop_app.services.notices import IssuedDocument


@dataclass(frozen=True)
class ComplaintInput:
    """What the intake form (or an import row) says. None: not chosen (refused at its field)."""

    channel: Channel | None
    received_at: datetime | None
    facts: str
    category: Category | None
    receiver_staff_id: int | None = None  # 首问负责人; None: the signed-in user's staff record
    anonymous: bool = False
    complainant_name: str = ""
    complainant_unit: str = ""
    id_type: IdType | None = None
    id_number: str = ""
    phone: str = ""
    address: str = ""
    respondent_kind: RespondentKind = RespondentKind.NONE
    respondent_staff_id: int | None = None
    respondent_department_id: int | None = None
    respondent_subject_id: int | None = None
    respondent_text: str = ""  # a window's name; for the others, filled from the chosen row
    project_code: str = ""
    request: str = ""
    time_limit: TimeLimit = TimeLimit.GENERAL
    time_limit_days: int | None = None  # None: the catalogue's days for the class
    statutory: Statutory = Statutory.NONE
    evidence: tuple[EvidenceInput, ...] = ()


@dataclass(frozen=True)
class EvidenceInput:
    filename: str
    content: bytes
    description: str = ""


@dataclass(frozen=True)
class DuplicateHit:
    """An earlier case that may be the same complaint: shown before saving, with a choice to link."""

    id: int
    number: str
    received_at: datetime
    state: State
    respondent_text: str
    facts: str
    reason: str  # 同一联系电话 / 同一被投诉对象且事实相近

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class DeadlinePreview:
    """What the form shows as the class or the days change: the committed deadline and clocks."""

    deadline: date
    provisional: bool
    days: int
    acceptance_deadline: date
    statutory_clocks: tuple[tuple[str, date, bool], ...] = ()  # (what, day, provisional)


@dataclass(frozen=True)
class ComplaintRow:
    """One line of the list (no personal data but the masked phone)."""

    id: int
    number: str
    received_at: datetime
    channel: Channel
    category: Category
    state: State
    respondent_text: str
    complainant_name: str
    phone_masked: str
    department_name: str
    handler_name: str
    deadline: date
    deadline_provisional: bool
    outcome: Outcome | None
    satisfaction: Satisfaction | None
    overdue: bool
    due_soon: bool
    facts: str

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS[self.channel]

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome] if self.outcome else ""


@dataclass(frozen=True)
class EventInfo:
    id: int
    at: datetime
    actor: str
    actor_name: str
    action: str
    from_state: State | None
    to_state: State | None
    text: str
    internal: bool


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    filename: str
    size: int
    sha256: str
    description: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class ExtensionInfo:
    id: int
    days: int
    reason: str
    state: ExtensionState
    requested_at: datetime
    requested_by: str
    old_deadline: date
    new_deadline: date | None
    decided_at: datetime | None
    decided_by: str
    decision_note: str
    requested_by_name: str = ""  # the account's display name (the username when it has none)
    decided_by_name: str = ""


@dataclass(frozen=True)
class DeductionInfo:
    id: int
    staff_id: int
    staff_name: str
    month: str
    points: int
    kind: DeductionKind
    source_ref: str
    reason: str
    state: str
    created_at: datetime


@dataclass(frozen=True)
class ComplaintInfo:
    """A whole case as the detail pane, the CLI's ``complaint show`` and the papers see it (masked)."""

    id: int
    version: int
    number: str
    lookup_code: str
    channel: Channel
    received_at: datetime
    receiver_staff_id: int | None
    receiver_name: str
    anonymous: bool
    complainant_name: str
    complainant_unit: str
    id_type: IdType | None
    id_number_masked: str
    phone_masked: str
    address_masked: str
    respondent_kind: RespondentKind
    respondent_staff_id: int | None
    respondent_department_id: int | None
    respondent_subject_id: int | None
    respondent_text: str
    project_code: str
    category: Category
    facts: str
    request: str
    time_limit: TimeLimit
    time_limit_days: int
    deadline: date
    deadline_provisional: bool
    acceptance_deadline: date
    statutory: Statutory
    statutory_clocks: tuple[tuple[str, date, bool], ...]
    state: State
    state_reason: str
    transfer_to: str
    department_id: int | None
    department_name: str
    handler_staff_id: int | None
    handler_name: str
    outcome: Outcome | None
    reply: str
    closed_at: datetime | None
    closed_on: date | None
    satisfaction: Satisfaction | None
    visited_at: datetime | None
    followup_contact_deadline: date | None
    followup_rectify_deadline: date | None
    followup_contacted_at: datetime | None
    followup_done_at: datetime | None
    followup_note: str
    linked_to_number: str
    credit_record_id: int | None
    overdue: bool
    allowed_actions: tuple[Action, ...]
    events: tuple[EventInfo, ...] = ()
    evidence: tuple[EvidenceInfo, ...] = ()
    extensions: tuple[ExtensionInfo, ...] = ()
    deductions: tuple[DeductionInfo, ...] = ()
    receipt_numbers: tuple[str, ...] = ()  # the notices issued as its 回执
    reply_letter_numbers: tuple[str, ...] = ()
    created_by: str = ""

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS[self.channel]

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome] if self.outcome else ""

    @property
    def satisfaction_label(self) -> str:
        return SATISFACTION_LABELS[self.satisfaction] if self.satisfaction else ""

    @property
    def time_limit_label(self) -> str:
        return TIME_LIMIT_LABELS[self.time_limit]

    @property
    def statutory_label(self) -> str:
        return STATUTORY_LABELS[self.statutory]

    @property
    def respondent_kind_label(self) -> str:
        return RESPONDENT_KIND_LABELS[self.respondent_kind]

    @property
    def complainant_display(self) -> str:
        if self.anonymous:
            return "匿名"
        return self.complainant_name + (f"（{self.complainant_unit}）" if self.complainant_unit else "")


@dataclass(frozen=True)
class ComplaintFilter:
    """The list's filters; empty values mean "any"."""

    states: frozenset[State] = frozenset()
    categories: frozenset[Category] = frozenset()
    channels: frozenset[Channel] = frozenset()
    department_id: int | None = None
    handler_staff_id: int | None = None
    overdue: bool = False
    due_within_day: bool = False  # open and due today or the next working day
    received_from: date | None = None
    received_to: date | None = None
    text: str = ""
    mine: bool = False  # cases the signed-in user handles, received or supervises
    extensions_waiting: bool = False  # an extension request waits for a decision
    followups_due: bool = False  # a follow-up after 差评 not finished


@dataclass(frozen=True)
class ListOrder:
    """Sort key of the list (a column key of ``ComplaintRow``) and direction."""

    key: str = "received_at"
    descending: bool = True


@dataclass(frozen=True)
class MonthlyStats:
    month: str  # YYYY-MM
    received: int
    closed: int
    closed_on_time: int
    open_overdue: int
    by_category: tuple[tuple[Category, int], ...]
    by_channel: tuple[tuple[Channel, int], ...]
    by_outcome: tuple[tuple[Outcome, int], ...]
    by_satisfaction: tuple[tuple[Satisfaction, int], ...]
    visited: int
    satisfied: int

    @property
    def on_time_rate(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.visited if self.visited else None


@dataclass(frozen=True)
class WorkloadCounts:
    """What the status bar shows for whoever handles cases: overdue and due within a working day."""

    overdue: int
    due_soon: int
    extensions_waiting: int = 0
    followups_due: int = 0


@dataclass(frozen=True)
class IntakeResult:
    complaint: ComplaintInfo
    receipt_number: str
    receipt_pdf: bytes
    receipt: IssuedDocument | None = None  # the notice as issued, for the preview (verify code, id)


@dataclass(frozen=True)
class ReplyTemplate:
    key: str
    title: str
    text: str  # with {fields}


@dataclass(frozen=True)
class RuleValue:
    name: str
    label: str
    value: int
    effective_from: date
    id: int = 0
    version: int = 0
    low: int = 0
    high: int = 0


@dataclass(frozen=True)
class Closure:
    """What closing a case says."""

    outcome: Outcome | None
    reply: str
    note: str = ""  # internal, kept apart from the reply
    deduction_points: int | None = None  # None: the catalogue's figure for a finding against staff


@dataclass(frozen=True)
class Assignment:
    department_id: int | None
    handler_staff_id: int | None
    note: str = ""


@dataclass
class Draft:
    form: str
    values: dict[str, object] = field(default_factory=dict)
    saved_at: datetime | None = None
