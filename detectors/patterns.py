"""The identifier stage: recognisers' exact patterns, checksums and context, in windows.

For each recogniser the pre-filter found candidates for, the recogniser's
exact patterns run only on the text around those candidates (windows padded
by the recogniser's MAX_MATCH, merged up to a few KB), then context words
raise the score, or are required.

Plain pattern recognisers (Presidio's and ours) are run by our own loop rather
than ``PatternRecognizer.analyze``: the same patterns, flags,
``validate_result`` and ``invalidate_result``, but with validation cached per
distinct value and without building an explanation object per match. In a log
where the same IP address appears on 100,000 lines, it is validated once.
Recognisers that override ``analyze`` (logic beyond patterns) get windows.

On dense text (an address on every log line) the per-candidate costs add up.
A candidate whose score passes without context has its context words looked
up only when its score is read (:class:`Span`): the scan reads it for a
value's first occurrence. A rule with many candidates that do need a context
word has the words found in one pass (:mod:`detectors.keywords`) instead of
by a regex around each. A recogniser whose matches stay within their anchor
hit has each hit's judgement cached by the hit's text and the few characters
its patterns' look-arounds can see ("not after" words, which depend on where
a hit is, are looked up by the recogniser).
"""

from __future__ import annotations

import operator
import re

import regex

from detectors import hotloops
from presidio_analyzer import EntityRecognizer, PatternRecognizer
from detectors.keywords import KeywordIndex
from detectors.prefilter import Anchor, Prefilter, strip_lookarounds
from detectors.regex_width import lookaround_reach, max_width

CONTEXT_BOOST = 0.35  # Presidio's default context similarity factor
MIN_WITH_CONTEXT = 0.4
MAX_WINDOW = 4096  # merged windows stop growing here: keeps work local in dense text
_CACHE_LIMIT = 200_000
_MARGIN = 8  # characters around a hit that look-arounds may inspect
_MAX_REACH = 300  # an anchor that can match longer (unbounded repeats) is assumed to reach this far
_MAX_LOOKAROUND = 32  # look-arounds seeing further than this: judgements are not cached by local text
# A rule's context words are indexed in one pass over a text when its candidates are at least
# this many and this dense (one per so many characters): then one scan is cheaper than a
# regex around each; a few candidates in a long text are cheaper to check one by one.
KEYWORD_SCAN_FROM = 16
KEYWORD_SCAN_DENSITY = 4096
_FIRST = operator.itemgetter(0)
_START = operator.attrgetter("start")


class Span:
    """A raw detection inside one process. ``value`` never leaves the worker.

    A pattern match kept whatever its context (its score already reaches the
    recogniser's minimum) gets its context-word boost when its score is first
    read: a scan records the score of a value's first occurrence only, so an
    address on every line of a log has its context looked up once per value,
    not once per line.
    """

    __slots__ = ("entity_type", "start", "end", "_score", "detector", "value", "_context")

    def __init__(self, entity_type: str, start: int, end: int, score: float, detector: str, value: str,
                 context: tuple[str, "_Rule"] | None = None):
        self.entity_type, self.start, self.end, self.detector, self.value = entity_type, start, end, detector, value
        self._score, self._context = score, context  # context: (text, rule) whose words may boost the score

    @property
    def score(self) -> float:
        """The score, context boost included."""
        if self._context is not None:
            text, rule = self._context
            self._context = None
            if rule.has_context(text, self.start, self.end):
                self._score = boosted(self._score)
        return self._score

    def __repr__(self) -> str:
        return f"Span({self.entity_type!r}, {self.start}, {self.end}, {self.score!r}, {self.detector!r})"


