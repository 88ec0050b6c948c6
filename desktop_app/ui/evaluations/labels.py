"""The expert-evaluation module's words on screen, one table per enum, through the translator. (The
domain's Chinese labels stay for the services' messages and the printed papers.)"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.domain.evaluations import (
    Accumulation,
    PoolState,
    PoolStatus,
    ProposalAction,
    ProposalReason,
    ProposalState,
    SessionState,
    TradeCategory,
)
from desktop_app.ui.dates import text_date


def category_label(category: TradeCategory) -> str:
    return {
        TradeCategory.CONSTRUCTION: QCoreApplication.translate("EvaluationLabels", "Construction"),
        TradeCategory.PROCUREMENT: QCoreApplication.translate("EvaluationLabels", "Government procurement"),
        TradeCategory.TRANSPORT_WATER: QCoreApplication.translate("EvaluationLabels", "Transport and water"),
        TradeCategory.LAND_PROPERTY: QCoreApplication.translate("EvaluationLabels", "Land and property"),
        TradeCategory.OTHER: QCoreApplication.translate("EvaluationLabels", "Other"),
    }[TradeCategory(category)]


def session_state_label(state: SessionState, overdue: bool = False) -> str:
    if overdue and SessionState(state) == SessionState.DRAFT:
        return QCoreApplication.translate("EvaluationLabels", "Overdue")
    return {
        SessionState.DRAFT: QCoreApplication.translate("EvaluationLabels", "Draft"),
        SessionState.FINALISED: QCoreApplication.translate("EvaluationLabels", "Finalised"),
    }[SessionState(state)]


def accumulation_label(accumulation: Accumulation) -> str:
    return {
        Accumulation.CALENDAR_YEAR: QCoreApplication.translate("EvaluationLabels", "Per calendar year"),
        Accumulation.ROLLING_YEAR: QCoreApplication.translate("EvaluationLabels", "Over the last 12 months"),
    }[Accumulation(accumulation)]


def action_label(action: ProposalAction) -> str:
    return {
        ProposalAction.NOTIFY: QCoreApplication.translate("EvaluationLabels", "Notify and publish"),
        ProposalAction.SUSPEND: QCoreApplication.translate("EvaluationLabels", "Suspend from the pool"),
    }[ProposalAction(action)]


def reason_label(reason: ProposalReason) -> str:
    return {
        ProposalReason.POINTS: QCoreApplication.translate("EvaluationLabels", "Points reached the threshold"),
        ProposalReason.SERIOUS: QCoreApplication.translate("EvaluationLabels", "Serious misconduct"),
    }[ProposalReason(reason)]


def proposal_state_label(state: ProposalState) -> str:
    return {
        ProposalState.PENDING: QCoreApplication.translate("EvaluationLabels", "Waiting for a leader"),
        ProposalState.CONFIRMED: QCoreApplication.translate("EvaluationLabels", "Confirmed"),
        ProposalState.REJECTED: QCoreApplication.translate("EvaluationLabels", "Rejected"),
        ProposalState.WITHDRAWN: QCoreApplication.translate("EvaluationLabels", "Withdrawn"),
    }[ProposalState(state)]


def pool_label(pool: PoolStatus) -> str:
    """在库 / 暂停至 2027年3月1日 / 清退."""
    if pool.state == PoolState.SUSPENDED and pool.until is not None:
        return QCoreApplication.translate("EvaluationLabels", "Suspended until %1").replace(
            "%1", text_date(pool.until)
        )
    return {
        PoolState.ACTIVE: QCoreApplication.translate("EvaluationLabels", "In the pool"),
        PoolState.SUSPENDED: QCoreApplication.translate("EvaluationLabels", "Suspended"),
        PoolState.REMOVED: QCoreApplication.translate("EvaluationLabels", "Removed"),
    }[pool.state]
