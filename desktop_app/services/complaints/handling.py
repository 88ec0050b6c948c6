"""Handling a case to its end: the state moves (each a service call with its history and audit entry),
assignment, internal notes, deadline extensions, the closure and its consequences (deductions on a
staff member's month; a bad-behaviour record drafted in a market subject's credit file), the 回访 and
the follow-up after 差评, and the 投诉处理结果告知书."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.complaints import (
    BAD_RATINGS,
    FOUND_TRUE,
    OUTCOME_LABELS,
    RULE_RANGES,
    SATISFACTION_LABELS,
    Action,
    DeductionKind,
    ExtensionState,
    Outcome,
    RespondentKind,
    Satisfaction,
    State,
    month_of,
    next_state,
    transition_refusal,
)
from desktop_app.domain.credit import RecordKind, RecordSource, Severity
from desktop_app.domain.errors import Conflict, NotFound, PermissionDenied, Refusals, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, audit_in, check_version
from desktop_app.services.calendar import calendar_in, deadline_in
from desktop_app.services.center import read_settings
from desktop_app.services.complaints import papers
from desktop_app.services.complaints.cases import (
    add_event_in,
    check_sealed_in,
    find_in,
    get_in,
    info_in,
    require_direct,
    require_read,
    require_work,
)
from desktop_app.services.complaints.rules import rules_in
from desktop_app.services.complaints.types import Assignment, Closure, ComplaintInfo
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInput, add_record_in
from desktop_app.services.notices import NoticeService
from desktop_app.store.complaint_models import Complaint, ComplaintExtension, StaffDeduction
from desktop_app.store.database import Database
from desktop_app.store.models import Department, Staff

REASON_LIMIT = 500
REPLY_LIMIT = 3000
MAX_EXTENSION_DAYS = 30


def move_in(
    session: Session, db: Database, actor: CurrentUser, row: Complaint, action: Action, text: str = ""
) -> State:
    """Make one allowed move; any other is refused with the moves the state allows."""
    origin = State(row.state)
    target = next_state(origin, action)
    if target is None:
        raise Conflict(transition_refusal(origin, action))
    row.state = target.value
    add_event_in(session, db, actor, row, action.value, origin.value, target.value, text)
    return target


def _assign_in(session: Session, row: Complaint, assignment: Assignment, refusals: Refusals) -> None:
    if assignment.department_id is not None:
        department = session.get(Department, assignment.department_id)
        if department is None or not department.active:
            refusals.add("请选择在用的科室。", "department")
        else:
            row.department_id = department.id
    if assignment.handler_staff_id is not None:
        staff = session.get(Staff, assignment.handler_staff_id)
        if staff is None or not staff.active:
            refusals.add("承办人须是在职工作人员。", "handler")
        else:
            row.handler_staff_id = staff.id
            if row.department_id is None:
                row.department_id = staff.department_id


def add_deduction_in(
    session: Session,
    db: Database,
    actor: CurrentUser,
    row: Complaint,
    staff_id: int,
    kind: DeductionKind,
    points: int,
    reason: str,
) -> StaffDeduction:
    """Store points a staff member's month loses because of this case (the month of its closure)."""
    assert row.closed_on is not None
    deduction = StaffDeduction(
        staff_id=staff_id,
        month=month_of(row.closed_on),
        points=points,
        kind=kind.value,
        source_type="complaint",
        source_id=row.id,
        source_ref=row.number,
        reason=reason,
        state="active",
        created_at=db.now(),
        created_by=actor.username,
    )
    session.add(deduction)
    return deduction


