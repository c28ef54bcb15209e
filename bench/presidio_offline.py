"""Keep the benchmarks' vanilla Presidio offline: nothing may download lists at run time.

Presidio's e-mail recogniser calls ``tldextract.extract``, whose default extractor
fetches the Public Suffix List from the internet on first use. :func:`install`
replaces it with an extractor that uses only the snapshot bundled in the tldextract
package and writes no cache. piisweep itself never runs Presidio's e-mail recogniser
(detectors/recognizers/email.py asks tldextract offline itself).
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
