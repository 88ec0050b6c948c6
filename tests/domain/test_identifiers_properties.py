"""Check characters of DOMAIN.md §6, proved rather than sampled, plus the input forms people type.

tests/domain/test_identifiers.py samples the two detection properties with hypothesis. Both check
sums are linear, so whether a change is caught depends only on the position and the two characters,
never on the rest of the code: the exhaustive tests below therefore prove, for every position and
every pair of characters, that GB 32100 (mod 31) and GB 11643 (mod 11) catch every single
substitution and every swap of two different neighbours, the check character included. The
hypothesis tests then run the real validators (with their format and birth-date rules) on random
valid codes, typed full-width, lower case or padded.
"""

from __future__ import annotations

import calendar
import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop_app import clock
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.identifiers import (
    ID_CHECK,
    ID_WEIGHTS,
    USCC_ALPHABET,
    USCC_WEIGHTS,
    check_uscc,
    id_check_char,
    is_valid_uscc,
    normalize_resident_id,
    uscc_check_char,
)
from tests.builders import regions, resident_id, resident_ids, uscc, uscc_bodies

PROPERTY = settings(max_examples=300, deadline=None, database=None)
FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHJKLMNPQRTUWXYx", "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹｘ"
)


def id_accepted(code: str) -> bool:
    try:
        normalize_resident_id(code)
    except ValidationError:
        return False
    return True


# -- the algebra, exhaustively ------------------------------------------------------------------
def test_weights_make_every_substitution_and_neighbour_swap_visible() -> None:
    # A substitution at i shifts the sum by (a - b)·wᵢ, a swap at i by (a - b)·(wᵢ - wᵢ₊₁): both moduli
    # are prime, so the shift is never 0 when the weights are non-zero and neighbours differ.
    assert all(w % 31 for w in USCC_WEIGHTS)
    assert all((a - b) % 31 for a, b in itertools.pairwise(USCC_WEIGHTS))
    assert all(w % 11 for w in ID_WEIGHTS)
    assert all((a - b) % 11 for a, b in itertools.pairwise(ID_WEIGHTS))
    assert len(set(ID_CHECK)) == 11 and len(set(USCC_ALPHABET)) == 31


def test_uscc_every_substitution_in_the_body_changes_the_check_character() -> None:
    base = "0" * 17
    for position in range(17):
        for a in USCC_ALPHABET:
            original = base[:position] + a + base[position + 1 :]
            check = uscc_check_char(original)
            for b in USCC_ALPHABET:
                if b != a:
                    changed = original[:position] + b + original[position + 1 :]
                    assert uscc_check_char(changed) != check, (position, a, b)


def test_uscc_every_neighbour_swap_is_caught() -> None:
    # Inside the body: the shift does not depend on the other characters, so one context suffices.
    base = "0" * 17
    for position in range(16):
        for a in USCC_ALPHABET:
            for b in USCC_ALPHABET:
                if a == b:
                    continue
                body = base[:position] + a + b + base[position + 2 :]
                code = uscc(body)
                swapped = code[:position] + b + a + code[position + 2 :]
                assert not is_valid_uscc(swapped), swapped
    # The last body character and the check character: vary the first character so that every
    # (last, check) pair occurs.
    pairs = set()
    for first in USCC_ALPHABET:
        for last in USCC_ALPHABET:
            body = first + "0" * 15 + last
            code = uscc(body)
            pairs.add((last, code[17]))
            if last != code[17]:
                swapped = code[:16] + code[17] + code[16]
                assert not is_valid_uscc(swapped), swapped
    assert len(pairs) == 31 * 31


def test_id_every_substitution_in_the_body_changes_the_check_character() -> None:
    base = "0" * 17
    for position in range(17):
        for a in "0123456789":
            original = base[:position] + a + base[position + 1 :]
            for b in "0123456789":
                if b != a:
                    changed = original[:position] + b + original[position + 1 :]
                    assert id_check_char(changed) != id_check_char(original), (position, a, b)


