"""What one worker process does with one work unit: open, extract, detect, de-identify.

A worker builds its detector (spaCy, recognisers, Hyperscan database) and the
estate key once, and an agent per target on first use. It receives item
references, never text, and sends back only hashed and masked findings: raw
values exist in this process's memory and nowhere else.
"""

from __future__ import annotations

import time
from typing import Callable

from agents import make_agent
from agents.base import Agent, AgentError
from detectors import hotloops
from contract.categories import category_of
from detectors.engine import Detector
from detectors.masking import mask
from detectors.normalise import normalise
from detectors.patterns import Span
from scanner.chunking import Window, windows
from scanner.extract import ExtractError, Unsupported, check_handlers, extract
from scanner.extract.blocks import block_hint
from contract.keys import value_hash
from contract.models import (ERROR, PROSE, ROW_CONTAINER, ROW_COUNT, SKIPPED, ColumnBlock, ItemOutcome, ItemRecord,
                            MemberEvent, TextBlock)
from contract.targets import Target
from scanner.units import WorkerConfig, WorkUnit

NER_BATCH_CHARS = 512 * 1024  # windows are detected in batches so spaCy can batch
FLUSH_FINDINGS = 20_000  # stream findings of huge items instead of holding them
DEIDENTIFY_CACHE = 100_000


def safe_reason(exc: BaseException) -> str:
    """An error reason that cannot carry scanned content.

    OS errors and our own extraction errors have safe messages; other
    libraries' messages may quote the bytes they choked on, so only the
    exception type is kept.
    """
    if isinstance(exc, (Unsupported, ExtractError, AgentError)):  # AgentError: never a value or secret
        return str(exc)
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, MemoryError):
        return "out of memory"
    return f"{type(exc).__name__} while reading"


class Worker:
    """Per-process state and the per-unit pipeline."""

    def __init__(self, config: WorkerConfig):
        self.config = config
        check_handlers()
        self.detector = Detector(config.detector)
        self.agents: dict[Target, Agent] = {}
        self._hashed: dict[tuple[str, str], str] = {}
        self._deidentified: dict[tuple[str, str], tuple[str, str]] = {}

    def hash_of(self, entity: str, value: str) -> str:
        """The keyed hash of a raw value, cached: columns repeat values across items. Previews
        are made only for the rows that show one."""
        key = (entity, value)
        hashed = self._hashed.get(key)
        if hashed is None:
            if len(self._hashed) >= DEIDENTIFY_CACHE:
                self._hashed.clear()
            hashed = self._hashed[key] = value_hash(self.config.key, normalise(entity, value))
        return hashed

    def deidentified(self, entity: str, value: str) -> tuple[str, str]:
        """The keyed hash and masked preview of a raw value, made together and cached: a text
        finding's new row needs both, and a log's addresses recur in every file, each file a new
        container and so a new row."""
        key = (entity, value)
        known = self._deidentified.get(key)
        if known is None:
            if len(self._deidentified) >= DEIDENTIFY_CACHE:
                self._deidentified.clear()
            known = self._deidentified[key] = (self.hash_of(entity, value), mask(entity, value))
        return known

    def agent(self, target: Target) -> Agent:
        """This process's agent for a target, connected on first use and kept for the next items."""
        if target not in self.agents:
            self.agents[target] = make_agent(target, self.config.agent_options)
        return self.agents[target]

    def close(self) -> None:
        """Close every agent (remote sessions) this worker opened."""
        for agent in self.agents.values():
            agent.close()

    def process(self, unit: WorkUnit, emit: Callable[[ItemOutcome], None] | None = None) -> ItemOutcome:
        """Scan one item; partial findings of a huge item go to ``emit`` as they pile up."""
        return self.process_batch([unit], emit)[0]

    def process_batch(self, units: list[WorkUnit],
                      emit: Callable[[ItemOutcome], None] | None = None) -> list[ItemOutcome]:
        """Scan several items, their last NER batches read by spaCy together.

        A small document holds a few sentences, and spaCy's cost per call is several
        sentences' worth: read one item at a time, a tree of tickets and letters spends most of
        its NER time on calls rather than on text. Each item is still read, detected and
        reported on its own; only the prose left pending at its end waits for the batch.
        ``emit`` (streaming a huge item's findings) applies to a batch of one.
        """
        runs = [_ItemRun(self, unit, emit if len(units) == 1 else None) for unit in units]
        for run in runs:
            run.read()
        _detect_together([run for run in runs if run.pending])
        return [run.finish() for run in runs]


