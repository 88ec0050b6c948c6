"""A case as the services see it: reading one (by id, number or lookup code), its detached info, its
history, and the rights of an actor over it. In-transaction functions for the other parts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.complaints import (
    Action,
    Category,
    Channel,
    DeductionKind,
    ExtensionState,
    IdType,
    Outcome,
    RespondentKind,
    Satisfaction,
    State,
    Statutory,
    TimeLimit,
    allowed_actions,
    is_overdue,
    looks_like_number,
    normalize_lookup_code,
    normalize_number,
    statutory_clocks,
)
from desktop_app.domain.errors import DataCheckFailed, NotFound, PermissionDenied
from desktop_app.domain.roles import Permission, Role
from desktop_app.services.calendar import deadline_in
from desktop_app.services.complaints.rules import rules_in
from desktop_app.services.complaints.types import (
    ComplaintInfo,
    DeductionInfo,
    EventInfo,
    EvidenceInfo,
    ExtensionInfo,
)
from desktop_app.services.context import CurrentUser
from desktop_app.store.complaint_models import (
    Complaint,
    ComplaintEvent,
    ComplaintEvidence,
    ComplaintExtension,
    StaffDeduction,
)
from desktop_app.store.database import Database
from desktop_app.store.models import Department, Staff, User
from desktop_app.store.sealing import failing_ids

NOT_FOUND = "未找到该投诉：请核对投诉编号（如 TS2026-000123）或 8 位查询码。"


def staff_names_in(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {i: n for i, n in session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(wanted)))}


def department_names_in(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.execute(select(Department.id, Department.name))}


def find_in(session: Session, key: str, lock: bool = False) -> Complaint:
    """The case a number or a lookup code names (as typed: lower case, full width, no dash)."""
    number = normalize_number(key)
    query = select(Complaint)
    if looks_like_number(number):
        query = query.where(Complaint.number == number)
    else:
        code = normalize_lookup_code(key)
        if not code:
            raise NotFound(NOT_FOUND)
        query = query.where(Complaint.lookup_code == code)
    if lock:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def get_in(session: Session, complaint_id: int, lock: bool = False) -> Complaint:
    row = session.get(Complaint, complaint_id, with_for_update=lock)
    if row is None:
        raise NotFound("该投诉不存在。")
    return row


def check_sealed_in(session: Session, row: Complaint) -> None:
    """What is told about a case (a state, a deadline, an outcome) rests on a row that verifies."""
    if failing_ids(session, Complaint, Complaint.id == row.id):
        raise DataCheckFailed(
            f"数据校验失败 — 请联系审计管理员：投诉 {row.number} 的记录在程序之外被改动过，"
            "其期限、状态和结论不能作为答复的依据。"
        )


def account_names_in(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """The people's names of accounts (for the screen; the username stays what rights compare)."""
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    rows = session.execute(select(User.username, User.display_name).where(User.username.in_(wanted)))
    return {username: name for username, name in rows if name}


def may_read(actor: CurrentUser) -> bool:
    return actor.can(Permission.COMPLAINT_TAKE) or actor.can(Permission.COMPLAINT_HANDLE)


def require_read(actor: CurrentUser) -> None:
    if not may_read(actor):
        raise PermissionDenied()


def is_handler(actor: CurrentUser, row: Complaint) -> bool:
    return actor.staff_id is not None and actor.staff_id == row.handler_staff_id


def may_direct(actor: CurrentUser, row: Complaint) -> bool:
    """Accept, refuse, transfer, assign, decide extensions: a leader; a supervisor for a case of
    their department or one not yet given to a department."""
    if not actor.can(Permission.COMPLAINT_HANDLE):
        return False
    if Role.LEADER in actor.roles:
        return True
    return row.department_id is None or row.department_id == actor.department_id


def may_work(actor: CurrentUser, row: Complaint) -> bool:
    """Investigate, close, note, visit, ask for more time: whoever may direct it, or its handler."""
    return may_direct(actor, row) or is_handler(actor, row)


