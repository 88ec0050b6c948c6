"""The audit chain: append an entry in the caller's transaction, verify the whole chain, and record
a break so the hall can go on while the break stays on record.

Each entry's HMAC covers its own fields and the previous entry's hash, so editing, deleting,
inserting or reordering rows is detected; the key is in the key file, not in the database. The head
row (last seq and hash, MAC'd) vouches that nothing followed the last entry, and each workstation's
sealed witness (``store.witness``) vouches for how far the chain had reached when it last looked.

An entry is appended only to a head that verifies: its MAC, the last entry it names, nothing beyond
it, and nothing this workstation saw of the segment missing. Otherwise ``record`` raises
``AuditTrailDamaged`` before writing anything (so a caller may still commit its other changes) and
every audited write stops until the audit admin records the break with ``open_segment``: an entry
whose ``prev_hash`` is the hash of the last entry that verified, numbered above every entry, head
and witness there is, that opens a new segment. Verify walks over such a break (the rows between are
the damaged section, left in place as evidence) and reports it, with what was found and by whom,
forever after.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import AuditTrailDamaged
from desktop_app.store.crypto import Keyring
from desktop_app.store.database import AUDIT_TIP
from desktop_app.store.models import AuditEntry, AuditHead, User, UserRole
from desktop_app.store.witness import Seen, Statement

GENESIS = "0" * 64
# Entries that may open a segment; the summary's "opens_segment" (under the MAC) says one does.
SEGMENT_ACTIONS = ("audit.break", "restore")
AUDIT_ADMIN_ROLE = "audit-admin"
# session.info: the head this transaction wrote (trusted without checking again), and the tip the
# database hands to the workstation's witness after the commit.
_TRUSTED = "audit_trusted_head"


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


def _entry_mac(keyring: Keyring, entry: AuditEntry) -> str:
    return keyring.mac(
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


def _head_payload(last_seq: int, last_hash: str, segment: int = 1) -> bytes:
    # Segment 1 keeps the original form, so heads written before segments existed still verify.
    if segment == 1:
        return f"head:{last_seq}:{last_hash}".encode()
    return f"head:{segment}:{last_seq}:{last_hash}".encode()


def initial_head(keyring: Keyring) -> AuditHead:
    return AuditHead(
        id=1, last_seq=0, last_hash=GENESIS, head_mac=keyring.mac(_head_payload(0, GENESIS)), segment=1
    )


class _Head(NamedTuple):
    segment: int
    last_seq: int
    last_hash: str
    head_mac: str


def _locked_head(session: Session) -> _Head | None:
    """The head row, locked until the transaction ends (PostgreSQL row lock; SQLite's write
    transaction holds the database already): taking it first serialises writers."""
    row = session.execute(
        select(AuditHead.segment, AuditHead.last_seq, AuditHead.last_hash, AuditHead.head_mac)
        .where(AuditHead.id == 1)
        .with_for_update()
    ).one_or_none()
    return _Head(*row) if row is not None else None


def _head_sound(keyring: Keyring, head: _Head) -> bool:
    return head.head_mac == keyring.mac(_head_payload(head.last_seq, head.last_hash, head.segment))


def _hash_at(session: Session, seq: int) -> str | None:
    return session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.seq == seq))


def _first_beyond(session: Session, seq: int) -> int | None:
    return session.scalar(select(func.min(AuditEntry.seq)).where(AuditEntry.seq > seq))


def head_fault(session: Session, keyring: Keyring, head: _Head | None, seen: Seen | None) -> str:
    """Why no entry may be appended to this head ("" when one may): checks the head, never the
    whole chain (that is ``verify``'s walk)."""
    if head is None:
        return "审计链头记录缺失"
    if not _head_sound(keyring, head):
        return "审计链头记录被改动"
    if head.last_seq == 0:
        if head.last_hash != GENESIS:
            return "审计链头记录与空链不符"
    elif _hash_at(session, head.last_seq) != head.last_hash:
        return f"第 {head.last_seq} 条记录缺失或与链头不符"
    beyond = _first_beyond(session, head.last_seq)
    if beyond is not None:
        return f"第 {beyond} 条起为链头之外插入的记录"
    fault = witness_fault(session, head, seen, "本工作站")
    return fault[1] if fault else ""


def witness_fault(session: Session, head: _Head, seen: Seen | None, source: str) -> tuple[int, str] | None:
    """(first missing or changed seq, why) when the chain lost what a statement saw of the current
    segment (or of a later one); None when it agrees, or the statement is older than a recorded break."""
    if seen is None or seen.segment < head.segment:
        return None
    if seen.segment > head.segment:
        return head.last_seq + 1, f"{source}曾见到自第 {seen.segment} 条起的新段，该段已不在链上"
    if seen.seq > head.last_seq:
        first = head.last_seq + 1
        return first, f"第 {first}–{seen.seq} 条记录缺失（{source}曾见到第 {seen.seq} 条）"
    stored = head.last_hash if seen.seq == head.last_seq else _hash_at(session, seen.seq)
    if stored != seen.hash:
        return seen.seq, f"第 {seen.seq} 条记录与{source}所见不同（已被删除或替换）"
    return None


def audit_admin_names(session: Session) -> str:
    """Whom to call when the chain is damaged: the active audit admins, by name."""
    names = session.scalars(
        select(User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == AUDIT_ADMIN_ROLE, User.active.is_(True))
        .order_by(User.display_name)
    ).all()
    return "、".join(n for n in names if n)


def _witness_of(session: Session) -> Any:
    return getattr(session.info["database"], "witness", None)


def _append(
    session: Session,
    keyring: Keyring,
    seq: int,
    prev_hash: str,
    actor: AuditActor,
    action: str,
    object_type: str,
    object_id: str,
    summary_text: str,
) -> AuditEntry:
    # Hashed as it will read back: UTC, whatever zone the clock answered in.
    at = session.info["database"].now().astimezone(UTC)
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
        entry_hash="",
    )
    entry.entry_hash = _entry_mac(keyring, entry)
    session.add(entry)
    return entry


