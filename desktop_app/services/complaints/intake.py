"""Taking a complaint: checking what the form says, possible duplicates, the committed deadline, the
number and lookup code, and the 投诉受理回执 issued in the same transaction as the case."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.complaints import (
    STATUTORY_TRANSFER_TO,
    Action,
    ComplaintRules,
    IdType,
    RespondentKind,
    State,
    Statutory,
    complaint_number,
    new_lookup_code,
    next_state,
    similar_facts,
)
from desktop_app.domain.errors import NotFound, Refusals, ValidationError
from desktop_app.domain.identifiers import normalize_phone, normalize_resident_id
from desktop_app.domain.roles import Permission
from desktop_app.domain.search_text import fold
from desktop_app.domain.text import clean_text
from desktop_app.domain.workdays import local_date
from desktop_app.services.base import Service, audit_in
from desktop_app.services.calendar import deadline_in
from desktop_app.services.center import read_settings
from desktop_app.services.complaints import papers
from desktop_app.services.complaints.cases import (
    add_event_in,
    check_sealed_in,
    find_in,
    info_in,
    require_read,
)
from desktop_app.services.complaints.rules import rules_in
from desktop_app.services.complaints.types import (
    ComplaintInfo,
    ComplaintInput,
    DeadlinePreview,
    DuplicateHit,
    IntakeResult,
)
from desktop_app.services.context import CurrentUser
from desktop_app.services.notices import IssuedDocument, NoticeService, next_serial
from desktop_app.store.complaint_models import Complaint, ComplaintEvidence
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.database import Database
from desktop_app.store.models import Department, Staff

FACTS_LIMIT = 2000
REQUEST_LIMIT = 1000
EVIDENCE_LIMIT = 20 * 1024 * 1024
MAX_LIMIT_DAYS = 60
NUMBER_COUNTER = "complaint"  # the notices' counter table keeps the per-year sequence


@dataclass(frozen=True)
class CheckedInput:
    """An input that passed every check, in the form it is stored."""

    data: ComplaintInput
    received_at: datetime
    receiver_staff_id: int | None
    receiver_name: str
    complainant_name: str
    complainant_unit: str
    id_number: str | None
    phone: str | None
    address: str | None
    respondent_text: str
    project_code: str
    facts: str
    request: str
    days: int


def _respondent_text(session: Session, data: ComplaintInput, refusals: Refusals) -> str:
    kind = data.respondent_kind
    if kind is RespondentKind.STAFF:
        staff = session.get(Staff, data.respondent_staff_id) if data.respondent_staff_id else None
        if staff is None:
            refusals.add("请选择被投诉的工作人员。", "respondent")
            return ""
        return f"{staff.name}（{staff.department.name}）"
    if kind is RespondentKind.DEPARTMENT:
        department = (
            session.get(Department, data.respondent_department_id) if data.respondent_department_id else None
        )
        if department is None:
            refusals.add("请选择被投诉的科室。", "respondent")
            return ""
        return department.name
    if kind is RespondentKind.SUBJECT:
        subject = (
            session.get(CreditSubject, data.respondent_subject_id) if data.respondent_subject_id else None
        )
        if subject is None:
            refusals.add("请用查询找到被投诉的市场主体。", "respondent")
            return ""
        return subject.name
    if kind is RespondentKind.WINDOW:
        return refusals.check(
            lambda: clean_text(data.respondent_text, "respondent", "被投诉窗口", 100, required=True), ""
        )
    return refusals.check(lambda: clean_text(data.respondent_text, "respondent", "被投诉对象", 100), "")


def check_input_in(session: Session, db: Database, actor: CurrentUser, data: ComplaintInput) -> CheckedInput:
    """Every fault of the input at once (``ValidationErrors``, one per field)."""
    refusals = Refusals()
    if data.channel is None:
        refusals.add("请选择投诉渠道。", "channel")
    received_at = data.received_at
    if received_at is None:
        refusals.add("请填写收到时间。", "received_at")
    elif received_at.tzinfo is None:
        raise ValueError("received_at must be an aware datetime")
    elif received_at > db.now() + timedelta(minutes=5):
        refusals.add("收到时间不能晚于现在。", "received_at")
    elif received_at.astimezone().year < 2000:
        refusals.add("收到时间不正确。", "received_at")

    receiver_id = data.receiver_staff_id if data.receiver_staff_id is not None else actor.staff_id
    receiver_name = actor.display_name or actor.username
    if receiver_id is not None:
        receiver = session.get(Staff, receiver_id)
        if receiver is None or not receiver.active:
            refusals.add("首问负责人须是在职工作人员。", "receiver")
        else:
            receiver_name = receiver.name

    name = refusals.check(
        lambda: clean_text(
            data.complainant_name, "complainant_name", "投诉人姓名", 50, required=not data.anonymous
        ),
        "",
    )
    unit = refusals.check(
        lambda: clean_text(data.complainant_unit, "complainant_unit", "投诉人单位", 100), ""
    )
    phone: str | None = None
    if data.phone.strip():
        phone = refusals.check(lambda: normalize_phone(data.phone, "phone"), None)
    id_number: str | None = None
    if data.id_number.strip():
        if data.id_type in (None, IdType.RESIDENT):
            id_number = refusals.check(lambda: normalize_resident_id(data.id_number, "id_number"), None)
        else:
            id_number = refusals.check(lambda: clean_text(data.id_number, "id_number", "证件号码", 30), None)
    address = refusals.check(lambda: clean_text(data.address, "address", "联系地址", 120), "") or None
    if not data.anonymous and phone is None and address is None and not refusals.failed("phone", "address"):
        refusals.add("实名投诉请留联系电话或地址，以便告知处理结果。", "phone")

    respondent_text = _respondent_text(session, data, refusals)
    project_code = refusals.check(lambda: clean_text(data.project_code, "project_code", "项目编号", 60), "")
    if data.statutory is not Statutory.NONE and not project_code and not refusals.failed("project_code"):
        refusals.add("招标投标、政府采购投诉须填写项目编号。", "project_code")
    if data.category is None:
        refusals.add("请选择投诉类别。", "category")
    facts = refusals.check(
        lambda: clean_text(data.facts, "facts", "投诉事实", FACTS_LIMIT, required=True, multiline=True), ""
    )
    request = refusals.check(
        lambda: clean_text(data.request, "request", "诉求", REQUEST_LIMIT, multiline=True), ""
    )
    rules = rules_in(session, local_date(received_at) if received_at is not None else db.today())
    days = data.time_limit_days if data.time_limit_days is not None else rules.days_for(data.time_limit)
    if not 1 <= days <= MAX_LIMIT_DAYS:
        refusals.add(f"办理时限为 1–{MAX_LIMIT_DAYS} 个工作日。", "time_limit_days")
    for item in data.evidence:
        if not item.filename.strip():
            refusals.add("证据文件缺少文件名。", "evidence")
        elif len(item.content) > EVIDENCE_LIMIT:
            refusals.add(f"证据文件“{item.filename}”超过 20 MB。", "evidence")
    refusals.raise_any()
    assert received_at is not None
    return CheckedInput(
        data,
        received_at,
        receiver_id,
        receiver_name,
        name,
        unit,
        id_number,
        phone,
        address,
        respondent_text,
        project_code,
        facts,
        request,
        days,
    )


def preview_deadline_in(
    session: Session,
    db: Database,
    received_at: datetime,
    days: int,
    statutory: Statutory,
    rules: ComplaintRules,
) -> DeadlinePreview:
    from desktop_app.domain.complaints import statutory_clocks

    received = local_date(received_at)
    deadline = deadline_in(session, db, received, days)
    acceptance = deadline_in(session, db, received, rules.acceptance_days)
    clocks = []
    for what, n in statutory_clocks(statutory, rules):
        clock_deadline = deadline_in(session, db, received, n)
        clocks.append((what, clock_deadline.day, clock_deadline.provisional))
    return DeadlinePreview(deadline.day, deadline.provisional, days, acceptance.day, tuple(clocks))


def duplicates_in(
    session: Session, db: Database, data: ComplaintInput, phone: str | None, rules: ComplaintRules
) -> list[DuplicateHit]:
    """Earlier cases that may be this one: the same phone, or the same respondent with facts alike,
    received within the catalogue's window before this one."""
    received = data.received_at or db.now()
    since = received - timedelta(days=rules.duplicate_window_days)
    conditions = []
    if phone:
        conditions.append(Complaint.complainant_phone_lookup == db.keyring.lookup_hash("phone", phone))
    respondent = None
    if data.respondent_kind is RespondentKind.STAFF and data.respondent_staff_id:
        respondent = Complaint.respondent_staff_id == data.respondent_staff_id
    elif data.respondent_kind is RespondentKind.SUBJECT and data.respondent_subject_id:
        respondent = Complaint.respondent_subject_id == data.respondent_subject_id
    elif data.respondent_kind is RespondentKind.DEPARTMENT and data.respondent_department_id:
        respondent = Complaint.respondent_department_id == data.respondent_department_id
    elif data.respondent_kind is RespondentKind.WINDOW and data.respondent_text.strip():
        respondent = Complaint.respondent_text == data.respondent_text.strip()
    if respondent is not None:
        conditions.append(respondent)
    if not conditions:
        return []
    rows = session.scalars(
        select(Complaint)
        .where(or_(*conditions), Complaint.received_at >= since)
        .order_by(Complaint.received_at.desc())
        .limit(50)
    )
    phone_hash = db.keyring.lookup_hash("phone", phone) if phone else None
    hits = []
    for row in rows:
        if phone_hash is not None and row.complainant_phone_lookup == phone_hash:
            reason = "同一联系电话"
        elif similar_facts(row.facts, data.facts):
            reason = "同一被投诉对象且事实相近"
        else:
            continue
        hits.append(
            DuplicateHit(
                row.id, row.number, row.received_at, State(row.state), row.respondent_text, row.facts, reason
            )
        )
    return hits[:10]


