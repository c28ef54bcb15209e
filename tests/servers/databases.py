"""Real PostgreSQL, MariaDB and SQLite databases for tests, filled with fake people.

Each fixture creates a uniquely named database (dropped afterwards) with
PII-bearing tables (customers, employees, audit_log, notes), PII-free ones
(orders, products), a table whose name and column try SQL injection, and a
table ``y`` that the injection would drop. The servers are the machine's own
(loopback only): PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres) and
MariaDB at 127.0.0.1:3306 (root, empty password); a stopped server is started.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import subprocess
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

import pytest
from sqlalchemy import (JSON, Column, Date, DateTime, Engine, Integer, LargeBinary, MetaData, Numeric, String,
                        Table, Text, create_engine, text)
from sqlalchemy.exc import OperationalError

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
MARIADB_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/{db}?charset=utf8mb4"
HOSTILE_PG = 'x"; DROP TABLE y; --'
HOSTILE_MYSQL = "x`; DROP TABLE y; --"
HOSTILE_COLUMN = "c'; DROP TABLE y; --"
LONG_NOTE_CHARS = 20_000
NON_UTF8 = bytes(range(128, 256))
# Row counts the tests check estimates and samples against.
ROWS = {"customers": 400, "employees": 120, "orders": 1500, "products": 40, "audit_log": 1500, "notes": 61}


@dataclass
class PopulatedDatabase:
    """A populated database: its name, how the scanner names it, and the data it holds."""

    name: str
    admin_url: str
    target: str
    hostile: str
    family: str
    data: dict[str, list[dict]] = field(repr=False, default_factory=dict)

    def path(self, table: str) -> str:
        """The item path the SQL agent gives a table of this database."""
        if self.family == "postgresql":
            return f"{self.name}.public.{table}"
        return f"{self.name}.{table}"

    @contextmanager
    def admin(self) -> Iterator[Engine]:
        """A writable superuser engine on the test database, for setup and checks."""
        engine = create_engine(self.admin_url)
        try:
            yield engine
        finally:
            engine.dispose()

    def count(self, table: str) -> int:
        """Rows in a table right now (proves that scanning changed nothing)."""
        with self.admin() as engine, engine.connect() as conn:
            quoted = conn.dialect.identifier_preparer.quote_identifier(table)
            return conn.execute(text(f"SELECT count(*) FROM {quoted}")).scalar()

    def table_names(self) -> set[str]:
        """The tables that exist now, via the admin connection."""
        from sqlalchemy import inspect
        with self.admin() as engine:
            return set(inspect(engine).get_table_names())


@functools.cache
def dataset() -> dict[str, list[dict]]:
    """Deterministic fake rows for every table (built once per test session)."""
    from faker import Faker
    fake = Faker("en_GB")
    Faker.seed(20261122)
    rng = random.Random(7)
    customers = [{"id": i, "full_name": fake.name(), "email": fake.unique.email(), "phone": fake.phone_number(),
                  "street_address": fake.street_address(), "city": fake.city(), "postcode": fake.postcode(),
                  "date_of_birth": fake.date_of_birth(minimum_age=18, maximum_age=90),
                  "preferences": {"newsletter": rng.random() < 0.5, "channel": rng.choice(["sms", "email"])},
                  "avatar": NON_UTF8}
                 for i in range(1, ROWS["customers"] + 1)]
    employees = [{"id": i, "full_name": fake.name(), "ni_number": fake.ssn(), "iban": fake.iban(),
                  "salary": Decimal(rng.randint(20_000, 90_000)), "cv": f"CV of employee {i}: né en 1980".encode()}
                 for i in range(1, ROWS["employees"] + 1)]
    orders = [{"id": i, "order_number": f"ORD-{100000 + i}", "customer_id": rng.randint(1, ROWS["customers"]),
               "amount": Decimal(rng.randint(100, 99_999)) / 100,
               "placed_at": dt.datetime(2025, 1, 1) + dt.timedelta(minutes=37 * i)}
              for i in range(1, ROWS["orders"] + 1)]
    products = [{"id": i, "sku": f"SKU-{i:05d}", "name": f"Widget model {i}", "price": Decimal(i * 3) + Decimal("0.99")}
                for i in range(1, ROWS["products"] + 1)]
    audit_log = [{"id": i, "ip_address": fake.ipv4_public(), "action": rng.choice(["login", "logout", "export"]),
                  "occurred_at": dt.datetime(2025, 6, 1) + dt.timedelta(seconds=97 * i),
                  "details": {"ok": rng.random() < 0.9, "attempt": rng.randint(1, 3)}}
                 for i in range(1, ROWS["audit_log"] + 1)]
    notes = []
    for i in range(1, ROWS["notes"]):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}@example.org".lower()
        notes.append({"id": i, "body": f"Spoke to {first} {last} today; she asked us to write to {email} "
                                       f"about the refund for order ORD-{100000 + i}."})
    notes.append({"id": ROWS["notes"], "body": "lorem ipsum " * (LONG_NOTE_CHARS // 12)})
    return {"customers": customers, "employees": employees, "orders": orders, "products": products,
            "audit_log": audit_log, "notes": notes}


def _metadata(hostile: str) -> MetaData:
    """The test schema, portable across the three dialects."""
    md = MetaData()
    Table("customers", md, Column("id", Integer, primary_key=True, autoincrement=False),
          Column("full_name", String(100)), Column("email", String(200)), Column("phone", String(40)),
          Column("street_address", String(200)), Column("city", String(100)), Column("postcode", String(20)),
          Column("date_of_birth", Date), Column("preferences", JSON), Column("avatar", LargeBinary))
    Table("employees", md, Column("id", Integer, primary_key=True, autoincrement=False),
          Column("full_name", String(100)), Column("ni_number", String(20)), Column("iban", String(40)),
          Column("salary", Numeric(10, 2)), Column("cv", LargeBinary))
    Table("orders", md, Column("id", Integer, primary_key=True, autoincrement=False),
          Column("order_number", String(20)), Column("customer_id", Integer), Column("amount", Numeric(10, 2)),
          Column("placed_at", DateTime))
    Table("products", md, Column("id", Integer, primary_key=True, autoincrement=False),
          Column("sku", String(20)), Column("name", String(100)), Column("price", Numeric(10, 2)))
    Table("audit_log", md, Column("id", Integer, primary_key=True, autoincrement=False),
          Column("ip_address", String(45)), Column("action", String(20)), Column("occurred_at", DateTime),
          Column("details", JSON))
    Table("notes", md, Column("id", Integer, primary_key=True, autoincrement=False), Column("body", Text))
    Table(hostile, md, Column("id", Integer, primary_key=True, autoincrement=False), Column(HOSTILE_COLUMN, String(50)))
    Table("y", md, Column("id", Integer, primary_key=True, autoincrement=False))
    return md


def populate(engine: Engine, hostile: str) -> None:
    """Create the schema and insert the fake rows."""
    md = _metadata(hostile)
    md.create_all(engine)
    data = dataset()
    with engine.begin() as conn:
        for name, rows in data.items():
            conn.execute(md.tables[name].insert(), rows)
        conn.execute(md.tables[hostile].insert(), [{"id": i, HOSTILE_COLUMN: f"harmless {i}"} for i in range(1, 6)])
        conn.execute(md.tables["y"].insert(), [{"id": 1}])


def _wait_for(engine_url: str, start: list[str], what: str) -> None:
    """Connect, starting the server once if it does not answer."""
    engine = create_engine(engine_url)
    try:
        for attempt in range(40):
            try:
                with engine.connect():
                    return
            except OperationalError:
                if attempt == 0:
                    subprocess.run(start, check=False, capture_output=True)
                time.sleep(0.5)
        raise RuntimeError(f"{what} did not start")
    finally:
        engine.dispose()


@functools.cache
def ensure_postgres() -> None:
    """Make sure the local PostgreSQL cluster is running."""
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else ["15"]
    _wait_for(PG_ADMIN.format(db="postgres"),
              ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], "PostgreSQL")


@functools.cache
def ensure_mariadb() -> None:
    """Make sure the local MariaDB server is running."""
    _wait_for(MARIADB_ADMIN.format(db=""),
              ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"], "MariaDB")


def unique_name(prefix: str = "piisweep_t") -> str:
    """A database/role name no concurrent test run will also pick."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@contextmanager
