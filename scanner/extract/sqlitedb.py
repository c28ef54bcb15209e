"""SQLite database files: a bounded sample of every column of every table.

Opened read-only in place (immutable URI of ``/proc/self/fd/N``, the file the
agent opened) when there is one, else deserialised from memory within
``max_in_memory``. Identifiers are always
double-quoted with embedded quotes doubled, since table names are data here.
"""

from __future__ import annotations

import sqlite3
from typing import Iterator
from urllib.parse import quote

from contract.models import ERROR, SCANNED, Block, ColumnBlock, MemberEvent

from .base import Context, ExtractError, Source, join, read_all


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return ""  # binary blobs are not text to classify
    return str(value)


def _connect(src: Source, ctx: Context) -> tuple[sqlite3.Connection, int]:
    if src.fd_path:
        uri = f"file:{quote(src.fd_path)}?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, check_same_thread=False), 0
    data = read_all(src, ctx, "SQLite database")
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.deserialize(data)
    return conn, len(data)


def extract_sqlite(src: Source, ctx: Context) -> Iterator[Block]:
    """Per table: a MemberEvent (container = table) then one ColumnBlock per column."""
    try:
        conn, held = _connect(src, ctx)
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    except sqlite3.Error as exc:
        raise ExtractError(f"corrupt SQLite database ({type(exc).__name__})") from exc
    with ctx.holding(held, "SQLite database"):
        try:
            for table in tables:
                yield from _table(conn, table, src.container, ctx)
        finally:
            conn.close()


def _table(conn: sqlite3.Connection, table: str, container: str, ctx: Context) -> Iterator[Block]:
    where = join(container, table)
    ctx.count_member()
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({_ident(table)})")]
        total = conn.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()[0]
        select = ", ".join(_ident(c) for c in columns) or "*"
        rows = conn.execute(f"SELECT {select} FROM {_ident(table)} LIMIT ?", (ctx.limits.sample_rows,)).fetchall()
    except sqlite3.DatabaseError as exc:
        yield MemberEvent(where, ERROR, f"table cannot be read ({type(exc).__name__})")
        return
    yield MemberEvent(where, SCANNED, "", None)
    for index, column in enumerate(columns):
        values = [v for v in (_text(r[index]) for r in rows) if v.strip()]
        yield ColumnBlock(header=column, values=values, total_rows=total, container=where,
                          column_index=index, sampled=total > len(rows), sample_rows=len(rows))
