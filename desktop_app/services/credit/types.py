"""The plain data the credit services take and return: what the GUI, the CLI and other modules see.

Inputs are what a form or an import row says; infos are detached copies of what is stored, with
personal data already masked. None of them holds a Session or a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desktop_app.domain.credit import (
    EXPERT_POOL_LABELS,
    RECORD_KIND_LABELS,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    SUBJECT_KIND_LABELS,
    VERDICT_LABELS,
    Assessment,
    ExpertPoolStatus,
    RecordKind,
    RecordSource,
    RecordStatus,
    Severity,
    SubjectKind,
    Verdict,
)
from desktop_app.domain.dates import chinese_period


@dataclass(frozen=True)
class AliasInput:
    name: str
    kind: str = "former"  # former / short


@dataclass(frozen=True)
class ContactInput:
    name: str
    role: str = ""
    phone: str = ""


@dataclass(frozen=True)
class SubjectInput:
    kind: SubjectKind | None  # None: not chosen yet (refused with a message at the field)
    name: str
    uscc: str = ""
    id_number: str = ""
    phone: str = ""
    legal_representative: str = ""
    expert_no: str = ""
    specialty: str = ""
    pool_status: ExpertPoolStatus | None = None
    staff_id: int | None = None
    note: str = ""
    aliases: tuple[AliasInput, ...] = ()
    contacts: tuple[ContactInput, ...] = ()
    # Given when the USCC or ID fails its check character but is known to be real.
    identifier_override_reason: str = ""


@dataclass(frozen=True)
class ContactInfo:
    id: int
    name: str
    role: str
    phone_masked: str


@dataclass(frozen=True)
class SubjectInfo:
    id: int
    kind: SubjectKind
    name: str
    uscc: str
    id_number_masked: str
    phone_masked: str
    legal_representative: str
    expert_no: str
    specialty: str
    pool_status: ExpertPoolStatus | None
    staff_id: int | None
    note: str
    aliases: tuple[AliasInput, ...]
    contacts: tuple[ContactInfo, ...]
    identifier_override_reason: str
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def kind_label(self) -> str:
        return SUBJECT_KIND_LABELS[self.kind]

    @property
    def identifier(self) -> str:
        """What identifies the subject on screen: the USCC (public) or the masked ID number."""
        return self.uscc or self.id_number_masked

    @property
    def pool_status_label(self) -> str:
        return EXPERT_POOL_LABELS[self.pool_status] if self.pool_status else ""


@dataclass(frozen=True)
class RecordInput:
    subject_id: int
    kind: RecordKind
    severity: Severity
    decision_date: date
    facts: str = ""
    legal_basis: str = ""
    authority: str = ""
    decision_number: str = ""
    publicity_min_end: date | None = None
    publicity_end: date | None = None
    ban_start: date | None = None
    ban_end: date | None = None
    points: int | None = None  # None: the catalogue's default
    source: RecordSource = RecordSource.MANUAL
    source_ref: str = ""


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class RepairInfo:
    id: int
    record_id: int
    requested_on: date
    applicant: str
    materials: str
    status: str
    decided_on: date | None
    decided_by: str
    decision_number: str
    decision_note: str
    version: int

    @property
    def status_label(self) -> str:
        return {"requested": "待决定", "approved": "准予修复", "rejected": "不予修复"}[self.status]


@dataclass(frozen=True)
class RecordInfo:
    id: int
    subject_id: int
    kind: RecordKind
    severity: Severity
    status: RecordStatus
    facts: str
    legal_basis: str
    authority: str
    decision_number: str
    decision_date: date
    publicity_min_end: date | None
    publicity_end: date | None
    ban_start: date | None
    ban_end: date | None
    points: int
    source: RecordSource
    source_ref: str
    created_at: datetime
    created_by: str
    confirmed_at: datetime | None
    confirmed_by: str
    repaired_on: date | None
    closed_at: datetime | None
    closed_by: str
    closed_reason: str
    version: int
    in_force: bool
    state: str  # 生效中 / 已到期 / 未开始 / 待领导确认 / 已撤销 ...
    repairs: tuple[RepairInfo, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()
    created_by_name: str = ""  # the real name of who entered it, where the list shows people

    @property
    def kind_label(self) -> str:
        return RECORD_KIND_LABELS[self.kind]

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]

    @property
    def period_text(self) -> str:
        if self.kind == RecordKind.BAN and self.ban_start:
            end = self.ban_end.isoformat() if self.ban_end else "—"
            return f"禁入 {self.ban_start.isoformat()} 至 {end}"
        end = self.publicity_end.isoformat() if self.publicity_end else "—"
        return f"{self.decision_date.isoformat()} 至 {end}"

    @property
    def printed_period(self) -> str:
        """The period as paper writes it: 禁入2026年3月10日至2027年3月9日 / 2026年3月10日至2027年3月9日."""
        if self.kind == RecordKind.BAN and self.ban_start:
            return f"禁入{chinese_period(self.ban_start, self.ban_end)}"
        return chinese_period(self.decision_date, self.publicity_end)


@dataclass(frozen=True)
class SubjectHit:
    subject_id: int
    kind: SubjectKind
    name: str
    identifier: str  # USCC in full (public), ID masked
    matched_alias: str  # the former/short name that matched, when the name itself did not
    how: str  # id / uscc / name / alias / initials / uscc_prefix
    verdict: Verdict
    reason: str
    score: int
    grade: str
    matched_alias_kind: str = ""  # former / short
    # The grade is the lowest while a ban lasts, whatever the score (80 points would be B): the
    # screen says so, or "80 / E" reads as a mistake.
    grade_forced: bool = False

    @property
    def kind_label(self) -> str:
        return SUBJECT_KIND_LABELS[self.kind]

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass(frozen=True)
class SearchResult:
    query: str
    on: date
    hits: tuple[SubjectHit, ...]
    hint: str = ""  # why nothing useful can be found for this query
    more: bool = False  # more subjects match than ``hits`` holds (count_matches says how many)

    @property
    def verdict(self) -> Verdict:
        """The entry verdict when the query names one subject; 未找到 when it names none."""
        return self.hits[0].verdict if self.hits else Verdict.NOT_FOUND


@dataclass(frozen=True)
class EntryCheckInfo:
    id: int
    checked_at: datetime
    checked_on: date
    operator: str
    operator_name: str
    workstation: str
    query: str
    subject_id: int | None
    subject_name: str
    verdict: Verdict
    reason: str
    match_count: int
    data_as_of: datetime | None
    notice_number: str | None

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass(frozen=True)
class SubjectFile:
    """Everything the detail pane shows."""

    subject: SubjectInfo
    on: date
    assessment: Assessment
    records: tuple[RecordInfo, ...]  # in force first, then the rest, newest first
    checks: tuple[EntryCheckInfo, ...]
    barring_records: tuple[RecordInfo, ...] = field(default=())

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.assessment.verdict]


@dataclass(frozen=True)
class EntryCheckResult:
    check: EntryCheckInfo
    notice: Any  # IssuedDocument (the 信用查询结果告知单), or None when not printed
