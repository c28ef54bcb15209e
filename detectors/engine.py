"""The detector a worker process builds once: pre-filter + Presidio patterns + NER.

Tiers, cheapest first: (1) one Hyperscan pass over all text finds candidate
windows; (2) Presidio pattern recognisers, checksums and context scoring run
only in those windows (:mod:`detectors.patterns`); (3) spaCy NER runs only on
prose, batched (:mod:`detectors.ner`). Structured columns are classified as a
whole (:mod:`detectors.columns`).
"""

from __future__ import annotations

import bisect
import functools
import operator
import re

from detectors.columns import ColumnResult, classify, header_hint, is_free_text
from detectors.config import DetectorConfig
from detectors import hotloops
from detectors.patterns import PatternStage, Span
from detectors.registry import load_recognizers


# The hint a caller gives a text it knows to be prose written by people: NER reads it whatever
# it looks like (the same string as contract.models.PROSE, which extractors put on blocks).
PROSE = "prose"

_WORDS = re.compile(r"[A-Za-z][a-z]+")
_START = operator.attrgetter("start")
# A chat line's time stamp and speaker ("[10:42] Anna K:", "12/03/2024, 10:42 - Anna:"), before its message
_CHAT_PREFIX = re.compile(r"\W{0,2}(?:\[[^\]\n]{1,30}\]|(?:[\d/.\-]{6,10},?[ \t]*)?\d{1,2}[:.]\d{2}(?::\d{2})?)?"
                          r"[^\n:]{0,40}:[ \t]")
_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[a-z][.!?](?:\s|$)")
_CODE_CHARS = frozenset("{}<>=;|\\")
CHAT_LINES = 40  # lines of a sample enough to tell a conversation


def looks_like_prose(text: str) -> bool:
    """Sentences rather than log lines or code: enough lowercase words and punctuation, or
    the lines of a conversation (see :func:`looks_like_chat`)."""
    sample = text[:4000]
    if len(sample) < 40:
        return False
    words = len(_WORDS.findall(sample))
    symbols = sum(sample.count(c) for c in "{}[]<>=;|\\_/")
    if words * 6 >= len(sample) * 0.6 and symbols * 40 < len(sample) and \
            (". " in sample or len(_SENTENCE_END.findall(sample)) * 400 >= len(sample)):
        return True
    return looks_like_chat(sample)


def looks_like_chat(sample: str) -> bool:
    """Most lines are messages people wrote: after a time stamp and a speaker, three or more
    lower-case words with hardly a digit (log lines carry ids, addresses and ports) and none of
    the characters of code or configuration."""
    lines = [line for line in sample.splitlines() if line.strip()][:CHAT_LINES]
    if len(lines) < 3:
        return False
    chatty = 0
    for line in lines:
        prefix = _CHAT_PREFIX.match(line)
        message = line[prefix.end():] if prefix else line
        if len(_LOWER_WORD.findall(message)) >= 3 and len(_DIGIT.findall(message)) * 10 <= len(message) and \
                _CODE_CHARS.isdisjoint(message):
            chatty += 1
    return chatty * 10 >= len(lines) * 6


def resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the best of overlapping spans: higher score, then longer.

    Spans are swept in order of start; only a cluster of mutually overlapping
    spans is resolved greedily, so the cost stays O(n log n) on dense text.
    (Non-empty) spans that start together always share a cluster, and its order is
    settled by score, length and start, so a stable sort by start suffices.
    """
    ordered = sorted(spans, key=_START)
    if hotloops.overlaps_none(ordered):  # dense logs: thousands of spans, none overlapping
        return ordered
    kept: list[Span] = []
    cluster: list[Span] = []
    cluster_end = -1
    for span in ordered + [None]:
        if span is not None and span.start < cluster_end:
            cluster.append(span)
            cluster_end = max(cluster_end, span.end)
            continue
        if len(cluster) == 1:
            kept.append(cluster[0])
        elif cluster:
            chosen: list[Span] = []
            for c in sorted(cluster, key=lambda s: (-s.score, -(s.end - s.start), s.start)):
                if all(c.end <= k.start or c.start >= k.end for k in chosen):
                    chosen.append(c)
            kept.extend(sorted(chosen, key=lambda s: s.start))
        if span is not None:
            cluster, cluster_end = [span], span.end
    return kept


def with_names(found: list[Span], names: list[Span]) -> list[Span]:
    """The resolved pattern spans ``found`` and the NER stage's ``names``, in order of start.

    A name never displaces an identifier or an address the patterns validated: a
    name inside one ("Helen Street", the "jane.mason" of an e-mail address) is
    dropped, and a name that only overlaps one (an address whose town runs on into
    the name after it) is kept beside it: they are different facts.
    """
    if not names:
        return found
    starts = [span.start for span in found]  # resolved: in order of start, none overlapping
    kept = []
    for name in names:
        at = bisect.bisect_right(starts, name.start) - 1  # the only span that could hold the name
        if at < 0 or found[at].end < name.end:
            kept.append(name)
    return sorted(found + resolve_overlaps(kept), key=_START)


@functools.cache
def shared_patterns() -> PatternStage:
    """This process's pattern stage, built once: it holds no per-scan state (only caches of
    judgements), and workers forked from the fork server inherit the one it built."""
    return PatternStage(load_recognizers())


class Detector:
    """Finds personal data in text and classifies columns; one per process."""

    def __init__(self, config: DetectorConfig = DetectorConfig()):
        self.config = config
        self.patterns = shared_patterns()
        self.ner = None
        if config.ner:
            from detectors.ner import NerStage

            self.ner = NerStage(config.spacy_model)

    @property
    def model(self) -> str | None:
        """The spaCy pipeline in use, for the manifest."""
        return self.ner.model if self.ner else None

    def analyze_texts(self, texts: list[tuple[str, str]], known: list[tuple] | None = None) -> list[list[Span]]:
        """Spans for each (text, hint); NER runs in one batch over the prose among them.

        ``known``: per text, None or what :meth:`PatternStage.analyze` needs to count the
        occurrences of values already recorded rather than return them (not for prose NER
        reads: its names could overlap them).
        """
        prose = [] if self.ner is None else \
            [i for i, (text, hint) in enumerate(texts) if hint == PROSE or looks_like_prose(text)]
        known = list(known) if known is not None else [None] * len(texts)
        for i in prose:
            known[i] = None
        results = [resolve_overlaps(self.patterns.analyze(text, counts)) for (text, _), counts in zip(texts, known)]
        if prose:
            names = self.ner.analyze_batch([texts[i][0] for i in prose], [results[i] for i in prose])
            for i, spans in zip(prose, names):
                results[i] = with_names(results[i], spans)
        return results

    def analyze_text(self, text: str, hint: str = PROSE) -> list[Span]:
        """Spans in one text (convenience for tests and small inputs)."""
        return self.analyze_texts([(text, hint)])[0]

    def classify_column(self, header: str, values: list[str]) -> list[ColumnResult] | None:
        """Entity types of a column, or None when it is free text to detect in full.

        Long values under a header that names an entity type ("address": "Flat 2, 14 Mill
        Lane, Leeds LS1 4AB") are that type's column when the values bear the header out:
        classified from one analysis of the sample, rather than each row read in full as
        notes would be (and an address's street names taken for people)."""
        if not is_free_text(values, header):
            return classify(header, values, self.patterns)
        hint = header_hint(header)
        if hint is not None:
            results = classify(header, values, self.patterns)
            if any(result.entity_type == hint for result in results):
                return results
        return None
