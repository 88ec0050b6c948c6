"""A deterministic demo center: departments, staff, one account per person, center settings.

``build_demo(services, seed)`` fills an empty database the way the services would (every change is a
service call with its audit entry) and returns the accounts with their passwords, which the CLI shows
once. The same seed gives the same center, people and passwords on every machine.

Each business module has a module in this package (``people``, ``credit``, ``complaints``,
``evaluations``, ``scoring``) whose ``STEPS`` are added to ``STEPS`` here, in the order they must
run. A step gets a ``DemoContext``: the services, the sysadmin actor, the people and accounts made so
far, ``ctx.actor(username)`` to act as any demo account, and ``ctx.rng(name)``, a random generator of its
own seeded from the demo seed and the step name, so adding a step never changes what the others make.
"""

from __future__ import annotations

import logging
import time

from desktop_app.domain.errors import DomainError
from desktop_app.services.context import system_actor
from desktop_app.services.demo.complaints import STEPS as COMPLAINT_STEPS
from desktop_app.services.demo.context import (
    AUDITOR,
    DEFAULT_SEED,
    SYSADMIN,
    DemoAccount,
    DemoContext,
    DemoReport,
    DemoStep,
    step_rng,
)
from desktop_app.services.demo.credit import STEPS as CREDIT_STEPS
from desktop_app.services.demo.credit import DemoCompany, DemoExpert, demo_companies, demo_experts, demo_uscc
from desktop_app.services.demo.evaluations import STEPS as EVALUATION_STEPS
from desktop_app.services.demo.people import (
    CENTER_SETTINGS,
    DEPARTMENT_POSTS,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MOBILE_PREFIXES,
    SURNAMES,
    DemoPerson,
    demo_password,
    demo_passwords,
    demo_people,
    mobile_number,
    resident_id,
)
from desktop_app.services.demo.people import STEPS as PEOPLE_STEPS
from desktop_app.services.demo.scoring import STEPS as SCORING_STEPS
from desktop_app.services.facade import Services
from desktop_app.store import audit

__all__ = [
    "AUDITOR",
    "CENTER_SETTINGS",
    "DEFAULT_SEED",
    "DEPARTMENT_POSTS",
    "GIVEN_FEMALE",
    "GIVEN_MALE",
    "MOBILE_PREFIXES",
    "STEPS",
    "SURNAMES",
    "SYSADMIN",
    "DemoAccount",
    "DemoCompany",
    "DemoContext",
    "DemoExpert",
    "DemoPerson",
    "DemoReport",
    "DemoStep",
    "build_demo",
    "demo_companies",
    "demo_experts",
    "demo_password",
    "demo_passwords",
    "demo_people",
    "demo_uscc",
    "mobile_number",
    "resident_id",
    "step_rng",
]

log = logging.getLogger(__name__)

# The order matters: later steps use what earlier ones made. A business module adds its steps here.
STEPS: list[DemoStep] = [
    *PEOPLE_STEPS,  # center settings, departments and staff, accounts
    *CREDIT_STEPS,
    *COMPLAINT_STEPS,  # complaints against staff and the credit step's companies
    *EVALUATION_STEPS,  # a year of on-site evaluations of the credit step's experts
    *SCORING_STEPS,  # six months of staff scores; the complaints' deductions sync in
]


def build_demo(services: Services, seed: int = DEFAULT_SEED) -> DemoReport:
    """Fill an empty database with the demo center; refuse a database that already has accounts."""
    started = time.perf_counter()
    if not services.auth.needs_first_admin():
        raise DomainError("演示数据只能在没有任何账户的空数据库中生成。")
    people = demo_people(seed)
    passwords = demo_passwords(seed, people)
    services.auth.create_first_admin(SYSADMIN, passwords[SYSADMIN], "系统管理员", demo=True)
    admin = services.auth.login(SYSADMIN, passwords[SYSADMIN])
    report = DemoReport(seed=seed)
    ctx = DemoContext(services, seed, admin, report, people, passwords)
    ctx.signed_in(SYSADMIN, admin)
    for step in STEPS:
        step_started = time.perf_counter()
        step.run(ctx)
        report.steps.append(step.name)
        log.info("demo step %s done in %.2f s", step.name, time.perf_counter() - step_started)
    report.seconds = time.perf_counter() - started
    with services.db.session(write=True) as session:
        audit.record(
            session,
            system_actor(services.db.workstation, "demo").audit_actor,
            "demo.build",
            "database",
            "",
            {"seed": seed, "steps": report.steps, **report.counts},
        )
    log.info("demo center built (seed %s) in %.1f s: %s", seed, report.seconds, report.counts)
    return report
