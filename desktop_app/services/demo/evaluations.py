"""The on-site evaluations of the demo center (评标专家现场考评): a year of bid evaluations witnessed by the
center's 见证员, most of them clean, some with the everyday misconduct (late, a phone not handed in,
smoking, a score sheet wrong) — and three stories a leader can follow: one expert whose year went past
the suspension threshold, with the supervising department's suspension confirmed (the lookup shows
禁止入场), one expert whose points have just reached the notification threshold (a proposal waiting for
a leader), and a government-procurement session left in draft past its 5 working days (overdue).

Every step is the service call a witness or a leader would make, at the moment they would have made it
(the database's clock is set back for the call, as the complaints step does).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import select

from desktop_app.domain.evaluations import ProposalAction, ProposalState, TradeCategory
from desktop_app.domain.roles import Role
from desktop_app.services.demo.context import DemoContext, DemoStep

T = TypeVar("T")
DAYS_BACK = 360
SESSIONS = 60  # a bit more than one a week (the demo is built in tests: keep it quick)
CLEAN_SHARE = 0.8  # most sessions end without a mark
OVERDUE_DAYS_AGO = 12  # the procurement session still in draft
ROOMS = ("第一评标室", "第二评标室", "第三评标室", "第五评标室", "远程异地评标室")
CATEGORY_WEIGHTS = (
    (TradeCategory.CONSTRUCTION, 40),
    (TradeCategory.PROCUREMENT, 35),
    (TradeCategory.TRANSPORT_WATER, 15),
    (TradeCategory.LAND_PROPERTY, 5),
    (TradeCategory.OTHER, 5),
)
WITNESS_DEPARTMENTS = {
    TradeCategory.CONSTRUCTION: "建设工程科",
    TradeCategory.PROCUREMENT: "政府采购科",
    TradeCategory.TRANSPORT_WATER: "交通水利科",
    TradeCategory.LAND_PROPERTY: "土地产权科",
    TradeCategory.OTHER: "评审科",
}
CODE_PREFIXES = {
    TradeCategory.CONSTRUCTION: "THJS",
    TradeCategory.PROCUREMENT: "THCG",
    TradeCategory.TRANSPORT_WATER: "THJT",
    TradeCategory.LAND_PROPERTY: "THTD",
    TradeCategory.OTHER: "THQT",
}
SPECIALTIES = {
    TradeCategory.CONSTRUCTION: ("房屋建筑工程", "市政公用工程", "工程造价", "园林绿化", "电力工程"),
    TradeCategory.PROCUREMENT: ("医疗设备", "办公设备", "信息化工程", "政府采购（服务）", "财务会计"),
    TradeCategory.TRANSPORT_WATER: ("公路工程", "水利水电工程", "工程造价"),
    TradeCategory.LAND_PROPERTY: ("土地评估", "法律", "财务会计"),
    TradeCategory.OTHER: ("法律", "财务会计", "工程造价"),
}
PROJECTS = {
    TradeCategory.CONSTRUCTION: (
        "{place}安置房{n}期工程施工",
        "{place}第{n}小学改扩建工程施工",
        "{place}路（{n}段）提质改造工程",
        "{place}污水管网完善工程施工",
        "{place}人民医院门诊楼装修工程",
    ),
    TradeCategory.PROCUREMENT: (
        "{place}第{n}中学教学设备采购",
        "{place}人民医院医疗设备采购（第{n}包）",
        "{place}政务服务中心办公家具采购",
        "{place}智慧城管平台运维服务采购",
        "{place}区物业管理服务采购（{n}年度）",
    ),
    TradeCategory.TRANSPORT_WATER: (
        "{place}至临川公路{n}标段施工",
        "{place}水库除险加固工程",
        "{place}河道综合整治{n}标段",
    ),
    TradeCategory.LAND_PROPERTY: (
        "{place}国有建设用地使用权挂牌出让（{n}号地块）",
        "{place}国有资产转让项目",
    ),
    TradeCategory.OTHER: ("{place}公园特许经营权招标", "{place}广告位经营权招标"),
}
PLACES = ("天河市", "滨江区", "东湖区", "临川县", "望城区", "青山镇", "石门乡", "安平街道", "云溪")
# Everyday misconduct: item code, weight, remarks a witness writes.
EVERYDAY = (
    ("E01", 30, ("迟到 20 分钟", "下午开评迟到约半小时", "提前离开未说明")),
    ("E04", 30, ("手机未交存，评审中接听电话", "携带智能手表进入评标区")),
    ("E03", 12, ("未按要求进行人脸识别签到",)),
    ("E05", 10, ("在评标区吸烟",)),
    ("E07", 12, ("商务分计算错误，经复核更正", "未按招标文件评分标准打分")),
    ("E10", 3, ("拒绝在评标报告上签字且未书面说明理由",)),
)
AUTHORITIES = {
    TradeCategory.CONSTRUCTION: ("天河市住房和城乡建设局", "天建"),
    TradeCategory.PROCUREMENT: ("天河市财政局", "天财采"),
    TradeCategory.TRANSPORT_WATER: ("天河市交通运输局", "天交"),
    TradeCategory.LAND_PROPERTY: ("天河市自然资源和规划局", "天自然资"),
    TradeCategory.OTHER: ("天河市发展和改革委员会", "天发改"),
}
# Points a random mark may not bring an expert's year to: only the stories reach the thresholds.
QUIET_LIMIT = 7


@dataclass(frozen=True)
class Seat:
    subject_id: int
    specialty: str


# A session's planned marks: (expert, item, points, remark) each; OVERDUE: left in draft.
Story = tuple[tuple[Seat, str, int, str], ...]
OVERDUE: Story = ((Seat(0, ""), "", 0, "overdue"),)


def _evaluations_step(ctx: DemoContext) -> None:
    from desktop_app.services.evaluations.types import ConfirmInput, GridInput, GridMark, SessionInput

    experts = _seats(ctx)
    if len(experts) < 20:
        return  # no credit files (a test that leaves the credit step out): nobody to evaluate
    services = ctx.services
    db = services.db
    evaluations = services.evaluations
    rng = ctx.rng("evaluations")
    now = db.now()
    today = now.astimezone().date()
    people = ctx.people
    witnesses = {
        category: [ctx.actor(p.username) for p in people if p.post == "见证员" and p.department == department]
        for category, department in WITNESS_DEPARTMENTS.items()
    }
    reviewers = [ctx.actor(p.username) for p in people if p.post == "见证员" and p.department == "评审科"]
    leader = ctx.actor(next(p.username for p in people if Role.LEADER in p.roles))
    by_specialty: dict[str, list[Seat]] = {}
    for seat in experts:
        by_specialty.setdefault(seat.specialty, []).append(seat)
    items = {i.code: i for i in evaluations.items_on(today)}

    @contextmanager
    def at(moment: datetime) -> Iterator[None]:
        saved = db.clock
        current = [min(moment, now - timedelta(minutes=1)).astimezone(UTC)]

        def clock() -> datetime:
            current[0] += timedelta(microseconds=1)
            return current[0]

        db.clock = clock
        try:
            yield
        finally:
            db.clock = saved

    def call(moment: datetime, fn: Callable[..., T], *args: Any) -> T:
        with at(moment):
            return fn(*args)

    # The stories' experts, kept out of the random draws so their years are what the story says.
    suspended, notified = experts[0], experts[1]
    ordinary = experts[2:]
    quiet = set(ordinary)
    points: dict[tuple[int, int], int] = {}
    counts = {"evaluation_sessions": 0, "evaluation_marks": 0}
    # Session days: working days of the last year, oldest first; the stories at fixed places.
    start = today - timedelta(days=DAYS_BACK)
    days = [start + timedelta(days=rng.randrange(DAYS_BACK - 2)) for _ in range(SESSIONS)]
    # The expert suspended: a phone, wrong scores (8 points: notify), then leaving the room (15 points:
    # suspend), three sessions in one year some five months ago; the suspension runs past today.
    anchor = today - timedelta(days=140)
    if (anchor - timedelta(days=14)).year != (anchor + timedelta(days=14)).year:
        anchor = date((anchor + timedelta(days=14)).year, 1, 16)
    stories: list[tuple[date, Story]] = [
        (_weekday(anchor - timedelta(days=14)), ((suspended, "E04", 5, "手机未交存，评审中多次使用"),)),
        (_weekday(anchor), ((suspended, "E07", 3, "技术分计算错误，经复核更正"),)),
        (_weekday(anchor + timedelta(days=14)), ((suspended, "E06", 7, "未经同意提前离场，未在报告上签字"),)),
        # The expert waiting: late and a phone last week: 8 points, a proposal to notify.
        (
            _working_day_before(today, 6),
            ((notified, "E01", 3, "迟到 40 分钟"), (notified, "E04", 5, "手机未交存，评审中接听电话")),
        ),
        # A procurement session held some days ago, its form never signed off: overdue.
        (_working_day_before(today, OVERDUE_DAYS_AGO), OVERDUE),
    ]
    plan: list[tuple[date, Story]] = sorted(
        [*((_weekday(d), ()) for d in days), *stories], key=lambda e: e[0]
    )
    sequence = {category: 0 for category in TradeCategory}
    for day, story in plan:
        overdue = story is OVERDUE
        category = TradeCategory.PROCUREMENT if overdue else _weighted(rng, CATEGORY_WEIGHTS)
        sequence[category] += 1
        code = f"{CODE_PREFIXES[category]}{day.year}-{sequence[category]:04d}"
        name = rng.choice(PROJECTS[category]).format(place=rng.choice(PLACES), n=rng.randrange(1, 9))
        start_at = datetime.combine(day, time(9 if rng.random() < 0.7 else 14, 0)).astimezone()
        end_at = start_at + timedelta(hours=rng.choice((2, 3, 3, 4, 5)))
        witness = rng.choice(witnesses[category] or reviewers)
        wanted = rng.choice((5, 5, 5, 7)) if category != TradeCategory.PROCUREMENT else rng.choice((3, 5, 5))
        matching = [s for spec in SPECIALTIES[category] for s in by_specialty.get(spec, ()) if s in quiet]
        seats = rng.sample(matching if len(matching) >= wanted else ordinary, wanted)
        marks: list[GridMark] = []
        if story and not overdue:
            who = story[0][0]
            seats = [who, *seats[: wanted - 1]]
            marks.extend(GridMark(who.subject_id, item, value, remark) for _, item, value, remark in story)
        elif not overdue and rng.random() > CLEAN_SHARE:
            for _ in range(1 if rng.random() < 0.8 else 2):
                seat = rng.choice(seats)
                item, _, remarks = EVERYDAY[_weighted_index(rng, [w for _, w, _ in EVERYDAY])]
                value = items[item].default_points if item in items else 2
                year_points = points.get((seat.subject_id, day.year), 0)
                if year_points + value > QUIET_LIMIT or any(
                    m.subject_id == seat.subject_id and m.item_code == item for m in marks
                ):
                    continue
                marks.append(GridMark(seat.subject_id, item, value, rng.choice(remarks)))
        data = SessionInput(
            project_code=code,
            project_name=name,
            category=category,
            room=rng.choice(ROOMS),
            scheduled_start=start_at,
            scheduled_end=end_at,
            actual_start=start_at + timedelta(minutes=rng.randrange(0, 20)),
            actual_end=end_at + timedelta(minutes=rng.randrange(-30, 60)),
            expert_ids=tuple(s.subject_id for s in seats),
        )
        created = call(start_at - timedelta(days=1), evaluations.create_session, witness, data)
        counts["evaluation_sessions"] += 1
        grid = GridInput(tuple(marks))
        if overdue:
            call(end_at, evaluations.save_draft, witness, created.id, grid)
            continue
        call(end_at + timedelta(minutes=20), evaluations.finalise, witness, created.id, grid, created.version)
        counts["evaluation_marks"] += len(marks)
        for mark in marks:
            key = (mark.subject_id, day.year)
            points[key] = points.get(key, 0) + mark.points
        if story and story[0][0] is suspended and points[(suspended.subject_id, day.year)] >= 12:
            # The supervising department decides a fortnight later; a leader enters the decision.
            decided = day + timedelta(days=14)
            authority, prefix = AUTHORITIES[category]
            for proposal in evaluations.proposals(leader, state=ProposalState.PENDING, year=day.year):
                if proposal.subject_id != suspended.subject_id:
                    continue
                number = f"{prefix}〔{decided.year}〕{rng.randrange(10, 60)}号"
                if proposal.action == ProposalAction.SUSPEND:
                    decision = ConfirmInput(authority, number, decided, suspend_from=decided)
                else:
                    decision = ConfirmInput(authority, number, decided)
                moment = datetime.combine(decided, time(10, 0)).astimezone()
                call(moment, evaluations.confirm_proposal, leader, proposal.id, decision, proposal.version)
            # From then on the expert is suspended: never drawn again this year.
    ctx.report.counts.update(counts)
    ctx.report.counts["evaluation_proposals_pending"] = len(
        evaluations.proposals(leader, state=ProposalState.PENDING)
    )


def _seats(ctx: DemoContext) -> list[Seat]:
    """The credit step's experts who may sit (in the pool, no ban on file), in expert-number order."""
    from desktop_app.store.credit_models import CreditRecord, CreditSubject

    with ctx.services.db.session() as session:
        banned = set(session.scalars(select(CreditRecord.subject_id).where(CreditRecord.kind == "ban")))
        rows = session.execute(
            select(CreditSubject.id, CreditSubject.specialty)
            .where(CreditSubject.kind == "expert", CreditSubject.pool_status == "active")
            .order_by(CreditSubject.expert_no)
        ).all()
    return [Seat(sid, specialty) for sid, specialty in rows if sid not in banned]


def _weekday(day: date) -> date:
    """The day, or the Friday before it when it falls on a weekend."""
    return day if day.weekday() < 5 else day - timedelta(days=day.weekday() - 4)


def _working_day_before(day: date, count: int) -> date:
    found = day
    while count:
        found -= timedelta(days=1)
        if found.weekday() < 5:
            count -= 1
    return found


def _weighted(rng: random.Random, choices: tuple[tuple[TradeCategory, int], ...]) -> TradeCategory:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _weighted_index(rng: random.Random, weights: list[int]) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


STEPS: list[DemoStep] = [DemoStep("evaluations", _evaluations_step)]
