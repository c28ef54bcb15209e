"""What differs between SQL servers: URLs, session safety, catalogs, sampling plans.

:mod:`agents.sql` drives a scan the same way for every server and asks a
:class:`Dialect` (one subclass per family: :mod:`agents.sql_postgres`,
:mod:`agents.sql_mysql`, :mod:`agents.sql_sqlite`) for the server-specific SQL. Catalog queries bind names as
parameters; identifiers that must appear in SQL text go through the
dialect's own quoting (``quote_identifier``), so a table named
``x"; DROP TABLE y; --`` is just a strange name. Every plan reads a bounded
number of rows: a full-table ``ORDER BY random()`` is never issued.
"""

from __future__ import annotations

import math
import random
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import URL

from agents.base import AgentOptions
from contract.targets import Target

# A value longer than this is cut server-side: a column of scanned documents
# must not pull gigabytes through a 1000-row sample, and the first few KB
# are enough to classify a column.
MAX_VALUE_CHARS = 4096
# Tables up to this many rows get an exact (bounded) count instead of an estimate.
EXACT_COUNT_LIMIT = 100_000
# Random windows read by key-range sampling (MariaDB/MySQL primary key, SQLite rowid).
WINDOWS = 10


@dataclass(frozen=True)
class TableRef:
    """A table or view to sample, picklable so a worker process can open it again."""

    database: str
    schema: str
    name: str
    is_view: bool = False


@dataclass(frozen=True)
class Column:
    """A column to sample; ``trim`` marks types that may hold large text or binary values."""

    name: str
    trim: bool


@dataclass(frozen=True)
class Sample:
    """Rows read from one table and how they were chosen (for the item's record)."""

    columns: list[str]
    rows: list[tuple]
    method: str


def sanitise(message: str) -> str:
    """First line of a server message with quoted parts removed.

    Servers quote offending values in messages (``invalid input syntax for
    type date: "Jane"``); reasons must never carry scanned data.
    """
    lines = (message or "").strip().splitlines()
    first = lines[0] if lines else "unknown error"
    return re.sub(r'"[^"]*"|\'[^\']*\'|`[^`]*`', "…", first)[:200]


