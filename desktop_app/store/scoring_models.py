"""Tables of the monthly staff scoring (月度考核): the schemes per post with their items (each version
from a month on), the post → scheme map, the bands and quota (``scoring_rules``), a department's
month (its flow: draft → submitted → locked, reopened with a reason), and each staff member's sheet
per month and revision with its entries.

A sheet is never overwritten once locked: a reopen makes revision n+1 of the department's sheets
(``current`` moves to it) and the earlier ones stay readable. Sheets, entries and the month's state
decide grades and honours: they carry a row MAC (store.sealing).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base, UTCDateTime, utcnow
from desktop_app.store.models import Versioned
from desktop_app.store.sealing import RowSealed


class ScoringRuleRow(Versioned, Base):
    """Grade bands (monthly, quarterly, annual), the veto cap and the 优秀 quota, from a month on."""

    __tablename__ = "scoring_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM
    monthly_bands: Mapped[str] = mapped_column(String(200))
    monthly_worst: Mapped[str] = mapped_column(String(10))
    veto_cap: Mapped[str] = mapped_column(String(10))
    excellent: Mapped[str] = mapped_column(String(10))
    quota_percent: Mapped[int] = mapped_column(Integer)
    quota_min_size: Mapped[int] = mapped_column(Integer)
    quarterly_bands: Mapped[str] = mapped_column(String(200))
    quarterly_worst: Mapped[str] = mapped_column(String(10))
    annual_bands: Mapped[str] = mapped_column(String(200))
    annual_worst: Mapped[str] = mapped_column(String(10))


class ScoringScheme(Versioned, Base):
    """A scheme of the 岗责体系 (one per kind of post), one version per month it takes effect."""

    __tablename__ = "scoring_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    effective_from: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)  # for posts mapped to none
    maximum: Mapped[int] = mapped_column(Integer, default=110)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("name", "effective_from", name="uq_scoring_schemes_version"),)


class ScoringSchemeItem(Base):
    """An item of a scheme version: its dimension, kind, points (for a base item: its full points;
    else the default), the range a supervisor may give, evidence required, veto, automatic source."""

    __tablename__ = "scoring_scheme_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    dimension: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(200))
    points: Mapped[float] = mapped_column(Float)
    min_points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_source: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("scheme_id", "code", name="uq_scoring_scheme_items_code"),)


class ScoringPostScheme(Versioned, Base):
    """Which scheme a post (the staff list's 岗位) is scored by."""

    __tablename__ = "scoring_post_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    post: Mapped[str] = mapped_column(String(50), unique=True)
    scheme_name: Mapped[str] = mapped_column(String(50))


class ScoringDepartmentMonth(RowSealed, Versioned, Base):
    """A department's month: filled (draft), submitted to a leader, locked; sent back with a reason;
    reopened with a reason into a new revision. Locking above the 优秀 quota needs an override reason."""

    __tablename__ = "scoring_department_months"
    sealed_fields = (
        "department_id",
        "month",
        "state",
        "revision",
        "locked_at",
        "locked_by",
        "override_reason",
    )
    sealed_label = "月度考核（科室）"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    month: Mapped[str] = mapped_column(String(7))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by: Mapped[str] = mapped_column(String(64), default="")
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_by: Mapped[str] = mapped_column(String(64), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_by: Mapped[str] = mapped_column(String(64), default="")
    return_reason: Mapped[str] = mapped_column(Text, default="")
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopened_by: Mapped[str] = mapped_column(String(64), default="")
    reopen_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("department_id", "month", name="uq_scoring_department_months"),
        Index("ix_scoring_department_months_month", "month", "state"),
    )


class ScoringSheet(RowSealed, Versioned, Base):
    """A staff member's sheet for a month, in one revision of the department's month."""

    __tablename__ = "scoring_sheets"
    sealed_fields = ("staff_id", "month", "revision", "current", "state", "total", "grade", "veto")
    sealed_label = "月度考核评分表"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    month: Mapped[str] = mapped_column(String(7))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id"))
    post: Mapped[str] = mapped_column(String(50), default="")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    total: Mapped[float] = mapped_column(Float, default=0)
    grade: Mapped[str] = mapped_column(String(10), default="")
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    remark: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("staff_id", "month", "revision", name="uq_scoring_sheets_revision"),
        # A department's month, and a month across the center (rankings, 24 months of history).
        Index("ix_scoring_sheets_month", "month", "current", "department_id"),
        Index("ix_scoring_sheets_staff", "staff_id", "current", "month"),
    )


class ScoringEntry(RowSealed, Base):
    """A line of a sheet: a manual item (points, evidence, remark) or an automatic one with the link to
    its source (a complaint's deduction, a credit record), which can be contested but never deleted."""

    __tablename__ = "scoring_entries"
    sealed_fields = (
        "sheet_id",
        "item_code",
        "points",
        "auto_source",
        "source_type",
        "source_id",
        "contest_state",
    )
    sealed_label = "月度考核评分项"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("scoring_sheets.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(10))
    points: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="")
    remark: Mapped[str] = mapped_column(Text, default="")
    auto_source: Mapped[str | None] = mapped_column(String(20))
    source_type: Mapped[str] = mapped_column(
        String(20), default=""
    )  # complaint / staff_deduction / credit_record
    source_id: Mapped[int | None] = mapped_column(Integer)
    source_ref: Mapped[str] = mapped_column(String(40), default="")  # the case's number, the decision's
    contest_state: Mapped[str] = mapped_column(String(20), default="none")
    contest_reason: Mapped[str] = mapped_column(Text, default="")
    contested_by: Mapped[str] = mapped_column(String(64), default="")
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(Text, default="")
