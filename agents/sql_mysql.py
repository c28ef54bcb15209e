"""MariaDB and MySQL for the SQL agent: read-only session, statement time limit, key windows."""

from __future__ import annotations

import math
import re
from contextlib import contextmanager

from sqlalchemy import URL, bindparam, text

from agents.sql_dialects import Column, Dialect, TableRef, sanitise

_MYSQL_WRITE = re.compile(r"^GRANT (.*?) ON (\S+) TO", re.I)
_MYSQL_WRITE_PRIVS = re.compile(r"\b(ALL PRIVILEGES|INSERT|UPDATE|DELETE|DROP|ALTER|CREATE)\b", re.I)


class MysqlDialect(Dialect):
    """MariaDB and MySQL: session read-only, server-enforced statement time limit."""

    family = "mysql"
    system_databases = frozenset({"mysql", "information_schema", "performance_schema", "sys"})
    INTEGER_TYPES = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"}
    TRIM_TYPES = {"char", "varchar", "tinytext", "text", "mediumtext", "longtext",
                  "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}

    def url(self, database):
        return URL.create("mysql+pymysql", username=self.target.user, password=self.target.creds.password(),
                          host=self.target.host, port=self.target.port or 3306, database=database,
                          query={"charset": "utf8mb4"})

    def connect_args(self):
        # read_timeout is the client's own net should the server not enforce its limit.
        return {"connect_timeout": max(1, math.ceil(self.options.connect_timeout)),
                "read_timeout": math.ceil(self.options.statement_timeout) + 10}

    def on_connect(self, dbapi_connection):
        st = self.options.statement_timeout
        wait = max(1, math.ceil(st))
        with dbapi_connection.cursor() as cur:
            cur.execute("SELECT VERSION()")
            mariadb = "mariadb" in str(cur.fetchone()[0]).lower()
            limit = (f"max_statement_time = {st:.3f}" if mariadb else f"max_execution_time = {int(st * 1000)}")
            cur.execute(f"SET SESSION {limit}, SESSION lock_wait_timeout = {wait}, "
                        f"SESSION innodb_lock_wait_timeout = {wait}")
            cur.execute("SET SESSION TRANSACTION READ ONLY")

    @contextmanager
    def guard(self, connection):
        connection.exec_driver_sql("START TRANSACTION READ ONLY")
        yield

    def databases(self, connection):
        names = connection.exec_driver_sql("SHOW DATABASES").scalars()
        return sorted(n for n in names if n.lower() not in self.system_databases)

    def tables(self, connection, database, include_views):
        types = ["BASE TABLE", "SYSTEM VERSIONED"] + (["VIEW"] if include_views else [])
        rows = connection.execute(text(
            "SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = :db AND TABLE_TYPE IN :types ORDER BY TABLE_NAME").bindparams(
                bindparam("types", expanding=True)), {"db": database, "types": types})
        return [(TableRef(database, database, name, is_view=kind == "VIEW"),
                 None if kind == "VIEW" or est is None else int(est)) for name, kind, est in rows]

    def columns(self, connection, ref):
        rows = connection.execute(text(
            "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_KEY FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = :db AND TABLE_NAME = :t ORDER BY ORDINAL_POSITION"),
            {"db": ref.database, "t": ref.name}).all()
        keys = [name for name, typ, key in rows if key == "PRI"]
        key = keys[0] if len(keys) == 1 and any(
            name == keys[0] and typ.lower() in self.INTEGER_TYPES for name, typ, _ in rows) else None
        return [Column(name, typ.lower() in self.TRIM_TYPES) for name, typ, _ in rows], key

    def path(self, ref):
        return f"{ref.database}.{ref.name}"

    def write_warnings(self, connection, database):
        user = connection.exec_driver_sql("SELECT CURRENT_USER()").scalar()
        warnings = []
        for grant in connection.exec_driver_sql("SHOW GRANTS").scalars():
            # Only the privilege list and its scope: the rest of a grant can hold a password hash.
            match = _MYSQL_WRITE.match(grant)
            if match and _MYSQL_WRITE_PRIVS.search(match.group(1)):
                privs = sorted({p.upper() for p in _MYSQL_WRITE_PRIVS.findall(match.group(1))})
                warnings.append(f"account {user} can change data ({', '.join(privs)} on {match.group(2)}); "
                                "scan with an account that only has SELECT")
        return warnings

    def reason(self, exc):
        code = exc.args[0] if getattr(exc, "args", None) and isinstance(exc.args[0], int) else None
        if code in (1969, 3024) or (code == 2013 and "timed out" in str(exc).lower()):
            return f"statement timeout after {self.options.statement_timeout:.1f} s"
        if code == 1205:
            return f"lock timeout after {max(1, math.ceil(self.options.statement_timeout))} s"
        if code in (1142, 1143, 1044):
            return "permission denied: the account cannot read this table"
        if code == 1146:
            return "table no longer exists"
        if code is not None:
            return f"MySQL error {code}: {sanitise(str(exc.args[1]) if len(exc.args) > 1 else '')}"
        return None
