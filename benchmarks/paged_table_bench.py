"""The paged table over 200,000 rows of a real SQLite table: what the complaints list will cost.

    python benchmarks/paged_table_bench.py                     # in memory, 200,000 rows
    python benchmarks/paged_table_bench.py --file /tmp/cases.sqlite3 --rows 200000

A table shaped like the complaints list (number, received, deadline, state, category, channel,
department, handler, masked complainant, the start of the facts), indexed for the list's orders and
filters, read three ways behind the same ``PageSource``:

- **offset**: ``ORDER BY k, id LIMIT 200 OFFSET n``: SQLite walks and builds the n rows it skips;
- **deferred**: the same OFFSET on the index alone (``SELECT id ... LIMIT/OFFSET``), then the 200
  rows by id: what a jump to row 150,000 needs;
- **keyset**: ``WHERE (k, id) > (last k, last id) LIMIT 200`` from the block before (scrolling on),
  the deferred OFFSET when the block before was never read (a jump).

Then the widget, offscreen, over each source: first rows painted (count + first block + layout and
paint), scrolling (a wheel step of 3 rows at a time and a page at a time, at the start, the middle
and the end: time per frame, the frames that read a block and what that read cost), a drag of the
bar to row 150,000, a filter change and a sort change (new source, the selected case kept, painted).
Prints milliseconds; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

from desktop_app.ui.widgets.paged_table import PagedTableModel, Tone, make_paged_view
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width, make_table_view

STATES = ["登记", "受理", "不予受理", "转办", "调查处理", "办结", "回访"]
CATEGORIES = ["服务态度", "办事效率", "廉洁纪律", "交易秩序", "场地设施", "信息公开", "其他"]
CHANNELS = ["窗口", "电话", "信函", "意见箱", "网上信箱", "12345转办", "差评"]
DEPARTMENTS = ["办公室", "建设工程科", "政府采购科", "产权交易科", "信息科", "综合服务窗口"]
HANDLERS = [f"{s}{g}" for s in "王李张刘陈杨黄赵吴周" for g in ("伟", "芳", "敏", "静", "磊")]
FACTS = "投标保证金退还逾期未到账，多次电话询问窗口均未得到明确答复，要求说明原因并尽快退还"
TODAY = date(2026, 6, 15)
CLOSED = ("不予受理", "办结", "回访")
OPEN = ", ".join(f"'{state}'" for state in CLOSED)  # spelled out: see ix_cases_open_deadline


@dataclass(frozen=True)
class CaseRow:
    id: int
    number: str
    received_at: str
    deadline: str
    state: str
    category: str
    channel: str
    department: str
    handler: str
    complainant: str
    facts: str


FIELDS = ", ".join(f"c.{name}" for name in CaseRow.__dataclass_fields__)


def build(path: str, total: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    exists = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'cases'").fetchone()[0]
    if exists and conn.execute("SELECT count(*) FROM cases").fetchone()[0] == total:
        return conn
    conn.execute("DROP TABLE IF EXISTS cases")
    conn.execute(
        """CREATE TABLE cases (id INTEGER PRIMARY KEY, number TEXT NOT NULL, received_at TEXT NOT NULL,
        deadline TEXT NOT NULL, state TEXT NOT NULL, category TEXT NOT NULL, channel TEXT NOT NULL,
        department TEXT NOT NULL, handler TEXT NOT NULL, complainant TEXT NOT NULL, facts TEXT NOT NULL)"""
    )
    rng = random.Random(7)
    start = datetime(2021, 1, 4, 8, 30)
    span = (datetime(2026, 6, 15, 17, 0) - start).total_seconds()
    rows = []
    for i in range(1, total + 1):
        received = start + timedelta(seconds=span * i / total + rng.randint(0, 600))
        deadline = received.date() + timedelta(days=rng.choice((3, 7, 14)))
        state = (
            "办结" if deadline < TODAY - timedelta(days=60) and rng.random() < 0.97 else rng.choice(STATES)
        )
        rows.append(
            (
                i,
                f"TS{received.year}-{i:06d}",
                received.isoformat(sep=" ", timespec="seconds"),
                deadline.isoformat(),
                state,
                rng.choice(CATEGORIES),
                rng.choice(CHANNELS),
                rng.choice(DEPARTMENTS),
                rng.choice(HANDLERS),
                rng.choice("王李张刘陈") + "**（138****" + f"{rng.randint(0, 9999):04d}）",
                FACTS[rng.randint(0, 20) :],
            )
        )
    conn.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("CREATE INDEX ix_cases_received ON cases (received_at)")
    conn.execute("CREATE INDEX ix_cases_state_received ON cases (state, received_at)")
    conn.execute("CREATE INDEX ix_cases_deadline ON cases (deadline)")
    conn.execute("CREATE INDEX ix_cases_handler_state ON cases (handler, state)")
    # The open cases by deadline (overdue, due within a day): a few thousand of the 200,000. SQLite
    # uses a partial index only when the query's own WHERE has the same literals (not parameters).
    conn.execute(f"CREATE INDEX ix_cases_open_deadline ON cases (deadline) WHERE state NOT IN ({OPEN})")
    conn.commit()
    conn.execute("ANALYZE")
    return conn


# -- sources ----------------------------------------------------------------------------------------
class Query:
    """A filter (``where`` with its parameters) and an order by one indexed column, then the id."""

    def __init__(
        self, where: str = "1", params: Sequence[object] = (), key: str = "received_at", desc: bool = False
    ):
        self.where, self.params, self.key, self.desc = where, tuple(params), key, desc

    def order(self, table: str = "c") -> str:
        way = "DESC" if self.desc else "ASC"
        return f"{table}.{self.key} {way}, {table}.id {way}"


class OffsetSource:
    def __init__(self, conn: sqlite3.Connection, query: Query) -> None:
        self.conn, self.q = conn, query
        self.reads: list[tuple[int, float]] = []  # offset, ms

    def count(self) -> int:
        return int(
            self.conn.execute(f"SELECT count(*) FROM cases c WHERE {self.q.where}", self.q.params).fetchone()[
                0
            ]
        )

    def rows(self, offset: int, limit: int) -> Sequence[CaseRow]:
        started = time.perf_counter()
        found = self.fetch(offset, limit)
        self.reads.append((offset, (time.perf_counter() - started) * 1000))
        return found

    def fetch(self, offset: int, limit: int) -> list[CaseRow]:
        sql = f"SELECT {FIELDS} FROM cases c WHERE {self.q.where} ORDER BY {self.q.order()} LIMIT ? OFFSET ?"
        return [CaseRow(*r) for r in self.conn.execute(sql, (*self.q.params, limit, offset))]

    def position(self, key: object) -> int | None:
        """Where the case ``key`` (an id) is in this order: the count of the rows before it."""
        row = self.conn.execute(
            f"SELECT c.{self.q.key} FROM cases c WHERE c.id = ? AND {self.q.where}", (key, *self.q.params)
        ).fetchone()
        if row is None:
            return None
        before = "<" if not self.q.desc else ">"
        sql = f"SELECT count(*) FROM cases c WHERE {self.q.where} AND (c.{self.q.key}, c.id) {before} (?, ?)"
        return int(self.conn.execute(sql, (*self.q.params, row[0], key)).fetchone()[0])


class DeferredSource(OffsetSource):
    def fetch(self, offset: int, limit: int) -> list[CaseRow]:
        sql = (
            f"SELECT {FIELDS} FROM (SELECT c.id FROM cases c WHERE {self.q.where} ORDER BY {self.q.order()} "
            f"LIMIT ? OFFSET ?) AS page JOIN cases c ON c.id = page.id ORDER BY {self.q.order()}"
        )
        return [CaseRow(*r) for r in self.conn.execute(sql, (*self.q.params, limit, offset))]


class KeysetSource(DeferredSource):
    def __init__(self, conn: sqlite3.Connection, query: Query) -> None:
        super().__init__(conn, query)
        self.after: dict[int, tuple[object, int]] = {}  # offset -> (key, id) of the row before it
        self.seeks = 0

    def fetch(self, offset: int, limit: int) -> list[CaseRow]:
        mark = self.after.get(offset)
        if mark is None:
            found = super().fetch(offset, limit)
        else:
            self.seeks += 1
            beyond = "<" if self.q.desc else ">"
            sql = (
                f"SELECT {FIELDS} FROM cases c WHERE {self.q.where} AND (c.{self.q.key}, c.id) {beyond} (?, ?) "
                f"ORDER BY {self.q.order()} LIMIT ?"
            )
            found = [CaseRow(*r) for r in self.conn.execute(sql, (*self.q.params, *mark, limit))]
        if found:
            last = found[-1]
            self.after[offset + len(found)] = (getattr(last, self.q.key), last.id)
        return found


SOURCES: dict[str, type[OffsetSource]] = {
    "offset": OffsetSource,
    "deferred": DeferredSource,
    "keyset": KeysetSource,
}

FILTERS = {
    "all": Query(),
    "state 调查处理": Query("c.state = ?", ("调查处理",)),
    "overdue": Query(f"c.deadline < ? AND c.state NOT IN ({OPEN})", (TODAY.isoformat(),)),
    "overdue (states as ?)": Query(
        "c.deadline < ? AND c.state NOT IN (?, ?, ?)", (TODAY.isoformat(), *CLOSED)
    ),
    "due within a day": Query(
        f"c.deadline BETWEEN ? AND ? AND c.state NOT IN ({OPEN})",
        (TODAY.isoformat(), (TODAY + timedelta(days=1)).isoformat()),
    ),
    "handler 王伟, open": Query(f"c.handler = ? AND c.state NOT IN ({OPEN})", ("王伟",)),
}


# -- measuring --------------------------------------------------------------------------------------
def ms(call: Callable[[], object], runs: int = 1) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def spread(samples: Sequence[float]) -> str:
    if not samples:
        return "-"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):6.2f}  p95 {p95:6.2f}  max {ordered[-1]:6.2f}"


def sql_figures(conn: sqlite3.Connection, total: int, runs: int) -> None:
    print(f"\n== SQL alone ({total:,} rows; median of {runs}) ==")
    for name, query in FILTERS.items():
        source = OffsetSource(conn, query)
        n = source.count()
        print(f"count {name:<22} {n:>8,} rows  {ms(source.count, runs):7.2f} ms")
    print("\nblock of 200, ordered by received_at (ms):")
    print(f"{'offset':>10}  {'offset':>8} {'deferred':>9} {'keyset*':>8}")
    for offset in (0, total // 2, total - 200):
        times = []
        for kind in ("offset", "deferred"):
            source = SOURCES[kind](conn, FILTERS["all"])
            times.append(ms(lambda s=source, o=offset: s.fetch(o, 200), runs))
        keyset = KeysetSource(conn, FILTERS["all"])
        keyset.fetch(max(0, offset - 200), 200)  # the block before: scrolling on from it
        times.append(ms(lambda k=keyset, o=offset: k.fetch(o, 200) if o else k.fetch(0, 200), runs))
        print(f"{offset:>10,}  {times[0]:8.2f} {times[1]:9.2f} {times[2]:8.2f}")
    print("  * keyset: the block after one already read (scrolling on); a jump is the deferred figure")
    for kind in ("offset", "deferred"):
        source = SOURCES[kind](conn, FILTERS["state 调查处理"])
        n = source.count()
        print(
            f"{kind} state 调查处理, last block: {ms(lambda s=source, n=n: s.fetch(n - 200, 200), runs):7.2f} ms"
        )
    source = OffsetSource(conn, FILTERS["all"])
    for where in (10, total // 2, total - 10):
        took = ms(lambda w=where: source.position(w), runs)
        print(f"position of case {where:,} (a COUNT of the rows before it): {took:7.2f} ms")
    print("\nplans:")
    for sql in (
        f"SELECT id FROM cases c WHERE 1 ORDER BY {FILTERS['all'].order()} LIMIT 200 OFFSET 100000",
        f"SELECT * FROM cases c WHERE (c.received_at, c.id) > ('2024-01-01', 5) ORDER BY {FILTERS['all'].order()} LIMIT 200",
        "SELECT * FROM cases c WHERE c.state = '调查处理' ORDER BY c.received_at, c.id LIMIT 200 OFFSET 1000",
        f"SELECT count(*) FROM cases c WHERE c.deadline < '2026-06-15' AND c.state NOT IN ({OPEN})",
    ):
        plan = "; ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))
        print(f"  {sql[:70]}…\n    {plan}")


def columns() -> list[Column[CaseRow]]:
    when = Width(least="2026-06-15 17:00", whole=True)
    return [
        Column("编号", lambda c: c.number, order_by="id", width=Width(least="TS2026-000000", whole=True)),
        Column("收到时间", lambda c: c.received_at[:16], order_by="received_at", width=when),
        Column(
            "办理期限", lambda c: c.deadline, order_by="deadline", width=Width(least="2026-06-15", whole=True)
        ),
        Column("状态", lambda c: c.state, order_by="state", width=Width(least="调查处理", whole=True)),
        Column("类别", lambda c: c.category, width=Width(least="廉洁纪律")),
        Column("渠道", lambda c: c.channel, width=Width(least="12345转办", gives_way=2)),
        Column("科室", lambda c: c.department, width=Width(least="政府采购科", gives_way=3)),
        Column("承办人", lambda c: c.handler),
        Column("投诉人", lambda c: c.complainant, width=Width(gives_way=1)),
        Column("事实", lambda c: c.facts, tooltip=lambda c: c.facts, width=Width(weight=3)),
    ]


def tone(case: CaseRow) -> Tone | None:
    if case.state in CLOSED:
        return None
    if case.deadline < TODAY.isoformat():
        return Tone.ALARM
    return Tone.WARNING if case.deadline == TODAY.isoformat() else None


class Paints(QObject):
    """Counts the paints of a view's viewport: a frame is over when its paint is."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.count = 0
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def painted(app: QApplication, view: QTableView) -> None:
    """Runs the events (the delayed layout, the update it schedules) until the viewport has painted."""
    paints = view.findChild(Paints)
    assert paints is not None
    before = paints.count
    for _ in range(20):
        app.processEvents()
        if paints.count != before:
            return
    raise RuntimeError("the view did not paint")


