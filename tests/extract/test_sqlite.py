"""SQLite database files: tables as members, column samples."""

from __future__ import annotations

import sqlite3

import pytest

from scanner.extract import ExtractError, ExtractLimits
from contract.models import SCANNED

from .builders import zip_bytes
from .helpers import columns, events, run


def make_db(path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute('CREATE TABLE "odd ""name"" table" (id INTEGER, "e-mail" TEXT, photo BLOB)')
    conn.executemany('INSERT INTO "odd ""name"" table" VALUES (?, ?, ?)',
                     [(i, f"user{i}@example.com" if i % 2 else None, b"\x00\xff") for i in range(50)])
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('Jane Doe called')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_tables_columns_local_and_in_memory(tmp_path):
    path = tmp_path / "app.db"
    data = make_db(path)
    for fd_path in (str(path), None):
        fmt, blocks = run(data, "app.db", ExtractLimits(sample_rows=10), fd_path=fd_path)
        assert fmt == "sqlite"
        ev = events(blocks)
        assert {k: v.status for k, v in ev.items()} == {'odd "name" table': SCANNED, "notes": SCANNED}
        cols = columns(blocks)
        email = cols[('odd "name" table', "e-mail")]
        assert email.total_rows == 50 and email.sampled
        assert email.values == [f"user{i}@example.com" for i in (1, 3, 5, 7, 9)]
        assert cols[('odd "name" table', "photo")].values == []
        assert cols[("notes", "body")].values == ["Jane Doe called"]


def test_database_inside_zip(tmp_path):
    data = zip_bytes({"backup/app.sqlite": make_db(tmp_path / "x.db")})
    _, blocks = run(data, "b.zip")
    assert columns(blocks)[("backup/app.sqlite!notes", "body")].values == ["Jane Doe called"]
    assert events(blocks)["backup/app.sqlite"].status == SCANNED


def test_corrupt_database_is_an_error(tmp_path):
    data = make_db(tmp_path / "c.db")
    broken = data[:100] + b"\xff" * 4000
    with pytest.raises(ExtractError, match="SQLite"):
        run(broken, "c.db")
