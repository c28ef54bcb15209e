"""The executor: worker processes that load models once and take item references.

Deliberately small and ``concurrent.futures``-shaped (:meth:`WorkerPool.map_unordered`):
one implementation of :class:`scanner.executor.Executor`, which a distributed executor
can implement too. Unlike ProcessPoolExecutor it can kill a worker stuck on a
pathological file (per-item time limit) or replace one that crashed, turning either
into an error row for that item instead of a stalled or failed scan, and it stops on
request (:mod:`scanner.stopping`). Units are pulled lazily from the caller's
iterator, so enumeration and scanning overlap and memory stays bounded. Small items
travel in batches (:mod:`scanner.batching`); a batch that crashes its worker or
outlasts the time limit is run again item by item, so that only the item at fault
gets the error row.
"""

from __future__ import annotations

import gc
import itertools
import os
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator

from contract.models import ERROR, ItemOutcome, ItemRecord
from contract.scanfolder import INTERRUPTED
from scanner.batching import batch_size, batch_units
from scanner.executor import Result
from scanner.fork import CONTEXT as _CTX
from scanner.fork import preload_for
from scanner.stopping import StopRequest
from scanner.units import WorkerConfig, WorkUnit

# Batches sent ahead to each worker: the next one is already in its pipe when it finishes one,
# instead of waiting for this process, which may be busy writing the inventory.
UNITS_IN_FLIGHT = 2
# Batches read ahead of the workers, of which the largest is sent first: a big file left for
# last would keep one worker busy while the others wait for the scan to end.
LOOKAHEAD = 64

Batch = list[WorkUnit]


def _serve(conn: Connection, config: WorkerConfig, env: dict[str, str], cwd: str, stopping) -> None:
    """Worker process main loop: build state once, then scan batches until told to stop.

    Workers are forked from a fork server that imported the detectors and built the pattern
    stage once (:mod:`scanner.fork`): a worker starts in milliseconds instead of re-importing
    Presidio and recompiling every pattern, seconds that every scan paid for every worker.
    A batch that arrives once the scan is stopping (``stopping`` is set) is declined, not
    read. When the scan's process is gone (killed), the worker ends at its next message.
    """
    import scanner.quiet_signals  # noqa: F401  (spawned workers: the fork server's did it for forked ones)

    # A forked worker inherits the fork server's environment and directory, fixed when the
    # server started; the scan's own (credentials named by --password-env, say) apply.
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        try:
            from scanner.worker import Worker  # here: the parent never imports the detectors

            worker = Worker(config)
        except BaseException as exc:  # report start-up failure (missing model...) to the parent
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
            return
        # The models, recognisers and caches are long-lived: move them out of the cyclic collector's
        # way and let it run less often (a scan allocates millions of short-lived objects; full
        # collections traversing every cached value cost a worker ~15% of its time).
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        conn.send(("ready", None))
        while True:
            batch = conn.recv()
            if batch is None:
                worker.close()
                return
            if stopping.is_set():
                conn.send(("declined", None))
                continue
            outcomes = worker.process_batch(batch, emit=lambda part: conn.send(("part", part.packed())))
            conn.send(("done", [outcome.packed() for outcome in outcomes]))
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the scan's process is gone: nothing to report to, nothing to print


class WorkerStartError(RuntimeError):
    """A worker could not initialise (e.g. the spaCy model is missing)."""


class _Slot:
    def __init__(self, config: WorkerConfig, stopping):
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_serve, args=(child, config, dict(os.environ), os.getcwd(), stopping),
                                    daemon=True)
        self.process.start()
        child.close()
        self.units: deque[Batch] = deque()  # batches sent, in order; the first is being scanned
        self.started = 0.0  # when the first of them started: sent to an idle worker, or the one before it ended
        self.ready = False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def error_outcome(unit: WorkUnit, reason: str) -> ItemOutcome:
    """The error row of an item whose worker was killed (timeout, stop) or died."""
    item = unit.item
    return ItemOutcome(records=[ItemRecord(uri=item.uri, path=item.path, kind=item.kind, status=ERROR,
                                           reason=reason, size=item.size, mtime=item.mtime, owner=item.owner,
                                           mode=item.mode)])


