"""The report commands, mounted by scanner/cli.py: report, datamap, dsar, diff.

Each command reads inventories only. Raw query values given to ``dsar`` are
hashed in memory and echoed back only as masked previews. The query modules
(DuckDB, pyarrow) and rich's tables are imported by the command that runs:
``piisweep scan`` needs none of them. Locations are names from scanned
estates: they are printed through :mod:`piisweep.terminal`, never as markup.
Output files are checked before any work (piisweep.outputs).
"""

from __future__ import annotations

import json

import click

from piisweep.outputs import OutputError, cannot_write, check_output_file
from piisweep.terminal import printable, print_table
from reports.datamap import FORMATS

_SCAN_DIR = click.Path(exists=True, file_okay=False)


def _fail(exc: Exception) -> None:
    raise click.ClickException(printable(exc))


def _check_output(path: str) -> None:
    try:
        check_output_file(path)
    except OutputError as exc:
        raise click.UsageError(printable(exc)) from None


def _warn(text: str) -> None:
    click.echo(f"{click.style('warning:', fg='yellow')} {printable(text)}", err=True)


def _warn_incomplete(inventory_dir: str) -> None:
    """A line on stderr for each scan folder that may not hold its whole scan."""
    from reports.completeness import incomplete_reasons
    from reports.query import scan_dirs

    for scan_dir in scan_dirs(inventory_dir):
        for reason in incomplete_reasons(scan_dir):
            _warn(f"incomplete scan {scan_dir}: {reason}")


@click.command("report")
@click.argument("scan_dir", type=_SCAN_DIR)
@click.option("--previous", "previous", type=_SCAN_DIR, help="An earlier scan to show changes against.")
@click.option("--retention-years", type=float, default=5, show_default=True,
              help="Flag personal data in items not modified for longer than this.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default="report.html", show_default=True)
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), default=None,
              help="Also print the report to this PDF file (needs a local Chromium or Chrome).")
def report(scan_dir: str, previous: str | None, retention_years: float, output: str, pdf: str | None) -> None:
    """Write the self-contained HTML findings report of SCAN_DIR."""
    _check_output(output)
    from reports.completeness import incomplete_reasons
    from reports.html import render_report
    from reports.pdf import PdfError, find_browser, missing_browser_message, print_pdf
    from reports.query import InventoryError

    browser = find_browser() if pdf else None
    if pdf and browser is None:  # said before any work is done
        _fail(Exception(missing_browser_message()))
    try:
        s = render_report(scan_dir, output, previous_dir=previous, retention_years=retention_years)
    except InventoryError as exc:
        _fail(exc)
    except OSError as exc:
        raise click.ClickException(printable(cannot_write(output, exc))) from None
    for reason in incomplete_reasons(scan_dir):
        _warn(f"incomplete scan: {reason}")
    click.echo(f"{printable(output)}: {s['locations']:,} locations, {s['records']:,} records, risk {s['risk_level']}, "
               f"{s['bytes'] / 1024:.0f} KB in {s['seconds']:.1f} s")
    if pdf:
        try:
            size = print_pdf(output, pdf, browser)
        except PdfError as exc:
            _fail(exc)
        click.echo(f"{pdf}: {size / 1024:.0f} KB, printed with {browser}")


@click.command("datamap")
@click.argument("scan_dir", type=_SCAN_DIR)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True)
def datamap(scan_dir: str, fmt: str, output: str) -> None:
    """Export a record-of-processing style data map of SCAN_DIR for the client's DPO."""
    _check_output(output)
    from reports.datamap import DatamapError, export_datamap
    from reports.query import InventoryError

    try:
        n = export_datamap(scan_dir, fmt, output)
    except (InventoryError, DatamapError) as exc:
        _fail(exc)
    except OSError as exc:
        raise click.ClickException(printable(cannot_write(output, exc))) from None
    _warn_incomplete(scan_dir)
    click.echo(f"{printable(output)}: {n:,} locations")


@click.command("dsar")
@click.argument("inventory_dir", type=_SCAN_DIR)
@click.option("--email", multiple=True, help="E-mail address (repeatable).")
@click.option("--phone", multiple=True, help="Phone number, national numbers read as UK (repeatable).")
@click.option("--iban", multiple=True, help="IBAN (repeatable).")
@click.option("--national-id", "national_id", multiple=True,
              help="NINO, SSN, SIN, NIR, BSN, Belgian national number, RRN or NHS number (repeatable).")
