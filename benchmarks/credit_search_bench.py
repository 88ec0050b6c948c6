"""Credit lookup speed at scale, through the service layer, beside the bare driver doing the same SQL.

    python benchmarks/credit_data.py --url sqlite:////tmp/bench/credit.sqlite3      # once: the data
    python benchmarks/credit_search_bench.py --url sqlite:////tmp/bench/credit.sqlite3 [--ui]
    python benchmarks/credit_search_bench.py --url postgresql+psycopg://postgres@127.0.0.1:5432/credit_bench

The database is opened as the app opens it (``store.migrate.open_database``, key file from --home,
by default beside the SQLite file as credit_data.py left it). Queries are drawn from the generated
data (--queries of each class, default 200): name fragments of 1, 2, 3 and 5 characters (a window of
a real name, and common parts such as place + industry), USCC prefixes (6–10 characters), pinyin
initials (2–4 letters, from the start of a distinctive name, and from a later character: the place name
left out), exact USCCs and exact ID numbers. Each class is timed through
``services.credit.search`` (a new session per call, as the GUI does), and through the bare DB-API
driver (sqlite3 / psycopg, one open connection) running the same statements the service runs — the
candidate lookup, the subjects' rows and their records — without ranking or assessing. Prints p50 /
p95 of both and the ratio (goal: service p95 ≤ 20 ms and ≤ 2× bare), the process's RSS, and with
--ui the keystroke-to-screen time of the lookup page (offscreen: text set, search run, results model
updated, view repainted).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from sqlalchemy.engine import make_url

from benchmarks.credit_data import CITIES, INDUSTRIES, PROVINCES, id_number_for, subject_kind
from desktop_app.domain import search_text as st
from desktop_app.domain.identifiers import USCC_ALPHABET
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import PROBE_CAP, PROBE_CAP_WIDE, SEARCH_LIMIT
from desktop_app.services.credit.search import TRIGRAM_INDEX, TRIGRAM_MIN_LENGTH, trigram_index_in
from desktop_app.services.facade import Services
from desktop_app.store.migrate import open_database, sqlite_path

GOAL_P95_MS = 20.0
GOAL_RATIO = 2.0
_ID = re.compile(r"[0-9]{17}[0-9X]")
_NONE_BALLAST: list[None] = []


def p95(samples: Sequence[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


def rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, amount, _ = line.split()
            values[key] = int(amount) / 1024
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


# -- the queries ----------------------------------------------------------------------------------
def sample_subjects(db: Any, count: int, rng: random.Random) -> list[tuple[int, str, str, str | None]]:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        top = conn.execute(text("SELECT max(id) FROM credit_subjects")).scalar_one()
        ids = sorted({rng.randrange(1, top + 1) for _ in range(count)})
        listed = ",".join(map(str, ids))
        rows = conn.execute(
            text(f"SELECT id, kind, name, uscc FROM credit_subjects WHERE id IN ({listed})")
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def query_classes(db: Any, per_class: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(f"credit-search-bench {seed}")
    subjects = sample_subjects(db, per_class * 20, rng)
    companies = [s for s in subjects if s[3]]
    people = [s for s in subjects if not s[3] and subject_kind(s[0]) in ("expert", "buyer_person", "staff")]
    cores = [st.strip_legal_suffix(st.fold(s[2])) for s in companies]
    common_words = [c + i for c in (*CITIES, *PROVINCES) for words in INDUSTRIES.values() for i in words]

    def window(text: str, length: int) -> str:
        start = rng.randrange(0, len(text) - length + 1)
        return text[start : start + length]

    classes: dict[str, list[str]] = {}
    for length in (1, 2, 3, 5):
        long_enough = [c for c in cores if len(c) >= length]
        classes[f"name {length} char (real name)"] = [
            window(rng.choice(long_enough), length) for _ in range(per_class)
        ]
        common = [w for w in common_words if len(w) >= length]
        classes[f"name {length} char (common part)"] = [
            window(rng.choice(common), length) for _ in range(per_class)
        ]
    classes["USCC prefix 6-10"] = [
        rng.choice(companies)[3][: rng.randrange(6, 11)]  # type: ignore[index]
        for _ in range(per_class)
    ]
    initials = [st.pinyin_initials(c) for c in cores]
    classes["pinyin initials 2-4"] = [
        i[: rng.randrange(2, 5)] for i in rng.sample(initials, per_class) if len(i) >= 2
    ]
    classes["exact USCC"] = [s[3] for s in rng.sample(companies, per_class)]  # type: ignore[misc]
    classes["exact ID number"] = [id_number_for(s[0]) for s in rng.choices(people, k=per_class)]
    # Drawn apart, so that the classes above are the same queries as before this one was added.
    inside = random.Random(f"credit-search-bench inside {seed}")
    runs = []
    for whole in inside.sample([i for i in initials if len(i) >= 4], per_class):
        length = inside.randrange(2, 5)
        start = inside.randrange(1, len(whole) - 1)
        runs.append(whole[start : start + length])
    classes["pinyin initials inside 2-4"] = runs
    return classes


# -- the floor: the same statements through the bare driver ------------------------------------
class Bare:
    """What the service's search runs, minus SQLAlchemy, sessions, ranking and assessing."""

    def __init__(self, url: str, keyring: Any, trigram: bool) -> None:
        self.keyring = keyring
        self.trigram = trigram  # PostgreSQL's trigram index first for 4 characters or more
        self.today: Any = date.today()  # the service's "on": records that may still be in force
        self.sqlite = sqlite_path(url) is not None
        if self.sqlite:
            path = sqlite_path(url)
            self.conn: Any = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            self.mark = "?"
            self.today = self.today.isoformat()  # how SQLAlchemy stores a Date on SQLite
        else:
            import psycopg

            parsed = make_url(url)
            self.conn = psycopg.connect(
                host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password,
                dbname=parsed.database, autocommit=True,
            )  # fmt: skip
            self.mark = "%s"

    def rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        cursor = self.conn.execute(sql.replace("?", self.mark), params)
        return list(cursor.fetchall())

    def ids_in(self, ids: list[int]) -> str:
        return ",".join(str(int(i)) for i in ids)

    def count(self, bigram: str, cap: int) -> int:
        sql = "SELECT count(*) FROM (SELECT subject_id FROM credit_search_grams WHERE gram = ? LIMIT ?) AS probe"
        return int(self.rows(sql, [st.gram_key(bigram), cap])[0][0])

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> int:
        folded = st.fold(query)[:100]
        found: dict[int, int] = {}
        code = folded.upper()
        if st.looks_like_code(folded):
            if _ID.fullmatch(code):
                lookup = self.keyring.lookup_hash("id_number", code)
                for (sid,) in self.rows(
                    "SELECT id FROM credit_subjects WHERE id_number_lookup = ?", [lookup]
                ):
                    found.setdefault(sid, 0)
            if len(code) >= 2 and all(c in USCC_ALPHABET for c in code):
                upper = code[:-1] + chr(ord(code[-1]) + 1)
                for sid, _ in self.rows(
                    "SELECT id, uscc FROM credit_subjects WHERE uscc >= ? AND uscc < ? ORDER BY uscc LIMIT ?",
                    [code, upper, limit],
                ):
                    found.setdefault(sid, 4)
            if st.looks_like_initials(folded):
                upper = folded[:-1] + chr(ord(folded[-1]) + 1)
                starts = self.rows(
                    "SELECT subject_id, initials, rank FROM credit_search_initials "
                    "WHERE initials >= ? AND initials < ? ORDER BY initials, rank LIMIT ?",
                    [folded, upper, limit],
                )
                for sid, _, _ in starts:
                    found.setdefault(sid, 3)
                if len(starts) < limit:
                    for sid, _, _ in self.rows(
                        "SELECT subject_id, initials, rank FROM credit_search_infix_initials "
                        "WHERE initials >= ? AND initials < ? ORDER BY initials, rank LIMIT ?",
                        [folded, upper, limit],
                    ):
                        found.setdefault(sid, 3)
        if len(folded) <= 2:
            for sid, _ in self.rows(
                "SELECT subject_id, rank FROM credit_search_grams WHERE gram = ? ORDER BY rank, subject_id LIMIT ?",
                [st.gram_key(folded), limit * 2],
            ):
                found.setdefault(sid, 1)
        else:
            self.long_name(folded, found, limit)
        if not found:
            return 0
        return self.rows_of(found, limit)

    def long_name(self, folded: str, found: dict[int, int], limit: int) -> None:
        pattern = "%" + folded.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
        bigrams = list(dict.fromkeys(st.query_bigrams(folded)))
        useful = [b for b in bigrams if not st.is_suffix_bigram(b)]
        if self.trigram and useful and len(folded) >= TRIGRAM_MIN_LENGTH:
            rows = self.rows(
                "SELECT id, search_text FROM credit_subjects WHERE search_text LIKE ? ESCAPE '/' LIMIT ?",
                [pattern, limit * 4 + 1],
            )
            if len(rows) <= limit * 4:
                for sid, _ in rows:
                    found.setdefault(sid, 1)
                return
        useful = useful or bigrams
        counts = []
        for bigram in useful:
            counts.append((self.count(bigram, PROBE_CAP), bigram))
            if counts[-1][0] == 0:
                break
        key = min(counts)
        if key[0] >= PROBE_CAP:
            wide, best = [], PROBE_CAP_WIDE
            for position, (_, bigram) in enumerate(counts):
                wide.append((self.count(bigram, best), position, bigram))
                best = min(best, wide[-1][0])
            key = (min(wide)[0], min(wide)[2])
        if key[0] > 0:
            for sid, _, _ in self.rows(
                "SELECT g.subject_id, g.rank, s.search_text FROM credit_search_grams g "
                "JOIN credit_subjects s ON s.id = g.subject_id WHERE g.gram = ? AND s.search_text LIKE ? "
                "ESCAPE '/' ORDER BY g.rank, g.subject_id LIMIT ?",
                [st.gram_key(key[1]), pattern, limit * 4],
            ):
                found.setdefault(sid, 1)

    def rows_of(self, found: dict[int, int], limit: int) -> int:
        ids = list(found)[:limit]
        subjects = self.rows(
            "SELECT id, kind, name, uscc, id_number_masked, search_text FROM credit_subjects "
            f"WHERE id IN ({self.ids_in(ids)})",
            [],
        )
        self.rows(
            "SELECT id, subject_id, kind, status, decision_date, publicity_end, ban_start, ban_end, points, "
            "repaired_on, decision_number FROM credit_records "
            f"WHERE subject_id IN ({self.ids_in(ids)}) AND status IN ('confirmed', 'repaired') "
            "AND (publicity_end IS NULL OR publicity_end >= ? OR (kind = 'ban' AND (ban_end IS NULL OR ban_end >= ?)))",
            [self.today, self.today],
        )
        return len(subjects)


