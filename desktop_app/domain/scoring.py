"""Monthly staff scoring (月度考核, DOMAIN.md §4): dimensions, item kinds, a sheet's total, caps, vetoes
and grade bands, the 优秀 quota, the quarterly 平时考核 grade and the annual grade.

No database here: schemes, bands and quotas are catalogue data (``scoring_schemes`` and
``scoring_rules``, each version from a month on), read by the service and passed in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Dimension(StrEnum):
    MORALITY = "de"  # 德
    ABILITY = "neng"  # 能
    DILIGENCE = "qin"  # 勤
    PERFORMANCE = "ji"  # 绩
    INTEGRITY = "lian"  # 廉


DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.MORALITY: "德",
    Dimension.ABILITY: "能",
    Dimension.DILIGENCE: "勤",
    Dimension.PERFORMANCE: "绩",
    Dimension.INTEGRITY: "廉",
}


class ItemKind(StrEnum):
    BASE = "base"  # a dimension's base points, scored 0..max (full unless lowered)
    BONUS = "bonus"  # added (表扬 …), up to the scheme's maximum
    DEDUCTION = "deduction"  # taken off


ITEM_KIND_LABELS: dict[ItemKind, str] = {
    ItemKind.BASE: "基本分",
    ItemKind.BONUS: "加分",
    ItemKind.DEDUCTION: "扣分",
}


class AutoSource(StrEnum):
    """Items that arrive on the sheet by themselves, each with a link to its source."""

    COMPLAINT_TRUE = "complaint_true"  # a complaint found true (staff_deductions)
    COMPLAINT_OVERDUE = "complaint_overdue"  # a case closed after its deadline (staff_deductions)
    BAD_RATING = "bad_rating"  # a 差评 at the follow-up visit of a case against the staff member
    PRAISE = "praise"  # a confirmed commendation (表彰) in the staff member's credit file
    STAFF_RECORD = "staff_record"  # a staff integrity record (政务失信记录) in force in the month


AUTO_SOURCE_LABELS: dict[AutoSource, str] = {
    AutoSource.COMPLAINT_TRUE: "投诉属实",
    AutoSource.COMPLAINT_OVERDUE: "超期办结",
    AutoSource.BAD_RATING: "差评回访",
    AutoSource.PRAISE: "表扬",
    AutoSource.STAFF_RECORD: "政务失信记录",
}


class SheetState(StrEnum):
    DRAFT = "draft"  # the supervisor fills it
    SUBMITTED = "submitted"  # the department's month is with a leader
    LOCKED = "locked"  # decided; changes only through a reopen (a new revision)


SHEET_STATE_LABELS: dict[SheetState, str] = {
    SheetState.DRAFT: "填写中",
    SheetState.SUBMITTED: "已提交",
    SheetState.LOCKED: "已锁定",
}


class ContestState(StrEnum):
    NONE = "none"
    CONTESTED = "contested"  # the supervisor disputes an automatic item: a leader decides
    UPHELD = "upheld"  # the leader kept it: it counts
    WITHDRAWN = "withdrawn"  # the leader took it off the sheet: it does not count (the link stays)


CONTEST_STATE_LABELS: dict[ContestState, str] = {
    ContestState.NONE: "",
    ContestState.CONTESTED: "申诉中",
    ContestState.UPHELD: "申诉未采纳",
    ContestState.WITHDRAWN: "已撤销",
}

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_month(month: str) -> str:
    """YYYY-MM, or ValueError."""
    if not MONTH_PATTERN.match(month or ""):
        raise ValueError(f"not a month: {month!r}")
    return month


def month_of(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_months(year: int, quarter: int) -> tuple[str, str, str]:
    first = 3 * (quarter - 1) + 1
    return (month_of(year, first), month_of(year, first + 1), month_of(year, first + 2))


def previous_months(month: str, count: int) -> list[str]:
    """The ``count`` months up to and including ``month``, oldest first."""
    year, number = int(month[:4]), int(month[5:])
    months = []
    for _ in range(count):
        months.append(month_of(year, number))
        number -= 1
        if number == 0:
            year, number = year - 1, 12
    return list(reversed(months))


@dataclass(frozen=True)
class Band:
    grade: str
    lowest: float  # the lowest total (inclusive) that earns the grade


@dataclass(frozen=True)
class Bands:
    """Grade bands, best first, and the grade below the last band."""

    bands: tuple[Band, ...]
    worst: str

    def grade(self, total: float) -> str:
        for band in self.bands:
            if total >= band.lowest:
                return band.grade
        return self.worst

    @property
    def grades(self) -> tuple[str, ...]:
        return (*(b.grade for b in self.bands), self.worst)

    @classmethod
    def parse(cls, text: str, worst: str) -> Bands:
        """``"优秀:95,良好:85,合格:70,基本合格:60"`` (best first)."""
        bands = []
        for part in text.split(","):
            grade, lowest = part.split(":")
            bands.append(Band(grade.strip(), float(lowest)))
        return cls(tuple(bands), worst.strip())

    def text(self) -> str:
        return ",".join(f"{b.grade}:{b.lowest:g}" for b in self.bands)


@dataclass(frozen=True)
class ScoringRule:
    """Bands and quota, in force from ``effective_from`` (a month)."""

    effective_from: str = "2000-01"
    monthly: Bands = Bands(
        (Band("优秀", 95), Band("良好", 85), Band("合格", 70), Band("基本合格", 60)), "不合格"
    )
    veto_cap: str = "合格"  # a veto caps the month at this grade or below
    excellent: str = "优秀"  # the grade the quota limits
    quota_percent: int = 20
    quota_min_size: int = 5  # departments of this size or more get at least one 优秀
    quarterly: Bands = Bands((Band("好", 90), Band("较好", 80), Band("一般", 70)), "较差")
    annual: Bands = Bands((Band("优秀", 90), Band("合格", 70), Band("基本合格", 60)), "不合格")


DEFAULT_RULE = ScoringRule()


@dataclass(frozen=True)
class Line:
    """One counted line of a sheet: its dimension, kind and points (positive numbers)."""

    dimension: Dimension
    kind: ItemKind
    points: float
    veto: bool = False


@dataclass(frozen=True)
class Total:
    total: float  # clamped to 0..maximum
    raw: float  # before clamping
    by_dimension: dict[Dimension, float] = field(default_factory=dict)  # base − deductions + bonuses
    veto: bool = False
    grade: str = ""
    capped: bool = False  # the raw total was above the maximum or below 0


def sheet_total(lines: Iterable[Line], maximum: float, rule: ScoringRule = DEFAULT_RULE) -> Total:
    """Base points plus bonuses minus deductions, never above ``maximum`` nor below 0; the grade by the
    monthly bands, capped at ``rule.veto_cap`` when any counted line is a veto."""
    by_dimension: dict[Dimension, float] = {d: 0.0 for d in Dimension}
    veto = False
    for line in lines:
        sign = -1 if line.kind == ItemKind.DEDUCTION else 1
        by_dimension[line.dimension] += sign * line.points
        veto = veto or line.veto
    raw = sum(by_dimension.values())
    total = min(max(raw, 0.0), float(maximum))
    grade = rule.monthly.grade(total)
    if veto:
        grade = cap_grade(grade, rule.veto_cap, rule.monthly)
    return Total(round(total, 2), round(raw, 2), by_dimension, veto, grade, total != raw)


def cap_grade(grade: str, cap: str, bands: Bands) -> str:
    """``grade`` if it is no better than ``cap``, else ``cap``."""
    order = bands.grades
    if cap not in order or grade not in order:
        return grade
    return grade if order.index(grade) >= order.index(cap) else cap


def excellent_quota(size: int, rule: ScoringRule = DEFAULT_RULE) -> int:
    """20 % of a department, rounded down; at least one when it has ``quota_min_size`` or more."""
    quota = math.floor(size * rule.quota_percent / 100)
    if size >= rule.quota_min_size:
        quota = max(quota, 1)
    return quota


def quarter_grade(totals: Sequence[float], rule: ScoringRule = DEFAULT_RULE) -> str:
    """平时考核 of a quarter from its months' totals (their average); '' without any month."""
    if not totals:
        return ""
    return rule.quarterly.grade(sum(totals) / len(totals))


def annual_grade(totals: Sequence[float], vetoed: bool, rule: ScoringRule = DEFAULT_RULE) -> str:
    """The year's grade from its months' average; a veto in the year caps it at 合格."""
    if not totals:
        return ""
    grade = rule.annual.grade(sum(totals) / len(totals))
    return cap_grade(grade, rule.veto_cap, rule.annual) if vetoed else grade
