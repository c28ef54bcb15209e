"""The loops of dense text (detectors/hotloops.py): spans, scores, counts and new values on
text built to reach every branch (cached and uncached hits, "not after" words, non-ASCII
text, overlaps)."""

import random

import pytest

from detectors import hotloops
from detectors.engine import resolve_overlaps
from detectors.patterns import Span

from tests.detectors.test_keyword_index import LINES

EXTRA = [
    "card 4111 1111 1111 1111 ref #4111111111111111 and order 5500 0000 0000 0004",  # '#' hides a word
    "ssn 078-05-1120 tel 078-05-1121, ticket# 078-05-1122",
    "phone: +44 161 496 0000; po 0161 496 0999; 0161 496 0998",
    "addresses 10.0.0.1,10.0.0.2;10.0.0.3 fw 10.0.0.4 API-10.0.0.5 ver. no 10.0.0.6",
]


def _text(seed: int) -> str:
    rng = random.Random(seed)
    return "\n".join(rng.choice(LINES + EXTRA) for _ in range(400))


def test_confirm_cached_drops_matches_after_not_after_words_and_judges_reaching_hits_in_full(detector):
    rule = next(r for r in detector.patterns.rules if r.entity == "IP_ADDRESS")
    text = "at 10.0.0.1 and firmware 10.0.0.1 and Café 10.0.0.1 and fe80::1"
    hits = {3: 11, 25: 33, 43: 51, 56: 63}
    missed, in_full, memo = [], [], {}

    def on_miss(key, start, end):  # judges and stores, as the engine's does
        missed.append(key)
        judged = memo[key] = ((0, 0, end - start, 0.6, text[start:end]),)
        return judged

    def slow(start, end):
        in_full.append((start, end))
        return [(start, end, 0.7)]

    found = hotloops.confirm_cached(text, hits, 1, 2, memo, on_miss, slow, rule._reaching, rule.recognizer.not_after_test)
    assert found == [(3, 11, 0.6), (43, 51, 0.6), (56, 63, 0.7)]  # "firmware" makes the second a version
    assert in_full == [(56, 63)]  # an IPv6 pattern may reach past its hit: never cached
    assert missed == [(" 10.0.0.1 a", 1)]  # judged once: the other two have the same text around them


def test_count_known_counts_repeats_in_the_core_and_returns_the_rest():
    spans = [Span("IP_ADDRESS", s, s + 7, 0.6, "ip", v) for s, v in
             [(0, "1.1.1.1"), (10, "2.2.2.2"), (20, "1.1.1.1"), (30, "3.3.3.3"), (40, "2.2.2.2"), (50, "1.1.1.1")]]
    row = ["c", "IP_ADDRESS", 5]
    seen = {("IP_ADDRESS", "c", "1.1.1.1"): row}
    fresh = hotloops.count_known(spans, 5, 50, "c", seen, 2)
    assert row[2] == 6  # only the repeat at 20: 0 and 50 are outside the core
    assert [s.start for s in fresh] == [10, 30, 40]


def test_lazy_spans_and_overlap_check():
    text = "x 10.0.0.1 y 10.0.0.2"
    spans = hotloops.lazy_spans(Span, [(2, 10, 0.6), (13, 21, 0.6)], "IP_ADDRESS", "ip", text, None)
    assert [(s.value, s.start, s.end, s.score, s.detector) for s in spans] == \
        [("10.0.0.1", 2, 10, 0.6, "ip"), ("10.0.0.2", 13, 21, 0.6, "ip")]
    assert hotloops.overlaps_none(spans)
    overlapping = spans + [Span("PHONE_NUMBER", 15, 25, 0.5, "phone", "x")]
    assert not hotloops.overlaps_none(sorted(overlapping, key=lambda s: s.start))
    assert [s.start for s in resolve_overlaps(overlapping)] == [2, 13]


def test_confirm_cached_makes_spans_or_declines(detector):
    rule = next(r for r in detector.patterns.rules if r.entity == "IP_ADDRESS")
    text = "at 10.0.0.1 and 10.0.0.2 and fe80::1"
    hits = {3: 11, 16: 24}
    weak = {}

    def judge(score):
        def on_miss(key, start, end):
            judged = weak[key] = ((0, 0, end - start, score, text[start:end]),)
            return judged
        return on_miss

    def run(score, context, more_hits=None, in_full=0.9):
        weak.clear()
        make = (Span, "IP_ADDRESS", "ip", context, 0.5)
        return hotloops.confirm_cached(text, more_hits or hits, 1, 2, weak, judge(score), lambda s, e: [(s, e, in_full)],
                                   rule._reaching, None, make)

    spans = run(0.6, (text, rule))
    assert [(s.start, s.end, s.value, s._score, s._context) for s in spans] == \
        [(3, 11, "10.0.0.1", 0.6, (text, rule)), (16, 24, "10.0.0.2", 0.6, (text, rule))]
    assert run(0.3, None) == []  # below the minimum, and no context word can raise it
    assert run(0.3, (text, rule)) is None  # its context words must be looked up now
    # the IPv6 hit is judged in full (slow), and its matches go the same way
    assert [(s.start, s.end, s.value, s._score) for s in run(0.6, None, {3: 11, 29: 36})] == \
        [(3, 11, "10.0.0.1", 0.6), (29, 36, "fe80::1", 0.9)]
    assert [s.start for s in run(0.6, None, {3: 11, 29: 36}, in_full=0.3)] == [3]
    assert run(0.6, (text, rule), {3: 11, 29: 36}, in_full=0.3) is None


