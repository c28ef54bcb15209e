"""The ``piisweep`` command line: scan, and the report commands that read inventories.

Exit codes of ``piisweep scan``: 0 every item scanned or deliberately
skipped; 3 some items could not be read (errors are in items.parquet and the
report); 4 a target failed or stopped part-way (the inventory holds what was
found); 2 usage error (including an output path that cannot be written or an
estate key that cannot be used, both checked before any work); 1 the scan
itself failed (nothing usable written). A report that cannot be written after a
finished scan is one line on stderr; the exit code stays the scan's.
"""

from __future__ import annotations

import logging
import os
import sys

import click

from piisweep.audit_command import audit
from piisweep.outputs import OutputError, cannot_write, check_output_file, check_output_folder
from piisweep.report_commands import COMMANDS as REPORT_COMMANDS
from piisweep.terminal import printable
from scanner.limits import OCR_MODES
from scanner.sizes import parse_size

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
@click.option("--quiet", "-q", is_flag=True, help="No progress display or summary.")
def scan(targets, out, client, estate, report_path, workers, include, exclude, max_file_size, follow_symlinks,
         no_ner, spacy_model, item_timeout, since, key_file, identity, known_hosts, accept_new_host_key,
         use_ssh_agent, password_env, connect_timeout, sample_rows, statement_timeout, ocr, ocr_lang, ocr_timeout,
         quiet):
    """Scan TARGETS (paths, ssh://, smb://, postgresql://, mysql://, sqlite:///) into an inventory."""
    try:  # before any work: an hour's scan must not end in an unwritable report
        check_output_folder(out)
        if report_path:
            check_output_file(report_path)
    except OutputError as exc:
        raise click.UsageError(printable(exc)) from None
    if workers != 0 and not since:  # a rescan may find nothing to read: it starts workers when needed
        from scanner.fork import start_server

        start_server(ner=not no_ner)
    from agents.base import AgentOptions
    from scanner.engine import ScanOptions
    from scanner.limits import ExtractLimits
    from contract.targets import CredentialRef, TargetError, parse_target

    creds = CredentialRef(password_env=password_env, identity=identity, known_hosts=known_hosts,
                          accept_new_host_key=accept_new_host_key, use_ssh_agent=use_ssh_agent)
    jobs = []  # (client, targets, options)
    base = dict(out=out, workers=workers, max_file_size=max_file_size, ner=not no_ner, spacy_model=spacy_model,
                item_timeout=item_timeout, since=since, key_file=key_file,
                limits=ExtractLimits(sample_rows=sample_rows, ocr=ocr, ocr_languages=ocr_lang,
                                     ocr_page_seconds=ocr_timeout),
                agent=AgentOptions(follow_symlinks=follow_symlinks, connect_timeout=connect_timeout,
                                   sample_rows=sample_rows, statement_timeout=statement_timeout,
                                   exclude=tuple(exclude)))
    try:
        if estate:
            from scanner.config import EstateError, load_estate

            try:
                for entry in load_estate(estate, only=client if client != "default" else None):
                    jobs.append((entry.name, entry.targets, ScanOptions(
                        client=entry.name, include=tuple(include) + entry.include,
                        exclude=tuple(exclude) + entry.exclude,
                        **{**base, "max_file_size": max_file_size or entry.max_file_size,
                           "key_file": key_file or entry.key_file})))
            except EstateError as exc:
                raise click.UsageError(str(exc)) from None
        if targets:
            parsed = [parse_target(t, creds) for t in targets]
            jobs.append((client, parsed, ScanOptions(client=client, include=tuple(include), exclude=tuple(exclude),
                                                     **base)))
    except TargetError as exc:
        raise click.UsageError(str(exc)) from None
    if not jobs:
        raise click.UsageError("give at least one TARGET or --estate FILE")
    from contract.keys import KeyFileError, load_key

    for _, _, options in jobs:
        try:
            load_key(options.key_file)
        except KeyFileError as exc:
            raise click.UsageError(printable(exc)) from None
    worst = 0
    for name, job_targets, options in jobs:
        worst = max(worst, _scan_one(job_targets, options, report_path, quiet, multi=len(jobs) > 1))
    sys.exit(worst)


def _scan_one(targets, options, report_path, quiet, multi) -> int:
    from scanner.engine import EXIT_FATAL, run_scan
    from scanner.pool import WorkerStartError

    console = None
    try:
        if quiet:  # scheduled audits: no display, and rich is never imported
            result = run_scan(targets, options)
        else:
            from rich.console import Console

            from piisweep.progress import RichProgress

            console = Console(stderr=True)
            with RichProgress(console) as progress:
                result = run_scan(targets, options, progress)
    except WorkerStartError as exc:
        _error(f"a worker could not start: {exc}")
        return EXIT_FATAL
    except OSError as exc:
        _error(f"{exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}")
        return EXIT_FATAL
    if console is not None:
        from piisweep.progress import summary_table

        console.print(summary_table(result.manifest, result.scan_dir))
    if report_path:
        from reports.html import render_report

        path = report_path
        if multi:
            root, ext = os.path.splitext(report_path)
            path = f"{root}-{options.client}{ext or '.html'}"
        try:
            render_report(result.scan_dir, path)
        except OSError as exc:  # the scan and its inventory stand: say so in one line
            _error(f"{cannot_write(path, exc)} (the inventory is complete: {result.scan_dir})")
            return result.exit_code
        if console is not None:
            console.print(f"report: {printable(path)}", markup=False, highlight=False)
    return result.exit_code


def _error(text: str) -> None:
    """A fatal error, printed even with --quiet."""
    click.echo(f"{click.style('error:', fg='red')} {printable(text)}", err=True)


for _command in [*REPORT_COMMANDS, audit]:
    main.add_command(_command)


def run() -> None:
    """The ``piisweep`` command (console script and ``python -m piisweep``)."""
    main()


if __name__ == "__main__":
    run()
