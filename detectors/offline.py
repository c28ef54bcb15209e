"""Keep detection offline: nothing may download lists or models at run time.

Presidio's e-mail recogniser calls ``tldextract.extract``, whose default
extractor fetches the Public Suffix List from the internet on first use. We
replace it with an extractor that uses only the snapshot bundled in the
tldextract package and writes no cache. :func:`install` runs before Presidio's
recognisers do: :mod:`detectors.patterns`, which every detection path imports, calls
it before importing Presidio, and so does the benchmark's vanilla Presidio. (Not
on importing ``detectors``: the scan's main process reads only detection options.)
"""

from __future__ import annotations

import tldextract
import tldextract.tldextract as _impl

OFFLINE_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def install() -> None:
    """Point every ``tldextract.extract`` caller at the offline extractor."""
    tldextract.extract = OFFLINE_EXTRACTOR
    _impl.extract = OFFLINE_EXTRACTOR
    _impl.TLD_EXTRACTOR = OFFLINE_EXTRACTOR
