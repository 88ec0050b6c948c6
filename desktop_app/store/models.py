"""Tables of the foundation: organisation, accounts, center settings, audit chain.

Every table that two workstations may edit carries ``version`` (SQLAlchemy's version_id_col) and
``updated_by``, so a stale save is refused and the message can name who changed the record.
Business modules add their own modules beside this one and import ``Base`` from ``store.base``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, deferred, mapped_column, relationship

from desktop_app.domain.identifiers import mask
from desktop_app.store.base import Base, UTCDateTime, utcnow
from desktop_app.store.crypto import EncryptedPII, keyring_of


class Versioned:
    """Columns for optimistic locking and for naming who changed a record last."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Department(Versioned, Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Staff(Versioned, Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    post: Mapped[str] = mapped_column(String(50), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    phone: Mapped[str | None] = deferred(mapped_column(EncryptedPII("phone"), nullable=True))
    phone_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_masked: Mapped[str | None] = mapped_column(String(32))
    id_number: Mapped[str | None] = deferred(mapped_column(EncryptedPII("id_number"), nullable=True))
    id_number_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(32))

    department: Mapped[Department] = relationship(lazy="joined")


class User(Versioned, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    roles: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )
    staff: Mapped[Staff | None] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class CenterSetting(Versioned, Base):
    """Center-wide settings (name, query phone, document prefix, password policy), JSON values."""

    __tablename__ = "center_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AppMeta(Base):
    """Facts about the database itself (key fingerprint, creation time); not business data."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """One link of the audit chain. ``seq`` is gapless; ``entry_hash`` is an HMAC over the entry
    and ``prev_hash``, keyed with a key that lives outside the database."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64), index=True)
    workstation: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)


class AuditHead(Base):
    """The single row every audit write updates first: it serialises writers across workstations
    (row lock on PostgreSQL, write lock on SQLite) and lets verify notice a cut-off tail."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    head_mac: Mapped[str] = mapped_column(String(64))


def personal_data_attributes(cls: type[Any]) -> list[tuple[str, str]]:
    """(attribute, kind) of every EncryptedPII column of a mapped class."""
    found = []
    for column in inspect(cls).columns:
        if isinstance(column.type, EncryptedPII):
            found.append((column.key, column.type.kind))
    return found


_PII_CACHE: dict[type[Any], list[tuple[str, str]]] = {}


@event.listens_for(Session, "before_flush")
def _fill_personal_data_companions(session: Session, flush_context: Any, instances: Any) -> None:
    """Keep ``<name>_lookup`` and ``<name>_masked`` in step with every personal-data value."""
    new = session.new  # a fresh set each time it is read: once, not once an object (imports flush thousands)
    for obj in (*new, *session.dirty):
        cls = type(obj)
        if cls not in _PII_CACHE:
            _PII_CACHE[cls] = personal_data_attributes(cls)
        for attr, kind in _PII_CACHE[cls]:
            state = inspect(obj)
            if obj not in new and not state.attrs[attr].history.has_changes():
                continue
            value = getattr(obj, attr)
            if value is None:
                setattr(obj, f"{attr}_lookup", None)
                setattr(obj, f"{attr}_masked", None)
                continue
            keyring = keyring_of(session.get_bind().dialect)
            setattr(obj, f"{attr}_lookup", keyring.lookup_hash(kind, value))
            setattr(obj, f"{attr}_masked", mask(kind, value))