def _summary_text(summary: dict[str, Any] | None) -> str:
    return json.dumps(summary or {}, ensure_ascii=False, sort_keys=True, default=str)


def _checked_head(session: Session, keyring: Keyring) -> _Head:
    """The locked head, verified unless this transaction wrote it; AuditTrailDamaged otherwise."""
    head = _locked_head(session)
    if head is None or head[:3] != session.info.get(_TRUSTED):
        witness = _witness_of(session)
        fault = head_fault(session, keyring, head, witness.latest() if witness is not None else None)
        if fault:
            raise AuditTrailDamaged(fault, audit_admin_names(session))
    assert head is not None
    return head


def record(
    session: Session,
    actor: AuditActor,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    summary: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction. If this fails, the caller's change fails.

    Raises AuditTrailDamaged, having written nothing, when the head does not verify."""
    keyring: Keyring = session.info["database"].keyring
    head = _checked_head(session, keyring)
    seq = head.last_seq + 1
    entry = _append(
        session,
        keyring,
        seq,
        head.last_hash,
        actor,
        action,
        object_type,
        str(object_id),
        _summary_text(summary),
    )
    _set_head(session, keyring, head.segment, seq, entry.entry_hash, exists=True)
    session.flush()
    return entry


def _set_head(
    session: Session, keyring: Keyring, segment: int, seq: int, entry_hash: str, exists: bool
) -> None:
    values = {
        "segment": segment,
        "last_seq": seq,
        "last_hash": entry_hash,
        "head_mac": keyring.mac(_head_payload(seq, entry_hash, segment)),
    }
    if exists:
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(values))
    else:
        session.add(AuditHead(id=1, **values))
    session.info[_TRUSTED] = (segment, seq, entry_hash)
    session.info[AUDIT_TIP] = Seen(segment, seq, entry_hash)


# -- verifying ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordedBreak:
    """A break the audit admin recorded (or a restore): the entry that opened the new segment."""

    seq: int  # the entry that opened the segment
    at: datetime
    username: str
    action: str  # audit.break or restore
    last_good_seq: int  # the last entry that verified before it
    found: str  # what the audit admin wrote (for a restore: where from)
    reason: str  # what verify found at the time
    damaged_rows: int = 0  # rows left between the last good entry and the new segment
    rows_when_recorded: int | None = None  # the same, counted when the break was recorded


@dataclass(frozen=True)
class PlannedEntry:
    """One entry of ``record_many``: what ``record`` takes besides the actor."""

    action: str
    object_type: str = ""
    object_id: str | int = ""
    summary: dict[str, Any] | None = None


def record_many(session: Session, actor: AuditActor, entries: Sequence[PlannedEntry]) -> None:
    """Append several entries at once inside the caller's transaction (an import's thousands of rows).

    The same chain as ``record`` gives entry by entry, on a head that verifies — the links are
    computed here and written in one executemany — so a bulk write holds the lock briefly."""
    if not entries:
        return
    keyring: Keyring = session.info["database"].keyring
    head = _checked_head(session, keyring)
    at = session.info["database"].now().astimezone(UTC)
    seq, prev_hash = head.last_seq, head.last_hash
    rows: list[dict[str, Any]] = []
    for planned in entries:
        seq += 1
        entry = AuditEntry(
            seq=seq,
            at=at,
            user_id=actor.user_id,
            username=actor.username,
            workstation=actor.workstation,
            action=planned.action,
            object_type=planned.object_type,
            object_id=str(planned.object_id),
            summary=_summary_text(planned.summary),
            prev_hash=prev_hash,
            entry_hash="",
        )
        entry.entry_hash = _entry_mac(keyring, entry)
        rows.append({column: getattr(entry, column) for column in _ENTRY_COLUMNS})
        prev_hash = entry.entry_hash
    # The table, not the ORM class: a plain executemany, without the ORM's bulk bookkeeping.
    session.execute(insert(cast(Table, AuditEntry.__table__)), rows)
    _set_head(session, keyring, head.segment, seq, prev_hash, exists=True)


_ENTRY_COLUMNS = (
    "seq",
    "at",
    "user_id",
    "username",
    "workstation",
    "action",
    "object_type",
    "object_id",
    "summary",
    "prev_hash",
    "entry_hash",
)


@dataclass(frozen=True)
class VerifyResult:
    intact: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    # What an intact chain still reports: the breaks on record, and what the witnesses add.
    breaks: tuple[RecordedBreak, ...] = field(default=(), compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)
    witnesses: int = field(default=0, compare=False)  # statements checked
    # Where the walk stood: the last entry that verified (a break is recorded after it).
    last_good_seq: int = field(default=0, compare=False)
    last_good_hash: str = field(default=GENESIS, compare=False)
    segment: int = field(default=1, compare=False)
    head_sound: bool = field(default=False, compare=False)


def _openers(session: Session, keyring: Keyring) -> dict[str, list[AuditEntry]]:
    """Genuine segment-opening entries, by the hash they link to."""
    found: dict[str, list[AuditEntry]] = {}
    for entry in session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(SEGMENT_ACTIONS)).order_by(AuditEntry.seq)
    ):
        if _is_opener(entry) and _entry_mac(keyring, entry) == entry.entry_hash:
            found.setdefault(entry.prev_hash, []).append(entry)
    return found


def _is_opener(entry: AuditEntry) -> bool:
    if entry.action not in SEGMENT_ACTIONS:
        return False
    try:
        summary = json.loads(entry.summary or "{}")
    except ValueError:
        return False
    return isinstance(summary, dict) and summary.get("opens_segment") is True


def _recorded(entry: AuditEntry, damaged_rows: int) -> RecordedBreak:
    summary = json.loads(entry.summary)
    found = summary.get("found") or summary.get("from") or ""
    return RecordedBreak(
        entry.seq,
        entry.at,
        entry.username,
        entry.action,
        int(summary.get("last_good_seq", entry.seq - 1)),
        str(found),
        str(summary.get("reason", "")),
        damaged_rows,
        summary.get("damaged_rows") if isinstance(summary.get("damaged_rows"), int) else None,
    )


def _entry_fault(
    entry: AuditEntry, expected_seq: int, prev_hash: str, keyring: Keyring
) -> tuple[int, str] | None:
    if entry.seq != expected_seq:
        if entry.seq > expected_seq:
            return expected_seq, f"第 {expected_seq} 条记录缺失（序号不连续）"
        return entry.seq, f"第 {entry.seq} 条记录序号重复"
    if entry.prev_hash != prev_hash:
        return entry.seq, f"第 {entry.seq} 条记录与前一条不衔接（顺序被改动或前一条被改动）"
    if _entry_mac(keyring, entry) != entry.entry_hash:
        return entry.seq, f"第 {entry.seq} 条记录内容被改动（校验码不符）"
    return None


@dataclass
class _Walk:
    expected_seq: int = 1
    prev_hash: str = GENESIS
    last_good: int = 0
    checked: int = 0
    segment: int = 1
    breaks: list[RecordedBreak] = field(default_factory=list)
    skipping_to: AuditEntry | None = None
    damaged_rows: int = 0

    def result(
        self, intact: bool, first_bad: int | None = None, reason: str = "", **more: Any
    ) -> VerifyResult:
        return VerifyResult(
            intact,
            self.checked,
            first_bad,
            reason,
            breaks=tuple(self.breaks),
            last_good_seq=self.last_good,
            last_good_hash=self.prev_hash,
            segment=self.segment,
            **more,
        )


def verify(
    session: Session, keyring: Keyring, statements: Sequence[Statement] = (), batch: int = 5000
) -> VerifyResult:
    """Walk the chain in order, over the breaks on record; name the first entry that does not fit.
    Then the head, then each witness ``statement`` (what a workstation or a backup saw)."""
    openers = _openers(session, keyring)
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch))
    try:
        walk = _Walk()
        failed = _walk_rows(walk, keyring, rows.scalars(), openers)
    finally:
        rows.close()  # on PostgreSQL a server-side cursor: release it even when we stop early
    if failed is not None:
        return failed
    return _check_head_and_witnesses(session, keyring, walk, statements)


def _walk_rows(
    walk: _Walk, keyring: Keyring, entries: Iterable[AuditEntry], openers: dict[str, list[AuditEntry]]
) -> VerifyResult | None:
    for entry in entries:
        if walk.skipping_to is not None:
            if entry.seq < walk.skipping_to.seq:
                walk.damaged_rows += 1
                continue
            walk.skipping_to = None
        fault = _entry_fault(entry, walk.expected_seq, walk.prev_hash, keyring)
        if fault is not None:
            # A break on record: a genuine opener that links to the last good entry, further on.
            opener = next((o for o in openers.get(walk.prev_hash, ()) if o.seq >= entry.seq), None)
            if opener is None or opener.seq < walk.expected_seq:
                return walk.result(False, *fault)
            walk.expected_seq = opener.seq
            if entry.seq < opener.seq:
                walk.skipping_to = opener
                walk.damaged_rows = 1
                continue
            fault = _entry_fault(entry, walk.expected_seq, walk.prev_hash, keyring)
            if fault is not None:
                return walk.result(False, *fault)
        if _is_opener(entry):
            walk.breaks.append(_recorded(entry, walk.damaged_rows))
            walk.segment = entry.seq
        walk.damaged_rows = 0
        walk.prev_hash = entry.entry_hash
        walk.last_good = entry.seq
        walk.expected_seq = entry.seq + 1
        walk.checked += 1
    if walk.skipping_to is not None:
        seq = walk.skipping_to.seq
        return walk.result(False, seq, f"第 {seq} 条记录缺失（断裂记录之后的新段起点）")
    return None


def _check_head_and_witnesses(
    session: Session, keyring: Keyring, walk: _Walk, statements: Sequence[Statement]
) -> VerifyResult:
    last_seq = walk.last_good
    row = session.get(AuditHead, 1)
    # Every entry checked out; without a sound head nothing vouches that none followed the last one,
    # so the first entry that may be missing is the one named.
    if row is None:
        return walk.result(
            False, last_seq + 1, f"审计链头记录缺失，无法确认第 {last_seq} 条之后没有记录被删除"
        )
    head = _Head(row.segment, row.last_seq, row.last_hash, row.head_mac)
    if not _head_sound(keyring, head):
        return walk.result(
            False, last_seq + 1, f"审计链头记录被改动，无法确认第 {last_seq} 条之后没有记录被删除"
        )
    if head.last_seq > last_seq:
        return walk.result(
            False, last_seq + 1, f"审计日志末尾缺失（应有 {head.last_seq} 条，实有 {last_seq} 条）"
        )
    if head.last_seq < last_seq:
        return walk.result(False, head.last_seq + 1, f"第 {head.last_seq + 1} 条起为链头之外插入的记录")
    if head.last_hash != walk.prev_hash:
        return walk.result(False, last_seq, f"第 {last_seq} 条记录与链头不符")
    if head.segment != walk.segment:
        return walk.result(False, last_seq + 1, "审计链头记录的段起点与链上记录不符")
    notes: list[str] = [
        f"第 {b.seq} 条记录的断裂中保留为证据的异常记录，记录时 {b.rows_when_recorded} 行，现 {b.damaged_rows} 行"
        for b in walk.breaks
        if b.rows_when_recorded is not None and b.rows_when_recorded != b.damaged_rows
    ]
    for statement in statements:
        fault, note = _statement_check(session, head, walk.breaks, statement)
        if fault is not None:
            return walk.result(False, *fault, notes=tuple(notes), witnesses=len(statements))
        if note:
            notes.append(note)
    return walk.result(True, notes=tuple(notes), witnesses=len(statements), head_sound=True)


def _statement_check(
    session: Session, head: _Head, breaks: Sequence[RecordedBreak], statement: Statement
) -> tuple[tuple[int, str] | None, str]:
    """(fault, notes): a fault when the chain lost what the statement saw, a note for each segment
    whose loss a recorded break accounts for."""
    notes: list[str] = []
    for seen in statement.seen:
        if seen.segment >= head.segment:
            fault = witness_fault(session, head, seen, statement.source)
            if fault is not None:
                return fault, ""
            continue
        if _hash_at(session, seen.seq) == seen.hash:
            continue
        after = next((b for b in breaks if b.seq > seen.segment), None)
        if after is None or seen.seq <= after.last_good_seq:
            return (seen.seq, f"第 {seen.seq} 条记录与{statement.source}所见不同（已被删除或替换）"), ""
        notes.append(
            f"{statement.source}曾见到第 {seen.seq} 条；第 {after.last_good_seq + 1}–{seen.seq} 条"
            f"已在第 {after.seq} 条记录的断裂中记录为不在链上"
        )
    return None, "；".join(notes)


# -- recording a break ------------------------------------------------------------------------------
def lock_head(session: Session) -> None:
    """Hold the head (if there is one) for the rest of the transaction, before verifying."""
    _locked_head(session)


def open_segment(
    session: Session,
    actor: AuditActor,
    action: str,
    after: VerifyResult,
    summary: dict[str, Any],
    statements: Sequence[Statement] = (),
    object_type: str = "audit_log",
) -> AuditEntry:
    """Open a new segment after ``after`` (a verify in this transaction): an entry that links to the
    last entry that verified, numbered above every entry, sound head and witnessed entry there is."""
    keyring: Keyring = session.info["database"].keyring
    head = _locked_head(session)
    candidates = [after.last_good_seq, session.scalar(select(func.max(AuditEntry.seq))) or 0]
    if head is not None and _head_sound(keyring, head):
        candidates.append(head.last_seq)
    candidates += [s.seq for statement in statements for s in statement.seen]
    seq = max(candidates) + 1
    # The rows between stay as evidence; how many there were is kept under the MAC, so verify can say
    # when some have gone since.
    damaged = (
        session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.seq > after.last_good_seq)
        )
        or 0
    )
    body = dict(summary, opens_segment=True, last_good_seq=after.last_good_seq, damaged_rows=damaged)
    if not after.intact:
        body.update(reason=after.reason, first_bad_seq=after.first_bad_seq)
    entry = _append(
        session, keyring, seq, after.last_good_hash, actor, action, object_type, "", _summary_text(body)
    )
    _set_head(session, keyring, seq, seq, entry.entry_hash, exists=head is not None)
    session.flush()
    return entry
