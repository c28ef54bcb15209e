"""The per-candidate loops of dense text, kept together because they run the most often.

A plain log has an address on nearly every line, thousands of candidates a megabyte. Each is
collected from Hyperscan's pass (:class:`HitCollector`), confirmed from a cache of judgements,
made a span, checked for overlaps and counted against the values its item already holds: a
microsecond or two per step, which is most of an identifier-only scan once the Hyperscan
pass has run: each loop avoids building objects for occurrences it only counts.
"""

from __future__ import annotations

import bisect
import itertools
import operator


def confirm_cached(text, longest, look_behind, look_ahead, memo, on_miss, slow, reaching, not_after, make=None,
                   known=None):
    """(start, end, score) of a rule's matches at its hits, judged once per hit text.

    ``longest``: {hit start: hit end}, in order of start. A hit whose text holds a match of
    ``reaching`` (a regex of strings) may match past it: ``slow(start, end)`` judges it in full. Any other
    hit is looked up in ``memo`` by its text and the look-around characters around it
    (``on_miss(key, start, end)`` judges and stores what is missing) as (match start, start,
    end, score, value): offsets relative to the hit, and the matched text. ``not_after``: (reach, endings,
    regex of hiding characters or None, separators, not_after_ends) of the recogniser, or None:
    a match that follows a "not after" word (which depends on where the hit is, not on its
    text) is dropped. ASCII text before a match that ends in none of the endings is settled
    here, as the recogniser's follows_not_after would; anything else goes to its regex.

    ``make``: (span type, entity, name, context, minimum score), to have spans made at once
    rather than (start, end, score): a match below the minimum is dropped when ``context`` is
    None (no word can raise it); None is returned instead of spans when a match needs its
    context words looked up now.

    ``known``: with ``make``, (seen, container, core start, core end, count index, others) to
    count the occurrences of values the window's container already holds rather than make
    their spans (see :func:`count_known`): a match in the core whose (entity, container, value)
    has a row in ``seen`` has the row's count raised instead, if overlap resolution could not
    drop it — no other match of the rule, and no span of ``others`` (the text's other spans),
    overlaps it. Counts are raised only when spans are returned.
    """
    out = []
    word_ends = None
    if not_after is not None:
        reach, endings, hiding, separators, word_ends = not_after
        hiding = hiding.search if hiding is not None else None
    if make is not None:
        span_type, entity, name, context, min_score = make
    kept = []  # (start, end, score) of the matches to make spans of, in order of judgement
    # bound methods in locals: this loop runs once per hit, a million times on a day of logs
    reaching = reaching.search if reaching is not None else None
    recall, keep, judged = memo.get, kept.append, out.append
    for start, end in longest.items():
        if reaching is not None and reaching(text, start, end) is not None:
            if make is None:
                out.extend(slow(start, end))
                continue
            for s, e, score in slow(start, end):
                if score < min_score:
                    if context is None:
                        continue
                    return None
                keep((s, e, score, text[s:e]))
            continue
        lo = start - look_behind if start > look_behind else 0
        key = (text[lo:end + look_ahead], start - lo)
        cached = recall(key)
        if cached is None:
            cached = on_miss(key, start, end)
        for match_start, s, e, score, value in cached:
            if word_ends is not None:
                at = start + match_start
                before = text[at - reach if at > reach else 0:at]
                if (not before.isascii() or (hiding is not None and hiding(before) is not None)
                        or before.rstrip(separators).lower().endswith(endings)) and word_ends(before):
                    continue
            if make is None:
                judged((start + s, start + e, score))
                continue
            if score < min_score:
                if context is None:
                    continue
                return None
            keep((start + s, start + e, score, value))
    if make is None:
        return out
    counted = _countable(kept, entity, known) if known is not None else None
    if counted:
        kept = [match for i, match in enumerate(kept) if i not in counted]
        for row in counted.values():
            row[known[4]] += 1
    return [span_type(entity, s, e, score, name, value, context) for s, e, score, value in kept]


