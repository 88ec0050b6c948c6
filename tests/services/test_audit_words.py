"""The audit page speaks Chinese: every action, object type, summary field and coded value the
services write has its words (services/audit_labels.py), found both by reading the services' source
and by running them (the demo center, then every other kind of write) and reading the entries back."""

from __future__ import annotations

import ast
import csv
import dataclasses
import json
import re
from datetime import datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import desktop_app.services as services_package
from desktop_app import paths
from desktop_app.domain import credit, roles, workdays
from desktop_app.domain.credit import CreditRule, RecordKind, ScoreRule, Severity, SubjectKind
from desktop_app.domain.evaluations import Accumulation, ProposalAction, TradeCategory
from desktop_app.domain.workdays import DayKind
from desktop_app.notices.documents import DOCUMENT_TYPES
from desktop_app.services.audit_labels import (
    FIELD_LABELS,
    OBJECT_FIELD_LABELS,
    OBJECT_LABELS,
    SummaryWords,
    missing_words,
)
from desktop_app.services.audit_log import ACTION_LABELS, AuditFilter, AuditRow
from desktop_app.services.calendar import DayInput
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import AliasInput, RecordInput, SubjectInput
from desktop_app.services.demo import DEFAULT_SEED, build_demo, demo_passwords, demo_people
from desktop_app.services.evaluations.types import (
    ConfirmInput,
    GridInput,
    GridMark,
    ItemInput,
    RuleInput,
    SessionInput,
)
from desktop_app.services.facade import Services
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry
from tests.builders import ban, resident_id, uscc, wrong_check

AUDIT_CALLS = {"audit", "audit_in", "record"}  # self.audit(...), audit_in(...), audit.record(...)
# Actions named with a variable part, listed by every value they take.
VARIABLE_ACTIONS = {
    "credit.import.subjects",
    "credit.import.records",
    "calendar.import.days",
    "evaluation.import.sessions",
    "notice.issue",
    "notice.reprint",
}


def known_codes() -> frozenset[str]:
    """Every coded value the domain has: one of them shown raw is what item 14 forbids."""
    codes: set[str] = set(DOCUMENT_TYPES)
    for module in (credit, roles, workdays):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not roles.Permission:
                codes |= {member.value for member in value}
    return frozenset(codes)


# -- the services' source ---------------------------------------------------------------------------
class _Written(ast.NodeVisitor):
    """Actions, object types and summary keys that audit calls name literally, and the keys of a
    summary built in a variable of the same function (``summary = {...}``, ``summary["k"] = ...``)."""

    def __init__(self) -> None:
        self.actions: set[str] = set()
        self.object_types: set[str] = set()
        self.keys: set[str] = set()
        self._function: ast.AST | None = None

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self._function = self._function, node
        self.generic_visit(node)
        self._function = outer

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in AUDIT_CALLS and len(node.args) >= 3:
            self.actions |= _strings(node.args[2])
            if len(node.args) >= 4:
                self.object_types |= _strings(node.args[3])
            if len(node.args) >= 6:
                self.keys |= self._summary_keys(node.args[5])
        self.generic_visit(node)

    def _summary_keys(self, node: ast.expr) -> set[str]:
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:  # **other
                    keys |= self._summary_keys(value)
            return keys - {"changed"}
        if isinstance(node, ast.Name) and self._function is not None:
            keys: set[str] = set()
            for inner in ast.walk(self._function):
                if isinstance(inner, ast.Assign | ast.AnnAssign):
                    targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                    for target in targets:
                        if isinstance(target, ast.Name) and target.id == node.id and inner.value is not None:
                            keys |= self._summary_keys(inner.value)
                        if (
                            isinstance(target, ast.Subscript)
                            and isinstance(target.value, ast.Name)
                            and target.value.id == node.id
                            and isinstance(target.slice, ast.Constant)
                        ):
                            keys.add(target.slice.value)
            return keys
        return set()


