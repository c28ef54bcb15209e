"""The inventory writer: the only code that writes a scan's outputs.

A scan writes ``OUT/<scan_id>/findings.parquet``, ``items.parquet``,
``values.parquet`` and ``manifest.json`` (see README "Inventory"). Rows are
buffered and written in large row groups; files are written under a
``.partial`` name and renamed when the scan closes, so a reader never sees a
half-written inventory as complete.
"""

from __future__ import annotations

import json
import os
import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

from contract.models import FindingColumns, ItemRecord
from contract.schema import PROVENANCE, FINDINGS_SCHEMA, FORMAT_VERSION, ITEMS_SCHEMA, VALUES_SCHEMA

BATCH_ROWS = 50_000

# Arrow's buffers in the scan's process come from the C library's allocator, not Arrow's
# default mimalloc, whose arena is advised for transparent huge pages: right after other
# processes freed memory (the workers of the scan before), faulting those pages in cost an
# unchanged rescan of the bench corpus 0.4-0.65 s of system time instead of about 0.2 s
# (0.75-0.8 s in all instead of 0.55-0.6 s).
pa.set_memory_pool(pa.system_memory_pool())

# String columns with few distinct values per file (where, what, which detector). The
# findings and values tables hold them dictionary-encoded in memory, as Parquet stores
# them on disk anyway, and are written without Arrow's own schema, so every reader still
# sees plain strings (the contract's types). A rescan then copies carried rows from
# dictionary page to dictionary page instead of expanding every repeated string and
# encoding it again: half the CPU of the copy (see scanner.incremental).
DICTIONARY_COLUMNS = frozenset(name for name, _ in PROVENANCE) | {"entity_type", "category", "detector"}

# Min/max statistics prune nothing for hashes, previews and long paths (a reader filters
# them by equality, or not at all) and cost a quarter of writing a findings table.
_NO_STATISTICS = frozenset({"uri", "path", "container", "value_hash", "preview"})


