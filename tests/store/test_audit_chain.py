"""The audit chain: intact on a normal history, and every kind of tampering names the first bad entry.

Runs on SQLite and PostgreSQL; the PostgreSQL run also has several workstations writing at once.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import open_test_database, pg_base_url
from sqlalchemy import create_engine, delete, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from desktop_app import paths
from desktop_app.domain.errors import AuditTrailDamaged
from desktop_app.store import audit
from desktop_app.store.audit import AuditActor, VerifyResult
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry, AuditHead

ENTRIES = 6
ACTOR = AuditActor(7, "zhangsan", "ws-1")


def write_entries(database: Database, count: int, actor: AuditActor = ACTOR, together: bool = False) -> None:
    """``count`` entries, each in a transaction of its own (or all in one, which is quicker)."""
    if together:
        with database.session(write=True) as session:
            for number in range(count):
                audit.record(session, actor, "test.write", "thing", number, {"n": number, "名称": "科室"})
        return
    for number in range(count):
        with database.session(write=True) as session:
            audit.record(session, actor, "test.write", "thing", number, {"n": number, "名称": "科室"})


def verify(database: Database) -> VerifyResult:
    with database.session() as session:
        return audit.verify(session, database.keyring)


def row(session: Session, seq: int) -> AuditEntry:
    entry = session.get(AuditEntry, seq)
    assert entry is not None
    return entry


class _Undo(Exception):
    pass


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def chain(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One chain of ENTRIES entries per backend, shared by the tamper tests: each tampers inside a
    transaction, verifies what the database then holds, and rolls back."""
    folder = tmp_path_factory.mktemp("chain")
    where = paths.Locations(folder)
    where.ensure()
    admin_engine = None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        url = f"sqlite:///{where.database.as_posix()}"
    else:
        base = pg_base_url()
        if not base:
            pytest.skip("PostgreSQL test server not configured")
        admin_engine = create_engine(base)
        with admin_engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    database = open_test_database(url, where)
    try:
        write_entries(database, 2)
        write_entries(database, ENTRIES - 2, together=True)
        yield database
    finally:
        database.dispose()
        if admin_engine is not None:
            with admin_engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin_engine.dispose()


def tampered(database: Database, change: Callable[[Session], object]) -> VerifyResult:
    """Change the tables directly, as someone with database access but without the key file, and
    verify what is then stored (read back from the database, not from the session's memory)."""
    result: VerifyResult | None = None
    with contextlib.suppress(_Undo), database.session(write=True) as session:
        change(session)
        session.flush()
        session.expire_all()
        result = audit.verify(session, database.keyring)
        raise _Undo
    assert result is not None
    # The shared chain is whole again for the next test.
    assert verify(database) == VerifyResult(True, ENTRIES)
    return result


def test_intact_on_a_normal_history(chain: Database) -> None:
    result = verify(chain)
    assert result == VerifyResult(True, ENTRIES)


def test_empty_chain_is_intact(database: Database) -> None:
    assert verify(database) == VerifyResult(True, 0)


