"""The pre-filter benchmark compares engines that find the same things, or its ratios mean nothing."""

from __future__ import annotations

from bench.prefilter import AhoCorasickWords, context_words, hyperscan_word_spans, python_prefilter
from detectors.engine import shared_patterns
from detectors.keywords import KeywordIndex

TEXT = ("Client 10.1.2.3 from host gw-1; IP address 192.168.0.7 (remote)\n"
        "patient's NHS number 943 476 5919, téléphone +33 1 23 45 67 89\n"
        "clientele hosted fromage ipaddress; SRC=10.0.0.1 DST=10.0.0.2\n"
        "ip")


def test_the_automaton_finds_the_words_the_word_index_finds():
    words = context_words()
    found = AhoCorasickWords(words).spans(TEXT)
    assert found == hyperscan_word_spans(KeywordIndex(words), TEXT)
    words_found = {TEXT[s:e].lower() for s, e in found}
    # whole words only, case folded, overlapping words each found, the last word of the text too
    assert {"client", "from", "host", "ip", "ip address", "address", "nhs", "nhs number", "téléphone",
            "src", "dst", "remote"} <= words_found
    assert not {"clientele", "hosted", "fromage", "ipaddress"} & words_found
    assert (len(TEXT) - 2, len(TEXT)) in found


def test_the_fallback_pre_filter_finds_candidates_for_the_same_recognisers():
    stage = shared_patterns()
    rule_of = {a.owner: stage.rules[stage._anchor_owner[a.owner][0]].name for a in stage.prefilter.anchors}

    def rules_hit(prefilter):
        return {rule_of[owner] for owner, spans in prefilter.hits(TEXT).items() if spans}

    expected = rules_hit(stage.prefilter)
    assert {"IpRecognizer", "PhoneRecognizer"} <= expected
    assert rules_hit(python_prefilter()) == expected
