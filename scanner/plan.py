"""What a scan was asked to do, recorded in its folder (``scan.json``) so it can be resumed.

The plan holds the targets with their credentials by reference only (environment
variable names, keyring entries, identity and known_hosts files: never a secret), the
options, the id of the estate key, and the scan's sessions (each start, and how it
ended). A scan of several clients (``--estate``) records the whole run in each
client's plan, so that resuming one client's folder also does the clients not done.
Paths are recorded absolute: a resume may run from another directory.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field

from agents.base import AgentOptions
from scanner.cluster.options import ClusterOptions
from contract.targets import Target
from scanner.limits import ExtractLimits

PLAN_FORMAT = 1
CHECKPOINT_SECONDS = 5.0


@dataclass
class ScanOptions:
    """Everything that shapes one scan; recorded in the plan and the manifest."""

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
    # the inventory is committed at least this often (and every 1,000 items): what a kill can lose
    checkpoint_seconds: float = CHECKPOINT_SECONDS
    # a Dask scheduler to run the items on (docs/dask.md); None: the local process pool
    cluster: ClusterOptions | None = None


@dataclass
class Job:
    """One client's scan: its targets and options (and the report the command line writes after it)."""

    client: str
    targets: list[Target]
    options: ScanOptions
    report: str | None = None


@dataclass
class ScanPlan:
    """The contents of ``scan.json``."""

    scan_id: str
    job: Job
    key_id: str
    started: str
    sessions: list[dict] = field(default_factory=list)
    # a scan of several clients: {"id": ..., "jobs": [every client's job]}, in each client's plan
    estate_run: dict | None = None
    format: int = PLAN_FORMAT


def _absolute(path: str | None) -> str | None:
    return os.path.abspath(path) if path else path


def absolute_job(job: Job) -> Job:
    """``job`` with every path it names made absolute (the plan must not depend on the directory)."""
    targets = [dataclasses.replace(t, creds=dataclasses.replace(
        t.creds, identity=_absolute(t.creds.identity), known_hosts=_absolute(t.creds.known_hosts)))
        for t in job.targets]
    cluster = job.options.cluster
    if cluster is not None:
        cluster = dataclasses.replace(cluster, tls_ca_file=_absolute(cluster.tls_ca_file),
                                      tls_cert=_absolute(cluster.tls_cert), tls_key=_absolute(cluster.tls_key))
    options = dataclasses.replace(job.options, out=_absolute(job.options.out), since=_absolute(job.options.since),
                                  key_file=_absolute(job.options.key_file), cluster=cluster)
    return Job(job.client, targets, options, _absolute(job.report))


def to_data(value):
    """A plan, job or any of their parts as JSON-ready data."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value


def from_data(cls, data):
    """Rebuild a dataclass of ``cls`` from :func:`to_data`'s output (fields it lacks keep their defaults)."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _typed(hints[f.name], data[f.name])
    return cls(**values)


def _typed(hint, value):
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return from_data(hint, value)
    if origin is tuple:
        return tuple(value)
    if origin is list and args and dataclasses.is_dataclass(args[0]):
        return [from_data(args[0], v) for v in value]
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _typed(inner[0], value) if len(inner) == 1 else value
    return value


def job_from_data(data: dict) -> Job:
    """A job recorded by :func:`to_data`."""
    return from_data(Job, data)


def plan_from_data(data: dict) -> ScanPlan:
    """A plan read back from ``scan.json``."""
    return from_data(ScanPlan, data)

