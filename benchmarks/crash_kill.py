"""Kill the program (SIGKILL) at random moments of its work, then check what it left behind.

    nice -n 10 python benchmarks/crash_kill.py --kills 200 --seed 1 [--workdir /tmp/crash-kill]
        [--ops import,records,notice,backup,daily,demo] [--db-url postgresql://...?options=-csearch_path%3Ds]

Each kill runs one command of the real program in a child process (``python -m desktop_app ...``, as
an administrator would), waits a random time drawn over that command's measured duration (start-up,
opening and the daily backup included) and kills it. Then, without the program's own opening (which
would repair what it finds), it checks:

- SQLite ``PRAGMA integrity_check`` of the database, and the audit chain (``store.audit.verify``);
- all-or-nothing: an import's subjects (or records) are all there or none; a notice's archived PDF has
  its recorded SHA-256; a backup file that exists under its final name is a sound, verifiable copy;
- acknowledged means kept: what the program said it did before it died (已导入, 文书编号, 已备份到) is there;
- a demo killed half-way leaves either no center or the whole one (plain ``demo`` does not refuse a
  half-built center): checked on every demo kill, and every ``--demo-rerun``-th time by running ``demo``;
- every ``--sweep``-th kill, an uninterrupted command (``audit verify`` by the audit admin) must pass
  and leave no temporary file (``*.partial``) in the data folder: leftovers are cleaned at start.

The operations: ``import`` (subjects), ``records`` (credit records), ``notice`` (a numbered test page),
``backup`` (manual), ``daily`` (any command on a day without a backup: today's backups are removed
first, so the start takes the compulsory daily backup), ``demo`` (a demo center in an empty folder).

A summary is printed at the end (kills per operation, how many landed before/after the command's
acknowledgement, failures by kind); every kill is a line in ``WORKDIR/kills.jsonl``. Exit code 1 when
any check failed. The machine is shared: run it under ``nice``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from desktop_app.domain.identifiers import uscc_check_char  # noqa: E402
from desktop_app.services.demo import DEFAULT_SEED, demo_passwords, demo_people  # noqa: E402
from desktop_app.store import audit  # noqa: E402
from desktop_app.store.crypto import Keyring  # noqa: E402
from desktop_app.store.database import Database  # noqa: E402

OPS = ("import", "records", "notice", "backup", "daily", "demo")
WEIGHTS = {"import": 30, "records": 15, "notice": 20, "backup": 15, "daily": 15, "demo": 3}
LEADER = "yinbc"  # a 中心领导 of the demo center: imports and notices
AUDITOR = "auditor"
SYSADMIN = "sysadmin"
DATABASE_NAME = "integrity-desk.sqlite3"


def passwords() -> dict[str, str]:
    return demo_passwords(DEFAULT_SEED, demo_people(DEFAULT_SEED))


@dataclass
class World:
    """A data folder with a demo center in it (SQLite), or one bound to a PostgreSQL schema."""

    home: Path
    db_url: str | None
    serial: int = 0  # makes every imported identifier unique

    @property
    def database(self) -> Path:
        return self.home / DATABASE_NAME

    @property
    def key_file(self) -> Path:
        return self.home / "keys" / "integrity-desk.keys"

    def url(self) -> str:
        return self.db_url or f"sqlite:///{self.database.as_posix()}"


@dataclass
class Outcome:
    op: str
    delay: float
    killed: bool
    acknowledged: bool
    code: int | None
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def command(world: World, *args: str, user: str | None = None) -> tuple[list[str], dict[str, str]]:
    argv = [sys.executable, "-m", "desktop_app", "--home", str(world.home)]
    if world.db_url:
        argv += ["--db-url", world.db_url]
    if user:
        argv += ["--user", user]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.pop("INTEGRITY_DESK_DB_URL", None)
    env.pop("INTEGRITY_DESK_KEY_FILE", None)
    if user:
        env["INTEGRITY_DESK_PASSWORD"] = passwords()[user]
    return [*argv, *args], env


# The fork server: a process that has imported the program once and forks a child for each command,
# which then runs ``main(argv)`` as ``python -m desktop_app`` would. On a loaded machine the imports
# are most of a command's start (seconds); without them the kills land in the work, not in the imports.
# The child is killed with SIGKILL exactly as a process started from scratch would be.
ZYGOTE = r"""
import json, os, sys
import desktop_app.__main__, desktop_app.cli, desktop_app.services.opening, desktop_app.services.facade
import desktop_app.services.credit, desktop_app.services.demo, desktop_app.notices.test_page
import desktop_app.store.all_models
from desktop_app.__main__ import main
for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            os.environ.clear(); os.environ.update(job["env"])
            out = os.open(job["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(out, 1); os.dup2(out, 2); os.close(out)
            sys.stdin = open(os.devnull)
            code = main(job["argv"])
            sys.stdout.flush(); sys.stderr.flush()
        except BaseException:
            code = 99
        os._exit(code if isinstance(code, int) else 99)
    print(pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print(status, flush=True)
"""


class Zygote:
    def __init__(self) -> None:
        self.child: int | None = None  # the command running now, killed if the harness stops
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def start(self, argv: list[str], env: dict[str, str], output: Path) -> int:
        assert self.process.stdin and self.process.stdout
        job = {"argv": argv, "env": env, "output": str(output)}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def wait(self, timeout: float | None) -> int | None:
        """The child's exit code; None if ``timeout`` passed first (the child still runs)."""
        assert self.process.stdout
        ready = select.select([self.process.stdout], [], [], timeout)[0]
        if not ready:
            return None
        status = int(self.process.stdout.readline())
        if os.WIFSIGNALED(status):
            return -os.WTERMSIG(status)
        return os.WEXITSTATUS(status)

    def close(self, child: int | None = None) -> None:
        if child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


ZYGOTE_PROCESS: Zygote | None = None


def run(world: World, *args: str, user: str | None = None, timeout: float = 900) -> tuple[int, str]:
    argv, env = command(world, *args, user=user)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    return done.returncode, done.stdout + done.stderr


def run_whole(world: World, args: list[str], user: str | None = None) -> tuple[int, str]:
    """A command run to its end the way the kills run it (through the fork server if there is one)."""
    killed, code, output = run_and_kill(world, args, user, 900)
    assert not killed and code is not None
    return code, output


def run_and_kill(
    world: World, args: list[str], user: str | None, delay: float
) -> tuple[bool, int | None, str]:
    """Start the command, kill it after ``delay`` seconds; (killed, exit code, output so far)."""
    argv, env = command(world, *args, user=user)
    if ZYGOTE_PROCESS is not None:
        output = world.home.parent / f"output-{os.getpid()}.txt"
        pid = ZYGOTE_PROCESS.start(argv[3:], env, output)
        ZYGOTE_PROCESS.child = pid
        code = ZYGOTE_PROCESS.wait(delay)
        killed = code is None
        if killed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            code = ZYGOTE_PROCESS.wait(None)
            killed = code == -signal.SIGKILL
        text_out = output.read_text(encoding="utf-8", errors="replace") if output.exists() else ""
        return killed, None if killed else code, text_out
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        child.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed = True
    output = child.stdout.read().decode("utf-8", "replace") if child.stdout else ""
    if child.stdout:
        child.stdout.close()
    return killed, None if killed else child.returncode, output


# -- inputs ------------------------------------------------------------------------------------------
def uscc(serial: int, salt: int) -> str:
    body = f"91{110000 + salt % 800000:06d}MA{serial:07d}"[:17]
    body = body.replace("I", "1").replace("O", "0")
    return body + uscc_check_char(body)


def subjects_file(folder: Path, world: World, tag: str, count: int, salt: int) -> tuple[Path, list[str]]:
    codes = []
    lines = ["主体类型,名称,统一社会信用代码,身份证号,曾用名,法定代表人,联系电话,校验例外说明"]
    for i in range(count):
        world.serial += 1
        code = uscc(world.serial, salt)
        codes.append(code)
        lines.append(f"投标人,崩溃测试{tag}第{i}号建设有限公司,{code},,,张三,,")
    path = folder / f"subjects-{tag}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path, codes


def records_file(folder: Path, tag: str, codes: list[str]) -> tuple[Path, str]:
    """Bad-behaviour records (不良行为, 一般) on existing subjects, one per subject, told apart by 文号."""
    doc = f"崩测〔{tag}〕"
    lines = [
        "主体名称或代码,记录类别,严重程度,事实,依据,决定机关,决定文号,决定日期,公示截止日期,禁入开始日期,禁入截止日期,分值"
    ]
    for i, code in enumerate(codes):
        lines.append(
            f"{code},不良行为,一般,崩溃测试事实{tag}-{i},《招标投标法》,天河市住建局,{doc}{i}号,2026-11-02,,,,"
        )
    path = folder / f"records-{tag}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path, doc


# -- checks ------------------------------------------------------------------------------------------
def open_check_database(world: World) -> Database:
    # Not the program's opening (open_database): that would clean up what the check must see.
    return Database(world.url(), Keyring.load(world.key_file), "crash-check")


def sqlite_sound(path: Path) -> str | None:
    if not path.is_file():
        return None
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return None if rows == [("ok",)] else f"integrity_check: {rows[:3]}"


def common_checks(world: World, failures: list[str]) -> Database | None:
    if world.db_url is None:
        problem = sqlite_sound(world.database)
        if problem:
            failures.append(problem)
            return None
    database = open_check_database(world)
    with database.session() as session:
        result = audit.verify(session, database.keyring)
    if not result.intact:
        failures.append(f"audit chain: {result.reason} at {result.first_bad_seq}")
    return database


def scalar(database: Database, sql: str, **params: Any) -> Any:
    with database.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def partial_files(world: World) -> list[Path]:
    return [p for p in world.home.rglob("*") if p.is_file() and p.name.endswith(".partial")]


# -- the operations ------------------------------------------------------------------------------------
class Runner:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.workdir: Path = args.workdir
        self.base = self.workdir / "base"
        self.durations: dict[str, float] = {}
        self.world: World | None = None
        self.world_uses = 0
        self.worlds = 0
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log = (self.workdir / "kills.jsonl").open("a", encoding="utf-8")
        self.salt = args.seed * 1000

    # the demo center every SQLite world starts from, made once
    def prepare_base(self) -> None:
        if self.args.db_url:
            world = World(self.workdir / "pg-home", self.args.db_url)
            if not world.key_file.is_file():
                code, output = run(world, "demo", timeout=900)
                if code != 0:
                    raise SystemExit(f"demo on PostgreSQL failed ({code}): {output}")
            self.world = world
            return
        if (self.base / DATABASE_NAME).is_file():
            return
        shutil.rmtree(self.base, ignore_errors=True)
        started = time.perf_counter()
        code, output = run(World(self.base, None), "demo", timeout=900)
        if code != 0:
            raise SystemExit(f"demo failed ({code}): {output}")
        self.durations["demo"] = time.perf_counter() - started

    def fresh_world(self) -> World:
        if self.args.db_url:
            assert self.world is not None
            return self.world
        if self.world is None or self.world_uses >= self.args.world_kills:
            self.worlds += 1
            home = self.workdir / f"world-{self.worlds % 2}"
            shutil.rmtree(home, ignore_errors=True)
            shutil.copytree(self.base, home)
            self.world = World(home, None)
            self.world_uses = 0
        self.world_uses += 1
        return self.world

    def calibrate(self) -> None:
        """Each operation once, uninterrupted: its duration bounds the kill delays."""
        world = self.fresh_world()
        inputs = self.workdir / "inputs"
        inputs.mkdir(parents=True, exist_ok=True)
        for op in self.args.ops:
            if op == "demo" and "demo" in self.durations:
                continue
            started = time.perf_counter()
            if op == "demo":
                if self.args.demo_seconds:
                    self.durations["demo"] = self.args.demo_seconds
                    continue
                home = self.workdir / "demo-calibrate"
                shutil.rmtree(home, ignore_errors=True)
                code, output = run_whole(World(home, self.args.db_url), ["demo"])
                shutil.rmtree(home, ignore_errors=True)
            else:
                # Twice, the faster counts: the first start of a world also checks and backs it up.
                best = float("inf")
                for attempt in range(2):
                    args, user, _ = self.op_args(op, world, inputs, f"cal{attempt}")
                    started = time.perf_counter()  # the records' subjects are imported first, untimed
                    code, output = run_whole(world, args, user)
                    best = min(best, time.perf_counter() - started)
                    if code != 0:
                        break
                started = time.perf_counter() - best
            self.durations[op] = time.perf_counter() - started
            if code != 0:
                raise SystemExit(f"calibration of {op} failed ({code}): {output}")
        print("durations (s): " + ", ".join(f"{k} {v:.1f}" for k, v in self.durations.items()), flush=True)

    def op_args(
        self, op: str, world: World, folder: Path, tag: str
    ) -> tuple[list[str], str | None, dict[str, Any]]:
        if op == "import":
            count = self.rng.randint(5, 80)
            path, codes = subjects_file(folder, world, tag, count, self.salt)
            return ["import", "subjects", str(path)], LEADER, {"codes": codes}
        if op == "records":
            # Subjects first (uninterrupted), then the records are the part killed.
            count = self.rng.randint(5, 50)
            subjects, codes = subjects_file(folder, world, tag, count, self.salt)
            code, output = run_whole(world, ["import", "subjects", str(subjects)], LEADER)
            if code != 0:
                raise RuntimeError(f"subjects for records: {code} {output}")
            path, doc = records_file(folder, tag, codes)
            return ["import", "records", str(path)], LEADER, {"doc": doc, "count": count}
        if op == "notice":
            target = folder / f"notice-{tag}.pdf"
            target.unlink(missing_ok=True)
            return ["notice", "test-page", "-o", str(target)], LEADER, {"target": target}
        if op == "backup":
            target = world.home / "backups" / f"manual-{tag}.sqlite3"
            return ["backup", "--to", str(target)], SYSADMIN, {"target": target}
        if op == "daily":
            for old in (world.home / "backups").glob("integrity-desk-*"):
                old.unlink()
            return ["audit", "verify"], AUDITOR, {}
        raise ValueError(op)

    def delay(self, op: str) -> float:
        """Half the kills anywhere in the command's life (start-up and opening included), half in its
        second half, where the work (and the acknowledgement) is."""
        duration = self.durations[op]
        if self.rng.random() < 0.5:
            return self.rng.uniform(0.05, duration * 1.1)
        return self.rng.uniform(duration * 0.5, duration * 1.05)

    def kill_once(self, index: int) -> Outcome:
        op = self.rng.choices(self.args.ops, [WEIGHTS[o] for o in self.args.ops])[0]
        if op == "demo":
            return self.kill_demo(index)
        world = self.fresh_world()
        folder = self.workdir / "inputs"
        folder.mkdir(parents=True, exist_ok=True)
        tag = f"{self.args.seed}x{index}"
        args, user, facts = self.op_args(op, world, folder, tag)
        delay = self.delay(op)
        started = time.perf_counter()
        killed, code, output = run_and_kill(world, args, user, delay)
        outcome = Outcome(op, delay, killed, False, code, seconds=time.perf_counter() - started)
        if not killed:
            # The machine got faster than at calibration: aim the next kills at the command's real span.
            self.durations[op] = 0.7 * self.durations[op] + 0.3 * outcome.seconds
        failures = outcome.failures
        if not killed and code != 0:
            failures.append(f"finished with exit code {code}: {output.strip()[-300:]}")
        database = common_checks(world, failures)
        if database is None:
            return outcome
        try:
            if op == "import":
                outcome.acknowledged = "已导入" in output
                codes = facts["codes"]
                found = scalar(
                    database, "SELECT count(*) FROM credit_subjects WHERE name LIKE :p", p=f"崩溃测试{tag}第%"
                )
                if found not in (0, len(codes)):
                    failures.append(f"import half-done: {found} of {len(codes)} subjects")
                if outcome.acknowledged and found != len(codes):
                    failures.append(f"acknowledged import missing: {found} of {len(codes)}")
            elif op == "records":
                outcome.acknowledged = "已导入" in output
                found = scalar(
                    database,
                    "SELECT count(*) FROM credit_records WHERE decision_number LIKE :p",
                    p=facts["doc"] + "%",
                )
                if found not in (0, facts["count"]):
                    failures.append(f"records import half-done: {found} of {facts['count']}")
                if outcome.acknowledged and found != facts["count"]:
                    failures.append(f"acknowledged records import missing: {found} of {facts['count']}")
            elif op == "notice":
                self.check_notice(database, output, facts["target"], outcome)
            elif op == "backup":
                self.check_backup(world, output, facts["target"], outcome)
            elif op == "daily":
                outcome.acknowledged = "审计链完整" in output
                for made in (world.home / "backups").glob("integrity-desk-*.sqlite3"):
                    self.check_backup_file(world, made, failures)
        finally:
            database.dispose()
        return outcome

    def check_notice(self, database: Database, output: str, target: Path, outcome: Outcome) -> None:
        number = next(
            (line.split("：", 1)[1].strip() for line in output.splitlines() if line.startswith("文书编号：")),
            None,
        )
        outcome.acknowledged = number is not None
        with database.engine.connect() as conn:
            rows = conn.execute(text("SELECT number, pdf, pdf_sha256 FROM notices")).all()
        for row in rows:
            if hashlib.sha256(bytes(row.pdf)).hexdigest() != row.pdf_sha256:
                outcome.failures.append(f"notice {row.number}: archived PDF does not match its SHA-256")
        if number is not None:
            stored = {row.number: row.pdf_sha256 for row in rows}
            if number not in stored:
                outcome.failures.append(f"acknowledged notice {number} not in the archive")
            elif not target.is_file() or hashlib.sha256(target.read_bytes()).hexdigest() != stored[number]:
                outcome.failures.append(f"acknowledged notice {number}: output PDF missing or different")
        if target.is_file() and not target.read_bytes().rstrip().endswith(b"%%EOF"):
            outcome.failures.append("a half-written PDF under the output name")

    def check_backup(self, world: World, output: str, target: Path, outcome: Outcome) -> None:
        outcome.acknowledged = "已备份到" in output
        if outcome.acknowledged and not target.is_file():
            outcome.failures.append("acknowledged backup missing")
        if target.is_file():
            self.check_backup_file(world, target, outcome.failures)

    def check_backup_file(self, world: World, path: Path, failures: list[str]) -> None:
        if world.db_url:
            return  # pg_dump archives: pg_restore --list would be the check; the name appears only at the end
        problem = sqlite_sound(path)
        if problem:
            failures.append(f"backup {path.name}: {problem}")
            return
        copy = Database(f"sqlite:///{path.as_posix()}", Keyring.load(world.key_file), "crash-check")
        try:
            with copy.session() as session:
                result = audit.verify(session, copy.keyring)
            if not result.intact:
                failures.append(f"backup {path.name}: audit chain {result.reason}")
        finally:
            copy.dispose()

    def kill_demo(self, index: int) -> Outcome:
        world = World(self.workdir / "demo-home", None)
        shutil.rmtree(world.home, ignore_errors=True)
        delay = self.delay("demo")
        started = time.perf_counter()
        killed, code, output = run_and_kill(world, ["demo"], None, delay)
        outcome = Outcome(
            "demo", delay, killed, "演示中心已生成" in output, code, seconds=time.perf_counter() - started
        )
        failures = outcome.failures
        if not killed and code != 0:
            failures.append(f"demo finished with exit code {code}: {output.strip()[-300:]}")
        complete = False
        if world.database.is_file() and world.database.stat().st_size > 0 and world.key_file.is_file():
            problem = sqlite_sound(world.database)
            if problem:
                failures.append(problem)
                return outcome
            database = open_check_database(world)
            try:
                tables = scalar(database, "SELECT count(*) FROM sqlite_master WHERE name = 'users'")
                accounts = scalar(database, "SELECT count(*) FROM users") if tables else 0
                built = (
                    scalar(database, "SELECT count(*) FROM audit_log WHERE action = 'demo.build'")
                    if tables
                    else 0
                )
                complete = bool(built)
                if accounts and not built:
                    failures.append(f"half-built demo center: {accounts} accounts, no demo.build entry")
                if tables:
                    with database.session() as session:
                        result = audit.verify(session, database.keyring)
                    if not result.intact:
                        failures.append(f"audit chain: {result.reason}")
            finally:
                database.dispose()
        if outcome.acknowledged and not complete:
            failures.append("acknowledged demo not complete")
        if self.args.demo_rerun and index % self.args.demo_rerun == 0:
            code, rerun = run_whole(world, ["demo"])
            expected = (0, 2) if complete else (0,)
            if code not in expected:
                failures.append(f"plain demo after the kill: exit {code}: {rerun.strip()[-300:]}")
        return outcome

    def sweep(self) -> list[str]:
        """An uninterrupted command must pass and leave no temporary file behind."""
        world = self.fresh_world()
        self.world_uses -= 1
        code, output = run_whole(world, ["audit", "verify"], AUDITOR)
        failures = []
        if code != 0:
            failures.append(f"sweep: audit verify exit {code}: {output.strip()[-300:]}")
        left = partial_files(world)
        if left:
            failures.append(f"sweep: temporary files left after a start: {[p.name for p in left]}")
        return failures

    def go(self) -> int:
        global ZYGOTE_PROCESS
        if not self.args.exec:
            ZYGOTE_PROCESS = Zygote()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.prepare_base()
        self.calibrate()
        per_op: collections.Counter[str] = collections.Counter()
        landed: collections.Counter[str] = collections.Counter()
        failures: collections.Counter[str] = collections.Counter()
        examples: dict[str, str] = {}
        started = time.perf_counter()
        killed_total = 0
        for index in range(1, self.args.kills + 1):
            try:
                outcome = self.kill_once(index)
            except Exception as exc:  # the harness's own trouble must not hide the program's
                outcome = Outcome("harness", 0, False, False, None, [f"harness error: {exc!r}"])
            per_op[outcome.op] += 1
            killed_total += outcome.killed
            landed[f"{outcome.op} {'after ack' if outcome.acknowledged else 'before ack'}"] += 1
            if not outcome.killed and outcome.op != "harness":
                landed[f"{outcome.op} finished before the kill"] += 1
            found = list(outcome.failures)
            if self.args.sweep and index % self.args.sweep == 0 and outcome.op != "demo":
                found += self.sweep()
            for failure in found:
                kind = failure.split(":")[0]
                failures[kind] += 1
                examples.setdefault(kind, failure)
            record = {"index": index, **outcome.__dict__, "failures": found}
            self.log.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            self.log.flush()
            if found:
                print(f"kill {index} ({outcome.op}, {outcome.delay:.2f}s): FAIL {found}", flush=True)
            elif index % 25 == 0:
                print(
                    f"{index} kills, {sum(failures.values())} failures, {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
        print()
        backend = (self.args.db_url and "PostgreSQL") or "SQLite"
        print(f"runs: {self.args.kills} (seed {self.args.seed}, {backend})")
        print(f"killed (SIGKILL landed before the command ended): {killed_total}")
        for op, count in sorted(per_op.items()):
            print(f"  {op:8} {count}")
        for what, count in sorted(landed.items()):
            print(f"    {what}: {count}")
        print(f"failures: {sum(failures.values())}")
        for kind, count in failures.most_common():
            print(f"  {count} × {examples[kind][:400]}")
        return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/crash-kill"))
    parser.add_argument("--ops", default=",".join(OPS), help="comma-separated: " + ",".join(OPS))
    parser.add_argument("--db-url", default=None, help="a PostgreSQL URL (its own schema) instead of SQLite")
    parser.add_argument(
        "--exec",
        action="store_true",
        help="start every command as a new process (default: fork a pre-imported one)",
    )
    parser.add_argument("--demo-seconds", type=float, default=0, help="the demo's duration, not measured")
    parser.add_argument("--world-kills", type=int, default=40, help="kills before a SQLite world is renewed")
    parser.add_argument(
        "--sweep", type=int, default=10, help="an uninterrupted check every N kills (0: none)"
    )
    parser.add_argument("--demo-rerun", type=int, default=5, help="run plain demo after every N-th demo kill")
    args = parser.parse_args()
    args.ops = [op.strip() for op in args.ops.split(",") if op.strip()]
    unknown = set(args.ops) - set(OPS)
    if unknown:
        parser.error(f"unknown operations: {sorted(unknown)}")
    if args.db_url and "demo" in args.ops:
        args.ops.remove("demo")  # a demo needs an empty database of its own
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopping the harness stops its commands
    try:
        with contextlib.suppress(KeyboardInterrupt):
            return Runner(args).go()
        return 130
    finally:
        if ZYGOTE_PROCESS is not None:
            ZYGOTE_PROCESS.close(ZYGOTE_PROCESS.child)


if __name__ == "__main__":
    raise SystemExit(main())
