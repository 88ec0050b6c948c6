"""Archive of issued documents: per-type, per-year counters and every notice with its content,
PDF, hashes, and each copy that left the hall (original and 补打 reprints)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from desktop_app.store.base import Base, UTCDateTime, utcnow
from desktop_app.store.sealing import RowSealed


class NoticeCounter(Base):
    """The last serial issued for a document type in a year; its row lock serialises numbering."""

    __tablename__ = "notice_counters"

    doc_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class IssuedNotice(RowSealed, Base):
    __tablename__ = "notices"
    # The hashes a verification compares against, and who issued what when.
    sealed_fields = (
        "doc_type",
        "number",
        "content_sha256",
        "verify_code",
        "pdf_sha256",
        "issued_at",
        "issued_by",
    )
    sealed_label = "文书档案"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    layout: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = deferred(mapped_column(Text, nullable=False))
    content_sha256: Mapped[str] = mapped_column(String(64))
    verify_code: Mapped[str] = mapped_column(String(20))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    issued_by: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(64))
    reprints: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("doc_type", "year", "serial", name="uq_notices_serial"),)


class NoticeCopy(RowSealed, Base):
    """Each PDF made of a notice (the original and every reprint), so a file can be checked later."""

    __tablename__ = "notice_copies"
    sealed_fields = ("notice_id", "kind", "pdf_sha256")
    sealed_label = "文书副本"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # original | reprint
    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    made_by: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