def search_text_of(row: Complaint) -> str:
    parts = (
        row.number,
        row.lookup_code.replace("-", ""),
        row.complainant_name,
        row.complainant_unit,
        row.respondent_text,
        row.project_code,
        row.facts,
        row.request,
    )
    return fold(" ".join(parts))


def _new_lookup_code(session: Session) -> str:
    for _ in range(20):
        code = new_lookup_code()
        if session.scalar(select(Complaint.id).where(Complaint.lookup_code == code)) is None:
            return code
    raise RuntimeError("no free lookup code after 20 tries")


def register_in(
    session: Session,
    db: Database,
    actor: CurrentUser,
    data: ComplaintInput,
    link_to_id: int | None = None,
    checked: CheckedInput | None = None,
    prefix: str | None = None,
) -> Complaint:
    """Number and store a case inside the caller's transaction, with its history and audit entry.
    A statutory complaint is marked 转行政监督部门 at once. The caller checks the actor's right."""
    checked = checked or check_input_in(session, db, actor, data)
    if link_to_id is not None and session.get(Complaint, link_to_id) is None:
        raise NotFound("要关联的投诉不存在。")
    if prefix is None:
        prefix = str(read_settings(session)["complaint_number_prefix"])
    now = db.now()
    year = now.astimezone().year
    serial = next_serial(session, NUMBER_COUNTER, year)
    received_on = local_date(checked.received_at)
    rules = rules_in(session, received_on)
    preview = preview_deadline_in(session, db, checked.received_at, checked.days, data.statutory, rules)
    assert data.channel is not None and data.category is not None
    row = Complaint(
        number=complaint_number(prefix, year, serial),
        year=year,
        serial=serial,
        lookup_code=_new_lookup_code(session),
        channel=data.channel.value,
        received_at=checked.received_at,
        received_on=received_on,
        receiver_username=actor.username,
        receiver_staff_id=checked.receiver_staff_id,
        receiver_name=checked.receiver_name,
        anonymous=data.anonymous,
        complainant_name=checked.complainant_name,
        complainant_unit=checked.complainant_unit,
        complainant_id_type=(data.id_type.value if data.id_type else IdType.RESIDENT.value)
        if checked.id_number
        else "",
        complainant_id_number=checked.id_number,
        complainant_phone=checked.phone,
        complainant_address=checked.address,
        respondent_kind=data.respondent_kind.value,
        respondent_staff_id=data.respondent_staff_id
        if data.respondent_kind is RespondentKind.STAFF
        else None,
        respondent_department_id=(
            data.respondent_department_id if data.respondent_kind is RespondentKind.DEPARTMENT else None
        ),
        respondent_subject_id=data.respondent_subject_id
        if data.respondent_kind is RespondentKind.SUBJECT
        else None,
        respondent_text=checked.respondent_text,
        project_code=checked.project_code,
        category=data.category.value,
        facts=checked.facts,
        request=checked.request,
        time_limit=data.time_limit.value,
        time_limit_days=checked.days,
        deadline=preview.deadline,
        deadline_provisional=preview.provisional,
        acceptance_deadline=preview.acceptance_deadline,
        statutory=data.statutory.value,
        state=State.REGISTERED.value,
        linked_to_id=link_to_id,
        created_at=now,
        created_by=actor.username,
        updated_at=now,
        updated_by=actor.username,
    )
    if data.respondent_kind is RespondentKind.DEPARTMENT:
        row.department_id = data.respondent_department_id
    row.search_text = search_text_of(row)
    session.add(row)
    session.flush()
    add_event_in(session, db, actor, row, "register", "", State.REGISTERED.value)
    for item in data.evidence:
        session.add(
            ComplaintEvidence(
                complaint_id=row.id,
                filename=item.filename.strip()[:200],
                size=len(item.content),
                sha256=hashlib.sha256(item.content).hexdigest(),
                content=item.content,
                description=item.description[:200],
                added_at=now,
                added_by=actor.username,
            )
        )
    summary: dict[str, object] = {
        "channel": row.channel,
        "category": row.category,
        "respondent": row.respondent_text,
        "deadline": row.deadline.isoformat(),
        "provisional": row.deadline_provisional,
        "anonymous": row.anonymous,
        "evidence": len(data.evidence),
    }
    if link_to_id is not None:
        summary["linked_to"] = link_to_id
    audit_in(session, actor, "complaint.register", "complaint", row.number, summary)
    if data.statutory is not Statutory.NONE:
        target = next_state(State.REGISTERED, Action.TRANSFER)
        assert target is not None
        row.state = target.value
        row.transfer_to = STATUTORY_TRANSFER_TO
        add_event_in(
            session,
            db,
            actor,
            row,
            Action.TRANSFER.value,
            State.REGISTERED.value,
            target.value,
            STATUTORY_TRANSFER_TO,
        )
        audit_in(session, actor, "complaint.transfer", "complaint", row.number, {"to": STATUTORY_TRANSFER_TO})
    session.flush()
    return row