def _detect_together(runs: list["_ItemRun"]) -> None:
    """Detect the pending windows of several items in one call, each item's time charged by
    its share of the text; should the shared call fail, each item is detected alone, so that
    a failure stays with the item that caused it."""
    if len(runs) == 1:
        runs[0].detect_pending_safely()
        return
    if not runs:
        return
    started = time.monotonic()
    prepared = [run.take_pending() for run in runs]
    try:
        results = runs[0].detector.analyze_texts([t for _, texts, _ in prepared for t in texts],
                                                 [k for _, _, known in prepared for k in known])
    except Exception:
        for run, (batch, _, _) in zip(runs, prepared):
            run.pending = batch
            run.detect_pending_safely()
        return
    chars = sum(len(w.text) for batch, _, _ in prepared for w in batch) or 1
    elapsed = time.monotonic() - started
    at = 0
    for run, (batch, _, _) in zip(runs, prepared):
        run.record(batch, results[at:at + len(batch)])
        at += len(batch)
        run.seconds += elapsed * sum(len(w.text) for w in batch) / chars


def _until_error(blocks, stopped: list[Exception]):
    """The blocks until the extraction raises; the error goes to ``stopped`` instead of
    propagating, so that blocks held back for chunking and NER batches are still detected."""
    try:
        yield from blocks
    except Exception as exc:
        stopped.append(exc)


