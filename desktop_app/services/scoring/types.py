"""The plain data the monthly scoring services take and return (what the GUI, the CLI, the papers and
the demo see). Infos are detached copies; none holds a Session or a row. Months are "YYYY-MM"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop_app.domain.scoring import AutoSource, ContestState, Dimension, ItemKind, SheetState


# -- schemes (the 岗责体系) and rules ------------------------------------------------------------------
@dataclass(frozen=True)
class SchemeItemInput:
    code: str
    dimension: Dimension
    kind: ItemKind
    text: str
    points: float  # base: the full points; bonus/deduction: the default
    min_points: float
    max_points: float
    evidence_required: bool = False
    veto: bool = False
    auto_source: AutoSource | None = None


@dataclass(frozen=True)
class SchemeItemInfo:
    code: str
    dimension: Dimension
    kind: ItemKind
    text: str
    points: float
    min_points: float
    max_points: float
    evidence_required: bool
    veto: bool
    auto_source: AutoSource | None
    position: int


@dataclass(frozen=True)
class SchemeInput:
    """A scheme version: its name, the month it takes effect, default or not, maximum, its items."""

    name: str
    effective_from: str
    is_default: bool
    maximum: int
    items: tuple[SchemeItemInput, ...]
    note: str = ""


@dataclass(frozen=True)
class SchemeInfo:
    id: int
    name: str
    effective_from: str
    is_default: bool
    maximum: int
    note: str
    items: tuple[SchemeItemInfo, ...]
    version: int


@dataclass(frozen=True)
class PostSchemeInfo:
    post: str
    scheme_name: str
    staff_count: int  # active staff with this post


@dataclass(frozen=True)
class RuleInfo:
    id: int
    effective_from: str
    monthly_bands: str  # "优秀:95,良好:85,合格:70,基本合格:60"
    monthly_worst: str
    veto_cap: str
    excellent: str
    quota_percent: int
    quota_min_size: int
    quarterly_bands: str
    quarterly_worst: str
    annual_bands: str
    annual_worst: str
    version: int


@dataclass(frozen=True)
class RuleInput:
    """A version of the bands and quota from a month on (the texts as in RuleInfo)."""

    effective_from: str
    monthly_bands: str
    monthly_worst: str
    veto_cap: str
    excellent: str
    quota_percent: int
    quota_min_size: int
    quarterly_bands: str
    quarterly_worst: str
    annual_bands: str
    annual_worst: str


# -- sheets -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryInfo:
    id: int | None  # None: a line of the scheme not yet saved
    item_code: str
    dimension: Dimension
    kind: ItemKind
    text: str
    points: float
    min_points: float
    max_points: float
    evidence_required: bool
    veto: bool
    evidence: str
    remark: str
    auto_source: AutoSource | None  # set: arrived by itself, with its source
    source_type: str  # complaint / credit_record
    source_id: int | None
    source_ref: str  # the case's number, the record's decision number
    contest_state: ContestState
    contest_reason: str
    decided_by: str
    decision_note: str

    @property
    def counts(self) -> bool:
        """Whether the line counts in the total (a withdrawn automatic item does not)."""
        return self.contest_state != ContestState.WITHDRAWN


@dataclass(frozen=True)
class EntryInput:
    """A manual line as typed: the item, its points (a base item's given points), evidence, remark.
    ``entry_id`` names a saved line (None: a new one); several lines may use one deduction item."""

    item_code: str
    points: float
    evidence: str = ""
    remark: str = ""
    entry_id: int | None = None


@dataclass(frozen=True)
class SheetInput:
    entries: tuple[EntryInput, ...]  # the manual lines (the automatic ones are the service's)
    remark: str = ""


@dataclass(frozen=True)
class SheetInfo:
    id: int
    staff_id: int
    staff_name: str
    employee_no: str
    department_id: int
    department_name: str
    post: str
    month: str
    revision: int
    current: bool
    scheme_id: int
    scheme_name: str
    maximum: int
    state: SheetState
    entries: tuple[EntryInfo, ...]  # the scheme's base lines first, then deductions and bonuses
    total: float
    by_dimension: dict[Dimension, float]
    grade: str
    veto: bool
    capped: bool
    remark: str
    updated_at: datetime
    updated_by: str  # display name of who saved it last
    version: int
    # The scheme's items (what a manual line may use; automatic ones arrive by themselves).
    scheme_items: tuple[SchemeItemInfo, ...] = ()


@dataclass(frozen=True)
class SheetRow:
    """A line of a department's month (or of the center's ranking)."""

    sheet_id: int
    staff_id: int
    staff_name: str
    employee_no: str
    department_id: int
    department_name: str
    post: str
    month: str
    revision: int
    state: SheetState
    by_dimension: dict[Dimension, float]
    total: float
    grade: str
    veto: bool
    automatic_items: int  # automatic lines on it (contested ones included)
    contested: int  # automatic lines contested and not decided
    rank_in_department: int
    rank_in_center: int


@dataclass(frozen=True)
class LateArrival:
    """An automatic deduction for a month already locked: listed for a leader, applied by a reopen."""

    staff_id: int
    staff_name: str
    department_id: int
    department_name: str
    month: str
    auto_source: AutoSource
    points: float
    source_type: str
    source_id: int
    source_ref: str
    arrived_at: datetime


@dataclass(frozen=True)
class DepartmentMonthInfo:
    department_id: int
    department_name: str
    month: str
    state: SheetState
    revision: int
    rows: tuple[SheetRow, ...]
    staff_count: int
    excellent_count: int
    excellent_quota: int
    over_quota: bool
    submitted_at: datetime | None
    submitted_by: str
    locked_at: datetime | None
    locked_by: str
    override_reason: str
    return_reason: str
    reopen_reason: str
    late_arrivals: tuple[LateArrival, ...]
    version: int


@dataclass(frozen=True)
class MonthOverview:
    """Every department's month (the leader's view), and what waits."""

    month: str
    departments: tuple[DepartmentMonthInfo, ...]
    late_arrivals: tuple[LateArrival, ...]


@dataclass(frozen=True)
class CalibrationRow:
    """One department beside the center, before locking: a lenient or harsh supervisor shows."""

    department_id: int  # 0: the center as a whole
    department_name: str
    count: int
    average: float
    spread: float  # standard deviation of the totals
    lowest: float
    highest: float
    excellent_share: float  # 0..1
    excellent_count: int
    excellent_quota: int
    difference: float  # average − the center's average


@dataclass(frozen=True)
class QuarterRow:
    staff_id: int
    staff_name: str
    department_name: str
    post: str
    year: int
    quarter: int
    months: tuple[str, ...]  # the locked months counted
    average: float
    grade: str  # 好/较好/一般/较差
    veto: bool


@dataclass(frozen=True)
class Candidate:
    """The quarterly 服务示范岗标兵 list: best average, no veto, no complaint found true, no staff
    integrity record in force; the excluded are listed with why."""

    staff_id: int
    staff_name: str
    department_name: str
    post: str
    average: float
    rank: int
    eligible: bool
    reasons: tuple[str, ...]  # why not eligible ('' list when eligible)


@dataclass(frozen=True)
class AnnualRow:
    staff_id: int
    staff_name: str
    department_name: str
    post: str
    year: int
    months: int
    average: float
    grade: str
    veto: bool
    excellent_quota: int  # of the department


@dataclass(frozen=True)
class HistoryPoint:
    month: str
    total: float | None  # the staff member's (None: no locked sheet)
    department_average: float | None
