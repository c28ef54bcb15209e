"""Widths of patterns and reaches of look-arounds, read from the pattern syntax."""

from __future__ import annotations

import re

import pytest

from detectors.regex_width import UNBOUNDED, lookaround_reach, max_width
from tests.detectors.test_keyword_index import LINES


@pytest.mark.parametrize("pattern, width", [
    (r"abc", 3), (r"a|bcd|ef", 3), (r"\d{3}-\d{2,4}", 8), (r"x{,4}y", 5), (r"x{2,}", UNBOUNDED),
    (r"[a-z]+@", UNBOUNDED), (r"(?:ab)?c", 3), (r"(?i:ab|c)d", 3), (r"(?i)abc", 3), (r"[]a]{3}", 3),
    (r"\x41\u0042{2}\N{BULLET}", 4), (r"a{b", 3), (r"^\bab\B$", 2), (r"(a)(?P<x>bc)\1(?P=x)", 6),
    (r"(?<n>ab)c", 3), (r"a(?=xyz)b", 2), (r"a*?b+?c??", UNBOUNDED), (r"\101", 1), (r"[[:alpha:]]x", 2),
])
def test_longest_match(pattern, width):
    assert max_width(pattern) == width


@pytest.mark.parametrize("pattern", [r"(?x) a b", r"(?(1)a|b)", r"(?#note)a", r"(a", r"a)", r"\2(a)", "a\\"])
def test_what_it_does_not_read_is_unknown(pattern):
    assert max_width(pattern) is None


def test_look_around_reach():
    assert lookaround_reach([r"(?<![\w-])\d{3}(?![\d-])", r"(?<=ab)c(?=d{0,4})"]) == (2, 4)
    assert lookaround_reach([r"a(?=\d+)"]) == (0, UNBOUNDED)
    assert lookaround_reach([r"a", r"(?x)a"]) is None


def test_no_anchor_of_ours_matches_longer_than_its_width(detector):
    text = "\n".join(LINES)
    checked = 0
    for rule in detector.patterns.rules:
        for anchor, _ in rule.anchors:
            width = max_width(anchor)
            if width is None or width == UNBOUNDED:
                continue
            try:
                compiled = re.compile(anchor, re.I)
            except re.error:
                continue
            for match in compiled.finditer(text):
                assert match.end() - match.start() <= width, (rule.name, anchor)
                checked += 1
    assert checked > 20