class WorkerPool:
    """N worker processes; ``workers=0`` runs units in this process (debugging, tiny scans)."""

    def __init__(self, config: WorkerConfig, workers: int, item_timeout: float = 300.0):
        self.config, self.workers, self.item_timeout = config, workers, item_timeout
        self.slots: list[_Slot] = []  # started with the first unit: a rescan with nothing new starts none
        self.inline = None  # the in-process Worker of workers=0
        self._stopping = None  # the event that tells workers to decline units

    def map_unordered(self, units: Iterable[WorkUnit], stop: StopRequest | None = None) -> Iterator[Result]:
        """Yield (unit, outcome, final) as results arrive; several non-final parts may precede the final one.

        Obeys ``stop`` as :class:`scanner.executor.Executor` describes: once it is requested no
        unit is sent or started, and once its grace is over the workers still reading are killed."""
        stop = stop or StopRequest()
        source = iter(units)
        first = next(source, None)
        if first is None:
            return
        source = itertools.chain([first], source)
        if self.workers == 0:  # one item at a time, the simplest way to follow a scan
            from scanner.worker import Worker

            self.inline = Worker(self.config)
            for unit in source:
                yield unit, self.inline.process(unit).packed(), True
                if stop.requested:
                    return
            return
        preload_for(self.config.detector.ner)  # when the command line has not started the server
        stopping = _CTX.Event()  # set: workers decline the units already in their pipes
        self.slots = [_Slot(self.config, stopping) for _ in range(self.workers)]
        self._stopping = stopping
        unregister = stop.on_abort(self.abort)
        try:
            yield from self._run(batch_units(source), stop, stopping)
        finally:
            unregister()

    def _run(self, source: Iterator[Batch], stop: StopRequest, stopping) -> Iterator[Result]:
        # Units taken from the source ahead of sending (the largest of them is sent first), and
        # units queued behind one that killed its worker. While the source lasts, each worker has
        # a second unit waiting in its pipe; for the last few, a worker gets one only when it is
        # idle, so that no unit waits behind a long one while another worker has nothing to do.
        waiting: deque[Batch] = deque()
        exhausted = False
        while True:
            if stop.requested:
                if not stopping.is_set():
                    stopping.set()
                    waiting.clear()  # never started: no rows; a resumed scan reads them
                    exhausted = True
                if stop.grace_over():
                    for slot in self.slots:
                        if slot.units:
                            slot.kill()
                            for unit in slot.units[0]:
                                yield unit, error_outcome(unit, INTERRUPTED), True
                            slot.units.clear()
                    return
            while not exhausted and len(waiting) < max(LOOKAHEAD, self.workers * UNITS_IN_FLIGHT):
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                else:
                    waiting.append(batch)
            if exhausted:
                _spread(waiting, self.workers * UNITS_IN_FLIGHT)
            for slot in sorted(self.slots, key=lambda s: len(s.units)):  # idle workers first
                while waiting and slot.ready and (not slot.units or
                                                  (not exhausted and len(slot.units) < UNITS_IN_FLIGHT)):
                    batch = _take_largest(waiting)
                    if not slot.units:
                        slot.started = time.monotonic()
                    slot.units.append(batch)
                    slot.conn.send(batch)
            busy = [s for s in self.slots if s.units or not s.ready]
            if exhausted and not waiting and not any(s.units for s in self.slots):
                return
            timeout = min(0.5, max(0.0, stop.deadline - time.monotonic()))
            ready = wait([s.conn for s in busy], timeout=timeout) if busy else []
            for slot in [s for s in busy if s.conn in ready]:
                try:
                    kind, payload = slot.conn.recv()
                except (EOFError, OSError):
                    yield from self._replace(slot, f"worker crashed (exit code {slot.process.exitcode})", waiting)
                    continue
                if kind == "failed":
                    raise WorkerStartError(payload)
                if kind == "ready":
                    slot.ready = True
                elif kind == "part":  # a batch of one huge item
                    yield slot.units[0][0], payload, False
                elif kind == "done":
                    slot.started = time.monotonic()  # the next batch, if one was sent, starts now
                    for unit, outcome in zip(slot.units.popleft(), payload):
                        yield unit, outcome, True
                elif kind == "declined":
                    slot.units.popleft()
            now = time.monotonic()
            for slot in self.slots:
                if slot.units and now - slot.started > self.item_timeout:
                    yield from self._replace(slot, f"timeout after {self.item_timeout:g} s", waiting)

    def _replace(self, slot: _Slot, reason: str, waiting: deque[Batch]):
        """Kill a worker and start another. Its item gets an error row; the items of a batch
        are run again one by one (which of them was at fault is not known), and batches queued
        behind it go to the next free worker."""
        batches = list(slot.units)
        slot.kill()
        self.slots[self.slots.index(slot)] = _Slot(self.config, self._stopping)
        if not batches:
            return
        waiting.extendleft(reversed(batches[1:]))
        running = batches[0]
        if len(running) > 1:
            waiting.extendleft([unit] for unit in reversed(running))
        else:
            yield running[0], error_outcome(running[0], reason), True

    def abort(self) -> None:
        """Kill every worker now (a second Ctrl-C, an output fault); safe in a signal handler."""
        for slot in self.slots:
            if slot.process.is_alive():
                slot.process.kill()

    def close(self) -> None:
        """Stop workers politely, then firmly."""
        if self.inline is not None:
            self.inline.close()
        for slot in self.slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 5
        for slot in self.slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
        self.slots = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _spread(waiting: deque[Batch], wanted: int) -> None:
    """Halve the longest waiting batches until there are ``wanted`` of them (or only single
    items): at the end of a scan, a batch would keep its items on one worker while another
    has nothing to do."""
    while len(waiting) < wanted:
        longest = max(range(len(waiting)), key=lambda i: len(waiting[i]), default=None)
        if longest is None or len(waiting[longest]) < 2:
            return
        batch = waiting[longest]
        half = len(batch) // 2
        waiting[longest] = batch[:half]
        waiting.insert(longest + 1, batch[half:])


def _take_largest(waiting: deque[Batch]) -> Batch:
    """Remove and return the largest waiting batch, the first of equals (see
    :func:`scanner.batching.batch_size`)."""
    sizes = [batch_size(batch) for batch in waiting]
    largest = sizes.index(max(sizes))
    batch = waiting[largest]
    del waiting[largest]
    return batch


def default_workers() -> int:
    """One worker per core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
