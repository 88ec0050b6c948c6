"""On-site evaluation of bid-evaluation experts (评标专家现场考评, DOMAIN.md §2): trade categories,
session states, the item catalogue's entries, the threshold rules and what they call for.

No database here: the items and the thresholds are catalogue data (read by the service from
``evaluation_items`` / ``evaluation_rules``, each version from a date on); the working-day calendar
comes from ``domain.workdays``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from desktop_app.domain.credit import Severity


class TradeCategory(StrEnum):
    CONSTRUCTION = "construction"
    PROCUREMENT = "procurement"
    TRANSPORT_WATER = "transport_water"
    LAND_PROPERTY = "land_property"
    OTHER = "other"


TRADE_CATEGORY_LABELS: dict[TradeCategory, str] = {
    TradeCategory.CONSTRUCTION: "建设工程",
    TradeCategory.PROCUREMENT: "政府采购",
    TradeCategory.TRANSPORT_WATER: "交通水利",
    TradeCategory.LAND_PROPERTY: "土地产权",
    TradeCategory.OTHER: "其他",
}


class SessionState(StrEnum):
    DRAFT = "draft"  # being filled (a reopened session is a draft again, its earlier version kept)
    FINALISED = "finalised"  # signed off by the witness: locked


SESSION_STATE_LABELS: dict[SessionState, str] = {
    SessionState.DRAFT: "草稿",
    SessionState.FINALISED: "已定稿",
}
# A list filter, not a stored state: a procurement session past its 5-working-day limit, not finalised.
OVERDUE_LABEL = "超期未定稿"


class Accumulation(StrEnum):
    CALENDAR_YEAR = "calendar_year"  # 1 January – 31 December (the default)
    ROLLING_YEAR = "rolling_year"  # the 12 months up to the day


ACCUMULATION_LABELS: dict[Accumulation, str] = {
    Accumulation.CALENDAR_YEAR: "按自然年累计",
    Accumulation.ROLLING_YEAR: "按最近12个月累计",
}


class ProposalAction(StrEnum):
    NOTIFY = "notify"  # 通报并公开
    SUSPEND = "suspend"  # 暂停评标专家资格


PROPOSAL_ACTION_LABELS: dict[ProposalAction, str] = {
    ProposalAction.NOTIFY: "通报并公开",
    ProposalAction.SUSPEND: "暂停评标资格",
}


class ProposalReason(StrEnum):
    POINTS = "points"  # the year's points reached a threshold
    SERIOUS = "serious"  # a serious item (E14–E16 by default), whatever the points


PROPOSAL_REASON_LABELS: dict[ProposalReason, str] = {
    ProposalReason.POINTS: "累计扣分达到阈值",
    ProposalReason.SERIOUS: "存在严重违规项",
}


class ProposalState(StrEnum):
    PENDING = "pending"  # waiting for a leader
    CONFIRMED = "confirmed"  # decided by the supervising department, entered by a leader
    REJECTED = "rejected"  # not confirmed, with a reason
    WITHDRAWN = "withdrawn"  # a reopened session's correction no longer reaches the threshold


PROPOSAL_STATE_LABELS: dict[ProposalState, str] = {
    ProposalState.PENDING: "待领导确认",
    ProposalState.CONFIRMED: "已确认",
    ProposalState.REJECTED: "不予确认",
    ProposalState.WITHDRAWN: "已撤回",
}


class PoolState(StrEnum):
    ACTIVE = "active"  # 在库
    SUSPENDED = "suspended"  # 暂停 (until a date when a decision gives one)
    REMOVED = "removed"  # 清退


POOL_STATE_LABELS: dict[PoolState, str] = {
    PoolState.ACTIVE: "在库",
    PoolState.SUSPENDED: "暂停",
    PoolState.REMOVED: "清退",
}


@dataclass(frozen=True)
class PoolStatus:
    state: PoolState
    until: date | None = None  # the last day of a suspension (None: no end given, or not suspended)
    reason: str = ""  # the decision that set it (authority and number), for a refusal's message

    def label(self) -> str:
        if self.state == PoolState.SUSPENDED and self.until is not None:
            return f"暂停至{self.until.year}年{self.until.month}月{self.until.day}日"
        return POOL_STATE_LABELS[self.state]

    @property
    def may_evaluate(self) -> bool:
        return self.state == PoolState.ACTIVE


@dataclass(frozen=True)
class Item:
    """One line of the evaluation form, as the catalogue version in force on a day has it."""

    code: str  # E01…
    text: str
    default_points: int
    min_points: int
    max_points: int
    serious: bool = False

    def accepts(self, points: int) -> bool:
        return self.min_points <= points <= self.max_points


@dataclass(frozen=True)
class ThresholdRule:
    """What a year's points call for (one version, in force from ``effective_from``)."""

    effective_from: date
    accumulation: Accumulation = Accumulation.CALENDAR_YEAR
    notify_points: int = 8
    suspend_points: int = 12
    serious_suspends: bool = True
    suspension_months: int = 6


