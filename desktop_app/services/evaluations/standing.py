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

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import (
    RecordFacts,
    RecordKind,
    RecordStatus,
    SubjectKind,
    ban_period,
    bars_entry,
)
from desktop_app.domain.errors import DataCheckFailed, NotFound, ValidationError
from desktop_app.domain.evaluations import (
    DEFAULT_RULE,
    Accumulation,
    PoolState,
    PoolStatus,
    ProposalAction,
    ProposalState,
    Reached,
    SessionState,
    ThresholdRule,
    period_of,
    thresholds_reached,
)
from desktop_app.domain.identifiers import looks_like_id_number
from desktop_app.domain.roles import Permission
from desktop_app.domain.search_text import fold
from desktop_app.services.base import Service, touch
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.proposals import pending_count_in, proposal_infos_in
from desktop_app.services.evaluations.types import ExpertRow, ExpertStatus, MarkInfo, RankingRow, ReachedInfo
from desktop_app.store.credit_models import CreditRecord, CreditSubject
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import (
    EvaluationMark,
    EvaluationRuleRow,
    EvaluationSession,
    EvaluationSessionExpert,
    ExpertProposal,
)
from desktop_app.store.sealing import failing_ids

WITHDRAWN_TEXT = "考评更正后累计扣分未达到阈值，建议自动撤回。"
COUNTING_STATES = (RecordStatus.CONFIRMED.value, RecordStatus.REPAIRED.value)
ACTIVE = PoolStatus(PoolState.ACTIVE)


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
    session: Session, subject_ids: Sequence[int] | None, start: date, end: date
) -> dict[int, PeriodPoints]:
    """Points, marks and serious marks of the current marks dated ``start``…``end`` of each expert
    (every id asked for is a key, with zeros when it has no mark; None: every expert with a mark)."""
    found = {sid: PeriodPoints(start, end, 0, 0, 0) for sid in subject_ids or ()}
    if subject_ids is not None and not subject_ids:
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
        )
        .group_by(EvaluationMark.subject_id)
    )
    if subject_ids is not None:
        query = query.where(EvaluationMark.subject_id.in_(list(subject_ids)))
    for sid, points, marks, serious in session.execute(query):
        found[int(sid)] = PeriodPoints(start, end, int(points or 0), int(marks or 0), int(serious or 0))
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
    statuses = _pools_in(session, day, CreditSubject.id.in_(ids))
    return {sid: statuses.get(sid, ACTIVE) for sid in ids}


def expert_pools_in(session: Session, day: date) -> dict[int, PoolStatus]:
    """The experts not active on ``day`` (removed, suspended): a long list's pool column at once."""
    return _pools_in(session, day, CreditSubject.kind == SubjectKind.EXPERT.value)


def _pools_in(session: Session, day: date, subjects: ColumnElement[bool]) -> dict[int, PoolStatus]:
    stored = dict(
        session.execute(
            select(CreditSubject.id, CreditSubject.pool_status).where(
                subjects, CreditSubject.pool_status.in_((PoolState.REMOVED.value, PoolState.SUSPENDED.value))
            )
        ).all()
    )
    bans: dict[int, list[CreditRecord]] = defaultdict(list)
    for record in session.scalars(
        select(CreditRecord)
        .join(CreditSubject, CreditSubject.id == CreditRecord.subject_id)
        .where(
            subjects,
            CreditRecord.kind == RecordKind.BAN.value,
            CreditRecord.status.in_(COUNTING_STATES),
        )
    ):
        bans[record.subject_id].append(record)
    found = {sid: _status(stored.get(sid), bans.get(sid, ()), day) for sid in set(stored) | set(bans)}
    return {sid: status for sid, status in found.items() if status != ACTIVE}


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
    ids = sorted(set(subject_ids))
    # One finalisation at a time decides an expert's proposals (another workstation's waits here, in
    # id order; NO KEY UPDATE does not wait for the credit records' foreign keys to these rows).
    session.execute(
        select(CreditSubject.id)
        .where(CreditSubject.id.in_(ids))
        .order_by(CreditSubject.id)
        .with_for_update(key_share=True)
    ).all()
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


# -- reading an expert's marks -------------------------------------------------------------------------
MARK_COLUMNS = (
    EvaluationMark.id,
    EvaluationMark.session_id,
    EvaluationSession.number,
    EvaluationSession.project_code,
    EvaluationSession.project_name,
    EvaluationMark.evaluation_date,
    EvaluationMark.subject_id,
    CreditSubject.name,
    EvaluationMark.item_code,
    EvaluationMark.item_text,
    EvaluationMark.points,
    EvaluationMark.serious,
    EvaluationMark.remark,
    EvaluationMark.revision,
    EvaluationMark.current,
    EvaluationMark.credit_record_id,
)


