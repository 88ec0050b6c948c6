"""What a subject, a record or a catalogue version must satisfy before it is stored.

The dialogs, the import and other modules that write into the credit files all go through these
functions, so every way in refuses exactly the same input with the same Chinese message at the same
field. They need no database: what they depend on (the catalogue, today's date) is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import (
    BARRING_KINDS,
    ORGANISATION_KINDS,
    PERSON_KINDS,
    CreditRule,
    ExpertPoolStatus,
    RecordKind,
    RecordSource,
    ScoreRule,
    Severity,
    SubjectKind,
    check_decision_date,
    default_periods,
    rule_in_force,
    severities_of,
    validate_periods,
)
from desktop_app.domain.errors import Refusals, ValidationError
from desktop_app.domain.identifiers import check_id_number, check_uscc, needs_override, normalize_phone
from desktop_app.domain.text import clean_text
from desktop_app.services.credit.types import AliasInput, ContactInput, RecordInput, SubjectInput

GRADE_NAME_LIMIT = 10
GRADE_LIMIT = 10
MONTHS_LIMIT = 120


def validated_subject(data: SubjectInput) -> dict[str, Any]:
    """The column values of a subject (plus its ``aliases`` and ``contacts``), or ValidationError;
    every field at fault is reported at once (ValidationErrors when there are several)."""
    refusals = Refusals()
    kind = SubjectKind(data.kind) if data.kind else None
    if kind is None:
        refusals.add("请选择主体类型。", "kind")
    reason = refusals.check(
        lambda: clean_text(
            data.identifier_override_reason, "identifier_override_reason", "校验例外说明", 500
        ),
        "",
    )
    values: dict[str, Any] = {
        "kind": kind.value if kind else None,
        "name": refusals.check(lambda: clean_text(data.name, "name", "名称", 200, required=True), ""),
    }
    uscc = refusals.check(lambda: clean_text(data.uscc, "uscc", "统一社会信用代码", 40), "")
    id_text = refusals.check(lambda: clean_text(data.id_number, "id_number", "身份证号", 40), "")
    values["uscc"] = refusals.check(lambda: check_uscc(uscc, reason), None) if uscc else None
    values["id_number"] = refusals.check(lambda: check_id_number(id_text, reason), None) if id_text else None
    if kind in ORGANISATION_KINDS and not uscc:
        refusals.add("单位须填写统一社会信用代码。", "uscc")
    elif kind in PERSON_KINDS and not id_text:
        refusals.add("个人须填写身份证号。", "id_number")
    elif not uscc and not id_text:
        refusals.add("请填写统一社会信用代码或身份证号。", "uscc")
    if reason and not needs_override(values["uscc"], values["id_number"]):
        reason = ""  # nothing to excuse: do not keep a stray reason
    values["identifier_override_reason"] = reason
    phone = refusals.check(lambda: clean_text(data.phone, "phone", "联系电话", 40), "")
    values["phone"] = refusals.check(lambda: normalize_phone(phone), None) if phone else None
    values["legal_representative"] = refusals.check(
        lambda: clean_text(data.legal_representative, "legal_representative", "法定代表人", 50), ""
    )
    if kind == SubjectKind.EXPERT:
        values["expert_no"] = (
            refusals.check(lambda: clean_text(data.expert_no, "expert_no", "专家编号", 30), "") or None
        )
        values["pool_status"] = ExpertPoolStatus(data.pool_status or ExpertPoolStatus.ACTIVE).value
    else:
        values["expert_no"] = None
        values["pool_status"] = None
    values["specialty"] = refusals.check(lambda: clean_text(data.specialty, "specialty", "专业", 100), "")
    no_aliases: list[AliasInput] = []
    no_contacts: list[ContactInput] = []
    values["aliases"] = refusals.check(lambda: _aliases(values["name"], data.aliases), no_aliases)
    values["contacts"] = refusals.check(lambda: _contacts(data.contacts), no_contacts)
    values["note"] = refusals.check(lambda: clean_text(data.note, "note", "备注", 2000, multiline=True), "")
    values["staff_id"] = data.staff_id
    refusals.raise_any()
    return values


def _aliases(name: str, given: Iterable[AliasInput]) -> list[AliasInput]:
    """Former and short names, each once, never the name itself."""
    aliases: list[AliasInput] = []
    seen = {st.fold(name)}
    for alias in given:
        text = clean_text(alias.name, "aliases", "曾用名", 200)
        if text and st.fold(text) not in seen:
            seen.add(st.fold(text))
            aliases.append(AliasInput(text, alias.kind if alias.kind in ("former", "short") else "former"))
    return aliases


def _contacts(given: Iterable[ContactInput]) -> list[ContactInput]:
    contacts = []
    for contact in given:
        name = clean_text(contact.name, "contacts", "联系人", 50)
        if not name:
            continue
        role = clean_text(contact.role, "contacts", "联系人职务", 50)
        phone_text = contact.phone.strip()
        contacts.append(
            ContactInput(name, role, normalize_phone(phone_text, "contacts") if phone_text else "")
        )
    return contacts


def record_values(data: RecordInput, rules: Iterable[CreditRule], today: date) -> dict[str, Any]:
    """The column values of a new record, its periods and points defaulted from the catalogue version
    in force on its decision date; or ValidationError at every field that is wrong (ValidationErrors
    when several)."""
    refusals = Refusals()
    rules = list(rules)
    kind, severity = RecordKind(data.kind), Severity(data.severity)
    allowed = severities_of(rules, kind)
    if allowed == {Severity.NONE}:
        severity = Severity.NONE  # a commendation is not graded: a grade given for it means nothing
    elif severity == Severity.NONE and Severity.NONE not in allowed:
        refusals.add("请填写严重程度（轻微、一般或严重）。", "severity")
    dated = refusals.check(partial(_dated, data.decision_date, today), False)
    defaults = default_periods(rule_in_force(rules, kind, severity, data.decision_date), data.decision_date)
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
    values: dict[str, Any] = {
        "kind": kind.value,
        "severity": severity.value,
        "facts": refusals.check(
            lambda: clean_text(data.facts, "facts", "事实", 4000, required=True, multiline=True), ""
        ),
        "legal_basis": refusals.check(
            lambda: clean_text(data.legal_basis, "legal_basis", "依据", 2000, multiline=True), ""
        ),
        "authority": refusals.check(
            lambda: clean_text(data.authority, "authority", "决定机关", 100, required=kind in BARRING_KINDS),
            "",
        ),
    }
    if kind in BARRING_KINDS and not data.decision_number.strip():
        refusals.add("禁止入场和严重失信记录必须有决定文号。", "decision_number")
    values["decision_number"] = refusals.check(
        lambda: clean_text(data.decision_number, "decision_number", "决定文号", 100), ""
    )
    if dated:  # periods are checked against the decision date: a mistyped year would blame them all
        refusals.check(
            lambda: validate_periods(
                kind, data.decision_date, publicity_min_end, publicity_end, ban_start, ban_end, points
            ),
            None,
        )
    values.update(
        {
            "decision_date": data.decision_date,
            "publicity_min_end": publicity_min_end,
            "publicity_end": publicity_end,
            "ban_start": ban_start,
            "ban_end": ban_end,
            "points": points,
            "source": RecordSource(data.source).value,
            "source_ref": refusals.check(
                lambda: clean_text(data.source_ref, "source_ref", "来源编号", 100), ""
            ),
        }
    )
    refusals.raise_any()
    return values


def _dated(decision_date: date, today: date) -> bool:
    check_decision_date(decision_date, today)
    return True


def check_rule(rule: CreditRule) -> None:
    """A catalogue version's periods and points, or ValidationError at every field that is wrong."""
    refusals = Refusals()
    if rule.publicity_min_months < 0 or rule.publicity_max_months < rule.publicity_min_months:
        refusals.add("公示最长期限不能短于最短期限。", "publicity_max_months")
    if rule.publicity_max_months > MONTHS_LIMIT:
        refusals.add(f"期限不能超过 {MONTHS_LIMIT} 个月。", "publicity_max_months")
    if rule.ban_months < 0 or rule.ban_months > MONTHS_LIMIT:
        refusals.add(f"期限不能超过 {MONTHS_LIMIT} 个月。", "ban_months")
    if not 0 <= rule.points <= 100:
        refusals.add("分值应在 0 到 100 之间。", "points")
    refusals.raise_any()


