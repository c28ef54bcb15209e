"""SQL databases as a scan target: tables from the catalogs, columns from bounded samples.

One item per table; :meth:`SqlAgent.blocks` samples ``options.sample_rows``
rows through a server-side cursor inside a read-only, time-limited
transaction and yields one :class:`~contract.models.ColumnBlock` per column.
Server differences live in :mod:`agents.sql_dialects`. A table that cannot
be sampled raises :class:`SampleError` with a reason that names the problem,
never a value; the other tables go on.
"""

from __future__ import annotations

import codecs
import json
from contextlib import contextmanager
from typing import Callable, Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from agents.base import Agent, AgentError, AgentOptions, EnumerationProblem
from agents.sql_dialects import EXACT_COUNT_LIMIT, MAX_VALUE_CHARS, Dialect, Sample, TableRef, sanitise
from agents.sql_mysql import MysqlDialect
from agents.sql_postgres import PostgresDialect
from agents.sql_sqlite import SqliteDialect
from contract.models import ERROR, Block, ColumnBlock, Item
from contract.targets import Target, TargetError

# Words in a connection failure that mean "try again later" rather than "fix the settings".
_TRANSIENT_WORDS = ("timeout", "timed out", "refused", "could not connect", "can't connect", "closed",
                    "reset", "unreachable", "too many", "lost connection", "starting up", "shutting down")


DIALECTS: dict[str, type[Dialect]] = {"postgresql": PostgresDialect, "mysql": MysqlDialect,
                                      "mariadb": MysqlDialect, "sqlite": SqliteDialect}


class SampleError(Exception):
    """One table could not be sampled; the message is a content-free reason for the inventory."""


