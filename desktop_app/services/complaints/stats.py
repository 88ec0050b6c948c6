"""The monthly statistics of complaints (投诉月度统计): the figures on screen, and the same figures as
the 投诉月度统计表 (table report with its charts, through the notices engine).

What a month counts (the hall's dates):
- received: cases received in the month, by category and by channel;
- closed: cases closed (办结) in the month, by outcome; on time when closed on or before the deadline
  in force (an approved extension moved it);
- open overdue: of the cases received in the month, those still open and past their deadline today;
- visited: cases visited (回访) in the month with a rating, by rating; satisfied: 非常满意, 满意, 基本满意.

A handful of GROUP BY queries over indexed dates, whatever the number of cases. The figures rest on
the cases' sealed fields: a month whose rows do not verify is refused, not counted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.complaints import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    GOOD_RATINGS,
    OPEN_STATES,
    OUTCOME_LABELS,
    SATISFACTION_LABELS,
    Category,
    Channel,
    Outcome,
    Satisfaction,
)
from desktop_app.domain.errors import DataCheckFailed, ValidationError
from desktop_app.services.base import Service
from desktop_app.services.center import read_settings
from desktop_app.services.complaints.cases import require_read
from desktop_app.services.complaints.types import MonthlyStats
from desktop_app.services.context import CurrentUser
from desktop_app.services.notices import IssuedDocument, NoticeService
from desktop_app.store.complaint_models import Complaint
from desktop_app.store.database import Database
from desktop_app.store.sealing import failing_ids

if TYPE_CHECKING:
    from desktop_app.notices.table_report import TableReport

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
STATS_TITLE = "投诉月度统计表"
OPEN_VALUES = tuple(s.value for s in OPEN_STATES)


def month_bounds(month: str) -> tuple[date, date]:
    """First day of ``month`` (YYYY-MM) and first day of the next one."""
    match = MONTH_PATTERN.match(month.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2999:
        raise ValidationError("统计月份应为“年-月”，例如 2026-11。", field="month")
    year, number = int(match.group(1)), int(match.group(2))
    first = date(year, number, 1)
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return first, following


def local_start(day: date) -> datetime:
    """Midnight of ``day`` in the hall's time zone, as an aware instant."""
    return datetime.combine(day, time()).astimezone()


def month_cases(first: date, following: date) -> ColumnElement[bool]:
    """Every case a month's figures rest on: received, closed or visited in it."""
    return or_(
        and_(Complaint.received_on >= first, Complaint.received_on < following),
        and_(Complaint.closed_on >= first, Complaint.closed_on < following),
        and_(Complaint.visited_at >= local_start(first), Complaint.visited_at < local_start(following)),
    )


def _ordered(counts: dict[Any, int], order: list[Any]) -> tuple[tuple[Any, int], ...]:
    """Every value of the enum in its own order, zeros included: a table keeps its rows month to month."""
    return tuple((value, counts.get(value, 0)) for value in order)


def monthly_stats_in(session: Session, db: Database, month: str) -> MonthlyStats:
    first, following = month_bounds(month)
    received_in = and_(Complaint.received_on >= first, Complaint.received_on < following)

    by_category: dict[Category, int] = {}
    by_channel: dict[Channel, int] = {}
    received = 0
    for category, channel, count in session.execute(
        select(Complaint.category, Complaint.channel, func.count())
        .where(received_in)
        .group_by(Complaint.category, Complaint.channel)
    ):
        by_category[Category(category)] = by_category.get(Category(category), 0) + count
        by_channel[Channel(channel)] = by_channel.get(Channel(channel), 0) + count
        received += count

    on_time = case((Complaint.closed_on <= Complaint.deadline, 1), else_=0)
    by_outcome: dict[Outcome, int] = {}
    closed = closed_on_time = 0
    for outcome, count, timely in session.execute(
        select(Complaint.outcome, func.count(), func.sum(on_time))
        # closed_on is set at 办结 and never cleared (a case is not reopened): its index alone
        # finds the month's closures; a condition on state would lead the planner to the state index.
        .where(Complaint.closed_on >= first, Complaint.closed_on < following)
        .group_by(Complaint.outcome)
    ):
        if outcome:
            by_outcome[Outcome(outcome)] = count
        closed += count
        closed_on_time += int(timely or 0)

    today = db.today()
    open_overdue = int(
        session.scalar(
            select(func.count())
            .select_from(Complaint)
            .where(received_in, Complaint.state.in_(OPEN_VALUES), Complaint.deadline < today)
        )
        or 0
    )

    by_satisfaction: dict[Satisfaction, int] = {}
    for satisfaction, count in session.execute(
        select(Complaint.satisfaction, func.count())
        .where(
            Complaint.satisfaction.is_not(None),
            Complaint.visited_at >= local_start(first),
            Complaint.visited_at < local_start(following),
        )
        .group_by(Complaint.satisfaction)
    ):
        if satisfaction:
            by_satisfaction[Satisfaction(satisfaction)] = count
    visited = sum(by_satisfaction.values())
    satisfied = sum(n for s, n in by_satisfaction.items() if s in GOOD_RATINGS)
    return MonthlyStats(
        month=f"{first.year:04d}-{first.month:02d}",
        received=received,
        closed=closed,
        closed_on_time=closed_on_time,
        open_overdue=open_overdue,
        by_category=_ordered(by_category, list(Category)),
        by_channel=_ordered(by_channel, list(Channel)),
        by_outcome=_ordered(by_outcome, list(Outcome)),
        by_satisfaction=_ordered(by_satisfaction, list(Satisfaction)),
        visited=visited,
        satisfied=satisfied,
    )


