"""Cold start to the main window, against a demo database, beside a bare PySide6 program.

    python benchmarks/startup.py                 # median of 5 runs each, demo built in a temp dir
    python benchmarks/startup.py --home .bench/demo-home    # keep (and reuse) the demo there
    python benchmarks/startup.py --runs 9 --binary dist/integrity-desk/integrity-desk

Each run is a new process: ``integrity-desk --home DEMO --smoke-test`` (builds the main window
offscreen against the configured database, prints ``ok``, exits) and, as the floor, the same Python
opening one empty QWidget offscreen. The script prints both medians and their ratio (goal: at most
1.5x) and the size of ``dist/integrity-desk`` if it was built. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "integrity-desk"
GOAL_RATIO = 1.5

BARE_QT = """\
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
w.show()
app.processEvents()
print("ok")
"""

# Variables that would point the app somewhere other than the demo home.
APP_ENV_VARS = ("INTEGRITY_DESK_HOME", "INTEGRITY_DESK_DB_URL", "INTEGRITY_DESK_KEY_FILE")


def app_command(binary: str | None) -> list[str]:
    """The program to time: --binary, else the integrity-desk script beside this Python, else -m."""
    if binary:
        return [str(Path(binary).resolve())]
    script = Path(sys.executable).parent / ("integrity-desk.exe" if os.name == "nt" else "integrity-desk")
    if script.is_file():
        return [str(script)]
    found = shutil.which("integrity-desk")
    if found:
        return [found]
    return [sys.executable, "-m", "desktop_app"]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in APP_ENV_VARS}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def ensure_demo(command: list[str], home: Path, env: dict[str, str]) -> None:
    if (home / "integrity-desk.sqlite3").is_file():
        print(f"demo database: {home}")
        return
    print(f"building the demo center in {home} ...", flush=True)
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run([*command, "--home", str(home), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)


def time_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, check=False, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or "ok" not in proc.stdout.split():
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"failed (exit code {proc.returncode}): {' '.join(argv)}")
    return elapsed


def measure(label: str, argv: list[str], env: dict[str, str], runs: int, warmup: int) -> float:
    for _ in range(warmup):
        time_once(argv, env)
    times = [time_once(argv, env) for _ in range(runs)]
    median = statistics.median(times)
    shown = " ".join(f"{t:.3f}" for t in times)
    print(f"{label:<28} median {median:.3f} s   runs: {shown}")
    return median


def folder_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each program (default 5)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed runs first, to fill the disk cache (default 1)"
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="demo data folder, built with 'demo' if it has no database (default: a new temporary folder)",
    )
    parser.add_argument(
        "--binary", help="time this program instead (e.g. dist/integrity-desk/integrity-desk)"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")

    command = app_command(args.binary)
    env = child_env()
    with tempfile.TemporaryDirectory(prefix="integrity-desk-bench-") as tmp:
        home = args.home.resolve() if args.home else Path(tmp) / "demo"
        ensure_demo(command, home, env)
        print(f"program: {' '.join(command)}")
        print(f"python:  {sys.executable} ({sys.version.split()[0]})")
        print(f"{args.runs} timed runs after {args.warmup} warm-up, QT_QPA_PLATFORM=offscreen\n")
        bare = measure("bare PySide6 QWidget", [sys.executable, "-c", BARE_QT], env, args.runs, args.warmup)
        app = measure(
            "integrity-desk --smoke-test",
            [*command, "--home", str(home), "--smoke-test"],
            env,
            args.runs,
            args.warmup,
        )

    ratio = app / bare
    verdict = "within" if ratio <= GOAL_RATIO else "over"
    print(f"\nratio: {ratio:.2f}x the bare PySide6 program ({verdict} the goal of {GOAL_RATIO}x)")
    if DIST.is_dir():
        size, count = folder_size(DIST)
        print(f"dist/integrity-desk: {size / 2**20:.1f} MiB in {count} files")
    else:
        print("dist/integrity-desk: not built (pyinstaller --noconfirm --clean build.spec)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
