"""Notice rendering speed beside a bare reportlab canvas drawing the same text with the same font.

    python benchmarks/notices_bench.py [--batch 1000] [--runs 200]

Prints: one receipt, warm (median and p95 of --runs); a batch of --batch one-page notices; the same
through the numbering + archive service on a fresh SQLite database; and each ratio to the bare canvas.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from desktop_app.notices.base import IssueStamp
from desktop_app.notices.fonts import ensure_font
from desktop_app.notices.official import OfficialNotice, render_official_notice
from desktop_app.notices.receipt import Receipt, render_receipt

RECEIPT = Receipt(
    "天河市公共资源交易中心",
    "服务投诉受理回执",
    (
        ("投诉渠道", "窗口/现场"),
        ("受理时间", "2026年11月27日 10:32"),
        ("首问负责人", "李晓珺（工号1008）"),
        ("投诉人", "王堃（实名）"),
        ("联系电话", "138****5678"),
        ("投诉类别", "服务态度"),
        ("被投诉对象", "政府采购科 3号窗口"),
        (
            "事实与理由",
            "投诉人称，2026年11月26日下午在3号窗口办理保证金退还业务时，工作人员态度生硬，未一次性告知所需材料。",
        ),
        ("诉求", "要求说明情况并改进服务。"),
        ("承诺办结期限", "2026年12月4日（5个工作日）"),
    ),
    notes=("一次性告知：如需补充证据材料，请于3个工作日内提交至服务大厅投诉窗口。",),
)
STAMP = IssueStamp("TS2026-000123", "K7QX-9M2D-P4AB", datetime.now(UTC))


def fresh_stamp(serial: int) -> IssueStamp:
    return IssueStamp(f"TS2026-{serial:06d}", f"K7QX-9M2D-{serial % 10000:04d}", STAMP.issued_at)


def notice(index: int) -> OfficialNotice:
    return OfficialNotice(
        "天河市公共资源交易中心",
        f"天公资交〔2026〕{index}号",
        "关于对某某招标代理有限公司不良行为记录的通报",
        "各有关单位",
        (
            "某某招标代理有限公司在项目招标代理活动中存在违规行为，根据有关规定，现予以通报，并记入不良行为记录。",
            "特此通报。",
        ),
        date(2026, 11, 27),
    )


def bare_canvas(lines: list[str]) -> bytes:
    """The floor: the same strings drawn with the same embedded font, nothing else."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=ensure_font())
    canvas.setFont(ensure_font(), 10)
    y = 800.0
    for line in lines:
        canvas.drawString(40, y, line)
        y -= 14
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def receipt_lines() -> list[str]:
    fields = [f"{k}：{v}" for k, v in RECEIPT.fields]
    return (["服务投诉受理回执", RECEIPT.center_name, *fields, *RECEIPT.notes]) * 2


def timed(call, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    ensure_font()
    render_receipt(RECEIPT, STAMP)  # warm: font parsed, code paths loaded
    lines = receipt_lines()
    serials = iter(range(1, 10**6))
    # A new number each time, as in the hall: nothing about the stamp (its QR code) is reused.
    ours = timed(lambda: render_receipt(RECEIPT, fresh_stamp(next(serials))), args.runs)
    bare = timed(lambda: bare_canvas(lines), args.runs)
    print(
        f"receipt warm: median {statistics.median(ours) * 1000:.1f} ms, p95 {p95(ours) * 1000:.1f} ms "
        f"(goal ≤ 30 ms)"
    )
    print(
        f"bare canvas, same text: median {statistics.median(bare) * 1000:.1f} ms; "
        f"ratio {statistics.median(ours) / statistics.median(bare):.2f}×"
    )

    start = time.perf_counter()
    for index in range(args.batch):
        render_official_notice(
            notice(index), IssueStamp(f"TZ2026-{index:06d}", "AAAA-BBBB-CCCC", STAMP.issued_at)
        )
    batch = time.perf_counter() - start
    notice_lines = [
        "天河市公共资源交易中心",
        "天公资交〔2026〕1号",
        notice(1).title,
        "各有关单位：",
        *notice(1).paragraphs,
        "天河市公共资源交易中心",
        "2026年11月27日",
        "— 1 —",
    ]
    start = time.perf_counter()
    for _ in range(args.batch):
        bare_canvas(notice_lines)
    bare_batch = time.perf_counter() - start
    print(
        f"batch of {args.batch} one-page notices: {batch:.2f} s (goal ≤ 15 s); bare canvas {bare_batch:.2f} s; "
        f"ratio {batch / bare_batch:.2f}×"
    )

    from desktop_app.services.context import CurrentUser
    from desktop_app.services.notices import NoticeService
    from desktop_app.store.migrate import open_database

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        database, _ = open_database(
            f"sqlite:///{home / 'bench.sqlite3'}", home / "keys", home / "backups", "bench"
        )
        actor = CurrentUser(None, "bench", "bench", frozenset(), "bench")
        service = NoticeService(database)
        start = time.perf_counter()
        for index in range(args.batch):
            service.issue(actor, "official_notice", notice(index))
        archived = time.perf_counter() - start
        database.dispose()
    print(f"batch of {args.batch} issued through numbering + archive + audit (SQLite): {archived:.2f} s")


if __name__ == "__main__":
    main()
