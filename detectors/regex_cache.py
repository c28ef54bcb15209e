"""The recognisers' regular expressions, compiled from a code cache on disk.

``re.compile`` parses a pattern and generates its matcher code in pure Python
before handing the code to the C engine (``_sre.compile``). For our ~330
patterns (the address patterns alone are tens of KB) that is 0.15 s in every
scan's fork server, on the path before the first worker can start: a third of
a ``--no-ner`` scan's fixed cost. The code depends only on the pattern, its
flags and the Python build, so, as for the Hyperscan database, one process
compiles it and later ones load it: all of them in 5 ms.

A Pattern built from cached code is the same object ``re.compile`` builds
(``==`` compares pattern, flags and code). The cache is keyed by the exact
Python build and the engine's magic number, and anything it cannot use is
compiled by ``re`` as usual. Only for the detectors' own patterns: a pattern
made from scanned or looked-up values must never reach a file.
"""

from __future__ import annotations

import marshal
import re
import sys
from array import array
from re import _compiler, _parser

import _sre

from detectors.disk_cache import cache_path, store

_BUILD = (sys.version, _sre.MAGIC, _sre.CODESIZE)  # code valid only for the engine that made it
_PATH = cache_path("regex-code.marshal")
_MAX_ENTRIES = 1024  # past this, patterns of older versions are dropped (ours are ~330, 0.9 MB)
_CODE = "I" if _sre.CODESIZE == 4 else "H"

# (pattern, flags) -> (flags, code as bytes, groups, groupindex, indexgroup), and (pattern, kind)
# -> a derived fact (see derived): loaded on first use
_table: dict[tuple[str, int | str], object] | None = None
_added = False
_used: set[tuple[str, int | str]] = set()  # the entries this process asked for


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - re's name, re's signature
    """``re.compile(pattern, flags)``, from the code cache when an earlier process compiled it."""
    flags = int(flags)
    _used.add((pattern, flags))
    entry = _loaded().get((pattern, flags))
    if entry is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = entry
            return _sre.compile(pattern, final_flags, array(_CODE, code).tolist(), groups, groupindex, indexgroup)
        except Exception:  # a damaged entry: compile as usual
            pass
    compiled = re.compile(pattern, flags)  # raises re.error for a bad pattern, as callers expect
    if not flags & re.DEBUG:
        _remember(pattern, flags)
    return compiled


def derived(kind: str, pattern: str, compute):
    """``compute(pattern)``, a fact of a pattern such as how wide its matches can be (``kind``
    names it), kept in the cache beside the code: working it out takes ``re``'s parser too,
    30-50 ms for our anchors and look-arounds on the same path before the first worker. The
    result must be what marshal stores (numbers, tuples)."""
    key = (pattern, kind)  # a str where compiled code has int flags: the two never meet
    _used.add(key)
    table = _loaded()
    if key in table:
        return table[key]
    global _added
    value = table[key] = compute(pattern)
    _added = True
    return value


def save() -> None:
    """Write the code of patterns compiled since the cache was loaded (no-op when none were)."""
    global _added, _table
    if _added and _table is not None:
        if len(_table) > _MAX_ENTRIES:  # keep this version's patterns, drop the rest
            _table = {key: entry for key, entry in _table.items() if key in _used}
        store(_PATH, marshal.dumps((_BUILD, _table)))
        _added = False


def _loaded() -> dict[tuple[str, int], tuple]:
    global _table
    if _table is None:
        _table = {}
        try:
            with open(_PATH, "rb") as fh:
                build, table = marshal.loads(fh.read())
            if build == _BUILD:
                _table = table
        except Exception:  # absent, unreadable or damaged: compile as usual
            pass
    return _table


def _remember(pattern: str, flags: int) -> None:
    """Generate the code of a pattern ``re`` just compiled, as ``re._compiler.compile`` does."""
    global _added
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
    except Exception:  # another Python's internals: nothing is cached, nothing breaks
        return
    state = parsed.state
    indexgroup = [None] * state.groups
    for name, index in state.groupdict.items():
        indexgroup[index] = name
    _loaded()[(pattern, flags)] = (flags | state.flags, array(_CODE, code).tobytes(), state.groups - 1,
                                   dict(state.groupdict), tuple(indexgroup))
    _added = True
