"""A client's trend over its audits as a small inline SVG chart, for the MSP overview.

Pure drawing, no script: one row per measure (records of personal data, high-risk
locations, violations), each a line over the audits scaled to its own maximum, with
the latest value written beside it (so the chart reads on paper too) and each
audit's exact number as a hover title. An audit without numbers (it failed) breaks
the line. Only presentation attributes and classes are used, never ``style``, so
the chart renders under a Content-Security-Policy that allows no inline style.
"""

from __future__ import annotations

from html import escape

WIDTH = 220
ROW = 22
PLOT = 150  # width of the lines; the rest holds the latest value


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known points (a failed audit splits the line)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def trend_svg(labels: list[str], series: list[tuple[str, str, list[int | None]]]) -> str:
    """An SVG of ``series`` — (css class, name, one value per audit or None) — over the
    audits named by ``labels`` (oldest first)."""
    n = len(labels)
    height = ROW * len(series)
    parts = [f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="trend over {n} audits">']
    for row, (css, name, values) in enumerate(series):
        top = row * ROW + 3
        span = ROW - 8
        peak = max((v for v in values if v is not None), default=0) or 1
        step = PLOT / max(n - 1, 1)
        points = [None if v is None else (round(4 + i * step, 1), round(top + span - span * v / peak, 1))
                  for i, v in enumerate(values)]
        parts.append(f'<line class="trend-base" x1="4" y1="{top + span}" x2="{PLOT + 4}" y2="{top + span}"/>')
        for run in _segments(points):
            if len(run) > 1:
                coords = " ".join(f"{x},{y}" for x, y in run)
                parts.append(f'<polyline class="trend-line {css}" fill="none" points="{coords}"/>')
        for label, value, point in zip(labels, values, points):
            if point is not None:
                parts.append(f'<circle class="trend-dot {css}" cx="{point[0]}" cy="{point[1]}" r="2">'
                             f"<title>{escape(label)}: {value:,} {escape(name)}</title></circle>")
        latest = values[-1] if values else None
        text = "—" if latest is None else f"{latest:,}"
        parts.append(f'<text class="trend-value" x="{PLOT + 10}" y="{top + span - 2}">{escape(text)}'
                     f"<title>{escape(name)}, latest audit</title></text>")
    parts.append("</svg>")
    return "".join(parts)