@click.option("--name", multiple=True, help="Full name as written (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--key-file", type=click.Path(dir_okay=False),
              help="Estate key file the inventories were hashed with (default: as for scan).")
def dsar(inventory_dir: str, email, phone, iban, national_id, name, as_json: bool, key_file: str | None) -> None:
    """List every location, across the scans in INVENTORY_DIR, holding a data subject's values.

    Scans hashed with another key than the one in use cannot match: the command refuses
    (exit 2) when every scan was, and warns about each such scan otherwise.
    """
    queries = {k: list(v) for k, v in (("email", email), ("phone", phone), ("iban", iban),
                                       ("national_id", national_id), ("name", name)) if v}
    if not queries:
        raise click.UsageError("give at least one of --email, --phone, --iban, --national-id, --name")
    from reports.dsar import lookup, other_key_scans
    from reports.query import InventoryError, scan_dirs
    from contract.keys import KeyFileError, load_key

    try:
        key = load_key(key_file)
    except KeyFileError as exc:
        raise click.UsageError(printable(exc)) from None
    try:
        others = other_key_scans(inventory_dir, key)
        if others and len(others) == len(scan_dirs(inventory_dir)):
            raise click.UsageError(printable(
                f"the inventories in {inventory_dir} were hashed with another estate key than the one in use: "
                f"nothing could match (give the estate's key with --key-file or PIISWEEP_KEY)"))
        for scan_dir in others:
            _warn(f"{scan_dir} was hashed with another estate key: its values cannot match and are not searched")
        _warn_incomplete(inventory_dir)
        found = lookup(inventory_dir, queries, key, skip=set(others))
    except InventoryError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    columns = (("scan", "left"), ("location", "left"), ("container", "left"), ("type", "left"),
               ("query (masked)", "left"), ("source", "left"), ("occurrences", "right"))
    print_table(f"{len(found)} matching locations", columns,
                [(r["scan_id"], r["uri"], r["container"] or "", r["entity_type"], r["query_preview"], r["source"],
                  f"{r['occurrences']:,}") for r in found])


@click.command("diff")
@click.argument("scan_a", type=_SCAN_DIR)
@click.argument("scan_b", type=_SCAN_DIR)
@click.option("--json", "as_json", is_flag=True, help="Print the full diff as JSON.")
def diff(scan_a: str, scan_b: str, as_json: bool) -> None:
    """Show what changed from SCAN_A (older) to SCAN_B (newer)."""
    from reports.diff import diff_scans
    from reports.query import InventoryError

    try:
        d = diff_scans(scan_a, scan_b)
    except InventoryError as exc:
        _fail(exc)
    _warn_incomplete(scan_a)
    _warn_incomplete(scan_b)
    if as_json:
        click.echo(json.dumps(d, indent=2))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console()
    f, items = d["findings"], d["items"]
    headline = Text.assemble(
        (printable(f"{d['a']['scan_id']} → {d['b']['scan_id']}"), "bold"), ": personal-data values ",
        (f"+{f['added']:,}", "green"), " ", (f"−{f['removed']:,}", "red"), f" {f['unchanged']:,} unchanged; ",
        f"items +{len(items['added']):,} −{len(items['removed']):,} ~{len(items['changed']):,} "
        f"({items['unchanged']:,} unchanged)")
    console.print(headline, soft_wrap=not console.is_terminal)
    changed = [r for r in f["by_location"] if r["added"] or r["removed"]]
    if changed:
        _section("Personal data changed per location", console)
        print_table("Personal data changed per location",
                    (("location", "left"), ("type", "left"), ("new", "right"), ("removed", "right"),
                     ("unchanged", "right")),
                    [(r["uri"], r["entity_type"], f"{r['added']:,}", f"{r['removed']:,}", f"{r['unchanged']:,}")
                     for r in changed], console)
    rows = ([("added", r["uri"], r["size"], r["mtime"]) for r in items["added"]]
            + [("removed", r["uri"], r["size"], r["mtime"]) for r in items["removed"]]
            + [("modified", r["uri"], r["size_b"], r["mtime_b"]) for r in items["changed"]])
    if rows:
        _section("Items", console)
        print_table("Items", (("change", "left"), ("location", "left"), ("size", "right"), ("modified", "left")),
                    [(change, uri, f"{size:,}" if size is not None else "", mtime or "")
                     for change, uri, size, mtime in rows], console)


def _section(title: str, console) -> None:
    """Off a terminal, a blank line and the table's title before its tab-separated rows."""
    if not console.is_terminal:
        click.echo(f"\n# {title}")


COMMANDS = [report, datamap, dsar, diff]
