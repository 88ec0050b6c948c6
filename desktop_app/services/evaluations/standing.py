"""An expert's standing: pool status on a day (在库 / 暂停至 / 清退), the period's points and what the
thresholds call for (the proposals a finalisation produces), the roster, the history by year and the
yearly ranking.

``pool_status_in`` and ``proposals_in`` run inside other parts' transactions (a session's form refuses
a suspended expert; a finalisation produces proposals); they neither open a transaction nor check
rights nor write an audit entry — their caller does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import RecordFacts, RecordKind, RecordStatus, ban_period, bars_entry
from desktop_app.domain.errors import DataCheckFailed, NotFound
from desktop_app.domain.evaluations import (
    DEFAULT_RULE,
    Accumulation,
    PoolState,
    PoolStatus,
    ProposalAction,
    ProposalState,
    Reached,
    ThresholdRule,
    period_of,
    thresholds_reached,
)
from desktop_app.services.base import touch
from desktop_app.services.context import CurrentUser
from desktop_app.store.credit_models import CreditRecord, CreditSubject
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import (
    EvaluationMark,
    EvaluationRuleRow,
    ExpertProposal,
)
from desktop_app.store.sealing import failing_ids

WITHDRAWN_TEXT = "考评更正后累计扣分未达到阈值，建议自动撤回。"
COUNTING_STATES = (RecordStatus.CONFIRMED.value, RecordStatus.REPAIRED.value)


# -- the rule and the period ------------------------------------------------------------------------
def rule_of(row: EvaluationRuleRow) -> ThresholdRule:
    return ThresholdRule(
        effective_from=row.effective_from,
        accumulation=Accumulation(row.accumulation),
        notify_points=row.notify_points,
        suspend_points=row.suspend_points,
        serious_suspends=row.serious_suspends,
        suspension_months=row.suspension_months,
    )


def threshold_rule_in(session: Session, day: date) -> ThresholdRule:
    """The threshold rule in force on ``day`` (before the first version: the first one; none at all:
    the defaults of DOMAIN.md §2)."""
    row = session.scalars(
        select(EvaluationRuleRow)
        .where(EvaluationRuleRow.effective_from <= day)
        .order_by(EvaluationRuleRow.effective_from.desc())
        .limit(1)
    ).first()
    if row is None:
        row = session.scalars(
            select(EvaluationRuleRow).order_by(EvaluationRuleRow.effective_from).limit(1)
        ).first()
    return DEFAULT_RULE if row is None else rule_of(row)


@dataclass(frozen=True)
class PeriodPoints:
    """An expert's current marks in an accumulation period, summed."""

    start: date
    end: date
    points: int
    marks: int
    serious_marks: int

    @property
    def serious(self) -> bool:
        return self.serious_marks > 0


def period_points_in(
    session: Session, subject_ids: Sequence[int], start: date, end: date
) -> dict[int, PeriodPoints]:
    """Points, marks and serious marks of the current marks dated ``start``…``end`` of each expert
    (every id asked for is a key, with zeros when it has no mark)."""
    found = {sid: PeriodPoints(start, end, 0, 0, 0) for sid in subject_ids}
    if not subject_ids:
        return found
    query = (
        select(
            EvaluationMark.subject_id,
            func.sum(EvaluationMark.points),
            func.count(),
            func.sum(case((EvaluationMark.serious, 1), else_=0)),
        )
        .where(
            EvaluationMark.current.is_(True),
            EvaluationMark.evaluation_date >= start,
            EvaluationMark.evaluation_date <= end,
            EvaluationMark.subject_id.in_(list(subject_ids)),
        )
        .group_by(EvaluationMark.subject_id)
    )
    for sid, points, marks, serious in session.execute(query):
        found[sid] = PeriodPoints(start, end, int(points or 0), int(marks or 0), int(serious or 0))
    return found


# -- pool status ---------------------------------------------------------------------------------------
def ban_facts(row: CreditRecord) -> RecordFacts:
    return RecordFacts(
        id=row.id,
        kind=RecordKind(row.kind),
        status=RecordStatus(row.status),
        decision_date=row.decision_date,
        publicity_end=row.publicity_end,
        ban_start=row.ban_start,
        ban_end=row.ban_end,
        points=row.points,
        repaired_on=row.repaired_on,
        decision_number=row.decision_number,
    )


def decision_text(authority: str, decision_number: str) -> str:
    return " ".join(part for part in (authority.strip(), decision_number.strip()) if part)


def pool_statuses_in(session: Session, subject_ids: Iterable[int], day: date) -> dict[int, PoolStatus]:
    """The pool status of each expert on ``day`` (see ``pool_status_in``), in two queries. Lists use
    it as it is; an answer about one expert checks its rows (``pool_status_in``)."""
    ids = list(dict.fromkeys(subject_ids))
    if not ids:
        return {}
    stored = dict(
        session.execute(
            select(CreditSubject.id, CreditSubject.pool_status).where(CreditSubject.id.in_(ids))
        ).all()
    )
    bans: dict[int, list[CreditRecord]] = defaultdict(list)
    for record in session.scalars(
        select(CreditRecord).where(
            CreditRecord.subject_id.in_(ids),
            CreditRecord.kind == RecordKind.BAN.value,
            CreditRecord.status.in_(COUNTING_STATES),
        )
    ):
        bans[record.subject_id].append(record)
    return {sid: _status(stored.get(sid), bans.get(sid, ()), day) for sid in ids if sid in stored}