def frames(
    app: QApplication, view: QTableView, step: int, count: int, fetches: Callable[[], int]
) -> tuple[list[float], list[float]]:
    """Scrolls ``count`` times by ``step`` rows; (every frame's ms, the frames that read a block)."""
    bar = view.verticalScrollBar()
    every, reading = [], []
    for _ in range(count):
        before = fetches()
        started = time.perf_counter()
        bar.setValue(bar.value() + step)
        painted(app, view)
        took = (time.perf_counter() - started) * 1000
        every.append(took)
        if fetches() != before:
            reading.append(took)
    return every, reading


def floor_figures(app: QApplication, conn: sqlite3.Connection) -> None:
    """The same view over the in-memory ``RecordTableModel`` (600 rows held): what painting costs
    with nothing to read, for comparison."""
    source = OffsetSource(conn, FILTERS["all"])
    model = RecordTableModel(columns())
    model.set_records(source.fetch(0, 600))
    view = make_table_view("floor", "floor")
    view.setModel(model)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    Paints(view)
    view.resize(1280, 720)
    view.show()
    painted(app, view)
    wheel, _ = frames(app, view, 3, 150, lambda: 0)
    print(
        f"\n== floor: the same view over RecordTableModel (600 rows in memory) ==\nwheel step (3 rows) {spread(wheel)}"
    )
    view.close()


