"""Shared builders of the complaint tests: staff with accounts, and a valid phone complaint."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from desktop_app.domain.complaints import Category, Channel, RespondentKind, TimeLimit
from desktop_app.domain.roles import Role
from desktop_app.services.complaints import ComplaintInput
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from tests.conftest import DEFAULT_PASSWORD, confirm_pending


@dataclass(frozen=True)
class People:
    """A hall clerk (办公室), a supervisor and a handler of 评审科, a leader, and a staff member of
    评审科 complained about; each with a staff record, the accounts signed in."""

    clerk: CurrentUser
    supervisor: CurrentUser
    handler: CurrentUser
    leader: CurrentUser
    other_supervisor: CurrentUser
    respondent_staff_id: int
    department_id: int
    office_id: int


def department_id(services: Services, name: str) -> int:
    return next(d.id for d in services.organisation.departments() if d.name == name)


def staff_account(
    services: Services, admin: CurrentUser, username: str, name: str, department: str, *roles: Role
) -> CurrentUser:
    dept = department_id(services, department)
    staff = services.organisation.save_staff(
        admin, employee_no=f"E-{username}", name=name, department_id=dept
    )
    services.users.create(
        admin,
        username=username,
        display_name=name,
        roles=set(roles),
        password=DEFAULT_PASSWORD,
        department_id=dept if Role.SUPERVISOR in roles else None,
        staff_id=staff.id,
        must_change_password=False,
    )
    # Not written into conftest.PASSWORDS: that table lives for the whole run, and another test's
    # account of the same name would then be confirmed with this password (the CLI tests' "lead").
    confirm_pending(services, username, DEFAULT_PASSWORD)
    return services.auth.login(username, DEFAULT_PASSWORD)


def people(services: Services, admin: CurrentUser) -> People:
    leader = staff_account(services, admin, "tsleader", "尹百川", "办公室", Role.LEADER)
    clerk = staff_account(services, admin, "xiao", "肖晓雨", "办公室", Role.HALL_STAFF)
    supervisor = staff_account(services, admin, "luo", "罗浩", "评审科", Role.SUPERVISOR)
    handler = staff_account(services, admin, "zhou", "周敏", "评审科", Role.HALL_STAFF)
    other = staff_account(services, admin, "qian", "钱进", "财务科", Role.SUPERVISOR)
    respondent = services.organisation.save_staff(
        admin, employee_no="E-resp", name="王五", department_id=department_id(services, "评审科")
    )
    return People(
        clerk,
        supervisor,
        handler,
        leader,
        other,
        respondent.id,
        department_id(services, "评审科"),
        department_id(services, "办公室"),
    )


def phone_complaint(received_at: datetime, **changes: Any) -> ComplaintInput:
    base = ComplaintInput(
        channel=Channel.PHONE,
        received_at=received_at,
        facts="窗口工作人员态度生硬，拒绝一次性告知所需材料。",
        category=Category.ATTITUDE,
        complainant_name="张三",
        phone="13812345678",
        id_number="",
        respondent_kind=RespondentKind.WINDOW,
        respondent_text="3号窗口",
        request="要求说明情况并道歉",
        time_limit=TimeLimit.GENERAL,
    )
    return replace(base, **changes)
