"""PostgreSQL for the SQL agent: TABLESAMPLE plans, read-only session, server-side timeouts."""

from __future__ import annotations

import math
from contextlib import contextmanager

from sqlalchemy import URL, text

from agents.sql_dialects import Column, Dialect, Sample, TableRef, sanitise, stream


class PostgresDialect(Dialect):
    """PostgreSQL: TABLESAMPLE plans, session-level read-only and timeouts."""

    family = "postgresql"
    engine_per_database = True
    # Above this, BERNOULLI's full scan costs more than SYSTEM's clustered page sample.
    BERNOULLI_MAX_ROWS = 2_000_000

    def url(self, database):
        return URL.create("postgresql+psycopg", username=self.target.user, password=self.target.creds.password(),
                          host=self.target.host, port=self.target.port or 5432, database=database or "postgres")

    def connect_args(self):
        st = max(1, int(self.options.statement_timeout * 1000))
        # Startup options apply before our first statement, so no query ever runs writable or unbounded.
        opts = (f"-c default_transaction_read_only=on -c statement_timeout={st} -c lock_timeout={st} "
                f"-c idle_in_transaction_session_timeout={max(10_000, 2 * st)}")
        return {"connect_timeout": max(1, math.ceil(self.options.connect_timeout)),
                "options": opts, "application_name": "piisweep"}

    @contextmanager
    def guard(self, connection):
        # Belt and braces: the session default is already read-only.
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        yield

    def databases(self, connection):
        rows = connection.exec_driver_sql(
            "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate "
            "AND has_database_privilege(datname, 'CONNECT') ORDER BY datname").scalars()
        return list(rows)

    def tables(self, connection, database, include_views):
        kinds = ["r", "p"] + (["v", "m"] if include_views else [])
        # Partitions are sampled through their parent, so a partitioned table is one item.
        rows = connection.execute(text(
            "SELECT n.nspname, c.relname, c.relkind, "
            "  CASE WHEN c.relkind = 'p' THEN (SELECT sum(greatest(ch.reltuples, 0)) FROM pg_inherits i "
            "       JOIN pg_class ch ON ch.oid = i.inhrelid WHERE i.inhparent = c.oid) "
            "  ELSE c.reltuples END "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = ANY(:kinds) AND NOT c.relispartition "
            "  AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
            "ORDER BY 1, 2"), {"kinds": kinds})
        out = []
        for schema, name, kind, tuples in rows:
            estimate = None if tuples is None or tuples < 0 or kind in "vm" else int(tuples)
            out.append((TableRef(database, schema, name, is_view=kind in "vm"), estimate))
        return out

    def columns(self, connection, ref):
        rows = connection.execute(text(
            "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE a.attrelid = (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "                    WHERE n.nspname = :s AND c.relname = :t) "
            "  AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"), {"s": ref.schema, "t": ref.name})
        return [Column(name, typ in ("text", "varchar", "bpchar", "bytea")) for name, typ in rows], None

    def sample(self, connection, ref, columns, key, n, estimate):
        table, cols = self.qualified(connection, ref), self.select_list(connection, columns)
        names = [c.name for c in columns]
        if ref.is_view or estimate is None or estimate <= 2 * n:
            return Sample(names, stream(connection, f"SELECT {cols} FROM {table} LIMIT {int(n)}"), "first rows")
        if connection.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'tsm_system_rows'").first():
            clause, method = f"SYSTEM_ROWS({int(n)})", "TABLESAMPLE SYSTEM_ROWS"
        else:
            # Oversample 4x so the LIMIT, not chance, sets the sample size (at 2x a 5-row sample
            # of 400 rows came up short about one time in thirty)
            pct = min(100.0, 400.0 * n / estimate)
            kind = "BERNOULLI" if estimate <= self.BERNOULLI_MAX_ROWS else "SYSTEM"
            clause, method = f"{kind}({pct:.6f})", f"TABLESAMPLE {kind}"
        rows = stream(connection, f"SELECT {cols} FROM {table} TABLESAMPLE {clause} LIMIT {int(n)}")
        return Sample(names, rows, method)

    def write_warnings(self, connection, database):
        user = connection.exec_driver_sql("SELECT current_user").scalar()
        if connection.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar():
            return [f"account {user} is a PostgreSQL superuser and could change data; "
                    "scan with a role that only has SELECT (e.g. a member of pg_read_all_data)"]
        writable = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_toast%' "
            "AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')").scalar()
        if writable:
            return [f"account {user} can change {writable} table(s) in database {database}; "
                    "scan with a role that only has SELECT"]
        return []

    def reason(self, exc):
        state = getattr(exc, "sqlstate", None)
        if state == "57014":
            return f"statement timeout after {self.options.statement_timeout:.1f} s"
        if state == "55P03":
            return f"lock timeout after {self.options.statement_timeout:.1f} s (table locked by another session)"
        if state == "42501":
            return "permission denied: the account cannot read this table"
        if state == "42P01":
            return "table no longer exists"
        if state:
            return f"PostgreSQL error {state}: {sanitise(str(exc))}"
        return None