def boosted(score: float) -> float:
    """A score raised by a context word next to its match."""
    return max(min(1.0, score + CONTEXT_BOOST), MIN_WITH_CONTEXT)


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
        # the words, each not followed by a letter or digit; "not preceded by one" is checked by
        # _word_at_start: a pattern that starts with its words lets re skip, in C, every position
        # where none of them can start, which a leading look-behind prevents (twice as slow)
        self.context = (re.compile(r"(?:" + "|".join(map(re.escape, words)) + r")(?![a-z0-9])")
                        if words else None)
        patterns = getattr(recognizer, "patterns", None) or []
        anchors = getattr(recognizer, "ANCHORS", None)
        if anchors is None:  # one anchor per pattern: a hit tells which pattern to confirm
            self.anchors = [(strip_lookarounds(p.regex), i) for i, p in enumerate(patterns)]
        else:  # hand-written anchors: a hit may belong to any pattern
            self.anchors = [(a, None) for a in anchors]
        # our loop replaces analyze() only where analyze() is Presidio's own pattern loop
        self.plain = isinstance(recognizer, PatternRecognizer) and \
            type(recognizer).analyze is PatternRecognizer.analyze and bool(patterns)
        flags = getattr(recognizer, "global_regex_flags", None)
        flags = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE if flags is None else flags
        self.compiled = [(_compile(p.regex, flags), p.score) for p in patterns] if self.plain else []
        self.at_value = getattr(recognizer, "ANCHORS_AT_VALUE", False)
        # hits confirmed where they start by the recogniser's own judge (see PatternStage._confirm_at_value)
        self.confirms_at_value = self.at_value and not self.plain and hasattr(recognizer, "judge")
        self.caseless = getattr(recognizer, "ANCHORS_CASELESS", True)
        # where the match of a hit that does not track its start can begin (else: its reach back)
        self.anchor_start = getattr(recognizer, "anchor_start", None)
        # How far before a hit's end its match may start. Plain and at-value rules confirm a hit
        # where it starts, so their short anchors report starts (Hyperscan's start-of-match
        # tracking is cheap for bounded anchors, ruinous for unbounded ones); every other hit
        # is searched in a window that reaches back from its end as far as its anchor can match.
        widths = [_max_width(a) for a, _ in self.anchors]
        self.reach = [min(width, self.pad) for width in widths]
        self.tracks_start = [(self.plain or self.at_value) and width < _MAX_REACH for width in widths]
        self.keywords = KeywordIndex(words)
        # A recogniser whose judgement depends on the match alone (its "not after" words, which
        # depend on where the match is, looked up apart) has it cached per hit and the few
        # characters its patterns' look-arounds can see: an address repeated on 100,000 log
        # lines is judged once.
        within = set(getattr(recognizer, "WITHIN_ANCHOR", ()))
        self.within_anchor = [p.name in within for p in patterns]
        # a hit is judged by its text alone when no pattern that may reach past it applies:
        # those patterns' needed substrings (PATTERN_NEEDS) are absent from the hit
        needs = [n for _, _, n in recognizer.compiled_patterns] if hasattr(recognizer, "compiled_patterns") \
            else [None] * len(patterns)
        reaching = [n for w, n in zip(self.within_anchor, needs) if not w]
        # False: nothing is cached (no pattern stays within its hit, or one that may reach past
        # it needs no particular substring); None: every pattern stays within its hit; else one
        # regex of the substrings of the patterns that may (a hit holding none of them is judged
        # by its text): one search in C per hit
        self._reaching = False if not any(self.within_anchor) or None in reaching else \
            re.compile("|".join(map(re.escape, sorted(set(reaching))))) if reaching else None
        regexes = [p.regex for p in patterns]
        self.look_behind, self.look_ahead = _lookaround_reach(regexes)
        self._judged: dict[tuple[str, int], tuple] = {}
        self._scores: dict[tuple[int, str], float] = {}
        self._local: dict[tuple, tuple] = {}

    def has_context(self, text: str, start: int, end: int) -> bool:
        """A context word near the span: one regex search on each side, in C."""
        if self.context is None:
            return False
        lo = max(0, start - self.before)
        return (_word_at_start(self.context, text[lo:start].lower())
                or _word_at_start(self.context, text[end:end + self.after].lower()))

    def _validated(self, index: int, value: str, base: float) -> float:
        key = (index, value)
        score = self._scores.get(key)
        if score is None:
            score = base
            valid = self.recognizer.validate_result(value)
            if valid is not None:
                score = EntityRecognizer.MAX_SCORE if valid else EntityRecognizer.MIN_SCORE
            if self.recognizer.invalidate_result(value):
                score = EntityRecognizer.MIN_SCORE
            if len(self._scores) > _CACHE_LIMIT:
                self._scores.clear()
            self._scores[key] = score
        return score

    def span_maker(self, text: str) -> tuple:
        """What the spans of this rule's matches in ``text`` are made of, for
        :func:`detectors.hotloops.confirm_cached` (as :meth:`PatternStage._judge_context` makes them)."""
        return Span, self.entity, self.name, (text, self) if self.context is not None else None, self.min_score

    def matches(self, text: str, w0: int, w1: int):
        """(start, end, score) of a recogniser with its own analyze(), in text[w0:w1]."""
        for result in self.recognizer.analyze(text[w0:w1], [self.entity], None):
            yield result.start + w0, result.end + w0, result.score

    def confirm(self, text: str, hits: list[tuple[int, int, int | None]]):
        """(start, end, score) of exact pattern matches at the pre-filter's hits.

        A hit (start, end, pattern) is where an anchor matched; the exact
        pattern is searched only from there (from MAX_MATCH earlier for
        hand-written anchors, which need not start where the match starts)
        to just past the hit's end, with
        a few characters of margin so look-arounds see their context. The
        result is cached per (pattern, text around the hit): repeated values
        in logs are confirmed once.
        """
        longest: dict[tuple[int, int | None], int] = {}
        for start, end, index in hits:
            if end > longest.get((start, index), -1):
                longest[(start, index)] = end
        length = len(text)
        for (start, index), end in sorted(longest.items(), key=lambda kv: kv[0][0]):
            if index is None and not self.at_value:  # a hand-written anchor may start later and end sooner
                start = max(0, start - self.pad)
                end = min(length, end + self.pad)
            lo, hi = max(0, start - _MARGIN), min(length, end + _MARGIN)
            key = (index, text[lo:hi], start - lo)
            found = self._local.get(key)
            if found is None:
                found = tuple(self._search(text, start, end, hi, index))
                if len(self._local) > _CACHE_LIMIT:
                    self._local.clear()
                self._local[key] = tuple((s - start, e - start, sc) for s, e, sc in found)
            else:
                found = tuple((s + start, e + start, sc) for s, e, sc in found)
            yield from found

    def confirm_logic(self, text: str, hits: list[tuple[int, int]], make: tuple | None = None,
                      known: tuple | None = None) -> list | None:
        """(start, end, score) of a logic recogniser's matches at its hits (start, end); with
        ``make``, their spans or None, and with ``known`` too, occurrences of values already
        recorded counted rather than returned (see :func:`detectors.hotloops.confirm_cached`)."""
        longest = dict(sorted(hits))  # in order of start, each start's longest hit (sorted last)
        if self._reaching is False or self.look_behind < 0:  # nothing may be cached
            if make is not None:
                return None
            return [found for start, end in longest.items() for found in self._judge_in_full(text, start, end)]

        def on_miss(key, start, end):
            judged = self._judged[key] = self._judge_hit(text, start, end, self.recognizer.compiled_patterns)
            if len(self._judged) > _CACHE_LIMIT:
                self._judged.clear()
            return judged

        return hotloops.confirm_cached(text, longest, self.look_behind, self.look_ahead, self._judged, on_miss,
                                            lambda start, end: list(self._judge_in_full(text, start, end)),
                                            self._reaching, self.recognizer.not_after_test, make, known)

    def _judge_in_full(self, text: str, start: int, end: int):
        """(start, end, score) of the matches at a hit whose judgement is not cached."""
        hi = min(len(text), end + self.pad)
        judge = self.recognizer.judge
        for base, pattern, needed in self.recognizer.compiled_patterns:
            if needed is not None and needed not in text[start:end]:
                continue
            pos = start  # where the hit starts, or as far back as its anchor reaches
            while pos < end:
                match = pattern.search(text, pos, hi)
                if match is None or match.start() >= end:
                    break
                judged = judge(match, base, text)
                if judged is not None:
                    yield judged
                if match.end() >= end:  # the hit's own match: nothing further to find for it
                    break
                pos = max(match.end(), match.start() + 1)

    def _judge_hit(self, text: str, start: int, end: int, patterns) -> tuple:
        """(match start, start, end, score, value), offsets relative to ``start``, of the judged
        matches of a hit to which only patterns that match within their hit apply (WITHIN_ANCHOR)."""
        found = []
        for base, pattern, needed in patterns:
            if needed is not None and needed not in text[start:end]:
                continue
            # the match lies within the hit; its look-aheads may see a few characters past it
            match = pattern.search(text, start, min(len(text), end + self.look_ahead))
            if match is None or match.start() >= end:
                continue
            judged = self.recognizer.judge(match, base, text, not_after_checked=True)
            if judged is not None:
                found.append((match.start() - start, judged[0] - start, judged[1] - start, judged[2],
                              text[judged[0]:judged[1]]))
        return tuple(found)

    def _search(self, text: str, start: int, end: int, hi: int, index: int | None):
        indices = range(len(self.compiled)) if index is None else (index,)
        for i in indices:
            pattern, base = self.compiled[i]
            pos = start
            while pos < end:
                match = pattern.search(text, pos, hi)
                if match is None or match.start() >= end:
                    break
                s, e = match.span()
                if e > s:
                    score = self._validated(i, text[s:e], base)
                    if score > EntityRecognizer.MIN_SCORE:
                        yield s, e, score
                pos = max(e, s + 1)


