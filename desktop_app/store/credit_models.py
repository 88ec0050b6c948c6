"""Tables of the credit files: subjects, their aliases and contacts, records, repairs, the period
catalogue, the search keys, and the entry-desk checks.

Records are never deleted; they expire by date, are repaired or revoked. The search keys live in
narrow tables whose primary key is the search order itself (WITHOUT ROWID on SQLite), so the first
results of a query are the first rows of an index range, however many subjects match. On PostgreSQL
migration 0006 adds a trigram index on ``credit_subjects.search_text`` (pg_trgm, when the server lets
it be created); it is no model's: SQLite has no such index, and a server without the extension works
without it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship
from sqlalchemy.types import TypeEngine

from desktop_app.store.base import Base, UTCDateTime, utcnow
from desktop_app.store.crypto import EncryptedPII
from desktop_app.store.models import Versioned
from desktop_app.store.sealing import RowSealed


def _ascii_key(length: int) -> TypeEngine[str]:
    """Searched by prefix ranges: byte order on PostgreSQL whatever the database's locale."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class CreditSubject(RowSealed, Versioned, Base):
    __tablename__ = "credit_subjects"
    # Who the subject is: what a query is matched against and a certificate names.
    sealed_fields = ("kind", "name", "uscc", "id_number_lookup", "expert_no", "staff_id")
    sealed_label = "信用主体"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(_ascii_key(18), unique=True)
    # A code that fails its check character is kept only with the reason someone gave for it.
    identifier_override_reason: Mapped[str] = mapped_column(Text, default="")
    id_number: Mapped[str | None] = deferred(mapped_column(EncryptedPII("id_number"), nullable=True))
    id_number_lookup: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = deferred(mapped_column(EncryptedPII("phone"), nullable=True))
    phone_lookup: Mapped[str | None] = mapped_column(String(64))
    phone_masked: Mapped[str | None] = mapped_column(String(32))
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    expert_no: Mapped[str | None] = mapped_column(String(30), unique=True)
    specialty: Mapped[str] = mapped_column(String(100), default="")
    pool_status: Mapped[str | None] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # Folded name and aliases separated by \x01: what a long query is checked against.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    # A subject's former/short names and contacts belong to it: saved, replaced and gone with it.
    aliases: Mapped[list[SubjectAlias]] = relationship(
        cascade="all, delete-orphan", order_by="SubjectAlias.id", lazy="select"
    )
    contacts: Mapped[list[SubjectContact]] = relationship(
        cascade="all, delete-orphan", order_by="SubjectContact.id", lazy="select"
    )

    __table_args__ = (Index("ix_credit_subjects_updated_at", "updated_at"),)


class SubjectAlias(Base):
    __tablename__ = "credit_subject_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("credit_subjects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="former")  # former / short
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("subject_id", "name", name="uq_credit_subject_aliases_name"),)


class SubjectContact(Base):
    __tablename__ = "credit_subject_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("credit_subjects.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str | None] = deferred(mapped_column(EncryptedPII("phone"), nullable=True))
    phone_lookup: Mapped[str | None] = mapped_column(String(64))
    phone_masked: Mapped[str | None] = mapped_column(String(32))


