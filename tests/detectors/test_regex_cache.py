"""Patterns built from the code cache are the patterns ``re.compile`` builds."""

from __future__ import annotations

import marshal
import re

import pytest

from detectors import regex_cache
from detectors.registry import load_recognizers

PATTERNS = [
    (r"(?P<v>\d{3}-\d{2}-\d{4})(?!\d)", 0),
    (r"(?<![\w.])[a-z0-9._%+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,24}\b", re.IGNORECASE),
    (r"^\s*(?:password|passwd)\s*[:=]\s*(?P<v>\S+)", re.MULTILINE | re.IGNORECASE),
    (r"straße|rue\s+de\s+la|(a)(b)?\2", re.DOTALL),
    (r"[\u00c0-\u024f]+\s\d{4,5}", 0),
]
SAMPLE = "SSN 078-05-1120, Mail Jane.Doe@Example.co.uk\n password = s3cret\nrue de la Paix Müllerstraße 10115 ab"


@pytest.fixture
def cache_file(tmp_path, monkeypatch):
    """An empty code cache of its own, for the module's state during one test."""
    path = tmp_path / "regex-code.marshal"
    monkeypatch.setattr(regex_cache, "_PATH", str(path))
    monkeypatch.setattr(regex_cache, "_table", None)
    monkeypatch.setattr(regex_cache, "_added", False)
    monkeypatch.setattr(regex_cache, "_used", set())
    return path


def _reload(monkeypatch):
    """What a later process sees: the saved file, nothing in memory."""
    monkeypatch.setattr(regex_cache, "_table", None)
    monkeypatch.setattr(regex_cache, "_added", False)
    monkeypatch.setattr(regex_cache, "_used", set())


def _same(cached: re.Pattern, pattern: str, flags: int) -> None:
    compiled = re.compile(pattern, flags)
    assert cached == compiled  # pattern, flags and the engine's code
    assert cached.groupindex == compiled.groupindex and cached.groups == compiled.groups
    assert [m.span() for m in cached.finditer(SAMPLE)] == [m.span() for m in compiled.finditer(SAMPLE)]


def test_a_later_process_builds_the_same_patterns_from_the_cache(cache_file, monkeypatch):
    for pattern, flags in PATTERNS:
        _same(regex_cache.compile(pattern, flags), pattern, flags)
    regex_cache.save()
    assert cache_file.exists()
    _reload(monkeypatch)
    for pattern, flags in PATTERNS:
        _same(regex_cache.compile(pattern, flags), pattern, flags)
    assert not regex_cache._added, "a pattern saved by the earlier process was compiled again"


def test_every_recognisers_patterns_come_back_identical(cache_file, monkeypatch):
    wanted = [(p.regex, int(getattr(r, "FLAGS", re.IGNORECASE))) for r in load_recognizers()
              for p in getattr(r, "PATTERNS", [])]
    assert len(wanted) > 30
    for pattern, flags in wanted:
        regex_cache.compile(pattern, flags)
    regex_cache.save()
    _reload(monkeypatch)
    for pattern, flags in wanted:
        assert regex_cache.compile(pattern, flags) == re.compile(pattern, flags), pattern[:60]
    assert not regex_cache._added


def test_a_cache_from_another_python_build_is_ignored(cache_file, monkeypatch):
    pattern, flags = PATTERNS[0][0], int(PATTERNS[0][1])
    regex_cache.compile(pattern, flags)
    wrong = {(pattern, flags): (int(flags | re.UNICODE), b"\x00" * 8, 0, {}, ())}
    cache_file.write_bytes(marshal.dumps((("another build", 0, 4), wrong)))
    _reload(monkeypatch)
    _same(regex_cache.compile(pattern, flags), pattern, flags)
    assert regex_cache._added  # compiled afresh, to be saved for this build


def test_a_damaged_entry_is_compiled_as_usual(cache_file, monkeypatch):
    pattern, flags = PATTERNS[1][0], int(PATTERNS[1][1])
    regex_cache.compile(pattern, flags)
    regex_cache._table[(pattern, flags)] = (flags, b"\xff\xff\xff\xff", 0, {}, ())
    regex_cache._table[(PATTERNS[2][0], int(PATTERNS[2][1]))] = ("not", "an entry")
    monkeypatch.setattr(regex_cache, "_added", True)
    regex_cache.save()
    _reload(monkeypatch)
    _same(regex_cache.compile(pattern, flags), pattern, flags)
    _same(regex_cache.compile(PATTERNS[2][0], int(PATTERNS[2][1])), PATTERNS[2][0], int(PATTERNS[2][1]))


def test_a_bad_pattern_raises_res_error(cache_file):
    with pytest.raises(re.error):
        regex_cache.compile(r"(unclosed", 0)


def test_a_full_cache_keeps_the_patterns_this_process_used(cache_file, monkeypatch):
    monkeypatch.setattr(regex_cache, "_MAX_ENTRIES", 3)
    old = [(rf"old{i}\d+", 0) for i in range(4)]
    for pattern, flags in old:
        regex_cache.compile(pattern, flags)
    regex_cache.save()
    _reload(monkeypatch)  # a later version of the detectors: other patterns
    for pattern, flags in PATTERNS[:2]:
        regex_cache.compile(pattern, int(flags))
    regex_cache.save()
    _reload(monkeypatch)
    assert set(regex_cache._loaded()) == {(p, int(f)) for p, f in PATTERNS[:2]}


def test_derived_facts_are_worked_out_once_and_saved_beside_the_code(cache_file, monkeypatch):
    calls = []

    def width(pattern):
        calls.append(pattern)
        return (len(pattern), 1)

    assert regex_cache.derived("width", r"\d{3}", width) == (5, 1)
    assert regex_cache.derived("width", r"\d{3}", width) == (5, 1)
    regex_cache.compile(r"\d{3}")  # the same text, as a pattern: another entry
    regex_cache.save()
    _reload(monkeypatch)
    assert regex_cache.derived("width", r"\d{3}", width) == (5, 1)
    assert regex_cache.derived("other", r"\d{3}", width) == (5, 1)
    assert calls == [r"\d{3}", r"\d{3}"], "worked out once per kind; the later process read it"
    _same(regex_cache.compile(r"\d{3}"), r"\d{3}", 0)


def test_the_pattern_stage_derives_the_same_widths_from_the_cache(cache_file, monkeypatch):
    from detectors.patterns import _lookaround_reach, _max_width, PatternStage

    recognizers = load_recognizers()
    PatternStage(recognizers)
    regex_cache.save()
    _reload(monkeypatch)
    stage = PatternStage(recognizers)
    assert not regex_cache._added, "every width came from the cache"
    for rule in stage.rules:
        patterns = getattr(rule.recognizer, "patterns", None) or []
        assert (rule.look_behind, rule.look_ahead) == _lookaround_reach([p.regex for p in patterns])
        assert rule.reach == [min(_max_width(a), rule.pad) for a, _ in rule.anchors]
