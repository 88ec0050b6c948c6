"""The complaints of the demo center: cases received over the last six months through every channel,
against departments, windows, staff and companies, in every state — refused, transferred (a statutory
one among them), accepted, under investigation, closed and visited — some closed late (the handler's
deduction), some found true against staff (their deduction) or against a company (a bad-behaviour
record drafted in its credit file), extensions asked and decided, 差评 with their follow-ups, receipts
issued at the window and none for the 12345 transfers.

Every step is the service call a hall would make, made at the moment it would have been made: the
database's clock is set back to that moment for the call (and put back after), so the history,
deadlines, months of the deductions and the audit entries carry those dates. The audit log of a demo
therefore has entries dated before the accounts' own creation entries; the chain (by sequence) and
every MAC verify as usual.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeVar

from desktop_app.domain.complaints import (
    Category,
    Channel,
    Outcome,
    RespondentKind,
    Satisfaction,
    Statutory,
    TimeLimit,
)
from desktop_app.domain.roles import Role
from desktop_app.services.demo.context import DemoContext, DemoStep
from desktop_app.services.demo.people import HEAD_POST, mobile_number, person_name, resident_id

DEMO_COMPLAINTS = 40
DAYS_BACK = 180
T = TypeVar("T")

FACTS: dict[Category, tuple[str, ...]] = {
    Category.ATTITUDE: (
        "窗口工作人员态度生硬，询问材料要求时不耐烦。",
        "工作人员接听咨询电话时语气冷淡，未说明办理流程。",
        "现场工作人员对老年办事人员缺乏耐心。",
    ),
    Category.EFFICIENCY: (
        "保证金退还申请提交后超过承诺时限仍未办结。",
        "场地预约审核迟迟没有结果，影响开标安排。",
        "CA 证书办理排队时间过长，仅开放一个窗口。",
    ),
    Category.FEES: ("办理业务时被要求另行支付资料费。", "场地使用费的收费标准未公示。"),
    Category.SHIRKING: (
        "咨询投标文件澄清问题时被多个科室相互推诿。",
        "要求一次性告知所需材料，工作人员分三次才说清楚。",
    ),
    Category.DISCIPLINE: ("工作时间窗口无人，工作人员长时间离岗。", "开标现场工作人员使用手机处理私事。"),
    Category.SYSTEM: ("电子交易系统上传投标文件时多次报错。", "不见面开标系统解密环节卡顿，无人及时处理。"),
    Category.OTHER: ("大厅停车位不足，引导标识不清。", "自助查询终端长期故障未修复。"),
}
SUBJECT_FACTS = (
    "该公司项目负责人在开标现场与工作人员争执，扰乱开标秩序。",
    "该公司提交的业绩证明材料与实际不符，投诉人要求核查。",
    "该代理机构未按规定时间发布澄清文件，影响投标人编制文件。",
)
REQUESTS = (
    "要求说明情况并道歉。",
    "要求尽快办理。",
    "要求核查并答复处理结果。",
    "要求加强管理，避免再次发生。",
)
WINDOWS = ("1号窗口", "3号窗口", "5号窗口", "综合受理窗口", "保证金窗口")
CHANNEL_WEIGHTS = (
    (Channel.WINDOW, 20),
    (Channel.PHONE, 25),
    (Channel.HOTLINE, 25),
    (Channel.RATING, 10),
    (Channel.MAILBOX, 10),
    (Channel.LETTER, 5),
    (Channel.BOX, 5),
)
RECEIPT_CHANNELS = frozenset({Channel.WINDOW, Channel.PHONE, Channel.LETTER, Channel.MAILBOX})
REPLIES = {
    Outcome.TRUE: "经调查，您反映的问题属实。我中心已对相关人员进行批评教育并责令整改，感谢您的监督。",
    Outcome.PARTLY: "经调查，您反映的问题部分属实。我中心已督促相关科室改进工作，感谢您的监督。",
    Outcome.FALSE: "经调阅监控和业务记录核实，您反映的问题不属实。如有异议，可在收到答复后向我中心再次反映。",
}


@dataclass(frozen=True)
class Plan:
    """What becomes of one case: how far it goes and how."""

    end: str  # registered / accepted / investigating / closed / visited / rejected / transferred
    outcome: Outcome = Outcome.FALSE
    late: bool = False
    satisfaction: Satisfaction = Satisfaction.SATISFIED
    extension: bool = False
    followed_up: bool = False


def _plan(rng: random.Random, age: int) -> Plan:
    """The fate of a case received ``age`` days ago: old cases are mostly done, new ones open."""
    if age < 4:
        return Plan(rng.choice(("registered", "registered", "accepted", "investigating")))
    if age < 15:
        end = rng.choice(("accepted", "investigating", "investigating", "closed", "closed", "visited"))
        return Plan(end, rng.choice(tuple(Outcome)), extension=rng.random() < 0.2)
    draw = rng.random()
    if draw < 0.08:
        return Plan("rejected")
    if draw < 0.14:
        return Plan("transferred")
    if draw < 0.20:
        return Plan("investigating")  # left behind: overdue
    outcome = rng.choice((Outcome.TRUE, Outcome.PARTLY, Outcome.FALSE, Outcome.FALSE))
    rating = rng.choice(
        (
            Satisfaction.VERY_SATISFIED,
            Satisfaction.SATISFIED,
            Satisfaction.SATISFIED,
            Satisfaction.FAIRLY,
            Satisfaction.DISSATISFIED,
            Satisfaction.VERY_DISSATISFIED,
        )
    )
    return Plan(
        "visited",
        outcome,
        late=rng.random() < 0.15,
        satisfaction=rating,
        extension=rng.random() < 0.1,
        followed_up=rng.random() < 0.6,
    )


def _complaints_step(ctx: DemoContext) -> None:
    from desktop_app.services.complaints import Assignment, Closure, ComplaintInput

    services = ctx.services
    db = services.db
    complaints = services.complaints
    rng = ctx.rng("complaints")
    now = db.now()
    today = now.astimezone().date()
    people = ctx.people
    clerk = ctx.actor(next(p.username for p in people if p.post == "投诉受理"))
    heads = {p.department: ctx.actor(p.username) for p in people if p.post == HEAD_POST}
    workers = {
        department: [p for p in people if p.department == department and Role.HALL_STAFF in p.roles]
        for department in heads
    }
    departments = [d for d in heads if workers[d]]
    subjects = _demo_subjects(ctx)

    @contextmanager
    def at(moment: datetime) -> Iterator[None]:
        """The services see ``moment`` as now (stepping a microsecond a reading, as the real one)."""
        saved = db.clock
        current = [moment.astimezone(UTC)]

        def clock() -> datetime:
            current[0] += timedelta(microseconds=1)
            return current[0]

        db.clock = clock
        try:
            yield
        finally:
            db.clock = saved

    def call(moment: datetime, fn: Callable[..., T], *args: Any) -> T:
        with at(min(moment, now - timedelta(minutes=1))):
            return fn(*args)

    received_days = sorted((rng.randrange(0, DAYS_BACK) for _ in range(DEMO_COMPLAINTS)), reverse=True)
    counts = {"complaints": 0, "complaints_open": 0, "complaints_overdue": 0, "complaint_receipts": 0}
    drafted = 0
    statutory_done = False
    for index, age in enumerate(received_days):
        day = today - timedelta(days=age)
        received = datetime.combine(day, time(8 + rng.randrange(0, 9), rng.randrange(0, 60))).astimezone()
        if received > now - timedelta(minutes=30):
            received = now - timedelta(minutes=30 + index)
        plan = _plan(rng, age)
        if index == len(received_days) - 1:
            plan = Plan("registered")  # the newest case waits at the window's desk for acceptance
        department = rng.choice(departments)
        head = heads[department]
        handler_person = rng.choice(workers[department])
        handler = ctx.actor(handler_person.username)
        channel = rng.choices([c for c, _ in CHANNEL_WEIGHTS], [w for _, w in CHANNEL_WEIGHTS])[0]
        category = rng.choice(tuple(Category))
        kind = rng.choice(
            (RespondentKind.DEPARTMENT, RespondentKind.WINDOW, RespondentKind.STAFF, RespondentKind.STAFF)
        )
        if subjects and rng.random() < 0.12:
            kind = RespondentKind.SUBJECT
        statutory = Statutory.NONE
        if not statutory_done and plan.end == "transferred":
            statutory, statutory_done = Statutory.BIDDING, True
        respondent: dict[str, Any] = {"respondent_kind": kind}
        facts = rng.choice(FACTS[category])
        if kind is RespondentKind.DEPARTMENT:
            respondent["respondent_department_id"] = ctx.departments[department]
        elif kind is RespondentKind.WINDOW:
            respondent["respondent_text"] = rng.choice(WINDOWS)
        elif kind is RespondentKind.STAFF:
            others = [p for p in workers[department] if p is not handler_person] or workers[department]
            respondent["respondent_staff_id"] = ctx.staff_ids[rng.choice(others).employee_no]
        else:
            respondent["respondent_subject_id"] = rng.choice(subjects)
            facts = rng.choice(SUBJECT_FACTS)
            category = Category.OTHER
        anonymous = channel in (Channel.BOX, Channel.MAILBOX) and rng.random() < 0.4
        male = rng.random() < 0.5
        born = day.replace(year=day.year - rng.randrange(25, 65))
        data = ComplaintInput(
            channel=channel,
            received_at=received,
            facts=facts,
            category=category,
            anonymous=anonymous,
            complainant_name="" if anonymous else person_name(rng, male)[0],
            complainant_unit=rng.choice(("", "", "天河市某建筑公司", "某招标代理机构"))
            if not anonymous
            else "",
            id_number=resident_id(rng, born, male) if not anonymous and rng.random() < 0.3 else "",
            phone=mobile_number(rng) if not anonymous or rng.random() < 0.5 else "",
            request=rng.choice(REQUESTS),
            time_limit=rng.choice(
                (TimeLimit.SIMPLE, TimeLimit.GENERAL, TimeLimit.GENERAL, TimeLimit.COMPLEX)
            ),
            statutory=statutory,
            project_code=f"TH{day:%Y%m}-GC{rng.randrange(1, 99):03d}"
            if statutory is not Statutory.NONE
            else "",
            **respondent,
        )
        if not data.phone and not data.anonymous:
            data = replace(data, address="天河市滨江新区人民东路 12 号")
        receipt = channel in RECEIPT_CHANNELS and not anonymous
        result = call(received + timedelta(minutes=5), complaints.register, clerk, data, None, receipt)
        info = result.complaint
        counts["complaints"] += 1
        counts["complaint_receipts"] += bool(result.receipt_number)
        deadline_moment = datetime.combine(info.deadline, time(16, 0)).astimezone()
        step = received + timedelta(hours=20)
        if plan.end == "registered" or statutory is not Statutory.NONE:
            counts["complaints_open"] += statutory is Statutory.NONE
            continue
        if plan.end == "rejected":
            call(
                step,
                complaints.reject,
                head,
                info.id,
                info.version,
                "不属于本中心受理范围，已告知投诉人向有关部门反映。",
            )
            continue
        if plan.end == "transferred":
            call(
                step,
                complaints.transfer,
                head,
                info.id,
                info.version,
                "天河市住房和城乡建设局",
                None,
                "涉及行政处罚事项",
            )
            continue
        info = call(
            step,
            complaints.accept,
            head,
            info.id,
            info.version,
            Assignment(None, ctx.staff_ids[handler_person.employee_no]),
        )
        if plan.end == "accepted":
            counts["complaints_open"] += 1
            continue
        step += timedelta(hours=2)
        info = call(step, complaints.investigate, handler, info.id, info.version, "调阅监控，约谈当事人。")
        if plan.extension:
            step += timedelta(days=1)
            info = call(step, complaints.request_extension, handler, info.id, 3, "需要相关科室补充说明情况。")
            extension_id = info.extensions[-1].id
            info = call(step + timedelta(hours=3), complaints.decide_extension, head, extension_id, True, "")
            deadline_moment = datetime.combine(info.deadline, time(16, 0)).astimezone()
        if plan.end == "investigating":
            counts["complaints_open"] += 1
            counts["complaints_overdue"] += info.deadline < today
            continue
        closing = (
            deadline_moment + timedelta(days=3)
            if plan.late
            else max(step + timedelta(hours=2), deadline_moment - timedelta(days=1))
        )
        outcome = plan.outcome
        info = call(
            closing,
            complaints.close,
            handler,
            info.id,
            info.version,
            Closure(outcome, REPLIES[outcome], "已与当事人谈话并记录。"),
        )
        if kind is RespondentKind.SUBJECT and outcome in (Outcome.TRUE, Outcome.PARTLY):
            draft = call(closing + timedelta(hours=1), complaints.credit_draft, head, info.id)
            info = call(closing + timedelta(hours=1), complaints.draft_credit_record, head, info.id, draft)
            drafted += 1
        if plan.end == "closed":
            continue
        visiting = closing + timedelta(days=1)
        info = call(visiting, complaints.visit, handler, info.id, info.version, plan.satisfaction, "电话回访")
        if info.followup_contact_deadline is not None and plan.followed_up:
            info = call(
                visiting + timedelta(hours=4),
                complaints.followup,
                handler,
                info.id,
                info.version,
                "contacted",
                "已电话联系投诉人，说明整改安排。",
            )
            info = call(
                visiting + timedelta(days=7),
                complaints.followup,
                handler,
                info.id,
                info.version,
                "rectified",
                "已完成整改，组织窗口人员服务规范培训。",
            )
    counts["complaint_credit_drafts"] = drafted
    ctx.report.counts.update(counts)


def _demo_subjects(ctx: DemoContext) -> list[int]:
    """A dozen companies of the credit step's files, as respondents."""
    from desktop_app.services.credit import find_subject_by_code
    from desktop_app.services.demo.credit import demo_companies

    db = ctx.services.db
    found: list[int] = []
    with db.session() as session:
        for company in demo_companies(ctx.seed)[:12]:
            subject = find_subject_by_code(session, db, company.uscc, None)
            if subject is not None:
                found.append(subject.id)
    return found


STEPS: list[DemoStep] = [DemoStep("complaints", _complaints_step)]
