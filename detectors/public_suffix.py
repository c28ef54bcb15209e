"""Whether a domain ends in a public suffix, from the list tldextract bundles, without tldextract.

E-mail validation asks one question of the Public Suffix List: does this domain
end in a public suffix? tldextract answers it, but importing it imports
requests, urllib3 and filelock for fetching lists we never fetch: 0.1 s in
every scan's fork server, before the first worker can start. This module reads
the same snapshot file tldextract ships and walks the same rules the same way
(its ICANN section only, as ``tldextract.extract`` does by default; wildcards,
exceptions, punycode labels decoded): the answers are tldextract's, which a
test checks on every rule of the list.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re

_SNAPSHOT = ".tld_set_snapshot"
_PRIVATE_SECTION = "// ===BEGIN PRIVATE DOMAINS==="
_RULE = re.compile(r"^(?P<suffix>[.*!]*\w[\S]*)", re.UNICODE | re.MULTILINE)  # tldextract's reading of a line
_END = None  # key of a trie node that ends a rule (a label is never None)


def has_public_suffix(domain: str) -> bool:
    """Whether ``domain`` (a host name, no scheme or port) ends in a public suffix."""
    root = node = _trie()
    for label in reversed(domain.split(".")):
        label = _decoded(label)
        child = node.get(label)
        if child is None:
            # "*.ck" makes any label under ck part of the suffix; "!www.ck" makes www a domain
            # under the suffix ck, which is empty only at the top level (as in tldextract's walk)
            return "*" in node and (node is not root or "!" + label not in node)
        if _END in child:
            return True
        node = child
    return False


@functools.cache
def _trie() -> dict:
    """The ICANN rules as a trie of labels from the top level down (built once per process)."""
    root: dict = {}
    text = _snapshot_text().partition(_PRIVATE_SECTION)[0]
    for match in _RULE.finditer(text):
        node = root
        for label in reversed(match.group("suffix").split(".")):
            node = node.setdefault(label, {})
        node[_END] = True
    return root


def _snapshot_text() -> str:
    """tldextract's bundled copy of the list, found without importing the package."""
    spec = importlib.util.find_spec("tldextract")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("tldextract's Public Suffix List snapshot was not found: is tldextract installed?")
    with open(os.path.join(list(spec.submodule_search_locations)[0], _SNAPSHOT), encoding="utf-8") as fh:
        return fh.read()


def _decoded(label: str) -> str:
    """A label as the list spells it: lower case, punycode decoded (as tldextract decodes it)."""
    lowered = label.lower()
    if lowered.startswith("xn--"):
        import idna  # only for punycode labels: rare in addresses

        try:
            return idna.decode(lowered)
        except (UnicodeError, IndexError):
            pass
    return lowered
