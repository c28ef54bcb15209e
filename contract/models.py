"""The data that flows through a scan, one direction only.

agents yield :class:`Item`; extractors turn an opened item into :class:`TextBlock`,
:class:`ColumnBlock` and :class:`MemberEvent`; detectors turn blocks into
findings (a :class:`Finding`, or in a worker a row of ROW_FIELDS); the engine
collects :class:`ItemRecord` and findings for the inventory. Nothing here holds
a raw personal value once it leaves a worker: a finding carries only a keyed
hash and a masked preview.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, replace
from typing import Union

# Item statuses, as written to items.parquet.
SCANNED = "scanned"
SKIPPED = "skipped"
ERROR = "error"

# Hints an extractor gives the detector about a block, so that NER runs only on prose.
PROSE = "prose"  # sentences written by people: NER is worth its cost
LINES = "lines"  # logs, config, code: identifiers only, unless lines look like prose
FIELD = "field"  # a short structured value (cell, header value): identifiers only


@dataclass(frozen=True)
class Item:
    """One thing an agent can open: a file, or a database table.

    ``path`` is relative to the target root (files) or ``db.schema.table`` (tables);
    ``uri`` is absolute and names the target, so it is unique across an estate.
    ``ref`` is whatever the agent needs to open the item again in another process
    (a local absolute path as bytes, a remote path, a table identifier).
    """

    uri: str
    path: str
    size: int | None = None
    mtime: float | None = None
    owner: str | None = None
    kind: str = "file"  # file | table
    ref: object = None
    mode: int | None = None  # POSIX permission bits when known (exposure: world-readable)
    row_estimate: int | None = None  # tables: rows from catalog statistics


@dataclass
class TextBlock:
    """A run of extracted text with its position in the item.

    ``offset`` is the character offset of ``text`` in the extracted text of its
    ``container`` (the item itself when container is empty), ``line`` the 1-based
    line of its first character. Consecutive blocks of one container with
    contiguous offsets form one stream: the detector chunks them with overlap so
    that an entity split across two blocks is found exactly once.
    """

    text: str
    offset: int = 0
    line: int = 1
    container: str = ""  # archive member / sheet / page / MIME part / table
    # PROSE or LINES; None: told by the text itself (scanner.extract.blocks.block_hint), which
    # only NER needs to know: an identifier-only scan never looks
    hint: str | None = LINES


@dataclass
class ColumnBlock:
    """A sample of one column of structured data (CSV, sheet, JSON records, SQL).

    Classified as a whole from its ``header`` and ``values`` rather than cell by
    cell; ``total_rows`` is the (estimated) number of rows the column has, so a
    finding's count can be scaled from the sample: by ``total_rows / sample_rows``
    when rows were sampled (a sparse column's empty cells count as rows).
    """

    header: str
    values: list[str]
    total_rows: int
    container: str = ""  # sheet / table, plus member for archives
    column_index: int = 0
    sampled: bool = False
    sample_rows: int | None = None  # rows the sample was drawn from (empty cells included), when sampled


@dataclass
class MemberEvent:
    """Something an extractor visited inside an item (an archive member, an attachment).

    Each becomes its own row in items.parquet, so a failure inside an archive is
    counted and explained instead of silently dropped.
    """

    container: str
    status: str
    reason: str = ""
    size: int | None = None


Block = Union[TextBlock, ColumnBlock, MemberEvent]


@dataclass
class Finding:
    """One detected entity, already de-identified.

    ``value_hash`` is the HMAC of the normalised value with the estate key and
    ``preview`` a masked rendering: the raw value never leaves the worker.
    For a classified column, ``count`` is the estimated number of matching rows.
    """

    entity_type: str
    category: str
    start: int | None
    end: int | None
    line: int | None
    score: float
    detector: str
    value_hash: str | None
    preview: str
    count: int = 1
    container: str = ""


# Finding attributes that are columns of findings.parquet (container included)
FINDING_FIELDS = ("container", "entity_type", "category", "start", "end", "line", "score", "detector",
                  "value_hash", "preview", "count")
_FINDING_VALUES = operator.attrgetter(*FINDING_FIELDS)
# A worker collects its findings as rows: one list per finding, FINDING_FIELDS then uri and path.
# A dense log adds a row for every distinct value on it; a list row costs a fifth of a Finding
# built and taken apart again into columns, and its count is raised in place (ROW_COUNT).
ROW_FIELDS = FINDING_FIELDS + ("uri", "path")
ROW_CONTAINER, ROW_COUNT = ROW_FIELDS.index("container"), ROW_FIELDS.index("count")


@dataclass
class FindingColumns:
    """Findings as the inventory stores them: one list per column (``uri``, ``path`` and the
    FINDING_FIELDS), plus occurrences per entity type. Workers send findings to the scan's
    process in this form: unpickling one dataclass per finding, then taking it apart again,
    cost that process more CPU than writing the inventory, on the same cores as the workers."""

    rows: int
    columns: dict[str, list]
    occurrences: dict[str, int]

    @classmethod
    def from_rows(cls, rows: list[list]) -> "FindingColumns":
        """The columns of a worker's finding rows (in ROW_FIELDS order)."""
        columns = dict(zip(ROW_FIELDS, map(list, zip(*rows)))) if rows else {name: [] for name in ROW_FIELDS}
        occurrences: dict[str, int] = {}
        for entity, count in zip(columns["entity_type"], columns["count"]):
            occurrences[entity] = occurrences.get(entity, 0) + count
        return cls(len(rows), columns, occurrences)

    @classmethod
    def of(cls, findings: list[tuple[str, str, Finding]]) -> "FindingColumns":
        """The columns of (uri, path, finding) tuples."""
        rows = [f for _, _, f in findings]
        columns = dict(zip(FINDING_FIELDS, map(list, zip(*map(_FINDING_VALUES, rows))))) if rows else \
            {name: [] for name in FINDING_FIELDS}
        columns["uri"] = [uri for uri, _, _ in findings]
        columns["path"] = [path for _, path, _ in findings]
        occurrences: dict[str, int] = {}
        for f in rows:
            occurrences[f.entity_type] = occurrences.get(f.entity_type, 0) + f.count
        return cls(len(rows), columns, occurrences)


@dataclass
class ItemRecord:
    """The one row an item (or an archive member) gets in items.parquet."""

    uri: str
    path: str
    container: str = ""
    kind: str = "file"
    status: str = SCANNED
    reason: str = ""
    size: int | None = None
    mtime: float | None = None
    owner: str | None = None
    mode: int | None = None
    format: str = ""
    findings: int = 0
    seconds: float = 0.0
    carried_over: bool = False
    row_estimate: int | None = None
    rows_sampled: int | None = None


@dataclass
class ItemOutcome:
    """What a worker returns for one work unit: item rows and their findings."""

    records: list[ItemRecord] = field(default_factory=list)
    # rows (ROW_FIELDS) while a worker collects them; FindingColumns once packed to be sent
    findings: list[list] | FindingColumns = field(default_factory=list)
    values: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # uri, path, container, entity, hash
    text_bytes: int = 0
    # why the item's target could not be reached (a dropped connection), when that is why it failed:
    # the target is then incomplete, not merely one item unreadable
    unreachable: str = ""

    def packed(self) -> "ItemOutcome":
        """This outcome with its findings as columns, the form it crosses to the scan's process in."""
        if isinstance(self.findings, FindingColumns):
            return self
        return replace(self, findings=FindingColumns.from_rows(self.findings))
