"""What runs on a Dask worker: a batch of item references in, de-identified rows out.

Each worker thread builds its :class:`scanner.worker.Worker` (detector, recognisers, spaCy)
once and keeps it for every later batch of the same configuration: a Worker is not shared
between threads (its agents and caches are not thread-safe), so a worker started with
``--nthreads 1`` and several processes holds one detector per process. The estate key is
never in a task: a task names the key by its id, and the worker finds it either among the
keys the :class:`SecretsPlugin` brought (TLS or loopback clusters) or in its own
environment or key file. A task never raises for an item and never logs a value: Dask
logs a failed task with its arguments, and an item's failure belongs in its row.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
import time
from dataclasses import replace

from distributed import WorkerPlugin, get_worker

from scanner.cluster.facts import own_key
from scanner.units import WorkerConfig, WorkUnit

# The event a task logs as it starts, with its key: the client times items from there.
STARTED = "piisweep-task-started"
# key id -> {plugin name: key}, brought by SecretsPlugin: a worker may serve several scans
_KEYS: dict[str, dict[str, bytes]] = {}
_LOCAL = threading.local()


class SecretsPlugin(WorkerPlugin):
    """Brings the estate key and the password variables a scan's targets name to each worker,
    once (also to workers that join later). Only ever registered over TLS or loopback:
    :mod:`scanner.cluster.connect` refuses to send it in clear to another host."""

    def __init__(self, name: str, key_id: str, key: bytes | None, env: dict[str, str]):
        self.name, self.key_id, self.key, self.env = name, key_id, key, env

    def setup(self, worker) -> None:
        """Install the secrets in this worker process."""
        os.environ.update(self.env)
        if self.key is not None:
            _KEYS.setdefault(self.key_id, {})[self.name] = self.key

    def teardown(self, worker) -> None:
        """Forget the key when the scan ends (Workers built with it keep their copy until
        the process ends; password variables stay, as another scan may use them)."""
        _KEYS.get(self.key_id, {}).pop(self.name, None)

    def __repr__(self) -> str:  # never the key, should anything print the plugin
        return f"SecretsPlugin(key_id={self.key_id!r}, env={sorted(self.env)!r})"


class TaskFailed(Exception):
    """A worker cannot scan at all (no model, no key): the same for every item it is given."""


def _worker(config: WorkerConfig, key_file: str | None, wanted_key_id: str):
    """This thread's Worker for ``config`` with the estate key, built on first use."""
    from contract.keys import key_id
    from scanner.worker import Worker

    cache = getattr(_LOCAL, "workers", None)
    if cache is None:
        cache = _LOCAL.workers = {}
    digest = hashlib.sha256(pickle.dumps((config, key_file, wanted_key_id))).hexdigest()
    worker = cache.get(digest)
    if worker is None:
        shipped = list(_KEYS.get(wanted_key_id, {}).values())
        key = shipped[0] if shipped else own_key(key_file)
        if key is None or key_id(key) != wanted_key_id:
            raise TaskFailed(f"this worker has no estate key with id {wanted_key_id} (see docs/dask.md, Secrets)")
        worker = cache[digest] = Worker(replace(config, key=key))
    return worker


def run_batch(config: WorkerConfig, key_file: str | None, wanted_key_id: str,
              units: list[WorkUnit], task_key: str = "") -> tuple[str, object, float]:
    """Scan a batch; returns ("done", [(index, outcome, final)...], seconds) or ("failed",
    reason, seconds) when the worker cannot scan at all. A single large item's findings come
    as several parts (``final`` False), as the local pool streams them. The start is logged
    as a :data:`STARTED` event with ``task_key`` once the Worker is built (a task queued
    behind another has not started, and building spaCy on a fresh worker is not the item's
    time, as the local pool's workers load before their first item)."""
    started = time.monotonic()
    try:
        worker = _worker(config, key_file, wanted_key_id)
    except BaseException as exc:  # the message is ours or a library's start-up error: no item data
        return "failed", f"{type(exc).__name__}: {exc}", time.monotonic() - started
    if task_key:
        get_worker().log_event(STARTED, task_key)
    results: list[tuple[int, object, bool]] = []
    if len(units) == 1:
        outcome = worker.process(units[0], emit=lambda part: results.append((0, part.packed(), False)))
        results.append((0, outcome.packed(), True))
    else:
        results.extend((index, outcome.packed(), True) for index, outcome in enumerate(worker.process_batch(units)))
    return "done", results, time.monotonic() - started
