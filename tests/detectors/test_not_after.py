""""Not after" words (a version, an order number): the string-method shortcut that settles
most text before a candidate gives the NOT_AFTER regex's own verdict, for every recogniser
that has such words, on text that ends in them, nearly does, or hides them among separators."""

import random

import pytest

from detectors.recognizers.common import LogicRecognizer
from detectors.registry import load_recognizers

RECOGNIZERS = [r for r in load_recognizers() if isinstance(r, LogicRecognizer) and r.NOT_AFTER]

PIECES = ["from", "version", "Version", "v", "V", "ver", "build", "windows nt", "Windows NT", "order", "ORDER",
          "invoice", "ref", "réf", "n°", "#", "no", "No.", "nr", "id", "code", "number", "num", "ssn", "tel",
          "x", "ab", "session=9f3c2a", "user_id=5", "0", "12", "é", "ſ", "K", "Ö", "-", "_", ":", "=", ".", "/",
          " ", "  ", "\t", "\n", '"', "(", "'", "#1", "–", "nt", "windows"]


def _samples(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
        out.append(text[-rng.randint(1, 24):])  # a window cut anywhere, as the engine cuts one
    return out


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
def test_shortcut_agrees_with_the_regex(recognizer):
    samples = _samples(7, 6000) + [w + tail for w in recognizer.NOT_AFTER for tail in ("", " ", ": ", " no. ", "s ")]
    # a candidate right after each sample: the recogniser looks at the NOT_AFTER_REACH characters before it
    verdicts = {s: recognizer.follows_not_after(s + "1.2.3.4", len(s)) for s in samples}
    expected = {s: recognizer._not_after.search(s[-recognizer.NOT_AFTER_REACH:]) is not None for s in samples}
    assert verdicts == expected
    assert any(expected.values()) and not all(expected.values())  # both verdicts were exercised


def test_shortcut_settles_a_log_line_without_the_regex():
    ip = next(r for r in RECOGNIZERS if r.ENTITY == "IP_ADDRESS")
    for before, verdict in (("9f3c2a from ", False), ("firmware ", True), ("Windows NT ", True)):
        assert ip.follows_not_after(before + "10.0.0.1", len(before)) is verdict
    assert "9f3c2a from " not in ip._not_after_seen, "settled without the regex or its cache"
