"""A damaged audit chain (issue 10, items 1 and 2): the newest entries cannot vanish unseen, and a
broken chain is visible rather than a denial of service.

Each attack is made as someone with write access to the database but without the key file: rows of
``audit_log`` and ``audit_head`` changed directly. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DEFAULT_PASSWORD, make_user, open_test_database
from sqlalchemy import delete, func, select, update

from desktop_app import paths
from desktop_app.domain.errors import AuditTrailDamaged, DomainError, PermissionDenied, ValidationError
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store import audit
from desktop_app.store.audit import AuditActor
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry, AuditHead
from tests.builders import append_junk_audit_row

DAMAGED = "审计日志已损坏"
ROBOT = AuditActor(None, "<batch>", "ws-test")


@pytest.fixture
def auditor(services: Services, admin: CurrentUser) -> CurrentUser:
    services.users.create(
        admin,
        username="auditor",
        display_name="审计员王五",
        roles={Role.AUDIT_ADMIN},
        password=DEFAULT_PASSWORD,
        must_change_password=False,
    )
    return services.auth.login("auditor", DEFAULT_PASSWORD)


def write_entries(database: Database, count: int) -> None:
    """``count`` genuine entries in one transaction (the witness sees the last one at the commit)."""
    with database.session(write=True) as session:
        for number in range(count):
            audit.record(session, ROBOT, "test.write", "thing", number)


def last_seq(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.max(AuditEntry.seq))) or 0)


def head_row(database: Database) -> tuple[int, str, str, int]:
    with database.session() as session:
        head = session.get(AuditHead, 1)
        assert head is not None
        return head.last_seq, head.last_hash, head.head_mac, head.segment


def cut_tail(database: Database, keep: int, head: tuple[int, str, str, int] | None = None) -> None:
    """Delete every entry after ``keep`` and point the head at entry ``keep``: with a MAC of its own
    making (wrong), or a genuine older head row put back as it was."""
    with database.session(write=True) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq > keep))
        kept = session.get(AuditEntry, keep)
        assert kept is not None
        if head is None:
            values = {"last_seq": keep, "last_hash": kept.entry_hash}
        else:
            assert head[0] == keep
            values = {"last_seq": head[0], "last_hash": head[1], "head_mac": head[2], "segment": head[3]}
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(values))


def junk_at_end(database: Database) -> int:
    return append_junk_audit_row(database)


def delete_head(database: Database) -> None:
    with database.session(write=True) as session:
        session.execute(delete(AuditHead))


def departments(services: Services) -> list[str]:
    return [d.name for d in services.organisation.departments()]


# -- item 1: the newest entries cannot vanish -------------------------------------------------------
def test_tail_cut_with_a_head_of_its_own_making_stops_the_next_sign_in(
    services: Services, admin: CurrentUser, auditor: CurrentUser
) -> None:
    write_entries(services.db, 250)
    total = last_seq(services.db)
    cut_tail(services.db, total - 200)
    # Before: the next sign-in re-signed the forged head, and the chain verified from then on.
    with pytest.raises(AuditTrailDamaged, match="链头记录被改动"):
        services.auth.login("sysadmin", "Admin#2026")
    assert head_row(services.db)[0] == total - 200, "nothing appended to the forged head"
    result = services.audit_log.verify(auditor)
    assert not result.intact
    assert result.first_bad_seq == total - 200 + 1
    assert "链头" in result.reason


def test_tail_cut_with_a_genuine_older_head_put_back_is_named_by_the_witness(
    services: Services, admin: CurrentUser, auditor: CurrentUser
) -> None:
    write_entries(services.db, 30)
    older = head_row(services.db)  # the attacker keeps a copy of the head row as it was then
    write_entries(services.db, 200)
    total = last_seq(services.db)
    cut_tail(services.db, older[0], older)

    # The database alone cannot tell (the known limit): what is left verifies, head and all.
    with services.db.session() as session:
        assert audit.verify(session, services.db.keyring).intact
    # This workstation saw entry ``total``: no entry goes after the cut, and verify names the gap.
    with pytest.raises(AuditTrailDamaged) as refused:
        services.organisation.save_department(admin, "新科室")
    assert f"第 {older[0] + 1}–{total} 条记录缺失" in refused.value.message
    assert "新科室" not in departments(services)
    result = services.audit_log.verify(auditor)
    assert not result.intact
    assert result.first_bad_seq == older[0] + 1
    assert f"第 {older[0] + 1}–{total} 条记录缺失（本工作站曾见到第 {total} 条）" == result.reason


def test_the_witness_is_sealed_in_the_data_folder(
    services: Services, admin: CurrentUser, isolated_home: paths.Locations
) -> None:
    write_entries(services.db, 3)
    witness = services.db.witness
    assert witness is not None and witness.path.parent == isolated_home.home
    seen = witness.latest()
    assert seen is not None and seen.seq == last_seq(services.db)
    # Changed by hand, it is refused (and reported), never believed.
    body = json.loads(witness.path.read_text(encoding="utf-8"))
    (record,) = body["databases"].values()
    record["segments"]["1"][0] += 50
    witness.path.write_text(json.dumps(body), encoding="utf-8")
    fresh = open_test_database(services.db.url, isolated_home)
    try:
        assert fresh.witness is not None and fresh.witness.latest() is None
        assert "无法使用" in fresh.witness.problem()
    finally:
        fresh.dispose()


def test_a_backup_records_the_witness(
    services: Services,
    admin: CurrentUser,
    auditor: CurrentUser,
    isolated_home: paths.Locations,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if services.db.backend == "postgresql":
        # The archive itself is test_maintenance_service's; here what matters is the witness beside it
        # (and a real pg_dump of the shared test server meets other runs' schemas coming and going).
        def pg_dump(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
            target = next(a for a in args if a.startswith("--file=")).removeprefix("--file=")
            Path(target).write_bytes(b"PGDMP")
            return subprocess.CompletedProcess(args, 0, "", "")

        monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
        monkeypatch.setattr(subprocess, "run", pg_dump)
    write_entries(services.db, 20)
    older = head_row(services.db)
    write_entries(services.db, 10)
    backup = services.maintenance.backup(admin, None, isolated_home.backups)
    seen_at_backup = last_seq(services.db)
    sidecar = backup.with_name(backup.name + ".witness.json")
    assert sidecar.is_file()
    cut_tail(services.db, older[0], older)
    # Even with this workstation's own witness gone, the backup's names the missing entries.
    assert services.db.witness is not None
    services.db.witness.path.unlink()
    fresh = open_test_database(services.db.url, isolated_home)
    try:
        result = Services(fresh).audit_log.verify(auditor)
    finally:
        fresh.dispose()
    assert not result.intact
    assert f"第 {older[0] + 1}–{seen_at_backup} 条记录缺失" in result.reason
    assert backup.name in result.reason


def test_each_workstation_witnesses_what_it_saw(
    db_url: str, services: Services, admin: CurrentUser, auditor: CurrentUser, tmp_path: Path
) -> None:
    """Two workstations on one database, each with its own data folder: the one that saw the lost
    entries stops and names them; the other, which never saw them, cannot know."""
    other_home = paths.Locations(tmp_path / "other-workstation")
    other_home.ensure()
    key = paths.locations().default_key_file
    other_home.default_key_file.parent.mkdir(parents=True)
    other_home.default_key_file.write_bytes(key.read_bytes())
    other_home.default_key_file.chmod(0o600)  # a key file others can read is refused
    from desktop_app.store.migrate import open_database

    other, _ = open_database(
        db_url,
        other_home.default_key_file,
        other_home.backups,
        "ws-2",
        daily_backup=False,
        witness_folder=other_home.home,
    )
    try:
        older = head_row(services.db)
        write_entries(other, 40)  # seen by ws-2 only (ws-test has not looked since)
        cut_tail(services.db, older[0], older)
        with pytest.raises(AuditTrailDamaged):
            Services(other).organisation.save_department(admin, "二号站科室")
        # This workstation never saw the lost entries: its own witness agrees with what is left.
        services.organisation.save_department(admin, "一号站科室")
        with pytest.raises(AuditTrailDamaged, match="记录缺失（本工作站曾见到"):
            Services(other).organisation.save_department(admin, "二号站科室")
        on_other = Services(other).audit_log.verify(auditor)
        assert not on_other.intact and "本工作站" in on_other.reason
    finally:
        other.dispose()


# -- item 2: a broken chain is visible, not a denial of service -------------------------------------
@pytest.mark.parametrize("damage", ["junk row at the end", "head row deleted"])
def test_a_broken_chain_stops_business_but_not_the_audit_admin(
    services: Services, admin: CurrentUser, auditor: CurrentUser, damage: str
) -> None:
    clerk = make_user(services, admin, "clerk1", Role.HALL_STAFF)
    entries_before = last_seq(services.db)
    if damage == "junk row at the end":
        junk = junk_at_end(services.db)
    else:
        delete_head(services.db)

    # Before: every sign-in failed with "数据与已有记录冲突" (junk) or a crash (no head).
    with pytest.raises(AuditTrailDamaged) as refused:
        services.auth.login("clerk1", DEFAULT_PASSWORD)
    assert DAMAGED in refused.value.message and "请联系审计管理员（审计员王五）" in refused.value.message
    # A business write by someone already signed in: refused, with the same message, nothing saved.
    with pytest.raises(AuditTrailDamaged, match=DAMAGED):
        services.organisation.save_department(admin, "新科室")
    assert "新科室" not in departments(services)
    # A wrong password still counts towards the lock, though its entry cannot be appended.
    with pytest.raises(DomainError):
        services.auth.login("clerk1", "Wrong#pass1")

    # The audit admin signs in and verifies: the damage is named.
    auditor = services.auth.login("auditor", DEFAULT_PASSWORD)
    result = services.audit_log.verify(auditor)
    assert not result.intact
    if damage == "junk row at the end":
        assert result.first_bad_seq == junk
    else:
        assert "链头记录缺失" in result.reason
    assert last_seq(services.db) == (junk if damage == "junk row at the end" else entries_before)

    # Recorded, with what was found: a new segment opens and the hall resumes.
    recorded = services.audit_log.record_break(auditor, "末尾发现一条来历不明的记录，已拍照留存")
    assert recorded.username == "auditor" and recorded.found.startswith("末尾发现")
    clerk = services.auth.login("clerk1", DEFAULT_PASSWORD)
    services.organisation.save_department(admin, "新科室")
    assert "新科室" in departments(services)

    # Forever after: intact, with the break on record (its seq, who, what was found, the fault).
    for _ in range(2):
        result = services.audit_log.verify(auditor)
        assert result.intact, result.reason
        assert [b.seq for b in result.breaks] == [recorded.seq]
        (on_record,) = result.breaks
        assert on_record.username == "auditor" and "来历不明" in on_record.found
        assert on_record.reason and on_record.last_good_seq == recorded.last_good_seq
        services.organisation.save_department(admin, f"又一科室{result.checked}")
    if damage == "junk row at the end":
        assert result.breaks[0].damaged_rows == 1  # the junk stays, as evidence
        with services.db.session() as session:
            assert session.get(AuditEntry, junk) is not None
    assert clerk.username == "clerk1"


def test_a_deleted_head_is_not_put_back_by_opening_the_database(
    services: Services, admin: CurrentUser, auditor: CurrentUser, isolated_home: paths.Locations
) -> None:
    delete_head(services.db)
    reopened = open_test_database(services.db.url, isolated_home)
    try:
        with pytest.raises(AuditTrailDamaged, match="链头记录缺失"):
            Services(reopened).organisation.save_department(admin, "新科室")
    finally:
        reopened.dispose()


def test_the_break_after_a_witnessed_tail_cut_opens_above_what_was_seen(
    services: Services, admin: CurrentUser, auditor: CurrentUser
) -> None:
    older = head_row(services.db)
    write_entries(services.db, 25)
    total = last_seq(services.db)
    cut_tail(services.db, older[0], older)
    recorded = services.audit_log.record_break(auditor, f"第 {older[0]} 条之后的记录被删除")
    assert recorded.seq == total + 1 and recorded.last_good_seq == older[0]
    services.organisation.save_department(admin, "新科室")
    result = services.audit_log.verify(auditor)
    assert result.intact, result.reason
    assert [b.seq for b in result.breaks] == [total + 1]
    assert "记录缺失" in result.breaks[0].reason


def test_only_the_audit_admin_records_a_break_and_only_of_a_broken_chain(
    services: Services, admin: CurrentUser, auditor: CurrentUser
) -> None:
    with pytest.raises(DomainError, match="没有需要记录的断裂"):
        services.audit_log.record_break(auditor, "误报")
    junk_at_end(services.db)
    with pytest.raises(PermissionDenied):
        services.audit_log.record_break(admin, "系统管理员想自己记录")
    with pytest.raises(ValidationError) as empty:
        services.audit_log.record_break(auditor, "   ")
    assert empty.value.field == "found"
    assert not services.audit_log.verify(auditor).intact


def test_the_daily_backup_records_the_witness(
    sqlite_database: Database, isolated_home: paths.Locations
) -> None:
    from desktop_app.store.migrate import open_database

    write_entries(sqlite_database, 4)
    sqlite_database.dispose()
    database, report = open_database(
        sqlite_database.url,
        isolated_home.default_key_file,
        isolated_home.backups,
        "ws-test",
        daily_backup=True,
    )
    try:
        assert report.backup is not None
        sidecar = report.backup.with_name(report.backup.name + ".witness.json")
        assert database.witness is not None
        statements, problems = database.witness.backup_statements()
        assert sidecar.is_file() and problems == []
        assert [s.latest for s in statements] == [database.witness.latest()]
    finally:
        database.dispose()
