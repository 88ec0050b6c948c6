"""Credit files (DOMAIN.md §1): kinds, periods, the score, the grade and the entry verdict.

Pure rules on plain data. The verdict depends only on bans and serious-list records in force on the
day asked about (national rules forbid turning a score into a hidden bidding barrier); the score and
grade are information. A period runs from its first day to the end of its last day, both inclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from dateutil.relativedelta import relativedelta

from desktop_app.domain import search_text as st
from desktop_app.domain.errors import Refusals, ValidationError


class SubjectKind(StrEnum):
    AGENCY = "agency"
    BIDDER = "bidder"
    SUPPLIER = "supplier"
    BUYER = "buyer"
    EXPERT = "expert"
    STAFF = "staff"


SUBJECT_KIND_LABELS: dict[SubjectKind, str] = {
    SubjectKind.AGENCY: "代理机构",
    SubjectKind.BIDDER: "投标人",
    SubjectKind.SUPPLIER: "供应商",
    SubjectKind.BUYER: "竞买人",
    SubjectKind.EXPERT: "评标专家",
    SubjectKind.STAFF: "工作人员",
}
# Experts and staff are people (resident ID); buyers may be either; the others are organisations.
PERSON_KINDS = frozenset({SubjectKind.EXPERT, SubjectKind.STAFF})
ORGANISATION_KINDS = frozenset({SubjectKind.AGENCY, SubjectKind.BIDDER, SubjectKind.SUPPLIER})


class ExpertPoolStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REMOVED = "removed"


EXPERT_POOL_LABELS = {
    ExpertPoolStatus.ACTIVE: "在库",
    ExpertPoolStatus.SUSPENDED: "暂停抽取",
    ExpertPoolStatus.REMOVED: "已清退",
}


class RecordKind(StrEnum):
    GOOD = "good"
    BAD = "bad"
    SERIOUS = "serious"
    BAN = "ban"
    EXPERT_DEDUCTION = "expert_deduction"
    STAFF_RECORD = "staff_record"


RECORD_KIND_LABELS: dict[RecordKind, str] = {
    RecordKind.GOOD: "良好",
    RecordKind.BAD: "不良行为",
    RecordKind.SERIOUS: "严重失信",
    RecordKind.BAN: "禁止入场",
    RecordKind.EXPERT_DEDUCTION: "专家扣分",
    RecordKind.STAFF_RECORD: "工作人员诚信记录",
}
# Kinds that bar entry while in force, and so need a leader's confirmation before they take effect.
BARRING_KINDS = frozenset({RecordKind.SERIOUS, RecordKind.BAN})
ADVERSE_KINDS = frozenset(
    {RecordKind.BAD, RecordKind.SERIOUS, RecordKind.BAN, RecordKind.EXPERT_DEDUCTION, RecordKind.STAFF_RECORD}
)


class Severity(StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"
    # For kinds that are not graded (a commendation): the catalogue lists the kind with this value.
    NONE = "none"


SEVERITY_LABELS = {
    Severity.MINOR: "轻微",
    Severity.GENERAL: "一般",
    Severity.SERIOUS: "严重",
    Severity.NONE: "不分等级",
}
GRADED_SEVERITIES = (Severity.MINOR, Severity.GENERAL, Severity.SERIOUS)


class RecordSource(StrEnum):
    MANUAL = "manual"
    IMPORT = "import"
    COMPLAINT = "complaint"
    EXPERT_EVALUATION = "expert_evaluation"


SOURCE_LABELS = {
    RecordSource.MANUAL: "手工录入",
    RecordSource.IMPORT: "批量导入",
    RecordSource.COMPLAINT: "投诉处理",
    RecordSource.EXPERT_EVALUATION: "专家考评",
}


class RecordStatus(StrEnum):
    PENDING = "pending"  # a ban or serious-list record waiting for a leader
    CONFIRMED = "confirmed"
    DECLINED = "declined"  # the leader did not confirm it
    REPAIRED = "repaired"
    REVOKED = "revoked"


STATUS_LABELS = {
    RecordStatus.PENDING: "待领导确认",
    RecordStatus.CONFIRMED: "已生效",
    RecordStatus.DECLINED: "未获确认",
    RecordStatus.REPAIRED: "已修复",
    RecordStatus.REVOKED: "已撤销",
}


class Verdict(StrEnum):
    CLEAR = "clear"
    RECORDS = "records"
    BANNED = "banned"
    NOT_FOUND = "not_found"
    # A row the verdict rests on fails its MAC (changed in the database): no answer can be given.
    TAMPERED = "tampered"


VERDICT_LABELS = {
    Verdict.CLEAR: "可入场",
    Verdict.RECORDS: "有不良记录",
    Verdict.BANNED: "禁止入场",
    Verdict.NOT_FOUND: "未找到",
    Verdict.TAMPERED: "数据校验失败 — 请联系审计管理员",
}


E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], labels: Mapping[E, str], text: str, field: str, what: str) -> E:
    """A catalogue value from its code or its Chinese label (as typed in an import file)."""
    value = (text or "").strip()
    for member, label in labels.items():
        if value in (member.value, label):
            return member
    allowed = "、".join(labels.values())
    raise ValidationError(f"{what}“{value}”无效，可选：{allowed}。", field=field)


# -- catalogue ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CreditRule:
    """Default periods and points of one kind and severity, from a date on (an editable catalogue)."""

    kind: RecordKind
    severity: Severity
    effective_from: date
    publicity_min_months: int
    publicity_max_months: int
    points: int
    ban_months: int = 0


@dataclass(frozen=True)
class ScoreRule:
    effective_from: date
    base: int
    # (grade, lowest score) from the best grade down; below the last band is the last grade.
    bands: tuple[tuple[str, int], ...]
    worst_grade: str


def rule_in_force(
    rules: Iterable[CreditRule], kind: RecordKind, severity: Severity, on: date
) -> CreditRule | None:
    """The catalogue version in force on a day; before the first version, the first one (older
    decisions entered today still need default periods)."""
    versions = sorted(
        (r for r in rules if r.kind == kind and r.severity == severity), key=lambda r: r.effective_from
    )
    if not versions:
        return None
    in_force_then = [r for r in versions if r.effective_from <= on]
    return in_force_then[-1] if in_force_then else versions[0]


def severities_of(rules: Iterable[CreditRule], kind: RecordKind) -> frozenset[Severity]:
    """The severities a kind's records may have: those its catalogue versions name (only NONE for a
    kind that is not graded); a kind the catalogue does not know takes the three grades."""
    named = frozenset(r.severity for r in rules if r.kind == kind)
    return named or frozenset(GRADED_SEVERITIES)


def score_rule_in_force(rules: Iterable[ScoreRule], on: date) -> ScoreRule:
    versions = sorted(rules, key=lambda r: r.effective_from)
    if not versions:
        raise ValidationError("信用评分规则尚未设置。")
    in_force_then = [r for r in versions if r.effective_from <= on]
    return in_force_then[-1] if in_force_then else versions[0]


def period_end(start: date, months: int) -> date:
    """Last day of a period of whole months from ``start`` (3 months from 15 Jan ends on 14 Apr).

    When the last month has no day corresponding to ``start`` (1 month from 31 Jan), the period ends
    on that month's last day (民法典 第二百零三条: 没有对应日的，月末日为期间的最后一日).
    """
    corresponding = start + relativedelta(months=months)  # relativedelta stops at the month's end
    if corresponding.day < start.day:
        return corresponding
    return corresponding - timedelta(days=1)


@dataclass(frozen=True)
class Defaults:
    publicity_min_end: date | None
    publicity_end: date | None
    ban_start: date | None
    ban_end: date | None
    points: int


def default_periods(rule: CreditRule | None, decision_date: date) -> Defaults:
    if rule is None:
        return Defaults(None, None, None, None, 0)
    ban_start = decision_date if rule.kind == RecordKind.BAN else None
    ban_end = period_end(decision_date, rule.ban_months) if ban_start and rule.ban_months else None
    return Defaults(
        period_end(decision_date, rule.publicity_min_months) if rule.publicity_min_months else None,
        period_end(decision_date, rule.publicity_max_months) if rule.publicity_max_months else None,
        ban_start,
        ban_end,
        rule.points,
    )


# -- records in force ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordFacts:
    """What the rules need to know of a record."""

    id: int
    kind: RecordKind
    status: RecordStatus
    decision_date: date
    publicity_end: date | None
    ban_start: date | None
    ban_end: date | None
    points: int
    repaired_on: date | None = None
    decision_number: str = ""


EARLIEST_DECISION_YEAR = 1990
LONGEST_PERIOD_YEARS = 20


def check_decision_date(decision_date: date, today: date) -> None:
    """A decision is already taken: a date in the future or decades back is a mistyped year."""
    if decision_date > today:
        raise ValidationError(
            f"决定日期 {decision_date.isoformat()} 晚于今天，请核对年份。", field="decision_date"
        )
    if decision_date.year < EARLIEST_DECISION_YEAR:
        raise ValidationError(
            f"决定日期 {decision_date.isoformat()} 早于 {EARLIEST_DECISION_YEAR} 年，请核对年份。",
            field="decision_date",
        )


def validate_periods(
    kind: RecordKind,
    decision_date: date,
    publicity_min_end: date | None,
    publicity_end: date | None,
    ban_start: date | None,
    ban_end: date | None,
    points: int,
) -> None:
    """Every fault of a record's periods and points at once (ValidationErrors when several)."""
    refusals = Refusals()
    latest = decision_date + relativedelta(years=LONGEST_PERIOD_YEARS)
    for value, field_name in (
        (publicity_min_end, "publicity_min_end"),
        (publicity_end, "publicity_end"),
        (ban_start, "ban_start"),
        (ban_end, "ban_end"),
    ):
        if value is not None and value > latest:
            refusals.add(
                f"{value.isoformat()} 距决定日期超过 {LONGEST_PERIOD_YEARS} 年，请核对年份。", field_name
            )
    if publicity_min_end and publicity_min_end < decision_date:
        refusals.add("公示最短期限不能早于决定日期。", "publicity_min_end")
    if publicity_end and publicity_end < decision_date:
        refusals.add("公示截止日期不能早于决定日期。", "publicity_end")
    if publicity_min_end and publicity_end and publicity_min_end > publicity_end:
        refusals.add("公示最短期限不能晚于公示截止日期。", "publicity_min_end")
    if kind == RecordKind.BAN:
        if ban_start is None:
            refusals.add("禁止入场记录必须填写禁入开始日期。", "ban_start")
        if ban_end is None:
            refusals.add("禁止入场记录必须填写禁入截止日期。", "ban_end")
        elif ban_start is not None and ban_end < ban_start:
            refusals.add("禁入截止日期不能早于开始日期。", "ban_end")
    elif ban_start or ban_end:
        refusals.add("只有禁止入场记录才有禁入期限。", "ban_start")
    if kind != RecordKind.BAN and publicity_end is None:
        refusals.add("请填写公示截止日期（记录在该日结束后失效）。", "publicity_end")
    if points < 0 or points > 100:
        refusals.add("分值应在 0 到 100 之间。", "points")
    refusals.raise_any()


