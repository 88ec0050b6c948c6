"""The witness's grid: the draft kept as it is typed, the sign-off that locks a session (marks, their
credit records and the proposals, in one transaction), a leader's reopen, and the revisions.

A correction never deletes: at the next sign-off the earlier revision's marks stop being current
and their credit records are revoked with the reopen's reason, the new marks get new records (their
decision number ends in ``-N``, so the credit file's duplicate check tells them apart)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import partial

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import RecordKind, RecordSource
from desktop_app.domain.errors import Refusals, ValidationError
from desktop_app.domain.evaluations import (
    Item,
    SessionState,
    item_severity,
)
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, audit_in, check_version, touch
from desktop_app.services.center import read_settings
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInput, add_record_in, revoke_records_in
from desktop_app.services.evaluations.catalogue import item_line, items_in
from desktop_app.services.evaluations.proposals import proposal_infos_in
from desktop_app.services.evaluations.sessions import (
    account_names_in,
    check_sealed_in,
    get_session_in,
    grid_from_json,
    grid_to_json,
    remarks_from_json,
    require_draft,
    require_evaluate,
    session_info_in,
)
from desktop_app.services.evaluations.standing import mark_infos_in, proposals_in
from desktop_app.services.evaluations.types import (
    FinaliseResult,
    GridInput,
    GridMark,
    ItemLine,
    ProposalInfo,
    RevisionInfo,
    SessionGrid,
    SessionInfo,
)
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import (
    EvaluationDraft,
    EvaluationMark,
    EvaluationRevision,
    EvaluationSession,
    EvaluationSessionExpert,
    ExpertProposal,
)

REMARK_LIMIT = 500
REASON_LIMIT = 1000


def decision_number(row: EvaluationSession) -> str:
    """The credit records' decision number: the session's number, ``-N`` for the N-th revision."""
    return row.number if row.revision <= 1 else f"{row.number}-{row.revision}"


def facts_of(row: EvaluationSession, item: Item, remark: str) -> str:
    facts = f"{row.project_name}（{row.project_code}）评标现场考评：{item.code} {item.text}"
    return f"{facts}；{remark}" if remark else facts


def expert_ids_in(session: Session, session_id: int) -> list[int]:
    return list(
        session.scalars(
            select(EvaluationSessionExpert.subject_id)
            .where(EvaluationSessionExpert.session_id == session_id)
            .order_by(EvaluationSessionExpert.position)
        )
    )


def _checked_grid(
    grid: GridInput, experts: Sequence[int], items: dict[str, Item]
) -> tuple[list[tuple[GridMark, Item, str]], dict[int, str]]:
    """The marks with their items and cleaned remarks; every bad cell refused at ``cell:{id}:{code}``."""
    refusals = Refusals()
    present = set(experts)
    seen: set[tuple[int, str]] = set()
    checked: list[tuple[GridMark, Item, str]] = []
    for mark in grid.marks:
        code = mark.item_code.strip().upper()
        field = f"cell:{mark.subject_id}:{code}"
        item = items.get(code)
        if mark.subject_id not in present:
            refusals.add("这位专家不在本场评标的专家名单中。", field)
        elif item is None:
            refusals.add(f"考评项目 {code} 不在评标当日适用的考评目录中。", field)
        elif (mark.subject_id, code) in seen:
            refusals.add(f"同一位专家的 {code} 只能扣一次分。", field)
        elif not item.accepts(mark.points):
            refusals.add(f"{code} 的扣分应在 {item.min_points}–{item.max_points} 分之间。", field)
        else:
            seen.add((mark.subject_id, code))
            remark = refusals.check(
                partial(clean_text, mark.remark, field, "备注", REMARK_LIMIT, multiline=True), ""
            )
            checked.append((mark, item, remark))
    remarks: dict[int, str] = {}
    for sid, text in grid.expert_remarks.items():
        field = f"remark:{sid}"
        if sid not in present:
            if text.strip():
                refusals.add("这位专家不在本场评标的专家名单中。", field)
            continue
        cleaned = refusals.check(
            partial(clean_text, text, field, "专家总体评价", REMARK_LIMIT, multiline=True), ""
        )
        if cleaned:
            remarks[sid] = cleaned
    refusals.raise_any()
    order = {sid: i for i, sid in enumerate(experts)}
    checked.sort(key=lambda c: (order[c[0].subject_id], c[1].code))
    return checked, remarks


def _revoke_in(
    session: Session, db: Database, actor: CurrentUser, marks: Sequence[EvaluationMark], reason: str
) -> int:
    """Take the marks out of the count and revoke their credit records (kept, greyed, never counted)."""
    for mark in marks:
        mark.current = False
    session.flush()
    record_ids = [mark.credit_record_id for mark in marks if mark.credit_record_id is not None]
    return revoke_records_in(session, db, actor, record_ids, reason)


def finalise_in(
    session: Session, db: Database, actor: CurrentUser, row: EvaluationSession, grid: GridInput
) -> FinaliseResult:
    """Sign off a draft session inside the caller's transaction: its revision, marks, the experts'
    credit records (through the credit module), the proposals the thresholds call for, and the audit
    entry. The caller locks the row, checks the version and the actor's right."""
    require_draft(row)
    check_sealed_in(session, row)
    if row.evaluation_date > db.today():
        raise ValidationError("评标日期还没到：评标结束后才能定稿。")
    experts = expert_ids_in(session, row.id)
    if not experts:
        raise ValidationError("本场评标还没有专家：请先添加到场专家。", field="experts")
    items = {item.code: item for item in items_in(session, row.evaluation_date)}
    checked, remarks = _checked_grid(grid, experts, items)

    revoked = 0
    touched = set(experts)
    if row.revision > 1:
        earlier = list(
            session.scalars(
                select(EvaluationMark).where(
                    EvaluationMark.session_id == row.id, EvaluationMark.current.is_(True)
                )
            )
        )
        touched |= {m.subject_id for m in earlier}
        reopened = session.scalar(
            select(EvaluationRevision.reopen_reason).where(
                EvaluationRevision.session_id == row.id, EvaluationRevision.revision == row.revision - 1
            )
        )
        revoked = _revoke_in(session, db, actor, earlier, f"第{row.revision}版更正：{reopened or ''}")

    now = db.now()
    authority = str(read_settings(session)["center_name"])
    number = decision_number(row)
    session.add(
        EvaluationRevision(
            session_id=row.id,
            revision=row.revision,
            finalised_at=now,
            finalised_by=actor.username,
            expert_remarks=json.dumps({str(k): v for k, v in remarks.items()}, ensure_ascii=False),
        )
    )
    records = [
        add_record_in(
            session,
            db,
            actor,
            RecordInput(
                mark.subject_id,
                RecordKind.EXPERT_DEDUCTION,
                item_severity(item, mark.points),
                row.evaluation_date,
                facts=facts_of(row, item, remark),
                authority=authority,
                decision_number=number,
                points=mark.points,
                source=RecordSource.EXPERT_EVALUATION,
                source_ref=row.number,
            ),
        )
        for mark, item, remark in checked
    ]
    session.add_all(
        EvaluationMark(
            session_id=row.id,
            revision=row.revision,
            subject_id=mark.subject_id,
            item_code=item.code,
            item_text=item.text,
            points=mark.points,
            serious=item.serious,
            remark=remark,
            evaluation_date=row.evaluation_date,
            current=True,
            credit_record_id=record.id,
        )
        for (mark, item, remark), record in zip(checked, records, strict=True)
    )
    row.state = SessionState.FINALISED.value
    row.finalised_at = now
    row.finalised_by = actor.username
    touch(row, actor, db)
    session.execute(delete(EvaluationDraft).where(EvaluationDraft.session_id == row.id))
    session.flush()
    new, withdrawn = proposals_in(session, db, actor, sorted(touched), row.evaluation_date, row.id)
    audit_in(
        session,
        actor,
        "evaluation.session.finalise",
        "evaluation_session",
        row.number,
        {
            "revision": row.revision,
            "marks": len(checked),
            "points": sum(mark.points for mark, _, _ in checked),
            "records_added": len(checked),
            "records_revoked": revoked,
            "proposals": len(new),
            "withdrawn": len(withdrawn),
        },
    )
    return FinaliseResult(
        session_info_in(session, db, row),
        len(checked),
        revoked,
        tuple(_proposals(session, new)),
        tuple(_proposals(session, withdrawn)),
    )


