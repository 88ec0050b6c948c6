"""Revision 0008 on a database with data: the migration has no key, so the first opening after it
gives every existing row its MAC and seals the personal data again bound to its row, once, audited;
a MAC erased after that stays a failure."""

from __future__ import annotations

from typing import Any

from alembic import command
from conftest import ADMIN_PASSWORD, make_user
from sqlalchemy import select, text
from sqlalchemy.orm import undefer

from desktop_app import paths
from desktop_app.domain.credit import Verdict
from desktop_app.domain.roles import Role
from desktop_app.services.facade import Services
from desktop_app.store.credit_models import CreditSubject
from desktop_app.store.migrate import alembic_config, open_database
from desktop_app.store.models import Staff
from tests.builders import audit_entries, company, expert, resident_id, serious

PHONE = "13812345678"
EXPERT_ID = resident_id("11010519800101123")


def downgrade_to(engine: Any, target: str) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        with conn.begin():
            command.downgrade(cfg, target)


def as_before_0008(engine: Any, keyring: Any) -> None:
    """What a database made by the program before revision 0008 holds: personal data sealed with
    its kind alone, and no row MACs."""
    with engine.begin() as conn:
        for table, column, kind, plain in (
            ("staff", "phone", "phone", PHONE),
            ("credit_subjects", "id_number", "id_number", EXPERT_ID),
        ):
            conn.execute(
                text(f"UPDATE {table} SET {column} = :b WHERE {column} IS NOT NULL"),
                {"b": keyring.encrypt(kind, plain)},
            )


def test_first_opening_after_0008_seals_existing_rows_once(
    database: Any, isolated_home: paths.Locations
) -> None:
    services = Services(database)
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    leader = make_user(services, admin, "leader1", Role.LEADER)
    auditor = make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    dept = services.organisation.departments()[0].id
    staff_id = services.organisation.save_staff(
        admin, employee_no="S001", name="张三", department_id=dept, phone=PHONE
    ).id
    banned = company(services, leader, "华建有限公司", 1)
    services.credit.add_record(leader, serious(banned))
    person = expert(services, leader, "李四", EXPERT_ID)
    services.credit.entry_check(leader, "华建有限公司", banned)
    keyring = database.keyring
    database.dispose()
    downgrade_to(database.engine, "0005")
    as_before_0008(database.engine, keyring)

    reopened, report = open_database(
        database.url, isolated_home.default_key_file, isolated_home.backups, "ws", daily_backup=False
    )
    try:
        assert report.upgraded
        again = Services(reopened)
        assert again.integrity.verify_rows(auditor).sound
        assert again.credit.assess(banned).verdict == Verdict.BANNED
        with reopened.engine.connect() as conn:
            blobs = [
                bytes(b)
                for (b,) in conn.execute(
                    text("SELECT id_number FROM credit_subjects WHERE id_number IS NOT NULL")
                )
            ]
            assert blobs and all(b[:1] == b"\x02" for b in blobs)
            assert (
                conn.execute(text("SELECT count(*) FROM credit_records WHERE row_mac IS NULL")).scalar() == 0
            )
        with reopened.session() as session:
            staff = session.scalars(
                select(Staff).where(Staff.id == staff_id).options(undefer(Staff.phone))
            ).one()
            subject = session.scalars(
                select(CreditSubject)
                .where(CreditSubject.id == person)
                .options(undefer(CreditSubject.id_number))
            ).one()
            assert (staff.phone, subject.id_number) == (PHONE, EXPERT_ID)
        sealed = audit_entries(reopened, "integrity.seal")
        assert len(sealed) == 1
        assert sealed[0]["rows"]["credit_records"] == 1  # type: ignore[index]
        assert sealed[0]["personal_data"] == {"credit_subjects": 1, "staff": 1}
    finally:
        reopened.dispose()

    # Once: the next opening seals nothing, and a MAC erased since is a failure, not a new seal.
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE credit_records SET row_mac = NULL"))
    third, _ = open_database(
        database.url, isolated_home.default_key_file, isolated_home.backups, "ws", daily_backup=False
    )
    try:
        assert len(audit_entries(third, "integrity.seal")) == 1
        assert Services(third).credit.assess(banned).verdict == Verdict.TAMPERED
    finally:
        third.dispose()