class IntakeOps(Service):
    @property
    def _notices(self) -> NoticeService:
        return NoticeService(self.db)

    def deadline_preview(
        self, received_at: datetime, days: int | None, time_limit: object, statutory: Statutory
    ) -> DeadlinePreview:
        """The deadline the form shows while the class, the days or the received time change."""
        from desktop_app.domain.complaints import TimeLimit

        with self.db.session() as session:
            rules = rules_in(session, local_date(received_at))
            limit = time_limit if isinstance(time_limit, TimeLimit) else TimeLimit.GENERAL
            n = days if days is not None else rules.days_for(limit)
            n = max(1, min(MAX_LIMIT_DAYS, n))
            return preview_deadline_in(session, self.db, received_at, n, statutory, rules)

    def duplicates(self, actor: CurrentUser, data: ComplaintInput) -> list[DuplicateHit]:
        """Cases the form should show before saving (an unreadable phone simply matches nothing)."""
        actor.require(Permission.COMPLAINT_TAKE)
        phone = None
        if data.phone.strip():
            try:
                phone = normalize_phone(data.phone)
            except ValidationError:
                phone = None
        with self.db.session() as session:
            rules = rules_in(session, self.db.today())
            return duplicates_in(session, self.db, data, phone, rules)

    def register(
        self, actor: CurrentUser, data: ComplaintInput, link_to_id: int | None = None, receipt: bool = True
    ) -> IntakeResult:
        """Store the case and issue its 回执 in one transaction: a number is never taken for a case
        without its receipt, nor a receipt for a case that was not stored."""
        actor.require(Permission.COMPLAINT_TAKE)
        with self.write() as session:
            row = register_in(session, self.db, actor, data, link_to_id)
            info = info_in(session, self.db, row, actor, history=False)
            issued = self._issue_receipt_document_in(session, actor, row, info) if receipt else None
            return IntakeResult(
                info_in(session, self.db, row, actor),
                issued.number if issued else "",
                issued.pdf if issued else b"",
                issued,
            )

    def _issue_receipt_in(
        self, session: Session, actor: CurrentUser, row: Complaint, info: ComplaintInfo
    ) -> tuple[str, bytes]:
        issued = self._issue_receipt_document_in(session, actor, row, info)
        return issued.number, issued.pdf

    def _issue_receipt_document_in(
        self, session: Session, actor: CurrentUser, row: Complaint, info: ComplaintInfo
    ) -> IssuedDocument:
        settings = read_settings(session)
        document = papers.receipt_document(
            info, str(settings["center_name"]), str(settings["query_phone"]), actor.username
        )
        issued = self._notices.issue_in(
            session, actor, "complaint_receipt", document, f"投诉受理回执 {row.number}"
        )
        row.receipt_notice = issued.number
        return issued

    def receipt(self, actor: CurrentUser, key: str) -> tuple[str, bytes, bool]:
        """The case's 回执: issued now if it never was, else a 补打 of the one issued.
        Returns (notice number, PDF, whether it is a reprint)."""
        require_read(actor)
        with self.write() as session:
            row = find_in(session, key, lock=True)
            check_sealed_in(session, row)
            if not row.receipt_notice:
                info = info_in(session, self.db, row, actor, history=False)
                number, pdf = self._issue_receipt_in(session, actor, row, info)
                return number, pdf, False
            notice_number = row.receipt_notice
        reprinted = self._notices.reprint(actor, notice_number)
        return reprinted.number, reprinted.pdf, True
