"""The witness's grid of 9 experts × 17 items (offscreen Qt): opening it, and the time each key takes
from the key press to the cells painted again. Goal: no visible lag, each key ≤ 16 ms.

    python benchmarks/evaluation_grid_bench.py [--passes 3] [--pg URL]

A session of 9 experts is created in a fresh database (SQLite in a temporary folder; PostgreSQL too
when --pg or INTEGRITY_DESK_TEST_PG_URL names a server: a fresh schema, dropped after); then:

- **open**: ``open_session_window`` (the service's grid, the window built, shown and painted);
- **keys**: the grid walked cell by cell, column by column (Down / Right), Space on every third
  cell, a digit (or two: 1, 2 on a 5–15 item) on every fifth, Delete on every seventh, Enter and
  Esc on the remarks now and then: each key sent to the table as a press and a release, then the
  events processed (the cells and the totals painted again). Per kind: median, p95, max;
- **draft**: ``save_draft`` of the grid as typed (what the 0.8 s pause after the last key costs,
  on the GUI thread).

Prints milliseconds; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EXPERTS = 9
DAY = date(2026, 11, 18)


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95 + 0.5) - 1)]


def run(url: str, home: Path, passes: int) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from desktop_app import paths
    from desktop_app.domain.credit import SubjectKind
    from desktop_app.domain.evaluations import TradeCategory
    from desktop_app.domain.roles import Role
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.credit import SubjectInput
    from desktop_app.services.evaluations.types import SessionInput
    from desktop_app.services.facade import Services
    from desktop_app.store.migrate import open_database
    from desktop_app.ui.evaluations.grid import open_session_window
    from desktop_app.ui.evaluations.grid_model import FIRST_EXPERT_COLUMN

    app = QApplication.instance() or QApplication([])
    paths.set_home(home)
    database, _ = open_database(url, home / "keys", home / "backups", "bench")
    services = Services(database)
    witness = CurrentUser(None, "lead", "尹百川", frozenset({Role.LEADER}), "bench")
    names = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一"]
    ids = []
    for n, name in enumerate(names[:EXPERTS], start=1):
        data = SubjectInput(
            SubjectKind.EXPERT, name, id_number=_resident_id(n), expert_no=f"Z{1000 + n}", specialty="土建"
        )
        ids.append(services.credit.create_subject(witness, data).id)
    start = datetime.combine(DAY, dtime(9)).astimezone()
    info = services.evaluations.create_session(
        witness,
        SessionInput(
            "GC2026-017",
            "天河大道改造工程施工",
            TradeCategory.CONSTRUCTION,
            "第3评标室",
            start,
            expert_ids=tuple(ids),
        ),
    )

    opened = []
    for _ in range(5):
        began = time.perf_counter()
        window = open_session_window(services, witness, info.id)
        assert window is not None
        app.processEvents()
        opened.append((time.perf_counter() - began) * 1000)
        window.dirty = False  # nothing typed: closing keeps no draft
        window.close()
        app.processEvents()
    print(
        f"  open (grid read, window built and painted): first {opened[0]:.0f} ms, then median "
        f"{statistics.median(opened[1:]):.0f} ms"
    )

    window = open_session_window(services, witness, info.id)
    assert window is not None
    window.draft_timer.setInterval(10**9)  # the pause's save measured on its own below
    view = window.table
    view.setFocus()
    app.processEvents()
    rows = len(window.model.state.items)
    times: dict[str, list[float]] = defaultdict(list)

    def key(name: str, code: Qt.Key, text: str = "") -> None:
        began = time.perf_counter()
        target = QApplication.focusWidget() or view
        QApplication.sendEvent(
            target, QKeyEvent(QEvent.Type.KeyPress, code, Qt.KeyboardModifier.NoModifier, text)
        )
        QApplication.sendEvent(
            target, QKeyEvent(QEvent.Type.KeyRelease, code, Qt.KeyboardModifier.NoModifier, text)
        )
        app.processEvents()
        times[name].append((time.perf_counter() - began) * 1000)

    step = 0
    for _ in range(passes):
        for column in range(EXPERTS):
            view.setCurrentIndex(window.model.index(0, FIRST_EXPERT_COLUMN + column))
            for row in range(rows):
                step += 1
                item = window.model.state.items[row]
                if step % 3 == 0:
                    key("space", Qt.Key.Key_Space, " ")
                if step % 5 == 0:
                    if item.max_points >= 10 and item.min_points < 10:
                        key("digit", Qt.Key.Key_1, "1")
                        key("digit", Qt.Key.Key_2, "2")
                    else:
                        digit = item.default_points % 10
                        key("digit", Qt.Key(Qt.Key.Key_0.value + digit), str(digit))
                if step % 7 == 0:
                    key("delete", Qt.Key.Key_Delete)
                if step % 11 == 0 and window.model.state.points.get(
                    (window.model.state.experts[column].subject_id, item.code)
                ):
                    key("enter (remark)", Qt.Key.Key_Return, "\r")
                    key("escape (back)", Qt.Key.Key_Escape)
                if row < rows - 1:
                    key("down", Qt.Key.Key_Down)
            key("right", Qt.Key.Key_Right)
    all_keys = [t for samples in times.values() for t in samples]
    print(f"  keys on the {EXPERTS} × {rows} grid ({len(all_keys)} keys, {passes} passes):")
    for name, samples in sorted(times.items()):
        print(
            f"    {name:16} median {statistics.median(samples):5.2f} ms, p95 {p95(samples):5.2f} ms, "
            f"max {max(samples):5.2f} ms  ({len(samples)})"
        )
    print(
        f"    {'every key':16} median {statistics.median(all_keys):5.2f} ms, p95 {p95(all_keys):5.2f} ms, "
        f"max {max(all_keys):5.2f} ms; over 16 ms: {sum(1 for t in all_keys if t > 16)}"
    )
    marks = len(window.model.state.points)
    saves = []
    for _ in range(10):
        window.dirty = True
        began = time.perf_counter()
        window.save_draft()
        saves.append((time.perf_counter() - began) * 1000)
    print(f"  draft saved ({marks} marks): median {statistics.median(saves):.1f} ms, max {max(saves):.1f} ms")
    window.dirty = False
    window.close()
    app.processEvents()
    database.dispose()


def _resident_id(n: int) -> str:
    from tests.builders import born_on

    return born_on(date(1970 + n, 1, 1 + n % 27))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("INTEGRITY_DESK_TEST_PG_URL", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        print("SQLite:")
        run(f"sqlite:///{(home / 'bench.sqlite3').as_posix()}", home, args.passes)
    if args.pg:
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        engine = create_engine(args.pg)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        try:
            with tempfile.TemporaryDirectory() as folder:
                print("PostgreSQL:")
                separator = "&" if "?" in args.pg else "?"
                run(f"{args.pg}{separator}options=-csearch_path%3D{schema}", Path(folder), args.passes)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


if __name__ == "__main__":
    main()