class Dialect:
    """The server-specific half of the SQL agent; one subclass per family."""

    family = ""
    #: PostgreSQL needs one connection per database; the MySQL family names tables db.table
    engine_per_database = False

    def __init__(self, target: Target, options: AgentOptions):
        self.target, self.options = target, options

    # connection -------------------------------------------------------
    def url(self, database: str | None) -> URL:
        """The SQLAlchemy URL for one database (None: the server itself)."""
        raise NotImplementedError

    def connect_args(self) -> dict:
        """DBAPI connect() arguments: timeouts and session settings."""
        return {}

    def on_connect(self, dbapi_connection) -> None:
        """Make a fresh DBAPI connection read-only and time-limited."""

    @contextmanager
    def guard(self, connection) -> Iterator[None]:
        """Run the enclosed statements in one read-only, time-limited transaction.

        The transaction ends when the caller's connection closes (rolled back).
        """
        yield

    # catalog ----------------------------------------------------------
    def databases(self, connection) -> list[str]:
        """Databases the account can see, system ones excluded."""
        raise NotImplementedError

    def tables(self, connection, database: str, include_views: bool) -> list[tuple[TableRef, int | None]]:
        """User tables (and views when asked) with their catalog row estimates."""
        raise NotImplementedError

    def columns(self, connection, ref: TableRef) -> tuple[list[Column], str | None]:
        """The table's columns and its single integer key when it has one (for windows)."""
        raise NotImplementedError

    def path(self, ref: TableRef) -> str:
        """The item path: ``db.schema.table``, or ``db.table`` where schema and database are one."""
        return f"{ref.database}.{ref.schema}.{ref.name}"

    def version(self, connection) -> str:
        """Server version string for the manifest."""
        return str(connection.exec_driver_sql("SELECT version()").scalar())

    def write_warnings(self, connection, database: str | None) -> list[str]:
        """Reasons the scanning account could change data (it should not be able to)."""
        return []

    def reason(self, exc: BaseException) -> str | None:
        """A content-free reason for a known server error, or None."""
        return None

    # sampling ---------------------------------------------------------
    def quote(self, connection, name: str) -> str:
        """Always-quoted identifier, with the dialect's escaping of embedded quotes."""
        return connection.dialect.identifier_preparer.quote_identifier(name)

    def qualified(self, connection, ref: TableRef) -> str:
        """schema.table, quoted."""
        return f"{self.quote(connection, ref.schema)}.{self.quote(connection, ref.name)}"

    def select_list(self, connection, columns: list[Column]) -> str:
        """Column expressions, long values cut server-side, named as the columns."""
        out = []
        for col in columns:
            q = self.quote(connection, col.name)
            out.append(f"substr({q}, 1, {MAX_VALUE_CHARS}) AS {q}" if col.trim else q)
        return ", ".join(out)

    def count_upto(self, connection, ref: TableRef, cap: int) -> int:
        """Exact row count, reading at most ``cap`` + 1 rows."""
        sql = f"SELECT count(*) FROM (SELECT 1 AS one FROM {self.qualified(connection, ref)} LIMIT {int(cap) + 1}) s"
        return int(connection.exec_driver_sql(sql).scalar())

    def sample(self, connection, ref: TableRef, columns: list[Column], key: str | None,
               n: int, estimate: int | None) -> Sample:
        """Read at most ``n`` rows; key-range windows when there is a key and the table is big."""
        names = [c.name for c in columns]
        table, cols = self.qualified(connection, ref), self.select_list(connection, columns)
        if key is not None and not ref.is_view and estimate is not None and estimate > 2 * n:
            rows = self._windows(connection, table, cols, key, n)
            if rows is not None:
                return Sample(names, rows, f"{WINDOWS} random key windows")
        return Sample(names, stream(connection, f"SELECT {cols} FROM {table} LIMIT {int(n)}"), "first rows")

    def _windows(self, connection, table: str, cols: str, key: str, n: int) -> list[tuple] | None:
        """Up to ``n`` rows read as index range scans starting at random key values."""
        k = self.quote(connection, key) if key != "rowid" else "rowid"
        # Two statements: SQLite answers a lone min() or max() from the index, but not both at once.
        lo = connection.exec_driver_sql(f"SELECT min({k}) FROM {table}").scalar()
        hi = connection.exec_driver_sql(f"SELECT max({k}) FROM {table}").scalar()
        if not isinstance(lo, int) or not isinstance(hi, int) or hi - lo < n:
            return None  # no usable integer key range: read the first rows instead
        per = math.ceil(n / WINDOWS)
        starts = sorted(random.randint(lo, hi) for _ in range(WINDOWS))
        rows: list[tuple] = []
        read: list[tuple[int, int]] = []  # (first, last) key of each window that found rows
        for start in starts:
            if read and start <= read[-1][1]:
                start = read[-1][1] + 1
            got = stream(connection, f"SELECT {k}, {cols} FROM {table} WHERE {k} >= {int(start)} "
                                      f"ORDER BY {k} LIMIT {min(per, n - len(rows))}")
            rows += [r[1:] for r in got]
            if got:
                read.append((got[0][0], got[-1][0]))
            if len(rows) >= n:
                break
        # Windows that ran off the end of the key range left the sample short: top it up from
        # the keys no window read, lowest first (before the first window, then between windows).
        below = None
        for first, last in read + [(None, None)]:
            if len(rows) >= n:
                break
            bounds = [f"{k} > {int(below)}"] if below is not None else []
            bounds += [f"{k} < {int(first)}"] if first is not None else []
            where = f" WHERE {' AND '.join(bounds)}" if bounds else ""
            got = stream(connection, f"SELECT {k}, {cols} FROM {table}{where} ORDER BY {k} LIMIT {n - len(rows)}")
            rows += [r[1:] for r in got]
            below = last
        return rows


def stream(connection, sql: str) -> list[tuple]:
    """Run a bounded SELECT through a server-side cursor, so wide rows never pile up client-side."""
    result = connection.execution_options(stream_results=True, yield_per=200).exec_driver_sql(sql)
    return [tuple(r) for r in result]
