"""Chinese line breaking (禁则): the rules hold for any text, with a fake measure and with the real
font's widths; Latin words and numbers stay whole where they fit; nothing is lost."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from desktop_app.notices import official
from desktop_app.notices.fonts import text_width
from desktop_app.notices.linebreak import CANNOT_END, CANNOT_START, break_lines

# The brief's sets; the module's own are wider (half-width and more brackets).
CLOSING = "，。、；：？！）》」"
OPENING = "（《「"
assert set(CLOSING) <= CANNOT_START and set(OPENING) <= CANNOT_END

CJK = "公共资源交易中心诚信服务台投诉受理回执堃喆昇珺"
LATIN_RUN = re.compile(r"[A-Za-z0-9]+")


def fake_measure(text: str) -> float:
    """Full width 1, half width 0.5: like a real CJK font, with round numbers."""
    return sum(0.5 if c.isascii() else 1.0 for c in text)


def real_measure(text: str) -> float:
    return text_width(text, official.BODY_SIZE)


pieces = st.one_of(
    st.sampled_from(CJK),
    st.text("abcdefghXYZ0123456789", min_size=1, max_size=8),  # a Latin word or a number
    st.just(" "),
    st.text(CLOSING + "”’…", min_size=1, max_size=2),
    st.text(OPENING + "“‘", min_size=1, max_size=2),
)
paragraphs = st.lists(pieces, max_size=80).map("".join)


def check(text: str, lines: list[str], width: float, indent: float, measure: object) -> None:
    assert callable(measure)
    # Nothing lost or added (spaces at a break are dropped).
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for index, line in enumerate(lines):
        if index > 0:
            assert not line.startswith((*CLOSING, " ")), (index, lines)
        if index < len(lines) - 1:
            assert not line.endswith(tuple(OPENING)), (index, lines)
        # Fits, except punctuation (or a paragraph's leading space) kept with its neighbour where no
        # break could keep the rules: closing marks hung at the end, opening ones taken down with a
        # word that fills the line.
        available = width - (indent if index == 0 else 0)
        core = line.lstrip(" " + "".join(CANNOT_END)).rstrip(" " + "".join(CANNOT_START))
        assert measure(core) <= available + 1e-9, (index, lines)
    # Words and numbers no longer than a line are never cut.
    if all(measure(run) <= width - indent for run in LATIN_RUN.findall(text)):
        in_lines = [run for line in lines for run in LATIN_RUN.findall(line)]
        assert in_lines == LATIN_RUN.findall(text)


def realistic(text: str) -> bool:
    """At most two punctuation marks in a row (a run of openers longer than a line has no break
    that keeps the rules)."""
    marks = re.escape(CLOSING + OPENING + "”’…“‘")
    return re.search(f"[{marks}]{{3,}}", text) is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(text=paragraphs, width=st.integers(8, 40), indent=st.sampled_from([0, 2]))
@example(text="公公公00000000 ’", width=8, indent=0)  # once gave a line " ’"
@example(text="ABCDEFGHIJKLMNOP。下", width=8, indent=0)  # once gave a line "。下"
@example(text="公‘‘0000000000000", width=8, indent=0)
def test_rules_hold_for_any_text_fake_measure(text, width, indent):
    assume(realistic(text))
    lines = break_lines(text, width, fake_measure, indent)
    check(text, lines, width, indent, fake_measure)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(text=paragraphs, chars=st.integers(6, 26), indent=st.sampled_from([0, 2]))
@example(text="公《 0000000", chars=6, indent=0)  # once left 《 at a line end (a space after it)
@example(text="‘《00000000", chars=6, indent=0)
def test_rules_hold_with_the_real_font_widths(text, chars, indent):
    assume(realistic(text))
    width = chars * official.BODY_SIZE
    lines = break_lines(text, width, real_measure, indent * official.BODY_SIZE)
    check(text, lines, width, indent * official.BODY_SIZE, real_measure)


@settings(max_examples=150, deadline=None)
@given(text=st.text(CJK + CLOSING + OPENING + "ab1 ", max_size=60), width=st.integers(2, 12))
def test_never_loses_text_even_for_odd_input(text, width):
    """Any text, any width (runs of punctuation, tiny lines): every character comes out once."""
    lines = break_lines(text, width, fake_measure)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_closing_punctuation_takes_the_character_before_it_down():
    # 13 characters fit; the 14th is a full stop: 台 goes down with it.
    assert break_lines("公共资源交易中心诚信服务台。", 13, fake_measure) == [
        "公共资源交易中心诚信服务",
        "台。",
    ]
    assert break_lines("公共资源交易中心诚信。好", 10, fake_measure) == ["公共资源交易中心诚", "信。好"]
    assert break_lines("公共资源交易中心”。好", 8, fake_measure) == ["公共资源交易中", "心”。好"]


def test_opening_punctuation_goes_down_with_what_it_opens():
    assert break_lines("公共资源交易中（心）", 8, fake_measure) == ["公共资源交易中", "（心）"]
    assert break_lines("公共资源交易中《心", 8, fake_measure) == ["公共资源交易中", "《心"]


def test_latin_words_and_numbers_stay_whole_when_they_fit():
    text = "请登录 www.example.gov.cn 查询编号 TS2026-000123 的办理进度"
    for width in range(12, 30):
        lines = break_lines(text, width, fake_measure)
        joined = "\n".join(lines)
        assert "www.example.gov.cn" in joined and "TS2026-000123" in joined, lines
    assert break_lines("金额 1280.00 元", 5, fake_measure) == ["金额", "1280.00 元"]


def test_a_token_longer_than_the_line_is_split():
    token = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"  # 18 units
    lines = break_lines(f"编号{token}。", 10, fake_measure)
    assert lines == ["编号", token[:20], token[20:] + "。"]


def test_closing_punctuation_hangs_after_a_word_that_fills_the_line():
    # "ABCDEFGHIJ" fills the 5-unit line: the full stop cannot start the next one, and there is no
    # character to take down with it, so it hangs in the margin.
    lines = break_lines("ABCDEFGHIJ。下一句", 5, fake_measure)
    assert lines == ["ABCDEFGHIJ。", "下一句"]
    lines = break_lines("中文ABCDEFGHIJ，", 5, fake_measure)
    assert lines == ["中文", "ABCDEFGHIJ，"]


def test_a_space_before_closing_punctuation_never_starts_a_line():
    lines = break_lines("公共资源交 易中心 。", 8, fake_measure)
    assert all(not line.startswith((" ", "。")) for line in lines[1:]), lines


def test_first_line_indent():
    text = "公" * 30
    lines = break_lines(text, 10, fake_measure, first_indent=2)
    assert [len(line) for line in lines] == [8, 10, 10, 2]
    # Each paragraph (explicit newline) starts indented again.
    assert [len(line) for line in break_lines("公" * 9 + "\n" + "共" * 9, 10, fake_measure, 2)] == [
        8,
        1,
        8,
        1,
    ]


def test_explicit_newlines_and_empty_paragraphs():
    assert break_lines("第一行\n\n第三行", 10, fake_measure) == ["第一行", "", "第三行"]
    assert break_lines("", 10, fake_measure) == [""]


def test_trailing_spaces_are_not_kept_at_a_break():
    lines = break_lines("aaaa bbbb cccc dddd", 2, fake_measure)
    assert lines == ["aaaa", "bbbb", "cccc", "dddd"]


@pytest.mark.parametrize("size", [9.5, 12, 16])
def test_real_widths_fill_the_line(size):
    text = "公共资源交易中心诚信服务台" * 10
    width = official.TEXT_W
    lines = break_lines(text, width, lambda s: text_width(s, size))
    assert all(text_width(line, size) <= width for line in lines)
    # Full lines hold as many characters as fit: the next one would not.
    for line in lines[:-1]:
        assert text_width(line + "公", size) > width
