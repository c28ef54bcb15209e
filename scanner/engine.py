"""Scan orchestration: targets -> work units -> executor -> inventory.

The main process enumerates each target through its agent (lazily, so
enumeration overlaps scanning), applies the user's filters and the size
limit, carries unchanged items over from a previous scan, and hands the rest
to the executor as references. Results stream into the inventory writer,
which commits them as it goes (:mod:`scanner.inventory`). A target that fails
(unreachable, refused credentials, dropped mid-scan) is marked in the manifest
and the scan goes on with the next one. Asked to stop (:mod:`scanner.stopping`),
the scan hands out no more work, closes what it has as an incomplete inventory,
and can be resumed (:mod:`scanner.resume`).
"""

from __future__ import annotations

import fnmatch
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Iterator, Protocol

from agents import make_agent
from agents.base import AgentError, EnumerationProblem
from contract.keys import key_id, load_key
from contract.models import ERROR, SKIPPED, Item, ItemRecord
from contract.scanfolder import LOCK, read_folder
from contract.targets import Target
from detectors.config import DetectorConfig
from scanner import __version__
from scanner.executor import make_executor
from scanner.incremental import NotAScan, PreviousScan, entity_occurrences, read_ahead
from scanner.inventory import InventoryWriter, OutputError, create_scan_folder, make_scan_id, write_plan
from scanner.lock import FolderLock
from scanner.plan import Job, ScanOptions, ScanPlan, absolute_job
from scanner.pool import default_workers
from scanner.stopping import ScanAborted, StopRequest
from scanner.units import WorkerConfig, WorkUnit

__all__ = ["ScanOptions", "ScanResult", "run_scan", "run_session", "selected"]

# exit codes (documented in the README); a stopped scan exits 128 + the signal's number
EXIT_OK = 0
EXIT_FATAL = 1
EXIT_USAGE = 2
EXIT_ITEM_ERRORS = 3
EXIT_TARGET_FAILED = 4


class Progress(Protocol):
    """What the engine reports while it runs (the CLI draws it; tests may ignore it)."""

    def discovered(self, item: Item) -> None:
        """An item was enumerated and sent to a worker."""

    def finished(self, records: list[ItemRecord], findings: int, text_bytes: int) -> None:
        """An item (with its member rows) was written to the inventory."""

    def message(self, text: str) -> None:
        """A warning for the user (a target failed or stopped part-way)."""


class _Silent:
    def discovered(self, item): pass
    def finished(self, records, findings, text_bytes): pass
    def message(self, text): pass


@dataclass
class ScanResult:
    """Where the inventory went and how the scan ended (``interrupted``: why it stopped early)."""

    scan_dir: str
    exit_code: int
    manifest: dict
    interrupted: str | None = None


def _matches(path: str, patterns: tuple[str, ...]) -> bool:
    parts = path.split("/")
    return any(fnmatch.fnmatch(path, p) or any(fnmatch.fnmatch(part, p) for part in parts) for p in patterns)


