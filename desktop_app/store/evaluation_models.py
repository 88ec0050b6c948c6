"""Tables of the expert-evaluation module (评标专家现场考评): the item catalogue and the threshold rules
(each version from a date on), the sessions with their experts, the witness's draft grid, the
finalised marks of each revision, and the proposals the thresholds produce for a leader.

A finalised session is locked: a leader's reopen makes it a draft of the next revision, the earlier
revision's marks stay (``current`` false) and their credit records are revoked, never deleted. The
marks, the sessions' deciding fields and the proposals decide points, suspensions and credit
records: they carry a row MAC (store.sealing).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, UTCDateTime, utcnow
from desktop_app.store.models import Versioned
from desktop_app.store.sealing import RowSealed


class EvaluationItemRow(Versioned, Base):
    """Catalogue: one item's version from ``effective_from`` on (``active`` false retires the code)."""

    __tablename__ = "evaluation_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(200))
    default_points: Mapped[int] = mapped_column(Integer)
    min_points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    effective_from: Mapped[date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("code", "effective_from", name="uq_evaluation_items_version"),)


class EvaluationRuleRow(Versioned, Base):
    """Catalogue: accumulation and thresholds, one version per effective date."""

    __tablename__ = "evaluation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, unique=True)
    accumulation: Mapped[str] = mapped_column(String(20), default="calendar_year")
    notify_points: Mapped[int] = mapped_column(Integer, default=8)
    suspend_points: Mapped[int] = mapped_column(Integer, default=12)
    serious_suspends: Mapped[bool] = mapped_column(Boolean, default=True)
    suspension_months: Mapped[int] = mapped_column(Integer, default=6)


class EvaluationSession(RowSealed, Versioned, Base):
    __tablename__ = "evaluation_sessions"
    sealed_fields = (
        "number",
        "project_code",
        "category",
        "evaluation_date",
        "witness_staff_id",
        "state",
        "revision",
        "finalised_at",
        "due_on",
    )
    sealed_label = "专家考评场次"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    project_code: Mapped[str] = mapped_column(String(60))
    project_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    room: Mapped[str] = mapped_column(String(50), default="")
    scheduled_start: Mapped[datetime] = mapped_column(UTCDateTime())
    scheduled_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evaluation_date: Mapped[date] = mapped_column(Date)
    witness_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    witness_name: Mapped[str] = mapped_column(String(50), default="")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_by: Mapped[str] = mapped_column(String(64), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(10), default="app")
    # An imported paper form: project code and date folded (re-importing the same file adds nothing).
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Folded number, project code and name, room and the experts' names: the list's text filter.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (
        Index("ix_evaluation_sessions_date", "evaluation_date"),
        Index("ix_evaluation_sessions_state_due", "state", "due_on"),
    )


class EvaluationSessionExpert(Base):
    """An expert present at a session: a column of the grid (``position`` is its order)."""

    __tablename__ = "evaluation_session_experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_sessions.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("credit_subjects.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("session_id", "subject_id", name="uq_evaluation_session_experts"),)


class EvaluationRevision(RowSealed, Base):
    """A finalisation of a session: who signed off and when; a reopen later names who and why."""

    __tablename__ = "evaluation_revisions"
    sealed_fields = ("session_id", "revision", "finalised_at", "finalised_by", "reopened_at", "reopen_reason")
    sealed_label = "专家考评定稿"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_sessions.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    finalised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finalised_by: Mapped[str] = mapped_column(String(64))
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopened_by: Mapped[str] = mapped_column(String(64), default="")
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    # The general remark per expert at that finalisation: JSON {subject_id: remark}.
    expert_remarks: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (UniqueConstraint("session_id", "revision", name="uq_evaluation_revisions"),)


class EvaluationMark(RowSealed, Base):
    """A finalised mark: one item against one expert in one revision of a session."""

    __tablename__ = "evaluation_marks"
    sealed_fields = (
        "session_id",
        "revision",
        "subject_id",
        "item_code",
        "points",
        "serious",
        "evaluation_date",
        "current",
    )
    sealed_label = "专家考评扣分"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_sessions.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[int] = mapped_column(ForeignKey("credit_subjects.id"))
    item_code: Mapped[str] = mapped_column(String(10))
    item_text: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(Integer)
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    remark: Mapped[str] = mapped_column(Text, default="")
    # The session's day, copied: a year's points and the ranking read the marks alone.
    evaluation_date: Mapped[date] = mapped_column(Date)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    credit_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id"))

    __table_args__ = (
        Index("ix_evaluation_marks_subject_date", "subject_id", "evaluation_date"),
        Index("ix_evaluation_marks_current_date", "current", "evaluation_date", "subject_id"),
    )


class EvaluationDraft(Base):
    """The witness's grid as typed and not yet finalised (JSON of a ``GridInput``): kept as it is typed,
    so a closed window, an idle lock or a crash loses nothing. Not deciding: no MAC, no version."""

    __tablename__ = "evaluation_drafts"

    session_id: Mapped[int] = mapped_column(ForeignKey("evaluation_sessions.id"), primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    saved_by: Mapped[str] = mapped_column(String(64))


class ExpertProposal(RowSealed, Versioned, Base):
    """What a threshold calls for (notify, or suspend for some months), waiting for a leader who
    confirms it with the supervising department's decision or rejects it with a reason."""

    __tablename__ = "expert_proposals"
    sealed_fields = (
        "subject_id",
        "year",
        "action",
        "reason",
        "points",
        "state",
        "decision_number",
        "decision_date",
        "suspend_from",
        "suspend_until",
    )
    sealed_label = "专家处理建议"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("credit_subjects.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))
    points: Mapped[int] = mapped_column(Integer)
    suspension_months: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    session_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_sessions.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    authority: Mapped[str] = mapped_column(String(100), default="")
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    suspend_from: Mapped[date | None] = mapped_column(Date)
    suspend_until: Mapped[date | None] = mapped_column(Date)
    reason_text: Mapped[str] = mapped_column(Text, default="")
    credit_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id"))

    __table_args__ = (
        # The few proposals waiting for a leader: the status bar and the home page count them.
        Index(
            "ix_expert_proposals_pending",
            "subject_id",
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
    )