class PatternStage:
    """Runs every recogniser over a text, paying full price only near candidates."""

    def __init__(self, recognizers: list[EntityRecognizer]):
        self.rules = [_Rule(r) for r in recognizers]
        self._anchor_owner: list[tuple[int, int | None, int]] = []  # rule, pattern, reach (-1: start known)
        anchors = []
        for i, rule in enumerate(self.rules):
            for k, (regex_text, pattern_index) in enumerate(rule.anchors):
                anchors.append(Anchor(len(self._anchor_owner), regex_text, rule.tracks_start[k], rule.caseless))
                self._anchor_owner.append((i, pattern_index, -1 if rule.tracks_start[k] else rule.reach[k]))
        self.prefilter = Prefilter(anchors)
        self.always = {self._anchor_owner[a][0] for a in self.prefilter.always} | \
            {i for i, rule in enumerate(self.rules) if not rule.anchors}

    def analyze(self, text: str, known: tuple | None = None) -> list[Span]:
        """All identifier spans in ``text`` that pass validation and context rules.

        ``known``: (seen, container, core start, core end, count index) of the text's window
        (see :func:`detectors.hotloops.count_known`), when no other stage adds spans to the
        text's: the rule with the most hits among those that confirm hits where they start
        then counts the occurrences of values already recorded instead of returning them
        (an address on every log line is counted, not made a span, sorted and looked up
        again). It runs last, so that no span it could overlap is still to come.
        """
        # per rule, its anchors' hits as (pattern, [(start, end), ...]): lists as the pre-filter
        # made them, so a rule with a hit on every log line costs no per-hit work here
        per_rule: dict[int, list[tuple[int | None, list[tuple[int, int]]]]] = {}
        for anchor, spans in self.prefilter.hits(text).items():
            rule_index, pattern_index, reach = self._anchor_owner[anchor]
            if reach >= 0:  # the anchor reports where it ends: where can its match start?
                start_of = self.rules[rule_index].anchor_start
                spans = [(start_of(text, e), e) for _, e in spans] if start_of is not None else \
                    [(max(0, e - reach), e) for _, e in spans]
            per_rule.setdefault(rule_index, []).append((pattern_index, spans))
        found: list[Span] = []
        counting = None
        if known is not None:
            at_value = [i for i in per_rule if self.rules[i].confirms_at_value and i not in self.always]
            if at_value:
                counting = max(at_value, key=lambda i: sum(len(spans) for _, spans in per_rule[i]))
        for index in set(per_rule) | self.always:
            if index == counting:
                continue
            rule = self.rules[index]
            groups = per_rule.get(index, [])
            if index in self.always:
                candidates = rule.matches(text, 0, len(text)) if not rule.plain else \
                    rule.confirm(text, [(0, len(text), None)])
            elif rule.plain:
                candidates = rule.confirm(text, [(s, e, p) for p, spans in groups for s, e in spans])
            elif rule.confirms_at_value:
                candidates = self._confirm_at_value(rule, text, groups, found)
                if candidates is None:  # spans made and kept
                    continue
            else:
                candidates = (m for w0, w1 in _windows([span for _, spans in groups for span in spans], rule.pad,
                                                        len(text))
                              for m in rule.matches(text, w0, w1))
            found.extend(self._judge_context(rule, text, self._once(candidates)))
        if counting is not None:
            rule = self.rules[counting]
            others = sorted(found, key=_START)
            candidates = self._confirm_at_value(rule, text, per_rule[counting], found, (*known, others))
            if candidates is not None:
                found.extend(self._judge_context(rule, text, self._once(candidates)))
        return found

    def _confirm_at_value(self, rule: _Rule, text: str, groups: list, found: list[Span],
                          known: tuple | None = None) -> list | None:
        """Confirm the hits of a rule whose anchors start where its values do: an address on
        every log line has its spans made with its matches, in one loop, and added to
        ``found`` (None is returned), unless one needs its context words looked up now; then
        its candidates (start, end, score) are returned, as any other rule's. ``known``: see
        :meth:`analyze`, plus the other spans, sorted by start."""
        hits = groups[0][1] if len(groups) == 1 else [span for _, spans in groups for span in spans]
        spans = None if rule.needs_context else rule.confirm_logic(text, hits, rule.span_maker(text), known)
        if spans is None:
            return rule.confirm_logic(text, hits)
        if len(spans) > 1 and len(set(map(_START, spans))) < len(spans):
            spans = list({(s.start, s.end): s for s in reversed(spans)}.values())[::-1]
        found.extend(spans)
        return None

    @staticmethod
    def _once(candidates) -> list[tuple[int, int, float]]:
        """The candidates, a match found from two overlapping hits or windows once (the first
        wins): rare, and impossible where no two start together, which a set of starts tells
        cheaply."""
        candidates = list(candidates)
        if len(candidates) > 1 and len(set(map(_FIRST, candidates))) < len(candidates):
            candidates = list({(c[0], c[1]): c for c in reversed(candidates)}.values())[::-1]
        return candidates

    @staticmethod
    def _judge_context(rule: _Rule, text: str, candidates: list[tuple[int, int, float]]):
        """Spans of the candidates that stand with their context words: a candidate whose
        score passes without context is kept and boosted lazily (see :class:`Span`); the
        others need a context word, looked up now."""
        entity, name, min_score, needs_context = rule.entity, rule.name, rule.min_score, rule.needs_context
        if rule.context is None:
            if not needs_context:
                yield from (Span(entity, s, e, score, name, text[s:e]) for s, e, score in candidates
                            if score >= min_score)
            return
        lazy = (text, rule)
        undecided = candidates if needs_context else [c for c in candidates if c[2] < min_score]
        if not undecided:  # every candidate stands (an address on every log line): made in one loop
            yield from hotloops.lazy_spans(Span, candidates, entity, name, text, lazy)
            return
        # a rule with many such candidates has its context words indexed in one pass over the text
        if rule.keywords.available and _dense(len(undecided), len(text)):
            flags = iter(rule.keywords.scan(text).context_flags(undecided, rule.before, rule.after))
        else:
            flags = (rule.has_context(text, s, e) for s, e, _ in undecided)
        for start, end, score in candidates:
            if score >= min_score and not needs_context:
                yield Span(entity, start, end, score, name, text[start:end], lazy)
            elif next(flags):
                score = boosted(score)
                if score >= min_score:
                    yield Span(entity, start, end, score, name, text[start:end])