def in_memory_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` with its DICTIONARY_COLUMNS dictionary-encoded: how the writer holds rows."""
    return pa.schema([pa.field(f.name, pa.dictionary(pa.int32(), f.type)) if f.name in DICTIONARY_COLUMNS else f
                      for f in schema])


def _repeated(value: str, rows: int) -> pa.DictionaryArray:
    """A dictionary column holding ``value`` on every row: one string and zero indices."""
    return pa.DictionaryArray.from_arrays(pa.repeat(pa.scalar(0, pa.int32()), rows), pa.array([value], pa.string()))


def make_scan_id(client: str, now: datetime | None = None) -> str:
    """A sortable, filesystem-safe scan id such as ``20261122T143210Z-acme``."""
    now = now or datetime.now(timezone.utc)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", client).strip("-") or "scan"
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + slug


class _TableWriter:
    """Buffers rows of one Parquet file and writes them in large row groups.

    ``dictionary``: hold DICTIONARY_COLUMNS dictionary-encoded and write the file without
    Arrow's schema (Parquet's own types then read back as the contract's plain strings).
    The items table keeps Arrow's schema: its second-resolution timestamps need it.

    ``background``: a one-thread executor that writes the row groups, so that the scan's
    process goes on reading results while a group is converted and compressed. Writing a
    50,000-row group takes it 60 ms; done in place, the workers, whose results it was not
    reading, stood idle for that long, each time (about a tenth of a 2-second log scan).
    One group at most is written while the next fills, so memory stays bounded.
    """

    def __init__(self, path: str, schema: pa.Schema, dictionary: bool = False,
                 background: ThreadPoolExecutor | None = None):
        self.path = path
        self.background = background
        self.writing: Future | None = None  # the row group being written in the background
        self.schema = in_memory_schema(schema) if dictionary else schema
        self.partial = path + ".partial"
        self.columns: dict[str, list] = {name: [] for name in schema.names}
        self.rows = 0
        self.pending = 0
        options = {}
        if dictionary:
            # strings repeat across rows; numbers are mostly distinct, and a dictionary that
            # Parquet tries and then abandons costs time and makes the file larger
            options = {"store_schema": False,
                       "use_dictionary": [f.name for f in schema if f.type == pa.string()],
                       "write_statistics": [name for name in schema.names if name not in _NO_STATISTICS]}
        self.writer = pq.ParquetWriter(self.partial, self.schema, compression="zstd", **options)

    def add(self, row: dict) -> None:
        for name, column in self.columns.items():
            column.append(row.get(name))
        self.pending += 1
        if self.pending >= BATCH_ROWS:
            self.flush()

    def extend(self, count: int, columns: dict[str, list], constants: dict[str, object]) -> None:
        """Append ``count`` rows given column-wise (``columns``) plus columns of one value each:
        the main process writes every finding of a scan, so no per-row dict is built."""
        for name, column in self.columns.items():
            if name in columns:
                column.extend(columns[name])
            else:
                column.extend([constants.get(name)] * count)
        self.pending += count
        if self.pending >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows as a row group (in the background when there is an executor)."""
        if not self.pending:
            return
        columns = self.columns
        self.rows += self.pending
        self.pending = 0
        self.columns = {name: [] for name in self.schema.names}
        if self.background is None:
            self._write(columns)
            return
        self.wait()
        self.writing = self.background.submit(self._write, columns)

    def _write(self, columns: dict[str, list]) -> None:
        self.writer.write_table(pa.table(columns, schema=self.schema))

    def wait(self) -> None:
        """Wait until the row group being written is written; raise what writing it raised."""
        writing, self.writing = self.writing, None
        if writing is not None:
            writing.result()

    def write_table(self, table: pa.Table) -> None:
        """Write a ready table after the rows buffered before it."""
        self.flush()
        self.wait()
        self.writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        self.flush()
        self.wait()
        self.writer.close()
        os.replace(self.partial, self.path)


class InventoryWriter:
    """Writes one scan's inventory folder; use as a context manager.

    Call :meth:`add_items` / :meth:`add_findings` / :meth:`add_values` as
    results arrive, then :meth:`close` with the manifest fields to finish.
    """

    def __init__(self, out_dir: str, scan_id: str, client: str):
        os.makedirs(out_dir, exist_ok=True)
        # two scans of one client in the same second: the later one gets a suffix, never the same folder
        for attempt in range(1, 1000):
            candidate = scan_id if attempt == 1 else f"{scan_id}-{attempt}"
            try:
                os.mkdir(os.path.join(out_dir, candidate))
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(f"no free scan folder name for {scan_id} in {out_dir}")
        self.scan_id, self.client = candidate, client
        self.dir = os.path.join(out_dir, candidate)
        self.started = time.time()
        self.background = ThreadPoolExecutor(1, thread_name_prefix="parquet")
        self.findings = _TableWriter(os.path.join(self.dir, "findings.parquet"), FINDINGS_SCHEMA, dictionary=True,
                                     background=self.background)
        self.items = _TableWriter(os.path.join(self.dir, "items.parquet"), ITEMS_SCHEMA)
        self.values = _TableWriter(os.path.join(self.dir, "values.parquet"), VALUES_SCHEMA, dictionary=True,
                                   background=self.background)
        self.item_status: dict[str, int] = {}
        self.entity_counts: dict[str, int] = {}
        self.bytes_scanned = 0

    def _base(self, target: str, agent: str, host: str, uri: str, path: str, container: str) -> dict:
        return {"scan_id": self.scan_id, "client": self.client, "target": target, "agent": agent,
                "host": host, "uri": uri, "path": path, "container": container}

    def add_items(self, target: str, agent: str, host: str, records: list[ItemRecord]) -> None:
        """Record item rows (exactly one per item or archive member visited)."""
        for rec in records:
            row = self._base(target, agent, host, rec.uri, rec.path, rec.container)
            row.update(vars(rec))  # flat dataclass: vars() is enough, asdict() deep-copies
            row["mtime"] = int(rec.mtime) if rec.mtime is not None else None
            self.items.add(row)
            self.item_status[rec.status] = self.item_status.get(rec.status, 0) + 1
            if rec.status == "scanned" and rec.size and not rec.container:
                self.bytes_scanned += rec.size

    def add_findings(self, target: str, agent: str, host: str, findings) -> None:
        """Record findings given as FindingColumns (from a worker) or (uri, path, Finding) tuples."""
        if not isinstance(findings, FindingColumns):
            findings = FindingColumns.of(findings)
        if not findings.rows:
            return
        self.findings.extend(findings.rows, findings.columns, self._base(target, agent, host, None, None, None))
        counts = self.entity_counts
        for entity, occurrences in findings.occurrences.items():
            counts[entity] = counts.get(entity, 0) + occurrences

    def add_values(self, target: str, agent: str, host: str, values) -> None:
        """Record (uri, path, container, entity_type, value_hash) of sampled column values."""
        if not values:
            return
        columns = dict(zip(("uri", "path", "container", "entity_type", "value_hash"), map(list, zip(*values))))
        self.values.extend(len(values), columns, self._base(target, agent, host, None, None, None))

    def carried_schema(self, file_name: str) -> pa.Schema:
        """How :meth:`add_carried` wants an earlier scan's findings or values rows."""
        return self._carry_target(file_name).schema

    def _carry_target(self, file_name: str) -> _TableWriter:
        return {"findings.parquet": self.findings, "values.parquet": self.values}[file_name]

    def add_carried(self, file_name: str, batch: pa.RecordBatch) -> None:
        """Copy rows of an earlier scan's findings/values table into this scan. Rows that come
        in :meth:`carried_schema` (dictionary-encoded where the writer holds them so) are
        written as they are, with this scan's id and client."""
        writer = self._carry_target(file_name)
        table = pa.Table.from_batches([batch]).select(writer.schema.names)
        table = table.set_column(0, "scan_id", _repeated(self.scan_id, table.num_rows))
        table = table.set_column(1, "client", _repeated(self.client, table.num_rows))
        writer.write_table(table)

    def add_carried_counts(self, entities: dict[str, int]) -> None:
        """Add the occurrences per entity type of carried findings rows."""
        for entity, count in entities.items():
            self.entity_counts[entity] = self.entity_counts.get(entity, 0) + count

    def close(self, manifest: dict) -> dict:
        """Finish the Parquet files and write manifest.json; return the whole manifest."""
        try:
            for writer in (self.findings, self.items, self.values):
                writer.close()
        finally:
            self.background.shutdown()
        manifest = {
            "format_version": FORMAT_VERSION,
            "scan_id": self.scan_id,
            "client": self.client,
            "started": datetime.fromtimestamp(self.started, timezone.utc).isoformat(),
            "ended": datetime.now(timezone.utc).isoformat(),
            "counts": {
                "items": self.items.rows,
                "items_by_status": self.item_status,
                "findings": self.findings.rows,
                "entities": self.entity_counts,
                "bytes_scanned": self.bytes_scanned,
            },
            **manifest,
        }
        tmp = os.path.join(self.dir, "manifest.json.partial")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=2, sort_keys=True, default=str)
        os.replace(tmp, os.path.join(self.dir, "manifest.json"))
        return manifest
