"""The credit score rule as an editable catalogue (DOMAIN.md §1, DESIGN.md 7): versions from a date,
corrections, validation at the field, stale edits, the settings right and the audit entry. SQLite and
PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from desktop_app.domain.credit import ScoreRule
from desktop_app.domain.errors import PermissionDenied, StaleEdit, ValidationError
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from tests.builders import audit_actions, audit_entries, bad, chain_intact, company

SEEDED = ScoreRule(date(2026, 4, 1), 100, (("A", 90), ("B", 80), ("C", 70), ("D", 60)), "E")
NEW_FROM = date(2026, 6, 1)
NEW = ScoreRule(NEW_FROM, 95, (("优", 90), ("良", 75), ("中", 60)), "差")


def test_the_seeded_rule_is_listed(services: Services) -> None:
    [(row_id, version, rule)] = services.credit.score_rule_rows()
    assert rule == SEEDED and row_id > 0 and version >= 1


def test_a_new_version_grades_from_its_date_on(
    services: Services, admin: CurrentUser, leader: CurrentUser
) -> None:
    sid = company(services, leader)
    services.credit.add_record(leader, bad(sid, points=15))  # decided 2026-04-15, in force a year
    before = services.credit.assess(sid, date(2026, 5, 31))
    assert (before.score, before.grade) == (85, "B")

    services.credit.save_score_rule(admin, NEW)

    assert [r for _i, _v, r in services.credit.score_rule_rows()] == [SEEDED, NEW]
    unchanged = services.credit.assess(sid, date(2026, 5, 31))
    assert (unchanged.score, unchanged.grade) == (85, "B")
    on_day = services.credit.assess(sid, NEW_FROM)
    assert (on_day.score, on_day.grade) == (80, "良")
    later = services.credit.assess(sid, date(2026, 12, 1))
    assert later.grade == "良"
    [entry] = audit_entries(services.db, "credit.score_rule.save")
    assert entry["username"] == admin.username
    assert entry["new_version"] == "2026-06-01"
    assert entry["bands"] == "优:90,良:75,中:60" and entry["base"] == 95 and entry["worst_grade"] == "差"
    assert chain_intact(services.db)


def test_correcting_a_version_in_place(services: Services, admin: CurrentUser, leader: CurrentUser) -> None:
    sid = company(services, leader)
    services.credit.add_record(leader, bad(sid, points=15))
    [(row_id, version, _rule)] = services.credit.score_rule_rows()
    corrected = dataclasses.replace(SEEDED, bands=(("A", 90), ("B", 86), ("C", 70), ("D", 60)))
    services.credit.save_score_rule(admin, corrected, expected_version=version)
    [(same_id, new_version, stored)] = services.credit.score_rule_rows()
    assert (same_id, stored) == (row_id, corrected) and new_version == version + 1
    assert services.credit.assess(sid, date(2026, 5, 1)).grade == "C"
    [entry] = audit_entries(services.db, "credit.score_rule.save")
    assert entry["effective_from"] == "2026-04-01"
    assert entry["bands"] == ["A:90,B:80,C:70,D:60", "A:90,B:86,C:70,D:60"]

    # Another workstation saved first: the stale version is refused and nothing changes.
    with pytest.raises(StaleEdit):
        services.credit.save_score_rule(admin, SEEDED, expected_version=version)
    assert services.credit.score_rule_rows()[0][2] == corrected
    # Correcting a date that has no version is refused at the date.
    with pytest.raises(ValidationError) as error:
        services.credit.save_score_rule(admin, NEW, expected_version=1)
    assert error.value.field == "effective_from"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"base": 101}, "base", "基础分"),
        ({"base": -1}, "base", "基础分"),
        ({"bands": ()}, "bands", "至少"),
        ({"bands": (("A", 90), ("B", 90))}, "bands", "递减"),
        ({"bands": (("A", 80), ("B", 90))}, "bands", "递减"),
        ({"bands": (("A", 101),)}, "bands", "0 到 100"),
        ({"bands": (("A", 90), ("", 80))}, "bands", "名称"),
        ({"bands": (("A", 90), (" A ", 80))}, "bands", "重复"),
        ({"bands": (("甲级信用优秀企业单位名", 90),)}, "bands", "10 个字"),
        ({"bands": (("A:B", 90),)}, "bands", "冒号"),
        ({"worst_grade": " "}, "worst_grade", "最低等级"),
        ({"worst_grade": "良"}, "worst_grade", "重名"),
        ({"worst_grade": "很差很差很差很差很差很"}, "worst_grade", "10 个字"),
        ({"effective_from": date(1999, 12, 31)}, "effective_from", "生效日期"),
    ],
)
def test_invalid_rules_are_refused_at_the_field(
    services: Services, admin: CurrentUser, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.credit.save_score_rule(admin, dataclasses.replace(NEW, **changes))  # type: ignore[arg-type]
    assert error.value.field == field and words in error.value.message
    assert len(services.credit.score_rule_rows()) == 1
    assert "credit.score_rule.save" not in audit_actions(services.db)


def test_grade_names_are_trimmed(services: Services, admin: CurrentUser) -> None:
    services.credit.save_score_rule(admin, dataclasses.replace(NEW, bands=((" 优 ", 90),), worst_grade=" 差"))
    assert services.credit.score_rule_rows()[-1][2] == dataclasses.replace(NEW, bands=(("优", 90),))


def test_only_the_settings_right_edits_the_score_rule(
    services: Services, leader: CurrentUser, supervisor: CurrentUser, clerk: CurrentUser
) -> None:
    for actor in (leader, supervisor, clerk):
        with pytest.raises(PermissionDenied):
            services.credit.save_score_rule(actor, NEW)
    assert [r for _i, _v, r in services.credit.score_rule_rows()] == [SEEDED]
    assert "credit.score_rule.save" not in audit_actions(services.db)
