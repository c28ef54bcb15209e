"""Scan orchestration: targets -> work units -> worker pool -> inventory.

The main process enumerates each target through its agent (lazily, so
enumeration overlaps scanning), applies the user's filters and the size
limit, carries unchanged items over from a previous scan, and hands the rest
to the pool as references. Results stream into the inventory writer. A
target that fails (unreachable, refused credentials, dropped mid-scan) is
marked in the manifest and the scan goes on with the next one.
"""

from __future__ import annotations

import fnmatch
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Iterator, Protocol

from agents import make_agent
from agents.base import AgentError, AgentOptions, EnumerationProblem
from detectors.config import DetectorConfig
from scanner import __version__
from scanner.incremental import PreviousScan, entity_occurrences, read_ahead
from scanner.inventory import InventoryWriter, make_scan_id
from contract.keys import key_id, load_key
from scanner.limits import ExtractLimits
from contract.models import ERROR, SKIPPED, Item, ItemRecord
from scanner.pool import WorkerPool, default_workers
from contract.targets import Target
from scanner.units import WorkerConfig, WorkUnit

# exit codes (documented in the README)
EXIT_OK = 0
EXIT_FATAL = 1
EXIT_USAGE = 2
EXIT_ITEM_ERRORS = 3
EXIT_TARGET_FAILED = 4


@dataclass
class ScanOptions:
    """Everything that shapes one scan; recorded in the manifest."""

    out: str
    client: str = "default"
    workers: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_size: int | None = None
    ner: bool = True
    spacy_model: str | None = None
    item_timeout: float = 300.0
    since: str | None = None
    key_file: str | None = None
    limits: ExtractLimits = field(default_factory=ExtractLimits)
    agent: AgentOptions = field(default_factory=AgentOptions)


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
    """Where the inventory went and how the scan ended."""

    scan_dir: str
    exit_code: int
    manifest: dict


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

    def summary(self) -> dict:
        return {"target": self.target.uri, "agent": self.agent_name, "host": self.host, "status": self.status,
                "error": self.error, "facts": self.facts, "warnings": self.warnings}


def run_scan(targets: list[Target], options: ScanOptions, progress: Progress | None = None) -> ScanResult:
    """Scan every target into one inventory folder and return where it is."""
    progress = progress or _Silent()
    key = load_key(options.key_file)
    previous = PreviousScan(options.since) if options.since else None
    writer = InventoryWriter(options.out, make_scan_id(options.client), options.client)
    runs = [_TargetRun(t) for t in targets]
    workers = default_workers() if options.workers is None else options.workers
    config = WorkerConfig(DetectorConfig(options.ner, options.spacy_model), key, options.limits, options.agent)
    started = time.time()
    with WorkerPool(config, workers, options.item_timeout) as pool:
        for unit, outcome, final in pool.map_unordered(_units(runs, options, previous, writer, progress)):
            run = next(r for r in runs if r.target == unit.target)
            writer.add_findings(run.target.uri, run.agent_name, run.host, outcome.findings)
            writer.add_values(run.target.uri, run.agent_name, run.host, outcome.values)
            if final:
                writer.add_items(run.target.uri, run.agent_name, run.host, outcome.records)
                progress.finished(outcome.records, sum(r.findings for r in outcome.records[:1]), outcome.text_bytes)
    if previous is not None:
        _carry_over(previous, writer)
    statuses = writer.item_status
    failed = any(r.status != "complete" for r in runs)
    exit_code = EXIT_TARGET_FAILED if failed else EXIT_ITEM_ERRORS if statuses.get(ERROR) else EXIT_OK
    manifest = {
        "piisweep_version": __version__,
        "versions": _versions(),
        "key_id": key_id(key),
        "spacy_model": _model_name(options) if options.ner else None,
        "options": _options_for_manifest(options, workers),
        "targets": [r.summary() for r in runs],
        "complete": not failed,
        "exit_code": exit_code,
        "duration_seconds": round(time.time() - started, 3),
        "previous_scan": options.since,
        "carried_over_items": len(previous.carried) if previous else 0,
    }
    return ScanResult(writer.dir, exit_code, writer.close(manifest))


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
           writer: InventoryWriter, progress: Progress) -> Iterator[WorkUnit]:
    """Enumerate targets lazily; rows that need no worker go straight to the writer."""
    for run in runs:
        target = run.target
        try:
            agent = make_agent(target, options.agent)
        except AgentError as exc:
            run.status, run.error = "failed", str(exc)
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
                    direct = _direct_record(entry, options, previous)
                    if direct is not None:
                        writer.add_items(target.uri, run.agent_name, run.host, direct)
                        progress.finished(direct, 0, 0)
                        continue
                    progress.discovered(entry)
                    yield WorkUnit(target, entry, run.agent_name, run.host)
        except (AgentError, OSError) as exc:
            # nothing enumerated: the target failed; part-way: what was found is kept
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
