"""What the thresholds propose, and a leader's decision on it (处理建议).

The proposals are made by ``standing.proposals_in`` at a finalisation. A leader confirms one with the
supervising department's decision (authority, number, date): a suspension becomes a ban-type record
in the expert's credit file through ``services.credit.add_record_in`` — confirmed at once, so the
entry lookup answers 禁止入场 and the pool status 暂停至 its last day — and a notification is kept as
decided, with no record. Or the leader rejects it with a reason. Each decision is one transaction
and one audit entry (plus the credit record's own).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import RecordKind, RecordSource, Severity, check_decision_date
from desktop_app.domain.errors import Conflict, DataCheckFailed, NotFound, Refusals
from desktop_app.domain.evaluations import (
    PROPOSAL_STATE_LABELS,
    ProposalAction,
    ProposalReason,
    ProposalState,
    suspension_end,
)
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, check_version, touch
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInput, add_record_in
from desktop_app.services.evaluations.types import ConfirmInput, ProposalInfo
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.evaluation_models import EvaluationSession, ExpertProposal
from desktop_app.store.sealing import failing_ids

AUTHORITY_LIMIT = 100
NUMBER_LIMIT = 100
REASON_LIMIT = 500

PROPOSAL_COLUMNS = (
    ExpertProposal,
    CreditSubject.name,
    CreditSubject.expert_no,
    EvaluationSession.number,
)


def proposal_infos_in(session: Session, *where: ColumnElement[bool]) -> list[ProposalInfo]:
    """Proposals with their expert and session, newest first."""
    query = (
        select(*PROPOSAL_COLUMNS)
        .join(CreditSubject, CreditSubject.id == ExpertProposal.subject_id)
        .outerjoin(EvaluationSession, EvaluationSession.id == ExpertProposal.session_id)
        .where(*where)
        .order_by(ExpertProposal.proposed_at.desc(), ExpertProposal.id.desc())
    )
    return [
        proposal_info(row, name, expert_no or "", number or "")
        for row, name, expert_no, number in session.execute(query)
    ]


def proposal_info(row: ExpertProposal, name: str, expert_no: str, session_number: str) -> ProposalInfo:
    return ProposalInfo(
        id=row.id,
        subject_id=row.subject_id,
        expert_name=name,
        expert_no=expert_no,
        year=row.year,
        action=ProposalAction(row.action),
        reason=ProposalReason(row.reason),
        points=row.points,
        suspension_months=row.suspension_months,
        state=ProposalState(row.state),
        session_id=row.session_id,
        session_number=session_number,
        proposed_at=row.proposed_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        authority=row.authority,
        decision_number=row.decision_number,
        decision_date=row.decision_date,
        suspend_from=row.suspend_from,
        suspend_until=row.suspend_until,
        reason_text=row.reason_text,
        credit_record_id=row.credit_record_id,
        version=row.version,
    )


def pending_count_in(session: Session) -> int:
    """Proposals waiting for a leader (the status bar and the home page: the partial index)."""
    query = (
        select(func.count())
        .select_from(ExpertProposal)
        .where(ExpertProposal.state == ProposalState.PENDING.value)
    )
    return int(session.scalar(query) or 0)


def ban_facts_text(row: ExpertProposal, months: int) -> str:
    """The ban record's facts: what the year's marks came to and the suspension decided."""
    why = "，存在严重违规项" if row.reason == ProposalReason.SERIOUS.value else ""
    return f"评标专家现场考评{row.year}年累计扣分{row.points}分{why}，暂停评标专家资格{months}个月"


def months_between(start: date, last_day: date) -> int:
    """Whole months from ``start`` to ``last_day`` inclusive (6 for 1 March – 31 August)."""
    months = (last_day.year - start.year) * 12 + last_day.month - start.month
    return months + 1 if suspension_end(start, months + 1) <= last_day else max(months, 1)


class ProposalOps(Service):
    def proposals(
        self, actor: CurrentUser, state: ProposalState | None = None, year: int | None = None
    ) -> list[ProposalInfo]:
        """Proposals, newest first, of one state and one year if given."""
        actor.require(Permission.EXPERT_EVALUATE)
        where: list[ColumnElement[bool]] = []
        if state is not None:
            where.append(ExpertProposal.state == state.value)
        if year is not None:
            where.append(ExpertProposal.year == year)
        with self.db.session() as session:
            return proposal_infos_in(session, *where)

    def proposal(self, proposal_id: int) -> ProposalInfo:
        with self.db.session() as session:
            found = proposal_infos_in(session, ExpertProposal.id == proposal_id)
        if not found:
            raise NotFound("该处理建议不存在。")
        return found[0]

    def confirm_proposal(
        self, actor: CurrentUser, proposal_id: int, data: ConfirmInput, expected_version: int | None
    ) -> ProposalInfo:
        """Enter the supervising department's decision on a pending proposal. A suspension: from the
        decision date unless given, for the proposal's months unless an end is given; a ban-type
        record in the expert's credit file (confirmed: a leader decides)."""
        actor.require(Permission.EXPERT_DECIDE)
        today = self.db.today()
        refusals = Refusals()
        authority = refusals.check(
            lambda: clean_text(
                data.authority, "authority", "作出决定的监督部门", AUTHORITY_LIMIT, required=True
            ),
            "",
        )
        number = refusals.check(
            lambda: clean_text(
                data.decision_number, "decision_number", "决定文号", NUMBER_LIMIT, required=True
            ),
            "",
        )
        note = refusals.check(lambda: clean_text(data.note, "note", "备注", REASON_LIMIT, multiline=True), "")
        decided_on = data.decision_date
        if decided_on is None:
            refusals.add("请填写决定日期。", "decision_date")
        else:
            refusals.check(lambda: check_decision_date(decided_on, today), None)
        refusals.raise_any()
        assert decided_on is not None
        with self.write("这一决定已经登记过（同一专家、文号、日期和事实）。", "decision_number") as session:
            row = self._pending_in(session, proposal_id, expected_version)
            subject = session.get(CreditSubject, row.subject_id)
            assert subject is not None
            start: date | None = None
            until: date | None = None
            if row.action == ProposalAction.SUSPEND.value:
                start = data.suspend_from or decided_on
                until = data.suspend_until or suspension_end(start, row.suspension_months)
                if until < start:
                    refusals.add("暂停截止日期不能早于开始日期。", "suspend_until")
                refusals.raise_any()
                number_ref = session.scalar(
                    select(EvaluationSession.number).where(EvaluationSession.id == row.session_id)
                )
                record = add_record_in(
                    session,
                    self.db,
                    actor,
                    RecordInput(
                        subject_id=row.subject_id,
                        kind=RecordKind.BAN,
                        severity=Severity.GENERAL,
                        decision_date=decided_on,
                        facts=ban_facts_text(row, months_between(start, until)),
                        authority=authority,
                        decision_number=number,
                        ban_start=start,
                        ban_end=until,
                        source=RecordSource.EXPERT_EVALUATION,
                        source_ref=number_ref or f"P{row.id}",
                    ),
                )
                row.credit_record_id = record.id
            row.state = ProposalState.CONFIRMED.value
            row.authority = authority
            row.decision_number = number
            row.decision_date = decided_on
            row.suspend_from = start
            row.suspend_until = until
            row.reason_text = note
            self._decided(row, actor)
            self.audit(
                session,
                actor,
                "evaluation.proposal.confirm",
                "expert_proposal",
                row.id,
                {
                    "expert": subject.name,
                    "action": row.action,
                    "decision_number": number,
                    "suspend_until": until.isoformat() if until else "",
                },
            )
            session.flush()
            return proposal_infos_in(session, ExpertProposal.id == row.id)[0]

    def reject_proposal(
        self, actor: CurrentUser, proposal_id: int, reason: str, expected_version: int | None
    ) -> ProposalInfo:
        """Not confirmed, with the reason; the same action is proposed again that year only when the
        points grow past this proposal's."""
        actor.require(Permission.EXPERT_DECIDE)
        why = clean_text(reason, "reason", "不予确认的理由", REASON_LIMIT, required=True, multiline=True)
        with self.write() as session:
            row = self._pending_in(session, proposal_id, expected_version)
            subject = session.get(CreditSubject, row.subject_id)
            assert subject is not None
            row.state = ProposalState.REJECTED.value
            row.reason_text = why
            self._decided(row, actor)
            self.audit(
                session,
                actor,
                "evaluation.proposal.reject",
                "expert_proposal",
                row.id,
                {
                    "expert": subject.name,
                    "action": row.action,
                    "reason": why,
                },
            )
            session.flush()
            return proposal_infos_in(session, ExpertProposal.id == row.id)[0]

    def _pending_in(self, session: Session, proposal_id: int, expected_version: int | None) -> ExpertProposal:
        row = session.get(ExpertProposal, proposal_id, with_for_update=True)
        if row is None:
            raise NotFound("该处理建议不存在。")
        check_version(row, expected_version)
        if failing_ids(session, ExpertProposal, ExpertProposal.id == row.id):
            raise DataCheckFailed(
                f"数据校验失败 — 请联系审计管理员：处理建议 #{row.id} 在程序之外被改动过，不能据此作出决定。"
            )
        if row.state != ProposalState.PENDING.value:
            state = PROPOSAL_STATE_LABELS[ProposalState(row.state)]
            raise Conflict(f"该处理建议已处理（{state}），不能再确认或不予确认。")
        return row

    def _decided(self, row: ExpertProposal, actor: CurrentUser) -> None:
        row.decided_by = actor.username
        row.decided_at = self.db.now()
        touch(row, actor, self.db)
