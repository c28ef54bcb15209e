"""The inventory writer: the only code that writes a scan's outputs.

A scan writes ``OUT/<scan_id>/`` (see README "Inventory" and :mod:`contract.scanfolder`).
Rows are committed while the scan runs: every COMMIT_ITEMS items or every
``checkpoint_seconds``, whichever comes first (and whenever COMMIT_ROWS findings or
values are waiting, which bounds memory), the rows since the last commit become a part:
three Parquet files written in a temporary folder, synced, and renamed into ``parts/``
in one step. A kill or a power loss then loses only what came after the last part.

The same rows stream into the contract files (``findings.parquet``, ``items.parquet``,
``values.parquet``), written under ``.partial`` names in large row groups by a
background thread. Closing the scan renames them, writes ``manifest.json`` (the moment
the folder becomes closed) and removes the parts. The rows of items carried over from
an earlier scan (``--since``) go to the contract files only: if the scan is killed, a
resume finds those items unchanged and carries them again.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from contract.models import FindingColumns, ItemRecord
from contract.scanfolder import (BASE_SUFFIX, FINDINGS, ITEMS, MANIFEST, PARTS, PLAN, TABLES, VALUES,
                                 next_part_number)
from contract.schema import PROVENANCE, FINDINGS_SCHEMA, FORMAT_VERSION, ITEMS_SCHEMA, VALUES_SCHEMA
from scanner.incremental import entity_occurrences
from scanner.plan import CHECKPOINT_SECONDS, ScanPlan, to_data

BATCH_ROWS = 50_000  # rows per row group of the contract files
COMMIT_ITEMS = 1_000  # items per committed part, at most
COMMIT_ROWS = 50_000  # findings or values rows waiting for a commit, at most

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


def _dictionary_options(schema: pa.Schema) -> dict:
    # strings repeat across rows; numbers are mostly distinct, and a dictionary that Parquet
    # tries and then abandons costs time and makes the file larger
    return {"store_schema": False, "use_dictionary": [f.name for f in schema if f.type == pa.string()],
            "write_statistics": [name for name in schema.names if name not in _NO_STATISTICS]}


# How each table is held in memory and written (parts and contract files alike). The items
# table keeps Arrow's schema: its second-resolution timestamps need it.
_SCHEMAS = {FINDINGS: in_memory_schema(FINDINGS_SCHEMA), ITEMS: ITEMS_SCHEMA, VALUES: in_memory_schema(VALUES_SCHEMA)}
_OPTIONS = {FINDINGS: _dictionary_options(FINDINGS_SCHEMA), ITEMS: {}, VALUES: _dictionary_options(VALUES_SCHEMA)}


def stored_schema(file_name: str) -> pa.Schema:
    """How the writer holds the rows of one table: what :meth:`InventoryWriter.seed` and
    :meth:`InventoryWriter.add_carried` take."""
    return _SCHEMAS[file_name]


def _repeated(value: str, rows: int) -> pa.DictionaryArray:
    """A dictionary column holding ``value`` on every row: one string and zero indices."""
    return _Runs([[value, rows]]).array(pa.dictionary(pa.int32(), pa.string()))


def make_scan_id(client: str, now: datetime | None = None) -> str:
    """A sortable, filesystem-safe scan id such as ``20261122T143210Z-acme``."""
    now = now or datetime.now(timezone.utc)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", client).strip("-") or "scan"
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + slug


class OutputError(Exception):
    """The scan folder could not be written (disk full, read-only, removed): the scan stops.

    Not an OSError, so that no handler of a target's or an item's OSError takes it for one.
    """

    def __init__(self, scan_dir: str, exc: OSError):
        self.scan_dir = scan_dir
        self.errno = exc.errno
        super().__init__(os.strerror(exc.errno) if exc.errno else str(exc))

    @property
    def disk_full(self) -> bool:
        """Whether the output ran out of space (or quota): freeing some lets the scan resume."""
        return self.errno in (errno.ENOSPC, errno.EDQUOT)


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: str, data: dict) -> None:
    """Write ``data`` durably and atomically: a temporary file, synced, renamed over ``path``."""
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True, default=str)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync(os.path.dirname(path))


def create_scan_folder(out_dir: str, scan_id: str) -> str:
    """Make a new scan folder under ``out_dir`` named ``scan_id`` (with a suffix if that is taken)."""
    os.makedirs(out_dir, exist_ok=True)
    # two scans of one client in the same second: the later one gets a suffix, never the same folder
    for attempt in range(1, 1000):
        candidate = scan_id if attempt == 1 else f"{scan_id}-{attempt}"
        try:
            os.mkdir(os.path.join(out_dir, candidate))
            return os.path.join(out_dir, candidate)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free scan folder name for {scan_id} in {out_dir}")


def write_plan(scan_dir: str, plan: ScanPlan) -> None:
    """Record (or update) the scan's plan in ``scan.json``."""
    write_json(os.path.join(scan_dir, PLAN), to_data(plan))


