"""Small items travel to workers in batches; large ones alone.

On a tree of small files each item costs a worker a few milliseconds, and what an
executor spends per unit (a pipe round trip locally, a task on a Dask scheduler)
is of the same order: sent one at a time, small items pay as much for travel as for
scanning. Batched, they also let spaCy read the prose of several documents in one
call (:meth:`scanner.worker.Worker.process_batch`). A large item, or one whose size
is unknown (a table), goes alone: it streams its findings and keeps its own time
limit, and it never holds small items hostage behind it.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from scanner.units import WorkUnit

# An item up to this size joins a batch: a few pages of text, a small office document.
SMALL_ITEM = 256 * 1024
# A batch closes at this many items or bytes, whichever comes first: enough to amortise
# the travel and spaCy's per-call cost, few enough that one batch is well under a second.
BATCH_ITEMS = 32
BATCH_BYTES = 2 * 1024 * 1024


def is_small(unit: WorkUnit) -> bool:
    """Whether a unit may share a batch: a file of known, small size."""
    size = unit.item.size
    return size is not None and size <= SMALL_ITEM and unit.item.kind == "file"


def batch_units(units: Iterable[WorkUnit], max_items: int = BATCH_ITEMS,
                max_bytes: int = BATCH_BYTES) -> Iterator[list[WorkUnit]]:
    """Group ``units`` lazily into batches: consecutive small items of one target together,
    every other unit alone. Order is kept within a batch; a batch is yielded as soon as it
    is full, or when a unit that cannot join it arrives, or at the end."""
    batch: list[WorkUnit] = []
    size = 0
    for unit in units:
        small = is_small(unit)
        if batch and (not small or unit.target != batch[0].target or size + unit.item.size > max_bytes):
            yield batch
            batch, size = [], 0
        if not small:
            yield [unit]
            continue
        batch.append(unit)
        size += unit.item.size
        if len(batch) >= max_items:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def batch_size(batch: list[WorkUnit]) -> float:
    """The bytes a batch reads, infinite when one of its items' sizes is unknown (a table:
    it may be slow, so it is sent early rather than last)."""
    sizes = [unit.item.size for unit in batch]
    return float("inf") if any(s is None for s in sizes) else float(sum(sizes))
