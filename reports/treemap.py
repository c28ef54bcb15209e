"""A squarified treemap drawn as inline SVG, for the report's data map picture.

Kept apart from the HTML assembly because it is pure geometry: given weighted
boxes it returns rectangles whose areas are proportional to the weights and
whose aspect ratios stay close to square (Bruls, Huizing & van Wijk, 2000).
"""

from __future__ import annotations

from html import escape


def _worst(row: list[float], side: float) -> float:
    total = sum(row)
    return max(max(side * side * r / (total * total), total * total / (side * side * r)) for r in row)


def squarify(weights: list[float], x: float, y: float, w: float, h: float) -> list[tuple[float, float, float, float]]:
    """Rectangles (x, y, w, h) for ``weights`` (sorted descending, all > 0) inside the box."""
    total = sum(weights)
    if not weights or total <= 0:
        return []
    if w <= 0 or h <= 0:  # a box too small to subdivide: children get no area
        return [(x, y, 0.0, 0.0) for _ in weights]
    areas = [wt * w * h / total for wt in weights]
    rects: list[tuple[float, float, float, float]] = []
    row: list[float] = []
    i = 0
    while i < len(areas):
        side = min(w, h)
        if not row or _worst(row + [areas[i]], side) <= _worst(row, side):
            row.append(areas[i])
            i += 1
            continue
        x, y, w, h = _lay_row(row, x, y, w, h, rects)
        row = []
    if row:
        _lay_row(row, x, y, w, h, rects)
    return rects


def _lay_row(row, x, y, w, h, rects):
    """Place one row along the shorter side; return the remaining box."""
    total = sum(row)
    if w >= h:  # column on the left
        col_w = total / h if h else 0
        cy = y
        for a in row:
            rh = a / col_w if col_w else 0
            rects.append((x, cy, col_w, rh))
            cy += rh
        return x + col_w, y, w - col_w, h
    row_h = total / w if w else 0
    cx = x
    for a in row:
        rw = a / row_h if row_h else 0
        rects.append((cx, y, rw, row_h))
        cx += rw
    return x, y + row_h, w, h - row_h


def svg_treemap(groups: list[tuple[str, list[tuple[str, float, str]]]], colours: dict[str, str],
                width: int = 1200, height: int = 380) -> str:
    """An SVG of groups (label, [(child label, weight, tooltip)]) subdivided by child.

    Children are coloured by their label through ``colours``; every rectangle
    carries a ``<title>`` tooltip, and labels are drawn only where they fit.
    """
    groups = [(g, [c for c in children if c[1] > 0]) for g, children in groups]
    groups = [(g, sorted(children, key=lambda c: -c[1])) for g, children in groups if children]
    groups.sort(key=lambda g: -sum(c[1] for c in g[1]))
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Data map treemap" class="treemap">']
    outer = squarify([sum(c[1] for c in ch) for _, ch in groups], 0, 0, width, height)
    for (label, children), (gx, gy, gw, gh) in zip(groups, outer):
        pad = 2
        inner = squarify([c[1] for c in children], gx + pad, gy + 16 + pad, max(gw - 2 * pad, 0),
                         max(gh - 16 - 2 * pad, 0))
        parts.append(f'<g><rect x="{gx:.1f}" y="{gy:.1f}" width="{gw:.1f}" height="{gh:.1f}" '
                     f'class="tm-group"><title>{escape(label)}</title></rect>')
        if gw > 60:
            parts.append(f'<text x="{gx + 4:.1f}" y="{gy + 12:.1f}" class="tm-glabel">'
                         f'{escape(_fit(label, gw))}</text>')
        for (clabel, _, tip), (cx, cy, cw, ch) in zip(children, inner):
            colour = colours.get(clabel, "#888")
            parts.append(f'<rect x="{cx:.1f}" y="{cy:.1f}" width="{cw:.1f}" height="{ch:.1f}" fill="{colour}" '
                         f'class="tm-cell"><title>{escape(tip)}</title></rect>')
            if cw > 50 and ch > 16:
                parts.append(f'<text x="{cx + 3:.1f}" y="{cy + 13:.1f}" class="tm-clabel">'
                             f'{escape(_fit(clabel, cw))}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _fit(label: str, width: float) -> str:
    chars = max(int(width / 7), 3)
    return label if len(label) <= chars else label[: chars - 1] + "…"