def _cut_by_repair(record: RecordFacts, end: date | None) -> date | None:
    if record.repaired_on is None:
        return end
    repaired_end = record.repaired_on - timedelta(days=1)
    return repaired_end if end is None else min(end, repaired_end)


def effective_period(record: RecordFacts) -> tuple[date, date | None]:
    """First and last day the record counts (is published, weighs on the score; None: open-ended).

    A ban is published from its decision until its publicity ends, which is never before the ban's
    last day: after the ban, the subject may enter again but the record still shows.
    """
    start, end = record.decision_date, record.publicity_end
    if record.kind == RecordKind.BAN:
        if record.ban_start is not None:
            start = min(start, record.ban_start)
        if record.ban_end is not None and (end is None or end < record.ban_end):
            end = record.ban_end
    return start, _cut_by_repair(record, end)


def ban_period(record: RecordFacts) -> tuple[date, date | None]:
    """The days a ban keeps the subject out: from its first day to the end of its last day."""
    return record.ban_start or record.decision_date, _cut_by_repair(record, record.ban_end)


def _counts(record: RecordFacts) -> bool:
    return record.status in (RecordStatus.CONFIRMED, RecordStatus.REPAIRED)


def _within(period: tuple[date, date | None], on: date) -> bool:
    start, end = period
    return start <= on and (end is None or on <= end)


