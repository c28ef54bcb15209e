"""The Dask executor: the engine's work units run as tasks on a ``distributed`` cluster.

Units travel as references (target + item) grouped by :func:`scanner.batching.batch_units`
(small files of one target together, large items and tables alone), so the scheduler's
cost per task is spread over up to 32 items. At most ``2 x the cluster's threads`` tasks
are in flight: the unit iterator is read lazily (enumeration overlaps the work and memory
stays flat on a huge tree). Results come back as tasks finish and are yielded item by
item, so the engine stays the only inventory writer, checkpointed and resumable as with
the local pool. Each task's result is taken once, whatever Dask did to compute it (a
worker that died mid-task: the scheduler runs the task again elsewhere), so an item never
gets two rows.

What differs from :class:`scanner.pool.WorkerPool`, and why:

* time limit: a running thread cannot be killed. Each task logs a Dask event as it starts
  (:data:`scanner.cluster.tasks.STARTED`), and the client allows it ``item_timeout`` per
  item from then. A batch over its allowance is cancelled, its worker restarted (through
  its nanny; without one the thread runs on) and its items re-sent one by one; an item
  alone over its allowance gets an error row "timeout after N s".
* stop: no task is submitted once a stop is requested; after the grace the tasks still
  running are cancelled and their items get error rows "interrupted". Workers belong to
  the cluster, so :meth:`DaskExecutor.abort` cancels tasks; it kills no process.
* no workers: if every worker is gone for ``WORKERS_GONE_SECONDS`` (or the scheduler is
  lost) the scan stops as an interrupted one (resumable) instead of waiting for ever.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, replace
from typing import Iterable, Iterator

from contract.keys import key_id
from contract.scanfolder import INTERRUPTED
from contract.targets import LOCAL, Target
from scanner.batching import batch_units
from scanner.cluster.connect import connect, prepare
from scanner.cluster.options import ClusterOptions
from scanner.cluster.tasks import STARTED, run_batch
from scanner.executor import Result
from scanner.pool import WorkerStartError, error_outcome
from scanner.stopping import StopRequest
from scanner.units import WorkerConfig, WorkUnit

# Tasks in flight per worker thread: the next is queued when one ends, no more (memory and
# the scheduler's queue stay small, and a stop has little to cancel).
TASKS_PER_THREAD = 2
# Batches held back because their host is at its connection limit, before reading stops.
HELD_BATCHES = 256
# Seconds without any worker (or without the scheduler) before the scan stops.
WORKERS_GONE_SECONDS = 20.0
# Exit code of a scan stopped because the cluster lost its workers: a failure, resumable.
EXIT_CLUSTER_LOST = 1
_POLL = 0.5
_CLUSTER_CHECK = 2.0

log = logging.getLogger("piisweep.cluster")


@dataclass
class _Task:
    units: list[WorkUnit]
    host: str | None  # the remote host it reads (connection limit), None for local data
    key: str


def remote_host(target: Target) -> str | None:
    """The host a target's batches read, for ``max_connections_per_host``; None for data on
    a mount every worker has (local paths, SQLite files)."""
    if target.kind == LOCAL or not target.host:
        return None
    return f"{target.host}:{target.port or ''}"


class DaskExecutor:
    """An :class:`scanner.executor.Executor` on a Dask scheduler (see the module's docstring).

    Connecting checks every worker (:func:`scanner.cluster.connect.prepare`): the
    constructor raises ClusterError when the cluster cannot run the scan."""

    def __init__(self, config: WorkerConfig, item_timeout: float, cluster: ClusterOptions,
                 targets: list[Target], key_file: str | None = None):
        self.cluster, self.item_timeout, self.key_file = cluster, item_timeout, key_file
        self.key_id = key_id(config.key)
        self.config = replace(config, key=b"")  # the key is never in a task
        self.client = connect(cluster)
        self.tasks: dict[object, _Task] = {}
        # set by each task's completion: the loop sleeps on it (distributed.wait and as_completed
        # need a default client, and block without a way to also watch the stop and the clock)
        self._finished = threading.Event()
        # task key -> when its start event arrived (client clock); set on the client's event loop
        self._started: dict[str, float] = {}
        try:
            self.plugin = prepare(self.client, cluster, config, key_file, targets)
            self.client.subscribe_topic(STARTED, self._task_started)
        except BaseException:
            self.client.close()
            raise

    def _task_started(self, event) -> None:
        """A task's start event (``(scheduler time, task key)``): its time limit begins."""
        self._started[event[1]] = time.monotonic()

    def threads(self) -> int:
        """Worker threads in the cluster now (workers may join and leave during a scan)."""
        return sum(self.client.nthreads().values())

    def map_unordered(self, units: Iterable[WorkUnit], stop: StopRequest | None = None) -> Iterator[Result]:
        """Yield (unit, outcome, final) as tasks finish; obeys ``stop`` as
        :class:`scanner.executor.Executor` describes."""
        stop = stop or StopRequest()
        unregister = stop.on_abort(self.abort)
        try:
            yield from self._run(batch_units(units), stop)
        finally:
            unregister()

    def _run(self, batches: Iterator[list[WorkUnit]], stop: StopRequest) -> Iterator[Result]:
        per_host: Counter[str | None] = Counter()
        held: deque[list[WorkUnit]] = deque()  # waiting for their host's connection limit
        alone: deque[list[WorkUnit]] = deque()  # items of a batch over its time, sent again one by one
        exhausted = False
        limit = max(1, self.threads()) * TASKS_PER_THREAD
        checked, gone_since = time.monotonic(), None

        def room(batch: list[WorkUnit]) -> bool:
            host = remote_host(batch[0].target)
            return host is None or per_host[host] < self.cluster.max_connections_per_host

        def take() -> list[WorkUnit] | None:
            nonlocal exhausted
            if alone:
                return alone.popleft()
            for index, batch in enumerate(held):
                if room(batch):
                    del held[index]
                    return batch
            while not exhausted and len(held) < HELD_BATCHES:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                elif room(batch):
                    return batch
                else:
                    held.append(batch)
            return None

        while True:
            if stop.requested:
                exhausted = True
                held.clear()  # never started: no rows; a resumed scan reads them
                alone.clear()
                if stop.grace_over():
                    yield from self._cancel_all(per_host, INTERRUPTED)
                    return
            while not stop.requested and len(self.tasks) < limit:
                batch = take()
                if batch is None:
                    break
                self._submit(batch, per_host)
            if not self.tasks:
                if exhausted and not held and not alone:
                    return
                continue
            self._finished.wait(min(_POLL, max(0.01, stop.deadline - time.monotonic())))
            self._finished.clear()  # then every done future is read: one finishing now sets it again
            for future in [f for f in self.tasks if f.done()]:
                task = self.tasks.pop(future)
                self._started.pop(task.key, None)
                per_host[task.host] -= 1
                yield from self._results(future, task, stop)
            yield from self._expire(per_host, alone)
            now = time.monotonic()
            if now - checked >= _CLUSTER_CHECK:
                checked = now
                threads = self._threads_or_zero()
                limit = max(1, threads) * TASKS_PER_THREAD
                gone_since = None if threads else (gone_since or now)
                if gone_since is not None and now - gone_since >= WORKERS_GONE_SECONDS:
                    stop.request(f"stopped: no Dask worker left at {self.cluster.address}", EXIT_CLUSTER_LOST)
                    yield from self._cancel_all(per_host, INTERRUPTED)
                    return

    def _threads_or_zero(self) -> int:
        """Worker threads now; 0 when the scheduler does not answer (it is gone)."""
        if self.client.status != "running":
            return 0
        try:
            return self.threads()
        except (OSError, TimeoutError):
            return 0

    def _submit(self, batch: list[WorkUnit], per_host: Counter) -> None:
        host = remote_host(batch[0].target)
        key = f"piisweep-batch-{uuid.uuid4().hex}"
        future = self.client.submit(run_batch, self.config, self.key_file, self.key_id, batch, key, pure=False,
                                    key=key)
        self.tasks[future] = _Task(batch, host, key)
        future.add_done_callback(lambda _: self._finished.set())
        per_host[host] += 1

    def _results(self, future, task: _Task, stop: StopRequest) -> Iterator[Result]:
        """The rows of a finished task: its items' outcomes, or an error row for each."""
        from distributed import KilledWorker

        if future.status == "finished":
            kind, payload, _seconds = future.result()
            if kind == "failed":
                raise WorkerStartError(payload)
            for index, outcome, final in payload:
                yield task.units[index], outcome, final
            return
        if future.status == "error":
            exc = future.exception()
            reason = ("worker crashed (Dask gave up after its workers died on it repeatedly)"
                      if isinstance(exc, KilledWorker) else f"{type(exc).__name__} on the Dask worker")
        else:  # cancelled without us asking: the scheduler restarted or was lost
            stop.request(f"stopped: the Dask scheduler at {self.cluster.address} was lost", EXIT_CLUSTER_LOST)
            reason = INTERRUPTED
        for unit in task.units:
            yield unit, error_outcome(unit, reason), True

    def _expire(self, per_host: Counter, alone: deque) -> Iterator[Result]:
        """Cancel tasks over their time allowance (see the module's docstring)."""
        now = time.monotonic()
        late = [(f, t) for f, t in self.tasks.items()
                if now - self._started.get(t.key, now) > self.item_timeout * len(t.units)]
        if not late:
            return
        self._restart_workers_of([f for f, _ in late])
        for future, task in late:
            del self.tasks[future]
            self._started.pop(task.key, None)
            per_host[task.host] -= 1
            future.cancel()
            if len(task.units) > 1:
                alone.extend([unit] for unit in task.units)
            else:
                yield task.units[0], error_outcome(task.units[0], f"timeout after {self.item_timeout:g} s"), True

    def _restart_workers_of(self, futures: list) -> None:
        """Restart the workers running these tasks: their threads cannot be stopped otherwise."""
        keys = {f.key for f in futures}
        try:
            busy = [address for address, running in self.client.processing().items() if keys & set(running)]
            if busy:
                self.client.restart_workers(busy, raise_for_error=False)
        except Exception as exc:  # no nanny, or the worker just went: its thread runs on, the scan goes on
            log.warning("could not restart a Dask worker after a timeout (%s)", type(exc).__name__)

    def _cancel_all(self, per_host: Counter, reason: str) -> Iterator[Result]:
        """Cancel every task in flight; each of its items gets an error row ``reason``."""
        futures = list(self.tasks)
        tasks = [self.tasks.pop(f) for f in futures]
        try:
            self.client.cancel(futures, force=True)
        except Exception:  # the scheduler may be gone already: nothing to cancel there
            pass
        for task in tasks:
            per_host[task.host] -= 1
            for unit in task.units:
                yield unit, error_outcome(unit, reason), True

    def abort(self) -> None:
        """Cancel every task now (a second Ctrl-C, an output fault); the workers stay, as they
        belong to the cluster."""
        futures = list(self.tasks)
        self.tasks.clear()
        try:
            self.client.cancel(futures, force=True)
        except Exception:
            pass

    def close(self) -> None:
        """Take this scan's secrets back from the workers and disconnect."""
        try:
            self.client.unsubscribe_topic(STARTED)
            if self.plugin:
                self.client.unregister_worker_plugin(self.plugin)
        except Exception as exc:
            log.warning("could not unregister the secrets plugin (%s)", type(exc).__name__)
        finally:
            self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
