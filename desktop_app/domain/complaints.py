"""Complaints (服务投诉, DOMAIN.md §3): channels, categories, states and the transitions between them,
outcomes, satisfaction, time-limit classes, the statutory clocks, lookup codes and duplicates.

No database here: the time limits and deduction points come from the catalogue (``ComplaintRules``,
read from ``complaint_rules`` by the service), the calendar from ``domain.workdays``.
"""

from __future__ import annotations

import difflib
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Channel(StrEnum):
    WINDOW = "window"
    PHONE = "phone"
    LETTER = "letter"
    BOX = "box"
    MAILBOX = "mailbox"
    HOTLINE = "hotline12345"
    RATING = "bad_rating"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.WINDOW: "窗口/现场",
    Channel.PHONE: "电话",
    Channel.LETTER: "信函",
    Channel.BOX: "意见箱",
    Channel.MAILBOX: "网上举报信箱",
    Channel.HOTLINE: "12345转办",
    Channel.RATING: "好差评差评",
}


class Category(StrEnum):
    ATTITUDE = "attitude"
    EFFICIENCY = "efficiency"
    FEES = "fees"
    SHIRKING = "shirking"
    DISCIPLINE = "discipline"
    SYSTEM = "system"
    OTHER = "other"


CATEGORY_LABELS: dict[Category, str] = {
    Category.ATTITUDE: "服务态度",
    Category.EFFICIENCY: "办事效率",
    Category.FEES: "违规收费",
    Category.SHIRKING: "推诿拖延",
    Category.DISCIPLINE: "纪律作风",
    Category.SYSTEM: "系统故障",
    Category.OTHER: "其他",
}


class State(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TRANSFERRED = "transferred"
    INVESTIGATING = "investigating"
    CLOSED = "closed"
    VISITED = "visited"


STATE_LABELS: dict[State, str] = {
    State.REGISTERED: "登记",
    State.ACCEPTED: "受理",
    State.REJECTED: "不予受理",
    State.TRANSFERRED: "转办",
    State.INVESTIGATING: "调查处理",
    State.CLOSED: "办结",
    State.VISITED: "回访",
}


class Action(StrEnum):
    """What a handler does to a case; each is one service call with its audit entry."""

    ACCEPT = "accept"
    REJECT = "reject"
    TRANSFER = "transfer"
    INVESTIGATE = "investigate"
    CLOSE = "close"
    VISIT = "visit"


ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "受理",
    Action.REJECT: "不予受理",
    Action.TRANSFER: "转办",
    Action.INVESTIGATE: "开始调查处理",
    Action.CLOSE: "办结",
    Action.VISIT: "回访",
}

# The only moves a case may make. 转办 hands a case to another body (a statutory complaint to the
# supervising department) or another department of the center: the receiver investigates it, or the
# center closes it with the other body's answer. 不予受理 and 回访 end a case; a follow-up after 差评 is
# its own clock on a visited case, not a state.
TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.REGISTERED, Action.ACCEPT): State.ACCEPTED,
    (State.REGISTERED, Action.REJECT): State.REJECTED,
    (State.REGISTERED, Action.TRANSFER): State.TRANSFERRED,
    (State.ACCEPTED, Action.INVESTIGATE): State.INVESTIGATING,
    (State.ACCEPTED, Action.TRANSFER): State.TRANSFERRED,
    (State.TRANSFERRED, Action.INVESTIGATE): State.INVESTIGATING,
    (State.TRANSFERRED, Action.CLOSE): State.CLOSED,
    (State.INVESTIGATING, Action.CLOSE): State.CLOSED,
    (State.CLOSED, Action.VISIT): State.VISITED,
}

OPEN_STATES = frozenset({State.REGISTERED, State.ACCEPTED, State.TRANSFERRED, State.INVESTIGATING})
# The case's clock runs until it is closed (or refused): these are the states that can be overdue.
FINAL_STATES = frozenset({State.REJECTED, State.VISITED})


def allowed_actions(state: State) -> tuple[Action, ...]:
    return tuple(action for (origin, action) in TRANSITIONS if origin == state)


def next_state(state: State, action: Action) -> State | None:
    """The state ``action`` leads to from ``state``; None when the move is not allowed."""
    return TRANSITIONS.get((state, action))