def test_entries_are_numbered_and_linked(chain: Database) -> None:
    with chain.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        head = session.get(AuditHead, 1)
    assert [e.seq for e in entries] == list(range(1, ENTRIES + 1))
    assert entries[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.entry_hash
    assert head is not None and (head.last_seq, head.last_hash) == (ENTRIES, entries[-1].entry_hash)
    assert entries[0].username == "zhangsan" and entries[0].workstation == "ws-1"
    assert entries[0].at.tzinfo is not None


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("summary", '{"n": 99}'),
        ("username", "lisi"),
        ("action", "test.other"),
        ("object_id", "999"),
        ("workstation", "ws-9"),
        ("user_id", 8),
        ("at", datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_editing_a_row_is_named(chain: Database, column: str, value: object) -> None:
    result = tampered(
        chain, lambda s: s.execute(update(AuditEntry).where(AuditEntry.seq == 3).values({column: value}))
    )
    assert not result.intact
    assert result.first_bad_seq == 3
    assert result.checked == 2
    assert "3" in result.reason


def test_moving_the_time_by_a_microsecond_is_named(chain: Database) -> None:
    def shift(session: Session) -> None:
        entry = row(session, 4)
        entry.at = entry.at + timedelta(microseconds=1)

    assert tampered(chain, shift).first_bad_seq == 4


def test_deleting_a_middle_row(chain: Database) -> None:
    result = tampered(chain, lambda s: s.execute(delete(AuditEntry).where(AuditEntry.seq == 3)))
    assert not result.intact and result.first_bad_seq == 3


def test_deleting_a_middle_row_and_renumbering(chain: Database) -> None:
    def cut(session: Session) -> None:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
        for seq in range(4, ENTRIES + 1):
            session.execute(update(AuditEntry).where(AuditEntry.seq == seq).values(seq=seq - 1))

    result = tampered(chain, cut)
    assert not result.intact and result.first_bad_seq == 3


@pytest.mark.parametrize("cut", [1, 2])
def test_deleting_the_last_rows(chain: Database, cut: int) -> None:
    result = tampered(chain, lambda s: s.execute(delete(AuditEntry).where(AuditEntry.seq > ENTRIES - cut)))
    assert not result.intact
    assert result.first_bad_seq == ENTRIES - cut + 1
    assert result.checked == ENTRIES - cut


def test_deleting_every_row(chain: Database) -> None:
    result = tampered(chain, lambda s: s.execute(delete(AuditEntry)))
    assert not result.intact and result.first_bad_seq == 1


def forged(seq: int, prev_hash: str) -> AuditEntry:
    return AuditEntry(
        seq=seq,
        at=datetime.now(UTC),
        user_id=1,
        username="sysadmin",
        workstation="ws-1",
        action="user.create",
        object_type="user",
        object_id="42",
        summary="{}",
        prev_hash=prev_hash,
        entry_hash="f" * 64,
    )


def test_appending_a_forged_row(chain: Database) -> None:
    result = tampered(chain, lambda s: s.add(forged(ENTRIES + 1, row(s, ENTRIES).entry_hash)))
    assert not result.intact and result.first_bad_seq == ENTRIES + 1


def test_inserting_a_forged_row_with_renumbering(chain: Database) -> None:
    def insert(session: Session) -> None:
        for seq in range(ENTRIES, 2, -1):  # make room at 3, from the top down
            session.execute(update(AuditEntry).where(AuditEntry.seq == seq).values(seq=seq + 1))
        session.add(forged(3, row(session, 2).entry_hash))

    result = tampered(chain, insert)
    assert not result.intact and result.first_bad_seq == 3


def test_replaying_a_genuine_row_elsewhere(chain: Database) -> None:
    def replay(session: Session) -> None:
        original = row(session, 2)
        copy = forged(ENTRIES + 1, original.prev_hash)
        for name in ("at", "user_id", "username", "workstation", "action", "object_type", "object_id"):
            setattr(copy, name, getattr(original, name))
        copy.summary, copy.entry_hash = original.summary, original.entry_hash
        session.add(copy)

    result = tampered(chain, replay)
    assert not result.intact and result.first_bad_seq == ENTRIES + 1


CONTENT = ("at", "user_id", "username", "workstation", "action", "object_type", "object_id", "summary")


def test_swapping_two_rows_contents(chain: Database) -> None:
    def swap(session: Session) -> None:
        three, four = row(session, 3), row(session, 4)
        for name in (*CONTENT, "prev_hash", "entry_hash"):
            a, b = getattr(three, name), getattr(four, name)
            setattr(three, name, b)
            setattr(four, name, a)

    result = tampered(chain, swap)
    assert not result.intact and result.first_bad_seq == 3


def test_swapping_only_the_descriptions(chain: Database) -> None:
    def swap(session: Session) -> None:
        three, four = row(session, 3), row(session, 4)
        three.summary, four.summary = four.summary, three.summary

    assert tampered(chain, swap).first_bad_seq == 3


def test_reordering_rows(chain: Database) -> None:
    def reorder(session: Session) -> None:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(seq=1000))
        session.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(seq=3))
        session.execute(update(AuditEntry).where(AuditEntry.seq == 1000).values(seq=4))

    result = tampered(chain, reorder)
    assert not result.intact and result.first_bad_seq == 3


