"""The credit module's words on screen come from one table per enum (``ui/credit/labels.py``), in the
interface's language."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from desktop_app.domain.credit import (
    ExpertPoolStatus,
    RecordKind,
    RecordStatus,
    Severity,
    SubjectKind,
    Verdict,
)
from desktop_app.services.credit import LineState
from desktop_app.ui.credit import labels

UI = Path(__file__).resolve().parents[2] / "desktop_app" / "ui"
TABLES: list[tuple[type[StrEnum], Callable[[Any], str]]] = [
    (SubjectKind, labels.subject_kind_label),
    (RecordKind, labels.record_kind_label),
    (Severity, labels.severity_label),
    (RecordStatus, labels.status_label),
    (ExpertPoolStatus, labels.pool_status_label),
    (Verdict, labels.verdict_label),
    (LineState, labels.line_state_label),
]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("enum", "label"), TABLES, ids=[enum.__name__ for enum, _ in TABLES])
def test_every_value_has_its_words_in_both_languages(
    enum: type[StrEnum], label: Callable[[Any], str], zh_ui: None
) -> None:
    chinese = [label(value) for value in enum]
    assert all(CJK.search(text) for text in chinese), chinese
    assert len(set(chinese)) == len(chinese)  # no two values read alike


@pytest.mark.parametrize(("enum", "label"), TABLES, ids=[enum.__name__ for enum, _ in TABLES])
def test_the_english_interface_speaks_english(enum: type[StrEnum], label: Callable[[Any], str]) -> None:
    english = [label(value) for value in enum]
    assert not any(CJK.search(text) for text in english), english


def test_a_commendation_is_not_graded(qapp: Any) -> None:
    assert labels.severity_label(Severity.NONE) == "Not graded"


def test_a_commendation_is_not_graded_in_chinese(zh_ui: None) -> None:
    assert labels.severity_label(Severity.NONE) == "不分等级"


def test_the_label_tables_are_defined_in_one_place() -> None:
    names = {name for name in dir(labels) if name.endswith("_label")}
    elsewhere = [
        f"{path.relative_to(UI)}:{node.lineno} {node.name}"
        for path in sorted(UI.rglob("*.py"))
        if path.name != "labels.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name in names
    ]
    assert elsewhere == []