def sees_internal(actor: CurrentUser, info: ComplaintInfo) -> bool:
    """Whether the internal notes of a case are shown to ``actor``: to those who may work it (a
    leader, the supervisor of its department — any supervisor while it has none — and its handler),
    not to a clerk who reads a case out on the phone."""
    if actor.staff_id is not None and actor.staff_id == info.handler_staff_id:
        return True
    if not actor.can(Permission.COMPLAINT_HANDLE):
        return False
    if Role.LEADER in actor.roles:
        return True
    return info.department_id is None or info.department_id == actor.department_id


def require_direct(actor: CurrentUser, row: Complaint) -> None:
    if not may_direct(actor, row):
        raise PermissionDenied("只有中心领导、本科室负责人可以办理此投诉的受理、转办、分派和审批。")


def require_work(actor: CurrentUser, row: Complaint) -> None:
    if not may_work(actor, row):
        raise PermissionDenied("只有此投诉的承办人、本科室负责人或中心领导可以办理。")


def actions_for(actor: CurrentUser, row: Complaint) -> tuple[Action, ...]:
    """The moves the state allows that this actor may make."""
    state = State(row.state)
    directing = {Action.ACCEPT, Action.REJECT, Action.TRANSFER}
    out = []
    for action in allowed_actions(state):
        if (action in directing and may_direct(actor, row)) or (
            action not in directing and may_work(actor, row)
        ):
            out.append(action)
    return tuple(out)


def clocks_in(session: Session, db: Database, row: Complaint) -> tuple[tuple[str, date, bool], ...]:
    statutory = Statutory(row.statutory)
    if statutory is Statutory.NONE:
        return ()
    rules = rules_in(session, row.received_on)
    out = []
    for what, days in statutory_clocks(statutory, rules):
        deadline = deadline_in(session, db, row.received_on, days)
        out.append((what, deadline.day, deadline.provisional))
    return tuple(out)


def event_info(row: ComplaintEvent) -> EventInfo:
    return EventInfo(
        row.id,
        row.at,
        row.actor,
        row.actor_name,
        row.action,
        State(row.from_state) if row.from_state else None,
        State(row.to_state) if row.to_state else None,
        row.text,
        row.internal,
    )