def test_the_loops_take_any_span_like_object():
    from types import SimpleNamespace

    spans = [SimpleNamespace(entity_type="IP_ADDRESS", start=s, end=s + 7, value=v)
             for s, v in [(0, "1.1.1.1"), (10, "2.2.2.2"), (20, "1.1.1.1")]]
    row = ["IP_ADDRESS", 1]
    assert [s.start for s in hotloops.count_known(spans, 0, 100, "c", {("IP_ADDRESS", "c", "1.1.1.1"): row}, 1)] == [10]
    assert row[1] == 3
    assert hotloops.overlaps_none(spans)
    assert not hotloops.overlaps_none(spans + [SimpleNamespace(start=25, end=30)])


def test_the_hit_collector_gathers_a_hyperscan_pass_by_pattern(detector):
    prefilter = detector.patterns.prefilter
    data = _text(4).encode("utf-8")
    collector = hotloops.HitCollector(len(prefilter._owner))
    prefilter._db.scan(data, match_event_handler=collector.collect)
    taken = collector.take()
    assert collector.take() == {}, "take() starts afresh"
    assert len(taken) > 3 and sum(map(len, taken.values())) > 400
    assert list(taken) == sorted(taken)  # in order of pattern id


def test_a_hit_collector_refuses_an_unknown_pattern_id():
    collector = hotloops.HitCollector(2)
    collector.collect(1, 4, 9, 0, None)
    collector.collect(0, 1, 2, 0, None)
    collector.collect(1, 10, 12, 0, None)
    with pytest.raises(IndexError):
        collector.collect(2, 0, 1, 0, None)
    assert collector.take() == {0: [(1, 2)], 1: [(4, 9), (10, 12)]}


def test_confirm_cached_counts_known_values_that_nothing_overlaps():
    text = "a 10.0.0.1 b 10.0.0.2 c 10.0.0.1 d 10.0.0.1 e 10.0.0.3 f 10.0.0.1"
    starts = [i for i in range(len(text)) if text.startswith("10.", i)]
    hits = {s: s + 8 for s in starts}
    memo = {}

    def on_miss(key, start, end):
        judged = memo[key] = ((0, 0, end - start, 0.6, text[start:end]),)
        return judged

    known_row, other_row = ["10.0.0.1", 1], ["10.0.0.3", 1]
    seen = {("IP_ADDRESS", "c", "10.0.0.1"): known_row, ("IP_ADDRESS", "c", "10.0.0.3"): other_row}
    blocking = [Span("PHONE_NUMBER", starts[3] + 2, starts[3] + 6, 0.5, "phone", "x")]  # over the 4th address
    make = (Span, "IP_ADDRESS", "ip", None, 0.5)
    known = (seen, "c", starts[1], starts[5], 1, blocking)  # the core leaves out the first and the last
    spans = hotloops.confirm_cached(text, dict(hits), 1, 2, memo, on_miss, lambda s, e: [], None, None, make, known)
    # counted: the 3rd (10.0.0.1) and the 5th (10.0.0.3); returned: the new value, the overlapped
    # one and the two outside the core, in order
    assert [(s.start, s.value) for s in spans] == \
        [(starts[0], "10.0.0.1"), (starts[1], "10.0.0.2"), (starts[3], "10.0.0.1"), (starts[5], "10.0.0.1")]
    assert known_row[1] == 2 and other_row[1] == 2
    without = hotloops.confirm_cached(text, dict(hits), 1, 2, memo, on_miss, lambda s, e: [], None, None, make)
    assert [s.start for s in without] == starts, "without known, every match is a span"


