"""The folder map: a drill-down treemap of where personal data sits, as inline SVG.

Each node of the :class:`reports.folders.FolderTree` that has children gets a
*view*: its children squarified into one picture. The page shows one view at a
time; the page's own script switches views when a box is clicked, rebuilds the
breadcrumb and filters the report's tables to the folder. Without the script
(or on paper) each client's opening view is shown: the first level with more than one box.

Box area grows with the logarithm of the records beneath (1 + log10), so a
small store of health data stays visible beside a huge log; colour is the most
sensitive category beneath; folders where nothing personal was found are grey
and small, so that coverage shows too. Every number travels in escaped
attributes and ``<title>`` text: no name is ever written into markup or script
unescaped.
"""

from __future__ import annotations

import math
from collections import deque
from html import escape

from contract.categories import SENSITIVITY
from reports import risk
from reports.folders import FolderTree, Node, target_label
from reports.treemap import squarify

WIDTH, HEIGHT = 1200, 520
CHILDREN_CAP = 150      # boxes in one view; the rest become one "more folders" box
BOX_BUDGET = 4000       # boxes in all views of one report, so the file stays small
GREY = "#ced4da"
NOTHING_PERSONAL_WEIGHT = 0.5


def weight(node: Node) -> float:
    """Box area: 1 + log10(records) with personal data, a small fixed area without."""
    return 1.0 + math.log10(max(node.total.records, 1)) if node.personal else NOTHING_PERSONAL_WEIGHT


def _n(value: int) -> str:
    return f"{value:,}"


def tooltip(node: Node, heading: str) -> str:
    """The hover text of a box: records per category, items, risk."""
    lines = [heading]
    if node.personal:
        t = node.total
        cats = sorted(t.categories.items(), key=lambda kv: (-SENSITIVITY.get(kv[0], 0), -kv[1]))
        lines.append(f"{_n(t.records)} records: " + ", ".join(f"{c} {_n(n)}" for c, n in cats))
        lines.append(f"{_n(t.locations)} of {_n(t.items)} items hold personal data")
        lines.append(f"risk: {risk.level(t.score or 0)} (highest score {t.score or 0:.1f})")
    else:
        lines.append(f"nothing personal found in {_n(node.total.items)} items")
    if node.total.skipped or node.total.errors:
        lines.append(f"{_n(node.total.skipped)} skipped, {_n(node.total.errors)} failed")
    return "\n".join(lines)