# -- timing -------------------------------------------------------------------------------------
class CpuClock:
    """CPU seconds spent on a query: this thread's (SQLite runs in it) plus, on PostgreSQL, those of
    the server processes serving the app's connections (/proc/PID/schedstat, nanoseconds; the server
    must run on this machine). On a machine shared with other work, what the query itself cost,
    whatever the wait for a core."""

    def __init__(self, db: Any) -> None:
        self.backends: list[Path] = []
        if db.backend == "postgresql":
            from sqlalchemy import text

            with db.engine.connect() as conn:
                pids = conn.execute(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND application_name = 'integrity-desk'"
                    )
                ).scalars()
                self.backends = [Path(f"/proc/{pid}/schedstat") for pid in pids]
            self.backends = [p for p in self.backends if p.exists()]

    def __call__(self) -> float:
        server = 0
        for path in self.backends:
            with contextlib.suppress(OSError, ValueError):
                server += int(path.read_text().split()[0])
        return time.thread_time() + server / 1e9


def timed(
    call: Callable[[str], Any],
    queries: list[str],
    cpu: list[float] | None = None,
    cpu_clock: Callable[[], float] = time.thread_time,
) -> list[float]:
    """Wall milliseconds per query; with ``cpu``, the CPU milliseconds of ``cpu_clock`` too."""
    samples = []
    for query in queries:
        started, started_cpu = time.perf_counter(), cpu_clock()
        call(query)
        samples.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((cpu_clock() - started_cpu) * 1000)
    return samples