def _status(pool_status: str | None, bans: Iterable[CreditRecord], day: date) -> PoolStatus:
    if pool_status == PoolState.REMOVED.value:
        return PoolStatus(PoolState.REMOVED)
    barring = [r for r in bans if bars_entry(ban_facts(r), day)]
    if barring:
        # The ban that ends last decides (an open-ended one first of all).
        last = max(barring, key=lambda r: (ban_period(ban_facts(r))[1] or date.max, r.id))
        return PoolStatus(
            PoolState.SUSPENDED,
            ban_period(ban_facts(last))[1],
            decision_text(last.authority, last.decision_number),
        )
    if pool_status == PoolState.SUSPENDED.value:
        return PoolStatus(PoolState.SUSPENDED)
    return PoolStatus(PoolState.ACTIVE)


def pool_status_in(session: Session, subject_id: int, day: date) -> PoolStatus:
    """Whether an expert may sit on ``day``: removed (清退) if the file says so; suspended until its
    last day while a confirmed ban-type record bars the expert that day (any source; the reason names
    the authority and decision number); suspended without a date if the file says so; else active.

    An answer (a session refuses or admits the expert on it): the expert's row and ban records are
    checked against their MACs (DataCheckFailed otherwise)."""
    subject = session.get(CreditSubject, subject_id)
    if subject is None:
        raise NotFound("该专家不存在或已被删除。")
    bad = failing_ids(session, CreditSubject, CreditSubject.id == subject_id) or failing_ids(
        session,
        CreditRecord,
        (CreditRecord.subject_id == subject_id) & (CreditRecord.kind == RecordKind.BAN.value),
    )
    if bad:
        raise DataCheckFailed(
            f"数据校验失败 — 请联系审计管理员：专家{subject.name}的信用档案在程序之外被改动过，"
            "不能据此判断其能否参加评标。"
        )
    return pool_statuses_in(session, [subject_id], day)[subject_id]


# -- proposals from the thresholds ------------------------------------------------------------------
def _proposals_of(session: Session, subject_id: int, year: int) -> list[ExpertProposal]:
    return list(
        session.scalars(
            select(ExpertProposal)
            .where(ExpertProposal.subject_id == subject_id, ExpertProposal.year == year)
            .order_by(ExpertProposal.id)
        )
    )


def _wanted(reached: Reached, earlier: Sequence[ExpertProposal]) -> bool:
    """A reached action becomes a proposal unless one is waiting or was confirmed for the same year
    and action; after a rejection, only when the points grew past the rejected proposal's."""
    same = [p for p in earlier if p.action == reached.action.value]
    if any(p.state in (ProposalState.PENDING.value, ProposalState.CONFIRMED.value) for p in same):
        return False
    rejected = [p.points for p in same if p.state == ProposalState.REJECTED.value]
    return not rejected or reached.points > max(rejected)


def proposals_in(
    session: Session,
    db: Database,
    actor: CurrentUser,
    subject_ids: Iterable[int],
    day: date,
    session_id: int | None,
) -> tuple[list[ExpertProposal], list[ExpertProposal]]:
    """Recompute what the thresholds call for, for each expert, in the period of ``day`` by the rule
    in force on ``day``: new PENDING proposals (returned first) and PENDING ones no longer reached,
    now WITHDRAWN (returned second). Confirmed and rejected proposals stay as they are.

    Inside the caller's transaction (a finalisation, an import); no audit entry of its own."""
    rule = threshold_rule_in(session, day)
    start, end = period_of(rule, day)
    ids = list(dict.fromkeys(subject_ids))
    points = period_points_in(session, ids, start, end)
    created: list[ExpertProposal] = []
    withdrawn: list[ExpertProposal] = []
    for sid in ids:
        standing = points[sid]
        reached = thresholds_reached(standing.points, standing.serious, rule)
        earlier = _proposals_of(session, sid, end.year)
        actions = {r.action.value for r in reached}
        for proposal in earlier:
            if proposal.state == ProposalState.PENDING.value and proposal.action not in actions:
                proposal.state = ProposalState.WITHDRAWN.value
                proposal.decided_by = actor.username
                proposal.decided_at = db.now()
                proposal.reason_text = WITHDRAWN_TEXT
                touch(proposal, actor, db)
                withdrawn.append(proposal)
        for item in reached:
            if not _wanted(item, earlier):
                continue
            proposal = ExpertProposal(
                subject_id=sid,
                year=end.year,
                period_start=start,
                period_end=end,
                action=item.action.value,
                reason=item.reason.value,
                points=standing.points,
                suspension_months=rule.suspension_months if item.action == ProposalAction.SUSPEND else 0,
                state=ProposalState.PENDING.value,
                session_id=session_id,
                proposed_at=db.now(),
                updated_by=actor.username,
            )
            session.add(proposal)
            created.append(proposal)
    session.flush()
    return created, withdrawn