def _countable(matches, entity, known):
    """{index: row} of the ``matches`` (start, end, score, value) that :func:`confirm_cached` counts
    on a row of ``known`` instead of making spans of: in the core, of a value with a row, and
    overlapping no other match and no span of ``others``, which overlap resolution
    (:func:`detectors.engine.resolve_overlaps`) therefore always keeps."""
    seen, container, core_start, core_end, _, others = known
    if not seen or not matches:  # the item's first window: nothing to count on yet
        return {}
    starts = [m[0] for m in matches]
    ends = [m[1] for m in matches]
    if all(map(operator.le, ends, starts[1:])):
        # The usual case (an address a line): in order, each ending before the next starts, so
        # each stands alone; those the other spans overlap are found from the other spans.
        blocked = set()
        for other in others:
            blocked.update(range(bisect.bisect_right(ends, other.start), bisect.bisect_left(starts, other.end)))
        return {i: row for i, (s, _, _, value) in enumerate(matches)
                if core_start <= s < core_end and i not in blocked
                and (row := seen.get((entity, container, value))) is not None}
    order = range(len(matches)) if starts == sorted(starts) else sorted(range(len(matches)), key=starts.__getitem__)
    others = sorted((o.start, o.end) for o in others)
    other_starts = [o_s for o_s, _ in others]
    other_reach = list(itertools.accumulate((o_e for _, o_e in others), max))  # furthest end so far
    following = [starts[i] for i in order][1:] + [1 << 62]  # the start of the next match in order
    counted = {}
    reached = -1  # the furthest end of the matches before, in order of start
    for i, next_start in zip(order, following):
        s, e, _, value = matches[i]
        alone = reached <= s and next_start >= e
        if e > reached:
            reached = e
        if alone and core_start <= s < core_end:
            if other_starts:  # the other spans starting before this match ends must all end by its start
                before = bisect.bisect_left(other_starts, e)
                if before and other_reach[before - 1] > s:
                    continue
            row = seen.get((entity, container, value))
            if row is not None:
                counted[i] = row
    return counted


def lazy_spans(span_type, candidates, entity, name, text, context):
    """A span per (start, end, score) candidate, its context words looked up when its score
    is first read (``context``: (text, rule), see detectors.patterns.Span)."""
    return [span_type(entity, s, e, score, name, text[s:e], context) for s, e, score in candidates]


def overlaps_none(ordered) -> bool:
    """Whether no span of ``ordered`` (sorted by start) starts before the previous one ends:
    then overlap resolution has nothing to resolve."""
    previous_end = -1
    for span in ordered:
        if span.start < previous_end:
            return False
        previous_end = span.end
    return True


def count_known(spans, core_start, core_end, container, seen, count_index):
    """Raise the count of each span in the window's core [core_start, core_end) whose
    (entity, container, value) is in ``seen`` (a row list holding its count at
    ``count_index``); return the other core spans, in order, for the caller to record."""
    fresh = []
    for span in spans:
        if core_start <= span.start < core_end:
            row = seen.get((span.entity_type, container, span.value))
            if row is None:
                fresh.append(span)
            else:
                row[count_index] += 1
    return fresh


class HitCollector:
    """The pre-filter's Hyperscan match handler: :attr:`collect`, called as ``collect(pattern id,
    start, end, flags, context)`` once per hit, appends (start, end) to the pattern's list;
    :meth:`take` returns {pattern id: [(start, end), ...]} of the hits since the last take and
    starts afresh. ``patterns``: how many pattern ids there are (0 to patterns - 1; a larger id
    raises IndexError)."""

    def __init__(self, patterns: int):
        self._lists: list[list[tuple[int, int]]] = [[] for _ in range(patterns)]
        lists = self._lists

        # a plain function over a list of lists: the cheapest call there is, once per hit
        def collect(pattern_id: int, start: int, end: int, flags: int = 0, context=None) -> None:
            lists[pattern_id].append((start, end))

        self.collect = collect

    def take(self) -> dict[int, list[tuple[int, int]]]:
        """The hits since the last take, by pattern id (in order of id); start afresh."""
        lists = self._lists
        taken = {}
        for i in itertools.compress(range(len(lists)), lists):  # the patterns hit, found in C
            taken[i], lists[i] = lists[i], []
        return taken
