"""Credit files: subjects, records, repairs, the catalogue, the lookup and the entry-desk check.

Lookup is the hot path (results as the clerk types, over a million subjects): it runs a handful of
index-range queries through SQLAlchemy Core and builds no ORM objects. Everything else is ordinary
one-transaction-per-call service code with an audit entry per change.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import (
    BARRING_KINDS,
    EXPERT_POOL_LABELS,
    ORGANISATION_KINDS,
    PERSON_KINDS,
    RECORD_KIND_LABELS,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    SUBJECT_KIND_LABELS,
    VERDICT_LABELS,
    Assessment,
    CreditRule,
    Defaults,
    ExpertPoolStatus,
    RecordFacts,
    RecordKind,
    RecordSource,
    RecordStatus,
    ScoreRule,
    Severity,
    SubjectKind,
    Verdict,
    assess,
    check_decision_date,
    default_periods,
    in_force,
    rule_in_force,
    score_rule_in_force,
    state_on,
    validate_periods,
)
from desktop_app.domain.errors import Conflict, ValidationError
from desktop_app.domain.identifiers import (
    USCC_ALPHABET,
    id_check_char,
    is_valid_uscc,
    mask_id_number,
    normalize_phone,
    normalize_resident_id,
)
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service, changes
from desktop_app.services.context import CurrentUser
from desktop_app.store.credit_models import (
    CreditRecord,
    CreditRepair,
    CreditRuleRow,
    CreditSubject,
    EntryCheck,
    RecordAttachment,
    ScoreRuleRow,
    SearchGram,
    SearchInitials,
    SubjectAlias,
    SubjectContact,
)

SEARCH_LIMIT = 50
QUERY_LIMIT = 200
CERTIFICATE_RECORDS = 12
VERDICT_TONES = {
    Verdict.CLEAR: "ok",
    Verdict.RECORDS: "warning",
    Verdict.BANNED: "danger",
    Verdict.NOT_FOUND: "",
}
# A long query is checked against names found through its rarest bigram; counting how common each
# bigram is stops at this many rows, so the probe costs the same however common a bigram is.
PROBE_CAP = 2000
# When every bigram of the query reaches PROBE_CAP (建设工, 工程监: words in thousands of names), they
# are counted again up to this many rows: picking 工程 (~29 % of a million companies) instead of 程监
# (~1 %) makes the check walk a hundred times more rows (0.4 s instead of 5 ms at 1M subjects),
# and a count this far costs ~2 ms per bigram.
PROBE_CAP_WIDE = 50_000
ATTACHMENT_LIMIT = 20 * 1024 * 1024
_ID_QUERY = re.compile(r"[0-9]{17}[0-9X]")


# -- plain data returned to the GUI and the CLI --------------------------------------------------
@dataclass(frozen=True)
class AliasInput:
    name: str
    kind: str = "former"  # former / short


@dataclass(frozen=True)
class ContactInput:
    name: str
    role: str = ""
    phone: str = ""


@dataclass(frozen=True)
class SubjectInput:
    kind: SubjectKind
    name: str
    uscc: str = ""
    id_number: str = ""
    phone: str = ""
    legal_representative: str = ""
    expert_no: str = ""
    specialty: str = ""
    pool_status: ExpertPoolStatus | None = None
    staff_id: int | None = None
    note: str = ""
    aliases: tuple[AliasInput, ...] = ()
    contacts: tuple[ContactInput, ...] = ()
    # Given when the USCC or ID fails its check character but is known to be real.
    identifier_override_reason: str = ""


@dataclass(frozen=True)
class ContactInfo:
    id: int
    name: str
    role: str
    phone_masked: str


@dataclass(frozen=True)
class SubjectInfo:
    id: int
    kind: SubjectKind
    name: str
    uscc: str
    id_number_masked: str
    phone_masked: str
    legal_representative: str
    expert_no: str
    specialty: str
    pool_status: ExpertPoolStatus | None
    staff_id: int | None
    note: str
    aliases: tuple[AliasInput, ...]
    contacts: tuple[ContactInfo, ...]
    identifier_override_reason: str
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def kind_label(self) -> str:
        return SUBJECT_KIND_LABELS[self.kind]

    @property
    def identifier(self) -> str:
        """What identifies the subject on screen: the USCC (public) or the masked ID number."""
        return self.uscc or self.id_number_masked

    @property
    def pool_status_label(self) -> str:
        return EXPERT_POOL_LABELS[self.pool_status] if self.pool_status else ""


@dataclass(frozen=True)
class RecordInput:
    subject_id: int
    kind: RecordKind
    severity: Severity
    decision_date: date
    facts: str = ""
    legal_basis: str = ""
    authority: str = ""
    decision_number: str = ""
    publicity_min_end: date | None = None
    publicity_end: date | None = None
    ban_start: date | None = None
    ban_end: date | None = None
    points: int | None = None  # None: the catalogue's default
    source: RecordSource = RecordSource.MANUAL
    source_ref: str = ""


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class RepairInfo:
    id: int
    record_id: int
    requested_on: date
    applicant: str
    materials: str
    status: str
    decided_on: date | None
    decided_by: str
    decision_number: str
    decision_note: str
    version: int

    @property
    def status_label(self) -> str:
        return {"requested": "待决定", "approved": "准予修复", "rejected": "不予修复"}[self.status]


@dataclass(frozen=True)
class RecordInfo:
    id: int
    subject_id: int
    kind: RecordKind
    severity: Severity
    status: RecordStatus
    facts: str
    legal_basis: str
    authority: str
    decision_number: str
    decision_date: date
    publicity_min_end: date | None
    publicity_end: date | None
    ban_start: date | None
    ban_end: date | None
    points: int
    source: RecordSource
    source_ref: str
    created_at: datetime
    created_by: str
    confirmed_at: datetime | None
    confirmed_by: str
    repaired_on: date | None
    closed_at: datetime | None
    closed_by: str
    closed_reason: str
    version: int
    in_force: bool
    state: str  # 生效中 / 已到期 / 未开始 / 待领导确认 / 已撤销 ...
    repairs: tuple[RepairInfo, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()

    @property
    def kind_label(self) -> str:
        return RECORD_KIND_LABELS[self.kind]

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]

    @property
    def period_text(self) -> str:
        if self.kind == RecordKind.BAN and self.ban_start:
            end = self.ban_end.isoformat() if self.ban_end else "—"
            return f"禁入 {self.ban_start.isoformat()} 至 {end}"
        end = self.publicity_end.isoformat() if self.publicity_end else "—"
        return f"{self.decision_date.isoformat()} 至 {end}"


@dataclass(frozen=True)
class SubjectHit:
    subject_id: int
    kind: SubjectKind
    name: str
    identifier: str  # USCC in full (public), ID masked
    matched_alias: str  # the former/short name that matched, when the name itself did not
    how: str  # id / uscc / name / alias / initials / uscc_prefix
    verdict: Verdict
    reason: str
    score: int
    grade: str
    matched_alias_kind: str = ""  # former / short

    @property
    def kind_label(self) -> str:
        return SUBJECT_KIND_LABELS[self.kind]

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass(frozen=True)
class SearchResult:
    query: str
    on: date
    hits: tuple[SubjectHit, ...]
    hint: str = ""  # why nothing useful can be found for this query

    @property
    def verdict(self) -> Verdict:
        """The entry verdict when the query names one subject; 未找到 when it names none."""
        return self.hits[0].verdict if self.hits else Verdict.NOT_FOUND


@dataclass(frozen=True)
class EntryCheckInfo:
    id: int
    checked_at: datetime
    checked_on: date
    operator: str
    operator_name: str
    workstation: str
    query: str
    subject_id: int | None
    subject_name: str
    verdict: Verdict
    reason: str
    match_count: int
    data_as_of: datetime | None
    notice_number: str | None

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass(frozen=True)
class SubjectFile:
    """Everything the detail pane shows."""

    subject: SubjectInfo
    on: date
    assessment: Assessment
    records: tuple[RecordInfo, ...]  # in force first, then the rest, newest first
    checks: tuple[EntryCheckInfo, ...]
    barring_records: tuple[RecordInfo, ...] = field(default=())

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.assessment.verdict]


@dataclass(frozen=True)
class EntryCheckResult:
    check: EntryCheckInfo
    notice: Any  # IssuedDocument (the 信用查询结果告知单), or None when not printed


# -- helpers -------------------------------------------------------------------------------------
def _clean(value: str | None, field_name: str, label: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"请填写{label}。", field=field_name)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字。", field=field_name)
    return text


def normalize_uscc_text(text: str) -> str:
    return st.fold(text).upper()


def check_uscc(text: str, override_reason: str) -> str:
    code = normalize_uscc_text(text)
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(
            "统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、S、V、Z）。", field="uscc"
        )
    if not is_valid_uscc(code) and not override_reason.strip():
        raise ValidationError(
            "统一社会信用代码校验位不正确。如确认该代码真实有效，请填写“校验例外说明”后保存。", field="uscc"
        )
    return code


def check_id_number(text: str, override_reason: str) -> str:
    try:
        return normalize_resident_id(text)
    except ValidationError as error:
        code = st.fold(text).upper()
        fixable = _ID_QUERY.fullmatch(code) and id_check_char(code[:17]) != code[17]
        if fixable and override_reason.strip():
            return code
        if fixable:
            raise ValidationError(
                "身份证号校验位不正确。如确认该号码真实有效，请填写“校验例外说明”后保存。", field="id_number"
            ) from None
        raise error


GRADE_NAME_LIMIT = 10
GRADE_LIMIT = 10


def _checked_score_rule(rule: ScoreRule) -> ScoreRule:
    """The rule with grade names trimmed, or ValidationError at the field that is wrong."""
    if not isinstance(rule.effective_from, date) or not 2000 <= rule.effective_from.year <= 2099:
        raise ValidationError("请填写生效日期（2000 年至 2099 年之间）。", field="effective_from")
    if not 0 <= rule.base <= 100:
        raise ValidationError("基础分应在 0 到 100 之间。", field="base")
    bands = tuple((grade.strip(), lowest) for grade, lowest in rule.bands)
    worst = rule.worst_grade.strip()
    if not bands:
        raise ValidationError("请至少设置一个等级及其最低分。", field="bands")
    if len(bands) > GRADE_LIMIT:
        raise ValidationError(f"等级不能超过 {GRADE_LIMIT} 个。", field="bands")
    names: set[str] = set()
    previous: int | None = None
    for grade, lowest in bands:
        if not grade:
            raise ValidationError("请填写每个等级的名称。", field="bands")
        if len(grade) > GRADE_NAME_LIMIT:
            raise ValidationError(f"等级名称“{grade}”不能超过 {GRADE_NAME_LIMIT} 个字。", field="bands")
        if any(c in grade for c in ",:，："):
            raise ValidationError(f"等级名称“{grade}”不能含逗号或冒号。", field="bands")
        if grade in names:
            raise ValidationError(f"等级名称“{grade}”重复。", field="bands")
        names.add(grade)
        if not 0 <= lowest <= 100:
            raise ValidationError(f"等级“{grade}”的最低分应在 0 到 100 之间。", field="bands")
        if previous is not None and lowest >= previous:
            raise ValidationError(
                f"各等级的最低分应从高到低依次递减：等级“{grade}”的最低分 {lowest} 不低于上一等级的 {previous}。",
                field="bands",
            )
        previous = lowest
    if not worst:
        raise ValidationError("请填写最低等级的名称（低于各等级最低分时的等级）。", field="worst_grade")
    if len(worst) > GRADE_NAME_LIMIT:
        raise ValidationError(f"最低等级名称不能超过 {GRADE_NAME_LIMIT} 个字。", field="worst_grade")
    if worst in names:
        raise ValidationError(f"最低等级“{worst}”不能与上面的等级重名。", field="worst_grade")
    return replace(rule, bands=bands, worst_grade=worst)


def _record_facts(row: Any) -> RecordFacts:
    return RecordFacts(
        id=row.id,
        kind=RecordKind(row.kind),
        status=RecordStatus(row.status),
        decision_date=row.decision_date,
        publicity_end=row.publicity_end,
        ban_start=row.ban_start,
        ban_end=row.ban_end,
        points=row.points,
        repaired_on=row.repaired_on,
        decision_number=row.decision_number,
    )


def _dedupe_key(subject_id: int, data: RecordInput) -> str:
    parts = [
        str(subject_id),
        data.kind.value,
        st.fold(data.decision_number),
        data.decision_date.isoformat(),
        st.fold(data.facts),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _only(keys: st.SearchKeys, other: st.SearchKeys) -> st.SearchKeys:
    """The keys of ``keys`` that ``other`` lacks."""
    return st.SearchKeys(keys.grams - other.grams, keys.initials - other.initials, keys.search_text)


def _next_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (ASCII only)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _today(db: Any) -> date:
    now: datetime = db.now()
    return now.astimezone().date()


class CreditService(Service):
    # -- catalogue ------------------------------------------------------------------------------
    def rules(self) -> list[CreditRule]:
        with self.db.session() as session:
            return [self._rule(r) for r in session.scalars(select(CreditRuleRow))]

    def rule_rows(self) -> list[tuple[int, int, CreditRule]]:
        """(id, version, rule) of every catalogue version, for the catalogue editor."""
        with self.db.session() as session:
            rows = session.scalars(
                select(CreditRuleRow).order_by(
                    CreditRuleRow.kind, CreditRuleRow.severity, CreditRuleRow.effective_from
                )
            )
            return [(r.id, r.version, self._rule(r)) for r in rows]

    @staticmethod
    def _rule(row: CreditRuleRow) -> CreditRule:
        return CreditRule(
            RecordKind(row.kind),
            Severity(row.severity),
            row.effective_from,
            row.publicity_min_months,
            row.publicity_max_months,
            row.points,
            row.ban_months,
        )

    def score_rules(self) -> list[ScoreRule]:
        with self.db.session() as session:
            return self._score_rules(session)

    @classmethod
    def _score_rules(cls, session: Session) -> list[ScoreRule]:
        return [cls._score_rule(row) for row in session.scalars(select(ScoreRuleRow))]

    @staticmethod
    def _score_rule(row: ScoreRuleRow) -> ScoreRule:
        bands = []
        for part in row.bands.split(","):
            grade, _, lowest = part.partition(":")
            bands.append((grade.strip(), int(lowest)))
        bands.sort(key=lambda band: -band[1])
        return ScoreRule(row.effective_from, row.base, tuple(bands), row.worst_grade)

    def save_rule(self, actor: CurrentUser, rule: CreditRule, expected_version: int | None = None) -> None:
        """Add a catalogue version from a date on, or correct the version of that date."""
        actor.require(Permission.ADMIN_SETTINGS)
        if rule.publicity_min_months < 0 or rule.publicity_max_months < rule.publicity_min_months:
            raise ValidationError("公示最长期限不能短于最短期限。", field="publicity_max_months")
        if rule.publicity_max_months > 120 or rule.ban_months < 0 or rule.ban_months > 120:
            raise ValidationError("期限不能超过 120 个月。", field="publicity_max_months")
        if not 0 <= rule.points <= 100:
            raise ValidationError("分值应在 0 到 100 之间。", field="points")
        values = {
            "publicity_min_months": rule.publicity_min_months,
            "publicity_max_months": rule.publicity_max_months,
            "points": rule.points,
            "ban_months": rule.ban_months,
        }
        with self.write() as session:
            row = session.scalar(
                select(CreditRuleRow).where(
                    CreditRuleRow.kind == rule.kind.value,
                    CreditRuleRow.severity == rule.severity.value,
                    CreditRuleRow.effective_from == rule.effective_from,
                )
            )
            if row is None:
                row = CreditRuleRow(
                    kind=rule.kind.value,
                    severity=rule.severity.value,
                    effective_from=rule.effective_from,
                    updated_by=actor.username,
                    **values,
                )
                session.add(row)
                summary: dict[str, Any] = {"new_version": rule.effective_from.isoformat(), **values}
            else:
                self.check_version(row, expected_version)
                summary = changes(row, values)
                row.updated_by = actor.username
                row.updated_at = self.db.now()
            session.flush()
            self.audit(
                session,
                actor,
                "credit.rule.save",
                "credit_rule",
                row.id,
                {"kind": rule.kind.value, "severity": rule.severity.value, **summary},
            )

    def score_rule_rows(self) -> list[tuple[int, int, ScoreRule]]:
        """(id, version, rule) of every score-rule version by effective date, for the catalogue editor."""
        with self.db.session() as session:
            rows = session.scalars(select(ScoreRuleRow).order_by(ScoreRuleRow.effective_from))
            return [(r.id, r.version, self._score_rule(r)) for r in rows]

    def save_score_rule(
        self, actor: CurrentUser, rule: ScoreRule, expected_version: int | None = None
    ) -> None:
        """Add a score-rule version from a date on, or correct the version of that date."""
        actor.require(Permission.ADMIN_SETTINGS)
        rule = _checked_score_rule(rule)
        values = {
            "base": rule.base,
            "bands": ",".join(f"{grade}:{lowest}" for grade, lowest in rule.bands),
            "worst_grade": rule.worst_grade,
        }
        with self.write() as session:
            row = session.scalar(
                select(ScoreRuleRow).where(ScoreRuleRow.effective_from == rule.effective_from)
            )
            if row is None:
                if expected_version is not None:
                    raise ValidationError(
                        f"{rule.effective_from.isoformat()} 起没有评分规则版本可更正，请新增版本。",
                        field="effective_from",
                    )
                row = ScoreRuleRow(effective_from=rule.effective_from, updated_by=actor.username, **values)
                session.add(row)
                summary: dict[str, Any] = {"new_version": rule.effective_from.isoformat(), **values}
            else:
                self.check_version(row, expected_version)
                summary = {"effective_from": rule.effective_from.isoformat(), **changes(row, values)}
                row.updated_by = actor.username
                row.updated_at = self.db.now()
            session.flush()
            self.audit(session, actor, "credit.score_rule.save", "credit_score_rule", row.id, summary)

    def defaults_for(self, kind: RecordKind, severity: Severity, decision_date: date) -> Defaults:
        return default_periods(rule_in_force(self.rules(), kind, severity, decision_date), decision_date)

    # -- subjects -------------------------------------------------------------------------------
    def _validated(self, data: SubjectInput) -> dict[str, Any]:
        reason = _clean(data.identifier_override_reason, "identifier_override_reason", "校验例外说明", 500)
        values: dict[str, Any] = {
            "kind": SubjectKind(data.kind).value,
            "name": _clean(data.name, "name", "名称", 200, required=True),
            "legal_representative": _clean(
                data.legal_representative, "legal_representative", "法定代表人", 50
            ),
            "specialty": _clean(data.specialty, "specialty", "专业", 100),
            "note": _clean(data.note, "note", "备注", 2000),
            "staff_id": data.staff_id,
            "identifier_override_reason": reason,
        }
        uscc = _clean(data.uscc, "uscc", "统一社会信用代码", 40)
        id_text = _clean(data.id_number, "id_number", "身份证号", 40)
        values["uscc"] = check_uscc(uscc, reason) if uscc else None
        values["id_number"] = check_id_number(id_text, reason) if id_text else None
        kind = SubjectKind(data.kind)
        if kind in ORGANISATION_KINDS and not values["uscc"]:
            raise ValidationError("单位须填写统一社会信用代码。", field="uscc")
        if kind in PERSON_KINDS and not values["id_number"]:
            raise ValidationError("个人须填写身份证号。", field="id_number")
        if not values["uscc"] and not values["id_number"]:
            raise ValidationError("请填写统一社会信用代码或身份证号。", field="uscc")
        if reason and (values["uscc"] is None or is_valid_uscc(values["uscc"])):
            id_number = values["id_number"]
            if id_number is None or id_check_char(id_number[:17]) == id_number[17]:
                values["identifier_override_reason"] = ""  # nothing to excuse: do not keep a stray reason
        phone = _clean(data.phone, "phone", "联系电话", 40)
        values["phone"] = normalize_phone(phone) if phone else None
        if kind == SubjectKind.EXPERT:
            values["expert_no"] = _clean(data.expert_no, "expert_no", "专家编号", 30) or None
            values["pool_status"] = ExpertPoolStatus(data.pool_status or ExpertPoolStatus.ACTIVE).value
        else:
            values["expert_no"] = None
            values["pool_status"] = None
        aliases: list[AliasInput] = []
        seen = {st.fold(values["name"])}
        for alias in data.aliases:
            text = _clean(alias.name, "aliases", "曾用名", 200)
            if text and st.fold(text) not in seen:
                seen.add(st.fold(text))
                aliases.append(
                    AliasInput(text, alias.kind if alias.kind in ("former", "short") else "former")
                )
        values["aliases"] = aliases
        contacts = []
        for contact in data.contacts:
            name = _clean(contact.name, "contacts", "联系人", 50)
            if not name:
                continue
            phone_text = contact.phone.strip()
            contacts.append(
                ContactInput(
                    name,
                    _clean(contact.role, "contacts", "联系人职务", 50),
                    normalize_phone(phone_text, "contacts"),
                )
                if phone_text
                else ContactInput(name, _clean(contact.role, "contacts", "联系人职务", 50), "")
            )
        values["contacts"] = contacts
        return values

    def create_subject(self, actor: CurrentUser, data: SubjectInput) -> SubjectInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        values = self._validated(data)
        with self.write("该统一社会信用代码、身份证号或专家编号已登记在另一个主体下。", "uscc") as session:
            subject = self._create_subject_in(session, actor, values)
            return self._subject_info(session, subject)

    def _find_existing(
        self, session: Session, uscc: str | None, id_number: str | None
    ) -> CreditSubject | None:
        if uscc:
            found = session.scalar(select(CreditSubject).where(CreditSubject.uscc == uscc))
            if found is not None:
                return found
        if id_number:
            lookup = self.db.keyring.lookup_hash("id_number", id_number)
            return session.scalar(select(CreditSubject).where(CreditSubject.id_number_lookup == lookup))
        return None

    def _create_subject_in(
        self, session: Session, actor: CurrentUser, values: dict[str, Any]
    ) -> CreditSubject:
        existing = self._find_existing(session, values["uscc"], values["id_number"])
        if existing is not None:
            field_name = "uscc" if values["uscc"] and existing.uscc == values["uscc"] else "id_number"
            raise Conflict(f"该代码已登记为“{existing.name}”，请在其信用档案中修改。", field=field_name)
        aliases: list[AliasInput] = values.pop("aliases")
        contacts: list[ContactInput] = values.pop("contacts")
        subject = CreditSubject(**values, created_by=actor.username, updated_by=actor.username)
        keys = self._keys(values["kind"], values["name"], [a.name for a in aliases], values["id_number"])
        subject.search_text = keys.search_text
        session.add(subject)
        session.flush()
        for alias in aliases:
            session.add(SubjectAlias(subject_id=subject.id, name=alias.name, kind=alias.kind))
        for contact in contacts:
            session.add(
                SubjectContact(
                    subject_id=subject.id, name=contact.name, role=contact.role, phone=contact.phone or None
                )
            )
        self._write_keys(session, subject.id, keys)
        session.flush()
        summary = {
            "kind": values["kind"],
            "name": values["name"],
            "uscc": values["uscc"] or "",
            "id_number": "（已登记）" if values["id_number"] else "",
            "aliases": [a.name for a in aliases],
        }
        if values["identifier_override_reason"]:
            summary["identifier_override_reason"] = values["identifier_override_reason"]
            self.audit(
                session,
                actor,
                "credit.identifier_override",
                "credit_subject",
                subject.id,
                {"reason": values["identifier_override_reason"], "uscc": values["uscc"] or ""},
            )
        self.audit(session, actor, "credit.subject.create", "credit_subject", subject.id, summary)
        return subject

    @staticmethod
    def _is_person(kind: str, id_number: str | None) -> bool:
        return SubjectKind(kind) in PERSON_KINDS or (kind == SubjectKind.BUYER.value and bool(id_number))

    def _keys(self, kind: str, name: str, aliases: Sequence[str], id_number: str | None) -> st.SearchKeys:
        return st.subject_search_keys(name, aliases, person=self._is_person(kind, id_number))

    @staticmethod
    def _write_keys(session: Session, subject_id: int, keys: st.SearchKeys) -> None:
        if keys.grams:
            session.execute(
                insert(SearchGram),
                [{"gram": g, "rank": r, "subject_id": subject_id} for g, r in keys.grams],
            )
        if keys.initials:
            session.execute(
                insert(SearchInitials),
                [{"initials": i, "rank": r, "subject_id": subject_id} for i, r in keys.initials],
            )

    @staticmethod
    def _delete_keys(session: Session, subject_id: int, keys: st.SearchKeys) -> None:
        # By whole primary key: the old keys are recomputed from the old names, so no index on
        # subject_id is needed (it would double the size of the largest table).
        for gram, rank in keys.grams:
            session.execute(
                delete(SearchGram).where(
                    SearchGram.gram == gram, SearchGram.rank == rank, SearchGram.subject_id == subject_id
                )
            )
        for initials, rank in keys.initials:
            session.execute(
                delete(SearchInitials).where(
                    SearchInitials.initials == initials,
                    SearchInitials.rank == rank,
                    SearchInitials.subject_id == subject_id,
                )
            )

    def update_subject(
        self, actor: CurrentUser, subject_id: int, data: SubjectInput, expected_version: int | None
    ) -> SubjectInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        with self.write("该统一社会信用代码、身份证号或专家编号已登记在另一个主体下。", "uscc") as session:
            subject = self.get_or_404(session, CreditSubject, subject_id, "该主体")
            self.check_version(subject, expected_version)
            # An edit form shows personal data masked and leaves it empty: empty means "keep".
            if not data.id_number.strip() and subject.id_number:
                data = replace(data, id_number=subject.id_number)
            if not data.phone.strip() and subject.phone:
                data = replace(data, phone=subject.phone)
            values = self._validated(data)
            old_aliases = self._alias_rows(session, subject.id)
            old_keys = self._keys(
                subject.kind, subject.name, [a.name for a in old_aliases], subject.id_number
            )
            aliases: list[AliasInput] = values.pop("aliases")
            contacts: list[ContactInput] = values.pop("contacts")
            new_keys = self._keys(
                values["kind"], values["name"], [a.name for a in aliases], values["id_number"]
            )
            summary = changes(subject, values, personal=frozenset({"id_number", "phone"}))
            if [(a.name, a.kind) for a in old_aliases] != [(a.name, a.kind) for a in aliases]:
                for row in old_aliases:
                    session.delete(row)
                session.flush()
                for alias in aliases:
                    session.add(SubjectAlias(subject_id=subject.id, name=alias.name, kind=alias.kind))
                summary["aliases"] = [[a.name for a in old_aliases], [a.name for a in aliases]]
            old_contacts = list(
                session.scalars(select(SubjectContact).where(SubjectContact.subject_id == subject.id))
            )
            # A contact left without a phone in the form keeps the phone it has (shown masked).
            kept_phones = {(c.name, c.role): c.phone or "" for c in old_contacts}
            contacts = [
                c if c.phone else replace(c, phone=kept_phones.get((c.name, c.role), "")) for c in contacts
            ]
            if [(c.name, c.role, c.phone or "") for c in old_contacts] != [
                (c.name, c.role, c.phone) for c in contacts
            ]:
                for contact_row in old_contacts:
                    session.delete(contact_row)
                for contact in contacts:
                    session.add(
                        SubjectContact(
                            subject_id=subject.id,
                            name=contact.name,
                            role=contact.role,
                            phone=contact.phone or None,
                        )
                    )
                summary["contacts"] = "（已修改）"
            if old_keys != new_keys:
                self._delete_keys(session, subject.id, _only(old_keys, new_keys))
                self._write_keys(session, subject.id, _only(new_keys, old_keys))
                subject.search_text = new_keys.search_text
            if not summary:
                return self._subject_info(session, subject)
            subject.updated_by = actor.username
            subject.updated_at = self.db.now()
            session.flush()
            if "identifier_override_reason" in summary and values["identifier_override_reason"]:
                self.audit(
                    session,
                    actor,
                    "credit.identifier_override",
                    "credit_subject",
                    subject.id,
                    {"reason": values["identifier_override_reason"], "uscc": values["uscc"] or ""},
                )
            self.audit(session, actor, "credit.subject.update", "credit_subject", subject.id, summary)
            return self._subject_info(session, subject)

    @staticmethod
    def _alias_rows(session: Session, subject_id: int) -> list[SubjectAlias]:
        return list(
            session.scalars(
                select(SubjectAlias).where(SubjectAlias.subject_id == subject_id).order_by(SubjectAlias.id)
            )
        )

    def _subject_info(self, session: Session, subject: CreditSubject) -> SubjectInfo:
        aliases = tuple(AliasInput(a.name, a.kind) for a in self._alias_rows(session, subject.id))
        contacts = tuple(
            ContactInfo(c.id, c.name, c.role, c.phone_masked or "")
            for c in session.scalars(
                select(SubjectContact)
                .where(SubjectContact.subject_id == subject.id)
                .order_by(SubjectContact.id)
            )
        )
        return SubjectInfo(
            id=subject.id,
            kind=SubjectKind(subject.kind),
            name=subject.name,
            uscc=subject.uscc or "",
            id_number_masked=subject.id_number_masked or "",
            phone_masked=subject.phone_masked or "",
            legal_representative=subject.legal_representative,
            expert_no=subject.expert_no or "",
            specialty=subject.specialty,
            pool_status=ExpertPoolStatus(subject.pool_status) if subject.pool_status else None,
            staff_id=subject.staff_id,
            note=subject.note,
            aliases=aliases,
            contacts=contacts,
            identifier_override_reason=subject.identifier_override_reason,
            version=subject.version,
            created_at=subject.created_at,
            created_by=subject.created_by,
            updated_at=subject.updated_at,
            updated_by=subject.updated_by,
        )

    def subject(self, subject_id: int) -> SubjectInfo:
        with self.db.session() as session:
            subject = self.get_or_404(session, CreditSubject, subject_id, "该主体")
            return self._subject_info(session, subject)

    def subject_input(self, actor: CurrentUser, subject_id: int) -> SubjectInput:
        """The subject as an edit form starts from (personal data left empty: it is kept unless retyped)."""
        info = self.subject(subject_id)
        return SubjectInput(
            kind=info.kind,
            name=info.name,
            uscc=info.uscc,
            legal_representative=info.legal_representative,
            expert_no=info.expert_no,
            specialty=info.specialty,
            pool_status=info.pool_status,
            staff_id=info.staff_id,
            note=info.note,
            aliases=info.aliases,
            contacts=tuple(ContactInput(c.name, c.role, "") for c in info.contacts),
            identifier_override_reason=info.identifier_override_reason,
        )

    def reveal_personal_data(self, actor: CurrentUser, subject_id: int, field_name: str, reason: str) -> str:
        """The clear ID number or phone of a subject, for someone with the right and a stated reason."""
        actor.require(Permission.UNMASK_PERSONAL_DATA)
        if field_name not in ("id_number", "phone"):
            raise ValidationError("只能查看身份证号或联系电话。")
        if len(reason.strip()) < 2:
            raise ValidationError("请填写查看原因。", field="reason")
        with self.write() as session:
            subject = self.get_or_404(session, CreditSubject, subject_id, "该主体")
            value = getattr(subject, field_name) or ""
            self.audit(
                session,
                actor,
                "pii.unmask",
                "credit_subject",
                subject.id,
                {"field": field_name, "reason": reason.strip()},
            )
            return str(value)

    # -- records --------------------------------------------------------------------------------
    def add_record(self, actor: CurrentUser, data: RecordInput) -> RecordInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        with self.write(
            "这条记录已经登记过（同一主体、类别、文号、日期和事实）。", "decision_number"
        ) as session:
            record = self._add_record_in(session, actor, data)
            return self._record_info(session, record, _today(self.db))

    def _prepare_record(self, session: Session, data: RecordInput) -> dict[str, Any]:
        kind, severity = RecordKind(data.kind), Severity(data.severity)
        check_decision_date(data.decision_date, _today(self.db))
        rules = [self._rule(r) for r in session.scalars(select(CreditRuleRow))]
        defaults = default_periods(
            rule_in_force(rules, kind, severity, data.decision_date), data.decision_date
        )
        publicity_end = data.publicity_end or defaults.publicity_end
        ban_start = data.ban_start if kind == RecordKind.BAN else None
        ban_end = data.ban_end if kind == RecordKind.BAN else None
        if kind == RecordKind.BAN:
            ban_start = ban_start or defaults.ban_start
            ban_end = ban_end or defaults.ban_end
            publicity_end = data.publicity_end or (
                max(publicity_end, ban_end) if publicity_end and ban_end else None
            )
        points = defaults.points if data.points is None else data.points
        publicity_min_end = data.publicity_min_end or defaults.publicity_min_end
        validate_periods(
            kind, data.decision_date, publicity_min_end, publicity_end, ban_start, ban_end, points
        )
        if kind in BARRING_KINDS and not data.decision_number.strip():
            raise ValidationError("禁止入场和严重失信记录必须有决定文号。", field="decision_number")
        return {
            "kind": kind.value,
            "severity": severity.value,
            "facts": _clean(data.facts, "facts", "事实", 4000, required=True),
            "legal_basis": _clean(data.legal_basis, "legal_basis", "依据", 2000),
            "authority": _clean(data.authority, "authority", "决定机关", 100, required=kind in BARRING_KINDS),
            "decision_number": _clean(data.decision_number, "decision_number", "决定文号", 100),
            "decision_date": data.decision_date,
            "publicity_min_end": publicity_min_end,
            "publicity_end": publicity_end,
            "ban_start": ban_start,
            "ban_end": ban_end,
            "points": points,
            "source": RecordSource(data.source).value,
            "source_ref": _clean(data.source_ref, "source_ref", "来源编号", 100),
        }

    def _add_record_in(self, session: Session, actor: CurrentUser, data: RecordInput) -> CreditRecord:
        subject = self.get_or_404(session, CreditSubject, data.subject_id, "该主体")
        values = self._prepare_record(session, data)
        barring = RecordKind(values["kind"]) in BARRING_KINDS
        # A ban or serious listing takes effect when a leader confirms it; a leader's own entry counts.
        confirmed = not barring or actor.can(Permission.CREDIT_APPROVE)
        now = self.db.now()
        record = CreditRecord(
            subject_id=subject.id,
            status=(RecordStatus.CONFIRMED if confirmed else RecordStatus.PENDING).value,
            dedupe_key=_dedupe_key(subject.id, data),
            created_by=actor.username,
            updated_by=actor.username,
            confirmed_at=now if confirmed and barring else None,
            confirmed_by=actor.username if confirmed and barring else "",
            **values,
        )
        session.add(record)
        session.flush()
        summary = {
            "subject": subject.name,
            "kind": values["kind"],
            "severity": values["severity"],
            "decision_number": values["decision_number"],
            "status": record.status,
        }
        self.audit(session, actor, "credit.record.create", "credit_record", record.id, summary)
        return record

    def existing_record(self, subject_id: int, data: RecordInput) -> int | None:
        with self.db.session() as session:
            return session.scalar(
                select(CreditRecord.id).where(CreditRecord.dedupe_key == _dedupe_key(subject_id, data))
            )

    def confirm_record(self, actor: CurrentUser, record_id: int, expected_version: int | None) -> RecordInfo:
        actor.require(Permission.CREDIT_APPROVE)
        with self.write() as session:
            record = self._record_for_change(session, record_id, expected_version)
            if record.status != RecordStatus.PENDING.value:
                raise ValidationError("只有待确认的记录需要确认。")
            record.status = RecordStatus.CONFIRMED.value
            record.confirmed_at = self.db.now()
            record.confirmed_by = actor.username
            self._touch(record, actor)
            self.audit(session, actor, "credit.record.confirm", "credit_record", record.id, {})
            return self._record_info(session, record, _today(self.db))

    def decline_record(
        self, actor: CurrentUser, record_id: int, reason: str, expected_version: int | None
    ) -> RecordInfo:
        actor.require(Permission.CREDIT_APPROVE)
        reason = _clean(reason, "reason", "不予确认的理由", 2000, required=True)
        with self.write() as session:
            record = self._record_for_change(session, record_id, expected_version)
            if record.status != RecordStatus.PENDING.value:
                raise ValidationError("只有待确认的记录可以不予确认。")
            self._close(record, actor, RecordStatus.DECLINED, reason)
            self.audit(
                session, actor, "credit.record.decline", "credit_record", record.id, {"reason": reason}
            )
            return self._record_info(session, record, _today(self.db))

    def revoke_record(
        self, actor: CurrentUser, record_id: int, reason: str, expected_version: int | None
    ) -> RecordInfo:
        """Withdraw a record entered in error or annulled: it stays in the file, greyed, and never counts."""
        actor.require(Permission.CREDIT_PROPOSE)
        reason = _clean(reason, "reason", "撤销理由", 2000, required=True)
        with self.write() as session:
            record = self._record_for_change(session, record_id, expected_version)
            if record.status in (RecordStatus.REVOKED.value, RecordStatus.DECLINED.value):
                raise ValidationError("该记录已撤销或未获确认。")
            if RecordKind(record.kind) in BARRING_KINDS and record.status != RecordStatus.PENDING.value:
                actor.require(Permission.CREDIT_APPROVE)
            self._close(record, actor, RecordStatus.REVOKED, reason)
            self.audit(session, actor, "credit.record.revoke", "credit_record", record.id, {"reason": reason})
            return self._record_info(session, record, _today(self.db))

    def _close(self, record: CreditRecord, actor: CurrentUser, status: RecordStatus, reason: str) -> None:
        record.status = status.value
        record.closed_at = self.db.now()
        record.closed_by = actor.username
        record.closed_reason = reason
        self._touch(record, actor)

    def _touch(self, row: Any, actor: CurrentUser) -> None:
        row.updated_by = actor.username
        row.updated_at = self.db.now()

    def _record_for_change(
        self, session: Session, record_id: int, expected_version: int | None
    ) -> CreditRecord:
        record: CreditRecord = self.get_or_404(session, CreditRecord, record_id, "该记录")
        self.check_version(record, expected_version)
        return record

    def request_repair(
        self, actor: CurrentUser, record_id: int, requested_on: date, applicant: str, materials: str
    ) -> RepairInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        applicant = _clean(applicant, "applicant", "申请人", 100, required=True)
        materials = _clean(materials, "materials", "申请材料", 4000, required=True)
        with self.write() as session:
            record: CreditRecord = self.get_or_404(session, CreditRecord, record_id, "该记录")
            if record.kind == RecordKind.GOOD.value:
                raise ValidationError("良好记录无需修复。")
            if record.status != RecordStatus.CONFIRMED.value:
                raise ValidationError("只有已生效的记录可以申请信用修复。")
            if record.publicity_min_end and requested_on <= record.publicity_min_end:
                raise ValidationError(
                    f"公示最短期限至 {record.publicity_min_end.isoformat()}，期满后方可申请修复。",
                    field="requested_on",
                )
            pending = session.scalar(
                select(func.count())
                .select_from(CreditRepair)
                .where(CreditRepair.record_id == record.id, CreditRepair.status == "requested")
            )
            if pending:
                raise ValidationError("该记录已有待决定的修复申请。")
            repair = CreditRepair(
                record_id=record.id,
                requested_on=requested_on,
                applicant=applicant,
                materials=materials,
                created_by=actor.username,
                updated_by=actor.username,
            )
            session.add(repair)
            session.flush()
            self.audit(
                session,
                actor,
                "credit.repair.request",
                "credit_repair",
                repair.id,
                {"record": record.id, "applicant": applicant},
            )
            return self._repair_info(repair)

    def decide_repair(
        self,
        actor: CurrentUser,
        repair_id: int,
        approve: bool,
        decided_on: date,
        decision_number: str = "",
        note: str = "",
        expected_version: int | None = None,
    ) -> RepairInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        decision_number = _clean(decision_number, "decision_number", "决定文号", 100)
        note = _clean(note, "decision_note", "决定说明", 2000, required=not approve)
        with self.write() as session:
            repair: CreditRepair = self.get_or_404(session, CreditRepair, repair_id, "该修复申请")
            self.check_version(repair, expected_version)
            if repair.status != "requested":
                raise ValidationError("该修复申请已经决定。")
            if decided_on < repair.requested_on:
                raise ValidationError("决定日期不能早于申请日期。", field="decided_on")
            record: CreditRecord = session.get_one(CreditRecord, repair.record_id)
            if RecordKind(record.kind) in BARRING_KINDS:
                actor.require(Permission.CREDIT_APPROVE)
            repair.status = "approved" if approve else "rejected"
            repair.decided_on = decided_on
            repair.decided_by = actor.username
            repair.decision_number = decision_number
            repair.decision_note = note
            self._touch(repair, actor)
            if approve:
                if record.status != RecordStatus.CONFIRMED.value:
                    raise ValidationError("该记录已不在生效状态，无需修复。")
                record.status = RecordStatus.REPAIRED.value
                record.repaired_on = decided_on
                self._touch(record, actor)
            session.flush()
            self.audit(
                session,
                actor,
                "credit.repair.decide",
                "credit_repair",
                repair.id,
                {"record": record.id, "approved": approve, "decided_on": decided_on.isoformat()},
            )
            return self._repair_info(repair)

    def repair(self, repair_id: int) -> RepairInfo:
        with self.db.session() as session:
            return self._repair_info(self.get_or_404(session, CreditRepair, repair_id, "该修复申请"))

    @staticmethod
    def _repair_info(row: CreditRepair) -> RepairInfo:
        return RepairInfo(
            row.id,
            row.record_id,
            row.requested_on,
            row.applicant,
            row.materials,
            row.status,
            row.decided_on,
            row.decided_by,
            row.decision_number,
            row.decision_note,
            row.version,
        )

    def add_attachment(
        self, actor: CurrentUser, record_id: int, filename: str, content: bytes
    ) -> AttachmentInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        if not content:
            raise ValidationError("附件是空文件。", field="attachments")
        if len(content) > ATTACHMENT_LIMIT:
            raise ValidationError("附件不能超过 20 MB。", field="attachments")
        name = _clean(filename, "attachments", "文件名", 255, required=True)
        with self.write() as session:
            record = self.get_or_404(session, CreditRecord, record_id, "该记录")
            row = RecordAttachment(
                record_id=record.id,
                filename=name,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                added_by=actor.username,
            )
            session.add(row)
            session.flush()
            self.audit(
                session,
                actor,
                "credit.attachment.add",
                "credit_record",
                record.id,
                {"filename": name, "sha256": row.sha256},
            )
            return AttachmentInfo(row.id, row.filename, row.size, row.sha256, row.added_at, row.added_by)

    def attachment_content(self, attachment_id: int) -> tuple[str, bytes]:
        with self.db.session() as session:
            row = self.get_or_404(session, RecordAttachment, attachment_id, "该附件")
            return row.filename, row.content

    def _record_info(self, session: Session, record: CreditRecord, on: date) -> RecordInfo:
        facts = _record_facts(record)
        repairs = tuple(
            self._repair_info(r)
            for r in session.scalars(
                select(CreditRepair).where(CreditRepair.record_id == record.id).order_by(CreditRepair.id)
            )
        )
        attachments = tuple(
            AttachmentInfo(a.id, a.filename, a.size, a.sha256, a.added_at, a.added_by)
            for a in session.scalars(
                select(RecordAttachment)
                .where(RecordAttachment.record_id == record.id)
                .order_by(RecordAttachment.id)
            )
        )
        return self._record_info_plain(record, on, facts, repairs, attachments)

    @staticmethod
    def _record_info_plain(
        record: CreditRecord,
        on: date,
        facts: RecordFacts,
        repairs: tuple[RepairInfo, ...],
        attachments: tuple[AttachmentInfo, ...],
    ) -> RecordInfo:
        return RecordInfo(
            id=record.id,
            subject_id=record.subject_id,
            kind=RecordKind(record.kind),
            severity=Severity(record.severity),
            status=RecordStatus(record.status),
            facts=record.facts,
            legal_basis=record.legal_basis,
            authority=record.authority,
            decision_number=record.decision_number,
            decision_date=record.decision_date,
            publicity_min_end=record.publicity_min_end,
            publicity_end=record.publicity_end,
            ban_start=record.ban_start,
            ban_end=record.ban_end,
            points=record.points,
            source=RecordSource(record.source),
            source_ref=record.source_ref,
            created_at=record.created_at,
            created_by=record.created_by,
            confirmed_at=record.confirmed_at,
            confirmed_by=record.confirmed_by,
            repaired_on=record.repaired_on,
            closed_at=record.closed_at,
            closed_by=record.closed_by,
            closed_reason=record.closed_reason,
            version=record.version,
            in_force=in_force(facts, on),
            state=state_on(facts, on),
            repairs=repairs,
            attachments=attachments,
        )

    def record(self, record_id: int, on: date | None = None) -> RecordInfo:
        with self.db.session() as session:
            record = self.get_or_404(session, CreditRecord, record_id, "该记录")
            return self._record_info(session, record, on or _today(self.db))

    def pending_records(self, actor: CurrentUser) -> list[tuple[SubjectInfo, RecordInfo]]:
        """Bans and serious-list records waiting for a leader."""
        actor.require(Permission.CREDIT_LOOKUP)
        with self.db.session() as session:
            rows = session.scalars(
                select(CreditRecord)
                .where(CreditRecord.status == RecordStatus.PENDING.value)
                .order_by(CreditRecord.created_at)
            ).all()
            today = _today(self.db)
            return [
                (
                    self._subject_info(session, session.get_one(CreditSubject, r.subject_id)),
                    self._record_info(session, r, today),
                )
                for r in rows
            ]

    def recent_records(self, actor: CurrentUser, limit: int = 200) -> list[tuple[SubjectInfo, RecordInfo]]:
        """The records changed last (entered, confirmed, repaired, revoked), newest first."""
        actor.require(Permission.CREDIT_PROPOSE)
        with self.db.session() as session:
            rows = session.scalars(
                select(CreditRecord)
                .order_by(CreditRecord.updated_at.desc(), CreditRecord.id.desc())
                .limit(limit)
            ).all()
            today = _today(self.db)
            subjects: dict[int, SubjectInfo] = {}
            found = []
            for record in rows:
                if record.subject_id not in subjects:
                    subject = session.get_one(CreditSubject, record.subject_id)
                    subjects[record.subject_id] = self._subject_info(session, subject)
                found.append((subjects[record.subject_id], self._record_info(session, record, today)))
            return found

    # -- verdict --------------------------------------------------------------------------------
    def assess(self, subject_id: int, on: date | None = None) -> Assessment:
        on = on or _today(self.db)
        with self.db.session() as session:
            self.get_or_404(session, CreditSubject, subject_id, "该主体")
            return self._assessments(session, [subject_id], on)[subject_id]

    def _assessments(self, session: Session, subject_ids: Sequence[int], on: date) -> dict[int, Assessment]:
        rule = score_rule_in_force(self._score_rules(session), on)
        by_subject: dict[int, list[RecordFacts]] = {sid: [] for sid in subject_ids}
        if subject_ids:
            rows = session.execute(
                select(
                    CreditRecord.id,
                    CreditRecord.subject_id,
                    CreditRecord.kind,
                    CreditRecord.status,
                    CreditRecord.decision_date,
                    CreditRecord.publicity_end,
                    CreditRecord.ban_start,
                    CreditRecord.ban_end,
                    CreditRecord.points,
                    CreditRecord.repaired_on,
                    CreditRecord.decision_number,
                ).where(
                    CreditRecord.subject_id.in_(subject_ids),
                    CreditRecord.status.in_((RecordStatus.CONFIRMED.value, RecordStatus.REPAIRED.value)),
                    # Only a record whose publicity or ban has not ended before ``on`` can count
                    # (domain effective_period / ban_period end no later than these): most of a
                    # long-standing file has expired, and search assesses up to 50 files a keystroke.
                    or_(
                        CreditRecord.publicity_end.is_(None),
                        CreditRecord.publicity_end >= on,
                        and_(
                            CreditRecord.kind == RecordKind.BAN.value,
                            or_(CreditRecord.ban_end.is_(None), CreditRecord.ban_end >= on),
                        ),
                    ),
                )
            )
            for row in rows:
                by_subject[row.subject_id].append(_record_facts(row))
        return {sid: assess(records, on, rule) for sid, records in by_subject.items()}

    def subject_file(self, actor: CurrentUser, subject_id: int, on: date | None = None) -> SubjectFile:
        actor.require(Permission.CREDIT_LOOKUP)
        on = on or _today(self.db)
        with self.db.session() as session:
            subject = self.get_or_404(session, CreditSubject, subject_id, "该主体")
            info = self._subject_info(session, subject)
            assessment = self._assessments(session, [subject_id], on)[subject_id]
            records = [
                self._record_info(session, r, on)
                for r in session.scalars(
                    select(CreditRecord)
                    .where(CreditRecord.subject_id == subject_id)
                    .order_by(CreditRecord.decision_date.desc(), CreditRecord.id.desc())
                )
            ]
            records.sort(key=lambda r: (not r.in_force, r.status != RecordStatus.PENDING))
            checks = self._checks(session, subject_id)
            barring = tuple(r for r in records if r.id in assessment.barring_record_ids)
            return SubjectFile(info, on, assessment, tuple(records), tuple(checks), barring)

    # -- lookup ---------------------------------------------------------------------------------
    def search(
        self, actor: CurrentUser, query: str, on: date | None = None, limit: int = SEARCH_LIMIT
    ) -> SearchResult:
        actor.require(Permission.CREDIT_LOOKUP)
        on = on or _today(self.db)
        folded = st.fold(query)[:QUERY_LIMIT]
        if not folded:
            return SearchResult(query, on, ())
        with self.db.session() as session:
            found = self._candidates(session, folded, limit)
            if not found:
                hint = (
                    "请输入名称中更有辨识度的部分（如字号），而不是“有限公司”等组织形式。"
                    if st.is_only_legal_suffix(folded)
                    else ""
                )
                return SearchResult(query, on, (), hint)
            ranked = sorted(found.items(), key=lambda item: item[1][0])[:limit]
            ids = [sid for sid, _ in ranked]
            rows = {
                row.id: row
                for row in session.execute(
                    select(
                        CreditSubject.id,
                        CreditSubject.kind,
                        CreditSubject.name,
                        CreditSubject.uscc,
                        CreditSubject.id_number_masked,
                        CreditSubject.search_text,
                    ).where(CreditSubject.id.in_(ids))
                )
            }
            assessments = self._assessments(session, ids, on)
            alias_needed = [sid for sid, (_, how) in ranked if how == "alias"]
            aliases = self._matching_aliases(session, alias_needed, folded)
            hits = []
            for sid, (_, how) in ranked:
                row = rows[sid]
                a = assessments[sid]
                hits.append(
                    SubjectHit(
                        subject_id=sid,
                        kind=SubjectKind(row.kind),
                        name=row.name,
                        identifier=row.uscc or row.id_number_masked or "",
                        matched_alias=aliases.get(sid, ("", ""))[0],
                        how=how,
                        verdict=a.verdict,
                        reason=a.reason,
                        score=a.score,
                        grade=a.grade,
                        matched_alias_kind=aliases.get(sid, ("", ""))[1],
                    )
                )
            return SearchResult(query, on, tuple(hits))

    def _matching_aliases(
        self, session: Session, subject_ids: list[int], folded: str
    ) -> dict[int, tuple[str, str]]:
        """Subject id → (alias, its kind) of the first alias containing the query."""
        if not subject_ids:
            return {}
        found: dict[int, tuple[str, str]] = {}
        for row in session.execute(
            select(SubjectAlias.subject_id, SubjectAlias.name, SubjectAlias.kind)
            .where(SubjectAlias.subject_id.in_(subject_ids))
            .order_by(SubjectAlias.id)
        ):
            if row.subject_id not in found and folded in st.fold(row.name):
                found[row.subject_id] = (row.name, row.kind)
        return found

    def _query_names_subject(self, session: Session, subject: CreditSubject, folded: str) -> bool:
        """Whether a query finds this subject by any of the lookup's rules (not only in the first page)."""
        code = folded.upper()
        if subject.uscc and len(code) >= 2 and subject.uscc.startswith(code):
            return True
        if _ID_QUERY.fullmatch(code) and subject.id_number_lookup == self.db.keyring.lookup_hash(
            "id_number", code
        ):
            return True
        if folded in subject.search_text:
            return True
        if st.looks_like_initials(folded):
            aliases = [a.name for a in self._alias_rows(session, subject.id)]
            keys = self._keys(subject.kind, subject.name, aliases, subject.id_number)
            return any(initials.startswith(folded) for initials, _ in keys.initials)
        return False

    def _candidates(
        self, session: Session, folded: str, limit: int
    ) -> dict[int, tuple[tuple[Any, ...], str]]:
        """Subject id → (sort key, how it matched). Identifiers first, then names, initials, prefixes."""
        found: dict[int, tuple[tuple[Any, ...], str]] = {}

        def offer(sid: int, key: tuple[Any, ...], how: str) -> None:
            if sid not in found or key < found[sid][0]:
                found[sid] = (key, how)

        code = folded.upper()
        if st.looks_like_code(folded):
            if _ID_QUERY.fullmatch(code):
                lookup = self.db.keyring.lookup_hash("id_number", code)
                for sid in session.scalars(
                    select(CreditSubject.id).where(CreditSubject.id_number_lookup == lookup)
                ):
                    offer(sid, (0,), "id")
            if len(code) >= 2 and all(c in USCC_ALPHABET for c in code):
                for sid, uscc in session.execute(
                    select(CreditSubject.id, CreditSubject.uscc)
                    .where(CreditSubject.uscc >= code, CreditSubject.uscc < _next_prefix(code))
                    .order_by(CreditSubject.uscc)
                    .limit(limit)
                ):
                    if uscc == code:
                        offer(sid, (0,), "uscc")
                    else:
                        offer(sid, (4, uscc), "uscc_prefix")
            if st.looks_like_initials(folded):
                for sid, initials, rank in session.execute(
                    select(SearchInitials.subject_id, SearchInitials.initials, SearchInitials.rank)
                    .where(SearchInitials.initials >= folded, SearchInitials.initials < _next_prefix(folded))
                    .order_by(SearchInitials.initials, SearchInitials.rank)
                    .limit(limit)
                ):
                    exact = initials == folded
                    offer(sid, (3, 0 if exact else 1, rank // st.RANK_BUCKET, len(initials), sid), "initials")
        for sid, rank, how in self._name_matches(session, folded, limit):
            offer(sid, (1 if how == "name" else 2, rank, sid), how)
        return found

    def _name_matches(self, session: Session, folded: str, limit: int) -> Iterable[tuple[int, int, str]]:
        """(subject id, rank, 'name'|'alias') of names containing the folded query, best first."""
        if len(folded) <= 2:
            key = st.gram_key(folded)
            rows = session.execute(
                select(SearchGram.subject_id, SearchGram.rank)
                .where(SearchGram.gram == key)
                .order_by(SearchGram.rank, SearchGram.subject_id)
                .limit(limit * 2)
            )
            for sid, rank in rows:
                bucket = rank // st.RANK_BUCKET
                yield sid, rank, "alias" if bucket >= st.ALIAS_BUCKET_OFFSET else "name"
            return
        bigrams = list(dict.fromkeys(st.query_bigrams(folded)))
        useful = [b for b in bigrams if not st.is_suffix_bigram(b)] or bigrams
        counts = []
        for bigram in useful:
            count = self._gram_count(session, bigram, PROBE_CAP)
            if count == 0:
                return  # a bigram no name has: nothing can contain the whole query
            counts.append((count, bigram))
        if min(counts)[0] >= PROBE_CAP:  # all common: tell the common from the very common
            wide, best = [], PROBE_CAP_WIDE
            for position, (_, bigram) in enumerate(counts):
                count = self._gram_count(session, bigram, best)  # past the best so far: no use
                wide.append((count, position, bigram))
                best = min(best, count)
            ordered = [bigram for _, _, bigram in sorted(wide)]
        else:
            ordered = [bigram for _, bigram in sorted(counts)]
        key_bigram = ordered[0]
        conditions = [
            SearchGram.gram == st.gram_key(key_bigram),
            CreditSubject.search_text.contains(folded, autoescape=True),
        ]
        checked = session.execute(
            select(SearchGram.subject_id, SearchGram.rank, CreditSubject.search_text)
            .join(CreditSubject, CreditSubject.id == SearchGram.subject_id)
            .where(*conditions)
            .order_by(SearchGram.rank, SearchGram.subject_id)
            .limit(limit * 4)
        )
        for sid, _rank, text in checked:
            names = text.split("\x01")
            primary = names[0]
            if folded in primary:
                core = st.strip_legal_suffix(primary)
                yield sid, self._long_rank(folded, primary, core, 0), "name"
            else:
                best = min(
                    self._long_rank(folded, n, st.strip_legal_suffix(n), st.ALIAS_BUCKET_OFFSET)
                    for n in names[1:]
                    if folded in n
                )
                yield sid, best, "alias"

    @staticmethod
    def _gram_count(session: Session, bigram: str, cap: int) -> int:
        """How many names have the bigram, counted up to ``cap`` (an index range, never a table scan)."""
        inner = select(SearchGram.subject_id).where(SearchGram.gram == st.gram_key(bigram)).limit(cap)
        return session.scalar(select(func.count()).select_from(inner.subquery())) or 0

    @staticmethod
    def _long_rank(folded: str, name: str, core: str, offset: int) -> int:
        """Rank of a long query's match: at the start of the distinctive name first, shorter names first."""
        starts = name.startswith(folded)
        return (offset + (0 if starts else 1)) * st.RANK_BUCKET + min(len(core), st.RANK_BUCKET - 1)

    # -- entry checks ---------------------------------------------------------------------------
    def data_as_of(self) -> datetime | None:
        """When the credit data last changed: what a printed answer is valid as of."""
        with self.db.session() as session:
            return self._data_as_of(session)

    @staticmethod
    def _data_as_of(session: Session) -> datetime | None:
        latest = [
            session.scalar(select(func.max(CreditSubject.updated_at))),
            session.scalar(select(func.max(CreditRecord.updated_at))),
        ]
        present = [v for v in latest if v is not None]
        return max(present) if present else None

    def entry_check(
        self,
        actor: CurrentUser,
        query: str,
        subject_id: int | None,
        on: date | None = None,
        print_notice: bool = True,
    ) -> EntryCheckResult:
        """登记核验: record who checked what and the answer, and issue the 信用查询结果告知单.

        ``subject_id`` is the subject the clerk picked from the results, or None for "no match".
        """
        actor.require(Permission.CREDIT_LOOKUP)
        query_text = _clean(query, "query", "查询内容", QUERY_LIMIT, required=True)
        on = on or _today(self.db)
        result = self.search(actor, query_text, on)
        folded_query = st.fold(query_text)[:QUERY_LIMIT]
        # An ID number typed as the query is personal data: the check row, the audit entry and the
        # printed notice keep it masked, like every screen (DOMAIN.md §6).
        if _ID_QUERY.fullmatch(folded_query.upper()):
            query_text = mask_id_number(folded_query.upper())
        with self.write() as session:
            now = self.db.now()
            as_of = self._data_as_of(session) or now
            subject_row = None
            assessment = None
            behind: list[RecordInfo] = []
            if subject_id is not None:
                subject_row = self.get_or_404(session, CreditSubject, subject_id, "该主体")
                # The notice certifies "this query found this subject": never another one.
                if not self._query_names_subject(session, subject_row, folded_query):
                    raise ValidationError(
                        "所选主体与查询内容不符，请按名称、代码或证件号重新查询。", field="query"
                    )
                assessment = self._assessments(session, [subject_id], on)[subject_id]
                for record in session.scalars(
                    select(CreditRecord).where(CreditRecord.id.in_(assessment.adverse_record_ids))
                ):
                    behind.append(self._record_info_plain(record, on, _record_facts(record), (), ()))
            verdict = assessment.verdict if assessment else Verdict.NOT_FOUND
            reason = assessment.reason if assessment else "按查询内容未找到信用档案。"
            check = EntryCheck(
                checked_at=now,
                checked_on=on,
                operator=actor.username,
                operator_name=actor.display_name,
                workstation=self.db.workstation,
                query=query_text,
                subject_id=subject_row.id if subject_row else None,
                subject_name=subject_row.name if subject_row else "",
                verdict=verdict.value,
                reason=reason,
                match_count=len(result.hits),
                data_as_of=as_of,
            )
            session.add(check)
            session.flush()
            notice = None
            if print_notice:
                from desktop_app.services.notices import NoticeService

                document = self._certificate(
                    session, actor, check, subject_row, assessment, sorted(behind, key=lambda r: r.id)
                )
                notice = NoticeService(self.db).issue_in(
                    session, actor, "credit_check", document, "信用查询结果告知单"
                )
                check.notice_number = notice.number
            self.audit(
                session,
                actor,
                "credit.entry_check",
                "credit_subject" if subject_row else "",
                subject_row.id if subject_row else "",
                {
                    "query": query_text,
                    "verdict": verdict.value,
                    "on": on.isoformat(),
                    "notice": check.notice_number or "",
                },
            )
            return EntryCheckResult(self._check_info(check), notice)

    def _certificate(
        self,
        session: Session,
        actor: CurrentUser,
        check: EntryCheck,
        subject: CreditSubject | None,
        assessment: Assessment | None,
        records: list[RecordInfo],
    ) -> Any:
        from desktop_app.notices.receipt import Receipt
        from desktop_app.services.center import read_settings

        center = read_settings(session)
        verdict = assessment.verdict if assessment else Verdict.NOT_FOUND
        local = check.checked_at.astimezone()
        as_of = check.data_as_of.astimezone() if check.data_as_of else local
        fields: list[tuple[str, str]] = [
            ("查询内容", check.query),
            ("查询时间", local.strftime("%Y-%m-%d %H:%M:%S")),
            ("核验日期", check.checked_on.isoformat()),
            ("查询人", f"{actor.display_name}（{actor.username}）"),
            ("工作站", check.workstation),
            ("数据截至", as_of.strftime("%Y-%m-%d %H:%M:%S")),
        ]
        if subject is None or assessment is None:
            explanation = (
                f"按查询内容找到 {check.match_count} 个名称相近的主体，经查询人核对均非被查询主体。"
                if check.match_count
                else "本中心信用档案中未找到与查询内容相符的主体。"
            )
            fields += [("查询结果", "未找到"), ("说明", explanation)]
        else:
            identifier = subject.uscc or subject.id_number_masked or ""
            id_label = "统一社会信用代码" if subject.uscc else "身份证号"
            fields += [
                ("主体名称", subject.name),
                ("主体类型", SUBJECT_KIND_LABELS[SubjectKind(subject.kind)]),
                (id_label, identifier),
                ("查询结果", VERDICT_LABELS[assessment.verdict]),
                (
                    "信用分 / 等级",
                    f"{assessment.score} 分 / {assessment.grade} 级（仅供参考，不作为入场条件）",
                ),
                ("理由", assessment.reason),
            ]
            if records:
                # Barring records first; the page holds a dozen, the rest are counted (the file has them).
                shown = sorted(records, key=lambda r: (r.kind not in BARRING_KINDS, r.id))
                lines = []
                for index, record in enumerate(shown[:CERTIFICATE_RECORDS], 1):
                    number = f"，{record.decision_number}" if record.decision_number else ""
                    authority = f"，{record.authority}" if record.authority else ""
                    facts = record.facts if len(record.facts) <= 120 else record.facts[:119] + "…"
                    lines.append(
                        f"{index}. {record.kind_label}（{record.severity_label}{authority}{number}）"
                        f"{record.period_text}：{facts}"
                    )
                if len(shown) > CERTIFICATE_RECORDS:
                    lines.append(f"另有 {len(shown) - CERTIFICATE_RECORDS} 条有效记录未列出，详见信用档案。")
                fields.append(("有效记录", "\n".join(lines)))
            else:
                fields.append(("有效记录", "无"))
        notes = (
            "本告知单根据查询时本中心信用档案的数据出具，仅反映“数据截至”时点的记录情况。",
            "禁止入场仅依据有效的禁止入场决定或严重失信名单；信用分和等级仅供参考。",
            "如对查询结果有异议，可向本中心提出书面申请。",
        )
        return Receipt(
            center_name=center["center_name"],
            title="信用查询结果告知单",
            fields=tuple(fields),
            notes=notes,
            signatures=("查询人签字", "当事人签字"),
            copies=("当事人收执",),
            headline=f"查询结果：{VERDICT_LABELS[verdict]}",
            headline_tone=VERDICT_TONES[verdict],
        )

    def _checks(self, session: Session, subject_id: int, limit: int = 100) -> list[EntryCheckInfo]:
        rows = session.scalars(
            select(EntryCheck)
            .where(EntryCheck.subject_id == subject_id)
            .order_by(EntryCheck.checked_at.desc(), EntryCheck.id.desc())
            .limit(limit)
        )
        return [self._check_info(r) for r in rows]

    def recent_checks(self, actor: CurrentUser, limit: int = 200) -> list[EntryCheckInfo]:
        actor.require(Permission.CREDIT_LOOKUP)
        with self.db.session() as session:
            rows = session.scalars(
                select(EntryCheck).order_by(EntryCheck.checked_at.desc(), EntryCheck.id.desc()).limit(limit)
            )
            return [self._check_info(r) for r in rows]

    @staticmethod
    def _check_info(row: EntryCheck) -> EntryCheckInfo:
        return EntryCheckInfo(
            row.id,
            row.checked_at,
            row.checked_on,
            row.operator,
            row.operator_name,
            row.workstation,
            row.query,
            row.subject_id,
            row.subject_name,
            Verdict(row.verdict),
            row.reason,
            row.match_count,
            row.data_as_of,
            row.notice_number,
        )
