"""The plain data the expert-evaluation services take and return (what the GUI, the CLI, the papers
and the demo see). Infos are detached copies; none holds a Session or a row. Experts are credit
subjects of kind ``expert`` (``subject_id``); ID numbers appear masked only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from desktop_app.domain.evaluations import (
    Accumulation,
    PoolStatus,
    ProposalAction,
    ProposalReason,
    ProposalState,
    SessionState,
    TradeCategory,
)


# -- the catalogue ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemInput:
    """One item's version from ``effective_from`` on (a new version of a code replaces the earlier one
    from that day; ``active=False`` retires the code from that day)."""

    code: str
    text: str
    default_points: int
    min_points: int
    max_points: int
    serious: bool
    effective_from: date
    active: bool = True


@dataclass(frozen=True)
class ItemInfo:
    id: int
    code: str
    text: str
    default_points: int
    min_points: int
    max_points: int
    serious: bool
    effective_from: date
    active: bool
    version: int


@dataclass(frozen=True)
class RuleInput:
    effective_from: date
    accumulation: Accumulation
    notify_points: int
    suspend_points: int
    serious_suspends: bool
    suspension_months: int


@dataclass(frozen=True)
class RuleInfo:
    id: int
    effective_from: date
    accumulation: Accumulation
    notify_points: int
    suspend_points: int
    serious_suspends: bool
    suspension_months: int
    version: int


# -- sessions -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionInput:
    """What the session form says. None: not given (refused at its field where required)."""

    project_code: str
    project_name: str
    category: TradeCategory | None
    room: str
    scheduled_start: datetime | None
    scheduled_end: datetime | None = None
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    witness_staff_id: int | None = None  # None: the signed-in user's staff record
    expert_ids: tuple[int, ...] = ()  # credit subjects of kind expert, in column order
    # A witness without a staff record (an imported paper form's 见证人): used when witness_staff_id
    # is None; empty: the signed-in user.
    witness_name: str = ""


@dataclass(frozen=True)
class SessionExpert:
    subject_id: int
    name: str
    expert_no: str
    specialty: str
    id_number_masked: str
    position: int


@dataclass(frozen=True)
class SessionInfo:
    id: int
    number: str  # KP2026-000123
    project_code: str
    project_name: str
    category: TradeCategory
    room: str
    scheduled_start: datetime
    scheduled_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    evaluation_date: date  # the local day of the evaluation (the credit records' decision date)
    witness_staff_id: int | None
    witness_name: str
    state: SessionState
    revision: int  # 1, then +1 at each reopen
    finalised_at: datetime | None
    finalised_by: str
    due_on: date | None  # procurement: the 5th working day after the end; None otherwise
    due_provisional: bool  # the due date counts days of a year without schedule (暂定)
    overdue: bool  # due_on passed and not finalised (as of the service's today)
    source: str  # "app" or "import"
    experts: tuple[SessionExpert, ...]
    marks_count: int  # marks of the current revision (finalised) or of the draft
    points_total: int
    created_by: str
    version: int


@dataclass(frozen=True)
class SessionFilter:
    date_from: date | None = None
    date_to: date | None = None
    category: TradeCategory | None = None
    room: str = ""
    witness_staff_id: int | None = None
    state: SessionState | None = None
    overdue_only: bool = False
    text: str = ""  # number, project code or name, expert name
    expert_id: int | None = None


# -- the grid ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GridMark:
    subject_id: int
    item_code: str
    points: int
    remark: str = ""


@dataclass(frozen=True)
class GridInput:
    """The witness's grid as typed: the marked cells, and a general remark per expert."""

    marks: tuple[GridMark, ...] = ()
    expert_remarks: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemLine:
    """An item of the catalogue in force on the session's day (a grid row)."""

    code: str
    text: str
    default_points: int
    min_points: int
    max_points: int
    serious: bool


@dataclass(frozen=True)
class SessionGrid:
    session: SessionInfo
    items: tuple[ItemLine, ...]
    grid: GridInput  # the draft if one is kept, else the current revision's marks
    from_draft: bool
    draft_saved_at: datetime | None
    draft_saved_by: str


