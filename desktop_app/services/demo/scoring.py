"""The monthly scores of the demo center (月度考核): six full months of sheets for every staff member
(the center's two leaders are not a department's to score), each department's month filled by its
head, submitted and locked by a leader early the next month.

Most totals fall between 85 and 98 (each person has a level of their own and a monthly spread); a few
sheets carry a manual deduction with its evidence (late, a breach of discipline, a duty not done) or
a bonus; the odd 优秀, never above the department's quota. The automatic lines — the demo complaints'
deductions (found true, closed late), 差评 at the follow-up visits, the staff integrity records of the
credit step — arrive by themselves when a month is opened. Stories a leader can follow: one automatic
deduction contested by the head and withdrawn by a leader; one locked month reopened with a reason, a
sheet corrected and the month locked again (both revisions readable); the last full month locked for
most departments, one left submitted (the leader's 待办) and one still in draft (its head's 待办).

Every call is the one a head or a leader would make, at the moment they would have made it (the
database's clock is set back for the call, as the complaints step does).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from desktop_app.domain.roles import Role
from desktop_app.domain.scoring import (
    Bands,
    Dimension,
    ItemKind,
    Line,
    ScoringRule,
    Total,
    month_of,
    previous_months,
    sheet_total,
)
from desktop_app.services.demo.context import DemoContext, DemoStep
from desktop_app.services.demo.people import HEAD_POST

if TYPE_CHECKING:
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.scoring.types import EntryInput, RuleInfo, SchemeInfo, SheetInfo, SheetRow

T = TypeVar("T")
MONTHS = 6  # full months scored, up to the last one
LEFT_SUBMITTED = "政府采购科"  # its last month waits for a leader
LEFT_DRAFT = "信息科"  # its last month is still with its head, past the month's end
REOPENED = "建设工程科"  # the month before the last: reopened, corrected, locked again
REOPEN_REASON = "经核对门禁记录，{name}{month}的迟到系考勤机故障误记，扣分有误，予以更正。"
CONTEST_REASON = "经调阅窗口监控，投诉所涉时段当事人不在岗，系他人接待，申请撤销该扣分。"
CONTEST_NOTE = "经核实，投诉所涉接待人非本人，撤销扣分。"
# Manual deductions a head writes, by item: (points, evidence, remark) choices; {m}: the month (5月).
DEDUCTIONS: dict[str, tuple[tuple[float, str, str], ...]] = {
    "D01": (
        (1, "考勤记录：{m}12日迟到 15 分钟", ""),
        (2, "考勤记录：{m}8日、{m}21日各迟到一次", "已提醒"),
        (1, "考勤记录：{m}26日早退", ""),
    ),
    "D06": (
        (2, "{m}14日上班时间离岗 40 分钟，有监控记录", "已批评教育"),
        (2, "{m}9日窗口服务时使用手机处理私事，有监控记录", ""),
    ),
}
# A post's own duty (D07), by scheme: what a head writes for it.
DUTIES: dict[str, tuple[tuple[float, str, str], ...]] = {
    "窗口服务岗": ((2, "{m}17日未一次性告知补正材料，办事人往返两次", "已整改"),),
    "见证岗": ((1, "{m}见证记录缺少开标环节签到表", ""), (2, "{m}一场政府采购评标的专家考评超期未定稿", "")),
}
BONUSES = (
    (2, "{m}承担电子交易系统升级期间的现场保障，加班 3 天"),
    (1, "{m}参与修订保证金退还操作规程"),
    (2, "{m}承担市重点项目开标的现场协调"),
    (3, "{m}收到办事企业送来的感谢信和锦旗"),
)
REMARKS = ("", "", "", "", "工作认真负责", "服务热情", "业务熟练", "需加强业务学习", "按时完成各项任务")


def _scoring_step(ctx: DemoContext) -> None:
    from desktop_app.services.scoring.types import SheetInput

    services = ctx.services
    db = services.db
    scoring = services.scoring
    rng = ctx.rng("scoring")
    now = db.now()
    today = now.astimezone().date()
    first_day = today.replace(day=1)
    last_full = month_of((first_day - timedelta(days=1)).year, (first_day - timedelta(days=1)).month)
    schemes: dict[tuple[str, str], SchemeInfo] = {}
    months = previous_months(last_full, MONTHS)  # the first schemes also stand for earlier months
    people = ctx.people
    heads = {p.department: ctx.actor(p.username) for p in people if p.post == HEAD_POST}
    leader = ctx.actor(next(p.username for p in people if Role.LEADER in p.roles))
    level = {sid: rng.gauss(0.0, 1.6) for sid in sorted(ctx.staff_ids.values())}
    cursor = [datetime.min.replace(tzinfo=UTC)]

    @contextmanager
    def at(moment: datetime) -> Iterator[None]:
        """The services see ``moment`` as now (never later than the real now, never before the last
        call's moment: the history keeps its order when a month ended only days ago)."""
        saved = db.clock
        start = max(min(moment.astimezone(UTC), now - timedelta(minutes=5)), cursor[0])
        current = [start]

        def clock() -> datetime:
            current[0] += timedelta(microseconds=1)
            return current[0]

        db.clock = clock
        try:
            yield
        finally:
            cursor[0] = current[0]
            db.clock = saved

    def call(moment: datetime, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with at(moment):
            return fn(*args, **kwargs)

    counts = {
        "scoring_sheets": 0,
        "scoring_months_locked": 0,
        "scoring_manual_deductions": 0,
        "scoring_bonuses": 0,
    }
    contested = False
    for index, month in enumerate(months):
        last = index == len(months) - 1
        reopened = index == len(months) - 2
        year, number = int(month[:4]), int(month[5:])
        after = date(year + (number == 12), number % 12 + 1, 1)  # the month's scores are given then
        label = f"{number}月"
        rule = _rule(scoring.rule_on(month))
        for department, head in heads.items():
            department_id = ctx.departments[department]
            moment = _morning(_weekday(after, 2), 9)
            opened = call(moment, scoring.department_month, head, department_id, month)
            rows = sorted(opened.rows, key=lambda r: r.employee_no)
            story = None
            if reopened and department == REOPENED:
                story = next((r.staff_id for r in reversed(rows) if r.post != HEAD_POST), None)
            excellent = 0
            for row in rows:
                moment += timedelta(minutes=rng.randrange(4, 12))
                if (row.post, month) not in schemes:
                    schemes[row.post, month] = scoring.scheme_for(row.post, month)
                scheme = schemes[row.post, month]
                entries, remark = _marks(rng, scheme, level[row.staff_id], label)
                may_excel = (
                    row.staff_id != story and excellent < opened.excellent_quota and rng.random() < 0.7
                )
                entries, is_excellent = _within_quota(rng, entries, row, scheme, rule, may_excel)
                if row.staff_id == story:
                    entries = _with_late(entries, label)  # the line the reopen corrects
                excellent += is_excellent
                # Straight from the month's list: the sheet was opened a moment ago, by this head
                # alone (no version to compare; the base lines are matched by their item).
                data = SheetInput(entries, remark)
                saved = call(moment, scoring.save_sheet, head, row.sheet_id, data, None)
                counts["scoring_sheets"] += 1
                counts["scoring_manual_deductions"] += sum(1 for e in entries if e.item_code.startswith("D"))
                counts["scoring_bonuses"] += sum(1 for e in entries if e.item_code.startswith("P"))
                if not contested and not last:  # the first complaint deduction met
                    contested = _contest(call, scoring, head, leader, saved, rule, moment)
            if last and department == LEFT_DRAFT:
                continue
            moment = _morning(_weekday(after, 3), 16)
            submitted = call(moment, scoring.submit_month, head, department_id, month, opened.version)
            if last and department == LEFT_SUBMITTED:
                continue
            moment = _morning(_weekday(after, 5), 10) + timedelta(minutes=rng.randrange(0, 120))
            call(moment, scoring.lock_month, leader, department_id, month, submitted.version)
            counts["scoring_months_locked"] += 1
            if story is not None:
                _reopen(call, scoring, head, leader, department_id, month, story, after, label)
                counts["scoring_months_reopened"] = 1
    ctx.report.counts.update(counts)


def _marks(
    rng: random.Random, scheme: SchemeInfo, level: float, label: str
) -> tuple[tuple[EntryInput, ...], str]:
    """The manual lines a head gives: base points a little under full, now and then a deduction with
    its evidence or a bonus."""
    from desktop_app.services.scoring.types import EntryInput

    target = min(max(92.0 + level + rng.gauss(0.0, 1.8), 84.0), 98.5)
    missing = _half(100.0 - target)
    # Most of what is missing is 绩 (50 points); some 能 and 德, a little 勤.
    shares = {"B02": _half(missing * rng.uniform(0.1, 0.3)), "B01": _half(missing * rng.uniform(0.0, 0.15))}
    shares["B03"] = _half(missing * 0.1) if rng.random() < 0.3 else 0.0
    shares["B04"] = max(missing - sum(shares.values()), 0.0)
    entries: list[EntryInput] = []
    for item in scheme.items:
        if item.kind == ItemKind.BASE:
            given = max(item.max_points - shares.get(item.code, 0.0), item.min_points)
            entries.append(EntryInput(item.code, given))
    # What a head writes with evidence (a 科长's D07, 未按时提交, is another thing).
    codes = {i.code for i in scheme.items if i.evidence_required}
    written = {**DEDUCTIONS, **({"D07": DUTIES[scheme.name]} if scheme.name in DUTIES else {})}
    draw = rng.random()
    if draw < 0.09:
        code = rng.choice([c for c in written if c in codes])
        points, evidence, remark = rng.choice(written[code])
        entries.append(EntryInput(code, points, evidence.format(m=label), remark))
    elif draw < 0.13 and "P02" in codes:
        points, evidence = rng.choice(BONUSES)
        entries.append(EntryInput("P02", points, evidence.format(m=label)))
    return tuple(entries), rng.choice(REMARKS)


def _with_late(entries: tuple[EntryInput, ...], label: str) -> tuple[EntryInput, ...]:
    """The story's sheet: no other deduction or bonus, and a lateness the reopen takes off."""
    from desktop_app.services.scoring.types import EntryInput

    kept = tuple(e for e in entries if not e.item_code.startswith(("D", "P")))
    return (*kept, EntryInput("D01", 2, f"考勤记录：{label}13日、{label}20日各迟到一次"))


def _within_quota(
    rng: random.Random,
    entries: tuple[EntryInput, ...],
    row: SheetRow,
    scheme: SchemeInfo,
    rule: ScoringRule,
    may_excel: bool,
) -> tuple[tuple[EntryInput, ...], bool]:
    """The lines, with 绩 lowered when the total would be 优秀 and the department has none to give
    (the head keeps within the quota); and whether the sheet is 优秀."""
    from desktop_app.services.scoring.types import EntryInput

    total = _total(entries, row, scheme, rule)
    if total.grade != rule.excellent:
        return entries, False
    if may_excel:
        return entries, True
    lower = total.total - rng.choice((92.0, 92.5, 93.0, 93.5, 94.0, 94.5))
    changed = tuple(
        EntryInput(e.item_code, max(e.points - lower, 0.0), e.evidence, e.remark, e.entry_id)
        if e.item_code == "B04"
        else e
        for e in entries
    )
    return changed, _total(changed, row, scheme, rule).grade == rule.excellent


def _total(entries: tuple[EntryInput, ...], row: SheetRow, scheme: SchemeInfo, rule: ScoringRule) -> Total:
    """What the sheet will add up to: these manual lines and the automatic ones already on it (the
    row's dimensions, taken as the base lines at full points and the automatic lines)."""
    items = {i.code: i for i in scheme.items}
    full = sum(i.points for i in scheme.items if i.kind == ItemKind.BASE)
    automatic = sum(row.by_dimension.values()) - full
    kind = ItemKind.DEDUCTION if automatic < 0 else ItemKind.BONUS
    lines = [Line(Dimension.PERFORMANCE, kind, abs(automatic), row.veto)]
    for entry in entries:
        item = items[entry.item_code]
        lines.append(Line(item.dimension, item.kind, entry.points, item.veto))
    return sheet_total(lines, scheme.maximum, rule)


def _contest(
    call: Callable[..., Any],
    scoring: Any,
    head: CurrentUser,
    leader: CurrentUser,
    sheet: SheetInfo,
    rule: ScoringRule,
    moment: datetime,
) -> bool:
    """The head contests a complaint's deduction on this sheet, if it has one (and taking it off keeps
    the sheet under 优秀); a leader withdraws it that afternoon: the line stays, linked to its case, and
    no longer counts."""
    for entry in sheet.entries:
        if (
            entry.id is not None
            and entry.source_type == "complaint"
            and entry.kind == ItemKind.DEDUCTION
            and entry.counts
            and rule.monthly.grade(sheet.total + entry.points) != rule.excellent
        ):
            call(moment + timedelta(minutes=2), scoring.contest_entry, head, entry.id, CONTEST_REASON)
            call(moment + timedelta(hours=4), scoring.decide_contest, leader, entry.id, False, CONTEST_NOTE)
            return True
    return False


def _reopen(
    call: Callable[..., Any],
    scoring: Any,
    head: CurrentUser,
    leader: CurrentUser,
    department_id: int,
    month: str,
    staff_id: int,
    after: date,
    label: str,
) -> None:
    """A week after locking, the head reports a lateness wrongly recorded: a leader reopens the month
    with the reason, the head takes the line off and submits again, and the leader locks the month."""
    from desktop_app.services.scoring.types import EntryInput, SheetInput

    moment = _morning(_weekday(after, 10), 15)
    locked = call(moment, scoring.department_month, leader, department_id, month)
    name = next(r.staff_name for r in locked.rows if r.staff_id == staff_id)
    reason = REOPEN_REASON.format(name=name, month=label)
    call(moment, scoring.reopen_month, leader, department_id, month, reason, locked.version)
    moment += timedelta(hours=1)
    sheet = call(moment, scoring.sheet, head, staff_id, month)
    entries = tuple(
        EntryInput(e.item_code, e.points, e.evidence, e.remark, e.id)
        for e in sheet.entries
        if e.auto_source is None and e.id is not None and e.item_code != "D01"
    )
    data = SheetInput(entries, "迟到扣分系考勤机故障误记，已更正")
    call(moment, scoring.save_sheet, head, sheet.id, data, sheet.version)
    current = call(moment, scoring.department_month, head, department_id, month)
    call(moment + timedelta(minutes=10), scoring.submit_month, head, department_id, month, current.version)
    moment = _morning(_weekday(after, 11), 10)
    current = call(moment, scoring.department_month, leader, department_id, month)
    call(moment, scoring.lock_month, leader, department_id, month, current.version)


def _rule(info: RuleInfo) -> ScoringRule:
    return ScoringRule(
        effective_from=info.effective_from,
        monthly=Bands.parse(info.monthly_bands, info.monthly_worst),
        veto_cap=info.veto_cap,
        excellent=info.excellent,
        quota_percent=info.quota_percent,
        quota_min_size=info.quota_min_size,
    )


def _half(points: float) -> float:
    """Points to the half point (what a head writes)."""
    return round(points * 2) / 2


def _weekday(first: date, count: int) -> date:
    """The ``count``-th weekday from ``first`` on (``first`` itself when a weekday counts as 1)."""
    day = first - timedelta(days=1)
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _morning(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0)).astimezone()


STEPS: list[DemoStep] = [DemoStep("scoring", _scoring_step)]