def in_force(record: RecordFacts, on: date) -> bool:
    """The record counts on that day: it is shown as active and weighs on the score."""
    return _counts(record) and _within(effective_period(record), on)


def bars_entry(record: RecordFacts, on: date) -> bool:
    """The record makes the verdict 禁止入场 on that day (a ban within its ban period, or a serious-list
    record in force)."""
    if not _counts(record) or record.kind not in BARRING_KINDS:
        return False
    if record.kind == RecordKind.BAN:
        return _within(ban_period(record), on)
    return in_force(record, on)


def state_on(record: RecordFacts, on: date) -> str:
    """A short word for the timeline: 生效中 / 禁入期满 / 已到期 / 未开始 / the status."""
    if record.status in (RecordStatus.PENDING, RecordStatus.DECLINED, RecordStatus.REVOKED):
        return STATUS_LABELS[record.status]
    if record.kind == RecordKind.BAN and in_force(record, on) and not bars_entry(record, on):
        ban_start, _ = ban_period(record)
        return "禁入未开始" if on < ban_start else "禁入期满（公示中）"
    if in_force(record, on):
        return "生效中"
    start, _ = effective_period(record)
    if on < start:
        return "未开始"
    return "已修复" if record.status == RecordStatus.REPAIRED else "已到期"