class _ItemRun:
    """The blocks of one item turned into findings, member rows and value hashes."""

    def __init__(self, worker: Worker, unit: WorkUnit, emit):
        self.worker, self.unit, self.emit = worker, unit, emit
        self.detector = worker.detector
        self.outcome = ItemOutcome()
        self.uri, self.path = unit.item.uri, self._finding_path()  # of every text finding's row
        self.members: dict[str, ItemRecord] = {}
        self.total_findings = 0
        self.pending: list[Window] = []
        self.pending_chars = 0
        # the row of each (entity, container, value hash), and of each raw value seen: a repeat
        # (an address on every line of a log) is counted by one lookup, without hashing it again
        self.repeats: dict[tuple[str, str, str], list] = {}
        self.seen_values: dict[tuple[str, str, str], list] = {}
        self.formats: list[str] = []
        self.failure: Exception | None = None  # what ended the item early, reported by finish()
        self.rows_sampled: int | None = None  # of a table
        self.seconds = 0.0

    def read(self) -> None:
        """Open, extract and detect the item, but for the prose still pending at its end (see
        :meth:`Worker.process_batch`); a failure is kept for :meth:`finish`."""
        started = time.monotonic()
        item = self.unit.item
        try:
            agent = self.worker.agent(self.unit.target)

            def run_extract(stream, it, fd_path):
                extraction = extract(stream, it, fd_path, self.worker.config.limits)
                self.formats.append(extraction.format)
                return extraction

            self.consume(agent.blocks(item, run_extract))
            if item.kind == "table":
                self.rows_sampled = getattr(agent, "last_sample_rows", None)
        except Exception as exc:  # one item's failure is a row, never the end of the scan
            self.failure = exc
        self.seconds += time.monotonic() - started

    def detect_pending_safely(self) -> None:
        """Detect what is pending; a failure is the item's, kept for :meth:`finish`."""
        started = time.monotonic()
        try:
            self._detect_pending()
        except Exception as exc:
            self.failure = self.failure or exc
        self.seconds += time.monotonic() - started

    def finish(self) -> ItemOutcome:
        """The item's outcome: its row first (status and reason from any failure), then its
        members' rows."""
        item = self.unit.item
        record = ItemRecord(uri=item.uri, path=item.path, kind=item.kind, size=item.size, mtime=item.mtime,
                            owner=item.owner, mode=item.mode, row_estimate=item.row_estimate)
        record.rows_sampled = self.rows_sampled
        if isinstance(self.failure, Unsupported):
            record.status, record.reason = SKIPPED, safe_reason(self.failure)
        elif self.failure is not None:
            record.status, record.reason = ERROR, safe_reason(self.failure)
            if isinstance(self.failure, AgentError) and self.failure.transient:
                self.outcome.unreachable = record.reason  # the target went away, not this item
        # the sniffed format is known before reading, so skipped and failed items have it too
        record.format = self.formats[0] if self.formats else ("table" if item.kind == "table" else "")
        record.findings = self.total_findings
        record.seconds = round(self.seconds, 4)
        self.outcome.records.insert(0, record)
        self.outcome.records.extend(self.members.values())
        return self.outcome

    def consume(self, blocks) -> None:
        """Detect in every block, leaving the last NER batch pending (without NER, nothing);
        an extraction that stops part-way (an item-wide limit, a corrupt tail) raises only
        after the text read before it was detected or made pending."""
        stopped: list[Exception] = []
        text_blocks = self._split(_until_error(blocks, stopped))
        # without NER there is no batch to fill: each window is detected at once, so that the
        # next knows the values it recorded (see _detect_pending)
        batch_chars = NER_BATCH_CHARS if self.detector.ner is not None else 0
        for window in windows(text_blocks):
            self.pending.append(window)
            self.pending_chars += len(window.text)
            if self.pending_chars >= batch_chars:
                self._detect_pending()
        if stopped:
            raise stopped[0]

    def _split(self, blocks):
        """Pass text blocks on; handle columns and member events as they come."""
        for block in blocks:
            if isinstance(block, TextBlock):
                self.outcome.text_bytes += len(block.text)
                yield block
            elif isinstance(block, ColumnBlock):
                self._column(block)
            elif isinstance(block, MemberEvent):
                self._member(block)

    def _member(self, event: MemberEvent) -> None:
        item = self.unit.item
        self.members[event.container] = ItemRecord(
            uri=f"{item.uri}!{event.container}", path=item.path, container=event.container, kind="member",
            status=event.status, reason=event.reason, size=event.size, mtime=item.mtime, owner=item.owner,
            mode=item.mode)

    def _finding_path(self, header: str | None = None) -> str:
        item = self.unit.item
        return f"{item.path}.{header}" if item.kind == "table" and header is not None else item.path

    def _add(self, row: list) -> None:
        """Keep a new finding row (see contract.models.ROW_FIELDS)."""
        self.outcome.findings.append(row)
        self.total_findings += 1
        member = self.members.get(row[ROW_CONTAINER])
        if member is not None:
            member.findings += 1
        if self.emit and len(self.outcome.findings) >= FLUSH_FINDINGS:
            self._flush()

    def _flush(self) -> None:
        """Send what piled up (a huge item) and start a new batch; repeats then start new rows."""
        self.emit(ItemOutcome(findings=self.outcome.findings, values=self.outcome.values))
        self.outcome.findings, self.outcome.values = [], []
        self.repeats.clear()
        self.seen_values.clear()

    def _text_finding(self, span: Span, window: Window, seen_key: tuple[str, str, str]) -> None:
        """The row of a value not seen in this container yet: one row per distinct value (by its
        hash: "J.Doe@x.com" and "j.doe@x.com" are one) per container; repeats raise its count."""
        entity = span.entity_type
        hashed, preview = self.worker.deidentified(entity, span.value)
        key = (entity, window.container, hashed)
        first = self.repeats.get(key)
        if first is not None:
            first[ROW_COUNT] += 1
            self.seen_values[seen_key] = first
            return
        start = window.offset + span.start
        row = [window.container, entity, category_of(entity), start, start + (span.end - span.start),
               window.line_of(span.start), round(span.score, 3), span.detector, hashed, preview, 1, self.uri,
               self.path]
        self.repeats[key] = self.seen_values[seen_key] = row  # before _add: it may flush them
        self._add(row)

    def _detect_pending(self) -> None:
        if self.pending:
            batch, texts, known = self.take_pending()
            self.record(batch, self.detector.analyze_texts(texts, known))

    def take_pending(self) -> tuple[list[Window], list[tuple[str, str]], list[tuple]]:
        """The pending windows, their (text, hint) for the detector and what it needs to count
        the values this item already holds; nothing is pending after."""
        batch, self.pending, self.pending_chars = self.pending, [], 0
        if self.detector.ner is None:  # hints only route text to NER
            texts = [(w.text, w.hint) for w in batch]
        else:
            texts = [(w.text, block_hint(w.hint, w.text[w.core_start:w.core_end])) for w in batch]
        # Most occurrences of values already recorded (an address on every log line) are counted
        # on their rows by the detector, as it finds them, rather than returned as spans; the
        # rows are all still here to count on, since rows are only sent (flushed) in record().
        seen = self.seen_values
        return batch, texts, [(seen, w.container, w.core_start, w.core_end, ROW_COUNT) for w in batch]

    def record(self, batch: list[Window], results: list[list[Span]]) -> None:
        """Turn the detector's spans of ``batch`` into finding rows and counts."""
        seen = self.seen_values
        for window, spans in zip(batch, results):
            core_start, core_end, container = window.core_start, window.core_end, window.container
            # The other repeats of values already recorded are counted in one loop first. That is
            # the same as counting in order unless recording the window's new values could flush
            # the rows part-way (a huge item), after which repeats must start rows of their own.
            if self.emit is None or len(self.outcome.findings) + len(spans) < FLUSH_FINDINGS:
                spans = hotloops.count_known(spans, core_start, core_end, container, seen, ROW_COUNT)
            for span in spans:
                if core_start <= span.start < core_end:
                    key = (span.entity_type, container, span.value)
                    row = seen.get(key)
                    if row is not None:
                        row[ROW_COUNT] += 1
                    else:
                        self._text_finding(span, window, key)

    def _column(self, block: ColumnBlock) -> None:
        container = f"{block.container}#{block.header}" if self.unit.item.kind != "table" else block.container
        path = self._finding_path(block.header)
        values = [v for v in block.values if v and v.strip()]
        if not values:
            return
        # matches in the sample scaled to the whole column: per sampled row, so that a sparse
        # column's empty cells are not counted as if they held values
        rows = block.sample_rows or len(values)
        scale = block.total_rows / rows if block.sampled and rows else 1.0
        results = self.detector.classify_column(block.header, values)
        if results is None:  # free text: full detection per value, one finding row per entity
            spans_per_value = self.detector.analyze_texts([(v, PROSE) for v in values])
            by_entity: dict[str, list[Span]] = {}
            for spans in spans_per_value:
                for entity in {s.entity_type for s in spans}:
                    by_entity.setdefault(entity, []).append(next(s for s in spans if s.entity_type == entity))
                for span in spans:
                    self._value(path, container, span.entity_type, span.value)
            for entity, spans in by_entity.items():
                best = max(spans, key=lambda s: s.score)
                self._column_finding(entity, best.score, "column:text", best.value, round(len(spans) * scale),
                                     container, path)
            return
        for result in results:
            for value in result.examples:
                self._value(path, container, result.entity_type, value)
            self._column_finding(result.entity_type, result.score, result.detector, result.examples[0],
                                 round(result.matches * scale), container, path)

    def _column_finding(self, entity, score, detector, example, count, container, path) -> None:
        self._add([container, entity, category_of(entity), None, None, None, round(score, 3), detector, None,
                   mask(entity, example), max(count, 1), self.unit.item.uri, path])

    def _value(self, path: str, container: str, entity: str, value: str) -> None:
        self.outcome.values.append((self.unit.item.uri, path, container, entity,
                                    self.worker.hash_of(entity, value)))
