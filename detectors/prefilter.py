"""The one fast pass over every character: where could each recogniser match?

All recognisers' anchors are compiled into one Hyperscan database and the text
is scanned once; the engine then runs the exact (Presidio) patterns, checksums
and context checks only in small windows around the hits. An anchor only has to
match a superset of its recogniser's matches, so look-arounds and named groups,
which Hyperscan lacks, are dropped from the pattern to make the anchor.
Recognisers whose anchors Hyperscan cannot compile run on the whole text: slow,
but never a missed match.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from detectors import hotloops
from detectors.disk_cache import cache_path, store

try:
    import hyperscan
except ImportError:  # not built for every platform: fall back to Python regexes
    hyperscan = None

log = logging.getLogger(__name__)

_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")


def strip_lookarounds(regex: str) -> str:
    """Remove look-around groups and name-less captures Hyperscan cannot compile.

    Removing a look-around can only widen what the pattern matches, which is
    what an anchor may do.
    """
    out = []
    i = 0
    n = len(regex)
    while i < n:
        c = regex[i]
        if c == "\\" and i + 1 < n:
            out.append(regex[i:i + 2])
            i += 2
            continue
        if c == "(" and regex.startswith(_LOOKAROUND, i):
            depth, j = 0, i
            while j < n:
                if regex[j] == "\\":
                    j += 2
                    continue
                if regex[j] == "(":
                    depth += 1
                elif regex[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
            continue
        if c == "(" and regex.startswith("(?P<", i):
            close = regex.index(">", i)
            out.append("(?:")
            i = close + 1
            continue
        out.append(c)
        i += 1
    anchor = "".join(out)
    # a back-reference to a removed or renamed group: accept any short separator
    return re.sub(r"\\[1-9]", ".{0,3}", anchor)


@dataclass(frozen=True)
class Anchor:
    """One regex of the pre-filter and what its hits must report.

    ``start``: report where the hit starts (Hyperscan's start-of-match tracking
    roughly halves the scan rate, so only anchors that are confirmed in place
    ask for it; others report their end and are searched in a window before it).
    ``caseless``: match regardless of case (most recognisers' patterns are
    case-insensitive; capital-only ones such as IBANs anchor on capitals too,
    which keeps lower-case hashes out of their windows).
    """

    owner: int
    regex: str
    start: bool = False
    caseless: bool = True


class Prefilter:
    """Scans text once and tells, per anchor owner, where candidate matches are.

    :meth:`hits` returns {owner: [(start, end), ...]} for the anchors that
    matched, and :attr:`always` the owners that must run on the whole text.
    """

    def __init__(self, anchors: list[Anchor]):
        self.anchors = anchors
        self.always: set[int] = set()
        self._owner: list[int] = []
        self._db = None
        self._fallback: list[tuple[int, re.Pattern]] = []
        if hyperscan is None:
            log.warning("Hyperscan is not installed: candidates are found by Python regexes, hundreds of "
                        "times slower (see bench/prefilter.py)")
            self._fallback = [(a.owner, re.compile(a.regex, (re.I if a.caseless else 0) | re.S | re.M))
                              for a in anchors]
            return
        compiled = list(anchors)
        try:
            self._db = self._compile(compiled)
        except Exception:  # hyperscan.error: find the anchors it rejects, run those on all text
            compiled = [a for a in anchors if self._compiles(a)]
            for anchor in anchors:
                if anchor not in compiled:
                    log.info("anchor of recogniser %d is not Hyperscan-compatible: it runs on all text",
                             anchor.owner)
                    self.always.add(anchor.owner)
            self._db = self._compile(compiled) if compiled else None
        self._owner = [a.owner for a in compiled]
        self._collector = hotloops.HitCollector(len(compiled))

    def _compile(self, anchors: list[Anchor]):
        return compiled_database([a.regex.encode("utf-8") for a in anchors], [_flags(a) for a in anchors])

    def _compiles(self, anchor: Anchor) -> bool:
        try:  # a trial compile, not worth caching
            hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(
                expressions=[anchor.regex.encode("utf-8")], ids=[0], flags=[_flags(anchor)])
            return True
        except Exception:  # hyperscan.error: unsupported construct or too large
            return False

    def hits(self, text: str) -> dict[int, list[tuple[int, int]]]:
        """Candidate spans per owner, as character offsets in ``text``.

        The start is meaningful only for anchors that track it (0 otherwise).
        """
        found: dict[int, list[tuple[int, int]]] = {}
        if self._db is not None:
            data = text.encode("utf-8", "surrogatepass")
            # a list per database pattern, filled by the cheapest handler there is (a plain function
            # appending to a list): a dense log has a hit on every line, and every per-hit step shows
            self._db.scan(data, match_event_handler=self._collector.collect)
            per_pattern = self._collector.take()
            to_char = None
            if len(data) != len(text):  # not ASCII: byte offsets are not character offsets
                to_char = char_offsets(data, {o for spans in per_pattern.values() for s, e in spans for o in (s, e)})
            for pattern_id, spans in per_pattern.items():
                if to_char is not None:
                    spans = [(to_char[s], to_char[e]) for s, e in spans]
                found.setdefault(self._owner[pattern_id], []).extend(spans)
        for owner, pattern in self._fallback:
            spans = [m.span() for m in pattern.finditer(text)]
            if spans:
                found.setdefault(owner, []).extend(spans)
        return found


def _flags(anchor: Anchor) -> int:
    flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_MULTILINE
    if anchor.start:
        flags |= hyperscan.HS_FLAG_SOM_LEFTMOST
    if anchor.caseless:
        flags |= hyperscan.HS_FLAG_CASELESS
    return flags


def char_offsets(data: bytes, offsets: set[int]) -> dict[int, int]:
    """Character offsets of UTF-8 byte ``offsets`` (at character boundaries), in one sweep:
    Hyperscan reports bytes, the detectors work in characters."""
    out: dict[int, int] = {}
    last_byte = last_char = 0
    for offset in sorted(o for o in offsets if o >= 0):
        last_char += len(data[last_byte:offset].decode("utf-8", "surrogatepass"))
        last_byte = offset
        out[offset] = last_char
    return out


def compiled_database(expressions: list[bytes], flags: list[int]):
    """A block-mode Hyperscan database of ``expressions`` (ids are their positions), from the
    disk cache when an earlier run compiled the same set: compiling takes up to a second,
    loading milliseconds, and every worker of every scan needs the same databases."""
    spec = repr((expressions, flags, getattr(hyperscan, "__version__", "")))
    path = cache_path(f"hyperscan-{hashlib.sha256(spec.encode()).hexdigest()[:24]}.db")
    try:
        with open(path, "rb") as fh:
            db = hyperscan.loadb(fh.read(), hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)  # a loaded database comes without scratch space
        return db
    except Exception:  # absent, unreadable or from another Hyperscan build: compile it
        pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=expressions, ids=list(range(len(expressions))), flags=flags)
    store(path, hyperscan.dumpb(db))  # the database holds patterns, never scanned data
    return db