def keystroke_to_screen(services: Services, actor: CurrentUser, queries: list[str]) -> list[float] | str:
    try:
        from PySide6.QtWidgets import QApplication

        from desktop_app.ui.credit.lookup import CreditLookupPage
    except ImportError as exc:
        return f"not measured: {exc}"
    if not hasattr(CreditLookupPage, "run_search_now"):
        return "not measured: CreditLookupPage has no run_search_now yet"
    # PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a void method
    # (QPainter.save, QObject.setObjectName...): after a few hundred repaints of the verdict badges
    # the process dies with "none_dealloc". Hold a million references (never released: releasing
    # them would be the fatal decrement) so the timing run survives.
    _NONE_BALLAST.extend([None] * 1_000_000)
    app = QApplication.instance() or QApplication([])
    page = CreditLookupPage(services, actor)
    page.resize(1280, 800)
    page.show()
    app.processEvents()
    samples = []
    for query in queries:
        started = time.perf_counter()
        page.run_search_now(query)  # text set, search run, results model updated
        page.view.viewport().repaint()  # paint the new rows now, as the next frame would
        app.processEvents()
        samples.append((time.perf_counter() - started) * 1000)
    page.close()
    return samples


def busiest_subjects(db: Any, count: int) -> list[tuple[int, int]]:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT subject_id, count(*) AS n FROM credit_records GROUP BY subject_id "
                "ORDER BY n DESC, subject_id LIMIT :n"
            ),
            {"n": count},
        )
        return [(int(r[0]), int(r[1])) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--home", type=Path, help="where credit_data.py put the key file")
    parser.add_argument("--queries", type=int, default=200, help="queries per class")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--ui", action="store_true", help="also time the lookup page (offscreen)")
    parser.add_argument(
        "--own-index", action="store_true", help="PostgreSQL: leave the trigram index unused (for comparison)"
    )
    parser.add_argument(
        "--classes", help="only the query classes whose names contain one of these comma-separated texts"
    )
    args = parser.parse_args()

    path = sqlite_path(args.url)
    home = args.home or (path.parent / "home" if path else Path("/tmp/bench/home"))
    started = time.perf_counter()
    db, _ = open_database(
        args.url, home / "integrity-desk.key", home / "backups", "bench", daily_backup=False
    )
    print(f"opened through the app in {time.perf_counter() - started:.2f} s ({db.backend})")
    services = Services(db)
    if args.own_index:
        db.capabilities[TRIGRAM_INDEX] = False
    actor = CurrentUser(None, "bench", "基准", frozenset({Role.HALL_STAFF}), "bench")
    classes = query_classes(db, args.queries, args.seed)
    if args.classes:
        wanted = args.classes.split(",")
        classes = {name: queries for name, queries in classes.items() if any(w in name for w in wanted)}
    with db.session() as session:
        trigram = trigram_index_in(session, db)
    print(f"names of {TRIGRAM_MIN_LENGTH}+ characters: {'trigram index first' if trigram else 'own index'}")
    bare = Bare(args.url, db.keyring, trigram)

    warm = [q for queries in classes.values() for q in queries[:5]]
    for query in warm:  # imports, statement caches, the OS page cache for the index pages touched
        services.credit.search(actor, query)
        bare.search(query)

    cpu_clock = CpuClock(db)  # after the warm-up: the pool's connections are open
    if db.backend == "postgresql":
        print(f"CPU time: this thread + {len(cpu_clock.backends)} server process(es)")
    header = (
        f"{'query class':<32} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'bare p50':>9} {'bare p95':>9} {'ratio':>6} "
        f"{'hits':>5} {'cpu p50':>8} {'cpu p95':>8}"
    )
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, queries in classes.items():
        hits = [len(services.credit.search(actor, q).hits) for q in queries[:20]]
        cpu: list[float] = []
        ours = timed(lambda q: services.credit.search(actor, q), queries, cpu, cpu_clock)
        floor = timed(bare.search, queries)
        ratio = p95(ours) / p95(floor)
        worst = max(worst, p95(ours))
        print(
            f"{name:<32} {len(queries):>4} {statistics.median(ours):>8.2f} {p95(ours):>8.2f} "
            f"{statistics.median(floor):>9.2f} {p95(floor):>9.2f} {ratio:>5.1f}x {statistics.mean(hits):>5.1f} "
            f"{statistics.median(cpu):>8.2f} {p95(cpu):>8.2f}",
            flush=True,
        )
    print(f"load average at the end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"worst p95 {worst:.1f} ms (goal ≤ {GOAL_P95_MS:.0f} ms, ≤ {GOAL_RATIO:.0f}x bare)")
    # The shown answer: the detail pane's file, whose verdict checks the MACs of every row it rests
    # on (the search above checks none). The subjects with the most records are the worst case.
    busiest = busiest_subjects(db, args.queries)
    files = timed(lambda sid: services.credit.subject_file(actor, int(sid)), [str(s) for s, _ in busiest])
    print(
        f"detail pane (subject_file, MACs checked) on the {len(busiest)} subjects with the most records "
        f"({busiest[-1][1]}–{busiest[0][1]} records): p50 {statistics.median(files):.2f} ms, p95 {p95(files):.2f} ms"
    )
    rss, peak = rss_mb()
    print(f"memory after opening and querying through the app: RSS {rss:.0f} MiB (peak {peak:.0f} MiB)")

    if args.ui:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        queries = [q for name, qs in classes.items() for q in qs[: max(20, args.queries // 5)]]
        random.Random(args.seed).shuffle(queries)
        result = keystroke_to_screen(services, actor, queries)
        if isinstance(result, str):
            print(f"keystroke to screen: {result}")
        else:
            rss, peak = rss_mb()
            from desktop_app.ui.credit.lookup import DEBOUNCE_MS

            print(
                f"keystroke to screen (lookup page, offscreen, {len(result)} queries of every class): "
                f"search to repaint p50 {statistics.median(result):.1f} ms, p95 {p95(result):.1f} ms; "
                f"from the last keystroke (+ the {DEBOUNCE_MS} ms typing pause) "
                f"p50 {statistics.median(result) + DEBOUNCE_MS:.1f} ms, p95 {p95(result) + DEBOUNCE_MS:.1f} ms; "
                f"RSS with the page {rss:.0f} MiB"
            )
    db.dispose()
    if args.ui:
        sys.stdout.flush()
        os._exit(0)  # not through interpreter shutdown: see _NONE_BALLAST


if __name__ == "__main__":
    main()
