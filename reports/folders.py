"""Where the personal data sits: a scan rolled up by folder.

Every top-level item (a file, a table) lies in a folder of its target
(:func:`reports.query.folder_sql`); folders nest in their target, targets in
their system, systems in their client. Each node of that tree holds the totals
of everything beneath it: items visited, locations with personal data, records
per category and the highest risk score. The report's folder map draws this
tree, and its grouped tables and one-minute summary name folders from it.

Only folder-level aggregates cross from DuckDB into Python (one row per folder,
never per item), so the tree of a million-finding scan stays small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from contract.categories import SENSITIVITY
from reports.query import Inventory, folder_key, folder_sql, rows

CLIENT, SYSTEM, TARGET, FOLDER = "client", "system", "target", "folder"


@dataclass
class Totals:
    """Items visited and personal data found, in one folder or beneath a node."""

    items: int = 0                 # top-level items visited (files, tables)
    tables: int = 0                # of which database tables
    scanned: int = 0
    skipped: int = 0
    errors: int = 0
    locations: int = 0             # items holding personal data
    records: int = 0
    categories: dict[str, int] = field(default_factory=dict)   # records per category
    score: float | None = None     # highest location risk score

    @property
    def top_category(self) -> str | None:
        """The most sensitive category found (the map's colour)."""
        return max(self.categories, key=lambda c: (SENSITIVITY.get(c, 0), self.categories[c]), default=None)

    @property
    def item_word(self) -> str:
        """What the items are called in a sentence: tables or files."""
        return "tables" if self.items and self.tables == self.items else "files"

    def add(self, other: Totals) -> None:
        """Add another folder's totals to these."""
        for name in ("items", "tables", "scanned", "skipped", "errors", "locations", "records"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.score is not None:
            self.score = other.score if self.score is None else max(self.score, other.score)
        for cat, count in other.categories.items():
            self.categories[cat] = self.categories.get(cat, 0) + count


@dataclass(eq=False)
class Node:
    """A client, system, target or folder: its totals beneath and, for a folder, directly in it."""

    id: str
    kind: str
    name: str                      # this level's own name: a client, a system, a target, one folder name
    parent: Node | None
    client: str
    system: str = ""
    target: str = ""
    folder: str = ""               # path below the target ('' for the target root and above)
    children: dict[str, Node] = field(default_factory=dict)
    total: Totals = field(default_factory=Totals)
    direct: Totals = field(default_factory=Totals)

    @property
    def personal(self) -> bool:
        """True when personal data was found beneath this node."""
        return self.total.locations > 0

    def lineage(self) -> list[Node]:
        """The nodes from the client down to this one."""
        out, node = [], self
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]

    def label(self) -> str:
        """The folder's path below its target, as tables print it ("/" for the target root)."""
        return self.folder or "/"


def target_label(target: str) -> str:
    """A target URI without its user name (and any password): what the map prints."""
    if "://" not in target:
        return target
    parts = urlsplit(target)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


class FolderTree:
    """The client › system › target › folder tree of one scan (see the module doc).

    A system with a single target has no target level: its folders hang from
    the system node, which then stands for the target root as well.
    """

    def __init__(self, inv: Inventory):
        self.roots: list[Node] = []
        self.nodes: list[Node] = []
        self._folders: dict[tuple[str, str, str, str], Node] = {}
        groups = self._aggregates(inv)
        targets_of: dict[tuple[str, str], set[str]] = {}
        for key in groups:
            targets_of.setdefault(key[:2], set()).add(key[2])
        clients: dict[str, Node] = {}
        for key in sorted(groups):
            client, system, target, folder = key
            root = clients.get(client)
            if root is None:
                root = clients[client] = self._new(CLIENT, client or "(no client)", None, client)
                self.roots.append(root)
            node = root.children.get(system) or self._child(root, system, SYSTEM, system, system=system)
            if len(targets_of[(client, system)]) == 1:
                node.target = target
            else:
                node = node.children.get(target) or self._child(node, target, TARGET, target_label(target),
                                                                 system=system, target=target)
            for depth, name in enumerate(folder.split("/") if folder else []):
                node = node.children.get(name) or self._child(
                    node, name, FOLDER, name, system=system, target=target,
                    folder="/".join(folder.split("/")[:depth + 1]))
            self._folders[key] = node
            node.direct.add(groups[key])
            for up in node.lineage():
                up.total.add(groups[key])

    def _new(self, kind: str, name: str, parent: Node | None, client: str, **where) -> Node:
        node = Node(f"n{len(self.nodes)}", kind, name, parent, client, **where)
        self.nodes.append(node)
        return node

    def _child(self, parent: Node, key: str, kind: str, name: str, **where) -> Node:
        node = self._new(kind, name, parent, parent.client, **where)
        parent.children[key] = node
        return node

    @staticmethod
    def _aggregates(inv: Inventory) -> dict[tuple[str, str, str, str], Totals]:
        """The totals of every (client, system, target, folder) that holds an item or a finding."""
        con = inv.con
        groups: dict[tuple[str, str, str, str], Totals] = {}

        def group(row: dict) -> Totals:
            return groups.setdefault(folder_key(row), Totals())

        for row in rows(con, f"""
                SELECT i.client, s.system, i.target, {folder_sql('i.kind', 'i.path')} AS folder, count(*) AS items,
                       count(*) FILTER (WHERE i.kind = 'table') AS tables,
                       count(*) FILTER (WHERE i.status = 'scanned') AS scanned,
                       count(*) FILTER (WHERE i.status = 'skipped') AS skipped,
                       count(*) FILTER (WHERE i.status = 'error') AS errors
                FROM items i LEFT JOIN sysmap_src s ON s.agent IS NOT DISTINCT FROM i.agent
                     AND s.host IS NOT DISTINCT FROM i.host AND s.target IS NOT DISTINCT FROM i.target
                WHERE i.container = '' GROUP BY ALL"""):
            g = group(row)
            for name in ("items", "tables", "scanned", "skipped", "errors"):
                setattr(g, name, getattr(g, name) + row[name])
        for row in rows(con, """
                SELECT client, system, target, folder, count(*) AS locations, max(score) AS score
                FROM loc GROUP BY ALL"""):
            group(row).add(Totals(locations=row["locations"], score=row["score"]))
        for row in rows(con, """
                SELECT l.client, l.system, l.target, l.folder, t.cat, sum(t.records) AS records
                FROM lt t JOIN loc l USING (uri) GROUP BY ALL"""):
            group(row).add(Totals(records=int(row["records"]), categories={row["cat"]: int(row["records"])}))
        return groups

    def folder_of(self, client: str | None, system: str | None, target: str | None, folder: str | None) -> Node | None:
        """The node of a location's folder (from the columns of a ``loc`` row)."""
        return self._folders.get((client or "", system or "", target or "", folder or ""))

    def folders(self) -> list[tuple[tuple[str, str, str, str], Node]]:
        """Every (client, system, target, folder) key that holds items or findings, with its node."""
        return list(self._folders.items())

    @property
    def systems(self) -> int:
        """How many systems the scan covers (folder names need their system beside them when > 1)."""
        return sum(len(root.children) for root in self.roots)
