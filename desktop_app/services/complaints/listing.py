"""Finding cases again: by number or lookup code (a clerk on the phone), and the list with its
filters, sorted and read a page at a time (200,000 cases: the list loads only what is on screen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, undefer

from desktop_app.domain.complaints import (
    OPEN_STATES,
    Category,
    Channel,
    ExtensionState,
    Outcome,
    Satisfaction,
    State,
    looks_like_number,
    normalize_number,
)
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.roles import Permission, Role
from desktop_app.domain.search_text import fold
from desktop_app.services.base import Service, audit_in
from desktop_app.services.calendar import calendar_in
from desktop_app.services.complaints.cases import (
    check_sealed_in,
    department_names_in,
    find_in,
    get_in,
    info_in,
    require_read,
)
from desktop_app.services.complaints.types import (
    ComplaintFilter,
    ComplaintInfo,
    ComplaintRow,
    ListOrder,
    WorkloadCounts,
)
from desktop_app.services.context import CurrentUser
from desktop_app.store.complaint_models import Complaint, ComplaintEvidence, ComplaintExtension
from desktop_app.store.database import Database
from desktop_app.store.models import Staff

ORDER_COLUMNS: dict[str, Any] = {
    "number": Complaint.number,
    "received_at": Complaint.received_at,
    "channel": Complaint.channel,
    "category": Complaint.category,
    "state": Complaint.state,
    "respondent_text": Complaint.respondent_text,
    "complainant_name": Complaint.complainant_name,
    "department_name": Complaint.department_id,
    "handler_name": Complaint.handler_staff_id,
    "deadline": Complaint.deadline,
    "outcome": Complaint.outcome,
    "satisfaction": Complaint.satisfaction,
}
LIST_COLUMNS = (
    Complaint.id,
    Complaint.number,
    Complaint.received_at,
    Complaint.channel,
    Complaint.category,
    Complaint.state,
    Complaint.respondent_text,
    Complaint.complainant_name,
    Complaint.anonymous,
    Complaint.complainant_phone_masked,
    Complaint.department_id,
    Complaint.handler_staff_id,
    Complaint.deadline,
    Complaint.deadline_provisional,
    Complaint.outcome,
    Complaint.satisfaction,
    Complaint.closed_on,
    Complaint.facts,
)
OPEN_VALUES = tuple(s.value for s in OPEN_STATES)
# Made by revision 0014 outside the models: SQLite's plain index on the text, PostgreSQL's trigram one.
TEXT_INDEXES = frozenset({"ix_complaints_search_text", "ix_complaints_search_trgm"})
# The complainant's sealed fields a person with the right may read in clear, and their column.
PERSONAL_FIELDS = {
    "phone": Complaint.complainant_phone,
    "id_number": Complaint.complainant_id_number,
    "address": Complaint.complainant_address,
}


@dataclass(frozen=True)
class Horizon:
    """Today and the next working day, from which overdue and due-soon are judged."""

    today: date
    next_working_day: date


def horizon_in(session: Session, db: Database) -> Horizon:
    today = db.today()
    return Horizon(today, calendar_in(session, db).next_working_day(today))


def filter_conditions(
    actor: CurrentUser, where: ComplaintFilter, horizon: Horizon
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.states:
        conditions.append(Complaint.state.in_(sorted(s.value for s in where.states)))
    if where.categories:
        conditions.append(Complaint.category.in_(sorted(c.value for c in where.categories)))
    if where.channels:
        conditions.append(Complaint.channel.in_(sorted(c.value for c in where.channels)))
    if where.department_id is not None:
        conditions.append(Complaint.department_id == where.department_id)
    if where.handler_staff_id is not None:
        conditions.append(Complaint.handler_staff_id == where.handler_staff_id)
    if where.overdue or where.due_within_day:
        due: list[ColumnElement[bool]] = []
        if where.overdue:
            due.append(Complaint.deadline < horizon.today)
        if where.due_within_day:
            due.append(
                and_(Complaint.deadline >= horizon.today, Complaint.deadline <= horizon.next_working_day)
            )
        conditions.append(and_(Complaint.state.in_(OPEN_VALUES), or_(*due)))
    if where.received_from is not None:
        conditions.append(Complaint.received_on >= where.received_from)
    if where.received_to is not None:
        conditions.append(Complaint.received_on <= where.received_to)
    text = fold(where.text)
    if looks_like_number(where.text):
        conditions.append(Complaint.number == normalize_number(where.text))
    elif text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Complaint.search_text.like(f"%{escaped}%", escape="\\"))
    if where.mine:
        mine: list[ColumnElement[bool]] = [Complaint.receiver_username == actor.username]
        if actor.staff_id is not None:
            mine.append(Complaint.handler_staff_id == actor.staff_id)
        if Role.SUPERVISOR in actor.roles and actor.department_id is not None:
            mine.append(Complaint.department_id == actor.department_id)
        conditions.append(or_(*mine))
    return conditions


def _row(values: Any, departments: dict[int, str], staff: dict[int, str], horizon: Horizon) -> ComplaintRow:
    state = State(values.state)
    open_ = state in OPEN_STATES
    overdue = (open_ and values.deadline < horizon.today) or (
        values.closed_on is not None
        and state in (State.CLOSED, State.VISITED)
        and values.closed_on > values.deadline
    )
    return ComplaintRow(
        id=values.id,
        number=values.number,
        received_at=values.received_at,
        channel=Channel(values.channel),
        category=Category(values.category),
        state=state,
        respondent_text=values.respondent_text,
        complainant_name="匿名" if values.anonymous else values.complainant_name,
        phone_masked=values.complainant_phone_masked or "",
        department_name=departments.get(values.department_id, "") if values.department_id else "",
        handler_name=staff.get(values.handler_staff_id, "") if values.handler_staff_id else "",
        deadline=values.deadline,
        deadline_provisional=values.deadline_provisional,
        outcome=Outcome(values.outcome) if values.outcome else None,
        satisfaction=Satisfaction(values.satisfaction) if values.satisfaction else None,
        overdue=overdue,
        due_soon=open_ and horizon.today <= values.deadline <= horizon.next_working_day,
        facts=values.facts[:200],
    )


def list_query(actor: CurrentUser, where: ComplaintFilter, order: ListOrder, horizon: Horizon) -> Select[Any]:
    column = ORDER_COLUMNS.get(order.key, Complaint.received_at)
    ordering = column.desc() if order.descending else column.asc()
    tiebreak = Complaint.id.desc() if order.descending else Complaint.id.asc()
    query: Select[Any] = select(*LIST_COLUMNS)  # type: ignore[assignment]
    return query.where(*filter_conditions(actor, where, horizon)).order_by(ordering, tiebreak)


def rows_in(
    session: Session,
    db: Database,
    actor: CurrentUser,
    where: ComplaintFilter,
    order: ListOrder,
    offset: int,
    limit: int,
) -> list[ComplaintRow]:
    horizon = horizon_in(session, db)
    found = session.execute(list_query(actor, where, order, horizon).offset(offset).limit(limit)).all()
    departments = department_names_in(session)
    staff_ids = {r.handler_staff_id for r in found if r.handler_staff_id is not None}
    staff = (
        {i: n for i, n in session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(staff_ids)))}
        if staff_ids
        else {}
    )
    return [_row(r, departments, staff, horizon) for r in found]


class ListingOps(Service):
    def find(self, actor: CurrentUser, key: str) -> ComplaintInfo:
        """The case a number or lookup code names, with its history (masked): what a clerk reads out
        to a complainant on the phone. Read as stored only when its row verifies."""
        require_read(actor)
        with self.db.session() as session:
            row = find_in(session, key)
            check_sealed_in(session, row)
            return info_in(session, self.db, row, actor)

    def get(self, actor: CurrentUser, complaint_id: int) -> ComplaintInfo:
        require_read(actor)
        with self.db.session() as session:
            row = get_in(session, complaint_id)
            check_sealed_in(session, row)
            return info_in(session, self.db, row, actor)

    def reveal_personal_data(self, actor: CurrentUser, complaint_id: int, field: str, reason: str) -> str:
        """The complainant's phone, ID number or address in clear: needs the right and a stated
        reason, and leaves an audit entry (the reason, never the value)."""
        actor.require(Permission.UNMASK_PERSONAL_DATA)
        require_read(actor)
        column = PERSONAL_FIELDS.get(field)
        if column is None:
            raise ValidationError("只能查看联系电话、证件号码或地址。")
        why = (reason or "").strip()
        if len(why) < 4:
            raise ValidationError("请填写查看原因（至少 4 个字）。", field="reason")
        if len(why) > 200:
            raise ValidationError("查看原因不能超过 200 个字。", field="reason")
        with self.write() as session:
            row = session.scalar(
                select(Complaint).where(Complaint.id == complaint_id).options(undefer(column))
            )
            if row is None:
                raise NotFound("该投诉不存在。")
            value = getattr(row, column.key) or ""
            audit_in(session, actor, "pii.unmask", "complaint", row.number, {"field": field, "reason": why})
            return str(value)

    def evidence_content(self, actor: CurrentUser, evidence_id: int) -> tuple[str, bytes]:
        """An evidence file as stored: (file name, bytes), for whoever may read the case."""
        require_read(actor)
        with self.db.session() as session:
            row = session.scalar(
                select(ComplaintEvidence)
                .where(ComplaintEvidence.id == evidence_id)
                .options(undefer(ComplaintEvidence.content))
            )
            if row is None:
                raise NotFound("该证据材料不存在。")
            return row.filename, bytes(row.content)

    def count(self, actor: CurrentUser, where: ComplaintFilter) -> int:
        require_read(actor)
        with self.db.session() as session:
            horizon = horizon_in(session, self.db)
            query = (
                select(func.count()).select_from(Complaint).where(*filter_conditions(actor, where, horizon))
            )
            return int(session.scalar(query) or 0)

    def rows(
        self, actor: CurrentUser, where: ComplaintFilter, order: ListOrder, offset: int, limit: int
    ) -> list[ComplaintRow]:
        """A page of the list: ``limit`` rows from ``offset`` in ``order``."""
        require_read(actor)
        with self.db.session() as session:
            return rows_in(session, self.db, actor, where, order, offset, limit)

    def workload(self, actor: CurrentUser) -> WorkloadCounts:
        """The status bar's figures: open cases this account handles (a supervisor: their
        department's; a leader: all) overdue or due within a working day, extensions waiting for
        this account's decision, follow-ups after 差评 due."""
        if not actor.can(Permission.COMPLAINT_HANDLE) and actor.staff_id is None:
            return WorkloadCounts(0, 0)
        with self.db.session() as session:
            horizon = horizon_in(session, self.db)
            scope = self.scope_condition(actor)
            base: list[ColumnElement[bool]] = [Complaint.state.in_(OPEN_VALUES)]
            if scope is not None:
                base.append(scope)
            overdue = session.scalar(
                select(func.count()).select_from(Complaint).where(*base, Complaint.deadline < horizon.today)
            )
            soon = session.scalar(
                select(func.count())
                .select_from(Complaint)
                .where(
                    *base, Complaint.deadline >= horizon.today, Complaint.deadline <= horizon.next_working_day
                )
            )
            extensions = 0
            if actor.can(Permission.COMPLAINT_HANDLE):
                ext_query = (
                    select(func.count())
                    .select_from(ComplaintExtension)
                    .join(Complaint, Complaint.id == ComplaintExtension.complaint_id)
                    .where(
                        ComplaintExtension.state == ExtensionState.PENDING.value,
                        ComplaintExtension.requested_by != actor.username,
                    )
                )
                if Role.LEADER not in actor.roles:
                    ext_query = ext_query.where(
                        or_(Complaint.department_id == actor.department_id, Complaint.department_id.is_(None))
                    )
                extensions = int(session.scalar(ext_query) or 0)
            follow: list[ColumnElement[bool]] = [
                Complaint.followup_contact_deadline.is_not(None),
                Complaint.followup_done_at.is_(None),
            ]
            if scope is not None:
                follow.append(scope)
            followups = session.scalar(select(func.count()).select_from(Complaint).where(*follow))
            return WorkloadCounts(int(overdue or 0), int(soon or 0), extensions, int(followups or 0))

    @staticmethod
    def scope_condition(actor: CurrentUser) -> ColumnElement[bool] | None:
        """The cases an account answers for: a leader all (None), a supervisor their department's
        and their own, anyone else those they handle."""
        if Role.LEADER in actor.roles:
            return None
        own: list[ColumnElement[bool]] = []
        if actor.staff_id is not None:
            own.append(Complaint.handler_staff_id == actor.staff_id)
        if actor.can(Permission.COMPLAINT_HANDLE) and actor.department_id is not None:
            own.append(Complaint.department_id == actor.department_id)
        if not own:
            return Complaint.id < 0
        return or_(*own)
