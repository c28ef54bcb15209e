"""The C loops of dense text (detectors/_speedups.c) do what their Python definitions in
detectors/hotloops.py do: same spans, scores, counts and new values, on text built to reach
every branch (cached and uncached hits, "not after" words, non-ASCII text, overlaps)."""

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


def test_the_c_loops_are_built():
    # pip builds them wherever a C compiler is present, as on CI; without them scans still run
    assert hotloops.native is not None, "detectors/_speedups.c was not compiled: pip install -e . with gcc"


def _analyze(detector, text, monkeypatch, impl):
    monkeypatch.setattr(hotloops, "impl", impl)
    for rule in detector.patterns.rules:  # each run judges afresh: cache misses take the other branch
        rule._judged.clear()
        not_after = getattr(rule.recognizer, "_not_after_seen", None)
        if not_after is not None:
            not_after.clear()
    return [(s.entity_type, s.start, s.end, s.value, round(s.score, 3), s.detector)
            for s in detector.analyze_text(text, hint="lines")]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_engine_finds_the_same_with_either_loops(detector, monkeypatch, seed):
    text = _text(seed)
    by_python = _analyze(detector, text, monkeypatch, hotloops.python)
    by_c = _analyze(detector, text, monkeypatch, hotloops.native)
    assert {e for e, *_ in by_python} >= {"IP_ADDRESS", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD"}
    assert by_c == by_python


@pytest.mark.parametrize("loops", ["python", "native"])
def test_confirm_cached_drops_matches_after_not_after_words_and_judges_reaching_hits_in_full(detector, loops):
    impl = getattr(hotloops, loops)
    rule = next(r for r in detector.patterns.rules if r.entity == "IP_ADDRESS")
    text = "at 10.0.0.1 and firmware 10.0.0.1 and Café 10.0.0.1 and fe80::1"
    hits = {3: 11, 25: 33, 43: 51, 56: 63}
    missed, in_full, memo = [], [], {}

    def on_miss(key, start, end):  # judges and stores, as the engine's does
        missed.append(key)
        judged = memo[key] = ((0, 0, end - start, 0.6),)
        return judged

    def slow(start, end):
        in_full.append((start, end))
        return [(start, end, 0.7)]

    found = impl.confirm_cached(text, hits, 1, 2, memo, on_miss, slow, rule._reaching, rule.recognizer.not_after_test)
    assert found == [(3, 11, 0.6), (43, 51, 0.6), (56, 63, 0.7)]  # "firmware" makes the second a version
    assert in_full == [(56, 63)]  # an IPv6 pattern may reach past its hit: never cached
    assert missed == [(" 10.0.0.1 a", 1)]  # judged once: the other two have the same text around them


@pytest.mark.parametrize("loops", ["python", "native"])
def test_count_known_counts_repeats_in_the_core_and_returns_the_rest(loops):
    impl = getattr(hotloops, loops)
    spans = [Span("IP_ADDRESS", s, s + 7, 0.6, "ip", v) for s, v in
             [(0, "1.1.1.1"), (10, "2.2.2.2"), (20, "1.1.1.1"), (30, "3.3.3.3"), (40, "2.2.2.2"), (50, "1.1.1.1")]]
    row = ["c", "IP_ADDRESS", 5]
    seen = {("IP_ADDRESS", "c", "1.1.1.1"): row}
    fresh = impl.count_known(spans, 5, 50, "c", seen, 2)
    assert row[2] == 6  # only the repeat at 20: 0 and 50 are outside the core
    assert [s.start for s in fresh] == [10, 30, 40]


@pytest.mark.parametrize("loops", ["python", "native"])
def test_lazy_spans_and_overlap_check(loops):
    impl = getattr(hotloops, loops)
    text = "x 10.0.0.1 y 10.0.0.2"
    spans = impl.lazy_spans(Span, [(2, 10, 0.6), (13, 21, 0.6)], "IP_ADDRESS", "ip", text, None)
    assert [(s.value, s.start, s.end, s.score, s.detector) for s in spans] == \
        [("10.0.0.1", 2, 10, 0.6, "ip"), ("10.0.0.2", 13, 21, 0.6, "ip")]
    assert impl.overlaps_none(spans)
    overlapping = spans + [Span("PHONE_NUMBER", 15, 25, 0.5, "phone", "x")]
    assert not impl.overlaps_none(sorted(overlapping, key=lambda s: s.start))
    assert [s.start for s in resolve_overlaps(overlapping)] == [2, 13]


@pytest.mark.parametrize("loops", ["python", "native"])
def test_confirm_cached_makes_spans_or_declines(detector, loops):
    impl = getattr(hotloops, loops)
    rule = next(r for r in detector.patterns.rules if r.entity == "IP_ADDRESS")
    text = "at 10.0.0.1 and 10.0.0.2 and fe80::1"
    hits = {3: 11, 16: 24}
    weak = {}

    def judge(score):
        def on_miss(key, start, end):
            judged = weak[key] = ((0, 0, end - start, score),)
            return judged
        return on_miss

    def run(score, context, more_hits=None):
        weak.clear()
        make = (Span, "IP_ADDRESS", "ip", context, 0.5)
        return impl.confirm_cached(text, more_hits or hits, 1, 2, weak, judge(score), lambda s, e: [(s, e, 0.9)],
                                   rule._reaching, None, make)

    spans = run(0.6, (text, rule))
    assert [(s.start, s.end, s.value, s._score, s._context) for s in spans] == \
        [(3, 11, "10.0.0.1", 0.6, (text, rule)), (16, 24, "10.0.0.2", 0.6, (text, rule))]
    assert run(0.3, None) == []  # below the minimum, and no context word can raise it
    assert run(0.3, (text, rule)) is None  # its context words must be looked up now
    assert run(0.6, None, {3: 11, 29: 36}) is None  # the IPv6 hit is judged in full, as triples


@pytest.mark.parametrize("loops", ["python", "native"])
def test_the_loops_take_any_span_like_object(loops):
    # The C loops read a Span's slots directly; other objects go through getattr.
    from types import SimpleNamespace

    impl = getattr(hotloops, loops)
    spans = [SimpleNamespace(entity_type="IP_ADDRESS", start=s, end=s + 7, value=v)
             for s, v in [(0, "1.1.1.1"), (10, "2.2.2.2"), (20, "1.1.1.1")]]
    row = ["IP_ADDRESS", 1]
    assert [s.start for s in impl.count_known(spans, 0, 100, "c", {("IP_ADDRESS", "c", "1.1.1.1"): row}, 1)] == [10]
    assert row[1] == 3
    assert impl.overlaps_none(spans)
    assert not impl.overlaps_none(spans + [SimpleNamespace(start=25, end=30)])


def test_both_hit_collectors_gather_a_hyperscan_pass_alike(detector):
    prefilter = detector.patterns.prefilter
    data = _text(4).encode("utf-8")
    patterns = len(prefilter._owner)
    taken = {}
    for loops in ("python", "native"):
        collector = getattr(hotloops, loops).HitCollector(patterns)
        prefilter._db.scan(data, match_event_handler=collector)
        taken[loops] = collector.take()
        assert collector.take() == {}, "take() starts afresh"
    assert len(taken["native"]) > 3 and sum(map(len, taken["native"].values())) > 400
    assert list(taken["native"]) == sorted(taken["native"])  # in order of pattern id
    assert taken["native"] == taken["python"]


@pytest.mark.parametrize("loops", ["python", "native"])
def test_a_hit_collector_refuses_an_unknown_pattern_id(loops):
    collector = getattr(hotloops, loops).HitCollector(2)
    collector(1, 4, 9, 0, None)
    collector(0, 1, 2, 0, None)
    collector(1, 10, 12, 0, None)
    with pytest.raises(IndexError):
        collector(2, 0, 1, 0, None)
    assert collector.take() == {0: [(1, 2)], 1: [(4, 9), (10, 12)]}
