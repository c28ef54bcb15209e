"""The SQL agent against real PostgreSQL, MariaDB and SQLite databases.

Checks enumeration, sampling, read-only safety, timeouts, hostile names and
the write-privilege preflight. Classifying the sampled columns is the
detector's job and is tested end to end elsewhere.
"""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from agents import make_agent
from agents.base import AgentError, AgentOptions, EnumerationProblem
from agents.sql import SampleError, SqlAgent
from agents.sql_dialects import MAX_VALUE_CHARS
from contract.targets import SQL, Target, parse_target
from tests.servers.databases import (HOSTILE_COLUMN, LONG_NOTE_CHARS, ROWS, PopulatedDatabase, maria_db,  # noqa: F401
                                     mariadb_reader, pg_db, postgres_reader, server_admin, sqlite_db)

BACKENDS = ["pg_db", "maria_db", "sqlite_db"]


@pytest.fixture(params=BACKENDS)
def db(request) -> PopulatedDatabase:
    """Each test below runs once per database server."""
    return request.getfixturevalue(request.param)


def agent_for(target: str, **options) -> SqlAgent:
    include_views = options.pop("include_views", False)
    return SqlAgent(parse_target(target), AgentOptions(**options), include_views=include_views)


def tables(agent: SqlAgent) -> dict[str, object]:
    return {item.path: item for item in agent.items()}


def sample(agent: SqlAgent, item) -> dict:
    return {block.header: block for block in agent.blocks(item, extract=None)}


def test_items_are_one_per_base_table_with_sane_estimates(db):
    with agent_for(db.target) as agent:
        items = tables(agent)
    expected = {db.path(t) for t in [*ROWS, db.hostile, "y"]}
    assert set(items) == expected  # the sleeping view is not a base table
    for name, rows in ROWS.items():
        item = items[db.path(name)]
        assert item.kind == "table"
        assert item.uri == f"{parse_target(db.target).uri}/{db.path(name)}"
        assert rows / 2 <= item.row_estimate <= rows * 2, (name, item.row_estimate)


def test_blocks_sample_columns_of_a_bigger_table(db):
    with agent_for(db.target, sample_rows=100) as agent:
        item = tables(agent)[db.path("customers")]
        blocks = sample(agent, item)
        assert agent.last_sample_rows == 100
    truth = db.data["customers"]
    assert list(blocks) == ["id", "full_name", "email", "phone", "street_address", "city", "postcode",
                            "date_of_birth", "preferences", "avatar"]
    assert [b.column_index for b in blocks.values()] == list(range(10))
    for block in blocks.values():
        assert block.container == db.path("customers")
        assert block.total_rows == ROWS["customers"]  # small table: counted exactly
        assert block.sampled
    assert len(set(blocks["id"].values)) == 100
    assert set(blocks["email"].values) <= {r["email"] for r in truth}
    assert len(blocks["email"].values) == 100
    assert set(blocks["date_of_birth"].values) <= {r["date_of_birth"].isoformat() for r in truth}
    assert all(isinstance(json.loads(v), dict) for v in blocks["preferences"].values)
    assert blocks["avatar"].values == []  # binary that is not text is not sent to the detector


def test_small_table_is_read_whole_and_text_bytes_are_decoded(db):
    with agent_for(db.target, sample_rows=200) as agent:
        items = tables(agent)
        products = sample(agent, items[db.path("products")])
        assert agent.last_sample_rows == ROWS["products"]
        employees = sample(agent, items[db.path("employees")])
        notes = sample(agent, items[db.path("notes")])
    assert products["sku"].values == [f"SKU-{i:05d}" for i in range(1, ROWS["products"] + 1)]
    assert products["sku"].total_rows == ROWS["products"] and not products["sku"].sampled
    assert set(employees["cv"].values) == {r["cv"].decode() for r in db.data["employees"]}
    assert set(employees["iban"].values) == {r["iban"] for r in db.data["employees"]}
    lengths = sorted(len(v) for v in notes["body"].values)
    assert lengths[-1] == MAX_VALUE_CHARS < LONG_NOTE_CHARS  # a huge value is cut server-side
    assert sum("@example.org" in v for v in notes["body"].values) == ROWS["notes"] - 1


def test_big_tables_are_sampled_not_scanned_from_the_start(db):
    with agent_for(db.target, sample_rows=100) as agent:
        orders = sample(agent, tables(agent)[db.path("orders")])
        method = agent.last_sample_method
    ids = [int(v) for v in orders["id"].values]
    assert len(ids) == len(set(ids)) == 100
    assert ids != list(range(1, 101))
    assert method == ("TABLESAMPLE BERNOULLI" if db.family == "postgresql" else "10 random key windows")


