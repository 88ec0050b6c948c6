"""Personal data at rest: sealed with AES-GCM under the key file, findable by keyed hash, masked on
screen; the wrong key file, or none, is refused instead of silently starting a new key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, make_user, open_test_database
from sqlalchemy import select, text, update
from sqlalchemy.orm import undefer

from desktop_app import paths
from desktop_app.domain.errors import KeyMismatch
from desktop_app.domain.identifiers import normalize_phone
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store import migrate
from desktop_app.store.crypto import Keyring
from desktop_app.store.database import Database
from desktop_app.store.migrate import open_database
from desktop_app.store.models import AppMeta, Staff
from tests.builders import SAMPLE_ID

PHONE = "13812345678"
OTHER_PHONE = "13987654321"
ID_NUMBER = SAMPLE_ID
PLAINTEXTS = [PHONE.encode(), ID_NUMBER.encode(), OTHER_PHONE.encode(), b"12345678", b"9900101"]


def add_staff(
    services: Services, admin: CurrentUser, number: str, phone: str | None, id_number: str | None
) -> int:
    dept = services.organisation.departments()[0].id
    return services.organisation.save_staff(
        admin, employee_no=number, name=f"人员{number}", department_id=dept, phone=phone, id_number=id_number
    ).id


def stored_bytes(database: Database) -> bytes:
    """Everything the database holds for the staff table, as raw as the backend gives it."""
    path = migrate.sqlite_path(database.url)
    if path is not None:
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT t::text, t.phone, t.id_number FROM staff t")).all()
    return b"".join(str(r[0]).encode() + bytes(r[1] or b"") + bytes(r[2] or b"") for r in rows)


def test_sealed_at_rest_masked_on_screen_found_by_lookup_hash(services: Services, admin: CurrentUser) -> None:
    first = add_staff(services, admin, "S001", PHONE, ID_NUMBER)
    second = add_staff(services, admin, "S002", f"+86 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}", None)
    third = add_staff(services, admin, "S003", OTHER_PHONE, None)

    # Not in clear anywhere the database keeps it (SQLite: file and WAL; PostgreSQL: the rows).
    raw = stored_bytes(services.db)
    for secret in PLAINTEXTS:
        assert secret not in raw, secret
    with services.db.engine.connect() as conn:
        sealed = {i: bytes(p) for i, p in conn.execute(text("SELECT id, phone FROM staff")).all()}
        id_sealed, lookup, masked, id_masked = conn.execute(
            text("SELECT id_number, phone_lookup, phone_masked, id_number_masked FROM staff WHERE id = :i"),
            {"i": first},
        ).one()
    assert sealed[first][:1] == b"\x01" and len(sealed[first]) == 1 + 12 + len(PHONE) + 16
    assert bytes(id_sealed) != sealed[first]
    # The same number twice: different ciphertexts (a fresh nonce each time) ...
    assert sealed[first] != sealed[second]

    # ... but the same lookup hash, however it was typed, so an exact search finds both.
    keyring = services.db.keyring
    assert lookup == keyring.lookup_hash("phone", PHONE)
    with services.db.session() as session:
        rows = {s.id: s for s in session.scalars(select(Staff))}
        assert rows[first].phone_lookup == rows[second].phone_lookup != rows[third].phone_lookup
        wanted = keyring.lookup_hash("phone", normalize_phone(f"+86-{PHONE}"))
        found = session.scalars(select(Staff.id).where(Staff.phone_lookup == wanted).order_by(Staff.id)).all()
        assert found == [first, second]
        by_id = keyring.lookup_hash("id_number", ID_NUMBER)
        assert session.scalars(select(Staff.id).where(Staff.id_number_lookup == by_id)).all() == [first]
    # The kind is part of the hash, and another center's key gives other hashes.
    assert keyring.lookup_hash("phone", "x") != keyring.lookup_hash("id_number", "x")
    assert Keyring.generate().lookup_hash("phone", PHONE) != keyring.lookup_hash("phone", PHONE)

    # Masked forms, in the table and in what the services hand out.
    assert (masked, id_masked) == ("138****5678", "4403**********1234")
    info = {s.employee_no: s for s in services.organisation.staff()}
    assert (info["S001"].phone_masked, info["S001"].id_number_masked) == ("138****5678", "4403**********1234")
    assert (info["S002"].phone_masked, info["S003"].id_number_masked) == ("138****5678", "")

    # Clearing a value clears its companions; None keeps what is stored.
    services.organisation.save_staff(
        admin,
        staff_id=first,
        expected_version=info["S001"].version,
        employee_no="S001",
        name=info["S001"].name,
        department_id=info["S001"].department_id,
        phone="",
        id_number=None,
    )
    with services.db.session() as session:
        row = session.scalars(
            select(Staff).where(Staff.id == first).options(undefer(Staff.phone), undefer(Staff.id_number))
        ).one()
        assert (row.phone, row.phone_lookup, row.phone_masked) == (None, None, None)
        assert row.id_number == ID_NUMBER and row.id_number_masked == "4403**********1234"


def test_sqlite_file_and_backup_hold_no_personal_data_in_clear(
    sqlite_database: Database, isolated_home: paths.Locations
) -> None:
    services = Services(sqlite_database)
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    add_staff(services, admin, "S001", PHONE, ID_NUMBER)
    backup = services.maintenance.backup(admin, None, isolated_home.backups)
    assert backup.is_file() and backup.read_bytes().startswith(b"SQLite format 3")
    sqlite_database.dispose()  # checkpoint the WAL into the main file
    main = isolated_home.database.read_bytes()
    for secret in PLAINTEXTS:
        assert secret not in backup.read_bytes(), secret
        assert secret not in main, secret


def test_moved_or_altered_ciphertext_does_not_open(services: Services, admin: CurrentUser) -> None:
    staff_id = add_staff(services, admin, "S001", PHONE, ID_NUMBER)
    other_id = add_staff(services, admin, "S002", OTHER_PHONE, None)
    # The phone's ciphertext copied into the ID column: the column kind is authenticated data.
    with services.db.session(write=True) as session:
        session.execute(update(Staff).where(Staff.id == staff_id).values(id_number=Staff.phone))
    with pytest.raises(KeyMismatch), services.db.session() as session:
        session.scalars(select(Staff).where(Staff.id == staff_id).options(undefer(Staff.id_number))).one()
    with services.db.session() as session:  # only the moved copy is refused
        assert session.scalars(select(Staff.phone).where(Staff.id == staff_id)).one() == PHONE
    # One bit changed in another row's ciphertext.
    with services.db.engine.begin() as conn:
        blob = bytearray(
            conn.execute(text("SELECT phone FROM staff WHERE id = :i"), {"i": other_id}).scalar_one()
        )
        blob[20] ^= 0x01
        conn.execute(text("UPDATE staff SET phone = :b WHERE id = :i"), {"b": bytes(blob), "i": other_id})
    supervisor = make_user(services, admin, "kezhang", Role.SUPERVISOR)
    with pytest.raises(KeyMismatch):
        services.organisation.reveal_personal_data(supervisor, other_id, "phone", "核对联系方式")
    assert services.organisation.reveal_personal_data(supervisor, staff_id, "phone", "核对联系方式") == PHONE


# -- the key file -----------------------------------------------------------------------------------
def test_wrong_or_missing_key_file_is_refused(
    db_url: str, isolated_home: paths.Locations, tmp_path: Path
) -> None:
    database = open_test_database(db_url, isolated_home)
    database.dispose()
    # Another key file (another center's, or a new one made by mistake).
    other = tmp_path / "other.keys"
    Keyring.generate().save(other)
    with pytest.raises(KeyMismatch) as caught:
        open_database(db_url, other, isolated_home.backups, "ws-2", daily_backup=False)
    assert "密钥" in caught.value.message
    # No key file at all for a database that has data: refused, and no new key file is made.
    key_file = isolated_home.default_key_file
    saved = key_file.read_bytes()
    key_file.unlink()
    with pytest.raises(KeyMismatch) as caught:
        open_database(db_url, key_file, isolated_home.backups, "ws-2", daily_backup=False)
    assert str(key_file) in caught.value.message
    assert not key_file.exists()
    # Nothing was changed: the right key file still opens it.
    key_file.write_bytes(saved)
    key_file.chmod(0o600)  # a key file put back by hand must be private again (else it is refused)
    again = open_test_database(db_url, isolated_home)
    try:
        with again.session() as session:
            stored = session.get(AppMeta, "key_fingerprint")
            assert stored is not None and stored.value == again.keyring.fingerprint
    finally:
        again.dispose()


def test_new_database_makes_a_private_key_file(db_url: str, isolated_home: paths.Locations) -> None:
    key_file = isolated_home.default_key_file
    assert not key_file.exists()
    database, report = open_database(db_url, key_file, isolated_home.backups, "ws", daily_backup=False)
    database.dispose()
    assert report.new_database
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Keyring.load(key_file).fingerprint == database.keyring.fingerprint
    assert [p.name for p in key_file.parent.iterdir()] == [key_file.name]  # no temporary left over


def test_key_file_written_by_another_program_meanwhile_wins(
    sqlite_url: str, isolated_home: paths.Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies started together on a first run: the one that writes the key file second must
    use the first one's key, not overwrite it (that key may already be sealing data)."""
    key_file = isolated_home.default_key_file
    theirs = Keyring.generate()
    generate = Keyring.generate

    def generate_while_another_program_saves() -> Keyring:
        theirs.save(key_file)
        return generate()

    monkeypatch.setattr(Keyring, "generate", staticmethod(generate_while_another_program_saves))
    database, _ = open_database(sqlite_url, key_file, isolated_home.backups, "ws", daily_backup=False)
    database.dispose()
    assert Keyring.load(key_file).fingerprint == theirs.fingerprint
    assert database.keyring.fingerprint == theirs.fingerprint


