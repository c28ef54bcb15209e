"""Resuming a scan that did not finish: ``piisweep scan --resume SCAN_DIR``, and the same for callers.

A resumed scan keeps every item an earlier session committed with status scanned or
skipped (with its archive members, findings and column values), and reads again
everything else: items never reached, items stopped part-way ("interrupted"), and items
that failed (a host that went away fails them all; an item that fails again gets the
same error row). The targets and options are those recorded in the folder's plan, with
credentials found again by reference. The result equals a scan that was never
interrupted: the same item rows, findings and counts, no duplicates.

:func:`resume_scan` resumes one folder; :func:`pending_scans` lists what resuming a
folder means when the folder belongs to a scan of several clients (``--estate``): that
folder, the other unfinished clients' folders, and the clients not started yet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

import pyarrow as pa

from contract.keys import KeyFileError, key_id, load_key
from contract.models import SCANNED, SKIPPED
from contract.scanfolder import FINDINGS, ITEMS, LOCK, VALUES, ScanFolder, read_folder
from scanner.engine import Progress, ScanResult, run_scan, run_session
from scanner.incremental import committed_batches, read_items
from scanner.inventory import OutputError, stored_schema
from scanner.lock import FolderLock, LockHeld
from scanner.plan import Job, ScanPlan, job_from_data, plan_from_data
from scanner.stopping import StopRequest

_KEPT = pa.array([SCANNED, SKIPPED], pa.string())


class ResumeError(Exception):
    """A folder that cannot be resumed: not a scan, made with another key, or in use."""


class ResumeBase:
    """The rows of an earlier session that a resumed scan keeps, and the items they cover.

    ``done``: the URIs of items committed as scanned or skipped, which the resumed scan
    passes over. :meth:`tables` yields their rows (item, members, findings, values)."""

    def __init__(self, folder: ScanFolder):
        import pyarrow.compute as pc  # here: the kernels take a while to load

        self.folder = folder
        top = read_items(folder, ["uri", "container", "status"])
        is_top = pc.equal(top.column("container"), "")
        kept = pc.and_(is_top, pc.is_in(top.column("status"), value_set=_KEPT))
        self.uris = pc.unique(top.column("uri").filter(kept).combine_chunks())
        self.done = set(self.uris.to_pylist())

    def tables(self) -> dict[str, Iterator[pa.RecordBatch]]:
        """Batches of each table, only of the kept items."""
        return {ITEMS: self._items(),
                FINDINGS: committed_batches(self.folder, FINDINGS, stored_schema(FINDINGS), self.uris),
                VALUES: committed_batches(self.folder, VALUES, stored_schema(VALUES), self.uris)}

    def _items(self) -> Iterator[pa.RecordBatch]:
        import pyarrow.compute as pc

        for batch in committed_batches(self.folder, ITEMS, stored_schema(ITEMS)):
            uris, containers = batch.column("uri").to_pylist(), batch.column("container").to_pylist()
            # a member row's URI is its item's URI, "!", and its container
            owners = [uri if not container else uri[: len(uri) - len(container) - 1]
                      for uri, container in zip(uris, containers)]
            keep = pc.is_in(pa.array(owners, pa.string()), value_set=self.uris)
            batch = batch.filter(keep)
            if batch.num_rows:
                yield batch


def read_plan(scan_dir: str) -> ScanPlan:
    """The plan recorded in ``scan_dir``; raise ResumeError when there is none."""
    folder = read_folder(scan_dir)
    if folder is None:
        raise ResumeError(f"{scan_dir} is not a scan folder (no scan.json, manifest.json or parts)")
    if folder.plan is None:
        raise ResumeError(f"{scan_dir} cannot be resumed: it records no plan (scan.json), "
                          "so its targets and options are not known")
    try:
        return plan_from_data(folder.plan)
    except (TypeError, ValueError, KeyError) as exc:
        raise ResumeError(f"{scan_dir}/scan.json cannot be read: {exc}") from None


def check_key(scan_dir: str, plan: ScanPlan) -> bytes:
    """The estate key the plan names, refused when it is not the key the scan was made with."""
    try:
        key = load_key(plan.job.options.key_file)
    except KeyFileError as exc:
        raise ResumeError(str(exc)) from None
    if key_id(key) != plan.key_id:
        raise ResumeError(f"{scan_dir} was made with another estate key (key id {plan.key_id}, this key "
                          f"{key_id(key)}): resume it with the key it was made with")
    return key


def resume_scan(scan_dir: str, progress: Progress | None = None, stop: StopRequest | None = None) -> ScanResult | None:
    """Finish the scan in ``scan_dir``; None when it is complete already (nothing is changed).

    Raises ResumeError (not a scan, another key, another process holds the folder) and
    OutputError (the folder cannot be written)."""
    plan = read_plan(scan_dir)
    key = check_key(scan_dir, plan)
    try:
        lock = FolderLock(os.path.join(scan_dir, LOCK), "piisweep scan --resume").acquire()
    except LockHeld as exc:
        raise ResumeError(str(exc)) from None
    except OSError as exc:
        raise OutputError(scan_dir, exc) from exc
    try:
        folder = read_folder(scan_dir)  # again, under the lock
        if folder.complete:
            lock.release()
            return None
        if progress is not None and lock.took_over and lock.took_over.get("alive") is False:
            progress.message(f"took over the lock of process {lock.took_over['pid']}, which is no longer running")
        base = ResumeBase(folder)
        for session in plan.sessions:
            if session.get("ended") is None:
                session.update(outcome="stopped without closing (killed, crashed or out of disk space)")
    except BaseException:
        lock.release()
        raise
    return run_session(scan_dir, plan, key, lock, progress, stop, base)


@dataclass
class PendingScan:
    """One scan still to do when a folder is resumed: a folder to resume, or a client to start."""

    job: Job
    scan_dir: str | None = None
    estate_run: dict | None = None

    def run(self, progress: Progress | None = None, stop: StopRequest | None = None) -> ScanResult | None:
        """Resume the folder or start the scan (None: the folder turned out complete)."""
        if self.scan_dir is not None:
            return resume_scan(self.scan_dir, progress, stop)
        return run_scan(self.job.targets, self.job.options, progress, stop, self.estate_run, self.job.report)


def pending_scans(scan_dir: str) -> list[PendingScan]:
    """What resuming ``scan_dir`` has to do, in order; empty when it is complete.

    For a folder of a scan of several clients: every client of that run not complete yet,
    its folder resumed where it has one. Raises ResumeError for a folder that cannot be
    resumed (checked for every folder before any work starts)."""
    folder = read_folder(scan_dir)
    if folder is not None and folder.complete and folder.plan is None:  # made before scans recorded their plan
        return []
    plan = read_plan(scan_dir)
    if plan.estate_run is None:
        if folder.complete:
            return []
        check_key(scan_dir, plan)
        return [PendingScan(plan.job, scan_dir)]
    siblings = _run_folders(os.path.dirname(os.path.abspath(scan_dir)), plan.estate_run["id"])
    pending = []
    for data in plan.estate_run["jobs"]:
        job = job_from_data(data)
        folder = siblings.get(job.client)
        if folder is None:
            pending.append(PendingScan(job, None, plan.estate_run))
        elif not read_folder(folder).complete:
            check_key(folder, read_plan(folder))
            pending.append(PendingScan(job, folder))
    return pending


def _run_folders(parent: str, run_id: str) -> dict[str, str]:
    """The scan folders of one estate run in ``parent``, by client (the newest per client)."""
    found: dict[str, str] = {}
    for name in sorted(os.listdir(parent)):
        path = os.path.join(parent, name)
        folder = read_folder(path) if os.path.isdir(path) else None
        run = (folder.plan or {}).get("estate_run") if folder is not None else None
        if run and run.get("id") == run_id:
            found[folder.plan["job"]["client"]] = path
    return found