class _Runs(list):
    """One column's rows as runs of ``[value, rows]``: a column whose value is the same on all
    the rows of a call (the provenance of findings and values: scan, client, target, agent,
    host) is kept this way until it is written."""

    def spelt_out(self) -> list:
        """The column's values, one per row."""
        return [value for value, rows in self for _ in range(rows)]

    def array(self, type_: pa.DataType) -> pa.Array:
        """The column as Arrow builds it: a dictionary column from one index run per run,
        instead of hashing the same string on every row."""
        if not pa.types.is_dictionary(type_):
            return pa.array(self.spelt_out(), type_)
        codes: dict = {}
        indices = [pa.nulls(rows, pa.int32()) if value is None else
                   pa.repeat(pa.scalar(codes.setdefault(value, len(codes)), pa.int32()), rows)
                   for value, rows in self]
        return pa.DictionaryArray.from_arrays(pa.concat_arrays(indices) if indices else pa.array([], pa.int32()),
                                              pa.array(list(codes), type_.value_type))


class _Rows:
    """Rows of one table gathered column-wise until the next commit."""

    def __init__(self, names: list[str]):
        self.names = names
        self.columns: dict[str, list] = {name: [] for name in names}
        self.count = 0

    def _listed(self, name: str) -> list:
        """Column ``name`` as a list of values, its runs (if any) spelt out."""
        column = self.columns[name]
        if isinstance(column, _Runs):
            column = self.columns[name] = column.spelt_out()
        return column

    def add(self, row: dict) -> None:
        for name in self.names:
            self._listed(name).append(row.get(name))
        self.count += 1

    def extend(self, count: int, columns: dict[str, list], constants: dict[str, object]) -> None:
        """Append ``count`` rows given column-wise (``columns``) plus columns of one value each
        (``constants``), which stay runs while the column holds nothing else: the main process
        writes every finding of a scan, so no per-row dict or per-row constant is built."""
        for name in self.names:
            if name in columns:
                self._listed(name).extend(columns[name])
                continue
            value, column = constants.get(name), self.columns[name]
            if not isinstance(column, _Runs):
                if self.count:  # the column holds values given row by row already
                    column.extend([value] * count)
                    continue
                column = self.columns[name] = _Runs()
            if column and column[-1][0] == value:
                column[-1][1] += count
            else:
                column.append([value, count])
        self.count += count

    def take(self) -> dict[str, list]:
        """The gathered columns (lists, or :class:`_Runs`); the buffer starts empty again."""
        columns = self.columns
        self.columns = {name: [] for name in self.names}
        self.count = 0
        return columns


def _table(columns: dict[str, list], schema: pa.Schema) -> pa.Table:
    """The Arrow table of columns taken from :class:`_Rows`."""
    return pa.table({name: column.array(schema.field(name).type) if isinstance(column, _Runs) else column
                     for name, column in columns.items()}, schema=schema)


class _ContractFile:
    """One contract file written under a ``.partial`` name in large row groups, renamed when closed."""

    def __init__(self, path: str, file_name: str):
        self.path, self.partial = path, path + ".partial"
        self.schema = _SCHEMAS[file_name]
        self.writer = pq.ParquetWriter(self.partial, self.schema, compression="zstd", **_OPTIONS[file_name])
        self.pending: list[pa.Table] = []
        self.pending_rows = 0

    def append(self, table: pa.Table) -> None:
        """Add rows; a row group is written once BATCH_ROWS have gathered."""
        if table.num_rows:
            self.pending.append(table)
            self.pending_rows += table.num_rows
        if self.pending_rows >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            table = self.pending[0] if len(self.pending) == 1 else pa.concat_tables(self.pending).unify_dictionaries()
            self.pending, self.pending_rows = [], 0
            self.writer.write_table(table)

    def write(self, table: pa.Table) -> None:
        """Write a ready table (carried rows) after the rows gathered before it."""
        self.flush()
        self.writer.write_table(table)

    def close(self) -> None:
        self.flush()
        self.writer.close()
        os.replace(self.partial, self.path)

    def discard(self) -> None:
        """Give up the file (the scan stopped without closing): free its space."""
        try:
            self.writer.close()
        except OSError:
            pass
        try:
            os.unlink(self.partial)
        except OSError:
            pass


