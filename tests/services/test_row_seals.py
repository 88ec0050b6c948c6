"""Business rows changed in the database behind the program's back (issue 10, item 3): a verdict
that rests on them says 数据校验失败, nothing is certified from them, ``audit verify`` lists them;
personal data swapped between rows does not open; an archived notice whose PDF changed is reported."""

from __future__ import annotations

import hashlib

import pytest
from conftest import make_user
from sqlalchemy import select, text
from sqlalchemy.orm import undefer

from desktop_app.domain.credit import Verdict
from desktop_app.domain.errors import DataCheckFailed, KeyMismatch
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.credit_models import CreditRecord, CreditSubject, EntryCheck
from desktop_app.store.sealing import TAMPERED
from tests.builders import company, expert, resident_id, serious

DATE_CHANGE = "UPDATE credit_records SET publicity_end = '2020-01-01' WHERE id = :i"


def raw(services: Services, sql: str, **params: object) -> None:
    """A change made with a database tool, not through the program."""
    with services.db.engine.begin() as conn:
        conn.execute(text(sql), params)


@pytest.fixture
def auditor(services: Services, admin: CurrentUser) -> CurrentUser:
    return make_user(services, admin, "auditor", Role.AUDIT_ADMIN)


def test_a_record_date_changed_in_the_database_is_caught(
    services: Services, leader: CurrentUser, clerk: CurrentUser, auditor: CurrentUser
) -> None:
    sid = company(services, leader, "华建有限公司", 1)
    record = services.credit.add_record(leader, serious(sid))
    other = company(services, leader, "中平有限公司", 2)
    assert services.credit.assess(sid).verdict == Verdict.BANNED
    assert services.integrity.verify_rows(auditor).sound

    raw(services, DATE_CHANGE, i=record.id)

    # The verdict the desk reads, and the detail pane's file: no answer from the changed row.
    verdict = services.credit.assess(sid)
    assert verdict.verdict == Verdict.TAMPERED
    assert verdict.reason.startswith(TAMPERED) and f"信用记录 #{record.id}" in verdict.reason
    assert services.credit.subject_file(clerk, sid).assessment.verdict == Verdict.TAMPERED
    # The search list checks no MACs (it is a guide, and fast); the hits an answer rests on are
    # checked before the answer is given (the command line's credit check does so).
    found = services.credit.search(clerk, "华建有限公司")
    checked = services.credit.verify_hits(clerk, found, [sid])
    assert [h.verdict for h in checked.hits if h.subject_id == sid] == [Verdict.TAMPERED]
    assert [h.verdict for h in checked.hits if h.subject_id != sid] == [
        h.verdict for h in found.hits if h.subject_id != sid
    ]
    # Nothing certified, nothing recorded: not the entry check, not certify of a typed query.
    with pytest.raises(DataCheckFailed) as refused:
        services.credit.entry_check(clerk, "华建有限公司", sid)
    assert TAMPERED in refused.value.message
    with pytest.raises(DataCheckFailed):
        services.credit.certify(clerk, company_code_of(services, sid))
    with services.db.session() as session:
        assert session.scalar(select(EntryCheck.id).where(EntryCheck.subject_id == sid)) is None
    # An edit does not launder it: re-sealing a row that fails is refused.
    with pytest.raises(DataCheckFailed):
        services.credit.revoke_record(leader, record.id, "录入错误", record.version)
    # The others are untouched, and audit verify names the row.
    assert services.credit.assess(other).verdict == Verdict.CLEAR
    found = services.integrity.verify_rows(auditor)
    assert not found.sound
    assert [(f.table, f.ids) for f in found.failing] == [("credit_records", (record.id,))]


def company_code_of(services: Services, sid: int) -> str:
    with services.db.session() as session:
        return str(session.get_one(CreditSubject, sid).uscc)


def test_changes_through_the_program_stay_sound(
    services: Services, leader: CurrentUser, clerk: CurrentUser, auditor: CurrentUser
) -> None:
    sid = company(services, leader, "华建有限公司", 1)
    record = services.credit.add_record(leader, serious(sid))
    services.credit.revoke_record(leader, record.id, "录入错误", record.version)
    result = services.credit.entry_check(clerk, "华建有限公司", sid)
    assert result.check.verdict == Verdict.CLEAR
    assert services.notices.verify(clerk, result.notice.number, result.notice.verify_code).genuine
    assert services.integrity.verify_rows(auditor).sound
    with services.db.session() as session:
        macs = session.scalars(select(CreditRecord.row_mac)).all()
    assert macs and all(m and m.startswith("1:") for m in macs)


def test_a_removed_mac_is_a_failure(services: Services, leader: CurrentUser, auditor: CurrentUser) -> None:
    sid = company(services, leader, "华建有限公司", 1)
    raw(services, "UPDATE credit_subjects SET row_mac = NULL WHERE id = :i", i=sid)
    assert services.credit.assess(sid).verdict == Verdict.TAMPERED
    assert [f.ids for f in services.integrity.verify_rows(auditor).failing] == [(sid,)]


