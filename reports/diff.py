"""What changed between two scans of one estate.

Personal data is compared by key ``(uri, entity_type, value_hash)``: the keyed
hash is stable across scans of one estate, so the same value in the same place
is "unchanged" without ever knowing the value. Findings of a classified column
carry no hash of their own; the hashes of their sampled values
(values.parquet) stand for them, and a column finding without any sampled
value is keyed by its container instead, so a newly classified column still
shows as new. Items are compared by uri (top-level items only; archive
members belong to their item) on size and modification time.
"""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb

from reports.query import attach, rows

# The set of personal-data keys of one scan.
_KEYS_SQL = """
    CREATE OR REPLACE TEMP TABLE {p}keys AS
    SELECT DISTINCT uri, entity_type, coalesce(value_hash, 'column:' || container) AS k FROM {p}findings
    UNION
    SELECT DISTINCT uri, entity_type, value_hash AS k FROM {p}vals WHERE value_hash IS NOT NULL
"""

_ITEMS_SQL = """
    CREATE OR REPLACE TEMP TABLE {p}top AS
    SELECT uri, max(size) AS size, CAST(max(epoch(mtime)) AS BIGINT) AS mtime
    FROM {p}items WHERE container = '' GROUP BY uri
"""


def _iso(epoch: int | None) -> str | None:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat() if epoch is not None else None


def _prepare(a_dir: str, b_dir: str, con: duckdb.DuckDBPyConnection | None) -> tuple:
    """Attach both scans and build their key and item tables plus the joined ``d_loc``."""
    con = con or duckdb.connect()
    ma = attach(con, a_dir, "a_")
    mb = attach(con, b_dir, "b_")
    for p in ("a_", "b_"):
        con.execute(_KEYS_SQL.format(p=p))
        con.execute(_ITEMS_SQL.format(p=p))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE d_loc AS
        SELECT coalesce(a.uri, b.uri) AS uri, coalesce(a.entity_type, b.entity_type) AS entity_type,
               count(*) FILTER (WHERE a.k IS NULL) AS added,
               count(*) FILTER (WHERE b.k IS NULL) AS removed,
               count(*) FILTER (WHERE a.k IS NOT NULL AND b.k IS NOT NULL) AS unchanged
        FROM a_keys a FULL OUTER JOIN b_keys b
             ON a.uri = b.uri AND a.entity_type = b.entity_type AND a.k = b.k
        GROUP BY ALL""")
    return con, ma, mb


def diff_summary(a_dir: str, b_dir: str, limit: int) -> dict:
    """The report's view of a diff, aggregated in DuckDB: totals and the ``limit`` most changed uris.

    Returns ``{"a", "b", "added", "removed", "unchanged", "items_added",
    "items_removed", "items_changed", "locations_changed", "per_location"}``;
    ``per_location`` rows are ``{uri, added, removed, unchanged, entity_types}``.
    """
    con, ma, mb = _prepare(a_dir, b_dir, None)
    totals = rows(con, "SELECT coalesce(sum(added), 0) AS added, coalesce(sum(removed), 0) AS removed, "
                       "coalesce(sum(unchanged), 0) AS unchanged FROM d_loc")[0]
    items = rows(con, """
        SELECT (SELECT count(*) FROM b_top ANTI JOIN a_top USING (uri)) AS items_added,
               (SELECT count(*) FROM a_top ANTI JOIN b_top USING (uri)) AS items_removed,
               (SELECT count(*) FROM a_top a JOIN b_top b USING (uri)
                WHERE a.size IS DISTINCT FROM b.size OR a.mtime IS DISTINCT FROM b.mtime) AS items_changed""")[0]
    per = rows(con, f"""
        SELECT uri, sum(added) AS added, sum(removed) AS removed, sum(unchanged) AS unchanged,
               string_agg(entity_type, ', ' ORDER BY entity_type) FILTER (WHERE added > 0 OR removed > 0)
                   AS entity_types
        FROM d_loc GROUP BY uri ORDER BY sum(added) + sum(removed) DESC, uri LIMIT {int(limit)}""")
    changed = con.execute("SELECT count(DISTINCT uri) FROM d_loc").fetchone()[0]
    return {"a": {"scan_id": ma["scan_id"], "dir": a_dir}, "b": {"scan_id": mb["scan_id"], "dir": b_dir},
            **totals, **items, "locations_changed": changed, "per_location": per}


def diff_scans(a_dir: str, b_dir: str, con: duckdb.DuckDBPyConnection | None = None) -> dict:
    """Compare scan A (older) with scan B (newer).

    Returns ``{"a", "b", "items": {"added", "removed", "changed", "unchanged"},
    "findings": {"added", "removed", "unchanged", "by_location"}}`` where item
    lists hold ``{uri, size, mtime}`` (changed: ``size_a/size_b/mtime_a/mtime_b``),
    finding counts are numbers of distinct keys, and ``by_location`` has one
    row per (uri, entity_type) with its added / removed / unchanged key counts.
    """
    con, ma, mb = _prepare(a_dir, b_dir, con)
    by_location = rows(con, "SELECT * FROM d_loc ORDER BY uri, entity_type")
    added_items = rows(con, "SELECT uri, size, mtime FROM b_top ANTI JOIN a_top USING (uri) ORDER BY uri")
    removed_items = rows(con, "SELECT uri, size, mtime FROM a_top ANTI JOIN b_top USING (uri) ORDER BY uri")
    changed = rows(con, """
        SELECT uri, a.size AS size_a, b.size AS size_b, a.mtime AS mtime_a, b.mtime AS mtime_b
        FROM a_top a JOIN b_top b USING (uri)
        WHERE a.size IS DISTINCT FROM b.size OR a.mtime IS DISTINCT FROM b.mtime ORDER BY uri""")
    unchanged_items = con.execute("""
        SELECT count(*) FROM a_top a JOIN b_top b USING (uri)
        WHERE a.size IS NOT DISTINCT FROM b.size AND a.mtime IS NOT DISTINCT FROM b.mtime""").fetchone()[0]
    for row in added_items + removed_items:
        row["mtime"] = _iso(row["mtime"])
    for row in changed:
        row["mtime_a"], row["mtime_b"] = _iso(row["mtime_a"]), _iso(row["mtime_b"])
    return {
        "a": {"scan_id": ma["scan_id"], "dir": a_dir},
        "b": {"scan_id": mb["scan_id"], "dir": b_dir},
        "items": {"added": added_items, "removed": removed_items, "changed": changed,
                  "unchanged": unchanged_items},
        "findings": {
            "added": sum(r["added"] for r in by_location),
            "removed": sum(r["removed"] for r in by_location),
            "unchanged": sum(r["unchanged"] for r in by_location),
            "by_location": by_location,
        },
    }