_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _word_at_start(words: re.Pattern, text: str) -> bool:
    """Whether ``words`` match in lower-case ``text`` where no letter or digit precedes them."""
    match = words.search(text)
    while match is not None:
        at = match.start()
        if at == 0 or text[at - 1] not in _ALNUM:
            return True
        match = words.search(text, at + 1)
    return False


def _dense(count: int, length: int) -> bool:
    """Whether ``count`` candidates in ``length`` characters warrant indexing a rule's words."""
    return count >= KEYWORD_SCAN_FROM and count * KEYWORD_SCAN_DENSITY >= length


def _lookaround_reach(regexes: list[str]) -> tuple[int, int]:
    """How far before and after a match the patterns' look-behinds and look-aheads can see,
    or (-1, -1) when unknown or beyond _MAX_LOOKAROUND (then nothing is cached by local text)."""
    reach = lookaround_reach(regexes)
    if reach is None or max(reach) > _MAX_LOOKAROUND:
        return -1, -1
    return int(reach[0]), int(reach[1])


def _max_width(regex_text: str) -> int:
    """The longest text an anchor can match (capped), so a window before its end covers its start."""
    longest = max_width(regex_text)
    return _MAX_REACH if longest is None else int(min(longest, _MAX_REACH))


def _compile(pattern: str, flags: int):
    """Python's re where it accepts the pattern (faster), else the regex module Presidio uses."""
    re_flags = (re.I if flags & regex.IGNORECASE else 0) | (re.M if flags & regex.MULTILINE else 0) | \
        (re.S if flags & regex.DOTALL else 0)
    try:
        return re.compile(pattern, re_flags)
    except re.error:
        return regex.compile(pattern, flags=flags)


def _windows(candidates: list[tuple[int, int]], pad: int, length: int) -> list[tuple[int, int]]:
    """Merge padded candidate spans into windows of at most MAX_WINDOW characters.

    Windows may overlap by the padding, so a match is never cut at a window
    edge; the caller drops the duplicate a match in two windows produces.
    """
    merged: list[list[int]] = []
    for start, end in sorted(candidates):
        w0, w1 = max(0, start - pad), min(length, end + pad)
        if merged and w0 <= merged[-1][1] and w1 - merged[-1][0] <= MAX_WINDOW:
            merged[-1][1] = max(merged[-1][1], w1)
        else:
            merged.append([w0, w1])
    return [(a, b) for a, b in merged]
