"""Data-subject access / erasure lookups against stored inventories.

The query values are normalised exactly as the scanner normalises what it
finds, hashed with the estate key, and matched against ``findings.value_hash``
and ``values.value_hash`` (the hashes of every value sampled from classified
columns) of every scan folder: no re-scan, and the raw query values are never
written anywhere — results name them only by a masked preview.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from detectors.masking import mask
from detectors.normalise import normalise
from reports.query import attach, read_manifest, rows, scan_dirs
from contract.keys import key_id, value_hash

# The entity types a query kind may have been detected as.
QUERY_TYPES: dict[str, tuple[str, ...]] = {
    "email": ("EMAIL_ADDRESS",),
    "phone": ("PHONE_NUMBER",),
    "iban": ("IBAN_CODE",),
    "national_id": ("UK_NINO", "US_SSN", "CA_SIN", "FR_NIR", "NL_BSN", "BE_NATIONAL_NUMBER", "KR_RRN", "UK_NHS"),
    "name": ("PERSON",),
    "card": ("CREDIT_CARD",),
}


def entity_types_for(kind: str) -> tuple[str, ...]:
    """The entity types tried for a query kind; an entity type name stands for itself."""
    return QUERY_TYPES.get(kind, (kind,))


def other_key_scans(inventory_dir: str, key: bytes) -> list[str]:
    """The scan folders under ``inventory_dir`` whose manifest records another key than ``key``.

    Their values were hashed with that other key, so no query hashed with this one can
    match them: a lookup there would report "not found" for data that is there.
    """
    mine = key_id(key)
    return [d for d in scan_dirs(inventory_dir) if read_manifest(d).get("key_id") not in (None, mine)]


def _query_table(queries: dict[str, list[str]], key: bytes) -> pa.Table:
    kinds, labels, types, hashes = [], [], [], []
    for kind, values in queries.items():
        for value in values:
            for entity_type in entity_types_for(kind):
                kinds.append(kind)
                labels.append(mask(entity_type, value))
                types.append(entity_type)
                hashes.append(value_hash(key, normalise(entity_type, value)))
    return pa.table({"query": pa.array(kinds, pa.string()), "query_preview": pa.array(labels, pa.string()),
                     "entity_type": pa.array(types, pa.string()), "value_hash": pa.array(hashes, pa.string())})


def lookup(inventory_dir: str, queries: dict[str, list[str]], key: bytes, skip: set[str] = frozenset()) -> list[dict]:
    """Every location, in every scan under ``inventory_dir``, holding one of the queried values.

    ``queries`` maps a kind (``email``, ``phone``, ``iban``, ``national_id``,
    ``name``, ``card``, or an entity type name) to raw values. Returns one row per
    (scan, location, container, entity type, query) with ``occurrences`` and
    ``source`` ("text" for findings, "column sample" for sampled column values),
    ordered by scan then uri; the query appears only as its masked preview. Scan folders
    in ``skip`` (see :func:`other_key_scans`) are not searched.
    """
    table = _query_table(queries, key)
    if table.num_rows == 0:
        return []
    con = duckdb.connect()
    con.register("q", table)
    out: list[dict] = []
    for n, scan_dir in enumerate(d for d in scan_dirs(inventory_dir) if d not in skip):
        manifest = attach(con, scan_dir, f"s{n}_")
        found = rows(con, f"""
            SELECT client, host, uri, path, container, entity_type, query, query_preview, source,
                   sum(occurrences) AS occurrences
            FROM (
                SELECT f.client, f.host, f.uri, f.path, f.container, f.entity_type, q.query, q.query_preview,
                       'text' AS source, f.count AS occurrences
                FROM s{n}_findings f JOIN q ON f.entity_type = q.entity_type AND f.value_hash = q.value_hash
                UNION ALL
                SELECT v.client, v.host, v.uri, v.path, v.container, v.entity_type, q.query, q.query_preview,
                       'column sample' AS source, 1 AS occurrences
                FROM s{n}_vals v JOIN q ON v.entity_type = q.entity_type AND v.value_hash = q.value_hash)
            GROUP BY ALL ORDER BY uri, container, entity_type, query""")
        for row in found:
            row["scan_id"] = manifest["scan_id"]
            row["scan_dir"] = scan_dir
        out.extend(found)
    return out