def open_list(
    app: QApplication, conn: sqlite3.Connection, kind: str
) -> tuple[QTableView, PagedTableModel[CaseRow], OffsetSource, list[float]]:
    """The list as a page opens it: source counted, view built, shown and painted; (view, model,
    source, [total, count, first block] ms)."""
    started = time.perf_counter()
    source = SOURCES[kind](conn, FILTERS["all"])
    model: PagedTableModel[CaseRow] = PagedTableModel(columns(), key=lambda c: c.id, tone=tone)
    model.set_sort("received_at")
    model.reset_source(source)
    counted = time.perf_counter()
    view = make_paged_view(model, "cases", "cases")
    Paints(view)
    view.resize(1280, 720)
    view.show()
    painted(app, view)
    done = time.perf_counter()
    first_read = source.reads[0][1] if source.reads else 0.0
    return view, model, source, [(done - started) * 1000, (counted - started) * 1000, first_read]


def widget_figures(app: QApplication, conn: sqlite3.Connection, total: int, kind: str, runs: int) -> None:
    print(f"\n== the widget over the {kind} source (offscreen, 1280×720) ==")
    firsts = []
    for _ in range(runs):
        view, model, source, times = open_list(app, conn, kind)
        firsts.append(times)
        view.close()
        view.deleteLater()
        app.processEvents()
    first = [statistics.median(column) for column in zip(*firsts, strict=True)]
    view, model, source, _ = open_list(app, conn, kind)
    rows_on_screen = view.rowAt(view.viewport().height() - 1) - view.rowAt(0) + 1
    print(
        f"first rows painted (median of {runs}): {first[0]:7.2f} ms  (count {first[1]:.2f}, first block "
        f"{first[2]:.2f}, the rest: view, layout, paint of {rows_on_screen} rows)"
    )
    bar = view.verticalScrollBar()
    for where, at in (("start", 0), ("middle", total // 2), ("end", total - 4_000)):
        bar.setValue(at)
        painted(app, view)
        reads_before = len(source.reads)
        wheel, wheel_reads = frames(app, view, 3, 300, lambda: model.fetches)  # a wheel notch is 3 rows
        pages, page_reads = frames(app, view, rows_on_screen, 60, lambda: model.fetches)
        block_ms = [t for _, t in source.reads[reads_before:]]
        print(f"scrolling at the {where}: wheel step (3 rows) {spread(wheel)}")
        print(f"{'':22}frames that read a block ({len(wheel_reads)}): {spread(wheel_reads)}")
        print(f"{'':22}page step ({rows_on_screen} rows) {spread(pages)}")
        print(f"{'':22}frames that read a block ({len(page_reads)}): {spread(page_reads)}")
        print(f"{'':22}the block reads alone ({len(block_ms)}): {spread(block_ms)}")
    for target in (150_000, 30_000, total - 1):
        started = time.perf_counter()
        bar.setValue(target)
        painted(app, view)
        print(f"drag the bar to row {target:,}: {(time.perf_counter() - started) * 1000:7.2f} ms")
    print(
        f"blocks held: {len(model.loaded_blocks())} of {model.max_blocks}; blocks read in all: {model.fetches}"
    )

    # A case selected in the middle, then a filter or a sort: a new source, the case kept, painted.
    middle = model.row_at(total // 2)
    assert middle is not None
    steps = [
        ("filter: state = its state", Query("c.state = ?", (middle.state,))),
        ("filter: overdue", FILTERS["overdue"]),
        ("filter: overdue (states as ?)", FILTERS["overdue (states as ?)"]),
        ("filter: due within a day", FILTERS["due within a day"]),
        ("filter: handler 王伟, open", FILTERS["handler 王伟, open"]),
        ("filter: all again", FILTERS["all"]),
        ("sort: deadline, descending", Query(key="deadline", desc=True)),
        ("sort: received_at again", Query()),
        ("read again (same source)", Query()),
    ]
    taken: dict[str, list[float]] = {label: [] for label, _ in steps}
    outcome: dict[str, str] = {}
    for _ in range(3):
        for label, query in steps:
            row = model.row_of_key(middle.id, near=total // 2)
            if row < 0:  # not in the list shown: select the one in the middle of it
                row = model.rowCount() // 2
            bar.setValue(max(0, row - 10))
            view.selectRow(row)
            painted(app, view)
            selected = model.row_at(row)
            assert selected is not None
            new = SOURCES[kind](conn, query)
            started = time.perf_counter()
            model.reset_source(new)
            painted(app, view)
            taken[label].append((time.perf_counter() - started) * 1000)
            current = model.row_at(view.currentIndex()) if view.currentIndex().isValid() else None
            kept = current is not None and current.id == selected.id
            outcome[label] = f"{model.rowCount():,} rows; the selected case {'kept' if kept else 'not in it'}"
    print("new source, the selected case looked for, painted (median of 3):")
    for label, times in taken.items():
        print(f"  {label:<30} {statistics.median(times):7.2f} ms  ({outcome[label]})")
    view.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--file", default=":memory:", help="SQLite file (built once); default in memory")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    started = time.perf_counter()
    conn = build(args.file, args.rows)
    print(
        f"SQLite {sqlite3.sqlite_version}; {args.rows:,} cases ready in {time.perf_counter() - started:.1f} s ({args.file})"
    )
    sql_figures(conn, args.rows, args.runs)
    floor_figures(app, conn)
    for kind in ("offset", "deferred", "keyset"):
        widget_figures(app, conn, args.rows, kind, 5)


if __name__ == "__main__":
    main()
