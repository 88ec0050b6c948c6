"""Cleaning what a person typed into a text field, with the one message every form shows."""

from __future__ import annotations

from desktop_app.domain.errors import ValidationError


def clean_text(value: str | None, field: str, label: str, limit: int, required: bool = False) -> str:
    """The text without surrounding spaces; ValidationError at ``field`` when it is missing or too long."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"请填写{label}。", field=field)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字。", field=field)
    return text