def _strings(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} if node.value else set()
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def test_what_the_services_write_literally_has_words() -> None:
    written = _Written()
    for source in Path(services_package.__file__).parent.rglob("*.py"):
        written.visit(ast.parse(source.read_text(encoding="utf-8")))
    # The scan finds what it should (a scan that finds nothing passes everything).
    assert {"credit.entry_check", "user.create", "settings.update"} <= written.actions
    assert {"credit_subject", "notice", "user"} <= written.object_types
    assert {"verdict", "roles", "kind", "approved", "pdf_sha256"} <= written.keys
    assert (written.actions | VARIABLE_ACTIONS) - set(ACTION_LABELS) == set()
    assert written.object_types - set(OBJECT_LABELS) == set()
    labelled = set(FIELD_LABELS) | {key for _, key in OBJECT_FIELD_LABELS}
    assert written.keys - labelled == set()


# -- the services run ----------------------------------------------------------------------------------
def sign_in(services: Services, role: roles.Role) -> CurrentUser:
    people = demo_people(DEFAULT_SEED)
    passwords = demo_passwords(DEFAULT_SEED, people)
    person = next(p for p in people if p.roles == {role})
    return services.auth.login(person.username, passwords[person.username])


def every_kind_of_write(services: Services, folder: Path) -> None:
    """What the demo does not do: edits, refusals, checks, rules, imports, notices, accounts, backups."""
    admin = sign_in(services, roles.Role.SYSTEM_ADMIN)
    leader = sign_in(services, roles.Role.LEADER)
    supervisor = sign_in(services, roles.Role.SUPERVISOR)
    clerk = sign_in(services, roles.Role.HALL_STAFF)
    auditor = sign_in(services, roles.Role.AUDIT_ADMIN)
    today = services.db.today()
    credit_ops = services.credit

    # Credit files: a subject edited (kind, aliases, contacts), one with a code that fails its check.
    bidder = credit_ops.create_subject(
        leader, SubjectInput(SubjectKind.BIDDER, "天河审计测试建设有限公司", uscc=uscc("91440101MA5CTTTT0"))
    )
    form = credit_ops.subject_input(leader, bidder.id)
    credit_ops.update_subject(
        leader,
        bidder.id,
        SubjectInput(
            SubjectKind.SUPPLIER,
            form.name + "（更名）",
            uscc=form.uscc,
            legal_representative="王五",
            note="变更登记",
            aliases=(AliasInput("审计测试建设"),),
        ),
        bidder.version,
    )
    bad_code = wrong_check(uscc("91440101MA5CWRNG0"))
    credit_ops.create_subject(
        leader,
        SubjectInput(
            SubjectKind.AGENCY,
            "天河代码例外代理有限公司",
            uscc=bad_code,
            identifier_override_reason="营业执照原件核对无误",
        ),
    )
    expert = credit_ops.create_subject(
        leader, SubjectInput(SubjectKind.EXPERT, "审计测评专家", id_number=resident_id("11010519700101123"))
    )
    credit_ops.reveal_personal_data(leader, expert.id, "id_number", "核对身份")
    # Records: proposed by a supervisor, confirmed or declined by a leader, revoked, with attachments.
    pending = credit_ops.add_record(
        supervisor, ban(bidder.id, ban_start=today, ban_end=today + timedelta(days=90))
    )
    credit_ops.confirm_record(leader, pending.id, pending.version)
    declined = credit_ops.add_record(
        supervisor,
        ban(
            bidder.id,
            decision_number="天建罚〔2026〕99号",
            ban_start=today,
            ban_end=today + timedelta(days=30),
        ),
    )
    credit_ops.decline_record(leader, declined.id, "证据不足", declined.version)
    bad = credit_ops.add_record(
        leader, RecordInput(bidder.id, RecordKind.BAD, Severity.MINOR, today, facts="迟到")
    )
    credit_ops.add_attachment(leader, bad.id, "处罚决定书.pdf", b"%PDF-1.4 test")
    revoked = credit_ops.record(bad.id)
    credit_ops.revoke_record(leader, bad.id, "录入错误", revoked.version)
    # Entry checks, found and not found, and what is done with their notices.
    found = credit_ops.entry_check(clerk, "审计测试建设", bidder.id)
    credit_ops.entry_check(clerk, "不存在的某某公司", None)
    number = found.notice.number
    services.notices.verify(clerk, number, found.notice.verify_code)
    services.notices.record_output(clerk, number, "print", "大厅打印机")
    services.notices.record_output(clerk, number, "export", str(folder / f"{number}.pdf"))
    services.notices.reprint(clerk, number)
    # The catalogue and the score rules: a new version, then a correction of it.
    later = today + timedelta(days=400)
    rule = CreditRule(RecordKind.BAD, Severity.GENERAL, later, 6, 12, 5)
    credit_ops.save_rule(admin, rule)
    _, version, _ = next(r for r in credit_ops.rule_rows() if r[2] == rule)
    credit_ops.save_rule(admin, CreditRule(RecordKind.BAD, Severity.GENERAL, later, 6, 18, 6), version)
    score = ScoreRule(later, 100, (("A", 90), ("B", 80), ("C", 70), ("D", 60)), "E")
    credit_ops.save_score_rule(admin, score)
    _, version, _ = next(r for r in credit_ops.score_rule_rows() if r[2].effective_from == later)
    credit_ops.save_score_rule(admin, ScoreRule(later, 95, score.bands, "E"), version)
    # Expert evaluations: the catalogue; a session made, corrected, signed off, reopened, signed off again.
    evaluations = services.evaluations
    item = evaluations.save_item(admin, ItemInput("E18", "测试考评项", 2, 1, 3, False, later))
    evaluations.save_item(
        admin, ItemInput("E18", "测试考评项（改）", 2, 1, 3, True, later, False), item.id, item.version
    )
    threshold = evaluations.save_rule(admin, RuleInput(later, Accumulation.ROLLING_YEAR, 8, 12, True, 6))
    evaluations.save_rule(
        admin, RuleInput(later, Accumulation.CALENDAR_YEAR, 6, 12, True, 6), threshold.id, threshold.version
    )
    start = datetime.combine(today, time(9)).astimezone()
    plan = SessionInput("CG-审计测试", "审计测试采购项目", TradeCategory.PROCUREMENT, "第1评标室", start)
    plan = dataclasses.replace(plan, expert_ids=(expert.id,))
    evaluation = evaluations.create_session(clerk, plan)
    evaluation = evaluations.update_session(
        clerk,
        evaluation.id,
        dataclasses.replace(plan, category=TradeCategory.CONSTRUCTION),
        evaluation.version,
    )
    signed = evaluations.finalise(
        clerk, evaluation.id, GridInput((GridMark(expert.id, "E02", 10, "无故缺席"),)), evaluation.version
    )
    reopened = evaluations.reopen(leader, evaluation.id, "扣分项目选错", signed.session.version)
    evaluations.finalise(clerk, evaluation.id, GridInput((GridMark(expert.id, "E01", 2),)), reopened.version)
    # A leader's decisions on what the thresholds then propose: the suspension confirmed, the notice not.
    second = evaluations.create_session(clerk, dataclasses.replace(plan, project_code="CG-审计测试-2"))
    result = evaluations.finalise(
        clerk, second.id, GridInput((GridMark(expert.id, "E14", 15),)), second.version
    )
    decision = ConfirmInput("审计测试监督局", "审测〔2026〕1号", today)
    assert {p.action for p in result.proposals} == {ProposalAction.NOTIFY, ProposalAction.SUSPEND}
    for proposal in result.proposals:
        if proposal.action == ProposalAction.SUSPEND:
            evaluations.confirm_proposal(leader, proposal.id, decision, proposal.version)
        else:
            evaluations.reject_proposal(leader, proposal.id, "审计测试：不予通报", proposal.version)
    # Imports of both tables.
    subjects_csv = folder / "主体.csv"
    write_csv(
        subjects_csv,
        [["主体类型", "名称", "统一社会信用代码"], ["投标人", "导入测试有限公司", uscc("91440101MA5CMPRT0")]],
    )
    services.credit_import.commit(
        leader, services.credit_import.preview(leader, "subjects", subjects_csv), skip_bad=False
    )
    records_csv = folder / "记录.csv"
    write_csv(
        records_csv,
        [
            ["主体名称或代码", "记录类别", "严重程度", "事实", "决定日期"],
            ["导入测试有限公司", "不良行为", "一般", "迟交资料", today.isoformat()],
        ],
    )
    services.credit_import.commit(
        leader, services.credit_import.preview(leader, "records", records_csv), skip_bad=False
    )
    # The working-day calendar: a day listed, changed, removed; a year imported.
    listed = services.calendar.save_day(admin, DayInput(today + timedelta(days=400), DayKind.OFF, "测试放假"))
    changed = services.calendar.save_day(
        admin, DayInput(listed.day, DayKind.OFF, "测试假日"), listed.id, listed.version
    )
    services.calendar.remove_day(admin, changed.id, changed.version)
    year_csv = folder / "日历.csv"
    write_csv(year_csv, [["日期", "类型", "名称"], [(today + timedelta(days=500)).isoformat(), "休", "测试"]])
    services.calendar_import.commit(
        admin, services.calendar_import.preview(admin, "days", year_csv), skip_bad=False
    )
    # Accounts, people and the center.
    user = next(u for u in services.users.list() if u.username == clerk.username)
    office = services.organisation.departments()[0]
    services.users.update(
        admin,
        user.id,
        display_name=user.display_name + "一",
        roles={roles.Role.HALL_STAFF, roles.Role.SUPERVISOR},
        department_id=office.id,
        staff_id=user.staff_id,
        active=True,
        expected_version=user.version,
    )
    services.users.reset_password(admin, user.id)
    services.users.unlock(admin, user.id)
    staff = services.organisation.staff()[0]
    services.organisation.save_staff(
        admin,
        staff_id=staff.id,
        expected_version=staff.version,
        employee_no=staff.employee_no,
        name=staff.name + "一",
        department_id=office.id,
        post="窗口",
        phone="13812345679",
    )
    services.organisation.reveal_personal_data(supervisor, staff.id, "phone", "核对联系方式")
    department = services.organisation.save_department(admin, "审计测试科")
    services.organisation.save_department(
        admin, "审计测试二科", department_id=department.id, expected_version=department.version
    )
    policy = {
        "password_min_length": 10,
        "max_failed_logins": 4,
        "lockout_minutes": 20,
        "idle_lock_minutes": 9,
    }
    services.center.update(admin, policy, services.center.get().versions)
    # Sign-ins refused and locked, the screen lock, a backup and the chain's check.
    for _ in range(4):
        with pytest.raises(Exception):  # noqa: B017 - refusals are audited
            services.auth.login(leader.username, "Wrong#pass1")
    with pytest.raises(Exception):  # noqa: B017
        services.auth.login(leader.username, "Wrong#pass1")
    with pytest.raises(Exception):  # noqa: B017
        services.auth.login("nobody", "Wrong#pass1")
    services.auth.record_screen_lock(supervisor)
    services.auth.logout(supervisor)
    services.maintenance.backup(admin, None, paths.locations().backups)
    services.audit_log.verify(auditor)


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def entries(database: Database) -> list[AuditEntry]:
    with database.session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_every_entry_the_services_write_is_in_words(sqlite_database: Database, tmp_path: Path) -> None:
    """One run of the services (the demo, then every other kind of write) read back three ways: the
    entries' words, the audit page's rows, and the person filter. (One backend: the words do not
    depend on it.)"""
    services = Services(sqlite_database)
    build_demo(services)
    every_kind_of_write(services, tmp_path)
    rows = entries(sqlite_database)
    actions = {e.action for e in rows}
    # The run wrote what it meant to (a run that writes little proves little).
    assert len(actions) >= 40, sorted(actions)
    codes = known_codes()
    missing = sorted(
        {word for e in rows for word in missing_words(e.action, e.object_type, json.loads(e.summary), codes)}
    )
    assert missing == []
    page_rows_show_no_raw_key_or_code(services, rows)
    the_person_filter_takes_a_name_or_a_login(services)


