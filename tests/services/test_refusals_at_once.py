"""A form's every fault is reported at once: the services collect their refusals (``Refusals``) and
raise ``ValidationErrors`` with one (field, message) per field, in the form's order."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop_app import clock
from desktop_app.domain.credit import CreditRule, RecordKind, ScoreRule, Severity, SubjectKind
from desktop_app.domain.errors import Refusals, ValidationError, ValidationErrors, refusals_of
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import (
    RecordInput,
    SubjectInput,
    checked_score_rule,
    validated_subject,
)
from desktop_app.services.credit.validation import check_rule, record_values
from desktop_app.services.facade import Services
from tests.builders import uscc, wrong_check
from tests.services.test_credit_import import write_csv

CODE = uscc("91440101MA5CXXXX0")


def faults(error: ValidationError) -> list[tuple[str | None, str]]:
    return [(e.field, e.message) for e in refusals_of(error)]


def fields(error: ValidationError) -> list[str | None]:
    return [field for field, _ in faults(error)]


# -- the collector ------------------------------------------------------------------------------
def test_refusals_keep_one_message_per_field_and_raise_one_error_when_alone() -> None:
    refusals = Refusals()
    refusals.raise_any()  # nothing wrong: nothing raised
    assert refusals.check(lambda: 5, 0) == 5
    refusals.add("请填写名称。", "name")
    refusals.add("名称重复。", "name")  # a later fault of the same field would only repeat it
    with pytest.raises(ValidationError) as single:
        refusals.raise_any()
    assert not isinstance(single.value, ValidationErrors) and single.value.field == "name"

    def bad_phone() -> int:
        raise ValidationError("电话号码格式不正确。", field="phone")

    assert refusals.check(bad_phone, -1) == -1 and refusals.failed("phone")
    with pytest.raises(ValidationErrors) as several:
        refusals.raise_any()
    assert faults(several.value) == [("name", "请填写名称。"), ("phone", "电话号码格式不正确。")]
    # Code that knows one refusal only (an import's row report, a message box) still says both.
    assert several.value.field == "name" and several.value.message == "请填写名称。电话号码格式不正确。"


# -- credit validation (no database) ------------------------------------------------------------
def test_a_subject_with_every_field_wrong_is_refused_at_every_field() -> None:
    with pytest.raises(ValidationErrors) as refused:
        validated_subject(
            SubjectInput(None, "  ", uscc="123", phone="12", note="备注" * 1001, legal_representative="")
        )
    assert fields(refused.value) == ["kind", "name", "uscc", "phone", "note"]
    assert dict(faults(refused.value))["kind"] == "请选择主体类型。"


def test_a_company_without_its_code_and_a_person_without_an_id_are_told_which_one() -> None:
    with pytest.raises(ValidationErrors) as company:
        validated_subject(SubjectInput(SubjectKind.BIDDER, "", phone="12"))
    assert faults(company.value)[:2] == [("name", "请填写名称。"), ("uscc", "单位须填写统一社会信用代码。")]
    with pytest.raises(ValidationError) as person:
        validated_subject(SubjectInput(SubjectKind.EXPERT, "李建国", uscc=CODE))
    assert faults(person.value) == [("id_number", "个人须填写身份证号。")]
    assert validated_subject(SubjectInput(SubjectKind.BIDDER, "华建", uscc=CODE))["uscc"] == CODE


def test_a_ban_with_every_field_wrong_is_refused_at_every_field() -> None:
    today = clock.today()
    data = RecordInput(
        subject_id=1,
        kind=RecordKind.BAN,
        severity=Severity.SERIOUS,
        decision_date=today - timedelta(days=30),
        facts="",
        authority="",
        decision_number="",
        publicity_end=today - timedelta(days=400),
        ban_start=today,
        ban_end=today - timedelta(days=1),
        points=150,
    )
    with pytest.raises(ValidationErrors) as refused:
        record_values(data, [], today)
    assert fields(refused.value) == [
        "facts",
        "authority",
        "decision_number",
        "publicity_end",
        "ban_end",
        "points",
    ]


def test_a_mistyped_decision_year_does_not_blame_every_period() -> None:
    today = clock.today()
    data = RecordInput(1, RecordKind.BAD, Severity.GENERAL, date(today.year + 36, 3, 1), facts="")
    with pytest.raises(ValidationErrors) as refused:
        record_values(data, [], today)
    assert fields(refused.value) == ["decision_date", "facts"]


def test_catalogue_versions_are_refused_at_every_field() -> None:
    with pytest.raises(ValidationErrors) as rule:
        check_rule(CreditRule(RecordKind.BAN, Severity.SERIOUS, date(2026, 1, 1), 12, 6, 101, 121))
    assert fields(rule.value) == ["publicity_max_months", "ban_months", "points"]
    with pytest.raises(ValidationErrors) as score:
        checked_score_rule(ScoreRule(date(2026, 1, 1), 120, (("A", 90), ("B", 95)), " "))
    assert fields(score.value) == ["base", "bands", "worst_grade"]


# -- services with a database ---------------------------------------------------------------------
def test_staff_accounts_and_center_settings_report_every_field(
    services: Services, admin: CurrentUser
) -> None:
    with pytest.raises(ValidationErrors) as staff:
        services.organisation.save_staff(
            admin, employee_no="", name="", department_id=None, phone="123", id_number="1234"
        )
    assert fields(staff.value) == ["employee_no", "name", "department", "phone", "id_number"]
    with pytest.raises(ValidationErrors) as account:
        services.users.create(admin, username="a b", display_name="", roles=set(), password="Pass#2026x")
    assert fields(account.value) == ["username", "display_name", "roles"]
    loaded = services.center.get()
    with pytest.raises(ValidationErrors) as settings:
        services.center.update(
            admin, {"center_name": "", "doc_number_prefix": "", "lockout_minutes": 0}, loaded.versions
        )
    assert fields(settings.value) == ["center_name", "doc_number_prefix", "lockout_minutes"]
    assert services.center.get().values == loaded.values  # nothing half-saved


def test_a_first_admin_hears_of_the_username_and_the_password_at_once(services: Services) -> None:
    assert services.auth.needs_first_admin()
    with pytest.raises(ValidationErrors) as refused:
        services.auth.create_first_admin("a b", "x")
    assert fields(refused.value) == ["username", "password"]
    assert services.auth.needs_first_admin()


def test_an_import_row_reports_all_its_faults(
    services: Services, leader: CurrentUser, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "subjects.csv",
        [["名称", "主体类型", "统一社会信用代码", "联系电话"], ["", "投标人", wrong_check(CODE), "12"]],
    )
    preview = services.credit_import.preview(leader, "subjects", path)
    [row] = preview.bad_rows
    assert row.column == "名称"  # the first field at fault names the column
    assert "请填写名称" in row.reason and "校验位" in row.reason and "电话号码" in row.reason


def test_a_supervisor_without_a_department_and_the_name_missing_are_reported_together(
    services: Services, admin: CurrentUser
) -> None:
    with pytest.raises(ValidationErrors) as account:
        services.users.update(
            admin,
            admin.user_id or 0,
            display_name="",
            roles=set(),
            department_id=None,
            staff_id=None,
            active=True,
            expected_version=1,
        )
    assert fields(account.value) == ["display_name", "roles"]
    assert Role.SYSTEM_ADMIN in services.users.get(admin.user_id or 0).roles