def checked_score_rule(rule: ScoreRule) -> ScoreRule:
    """The rule with grade names trimmed, or ValidationError at every field that is wrong."""
    refusals = Refusals()
    if not isinstance(rule.effective_from, date) or not 2000 <= rule.effective_from.year <= 2099:
        refusals.add("请填写生效日期（2000 年至 2099 年之间）。", "effective_from")
    if not 0 <= rule.base <= 100:
        refusals.add("基础分应在 0 到 100 之间。", "base")
    bands = tuple((grade.strip(), lowest) for grade, lowest in rule.bands)
    worst = rule.worst_grade.strip()
    refusals.check(lambda: _check_bands(bands), None)
    names = {grade for grade, _lowest in bands}
    if not worst:
        refusals.add("请填写最低等级的名称（低于各等级最低分时的等级）。", "worst_grade")
    elif len(worst) > GRADE_NAME_LIMIT:
        refusals.add(f"最低等级名称不能超过 {GRADE_NAME_LIMIT} 个字。", "worst_grade")
    elif worst in names:
        refusals.add(f"最低等级“{worst}”不能与上面的等级重名。", "worst_grade")
    refusals.raise_any()
    return replace(rule, bands=bands, worst_grade=worst)


def _check_bands(bands: tuple[tuple[str, int], ...]) -> None:
    """The grade bands, best first: the first fault found (they are shown together, at one field)."""
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
