"""Shared plumbing of the services: transactions with audit, stale-save detection."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_app.domain.errors import Conflict, NotFound, StaleEdit
from desktop_app.services.context import CurrentUser
from desktop_app.store import audit
from desktop_app.store.database import Database, is_lock_timeout

BUSY_MESSAGE = "数据库正忙：其他工作站正在写入，等待超时，未保存任何内容。请稍后重试。"


def local_time_text(value: Any) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else ""


def stale_message(row: Any) -> str:
    who = getattr(row, "updated_by", "") or "其他用户"
    when = local_time_text(getattr(row, "updated_at", None))
    return f"该记录已被 {who} 于 {when} 修改，您看到的不是最新内容。请刷新后重新修改，以免覆盖对方的更改。"


def audit_in(
    session: Session,
    actor: CurrentUser,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    summary: dict[str, Any] | None = None,
) -> None:
    """Append the audit entry of a change to the caller's transaction (one use case, one entry)."""
    audit.record(session, actor.audit_actor, action, object_type, object_id, summary)


def audit_many_in(session: Session, actor: CurrentUser, entries: Sequence[audit.PlannedEntry]) -> None:
    """Append many entries to the caller's transaction at once (a bulk write: one per row it made)."""
    audit.record_many(session, actor.audit_actor, entries)


def touch(row: Any, actor: CurrentUser, db: Database) -> None:
    """Mark a versioned row as changed by this actor now."""
    row.updated_by = actor.username
    row.updated_at = db.now()


def get_or_404(session: Session, model: type[Any], key: Any, what: str) -> Any:
    row = session.get(model, key)
    if row is None:
        raise NotFound(f"{what}不存在或已被删除。")
    return row


def check_version(row: Any, expected_version: int | None) -> None:
    """Refuse to save over a row another workstation changed since this one read it."""
    if expected_version is not None and row.version != expected_version:
        raise StaleEdit(stale_message(row))


class Service:
    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def write(
        self, conflict_message: str = "数据与已有记录冲突。", conflict_field: str | None = None
    ) -> Iterator[Session]:
        """A write transaction; a concurrent edit or unique clash becomes a message the user can act on."""
        try:
            with self.db.session(write=True) as session:
                yield session
        except StaleDataError as exc:
            # Lost a race between load and commit: name the winner from what is now stored.
            raise StaleEdit("该记录刚被其他工作站修改，请刷新后重试。") from exc
        except IntegrityError as exc:
            raise Conflict(conflict_message, field=conflict_field) from exc
        except OperationalError as exc:
            if is_lock_timeout(exc):
                raise Conflict(BUSY_MESSAGE) from exc
            raise

    def audit(
        self,
        session: Session,
        actor: CurrentUser,
        action: str,
        object_type: str = "",
        object_id: str | int = "",
        summary: dict[str, Any] | None = None,
    ) -> None:
        audit_in(session, actor, action, object_type, object_id, summary)

    check_version = staticmethod(check_version)
    get_or_404 = staticmethod(get_or_404)


def changes(row: Any, values: dict[str, Any], personal: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Apply values to row; return an audit summary of what changed (personal fields named, not shown)."""
    changed: dict[str, Any] = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            setattr(row, name, new)
            changed[name] = "（已修改）" if name in personal else [old, new]
    return changed