class SearchGram(Base):
    """One unigram or bigram of a subject's folded name or alias, in the order results are shown."""

    __tablename__ = "credit_search_grams"

    gram: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class SearchInitials(Base):
    """Pinyin initials of a subject's name or alias (张三丰 → zsf), searched by prefix."""

    __tablename__ = "credit_search_initials"

    initials: Mapped[str] = mapped_column(_ascii_key(60), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class SearchInfixInitials(Base):
    """Pinyin initials of a name from its second character on, one row per start (某市鑫鑫建设 → sxxjs,
    xxjs, xjs, js, s): the initials of a run inside a name are a prefix of one row. Apart from
    ``credit_search_initials`` so that matches from the start are one range and come first."""

    __tablename__ = "credit_search_infix_initials"

    initials: Mapped[str] = mapped_column(_ascii_key(60), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class CreditRecord(RowSealed, Versioned, Base):
    __tablename__ = "credit_records"
    # What the verdict and the certificate rest on: kind, severity, periods, state, the decision.
    sealed_fields = (
        "subject_id",
        "kind",
        "severity",
        "status",
        "authority",
        "decision_number",
        "decision_date",
        "publicity_min_end",
        "publicity_end",
        "ban_start",
        "ban_end",
        "points",
        "repaired_on",
        "facts",
    )
    sealed_label = "信用记录"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("credit_subjects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    facts: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    authority: Mapped[str] = mapped_column(String(100), default="")
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_date: Mapped[date] = mapped_column(Date)
    publicity_min_end: Mapped[date | None] = mapped_column(Date)
    publicity_end: Mapped[date | None] = mapped_column(Date)
    ban_start: Mapped[date | None] = mapped_column(Date)
    ban_end: Mapped[date | None] = mapped_column(Date)
    points: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(30), default="manual")
    source_ref: Mapped[str] = mapped_column(String(100), default="")
    # Same subject, kind, decision number, date and facts: the same record (a re-import adds nothing).
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by: Mapped[str] = mapped_column(String(64), default="")
    repaired_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str] = mapped_column(String(64), default="")
    closed_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_credit_records_updated_at", "updated_at"),
        # The few records waiting for a leader, among millions: the home page counts them at sign-in.
        Index(
            "ix_credit_records_pending",
            "created_by",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )


class RecordAttachment(Base):
    __tablename__ = "credit_record_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_records.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by: Mapped[str] = mapped_column(String(64), default="")


class CreditRepair(RowSealed, Versioned, Base):
    __tablename__ = "credit_repairs"
    sealed_fields = ("record_id", "requested_on", "status", "decided_on", "decided_by", "decision_number")
    sealed_label = "信用修复"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_records.id"), index=True)
    requested_on: Mapped[date] = mapped_column(Date)
    applicant: Mapped[str] = mapped_column(String(100), default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="requested")  # requested/approved/rejected
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")


class CreditRuleRow(Versioned, Base):
    """Catalogue: default periods and points per kind and severity, each version from a date on."""

    __tablename__ = "credit_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(20))
    effective_from: Mapped[date] = mapped_column(Date)
    publicity_min_months: Mapped[int] = mapped_column(Integer, default=0)
    publicity_max_months: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    ban_months: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("kind", "severity", "effective_from", name="uq_credit_rules_version"),)


class ScoreRuleRow(Versioned, Base):
    __tablename__ = "credit_score_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, unique=True)
    base: Mapped[int] = mapped_column(Integer, default=100)
    bands: Mapped[str] = mapped_column(String(200))  # "A:90,B:80,C:70,D:60"
    worst_grade: Mapped[str] = mapped_column(String(10), default="E")


class EntryCheck(RowSealed, Base):
    """One 登记核验 at the entry desk: who asked what, when, and what the answer was."""

    __tablename__ = "credit_entry_checks"
    sealed_fields = (
        "checked_at",
        "checked_on",
        "operator",
        "query",
        "subject_id",
        "subject_name",
        "verdict",
        "data_as_of",
        "notice_number",
    )
    sealed_label = "登记核验"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    checked_on: Mapped[date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    operator_name: Mapped[str] = mapped_column(String(50), default="")
    workstation: Mapped[str] = mapped_column(String(64), default="")
    query: Mapped[str] = mapped_column(String(200))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("credit_subjects.id"))
    subject_name: Mapped[str] = mapped_column(String(200), default="")
    verdict: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    match_count: Mapped[int] = mapped_column(Integer, default=0)
    data_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notice_number: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (Index("ix_credit_entry_checks_subject", "subject_id", "checked_at"),)
