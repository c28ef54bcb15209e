"""The inventory's tables: the product's public data format (see README "Inventory").

Every writer (the scanner's inventory) and every reader (reports, DSAR, diff) uses these
schemas, so they live below both. ``FORMAT_VERSION`` is recorded in each manifest.
"""

from __future__ import annotations

import pyarrow as pa

FORMAT_VERSION = 1

PROVENANCE = [
    ("scan_id", pa.string()),
    ("client", pa.string()),
    ("target", pa.string()),
    ("agent", pa.string()),
    ("host", pa.string()),
    ("uri", pa.string()),
    ("path", pa.string()),
    ("container", pa.string()),
]

FINDINGS_SCHEMA = pa.schema(PROVENANCE + [
    ("entity_type", pa.string()),
    ("category", pa.string()),
    ("start", pa.int64()),
    ("end", pa.int64()),
    ("line", pa.int64()),
    ("score", pa.float32()),
    ("detector", pa.string()),
    ("value_hash", pa.string()),
    ("preview", pa.string()),
    ("count", pa.int64()),
])

ITEMS_SCHEMA = pa.schema(PROVENANCE + [
    ("kind", pa.string()),
    ("status", pa.string()),
    ("reason", pa.string()),
    ("size", pa.int64()),
    ("mtime", pa.timestamp("s", tz="UTC")),
    ("owner", pa.string()),
    ("mode", pa.int32()),
    ("format", pa.string()),
    ("findings", pa.int64()),
    ("seconds", pa.float32()),
    ("carried_over", pa.bool_()),
    ("row_estimate", pa.int64()),
    ("rows_sampled", pa.int64()),
])

# Hashes of every value seen in a classified column sample: findings hold one
# row per column, this lets a data-subject lookup still find the row's value.
VALUES_SCHEMA = pa.schema(PROVENANCE + [
    ("entity_type", pa.string()),
    ("value_hash", pa.string()),
])
