"""Typing in a monthly scoring sheet (offscreen Qt): the time each key takes from the key press to the
points, the dimension's subtotal, the total, grade and veto painted again. Goal: no visible lag, each
key ≤ 16 ms.

    python benchmarks/scoring_typing_bench.py [--passes 5]

A department of 8 staff in a fresh SQLite database (typing never reaches the database; saving does,
measured apart); the department's month is opened (``open_department_month``), then a sheet, and:

- **keys**: the sheet walked line by line (Down), two digits typed on every base line (its points
  typed again: 1 then 2 on a 15-point line), Backspace now and then, Insert adding a deduction (the
  picker answered at once) then a digit on it and Delete removing it. Per kind: median, p95, max;
- **save and next**: Ctrl+Enter (the sheet saved, the next staff member's read and shown).

Prints milliseconds; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STAFF = 8
MONTH = "2026-11"


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95 + 0.5) - 1)]


def run(url: str, home: Path, passes: int) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from desktop_app import paths
    from desktop_app.domain.roles import Role
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.facade import Services
    from desktop_app.store.migrate import open_database
    from desktop_app.ui.scoring import sheet as sheet_module
    from desktop_app.ui.scoring.department import open_department_month
    from desktop_app.ui.scoring.sheet import SheetWindow
    from desktop_app.ui.scoring.sheet_model import POINTS_COLUMN

    app = QApplication.instance() or QApplication([])
    paths.set_home(home)
    database, _ = open_database(url, home / "keys", home / "backups", "bench")
    services = Services(database)
    admin = CurrentUser(None, "admin", "管理员", frozenset({Role.SYSTEM_ADMIN}), "bench")
    department = next((d for d in services.organisation.departments() if d.name == "评审科"), None)
    department = department or services.organisation.save_department(admin, "评审科")
    names = ["罗浩", "周敏", "王五", "赵六", "钱七", "孙八", "吴十", "郑一"]
    staff_ids = [
        services.organisation.save_staff(
            admin, employee_no=f"E{100 + n}", name=name, department_id=department.id
        ).id
        for n, name in enumerate(names[:STAFF])
    ]
    supervisor = CurrentUser(
        None,
        "luo",
        "罗浩",
        frozenset({Role.SUPERVISOR}),
        "bench",
        department_id=department.id,
        department_name=department.name,
        staff_id=staff_ids[0],
    )
    month = open_department_month(services, supervisor, department.id, MONTH)
    assert month is not None
    app.processEvents()
    began = time.perf_counter()
    window = month.open_selected()
    assert isinstance(window, SheetWindow)
    app.processEvents()
    print(f"  sheet opened (read, built, painted): {(time.perf_counter() - began) * 1000:.0f} ms")
    items = window.manual_items()
    sheet_module.choose_item = lambda _parent, _items: items[0]  # the picker's Enter, at once
    view = window.table
    view.setFocus()
    app.processEvents()
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

    for _ in range(passes):
        view.setCurrentIndex(window.model.index(0, POINTS_COLUMN))
        for row in range(window.model.rowCount()):
            line = window.model.line_at(row)
            if line is not None and not line.automatic:
                key("digit", Qt.Key.Key_1, "1")
                key("digit", Qt.Key.Key_0, "0")
                if row % 3 == 0:
                    key("backspace", Qt.Key.Key_Backspace)
            if row < window.model.rowCount() - 1:
                key("down", Qt.Key.Key_Down)
        key("insert (add line)", Qt.Key.Key_Insert)
        key("digit", Qt.Key.Key_2, "2")
        key("delete (remove line)", Qt.Key.Key_Delete)
    all_keys = [t for samples in times.values() for t in samples]
    print(f"  keys on a sheet of {window.model.rowCount()} rows ({len(all_keys)} keys, {passes} passes):")
    for name, samples in sorted(times.items()):
        print(
            f"    {name:22} median {statistics.median(samples):5.2f} ms, p95 {p95(samples):5.2f} ms, "
            f"max {max(samples):5.2f} ms  ({len(samples)})"
        )
    print(
        f"    {'every key':22} median {statistics.median(all_keys):5.2f} ms, p95 {p95(all_keys):5.2f} ms, "
        f"max {max(all_keys):5.2f} ms; over 16 ms: {sum(1 for t in all_keys if t > 16)}"
    )
    nexts = []
    for _ in range(STAFF - 1):
        key("digit", Qt.Key.Key_9, "9")
        began = time.perf_counter()
        window.save_and_next()
        app.processEvents()
        nexts.append((time.perf_counter() - began) * 1000)
    print(f"  save and next (Ctrl+Enter): median {statistics.median(nexts):.0f} ms, max {max(nexts):.0f} ms")
    window.close()
    month.close()
    app.processEvents()
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        print("SQLite:")
        run(f"sqlite:///{(home / 'bench.sqlite3').as_posix()}", home, args.passes)


if __name__ == "__main__":
    main()