def test_ciphertexts_swapped_between_subjects_do_not_open(
    services: Services, leader: CurrentUser, auditor: CurrentUser
) -> None:
    first = expert(services, leader, "张三", resident_id("11010519800101123"))
    second = expert(services, leader, "李四", resident_id("11010519850505123"))
    with services.db.engine.begin() as conn:
        blobs = {r[0]: r[1] for r in conn.execute(text("SELECT id, id_number FROM credit_subjects"))}
        for target, source in ((first, second), (second, first)):
            conn.execute(
                text("UPDATE credit_subjects SET id_number = :b WHERE id = :i"),
                {"b": bytes(blobs[source]), "i": target},
            )
    # A clear refusal naming the row, not a crash or the other person's number.
    with pytest.raises(KeyMismatch) as refused:
        services.credit.reveal_personal_data(leader, first, "id_number", "核对身份")
    assert TAMPERED in refused.value.message and f"第 {first} 行" in refused.value.message
    with pytest.raises(KeyMismatch), services.db.session() as session:
        session.scalars(select(CreditSubject).options(undefer(CreditSubject.id_number))).all()
    found = services.integrity.verify_rows(auditor).failing
    assert [(f.table, f.ids) for f in found] == [("credit_subjects", (first, second))]
    assert "个人信息" in found[0].problem


def test_an_archived_pdf_changed_is_reported_by_code(services: Services, clerk: CurrentUser) -> None:
    issued = services.credit.entry_check(clerk, "不存在的公司", None).notice
    assert services.notices.verify(clerk, issued.number, issued.verify_code).genuine
    forged = issued.pdf.replace(b"%%EOF", b"%%EOF\n% changed")
    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE notices SET pdf = :p WHERE number = :n"), {"p": forged, "n": issued.number})
    bytes_only = services.notices.verify(clerk, issued.number, issued.verify_code)
    assert not bytes_only.genuine and "改动" in bytes_only.reason
    # The bytes and their recorded hash changed together: the row's MAC still tells.
    with services.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE notices SET pdf_sha256 = :h WHERE number = :n"),
            {"h": hashlib.sha256(forged).hexdigest(), "n": issued.number},
        )
    both = services.notices.verify(clerk, issued.number, issued.verify_code)
    assert not both.genuine and both.reason.startswith(TAMPERED)
    with pytest.raises(DataCheckFailed):
        services.notices.reprint(clerk, issued.number)


def test_a_forged_copy_row_does_not_vouch_for_a_file(services: Services, clerk: CurrentUser) -> None:
    issued = services.credit.entry_check(clerk, "不存在的公司", None).notice
    forged = issued.pdf.replace(b"%%EOF", b"%%EOF\n% changed")
    with services.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE notice_copies SET pdf_sha256 = :h WHERE notice_id = :n"),
            {"h": hashlib.sha256(forged).hexdigest(), "n": issued.notice_id},
        )
    assert not services.notices.verify(clerk, issued.number, issued.verify_code, forged).genuine


def test_rows_written_in_bulk_are_sealed_like_a_flush_seals_them(
    services: Services, leader: CurrentUser, auditor: CurrentUser
) -> None:
    """An import that writes with one bulk INSERT (no flush sees it) prepares its rows first."""
    from datetime import date

    from sqlalchemy import insert

    from desktop_app.store.sealing import prepare_bulk_rows

    rows = [
        {
            "kind": "expert",
            "name": f"专家{n}",
            "id_number": resident_id(f"11010519800101{n + 1}23"),
            "search_text": "",
        }
        for n in range(3)
    ]
    with services.db.session(write=True) as session:
        session.execute(insert(CreditSubject), prepare_bulk_rows(session, CreditSubject, rows))
        records = [
            {
                "subject_id": row["id"],
                "kind": "serious",
                "severity": "serious",
                "status": "confirmed",
                "decision_date": date(2026, 4, 15),
                "publicity_end": date(2027, 4, 14),
                "dedupe_key": f"bulk-{row['id']}",
            }
            for row in rows
        ]
        session.execute(insert(CreditRecord), prepare_bulk_rows(session, CreditRecord, records))
    assert services.integrity.verify_rows(auditor).sound
    assert services.credit.assess(rows[0]["id"]).verdict == Verdict.BANNED
    assert services.credit.reveal_personal_data(
        leader, rows[1]["id"], "id_number", "核对身份"
    ) == resident_id("11010519800101223")


def test_a_changed_check_is_not_offered_for_a_reprint(
    services: Services, leader: CurrentUser, clerk: CurrentUser
) -> None:
    """The second Ctrl+P offers to reprint a recent check's notice; a check row changed in the
    database (here, to another subject's name) vouches for nothing."""
    sid = company(services, leader, "华建有限公司", 1)
    done = services.credit.entry_check(clerk, "华建有限公司", sid)
    assert services.credit.repeat_of(clerk, "华建有限公司", sid) is not None
    raw(
        services,
        "UPDATE credit_entry_checks SET subject_name = '中平有限公司' WHERE id = :i",
        i=done.check.id,
    )
    assert services.credit.repeat_of(clerk, "华建有限公司", sid) is None
