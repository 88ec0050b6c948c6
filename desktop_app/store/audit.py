"""The audit chain: append an entry in the caller's transaction, and verify the whole chain.

Each entry's HMAC covers its own fields and the previous entry's hash, so editing, deleting,
inserting or reordering rows is detected; the key is in the key file, not in the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from desktop_app.store.crypto import Keyring
from desktop_app.store.models import AuditEntry, AuditHead

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditActor:
    user_id: int | None
    username: str
    workstation: str


def _entry_payload(
    seq: int,
    at: datetime,
    user_id: int | None,
    username: str,
    workstation: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    prev_hash: str,
) -> bytes:
    fields = [
        seq,
        at.isoformat(timespec="microseconds"),
        user_id,
        username,
        workstation,
        action,
        object_type,
        object_id,
        summary,
        prev_hash,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def _head_payload(last_seq: int, last_hash: str) -> bytes:
    return f"head:{last_seq}:{last_hash}".encode()


def initial_head(keyring: Keyring) -> AuditHead:
    return AuditHead(id=1, last_seq=0, last_hash=GENESIS, head_mac=keyring.mac(_head_payload(0, GENESIS)))


def record(
    session: Session,
    actor: AuditActor,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    summary: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction. If this fails, the caller's change fails."""
    database = session.info["database"]
    keyring: Keyring = database.keyring
    # Taking the head row first serialises writers: PostgreSQL holds its row lock until commit.
    bumped = session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(last_seq=AuditHead.last_seq + 1)
        .returning(AuditHead.last_seq, AuditHead.last_hash)
    ).one_or_none()
    if bumped is None:
        raise RuntimeError("audit head row missing: the database was not initialised by migration")
    seq, prev_hash = bumped
    # Hashed as it will read back: UTC, whatever zone the clock answered in.
    at = database.now().astimezone(UTC)
    summary_text = json.dumps(summary or {}, ensure_ascii=False, sort_keys=True, default=str)
    object_id = str(object_id)
    entry_hash = keyring.mac(
        _entry_payload(
            seq,
            at,
            actor.user_id,
            actor.username,
            actor.workstation,
            action,
            object_type,
            object_id,
            summary_text,
            prev_hash,
        )
    )
    entry = AuditEntry(
        seq=seq,
        at=at,
        user_id=actor.user_id,
        username=actor.username,
        workstation=actor.workstation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary_text,
        prev_hash=prev_hash,
        entry_hash=entry_hash,
    )
    session.add(entry)
    session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(last_hash=entry_hash, head_mac=keyring.mac(_head_payload(seq, entry_hash)))
    )
    session.flush()
    return entry


@dataclass(frozen=True)
class PlannedEntry:
    """One entry of ``record_many``: what ``record`` takes besides the actor."""

    action: str
    object_type: str = ""
    object_id: str | int = ""
    summary: dict[str, Any] | None = None


def record_many(session: Session, actor: AuditActor, entries: Sequence[PlannedEntry]) -> None:
    """Append several entries at once inside the caller's transaction (an import's thousands of rows).

    The same chain as ``record`` gives entry by entry — the head is taken once, bumped by the count, the
    links are computed here and written in one executemany — so a bulk write holds the lock briefly."""
    if not entries:
        return
    database = session.info["database"]
    keyring: Keyring = database.keyring
    bumped = session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(last_seq=AuditHead.last_seq + len(entries))
        .returning(AuditHead.last_seq, AuditHead.last_hash)
    ).one_or_none()
    if bumped is None:
        raise RuntimeError("audit head row missing: the database was not initialised by migration")
    last_seq, prev_hash = bumped
    seq = last_seq - len(entries)
    at = database.now().astimezone(UTC)
    rows: list[dict[str, Any]] = []
    for planned in entries:
        seq += 1
        summary_text = json.dumps(planned.summary or {}, ensure_ascii=False, sort_keys=True, default=str)
        object_id = str(planned.object_id)
        entry_hash = keyring.mac(
            _entry_payload(
                seq,
                at,
                actor.user_id,
                actor.username,
                actor.workstation,
                planned.action,
                planned.object_type,
                object_id,
                summary_text,
                prev_hash,
            )
        )
        rows.append(
            {
                "seq": seq,
                "at": at,
                "user_id": actor.user_id,
                "username": actor.username,
                "workstation": actor.workstation,
                "action": planned.action,
                "object_type": planned.object_type,
                "object_id": object_id,
                "summary": summary_text,
                "prev_hash": prev_hash,
                "entry_hash": entry_hash,
            }
        )
        prev_hash = entry_hash
    session.execute(insert(cast(Table, AuditEntry.__table__)), rows)
    session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(last_hash=prev_hash, head_mac=keyring.mac(_head_payload(last_seq, prev_hash)))
    )


@dataclass(frozen=True)
class VerifyResult:
    intact: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify(session: Session, keyring: Keyring, batch: int = 5000) -> VerifyResult:
    """Walk the chain in order; name the first entry that does not fit."""
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch))
    try:
        return _verify_rows(session, keyring, rows.scalars())
    finally:
        rows.close()  # on PostgreSQL a server-side cursor: release it even when we stop early


def _verify_rows(session: Session, keyring: Keyring, entries: Iterable[AuditEntry]) -> VerifyResult:
    expected_seq = 1
    prev_hash = GENESIS
    checked = 0
    for entry in entries:
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                return VerifyResult(
                    False, checked, expected_seq, f"第 {expected_seq} 条记录缺失（序号不连续）"
                )
            return VerifyResult(False, checked, entry.seq, f"第 {entry.seq} 条记录序号重复")
        if entry.prev_hash != prev_hash:
            return VerifyResult(
                False, checked, entry.seq, f"第 {entry.seq} 条记录与前一条不衔接（顺序被改动或前一条被改动）"
            )
        expected = keyring.mac(
            _entry_payload(
                entry.seq,
                entry.at,
                entry.user_id,
                entry.username,
                entry.workstation,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.summary,
                entry.prev_hash,
            )
        )
        if expected != entry.entry_hash:
            return VerifyResult(False, checked, entry.seq, f"第 {entry.seq} 条记录内容被改动（校验码不符）")
        prev_hash = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = session.get(AuditHead, 1)
    last_seq = expected_seq - 1
    # Every entry checked out; without a sound head nothing vouches that none followed the last one,
    # so the first entry that may be missing is the one named.
    if head is None:
        return VerifyResult(
            False, checked, last_seq + 1, f"审计链头记录缺失，无法确认第 {last_seq} 条之后没有记录被删除"
        )
    if head.head_mac != keyring.mac(_head_payload(head.last_seq, head.last_hash)):
        return VerifyResult(
            False, checked, last_seq + 1, f"审计链头记录被改动，无法确认第 {last_seq} 条之后没有记录被删除"
        )
    if head.last_seq > last_seq:
        return VerifyResult(
            False, checked, last_seq + 1, f"审计日志末尾缺失（应有 {head.last_seq} 条，实有 {last_seq} 条）"
        )
    if head.last_seq < last_seq:
        return VerifyResult(
            False, checked, head.last_seq + 1, f"第 {head.last_seq + 1} 条起为链头之外插入的记录"
        )
    if head.last_hash != prev_hash:
        return VerifyResult(False, checked, last_seq, f"第 {last_seq} 条记录与链头不符")
    return VerifyResult(True, checked)
