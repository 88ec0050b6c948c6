"""The demo center builder (services.demo): deterministic, valid data, an account for every role."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, timedelta

import pytest
from conftest import open_test_database
from sqlalchemy import select

from desktop_app import paths
from desktop_app.domain.credit import (
    GRADED_SEVERITIES,
    RecordKind,
    RecordStatus,
    Severity,
    SubjectKind,
    Verdict,
)
from desktop_app.domain.errors import DomainError
from desktop_app.domain.identifiers import is_valid_uscc, normalize_phone, normalize_resident_id
from desktop_app.domain.passwords import PasswordPolicy
from desktop_app.domain.roles import Role
from desktop_app.services import demo
from desktop_app.services.demo import (
    AUDITOR,
    CENTER_SETTINGS,
    SYSADMIN,
    DemoContext,
    DemoStep,
    build_demo,
    demo_passwords,
    demo_people,
)
from desktop_app.services.facade import Services
from desktop_app.store import audit
from desktop_app.store.credit_models import CreditRecord, CreditRepair, CreditSubject
from desktop_app.store.models import AuditEntry, Staff
from tests.demo_golden import DIGEST_FILE, GOLDEN_NOW, STDOUT_FILE, build_in_process, database_digest


def test_people_are_deterministic_and_seed_dependent():
    assert demo_people(2026) == demo_people(2026)
    assert demo_people(2026) != demo_people(7)
    people = demo_people()
    assert demo_passwords(2026, people) == demo_passwords(2026, demo_people())
    assert demo_passwords(2026, people) != demo_passwords(7, people)


def test_people_are_realistic_and_valid():
    people = demo_people()
    assert 35 <= len(people) <= 45
    assert len({p.name for p in people}) == len(people)
    assert len({p.username for p in people}) == len(people)
    assert len({p.employee_no for p in people}) == len(people)
    assert len({p.id_number for p in people}) == len(people)
    for person in people:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", person.name)
        assert re.fullmatch(r"[a-z][a-z0-9]*", person.username)
        assert normalize_resident_id(person.id_number) == person.id_number
        assert person.id_number[6:14] == f"{person.birth_date:%Y%m%d}"
        assert date(1965, 1, 1) <= person.birth_date <= date(2000, 12, 31)
        assert int(person.id_number[16]) % 2 == (1 if person.male else 0)
        assert normalize_phone(person.phone) == person.phone
        assert re.fullmatch(r"1[3-9]\d{9}", person.phone)
    departments = Counter(p.department for p in people)
    assert set(departments) == set(demo.DEPARTMENT_POSTS)
    heads = [p for p in people if p.post == "科长"]
    assert sorted(p.department for p in heads) == sorted(demo.DEPARTMENT_POSTS)
    posts = {p.post for p in people}
    assert {"窗口受理", "见证员", "综合管理", "科长"} <= posts


def test_credit_subjects_are_deterministic_and_valid():
    companies, experts = demo.demo_companies(), demo.demo_experts()
    assert companies == demo.demo_companies() and experts == demo.demo_experts()
    assert companies != demo.demo_companies(7)
    assert len(companies) == 1000 and len(experts) == 300
    assert len({c.uscc for c in companies}) == len(companies)
    assert len({c.trade_name for c in companies}) == len(companies)
    assert {c.kind for c in companies} == {"agency", "bidder", "supplier", "buyer"}
    assert 0.08 < sum(1 for c in companies if c.former_name) / len(companies) < 0.25
    for company in companies:
        assert is_valid_uscc(company.uscc) and company.uscc[2:6] == "3799"
        assert company.trade_name in company.name and company.name.endswith("公司")
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", company.legal_representative)
    staff_ids = {p.id_number for p in demo_people()}
    assert len({e.id_number for e in experts} | staff_ids) == len(experts) + len(staff_ids)
    assert len({e.expert_no for e in experts}) == len(experts)
    for expert in experts:
        assert normalize_resident_id(expert.id_number) == expert.id_number
        assert expert.id_number[:4] == "3799"  # the fictional region: never a real person's number


def test_passwords_meet_the_policy():
    policy = PasswordPolicy()
    for username, password in demo_passwords(2026, demo_people()).items():
        policy.check(password, username)


def _build(services):
    return build_demo(services)


def test_build_demo_and_its_audit_trail(services):
    report = _build(services)
    check_audited_and_the_chain_verifies(services, report)
    assert report.center_name == CENTER_SETTINGS["center_name"]
    assert report.steps == [step.name for step in demo.STEPS]

    departments = services.organisation.departments()
    assert len(departments) == 8
    staff = services.organisation.staff()
    people = demo_people()
    assert [(s.employee_no, s.name, s.post) for s in staff] == [
        (p.employee_no, p.name, p.post) for p in people
    ]
    assert all(s.id_number_masked and "*" in s.id_number_masked for s in staff)
    assert all(s.phone_masked and "*" in s.phone_masked for s in staff)

    settings = services.center.get()
    for key, value in CENTER_SETTINGS.items():
        assert settings[key] == value

    assert services.center.is_demo()  # every window and paper of it says 演示数据

    users = {u.username: u for u in services.users.list()}
    assert set(users) == {p.username for p in people}
    assert all(u.pending_roles == () for u in users.values())  # the demo's leader confirmed them
    assert {a.username for a in report.accounts} == set(users)
    roles = Counter(r for u in users.values() for r in u.roles)
    assert roles[Role.SYSTEM_ADMIN] == 1 and users[SYSADMIN].roles == (Role.SYSTEM_ADMIN,)
    assert roles[Role.AUDIT_ADMIN] == 1 and users[AUDITOR].roles == (Role.AUDIT_ADMIN,)
    assert roles[Role.LEADER] == 2
    assert roles[Role.SUPERVISOR] == 8
    assert roles[Role.HALL_STAFF] == len(people) - 12
    staff_by_id = {s.id: s for s in staff}
    for user in users.values():
        assert not user.must_change_password
        assert user.staff_id is not None
        linked = staff_by_id[user.staff_id]
        assert user.display_name == linked.name
        if Role.SUPERVISOR in user.roles:
            assert linked.post == "科长"
            assert user.department_id == linked.department_id
    supervised = {users[u].department_name for u in users if Role.SUPERVISOR in users[u].roles}
    assert supervised == {d.name for d in departments}

    # every account signs in with its printed password, with no forced change
    for account in report.accounts:
        actor = services.auth.login(account.username, account.password)
        assert set(actor.roles) == set(account.roles)

    _check_credit_files(services, report)
    _check_complaints(services, report)
    _check_evaluations(services, report)
    _check_scoring(services, report)


def _check_credit_files(services, report):
    counts = report.counts
    assert counts["credit_experts"] == 300 and counts["credit_companies"] == 1000
    assert counts["credit_staff"] == len(demo_people())
    today = services.db.now().astimezone().date()
    with services.db.session() as session:
        kinds = Counter(session.scalars(select(CreditSubject.kind)))
        records = session.scalars(select(CreditRecord)).all()
        repairs = session.scalars(select(CreditRepair)).all()
        names = {r.id: r.name for r in session.execute(select(CreditSubject.id, CreditSubject.name))}
    assert kinds[SubjectKind.EXPERT] == 300 and kinds[SubjectKind.STAFF] == len(demo_people())
    assert sum(kinds[k] for k in ("agency", "bidder", "supplier", "buyer")) == 1000
    from_complaints = [r for r in records if r.source == "complaint"]
    assert len(from_complaints) == counts["complaint_credit_drafts"]
    # Not those of the evaluations step (a session's number: KP…).
    records = [r for r in records if r.source != "complaint" and not r.source_ref.startswith("KP")]
    assert len(records) == counts["credit_records"]
    assert {r.kind for r in records} == {k.value for k in RecordKind}
    bad = {r.severity for r in records if r.kind == RecordKind.BAD}
    assert bad == {s.value for s in GRADED_SEVERITIES}
    assert {r.severity for r in records if r.kind == RecordKind.GOOD} == {Severity.NONE.value}
    statuses = Counter(r.status for r in records)
    assert statuses[RecordStatus.PENDING] == 1 and statuses[RecordStatus.REPAIRED] == 1
    assert statuses[RecordStatus.REVOKED] == 1
    assert [r.status for r in repairs] == ["approved"]
    confirmed_bans = [r for r in records if r.kind == RecordKind.BAN and r.status == RecordStatus.CONFIRMED]
    active = [r for r in confirmed_bans if r.ban_start <= today <= r.ban_end]
    assert len(active) == counts["credit_bans_active"] > 0
    assert any(r.ban_end < today for r in confirmed_bans)  # expired bans too
    assert len({r.subject_id for r in records if r.kind == RecordKind.STAFF_RECORD}) >= 3

    # The entry desk finds an actively banned company by two characters of its name: 禁止入场.
    clerk = next(a for a in report.accounts if a.roles == (Role.HALL_STAFF,))
    actor = services.auth.login(clerk.username, clerk.password)
    trade_names = {c.name: c.trade_name for c in demo.demo_companies()}
    banned = active[0].subject_id
    fragment = trade_names[names[banned]]
    assert len(fragment) == 2
    result = services.credit.search(actor, fragment)
    hit = next(h for h in result.hits if h.subject_id == banned)
    assert hit.verdict == Verdict.BANNED and hit.verdict_label == "禁止入场"
    assert hit.how == "name"


def _check_complaints(services, report):
    """Cases in every state over six months, overdue ones, deductions for staff, drafted credit
    records, extensions, a statutory transfer, 差评 with follow-ups, receipts for some."""
    from desktop_app.domain.complaints import State
    from desktop_app.store.complaint_models import Complaint, ComplaintExtension, StaffDeduction

    counts = report.counts
    today = services.db.now().astimezone().date()
    with services.db.session() as session:
        cases = session.scalars(select(Complaint)).all()
        deductions = session.scalars(select(StaffDeduction)).all()
        extensions = session.scalars(select(ComplaintExtension)).all()
    assert len(cases) == counts["complaints"] == 40
    assert {c.state for c in cases} == {s.value for s in State}
    assert min(c.received_on for c in cases) < today - timedelta(days=120)
    assert len({c.received_on.month for c in cases}) >= 5
    by_number = [c.received_on for c in sorted(cases, key=lambda c: c.number)]
    assert by_number == sorted(by_number)  # numbered in the order the days came
    open_states = {
        State.REGISTERED.value,
        State.ACCEPTED.value,
        State.TRANSFERRED.value,
        State.INVESTIGATING.value,
    }
    assert any(c.state in open_states and c.deadline < today for c in cases)  # overdue
    assert {d.kind for d in deductions} == {"complaint_true", "complaint_overdue"}
    assert len({d.month for d in deductions}) >= 2
    assert counts["complaint_credit_drafts"] >= 1
    assert any(c.statutory != "none" and c.state == State.TRANSFERRED.value for c in cases)
    assert any(x.state == "approved" for x in extensions)
    assert any(c.followup_contact_deadline is not None for c in cases)
    assert any(c.followup_done_at is not None for c in cases)
    with_receipt = [c for c in cases if c.receipt_notice]
    assert 0 < len(with_receipt) == counts["complaint_receipts"] < len(cases)
    assert all(c.channel != "hotline12345" for c in with_receipt)


def _check_evaluations(services, report):
    """A year of sessions, most clean; one expert suspended by a confirmed decision (in force today),
    one proposal waiting, one procurement session left in draft past its limit."""
    from desktop_app.domain.evaluations import PoolState
    from desktop_app.store.evaluation_models import EvaluationMark, EvaluationSession, ExpertProposal

    counts = report.counts
    today = services.db.now().astimezone().date()
    with services.db.session() as session:
        sessions = session.scalars(select(EvaluationSession)).all()
        marked = set(session.scalars(select(EvaluationMark.session_id)))
        proposals = session.scalars(select(ExpertProposal)).all()
        ban = session.scalars(
            select(CreditRecord).where(CreditRecord.source_ref.startswith("KP"), CreditRecord.kind == "ban")
        ).one()
    assert len(sessions) == counts["evaluation_sessions"] > 50
    assert (today - min(s.evaluation_date for s in sessions)).days > 300
    assert len(marked) < len(sessions) / 3  # most sessions are clean
    assert len({s.category for s in sessions}) == 5
    (draft,) = [s for s in sessions if s.state == "draft"]
    assert draft.category == "procurement" and draft.due_on < today
    pending = [p for p in proposals if p.state == "pending"]
    assert len(pending) == counts["evaluation_proposals_pending"] == 1
    suspension = next(p for p in proposals if p.action == "suspend")
    assert suspension.state == "confirmed" and suspension.suspend_until > today and suspension.points >= 12
    assert ban.subject_id == suspension.subject_id and ban.status == RecordStatus.CONFIRMED
    pool = services.evaluations.pool_status(suspension.subject_id)
    assert pool.state == PoolState.SUSPENDED and pool.until == suspension.suspend_until


def _check_scoring(services, report):
    """Six full months of sheets for everyone but the center's leaders, totals mostly 85–98, 优秀 within each department's
    quota; the complaints' deductions on the right sheets; one contested and withdrawn; one month
    reopened and corrected; the last month locked but for one submitted and one in draft."""
    from desktop_app.domain.scoring import excellent_quota, previous_months
    from desktop_app.store.complaint_models import StaffDeduction
    from desktop_app.store.scoring_models import ScoringDepartmentMonth, ScoringEntry, ScoringSheet

    counts = report.counts
    today = services.db.now().astimezone().date()
    last = f"{today.replace(day=1) - timedelta(days=1):%Y-%m}"
    months = previous_months(last, 6)
    with services.db.session() as session:
        sheets = session.scalars(select(ScoringSheet)).all()
        entries = session.scalars(select(ScoringEntry)).all()
        department_months = session.scalars(select(ScoringDepartmentMonth)).all()
        deductions = session.scalars(select(StaffDeduction).where(StaffDeduction.month.in_(months))).all()
    current = [s for s in sheets if s.current]
    assert sorted({s.month for s in sheets}) == months
    scored = [p for p in demo_people() if Role.LEADER not in p.roles]  # leaders: not a head's to score
    assert len(current) == len(scored) * len(months) == counts["scoring_sheets"]
    assert len({(s.staff_id, s.month) for s in current}) == len(current)
    totals = [s.total for s in current]
    assert all(0 <= t <= 110 for t in totals)
    assert sum(1 for t in totals if 85 <= t <= 98) > 0.8 * len(totals)
    assert min(totals) < 85 and max(totals) >= 95
    grades = Counter(s.grade for s in current)
    assert grades["优秀"] and grades["良好"] > len(current) / 2
    size = Counter((s.department_id, s.month) for s in current)
    excellent = Counter((s.department_id, s.month) for s in current if s.grade == "优秀")
    assert all(n <= excellent_quota(size[key]) for key, n in excellent.items())
    # Manual lines with evidence where the item asks for it; bonuses now and then.
    by_sheet = {}
    for entry in entries:
        by_sheet.setdefault(entry.sheet_id, []).append(entry)
    current_ids = {s.id for s in current}
    manual = [e for e in entries if e.sheet_id in current_ids and e.auto_source is None]
    assert sum(1 for e in manual if e.item_code in ("D01", "D06", "D07")) >= 10
    assert all(e.evidence for e in manual if e.item_code in ("D01", "D06"))
    assert any(e.item_code == "P02" and e.evidence for e in manual)

    # Every deduction of a scored month is on its person's sheet of that month, linked to its case.
    sheet_of = {(s.staff_id, s.month): s.id for s in current}
    assert deductions
    for deduction in deductions:
        lines = [e for e in by_sheet[sheet_of[deduction.staff_id, deduction.month]] if e.auto_source]
        assert any(e.source_ref == deduction.source_ref and e.points == abs(deduction.points) for e in lines)
    (withdrawn,) = [e for e in entries if e.contest_state == "withdrawn"]
    assert withdrawn.source_type == "complaint" and withdrawn.contest_reason and withdrawn.decided_by
    assert {d.state for d in deductions if d.source_ref == withdrawn.source_ref} == {"withdrawn"}
    assert any(e.auto_source == "staff_record" for e in entries)  # the credit step's integrity records

    # The flow: every month locked but the last one's two departments; one month reopened.
    states = Counter((m.month == last, m.state) for m in department_months)
    assert states == {
        (False, "locked"): 8 * 5,
        (True, "locked"): 6,
        (True, "submitted"): 1,
        (True, "draft"): 1,
    }
    assert counts["scoring_months_locked"] == 8 * 5 + 6
    (reopened,) = [m for m in department_months if m.revision > 1]
    assert reopened.month == months[-2] and reopened.state == "locked" and "更正" in reopened.reopen_reason
    leader = next(a for a in report.accounts if Role.LEADER in a.roles)
    actor = services.auth.login(leader.username, leader.password)
    corrected = next(
        s
        for s in current
        if s.month == reopened.month
        and s.department_id == reopened.department_id
        and s.remark
        and "更正" in s.remark
    )
    before, after = services.scoring.sheet_versions(actor, corrected.staff_id, reopened.month)
    assert (before.revision, after.revision) == (1, 2) and after.current and not before.current
    assert any(e.item_code == "D01" for e in before.entries)
    assert not any(e.item_code == "D01" for e in after.entries)
    assert after.total == min(before.total + 2, 110)
    overview = services.scoring.month_overview(actor, last)
    assert Counter(d.state for d in overview.departments) == {"locked": 6, "submitted": 1, "draft": 1}


def check_audited_and_the_chain_verifies(services, report):
    """Part of test_build_demo_and_its_audit_trail: one build of the demo (the longest step of the suite) serves both."""
    db = services.db
    with db.session() as session:
        actions = Counter(session.scalars(select(AuditEntry.action)))
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "demo.build")).one()
        assert entry.username == "<demo>"
        assert '"seed": 2026' in entry.summary
        assert audit.verify(session, db.keyring).intact
    assert actions["staff.create"] == len(demo_people())
    assert actions["demo.build"] == 1
    assert actions["credit.subject.create"] == 1000 + 300 + len(demo_people())
    # The credit step's records, and those the complaints step drafted from cases found true.
    # ... and those of the evaluations step: a record per mark, the ban of the confirmed suspension.
    assert (
        actions["credit.record.create"]
        == report.counts["credit_records"]
        + report.counts["complaint_credit_drafts"]
        + report.counts["evaluation_marks"]
        + 1
    )
    assert actions["credit.repair.decide"] == 1 and actions["credit.record.revoke"] == 1


def _without_credit(monkeypatch):
    """For tests about the staff and accounts: the credit and scoring steps take seconds and are
    tested above."""
    monkeypatch.setattr(demo, "STEPS", [s for s in demo.STEPS if s.name not in ("credit", "scoring")])


def _credit_snapshot(database):
    """The credit files as the search sees them (search_text included), for comparing two builds."""
    with database.session() as session:
        subjects = session.execute(
            select(
                CreditSubject.id,
                CreditSubject.kind,
                CreditSubject.name,
                CreditSubject.uscc,
                CreditSubject.id_number_masked,
                CreditSubject.expert_no,
                CreditSubject.search_text,
                CreditSubject.created_by,
            ).order_by(CreditSubject.id)
        ).all()
        records = session.execute(
            select(
                CreditRecord.subject_id,
                CreditRecord.kind,
                CreditRecord.severity,
                CreditRecord.status,
                CreditRecord.decision_date,
                CreditRecord.decision_number,
                CreditRecord.facts,
                CreditRecord.ban_start,
                CreditRecord.ban_end,
                CreditRecord.points,
                CreditRecord.dedupe_key,
            ).order_by(CreditRecord.id)
        ).all()
    return [tuple(r) for r in subjects], [tuple(r) for r in records]


def test_personal_data_is_sealed(services, monkeypatch):
    _without_credit(monkeypatch)
    _build(services)
    person = demo_people()[0]
    with services.db.session() as session:
        raw = session.connection().exec_driver_sql("SELECT id_number, phone FROM staff").all()
        assert all(person.id_number.encode() not in bytes(r[0]) for r in raw)
        row = session.scalars(select(Staff).where(Staff.employee_no == person.employee_no)).one()
        assert row.id_number == person.id_number
        assert row.phone == person.phone


def test_build_demo_refuses_a_database_with_accounts(services, admin):
    with pytest.raises(DomainError, match="空数据库"):
        build_demo(services)


def test_steps_have_their_own_random_stream(services, monkeypatch):
    """A module adding a step changes neither the people nor the passwords of the others."""
    seen = {}

    def extra(ctx: DemoContext) -> None:
        rng = ctx.rng("extra")
        seen["numbers"] = [rng.random() for _ in range(3)]
        seen["actor"] = ctx.actor(AUDITOR).username
        ctx.report.counts["extra"] = 1

    _without_credit(monkeypatch)
    monkeypatch.setattr(demo, "STEPS", [*demo.STEPS, DemoStep("extra", extra)])
    report = build_demo(services, seed=2026)
    assert report.steps[-1] == "extra" and report.counts["extra"] == 1
    assert seen["actor"] == AUDITOR
    expected = demo.step_rng(2026, "extra")
    assert seen["numbers"] == [expected.random() for _ in range(3)]
    assert [a.password for a in report.accounts] == [
        demo_passwords(2026, demo_people())[a.username] for a in report.accounts
    ]


def test_the_demo_is_deterministic_and_makes_what_it_made_before(tmp_path, fixed_clock):
    """``integrity-desk --home H demo`` prints and stores, for the default seed, exactly what it did when
    tests/data/demo/ was captured (see demo_golden.py); build_demo called directly, the same day, makes
    the same again, however often it is built."""
    expected = json.loads(DIGEST_FILE.read_text(encoding="utf-8"))
    fixed_clock.current = GOLDEN_NOW.astimezone(UTC)  # the demo's dates count back from today
    code, out, tables = build_in_process(tmp_path / "command")
    assert code == 0, out
    assert out == STDOUT_FILE.read_text(encoding="utf-8")
    assert tables == expected

    fixed_clock.current = GOLDEN_NOW.astimezone(UTC)
    where = paths.set_home(tmp_path / "direct")
    where.ensure()
    snapshots = []
    for home in (tmp_path / "command", where.home):
        database = open_test_database(
            f"sqlite:///{paths.Locations(home).database.as_posix()}", paths.Locations(home)
        )
        try:
            if home == where.home:
                build_demo(Services(database), seed=demo.DEFAULT_SEED)
            snapshots.append(_credit_snapshot(database))
        finally:
            database.dispose()
    assert database_digest(where) == expected
    assert snapshots[0] == snapshots[1] and len(snapshots[0][0]) > 1300