def transition_refusal(state: State, action: Action) -> str:
    allowed = "、".join(ACTION_LABELS[a] for a in allowed_actions(state)) or "无"
    return f"投诉当前为“{STATE_LABELS[state]}”，不能{ACTION_LABELS[action]}（可进行的操作：{allowed}）。"


class Outcome(StrEnum):
    TRUE = "true"
    PARTLY = "partly"
    FALSE = "false"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.TRUE: "属实",
    Outcome.PARTLY: "部分属实",
    Outcome.FALSE: "不属实",
}
FOUND_TRUE = frozenset({Outcome.TRUE, Outcome.PARTLY})


class Satisfaction(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    FAIRLY = "fairly_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"


SATISFACTION_LABELS: dict[Satisfaction, str] = {
    Satisfaction.VERY_SATISFIED: "非常满意",
    Satisfaction.SATISFIED: "满意",
    Satisfaction.FAIRLY: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
    Satisfaction.VERY_DISSATISFIED: "非常不满意",
}
# 差评: followed up within a working day, rectified within fifteen (the catalogue's figures).
BAD_RATINGS = frozenset({Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED})
# Counted satisfied in the statistics' satisfaction rate.
GOOD_RATINGS = frozenset({Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.FAIRLY})


class TimeLimit(StrEnum):
    SIMPLE = "simple"
    GENERAL = "general"
    COMPLEX = "complex"


TIME_LIMIT_LABELS: dict[TimeLimit, str] = {
    TimeLimit.SIMPLE: "简易",
    TimeLimit.GENERAL: "一般",
    TimeLimit.COMPLEX: "复杂",
}


class Statutory(StrEnum):
    """A complaint against a bid or procurement outcome: registered here, handled by the supervising
    department under its own statutory clock (转行政监督部门)."""

    NONE = "none"
    BIDDING = "bidding"
    PROCUREMENT = "procurement"


STATUTORY_LABELS: dict[Statutory, str] = {
    Statutory.NONE: "否",
    Statutory.BIDDING: "招标投标投诉",
    Statutory.PROCUREMENT: "政府采购投诉",
}
STATUTORY_TRANSFER_TO = "行政监督部门"


class RespondentKind(StrEnum):
    STAFF = "staff"
    DEPARTMENT = "department"
    WINDOW = "window"
    SUBJECT = "subject"
    NONE = "none"


RESPONDENT_KIND_LABELS: dict[RespondentKind, str] = {
    RespondentKind.STAFF: "工作人员",
    RespondentKind.DEPARTMENT: "科室",
    RespondentKind.WINDOW: "窗口",
    RespondentKind.SUBJECT: "市场主体",
    RespondentKind.NONE: "未指明",
}


class IdType(StrEnum):
    RESIDENT = "resident_id"
    PASSPORT = "passport"
    OTHER = "other"


ID_TYPE_LABELS: dict[IdType, str] = {
    IdType.RESIDENT: "居民身份证",
    IdType.PASSPORT: "护照",
    IdType.OTHER: "其他证件",
}


class DeductionKind(StrEnum):
    """Why a staff member's month carries a deduction that a complaint stored."""

    FOUND_TRUE = "complaint_true"
    OVERDUE = "complaint_overdue"


DEDUCTION_KIND_LABELS: dict[DeductionKind, str] = {
    DeductionKind.FOUND_TRUE: "投诉属实",
    DeductionKind.OVERDUE: "投诉超期办结",
}


class ExtensionState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


EXTENSION_STATE_LABELS: dict[ExtensionState, str] = {
    ExtensionState.PENDING: "待审批",
    ExtensionState.APPROVED: "已批准",
    ExtensionState.REFUSED: "未批准",
}


# -- the catalogue --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComplaintRules:
    """The figures in force on a day (``complaint_rules``, editable by the system admin)."""

    simple_days: int = 2
    general_days: int = 5
    complex_days: int = 10
    acceptance_days: int = 3
    found_true_points: int = -3
    overdue_points: int = -5
    followup_contact_days: int = 1
    followup_rectify_days: int = 15
    bidding_accept_days: int = 3
    bidding_decide_days: int = 30
    procurement_decide_days: int = 30
    duplicate_window_days: int = 30

    def days_for(self, limit: TimeLimit) -> int:
        return {
            TimeLimit.SIMPLE: self.simple_days,
            TimeLimit.GENERAL: self.general_days,
            TimeLimit.COMPLEX: self.complex_days,
        }[limit]

    @classmethod
    def from_values(cls, values: Mapping[str, int]) -> ComplaintRules:
        known = {name: int(v) for name, v in values.items() if name in cls.__dataclass_fields__}
        return cls(**known)


RULE_LABELS: dict[str, str] = {
    "simple_days": "简易件办理时限（工作日）",
    "general_days": "一般件办理时限（工作日）",
    "complex_days": "复杂件办理时限（工作日）",
    "acceptance_days": "受理决定时限（工作日）",
    "found_true_points": "投诉属实扣分（工作人员）",
    "overdue_points": "超期办结扣分（承办人）",
    "followup_contact_days": "差评回访联系时限（工作日）",
    "followup_rectify_days": "差评整改时限（工作日）",
    "bidding_accept_days": "招投标投诉受理时限（工作日）",
    "bidding_decide_days": "招投标投诉处理时限（工作日）",
    "procurement_decide_days": "政府采购投诉处理时限（工作日）",
    "duplicate_window_days": "重复投诉比对天数（自然日）",
}
# What a value may be: limits in days positive, points negative.
RULE_RANGES: dict[str, tuple[int, int]] = {
    "simple_days": (1, 60),
    "general_days": (1, 60),
    "complex_days": (1, 120),
    "acceptance_days": (1, 30),
    "found_true_points": (-50, -1),
    "overdue_points": (-50, -1),
    "followup_contact_days": (1, 30),
    "followup_rectify_days": (1, 120),
    "bidding_accept_days": (1, 60),
    "bidding_decide_days": (1, 120),
    "procurement_decide_days": (1, 120),
    "duplicate_window_days": (1, 365),
}


def statutory_clocks(statutory: Statutory, rules: ComplaintRules) -> tuple[tuple[str, int], ...]:
    """The statutory clocks shown for a complaint to transfer: (what, working days)."""
    if statutory is Statutory.BIDDING:
        return (("受理决定", rules.bidding_accept_days), ("作出处理决定", rules.bidding_decide_days))
    if statutory is Statutory.PROCUREMENT:
        return (("作出处理决定", rules.procurement_decide_days),)
    return ()


# -- numbers and lookup codes ---------------------------------------------------------------------
NUMBER_PATTERN = re.compile(r"^([A-Z]{1,6})(\d{4})-(\d{6})$")
# Read to the complainant over the phone: no 0/O, 1/I/L, 8/B, 5/S, 2/Z.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8


def complaint_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}{year}-{serial:06d}"


