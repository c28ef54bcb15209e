"""Shared machinery for recognisers whose matches need logic beyond one regex.

A :class:`LogicRecognizer` keeps the shape of Presidio's pattern recognisers
(PATTERNS, CONTEXT) but is a Presidio :class:`EntityRecognizer` with its own
``analyze``: it scores each regex match in Python (:meth:`score_match`): checksums, dates,
per-pattern scores that survive validation (Presidio would raise every valid
match to 1.0), spans narrowed to a named group ``v`` (a secret's value, not
its key), and "not after these words" rules (order numbers, versions).
A pattern scored below MIN_SCORE is reported only when the engine finds a
context word next to it: that is how "only with context" is expressed per form.
"""

from __future__ import annotations

import re
from typing import ClassVar, NamedTuple

from presidio_analyzer import EntityRecognizer, RecognizerResult

from detectors.recognizers.base import EngineHints

#: score for a form that is only reported with a context word (0.3 + 0.35 boost >= MIN_SCORE)
WEAK = 0.3
_NOT_AFTER_CACHE = 100_000
_NUMBER_WORDS = ("number", "num", "no", "nr", "id", "code")  # "order no.", "version id"
_ASCII_SEPARATORS = "".join(chr(c) for c in range(128) if not chr(c).isalnum())


class LogicPattern(NamedTuple):
    """One regex of a :class:`LogicRecognizer`, as Presidio's ``Pattern`` holds one: a name
    (what PATTERN_NEEDS and WITHIN_ANCHOR refer to), the regex and its base score. Not
    Presidio's ``Pattern``, which compiles each regex with ``regex`` to validate it: the
    recogniser compiles them with ``re``, which it runs, and that is the validation (the
    address patterns alone took a tenth of a second of every scan's start to validate)."""

    name: str
    regex: str
    score: float


class LogicRecognizer(EngineHints, EntityRecognizer):
    """A recogniser of regexes whose matches it scores itself."""

    PATTERNS: ClassVar[list[LogicPattern]] = []
    FLAGS: ClassVar[int] = re.IGNORECASE
    #: words that, just before a match, make it something else (an order number, a version)
    NOT_AFTER: ClassVar[list[str]] = []
    NOT_AFTER_REACH: ClassVar[int] = 25
    #: pattern name -> a substring any match contains: the pattern is skipped on text without it
    PATTERN_NEEDS: ClassVar[dict[str, str]] = {}
    #: names of patterns whose matches never reach past the anchor hit they start at, for a
    #: recogniser whose score_match reads the match only (not the text around it): the engine
    #: then caches judgements per hit and look-around characters
    WITHIN_ANCHOR: ClassVar[list[str]] = []

    def __init__(self):
        super().__init__(supported_entities=[self.ENTITY], name=type(self).__name__, supported_language="en",
                         context=list(self.CONTEXT))
        self.patterns = list(self.PATTERNS)
        self._compiled = [(p.score, re.compile(p.regex, self.FLAGS)) for p in self.PATTERNS]
        self._needs = [self.PATTERN_NEEDS.get(p.name) for p in self.PATTERNS]
        self._not_after = (re.compile(r"(?:^|[^a-z0-9])(?:" + "|".join(self.NOT_AFTER) + r")"
                                       r"(?:[^a-z0-9]+(?:" + "|".join(_NUMBER_WORDS) + r"))?[^a-z0-9]*$", re.I)
                           if self.NOT_AFTER else None)
        self._not_after_seen: dict[str, bool] = {}
        # What ASCII text must end with, separators aside, for the regex to match: a word or a
        # number word. Words of separators only ("#") can hide among the separators, so text
        # holding one of their characters always goes to the regex.
        self._not_after_endings = tuple(w.lower() for w in self.NOT_AFTER) + _NUMBER_WORDS
        hiding = {c for w in self.NOT_AFTER if not any(ch.isalnum() for ch in w) for c in w}
        self._not_after_hiding = re.compile("[" + re.escape("".join(sorted(hiding))) + "]") if hiding else None
        # the same test in the parts the engine's loop takes (detectors.hotloops.confirm_cached):
        # it settles the common case inline and calls follows_not_after for the rest
        self.not_after_test = (self.NOT_AFTER_REACH, self._not_after_endings, self._not_after_hiding,
                               _ASCII_SEPARATORS, self.not_after_ends) if self._not_after is not None else None

    def follows_not_after(self, text: str, start: int) -> bool:
        """Whether a NOT_AFTER word (then separators, or a separator and a number word) ends
        the NOT_AFTER_REACH characters before ``start``. The answer depends on those characters
        alone: what string methods cannot settle goes to the regex, cached by them."""
        if self._not_after is None:
            return False
        before = text[max(0, start - self.NOT_AFTER_REACH):start]
        # Most text ends in no such word ("session=9f3c… from " before each address of an
        # application log, never twice the same), which plain string methods tell of ASCII
        # text faster than a cache lookup that would miss
        if before.isascii() and (self._not_after_hiding is None or self._not_after_hiding.search(before) is None) \
                and not before.rstrip(_ASCII_SEPARATORS).lower().endswith(self._not_after_endings):
            return False
        return self.not_after_ends(before)

    def not_after_ends(self, before: str) -> bool:
        """Whether a NOT_AFTER word ends ``before`` (the characters before a match), by the
        regex, cached by those characters: the case string methods could not settle."""
        found = self._not_after_seen.get(before)
        if found is None:
            if len(self._not_after_seen) >= _NOT_AFTER_CACHE:
                self._not_after_seen.clear()
            found = self._not_after_seen[before] = self._not_after.search(before) is not None
        return found

    def load(self) -> None:
        """Nothing to load (Presidio's hook): the patterns are compiled by ``__init__``."""

    def score_match(self, match: re.Match, score: float, text: str) -> float | None:
        """The score of one regex match, or None to drop it. Default: keep as is."""
        return score

    @property
    def compiled_patterns(self) -> list[tuple[float, re.Pattern, str | None]]:
        """(base score, compiled regex, substring every match needs) per pattern, for the engine."""
        return [(base, regex, needed) for (base, regex), needed in zip(self._compiled, self._needs)]

    def judge(self, match: re.Match, base: float, text: str,
              not_after_checked: bool = False) -> tuple[int, int, float] | None:
        """(start, end, score) of one regex match in ``text``, or None when it is not this entity.

        ``not_after_checked``: the engine has already looked for NOT_AFTER words before the match.
        """
        if not not_after_checked and self.follows_not_after(text, match.start()):
            return None
        score = self.score_match(match, base, text)
        if score is None:
            return None
        start, end = match.span("v") if "v" in match.re.groupindex else match.span()
        if start < 0 or end <= start:
            return None
        return start, end, score

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """Regex matches scored by :meth:`score_match`, spans narrowed to group ``v`` if present."""
        return self.analyze_with(text, self.compiled_patterns)

    def analyze_with(self, text: str, patterns) -> list[RecognizerResult]:
        """:meth:`analyze` with ``patterns`` in place of :attr:`compiled_patterns`: a recogniser may
        leave out patterns that cannot match ``text``."""
        results = []
        for base, regex, needed in patterns:
            if needed is not None and needed not in text:
                continue
            for match in regex.finditer(text):
                judged = self.judge(match, base, text)
                if judged is not None:
                    results.append(RecognizerResult(self.ENTITY, judged[0], judged[1], judged[2],
                                                    recognition_metadata={"recognizer_name": self.name}))
        return results


def keyword_anchor(words: list[str]) -> str:
    """A pre-filter anchor on context words: windows open only where the words are."""
    return r"(?:" + "|".join(words) + r")"
