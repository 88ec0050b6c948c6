"""Identifiers of DOMAIN.md §6: resident ID, USCC, phone numbers and their masks.

Property tests: every valid code is accepted, and every single-character change and every swap of
two different neighbours is rejected (the two things a check character exists to catch).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings

from desktop_app import clock
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.identifiers import (
    USCC_ALPHABET,
    id_check_char,
    is_valid_uscc,
    mask,
    mask_address,
    mask_id_number,
    mask_phone,
    normalize_phone,
    normalize_resident_id,
    uscc_check_char,
)
from tests.builders import born_on, resident_id, resident_ids, uscc, uscc_bodies

PROPERTY = settings(max_examples=150, deadline=None, database=None)
VALID_ID = "440301199001011234"  # check character computed by hand: 4
VALID_ID_X = "11010519491231002X"  # a well-known sample with check character X
VALID_USCC = "91350100M000100Y43"  # a well-known sample code


def accepted(code: str) -> bool:
    try:
        normalize_resident_id(code)
    except ValidationError:
        return False
    return True


# -- resident ID -----------------------------------------------------------------------------
def test_known_ids() -> None:
    assert id_check_char(VALID_ID[:17]) == "4"
    assert normalize_resident_id(VALID_ID) == VALID_ID
    assert normalize_resident_id(VALID_ID_X) == VALID_ID_X


def test_lower_case_x_accepted_and_stored_upper() -> None:
    assert normalize_resident_id(VALID_ID_X.lower()) == VALID_ID_X
    assert normalize_resident_id(f"  {VALID_ID_X[:17]}x \t") == VALID_ID_X


@pytest.mark.parametrize(
    "code",
    [
        "",
        "44030119900101123",  # 17 characters
        "4403011990010112345",  # 19 characters
        "44030119900101123Y",
        "X40301199001011234",
        "440301 99001011234",
    ],
)
def test_malformed_ids(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_resident_id(code, field="complainant_id")
    assert caught.value.field == "complainant_id"


def test_birth_date_must_exist() -> None:
    with pytest.raises(ValidationError, match="出生日期不存在"):
        normalize_resident_id(resident_id("44030119900230123"))  # 30 February
    with pytest.raises(ValidationError, match="出生日期不存在"):
        normalize_resident_id(resident_id("44030119901301123"))  # month 13
    assert normalize_resident_id(resident_id("44030120000229123"))  # a leap day


def test_birth_date_must_be_plausible() -> None:
    today = clock.today()
    with pytest.raises(ValidationError, match="不合理"):
        normalize_resident_id(born_on(today + timedelta(days=1)))
    with pytest.raises(ValidationError, match="不合理"):
        normalize_resident_id(born_on(date(1899, 12, 31)))
    assert normalize_resident_id(born_on(today))


def test_wrong_check_character() -> None:
    with pytest.raises(ValidationError, match="校验位"):
        normalize_resident_id(VALID_ID[:17] + "5")


def test_full_width_digits_are_folded_to_ascii() -> None:
    # A Chinese input method in full-width mode types ４４０３...; it is the same ID and must be
    # stored in one form, or exact lookups (keyed hashes) and duplicate checks miss it.
    full_width = VALID_ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert normalize_resident_id(full_width) == VALID_ID
    assert normalize_resident_id(VALID_ID_X[:17] + "ｘ") == VALID_ID_X


def test_other_unicode_digits_are_refused() -> None:
    arabic_indic = VALID_ID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    with pytest.raises(ValidationError):
        normalize_resident_id(arabic_indic)


@PROPERTY
@given(resident_ids())
def test_every_valid_id_is_accepted(code: str) -> None:
    assert normalize_resident_id(code) == code
    assert normalize_resident_id(code.lower()) == code


@PROPERTY
@given(resident_ids())
def test_every_single_character_change_is_rejected(code: str) -> None:
    for position in range(18):
        for replacement in "0123456789Xx":
            if replacement.upper() == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert not accepted(changed), changed


@PROPERTY
@given(resident_ids())
def test_every_swap_of_different_neighbours_is_rejected(code: str) -> None:
    for position in range(17):
        a, b = code[position], code[position + 1]
        if a == b:
            continue
        swapped = code[:position] + b + a + code[position + 2 :]
        assert not accepted(swapped), swapped


# -- USCC --------------------------------------------------------------------------------------
def test_known_uscc() -> None:
    assert is_valid_uscc(VALID_USCC)
    assert is_valid_uscc(VALID_USCC.lower())
    assert is_valid_uscc(f" {VALID_USCC} ")
    assert uscc_check_char(VALID_USCC[:17]) == VALID_USCC[17]


@pytest.mark.parametrize(
    "code",
    [
        "",
        VALID_USCC[:17],
        VALID_USCC + "0",
        "91350100M000100I43",  # I is not in the alphabet
        "91350100O000100Y43",  # nor O
        "91350100M000100Y44",
    ],
)
def test_invalid_uscc(code: str) -> None:
    assert not is_valid_uscc(code)


def test_uscc_alphabet_has_no_ambiguous_letters() -> None:
    assert len(USCC_ALPHABET) == 31
    assert not set("IOSVZ") & set(USCC_ALPHABET)


@PROPERTY
@given(uscc_bodies)
def test_every_valid_uscc_is_accepted(body: str) -> None:
    code = uscc(body)
    assert is_valid_uscc(code)
    assert is_valid_uscc(code.lower())


@PROPERTY
@given(uscc_bodies)
def test_every_single_uscc_change_is_rejected(body: str) -> None:
    code = uscc(body)
    for position in range(18):
        for replacement in USCC_ALPHABET + "IOSVZ-":
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert not is_valid_uscc(changed), changed


@PROPERTY
@given(uscc_bodies)
def test_every_uscc_swap_of_different_neighbours_is_rejected(body: str) -> None:
    code = uscc(body)
    for position in range(17):
        a, b = code[position], code[position + 1]
        if a == b:
            continue
        swapped = code[:position] + b + a + code[position + 2 :]
        assert not is_valid_uscc(swapped), swapped


# -- phones ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("＋８６ １３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
        ("022-12345678", "022-12345678"),
        ("02212345678", "02212345678"),
        ("0755-1234567", "0755-1234567"),
        ("(022)12345678", "02212345678"),
        ("（022）12345678", "02212345678"),
        ("022－12345678", "022-12345678"),
    ],
)
def test_phone_normalisation(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12812345678",  # second digit 2
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "+1 13812345678",
        "22-12345678",  # landline without the leading 0
        "022-123456",  # too short
        "022-123456789",
        "abc",
        "138١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    ],
)
def test_bad_phones(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone(typed, field="complainant_phone")
    assert caught.value.field == "complainant_phone"


# -- masks -------------------------------------------------------------------------------------
def test_masks_exact_form() -> None:
    assert mask_id_number(VALID_ID) == "4403**********1234"
    assert mask("id_number", VALID_ID_X) == "1101**********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask("phone", "13812345678") == "138****5678"
    assert mask_phone("022-12345678") == "022****5678"
    assert mask("phone", None) is None


def test_masks_never_show_short_values() -> None:
    assert mask_id_number("12345678") == "********"
    assert mask_phone("12345") == "*****"


def test_mask_address_keeps_only_the_prefix() -> None:
    address = "天津市河西区友谊路32号院3号楼"
    assert mask_address(address) == "天津市河西******"
    assert mask_address("天津市河西区友谊路32号院3号楼2单元") == "天津市河西区******"
    assert mask_address("") == ""
