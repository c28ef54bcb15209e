"""The identifier stage: recognisers' exact patterns, checksums and context, in windows.

For each recogniser the pre-filter found candidates for, the exact Presidio
patterns run on the text around those candidates only (merged windows padded
by the recogniser's MAX_MATCH and context reach), then context words raise the
score, or are required. This is what makes most bytes cost one Hyperscan pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer

from detectors.prefilter import Prefilter, strip_lookarounds

CONTEXT_BOOST = 0.35  # Presidio's default context similarity factor
MIN_WITH_CONTEXT = 0.4


@dataclass
class Span:
    """A raw detection inside one process. ``value`` never leaves the worker."""

    entity_type: str
    start: int
    end: int
    score: float
    detector: str
    value: str


class _Rule:
    """One recogniser plus what the engine derives from it once."""

    def __init__(self, recognizer: EntityRecognizer):
        self.recognizer = recognizer
        self.entity = recognizer.supported_entities[0]
        self.name = recognizer.name
        self.needs_context = getattr(recognizer, "NEEDS_CONTEXT", False)
        self.before = getattr(recognizer, "CONTEXT_BEFORE", 80)
        self.after = getattr(recognizer, "CONTEXT_AFTER", 30)
        self.min_score = getattr(recognizer, "MIN_SCORE", 0.5)
        self.pad = getattr(recognizer, "MAX_MATCH", 100)
        words = [w.strip().lower() for w in (recognizer.context or []) if w.strip()]
        self.context = (re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, words)) + r")(?![a-z0-9])")
                        if words else None)
        anchors = getattr(recognizer, "ANCHORS", None)
        if anchors is None:
            anchors = [strip_lookarounds(p.regex) for p in getattr(recognizer, "patterns", [])]
        self.anchors = anchors

    def has_context(self, text: str, start: int, end: int) -> bool:
        if self.context is None:
            return False
        before = text[max(0, start - self.before):start].lower()
        after = text[end:end + self.after].lower()
        return bool(self.context.search(before) or self.context.search(after))


class PatternStage:
    """Runs every recogniser over a text, paying full price only near candidates."""

    def __init__(self, recognizers: list[EntityRecognizer]):
        self.rules = [_Rule(r) for r in recognizers]
        anchors = [(i, a) for i, rule in enumerate(self.rules) for a in rule.anchors]
        self.prefilter = Prefilter(anchors)
        self.always = self.prefilter.always | {i for i, rule in enumerate(self.rules) if not rule.anchors}

    def analyze(self, text: str) -> list[Span]:
        """All identifier spans in ``text`` that pass validation and context rules."""
        hits = self.prefilter.hits(text)
        spans: list[Span] = []
        for index in set(hits) | self.always:
            rule = self.rules[index]
            windows = [(0, len(text))] if index in self.always else _windows(hits[index], rule, len(text))
            for w0, w1 in windows:
                for result in rule.recognizer.analyze(text[w0:w1], [rule.entity], None):
                    start, end = result.start + w0, result.end + w0
                    score = result.score
                    if rule.has_context(text, start, end):
                        score = max(min(1.0, score + CONTEXT_BOOST), MIN_WITH_CONTEXT)
                    elif rule.needs_context:
                        continue
                    if score >= rule.min_score:
                        spans.append(Span(result.entity_type, start, end, score, rule.name, text[start:end]))
        return spans


def _windows(candidates: list[tuple[int, int]], rule: _Rule, length: int) -> list[tuple[int, int]]:
    """Merge padded candidate spans into disjoint windows."""
    pad = rule.pad
    merged: list[list[int]] = []
    for start, end in sorted(candidates):
        w0, w1 = max(0, start - pad), min(length, end + pad)
        if merged and w0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], w1)
        else:
            merged.append([w0, w1])
    return [(a, b) for a, b in merged]
