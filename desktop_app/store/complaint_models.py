"""Tables of the complaints module: the cases, their history, evidence files, deadline extensions,
the rules catalogue, and the deductions a case stores for a staff member's month (which the monthly
scoring picks up). Also the drafts of forms that must survive a crash (any module's).

The text filter's indexes are made by revision 0014 alone and belong to no model: on SQLite a plain
index on ``search_text`` (scanned instead of the wide rows), on PostgreSQL a trigram index (a B-tree
there would refuse a long text).

A case is never deleted: it ends as 不予受理 or 回访. Its number, deadline, state and outcome decide
what the complainant is told and what a staff member loses: they carry a row MAC (store.sealing).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from desktop_app.store.base import Base, UTCDateTime, utcnow
from desktop_app.store.crypto import EncryptedPII
from desktop_app.store.models import Versioned
from desktop_app.store.sealing import RowSealed


class Complaint(RowSealed, Versioned, Base):
    __tablename__ = "complaints"
    sealed_fields = (
        "number",
        "lookup_code",
        "channel",
        "received_at",
        "respondent_kind",
        "respondent_staff_id",
        "respondent_subject_id",
        "category",
        "time_limit_days",
        "deadline",
        "deadline_provisional",
        "state",
        "outcome",
        "handler_staff_id",
        "closed_on",
        "satisfaction",
    )
    sealed_label = "投诉"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    lookup_code: Mapped[str] = mapped_column(String(12), unique=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)  # the hall's date of receipt
    receiver_username: Mapped[str] = mapped_column(String(64))
    receiver_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    receiver_name: Mapped[str] = mapped_column(String(50))

    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    complainant_name: Mapped[str] = mapped_column(String(50), default="")
    complainant_unit: Mapped[str] = mapped_column(String(100), default="")
    complainant_id_type: Mapped[str] = mapped_column(String(20), default="")
    complainant_id_number: Mapped[str | None] = deferred(
        mapped_column(EncryptedPII("id_number"), nullable=True)
    )
    complainant_id_number_lookup: Mapped[str | None] = mapped_column(String(64))
    complainant_id_number_masked: Mapped[str | None] = mapped_column(String(32))
    complainant_phone: Mapped[str | None] = deferred(mapped_column(EncryptedPII("phone"), nullable=True))
    complainant_phone_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    complainant_phone_masked: Mapped[str | None] = mapped_column(String(32))
    complainant_address: Mapped[str | None] = deferred(mapped_column(EncryptedPII("address"), nullable=True))
    complainant_address_lookup: Mapped[str | None] = mapped_column(String(64))
    complainant_address_masked: Mapped[str | None] = mapped_column(String(120))

    respondent_kind: Mapped[str] = mapped_column(String(20))
    respondent_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    respondent_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    respondent_subject_id: Mapped[int | None] = mapped_column(ForeignKey("credit_subjects.id"), index=True)
    respondent_text: Mapped[str] = mapped_column(String(200), default="")  # as shown: a name, a window
    project_code: Mapped[str] = mapped_column(String(60), default="")

    category: Mapped[str] = mapped_column(String(20), index=True)
    facts: Mapped[str] = mapped_column(Text)
    request: Mapped[str] = mapped_column(Text, default="")
    time_limit: Mapped[str] = mapped_column(String(10))
    time_limit_days: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    acceptance_deadline: Mapped[date] = mapped_column(Date)
    statutory: Mapped[str] = mapped_column(String(20), default="none")

    state: Mapped[str] = mapped_column(String(20), index=True)
    state_reason: Mapped[str] = mapped_column(Text, default="")  # 不予受理's reason
    transfer_to: Mapped[str] = mapped_column(String(100), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    handler_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)

    outcome: Mapped[str | None] = mapped_column(String(10))
    reply: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    satisfaction: Mapped[str | None] = mapped_column(String(20))
    visited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    visit_note: Mapped[str] = mapped_column(Text, default="")
    # A 差评 at 回访: contact within a working day, rectification within fifteen.
    followup_contact_deadline: Mapped[date | None] = mapped_column(Date)
    followup_rectify_deadline: Mapped[date | None] = mapped_column(Date)
    followup_contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followup_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followup_note: Mapped[str] = mapped_column(Text, default="")

    # The numbers of the notices issued for it (the 回执 at intake, the 告知书 at closure); a later
    # print of either is a 补打 of that notice.
    receipt_notice: Mapped[str] = mapped_column(String(40), default="")
    reply_notice: Mapped[str] = mapped_column(String(40), default="")
    linked_to_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    credit_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id"))
    # Folded text of number, names and facts, for the list's text filter.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (
        UniqueConstraint("year", "serial", name="uq_complaints_serial"),
        Index("ix_complaints_state_deadline", "state", "deadline"),
        # A filter with the list's default order (newest first) reads its first page off the index.
        Index("ix_complaints_state_received", "state", "received_at"),
        Index("ix_complaints_category_received", "category", "received_at"),
        Index("ix_complaints_channel_received", "channel", "received_at"),
        Index("ix_complaints_visited_at", "visited_at"),
    )


class ComplaintEvent(RowSealed, Base):
    """The history of a case: every transition, assignment, note, extension, reply and follow-up."""

    __tablename__ = "complaint_events"
    sealed_fields = ("complaint_id", "at", "actor", "action", "from_state", "to_state")
    sealed_label = "投诉办理记录"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(20), default="")
    to_state: Mapped[str] = mapped_column(String(20), default="")
    # What the complainant may be told (the reply, a reason) and what stays inside (a note).
    text: Mapped[str] = mapped_column(Text, default="")
    internal: Mapped[bool] = mapped_column(Boolean, default=False)


class ComplaintEvidence(Base):
    __tablename__ = "complaint_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    description: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by: Mapped[str] = mapped_column(String(64))


class ComplaintExtension(RowSealed, Base):
    """A deadline extension: asked with a reason, decided by a supervisor."""

    __tablename__ = "complaint_extensions"
    sealed_fields = ("complaint_id", "days", "state", "old_deadline", "new_deadline", "decided_by")
    sealed_label = "投诉延期"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    requested_by: Mapped[str] = mapped_column(String(64))
    old_deadline: Mapped[date] = mapped_column(Date)
    new_deadline: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")


class ComplaintRuleRow(Versioned, Base):
    """Catalogue: one figure (time limit, points) from a date on."""

    __tablename__ = "complaint_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date] = mapped_column(Date)
    value: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("name", "effective_from", name="uq_complaint_rules_version"),)


class StaffDeduction(RowSealed, Base):
    """Points a staff member's month loses because of a case (found true, closed late); the monthly
    scoring sheet lists them with a link to their source. Never deleted: contested and decided there."""

    __tablename__ = "staff_deductions"
    sealed_fields = ("staff_id", "month", "points", "kind", "source_type", "source_id", "state")
    sealed_label = "工作人员扣分"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    points: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    source_type: Mapped[str] = mapped_column(String(20))  # complaint
    source_id: Mapped[int] = mapped_column(Integer)
    source_ref: Mapped[str] = mapped_column(String(40))  # the case's number
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="active")  # active / contested / withdrawn
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("source_type", "source_id", "staff_id", "kind", name="uq_staff_deductions_source"),
    )


class FormDraft(Base):
    """What a user typed into a form and has not saved: offered back after a crash, an idle lock or a
    closed window. Sealed whole (it may hold personal data), one per user and form."""

    __tablename__ = "form_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    form: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("username", "form", name="uq_form_drafts_user_form"),)
