"""Squarified treemap layout, for the report's folder map (:mod:`reports.foldermap`).

Kept apart from the drawing because it is pure geometry: given weighted
boxes it returns rectangles whose areas are proportional to the weights and
whose aspect ratios stay close to square (Bruls, Huizing & van Wijk, 2000).
"""

from __future__ import annotations


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
