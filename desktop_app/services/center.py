"""Center-wide settings: identity of the center (for notices) and the security policy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import Refusals, ValidationError
from desktop_app.domain.passwords import PasswordPolicy
from desktop_app.domain.roles import Permission
from desktop_app.paths import db_dir
from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.store.models import AppMeta, CenterSetting

TEXT_LIMITS = {
    "center_name": 60,
    "center_short_name": 20,
    "center_address": 120,
    "query_phone": 40,
    "doc_number_prefix": 20,
    "complaint_number_prefix": 6,
}
INT_RANGES = {
    "password_min_length": (8, 64),
    "password_min_classes": (1, 4),
    "max_failed_logins": (3, 20),
    "lockout_minutes": (5, 1440),
    "idle_lock_minutes": (1, 120),
}
REQUIRED = {"center_name", "center_short_name", "doc_number_prefix", "complaint_number_prefix"}


def default_values() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (db_dir() / "seed" / "center_settings.json").read_text(encoding="utf-8")
    )
    return data


@dataclass(frozen=True)
class CenterSettings:
    values: dict[str, Any]
    versions: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def policy(self) -> PasswordPolicy:
        return PasswordPolicy(
            min_length=int(self.values["password_min_length"]),
            min_classes=int(self.values["password_min_classes"]),
            max_failed_logins=int(self.values["max_failed_logins"]),
            lockout_minutes=int(self.values["lockout_minutes"]),
        )


# Written once, by the demo build, with its first account; never removed: a demo center's passwords
# are the same on every install, so every window and every printed page of it says 演示数据.
DEMO_CENTER = "demo_center"


def is_demo_in(session: Session) -> bool:
    return session.get(AppMeta, DEMO_CENTER) is not None


def read_settings(session: Session) -> CenterSettings:
    values = default_values()
    versions: dict[str, int] = {}
    for row in session.scalars(select(CenterSetting)):
        values[row.key] = json.loads(row.value)
        versions[row.key] = row.version
    return CenterSettings(values, versions)


def validate(key: str, value: Any) -> Any:
    if key in TEXT_LIMITS:
        text = str(value or "").strip()
        if key in REQUIRED and not text:
            raise ValidationError("此项不能为空。", field=key)
        if len(text) > TEXT_LIMITS[key]:
            raise ValidationError(f"不能超过 {TEXT_LIMITS[key]} 个字符。", field=key)
        if key == "complaint_number_prefix":
            text = text.upper()
            if not (text.isascii() and text.isalpha()):
                raise ValidationError("投诉编号前缀只能由英文字母组成，如 TS。", field=key)
        return text
    if key in INT_RANGES:
        low, high = INT_RANGES[key]
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError("请输入整数。", field=key) from None
        if not low <= number <= high:
            raise ValidationError(f"取值范围为 {low}–{high}。", field=key)
        return number
    raise ValidationError(f"未知设置项：{key}", field=key)


class CenterService(Service):
    def get(self) -> CenterSettings:
        with self.db.session() as session:
            return read_settings(session)

    def is_demo(self) -> bool:
        """A demo center (``integrity-desk demo``): its windows and papers carry a 演示数据 banner."""
        with self.db.session() as session:
            return is_demo_in(session)

    def update(self, actor: CurrentUser, values: dict[str, Any], versions: dict[str, int]) -> CenterSettings:
        """Save the changed keys; ``versions`` are those the form loaded (absent = never saved)."""
        actor.require(Permission.ADMIN_SETTINGS)
        refusals = Refusals()
        cleaned: dict[str, Any] = {}
        for key, value in values.items():
            cleaned[key] = refusals.check(partial(validate, key, value), None)
        refusals.raise_any()  # every setting at fault at once
        with self.write() as session:
            current = read_settings(session)
            changed: dict[str, Any] = {}
            for key, value in cleaned.items():
                if current.values.get(key) == value:
                    continue
                row = session.get(CenterSetting, key)
                if row is None:
                    row = CenterSetting(
                        key=key, value=json.dumps(value, ensure_ascii=False), updated_by=actor.username
                    )
                    session.add(row)
                else:
                    self.check_version(row, versions.get(key, 0))
                    row.value = json.dumps(value, ensure_ascii=False)
                    row.updated_by = actor.username
                    row.updated_at = self.db.now()
                changed[key] = [current.values.get(key), value]
            if changed:
                self.audit(session, actor, "settings.update", "center_settings", "", {"changed": changed})
        return self.get()
