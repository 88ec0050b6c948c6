"""Shared builders of the expert-evaluation tests: experts with numbers, and a valid session input."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from desktop_app.domain.credit import SubjectKind
from desktop_app.domain.evaluations import TradeCategory
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import SubjectInput
from desktop_app.services.evaluations.types import SessionInput
from desktop_app.services.facade import Services
from tests.builders import born_on

EXPERT_NAMES = ("张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一")


def numbered_expert(services: Services, actor: CurrentUser, n: int, name: str | None = None) -> int:
    """Expert number Z1001, Z1002 …, a resident ID born in 1970 + n, specialty 土建."""
    data = SubjectInput(
        SubjectKind.EXPERT,
        name or EXPERT_NAMES[n - 1],
        id_number=born_on(date(1970 + n, 1, 1 + n % 27)),
        expert_no=f"Z{1000 + n}",
        specialty="土建",
    )
    return services.credit.create_subject(actor, data).id


def experts(services: Services, actor: CurrentUser, count: int) -> list[int]:
    return [numbered_expert(services, actor, n) for n in range(1, count + 1)]


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour)).astimezone()


def session_input(day: date, expert_ids: list[int] | tuple[int, ...], **changes: Any) -> SessionInput:
    data = SessionInput(
        project_code="GC2026-017",
        project_name="天河大道改造工程施工",
        category=TradeCategory.CONSTRUCTION,
        room="第3评标室",
        scheduled_start=at(day),
        scheduled_end=at(day, 17),
        expert_ids=tuple(expert_ids),
    )
    return replace(data, **changes)
