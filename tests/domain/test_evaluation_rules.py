"""The expert-evaluation rules without a database: a mark's severity, the accumulation period (31
December and 1 January in their own years), the thresholds at, below and above each, a serious item
alone, the suspension's last day, catalogue versions by date, the refusal of a suspended expert."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.credit import Severity
from desktop_app.domain.evaluations import (
    Accumulation,
    Item,
    PoolState,
    PoolStatus,
    ProposalAction,
    ProposalReason,
    ThresholdRule,
    in_force,
    item_severity,
    period_of,
    suspension_end,
    thresholds_reached,
)
from desktop_app.services.evaluations.catalogue import items_from_rows
from desktop_app.services.evaluations.sessions import refusal_of
from desktop_app.store.evaluation_models import EvaluationItemRow

RULE = ThresholdRule(date(2026, 1, 1))  # notify at 8, suspend at 12 or on a serious item, 6 months


def test_a_marks_severity() -> None:
    late = Item("E01", "迟到", 2, 1, 3)
    phone = Item("E04", "通讯工具", 5, 3, 8)
    bribe = Item("E16", "收受财物", 15, 10, 15, serious=True)
    assert [item_severity(late, 2), item_severity(phone, 4), item_severity(phone, 5)] == [
        Severity.MINOR,
        Severity.MINOR,
        Severity.GENERAL,
    ]
    assert item_severity(bribe, 10) == Severity.SERIOUS
    assert phone.accepts(3) and phone.accepts(8) and not phone.accepts(2) and not phone.accepts(9)


def test_31_december_and_1_january_count_in_their_own_years() -> None:
    assert period_of(RULE, date(2025, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert period_of(RULE, date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    rolling = ThresholdRule(date(2026, 1, 1), Accumulation.ROLLING_YEAR)
    assert period_of(rolling, date(2026, 3, 1)) == (date(2025, 3, 2), date(2026, 3, 1))


@pytest.mark.parametrize(
    ("points", "serious", "expected"),
    [
        (7, False, []),
        (8, False, [(ProposalAction.NOTIFY, ProposalReason.POINTS)]),
        (11, False, [(ProposalAction.NOTIFY, ProposalReason.POINTS)]),
        (
            12,
            False,
            [(ProposalAction.NOTIFY, ProposalReason.POINTS), (ProposalAction.SUSPEND, ProposalReason.POINTS)],
        ),
        (
            20,
            True,
            [(ProposalAction.NOTIFY, ProposalReason.POINTS), (ProposalAction.SUSPEND, ProposalReason.POINTS)],
        ),
        (3, True, [(ProposalAction.SUSPEND, ProposalReason.SERIOUS)]),  # a serious item alone
    ],
)
def test_thresholds_at_below_and_above(
    points: int, serious: bool, expected: list[tuple[ProposalAction, ProposalReason]]
) -> None:
    assert [(r.action, r.reason) for r in thresholds_reached(points, serious, RULE)] == expected


def test_thresholds_switched_off_and_the_suspensions_last_day() -> None:
    quiet = ThresholdRule(date(2026, 1, 1), notify_points=0, suspend_points=0, serious_suspends=False)
    assert thresholds_reached(99, True, quiet) == []
    assert suspension_end(date(2026, 3, 1), 6) == date(2026, 8, 31)
    assert suspension_end(date(2026, 8, 31), 6) == date(2027, 2, 27)


def test_catalogue_versions_by_date() -> None:
    def row(code: str, text: str, day: date, active: bool = True) -> EvaluationItemRow:
        return EvaluationItemRow(
            code=code,
            text=text,
            default_points=2,
            min_points=1,
            max_points=3,
            effective_from=day,
            active=active,
        )

    rows = [
        row("E01", "迟到", date(2026, 1, 1)),
        row("E02", "缺席", date(2026, 1, 1)),
        row("E01", "迟到或早退", date(2026, 6, 1)),
        row("E02", "缺席", date(2026, 9, 1), active=False),
        row("E18", "新增项", date(2026, 9, 1)),
    ]
    assert [(i.code, i.text) for i in items_from_rows(rows, date(2026, 5, 31))] == [
        ("E01", "迟到"),
        ("E02", "缺席"),
    ]
    assert [(i.code, i.text) for i in items_from_rows(rows, date(2026, 6, 1))] == [
        ("E01", "迟到或早退"),
        ("E02", "缺席"),
    ]
    assert [i.code for i in items_from_rows(rows, date(2026, 9, 1))] == ["E01", "E18"]
    # A paper form from before the catalogue: read with the first catalogue.
    assert [i.text for i in items_from_rows(rows, date(2025, 12, 31))] == ["迟到", "缺席"]
    assert in_force([(date(2026, 1, 1), "a"), (date(2026, 6, 1), "b")], date(2026, 5, 31)) == "a"
    assert in_force([(date(2026, 1, 1), "a")], date(2025, 12, 31)) is None


def test_the_refusal_names_the_decision_and_the_day() -> None:
    status = PoolStatus(PoolState.SUSPENDED, date(2027, 5, 17), "市财政局 财采〔2026〕8号")
    assert refusal_of("张三", "Z1001", status, date(2026, 11, 18)) == (
        "专家张三（Z1001）暂停至2027年5月17日（市财政局 财采〔2026〕8号），不能参加2026年11月18日的评标。"
    )
    assert refusal_of("李四", "", PoolStatus(PoolState.REMOVED), date(2026, 11, 18)) == (
        "专家李四已清退，不能参加2026年11月18日的评标。"
    )