def _proposals(session: Session, rows: Sequence[ExpertProposal]) -> list[ProposalInfo]:
    if not rows:
        return []
    infos = proposal_infos_in(session, ExpertProposal.id.in_([r.id for r in rows]))
    return sorted(infos, key=lambda p: p.id)


def current_grid_in(session: Session, row: EvaluationSession) -> tuple[GridInput, list[EvaluationMark]]:
    """The grid of the session's current marks (with the remarks of their revision)."""
    marks = list(
        session.scalars(
            select(EvaluationMark)
            .where(EvaluationMark.session_id == row.id, EvaluationMark.current.is_(True))
            .order_by(EvaluationMark.id)
        )
    )
    revision = max((m.revision for m in marks), default=None)
    if revision is None:
        revision = session.scalar(
            select(EvaluationRevision.revision)
            .where(EvaluationRevision.session_id == row.id)
            .order_by(EvaluationRevision.revision.desc())
            .limit(1)
        )
    remarks: dict[int, str] = {}
    if revision is not None:
        text = session.scalar(
            select(EvaluationRevision.expert_remarks).where(
                EvaluationRevision.session_id == row.id, EvaluationRevision.revision == revision
            )
        )
        remarks = remarks_from_json(text or "{}")
    grid = GridInput(tuple(GridMark(m.subject_id, m.item_code, m.points, m.remark) for m in marks), remarks)
    return grid, marks


