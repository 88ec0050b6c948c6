"""The month's flow: a supervisor submits the department's month, a leader locks it (refused above the
优秀 quota unless overridden with a reason) or sends it back with a reason; a locked month changes
only through a reopen with a reason, which makes revision n+1 of every sheet and keeps the earlier
ones. Contests: the supervisor disputes an automatic line with a reason, a leader upholds it (it
counts) or withdraws it (it does not; the link stays, and a complaint's deduction row follows)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import Conflict, NotFound, ValidationError
from desktop_app.domain.scoring import ContestState, SheetState, excellent_quota
from desktop_app.domain.text import clean_text
from desktop_app.services.base import check_version
from desktop_app.services.context import CurrentUser
from desktop_app.services.scoring.automatic import store_total
from desktop_app.services.scoring.schemes import rule_in, schemes_by_id_in
from desktop_app.services.scoring.sheets import (
    Loaded,
    SheetOps,
    check_sealed_in,
    checked_month,
    late_in,
    load_in,
    month_info,
    open_and_sync_in,
    require_fill,
    require_lock,
)
from desktop_app.services.scoring.types import DepartmentMonthInfo, SheetInfo
from desktop_app.store.complaint_models import StaffDeduction
from desktop_app.store.scoring_models import ScoringEntry, ScoringSheet

REASON_LIMIT = 500
STATE_WORDS = {SheetState.DRAFT: "填写中", SheetState.SUBMITTED: "已提交审核", SheetState.LOCKED: "已锁定"}


def _reason(text: str, field: str, label: str) -> str:
    return clean_text(text, field, label, REASON_LIMIT, required=True, multiline=True)


def _require_state(loaded: Loaded, *states: SheetState) -> None:
    if loaded.row is None:
        raise NotFound(f"{loaded.department.name} {loaded.month} 的月度考核尚未开始。")
    if loaded.state not in states:
        raise Conflict(
            f"{loaded.department.name} {loaded.month} 的月度考核{STATE_WORDS[loaded.state]}，不能这样操作。"
        )


def _set_sheets(loaded: Loaded, state: SheetState) -> None:
    for sheet in loaded.sheets:
        sheet.state = state.value


def deduction_of(session: Session, sheet: ScoringSheet, entry: ScoringEntry) -> StaffDeduction | None:
    """The complaint's deduction row behind an automatic line (None for other sources)."""
    if entry.source_type != "complaint" or entry.auto_source is None or entry.source_id is None:
        return None
    return session.scalar(
        select(StaffDeduction).where(
            StaffDeduction.source_type == "complaint",
            StaffDeduction.source_id == entry.source_id,
            StaffDeduction.staff_id == sheet.staff_id,
            StaffDeduction.kind == entry.auto_source,
        )
    )


