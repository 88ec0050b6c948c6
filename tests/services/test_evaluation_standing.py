"""An expert's standing: pool status on a day, the thresholds' proposals (at, below and above each
threshold, a serious item alone, withdrawn after a correction), a leader's confirmation (a ban-type
record: the lookup says 禁止入场, the pool status 暂停至) or rejection, the roster, history and ranking.

Finalised marks are written here through mapped objects (``finalised``), as a finalisation leaves
them, so that these rules are tested apart from the grid."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from desktop_app.domain.credit import RecordKind, RecordSource, RecordStatus, Verdict
from desktop_app.domain.errors import Conflict, StaleEdit, ValidationError, ValidationErrors
from desktop_app.domain.evaluations import PoolState, ProposalAction, ProposalReason, ProposalState
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations import EvaluationService
from desktop_app.services.evaluations.standing import pool_status_in, proposals_in
from desktop_app.services.evaluations.types import ConfirmInput
from desktop_app.services.facade import Services
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import EvaluationMark, EvaluationSession, EvaluationSessionExpert
from tests.builders import BAN_LAST, audit_actions, ban, born_on, expert

DAY = date(2026, 11, 10)
NUMBERS = itertools.count(1)
Mark = tuple[int, str, int, bool]  # subject, item code, points, serious


def finalised(
    database: Database,
    marks: list[Mark],
    day: date = DAY,
    witness: str = "leader1",
    present: tuple[int, ...] = (),
) -> int:
    """A finalised session of ``day`` with these marks (current, revision 1) and these experts present
    (those marked and ``present``), as finalise leaves it."""
    with database.session(write=True) as session:
        row = EvaluationSession(
            number=f"KP{day.year}-{next(NUMBERS):06d}",
            project_code=f"GC{day:%Y%m%d}",
            project_name="某市政道路工程",
            category="construction",
            scheduled_start=datetime(day.year, day.month, day.day, 1, tzinfo=UTC),
            evaluation_date=day,
            state="finalised",
            revision=1,
            finalised_at=database.now(),
            finalised_by=witness,
            created_by=witness,
        )
        session.add(row)
        session.flush()
        experts = dict.fromkeys([*(m[0] for m in marks), *present])
        for position, sid in enumerate(experts):
            session.add(EvaluationSessionExpert(session_id=row.id, subject_id=sid, position=position))
        for sid, code, points, serious in marks:
            session.add(
                EvaluationMark(
                    session_id=row.id,
                    revision=1,
                    subject_id=sid,
                    item_code=code,
                    item_text=f"考评项{code}",
                    points=points,
                    serious=serious,
                    evaluation_date=day,
                )
            )
        return row.id


def propose(
    database: Database, actor: CurrentUser, sids: list[int], day: date = DAY, session_id: int | None = None
):
    with database.session(write=True) as session:
        new, gone = proposals_in(session, database, actor, sids, day, session_id)
        return (
            [(p.subject_id, ProposalAction(p.action), ProposalReason(p.reason), p.points) for p in new],
            [(p.subject_id, ProposalAction(p.action), ProposalState(p.state)) for p in gone],
        )


def experts(services: Services, actor: CurrentUser, n: int) -> list[int]:
    names = ["张三", "李四", "王五", "赵六", "钱七"]
    return [expert(services, actor, names[i], born_on(date(1980, 1, i + 1))) for i in range(n)]


def test_pool_status_removed_banned_then_active_again(services: Services, leader: CurrentUser) -> None:
    zhang, li = experts(services, leader, 2)
    services.credit.add_record(leader, ban(zhang))
    with services.db.session(write=True) as session:
        session.execute(update(CreditSubject).where(CreditSubject.id == li).values(pool_status="removed"))
    with services.db.session() as session:
        inside = pool_status_in(session, zhang, BAN_LAST)
        after = pool_status_in(session, zhang, date(2026, 9, 10))
        removed = pool_status_in(session, li, DAY)
    assert inside.state == PoolState.SUSPENDED and inside.until == BAN_LAST
    assert inside.reason == "天河市住建局 天建罚〔2026〕3号" and inside.label() == "暂停至2026年9月9日"
    assert not inside.may_evaluate
    assert after.state == PoolState.ACTIVE and after.may_evaluate
    assert removed.state == PoolState.REMOVED


def test_thresholds_below_at_and_above(services: Services, leader: CurrentUser) -> None:
    """7 points: nothing; 8: notify; 13 (above 12): notify and suspend; a serious item alone: suspend."""
    db = services.db
    below, notify, above, serious = experts(services, leader, 4)
    session_id = finalised(
        db,
        [
            (below, "E01", 5, False),
            (below, "E02", 2, False),
            (notify, "E03", 8, False),
            (above, "E04", 10, False),
            (above, "E05", 3, False),
            (serious, "E14", 3, True),
        ],
    )
    new, gone = propose(db, leader, [below, notify, above, serious], session_id=session_id)
    assert sorted(new) == sorted(
        [
            (notify, ProposalAction.NOTIFY, ProposalReason.POINTS, 8),
            (above, ProposalAction.NOTIFY, ProposalReason.POINTS, 13),
            (above, ProposalAction.SUSPEND, ProposalReason.POINTS, 13),
            (serious, ProposalAction.SUSPEND, ProposalReason.SERIOUS, 3),
        ]
    )
    assert gone == []
    # Computed again (another session of the year): nothing new while they wait.
    assert propose(db, leader, [below, notify, above, serious]) == ([], [])
    # Exactly 12 with last year's marks not counting: the suspension threshold is reached at 12.
    finalised(db, [(notify, "E04", 4, False)])
    finalised(db, [(below, "E04", 10, False)], day=date(2025, 12, 31))
    new, _ = propose(db, leader, [notify, below])
    assert new == [(notify, ProposalAction.SUSPEND, ProposalReason.POINTS, 12)]


def test_correction_withdraws_a_pending_proposal(services: Services, leader: CurrentUser) -> None:
    db = services.db
    (zhang,) = experts(services, leader, 1)
    first = finalised(db, [(zhang, "E04", 8, False)])
    assert propose(db, leader, [zhang], session_id=first)[0] == [
        (zhang, ProposalAction.NOTIFY, ProposalReason.POINTS, 8)
    ]
    with db.session(write=True) as session:  # the correction: the old mark superseded, 3 points now
        for mark in session.query(EvaluationMark).filter_by(session_id=first):
            mark.current = False
        session.add(
            EvaluationMark(
                session_id=first,
                revision=2,
                subject_id=zhang,
                item_code="E04",
                item_text="考评项E04",
                points=3,
                evaluation_date=DAY,
            )
        )
    assert propose(db, leader, [zhang], session_id=first) == (
        [],
        [(zhang, ProposalAction.NOTIFY, ProposalState.WITHDRAWN)],
    )


@pytest.fixture
def evaluations(services: Services) -> EvaluationService:
    return EvaluationService(services.db)


def test_confirmed_suspension_bars_the_expert(
    services: Services, evaluations: EvaluationService, leader: CurrentUser
) -> None:
    db = services.db
    (zhang,) = experts(services, leader, 1)
    finalised(db, [(zhang, "E04", 10, False), (zhang, "E05", 2, False)])
    propose(db, leader, [zhang])
    waiting = evaluations.proposals(leader, ProposalState.PENDING)
    suspend = next(p for p in waiting if p.action == ProposalAction.SUSPEND)
    notify = next(p for p in waiting if p.action == ProposalAction.NOTIFY)
    assert evaluations.pending_proposal_count(leader) == 2 and suspend.suspension_months == 6

    with pytest.raises(ValidationErrors) as refused:
        evaluations.confirm_proposal(leader, suspend.id, ConfirmInput("", " ", None), suspend.version)
    assert {e.field for e in refused.value.errors} == {"authority", "decision_number", "decision_date"}
    decision = ConfirmInput("市财政局", "财采〔2026〕8号", date(2026, 11, 16))
    with pytest.raises(StaleEdit):
        evaluations.confirm_proposal(leader, suspend.id, decision, suspend.version + 1)
    done = evaluations.confirm_proposal(leader, suspend.id, decision, suspend.version)
    assert done.state == ProposalState.CONFIRMED and done.suspend_from == date(2026, 11, 16)
    assert done.suspend_until == date(2027, 5, 15) and done.credit_record_id is not None
    with pytest.raises(Conflict, match="已处理"):
        evaluations.confirm_proposal(leader, suspend.id, decision, done.version)
    noted = evaluations.confirm_proposal(leader, notify.id, decision, notify.version)
    assert noted.state == ProposalState.CONFIRMED and noted.credit_record_id is None

    # The entry lookup answers 禁止入场; the pool status says until when and why.
    assert services.credit.assess(zhang).verdict == Verdict.BANNED
    record = services.credit.record(done.credit_record_id)
    assert record.kind == RecordKind.BAN and record.status == RecordStatus.CONFIRMED
    assert record.facts == "评标专家现场考评2026年累计扣分12分，暂停评标专家资格6个月"
    assert record.source == RecordSource.EXPERT_EVALUATION
    pool = evaluations.pool_status(zhang, date(2027, 5, 15))
    assert pool.label() == "暂停至2027年5月15日" and pool.reason == "市财政局 财采〔2026〕8号"
    assert evaluations.pool_status(zhang, date(2027, 5, 16)).state == PoolState.ACTIVE

    status = evaluations.expert_status(zhang)
    assert (status.year, status.points, status.sessions, len(status.marks)) == (2026, 12, 1, 2)
    assert status.actions == (
        "累计扣分 12 分，达到 8 分：通报并公开",
        "累计扣分 12 分，达到 12 分：暂停评标资格",
    )
    assert {p.state for p in status.proposals} == {ProposalState.CONFIRMED}
    assert status.pool.until == date(2027, 5, 15)
    assert evaluations.pending_proposal_count(leader) == 0
    assert audit_actions(db)[-3:] == ["credit.record.create", *["evaluation.proposal.confirm"] * 2]


def test_rejected_proposal_comes_back_only_above_its_points(
    services: Services, evaluations: EvaluationService, leader: CurrentUser
) -> None:
    db = services.db
    (zhang,) = experts(services, leader, 1)
    finalised(db, [(zhang, "E03", 8, False)])
    propose(db, leader, [zhang])
    (notify,) = evaluations.proposals(leader, ProposalState.PENDING, 2026)
    with pytest.raises(ValidationError) as refused:
        evaluations.reject_proposal(leader, notify.id, "  ", notify.version)
    assert refused.value.field == "reason"
    rejected = evaluations.reject_proposal(leader, notify.id, "系现场误记，经核实不予通报", notify.version)
    assert rejected.state == ProposalState.REJECTED and rejected.decided_by == "leader1"
    assert propose(db, leader, [zhang]) == ([], [])  # still 8: not again
    finalised(db, [(zhang, "E01", 1, False)])
    assert propose(db, leader, [zhang])[0] == [(zhang, ProposalAction.NOTIFY, ProposalReason.POINTS, 9)]
    assert audit_actions(db)[-1] == "evaluation.proposal.reject"


def test_roster_ranking_and_todo(
    services: Services, evaluations: EvaluationService, leader: CurrentUser, clerk: CurrentUser
) -> None:
    db = services.db
    zhang, li, wang, zhao = experts(services, leader, 4)
    finalised(db, [(zhang, "E04", 10, False), (li, "E14", 3, True)], present=(zhao,))
    finalised(db, [(zhang, "E05", 3, False), (wang, "E15", 3, True)])
    finalised(db, [(zhao, "E04", 10, False)], day=date(2025, 6, 1))  # another year
    propose(db, leader, [zhang, li, wang])
    services.credit.add_record(leader, ban(zhao, ban_end=date(2026, 12, 31)))

    ranking = evaluations.ranking(2026)
    assert [(r.rank, r.subject_id, r.points, r.serious_marks, r.sessions) for r in ranking] == [
        (1, zhang, 13, 0, 2),
        (2, li, 3, 1, 1),
        (2, wang, 3, 1, 1),
        (4, zhao, 0, 0, 1),
    ]  # equal points and serious marks share a rank, by name (李 before 王)
    assert ranking[-1].pool.state == PoolState.SUSPENDED
    assert [r.subject_id for r in evaluations.ranking(2026, limit=1)] == [zhang]
    assert [(r.subject_id, r.points) for r in evaluations.ranking(2025)] == [(zhao, 10)]

    roster = {r.subject_id: r for r in evaluations.roster(clerk)}
    assert (roster[zhang].points, roster[zhang].sessions, roster[zhang].pending_proposals) == (13, 2, 2)
    assert roster[zhao].pool.label() == "暂停至2026年12月31日" and roster[zhao].points == 0
    assert [r.subject_id for r in evaluations.roster(clerk, 2025, "赵")] == [zhao]
    assert evaluations.find_expert("李四") == li
    assert evaluations.find_expert(born_on(date(1980, 1, 3))) == wang
    with pytest.raises(ValidationError, match="未找到"):
        evaluations.find_expert("孙八")

    todo = {item.key: item for item in services.todo.items(leader)}
    assert (
        todo["evaluations.proposals"].count == 4
        and todo["evaluations.proposals"].target == "proposals:pending"
    )
    assert todo["evaluations.overdue"].count == 0
    assert not [key for key in (i.key for i in services.todo.items(clerk)) if key.startswith("evaluations.")]
    assert evaluations.pending_proposal_count(clerk) == 0
