"""Breaks on record (issue 10, item 2): a new segment opened after the last entry that verifies is
walked over by verify and reported every time; what an attacker without the key can do to it fails.

Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, update

from desktop_app.domain.errors import AuditTrailDamaged
from desktop_app.store import audit
from desktop_app.store.audit import AuditActor, VerifyResult
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry, AuditHead
from desktop_app.store.witness import Seen, Statement

ACTOR = AuditActor(7, "zhangsan", "ws-1")
AUDITOR = AuditActor(9, "auditor", "ws-1")


def write(database: Database, count: int) -> None:
    with database.session(write=True) as session:
        for number in range(count):
            audit.record(session, ACTOR, "test.write", "thing", number)


def verify(database: Database, statements: tuple[Statement, ...] = ()) -> VerifyResult:
    with database.session() as session:
        return audit.verify(session, database.keyring, statements)


def add(database: Database, entry: AuditEntry) -> None:
    with database.session(write=True) as session:
        session.add(entry)


def junk(seq: int, prev_hash: str = "0" * 64, action: str = "junk", summary: str = "{}") -> AuditEntry:
    return AuditEntry(
        seq=seq,
        at=datetime(2026, 1, 1, tzinfo=UTC),
        user_id=None,
        username="x",
        workstation="x",
        action=action,
        object_type="",
        object_id="",
        summary=summary,
        prev_hash=prev_hash,
        entry_hash="f" * 64,
    )


def record_break(
    database: Database, found: str = "末尾有一条异常记录", statements: tuple[Statement, ...] = ()
) -> int:
    with database.session(write=True) as session:
        audit.lock_head(session)
        result = audit.verify(session, database.keyring, statements)
        assert not result.intact
        return audit.open_segment(session, AUDITOR, "audit.break", result, {"found": found}, statements).seq


def hash_of(database: Database, seq: int) -> str:
    with database.session() as session:
        entry = session.get(AuditEntry, seq)
        assert entry is not None
        return entry.entry_hash


@pytest.fixture
def broken(database: Database) -> Database:
    """Five entries, a junk row at 6, the break recorded at 7, two entries after it."""
    write(database, 5)
    add(database, junk(6))
    assert record_break(database) == 7
    write(database, 2)
    return database


def test_a_recorded_break_is_walked_over_and_reported(broken: Database) -> None:
    result = verify(broken)
    assert result.intact, result.reason
    assert result.checked == 8  # 1–5, the opener 7, then 8 and 9
    (recorded,) = result.breaks
    assert (recorded.seq, recorded.last_good_seq, recorded.damaged_rows) == (7, 5, 1)
    assert recorded.username == "auditor" and recorded.found == "末尾有一条异常记录"
    assert "第 6 条" in recorded.reason
    assert result.segment == 7


def test_junk_stays_in_place_as_evidence(broken: Database) -> None:
    with broken.session() as session:
        entry = session.get(AuditEntry, 6)
        assert entry is not None and entry.action == "junk"
    assert verify(broken).notes == ()
    # Removing the evidence afterwards leaves the chain intact, but is said.
    with broken.session(write=True) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 6))
    result = verify(broken)
    assert result.intact and result.notes == (
        "第 7 条记录的断裂中保留为证据的异常记录，记录时 1 行，现 0 行",
    )


def test_an_opener_forged_without_the_key_is_no_break(database: Database) -> None:
    write(database, 5)
    add(database, junk(6))
    summary = json.dumps({"found": "伪造", "opens_segment": True, "last_good_seq": 5})
    add(database, junk(7, hash_of(database, 5), "audit.break", summary))
    result = verify(database)
    assert not result.intact and result.first_bad_seq == 6 and result.breaks == ()


def test_deleting_the_opener_is_named(broken: Database) -> None:
    with broken.session(write=True) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 7))
    result = verify(broken)
    assert not result.intact and result.first_bad_seq == 6


def test_an_edit_before_the_break_is_still_named(broken: Database) -> None:
    with broken.session(write=True) as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(summary='{"n": 99}'))
    result = verify(broken)
    assert not result.intact and result.first_bad_seq == 3


def test_an_edit_after_the_break_is_named(broken: Database) -> None:
    with broken.session(write=True) as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 8).values(summary='{"n": 99}'))
    result = verify(broken)
    assert not result.intact and result.first_bad_seq == 8 and len(result.breaks) == 1


def test_moving_the_head_back_to_the_old_segment_is_named(broken: Database) -> None:
    with broken.session(write=True) as session:
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(segment=1))
    assert "链头" in verify(broken).reason
    with pytest.raises(AuditTrailDamaged), broken.session(write=True) as session:
        audit.record(session, ACTOR, "test.write")


def test_a_second_break_after_the_first(broken: Database) -> None:
    add(broken, junk(10))
    assert record_break(broken, "第二次") == 11
    write(broken, 1)
    result = verify(broken)
    assert result.intact, result.reason
    assert [(b.seq, b.last_good_seq, b.found) for b in result.breaks] == [
        (7, 5, "末尾有一条异常记录"),
        (11, 9, "第二次"),
    ]


def test_a_break_opens_above_every_witnessed_entry(database: Database) -> None:
    write(database, 5)
    seen = Statement("本工作站", (Seen(1, 12, "a" * 64),))  # saw up to 12: 6–12 are gone
    result = verify(database, (seen,))
    assert not result.intact and result.first_bad_seq == 6 and "第 6–12 条记录缺失" in result.reason
    assert record_break(database, "第 6–12 条被删除", (seen,)) == 13
    after = verify(database, (seen,))
    assert after.intact, after.reason
    # The old statement is accounted for by the break on record, and still said.
    assert len(after.notes) == 1 and "第 6–12 条" in after.notes[0]


def test_an_intact_chain_can_open_a_segment_too_as_a_restore_does(database: Database) -> None:
    write(database, 3)
    with database.session(write=True) as session:
        audit.lock_head(session)
        result = audit.verify(session, database.keyring)
        assert result.intact
        entry = audit.open_segment(
            session, AUDITOR, "restore", result, {"from": "backup.sqlite3"}, object_type="database"
        )
    assert entry.seq == 4
    after = verify(database)
    assert after.intact and [(b.seq, b.action, b.found) for b in after.breaks] == [
        (4, "restore", "backup.sqlite3")
    ]