class SqlAgent(Agent):
    """Read-only discovery in PostgreSQL, MariaDB/MySQL and SQLite.

    ``include_views`` also samples views; it is off by default because
    reading a view runs its SQL, which may call arbitrary functions.
    After :meth:`blocks`, ``last_sample_rows`` holds the number of rows
    sampled (the engine records it) and ``last_sample_method`` how they
    were chosen.
    """

    name = "sql"

    def __init__(self, target: Target, options: AgentOptions = AgentOptions(), include_views: bool = False):
        super().__init__(target, options)
        family = DIALECTS.get(target.scheme)
        if family is None:
            raise AgentError(f"{target.scheme} databases are not supported (SQL Server and Oracle are not yet): "
                             "use postgresql://, mysql://, mariadb:// or sqlite:///")
        self.dialect: Dialect = family(target, options)
        self.include_views = include_views
        self.last_sample_rows: int | None = None
        self.last_sample_method: str | None = None
        self._engines: dict[str | None, Engine] = {}

    # connections --------------------------------------------------------
    def _engine(self, database: str | None) -> Engine:
        key = database if self.dialect.engine_per_database else None
        engine = self._engines.get(key)
        if engine is None:
            try:
                # Server-level connections go to the named database when there is one (SQLite ignores it).
                url = self.dialect.url(key if key is not None else self.target.path or None)
            except TargetError as exc:
                raise AgentError(str(exc)) from None
            engine = create_engine(url, connect_args=self.dialect.connect_args(), pool_size=1, max_overflow=2)
            event.listen(engine, "connect", lambda dbapi_connection, _record: self.dialect.on_connect(dbapi_connection))
            self._engines[key] = engine
        return engine

    @contextmanager
    def connection(self, database: str | None = None) -> Iterator[Connection]:
        """A connection to one database inside a read-only, time-limited transaction.

        Everything the agent reads goes through here; tests use it to prove
        that the session cannot write. Failing to connect is an
        :class:`AgentError`; errors of statements run inside propagate.
        """
        try:
            conn = self._engine(database).connect()
        except DBAPIError as exc:
            raise self._connect_error(exc) from None
        with conn:
            with self.dialect.guard(conn):
                yield conn

    def _connect_error(self, exc: DBAPIError) -> AgentError:
        message = sanitise(str(exc.orig)) if exc.orig is not None else "connection failed"
        transient = any(word in message.lower() for word in _TRANSIENT_WORDS)
        return AgentError(f"cannot connect to {self.target.uri}: {message}", transient=transient)

    # enumeration ----------------------------------------------------------
    def databases(self) -> list[str]:
        """The database the target names, or every non-system one the account can see."""
        if self.target.path and self.dialect.family != "sqlite":
            return [self.target.path]
        try:
            with self.connection(None) as conn:
                return self.dialect.databases(conn)
        except DBAPIError as exc:
            raise AgentError(f"cannot list databases: {self._reason(exc)}") from None

    def items(self) -> Iterator[Item | EnumerationProblem]:
        """One item per user table (and view, when asked) of every database in scope."""
        databases = self.databases()
        for database in databases:
            try:
                with self.connection(database) as conn:
                    tables = self.dialect.tables(conn, database, self.include_views)
            except (DBAPIError, AgentError) as exc:
                reason = self._reason(exc) if isinstance(exc, DBAPIError) else str(exc)
                if self.target.path:  # the one database the user named: the whole target failed
                    raise exc if isinstance(exc, AgentError) else AgentError(reason) from None
                yield EnumerationProblem(f"{self.target.uri}/{database}", database, ERROR, reason)
                continue
            for ref, estimate in tables:
                path = self.dialect.path(ref)
                yield Item(uri=f"{self.target.uri}/{path}", path=path, kind="table", ref=ref, row_estimate=estimate)

    # sampling -------------------------------------------------------------
    def blocks(self, item: Item, extract: Callable[..., Iterator[Block]]) -> Iterator[Block]:
        """One ColumnBlock per column of a bounded, read-only sample of the table."""
        self.last_sample_rows = self.last_sample_method = None
        ref: TableRef = item.ref
        n = self.options.sample_rows
        try:
            with self.connection(ref.database) as conn:
                columns, key = self.dialect.columns(conn, ref)
                if not columns:
                    raise SampleError("table has no readable columns (dropped or renamed since listing?)")
                sample = self.dialect.sample(conn, ref, columns, key, n, item.row_estimate)
                total = self._total_rows(conn, ref, sample, item.row_estimate)
        except DBAPIError as exc:
            raise SampleError(self._reason(exc)) from None
        except (SampleError, AgentError):
            raise
        except Exception as exc:  # a driver failing to load a value: its message may quote the value
            raise SampleError(f"sampling failed: {type(exc).__name__}") from None
        self.last_sample_rows, self.last_sample_method = len(sample.rows), sample.method
        for index, name in enumerate(sample.columns):
            values = [v for v in (render(row[index]) for row in sample.rows) if v is not None]
            yield ColumnBlock(header=name, values=values, total_rows=total, container=item.path,
                              column_index=index, sampled=total > len(sample.rows), sample_rows=len(sample.rows))

    def _total_rows(self, conn: Connection, ref: TableRef, sample: Sample, estimate: int | None) -> int:
        """Exact when cheap (a short first-rows scan, a small table), else the catalog estimate."""
        got = len(sample.rows)
        if sample.method == "first rows" and got < self.options.sample_rows:
            return got  # the scan reached the end of the table
        if ref.is_view:
            return max(got, estimate or 0)  # counting a view runs it again
        if estimate is None or estimate <= EXACT_COUNT_LIMIT:
            counted = self.dialect.count_upto(conn, ref, EXACT_COUNT_LIMIT)
            return counted if counted <= EXACT_COUNT_LIMIT else max(counted, estimate or 0)
        return max(got, estimate)

    def _reason(self, exc: DBAPIError) -> str:
        orig = exc.orig if exc.orig is not None else exc
        return self.dialect.reason(orig) or f"database error ({type(orig).__name__}): {sanitise(str(orig))}"

    # manifest ---------------------------------------------------------------
    def preflight(self) -> list[str]:
        """Warnings for the manifest when the scanning account could change data."""
        warnings: list[str] = []
        scopes = self.databases() if self.dialect.engine_per_database else [None]
        for database in scopes:
            try:
                with self.connection(database) as conn:
                    warnings += self.dialect.write_warnings(conn, database)
            except (DBAPIError, AgentError):
                continue  # items() reports the databases it cannot reach
        return list(dict.fromkeys(warnings))

    def facts(self) -> dict:
        """Server version and the databases in scope, for the manifest."""
        with self.connection(None) as conn:
            version = self.dialect.version(conn)
        return {"dialect": self.dialect.family, "server_version": version, "databases": self.databases()}

    def close(self) -> None:
        """Dispose of every engine (and its pooled connections)."""
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


def render(value: object) -> str | None:
    """A sampled value as text for the detector, or None when empty or binary.

    bytes that are UTF-8 text are decoded (a server-side cut may have split
    the last character: the incomplete tail is dropped); JSON documents and
    arrays are serialised as JSON.
    """
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            value = codecs.getincrementaldecoder("utf-8")().decode(bytes(value), final=False)
        except UnicodeDecodeError:
            return None
        if "\x00" in value:
            return None
    elif isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    elif not isinstance(value, str):
        value = str(value)
    if not value.strip():
        return None
    return value[:MAX_VALUE_CHARS]
