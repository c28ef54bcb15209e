"""SQLite for the SQL agent: files opened read-only, a progress handler as statement timeout."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import URL

from agents.sql_dialects import EXACT_COUNT_LIMIT, Column, Dialect, TableRef, sanitise


class SqliteDialect(Dialect):
    """SQLite files opened read-only; a progress handler stands in for a statement timeout."""

    family = "sqlite"

    def url(self, database):
        return URL.create("sqlite+pysqlite", database="file:" + quote(self.target.path),
                          query={"mode": "ro", "uri": "true"})

    def connect_args(self):
        return {"timeout": self.options.connect_timeout}

    def on_connect(self, dbapi_connection):
        dbapi_connection.execute("PRAGMA query_only = ON")

    @contextmanager
    def guard(self, connection):
        # SQLite has no server to cancel a runaway statement: abort it from the VM loop.
        # The limit covers everything inside the guard (one table), not each statement.
        raw = connection.connection.driver_connection
        deadline = time.monotonic() + self.options.statement_timeout
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)

    def databases(self, connection):
        return ["main"]

    def tables(self, connection, database, include_views):
        types = ("table", "view") if include_views else ("table",)
        rows = connection.exec_driver_sql(
            "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name").all()
        out = []
        for name, kind in rows:
            if kind not in types:
                continue
            ref = TableRef(database, "main", name, is_view=kind == "view")
            out.append((ref, None if ref.is_view else self._estimate(connection, ref)))
        return out

    def _estimate(self, connection, ref: TableRef) -> int | None:
        """Exact count for small tables, max(rowid) otherwise: SQLite keeps no statistics."""
        try:
            with self.guard(connection):
                count = self.count_upto(connection, ref, EXACT_COUNT_LIMIT)
                if count <= EXACT_COUNT_LIMIT:
                    return count
                return connection.exec_driver_sql(f"SELECT max(rowid) FROM {self.qualified(connection, ref)}").scalar()
        except Exception:  # WITHOUT ROWID, unreadable or too slow: the sample will tell
            return None

    def columns(self, connection, ref):
        names = connection.exec_driver_sql("SELECT name FROM pragma_table_info(?)", (ref.name,)).scalars()
        # SQLite types are advisory: any column may hold a long text or a blob.
        key = None
        if not ref.is_view:
            try:
                connection.exec_driver_sql(f"SELECT rowid FROM {self.qualified(connection, ref)} LIMIT 0")
                key = "rowid"
            except Exception:  # WITHOUT ROWID tables: plain first-rows sample
                key = None
        return [Column(n, True) for n in names], key

    def path(self, ref):
        return f"{ref.schema}.{ref.name}"

    def version(self, connection):
        return "SQLite " + sqlite3.sqlite_version

    def write_warnings(self, connection, database):
        if os.access(self.target.path, os.W_OK):
            return ["the scanning account can write to the SQLite file (it is opened read-only anyway)"]
        return []

    def reason(self, exc):
        message = str(exc).lower()
        if "interrupted" in message:
            return f"statement timeout after {self.options.statement_timeout:.1f} s"
        if isinstance(exc, sqlite3.Error):
            return f"SQLite error: {sanitise(str(exc))}"
        return None
