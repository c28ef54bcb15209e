"""The ``piisweep audit`` command: checks its arguments and the lock, then runs piisweep.audit.

Everything that can be wrong before any work — estate-file mistakes, unknown client
names, two clients sharing a folder, an unusable key, another audit running in the
same AUDIT_DIR — is a usage error (exit 2) with a message saying what.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone

import click

AUDIT_LOCK = "audit.lock"
OWN_FILES = (AUDIT_LOCK, "summary.json", "index.html")  # what AUDIT_DIR holds beside the clients' folders


def _usage(message: str) -> None:
    click.echo(f"{click.style('error:', fg='red')} {message}", err=True)
    sys.exit(2)


@click.command("audit")
@click.option("--estate", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Estate file (TOML): the clients, their targets and policies.")
@click.option("--out", "audit_dir", required=True, type=click.Path(file_okay=False),
              help="AUDIT_DIR: receives <client>/<scan_id>/, each client's report, summary.json and index.html.")
@click.option("--client", "only", multiple=True, help="Audit only this client (repeatable).")
@click.option("--parallel-clients", type=click.IntRange(min=1), default=1, show_default=True,
              help="Clients audited at the same time (the cores are shared between them).")
@click.option("--workers", type=click.IntRange(min=0), help="Worker processes per client (default: cores / parallel clients).")
@click.option("--no-ner", is_flag=True, help="Identifiers only: no spaCy NER (much faster).")
@click.option("--spacy-model", help="spaCy pipeline to load (default: en_core_web_sm if installed).")
@click.option("--item-timeout", type=float, default=300.0, show_default=True, help="Seconds one item may take.")
@click.option("--quiet", "-q", is_flag=True, help="Print only clients with violations or problems (on stderr).")
def audit(estate, audit_dir, only, parallel_clients, workers, no_ner, spacy_model, item_timeout, quiet):
    """Audit every client of the estate: scan, report, data map, policy check, summary and overview."""
    from scanner.config import EstateError, load_estate

    try:
        everyone = load_estate(estate)
    except EstateError as exc:
        _usage(str(exc))
    names = [c.name for c in everyone]
    unknown = [n for n in only if n not in names]
    if unknown:
        _usage(f"no client named {', '.join(map(repr, unknown))} in {estate} (clients: {', '.join(names)})")
    from piisweep.audit import client_folder

    folders: dict[str, str] = {name: "" for name in OWN_FILES}
    for name in names:
        other = folders.setdefault(client_folder(name), name)
        if other != name:
            _usage(f"client {name!r} would use the folder {client_folder(name)!r} of "
                   f"{repr(other) if other else 'the audit itself'}: rename it")
    entries = [c for c in everyone if not only or c.name in only]
    from contract.keys import KeyFileError, load_key

    for key_file in {c.key_file for c in entries}:
        try:
            load_key(key_file)  # before any work, and once: parallel clients must not race to create it
        except KeyFileError as exc:
            _usage(str(exc))
    try:
        os.makedirs(audit_dir, mode=0o700, exist_ok=True)
    except OSError as exc:
        _usage(f"cannot create {audit_dir}: {exc.strerror}")
    from scanner.lock import FolderLock, LockHeld

    lock = FolderLock(os.path.join(audit_dir, AUDIT_LOCK), "piisweep audit")
    try:
        lock.acquire()
    except LockHeld as exc:
        _usage(str(exc))
    except OSError as exc:
        _usage(f"cannot lock {lock.path}: {exc.strerror}")
    try:
        if lock.took_over and not quiet:
            left = lock.took_over
            click.echo(f"note: took over the lock of an audit that ended without releasing it (pid {left.get('pid')}, "
                       f"started {left.get('started')})", err=True)
        sys.exit(_run(entries, everyone, audit_dir, parallel_clients, workers, no_ner, spacy_model, item_timeout,
                      quiet))
    finally:
        lock.release()


def _run(entries, everyone, audit_dir, parallel, workers, no_ner, spacy_model, item_timeout, quiet) -> int:
    from piisweep.audit import client_folder, run_audit
    from scanner.client_scans import last_complete

    # As scan --since: a client rescanned against its last audit may find nothing to read,
    # so the workers' server starts early only when some client has never been audited
    # (and scans locally: a client on a Dask cluster needs no local workers).
    if workers != 0 and any(e.cluster is None and last_complete(os.path.join(audit_dir, client_folder(e.name))) is None
                            for e in entries):
        from scanner.fork import start_server

        start_server(ner=not no_ner)
    from scanner.engine import ScanOptions
    from scanner.pool import default_workers

    per_client = workers if workers is not None else max(1, default_workers() // parallel)

    def options_for(entry) -> ScanOptions:
        return ScanOptions(out=audit_dir, client=entry.name, workers=per_client, include=entry.include,
                           exclude=entry.exclude, max_file_size=entry.max_file_size, ner=not no_ner,
                           spacy_model=spacy_model, item_timeout=item_timeout, key_file=entry.key_file,
                           cluster=entry.cluster)  # the estate's executor = "...": its Dask cluster

    def done(record: dict) -> None:
        if quiet and record["status"] == "complete" and not record["violations"]:
            return  # quiet: a cron job mails what is printed, so only what needs someone's attention
        found = record["violations"]
        new = sum(1 for v in found if v["new"])
        risk = f", risk {record['risk']['level']}" if record["risk"] else ""
        error = f" ({record['error']})" if record["error"] else ""
        click.echo(f"{record['client']}: {record['status']}{error}, {len(found)} violation(s), {new} new{risk}",
                   err=quiet)

    from scanner.stopping import ScanAborted, StopRequest, stop_on_signals

    started = datetime.now(timezone.utc).replace(microsecond=0)  # as summary.json shows it: ages agree
    try:
        with stop_on_signals(StopRequest()) as stop:
            code = run_audit(entries, everyone, audit_dir, options_for, parallel, started, done, stop)
    except ScanAborted as exc:
        click.echo(f"{click.style('stopped:', fg='red')} the audit was {exc.reason}; the next audit of "
                   f"{audit_dir} resumes it", err=True)
        return exc.exit_code
    if stop.requested:
        click.echo(f"stopped: the audit was {stop.reason}; the next audit of {audit_dir} resumes it", err=True)
    if not quiet:
        click.echo(f"summary: {os.path.join(audit_dir, 'summary.json')} · overview: "
                   f"{os.path.join(audit_dir, 'index.html')}")
    return code
