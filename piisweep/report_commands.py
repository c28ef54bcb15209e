"""The report commands, mounted by scanner/cli.py: report, datamap, dsar, diff.

Each command reads inventories only. Raw query values given to ``dsar`` are
hashed in memory and echoed back only as masked previews. The query modules
(DuckDB, pyarrow) and rich's tables are imported by the command that runs:
``piisweep scan`` needs none of them.
"""

from __future__ import annotations

import json

import click

from reports.datamap import FORMATS

_SCAN_DIR = click.Path(exists=True, file_okay=False)


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc))


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
    click.echo(f"{output}: {s['locations']:,} locations, {s['records']:,} records, risk {s['risk_level']}, "
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
    from reports.datamap import DatamapError, export_datamap
    from reports.query import InventoryError

    try:
        n = export_datamap(scan_dir, fmt, output)
    except (InventoryError, DatamapError) as exc:
        _fail(exc)
    click.echo(f"{output}: {n:,} locations")


@click.command("dsar")
@click.argument("inventory_dir", type=_SCAN_DIR)
@click.option("--email", multiple=True, help="E-mail address (repeatable).")
@click.option("--phone", multiple=True, help="Phone number, national numbers read as UK (repeatable).")
@click.option("--iban", multiple=True, help="IBAN (repeatable).")
@click.option("--national-id", "national_id", multiple=True,
              help="NINO, SSN, SIN, NIR, BSN, Belgian national number, RRN or NHS number (repeatable).")
@click.option("--name", multiple=True, help="Full name as written (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def dsar(inventory_dir: str, email, phone, iban, national_id, name, as_json: bool) -> None:
    """List every location, across the scans in INVENTORY_DIR, holding a data subject's values."""
    queries = {k: list(v) for k, v in (("email", email), ("phone", phone), ("iban", iban),
                                       ("national_id", national_id), ("name", name)) if v}
    if not queries:
        raise click.UsageError("give at least one of --email, --phone, --iban, --national-id, --name")
    from reports.dsar import lookup
    from reports.query import InventoryError
    from contract.keys import KeyFileError, load_key

    try:
        found = lookup(inventory_dir, queries, load_key())
    except (InventoryError, KeyFileError) as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(found)} matching locations", show_lines=False)
    for col in ("scan", "location", "container", "type", "query (masked)", "source", "occurrences"):
        table.add_column(col, justify="right" if col == "occurrences" else "left",
                         overflow="fold")  # locations wrap, never lose their tail to an ellipsis
    for r in found:
        table.add_row(r["scan_id"], r["uri"], r["container"] or "", r["entity_type"], r["query_preview"],
                      r["source"], f"{r['occurrences']:,}")
    Console().print(table)


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
    if as_json:
        click.echo(json.dumps(d, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    f, items = d["findings"], d["items"]
    console.print(f"[bold]{d['a']['scan_id']} → {d['b']['scan_id']}[/bold]: personal-data values "
                  f"[green]+{f['added']:,}[/green] [red]−{f['removed']:,}[/red] {f['unchanged']:,} unchanged; "
                  f"items +{len(items['added']):,} −{len(items['removed']):,} ~{len(items['changed']):,} "
                  f"({items['unchanged']:,} unchanged)")
    changed = [r for r in f["by_location"] if r["added"] or r["removed"]]
    if changed:
        table = Table(title="Personal data changed per location")
        for col, just in (("location", "left"), ("type", "left"), ("new", "right"), ("removed", "right"),
                          ("unchanged", "right")):
            table.add_column(col, justify=just, overflow="fold")
        for r in changed:
            table.add_row(r["uri"], r["entity_type"], f"{r['added']:,}", f"{r['removed']:,}", f"{r['unchanged']:,}")
        console.print(table)
    rows = ([("added", r["uri"], r["size"], r["mtime"]) for r in items["added"]]
            + [("removed", r["uri"], r["size"], r["mtime"]) for r in items["removed"]]
            + [("modified", r["uri"], r["size_b"], r["mtime_b"]) for r in items["changed"]])
    if rows:
        table = Table(title="Items")
        for col in ("change", "location", "size", "modified"):
            table.add_column(col, justify="right" if col == "size" else "left", overflow="fold")
        for change, uri, size, mtime in rows:
            table.add_row(change, uri, f"{size:,}" if size is not None else "", mtime or "")
        console.print(table)


COMMANDS = [report, datamap, dsar, diff]