def server_admin(url: str) -> Iterator[Engine]:
    """An autocommit engine on the server, for CREATE/DROP DATABASE and roles."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def postgres_database() -> Iterator[PopulatedDatabase]:
    """A populated PostgreSQL database with a view that sleeps 10 s; dropped on exit."""
    ensure_postgres()
    name = unique_name()
    with server_admin(PG_ADMIN.format(db="postgres")) as admin, admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = PopulatedDatabase(name, PG_ADMIN.format(db=name), f"postgresql://postgres@127.0.0.1:5432/{name}",
                      HOSTILE_PG, "postgresql", dataset())
    try:
        with db.admin() as engine:
            populate(engine, HOSTILE_PG)
            with engine.begin() as conn:
                # pg_sleep returns void, which a view column cannot be: sleep in FROM instead.
                conn.execute(text("CREATE VIEW slow_view AS SELECT 1 AS x FROM pg_sleep(10)"))
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        yield db
    finally:
        with server_admin(PG_ADMIN.format(db="postgres")) as admin, admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def mariadb_database() -> Iterator[PopulatedDatabase]:
    """A populated MariaDB database with a view that sleeps 10 s; dropped on exit."""
    ensure_mariadb()
    name = unique_name()
    with server_admin(MARIADB_ADMIN.format(db="")) as admin, admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    db = PopulatedDatabase(name, MARIADB_ADMIN.format(db=name), f"mariadb://root@127.0.0.1:3306/{name}",
                      HOSTILE_MYSQL, "mariadb", dataset())
    try:
        with db.admin() as engine:
            populate(engine, HOSTILE_MYSQL)
            with engine.begin() as conn:
                conn.execute(text("CREATE VIEW slow_view AS SELECT SLEEP(10) AS s"))
                for table in ROWS:
                    conn.execute(text(f"ANALYZE TABLE `{table}`")).all()
        yield db
    finally:
        with server_admin(MARIADB_ADMIN.format(db="")) as admin, admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))


@contextmanager
def sqlite_database(folder: str) -> Iterator[PopulatedDatabase]:
    """A populated SQLite file with a view that never finishes (an endless recursive CTE)."""
    path = os.path.join(folder, f"{unique_name()}.db")
    db = PopulatedDatabase("main", f"sqlite:///{path}", f"sqlite:///{path}", HOSTILE_PG, "sqlite", dataset())
    with db.admin() as engine:
        populate(engine, HOSTILE_PG)
        with engine.begin() as conn:
            conn.execute(text("CREATE VIEW slow_view AS WITH RECURSIVE c(x) AS "
                              "(SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) AS m FROM c"))
    yield db


@contextmanager
def postgres_reader(db: PopulatedDatabase) -> Iterator[str]:
    """A login role that may only read ``db``; yields its scanner target."""
    role = unique_name("piisweep_ro")
    with server_admin(PG_ADMIN.format(db="postgres")) as admin, admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        with server_admin(db.admin_url) as admin, admin.connect() as conn:
            conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
            conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
        yield f"postgresql://{role}@127.0.0.1:5432/{db.name}"
    finally:
        with server_admin(db.admin_url) as admin, admin.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
        with server_admin(PG_ADMIN.format(db="postgres")) as admin, admin.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


@contextmanager
def mariadb_reader(db: PopulatedDatabase) -> Iterator[str]:
    """An account with SELECT on ``db`` only; yields its scanner target."""
    user = unique_name("piisweep_ro")
    with server_admin(MARIADB_ADMIN.format(db="")) as admin, admin.connect() as conn:
        conn.execute(text(f"CREATE USER '{user}'@'127.0.0.1'"))
        conn.execute(text(f"GRANT SELECT ON `{db.name}`.* TO '{user}'@'127.0.0.1'"))
    try:
        yield f"mariadb://{user}@127.0.0.1:3306/{db.name}"
    finally:
        with server_admin(MARIADB_ADMIN.format(db="")) as admin, admin.connect() as conn:
            conn.execute(text(f"DROP USER IF EXISTS '{user}'@'127.0.0.1'"))


@pytest.fixture(scope="module")
def pg_db() -> Iterator[PopulatedDatabase]:
    """Module-scoped populated PostgreSQL database."""
    with postgres_database() as db:
        yield db


@pytest.fixture(scope="module")
def maria_db() -> Iterator[PopulatedDatabase]:
    """Module-scoped populated MariaDB database."""
    with mariadb_database() as db:
        yield db


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory) -> Iterator[PopulatedDatabase]:
    """Module-scoped populated SQLite file."""
    with sqlite_database(str(tmp_path_factory.mktemp("sqlite"))) as db:
        yield db