class GridOps(Service):
    def grid(self, session_id: int) -> SessionGrid:
        """The session with the form's rows (the catalogue on its day) and the grid to show: the draft
        if one is kept, else the current revision's marks."""
        with self.db.session() as session:
            row = get_session_in(session, session_id)
            info = session_info_in(session, self.db, row)
            items = [item_line(item) for item in items_in(session, row.evaluation_date)]
            draft = session.get(EvaluationDraft, row.id) if row.state == SessionState.DRAFT.value else None
            marks: list[EvaluationMark] = []
            if draft is not None:
                grid = grid_from_json(draft.content)
            else:
                grid, marks = current_grid_in(session, row)
            codes = {item.code for item in items}
            for mark in marks:  # an item retired since: shown as it was marked
                if mark.item_code not in codes:
                    codes.add(mark.item_code)
                    items.append(
                        ItemLine(
                            mark.item_code,
                            mark.item_text,
                            mark.points,
                            mark.points,
                            mark.points,
                            mark.serious,
                        )
                    )
            items.sort(key=lambda item: item.code)
            saved_by = ""
            if draft is not None:
                saved_by = account_names_in(session, [draft.saved_by]).get(draft.saved_by, draft.saved_by)
            return SessionGrid(
                info,
                tuple(items),
                grid,
                draft is not None,
                draft.saved_at if draft is not None else None,
                saved_by,
            )

    def save_draft(self, actor: CurrentUser, session_id: int, grid: GridInput) -> datetime:
        """Keep the grid as typed (not checked, not audited: nothing is decided by a draft)."""
        require_evaluate(actor)
        now = self.db.now()
        with self.write() as session:
            # Locked as a sign-off locks it: a draft never lands on a session signed off meanwhile.
            row = get_session_in(session, session_id, lock=True)
            require_draft(row)
            draft = session.get(EvaluationDraft, row.id)
            content = grid_to_json(grid)
            if draft is None:
                session.add(
                    EvaluationDraft(session_id=row.id, content=content, saved_at=now, saved_by=actor.username)
                )
            else:
                draft.content = content
                draft.saved_at = now
                draft.saved_by = actor.username
        return now

    def discard_draft(self, actor: CurrentUser, session_id: int) -> None:
        require_evaluate(actor)
        with self.write() as session:
            row = get_session_in(session, session_id)
            require_draft(row)
            session.execute(delete(EvaluationDraft).where(EvaluationDraft.session_id == row.id))

    def finalise(
        self, actor: CurrentUser, session_id: int, grid: GridInput, expected_version: int | None
    ) -> FinaliseResult:
        """The witness's sign-off: the session is locked and its marks become credit records."""
        require_evaluate(actor)
        with self.write() as session:
            row = get_session_in(session, session_id, lock=True)
            check_version(row, expected_version)
            return finalise_in(session, self.db, actor, row, grid)

    def reopen(
        self, actor: CurrentUser, session_id: int, reason: str, expected_version: int | None
    ) -> SessionInfo:
        """A leader opens a finalised session for correction: its revision stays as signed off (and
        its marks and records in force) until the correction is signed off; the draft starts from it."""
        actor.require(Permission.EXPERT_DECIDE)
        reason = clean_text(reason, "reason", "重新打开的理由", REASON_LIMIT, required=True, multiline=True)
        with self.write() as session:
            row = get_session_in(session, session_id, lock=True)
            check_version(row, expected_version)
            if row.state != SessionState.FINALISED.value:
                raise ValidationError("只有已定稿的考评可以重新打开。")
            check_sealed_in(session, row)
            now = self.db.now()
            revision = session.scalar(
                select(EvaluationRevision).where(
                    EvaluationRevision.session_id == row.id, EvaluationRevision.revision == row.revision
                )
            )
            if revision is not None:
                revision.reopened_at = now
                revision.reopened_by = actor.username
                revision.reopen_reason = reason
            grid, _ = current_grid_in(session, row)
            row.state = SessionState.DRAFT.value
            row.revision += 1
            row.finalised_at = None
            row.finalised_by = ""
            touch(row, actor, self.db)
            session.execute(delete(EvaluationDraft).where(EvaluationDraft.session_id == row.id))
            session.add(
                EvaluationDraft(
                    session_id=row.id, content=grid_to_json(grid), saved_at=now, saved_by=actor.username
                )
            )
            session.flush()
            audit_in(
                session,
                actor,
                "evaluation.session.reopen",
                "evaluation_session",
                row.number,
                {"revision": row.revision, "reason": reason},
            )
            return session_info_in(session, self.db, row)

    def revisions(self, session_id: int) -> list[RevisionInfo]:
        """Every signed-off version of a session, the first first (an earlier one stays readable)."""
        with self.db.session() as session:
            row = get_session_in(session, session_id)
            revisions = list(
                session.scalars(
                    select(EvaluationRevision)
                    .where(EvaluationRevision.session_id == row.id)
                    .order_by(EvaluationRevision.revision)
                )
            )
            infos = mark_infos_in(session, EvaluationMark.session_id == row.id)
            names = account_names_in(
                session, [r.finalised_by for r in revisions] + [r.reopened_by for r in revisions]
            )
            return [
                RevisionInfo(
                    revision=r.revision,
                    finalised_at=r.finalised_at,
                    finalised_by=names.get(r.finalised_by, r.finalised_by),
                    reopened_at=r.reopened_at,
                    reopened_by=names.get(r.reopened_by, r.reopened_by),
                    reopen_reason=r.reopen_reason,
                    marks=tuple(m for m in infos if m.revision == r.revision),
                    expert_remarks=remarks_from_json(r.expert_remarks),
                )
                for r in revisions
            ]
