"""Monthly scoring rules without a database: totals, the caps (never above the maximum nor below 0),
vetoes and grade bands at their edges, the 优秀 quota with its rounding rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.scoring import (
    DEFAULT_RULE,
    Bands,
    Dimension,
    ItemKind,
    Line,
    annual_grade,
    excellent_quota,
    quarter_grade,
    sheet_total,
)

BASE = [
    Line(Dimension.MORALITY, ItemKind.BASE, 15),
    Line(Dimension.ABILITY, ItemKind.BASE, 15),
    Line(Dimension.DILIGENCE, ItemKind.BASE, 10),
    Line(Dimension.PERFORMANCE, ItemKind.BASE, 50),
    Line(Dimension.INTEGRITY, ItemKind.BASE, 10),
]


def test_total_by_dimension_with_deductions_and_bonuses() -> None:
    result = sheet_total(
        [
            *BASE,
            Line(Dimension.DILIGENCE, ItemKind.DEDUCTION, 1.5),
            Line(Dimension.PERFORMANCE, ItemKind.BONUS, 2),
        ],
        110,
    )
    assert result.total == 100.5 and result.grade == "优秀" and not result.veto and not result.capped
    assert (
        result.by_dimension[Dimension.DILIGENCE] == 8.5 and result.by_dimension[Dimension.PERFORMANCE] == 52
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (95, "优秀"),
        (94.99, "良好"),
        (85, "良好"),
        (84.5, "合格"),
        (70, "合格"),
        (69.9, "基本合格"),
        (60, "基本合格"),
        (59.99, "不合格"),
        (0, "不合格"),
    ],
)
def test_grade_bands_at_their_edges(total: float, grade: str) -> None:
    assert DEFAULT_RULE.monthly.grade(total) == grade


def test_a_veto_caps_the_grade_at_qualified_or_below() -> None:
    veto = Line(Dimension.INTEGRITY, ItemKind.DEDUCTION, 0, veto=True)
    bonus = Line(Dimension.PERFORMANCE, ItemKind.BONUS, 5)
    assert sheet_total([*BASE, bonus, veto], 110).grade == "合格"
    low = sheet_total([*BASE, veto, Line(Dimension.MORALITY, ItemKind.DEDUCTION, 35)], 110)
    assert (low.total, low.grade, low.veto) == (65, "基本合格", True)  # below the cap: unchanged
    assert annual_grade([98, 97], vetoed=True) == "合格" and annual_grade([98, 97], vetoed=False) == "优秀"


@given(
    st.lists(
        st.tuples(st.sampled_from(list(ItemKind)), st.floats(0, 60, allow_nan=False), st.booleans()),
        max_size=12,
    )
)
def test_the_total_never_leaves_zero_to_the_maximum(lines: list[tuple[ItemKind, float, bool]]) -> None:
    result = sheet_total([*BASE, *(Line(Dimension.PERFORMANCE, k, p, v) for k, p, v in lines)], 110)
    assert 0 <= result.total <= 110
    assert result.capped == (not 0 <= result.raw <= 110)
    if result.veto:
        assert result.grade in ("合格", "基本合格", "不合格")


@pytest.mark.parametrize(
    ("size", "quota"), [(0, 0), (1, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3), (24, 4)]
)
def test_the_excellent_quota_rounds_down_with_one_from_five(size: int, quota: int) -> None:
    assert excellent_quota(size) == quota


def test_quarterly_grade_and_bands_as_data() -> None:
    assert (
        quarter_grade([90, 89.5, 91]) == "好"
        and quarter_grade([80, 79]) == "一般"
        and quarter_grade([]) == ""
    )
    bands = Bands.parse("优秀:90,良好:80", "一般")
    assert bands.text() == "优秀:90,良好:80" and bands.grade(80) == "良好" and bands.grade(79.9) == "一般"