def test_exclusive_save_never_replaces(tmp_path: Path) -> None:
    path = tmp_path / "k"
    first = Keyring.generate()
    first.save(path, exclusive=True)
    with pytest.raises(FileExistsError):
        Keyring.generate().save(path, exclusive=True)
    assert Keyring.load(path) == first
    second = Keyring.generate()
    second.save(path)  # an explicit replacement still works
    assert Keyring.load(path) == second


def key_body(**overrides: object) -> str:
    import base64
    import json

    body: dict[str, object] = {
        name: base64.b64encode(os.urandom(32)).decode() for name in ("audit_key", "data_key", "lookup_key")
    }
    body.update(overrides)
    return json.dumps(body)


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{}",
        "[]",
        "not json",
        key_body(audit_key="!!"),
        key_body(data_key=1),
        key_body(lookup_key=None),
        key_body(data_key="c2hvcnQ="),  # 5 bytes: AES-GCM would fail at the first use, not here
    ],
    ids=["empty", "no-keys", "list", "not-json", "bad-base64", "number", "null", "short-key"],
)
def test_unreadable_key_file_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "k"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KeyMismatch):
        Keyring.load(path)


def test_key_file_round_trip(tmp_path: Path) -> None:
    keyring = Keyring.generate()
    keyring.save(tmp_path / "k")
    loaded = Keyring.load(tmp_path / "k")
    assert loaded == keyring and loaded.fingerprint == keyring.fingerprint
    sealed = keyring.encrypt("phone", PHONE)
    assert loaded.decrypt("phone", sealed) == PHONE
    with pytest.raises(KeyMismatch):
        loaded.decrypt("id_number", sealed)
    with pytest.raises(KeyMismatch):
        Keyring.generate().decrypt("phone", sealed)
    with pytest.raises(KeyMismatch):
        loaded.decrypt("phone", b"\x02" + sealed[1:])