class _PartWriter:
    """One part being written: three Parquet files in a temporary folder, renamed into place by :meth:`commit`."""

    def __init__(self, scan_dir: str, name: str):
        self.root = os.path.join(scan_dir, PARTS)
        if not os.path.isdir(self.root):
            os.makedirs(self.root, exist_ok=True)
            _fsync(scan_dir)
        self.name = name
        self.tmp = os.path.join(self.root, f".tmp-{name}")
        shutil.rmtree(self.tmp, ignore_errors=True)  # left by a killed session
        os.mkdir(self.tmp)
        self.writers = {file_name: pq.ParquetWriter(os.path.join(self.tmp, file_name), _SCHEMAS[file_name],
                                                    compression="zstd", **_OPTIONS[file_name])
                        for file_name in TABLES}

    def write(self, file_name: str, table: pa.Table) -> None:
        if table.num_rows:
            self.writers[file_name].write_table(table)

    def commit(self) -> None:
        for file_name, writer in self.writers.items():
            writer.close()
            _fsync(os.path.join(self.tmp, file_name))
        _fsync(self.tmp)
        os.rename(self.tmp, os.path.join(self.root, self.name))
        _fsync(self.root)

    def discard(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except OSError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


class InventoryWriter:
    """Writes one scan's inventory folder: parts as it goes, the contract files when closed.

    ``InventoryWriter(out_dir, scan_id, client)`` makes a new folder; :meth:`reopen` writes
    a folder made already (a scan's, whose plan is recorded, or a resumed one). Call
    :meth:`add_items` / :meth:`add_findings` / :meth:`add_values` as results arrive and :meth:`maybe_commit` after them, then :meth:`close` with the
    manifest fields. Every failure to write raises :class:`OutputError`.
    """

    def __init__(self, out_dir: str, scan_id: str, client: str, checkpoint_seconds: float = CHECKPOINT_SECONDS,
                 scan_dir: str | None = None):
        with self._output(out_dir):
            scan_dir = scan_dir or create_scan_folder(out_dir, scan_id)
            self.dir = scan_dir
            self.scan_id, self.client = os.path.basename(scan_dir), client
            self.started = time.time()
            self.checkpoint_seconds = checkpoint_seconds
            self.background = ThreadPoolExecutor(1, thread_name_prefix="inventory")
            self.committing: Future | None = None  # the part being written in the background
            self.next_part = next_part_number(scan_dir)
            self.contract = {name: _ContractFile(os.path.join(scan_dir, name), name) for name in TABLES}
        self.rows = {name: _Rows(schema.names) for name, schema in
                     ((FINDINGS, FINDINGS_SCHEMA), (ITEMS, ITEMS_SCHEMA), (VALUES, VALUES_SCHEMA))}
        self.carried_items = _Rows(ITEMS_SCHEMA.names)  # rows that go to items.parquet only, never to a part
        self.uncommitted_items = 0
        self.last_commit = time.monotonic()
        self.row_counts = {name: 0 for name in TABLES}
        self.item_status: dict[str, int] = {}
        self.entity_counts: dict[str, int] = {}
        self.bytes_scanned = 0

    @classmethod
    def reopen(cls, scan_dir: str, plan: ScanPlan, checkpoint_seconds: float = CHECKPOINT_SECONDS) -> "InventoryWriter":
        """A writer for the existing scan folder ``scan_dir`` (a new scan's, or a resumed one's)."""
        return cls(os.path.dirname(scan_dir), plan.scan_id, plan.job.client, checkpoint_seconds=checkpoint_seconds,
                   scan_dir=scan_dir)

    @contextmanager
    def _output(self, where: str | None = None):
        """Turn a failure to write into an OutputError naming the scan folder."""
        try:
            yield
        except OSError as exc:
            raise OutputError(getattr(self, "dir", None) or where, exc) from exc

    def _base(self, target: str, agent: str, host: str, uri: str, path: str, container: str) -> dict:
        return {"scan_id": self.scan_id, "client": self.client, "target": target, "agent": agent,
                "host": host, "uri": uri, "path": path, "container": container}

    def add_items(self, target: str, agent: str, host: str, records: list[ItemRecord]) -> None:
        """Record item rows (exactly one per item or archive member visited)."""
        for rec in records:
            row = self._base(target, agent, host, rec.uri, rec.path, rec.container)
            row.update(vars(rec))  # flat dataclass: vars() is enough, asdict() deep-copies
            row["mtime"] = int(rec.mtime) if rec.mtime is not None else None
            if rec.carried_over:
                self.carried_items.add(row)
            else:
                self.rows[ITEMS].add(row)
                if not rec.container:
                    self.uncommitted_items += 1
            self.row_counts[ITEMS] += 1
            self.item_status[rec.status] = self.item_status.get(rec.status, 0) + 1
            if rec.status == "scanned" and rec.size and not rec.container:
                self.bytes_scanned += rec.size

    def add_findings(self, target: str, agent: str, host: str, findings) -> None:
        """Record findings given as FindingColumns (from a worker) or (uri, path, Finding) tuples."""
        if not isinstance(findings, FindingColumns):
            findings = FindingColumns.of(findings)
        if not findings.rows:
            return
        self.rows[FINDINGS].extend(findings.rows, findings.columns, self._base(target, agent, host, None, None, None))
        self.row_counts[FINDINGS] += findings.rows
        counts = self.entity_counts
        for entity, occurrences in findings.occurrences.items():
            counts[entity] = counts.get(entity, 0) + occurrences

    def add_values(self, target: str, agent: str, host: str, values) -> None:
        """Record (uri, path, container, entity_type, value_hash) of sampled column values."""
        if not values:
            return
        columns = dict(zip(("uri", "path", "container", "entity_type", "value_hash"), map(list, zip(*values))))
        self.rows[VALUES].extend(len(values), columns, self._base(target, agent, host, None, None, None))
        self.row_counts[VALUES] += len(values)

    # ------------------------------------------------------------------ commits

    def maybe_commit(self) -> None:
        """Commit the rows gathered so far when enough items, time or rows have piled up."""
        if (self.uncommitted_items >= COMMIT_ITEMS
                or self.rows[FINDINGS].count >= COMMIT_ROWS or self.rows[VALUES].count >= COMMIT_ROWS
                or self.carried_items.count >= BATCH_ROWS
                or (time.monotonic() - self.last_commit >= self.checkpoint_seconds
                    and (self.rows[ITEMS].count or self.rows[FINDINGS].count or self.rows[VALUES].count))):
            self.commit()

    def commit(self) -> None:
        """Write the gathered rows as the next part, in the background (after the part before it)."""
        self.wait()
        if not (self.rows[ITEMS].count or self.rows[FINDINGS].count or self.rows[VALUES].count
                or self.carried_items.count):
            return
        columns = {name: rows.take() for name, rows in self.rows.items()}
        carried = self.carried_items.take() if self.carried_items.count else None
        name = f"{self.next_part:06d}"
        self.next_part += 1
        self.uncommitted_items = 0
        self.last_commit = time.monotonic()
        self.committing = self.background.submit(self._commit, name, columns, carried)

    def _commit(self, name: str, columns: dict[str, dict[str, list]], carried: dict[str, list] | None) -> None:
        tables = {file_name: _table(columns[file_name], _SCHEMAS[file_name]) for file_name in TABLES}
        if any(table.num_rows for table in tables.values()):  # (not when only carried rows came)
            part = _PartWriter(self.dir, name)
            try:
                for file_name, table in tables.items():
                    part.write(file_name, table)
                part.commit()
            except BaseException:
                part.discard()
                raise
        for file_name, table in tables.items():
            self.contract[file_name].append(table)
        if carried is not None:
            self.contract[ITEMS].append(_table(carried, ITEMS_SCHEMA))

    def wait(self) -> None:
        """Wait until the part being written is committed; raise what writing it raised."""
        committing, self.committing = self.committing, None
        if committing is not None:
            with self._output():
                committing.result()

    def seed(self, tables: dict[str, Iterable[pa.RecordBatch]]) -> None:
        """Start a resumed session with the rows an earlier one committed and that it keeps.

        They become a base part (which voids every part before it) and the start of the
        contract files. Once the base part is committed, what held those rows before (the
        contract files and manifest of a scan closed as interrupted, the earlier parts) is
        removed, the manifest first: the folder is then open, and read from its parts.
        Batches come in :func:`stored_schema`."""
        self.wait()
        with self._output():
            base = self.next_part
            part = _PartWriter(self.dir, f"{base:06d}{BASE_SUFFIX}")
            self.next_part += 1
            try:
                for file_name in TABLES:
                    for batch in tables.get(file_name, ()):
                        table = pa.Table.from_batches([batch]).select(_SCHEMAS[file_name].names)
                        if table.schema != _SCHEMAS[file_name]:
                            table = table.cast(_SCHEMAS[file_name])
                        part.write(file_name, table)
                        self.contract[file_name].append(table)
                        self._count_seeded(file_name, table)
                part.commit()
            except BaseException:
                part.discard()
                raise
            for name in (MANIFEST, *TABLES):
                if os.path.exists(os.path.join(self.dir, name)):
                    os.unlink(os.path.join(self.dir, name))
            _fsync(self.dir)
            for name in os.listdir(os.path.join(self.dir, PARTS)):
                number = name.split("-")[0]
                if number.isdigit() and int(number) < base:
                    shutil.rmtree(os.path.join(self.dir, PARTS, name), ignore_errors=True)

    def _count_seeded(self, file_name: str, table: pa.Table) -> None:
        import pyarrow.compute as pc  # here: the kernels take a while to load, and only a resume needs them

        self.row_counts[file_name] += table.num_rows
        if file_name == FINDINGS:
            self.add_carried_counts(entity_occurrences(table))
        elif file_name == ITEMS:
            for row in pc.value_counts(table.column("status").combine_chunks()).to_pylist():
                self.item_status[row["values"]] = self.item_status.get(row["values"], 0) + row["counts"]
            top_scanned = pc.and_(pc.equal(table.column("status"), "scanned"), pc.equal(table.column("container"), ""))
            self.bytes_scanned += pc.sum(table.column("size").filter(top_scanned)).as_py() or 0

    # ------------------------------------------------------------------ carried rows

    def carried_schema(self, file_name: str) -> pa.Schema:
        """How :meth:`add_carried` wants an earlier scan's findings or values rows."""
        return _SCHEMAS[file_name]

    def settle(self) -> None:
        """Commit what is gathered and wait for it: before carried rows are copied, which go
        straight to the contract files, from threads of their own."""
        self.commit()
        self.wait()

    def add_carried(self, file_name: str, batch: pa.RecordBatch) -> None:
        """Copy rows of an earlier scan's findings/values table into this scan (after :meth:`settle`).
        Rows that come in :meth:`carried_schema` (dictionary-encoded where the writer holds them
        so) are written as they are, with this scan's id and client."""
        table = pa.Table.from_batches([batch]).select(_SCHEMAS[file_name].names)
        table = table.set_column(0, "scan_id", _repeated(self.scan_id, table.num_rows))
        table = table.set_column(1, "client", _repeated(self.client, table.num_rows))
        with self._output():
            self.contract[file_name].write(table)
        self.row_counts[file_name] += table.num_rows

    def add_carried_counts(self, entities: dict[str, int]) -> None:
        """Add the occurrences per entity type of carried findings rows."""
        for entity, count in entities.items():
            self.entity_counts[entity] = self.entity_counts.get(entity, 0) + count

    # ------------------------------------------------------------------ the end

    def close(self, manifest: dict) -> dict:
        """Finish the contract files, write manifest.json, remove the parts; return the whole manifest."""
        try:
            self.settle()
            with self._output():
                for contract in self.contract.values():
                    contract.close()
        finally:
            self.background.shutdown()
        manifest = {
            "format_version": FORMAT_VERSION,
            "scan_id": self.scan_id,
            "client": self.client,
            "started": datetime.fromtimestamp(self.started, timezone.utc).isoformat(),
            "ended": datetime.now(timezone.utc).isoformat(),
            "counts": {
                "items": self.row_counts[ITEMS],
                "items_by_status": self.item_status,
                "findings": self.row_counts[FINDINGS],
                "entities": self.entity_counts,
                "bytes_scanned": self.bytes_scanned,
            },
            **manifest,
        }
        with self._output():
            write_json(os.path.join(self.dir, MANIFEST), manifest)
        shutil.rmtree(os.path.join(self.dir, PARTS), ignore_errors=True)  # the folder is closed: parts are void
        return manifest

    def abandon(self) -> None:
        """Stop without closing (output fault, immediate stop): the committed parts stay, the
        contract files being written are removed to free their space."""
        try:
            self.wait()
        except OutputError:
            pass  # the error that stopped the scan, or one caused by it
        self.background.shutdown()
        for contract in self.contract.values():
            contract.discard()