def check_month_in(session: Session, month: str) -> None:
    """The figures rest on the cases' deadlines, states, outcomes and ratings: all must verify."""
    first, following = month_bounds(month)
    bad = failing_ids(session, Complaint, month_cases(first, following))
    if bad:
        raise DataCheckFailed(
            f"数据校验失败 — 请联系审计管理员：{month} 的投诉中有 {len(bad)} 件记录在程序之外被改动过，"
            "不能据此统计。"
        )


# -- the report ---------------------------------------------------------------------------------
def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def rate_text(rate: float | None) -> str:
    return f"{100 * rate:.1f}%" if rate is not None else "—"


def month_words(month: str) -> str:
    first, _ = month_bounds(month)
    return f"{first.year}年{first.month}月"


def stats_rows(stats: MonthlyStats) -> list[tuple[str, str, str, str]]:
    """(统计项, 分项, 件数, 占比/比率): the report's table, also what the screen's table shows."""
    rows: list[tuple[str, str, str, str]] = [("收到投诉", "合计", str(stats.received), "")]
    rows += [("按类别", CATEGORY_LABELS[c], str(n), percent(n, stats.received)) for c, n in stats.by_category]
    rows += [("按渠道", CHANNEL_LABELS[c], str(n), percent(n, stats.received)) for c, n in stats.by_channel]
    rows += [
        ("办结", "合计", str(stats.closed), ""),
        ("办结", "按期办结", str(stats.closed_on_time), rate_text(stats.on_time_rate)),
        (
            "办结",
            "超期办结",
            str(stats.closed - stats.closed_on_time),
            percent(stats.closed - stats.closed_on_time, stats.closed),
        ),
    ]
    rows += [("办结结果", OUTCOME_LABELS[o], str(n), percent(n, stats.closed)) for o, n in stats.by_outcome]
    rows.append(
        ("逾期未办结", "本月收到件", str(stats.open_overdue), percent(stats.open_overdue, stats.received))
    )
    rows.append(("回访", "合计", str(stats.visited), ""))
    rows += [
        ("回访评价", SATISFACTION_LABELS[s], str(n), percent(n, stats.visited))
        for s, n in stats.by_satisfaction
    ]
    rows.append(("回访", "满意（含基本满意）", str(stats.satisfied), rate_text(stats.satisfaction_rate)))
    return rows


FOOTNOTES = (
    "说明：收到、类别、渠道按收到日期计；办结、结果按办结日期计，按期指在办结期限（含批准延期）内办结；",
    "逾期未办结为本月收到、截至制表日仍未办结且已过期限的件数；满意率 =（非常满意 + 满意 + 基本满意）÷ 回访件数。",
)


def stats_document(stats: MonthlyStats, center_name: str, generated_at: datetime) -> TableReport:
    from desktop_app.notices.charts import ChartSpec, Series
    from desktop_app.notices.table_report import Column, TableReport

    charts = (
        ChartSpec(
            "bar",
            "各类别投诉件数",
            tuple(CATEGORY_LABELS[c] for c, _ in stats.by_category),
            (Series("收到（按类别）", tuple(float(n) for _, n in stats.by_category)),),
            "件",
        ),
        ChartSpec(
            "horizontal_bar",
            "各渠道投诉件数",
            tuple(CHANNEL_LABELS[c] for c, _ in stats.by_channel),
            (Series("收到（按渠道）", tuple(float(n) for _, n in stats.by_channel)),),
            "件",
        ),
    )
    return TableReport(
        center_name=center_name,
        title=f"{month_words(stats.month)}{STATS_TITLE}",
        subtitle=(
            f"收到 {stats.received} 件　办结 {stats.closed} 件　按期办结率 {rate_text(stats.on_time_rate)}"
            f"　满意率 {rate_text(stats.satisfaction_rate)}"
        ),
        columns=(
            Column("统计项", 1.2),
            Column("分项", 1.6),
            Column("件数", 0.8, "right"),
            Column("占比 / 比率", 1.0, "right"),
        ),
        rows=tuple(stats_rows(stats)),
        generated_at=generated_at,
        footnotes=FOOTNOTES,
        charts=charts,
        charts_position="below",
    )


class StatsOps(Service):
    def monthly_stats(self, actor: CurrentUser, month: str) -> MonthlyStats:
        """The month's figures (``month``: YYYY-MM), for anyone who may read complaints."""
        require_read(actor)
        with self.db.session() as session:
            check_month_in(session, month)
            return monthly_stats_in(session, self.db, month)

    def stats_report(self, actor: CurrentUser, month: str) -> IssuedDocument:
        """The 投诉月度统计表 of ``month``, numbered and archived (TB…): the figures of
        ``monthly_stats`` as a table with its charts. ``.number`` and ``.pdf`` are the notice's."""
        require_read(actor)
        with self.write() as session:
            check_month_in(session, month)
            stats = monthly_stats_in(session, self.db, month)
            center_name = str(read_settings(session)["center_name"])
            document = stats_document(stats, center_name, self.db.now())
            return NoticeService(self.db).issue_in(
                session, actor, "complaint_stats", document, f"{month_words(month)}{STATS_TITLE}"
            )


def previous_month(month: str) -> str:
    first, _ = month_bounds(month)
    last = first - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"