def new_lookup_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_lookup_code(text: str) -> str:
    """A code as a person types or reads it (lower case, full width, no dash) as stored."""
    folded = unicodedata.normalize("NFKC", text).upper()
    cleaned = "".join(c for c in folded if c.isascii() and c.isalnum())
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return ""
    return f"{cleaned[:4]}-{cleaned[4:]}"


def normalize_number(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper()


def looks_like_number(text: str) -> bool:
    return NUMBER_PATTERN.match(normalize_number(text)) is not None


# -- duplicates -----------------------------------------------------------------------------------
SIMILAR_FACTS = 0.45


def _comparable(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in folded if c.isalnum())


def facts_similarity(a: str, b: str) -> float:
    """How alike two descriptions of facts are, 0..1 (difflib's ratio on the folded text)."""
    left, right = _comparable(a), _comparable(b)
    if not left or not right:
        return 0.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def similar_facts(a: str, b: str) -> bool:
    return facts_similarity(a, b) >= SIMILAR_FACTS


# -- deadlines ------------------------------------------------------------------------------------
def is_overdue(state: State, deadline: date, today: date, closed_on: date | None = None) -> bool:
    """An open case past its deadline, or a case closed after it."""
    if state in OPEN_STATES:
        return today > deadline
    if closed_on is not None and state in {State.CLOSED, State.VISITED}:
        return closed_on > deadline
    return False


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