def info_in(
    session: Session, db: Database, row: Complaint, actor: CurrentUser | None = None, history: bool = True
) -> ComplaintInfo:
    names = staff_names_in(session, (row.handler_staff_id, row.receiver_staff_id))
    departments = department_names_in(session)
    linked = ""
    if row.linked_to_id is not None:
        linked = session.scalar(select(Complaint.number).where(Complaint.id == row.linked_to_id)) or ""
    events: tuple[EventInfo, ...] = ()
    evidence: tuple[EvidenceInfo, ...] = ()
    extensions: tuple[ExtensionInfo, ...] = ()
    deductions: tuple[DeductionInfo, ...] = ()
    if history:
        events = tuple(
            event_info(e)
            for e in session.scalars(
                select(ComplaintEvent)
                .where(ComplaintEvent.complaint_id == row.id)
                .order_by(ComplaintEvent.id)
            )
        )
        evidence = tuple(
            EvidenceInfo(e.id, e.filename, e.size, e.sha256, e.description, e.added_at, e.added_by)
            for e in session.scalars(
                select(ComplaintEvidence)
                .where(ComplaintEvidence.complaint_id == row.id)
                .order_by(ComplaintEvidence.id)
            )
        )
        extension_rows = list(
            session.scalars(
                select(ComplaintExtension)
                .where(ComplaintExtension.complaint_id == row.id)
                .order_by(ComplaintExtension.id)
            )
        )
        account_names = account_names_in(
            session, {n for x in extension_rows for n in (x.requested_by, x.decided_by)}
        )
        extensions = tuple(
            ExtensionInfo(
                x.id,
                x.days,
                x.reason,
                ExtensionState(x.state),
                x.requested_at,
                x.requested_by,
                x.old_deadline,
                x.new_deadline,
                x.decided_at,
                x.decided_by,
                x.decision_note,
                account_names.get(x.requested_by, x.requested_by),
                account_names.get(x.decided_by, x.decided_by),
            )
            for x in extension_rows
        )
        deduction_rows = list(
            session.scalars(
                select(StaffDeduction)
                .where(StaffDeduction.source_type == "complaint", StaffDeduction.source_id == row.id)
                .order_by(StaffDeduction.id)
            )
        )
        deduction_names = staff_names_in(session, (d.staff_id for d in deduction_rows))
        deductions = tuple(
            DeductionInfo(
                d.id,
                d.staff_id,
                deduction_names.get(d.staff_id, ""),
                d.month,
                d.points,
                DeductionKind(d.kind),
                d.source_ref,
                d.reason,
                d.state,
                d.created_at,
            )
            for d in deduction_rows
        )
    state = State(row.state)
    return ComplaintInfo(
        id=row.id,
        version=row.version,
        number=row.number,
        lookup_code=row.lookup_code,
        channel=Channel(row.channel),
        received_at=row.received_at,
        receiver_staff_id=row.receiver_staff_id,
        receiver_name=row.receiver_name,
        anonymous=row.anonymous,
        complainant_name=row.complainant_name,
        complainant_unit=row.complainant_unit,
        id_type=IdType(row.complainant_id_type) if row.complainant_id_type else None,
        id_number_masked=row.complainant_id_number_masked or "",
        phone_masked=row.complainant_phone_masked or "",
        address_masked=row.complainant_address_masked or "",
        respondent_kind=RespondentKind(row.respondent_kind),
        respondent_staff_id=row.respondent_staff_id,
        respondent_department_id=row.respondent_department_id,
        respondent_subject_id=row.respondent_subject_id,
        respondent_text=row.respondent_text,
        project_code=row.project_code,
        category=Category(row.category),
        facts=row.facts,
        request=row.request,
        time_limit=TimeLimit(row.time_limit),
        time_limit_days=row.time_limit_days,
        deadline=row.deadline,
        deadline_provisional=row.deadline_provisional,
        acceptance_deadline=row.acceptance_deadline,
        statutory=Statutory(row.statutory),
        statutory_clocks=clocks_in(session, db, row),
        state=state,
        state_reason=row.state_reason,
        transfer_to=row.transfer_to,
        department_id=row.department_id,
        department_name=departments.get(row.department_id, "") if row.department_id else "",
        handler_staff_id=row.handler_staff_id,
        handler_name=names.get(row.handler_staff_id, "") if row.handler_staff_id else "",
        outcome=Outcome(row.outcome) if row.outcome else None,
        reply=row.reply,
        closed_at=row.closed_at,
        closed_on=row.closed_on,
        satisfaction=Satisfaction(row.satisfaction) if row.satisfaction else None,
        visited_at=row.visited_at,
        followup_contact_deadline=row.followup_contact_deadline,
        followup_rectify_deadline=row.followup_rectify_deadline,
        followup_contacted_at=row.followup_contacted_at,
        followup_done_at=row.followup_done_at,
        followup_note=row.followup_note,
        linked_to_number=linked,
        credit_record_id=row.credit_record_id,
        overdue=is_overdue(state, row.deadline, db.today(), row.closed_on),
        allowed_actions=actions_for(actor, row) if actor is not None else allowed_actions(state),
        events=events,
        evidence=evidence,
        extensions=extensions,
        deductions=deductions,
        receipt_numbers=(row.receipt_notice,) if row.receipt_notice else (),
        reply_letter_numbers=(row.reply_notice,) if row.reply_notice else (),
        created_by=row.created_by,
    )


def add_event_in(
    session: Session,
    db: Database,
    actor: CurrentUser,
    row: Complaint,
    action: str,
    from_state: str = "",
    to_state: str = "",
    text: str = "",
    internal: bool = False,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint_id=row.id,
        at=db.now(),
        actor=actor.username,
        actor_name=actor.display_name or actor.username,
        action=action,
        from_state=from_state,
        to_state=to_state,
        text=text,
        internal=internal,
    )
    session.add(event)
    return event