DEFAULT_RULE = ThresholdRule(date(2000, 1, 1))

# Working days after the evaluation within which a government-procurement session must be finalised.
PROCUREMENT_DAYS = 5
NUMBER_PREFIX = "KP"  # session numbers: KP2026-000123


def item_severity(item: Item, points: int) -> Severity:
    """The severity of the credit record a mark becomes: a serious item is serious; otherwise by points
    (5 or more: general, less: minor), which sets its publication period from the credit catalogue."""
    if item.serious:
        return Severity.SERIOUS
    return Severity.GENERAL if points >= 5 else Severity.MINOR


def period_of(rule: ThresholdRule, day: date) -> tuple[date, date]:
    """The first and last day whose marks count together with ``day``'s."""
    if rule.accumulation == Accumulation.ROLLING_YEAR:
        return day - relativedelta(years=1) + timedelta(days=1), day
    return date(day.year, 1, 1), date(day.year, 12, 31)


@dataclass(frozen=True)
class Reached:
    """A threshold an expert's marks reach, and the action it calls for."""

    action: ProposalAction
    reason: ProposalReason
    threshold: int  # the points threshold (0 for a serious item)
    points: int  # the expert's points in the period

    def describe(self) -> str:
        what = PROPOSAL_ACTION_LABELS[self.action]
        if self.reason == ProposalReason.SERIOUS:
            return f"存在严重违规项：{what}"
        return f"累计扣分 {self.points} 分，达到 {self.threshold} 分：{what}"


def thresholds_reached(points: int, serious: bool, rule: ThresholdRule) -> list[Reached]:
    """The actions a period's points (and whether any mark in it is of a serious item) call for:
    notify at ``notify_points``, suspend at ``suspend_points`` or on any serious item."""
    reached: list[Reached] = []
    if rule.notify_points > 0 and points >= rule.notify_points:
        reached.append(Reached(ProposalAction.NOTIFY, ProposalReason.POINTS, rule.notify_points, points))
    if rule.suspend_points > 0 and points >= rule.suspend_points:
        reached.append(Reached(ProposalAction.SUSPEND, ProposalReason.POINTS, rule.suspend_points, points))
    elif serious and rule.serious_suspends:
        reached.append(Reached(ProposalAction.SUSPEND, ProposalReason.SERIOUS, 0, points))
    return reached


def suspension_end(start: date, months: int) -> date:
    """The last day of a suspension of ``months`` months from ``start`` (6 months from 1 March: 31 August)."""
    return start + relativedelta(months=months) - timedelta(days=1)


def in_force(rows: Iterable[tuple[date, object]], day: date) -> object | None:
    """The value whose effective date is the latest on or before ``day`` (None before the first)."""
    best: tuple[date, object] | None = None
    for effective_from, value in rows:
        if effective_from <= day and (best is None or effective_from >= best[0]):
            best = (effective_from, value)
    return None if best is None else best[1]


def total_points(points: Sequence[int]) -> int:
    return sum(points)
