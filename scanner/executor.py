"""The executor seam: where work units run, seen from the engine.

The engine hands an executor work units (references to items, never their contents)
and reads results back as they finish; it stays the only process that writes the
inventory. The local process pool (:class:`scanner.pool.WorkerPool`) is one
implementation; a Dask cluster (:class:`scanner.cluster.executor.DaskExecutor`) is
another, with the same three methods.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol

from contract.models import ItemOutcome
from contract.targets import Target
from scanner.cluster.options import ClusterOptions
from scanner.stopping import StopRequest
from scanner.units import WorkerConfig, WorkUnit

# (unit, outcome, final): several non-final outcomes (findings of a huge item, streamed)
# may precede the final one, which carries the item's rows.
Result = tuple[WorkUnit, ItemOutcome, bool]


class Executor(Protocol):
    """Runs work units somewhere and streams their results back, in the shape of
    ``concurrent.futures`` (``map`` whose results come as they complete).

    :meth:`map_unordered` takes units lazily from ``units`` (enumeration overlaps the
    work) and must obey ``stop``: once it is requested, take and start no more units and
    drop those not started (they get no rows; a resumed scan does them); once its grace
    is over, stop the units still running and yield for each a final outcome whose item
    row has status error and reason "interrupted" (:func:`scanner.pool.error_outcome`);
    then return. :meth:`abort` stops everything at once (output disk full, second
    Ctrl-C); :meth:`close` releases what the executor holds.
    """

    def map_unordered(self, units: Iterable[WorkUnit], stop: StopRequest) -> Iterator[Result]:
        """Run ``units``; yield their results as they arrive."""

    def abort(self) -> None:
        """Stop every running unit now, without results."""

    def close(self) -> None:
        """Release workers and connections."""


def make_executor(config: WorkerConfig, workers: int, item_timeout: float, cluster: ClusterOptions | None = None,
                  targets: Iterable[Target] = (), key_file: str | None = None) -> Executor:
    """The executor a scan runs on: the local process pool, or a Dask cluster when ``cluster``
    names a scheduler (connecting checks its workers against the scan's ``targets`` and key:
    raises :class:`scanner.cluster.options.ClusterError` when it cannot run the scan)."""
    if cluster is not None:
        from scanner.cluster.executor import DaskExecutor

        return DaskExecutor(config, item_timeout, cluster, list(targets), key_file)
    from scanner.pool import WorkerPool

    return WorkerPool(config, workers, item_timeout)