@dataclass(frozen=True)
class Assessment:
    on: date
    verdict: Verdict
    score: int
    grade: str
    grade_overridden: bool
    reason: str
    barring_record_ids: tuple[int, ...]
    adverse_record_ids: tuple[int, ...]


def unverifiable(on: date, what: str) -> Assessment:
    """The answer when a row it would rest on fails its check: no verdict, no score, say why."""
    return Assessment(
        on, Verdict.TAMPERED, 0, "—", False, f"{VERDICT_LABELS[Verdict.TAMPERED]}（{what}）。", (), ()
    )


def _reason(record: RecordFacts) -> str:
    label = RECORD_KIND_LABELS[record.kind]
    number = f"（{record.decision_number}）" if record.decision_number else ""
    start, end = ban_period(record) if record.kind == RecordKind.BAN else effective_period(record)
    until = f"至 {end.isoformat()}" if end else "（无截止日期）"
    return f"{label}{number}：{start.isoformat()} {until}"


def assess(records: Sequence[RecordFacts], on: date, rule: ScoreRule) -> Assessment:
    """Verdict, score and grade on one day."""
    active = [r for r in records if in_force(r, on)]
    barring = sorted((r for r in records if bars_entry(r, on)), key=lambda r: r.id)
    adverse = [r for r in active if r.kind in ADVERSE_KINDS]
    score = rule.base
    for record in active:
        score += record.points if record.kind == RecordKind.GOOD else -record.points
    score = max(0, min(100, score))
    grade = rule.worst_grade
    for band_grade, lowest in rule.bands:
        if score >= lowest:
            grade = band_grade
            break
    overridden = bool(barring)
    if overridden:
        grade = rule.worst_grade
    if barring:
        verdict = Verdict.BANNED
        reason = "；".join(_reason(r) for r in sorted(barring, key=lambda r: r.id))
    elif adverse:
        verdict = Verdict.RECORDS
        reason = f"有 {len(adverse)} 条有效的不良记录，不影响入场。"
    else:
        verdict = Verdict.CLEAR
        reason = "无有效的禁止入场或严重失信记录。"
    return Assessment(
        on,
        verdict,
        score,
        grade,
        overridden,
        reason,
        tuple(r.id for r in barring),
        tuple(r.id for r in adverse),
    )


# -- the answer to one query at the desk ------------------------------------------------------------
class Match(Protocol):
    """What the rule needs of a search result (the services' SubjectHit)."""

    @property
    def how(self) -> str: ...  # id / uscc / name / alias / initials / uscc_prefix
    @property
    def name(self) -> str: ...
    @property
    def matched_alias(self) -> str: ...
    @property
    def verdict(self) -> Verdict: ...


M = TypeVar("M", bound=Match)
SEVERITY_OF_VERDICT = {
    Verdict.TAMPERED: 4,
    Verdict.BANNED: 3,
    Verdict.RECORDS: 2,
    Verdict.CLEAR: 1,
    Verdict.NOT_FOUND: 0,
}


def query_verdict(query: str, matches: Sequence[M]) -> tuple[Verdict, str, list[M]]:
    """(verdict, what decided it, the matches it rests on) for a query whose results nobody picked.

    An exact USCC or ID number names its subject ("identifier"); else the names or aliases equal to
    the query ("name"); else every partial match ("partial"), and then any banned one makes the
    answer 禁止入场: the strict reading, since nobody can tell which of them stands at the desk.
    """
    if not matches:
        return Verdict.NOT_FOUND, "none", []
    decisive = [m for m in matches if m.how in ("id", "uscc")]
    decided_by = "identifier"
    if not decisive:
        folded = st.fold(query)
        decisive = [
            m
            for m in matches
            if st.fold(m.name) == folded or (m.matched_alias and st.fold(m.matched_alias) == folded)
        ]
        decided_by = "name"
    if not decisive:
        decisive, decided_by = list(matches), "partial"
    verdict = max((m.verdict for m in decisive), key=SEVERITY_OF_VERDICT.__getitem__)
    return verdict, decided_by, decisive
