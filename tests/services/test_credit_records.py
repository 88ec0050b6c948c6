"""Credit records through the service (DOMAIN.md §1): verdicts on the days around a ban, the leader's
confirmation, revocation, repair, permissions, audit, stale edits, personal data at rest, and the
entry-desk check with its printed 信用查询结果告知单. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from desktop_app.domain.credit import RecordKind, RecordStatus, Severity, SubjectKind, Verdict
from desktop_app.domain.errors import Conflict, PermissionDenied, StaleEdit, ValidationError
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import ContactInput, RecordInput, SubjectInput
from desktop_app.services.facade import Services
from desktop_app.store import migrate
from desktop_app.store.credit_models import CreditRecord, EntryCheck
from desktop_app.store.models import AuditEntry
from tests.builders import (
    BAN_FIRST,
    BAN_LAST,
    SAMPLE_ID_X,
    audit_actions,
    audit_entries,
    bad,
    ban,
    chain_intact,
    company,
    company_code,
    serious,
    wrong_check,
)

ID_NUMBER = SAMPLE_ID_X
PHONE = "13812345678"
CONTACT_PHONE = "13987654321"


# -- verdicts -----------------------------------------------------------------------------------
def test_ban_verdict_on_the_days_around_its_first_and_last_day(
    services: Services, leader: CurrentUser
) -> None:
    sid = company(services, leader)
    record = services.credit.add_record(leader, ban(sid))
    assert record.status == RecordStatus.CONFIRMED
    day = timedelta(days=1)
    verdicts = {
        d: services.credit.assess(sid, d) for d in (BAN_FIRST - day, BAN_FIRST, BAN_LAST, BAN_LAST + day)
    }
    # Decided and published before its first day: a record, not yet a ban.
    assert verdicts[BAN_FIRST - day].verdict == Verdict.RECORDS
    assert verdicts[BAN_FIRST].verdict == Verdict.BANNED
    assert verdicts[BAN_LAST].verdict == Verdict.BANNED
    assert verdicts[BAN_LAST + day].verdict == Verdict.RECORDS
    assert verdicts[BAN_FIRST].barring_record_ids == (record.id,)
    assert "天建罚〔2026〕3号" in verdicts[BAN_LAST].reason
    assert verdicts[BAN_FIRST].grade == "E" and verdicts[BAN_FIRST].grade_overridden


def test_serious_list_record_bars_entry_with_catalogue_defaults(
    services: Services, leader: CurrentUser
) -> None:
    sid = company(services, leader)
    record = services.credit.add_record(leader, serious(sid))
    # Catalogue (serious/serious): 12 months minimum, 36 maximum, 20 points.
    assert record.publicity_min_end == date(2027, 4, 14)
    assert record.publicity_end == date(2029, 4, 14)
    assert record.points == 20
    assert services.credit.assess(sid, date(2026, 4, 14)).verdict == Verdict.CLEAR
    on_day = services.credit.assess(sid, date(2026, 4, 15))
    assert on_day.verdict == Verdict.BANNED and on_day.score == 80 and on_day.grade == "E"
    assert services.credit.assess(sid, date(2029, 4, 14)).verdict == Verdict.BANNED
    assert services.credit.assess(sid, date(2029, 4, 15)).verdict == Verdict.CLEAR


def test_bad_record_is_information_only(services: Services, leader: CurrentUser) -> None:
    sid = company(services, leader)
    services.credit.add_record(leader, bad(sid, points=45))
    result = services.credit.assess(sid, date(2026, 5, 1))
    assert result.verdict == Verdict.RECORDS
    assert (result.score, result.grade, result.grade_overridden) == (55, "E", False)


def test_the_same_record_twice_is_refused(services: Services, leader: CurrentUser) -> None:
    sid = company(services, leader)
    first = services.credit.add_record(leader, bad(sid, decision_number="天交〔2026〕5号"))
    assert services.credit.existing_record(sid, bad(sid, decision_number="天交〔2026〕5号")) == first.id
    with pytest.raises(Conflict) as caught:  # typed again, full-width and spaced: the same record
        services.credit.add_record(leader, bad(sid, decision_number="天交〔２０２６〕 5号"))
    assert caught.value.field == "decision_number"
    services.credit.add_record(leader, bad(sid, decision_number="天交〔2026〕6号"))


def test_barring_records_need_a_decision_number_and_authority(
    services: Services, leader: CurrentUser
) -> None:
    sid = company(services, leader)
    with pytest.raises(ValidationError) as caught:
        services.credit.add_record(leader, ban(sid, decision_number=" "))
    assert caught.value.field == "decision_number"
    with pytest.raises(ValidationError) as caught:
        services.credit.add_record(leader, serious(sid, authority=""))
    assert caught.value.field == "authority"
    with pytest.raises(ValidationError) as caught:
        services.credit.add_record(leader, ban(sid, ban_end=BAN_FIRST - timedelta(days=1)))
    assert caught.value.field == "ban_end"


# -- confirmation -------------------------------------------------------------------------------
def test_supervisor_ban_is_pending_until_a_leader_confirms(
    services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    sid = company(services, supervisor)
    pending = services.credit.add_record(supervisor, ban(sid))
    assert pending.status == RecordStatus.PENDING and pending.confirmed_by == "" and not pending.in_force
    assert services.credit.assess(sid, BAN_FIRST).verdict == Verdict.CLEAR
    assert [r.id for _, r in services.credit.pending_records(leader)] == [pending.id]
    with pytest.raises(PermissionDenied):
        services.credit.confirm_record(supervisor, pending.id, pending.version)
    confirmed = services.credit.confirm_record(leader, pending.id, pending.version)
    assert confirmed.status == RecordStatus.CONFIRMED and confirmed.confirmed_by == "leader1"
    assert confirmed.confirmed_at is not None
    assert services.credit.assess(sid, BAN_FIRST).verdict == Verdict.BANNED
    assert services.credit.pending_records(leader) == []
    with pytest.raises(ValidationError):
        services.credit.confirm_record(leader, pending.id, confirmed.version)


def test_supervisor_serious_listing_declined_by_a_leader_never_counts(
    services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    sid = company(services, supervisor)
    pending = services.credit.add_record(supervisor, serious(sid))
    with pytest.raises(PermissionDenied):
        services.credit.decline_record(supervisor, pending.id, "证据不足", pending.version)
    with pytest.raises(ValidationError) as caught:
        services.credit.decline_record(leader, pending.id, "  ", pending.version)
    assert caught.value.field == "reason"
    declined = services.credit.decline_record(leader, pending.id, "证据不足", pending.version)
    assert declined.status == RecordStatus.DECLINED and declined.state == "未获确认"
    assert declined.closed_reason == "证据不足" and declined.closed_by == "leader1"
    for day in (date(2026, 4, 15), date(2027, 1, 1)):
        assert services.credit.assess(sid, day).verdict == Verdict.CLEAR
    with pytest.raises(ValidationError):
        services.credit.confirm_record(leader, pending.id, declined.version)
    # It stays in the file.
    assert [r.id for r in services.credit.subject_file(leader, sid).records] == [pending.id]


def test_supervisor_bad_record_counts_at_once(services: Services, supervisor: CurrentUser) -> None:
    sid = company(services, supervisor)
    record = services.credit.add_record(supervisor, bad(sid))
    assert record.status == RecordStatus.CONFIRMED
    assert services.credit.assess(sid, date(2026, 5, 1)).verdict == Verdict.RECORDS


def test_leader_entry_is_confirmed_at_once(services: Services, leader: CurrentUser) -> None:
    sid = company(services, leader)
    for record in (
        services.credit.add_record(leader, ban(sid)),
        services.credit.add_record(leader, serious(sid)),
    ):
        assert record.status == RecordStatus.CONFIRMED
        assert record.confirmed_by == "leader1" and record.confirmed_at is not None
    assert services.credit.pending_records(leader) == []


# -- revocation ---------------------------------------------------------------------------------
def test_revoked_record_never_counts_and_stays_in_the_file(
    services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    sid = company(services, leader)
    record = services.credit.add_record(leader, ban(sid))
    with pytest.raises(PermissionDenied):  # a confirmed ban is withdrawn by a leader
        services.credit.revoke_record(supervisor, record.id, "录入错误", record.version)
    with pytest.raises(ValidationError) as caught:
        services.credit.revoke_record(leader, record.id, "", record.version)
    assert caught.value.field == "reason"
    revoked = services.credit.revoke_record(leader, record.id, "行政复议撤销原处罚决定", record.version)
    assert revoked.status == RecordStatus.REVOKED and revoked.state == "已撤销" and not revoked.in_force
    for day in (BAN_FIRST, BAN_LAST):
        assert services.credit.assess(sid, day).verdict == Verdict.CLEAR
    file = services.credit.subject_file(leader, sid, BAN_FIRST)
    assert file.assessment.verdict == Verdict.CLEAR and file.barring_records == ()
    kept = next(r for r in file.records if r.id == record.id)
    assert kept.closed_reason == "行政复议撤销原处罚决定" and kept.closed_by == "leader1"
    assert kept.decision_number == "天建罚〔2026〕3号"
    with pytest.raises(ValidationError):
        services.credit.revoke_record(leader, record.id, "再撤一次", revoked.version)
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(CreditRecord)) == 1


def test_supervisor_may_withdraw_a_pending_ban(services: Services, supervisor: CurrentUser) -> None:
    sid = company(services, supervisor)
    pending = services.credit.add_record(supervisor, ban(sid))
    withdrawn = services.credit.revoke_record(supervisor, pending.id, "重复录入", pending.version)
    assert withdrawn.status == RecordStatus.REVOKED


# -- repair -------------------------------------------------------------------------------------
def test_repair_refused_before_the_publicity_minimum(services: Services, supervisor: CurrentUser) -> None:
    sid = company(services, supervisor)
    record = services.credit.add_record(supervisor, bad(sid))  # general: 3 months minimum
    assert record.publicity_min_end == date(2026, 7, 14)
    for asked in (date(2026, 5, 1), date(2026, 7, 14)):
        with pytest.raises(ValidationError, match="2026-07-14") as caught:
            services.credit.request_repair(supervisor, record.id, asked, "华建有限公司", "整改报告")
        assert caught.value.field == "requested_on"
    repair = services.credit.request_repair(
        supervisor, record.id, date(2026, 7, 15), "华建有限公司", "整改报告"
    )
    assert repair.status == "requested"
    with pytest.raises(ValidationError, match="待决定"):
        services.credit.request_repair(supervisor, record.id, date(2026, 7, 16), "华建有限公司", "补充材料")


def test_approved_repair_ends_the_record_from_its_date(services: Services, supervisor: CurrentUser) -> None:
    sid = company(services, supervisor)
    record = services.credit.add_record(supervisor, bad(sid))
    repair = services.credit.request_repair(
        supervisor, record.id, date(2026, 8, 1), "华建有限公司", "整改报告"
    )
    with pytest.raises(ValidationError, match="不能早于申请日期"):
        services.credit.decide_repair(supervisor, repair.id, True, date(2026, 7, 31))
    decided = services.credit.decide_repair(
        supervisor, repair.id, True, date(2026, 8, 10), "天交修〔2026〕1号", expected_version=repair.version
    )
    assert decided.status == "approved" and decided.decided_by == "super1"
    after = services.credit.record(record.id, date(2026, 8, 10))
    assert after.status == RecordStatus.REPAIRED and after.repaired_on == date(2026, 8, 10)
    assert after.state == "已修复" and not after.in_force
    assert services.credit.record(record.id, date(2026, 8, 9)).in_force
    assert services.credit.assess(sid, date(2026, 8, 9)).verdict == Verdict.RECORDS
    assert services.credit.assess(sid, date(2026, 8, 10)).verdict == Verdict.CLEAR
    assert services.credit.assess(sid, date(2026, 8, 10)).score == 100
    with pytest.raises(ValidationError):  # repaired: no second repair
        services.credit.request_repair(supervisor, record.id, date(2026, 9, 1), "华建有限公司", "整改报告")


def test_rejected_repair_needs_a_reason_and_changes_nothing(
    services: Services, supervisor: CurrentUser
) -> None:
    sid = company(services, supervisor)
    record = services.credit.add_record(supervisor, bad(sid))
    repair = services.credit.request_repair(
        supervisor, record.id, date(2026, 8, 1), "华建有限公司", "整改报告"
    )
    with pytest.raises(ValidationError) as caught:
        services.credit.decide_repair(supervisor, repair.id, False, date(2026, 8, 10))
    assert caught.value.field == "decision_note"
    services.credit.decide_repair(supervisor, repair.id, False, date(2026, 8, 10), note="整改不到位")
    assert services.credit.record(record.id, date(2026, 8, 10)).status == RecordStatus.CONFIRMED
    assert services.credit.assess(sid, date(2026, 8, 10)).verdict == Verdict.RECORDS
    again = services.credit.request_repair(supervisor, record.id, date(2026, 9, 1), "华建有限公司", "第二次")
    assert again.status == "requested"


def test_repair_of_a_ban_is_decided_by_a_leader(
    services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    sid = company(services, leader)
    record = services.credit.add_record(leader, ban(sid))  # general ban: 12 months minimum
    repair = services.credit.request_repair(
        supervisor, record.id, date(2027, 3, 1), "华建有限公司", "整改报告"
    )
    with pytest.raises(PermissionDenied):
        services.credit.decide_repair(supervisor, repair.id, True, date(2027, 3, 5))
    services.credit.decide_repair(leader, repair.id, True, date(2027, 3, 5), "天建修〔2027〕1号")
    assert services.credit.record(record.id).status == RecordStatus.REPAIRED


# -- permissions --------------------------------------------------------------------------------
def test_hall_staff_look_up_but_cannot_create(
    services: Services, leader: CurrentUser, clerk: CurrentUser
) -> None:
    sid = company(services, leader)
    with pytest.raises(PermissionDenied):
        services.credit.create_subject(
            clerk, SubjectInput(SubjectKind.BIDDER, "某公司", uscc=company_code(2))
        )
    with pytest.raises(PermissionDenied):
        services.credit.add_record(clerk, bad(sid))
    info = services.credit.subject(sid)
    with pytest.raises(PermissionDenied):
        services.credit.update_subject(clerk, sid, services.credit.subject_input(leader, sid), info.version)
    record = services.credit.add_record(leader, bad(sid))
    with pytest.raises(PermissionDenied):
        services.credit.revoke_record(clerk, record.id, "错误", record.version)
    with pytest.raises(PermissionDenied):
        services.credit.request_repair(clerk, record.id, date(2026, 8, 1), "某", "某")
    with pytest.raises(PermissionDenied):
        services.credit.reveal_personal_data(clerk, sid, "phone", "核实身份")
    # ... and can look up.
    assert services.credit.search(clerk, "华建").hits[0].subject_id == sid
    assert services.credit.subject_file(clerk, sid).subject.id == sid


def test_admin_has_no_business_rights(services: Services, admin: CurrentUser, leader: CurrentUser) -> None:
    sid = company(services, leader)
    with pytest.raises(PermissionDenied):
        services.credit.search(admin, "华建")
    with pytest.raises(PermissionDenied):
        services.credit.add_record(admin, bad(sid))


# -- audit --------------------------------------------------------------------------------------
def test_every_change_writes_an_audit_entry(
    services: Services, leader: CurrentUser, supervisor: CurrentUser, clerk: CurrentUser
) -> None:
    start = len(audit_actions(services.db))
    sid = company(services, supervisor)
    info = services.credit.subject(sid)
    services.credit.update_subject(
        supervisor,
        sid,
        dataclasses.replace(services.credit.subject_input(supervisor, sid), name="华建科技有限公司"),
        info.version,
    )
    pending = services.credit.add_record(supervisor, ban(sid))
    services.credit.confirm_record(leader, pending.id, pending.version)
    to_decline = services.credit.add_record(supervisor, serious(sid))
    services.credit.decline_record(leader, to_decline.id, "证据不足", to_decline.version)
    record = services.credit.add_record(supervisor, bad(sid))
    repair = services.credit.request_repair(supervisor, record.id, date(2026, 8, 1), "华建", "整改报告")
    services.credit.decide_repair(supervisor, repair.id, True, date(2026, 8, 2))
    other = services.credit.add_record(supervisor, bad(sid, facts="另一事实"))
    services.credit.revoke_record(supervisor, other.id, "录入错误", other.version)
    services.credit.add_attachment(supervisor, other.id, "决定书.pdf", b"%PDF-1.4 test")
    services.credit.entry_check(clerk, "华建", sid, print_notice=False)
    written = audit_actions(services.db)[start:]
    assert written == [
        "credit.subject.create",
        "credit.subject.update",
        "credit.record.create",
        "credit.record.confirm",
        "credit.record.create",
        "credit.record.decline",
        "credit.record.create",
        "credit.repair.request",
        "credit.repair.decide",
        "credit.record.create",
        "credit.record.revoke",
        "credit.attachment.add",
        "credit.entry_check",
    ]
    update = audit_entries(services.db, "credit.subject.update")[0]
    assert update["name"] == ["华建有限公司", "华建科技有限公司"] and update["username"] == "super1"
    assert audit_entries(services.db, "credit.record.revoke")[0]["reason"] == "录入错误"
    assert audit_entries(services.db, "credit.record.confirm")[0]["username"] == "leader1"
    assert chain_intact(services.db)


def test_a_refused_change_writes_nothing(
    services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    sid = company(services, supervisor)
    record = services.credit.add_record(supervisor, ban(sid))
    before = audit_actions(services.db)
    with pytest.raises(PermissionDenied):
        services.credit.confirm_record(supervisor, record.id, record.version)
    with pytest.raises(ValidationError):
        services.credit.add_record(supervisor, bad(sid, facts=""))
    assert audit_actions(services.db) == before
    assert services.credit.record(record.id).status == RecordStatus.PENDING


def test_an_edit_that_changes_nothing_writes_nothing(services: Services, leader: CurrentUser) -> None:
    sid = company(services, leader)
    info = services.credit.subject(sid)
    before = audit_actions(services.db)
    same = services.credit.update_subject(
        leader, sid, services.credit.subject_input(leader, sid), info.version
    )
    assert same.version == info.version
    assert audit_actions(services.db) == before


# -- stale edits --------------------------------------------------------------------------------
def test_stale_edit_is_refused(services: Services, leader: CurrentUser, supervisor: CurrentUser) -> None:
    sid = company(services, leader)
    old = services.credit.subject(sid)
    form = services.credit.subject_input(leader, sid)
    services.credit.update_subject(leader, sid, dataclasses.replace(form, note="第一处修改"), old.version)
    with pytest.raises(StaleEdit):
        services.credit.update_subject(
            supervisor, sid, dataclasses.replace(form, note="第二处修改"), old.version
        )
    assert services.credit.subject(sid).note == "第一处修改"
    record = services.credit.add_record(supervisor, ban(sid))
    services.credit.revoke_record(supervisor, record.id, "重复录入", record.version)
    with pytest.raises(StaleEdit):
        services.credit.confirm_record(leader, record.id, record.version)
    assert services.credit.record(record.id).status == RecordStatus.REVOKED


def test_editing_a_person_keeps_the_id_number_and_phone_not_retyped(
    services: Services, leader: CurrentUser
) -> None:
    # subject_input leaves personal data empty ("kept unless retyped"): saving the form unchanged
    # but for the note must neither refuse (a person needs an ID) nor wipe the phone.
    sid = services.credit.create_subject(
        leader, SubjectInput(SubjectKind.EXPERT, "单雄信", id_number=ID_NUMBER, phone=PHONE)
    ).id
    info = services.credit.subject(sid)
    form = services.credit.subject_input(leader, sid)
    assert form.id_number == "" and form.phone == ""
    saved = services.credit.update_subject(
        leader, sid, dataclasses.replace(form, note="专业：房建"), info.version
    )
    assert saved.note == "专业：房建"
    assert saved.id_number_masked == "1101**********002X" and saved.phone_masked == "138****5678"
    assert services.credit.reveal_personal_data(leader, sid, "phone", "核实身份") == PHONE
    assert services.credit.search(leader, ID_NUMBER).hits[0].subject_id == sid
    # Retyped, it changes.
    services.credit.update_subject(leader, sid, dataclasses.replace(form, phone=CONTACT_PHONE), saved.version)
    assert services.credit.reveal_personal_data(leader, sid, "phone", "核实身份") == CONTACT_PHONE


# -- identifier override ------------------------------------------------------------------------
def test_identifier_override_is_audited_with_its_reason(services: Services, leader: CurrentUser) -> None:
    wrong = wrong_check(company_code(9))
    with pytest.raises(ValidationError, match="校验例外说明"):
        services.credit.create_subject(leader, SubjectInput(SubjectKind.BIDDER, "某公司", uscc=wrong))
    sid = services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.BIDDER, "某公司", uscc=wrong, identifier_override_reason="营业执照原件核对无误"
        ),
    ).id
    assert services.credit.subject(sid).uscc == wrong
    entries = audit_entries(services.db, "credit.identifier_override")
    assert len(entries) == 1
    assert entries[0]["reason"] == "营业执照原件核对无误" and entries[0]["uscc"] == wrong
    assert entries[0]["object_id"] == str(sid) and entries[0]["username"] == "leader1"
    # A person's ID number with a wrong check character: the same rule.
    wrong_id = wrong_check(ID_NUMBER)
    with pytest.raises(ValidationError) as caught:
        services.credit.create_subject(leader, SubjectInput(SubjectKind.EXPERT, "张三", id_number=wrong_id))
    assert caught.value.field == "id_number"
    services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.EXPERT, "张三", id_number=wrong_id, identifier_override_reason="户籍证明核实"
        ),
    )
    assert [e["reason"] for e in audit_entries(services.db, "credit.identifier_override")] == [
        "营业执照原件核对无误",
        "户籍证明核实",
    ]
    # A reason given for a valid code is not kept nor audited.
    clean = services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.BIDDER, "另一公司", uscc=company_code(10), identifier_override_reason="多余"
        ),
    )
    assert clean.identifier_override_reason == ""
    assert len(audit_entries(services.db, "credit.identifier_override")) == 2


# -- personal data at rest ----------------------------------------------------------------------
def stored_bytes(services: Services) -> bytes:
    path = migrate.sqlite_path(services.db.url)
    if path is not None:
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    tables = ("credit_subjects", "credit_subject_contacts", "audit_log", "credit_entry_checks")
    with services.db.engine.connect() as conn:
        return b"".join(
            str(row).encode()
            for table in tables
            for row in conn.execute(text(f"SELECT t::text FROM {table} t"))
        )


def test_id_numbers_and_phones_are_not_stored_in_clear(
    services: Services, leader: CurrentUser, clerk: CurrentUser
) -> None:
    sid = services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.EXPERT,
            "单雄信",
            id_number=ID_NUMBER.lower(),
            phone=f"+86 {PHONE}",
            contacts=(ContactInput("联系人", "秘书", CONTACT_PHONE),),
        ),
    ).id
    # The clerk looks the expert up by ID number: found, and the query is kept and printed masked.
    checked = services.credit.entry_check(clerk, ID_NUMBER.lower(), sid)
    assert checked.check.query == "1101**********002X" and checked.check.match_count == 1
    assert "1101**********002X" in flat(pdf_text(checked.notice.pdf))
    assert ID_NUMBER not in flat(pdf_text(checked.notice.pdf))
    services.credit.update_subject(
        leader,
        sid,
        dataclasses.replace(services.credit.subject_input(leader, sid), id_number=ID_NUMBER, phone=PHONE),
        services.credit.subject(sid).version,
    )
    raw = stored_bytes(services)
    for secret in (ID_NUMBER, ID_NUMBER.lower(), PHONE, CONTACT_PHONE, ID_NUMBER[6:14] + ID_NUMBER[14:17]):
        assert secret.encode() not in raw, secret
    info = services.credit.subject(sid)
    assert info.id_number_masked == "1101**********002X"
    assert info.contacts[0].phone_masked == "139****4321"
    assert services.credit.reveal_personal_data(leader, sid, "id_number", "核实身份") == ID_NUMBER


# -- entry checks -------------------------------------------------------------------------------
def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def flat(textual: str) -> str:
    return "".join(textual.split())


def check_rows(services: Services) -> list[EntryCheck]:
    with services.db.session() as session:
        return list(session.scalars(select(EntryCheck).order_by(EntryCheck.id)))


def test_entry_check_of_a_banned_subject_prints_the_decision(
    services: Services, leader: CurrentUser, clerk: CurrentUser
) -> None:
    sid = company(services, leader, "天河华建建筑工程有限公司")
    services.credit.add_record(leader, ban(sid))
    result = services.credit.entry_check(clerk, "华建建筑", sid, on=date(2026, 5, 6))
    check = result.check
    assert check.verdict == Verdict.BANNED and check.verdict_label == "禁止入场"
    assert check.query == "华建建筑" and check.subject_id == sid and check.operator == "clerk1"
    assert check.match_count == 1 and check.checked_on == date(2026, 5, 6)
    assert result.notice.number.startswith("XY") and check.notice_number == result.notice.number
    rows = check_rows(services)
    assert len(rows) == 1 and rows[0].notice_number == result.notice.number and rows[0].verdict == "banned"
    assert rows[0].subject_name == "天河华建建筑工程有限公司"
    words = flat(pdf_text(result.notice.pdf))
    for expected in (
        "信用查询结果告知单",
        "华建建筑",
        "禁止入场",
        "天建罚〔2026〕3号",
        "天河华建建筑工程有限公司",
    ):
        assert flat(expected) in words, expected
    assert flat(result.notice.number) in words
    assert audit_entries(services.db, "credit.entry_check")[0]["notice"] == result.notice.number
    assert [c.id for c in services.credit.subject_file(clerk, sid).checks] == [check.id]


def test_entry_check_of_a_clear_subject(services: Services, leader: CurrentUser, clerk: CurrentUser) -> None:
    sid = company(services, leader)
    result = services.credit.entry_check(clerk, "华建", sid, on=date(2026, 5, 6))
    assert result.check.verdict == Verdict.CLEAR
    words = flat(pdf_text(result.notice.pdf))
    assert "可入场" in words and "华建有限公司" in words and company_code(1) in words


def test_entry_check_without_a_match_still_writes_and_prints(services: Services, clerk: CurrentUser) -> None:
    result = services.credit.entry_check(clerk, "不存在的公司", None, on=date(2026, 5, 6))
    check = result.check
    assert check.verdict == Verdict.NOT_FOUND and check.subject_id is None and check.match_count == 0
    assert result.notice.number.startswith("XY")
    rows = check_rows(services)
    assert len(rows) == 1 and rows[0].query == "不存在的公司" and rows[0].verdict == "not_found"
    words = flat(pdf_text(result.notice.pdf))
    assert "不存在的公司" in words and "未找到" in words
    second = services.credit.entry_check(clerk, "另一家", None)
    assert second.notice.number != result.notice.number
    assert [c.query for c in services.credit.recent_checks(clerk)] == ["另一家", "不存在的公司"]
    with pytest.raises(ValidationError) as caught:
        services.credit.entry_check(clerk, "  ", None)
    assert caught.value.field == "query"


def test_good_records_are_not_graded_and_bad_ones_are(services: Services, leader: CurrentUser) -> None:
    sid = company(services, leader)
    good = services.credit.add_record(
        leader, RecordInput(sid, RecordKind.GOOD, Severity.NONE, date(2026, 5, 1), facts="守信激励")
    )
    assert good.severity == Severity.NONE and good.severity_label == "不分等级" and good.points == 3
    # A grade given for a commendation means nothing: it is stored as not graded.
    graded = services.credit.add_record(
        leader, RecordInput(sid, RecordKind.GOOD, Severity.GENERAL, date(2026, 5, 2), facts="优质工程")
    )
    assert graded.severity == Severity.NONE
    with pytest.raises(ValidationError) as refused:
        services.credit.add_record(
            leader, RecordInput(sid, RecordKind.BAD, Severity.NONE, date(2026, 5, 1), facts="迟到")
        )
    assert refused.value.field == "severity"
    assert services.credit.severities(RecordKind.GOOD) == {Severity.NONE}
    assert services.credit.severities(RecordKind.BAD) == {Severity.MINOR, Severity.GENERAL, Severity.SERIOUS}


def test_another_module_adds_a_record_inside_its_own_transaction(
    services: Services, supervisor: CurrentUser
) -> None:
    """The public in-transaction API: a complaint or an evaluation writes its record and its own rows
    in one transaction, so both are there or neither is."""
    from desktop_app.domain.credit import RecordSource
    from desktop_app.services.credit import add_record_in

    sid = company(services, supervisor)
    data = RecordInput(
        sid,
        RecordKind.BAD,
        Severity.GENERAL,
        date(2026, 5, 1),
        facts="投诉属实：窗口推诿",
        source=RecordSource.COMPLAINT,
        source_ref="TS2026-000001",
    )
    with pytest.raises(RuntimeError), services.db.session(write=True) as session:
        add_record_in(session, services.db, supervisor, data)
        raise RuntimeError("the caller's own step failed")
    assert services.credit.subject_file(supervisor, sid).records == ()
    with services.db.session(write=True) as session:
        record = add_record_in(session, services.db, supervisor, data)
        record_id = record.id
    stored = services.credit.record(record_id)
    assert (stored.source, stored.source_ref, stored.created_by) == (
        RecordSource.COMPLAINT,
        "TS2026-000001",
        "super1",
    )
    with services.db.session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "credit.record.create")).all()
    assert [(e.object_id, e.username) for e in entries] == [(str(record_id), "super1")]


def test_the_work_lists_name_who_entered_each_record(
    services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    """Item 11 of issue 9: lists show people by their real name, not their login name."""
    from sqlalchemy import text

    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE users SET display_name = '罗昊' WHERE username = 'super1'"))
    sid = company(services, supervisor)
    services.credit.add_record(supervisor, ban(sid))
    ((_, pending),) = services.credit.pending_records(leader)
    assert (pending.created_by, pending.created_by_name) == ("super1", "罗昊")
    assert [r.created_by_name for _, r in services.credit.recent_records(leader)] == ["罗昊"]
