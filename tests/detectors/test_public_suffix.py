"""Our public-suffix check gives tldextract's answer on every rule of the list it bundles."""

from __future__ import annotations

import idna
import pytest
import tldextract

from detectors.public_suffix import _PRIVATE_SECTION, _RULE, _snapshot_text, has_public_suffix


@pytest.fixture(scope="module")
def extractor():
    """tldextract as the e-mail recogniser used it: offline, the bundled list, ICANN rules only."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def _domains_around(rule: str) -> list[str]:
    """Host names that walk each branch of a rule: the rule itself, names under it, a wildcard
    filled in, an exception's own name and its parent, punycode and capitals."""
    bare = rule.lstrip("!").replace("*.", "x.")
    names = [bare, f"a.{bare}", f"b.c.{bare}", bare.upper(), f"Mail.{bare}".upper()]
    if rule.startswith("!"):
        names.append(bare.partition(".")[2])
    try:
        names.append("a." + idna.encode(bare).decode("ascii"))
    except idna.IDNAError:
        pass
    return names


def test_every_rule_of_both_sections_gets_tldextracts_answer(extractor):
    public, _, private = _snapshot_text().partition(_PRIVATE_SECTION)
    rules = [m.group("suffix") for text in (public, private) for m in _RULE.finditer(text)]
    assert len(rules) > 5000
    domains = [d for rule in rules for d in _domains_around(rule)]
    disagreements = [d for d in domains if has_public_suffix(d) != bool(extractor(d).suffix)]
    assert not disagreements, disagreements[:20]
    # both answers occur: private-section names under an unlisted top level are not suffixes
    assert {has_public_suffix(d) for d in domains} == {True, False}


@pytest.mark.parametrize("domain", [
    "corp.local", "acme.internal", "example.co.uk", "mail.example.com", "x.ck", "www.ck", "ck", "a.b.ck",
    "xn--zz.com", "a.xn--zz", "jane.xn--p1ai", "a..com", ".", "", "localhost", "example.invalid",
    "host.city.kawasaki.jp", "a.b.kawasaki.jp",
])
def test_names_on_the_edges_of_the_rules(extractor, domain):
    assert has_public_suffix(domain) == bool(extractor(domain).suffix)
