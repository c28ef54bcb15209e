"""Incremental rescans: unchanged items are not read again, their findings carry over.

An item is unchanged when its URI, size and modification time equal those of a
scanned item in the previous scan. Its previous rows (item, archive members,
findings, column value hashes) are copied into the new inventory, the item
rows marked ``carried_over``, so every scan is a complete picture of the
estate at that time. The previous scan may be one that did not finish: its
committed rows are read (:mod:`contract.scanfolder`), and what it did not
commit is read again.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import replace
from typing import Iterator, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from contract.models import Item, ItemRecord
from contract.scanfolder import ITEMS, ScanFolder, read_folder
from contract.schema import ITEMS_SCHEMA

CARRY_BATCH_ROWS = 65_536
READ_AHEAD_BATCHES = 2
T = TypeVar("T")
_COLUMNS = ["uri", "path", "container", "kind", "status", "reason", "size", "mtime", "format", "findings",
            "row_estimate", "rows_sampled"]


class NotAScan(ValueError):
    """The folder given as the previous scan holds no inventory."""


def committed_batches(folder: ScanFolder, file_name: str, schema: pa.Schema,
                      uris: pa.Array | None = None) -> Iterator[pa.RecordBatch]:
    """Record batches of one table of a scan folder, only of the items in ``uris`` when given.

    Columns that ``schema`` holds dictionary-encoded are read so, straight from Parquet's
    dictionary pages, and can be written the same way. Batches of 64k rows (the size of the
    row groups a first scan writes) keep memory bounded whatever the table's size."""
    dictionary = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    for path in folder.files[file_name]:
        for batch in pq.ParquetFile(path, read_dictionary=dictionary).iter_batches(batch_size=CARRY_BATCH_ROWS):
            if uris is not None:
                import pyarrow.compute as pc  # here: the kernels take a while to load

                batch = batch.filter(pc.is_in(batch.column("uri"), value_set=uris))
            if batch.num_rows:
                yield batch


def read_items(folder: ScanFolder, columns: list[str] | None = None) -> pa.Table:
    """The item rows of a scan folder (every committed part's, for one that did not finish)."""
    # ParquetFile, not read_table: read_table imports pyarrow.dataset, a tenth of a second of a
    # rescan that may have nothing else to read
    tables = [pq.ParquetFile(path).read(columns=columns) for path in folder.files[ITEMS]]
    if not tables:
        empty = ITEMS_SCHEMA.empty_table()
        return empty.select(columns) if columns else empty
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


class PreviousScan:
    """The items of an earlier scan, looked up by URI."""

    def __init__(self, scan_dir: str):
        self.dir = scan_dir
        folder = read_folder(scan_dir)
        if folder is None:
            raise NotAScan(f"not a scan folder: {scan_dir}")
        self.folder = folder
        rows = read_items(folder, _COLUMNS).to_pylist()
        self._items: dict[str, ItemRecord] = {}
        self._members: dict[str, list[ItemRecord]] = {}
        self._top_level: set[str] = set()  # every item's URI, whatever its status
        for row in rows:
            mtime = row.pop("mtime")
            record = ItemRecord(**row, mtime=mtime.timestamp() if mtime else None, carried_over=True)
            if row["container"]:
                parent = row["uri"][: len(row["uri"]) - len(row["container"]) - 1]
                self._members.setdefault(parent, []).append(record)
            else:
                self._top_level.add(row["uri"])
                if row["status"] == "scanned":
                    self._items[row["uri"]] = record
        self.carried: set[str] = set()

    def unchanged(self, item: Item) -> list[ItemRecord] | None:
        """The carried-over rows (item + members) when the item is unchanged, else None."""
        previous = self._items.get(item.uri)
        if previous is None or item.size is None or item.mtime is None or previous.mtime is None:
            return None
        if previous.size != item.size or int(previous.mtime) != int(item.mtime):
            return None
        self.carried.add(item.uri)
        top = replace(previous, path=item.path, owner=item.owner, mode=item.mode)
        return [top] + self._members.get(item.uri, [])

    @property
    def carries_every_row(self) -> bool:
        """Whether every earlier item was carried over (an unchanged estate): then so is every row
        (in a folder that did not finish, a row may belong to an item it never committed)."""
        return bool(self.carried) and self.carried >= self._top_level and not self.folder.orphans_possible

    def recorded_entities(self) -> dict[str, int] | None:
        """Occurrences per entity type that the earlier scan's manifest recorded, if it did: when
        every row is carried, the carried findings' own counts, known without reading them."""
        entities = ((self.folder.manifest or {}).get("counts") or {}).get("entities")
        return entities if isinstance(entities, dict) and self.folder.closed else None

    def carried_rows(self, file_name: str, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
        """Record batches of an earlier table (findings / values) for the carried-over items
        (see :func:`committed_batches`). When every earlier item was carried over (an unchanged
        estate) every row is, and no row is looked at."""
        if not self.carried:
            return
        wanted = None if self.carries_every_row else pa.array(sorted(self.carried), type=pa.string())
        yield from committed_batches(self.folder, file_name, schema, wanted)


def entity_occurrences(batch: pa.RecordBatch | pa.Table) -> dict[str, int]:
    """Occurrences per entity type in a batch of findings rows (their ``count`` summed)."""
    table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
    table = table.select(["entity_type", "count"])
    return {row["entity_type"]: row["count_sum"] or 0
            for row in table.group_by("entity_type").aggregate([("count", "sum")]).to_pylist()}


class _Raised:
    def __init__(self, exc: BaseException):
        self.exc = exc


_END = object()


def read_ahead(items: Iterator[T], depth: int = READ_AHEAD_BATCHES) -> Iterator[T]:
    """``items`` made by a thread of their own, at most ``depth`` ahead of the caller, in order.

    Copying carried rows alternates decoding a Parquet batch and encoding it again, each
    outside the GIL: with the next batch decoded while this one is written, an unchanged
    estate's copy took ~200-245 ms instead of ~235-275 ms on two cores. An exception raised
    making an item is raised here; a caller that stops early stops the thread.
    """
    pending: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                pending.put(item)
        except BaseException as exc:  # noqa: BLE001 - handed over and raised in the caller's thread
            pending.put(_Raised(exc))
            return
        pending.put(_END)

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while (item := pending.get()) is not _END:
            if isinstance(item, _Raised):
                raise item.exc
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # a producer blocked on a full queue must see the stop
            try:
                pending.get_nowait()
            except queue.Empty:
                thread.join(0.01)