class FlowOps(SheetOps):
    def _flow_load(
        self,
        session: Session,
        actor: CurrentUser,
        department_id: int,
        month: str,
        expected_version: int | None,
    ) -> Loaded:
        loaded = load_in(session, department_id, month, lock=True)
        if loaded.row is not None:
            check_version(loaded.row, expected_version)
        return loaded

    def _done(self, session: Session, actor: CurrentUser, loaded: Loaded) -> DepartmentMonthInfo:
        assert loaded.row is not None
        loaded.row.updated_at, loaded.row.updated_by = self.db.now(), actor.username
        session.flush()
        return month_info(session, loaded, late_in(session, [loaded]))

    def submit_month(
        self, actor: CurrentUser, department_id: int, month: str, expected_version: int | None
    ) -> DepartmentMonthInfo:
        """The department's month goes to a leader (every sheet with it; automatic lines brought up to
        date first)."""
        month = checked_month(month)
        require_fill(actor, department_id)
        with self.write() as session:
            loaded = self._flow_load(session, actor, department_id, month, expected_version)
            _require_state(loaded, SheetState.DRAFT)
            if not loaded.sheets:
                raise ValidationError("本科室本月没有评分表，无需提交。")
            open_and_sync_in(session, self.db, actor, loaded)
            check_sealed_in(session, loaded)
            assert loaded.row is not None
            loaded.row.state = SheetState.SUBMITTED.value
            loaded.row.submitted_at, loaded.row.submitted_by = self.db.now(), actor.username
            _set_sheets(loaded, SheetState.SUBMITTED)
            self.audit(
                session,
                actor,
                "scoring.month.submit",
                "scoring_department_month",
                loaded.row.id,
                {"month": month, "sheets": len(loaded.sheets)},
            )
            return self._done(session, actor, loaded)

    def return_month(
        self, actor: CurrentUser, department_id: int, month: str, reason: str, expected_version: int | None
    ) -> DepartmentMonthInfo:
        """A leader sends a submitted month back to the supervisor with a reason."""
        month = checked_month(month)
        require_lock(actor)
        text = _reason(reason, "reason", "退回理由")
        with self.write() as session:
            loaded = self._flow_load(session, actor, department_id, month, expected_version)
            _require_state(loaded, SheetState.SUBMITTED)
            assert loaded.row is not None
            loaded.row.state = SheetState.DRAFT.value
            loaded.row.returned_at, loaded.row.returned_by = self.db.now(), actor.username
            loaded.row.return_reason = text
            _set_sheets(loaded, SheetState.DRAFT)
            self.audit(
                session,
                actor,
                "scoring.month.return",
                "scoring_department_month",
                loaded.row.id,
                {"month": month, "reason": text},
            )
            return self._done(session, actor, loaded)

    def lock_month(
        self,
        actor: CurrentUser,
        department_id: int,
        month: str,
        expected_version: int | None,
        override_reason: str = "",
    ) -> DepartmentMonthInfo:
        """A leader locks a submitted month. Refused while contests wait, and when 优秀 exceeds the quota
        unless ``override_reason`` says why (kept and audited)."""
        month = checked_month(month)
        require_lock(actor)
        override = clean_text(override_reason, "override_reason", "超额理由", REASON_LIMIT, multiline=True)
        with self.write() as session:
            loaded = self._flow_load(session, actor, department_id, month, expected_version)
            _require_state(loaded, SheetState.SUBMITTED)
            open_and_sync_in(session, self.db, actor, loaded)
            check_sealed_in(session, loaded)
            waiting = sum(
                1
                for entries in loaded.entries.values()
                for e in entries
                if e.contest_state == ContestState.CONTESTED.value
            )
            if waiting:
                raise Conflict(f"尚有 {waiting} 条申诉未处理：请先维持或撤销，再锁定。")
            excellent = sum(1 for s in loaded.sheets if s.grade == loaded.rule.excellent)
            quota = excellent_quota(len(loaded.sheets), loaded.rule)
            if excellent > quota and not override:
                raise ValidationError(
                    f"“{loaded.rule.excellent}”共 {excellent} 人，超过本科室名额 {quota} 人"
                    f"（{len(loaded.sheets)} 人的 {loaded.rule.quota_percent}%，向下取整"
                    f"{'，至少 1 人' if len(loaded.sheets) >= loaded.rule.quota_min_size else ''}）："
                    "请退回调整，或填写超额理由后锁定。",
                    field="override_reason",
                )
            row = loaded.row
            assert row is not None
            row.state = SheetState.LOCKED.value
            row.locked_at, row.locked_by = self.db.now(), actor.username
            row.override_reason = override if excellent > quota else ""
            _set_sheets(loaded, SheetState.LOCKED)
            summary = {"month": month, "sheets": len(loaded.sheets), "excellent": excellent, "quota": quota}
            if row.override_reason:
                summary["override_reason"] = row.override_reason
            self.audit(session, actor, "scoring.month.lock", "scoring_department_month", row.id, summary)
            return self._done(session, actor, loaded)

    def reopen_month(
        self, actor: CurrentUser, department_id: int, month: str, reason: str, expected_version: int | None
    ) -> DepartmentMonthInfo:
        """A leader reopens a locked month with a reason: revision n+1 of every sheet (the earlier ones
        stay readable), back to draft, late arrivals applied."""
        month = checked_month(month)
        require_lock(actor)
        text = _reason(reason, "reason", "重新打开的理由")
        with self.write() as session:
            loaded = self._flow_load(session, actor, department_id, month, expected_version)
            _require_state(loaded, SheetState.LOCKED)
            check_sealed_in(session, loaded)
            row = loaded.row
            assert row is not None
            revision = row.revision + 1
            now = self.db.now()
            copies: list[ScoringSheet] = []
            copied_entries: dict[int, list[ScoringEntry]] = {}
            for old in loaded.sheets:
                old.current = False
                new = ScoringSheet(
                    staff_id=old.staff_id,
                    department_id=old.department_id,
                    month=old.month,
                    revision=revision,
                    current=True,
                    scheme_id=old.scheme_id,
                    post=old.post,
                    state=SheetState.DRAFT.value,
                    total=old.total,
                    grade=old.grade,
                    veto=old.veto,
                    remark=old.remark,
                    created_at=now,
                    updated_at=now,
                    updated_by=actor.username,
                )
                session.add(new)
                session.flush()
                copied_entries[new.id] = [
                    ScoringEntry(
                        sheet_id=new.id,
                        item_code=e.item_code,
                        points=e.points,
                        evidence=e.evidence,
                        remark=e.remark,
                        auto_source=e.auto_source,
                        source_type=e.source_type,
                        source_id=e.source_id,
                        source_ref=e.source_ref,
                        contest_state=e.contest_state,
                        contest_reason=e.contest_reason,
                        contested_by=e.contested_by,
                        decided_by=e.decided_by,
                        decided_at=e.decided_at,
                        decision_note=e.decision_note,
                    )
                    for e in loaded.entries.get(old.id, [])
                ]
                session.add_all(copied_entries[new.id])
                copies.append(new)
            late = len(late_in(session, [loaded]))
            loaded.sheets, loaded.entries = copies, copied_entries
            row.revision = revision
            row.state = SheetState.DRAFT.value
            row.locked_at, row.locked_by, row.override_reason = None, "", ""
            row.submitted_at, row.submitted_by, row.return_reason = None, "", ""
            row.reopened_at, row.reopened_by, row.reopen_reason = now, actor.username, text
            session.flush()
            open_and_sync_in(session, self.db, actor, loaded)
            self.audit(
                session,
                actor,
                "scoring.month.reopen",
                "scoring_department_month",
                row.id,
                {"month": month, "revision": revision, "reason": text, "late": late},
            )
            return self._done(session, actor, loaded)

    # -- contests ----------------------------------------------------------------------------------
    def _entry(self, session: Session, entry_id: int) -> tuple[ScoringEntry, ScoringSheet]:
        entry = self.get_or_404(session, ScoringEntry, entry_id, "该评分项")
        sheet = session.scalar(
            select(ScoringSheet).where(ScoringSheet.id == entry.sheet_id).with_for_update()
        )
        assert sheet is not None
        if entry.auto_source is None:
            raise ValidationError("只有自动计入的评分项可以申诉；手工评分项请直接修改。")
        if not sheet.current or sheet.state == SheetState.LOCKED.value:
            raise ValidationError("本月考核已锁定：如需修改，请中心领导重新打开。")
        self._check_sheet_sealed(session, sheet)
        return entry, sheet

    def contest_entry(self, actor: CurrentUser, entry_id: int, reason: str) -> SheetInfo:
        """The supervisor disputes an automatic line with a reason (it still counts until decided)."""
        text = _reason(reason, "reason", "申诉理由")
        with self.write() as session:
            entry, sheet = self._entry(session, entry_id)
            require_fill(actor, sheet.department_id)
            if sheet.state != SheetState.DRAFT.value:
                raise ValidationError("本月考核已提交审核：申诉须在提交前提出。")
            if entry.contest_state != ContestState.NONE.value:
                raise Conflict("该评分项已申诉或已处理，不能再次申诉。")
            entry.contest_state = ContestState.CONTESTED.value
            entry.contest_reason, entry.contested_by = text, actor.username
            deduction = deduction_of(session, sheet, entry)
            if deduction is not None and deduction.state == "active":
                deduction.state = "contested"
            sheet.updated_at, sheet.updated_by = self.db.now(), actor.username
            session.flush()
            self.audit(
                session,
                actor,
                "scoring.entry.contest",
                "scoring_entry",
                entry.id,
                {
                    "month": sheet.month,
                    "item_code": entry.item_code,
                    "source_ref": entry.source_ref,
                    "reason": text,
                },
            )
            return self._sheet_info_in(session, sheet)

    def decide_contest(self, actor: CurrentUser, entry_id: int, uphold: bool, note: str = "") -> SheetInfo:
        """A leader upholds a contested line (it counts) or withdraws it (it does not; the link stays)."""
        require_lock(actor)
        text = clean_text(note, "note", "处理意见", REASON_LIMIT, required=not uphold, multiline=True)
        with self.write() as session:
            entry, sheet = self._entry(session, entry_id)
            if entry.contest_state != ContestState.CONTESTED.value:
                raise Conflict("该评分项没有待处理的申诉。")
            entry.contest_state = (ContestState.UPHELD if uphold else ContestState.WITHDRAWN).value
            entry.decided_by, entry.decided_at, entry.decision_note = actor.username, self.db.now(), text
            deduction = deduction_of(session, sheet, entry)
            if deduction is not None:
                deduction.state = "active" if uphold else "withdrawn"
            entries = list(session.scalars(select(ScoringEntry).where(ScoringEntry.sheet_id == sheet.id)))
            scheme = schemes_by_id_in(session, [sheet.scheme_id])[sheet.scheme_id]
            store_total(sheet, entries, scheme, rule_in(session, sheet.month))
            sheet.updated_at, sheet.updated_by = self.db.now(), actor.username
            session.flush()
            self.audit(
                session,
                actor,
                "scoring.entry.decide",
                "scoring_entry",
                entry.id,
                {
                    "month": sheet.month,
                    "item_code": entry.item_code,
                    "source_ref": entry.source_ref,
                    "uphold": uphold,
                    "note": text,
                },
            )
            return self._sheet_info_in(session, sheet)
