"""Loading and aggregating a scan inventory with DuckDB.

Reports read the inventory only, never re-scan, and never pull a million
findings into Python objects: every number is aggregated in the engine and
only small, capped result sets cross into Python. The views created here
(``findings``, ``items``, ``vals`` plus the enriched temp tables ``f``, ``lt``
and ``loc``) are the vocabulary every report module queries.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from urllib.parse import urlsplit

import duckdb
import pyarrow as pa

from contract.categories import CREDENTIAL, IDENTITY, SENSITIVITY, category_of
from contract.scanfolder import FINDINGS, ITEMS, VALUES, read_folder
from reports import risk
from contract.schema import FINDINGS_SCHEMA, ITEMS_SCHEMA, VALUES_SCHEMA

# items first: in a scan that did not finish, findings and values are read only for committed items
_TABLES = (("items", ITEMS_SCHEMA, ITEMS), ("findings", FINDINGS_SCHEMA, FINDINGS), ("vals", VALUES_SCHEMA, VALUES))


class InventoryError(Exception):
    """A folder that is not a readable scan inventory."""


def is_scan_dir(path: str) -> bool:
    """True when ``path`` holds a scan: finished, or stopped part-way with what it committed."""
    return read_folder(path) is not None


def scan_dirs(inventory_dir: str) -> list[str]:
    """The scan folders in ``inventory_dir`` (itself, or its sorted sub-folders)."""
    if is_scan_dir(inventory_dir):
        return [inventory_dir]
    if not os.path.isdir(inventory_dir):
        raise InventoryError(f"not a folder: {inventory_dir}")
    found = [os.path.join(inventory_dir, name) for name in sorted(os.listdir(inventory_dir))
             if is_scan_dir(os.path.join(inventory_dir, name))]
    if not found:
        raise InventoryError(f"no scan inventory (findings.parquet + items.parquet, or parts) in {inventory_dir}")
    return found


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def attach(con: duckdb.DuckDBPyConnection, scan_dir: str, prefix: str = "") -> dict:
    """Create views ``{prefix}findings``, ``{prefix}items``, ``{prefix}vals``; return the manifest.

    A scan that did not finish is read from its committed parts (see
    :mod:`contract.scanfolder`), and :mod:`reports.completeness` says so. A missing
    values.parquet (older inventories) reads as an empty table of the contract's schema,
    so queries need no special case.
    """
    folder = read_folder(scan_dir)
    if folder is None:
        raise InventoryError(f"not a scan inventory (findings.parquet + items.parquet, or parts, missing): {scan_dir}")
    for name, schema, file_name in _TABLES:
        files = folder.files[file_name]
        if files:
            source = "read_parquet([" + ", ".join(_sql_str(path) for path in files) + "])"
            if folder.orphans_possible and name != "items":  # rows of items whose own row was never committed
                source += f" WHERE uri IN (SELECT uri FROM {prefix}items WHERE container = '')"
            con.execute(f"CREATE OR REPLACE VIEW {prefix}{name} AS SELECT * FROM {source}")
        else:
            con.register(f"{prefix}{name}_empty", schema.empty_table())
            con.execute(f"CREATE OR REPLACE VIEW {prefix}{name} AS SELECT * FROM {prefix}{name}_empty")
    manifest = read_manifest(scan_dir)
    manifest.setdefault("scan_id", os.path.basename(os.path.normpath(scan_dir)))
    return manifest


def read_manifest(scan_dir: str) -> dict:
    """The scan's manifest.json, or ``{}`` when it is missing or unreadable: the data is still
    shown, and :mod:`reports.completeness` says why it may be partial. A scan that has not
    closed (it runs, or it stopped without closing) has no manifest yet: what its plan
    records stands in for it (scan id, client, start, key id)."""
    try:
        with open(os.path.join(scan_dir, "manifest.json"), encoding="utf-8") as fh:
            loaded = json.load(fh)
    except (OSError, ValueError):
        loaded = {}
    if isinstance(loaded, dict) and loaded:
        return loaded
    folder = read_folder(scan_dir)
    plan = folder.plan if folder is not None and not folder.closed else None
    if not plan:
        return {}
    return {"scan_id": plan.get("scan_id"), "client": (plan.get("job") or {}).get("client"),
            "started": plan.get("started"), "key_id": plan.get("key_id")}


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Run ``sql`` and return its (small) result as a list of dicts."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def system_of(agent: str | None, host: str | None, target: str | None) -> str:
    """The system a target lives on, for the data map: host, host/share or host/database."""
    target = target or ""
    parts = urlsplit(target) if "://" in target else None
    scheme = parts.scheme if parts else (agent or "file")
    host = host or (parts.hostname if parts else None) or "localhost"
    segments = [s for s in (parts.path if parts else "").split("/") if s]
    if scheme == "smb":
        return f"smb://{host}/{segments[0]}" if segments else f"smb://{host}"
    if scheme == "sqlite":
        return "sqlite://" + (parts.path if parts else target)
    if scheme in ("postgresql", "postgres", "mysql", "mariadb"):
        return f"{scheme}://{host}/{segments[0]}" if segments else f"{scheme}://{host}"
    if scheme in ("file", "local"):
        return f"{host} (local files)"
    return f"{scheme}://{host}"


def folder_sql(kind: str, path: str) -> str:
    """The folder of an item as a DuckDB expression over its ``kind`` and ``path`` columns.

    A file's folder is its directory below the target root ('' at the root); a
    table's is ``database.schema``, the part of its path before the table name.
    The folder map and the grouped tables of the report are keyed by it.
    """
    return (f"coalesce(CASE WHEN {kind} = 'table' THEN regexp_extract({path}, '^(.*)\\.[^.]*$', 1) "
            f"ELSE regexp_extract(trim({path}, '/'), '^(.*)/[^/]*$', 1) END, '')")


def folder_key(row: dict) -> tuple[str, str, str, str]:
    """The (client, system, target, folder) a row of ``loc`` (or joined with it) lies in."""
    return (row["client"] or "", row["system"] or "", row["target"] or "", row["folder"] or "")


def parse_time(text: str | None) -> datetime | None:
    """A manifest timestamp as an aware datetime, or None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class Inventory:
    """One scan folder opened for aggregation.

    On opening it builds three temp tables in DuckDB: ``f`` (findings with their
    category, sensitivity and system resolved from contract/categories.py),
    ``lt`` (one row per location and entity type: records, findings, distinct
    values, containers) and ``loc`` (one row per location with records,
    categories, subjects, exposure, the risk score of :mod:`reports.risk`, and
    the target and folder it lies in).
    """

    def __init__(self, scan_dir: str, con: duckdb.DuckDBPyConnection | None = None):
        self.dir = scan_dir
        self.con = con or duckdb.connect()
        self.manifest = attach(self.con, scan_dir)
        self.scan_id = self.manifest["scan_id"]
        self.client = self.manifest.get("client") or ""
        self.reference_time = (parse_time(self.manifest.get("ended"))
                               or parse_time(self.manifest.get("started")) or datetime.now(timezone.utc))
        self._register_lookups()
        self._build()

    def _register_lookups(self) -> None:
        """Small Python-computed maps (entity type -> category, target -> system) as tables."""
        pairs = self.con.execute("SELECT DISTINCT entity_type, category FROM findings").fetchall()
        ets, cats, sens = [], [], []
        for entity_type, category in pairs:
            cat = category or category_of(entity_type)
            ets.append(entity_type), cats.append(cat), sens.append(SENSITIVITY.get(cat, SENSITIVITY[IDENTITY]))
        self.con.register("etmap_src", pa.table({"entity_type": pa.array(ets, pa.string()),
                                                 "category_in": pa.array([c for _, c in pairs], pa.string()),
                                                 "cat": pa.array(cats, pa.string()),
                                                 "sens": pa.array(sens, pa.int64())}))
        targets = self.con.execute(
            "SELECT DISTINCT agent, host, target FROM items UNION SELECT DISTINCT agent, host, target FROM findings"
        ).fetchall()
        self.con.register("sysmap_src", pa.table({
            "agent": pa.array([t[0] for t in targets], pa.string()),
            "host": pa.array([t[1] for t in targets], pa.string()),
            "target": pa.array([t[2] for t in targets], pa.string()),
            "system": pa.array([system_of(*t) for t in targets], pa.string())}))

    def _build(self) -> None:
        con = self.con
        con.execute("""
            CREATE OR REPLACE TEMP TABLE f AS
            SELECT fi.client, fi.uri, fi.path, fi.container, fi.agent, fi.entity_type, m.cat, m.sens,
                   fi.count, fi.value_hash, fi.preview, fi.score, s.system
            FROM findings fi
            JOIN etmap_src m ON m.entity_type = fi.entity_type
                             AND m.category_in IS NOT DISTINCT FROM fi.category
            LEFT JOIN sysmap_src s ON s.agent IS NOT DISTINCT FROM fi.agent
                                  AND s.host IS NOT DISTINCT FROM fi.host
                                  AND s.target IS NOT DISTINCT FROM fi.target
        """)
        # One pass over the findings per (location, entity type): every table and
        # roll-up of the report reads this, a few hundred thousand rows at most,
        # instead of aggregating the million findings again.
        con.execute("""
            CREATE OR REPLACE TEMP TABLE lt AS
            SELECT uri, entity_type, any_value(cat) AS cat, max(sens) AS sens, any_value(client) AS client,
                   any_value(system) AS system, any_value(path) AS path, any_value(agent) AS agent,
                   sum(count) AS records, count(*) AS findings, count(DISTINCT value_hash) AS distinct_values,
                   sum(CASE WHEN value_hash IS NULL THEN count ELSE 0 END) AS column_rows, max(score) AS max_score,
                   string_agg(DISTINCT nullif(container, ''), ', ') AS containers
            FROM f GROUP BY uri, entity_type
        """)
        # Data subjects of a location: the entity type with most distinct values
        # (or, for a classified column, its estimated rows) bounds the number of
        # people from below; credentials identify nobody and are left out.
        # Sampled column values (vals) count as distinct values too.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE loc AS
            WITH top_items AS (
                SELECT uri, CAST(max(epoch(mtime)) AS BIGINT) AS mtime, max(mode) AS mode, max(size) AS size,
                       any_value(kind) AS kind, any_value(path) AS item_path, any_value(target) AS target
                FROM items WHERE container = '' GROUP BY uri),
            with_vals AS (
                SELECT uri, entity_type, count(DISTINCT value_hash) AS dv FROM (
                    SELECT uri, entity_type, value_hash FROM vals
                    UNION ALL
                    SELECT f.uri, f.entity_type, f.value_hash FROM f
                    SEMI JOIN (SELECT DISTINCT uri, entity_type FROM vals) v USING (uri, entity_type))
                GROUP BY uri, entity_type),
            per_type AS (
                SELECT lt.uri, lt.entity_type, coalesce(w.dv, lt.distinct_values) AS dv, lt.column_rows
                FROM lt LEFT JOIN with_vals w USING (uri, entity_type)
                UNION ALL
                SELECT w.uri, w.entity_type, w.dv, 0 FROM with_vals w ANTI JOIN lt USING (uri, entity_type)),
            subjects AS (
                SELECT p.uri, max(greatest(p.dv, p.column_rows)) AS subjects, sum(p.dv) AS distinct_values
                FROM per_type p LEFT JOIN (SELECT entity_type, any_value(cat) AS cat FROM etmap_src GROUP BY entity_type) m
                     USING (entity_type)
                WHERE coalesce(m.cat, '') <> '{CREDENTIAL}'
                GROUP BY p.uri),
            agg AS (
                SELECT uri, any_value(client) AS client, any_value(system) AS system, any_value(path) AS path,
                       any_value(agent) AS agent, sum(records) AS records, sum(findings) AS findings,
                       max(sens) AS sensitivity,
                       arg_max(cat, sens) AS top_category,
                       string_agg(DISTINCT cat, ', ' ORDER BY cat) AS categories,
                       string_agg(DISTINCT entity_type, ', ' ORDER BY entity_type) AS entity_types
                FROM lt GROUP BY uri)
            SELECT a.*, coalesce(s.subjects, 0) AS subjects, coalesce(s.distinct_values, 0) AS distinct_values,
                   t.mtime, t.mode, t.size, t.kind, t.target,  -- mtime in epoch seconds (UTC)
                   {folder_sql('t.kind', 'coalesce(t.item_path, a.path)')} AS folder,
                   {risk.exposure_sql('a.agent', 't.mode')} AS exposure,
                   {risk.score_sql('a.sensitivity', 'a.records', risk.exposure_sql('a.agent', 't.mode'), 'a.entity_types')} AS score
            FROM agg a LEFT JOIN subjects s USING (uri) LEFT JOIN top_items t USING (uri)
        """)

    def summary(self) -> dict:
        """The headline numbers: items, bytes, coverage, records, distinct values, risk."""
        items = rows(self.con, """
            SELECT count(*) AS items,
                   count(*) FILTER (WHERE status = 'scanned') AS scanned,
                   count(*) FILTER (WHERE status = 'skipped') AS skipped,
                   count(*) FILTER (WHERE status = 'error') AS errors,
                   coalesce(sum(size) FILTER (WHERE status = 'scanned' AND container = ''), 0) AS bytes_scanned
            FROM items""")[0]
        found = rows(self.con, """
            SELECT coalesce(sum(records), 0) AS records, coalesce(sum(findings), 0) AS findings,
                   count(*) AS locations FROM loc""")[0]
        distinct = self.con.execute("""
            SELECT count(*) FROM (SELECT DISTINCT entity_type, value_hash FROM f WHERE value_hash IS NOT NULL
                                  UNION SELECT DISTINCT entity_type, value_hash FROM vals)""").fetchone()[0]
        levels = dict(self.con.execute(f"SELECT {risk.level_sql('score')} AS lvl, count(*) FROM loc GROUP BY lvl").fetchall())
        top = self.con.execute("SELECT max(score) FROM loc").fetchone()[0]
        total = items["items"] or 0
        return {
            **items,
            **found,
            "distinct_values": distinct,
            "pct_scanned": round(100.0 * items["scanned"] / total, 1) if total else 0.0,
            "risk_score": round(top or 0.0, 1),
            "risk_level": risk.level(top or 0.0) if top is not None else "none",
            "locations_by_level": {lvl: levels.get(lvl, 0) for lvl in risk.LEVELS},
        }

    def category_totals(self) -> list[dict]:
        """Records, findings and locations per category, most sensitive first."""
        return rows(self.con, """
            SELECT cat AS category, max(sens) AS sensitivity, sum(records) AS records, sum(findings) AS findings,
                   count(DISTINCT uri) AS locations
            FROM lt GROUP BY cat ORDER BY sensitivity DESC, records DESC""")

    def locations(self, order: str = "score DESC, records DESC, uri", limit: int | None = None,
                  where: str = "TRUE") -> list[dict]:
        """Per-location aggregates (see class doc), ordered and capped."""
        cap = f"LIMIT {int(limit)}" if limit is not None else ""
        return rows(self.con, f"SELECT * FROM loc WHERE {where} ORDER BY {order} {cap}")

    def count_locations(self, where: str = "TRUE") -> int:
        """How many locations match ``where`` (for "N more not shown" notes)."""
        return self.con.execute(f"SELECT count(*) FROM loc WHERE {where}").fetchone()[0]

    def location_categories(self, uris: list[str]) -> dict[str, list[tuple[str, int]]]:
        """Records per category for the given locations only (the displayed ones)."""
        if not uris:
            return {}
        self.con.register("wanted_uris", pa.table({"uri": pa.array(uris, pa.string())}))
        out: dict[str, list[tuple[str, int]]] = {}
        for uri, cat, n in self.con.execute("""
                SELECT uri, cat, sum(records) AS n FROM lt SEMI JOIN wanted_uris USING (uri)
                GROUP BY uri, cat ORDER BY uri, max(sens) DESC, n DESC""").fetchall():
            out.setdefault(uri, []).append((cat, n))
        return out

    def _wanted_categories(self, categories: tuple[str, ...]) -> str:
        self.con.register("wanted_cats", pa.table({"cat": pa.array(list(categories), pa.string())}))
        return "cat IN (SELECT cat FROM wanted_cats)"

    def folder_types(self, categories: tuple[str, ...]) -> dict[tuple[str, str, str, str], dict]:
        """Per (client, system, target, folder) holding the given categories: what it holds.

        Each value has ``total`` (files, records, top risk ``score`` over all
        those categories, a file counted once whatever it holds) and ``types``
        (the same per entity type, most sensitive and widespread first).
        """
        where = self._wanted_categories(categories)
        out: dict[tuple[str, str, str, str], dict] = {}
        for r in rows(self.con, f"""
                SELECT l.client, l.system, l.target, l.folder, t.entity_type, any_value(t.cat) AS cat,
                       max(t.sens) AS sens, count(DISTINCT t.uri) AS files, sum(t.records) AS records,
                       max(l.score) AS score
                FROM lt t JOIN loc l USING (uri) WHERE {where}
                GROUP BY GROUPING SETS ((l.client, l.system, l.target, l.folder, t.entity_type),
                                        (l.client, l.system, l.target, l.folder))"""):
            entry = out.setdefault(folder_key(r), {"types": []})
            if r["entity_type"] is None:
                entry["total"] = r
            else:
                entry["types"].append(r)
        for entry in out.values():
            entry["types"].sort(key=lambda t: (-t["sens"], -t["files"], t["entity_type"]))
        return out

    def folder_findings(self, categories: tuple[str, ...], folders: list[tuple[str, str, str, str]],
                        per_folder: int, examples: int = 3) -> list[dict]:
        """Per (location, entity type) rows of the given categories in the given folders, top ``per_folder`` each."""
        self._register_folders(folders)
        return self._per_location_entity(
            examples, where=self._wanted_categories(categories),
            joined=f"""SEMI JOIN wanted_folders w ON w.client = coalesce(l.client, '') AND w.system = coalesce(l.system, '')
                          AND w.target = coalesce(l.target, '') AND w.folder = l.folder
                     QUALIFY row_number() OVER (PARTITION BY l.client, l.system, l.target, l.folder
                                                ORDER BY t.sens DESC, t.records DESC, t.uri, t.entity_type) <= {int(per_folder)}""")

    def folder_locations(self, folders: list[tuple[str, str, str, str]], per_folder: int) -> list[dict]:
        """The ``per_folder`` riskiest locations of each given (client, system, target, folder)."""
        self._register_folders(folders)
        return rows(self.con, f"""
            SELECT l.* FROM loc l
            SEMI JOIN wanted_folders w ON w.client = coalesce(l.client, '') AND w.system = coalesce(l.system, '')
                 AND w.target = coalesce(l.target, '') AND w.folder = l.folder
            QUALIFY row_number() OVER (PARTITION BY l.client, l.system, l.target, l.folder
                                       ORDER BY l.score DESC, l.records DESC, l.uri) <= {int(per_folder)}
            ORDER BY l.score DESC, l.records DESC, l.uri""")

    def _register_folders(self, folders: list[tuple[str, str, str, str]]) -> None:
        columns = list(zip(*folders)) if folders else [(), (), (), ()]
        self.con.register("wanted_folders", pa.table(
            {name: pa.array(list(col), pa.string()) for name, col in zip(("client", "system", "target", "folder"), columns)}))

    def entity_types(self) -> list[dict]:
        """Entity types present, most sensitive and most frequent first."""
        return rows(self.con, """
            SELECT entity_type, any_value(cat) AS category, max(sens) AS sensitivity, sum(records) AS records,
                   sum(findings) AS findings, count(*) AS locations
            FROM lt GROUP BY entity_type ORDER BY sensitivity DESC, records DESC, entity_type""")

    def entity_locations(self, per_entity: int, examples: int = 3) -> list[dict]:
        """For every entity type, its top ``per_entity`` locations with previews."""
        return self._per_location_entity(examples, qualify=f"""
            QUALIFY row_number() OVER (PARTITION BY entity_type ORDER BY records DESC, uri) <= {int(per_entity)}""")

    def _per_location_entity(self, examples: int, where: str = "TRUE", qualify: str = "", joined: str = "") -> list[dict]:
        """(location, entity type) rows of ``lt`` chosen by ``where`` and ``qualify``, then by ``joined``.

        ``joined`` may join or filter the chosen rows ``t`` with their location ``loc l``.
        Each row also carries its location's client, target, folder and risk
        score (``risk``), so that the report can place it on the folder map,
        and up to ``examples`` masked previews.
        """
        con = self.con
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE sel AS
            SELECT t.*, l.target, l.folder, l.score AS risk
            FROM (SELECT * FROM lt WHERE {where} {qualify}) t JOIN loc l USING (uri) {joined}""")
        previews = {}
        for uri, et, pv in con.execute(f"""
                SELECT uri, entity_type, preview FROM (
                    SELECT DISTINCT f.uri, f.entity_type, f.preview FROM f SEMI JOIN sel USING (uri, entity_type)
                    WHERE f.preview IS NOT NULL AND f.preview <> '')
                QUALIFY row_number() OVER (PARTITION BY uri, entity_type ORDER BY preview) <= {int(examples)}
                ORDER BY uri, entity_type, preview""").fetchall():
            previews.setdefault((uri, et), []).append(pv)
        out = rows(con, "SELECT * FROM sel ORDER BY sens DESC, entity_type, records DESC, uri")
        for row in out:
            row["previews"] = previews.get((row["uri"], row["entity_type"]), [])
        return out

    def retention(self, years: float, limit: int) -> tuple[int, int, list[dict]]:
        """Locations with personal data whose item was last modified more than ``years`` ago.

        Returns (locations, records, the oldest ``limit`` of them). Age is measured
        from the scan's end, so the same inventory always gives the same answer.
        """
        cutoff = self.reference_time.timestamp() - years * 365.25 * 86400
        where = f"mtime IS NOT NULL AND mtime < {cutoff:.0f}"
        n, records = self.con.execute(f"SELECT count(*), coalesce(sum(records), 0) FROM loc WHERE {where}").fetchone()
        return n, records, self.locations(order="mtime, uri", limit=limit, where=where)

    def problems(self, limit: int) -> tuple[list[dict], list[dict], int]:
        """Skipped and failed items: (reasons with counts, first ``limit`` items, total)."""
        reasons = rows(self.con, """
            SELECT status, coalesce(nullif(reason, ''), '(no reason given)') AS reason, count(*) AS items
            FROM items WHERE status <> 'scanned' GROUP BY ALL ORDER BY items DESC, status, reason""")
        total = sum(r["items"] for r in reasons)
        listed = rows(self.con, f"""
            SELECT status, uri, path, container, agent, coalesce(nullif(reason, ''), '(no reason given)') AS reason
            FROM items WHERE status <> 'scanned' ORDER BY status, uri, container LIMIT {int(limit)}""")
        return reasons, listed, total