def test_id_every_neighbour_swap_changes_the_check_character() -> None:
    base = "0" * 17
    for position in range(16):
        for a in "0123456789":
            for b in "0123456789":
                if a != b:
                    body = base[:position] + a + b + base[position + 2 :]
                    swapped = base[:position] + b + a + base[position + 2 :]
                    assert id_check_char(body) != id_check_char(swapped), (position, a, b)
    # The 17th digit and the check character (X cannot move into the body: format error).
    for first in "0123456789":
        for last in "0123456789":
            body = first + "0" * 15 + last
            check = id_check_char(body)
            if check != "X" and check != last:
                assert id_check_char(body[:16] + check) != last


# -- valid codes, as typed ----------------------------------------------------------------------
@PROPERTY
@given(resident_ids())
@example("11010519491231002X")
def test_id_typed_full_width_lower_case_or_padded_is_stored_canonical(code: str) -> None:
    assert normalize_resident_id(code.translate(FULL_WIDTH)) == code
    assert normalize_resident_id(code.lower().translate(FULL_WIDTH)) == code
    assert normalize_resident_id(f"\u3000{code.lower()} \t") == code


@PROPERTY
@given(resident_ids(), st.integers(0, 17), st.sampled_from("0123456789Xx"))
def test_id_single_change_rejected_even_when_typed_full_width(code: str, position: int, char: str) -> None:
    if char.upper() == code[position]:
        return
    changed = code[:position] + char + code[position + 1 :]
    assert not id_accepted(changed.translate(FULL_WIDTH)), changed


@PROPERTY
@given(uscc_bodies)
@example("91350100M000100Y4")
def test_uscc_typed_full_width_or_lower_case_is_stored_canonical(body: str) -> None:
    code = uscc(body)
    assert check_uscc(code.translate(FULL_WIDTH), "") == code
    assert check_uscc(code.lower(), "") == code
    assert check_uscc(f"\u3000{code.lower().translate(FULL_WIDTH)} ", "") == code


@PROPERTY
@given(uscc_bodies, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_uscc_single_change_needs_an_override_reason(body: str, position: int, char: str) -> None:
    code = uscc(body)
    if char == code[position]:
        return
    changed = code[:position] + char + code[position + 1 :]
    with pytest.raises(ValidationError, match="校验位") as caught:
        check_uscc(changed.translate(FULL_WIDTH), "")
    assert caught.value.field == "uscc"
    # ... and is kept as typed (canonical form) once someone gives the reason.
    assert check_uscc(changed.lower(), "营业执照原件核对无误") == changed


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_uscc_letters_outside_the_alphabet_are_refused_even_with_a_reason(letter: str) -> None:
    code = "91350100M000100Y43"
    with pytest.raises(ValidationError, match="不含 I、O、S、V、Z"):
        check_uscc(code[:8] + letter + code[9:], "营业执照原件核对无误")


# -- impossible birth dates ---------------------------------------------------------------------
@st.composite
def impossible_dates(draw: st.DrawFn) -> str:
    """YYYYMMDD that names no day: day 00 or past the month's end, month 00 or above 12."""
    year = draw(st.integers(1900, clock.today().year - 1))
    kind = draw(st.sampled_from(["day0", "past_end", "month0", "month13"]))
    if kind == "day0":
        return f"{year}{draw(st.integers(1, 12)):02d}00"
    if kind == "past_end":
        month = draw(st.integers(1, 12))
        day = draw(st.integers(calendar.monthrange(year, month)[1] + 1, 39))
        return f"{year}{month:02d}{day:02d}"
    month = 0 if kind == "month0" else draw(st.integers(13, 99))
    return f"{year}{month:02d}{draw(st.integers(1, 28)):02d}"


@PROPERTY
@given(impossible_dates(), regions)
@example("19000229", "110105")  # 1900 is not a leap year
@example("20230229", "110105")
@example("20260431", "110105")
def test_id_with_a_day_that_never_existed_is_refused(born: str, region: str) -> None:
    with pytest.raises(ValidationError, match="出生日期不存在") as caught:
        normalize_resident_id(resident_id(f"{region}{born}123"), field="id_number")
    assert caught.value.field == "id_number"


def test_leap_days_are_real() -> None:
    for born in ("20000229", "19960229", "20240229"):
        assert normalize_resident_id(resident_id(f"110105{born}123"))


def test_full_width_uscc_is_checked_like_half_width() -> None:
    body = "91440101MA5CXXXX0"
    code = uscc(body)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert is_valid_uscc(full_width)