def selected(path: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Whether the user's globs select a path (matched against the path and each of its parts)."""
    if exclude and _matches(path, exclude):
        return False
    return not include or _matches(path, include)


class _TargetRun:
    """Per-target bookkeeping for the manifest."""

    def __init__(self, target: Target):
        self.target = target
        self.agent_name = target.kind
        self.host = target.host or "localhost"
        self.status = "complete"
        self.error = ""
        self.facts: dict = {}
        self.warnings: list[str] = []
        self.listed = False  # enumeration ran to its end (or failed): not cut short by a stop
        self.outstanding = 0  # units handed out whose final result has not come back

    def summary(self) -> dict:
        return {"target": self.target.uri, "agent": self.agent_name, "host": self.host, "status": self.status,
                "error": self.error, "facts": self.facts, "warnings": self.warnings}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def run_scan(targets: list[Target], options: ScanOptions, progress: Progress | None = None,
             stop: StopRequest | None = None, estate_run: dict | None = None,
             report: str | None = None) -> ScanResult:
    """Scan every target into a new inventory folder under ``options.out`` and return where it is.

    ``stop`` lets the caller stop the scan part-way (it is then resumable); ``estate_run`` and
    ``report`` are recorded in the folder's plan for a resume (see :mod:`scanner.plan`).
    Raises OutputError when the folder cannot be written, NotAScan when ``options.since`` names
    a folder that holds no scan."""
    if options.since and read_folder(options.since) is None:
        raise NotAScan(f"--since {options.since}: not a scan folder")
    key = load_key(options.key_file)
    job = absolute_job(Job(options.client, list(targets), options, report))
    plan = ScanPlan(make_scan_id(options.client), job, key_id(key), _now(), estate_run=estate_run)
    try:
        scan_dir = create_scan_folder(job.options.out, plan.scan_id)
        lock = FolderLock(os.path.join(scan_dir, LOCK), "piisweep scan").acquire()
    except OSError as exc:
        raise OutputError(job.options.out, exc) from exc
    plan.scan_id = os.path.basename(scan_dir)
    return run_session(scan_dir, plan, key, lock, progress, stop)


def run_session(scan_dir: str, plan: ScanPlan, key: bytes, lock: FolderLock, progress: Progress | None = None,
                stop: StopRequest | None = None, base=None) -> ScanResult:
    """One session of the scan in ``scan_dir`` (its first, or a resumed one seeded with ``base``,
    a :class:`scanner.resume.ResumeBase`), holding ``lock`` until it ends."""
    try:
        return _session(scan_dir, plan, key, progress or _Silent(), stop or StopRequest(), base)
    except ScanAborted as exc:
        exc.scan_dir = scan_dir
        raise
    finally:
        lock.release()


def _session(scan_dir: str, plan: ScanPlan, key: bytes, progress: Progress, stop: StopRequest, base) -> ScanResult:
    options = plan.job.options
    previous = PreviousScan(options.since) if options.since else None
    if previous is not None and not previous.folder.complete:
        progress.message(f"the previous scan {options.since} is incomplete ({previous.folder.reason}): "
                         "what it did not commit is read again")
    plan.sessions.append({"started": _now(), "ended": None, "outcome": None})
    started = time.time()
    _record(scan_dir, plan)
    writer = InventoryWriter.reopen(scan_dir, plan, options.checkpoint_seconds)
    try:
        done: set[str] = set()
        if base is not None:
            writer.seed(base.tables())
            done = base.done
        runs = [_TargetRun(t) for t in plan.job.targets]
        workers = default_workers() if options.workers is None else options.workers
        config = WorkerConfig(DetectorConfig(options.ner, options.spacy_model), key, options.limits, options.agent)
        by_target = {run.target: run for run in runs}
        units = _units(runs, options, previous, writer, progress, done)
        with make_executor(config, workers, options.item_timeout, options.cluster, plan.job.targets,
                           options.key_file) as executor:
            try:
                for unit, outcome, final in executor.map_unordered(units, stop):
                    run = by_target[unit.target]
                    writer.add_findings(run.target.uri, run.agent_name, run.host, outcome.findings)
                    writer.add_values(run.target.uri, run.agent_name, run.host, outcome.values)
                    if outcome.unreachable and run.status == "complete":
                        run.status, run.error = "incomplete", f"items could not be read: {outcome.unreachable}"
                        progress.message(f"{run.target.uri}: {run.error}")
                    if final:
                        run.outstanding -= 1
                        writer.add_items(run.target.uri, run.agent_name, run.host, outcome.records)
                        progress.finished(outcome.records, sum(r.findings for r in outcome.records[:1]),
                                          outcome.text_bytes)
                    writer.maybe_commit()  # after a huge item's streamed findings too: memory stays bounded
            except OutputError:
                executor.abort()
                raise
            finally:
                units.close()
        interrupted = stop.reason if any(not r.listed or r.outstanding for r in runs) else None
        if interrupted:
            for run in runs:
                if run.status == "complete" and (not run.listed or run.outstanding):
                    run.status, run.error = "incomplete", interrupted
        if previous is not None:
            writer.settle()
            _carry_over(previous, writer)
        statuses = writer.item_status
        failed = any(r.status != "complete" for r in runs)
        exit_code = (stop.exit_code if interrupted else EXIT_TARGET_FAILED if failed
                     else EXIT_ITEM_ERRORS if statuses.get(ERROR) else EXIT_OK)
        plan.sessions[-1].update(ended=_now(), seconds=round(time.time() - started, 3),
                                 outcome=interrupted or ("complete" if not failed else "incomplete"))
        _record(scan_dir, plan)
        manifest = {
            "piisweep_version": __version__,
            "versions": _versions(),
            "key_id": key_id(key),
            "spacy_model": _model_name(options) if options.ner else None,
            "options": _options_for_manifest(options, workers),
            "targets": [r.summary() for r in runs],
            "complete": not failed,
            "interrupted": interrupted,
            "exit_code": exit_code,
            "started": plan.started,
            "duration_seconds": round(sum(s.get("seconds") or 0 for s in plan.sessions), 3),
            "sessions": plan.sessions,
            "previous_scan": options.since,
            "carried_over_items": len(previous.carried) if previous else 0,
        }
        return ScanResult(writer.dir, exit_code, writer.close(manifest), interrupted)
    except BaseException:  # output fault, a stop at once, a worker that cannot start: the parts stay
        writer.abandon()
        raise


def _record(scan_dir: str, plan: ScanPlan) -> None:
    """Write the plan (its sessions changed); a failure is the output's."""
    try:
        write_plan(scan_dir, plan)
    except OSError as exc:
        raise OutputError(scan_dir, exc) from exc


def _carry_over(previous: PreviousScan, writer: InventoryWriter) -> None:
    """Copy the carried-over items' findings and column values into the new inventory. The
    two tables are copied side by side, each read a batch ahead of its writing: Arrow reads
    and writes Parquet outside the GIL, and on an unchanged estate this copy is most of what
    a rescan does. Its findings' counts per entity are then the earlier manifest's;
    otherwise they are summed from the copied rows."""
    recorded = previous.recorded_entities() if previous.carries_every_row else None

    def carry(name: str) -> None:
        for batch in read_ahead(previous.carried_rows(name, writer.carried_schema(name))):
            writer.add_carried(name, batch)
            if name == "findings.parquet" and recorded is None:
                writer.add_carried_counts(entity_occurrences(batch))

    with ThreadPoolExecutor(2) as threads:
        list(threads.map(carry, ("findings.parquet", "values.parquet")))
    if recorded is not None:
        writer.add_carried_counts(recorded)


def _units(runs: list[_TargetRun], options: ScanOptions, previous: PreviousScan | None,
           writer: InventoryWriter, progress: Progress, done: set[str]) -> Iterator[WorkUnit]:
    """Enumerate targets lazily; rows that need no worker go straight to the writer. Items in
    ``done`` (committed by an earlier session of a resumed scan) are passed over."""
    for run in runs:
        target = run.target
        try:
            agent = make_agent(target, options.agent)
        except AgentError as exc:
            run.status, run.error, run.listed = "failed", str(exc), True
            progress.message(f"{target.uri}: {exc}")
            continue
        run.agent_name, run.host = agent.name, agent.host
        seen = 0
        try:
            with agent:
                run.warnings = list(getattr(agent, "preflight", lambda: [])())
                run.facts = agent.facts()
                for entry in agent.items():
                    seen += 1
                    if entry.uri in done:
                        continue
                    direct = _direct_record(entry, options, previous)
                    if direct is not None:
                        writer.add_items(target.uri, run.agent_name, run.host, direct)
                        progress.finished(direct, 0, 0)
                        writer.maybe_commit()
                        continue
                    progress.discovered(entry)
                    run.outstanding += 1
                    yield WorkUnit(target, entry, run.agent_name, run.host)
            run.listed = True
        except (AgentError, OSError) as exc:
            # nothing enumerated: the target failed; part-way: what was found is kept
            run.listed = True
            run.status = "incomplete" if seen else "failed"
            run.error = str(exc) if isinstance(exc, AgentError) else \
                f"enumeration stopped: {exc.strerror or type(exc).__name__}"
            progress.message(f"{target.uri}: {run.error}")


def _direct_record(entry, options: ScanOptions, previous: PreviousScan | None) -> list[ItemRecord] | None:
    """Rows for entries that are not sent to a worker (problems, filtered, too large, unchanged)."""
    if isinstance(entry, EnumerationProblem):
        if not selected(entry.path, options.include, options.exclude):
            return []
        return [ItemRecord(uri=entry.uri, path=entry.path, status=entry.status, reason=entry.reason)]
    if not selected(entry.path, options.include, options.exclude):
        return []
    if options.max_file_size is not None and entry.kind == "file" and (entry.size or 0) > options.max_file_size:
        return [ItemRecord(uri=entry.uri, path=entry.path, status=SKIPPED, size=entry.size, mtime=entry.mtime,
                           owner=entry.owner, mode=entry.mode,
                           reason=f"larger than --max-file-size ({options.max_file_size} bytes)")]
    if previous is not None:
        return previous.unchanged(entry)
    return None


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("presidio-analyzer", "spacy", "pyarrow", "hyperscan"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _model_name(options: ScanOptions) -> str | None:
    from detectors.config import resolve_model

    try:
        return resolve_model(options.spacy_model)
    except RuntimeError:
        return None


def _options_for_manifest(options: ScanOptions, workers: int) -> dict:
    data = asdict(options)
    data["workers"] = workers
    return data
