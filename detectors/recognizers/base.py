"""The base of our recognisers: Presidio's conventions plus what the fast engine needs.

A recogniser is a Presidio recogniser, so it also works inside a plain Presidio
``AnalyzerEngine``: a :class:`PatternRecognizer` (:class:`PiiRecognizer`: PATTERNS,
CONTEXT, ``validate_result`` for checksums) when its regexes and a checksum
suffice, else a :class:`detectors.recognizers.common.LogicRecognizer`, which
scores each match itself. The engine in :mod:`detectors.engine` additionally reads
(:class:`EngineHints`):

- ``ANCHORS``: regexes the one-pass pre-filter (Hyperscan) can compile, matching
  a superset of what PATTERNS match; default: PATTERNS with look-arounds removed.
- ``NEEDS_CONTEXT``: drop a match unless a CONTEXT word is near it (dates of
  birth, bare 9-digit numbers): precision over volume.
- ``CONTEXT_BEFORE`` / ``CONTEXT_AFTER``: how many characters around a match
  are searched for context words.
- ``MIN_SCORE``: the score a match needs, after context, to be reported.
- ``ANCHORS_AT_VALUE``: hand-written anchors that start where the value starts.
- ``ANCHORS_CASELESS``: False when the patterns match capitals only (IBAN, NINO): the
  anchors then skip lower-case hashes and identifiers too.
- ``anchor_start(text, end)`` (optional method): where the match of an anchor hit ending at
  ``end`` can start, for anchors too long to track their start (e-mail: the local part
  before the "@"); without it the engine searches MAX_MATCH back.

Language-independent recognisers (identifiers) declare ``supported_language``
"en" only because Presidio requires one; the engine runs them on every text.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = ["EngineHints", "Pattern", "PiiRecognizer"]


class EngineHints:
    """The class attributes the fast engine reads, with their defaults (see the module's
    docstring), shared by both kinds of recogniser."""

    ENTITY: ClassVar[str] = ""
    CONTEXT: ClassVar[list[str]] = []
    ANCHORS: ClassVar[list[str] | None] = None
    NEEDS_CONTEXT: ClassVar[bool] = False
    CONTEXT_BEFORE: ClassVar[int] = 80
    CONTEXT_AFTER: ClassVar[int] = 30
    MIN_SCORE: ClassVar[float] = 0.5
    #: longest text a match can span; windows around anchor hits are padded by it
    MAX_MATCH: ClassVar[int] = 100
    #: True when hand-written ANCHORS match the value itself, starting where a match can
    #: start (not context words): the engine then confirms each hit in place, not in a window
    ANCHORS_AT_VALUE: ClassVar[bool] = False
    ANCHORS_CASELESS: ClassVar[bool] = True


class PiiRecognizer(EngineHints, PatternRecognizer):
    """A Presidio pattern recogniser with the class attributes the fast engine reads."""

    PATTERNS: ClassVar[list[Pattern]] = []

    def __init__(self):
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            supported_language="en",
            name=type(self).__name__,
        )