class FolderMap:
    """Draws the views of a :class:`FolderTree`; remembers which nodes got a box."""

    def __init__(self, tree: FolderTree, colours: dict[str, str]):
        self.tree = tree
        self.colours = colours
        self.drawn: set[str] = {root.id for root in tree.roots}
        self._plans: list[tuple[Node, Node, list[Node], list[Node]]] = []   # (root, node, shown, rest)
        self._plan()
        self._viewed = {node.id for _, node, _, _ in self._plans}

    def _plan(self) -> None:
        """Choose the views breadth-first, so that upper levels are complete before the budget ends."""
        budget = BOX_BUDGET
        queue = deque((root, root) for root in self.tree.roots)
        while queue:
            root, node = queue.popleft()
            children = sorted(node.children.values(), key=lambda c: (not c.personal, -c.total.records, -c.total.items, c.name))
            if not children or budget <= 0:
                continue
            shown = children[:CHILDREN_CAP]
            budget -= len(shown) + 1
            self._plans.append((root, node, shown, children[CHILDREN_CAP:]))
            for child in shown:
                self.drawn.add(child.id)
                if child.personal and child.children:
                    queue.append((root, child))

    def _view(self, node: Node, shown: list[Node], rest: list[Node]) -> str:
        boxes: list[tuple[float, object]] = [(weight(c), self._box_for(c, node)) for c in shown]
        if node.direct.locations and node.children:
            boxes.append((1.0 + math.log10(max(node.direct.records, 1)), self._here_box(node)))
        if rest:
            boxes.append((sum(weight(c) for c in rest), self._rest_box(node, rest)))
        boxes.sort(key=lambda b: -b[0])
        rects = squarify([w for w, _ in boxes], 0, 0, WIDTH, HEIGHT)
        parts = [f'<g class="view" data-node="{node.id}" data-label="{escape(node.name)}">']
        parts += [draw(*rect) for (_, draw), rect in zip(boxes, rects)]
        parts.append("</g>")
        return "".join(parts)

    def _box_for(self, child: Node, parent: Node):
        def draw(x, y, w, h):
            colour = self.colours.get(child.total.top_category, "#888") if child.personal else GREY
            heading = " › ".join(n.name for n in child.lineage()[1:])
            attrs = (f'class="box{" personal" if child.personal else ""}" data-node="{child.id}" '
                     f'data-parent="{parent.id}" data-kind="{child.kind}" data-label="{escape(child.name)}" '
                     f'data-target="{escape(target_label(child.target))}" data-path="{escape(child.folder)}" '
                     f'data-records="{child.total.records}" data-locations="{child.total.locations}" '
                     f'data-items="{child.total.items}"')
            tip = tooltip(child, heading)
            if child.personal:
                attrs += f' tabindex="0" role="button" aria-label="{escape(heading)}"'
            if child.id in self._viewed:
                attrs += ' data-drill="1"'
            elif child.personal and child.children:
                tip += "\nsub-folders not drawn (the map's size limit): the tables list them"
            return _rect(attrs, x, y, w, h, colour, tip, child.name,
                         f"{_n(child.total.records)} records" if child.personal else "nothing personal")
        return draw

    def _here_box(self, node: Node):
        def draw(x, y, w, h):
            d = node.direct
            heading = f"{d.item_word} directly in {node.name}"
            attrs = (f'class="box personal here" data-node="{node.id}" data-kind="here" tabindex="0" role="button" '
                     f'aria-label="{escape(heading)}" data-records="{d.records}" data-locations="{d.locations}"')
            tip = f"{heading}\n{_n(d.records)} records in {_n(d.locations)} of {_n(d.items)} {d.item_word}"
            colour = self.colours.get(d.top_category, "#888")
            return _rect(attrs, x, y, w, h, colour, tip, f"{d.item_word} here", f"{_n(d.records)} records")
        return draw

    def _rest_box(self, node: Node, rest: list[Node]):
        def draw(x, y, w, h):
            records, personal = sum(c.total.records for c in rest), sum(1 for c in rest if c.personal)
            tip = (f"{len(rest):,} more folders in {node.name}, not drawn one by one: {personal:,} hold "
                   f"{_n(records)} records of personal data; the tables list them")
            attrs = f'class="box rest" data-kind="rest" data-count="{len(rest)}" data-records="{records}"'
            return _rect(attrs, x, y, w, h, GREY, tip, f"{len(rest):,} more folders", f"{_n(records)} records")
        return draw

    def anchor(self, node: Node | None) -> str:
        """The id of the deepest drawn node at or above ``node`` (what a table row is filtered by)."""
        while node is not None and node.id not in self.drawn:
            node = node.parent
        return node.id if node is not None else ""

    def opening(self, root: Node) -> list[Node]:
        """The path from ``root`` to the view a reader sees first: down through levels that hold
        a single box (one system, one share), so the first picture already shows folders."""
        views = {node.id: shown for r, node, shown, rest in self._plans if r is root and not rest}
        path = [root]
        while True:
            node = path[-1]
            shown = views.get(node.id)
            if shown is None or len(shown) != 1 or node.direct.locations:
                return path
            child = shown[0]
            if not any(n is child for _, n, _, _ in self._plans):
                return path
            path.append(child)

    def html(self) -> str:
        """One figure per client: a breadcrumb and the SVG of all its views, the opening one current."""
        figures = []
        for i, root in enumerate(self.tree.roots):
            path = self.opening(root)
            views = "".join(self._view(node, shown, rest) for r, node, shown, rest in self._plans if r is root)
            start = f'class="view" data-node="{path[-1].id}"'
            views = views.replace(start, start.replace('class="view"', 'class="view current"'), 1)
            crumbs = " › ".join(f"<span>{escape(node.name)}</span>" for node in path)
            heading = (f'<h3 class="mapclient">{escape(root.name)}</h3>' if len(self.tree.roots) > 1 else "")
            figures.append(
                f'<figure class="foldermap" id="map-{i}" data-client="{escape(root.client)}" '
                f'data-start="{path[-1].id}">{heading}'
                f'<nav class="crumbs" aria-label="Folder path">{crumbs}</nav>'
                f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Folder map of {escape(root.name)}">'
                f"{views}</svg></figure>")
        return "".join(figures)


def _rect(attrs: str, x: float, y: float, w: float, h: float, colour: str, tip: str, label: str, sub: str) -> str:
    dark = colour == GREY
    text = ""
    if w > 44 and h > 18:
        cls = "tm-label dark" if dark else "tm-label"
        text = f'<text x="{x + 4:.1f}" y="{y + 14:.1f}" class="{cls}">{escape(_fit(label, w))}</text>'
        if h > 34:
            text += f'<text x="{x + 4:.1f}" y="{y + 28:.1f}" class="{cls} sub">{escape(_fit(sub, w))}</text>'
    return (f'<g {attrs}><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{escape(tip)}</title></rect>{text}</g>")


def _fit(label: str, width: float) -> str:
    chars = max(int((width - 6) / 7), 3)
    return label if len(label) <= chars else label[: chars - 1] + "…"
