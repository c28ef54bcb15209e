"""The live progress display and the closing summary of a scan (rich).

Target names, error reasons and paths are shown as plain text (piisweep.terminal):
they can hold names from the scanned estate.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from contract.models import ERROR, SCANNED, SKIPPED
from piisweep.terminal import plain, printable
from scanner.sizes import human


class RichProgress:
    """Items done of items found, bytes, findings and rate, redrawn a few times a second."""

    def __init__(self, console: Console):
        self.console = console
        self.found = self.done = self.findings = self.bytes = 0
        self.errors = 0
        self.started = time.monotonic()
        self.progress = Progress(
            SpinnerColumn(), TextColumn("[bold]scanning"), BarColumn(),
            TextColumn("{task.completed}/{task.total} items"), TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(), console=console, transient=True)
        self.task = self.progress.add_task("scan", total=0, detail="")

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        self.progress.__exit__(*exc)

    def discovered(self, item) -> None:
        self.found += 1
        self._refresh()

    def finished(self, records, findings: int, text_bytes: int) -> None:
        top = [r for r in records if not r.container]
        self.done += len(top)
        self.found += sum(1 for r in top if r.status != SCANNED or r.carried_over)
        self.errors += sum(1 for r in records if r.status == ERROR)
        self.findings += findings
        self.bytes += sum(r.size or 0 for r in top if r.status == SCANNED)
        self._refresh()

    def message(self, text: str) -> None:
        self.console.print(Text.assemble(("warning:", "yellow"), " ", printable(text)), highlight=False)

    def _refresh(self) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        detail = (f"{human(self.bytes)}  {self.findings} findings  {self.errors} errors  "
                  f"{human(self.bytes / elapsed)}/s")
        self.progress.update(self.task, total=max(self.found, self.done), completed=self.done, detail=detail)


def summary_table(manifest: dict, scan_dir: str) -> Table:
    """The closing table: what was scanned, what was found, what could not be read."""
    counts = manifest["counts"]
    status = counts["items_by_status"]
    table = Table(title=plain(f"piisweep scan {manifest['scan_id']}"), show_header=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("items scanned", str(status.get(SCANNED, 0)))
    table.add_row("items skipped", str(status.get(SKIPPED, 0)))
    table.add_row("items with errors", str(status.get(ERROR, 0)))
    table.add_row("bytes scanned", human(counts["bytes_scanned"]))
    # a findings row stands for one distinct value per container (its count = occurrences) or
    # one classified column (its count = matching rows): records are the sum of counts
    table.add_row("finding rows (distinct values and columns)", str(counts["findings"]))
    table.add_row("records of personal data, by type", str(sum(counts["entities"].values())))
    for entity, n in sorted(counts["entities"].items(), key=lambda kv: -kv[1]):
        table.add_row(f"  {entity}", str(n))
    for target in manifest["targets"]:
        note = target["status"] + (f": {target['error']}" if target["error"] else "")
        table.add_row(plain(f"target {target['target']}"), plain(note))
    table.add_row("duration", f"{manifest['duration_seconds']:.1f} s")
    table.add_row("inventory", plain(scan_dir))
    return table
