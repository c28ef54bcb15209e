"""Whether a domain ends in a public suffix, from the Public Suffix List tldextract bundles.

E-mail validation asks one question of the list: does this domain end in a public suffix
(``example.co.uk`` does, ``corp.local`` does not)? tldextract answers it offline: with no
list URLs it reads only the snapshot shipped in its package, and with no cache folder it
writes nothing. The answer for a domain is cached: addresses repeat.
"""

from __future__ import annotations

import functools

import tldextract


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    """tldextract on its bundled list only (ICANN section), its list loaded now."""
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    extractor("example.com")  # the list is read on the first question, in the fork server
    return extractor


@functools.lru_cache(maxsize=65_536)
def has_public_suffix(domain: str) -> bool:
    """Whether ``domain`` (a host name, no scheme or port) ends in a public suffix."""
    return bool(_extractor()(domain).suffix)
