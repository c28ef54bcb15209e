"""Names from scanned estates printed as plain text: no markup, no control characters.

File and member names are chosen by whoever can write to a scanned folder. Printed
raw, an escape sequence in a name clears the screen, retitles the window or
plants a hyperlink, and through rich's markup ``[bold]`` is eaten and
``[/bold]`` crashes the command. Every name goes through :func:`printable`
(control characters become visible escapes) and into rich as :class:`Text`,
never as markup.
"""

from __future__ import annotations

import re
import sys
from typing import Sequence

# C0 and C1 controls and DEL, line/paragraph separators, and the bidirectional overrides
# and isolates that make a name display in another order than it is stored
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``)."""
    text = "" if text is None else str(text)
    return _CONTROL.sub(_escape, text)


def plain(text):
    """A rich Text of ``text`` made printable: shown as it is, markup characters included."""
    from rich.text import Text

    return Text(printable(text))


def print_table(title: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence], console=None) -> None:
    """Rows under a header: a rich table on a terminal, else tab-separated lines, one row per line.

    ``columns`` are (name, "left" | "right"). Off a terminal (a pipe, a file) a location is
    never wrapped over several lines, so that ``grep`` and ``cut`` see one row per line.
    """
    if console is None:
        from rich.console import Console

        console = Console()
    if not console.is_terminal:
        out = sys.stdout
        out.write("\t".join(name for name, _ in columns) + "\n")
        for row in rows:
            out.write("\t".join(printable(cell) for cell in row) + "\n")
        out.flush()
        return
    from rich.table import Table

    table = Table(title=printable(title))
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")  # wrap, never cut a location short
    for row in rows:
        table.add_row(*(plain(cell) for cell in row))
    console.print(table)
