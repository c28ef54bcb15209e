"""How long the SQL agent takes to enumerate and sample one very big table.

Creates a throw-away database with a ``people`` table of ``--rows`` rows
(default 5,000,000) on the local PostgreSQL (generate_series), MariaDB
(the SEQUENCE engine) and SQLite (a recursive CTE), times ``items()`` and
``blocks()`` through :class:`agents.sql.SqlAgent`, prints one line per run
and drops everything it created. Target: well under 10 s per table.

    python bench/sql_sample.py [--rows 5000000] [--sample-rows 1000] [--only postgresql,mariadb,sqlite]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine, text  # noqa: E402

from agents.base import AgentOptions  # noqa: E402
from agents.sql import SqlAgent  # noqa: E402
from contract.targets import parse_target  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
MARIADB = "mysql+pymysql://root@127.0.0.1:3306/{db}"


@contextmanager
def autocommit(url: str):
    """An autocommit connection for DDL and bulk loads."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def timed_scan(target: str, sample_rows: int, label: str) -> None:
    """Time items() and blocks() of every table of the target; print one line per table."""
    options = AgentOptions(sample_rows=sample_rows, statement_timeout=30)
    with SqlAgent(parse_target(target), options) as agent:
        started = time.perf_counter()
        items = list(agent.items())
        listed = time.perf_counter() - started
        for item in items:
            t0 = time.perf_counter()
            blocks = list(agent.blocks(item, extract=None))
            took = time.perf_counter() - t0
            print(f"{label:<34} {item.path:<40} estimate={item.row_estimate:>9} "
                  f"sampled={agent.last_sample_rows:>5} cols={len(blocks)} method={agent.last_sample_method!r:<26} "
                  f"items()={listed:.3f}s blocks()={took:.3f}s", flush=True)


def bench_postgres(rows: int, sample_rows: int) -> None:
    """5M rows via generate_series; sampled without and then with tsm_system_rows."""
    name = f"piisweep_bench_{uuid.uuid4().hex[:8]}"
    with autocommit(PG.format(db="postgres")) as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        with autocommit(PG.format(db=name)) as conn:
            t0 = time.perf_counter()
            conn.execute(text(
                "CREATE TABLE people AS SELECT g AS id, 'Person ' || g AS full_name, "
                "'user' || g || '@example.com' AS email, timestamp '2025-01-01' + g * interval '1 second' AS created_at, "
                "(g % 10000) / 100.0 AS amount FROM generate_series(1, :n) g"), {"n": rows})
            conn.execute(text("ALTER TABLE people ADD PRIMARY KEY (id)"))
            conn.execute(text("ANALYZE people"))
            print(f"postgresql: loaded {rows} rows in {time.perf_counter() - t0:.1f}s", flush=True)
            target = f"postgresql://postgres@127.0.0.1:5432/{name}"
            timed_scan(target, sample_rows, "postgresql (no extension)")
            conn.execute(text("CREATE EXTENSION tsm_system_rows"))
            timed_scan(target, sample_rows, "postgresql (tsm_system_rows)")
    finally:
        with autocommit(PG.format(db="postgres")) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def bench_mariadb(rows: int, sample_rows: int) -> None:
    """5M rows via INSERT ... SELECT from the SEQUENCE engine."""
    name = f"piisweep_bench_{uuid.uuid4().hex[:8]}"
    with autocommit(MARIADB.format(db="")) as conn:
        conn.execute(text(f"CREATE DATABASE `{name}`"))
    try:
        with autocommit(MARIADB.format(db=name)) as conn:
            t0 = time.perf_counter()
            conn.execute(text("CREATE TABLE people (id INT PRIMARY KEY, full_name VARCHAR(100), email VARCHAR(200), "
                              "created_at DATETIME, amount DECIMAL(10,2)) ENGINE=InnoDB"))
            conn.execute(text(
                f"INSERT INTO people SELECT seq, CONCAT('Person ', seq), CONCAT('user', seq, '@example.com'), "
                f"'2025-01-01' + INTERVAL seq SECOND, (seq % 10000) / 100 FROM seq_1_to_{int(rows)}"))
            conn.execute(text("ANALYZE TABLE people")).all()
            print(f"mariadb: loaded {rows} rows in {time.perf_counter() - t0:.1f}s", flush=True)
        timed_scan(f"mariadb://root@127.0.0.1:3306/{name}", sample_rows, "mariadb")
    finally:
        with autocommit(MARIADB.format(db="")) as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))


def bench_sqlite(rows: int, sample_rows: int) -> None:
    """5M rows via a recursive CTE in a temporary file."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.db")
        with autocommit(f"sqlite:///{path}") as conn:
            t0 = time.perf_counter()
            conn.execute(text("CREATE TABLE people (id INTEGER PRIMARY KEY, full_name TEXT, email TEXT, "
                              "created_at TEXT, amount REAL)"))
            conn.execute(text(
                "INSERT INTO people WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :n) "
                "SELECT n, 'Person ' || n, 'user' || n || '@example.com', datetime('2025-01-01', '+' || n || ' seconds'), "
                "(n % 10000) / 100.0 FROM g"), {"n": rows})
            print(f"sqlite: loaded {rows} rows in {time.perf_counter() - t0:.1f}s", flush=True)
        timed_scan(f"sqlite:///{path}", sample_rows, "sqlite")


def main() -> None:
    """Run the selected benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--sample-rows", type=int, default=1000)
    parser.add_argument("--only", default="postgresql,mariadb,sqlite")
    args = parser.parse_args()
    runs = {"postgresql": bench_postgres, "mariadb": bench_mariadb, "sqlite": bench_sqlite}
    for name in args.only.split(","):
        runs[name](args.rows, args.sample_rows)


if __name__ == "__main__":
    main()
