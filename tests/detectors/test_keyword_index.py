"""The word index (one Hyperscan pass for a rule's context words), and the cached
judgements that come with it, answer as the per-candidate regexes do: dense text, where the
engine uses them, gets the same spans and scores."""

import pytest

from detectors import patterns
from detectors.keywords import hyperscan

LINES = [
    "2024-03-01 00:00:01 INFO app.api.orders - user_id=5 from 81.2.69.160 took 12 ms",
    "10.20.30.40 - jane.doe@example.com [01/Mar/2024] \"GET /api/v2 HTTP/1.1\" 200 Chrome/124.0.0.1 x",
    "Release v1.2.3.4 shipped; firmware 2.0.1.7 too; windows nt 10.0.19045.1 build",
    "client_ip=192.168.1.20 remote=172.16.0.9 src 8.8.8.8 dst: 8.8.4.4",
    "mail to: bob@example.org took 5 ms; reply-to=alice@example.net",
    "order no. 0161 496 0000 and call 0161 496 0001 or tel 0161 496 0002",
    "IBAN GB82 WEST 1234 5698 7654 32 to the account",
    "plain 203.0.113.9 with no words nearby at all, just a long padding of text here",
    "from 2001:db8:85a3::8a2e:370:7334 ok, then fe80::1ff:fe23:4567:890a and 1.2.3.4.5 and 999.1.1.1",
    "Café réseau from 81.2.69.161 à l'hôtel, téléphone 0161 496 0003",  # offsets past multi-byte characters
    "firmware 81.2.69.160 is a version, but later 81.2.69.160 is an address",  # one hit text, two verdicts
    # a context word that ends before the address, but further back than the reach
    "remote " + "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor xx 198.51.100.7 ok",
]


def _spans(detector, text):
    return sorted((s.entity_type, s.start, s.end, round(s.score, 3)) for s in detector.patterns.analyze(text))


@pytest.mark.skipif(hyperscan is None, reason="the index needs Hyperscan; without it the regexes are always used")
@pytest.mark.parametrize("lines", [LINES, [line for line in LINES if line.isascii()]], ids=["unicode", "ascii"])
def test_index_and_regexes_agree_on_dense_text(detector, monkeypatch, lines):
    text = "\n".join(lines * 40)
    monkeypatch.setattr(patterns, "KEYWORD_SCAN_FROM", 10**9)  # never index: per-candidate regexes
    by_regex = _spans(detector, text)
    monkeypatch.setattr(patterns, "KEYWORD_SCAN_FROM", 1)
    monkeypatch.setattr(patterns, "KEYWORD_SCAN_DENSITY", 10**9)  # always index
    by_index = _spans(detector, text)
    assert by_regex, "the text has findings"
    assert {e for e, *_ in by_regex} >= {"IP_ADDRESS", "EMAIL_ADDRESS", "PHONE_NUMBER"}
    assert any(text[s:e] == "2001:db8:85a3::8a2e:370:7334" for _, s, e, _ in by_index)
    assert by_index == by_regex


def test_cached_judgements_agree_with_the_recognisers_own_scan(detector):
    # The engine judges an address once per hit text and looks up "not after" words per
    # position; the recogniser's own analyze() judges every match where it stands.
    text = "\n".join(LINES * 40)
    rule = next(r for r in detector.patterns.rules if r.entity == "IP_ADDRESS")
    own = {(r.start, r.end) for r in rule.recognizer.analyze(text, ["IP_ADDRESS"])}
    engine = {(s.start, s.end) for s in detector.patterns.analyze(text) if s.entity_type == "IP_ADDRESS"}
    assert rule._judged, "the judgements were cached"
    version = text.index("firmware 81.2.69.160") + len("firmware ")
    assert (version, version + len("81.2.69.160")) not in engine
    assert any(text[s:e] == "81.2.69.160" and s > version for s, e in engine)
    assert engine == own


@pytest.mark.skipif(hyperscan is None, reason="the index needs Hyperscan")
@pytest.mark.parametrize("text,words", [
    ("ip from host, IP: x; frommage", [(0, 2), (3, 7), (8, 12), (14, 16)]),
    ("réseau from hôte, IP: x; frommage", [(7, 11), (18, 20)]),  # character offsets past "é"
])
def test_index_finds_each_standalone_word_where_it_stands(text, words):
    from detectors.keywords import KeywordIndex

    assert KeywordIndex(["from", "ip", "host"]).scan(text)._context == words


def test_a_kept_match_gets_its_context_boost_when_its_score_is_read(detector):
    # An address scores enough without context, so the engine looks its context up only when
    # the score is read (the first occurrence of a value); the answer must not change.
    pad = "lorem ipsum dolor sit amet " * 4
    line = f"81.2.69.161 {pad} client 81.2.69.160 {pad}"
    text = "\n".join([line] * 50)  # dense: the engine's word index would be used for these
    spans = [s for s in detector.patterns.analyze(text) if s.entity_type == "IP_ADDRESS"]
    assert len(spans) == 100
    assert {(text[s.start:s.end], round(s.score, 3)) for s in spans} == {("81.2.69.160", 0.95),
                                                                         ("81.2.69.161", 0.6)}
    assert all("81.2.69" not in repr(s) for s in spans), "a span's repr never shows its value"


@pytest.mark.parametrize("text,expected", [
    ("zip 81.2.69.160 x", False),  # "ip" inside "zip" is no context word
    ("zip from 81.2.69.160", True),  # ...but a standalone one after it is
    ("81.2.69.160 ship", False),
    ("81.2.69.160 (client)", True),
])
def test_a_context_word_counts_only_where_no_letter_or_digit_precedes_it(detector, text, expected):
    rule = next(r for r in detector.patterns.rules if r.entity == "IP_ADDRESS")
    start = text.index("81.2.69.160")
    assert rule.has_context(text, start, start + len("81.2.69.160")) is expected