class HandlingOps(Service):
    def _load(
        self, session: Session, actor: CurrentUser, complaint_id: int, version: int | None
    ) -> Complaint:
        row = get_in(session, complaint_id, lock=True)
        check_version(row, version)
        check_sealed_in(session, row)
        return row

    def _done(self, session: Session, actor: CurrentUser, row: Complaint) -> ComplaintInfo:
        row.updated_at = self.db.now()
        row.updated_by = actor.username
        session.flush()
        return info_in(session, self.db, row, actor)

    # -- directing ---------------------------------------------------------------------------------
    def accept(
        self, actor: CurrentUser, complaint_id: int, version: int | None, assignment: Assignment | None = None
    ) -> ComplaintInfo:
        with self.write() as session:
            row = self._load(session, actor, complaint_id, version)
            require_direct(actor, row)
            refusals = Refusals()
            note = refusals.check(
                lambda: clean_text(
                    (assignment or Assignment(None, None)).note, "note", "说明", REASON_LIMIT, multiline=True
                ),
                "",
            )
            if assignment is not None:
                _assign_in(session, row, assignment, refusals)
            refusals.raise_any()
            move_in(session, self.db, actor, row, Action.ACCEPT, note)
            audit_in(
                session,
                actor,
                "complaint.accept",
                "complaint",
                row.number,
                {"department_id": row.department_id, "handler_staff_id": row.handler_staff_id},
            )
            return self._done(session, actor, row)

    def reject(
        self, actor: CurrentUser, complaint_id: int, version: int | None, reason: str
    ) -> ComplaintInfo:
        text = clean_text(reason, "reason", "不予受理的理由", REASON_LIMIT, required=True, multiline=True)
        with self.write() as session:
            row = self._load(session, actor, complaint_id, version)
            require_direct(actor, row)
            move_in(session, self.db, actor, row, Action.REJECT, text)
            row.state_reason = text
            row.closed_at = self.db.now()
            row.closed_on = self.db.today()
            audit_in(session, actor, "complaint.reject", "complaint", row.number, {"reason": text})
            return self._done(session, actor, row)

    def transfer(
        self,
        actor: CurrentUser,
        complaint_id: int,
        version: int | None,
        to: str,
        department_id: int | None = None,
        note: str = "",
    ) -> ComplaintInfo:
        """转办: to another body (named in ``to``) or to a department of the center (``department_id``)."""
        refusals = Refusals()
        target = refusals.check(lambda: clean_text(to, "transfer_to", "转办对象", 100), "")
        remark = refusals.check(lambda: clean_text(note, "note", "说明", REASON_LIMIT, multiline=True), "")
        if not target and department_id is None and not refusals.failed("transfer_to"):
            refusals.add("请填写转办给谁（科室或单位）。", "transfer_to")
        with self.write() as session:
            row = self._load(session, actor, complaint_id, version)
            require_direct(actor, row)
            if department_id is not None:
                _assign_in(session, row, Assignment(department_id, None), refusals)
                department = session.get(Department, department_id)
                if department is not None and not target:
                    target = department.name
            refusals.raise_any()
            move_in(
                session, self.db, actor, row, Action.TRANSFER, "；".join(t for t in (target, remark) if t)
            )
            row.transfer_to = target
            audit_in(session, actor, "complaint.transfer", "complaint", row.number, {"to": target})
            return self._done(session, actor, row)

    def assign(
        self, actor: CurrentUser, complaint_id: int, version: int | None, assignment: Assignment
    ) -> ComplaintInfo:
        with self.write() as session:
            row = self._load(session, actor, complaint_id, version)
            require_direct(actor, row)
            if State(row.state) not in (
                State.REGISTERED,
                State.ACCEPTED,
                State.TRANSFERRED,
                State.INVESTIGATING,
            ):
                raise Conflict("已办结的投诉不能再分派。")
            refusals = Refusals()
            if assignment.department_id is None and assignment.handler_staff_id is None:
                refusals.add("请选择科室或承办人。", "department")
            _assign_in(session, row, assignment, refusals)
            note = refusals.check(
                lambda: clean_text(assignment.note, "note", "说明", REASON_LIMIT, multiline=True), ""
            )
            refusals.raise_any()
            handler = session.get(Staff, row.handler_staff_id) if row.handler_staff_id else None
            department = session.get(Department, row.department_id) if row.department_id else None
            words = "、".join(
                x for x in ((department.name if department else ""), (handler.name if handler else "")) if x
            )
            add_event_in(
                session,
                self.db,
                actor,
                row,
                "assign",
                row.state,
                row.state,
                "；".join(x for x in (words, note) if x),
                True,
            )
            audit_in(
                session,
                actor,
                "complaint.assign",
                "complaint",
                row.number,
                {"department_id": row.department_id, "handler_staff_id": row.handler_staff_id},
            )
            return self._done(session, actor, row)

    # -- working -------------------------------------------------------------------------------------
    def investigate(
        self, actor: CurrentUser, complaint_id: int, version: int | None, note: str = ""
    ) -> ComplaintInfo:
        text = clean_text(note, "note", "说明", REASON_LIMIT, multiline=True)
        with self.write() as session:
            row = self._load(session, actor, complaint_id, version)
            require_work(actor, row)
            if row.handler_staff_id is None:
                if actor.staff_id is None:
                    raise ValidationError("请先指定承办人。", field="handler")
                row.handler_staff_id = actor.staff_id
                staff = session.get(Staff, actor.staff_id)
                if row.department_id is None and staff is not None:
                    row.department_id = staff.department_id
            move_in(session, self.db, actor, row, Action.INVESTIGATE, text)
            audit_in(
                session,
                actor,
                "complaint.investigate",
                "complaint",
                row.number,
                {"handler_staff_id": row.handler_staff_id},
            )
            return self._done(session, actor, row)

    def add_note(self, actor: CurrentUser, complaint_id: int, text: str) -> ComplaintInfo:
        """An internal note: kept in the history, never in the reply or on paper."""
        note = clean_text(text, "note", "内部备注", REASON_LIMIT, required=True, multiline=True)
        with self.write() as session:
            row = self._load(session, actor, complaint_id, None)
            require_work(actor, row)
            add_event_in(session, self.db, actor, row, "note", row.state, row.state, note, internal=True)
            audit_in(session, actor, "complaint.note", "complaint", row.number, {"length": len(note)})
            return self._done(session, actor, row)

    def close(
        self, actor: CurrentUser, complaint_id: int, version: int | None, closure: Closure
    ) -> ComplaintInfo:
        """办结 with the finding and the reply. Found (partly) true against a staff member: a deduction
        on their month (the catalogue's points unless given); closed after the deadline: one on the
        handler's. Both wait there for the monthly scoring sheet."""
        refusals = Refusals()
        if closure.outcome is None:
            refusals.add("请选择调查结论（属实、部分属实或不属实）。", "outcome")
        reply = refusals.check(
            lambda: clean_text(
                closure.reply, "reply", "答复内容", REPLY_LIMIT, required=True, multiline=True
            ),
            "",
        )
        note = refusals.check(
            lambda: clean_text(closure.note, "note", "内部备注", REASON_LIMIT, multiline=True), ""
        )
        if closure.deduction_points is not None:
            low, high = RULE_RANGES["found_true_points"]
            if not low <= closure.deduction_points <= high:
                refusals.add(f"扣分应在 {low} 至 {high} 之间。", "deduction_points")
        refusals.raise_any()
        assert closure.outcome is not None
        with self.write() as session:
            row = self._load(session, actor, complaint_id, version)
            require_work(actor, row)
            move_in(session, self.db, actor, row, Action.CLOSE, f"{OUTCOME_LABELS[closure.outcome]}：{reply}")
            if note:
                add_event_in(session, self.db, actor, row, "note", row.state, row.state, note, internal=True)
            today = self.db.today()
            row.outcome = closure.outcome.value
            row.reply = reply
            row.closed_at = self.db.now()
            row.closed_on = today
            rules = rules_in(session, today)
            summary: dict[str, object] = {"outcome": closure.outcome.value, "overdue": today > row.deadline}
            if closure.outcome in FOUND_TRUE and row.respondent_kind == RespondentKind.STAFF.value:
                assert row.respondent_staff_id is not None
                points = (
                    closure.deduction_points
                    if closure.deduction_points is not None
                    else rules.found_true_points
                )
                add_deduction_in(
                    session,
                    self.db,
                    actor,
                    row,
                    row.respondent_staff_id,
                    DeductionKind.FOUND_TRUE,
                    points,
                    f"投诉{OUTCOME_LABELS[closure.outcome]}（{row.number}）",
                )
                summary["deduction"] = {"staff_id": row.respondent_staff_id, "points": points}
            if today > row.deadline and row.handler_staff_id is not None:
                late = calendar_in(session, self.db).working_days_between(row.deadline, today)
                add_deduction_in(
                    session,
                    self.db,
                    actor,
                    row,
                    row.handler_staff_id,
                    DeductionKind.OVERDUE,
                    rules.overdue_points,
                    f"超期 {late} 个工作日办结（{row.number}）",
                )
                summary["overdue_deduction"] = {
                    "staff_id": row.handler_staff_id,
                    "points": rules.overdue_points,
                }
            audit_in(session, actor, "complaint.close", "complaint", row.number, summary)
            return self._done(session, actor, row)

    def visit(
        self,
        actor: CurrentUser,
        complaint_id: int,
        version: int | None,
        satisfaction: Satisfaction | None,
        note: str = "",
    ) -> ComplaintInfo:
        """回访. 不满意/非常不满意 (差评) opens a follow-up: contact within a working day, rectify within
        fifteen (the catalogue's figures)."""
        refusals = Refusals()
        if satisfaction is None:
            refusals.add("请选择满意度。", "satisfaction")
        text = refusals.check(lambda: clean_text(note, "note", "回访记录", REASON_LIMIT, multiline=True), "")
        refusals.raise_any()
        assert satisfaction is not None
        with self.write() as session:
            row = self._load(session, actor, complaint_id, version)
            require_work(actor, row)
            move_in(
                session,
                self.db,
                actor,
                row,
                Action.VISIT,
                f"{SATISFACTION_LABELS[satisfaction]}" + (f"：{text}" if text else ""),
            )
            today = self.db.today()
            row.satisfaction = satisfaction.value
            row.visited_at = self.db.now()
            row.visit_note = text
            summary: dict[str, object] = {"satisfaction": satisfaction.value}
            if satisfaction in BAD_RATINGS:
                rules = rules_in(session, today)
                contact = deadline_in(session, self.db, today, rules.followup_contact_days)
                rectify = deadline_in(session, self.db, today, rules.followup_rectify_days)
                row.followup_contact_deadline = contact.day
                row.followup_rectify_deadline = rectify.day
                summary["followup"] = {"contact": contact.day.isoformat(), "rectify": rectify.day.isoformat()}
            audit_in(session, actor, "complaint.visit", "complaint", row.number, summary)
            return self._done(session, actor, row)

    def followup(
        self, actor: CurrentUser, complaint_id: int, version: int | None, step: str, note: str
    ) -> ComplaintInfo:
        """The follow-up after 差评: ``contacted`` (the complainant was reached) then ``rectified``."""
        text = clean_text(note, "note", "跟进记录", REASON_LIMIT, required=True, multiline=True)
        with self.write() as session:
            row = self._load(session, actor, complaint_id, version)
            require_work(actor, row)
            if row.followup_contact_deadline is None:
                raise Conflict("此投诉没有需要跟进的差评。")
            now = self.db.now()
            if step == "contacted":
                if row.followup_contacted_at is not None:
                    raise Conflict("已记录联系投诉人。")
                row.followup_contacted_at = now
            elif step == "rectified":
                if row.followup_done_at is not None:
                    raise Conflict("整改已记录完成。")
                row.followup_done_at = now
                if row.followup_contacted_at is None:
                    row.followup_contacted_at = now
            else:
                raise ValueError(step)
            row.followup_note = "\n".join(x for x in (row.followup_note, text) if x)
            add_event_in(session, self.db, actor, row, f"followup_{step}", row.state, row.state, text)
            if step == "contacted":
                audit_in(session, actor, "complaint.followup_contacted", "complaint", row.number, {})
            else:
                audit_in(session, actor, "complaint.followup_rectified", "complaint", row.number, {})
            return self._done(session, actor, row)

    # -- deadline extensions -----------------------------------------------------------------------
    def request_extension(
        self, actor: CurrentUser, complaint_id: int, days: int, reason: str
    ) -> ComplaintInfo:
        refusals = Refusals()
        text = refusals.check(
            lambda: clean_text(reason, "reason", "延期理由", REASON_LIMIT, required=True, multiline=True), ""
        )
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            refusals.add(f"延长 1–{MAX_EXTENSION_DAYS} 个工作日。", "days")
        refusals.raise_any()
        with self.write() as session:
            row = self._load(session, actor, complaint_id, None)
            require_work(actor, row)
            if State(row.state) not in (
                State.REGISTERED,
                State.ACCEPTED,
                State.TRANSFERRED,
                State.INVESTIGATING,
            ):
                raise Conflict("只有办理中的投诉可以申请延期。")
            waiting = session.scalar(
                select(ComplaintExtension.id).where(
                    ComplaintExtension.complaint_id == row.id,
                    ComplaintExtension.state == ExtensionState.PENDING.value,
                )
            )
            if waiting is not None:
                raise Conflict("已有一个延期申请在等待审批。")
            session.add(
                ComplaintExtension(
                    complaint_id=row.id,
                    days=days,
                    reason=text,
                    state=ExtensionState.PENDING.value,
                    requested_at=self.db.now(),
                    requested_by=actor.username,
                    old_deadline=row.deadline,
                )
            )
            add_event_in(
                session,
                self.db,
                actor,
                row,
                "extension_request",
                row.state,
                row.state,
                f"申请延长 {days} 个工作日：{text}",
                True,
            )
            audit_in(session, actor, "complaint.extension_request", "complaint", row.number, {"days": days})
            return self._done(session, actor, row)

    def decide_extension(
        self, actor: CurrentUser, extension_id: int, approve: bool, note: str = ""
    ) -> ComplaintInfo:
        """A supervisor (of the case's department) or a leader approves or refuses; approved, the
        deadline moves by the working days asked, counted from the old deadline."""
        text = clean_text(note, "note", "审批意见", REASON_LIMIT, required=not approve, multiline=True)
        with self.write() as session:
            extension = session.get(ComplaintExtension, extension_id, with_for_update=True)
            if extension is None:
                raise NotFound("该延期申请不存在。")
            row = self._load(session, actor, extension.complaint_id, None)
            require_direct(actor, row)
            if extension.requested_by == actor.username:
                raise PermissionDenied("延期申请须由他人审批，不能审批自己的申请。")
            if extension.state != ExtensionState.PENDING.value:
                raise Conflict("该延期申请已审批。")
            extension.state = (ExtensionState.APPROVED if approve else ExtensionState.REFUSED).value
            extension.decided_at = self.db.now()
            extension.decided_by = actor.username
            extension.decision_note = text
            if approve:
                moved = deadline_in(session, self.db, row.deadline, extension.days)
                extension.new_deadline = moved.day
                row.deadline = moved.day
                row.deadline_provisional = moved.provisional
            words = (
                f"批准延期至 {extension.new_deadline.isoformat()}"
                if approve and extension.new_deadline
                else "不批准延期"
            )
            add_event_in(
                session,
                self.db,
                actor,
                row,
                "extension_decide",
                row.state,
                row.state,
                "；".join(x for x in (words, text) if x),
                True,
            )
            audit_in(
                session,
                actor,
                "complaint.extension_decide",
                "complaint",
                row.number,
                {"approve": approve, "deadline": row.deadline.isoformat()},
            )
            return self._done(session, actor, row)

    # -- credit files ----------------------------------------------------------------------------
    def credit_draft(self, actor: CurrentUser, complaint_id: int) -> RecordInput:
        """The bad-behaviour record a case found true against a market subject suggests, prefilled."""
        with self.db.session() as session:
            row = get_in(session, complaint_id)
            self._check_credit_case(actor, row)
            assert row.respondent_subject_id is not None and row.closed_on is not None
            return RecordInput(
                subject_id=row.respondent_subject_id,
                kind=RecordKind.BAD,
                severity=Severity.MINOR,
                decision_date=row.closed_on,
                facts=f"经调查，投诉（{row.number}）反映的问题{OUTCOME_LABELS[Outcome(row.outcome or Outcome.TRUE.value)]}：{row.facts}"[
                    :1000
                ],
                authority=str(read_settings(session)["center_name"]),
                source=RecordSource.COMPLAINT,
                source_ref=row.number,
            )

    def _check_credit_case(self, actor: CurrentUser, row: Complaint) -> None:
        actor.require(Permission.CREDIT_PROPOSE)
        require_work(actor, row)
        if row.respondent_kind != RespondentKind.SUBJECT.value or row.respondent_subject_id is None:
            raise Conflict("此投诉的被投诉对象不是市场主体。")
        if row.outcome is None or Outcome(row.outcome) not in FOUND_TRUE:
            raise Conflict("投诉查实（属实或部分属实）后才能起草信用记录。")
        if row.credit_record_id is not None:
            raise Conflict("此投诉已起草过信用记录。")

    def draft_credit_record(self, actor: CurrentUser, complaint_id: int, data: RecordInput) -> ComplaintInfo:
        """Write the record through the credit module (its validation, defaults, and a leader's
        confirmation for a ban), with the case as its source, in the case's transaction."""
        with self.write() as session:
            row = self._load(session, actor, complaint_id, None)
            self._check_credit_case(actor, row)
            if data.subject_id != row.respondent_subject_id:
                raise ValidationError("信用记录的主体须是被投诉的市场主体。", field="subject")
            record = add_record_in(
                session,
                self.db,
                actor,
                RecordInput(**{**data.__dict__, "source": RecordSource.COMPLAINT, "source_ref": row.number}),
            )
            row.credit_record_id = record.id
            add_event_in(
                session,
                self.db,
                actor,
                row,
                "credit_draft",
                row.state,
                row.state,
                f"起草信用记录 #{record.id}",
                True,
            )
            audit_in(
                session, actor, "complaint.credit_draft", "complaint", row.number, {"record_id": record.id}
            )
            return self._done(session, actor, row)

    # -- the reply letter ------------------------------------------------------------------------
    def reply_letter(self, actor: CurrentUser, key: str) -> tuple[str, bytes, bool]:
        """The 投诉处理结果告知书 of a closed case: issued the first time, a 补打 afterwards."""
        require_read(actor)
        with self.write() as session:
            row = find_in(session, key, lock=True)
            check_sealed_in(session, row)
            if not papers.may_print_reply(State(row.state)):
                raise Conflict("投诉办结后才能打印处理结果告知书。")
            if not row.reply_notice:
                settings = read_settings(session)
                info = info_in(session, self.db, row, actor, history=False)
                document = papers.reply_document(
                    info, str(settings["center_name"]), str(settings["doc_number_prefix"]), self.db.today()
                )
                issued = NoticeService(self.db).issue_in(
                    session, actor, "complaint_reply", document, f"投诉处理结果告知书 {row.number}"
                )
                row.reply_notice = issued.number
                return issued.number, issued.pdf, False
            notice_number = row.reply_notice
        reprinted = NoticeService(self.db).reprint(actor, notice_number)
        return reprinted.number, reprinted.pdf, True
