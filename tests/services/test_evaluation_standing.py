"""An expert's standing: pool status on a day, the thresholds' proposals (at, below and above each
threshold, a serious item alone, withdrawn after a correction), a leader's confirmation (a ban-type
record: the lookup says 禁止入场, the pool status 暂停至) or rejection, the roster, history and ranking.

Finalised marks are written here through mapped objects (``finalised``), as a finalisation leaves
them, so that these rules are tested apart from the grid."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlalchemy import update

from desktop_app.domain.evaluations import PoolState, ProposalAction, ProposalReason, ProposalState
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.standing import pool_status_in, proposals_in
from desktop_app.services.facade import Services
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import EvaluationMark, EvaluationSession
from tests.builders import BAN_LAST, ban, born_on, expert

DAY = date(2026, 11, 10)
NUMBERS = itertools.count(1)
Mark = tuple[int, str, int, bool]  # subject, item code, points, serious


def finalised(database: Database, marks: list[Mark], day: date = DAY, witness: str = "leader1") -> int:
    """A finalised session of ``day`` with these marks (current, revision 1), as finalise leaves it."""
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
