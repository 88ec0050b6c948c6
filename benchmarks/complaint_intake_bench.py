"""Intake to receipt on screen: a phone complaint saved from the intake form to its 投诉受理回执 in the
preview (offscreen Qt), median of N.

    python benchmarks/complaint_intake_bench.py [--runs 30] [--pg URL]

Each run: the duplicate check, ``services.complaints.register`` (checks, number, lookup code,
deadline, case and history rows, audit, the receipt numbered, drawn as PDF and archived, in one
transaction), then the preview dialog built and its first page rasterised. The phone changes every
run, so no run stops at the duplicate question. SQLite in a temporary folder; PostgreSQL too when
--pg or INTEGRITY_DESK_TEST_PG_URL names a server (a fresh schema is used and dropped).

Also prints the keys a clerk presses besides the typed text (tests/ui/test_complaint_intake.py
counts them on real widgets).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEYS = [
    "Ctrl+Shift+N (the form, from any page)",
    "Tab (name → phone)",
    "Alt+R (respondent kind: window)",
    "Tab (→ which window)",
    "Alt+C (category)",
    "Down (服务态度)",
    "Tab (→ facts)",
    "Tab (→ request)",
    "Ctrl+Enter (save)",
    "Enter (preview: print)",
    "Enter (print dialog)",
]


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95 + 0.5) - 1)]


def run(url: str, home: Path, runs: int) -> list[float]:
    from PySide6.QtWidgets import QApplication

    from desktop_app import clock, paths
    from desktop_app.domain.complaints import Category, Channel, RespondentKind
    from desktop_app.domain.roles import Role
    from desktop_app.services.complaints import ComplaintInput
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services
    from desktop_app.store.migrate import open_database
    from desktop_app.ui.notices.preview import NoticePreviewDialog

    app = QApplication.instance() or QApplication([])
    paths.set_home(home)
    database, _ = open_database(url, home / "keys", home / "backups", "bench")
    services = Services(database)
    clerk = CurrentUser(None, "clerk", "肖晓雨", frozenset({Role.HALL_STAFF}), "bench")
    samples: list[float] = []
    for index in range(runs + 1):
        data = ComplaintInput(
            channel=Channel.PHONE,
            received_at=clock.now() - timedelta(minutes=1),
            facts="窗口工作人员态度生硬，拒绝一次性告知所需材料。",
            category=Category.ATTITUDE,
            complainant_name="李四",
            phone=f"139{index:08d}",
            respondent_kind=RespondentKind.WINDOW,
            respondent_text="3号窗口",
            request="要求说明情况",
        )
        started = time.perf_counter()
        services.complaints.duplicates(clerk, data)
        result = services.complaints.register(clerk, data)
        assert result.receipt is not None
        preview = NoticePreviewDialog(services, clerk, result.receipt, None, close_after_print=True)
        preview.show()
        preview.view.render_visible()
        app.processEvents()
        elapsed = (time.perf_counter() - started) * 1000
        preview.close()
        preview.deleteLater()
        app.processEvents()
        if index:  # the first run loads fonts and modules: a clerk's first case of the day
            samples.append(elapsed)
        else:
            print(f"  first run: {elapsed:.0f} ms")
    database.dispose()
    return samples


def report(label: str, samples: list[float]) -> None:
    print(
        f"{label}: median {statistics.median(samples):.0f} ms, p95 {p95(samples):.0f} ms "
        f"over {len(samples)} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg", default=os.environ.get("INTEGRITY_DESK_TEST_PG_URL", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        print("SQLite:")
        report(
            "intake to receipt on screen (SQLite)",
            run(f"sqlite:///{home / 'bench.sqlite3'}", home, args.runs),
        )
    if args.pg:
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        engine = create_engine(args.pg)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        separator = "&" if "?" in args.pg else "?"
        url = f"{args.pg}{separator}options=-csearch_path%3D{schema}"
        try:
            with tempfile.TemporaryDirectory() as folder:
                print("PostgreSQL:")
                report("intake to receipt on screen (PostgreSQL)", run(url, Path(folder), args.runs))
        finally:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()
    print(f"keys besides the typed text for a phone complaint: {len(KEYS)} (goal ≤ 12)")
    for key in KEYS:
        print(f"  {key}")


if __name__ == "__main__":
    main()
