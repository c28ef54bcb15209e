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
import os
import re

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


class Prefilter:
    """Scans text once and tells, per recogniser, where candidate matches are.

    ``anchors`` is a list of (recogniser index, regex). :meth:`hits` returns
    {recogniser index: [(start, end), ...]} for the anchors that matched, and
    :attr:`always` the indices that must run on the whole text.
    """

    def __init__(self, anchors: list[tuple[int, str]], caseless: bool = True):
        self.always: set[int] = set()
        self._owner: list[int] = []
        self._db = None
        self._fallback: list[tuple[int, re.Pattern]] = []
        if hyperscan is None:
            self._fallback = [(owner, re.compile(regex, re.I | re.S | re.M if caseless else re.S | re.M))
                              for owner, regex in anchors]
            return
        compiled = list(anchors)
        self._db = _load_cached(compiled, self._flags(caseless))
        if self._db is None:
            try:
                self._db = self._compile(compiled, caseless)
            except Exception:  # hyperscan.error: find the anchors it rejects, run those on all text
                compiled = [(o, r) for o, r in anchors if self._compiles(r)]
                for owner, regex in anchors:
                    if (owner, regex) not in compiled:
                        log.info("anchor of recogniser %d is not Hyperscan-compatible: it runs on all text", owner)
                        self.always.add(owner)
                self._db = self._compile(compiled, caseless) if compiled else None
            if self._db is not None and len(compiled) == len(anchors):
                _store_cached(anchors, self._flags(caseless), self._db)
        self._owner = [owner for owner, _ in compiled]

    def _compile(self, anchors: list[tuple[int, str]], caseless: bool):
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=[r.encode("utf-8") for _, r in anchors], ids=list(range(len(anchors))),
                   flags=[self._flags(caseless)] * len(anchors))
        return db

    @staticmethod
    def _flags(caseless: bool) -> int:
        flags = hyperscan.HS_FLAG_SOM_LEFTMOST | hyperscan.HS_FLAG_UTF8 | \
            hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_MULTILINE
        if caseless:
            flags |= hyperscan.HS_FLAG_CASELESS
        return flags

    def _compiles(self, regex: str) -> bool:
        try:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(expressions=[regex.encode("utf-8")], ids=[0], flags=[self._flags(True)])
            return True
        except Exception:  # hyperscan.error: unsupported construct or too large
            return False

    def hits(self, text: str) -> dict[int, list[tuple[int, int]]]:
        """Candidate spans per recogniser index, as character offsets in ``text``."""
        found: dict[int, list[tuple[int, int]]] = {}
        if self._db is not None:
            data = text.encode("utf-8", "surrogatepass")
            byte_hits: list[tuple[int, int, int]] = []

            def on_match(pattern_id, start, end, flags, context):
                byte_hits.append((self._owner[pattern_id], start, end))
                return None

            self._db.scan(data, match_event_handler=on_match)
            if byte_hits:
                to_char = _ByteToChar(data, text)
                for owner, start, end in byte_hits:
                    found.setdefault(owner, []).append((to_char(start), to_char(end)))
        for owner, pattern in self._fallback:
            spans = [m.span() for m in pattern.finditer(text)]
            if spans:
                found.setdefault(owner, []).extend(spans)
        return found


class _ByteToChar:
    """Maps UTF-8 byte offsets back to character offsets (identity for ASCII text)."""

    def __init__(self, data: bytes, text: str):
        self.ascii = len(data) == len(text)
        self.data = data

    def __call__(self, offset: int) -> int:
        if self.ascii:
            return offset
        return len(self.data[:offset].decode("utf-8", "surrogatepass"))


def _cache_path(anchors: list[tuple[int, str]], flags: int) -> str:
    """Where a compiled database for exactly these anchors is kept (it holds patterns, never data)."""
    digest = hashlib.sha256(repr((anchors, flags, getattr(hyperscan, "__version__", ""))).encode()).hexdigest()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "piisweep", f"hyperscan-{digest[:24]}.db")


def _load_cached(anchors: list[tuple[int, str]], flags: int):
    """A database compiled by an earlier run: compiling takes seconds, loading milliseconds."""
    try:
        with open(_cache_path(anchors, flags), "rb") as fh:
            db = hyperscan.loadb(fh.read(), hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)  # a loaded database comes without scratch space
        return db
    except Exception:  # absent, unreadable or from another Hyperscan build: compile instead
        return None


def _store_cached(anchors: list[tuple[int, str]], flags: int, db) -> None:
    path = _cache_path(anchors, flags)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(hyperscan.dumpb(db))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs compile time
