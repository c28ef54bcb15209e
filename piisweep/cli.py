"""The ``piisweep`` command line: scan, and the report commands that read inventories.

Exit codes of ``piisweep scan``: 0 every item scanned or deliberately
skipped; 3 some items could not be read (errors are in items.parquet and the
report); 4 a target failed or stopped part-way (the inventory holds what was
found); 2 usage error (including an output path that cannot be written, an
estate key that cannot be used, or a Dask cluster that cannot run the scan, all
checked before any work); 1 the scan
itself failed (nothing usable written), or its output could not be written part-way
(what it committed is kept: resumable); 130 / 143 stopped by SIGINT / SIGTERM (the
inventory is incomplete: resumable). A report that cannot be written after a
finished scan is one line on stderr; the exit code stays the scan's.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import sys

import click

from contract.scanfolder import PLAN
from piisweep.audit_command import audit
from piisweep.outputs import OutputError, cannot_write, check_output_file, check_output_folder
from piisweep.report_commands import COMMANDS as REPORT_COMMANDS
from piisweep.terminal import printable
from scanner.limits import OCR_MODES
from scanner.plan import CHECKPOINT_SECONDS
from scanner.sizes import parse_size
from scanner.stopping import DEFAULT_GRACE, ScanAborted, StopRequest, stop_on_signals

# The scan's modules are imported inside ``scan``, after the workers' fork server has been
# started: it imports the detectors while this process imports the rest (scanner.fork).


class _Size(click.ParamType):
    name = "size"

    def convert(self, value, param, ctx):
        try:
            return parse_size(value) if isinstance(value, str) else value
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


SIZE = _Size()


@click.group()
@click.version_option(package_name="piisweep")
def main() -> None:
    """piisweep: find personal data in local folders, SSH hosts, SMB shares and SQL databases."""
    # Libraries may log what they matched at debug level: keep them quiet.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--out", "out", default="piisweep-out", show_default=True, type=click.Path(file_okay=False),
              help="Folder that receives OUT/<scan_id>/ inventories.")
@click.option("--client", default="default", show_default=True, help="Client name tagged on the inventory.")
@click.option("--estate", type=click.Path(exists=True, dir_okay=False), help="Estate file (TOML) of clients.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="Also write the HTML report here.")
@click.option("--workers", type=click.IntRange(min=0), help="Worker processes (default: one per core; 0 = inline).")
@click.option("--include", multiple=True, help="Only items whose path or a path part matches this glob.")
@click.option("--exclude", multiple=True, help="Skip items whose path or a path part matches this glob.")
@click.option("--max-file-size", type=SIZE, help="Skip files larger than this (e.g. 200MB).")
@click.option("--follow-symlinks", is_flag=True, help="Follow symbolic links (with loop detection).")
@click.option("--no-ner", is_flag=True, help="Identifiers only: no spaCy NER (much faster).")
@click.option("--spacy-model", help="spaCy pipeline to load (default: en_core_web_sm if installed).")
@click.option("--item-timeout", type=float, default=300.0, show_default=True, help="Seconds one item may take.")
@click.option("--since", "since", type=click.Path(exists=True, file_okay=False),
              help="Previous scan folder: unchanged items are carried over, not re-read.")
@click.option("--key-file", type=click.Path(dir_okay=False), help="Estate key file (default: see README).")
@click.option("--identity", type=click.Path(exists=True, dir_okay=False), help="SSH private key file.")
@click.option("--known-hosts", type=click.Path(dir_okay=False), help="SSH known_hosts file to verify hosts.")
@click.option("--accept-new-host-key", is_flag=True, help="Pin an unknown SSH host key on first use.")
@click.option("--use-ssh-agent", is_flag=True, help="Also try ssh-agent and ~/.ssh keys.")
@click.option("--password-env", metavar="VARNAME", help="Name of the environment variable holding the password.")
@click.option("--connect-timeout", type=float, default=10.0, show_default=True)
@click.option("--sample-rows", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Values sampled per column (tables, CSV, sheets).")
@click.option("--statement-timeout", type=float, default=30.0, show_default=True, help="SQL statement limit (s).")
@click.option("--ocr", type=click.Choice(OCR_MODES), default="auto", show_default=True,
              help="OCR of images and scanned PDF pages: auto (images that look like documents, PDF pages "
                   "without text), off, or all (every image).")
@click.option("--ocr-lang", default="eng", show_default=True, metavar="LANGS",
              help="Tesseract languages joined by + (e.g. eng+fra+deu); each needs tesseract-ocr-LANG.")
@click.option("--ocr-timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds of OCR one image or PDF page may take.")
@click.option("--checkpoint-seconds", type=click.FloatRange(min=0), default=CHECKPOINT_SECONDS, show_default=True,
              help="Commit the inventory at least this often (and every 1,000 items): what a kill can lose.")
@click.option("--resume", "resume_dir", type=click.Path(exists=True, file_okay=False),
              help="Finish the interrupted scan in this folder, with the targets and options recorded there.")
@click.option("--grace", type=click.FloatRange(min=0), default=DEFAULT_GRACE, show_default=True,
              help="On SIGINT/SIGTERM, seconds the items being read may take to finish.")
@click.option("--executor", metavar="ADDRESS",
              help="Run the items on a Dask cluster: tcp://HOST:PORT or tls://HOST:PORT of its scheduler "
                   "(default: local worker processes; docs/dask.md).")
@click.option("--tls-ca-file", type=click.Path(exists=True, dir_okay=False), help="CA of a tls:// cluster.")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), help="Client certificate (tls://).")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), help="Client private key (tls://).")
@click.option("--max-connections-per-host", type=click.IntRange(min=1), default=4, show_default=True,
              help="On a cluster: batches reading one remote host (ssh, smb, sql) at once.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display or summary.")
@click.pass_context
def scan(ctx: click.Context, **params) -> None:
    """Scan TARGETS (paths, ssh://, smb://, postgresql://, mysql://, sqlite:///) into an inventory."""
    stop = StopRequest(params["grace"])
    with stop_on_signals(stop):  # first, so that a Ctrl-C from here on stops cleanly
        try:
            if params["resume_dir"]:
                given = [name for name, value in params.items() if name not in _RESUME_OPTIONS
                         and ctx.get_parameter_source(name) != click.core.ParameterSource.DEFAULT and value]
                if given or params["targets"]:
                    raise click.UsageError("--resume takes its targets and options from the scan folder: only "
                                           "--grace, --report and --quiet may be given with it")
                _check_outputs(params["resume_dir"], params["report_path"])
                code = _resume(params["resume_dir"], params["report_path"], params["quiet"], stop)
            else:
                code = _scan(params, stop)
        except ScanAborted as exc:  # a second signal before or between the scans themselves
            _stopped(exc.reason, exc.scan_dir, committed_only=True)
            code = exc.exit_code
    sys.exit(code)


def _check_outputs(folder: str, report_path: str | None) -> None:
    """Before any work: an hour's scan must not end in an unwritable inventory or report."""
    try:
        check_output_folder(folder)
        if report_path:
            check_output_file(report_path)
    except OutputError as exc:
        raise click.UsageError(printable(exc)) from None


def _scan(params: dict, stop: StopRequest) -> int:
    """A new scan of the targets (or the estate) that ``params`` name."""
    p = params
    if not p["targets"] and not p["estate"]:
        raise click.UsageError("give at least one TARGET or --estate FILE")
    _check_outputs(p["out"], p["report_path"])
    from scanner.cluster.options import ClusterError, parse_executor

    try:
        cluster = parse_executor(p["executor"], p["tls_ca_file"], p["tls_cert"], p["tls_key"],
                                 p["max_connections_per_host"])
    except ClusterError as exc:
        raise click.UsageError(printable(exc)) from None
    # a rescan may find nothing to read: it starts workers when needed; a cluster scan has none here
    if p["workers"] != 0 and not p["since"] and cluster is None and not _estate_cluster(p["estate"]):
        from scanner.fork import start_server

        start_server(ner=not p["no_ner"])
    from agents.base import AgentOptions
    from contract.targets import CredentialRef, TargetError, parse_target
    from scanner.limits import ExtractLimits
    from scanner.plan import Job, ScanOptions

    creds = CredentialRef(password_env=p["password_env"], identity=p["identity"], known_hosts=p["known_hosts"],
                          accept_new_host_key=p["accept_new_host_key"], use_ssh_agent=p["use_ssh_agent"])
    include, exclude = tuple(p["include"]), tuple(p["exclude"])
    base = dict(out=p["out"], workers=p["workers"], max_file_size=p["max_file_size"], ner=not p["no_ner"],
                spacy_model=p["spacy_model"], item_timeout=p["item_timeout"], since=p["since"],
                key_file=p["key_file"], checkpoint_seconds=p["checkpoint_seconds"],
                limits=ExtractLimits(sample_rows=p["sample_rows"], ocr=p["ocr"], ocr_languages=p["ocr_lang"],
                                     ocr_page_seconds=p["ocr_timeout"]),
                agent=AgentOptions(follow_symlinks=p["follow_symlinks"], connect_timeout=p["connect_timeout"],
                                   sample_rows=p["sample_rows"], statement_timeout=p["statement_timeout"],
                                   exclude=exclude))
    jobs: list[Job] = []
    try:
        if p["estate"]:
            from scanner.config import EstateError, load_estate

            client = p["client"]
            try:
                for entry in load_estate(p["estate"], only=client if client != "default" else None):
                    jobs.append(Job(entry.name, entry.targets, ScanOptions(
                        client=entry.name, include=include + entry.include, exclude=exclude + entry.exclude,
                        cluster=cluster or entry.cluster,
                        **{**base, "max_file_size": p["max_file_size"] or entry.max_file_size,
                           "key_file": p["key_file"] or entry.key_file})))
            except EstateError as exc:
                raise click.UsageError(str(exc)) from None
        if p["targets"]:
            parsed = [parse_target(t, creds) for t in p["targets"]]
            jobs.append(Job(p["client"], parsed, ScanOptions(client=p["client"], include=include, exclude=exclude,
                                                             cluster=cluster, **base)))
    except TargetError as exc:
        raise click.UsageError(str(exc)) from None
    from contract.keys import KeyFileError, load_key

    for job in jobs:
        try:
            load_key(job.options.key_file)
        except KeyFileError as exc:
            raise click.UsageError(printable(exc)) from None
    for job in jobs:
        if job.options.cluster is not None and not _cluster_ready(job):
            return 2
    return _scan_jobs(jobs, p["report_path"], p["quiet"], stop, several=bool(p["estate"]) or len(jobs) > 1)


def _estate_cluster(estate: str | None) -> bool:
    """Whether the estate file names a Dask executor (then no local workers are needed)."""
    if not estate:
        return False
    from scanner.config import EstateError, load_estate

    try:
        return any(entry.cluster is not None for entry in load_estate(estate))
    except (EstateError, OSError):
        return False  # reported when the estate is read for the scan


def _cluster_ready(job) -> bool:
    """Before any work: the scheduler answers, its workers match this client and see the local
    targets, and no secret would cross the network in clear; else the reason, on stderr."""
    from contract.keys import load_key
    from detectors.config import DetectorConfig
    from scanner.cluster.connect import preflight
    from scanner.cluster.options import ClusterError
    from scanner.units import WorkerConfig

    options = job.options
    config = WorkerConfig(DetectorConfig(options.ner, options.spacy_model), load_key(options.key_file),
                          options.limits, options.agent)
    try:
        preflight(options.cluster, config, options.key_file, job.targets)
    except ClusterError as exc:
        _error(str(exc))
        return False
    return True


# the options --resume may be given with (the rest is recorded in the scan folder)
_RESUME_OPTIONS = {"resume_dir", "grace", "quiet", "report_path", "targets"}


def _scan_jobs(jobs, report_path, quiet, stop, several) -> int:
    """Scan each job (client) in turn; stop at the first one interrupted."""
    from scanner.plan import absolute_job, to_data
    from scanner.resume import PendingScan

    run = None
    if several:
        import secrets
        from datetime import datetime, timezone

        run = {"id": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(4),
               "jobs": [to_data(absolute_job(_with_report(job, report_path, several))) for job in jobs]}
    pending = [PendingScan(_with_report(job, report_path, several), None, run) for job in jobs]
    return _run_pending(pending, quiet, stop)


def _with_report(job, report_path, several):
    """The job with the report path it writes (one per client when there are several)."""
    if report_path and several:
        root, ext = os.path.splitext(report_path)
        return dataclasses.replace(job, report=f"{root}-{job.client}{ext or '.html'}")
    return dataclasses.replace(job, report=report_path)


def _resume(scan_dir, report_path, quiet, stop) -> int:
    from scanner.resume import ResumeError, pending_scans

    try:
        pending = pending_scans(scan_dir)
    except ResumeError as exc:
        raise click.UsageError(printable(exc)) from None
    if not pending:
        click.echo(f"{printable(scan_dir)} is complete: nothing to resume")
        return 0
    if report_path:
        pending = [dataclasses.replace(p, job=dataclasses.replace(p.job, report=report_path)) for p in pending]
    from scanner.fork import start_server

    if any(p.job.options.workers != 0 and p.job.options.cluster is None for p in pending):
        start_server(ner=any(p.job.options.ner for p in pending))
    return _run_pending(pending, quiet, stop)


def _run_pending(pending, quiet, stop) -> int:
    """Run each scan in turn; once a stop is asked for, start no other (resuming does them)."""
    worst = 0
    for scan in pending:
        worst = max(worst, _scan_one(scan, quiet, stop))
        if stop.requested:
            return stop.exit_code
    return worst


def _scan_one(scan, quiet, stop) -> int:
    from scanner.engine import EXIT_FATAL, EXIT_USAGE
    from scanner.incremental import NotAScan
    from scanner.inventory import OutputError as InventoryOutputError
    from scanner.pool import WorkerStartError
    from scanner.cluster.options import ClusterError
    from scanner.resume import ResumeError

    console = None
    try:
        if quiet:  # scheduled audits: no display, and rich is never imported
            result = scan.run(None, stop)
        else:
            from rich.console import Console

            from piisweep.progress import RichProgress

            console = Console(stderr=True)
            with RichProgress(console) as progress:
                result = scan.run(progress, stop)
    except ScanAborted as exc:
        where = exc.scan_dir or scan.scan_dir
        _stopped(f"{exc.reason}", where, committed_only=True)
        return exc.exit_code
    except (ResumeError, NotAScan, ClusterError) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except WorkerStartError as exc:
        _error(f"a worker could not start: {exc}")
        return EXIT_FATAL
    except InventoryOutputError as exc:
        if exc.scan_dir and os.path.isfile(os.path.join(exc.scan_dir, PLAN)):
            then = "free some space, then run" if exc.disk_full else "run"
            _error(f"cannot write {exc.scan_dir}: {exc}; the scan stopped. What it committed is intact: "
                   f"{then}: piisweep scan --resume {exc.scan_dir}")
        else:
            _error(f"cannot write to {exc.scan_dir}: {exc}")
        return EXIT_FATAL
    except OSError as exc:
        _error(f"{exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}")
        return EXIT_FATAL
    if result is None:  # resumed, and complete already
        click.echo(f"{printable(scan.scan_dir)} is complete: nothing to resume")
        return 0
    if result.interrupted:
        _stopped(result.interrupted, result.scan_dir, committed_only=False,
                 items=result.manifest["counts"]["items"])
        return result.exit_code
    if console is not None:
        from piisweep.progress import summary_table

        console.print(summary_table(result.manifest, result.scan_dir))
    if scan.job.report:
        from reports.html import render_report

        path = scan.job.report
        try:
            render_report(result.scan_dir, path)
        except OSError as exc:  # the scan and its inventory stand: say so in one line
            _error(f"{cannot_write(path, exc)} (the inventory is complete: {result.scan_dir})")
            return result.exit_code
        if console is not None:
            console.print(f"report: {printable(path)}", markup=False, highlight=False)
    return result.exit_code


def _stopped(reason: str, scan_dir: str | None, committed_only: bool, items: int | None = None) -> None:
    """The one line a stopped scan prints: why, where its inventory is, how to resume it."""
    if scan_dir is None:
        click.echo(f"piisweep: {reason} before the scan started: nothing was written", err=True)
        return
    what = ("its committed parts are kept" if committed_only
            else f"the incomplete inventory ({items:,} item rows) is readable")
    click.echo(printable(f"piisweep: scan {reason}: {what} in {scan_dir}; "
                         f"resume with: piisweep scan --resume {scan_dir}"), err=True)


def _error(text: str) -> None:
    """A fatal error, printed even with --quiet."""
    click.echo(f"{click.style('error:', fg='red')} {printable(text)}", err=True)


for _command in [*REPORT_COMMANDS, audit]:
    main.add_command(_command)


def run() -> None:
    """The ``piisweep`` command (console script and ``python -m piisweep``)."""
    # This process receives every finding row from the workers (hundreds of thousands of small
    # lists a minute) and keeps few objects for long: the collector's default pace (a young
    # collection per 700 new objects) would run it hundreds of times a scan, on the cores the
    # workers need. Workers collect at the same pace (scanner.pool).
    gc.set_threshold(50_000, 20, 100)
    main()


if __name__ == "__main__":
    run()
