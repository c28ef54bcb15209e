"""How long a regular expression's matches can be, and how far its look-arounds see.

The pattern stage needs two facts of each recogniser's patterns: the longest text an
anchor can match (to search back from a hit's end far enough to find the match's start)
and how many characters before and after a match the look-behinds and look-aheads can
inspect (a judgement is cached by the text those characters hold). Python's ``re`` does
not expose these, so this module reads the pattern syntax itself: the subset of ``re`` and
``regex`` syntax recognisers are written in. Anything it does not understand (back
references, conditionals, verbose mode) answers None, "unknown", which the callers treat
as unbounded: slower, never wrong.
"""

from __future__ import annotations

import functools

UNBOUNDED = float("inf")
_ZERO_WIDTH_ESCAPES = set("bBAZz")
_QUANTIFIER_CHARS = set("*+?{")


class _Unknown(Exception):
    """A construct whose width this reader does not work out."""


class _Reader:
    """A recursive-descent reader of one pattern: widths as (shortest, longest)."""

    def __init__(self, pattern: str):
        self.text, self.at = pattern, 0
        self.behind = 0.0  # widest look-behind seen
        self.ahead = 0.0  # widest look-ahead seen
        self.groups = 0  # capturing groups opened so far (their numbers)
        self.group_widths: dict[int, tuple[float, float]] = {}  # of closed capturing groups
        self.group_names: dict[str, int] = {}

    def alternation(self) -> tuple[float, float]:
        low, high = self.sequence()
        while self.peek() == "|":
            self.at += 1
            branch_low, branch_high = self.sequence()
            low, high = min(low, branch_low), max(high, branch_high)
        return low, high

    def sequence(self) -> tuple[float, float]:
        low = high = 0.0
        while self.at < len(self.text) and self.peek() not in "|)":
            atom_low, atom_high = self.atom()
            repeat_low, repeat_high = self.quantifier()
            low += atom_low * repeat_low
            high += 0 if atom_high == 0 else atom_high * repeat_high
        return low, high

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def atom(self) -> tuple[float, float]:
        c = self.text[self.at]
        self.at += 1
        if c == "(":
            return self.group()
        if c == "[":
            self.char_class()
            return 1, 1
        if c == "\\":
            return self.escape()
        if c in "^$":
            return 0, 0
        if c in "*+?":
            raise _Unknown("a quantifier with nothing to repeat")
        return 1, 1

    def group(self) -> tuple[float, float]:
        lookaround, number, name = None, None, None
        if not self.text.startswith("?", self.at):
            self.groups += 1
            number = self.groups
        else:
            rest = self.text[self.at + 1:]
            if rest.startswith((":", ">")):
                self.at += 2
            elif rest.startswith(("=", "!")):
                lookaround, self.at = "ahead", self.at + 2
            elif rest.startswith(("<=", "<!")):
                lookaround, self.at = "behind", self.at + 3
            elif rest.startswith("P<") or (rest.startswith("<") and rest[1:2].isidentifier()):
                close = self.text.index(">", self.at)
                name = self.text[self.at + (3 if rest.startswith("P<") else 2):close]
                self.groups += 1
                number = self.groups
                self.at = close + 1
            elif rest.startswith("P="):  # a back reference by name
                close = self.text.index(")", self.at)
                name = self.text[self.at + 3:close]
                self.at = close + 1
                return self.reference(self.group_names.get(name))
            elif rest[:1].isalpha() or rest.startswith("-"):  # inline flags: (?i) or (?i:...)
                end = self.at + 1
                while end < len(self.text) and (self.text[end].isalpha() or self.text[end] == "-"):
                    end += 1
                flags = self.text[self.at + 1:end]
                if "x" in flags:
                    raise _Unknown("verbose mode")
                if self.text.startswith(")", end):
                    self.at = end + 1
                    return 0, 0
                if not self.text.startswith(":", end):
                    raise _Unknown("inline flags")
                self.at = end + 1
            else:  # (?#...), (?(...)...)
                raise _Unknown("comment or conditional")
        low, high = self.alternation()
        if self.peek() != ")":
            raise _Unknown("an unclosed group")
        self.at += 1
        if lookaround == "ahead":
            self.ahead = max(self.ahead, high)
            return 0, 0
        if lookaround == "behind":
            self.behind = max(self.behind, high)
            return 0, 0
        if number is not None:
            self.group_widths[number] = (low, high)
            if name:
                self.group_names[name] = number
        return low, high

    def reference(self, number: int | None) -> tuple[float, float]:
        """A back reference matches what its group matched: the group's widths."""
        if number not in self.group_widths:
            raise _Unknown("a reference to a group not closed yet")
        return self.group_widths[number]

    def char_class(self) -> None:
        """Skip a character class (it matches one character)."""
        if self.peek() == "^":
            self.at += 1
        if self.peek() == "]":  # a leading ] is a literal
            self.at += 1
        while self.at < len(self.text):
            c = self.text[self.at]
            if c == "\\":
                self.at += 2
            elif c == "[" and self.text.startswith("[:", self.at):  # [:alpha:] (regex module)
                self.at = self.text.index(":]", self.at) + 2
            elif c == "]":
                self.at += 1
                return
            else:
                self.at += 1
        raise _Unknown("an unclosed character class")

    def escape(self) -> tuple[float, float]:
        if self.at >= len(self.text):
            raise _Unknown("a trailing backslash")
        c = self.text[self.at]
        self.at += 1
        if c in _ZERO_WIDTH_ESCAPES:
            return 0, 0
        if c.isdigit():
            digits = c
            while len(digits) < 3 and self.peek().isdigit():
                digits += self.text[self.at]
                self.at += 1
            if c != "0" and not (len(digits) == 3 and all(d in "01234567" for d in digits)):
                return self.reference(int(digits))
            return 1, 1
        if c == "x":
            self.at += 2
        elif c == "u":
            self.at += 4
        elif c == "U":
            self.at += 8
        elif c == "N" and self.peek() == "{":
            self.at = self.text.index("}", self.at) + 1
        return 1, 1

    def quantifier(self) -> tuple[float, float]:
        c = self.peek()
        if c not in _QUANTIFIER_CHARS:
            return 1, 1
        if c == "{":
            close = self.text.find("}", self.at)
            body = self.text[self.at + 1:close] if close > 0 else ""
            low_text, comma, high_text = body.partition(",")
            if close < 0 or not (low_text.isdigit() or (comma and not low_text)) or \
                    (high_text and not high_text.isdigit()) or (not comma and not low_text):
                return 1, 1  # not a quantifier: "{" is a literal, read by the next atom
            self.at = close + 1
            low = int(low_text) if low_text else 0
            high = (int(high_text) if high_text else UNBOUNDED) if comma else low
        else:
            self.at += 1
            low, high = {"*": (0, UNBOUNDED), "+": (1, UNBOUNDED), "?": (0, 1)}[c]
        if self.peek() in ("?", "+"):  # lazy or possessive: the same widths
            self.at += 1
        return low, high


@functools.lru_cache(maxsize=4096)
def _read(pattern: str) -> tuple[float, float, float, float] | None:
    """(shortest match, longest match, widest look-behind, widest look-ahead), or None."""
    reader = _Reader(pattern)
    try:
        low, high = reader.alternation()
        if reader.at != len(pattern):
            raise _Unknown("an unbalanced parenthesis")
    except (_Unknown, ValueError, KeyError):
        return None
    return low, high, reader.behind, reader.ahead


def max_width(pattern: str) -> float | None:
    """The longest text ``pattern`` can match (UNBOUNDED for unbounded repeats), or None when
    the pattern uses a construct this module does not read."""
    read = _read(pattern)
    return None if read is None else read[1]


def lookaround_reach(patterns: list[str]) -> tuple[float, float] | None:
    """How far before and after a match the look-behinds and look-aheads of ``patterns`` can
    see, at most (UNBOUNDED when one can see arbitrarily far), or None when unknown."""
    behind = ahead = 0.0
    for pattern in patterns:
        read = _read(pattern)
        if read is None:
            return None
        behind, ahead = max(behind, read[2]), max(ahead, read[3])
    return behind, ahead