@pytest.mark.parametrize(
    "values",
    [
        {"last_seq": ENTRIES - 1},
        {"last_seq": ENTRIES + 1},
        {"last_hash": "0" * 64},
        {"head_mac": "0" * 64},
    ],
    ids=["last_seq-down", "last_seq-up", "last_hash", "head_mac"],
)
def test_editing_the_head(chain: Database, values: dict[str, object]) -> None:
    result = tampered(chain, lambda s: s.execute(update(AuditHead).where(AuditHead.id == 1).values(values)))
    assert not result.intact
    assert "链头" in result.reason
    # Every entry still checks, but the head can no longer vouch that nothing follows the last one.
    assert result.first_bad_seq == ENTRIES + 1
    assert result.checked == ENTRIES


def test_cutting_the_tail_and_editing_the_head_to_match(chain: Database) -> None:
    def cut(session: Session) -> None:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == ENTRIES))
        previous = row(session, ENTRIES - 1).entry_hash
        session.execute(update(AuditHead).values(last_seq=ENTRIES - 1, last_hash=previous))

    result = tampered(chain, cut)
    assert not result.intact and result.first_bad_seq == ENTRIES


def test_deleting_the_head(chain: Database) -> None:
    result = tampered(chain, lambda s: s.execute(delete(AuditHead)))
    assert not result.intact
    assert result.first_bad_seq == ENTRIES + 1

    def delete_then_write(session: Session) -> None:
        session.execute(delete(AuditHead))
        with pytest.raises(AuditTrailDamaged, match="链头记录缺失"):
            audit.record(session, ACTOR, "test.write")

    tampered(chain, delete_then_write)


def test_a_rolled_back_write_leaves_no_gap(database: Database) -> None:
    write_entries(database, 2)
    with pytest.raises(ZeroDivisionError), database.session(write=True) as session:
        audit.record(session, ACTOR, "test.write")
        _ = 1 / 0
    write_entries(database, 1)
    result = verify(database)
    assert result.intact and result.checked == 3
    with database.session() as session:
        assert session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all() == [1, 2, 3]


def test_other_key_cannot_verify(chain: Database) -> None:
    from desktop_app.store.crypto import Keyring

    with chain.session() as session:
        result = audit.verify(session, Keyring.generate())
    assert not result.intact and result.first_bad_seq == 1


def test_a_clock_in_another_time_zone_keeps_the_chain_verifiable(database: Database) -> None:
    """Times are hashed as stored (UTC); a clock that answers in local time must not break the chain."""
    beijing = timezone(timedelta(hours=8))
    database.clock = lambda: datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=beijing)
    write_entries(database, 2)
    result = verify(database)
    assert result.intact, result.reason
    with database.session() as session:
        assert row(session, 1).at == datetime(2026, 11, 27, 1, 30, 15, 123456, tzinfo=UTC)


def test_concurrent_writers_keep_the_chain_gapless(db_url: str, isolated_home: paths.Locations) -> None:
    """Two workstations, several threads each, all writing audit entries at once."""
    postgres = db_url.startswith("postgresql")
    threads_per_workstation, writes = (4, 25) if postgres else (2, 10)
    workstations = [open_test_database(db_url, isolated_home, f"ws-{n}") for n in range(2)]
    errors: list[BaseException] = []
    start = threading.Barrier(threads_per_workstation * 2)

    def writer(database: Database, number: int) -> None:
        try:
            start.wait()
            write_entries(database, writes, AuditActor(number, f"user{number}", database.workstation))
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=(database, n))
        for n, database in enumerate(workstations * threads_per_workstation)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert errors == []
        total = threads_per_workstation * 2 * writes
        with workstations[0].session() as session:
            seqs = session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == total
        assert seqs == list(range(1, total + 1))
        result = verify(workstations[1])
        assert result.intact and result.checked == total
    finally:
        for database in workstations:
            database.dispose()
