"""Ctrl+P on the credit lookup page to the 信用查询结果告知单 on screen (offscreen Qt).

    python benchmarks/certificate_bench.py [--home DIR] [--presses 30] [--no-warm-up]

Without --home a demo center is built in a temporary folder (about 10 s); with --home, an existing
demo center (``integrity-desk --home DIR demo``) is used, signed in with the demo's own passwords.
The main window is opened for a demo hall clerk as the app opens it: the modules the app warms up
on its opener thread while the password is typed (``app.warm_up_main_window``) are warmed first
unless --no-warm-up. Then, press after press: a subject's name is searched, its row selected, and
Ctrl+P pressed on the results; the time runs from the key press to the preview dialog showing the
first page (its image set and painted). Subjects rotate over banned, recorded and clear ones.

Prints the first press (the first in the process, as a clerk's first certificate of the day), then
the median and p95 of the next --presses, and where the time of a press goes: the service call
(check, number, HMAC, PDF with the font subset, archive, audit), the preview dialog's construction,
the first page's rasterising (pypdfium2), and the rest (the lookup page's own refresh after the
check, event processing, the paint). Goal: every press ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GOAL_MS = 300.0
_NONE_BALLAST: list[None] = []


def p95(samples: Sequence[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95 + 0.5) - 1)]


class Phases:
    """Wall time spent inside a few functions during one press (patched in by ``timed``)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def timed(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + (time.perf_counter() - started) * 1000

        setattr(owner, name, wrapper)


def open_home(home: Path | None) -> tuple[Any, str, str]:
    """(services, clerk username, password) of the demo center in ``home`` (built first if None).

    The demo is built by another process, so this one starts as cold as the app does."""
    from desktop_app import paths

    if home is None:
        home = Path(tempfile.mkdtemp(prefix="certificate-bench-"))
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "desktop_app", "--home", str(home), "demo"],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parent.parent,
        )
        print(f"demo center built in {time.perf_counter() - started:.1f} s in {home}")
    where = paths.set_home(home)
    from desktop_app.domain.roles import Role
    from desktop_app.services.demo import DEFAULT_SEED, demo_passwords, demo_people
    from desktop_app.services.opening import open_services

    services, _ = open_services(
        f"sqlite:///{where.database}", where.default_key_file, where.backups, "bench-ws", daily_backup=False
    )
    people = demo_people(DEFAULT_SEED)
    passwords = demo_passwords(DEFAULT_SEED, people)
    clerk = next(p for p in people if p.roles == {Role.HALL_STAFF})
    return services, clerk.username, passwords[clerk.username]


def subjects_to_certify(services: Any, count: int) -> list[str]:
    """Names of banned, recorded and clear subjects, interleaved (each certificate looks different)."""
    from sqlalchemy import text

    with services.db.engine.connect() as conn:
        recorded = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT s.name FROM credit_subjects s JOIN credit_records r ON r.subject_id = s.id "
                    "WHERE r.kind IN ('ban', 'serious', 'bad') GROUP BY s.id, s.name "
                    "ORDER BY count(*) DESC, s.id LIMIT :n"
                ),
                {"n": count},
            )
        ]
        clear = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT name FROM credit_subjects WHERE id NOT IN "
                    "(SELECT subject_id FROM credit_records) ORDER BY id LIMIT :n"
                ),
                {"n": count},
            )
        ]
    names = [n for pair in zip(recorded, clear, strict=False) for n in pair]
    return (names * (count // max(len(names), 1) + 1))[:count]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, help="an existing demo center's data folder")
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--no-warm-up", action="store_true", help="skip the app's sign-in warm-up")
    args = parser.parse_args()

    services, username, password = open_home(args.home)
    # See benchmarks/credit_search_bench.py: PySide6 6.12.0 drops a reference to None per void call.
    _NONE_BALLAST.extend([None] * 1_000_000)

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from desktop_app.app import apply_language, warm_up_main_window

    apply_language(app, "zh_CN")
    if not args.no_warm_up:
        started = time.perf_counter()
        warm_up_main_window()  # the app does this on the opener thread while the password is typed
        print(
            f"sign-in warm-up (off the clock, as in the app): {(time.perf_counter() - started) * 1000:.0f} ms"
        )
    actor = services.auth.login(username, password)

    from desktop_app import paths
    from desktop_app.settings import Settings
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.shell import ShellContext

    context = ShellContext(paths.locations(), Settings(), services.db.url)
    window = MainWindow(services, actor, context)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    page = window.open_page("credit")
    app.processEvents()

    phases = Phases()
    from desktop_app.services.credit import CreditService

    phases.timed(CreditService, "entry_check", "service")
    from desktop_app.ui.credit import lookup

    # A subject certified by this clerk minutes ago (a second run on the same --home) would ask
    # "reprint or new?" in a modal box: the benchmark answers "new", as a press that issues one.
    lookup.ask_reprint_or_new = lambda *_args: lookup.NEW_CERTIFICATE  # type: ignore[assignment]

    names = subjects_to_certify(services, args.presses + 1)
    samples: list[float] = []
    spent: list[dict[str, float]] = []
    for name in names:
        page.run_search_now(name)
        app.processEvents()
        page.view.setFocus()
        page.view.setCurrentIndex(page.model.index(0, 0))
        app.processEvents()
        phases.spent = {}
        started = time.perf_counter()
        QTest.keyClick(page.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        dialog = page.preview
        if dialog is None:
            raise SystemExit(f"Ctrl+P opened no preview for {name!r}")
        wait_until(app, lambda d=dialog: bool(d.view.rendered_pages()))
        dialog.view.viewport().repaint()  # the frame that shows it
        samples.append((time.perf_counter() - started) * 1000)
        phases.spent["rest"] = samples[-1] - sum(phases.spent.values())
        spent.append(dict(phases.spent))
        dialog.reject()
        app.processEvents()
        if len(samples) == 1:
            # Imported by the first press (as the lookup page imports it): timed from the second on.
            from desktop_app.ui.notices import preview

            phases.timed(preview.NoticePreviewDialog, "__init__", "dialog")
            phases.timed(preview.PageView, "render_visible", "first page")

    first, rest = samples[0], samples[1:]
    print(f"first press of the session: {first:.0f} ms  ({describe(spent[0])})")
    print(
        f"next {len(rest)} presses: median {statistics.median(rest):.0f} ms, p95 {p95(rest):.0f} ms, "
        f"max {max(rest):.0f} ms (goal ≤ {GOAL_MS:.0f} ms)"
    )
    medians = {k: statistics.median(s.get(k, 0.0) for s in spent[1:]) for k in spent[-1]}
    print(f"  median by part: {describe(medians)}")
    window.close()
    services.dispose()
    sys.stdout.flush()
    os._exit(0)  # not through interpreter shutdown: see _NONE_BALLAST


def wait_until(app: Any, done: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("the preview never showed its first page")
        app.processEvents()


def describe(parts: dict[str, float]) -> str:
    return ", ".join(f"{name} {ms:.0f} ms" for name, ms in parts.items())


if __name__ == "__main__":
    main()