@dataclass(frozen=True)
class MarkInfo:
    id: int
    session_id: int
    session_number: str
    project_code: str
    project_name: str
    evaluation_date: date
    subject_id: int
    expert_name: str
    item_code: str
    item_text: str
    points: int
    serious: bool
    remark: str
    revision: int
    current: bool  # False: superseded by a reopened session's correction
    credit_record_id: int | None


@dataclass(frozen=True)
class RevisionInfo:
    """A finalised version of a session's marks (the original stays readable after a reopen)."""

    revision: int
    finalised_at: datetime
    finalised_by: str
    reopened_at: datetime | None
    reopened_by: str
    reopen_reason: str
    marks: tuple[MarkInfo, ...]
    expert_remarks: dict[int, str]


# -- proposals and the experts' standing -----------------------------------------------------------
@dataclass(frozen=True)
class ProposalInfo:
    id: int
    subject_id: int
    expert_name: str
    expert_no: str
    year: int  # the accumulation period's year (the period's last day's year)
    action: ProposalAction
    reason: ProposalReason
    points: int  # the period's points when proposed
    suspension_months: int
    state: ProposalState
    session_id: int | None  # the finalisation that produced it
    session_number: str
    proposed_at: datetime
    decided_by: str
    decided_at: datetime | None
    authority: str
    decision_number: str
    decision_date: date | None
    suspend_from: date | None
    suspend_until: date | None
    reason_text: str  # the rejection's reason, or the confirmation's note
    credit_record_id: int | None  # the ban-type record of a confirmed suspension
    version: int


@dataclass(frozen=True)
class ConfirmInput:
    """A leader's confirmation of a proposal with the supervising department's decision.
    For a notify proposal only the decision fields are asked (no suspension dates)."""

    authority: str
    decision_number: str
    decision_date: date | None
    suspend_from: date | None = None
    suspend_until: date | None = None  # None: from + the proposal's months
    note: str = ""


@dataclass(frozen=True)
class ReachedInfo:
    action: ProposalAction
    reason: ProposalReason
    threshold: int
    text: str  # e.g. 累计扣分 12 分，达到 12 分：暂停评标资格


@dataclass(frozen=True)
class ExpertStatus:
    subject_id: int
    name: str
    expert_no: str
    specialty: str
    id_number_masked: str
    year: int
    period_start: date
    period_end: date
    points: int
    sessions: int  # sessions attended in the period (finalised)
    marks: tuple[MarkInfo, ...]  # current marks in the period, oldest first
    reached: tuple[ReachedInfo, ...]
    actions: tuple[str, ...]  # what the reached thresholds call for, in words
    proposals: tuple[ProposalInfo, ...]  # of this expert, pending and decided, newest first
    pool: PoolStatus


@dataclass(frozen=True)
class ExpertRow:
    """The expert roster's line."""

    subject_id: int
    name: str
    expert_no: str
    specialty: str
    id_number_masked: str
    pool: PoolStatus
    points: int  # this year
    sessions: int  # this year
    pending_proposals: int


@dataclass(frozen=True)
class YearLine:
    year: int
    sessions: int
    marks: int
    points: int


@dataclass(frozen=True)
class ExpertHistory:
    subject_id: int
    name: str
    expert_no: str
    years: tuple[YearLine, ...]  # newest first
    sessions: tuple[SessionInfo, ...]  # newest first, with this expert present
    marks: tuple[MarkInfo, ...]  # current marks, newest first


@dataclass(frozen=True)
class RankingRow:
    rank: int
    subject_id: int
    name: str
    expert_no: str
    specialty: str
    points: int
    sessions: int
    marks: int
    serious_marks: int
    pool: PoolStatus


@dataclass(frozen=True)
class Candidate:
    """An expert found for the session form, with whether they may sit on that day."""

    subject_id: int
    name: str
    expert_no: str
    specialty: str
    id_number_masked: str
    pool: PoolStatus


@dataclass(frozen=True)
class DrawnLine:
    """A line of a drawn-experts list (pasted or imported), and the expert it names."""

    row: int
    text: str
    subject_id: int | None
    name: str
    problem: str  # why it names no expert, or the expert may not sit ('' when fine)


@dataclass(frozen=True)
class FinaliseResult:
    session: SessionInfo
    records_added: int
    records_revoked: int
    proposals: tuple[ProposalInfo, ...]  # new ones
    withdrawn: tuple[ProposalInfo, ...] = ()
