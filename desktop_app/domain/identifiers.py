"""Identifiers of DOMAIN.md §6: resident ID, USCC, phone numbers, and how each is masked on screen."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from desktop_app import clock
from desktop_app.domain import search_text as st
from desktop_app.domain.errors import ValidationError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# ASCII digits only: ``\d`` would also take full-width and other scripts' digits, and store them so.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
# The shape of a resident ID number (GB 11643-1999), upper-case X: what a query or a cell holding
# one looks like, before its date and check character are checked.
ID_NUMBER_PATTERN = re.compile(r"[0-9]{17}[0-9X]")


def _fold(text: str) -> str:
    """Full-width forms (what a Chinese input method types) to their ASCII equivalents."""
    return unicodedata.normalize("NFKC", text)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    code = _fold(code).strip().upper()
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def normalize_resident_id(text: str, field: str = "id_number") -> str:
    """Validated resident ID in canonical form (upper-case X), or a ValidationError."""
    code = _fold(text).strip().upper()
    if not ID_NUMBER_PATTERN.fullmatch(code):
        raise ValidationError("身份证号应为 18 位：17 位数字加 1 位数字或 X。", field=field)
    try:
        born = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期不存在。", field=field) from None
    if born.year < 1900 or born > clock.today():
        raise ValidationError("身份证号中的出生日期不合理。", field=field)
    if id_check_char(code[:17]) != code[17]:
        raise ValidationError("身份证号校验位不正确，请核对。", field=field)
    return code


def looks_like_id_number(text: str) -> bool:
    """Whether a (folded, upper-case) text has the shape of a resident ID number."""
    return ID_NUMBER_PATTERN.fullmatch(text) is not None


def normalize_uscc_text(text: str) -> str:
    """A typed USCC in the form it is stored and compared in (half-width, upper case, no spaces)."""
    return st.fold(text).upper()


def check_uscc(text: str, override_reason: str) -> str:
    """A USCC as stored; one that fails its check character only with a reason for the exception."""
    code = normalize_uscc_text(text)
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(
            "统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、S、V、Z）。", field="uscc"
        )
    if not is_valid_uscc(code) and not override_reason.strip():
        raise ValidationError(
            "统一社会信用代码校验位不正确。如确认该代码真实有效，请填写“校验例外说明”后保存。", field="uscc"
        )
    return code


def check_id_number(text: str, override_reason: str) -> str:
    """A resident ID as stored; one whose only fault is its check character only with a reason."""
    try:
        return normalize_resident_id(text)
    except ValidationError as error:
        code = st.fold(text).upper()
        fixable = looks_like_id_number(code) and id_check_char(code[:17]) != code[17]
        if fixable and override_reason.strip():
            return code
        if fixable:
            raise ValidationError(
                "身份证号校验位不正确。如确认该号码真实有效，请填写“校验例外说明”后保存。", field="id_number"
            ) from None
        raise error


def needs_override(uscc: str | None, id_number: str | None) -> bool:
    """Whether a stored identifier fails its check character (and so keeps its exception reason)."""
    if uscc is not None and not is_valid_uscc(uscc):
        return True
    return id_number is not None and id_check_char(id_number[:17]) != id_number[17]


def mask_id_query(text: str) -> str:
    """A query as echoed or stored: an ID number masked like everywhere else, anything else as typed."""
    code = st.fold(text).upper()
    return mask_id_number(code) if looks_like_id_number(code) else text


def normalize_phone(text: str, field: str = "phone") -> str:
    """Mobile (after stripping +86/0086; digits only) or landline, in canonical form."""
    raw = _DASHES.sub("-", re.sub(r"[\s()]", "", _fold(text)))
    if raw.startswith("+86"):
        raw = raw[3:]
    elif raw.startswith("0086"):
        raw = raw[4:]
    mobile = raw.replace("-", "")
    if _MOBILE.fullmatch(mobile):
        return mobile
    if _LANDLINE.fullmatch(raw):
        return raw
    raise ValidationError("电话号码格式不正确：手机号为 11 位，固定电话如 022-12345678。", field=field)


def mask_id_number(value: str) -> str:
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    digits = value.replace("-", "")
    if len(digits) < 7:
        return "*" * len(value)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_address(value: str) -> str:
    # Keep the district-level prefix a clerk needs to route a case, hide the street and number.
    keep = min(6, max(len(value) // 3, 1))
    return value[:keep] + "*" * 6 if value else ""


MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "address": mask_address}


def mask(kind: str, value: str | None) -> str | None:
    if value is None:
        return None
    return MASKERS[kind](value)