def mark_infos_in(
    session: Session, *where: ColumnElement[bool], newest_first: bool = False
) -> list[MarkInfo]:
    """Marks with their session and expert, oldest first (or newest first)."""
    order = (EvaluationMark.evaluation_date, EvaluationMark.id)
    query = (
        select(*MARK_COLUMNS)
        .join(EvaluationSession, EvaluationSession.id == EvaluationMark.session_id)
        .join(CreditSubject, CreditSubject.id == EvaluationMark.subject_id)
        .where(*where)
        .order_by(*(c.desc() for c in order) if newest_first else order)
    )
    return [
        MarkInfo(
            id=r.id,
            session_id=r.session_id,
            session_number=r.number,
            project_code=r.project_code,
            project_name=r.project_name,
            evaluation_date=r.evaluation_date,
            subject_id=r.subject_id,
            expert_name=r.name,
            item_code=r.item_code,
            item_text=r.item_text,
            points=r.points,
            serious=r.serious,
            remark=r.remark,
            revision=r.revision,
            current=r.current,
            credit_record_id=r.credit_record_id,
        )
        for r in session.execute(query)
    ]


def check_standing_in(session: Session, subject: CreditSubject) -> None:
    """What is told of an expert's points and proposals rests on rows that verify."""
    bad = failing_ids(session, EvaluationMark, EvaluationMark.subject_id == subject.id) or failing_ids(
        session, ExpertProposal, ExpertProposal.subject_id == subject.id
    )
    if bad:
        raise DataCheckFailed(
            f"数据校验失败 — 请联系审计管理员：专家{subject.name}的考评扣分或处理建议在程序之外被改动过，"
            "不能据此计算其累计扣分。"
        )


def expert_in(session: Session, subject_id: int) -> CreditSubject:
    subject = session.get(CreditSubject, subject_id)
    if subject is None or subject.kind != SubjectKind.EXPERT.value:
        raise NotFound("该评标专家不存在。")
    return subject


def sessions_attended_in(
    session: Session, subject_ids: Sequence[int] | None, start: date, end: date
) -> dict[int, int]:
    """How many finalised sessions dated ``start``…``end`` each expert sat in (None: every expert)."""
    query = (
        select(EvaluationSessionExpert.subject_id, func.count())
        .join(EvaluationSession, EvaluationSession.id == EvaluationSessionExpert.session_id)
        .where(
            EvaluationSession.state == SessionState.FINALISED.value,
            EvaluationSession.evaluation_date >= start,
            EvaluationSession.evaluation_date <= end,
        )
        .group_by(EvaluationSessionExpert.subject_id)
    )
    if subject_ids is not None:
        query = query.where(EvaluationSessionExpert.subject_id.in_(list(subject_ids)))
    return {int(sid): int(n) for sid, n in session.execute(query)}


def reached_info(item: Reached) -> ReachedInfo:
    return ReachedInfo(item.action, item.reason, item.threshold, item.describe())


def year_day(db: Database, year: int | None) -> date:
    """The day a year's standing is read on: today in the current year, else its last day."""
    today = db.today()
    if year is None or year == today.year:
        return today
    return date(year, 12, 31)


def rank_rows(lines: list[tuple[int, int, int, str]]) -> list[int]:
    """Competition ranks (1, 2, 2, 4) of lines sorted by points and serious marks descending, then
    name: (subject, points, serious marks, name) → the rank of each line in order."""
    ranks: list[int] = []
    for position, line in enumerate(lines, start=1):
        tied = position > 1 and lines[position - 2][1:3] == line[1:3]
        ranks.append(ranks[-1] if tied else position)
    return ranks


