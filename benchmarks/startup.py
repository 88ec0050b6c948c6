"""Cold start of the GUI on a demo database, beside a bare PySide6 window, in one run.

    python benchmarks/startup.py                         # median of 7 runs each, demo built in a temp dir
    python benchmarks/startup.py --home .bench/demo-home --runs 9   # keep (and reuse) the demo there

Each run is a new process, offscreen (QT_QPA_PLATFORM=offscreen):

- **bare**: the same Python opens one empty QWidget; the time from spawning the process to the
  window's first paint is the floor.
- **login**: ``integrity-desk --home DEMO`` (the real start-up: ``__main__.main``) until the login
  window's first paint. Goal: at most 1.5x the bare window.
- **sign-in**: in the same process, once the database has opened behind the login (the clerk is
  still typing), the username and password of a demo account are filled in and submitted; the time
  from the submit to the main window's first paint. Goal: at most 0.5 s. Measured for a hall clerk
  (whose session opens on the credit lookup) and a leader (the home page).

The probe is a small driver around ``desktop_app.__main__.main`` that watches paint events through an
application event filter; the product carries no benchmark code. Nothing here asserts a time.

The project's bytecode is compiled first, as an installed program has it (pip and PyInstaller compile
it; PySide6 and the standard library, which the bare window runs, come compiled too). Without it, a
shell with PYTHONDONTWRITEBYTECODE set compiles every module of the start-up from source in every run
(~20 ms on the login path) — a cost no installed program pays. ``--no-compile`` measures the tree as
it is.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 1.5
GOAL_SIGN_IN = 0.5

BARE_QT = """\
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

class Probe(QObject):
    def eventFilter(self, watched, event):
        if watched is window and event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            app.exit(0)
        return False

app = QApplication([])
window = QWidget()
probe = Probe()
window.installEventFilter(probe)
window.show()
sys.exit(app.exec())
"""

# Runs the real entry point; reports the login window's first paint, then signs in once the
# database is open and reports the time from submit to the main window's first paint. Like the bare
# window's, the probe watches the login window alone: an application-wide Python event filter would
# see every event of every object (and make PySide build the Python types of each), which the
# program itself never pays. From the submit on it watches the application, to catch the main window.
APP_DRIVER = """\
import os, sys, time

# First, as the program's own entry points do (integrity-desk, python -m desktop_app): what
# desktop_app.__main__ imports comes before PySide6, whose import hook then reads the source of every
# module imported after it.
from desktop_app.__main__ import main

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

USER, PASSWORD = os.environ["PROBE_USER"], os.environ["PROBE_PASSWORD"]

class Probe(QObject):
    login = None
    submitted = None

    def eventFilter(self, watched, event):
        if event.type() != QEvent.Type.Paint:
            return False
        if watched is self.waiting_for and self.login is None:
            self.login = watched
            print("login", flush=True)
            self.poll = QTimer()
            self.poll.timeout.connect(self.sign_in_when_open)
            self.poll.start(20)
        elif type(watched).__name__ == "MainWindow" and self.submitted is not None:
            print(f"main {time.perf_counter() - self.submitted:.4f}", flush=True)
            self.submitted = None
            QTimer.singleShot(0, lambda: QApplication.instance().exit(0))
        return False

    def sign_in_when_open(self):
        # As a clerk would: typing takes seconds, so the database and the warm-up are done by then.
        opener = getattr(self.controller, "opener", None)
        if self.login.services is None or (opener is not None and opener.running):
            return
        self.poll.stop()
        self.login.username.setText(USER)
        self.login.password.setText(PASSWORD)
        QApplication.instance().installEventFilter(self)
        self.submitted = time.perf_counter()
        self.login.submit()

probe = Probe()
probe.waiting_for = None
import desktop_app.ui.session as session_module
Controller = session_module.SessionController

class Watched(Controller):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        probe.controller = self

    def show_login(self, *args, **kwargs):
        super().show_login(*args, **kwargs)
        # Shown, not yet painted: the paint comes from the event loop.
        if probe.waiting_for is None:
            probe.waiting_for = self.dialog
            self.dialog.installEventFilter(probe)

