"""Small HTML builders shared by the report's sections.

Every piece of text that comes from an inventory (file names, reasons,
previews, client names) goes through :func:`html.escape` here, in one place:
a hostile file name is printed as text, never read as markup. Numbers carry
``data-metric`` / ``data-value`` (and table cells ``data-sort``) so that tests,
and anyone auditing the report, can read exactly what was displayed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape

from contract.categories import CONTACT, CREDENTIAL, CRIMINAL, FINANCIAL, IDENTITY, ONLINE, SPECIAL
from reports import risk

COLOURS = {SPECIAL: "#a1161c", CRIMINAL: "#6f2dbd", CREDENTIAL: "#d9480f", FINANCIAL: "#b07d00",
           IDENTITY: "#1c5fb8", CONTACT: "#2b8a3e", ONLINE: "#5c6f82"}


def n(value) -> str:
    """An integer with thousands separators."""
    return f"{int(value or 0):,}"


def size(value: int) -> str:
    """A byte count in B/KB/MB/GB/TB."""
    amount = float(value or 0)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if amount < 1024 or unit == "TB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} TB"


def date(epoch) -> str:
    """An epoch (UTC) as YYYY-MM-DD, or a dash."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d") if epoch is not None else "—"


def metric(name: str, value, text: str | None = None) -> str:
    """A displayed number that tests can find: ``data-metric`` plus its exact ``data-value``."""
    return f'<span data-metric="{escape(name)}" data-value="{escape(str(value))}">{escape(text or n(value))}</span>'


def level(score: float | None) -> str:
    """The risk level badge of a score (``none`` without one)."""
    return level_badge(risk.level(score) if score is not None else "none")


def level_badge(name: str) -> str:
    """A risk level badge by name."""
    return f'<span class="level level-{name}">{name}</span>'


def chip(category: str, count: int | None = None) -> str:
    """A category label in its colour, with a count when given."""
    label = category + (f" {n(count)}" if count is not None else "")
    return f'<span class="chip" style="background:{COLOURS.get(category, "#888")}">{escape(label)}</span>'


def loc(row: dict, text: str | None = None) -> str:
    """A location cell: its path (or ``text``), the full URI on hover, archive members beside it."""
    container = row.get("containers") or row.get("container")
    extra = f' <span class="note">[{escape(container)}]</span>' if container else ""
    shown = text if text is not None else (row.get("path") or row["uri"])
    return f'<td class="loc mono" title="{escape(row["uri"])}">{escape(shown)}{extra}</td>'


def num(value, text: str | None = None) -> str:
    """A right-aligned numeric cell that sorts by its value."""
    return f'<td class="num" data-sort="{value if value is not None else ""}">{escape(text or n(value))}</td>'


def risk_cell(score: float | None) -> str:
    """A risk level cell that sorts by the score."""
    return f'<td data-sort="{score or 0:.3f}">{level(score)}</td>'


def row(cells: str, at: str = "") -> str:
    """A table row; ``at`` is the folder-map node it belongs to (the map's folder filter uses it)."""
    return f'<tr data-at="{at}">{cells}</tr>' if at else f"<tr>{cells}</tr>"


def _filter_box(table_id: str, hint: str) -> str:
    return (f'<input class="filter" type="search" data-table="{table_id}" '
            f'placeholder="Filter {escape(hint or "rows")}…" aria-label="Filter">')


def _head(headers: list[tuple[str, bool]]) -> str:
    cells = "".join(f'<th{" class=num" if numeric else ""}>{escape(label)}</th>' for label, numeric in headers)
    return f"<thead><tr>{cells}</tr></thead>"


def table(table_id: str, headers: list[tuple[str, bool]], body: list[str], filter_hint: str = "") -> str:
    """A sortable (click a header) and filterable table; headers are (label, numeric)."""
    if not body:
        return '<p class="empty">Nothing to show.</p>'
    return (f'{_filter_box(table_id, filter_hint)}<table id="{table_id}" class="sortable">{_head(headers)}'
            f'<tbody>{"".join(body)}</tbody></table>')


def grouped_table(table_id: str, headers: list[tuple[str, bool]], groups: list[tuple[dict, str, str, list[str]]],
                  filter_hint: str = "") -> str:
    """A table of groups (one ``<tbody>`` each): a summary row that expands to its member rows.

    ``groups`` are (the group's ``data-`` attributes, with "at" its folder-map
    node; the first cell's escaped content; the other summary cells; the member
    rows' cells). Sorting a column orders the groups by their summary row;
    members stay with their group.
    """
    if not groups:
        return '<p class="empty">Nothing to show.</p>'
    toggle = '<button type="button" class="toggle" aria-expanded="false" aria-label="Show the files">▸</button>'
    bodies = "".join(
        f'<tbody class="group"{_data(attrs)}><tr class="summary-row"><td class="loc mono">{toggle}{first}</td>'
        f'{cells}</tr>{"".join(f"<tr class=member>{m}</tr>" for m in members)}</tbody>'
        for attrs, first, cells, members in groups)
    return (f'{_filter_box(table_id, filter_hint)}<table id="{table_id}" class="sortable grouped">'
            f"{_head(headers)}{bodies}</table>")


def _data(attrs: dict) -> str:
    return "".join(f' data-{name}="{escape(str(value))}"' for name, value in attrs.items())


def capped(shown: int, total: int, what: str) -> str:
    """A note saying a table lists only part of its rows, and where the rest is."""
    if total > shown:
        return (f'<p class="note" data-capped="{escape(what)}">Showing {n(shown)} of {n(total)} {escape(what)}; '
                f'the full list is in the inventory and in <code>piisweep datamap</code>.</p>')
    return ""
