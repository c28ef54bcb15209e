"""Where one recogniser's context words occur in a text.

A context check per candidate (a regex over the 80 characters before and the
30 after it) costs microseconds; a log with a weak phone-number form on every
line would pay it hundreds of thousands of times. When a recogniser has many
candidates in a text that need a context word to stand (a candidate that
passes without one is boosted lazily, see :class:`detectors.patterns.Span`),
its context words are instead found in one Hyperscan pass over the whole
text (literal alternatives run at GB/s), and the candidates are answered by
bisections into the positions. The answers are those of the per-candidate
regexes: a word counts when it stands alone (no letter or digit either side)
wholly inside the reach.
"""

from __future__ import annotations

import bisect
import operator
import re
from functools import partial

from detectors.prefilter import char_offsets, compiled_database

try:
    import hyperscan
except ImportError:  # the engine then checks each candidate with its regexes
    hyperscan = None

_BEFORE = r"(?:^|[^a-z0-9])"  # a word starts the text, a line, or follows a non-alphanumeric
_AFTER = r"[^a-z0-9]"  # and is followed by one ("to" is not the start of "took"); the text is scanned
# with a space appended, so a word that ends the text is followed by one too


class KeywordIndex:
    """A compiled set of a recogniser's context words; :meth:`scan` finds them in a text."""

    def __init__(self, context: list[str]):
        self.available = hyperscan is not None and bool(context)
        self._lengths = [len(w) for w in context]
        self._expressions = [(_BEFORE + re.escape(w) + _AFTER).encode("utf-8") for w in context]
        self._db = None  # compiled on first use: most rules never have dense candidates

    def scan(self, text: str) -> "KeywordHits":
        """The positions of every word in ``text``."""
        if self._db is None:
            flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_MULTILINE
            self._db = compiled_database(self._expressions, [flags] * len(self._expressions))
        data = text.encode("utf-8", "surrogatepass") + b" "
        lengths = self._lengths
        words: list[tuple[int, int]] = []  # (start, end) of each word; a match ends one character past it
        add = words.append
        if text.isascii():  # byte offsets are character offsets: the callback makes the spans
            self._db.scan(data, match_event_handler=lambda i, s, e, f, c: add((e - 1 - lengths[i], e - 1)))
        else:
            raw: list[tuple[int, int]] = []
            self._db.scan(data, match_event_handler=lambda i, s, e, f, c: raw.append((i, e)))
            chars = char_offsets(data, {e for _, e in raw})
            words = [(chars[e] - 1 - lengths[i], chars[e] - 1) for i, e in raw]
        return KeywordHits(sorted(words, key=_END))


_START = operator.itemgetter(0)
_END = operator.itemgetter(1)


class KeywordHits:
    """The words of one text, answering "is there a context word near this span?" cheaply."""

    def __init__(self, context: list[tuple[int, int]]):
        self._context = context  # (start, end) of each word, in order of end
        self._context_ends = [e for _, e in context]
        # sentinels first: padded[bisect_right(ends, p)] is the last word ending <= p (its end,
        # its start), or a position no reach gets to
        self._context_padded = [-(1 << 62)] + self._context_ends
        self._starts_padded = [-(1 << 62)] + [s for s, _ in context]

    def has_context(self, start: int, end: int, before: int, after: int) -> bool:
        """A context word wholly within ``before`` characters before or ``after`` after the span."""
        lo = start - before
        i = bisect.bisect_right(self._context_ends, start) - 1
        while i >= 0 and self._context_ends[i] > lo:
            if self._context[i][0] >= lo:
                return True
            i -= 1
        hi = end + after
        i = bisect.bisect_right(self._context_ends, end)
        while i < len(self._context) and self._context_ends[i] <= hi:
            if self._context[i][0] >= end:
                return True
            i += 1
        return False

    def context_flags(self, spans, before: int, after: int) -> list[bool]:
        """:meth:`has_context` of many spans at once, settled by bisections run in C (``map``)
        where possible: on dense text most spans either have no word end anywhere near them,
        or have a word just before them ("tel 0161 496 0000" on every line), which is the first
        word :meth:`has_context` would look at. Only the rest are checked word by word.
        ``spans``: sequences whose first two items are a start and an end (candidates as the
        engine holds them, (start, end, score), need no copying)."""
        ends = self._context_ends
        if not ends:
            return [False] * len(spans)
        starts = list(map(_START, spans))
        stops = list(map(_END, spans))
        index = partial(bisect.bisect_right, ends)
        at = list(map(index, starts))
        last_start = map(self._starts_padded.__getitem__, at)  # of the last word ending <= start
        last_end = map(self._context_padded.__getitem__, at)
        first_after = map(index, stops)  # index of the first word end > end
        tail = ends + [1 << 62]
        return [ls >= s - before or (le > s - before or tail[i] <= e + after) and self.has_context(s, e, before, after)
                for s, e, ls, le, i in zip(starts, stops, last_start, last_end, first_after)]