def test_confirm_cached_never_counts_matches_that_overlap_each_other():
    text = "x 10.0.0.1 y 10.0.0.1 z"
    memo = {}

    def on_miss(key, start, end):  # two matches per hit, the second inside the first
        judged = memo[key] = ((0, 0, end - start, 0.6, text[start:end]), (0, 3, end - start, 0.6, text[start + 3:end]))
        return judged

    row, inner = ["10.0.0.1", 1], [".0.0.1", 1]
    seen = {("IP_ADDRESS", "", "10.0.0.1"): row, ("IP_ADDRESS", "", ".0.0.1"): inner}
    make = (Span, "IP_ADDRESS", "ip", None, 0.5)
    spans = hotloops.confirm_cached(text, {2: 10, 13: 21}, 1, 2, memo, on_miss, lambda s, e: [], None, None, make,
                                (seen, "", 0, len(text), 1, []))
    assert [(s.start, s.end) for s in spans] == [(2, 10), (5, 10), (13, 21), (16, 21)]
    assert row[1] == 1 and inner[1] == 1


def test_confirm_cached_counts_nothing_when_it_declines():
    text = "at 10.0.0.1 and 10.0.0.1 and 10.0.0.2"
    memo = {}

    def on_miss(key, start, end):  # the last is too weak to stand without a context word
        judged = memo[key] = ((0, 0, end - start, 0.6 if text[end - 1] == "1" else 0.3, text[start:end]),)
        return judged

    row = ["10.0.0.1", 1]
    make = (Span, "IP_ADDRESS", "ip", (text, None), 0.5)
    found = hotloops.confirm_cached(text, {3: 11, 16: 24, 29: 37}, 1, 2, memo, on_miss, lambda s, e: [], None, None,
                                make, ({("IP_ADDRESS", "", "10.0.0.1"): row}, "", 0, len(text), 1, []))
    assert found is None and row[1] == 1, "the caller judges the rule's candidates afresh: nothing was counted"


@pytest.mark.parametrize("seed", [5, 6])
def test_counting_known_values_leaves_the_counts_and_new_values_as_they_were(detector, seed):
    # A window's occurrences of values already recorded are counted while its spans are made;
    # rows and new values must come out as counting the spans afterwards gives them.
    text = _text(seed)
    spans = detector.analyze_text(text, hint="lines")
    recorded = {(s.entity_type, "c", s.value) for s in spans[::3]}  # some values of the text, already seen
    core = (len(text) // 10, len(text) - len(text) // 10)
    outcomes, returned = [], []
    for counting in (False, True):
        seen = {key: [key, 0] for key in sorted(recorded)}
        known = [(seen, "c", *core, 1)] if counting else None
        found = detector.analyze_texts([(text, "lines")], known)[0]
        fresh = hotloops.count_known(found, *core, "c", seen, 1)
        outcomes.append(({key: row[1] for key, row in seen.items()},
                         [(s.entity_type, s.start, s.end, s.value, round(s.score, 3)) for s in fresh]))
        returned.append(len(found))
    assert sum(outcomes[0][0].values()) > 20, "the text repeats recorded values"
    assert returned[1] < returned[0] - 20, "repeats were counted by the detector, not returned"
    assert outcomes[1] == outcomes[0]


@pytest.mark.parametrize("seed", range(4))
def test_values_are_counted_exactly_where_nothing_overlaps_them(seed):
    # What may be counted, by its definition: in the core, a value with a row, and no other match
    # and no other span overlapping it (overlap resolution could drop it). Matches in order and
    # apart (the usual case) and matches in any order, some overlapping, both.
    rng = random.Random(seed)
    for _ in range(2000):
        if rng.random() < 0.5:
            matches, pos = [], 0
            for _ in range(rng.randint(1, 10)):
                pos += rng.randint(0, 3)
                length = rng.randint(1, 5)
                matches.append((pos, pos + length, 0.6, f"v{rng.randint(0, 4)}"))
                pos += length
        else:
            matches = [(s, s + rng.randint(1, 6), 0.6, f"v{rng.randint(0, 4)}")
                       for s in (rng.randint(0, 40) for _ in range(rng.randint(1, 10)))]
        others = [Span("X", s, s + rng.randint(0, 5), 0.5, "x", "x")
                  for s in (rng.randint(0, 45) for _ in range(rng.randint(0, 3)))]
        seen = {("IP_ADDRESS", "c", f"v{k}"): [k] for k in range(5) if rng.random() < 0.6}
        core = sorted(rng.randint(0, 45) for _ in range(2))

        def overlaps(a, b):
            return a[0] < b[1] and b[0] < a[1] or a[0] == b[0]

        expected = {i: seen[("IP_ADDRESS", "c", m[3])] for i, m in enumerate(matches)
                    if core[0] <= m[0] < core[1] and ("IP_ADDRESS", "c", m[3]) in seen
                    and not any(overlaps(m, n) for j, n in enumerate(matches) if j != i)
                    and not any(o.start < m[1] and m[0] < o.end for o in others)}
        counted = hotloops._countable(matches, "IP_ADDRESS", (seen, "c", *core, 0, others))
        assert {i: id(row) for i, row in counted.items()} == {i: id(row) for i, row in expected.items()}