@pytest.mark.parametrize("fixture", ["maria_db", "sqlite_db"])  # the servers sampled by key windows
def test_key_windows_that_run_off_the_end_are_topped_up_from_unread_keys(request, fixture, monkeypatch):
    # the first window starts low (few keys below it), the rest near the end of the key range:
    # they read 16 rows; the sample must still come to 100 distinct rows of the 1,500
    db = request.getfixturevalue(fixture)
    starts = iter([5] + [ROWS["orders"] - 5] * 9)
    monkeypatch.setattr("agents.sql_dialects.random.randint", lambda lo, hi: next(starts))
    with agent_for(db.target, sample_rows=100) as agent:
        ids = [int(v) for v in sample(agent, tables(agent)[db.path("orders")])["id"].values]
        assert agent.last_sample_method == "10 random key windows"
    assert len(ids) == len(set(ids)) == 100
    assert set(range(5, 15)) | set(range(ROWS["orders"] - 5, ROWS["orders"] + 1)) <= set(ids)


def test_session_cannot_write(db):
    with agent_for(db.target) as agent, agent.connection(db.name) as conn:
        with pytest.raises(DBAPIError) as err:
            conn.execute(text("INSERT INTO products (id, sku, name, price) VALUES (9999, 'S', 'n', 1)"))
    message = str(err.value.orig).lower()
    assert "read-only" in message or "read only" in message or "readonly" in message
    assert db.count("products") == ROWS["products"]


def test_slow_view_is_cancelled_and_other_tables_still_sample(db):
    with agent_for(db.target, statement_timeout=1.0, sample_rows=10, include_views=True) as agent:
        items = tables(agent)
        view = items[db.path("slow_view")]
        started = time.monotonic()
        with pytest.raises(SampleError, match=r"^statement timeout after 1\.0 s$"):
            list(agent.blocks(view, extract=None))
        assert time.monotonic() - started < 5
        assert len(sample(agent, items[db.path("products")])["sku"].values) == 10


def test_hostile_table_name_is_sampled_and_drops_nothing(db):
    with agent_for(db.target) as agent:
        blocks = sample(agent, tables(agent)[db.path(db.hostile)])
    assert blocks[HOSTILE_COLUMN].values == [f"harmless {i}" for i in range(1, 6)]
    assert {db.hostile, "y", "products"} <= db.table_names()
    assert db.count("y") == 1


def test_preflight_warns_for_superuser_and_not_for_a_reader(pg_db):
    with agent_for(pg_db.target) as agent:
        assert any("superuser" in w for w in agent.preflight())
    with postgres_reader(pg_db) as target, agent_for(target, sample_rows=5) as agent:
        assert agent.preflight() == []
        assert len(sample(agent, tables(agent)[pg_db.path("customers")])["email"].values) == 5


def test_preflight_warns_for_mariadb_root_and_not_for_a_reader(maria_db):
    with agent_for(maria_db.target) as agent:
        warnings = agent.preflight()
    assert warnings and all("ALL PRIVILEGES" in w for w in warnings)
    with mariadb_reader(maria_db) as target, agent_for(target, sample_rows=5) as agent:
        assert agent.preflight() == []
        assert len(sample(agent, tables(agent)[maria_db.path("customers")])["email"].values) == 5


def test_tablesample_system_rows_when_the_extension_exists(pg_db):
    with server_admin(pg_db.admin_url) as admin, admin.connect() as conn:
        conn.execute(text("CREATE EXTENSION tsm_system_rows"))
    try:
        with agent_for(pg_db.target, sample_rows=50) as agent:
            emails = sample(agent, tables(agent)[pg_db.path("customers")])["email"].values
            assert agent.last_sample_method == "TABLESAMPLE SYSTEM_ROWS"
        assert len(emails) == 50 and set(emails) <= {r["email"] for r in pg_db.data["customers"]}
    finally:
        with server_admin(pg_db.admin_url) as admin, admin.connect() as conn:
            conn.execute(text("DROP EXTENSION tsm_system_rows"))


@pytest.mark.parametrize("fixture, server", [("pg_db", "postgresql://postgres@127.0.0.1:5432"),
                                             ("maria_db", "mariadb://root@127.0.0.1:3306")])
def test_target_without_database_scans_every_user_database(request, fixture, server):
    db = request.getfixturevalue(fixture)
    with agent_for(server) as agent:
        databases = agent.databases()
        paths = [i.path for i in agent.items() if not isinstance(i, EnumerationProblem)]
        facts = agent.facts()
    assert db.name in databases and db.name in facts["databases"] and facts["server_version"]
    assert not {"mysql", "information_schema", "performance_schema", "sys", "template0", "template1"} & set(databases)
    assert {db.path(t) for t in ROWS} <= set(paths)
    assert not [p for p in paths if ".pg_catalog." in p or ".information_schema." in p]


def test_unsupported_scheme_and_unreachable_server_are_clear_errors():
    with pytest.raises(AgentError, match="not supported"):
        make_agent(Target(kind=SQL, scheme="mssql", path="db", host="127.0.0.1"))
    with agent_for("postgresql://postgres@127.0.0.1:1/x", connect_timeout=2) as agent:
        with pytest.raises(AgentError) as err:
            list(agent.items())
    assert err.value.transient and "cannot connect" in str(err.value)
