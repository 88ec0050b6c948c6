"""Cleaning what a person typed (or a file brought in) into a text field, with the one message every
form and import shows.

Control characters (NUL and the like, which PostgreSQL cannot store and which break a terminal's
table) are refused in every field; line breaks only in the fields that are several lines by nature
(facts, notes, reasons: ``multiline=True``) — a name, a code or a number is one line.
"""

from __future__ import annotations

import re

from desktop_app.domain.errors import ValidationError

# What breaks a line: \n, \r, and the rarer ones a pasted text may carry.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 and C1 controls but tab, line feed and carriage return, and lone surrogates (which no database
# encoding can hold).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMES = {"\x00": "NUL", "\t": "制表符", "\x1b": "ESC", "\x7f": "DEL"}


def character_name(char: str) -> str:
    """How a message names an invisible character: NUL, 制表符, U+0007."""
    return _NAMES.get(char) or f"U+{ord(char):04X}"


def text_problem(text: str, label: str, multiline: bool = False) -> str:
    """Why ``text`` cannot be stored as ``label`` ('' when it can): a control character, or a line
    break (or a tab) in a one-line field. Chinese, naming the character, never printing it."""
    if not multiline:
        if _LINE_BREAK.search(text):
            return f"{label}不能换行：请写在一行内。"
        if "\t" in text:
            return f"{label}含有制表符：请删除后重新填写。"
    found = _CONTROL.search(text)
    if found:
        return (
            f"{label}含有不可见的控制字符（{character_name(found.group())}），"
            "多为从其他系统复制时带入：请删除后重新填写。"
        )
    return ""


def clean_text(
    value: str | None, field: str, label: str, limit: int, required: bool = False, multiline: bool = False
) -> str:
    """The text without surrounding spaces; ValidationError at ``field`` when it is missing, too long,
    holds a control character, or breaks a line where ``multiline`` is not allowed."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"请填写{label}。", field=field)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字。", field=field)
    problem = text_problem(text, label, multiline)
    if problem:
        raise ValidationError(problem, field=field)
    return text
