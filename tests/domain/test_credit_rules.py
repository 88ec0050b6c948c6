"""Credit rules of DOMAIN.md §1 on plain data: periods, the catalogue version in force, which records
count on a day, and the verdict, score and grade (desktop_app.domain.credit)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.credit import (
    CreditRule,
    Defaults,
    RecordFacts,
    RecordKind,
    RecordStatus,
    ScoreRule,
    Severity,
    Verdict,
    assess,
    ban_period,
    bars_entry,
    default_periods,
    effective_period,
    in_force,
    period_end,
    rule_in_force,
    score_rule_in_force,
    state_on,
    validate_periods,
)
from desktop_app.domain.errors import ValidationError

PROPERTY = settings(max_examples=300, deadline=None, database=None)
SCORE = ScoreRule(date(2026, 4, 1), 100, (("A", 90), ("B", 80), ("C", 70), ("D", 60)), "E")
D0 = date(2026, 3, 1)


# -- periods ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 14)),  # the example of the docstring
        (date(2026, 3, 1), 1, date(2026, 3, 31)),
        (date(2026, 1, 1), 12, date(2026, 12, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 14)),  # across the year
        (date(2026, 5, 20), 36, date(2029, 5, 19)),
        (date(2026, 1, 28), 1, date(2026, 2, 27)),
        # The target month has no corresponding day: the period ends on that month's last day
        # (民法典 第二百零三条: 没有对应日的，月末日为期间的最后一日).
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 29), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a year from a leap day
        (date(2024, 2, 29), 48, date(2028, 2, 28)),  # the next leap day is the corresponding day
        (date(2026, 2, 28), 1, date(2026, 3, 27)),
        (date(2026, 4, 30), 1, date(2026, 5, 29)),
    ],
)
def test_period_end(start: date, months: int, last_day: date) -> None:
    assert period_end(start, months) == last_day


@PROPERTY
@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(1, 120))
def test_period_end_properties(start: date, months: int) -> None:
    end = period_end(start, months)
    assert end >= start
    # Never ends before the day before the next start of a period of the same length ...
    assert period_end(start + timedelta(days=1), months) >= end
    # ... and whole months: between 28·n−3 and 31·n days, ending on the day before the same
    # day of the month, or on the last day of a month that has no such day.
    assert 28 * months - 3 <= (end - start).days + 1 <= 31 * months
    following = end + timedelta(days=1)
    assert following.day == start.day or following.day == 1


def rule(
    kind: RecordKind = RecordKind.BAD,
    severity: Severity = Severity.GENERAL,
    effective_from: date = date(2026, 4, 1),
    min_months: int = 3,
    max_months: int = 12,
    points: int = 5,
    ban_months: int = 0,
) -> CreditRule:
    return CreditRule(kind, severity, effective_from, min_months, max_months, points, ban_months)


def test_default_periods_from_the_rule() -> None:
    decided = date(2026, 4, 15)
    assert default_periods(rule(), decided) == Defaults(date(2026, 7, 14), date(2027, 4, 14), None, None, 5)
    ban = rule(RecordKind.BAN, min_months=12, max_months=24, points=15, ban_months=12)
    assert default_periods(ban, decided) == Defaults(
        date(2027, 4, 14), date(2028, 4, 14), decided, date(2027, 4, 14), 15
    )
    # No minimum: repair may be asked at once; no ban months: the ban end is typed by hand.
    minor = rule(RecordKind.BAD, Severity.MINOR, min_months=0, max_months=3, points=2)
    assert default_periods(minor, decided) == Defaults(None, date(2026, 7, 14), None, None, 2)
    open_ban = rule(RecordKind.BAN, ban_months=0)
    assert default_periods(open_ban, decided).ban_start == decided
    assert default_periods(open_ban, decided).ban_end is None
    assert default_periods(None, decided) == Defaults(None, None, None, None, 0)


def test_rule_in_force_picks_the_version_of_the_day() -> None:
    first = rule(effective_from=date(2026, 4, 1), points=5)
    second = rule(effective_from=date(2027, 1, 1), points=6)
    other_kind = rule(RecordKind.GOOD, effective_from=date(2020, 1, 1), points=3)
    other_severity = rule(severity=Severity.SERIOUS, effective_from=date(2020, 1, 1), points=10)
    rules = [second, other_kind, first, other_severity]  # in no particular order
    general = (RecordKind.BAD, Severity.GENERAL)
    assert rule_in_force(rules, *general, date(2026, 4, 1)) == first
    assert rule_in_force(rules, *general, date(2026, 12, 31)) == first
    assert rule_in_force(rules, *general, date(2027, 1, 1)) == second
    assert rule_in_force(rules, *general, date(2030, 6, 1)) == second
    # Before any version (an old decision entered today): the first version.
    assert rule_in_force(rules, *general, date(2019, 1, 1)) == first
    assert rule_in_force(rules, RecordKind.BAN, Severity.GENERAL, date(2026, 5, 1)) is None
    assert rule_in_force([], *general, date(2026, 5, 1)) is None


def test_score_rule_in_force() -> None:
    later = replace(SCORE, effective_from=date(2027, 1, 1), base=90)
    assert score_rule_in_force([later, SCORE], date(2026, 12, 31)) == SCORE
    assert score_rule_in_force([later, SCORE], date(2027, 1, 1)) == later
    assert score_rule_in_force([later, SCORE], date(2020, 1, 1)) == SCORE
    with pytest.raises(ValidationError, match="评分规则"):
        score_rule_in_force([], date(2026, 1, 1))


# -- validate_periods ---------------------------------------------------------------------------
def test_valid_periods_pass() -> None:
    validate_periods(RecordKind.BAD, D0, D0, D0, None, None, 0)
    validate_periods(RecordKind.BAD, D0, None, date(2027, 1, 1), None, None, 100)
    validate_periods(RecordKind.BAN, D0, None, None, D0, D0, 15)  # a one-day ban
    validate_periods(RecordKind.BAN, D0, None, date(2028, 1, 1), date(2026, 3, 10), date(2027, 3, 9), 15)


@pytest.mark.parametrize(
    ("kind", "periods", "field", "message"),
    [
        (RecordKind.BAD, (D0 - timedelta(1), D0, None, None, 5), "publicity_min_end", "最短期限不能早于"),
        (RecordKind.BAD, (None, D0 - timedelta(1), None, None, 5), "publicity_end", "截止日期不能早于"),
        (
            RecordKind.BAD,
            (date(2026, 6, 1), date(2026, 5, 31), None, None, 5),
            "publicity_min_end",
            "不能晚于",
        ),
        (RecordKind.BAN, (None, None, None, date(2027, 1, 1), 5), "ban_start", "禁入开始日期"),
        (RecordKind.BAN, (None, None, D0, None, 5), "ban_end", "禁入截止日期"),
        (RecordKind.BAN, (None, None, D0, D0 - timedelta(1), 5), "ban_end", "不能早于开始日期"),
        (RecordKind.BAD, (None, date(2027, 1, 1), D0, None, 5), "ban_start", "只有禁止入场"),
        (RecordKind.SERIOUS, (None, date(2027, 1, 1), None, D0, 5), "ban_start", "只有禁止入场"),
        (RecordKind.BAD, (None, None, None, None, 5), "publicity_end", "公示截止日期"),
        (RecordKind.GOOD, (None, None, None, None, 5), "publicity_end", "公示截止日期"),
        (RecordKind.BAD, (None, date(2027, 1, 1), None, None, -1), "points", "0 到 100"),
        (RecordKind.BAD, (None, date(2027, 1, 1), None, None, 101), "points", "0 到 100"),
    ],
)
def test_invalid_periods(
    kind: RecordKind,
    periods: tuple[date | None, date | None, date | None, date | None, int],
    field: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        validate_periods(kind, D0, *periods)
    assert caught.value.field == field


# -- which records count on a day ---------------------------------------------------------------
def facts(
    kind: RecordKind = RecordKind.BAD,
    status: RecordStatus = RecordStatus.CONFIRMED,
    decision_date: date = D0,
    publicity_end: date | None = date(2026, 12, 31),
    ban: tuple[date, date] | None = None,
    points: int = 5,
    repaired_on: date | None = None,
    record_id: int = 1,
    decision_number: str = "",
) -> RecordFacts:
    return RecordFacts(
        id=record_id,
        kind=kind,
        status=status,
        decision_date=decision_date,
        publicity_end=publicity_end,
        ban_start=ban[0] if ban else None,
        ban_end=ban[1] if ban else None,
        points=points,
        repaired_on=repaired_on,
        decision_number=decision_number,
    )


BAN_FIRST, BAN_LAST = date(2026, 3, 10), date(2026, 9, 9)


def a_ban(**changes: object) -> RecordFacts:
    record = facts(RecordKind.BAN, publicity_end=date(2028, 3, 1), ban=(BAN_FIRST, BAN_LAST), points=15)
    return replace(record, **changes)  # type: ignore[arg-type]


def test_a_ban_bars_from_its_first_to_the_end_of_its_last_day() -> None:
    ban = a_ban()
    assert not bars_entry(ban, BAN_FIRST - timedelta(days=1))
    assert bars_entry(ban, BAN_FIRST)
    assert bars_entry(ban, BAN_LAST)
    assert not bars_entry(ban, BAN_LAST + timedelta(days=1))
    assert ban_period(ban) == (BAN_FIRST, BAN_LAST)
    # Without a ban start of its own, it starts on the decision date.
    assert ban_period(replace(ban, ban_start=None)) == (D0, BAN_LAST)
    assert state_on(ban, BAN_FIRST - timedelta(days=1)) == "禁入未开始"
    assert state_on(ban, BAN_FIRST) == "生效中"
    assert state_on(ban, BAN_LAST + timedelta(days=1)) == "禁入期满（公示中）"
    assert state_on(ban, date(2028, 3, 2)) == "已到期"


def test_a_ban_stays_published_as_a_record_before_and_after_its_ban_days() -> None:
    ban = a_ban()
    assert effective_period(ban) == (D0, date(2028, 3, 1))
    for day in (D0, BAN_FIRST - timedelta(days=1), BAN_LAST + timedelta(days=1), date(2028, 3, 1)):
        assert in_force(ban, day)
    assert not in_force(ban, date(2028, 3, 2))
    # Publicity never ends before the ban does.
    short = a_ban(publicity_end=date(2026, 6, 1))
    assert effective_period(short) == (D0, BAN_LAST)
    assessed = assess([ban], BAN_LAST + timedelta(days=1), SCORE)
    assert assessed.verdict == Verdict.RECORDS and assessed.barring_record_ids == ()
    assert assess([ban], BAN_LAST, SCORE).verdict == Verdict.BANNED


def test_a_record_counts_from_its_decision_date_to_its_publicity_end() -> None:
    record = facts(publicity_end=date(2026, 6, 30))
    assert not in_force(record, D0 - timedelta(days=1))
    assert in_force(record, D0)
    assert in_force(record, date(2026, 6, 30))
    assert not in_force(record, date(2026, 7, 1))
    assert in_force(facts(publicity_end=None), date(2099, 1, 1))  # open-ended


@pytest.mark.parametrize("status", [RecordStatus.PENDING, RecordStatus.DECLINED, RecordStatus.REVOKED])
def test_pending_declined_and_revoked_never_count(status: RecordStatus) -> None:
    for record in (a_ban(status=status), facts(RecordKind.SERIOUS, status=status), facts(status=status)):
        for day in (D0, BAN_FIRST, BAN_LAST, date(2026, 12, 31)):
            assert not in_force(record, day)
            assert (
                state_on(record, day)
                == {
                    RecordStatus.PENDING: "待领导确认",
                    RecordStatus.DECLINED: "未获确认",
                    RecordStatus.REVOKED: "已撤销",
                }[status]
            )
        assessment = assess([record], BAN_FIRST, SCORE)
        assert assessment.verdict == Verdict.CLEAR and assessment.score == 100


def test_a_repaired_record_ends_the_day_before_the_repair() -> None:
    repaired = facts(status=RecordStatus.REPAIRED, repaired_on=date(2026, 7, 1))
    assert in_force(repaired, date(2026, 6, 30))
    assert not in_force(repaired, date(2026, 7, 1))
    assert state_on(repaired, date(2026, 6, 30)) == "生效中"
    assert state_on(repaired, date(2026, 7, 1)) == "已修复"
    assert state_on(repaired, D0 - timedelta(days=1)) == "未开始"
    assert effective_period(repaired) == (D0, date(2026, 6, 30))
    # A repair after the natural end changes nothing; an open-ended record gets an end.
    late = facts(status=RecordStatus.REPAIRED, publicity_end=date(2026, 5, 31), repaired_on=date(2026, 7, 1))
    assert effective_period(late) == (D0, date(2026, 5, 31))
    open_ended = facts(status=RecordStatus.REPAIRED, publicity_end=None, repaired_on=date(2026, 7, 1))
    assert effective_period(open_ended) == (D0, date(2026, 6, 30))
    ban = a_ban(status=RecordStatus.REPAIRED, repaired_on=date(2026, 5, 1))
    assert assess([ban], date(2026, 4, 30), SCORE).verdict == Verdict.BANNED
    assert assess([ban], date(2026, 5, 1), SCORE).verdict == Verdict.CLEAR


# -- verdict, score, grade ----------------------------------------------------------------------
def test_no_records_is_clear_with_full_score() -> None:
    result = assess([], D0, SCORE)
    assert (result.verdict, result.score, result.grade, result.grade_overridden) == (
        Verdict.CLEAR,
        100,
        "A",
        False,
    )
    assert result.barring_record_ids == () and result.adverse_record_ids == ()


def test_verdict_comes_only_from_bans_and_the_serious_list() -> None:
    # Enough bad records to drive the score to 0: still allowed in (no hidden bidding barrier).
    bad = [facts(record_id=i, points=30) for i in range(1, 6)]
    result = assess(bad, D0, SCORE)
    assert result.verdict == Verdict.RECORDS
    assert result.score == 0 and result.grade == "E" and not result.grade_overridden
    assert result.adverse_record_ids == (1, 2, 3, 4, 5)
    assert "不影响入场" in result.reason
    for kind in (RecordKind.EXPERT_DEDUCTION, RecordKind.STAFF_RECORD):
        assert assess([facts(kind)], D0, SCORE).verdict == Verdict.RECORDS
    serious = facts(RecordKind.SERIOUS, points=0, record_id=9, decision_number="发改〔2026〕1号")
    listed = assess([serious], D0, SCORE)
    assert listed.verdict == Verdict.BANNED
    assert listed.barring_record_ids == (9,)
    assert "严重失信" in listed.reason and "发改〔2026〕1号" in listed.reason
    banned = assess([a_ban(points=0, decision_number="天建罚〔2026〕3号")], BAN_FIRST, SCORE)
    assert banned.verdict == Verdict.BANNED
    assert "禁止入场（天建罚〔2026〕3号）" in banned.reason and BAN_LAST.isoformat() in banned.reason


def test_a_good_record_alone_is_clear() -> None:
    result = assess([facts(RecordKind.GOOD, points=3)], D0, SCORE)
    assert result.verdict == Verdict.CLEAR and result.score == 100  # clamped at 100
    assert result.adverse_record_ids == ()


def test_score_is_base_minus_bad_plus_good_clamped() -> None:
    low = replace(SCORE, base=80)
    records = [facts(points=7, record_id=1), facts(RecordKind.GOOD, points=3, record_id=2)]
    assert assess(records, D0, low).score == 76
    # Only records in force count.
    expired = facts(
        points=50, record_id=3, publicity_end=D0 - timedelta(days=1), decision_date=date(2025, 1, 1)
    )
    assert assess([*records, expired], D0, low).score == 76
    assert assess([facts(RecordKind.GOOD, points=40)], D0, low).score == 100
    assert assess([facts(points=100), facts(points=100, record_id=2)], D0, low).score == 0


@pytest.mark.parametrize(
    ("deducted", "grade"),
    [
        (0, "A"),
        (10, "A"),
        (11, "B"),
        (20, "B"),
        (21, "C"),
        (30, "C"),
        (31, "D"),
        (40, "D"),
        (41, "E"),
        (100, "E"),
    ],
)
def test_grade_bands(deducted: int, grade: str) -> None:
    result = assess([facts(points=deducted)], D0, SCORE)
    assert result.score == 100 - deducted
    assert result.grade == grade


@pytest.mark.parametrize("barring", ["ban", "serious"])
def test_a_barring_record_overrides_the_grade(barring: str) -> None:
    record = a_ban(points=0) if barring == "ban" else facts(RecordKind.SERIOUS, points=0)
    result = assess([record, facts(RecordKind.GOOD, points=3, record_id=2)], BAN_FIRST, SCORE)
    assert result.score == 100  # the score is still shown, as information
    assert result.grade == "E" and result.grade_overridden
    assert result.verdict == Verdict.BANNED
    # The ban is over: grade from the score again.
    after = assess([record], BAN_LAST + timedelta(days=1), SCORE)
    if barring == "ban":
        # may enter again, the decision still published as a record; graded by its score again
        assert after.verdict == Verdict.RECORDS and after.grade == "A" and not after.grade_overridden


def test_several_barring_records_are_all_named_in_id_order() -> None:
    records = [
        facts(RecordKind.SERIOUS, record_id=7, decision_number="B号"),
        a_ban(id=3, decision_number="A号"),
    ]
    result = assess(records, BAN_FIRST, SCORE)
    assert sorted(result.barring_record_ids) == [3, 7]
    assert result.reason.index("A号") < result.reason.index("B号")


def test_decision_dates_and_periods_with_a_mistyped_year_are_refused() -> None:
    from desktop_app.domain.credit import check_decision_date
    from desktop_app.domain.errors import ValidationError

    today = date(2026, 11, 27)
    check_decision_date(today, today)
    check_decision_date(date(1990, 1, 1), today)
    for wrong in (date(2026, 11, 28), date(2062, 3, 1), date(1989, 12, 31)):
        with pytest.raises(ValidationError) as caught:
            check_decision_date(wrong, today)
        assert caught.value.field == "decision_date"
    with pytest.raises(ValidationError) as caught:
        validate_periods(RecordKind.BAD, D0, None, date(2206, 3, 1), None, None, 5)
    assert caught.value.field == "publicity_end"
    validate_periods(RecordKind.BAD, D0, None, date(2046, 3, 1), None, None, 5)  # 20 years: allowed
