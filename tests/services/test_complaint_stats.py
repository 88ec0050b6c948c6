"""The monthly statistics of complaints: the figures of a small known month, and the same figures on
the 投诉月度统计表 with its chart."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.domain.complaints import Category, Channel, Outcome, Satisfaction, TimeLimit
from desktop_app.domain.errors import DataCheckFailed, PermissionDenied, ValidationError
from desktop_app.services.complaints import Assignment, Closure, MonthlyStats
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.complaint_models import Complaint
from tests.complaint_builders import People, people, phone_complaint
from tests.notices.support import image, pdf_text, pdf_words, pixels, render_pages, save


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


def _register(services: Services, crew: People, received: str, serial: int, **changes: object) -> int:
    data = phone_complaint(at(received), phone=f"1380000{serial:04d}", **changes)
    return services.complaints.register(crew.clerk, data, receipt=False).complaint.id


def _close(
    services: Services, crew: People, case_id: int, outcome: Outcome, rating: Satisfaction | None
) -> None:
    info = services.complaints.get(crew.supervisor, case_id)
    info = services.complaints.accept(
        crew.supervisor, case_id, info.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    info = services.complaints.investigate(crew.handler, case_id, info.version)
    info = services.complaints.close(crew.handler, case_id, info.version, Closure(outcome, "已处理并答复。"))
    if rating is not None:
        services.complaints.visit(crew.handler, case_id, info.version, rating)


@pytest.fixture
def november(services: Services, crew: People) -> None:
    known_month(services, crew)


def known_month(services: Services, crew: People) -> None:
    """Five cases received in November 2026 (today is Wednesday 18 November), one in October:

    A 2 Nov window/efficiency, simple (due 4 Nov), closed today: late, 不属实, visited 满意
    B 16 Nov phone/attitude, closed today on time: 属实, visited 不满意
    C 17 Nov phone/attitude, closed today on time: 部分属实, visited 非常满意
    D 3 Nov letter/fees, simple (due 5 Nov), still registered: open and overdue
    E 17 Nov mailbox/other: open, not due yet
    F 20 Oct phone/attitude, 25 working days (due 24 Nov), closed today on time: 不属实, not visited
    """
    a = _register(services, crew, "2026-11-02T09:00", 1, channel=Channel.WINDOW, category=Category.EFFICIENCY,
                  time_limit=TimeLimit.SIMPLE)  # fmt: skip
    b = _register(services, crew, "2026-11-16T09:00", 2)
    c = _register(services, crew, "2026-11-17T15:00", 3)
    _register(services, crew, "2026-11-03T09:00", 4, channel=Channel.LETTER, category=Category.FEES,
              time_limit=TimeLimit.SIMPLE)  # fmt: skip
    _register(services, crew, "2026-11-17T16:00", 5, channel=Channel.MAILBOX, category=Category.OTHER)
    f = _register(services, crew, "2026-10-20T10:00", 6, time_limit=TimeLimit.COMPLEX, time_limit_days=25)
    _close(services, crew, a, Outcome.FALSE, Satisfaction.SATISFIED)
    _close(services, crew, b, Outcome.TRUE, Satisfaction.DISSATISFIED)
    _close(services, crew, c, Outcome.PARTLY, Satisfaction.VERY_SATISFIED)
    _close(services, crew, f, Outcome.FALSE, None)


def test_the_figures_of_a_known_month(services: Services, crew: People, november: None) -> None:
    stats = services.complaints.monthly_stats(crew.clerk, "2026-11")
    assert isinstance(stats, MonthlyStats) and stats.month == "2026-11"
    assert stats.received == 5
    assert dict(stats.by_category) == {
        Category.ATTITUDE: 2,
        Category.EFFICIENCY: 1,
        Category.FEES: 1,
        Category.SHIRKING: 0,
        Category.DISCIPLINE: 0,
        Category.SYSTEM: 0,
        Category.OTHER: 1,
    }
    # Every value in the enum's order, zeros included: the table keeps its rows month to month.
    assert [c for c, _ in stats.by_category] == list(Category)
    channels = dict(stats.by_channel)
    assert (channels[Channel.WINDOW], channels[Channel.PHONE], channels[Channel.LETTER]) == (1, 2, 1)
    assert (channels[Channel.MAILBOX], channels[Channel.HOTLINE]) == (1, 0)
    # Closed this month: A (late), B, C, F (received in October, closed in time).
    assert (stats.closed, stats.closed_on_time) == (4, 3)
    assert stats.on_time_rate == pytest.approx(0.75)
    assert dict(stats.by_outcome) == {Outcome.TRUE: 1, Outcome.PARTLY: 1, Outcome.FALSE: 2}
    assert stats.open_overdue == 1  # D; E is not due yet, A was closed
    assert (stats.visited, stats.satisfied) == (3, 2)
    assert stats.satisfaction_rate == pytest.approx(2 / 3)
    assert dict(stats.by_satisfaction)[Satisfaction.DISSATISFIED] == 1

    october = services.complaints.monthly_stats(crew.clerk, "2026-10")
    assert (october.received, october.closed, october.visited) == (1, 0, 0)
    assert october.on_time_rate is None and october.satisfaction_rate is None


def test_a_month_is_typed_year_dash_month_and_read_by_those_who_may(
    services: Services, crew: People, admin: CurrentUser
) -> None:
    for bad in ("2026-13", "2026/11", "11-2026", ""):
        with pytest.raises(ValidationError) as refused:
            services.complaints.monthly_stats(crew.clerk, bad)
        assert refused.value.field == "month"
    with pytest.raises(PermissionDenied):
        services.complaints.monthly_stats(admin, "2026-11")


def test_a_month_with_a_tampered_case_is_refused(services: Services, crew: People, november: None) -> None:
    with services.db.session(write=True) as session:
        session.execute(
            Complaint.__table__.update()
            .where(Complaint.__table__.c.number == "TS2026-000004")
            .values(state="closed")
        )
    with pytest.raises(DataCheckFailed, match="数据校验失败"):
        services.complaints.monthly_stats(crew.clerk, "2026-11")
    # Another month does not rest on that row.
    assert services.complaints.monthly_stats(crew.clerk, "2026-09").received == 0


def test_the_report_has_the_figures_the_title_and_a_chart(
    services: Services, crew: People, november: None, tmp_path: Path
) -> None:
    issued = services.complaints.stats_report(crew.leader, "2026-11")
    assert issued.number.startswith("TB2026-")
    pdf = save(issued.pdf, tmp_path, "stats.pdf")
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert "2026年11月投诉月度统计表" in flat
    assert "按期办结率75.0%" in flat and "满意率66.7%" in flat
    for label in ("服务态度", "办事效率", "违规收费", "网上举报信箱", "部分属实", "非常满意"):
        assert label in flat
    assert issued.number in flat
    # The chart: its title on the page and bars in the palette's first colour below it.
    words = [
        (i, w) for i, page in enumerate(pdf_words(pdf)) for w in page.words if w.text == "各类别投诉件数"
    ]
    assert words, text
    page_index, title = words[0]
    pngs, _ = render_pages(pdf, 72, tmp_path, page=page_index + 1)
    img = image(pngs[0])
    box = (0, int(title.y1), img.width, min(img.height, int(title.y1) + 190))
    navy = sum(
        1 for r, g, b in pixels(img, box) if abs(r - 0x1F) < 24 and abs(g - 0x3F) < 24 and abs(b - 0x6B) < 24
    )
    assert navy > 200
    # The archive keeps the notice: a reprint draws the same figures again.
    again = services.notices.reprint(crew.leader, issued.number)
    assert "75.0%" in pdf_text(save(again.pdf, tmp_path, "again.pdf"))
