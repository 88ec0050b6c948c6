"""What the audit chain's checks cost: appending (the head checked before each transaction's first
entry, the witness written after its commit) and verifying (the walk, the witnesses).

    python benchmarks/audit_chain_bench.py                                  # SQLite in a temporary folder
    python benchmarks/audit_chain_bench.py --url postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/audit_chain_bench.py --entries 100000

Printed: ms per one-entry transaction (a sign-in, a lookup: each pays the head check and the witness
write), ms per entry of a long transaction (an import: the head is checked once), the witness write
alone, and the time verify takes over ``--entries`` entries. Run it on the commit before and after a
change to the chain. The database is made fresh (a PostgreSQL URL: in a schema of its own, dropped).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from desktop_app import paths
from desktop_app.store import audit
from desktop_app.store.audit import AuditActor
from desktop_app.store.migrate import open_database
from desktop_app.store.witness import Seen

ACTOR = AuditActor(1, "bench", "ws-bench")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a PostgreSQL server (default: SQLite in a temporary folder)")
    parser.add_argument("--transactions", type=int, default=500)
    parser.add_argument("--entries", type=int, default=20_000, help="entries written in bulk, then verified")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    where = paths.set_home(home)
    where.ensure()
    url = f"sqlite:///{where.database.as_posix()}"
    admin = schema = None
    if args.url:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = (
            make_url(args.url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    database, _ = open_database(url, where.default_key_file, where.backups, "ws-bench", daily_backup=False)
    try:

        def one() -> None:
            with database.session(write=True) as session:
                audit.record(session, ACTOR, "bench.write", "thing", 1, {"n": 1})

        for _ in range(20):
            one()
        times = []
        for _ in range(args.transactions):
            start = time.perf_counter()
            one()
            times.append(time.perf_counter() - start)
        print(
            f"{database.backend}: one-entry transaction p50 {statistics.median(times) * 1000:.2f} ms, "
            f"mean {statistics.fmean(times) * 1000:.2f} ms ({args.transactions} runs)"
        )
        start = time.perf_counter()
        with database.session(write=True) as session:
            for number in range(args.entries):
                audit.record(session, ACTOR, "bench.write", "thing", number, {"n": number})
        bulk = time.perf_counter() - start
        print(f"  {args.entries} entries in one transaction: {bulk / args.entries * 1000:.3f} ms each")
        witness = database.witness
        assert witness is not None
        latest = witness.latest()
        assert latest is not None
        start = time.perf_counter()
        for step in range(1, 501):
            witness.saw(Seen(latest.segment, latest.seq + step, latest.hash))
        print(f"  witness write alone: {(time.perf_counter() - start) / 500 * 1000:.3f} ms")
        start = time.perf_counter()
        with database.session() as session:
            result = audit.verify(session, database.keyring, ())
        print(
            f"  verify {result.checked} entries: {time.perf_counter() - start:.2f} s (intact: {result.intact})"
        )
    finally:
        database.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