def page_rows_show_no_raw_key_or_code(services: Services, rows: list[AuditEntry]) -> None:
    auditor = sign_in(services, roles.Role.AUDIT_ADMIN)
    shown: list[AuditRow] = services.audit_log.page(auditor, AuditFilter(), 0, 100_000)
    assert len(shown) > len(rows)  # and the auditor's own sign-in
    codes = known_codes()
    raw = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # credit_record, pdf_sha256, expert_deduction ...
    for row in shown:
        where = (row.seq, row.action)
        assert row.action_label != row.action, where
        assert not raw.search(row.object_text), (where, row.object_text)
        for key in row.summary:
            assert f"{key}：" not in row.summary_text, (where, row.summary_text)
        for line in row.summary_lines:
            label, _, value = line.partition("：")
            assert not raw.fullmatch(label) and value not in codes, (where, line)
        assert row.person and not row.person.startswith("<"), where
    # People by name; the login stays beside it for the admin.
    people = {r.username: r.person for r in shown}
    assert people[auditor.username] == auditor.display_name
    assert people["<demo>"] == "系统（演示数据）"


def test_summaries_read_as_words() -> None:
    def line(action: str, object_type: str, summary: dict[str, Any], namer: Any = None) -> str:
        return SummaryWords(action, object_type, namer).line(summary)

    assert line("login", "user", {}) == ""
    assert line("login", "user", {"roles": ["audit-admin"]}) == "角色：审计管理员"
    # In a sensible order whatever the stored one (the trail sorts its keys by name).
    assert line("credit.entry_check", "credit_subject", {"verdict": "clear", "query": "华建"}) == (
        "查询内容：华建；查询结果：可入场"
    )
    assert line("credit.subject.create", "credit_subject", {"kind": "bidder"}) == "主体类型：投标人"
    assert line("credit.record.create", "credit_record", {"kind": "ban", "severity": "general"}) == (
        "记录类型：禁止入场；严重程度：一般"
    )
    assert line("credit.import.records", "credit_import", {"kind": "records"}) == "导入内容：信用记录"
    assert line("credit.repair.decide", "credit_repair", {"approved": True}) == "决定：准予修复"
    assert line("user.update", "user", {"display_name": ["甲", "乙"], "active": [True, False]}) == (
        "姓名：甲 → 乙；状态：启用 → 停用"
    )
    assert line("user.update", "user", {"roles": [["hall-staff"], ["hall-staff", "leader"]]}) == (
        "角色：大厅工作人员 → 大厅工作人员、中心领导"
    )
    assert (
        line("user.create", "user", {"roles": ["hall-staff", "supervisor"]})
        == "角色：大厅工作人员、科室负责人"
    )
    assert line("settings.update", "center_settings", {"changed": {"query_phone": ["", "022-1"]}}) == (
        "查询电话：（空） → 022-1"
    )
    assert line("notice.issue", "notice", {"doc_type": "credit_check"}) == "文书类型：信用查询结果告知单"
    assert line(
        "staff.create", "staff", {"department_id": 8}, lambda k, v: "建设工程科" if v == 8 else None
    ) == ("科室：建设工程科")
    fingerprint = "0123456789abcdef" * 4
    words = SummaryWords("notice.issue", "notice")
    assert words.line({"pdf_sha256": fingerprint}) == "文件指纹：0123456789ab…"
    assert words.lines({"pdf_sha256": fingerprint}) == [f"文件指纹：{fingerprint}"]


def test_missing_words_are_reported() -> None:
    codes = known_codes()
    assert missing_words("credit.entry_check", "credit_subject", {"verdict": "clear"}, codes) == []
    assert missing_words("made.up", "made_up", {"new_key": 1, "verdict": "unheard"}, codes) == [
        "action made.up",
        "object type made_up",
        "field new_key (made.up)",
        "value verdict=unheard (made.up)",
    ]
    # A coded value under a field that names no codes: it would show raw.
    assert missing_words("login", "user", {"reason": "banned"}, codes) == [
        "coded value reason=banned without labels (login)"
    ]


def the_person_filter_takes_a_name_or_a_login(services: Services) -> None:
    auditor = sign_in(services, roles.Role.AUDIT_ADMIN)
    login = next(p.username for p in demo_people(DEFAULT_SEED) if p.roles == {roles.Role.HALL_STAFF})
    clerk = next(u for u in services.users.list() if u.username == login)  # the one that checked
    by_login = services.audit_log.count(auditor, AuditFilter(username=clerk.username))
    by_name = services.audit_log.count(auditor, AuditFilter(username=clerk.display_name))
    assert by_login == by_name > 0
    assert services.audit_log.count(auditor, AuditFilter(username="无此人")) == 0
