"""Keep Presidio offline: nothing may download lists or models at run time.

Presidio's e-mail recogniser calls ``tldextract.extract``, whose default
extractor fetches the Public Suffix List from the internet on first use.
:func:`install` replaces it with an extractor that uses only the snapshot
bundled in the tldextract package and writes no cache. It runs whenever
Presidio's full package loads: :mod:`detectors.presidio_base` calls it before
running the package's ``__init__`` (which imports that recogniser), and so does
the benchmark's vanilla Presidio. Our own recognisers do not use tldextract
(:mod:`detectors.public_suffix`), so a scan imports it only if spaCy or the
benchmark asks for the whole of Presidio.
"""

from __future__ import annotations


def install() -> None:
    """Point every ``tldextract.extract`` caller at an offline extractor (once per process)."""
    import tldextract
    import tldextract.tldextract as impl

    if getattr(tldextract.extract, "suffix_list_urls", None) == ():
        return
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    tldextract.extract = extractor
    impl.extract = extractor
    impl.TLD_EXTRACTOR = extractor