class StandingOps(Service):
    def pool_status(self, subject_id: int, day: date | None = None) -> PoolStatus:
        """Whether the expert may sit on ``day`` (today unless given)."""
        with self.db.session() as session:
            return pool_status_in(session, subject_id, day or self.db.today())

    def expert_status(self, subject_id: int, year: int | None = None) -> ExpertStatus:
        """The year's points (the rule's period as of the year's last day, or today in this year), each
        mark, the thresholds reached and what they call for, the proposals and the pool status."""
        day = year_day(self.db, year)
        with self.db.session() as session:
            subject = expert_in(session, subject_id)
            check_standing_in(session, subject)
            pool = pool_status_in(session, subject_id, self.db.today())
            rule = threshold_rule_in(session, day)
            start, end = period_of(rule, day)
            marks = mark_infos_in(
                session,
                EvaluationMark.subject_id == subject_id,
                EvaluationMark.current.is_(True),
                EvaluationMark.evaluation_date >= start,
                EvaluationMark.evaluation_date <= end,
            )
            points = sum(m.points for m in marks)
            reached = thresholds_reached(points, any(m.serious for m in marks), rule)
            sessions = sessions_attended_in(session, [subject_id], start, end).get(subject_id, 0)
            proposals = proposal_infos_in(session, ExpertProposal.subject_id == subject_id)
            return ExpertStatus(
                subject_id=subject.id,
                name=subject.name,
                expert_no=subject.expert_no or "",
                specialty=subject.specialty,
                id_number_masked=subject.id_number_masked or "",
                year=end.year,
                period_start=start,
                period_end=end,
                points=points,
                sessions=sessions,
                marks=tuple(marks),
                reached=tuple(reached_info(r) for r in reached),
                actions=tuple(r.describe() for r in reached),
                proposals=tuple(proposals),
                pool=pool,
            )

    def find_expert(self, text: str) -> int:
        """The expert named by an expert number, a resident ID number or an exact name."""
        value = (text or "").strip()
        if not value:
            raise ValidationError("请填写专家编号、身份证号或姓名。", field="expert")
        experts = select(CreditSubject.id).where(CreditSubject.kind == SubjectKind.EXPERT.value)
        with self.db.session() as session:
            found = list(session.scalars(experts.where(CreditSubject.expert_no == value.upper())))
            if not found and looks_like_id_number(value.upper()):
                lookup = self.db.keyring.lookup_hash("id_number", value.upper())
                found = list(session.scalars(experts.where(CreditSubject.id_number_lookup == lookup)))
            if not found:
                found = list(session.scalars(experts.where(CreditSubject.name == value)))
        if not found:
            raise ValidationError(
                f"未找到评标专家“{value}”（可用专家编号、身份证号或姓名）。", field="expert"
            )
        if len(found) > 1:
            raise ValidationError(
                f"姓名为“{value}”的评标专家有 {len(found)} 位，不唯一：请改用专家编号或身份证号。",
                field="expert",
            )
        return int(found[0])

    def roster(self, actor: CurrentUser, year: int | None = None, text: str = "") -> list[ExpertRow]:
        """The experts (by expert number, then name), with pool status today, the year's points and
        sessions and proposals waiting; ``text`` keeps those whose name or number contains it."""
        actor.require(Permission.EXPERT_EVALUATE)
        start, end = date(year or self.db.today().year, 1, 1), date(year or self.db.today().year, 12, 31)
        query = select(
            CreditSubject.id,
            CreditSubject.name,
            CreditSubject.expert_no,
            CreditSubject.specialty,
            CreditSubject.id_number_masked,
        ).where(CreditSubject.kind == SubjectKind.EXPERT.value)
        folded = fold(text)
        if folded:
            query = query.where(
                or_(
                    CreditSubject.search_text.contains(folded, autoescape=True),
                    CreditSubject.expert_no.contains(text.strip().upper(), autoescape=True),
                )
            )
        with self.db.session() as session:
            subjects = session.execute(query).all()
            points = period_points_in(session, None, start, end)
            sessions = sessions_attended_in(session, None, start, end)
            pools = expert_pools_in(session, self.db.today())
            pending = dict(
                session.execute(
                    select(ExpertProposal.subject_id, func.count())
                    .where(ExpertProposal.state == ProposalState.PENDING.value)
                    .group_by(ExpertProposal.subject_id)
                ).all()
            )
        rows = [
            ExpertRow(
                subject_id=row.id,
                name=row.name,
                expert_no=row.expert_no or "",
                specialty=row.specialty,
                id_number_masked=row.id_number_masked or "",
                pool=pools.get(row.id, ACTIVE),
                points=points[row.id].points if row.id in points else 0,
                sessions=sessions.get(row.id, 0),
                pending_proposals=int(pending.get(row.id, 0)),
            )
            for row in subjects
        ]
        return sorted(rows, key=lambda r: (r.expert_no == "", r.expert_no, r.name))

    def ranking(self, year: int, limit: int | None = None) -> list[RankingRow]:
        """The year's experts (those with a finalised session or a mark in that calendar year) by points
        descending, then serious marks, then name; equal points and serious marks share a rank."""
        start, end = date(year, 1, 1), date(year, 12, 31)
        with self.db.session() as session:
            marks = {
                sid: (found.points, found.marks, found.serious_marks)
                for sid, found in period_points_in(session, None, start, end).items()
            }
            sessions = sessions_attended_in(session, None, start, end)
            ids = set(marks) | set(sessions)
            people = {
                row.id: row
                for row in session.execute(
                    select(
                        CreditSubject.id, CreditSubject.name, CreditSubject.expert_no, CreditSubject.specialty
                    ).where(CreditSubject.kind == SubjectKind.EXPERT.value)
                )
                if row.id in ids
            }
            pools = expert_pools_in(session, self.db.today())
        lines = sorted(
            ((sid, *marks.get(sid, (0, 0, 0))[::2], people[sid].name) for sid in people),
            key=lambda line: (-line[1], -line[2], line[3], line[0]),
        )
        ranks = rank_rows(lines)
        found: list[RankingRow] = []
        for rank, (sid, points, serious, name) in zip(ranks, lines, strict=True):
            if limit is not None and len(found) >= limit:
                break
            person = people[sid]
            found.append(
                RankingRow(
                    rank=rank,
                    subject_id=sid,
                    name=name,
                    expert_no=person.expert_no or "",
                    specialty=person.specialty,
                    points=points,
                    sessions=sessions.get(sid, 0),
                    marks=marks.get(sid, (0, 0, 0))[1],
                    serious_marks=serious,
                    pool=pools.get(sid, ACTIVE),
                )
            )
        return found

    def pending_proposal_count(self, actor: CurrentUser) -> int:
        """Proposals waiting for a leader (0 for an account that does not decide them)."""
        if not actor.can(Permission.EXPERT_DECIDE):
            return 0
        with self.db.session() as session:
            return pending_count_in(session)