session_module.SessionController = Watched
sys.exit(main(sys.argv[1:]))
"""

APP_ENV_VARS = ("INTEGRITY_DESK_HOME", "INTEGRITY_DESK_DB_URL", "INTEGRITY_DESK_KEY_FILE")


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in APP_ENV_VARS}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def ensure_demo(home: Path, env: dict[str, str]) -> None:
    if (home / "integrity-desk.sqlite3").is_file():
        print(f"demo database: {home}")
        return
    print(f"building the demo center in {home} ...", flush=True)
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "desktop_app", "--home", str(home), "demo"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def demo_account(post: str) -> tuple[str, str]:
    """(username, password) of the first demo person in a post (the demo is deterministic)."""
    from desktop_app.services.demo import DEFAULT_SEED, demo_passwords, demo_people

    people = demo_people(DEFAULT_SEED)
    person = next(p for p in people if p.post == post)
    return person.username, demo_passwords(DEFAULT_SEED, people)[person.username]


def run_child(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Spawn, and the time at which each reported line arrived (and what it carried)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    watchdog = threading.Timer(120, proc.kill)  # a hung start fails the run instead of stalling it
    watchdog.start()
    seen: dict[str, float] = {}
    for line in proc.stdout:
        parts = line.split()
        if not parts:
            continue
        arrived = time.perf_counter() - start
        seen[parts[0]] = float(parts[1]) if len(parts) > 1 else arrived
    stderr = proc.stderr.read() if proc.stderr else ""
    watchdog.cancel()
    if proc.wait() != 0:
        raise SystemExit(f"failed (exit code {proc.returncode}): {' '.join(argv)}\n{stderr[-2000:]}")
    return seen


def median_line(label: str, values: list[float]) -> float:
    median = statistics.median(values)
    shown = " ".join(f"{v:.3f}" for v in values)
    print(f"{label:<34} median {median:.3f} s   runs: {shown}")
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each program (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--home", type=Path, default=None, help="demo data folder (default: a temporary one)")
    parser.add_argument(
        "--no-compile", action="store_true", help="do not compile the project's bytecode first"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")

    env = child_env()
    if not args.no_compile:
        # Into the tree's __pycache__ folders (ignored by git), for this interpreter, as an install does.
        compileall.compile_dir(ROOT / "desktop_app", quiet=1)
    with tempfile.TemporaryDirectory(prefix="integrity-desk-bench-") as tmp:
        home = args.home.resolve() if args.home else Path(tmp) / "demo"
        ensure_demo(home, env)
        print(f"python: {sys.executable} ({sys.version.split()[0]}), QT_QPA_PLATFORM=offscreen")
        bytecode = "as the tree has it" if args.no_compile else "compiled first"
        print(f"{args.runs} timed runs after {args.warmup} warm-up; bytecode {bytecode}")
        print(f"load: {os.getloadavg()[0]:.2f}\n")
        accounts = {"hall clerk": demo_account("窗口受理"), "leader": demo_account("中心主任")}
        bare_argv = [sys.executable, "-c", BARE_QT]
        app_argv = [sys.executable, "-c", APP_DRIVER, "--home", str(home)]
        bare: list[float] = []
        login: list[float] = []
        sign_in: dict[str, list[float]] = {who: [] for who in accounts}
        for index in range(args.warmup + args.runs):
            timed = index >= args.warmup
            # Interleaved, so a change of load on the machine hits both alike.
            seen = run_child(bare_argv, env)
            for who, (user, password) in accounts.items():
                shown = run_child(app_argv, {**env, "PROBE_USER": user, "PROBE_PASSWORD": password})
                if timed:
                    sign_in[who].append(shown["main"])
                    if who == "hall clerk":
                        login.append(shown["login"])
            if timed:
                bare.append(seen["painted"])
        bare_median = median_line("bare PySide6 window, first paint", bare)
        login_median = median_line("login window, first paint", login)
        signed = {
            who: median_line(f"sign-in → main window ({who})", values) for who, values in sign_in.items()
        }

    ratio = login_median / bare_median
    print(
        f"\nlogin window: {ratio:.2f}x the bare window ({'within' if ratio <= GOAL_RATIO else 'over'} {GOAL_RATIO}x)"
    )
    for who, value in signed.items():
        verdict = "within" if value <= GOAL_SIGN_IN else "over"
        print(f"main window after the password ({who}): {value:.3f} s ({verdict} {GOAL_SIGN_IN} s)")
    print(f"load at the end: {os.getloadavg()[0]:.2f}")
    if shutil.which("nproc"):
        print(f"cores: {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
