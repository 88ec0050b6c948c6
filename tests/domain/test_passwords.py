"""Password policy: length, character classes, the username inside the password."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.passwords import PasswordPolicy

POLICY = PasswordPolicy()


@pytest.mark.parametrize(
    "password",
    [
        "Abcdef1!",  # exactly 8, all four classes
        "abcdef12#",  # lower + digit + symbol
        "ABCDEF12#",  # upper + digit + symbol
        "Abcdefgh1",  # lower + upper + digit
        "Abcdefgh#",  # lower + upper + symbol
        "安全密码Aa1x",  # non-ASCII letters count towards length
    ],
)
def test_acceptable_passwords(password: str) -> None:
    POLICY.check(password, "zhangsan")


@pytest.mark.parametrize("password", ["", "Ab1!", "Abc12#x"])
def test_too_short(password: str) -> None:
    with pytest.raises(ValidationError) as caught:
        POLICY.check(password)
    assert caught.value.field == "password"
    assert "8" in caught.value.message


def test_too_long() -> None:
    with pytest.raises(ValidationError):
        POLICY.check("Aa1!" * 65)
    POLICY.check("Aa1!" * 64)


@pytest.mark.parametrize(
    "password",
    ["abcdefgh", "ABCDEFGH", "12345678", "!@#$%^&*", "abcdefg1", "ABCDEFG!", "abcdEFGH", "1234!@#$"],
)
def test_needs_three_classes(password: str) -> None:
    with pytest.raises(ValidationError) as caught:
        POLICY.check(password)
    assert "3" in caught.value.message


def test_configurable_minimums() -> None:
    strict = PasswordPolicy(min_length=12, min_classes=4)
    with pytest.raises(ValidationError):
        strict.check("Abcdefgh12#")  # 11 characters
    with pytest.raises(ValidationError):
        strict.check("Abcdefghij12")  # 12 characters, 3 classes
    strict.check("Abcdefghi12#")
    PasswordPolicy(min_classes=1).check("abcdefgh")


@pytest.mark.parametrize("password", ["Zhangsan#1", "xx-ZHANGSAN-1", "1#zhangsanA"])
def test_username_inside_is_refused(password: str) -> None:
    with pytest.raises(ValidationError) as caught:
        POLICY.check(password, "ZhangSan")
    assert "用户名" in caught.value.message


def test_field_name_is_passed_through() -> None:
    with pytest.raises(ValidationError) as caught:
        POLICY.check("short", field="new_password")
    assert caught.value.field == "new_password"


def test_defaults_match_the_domain() -> None:
    assert (POLICY.min_length, POLICY.min_classes) == (8, 3)
    assert (POLICY.max_failed_logins, POLICY.lockout_minutes) == (5, 30)
