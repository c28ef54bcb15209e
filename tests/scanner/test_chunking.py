"""Chunking with overlap: an entity split across any block boundary is found exactly once.

The real detector runs over :func:`scanner.chunking.windows` exactly as the
worker does (a span belongs to the window whose core it starts in).
"""

from __future__ import annotations

import pytest

from detectors.engine import Detector, DetectorConfig
from scanner.chunking import OVERLAP, windows
from contract.models import LINES, TextBlock

FILLER = "lorem ipsum dolor sit amet consectetur\nadipiscing elit sed do eiusmod tempor\n"


@pytest.fixture(scope="module")
def detector():
    return Detector(DetectorConfig(ner=False))


def blocks_of(text: str, cuts: list[int], container: str = "") -> list[TextBlock]:
    """TextBlocks as extractors make them: contiguous offsets, 1-based line of the first character."""
    edges = [0] + cuts + [len(text)]
    return [TextBlock(text[a:b], offset=a, line=text.count("\n", 0, a) + 1, container=container, hint=LINES)
            for a, b in zip(edges, edges[1:])]


def detect_stream(detector, blocks) -> list[tuple]:
    """(entity, value, offset, line, container) the way scanner/worker.py keeps spans."""
    found = []
    for window in windows(blocks):
        for span in detector.analyze_text(window.text, window.hint):
            if window.core_start <= span.start < window.core_end:
                found.append((span.entity_type, span.value, window.offset + span.start,
                              window.line_of(span.start), window.container))
    return found


def text_with(value: str, positions: list[int], length: int) -> str:
    """Filler text of ``length`` chars with ``value`` written at each position, set off by spaces."""
    chars = list((FILLER * (length // len(FILLER) + 1))[:length])
    for p in positions:
        chars[p - 1] = " "
        chars[p:p + len(value)] = value
        chars[p + len(value)] = " "
    return "".join(chars)


VALUES = [
    ("EMAIL_ADDRESS", "jane.doe@example.com"),
    ("CREDIT_CARD", "4242 4242 4242 4242"),
    ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32"),
]


@pytest.mark.parametrize("entity, value", VALUES)
@pytest.mark.parametrize("cuts", [
    [97 * k for k in range(1, 20)],              # small blocks, shorter than the overlap
    [300, 901, 1500, 2113],                      # blocks longer than the overlap
    [120, 150, 700, 735, 1300, 1800, 1841],      # irregular, some barely longer than the value
], ids=["small", "large", "irregular"])
def test_entity_across_every_boundary_found_exactly_once(detector, entity, value, cuts):
    length = cuts[-1] + 200
    for split in range(len(value) + 1):  # 0: starts at the boundary; len: ends at it
        positions = [cut - split for cut in cuts]
        text = text_with(value, positions, length)
        found = [f for f in detect_stream(detector, blocks_of(text, cuts)) if f[0] == entity]
        expected = [(entity, value, p, text.count("\n", 0, p) + 1, "") for p in positions]
        assert found == expected, (split, found)


def test_entities_at_stream_start_and_end(detector):
    value = "jane.doe@example.com"
    text = value + " " + FILLER * 10 + " " + value
    found = detect_stream(detector, blocks_of(text, [len(value) - 3, 300, len(text) - 5]))
    assert [(f[2], f[3]) for f in found if f[0] == "EMAIL_ADDRESS"] == [(0, 1), (len(text) - len(value),
                                                                          text.count("\n") + 1)]


def test_containers_are_separate_streams(detector):
    """A new container restarts offsets and shares no overlap with the previous one."""
    value = "jane.doe@example.com"
    first = FILLER * 3 + value  # ends with the value
    second = value + " " + FILLER * 3
    blocks = blocks_of(first, [50], container="a.txt") + blocks_of(second, [10], container="b.txt")
    found = [f for f in detect_stream(detector, blocks) if f[0] == "EMAIL_ADDRESS"]
    assert found == [("EMAIL_ADDRESS", value, len(first) - len(value), 7, "a.txt"),
                     ("EMAIL_ADDRESS", value, 0, 1, "b.txt")]


def test_cores_partition_the_stream():
    text = (FILLER * 40)[:3001]
    cuts = [97, 400, 401, 1000, 2500]
    ws = list(windows(blocks_of(text, cuts)))
    assert len(ws) == len(cuts) + 1
    assert "".join(w.text[w.core_start:w.core_end] for w in ws) == text
    for w in ws:
        assert text[w.offset:w.offset + len(w.text)] == w.text
        assert w.core_start <= OVERLAP and len(w.text) - w.core_end <= OVERLAP
        assert w.line == text.count("\n", 0, w.offset) + 1
        # in order, as spans come, then backwards (the window counts on from its last answer)
        for pos in (0, w.core_start, len(w.text) - 1, w.core_start, 0, len(w.text) // 2):
            assert w.line_of(pos) == text.count("\n", 0, w.offset + pos) + 1


def test_gap_in_offsets_breaks_the_stream():
    """Blocks that are not contiguous (a skipped range) must not be glued together."""
    a = TextBlock("jane.doe@exa", offset=0)
    b = TextBlock("mple.com and more", offset=500)
    first, second = windows([a, b])
    assert first.text == a.text and second.text == b.text
