"""A sentence's languages and a word's commonness, checked against their definition: the
shipped word lists read afresh, each word mapped to the languages whose lists hold it."""

import os
import random

from detectors import lexicon

WORDS = os.path.join(os.path.dirname(lexicon.__file__), "data", "words")


def _lists() -> dict[str, set[str]]:
    """Each language's common words, from its file (the ``#`` header and blank lines left out)."""
    found = {}
    for lang in lexicon.LANGUAGES:
        with open(os.path.join(WORDS, f"{lang}.txt"), encoding="utf-8") as fh:
            found[lang] = {line.strip() for line in fh if line.strip() and not line.startswith("#")}
    return found


def _languages_by_definition(sentence: str, lists: dict[str, set[str]]) -> frozenset[str]:
    words = [w for w in lexicon._LOWER_WORD.findall(sentence) if w.islower()]
    others = [w for w in words if w not in lexicon._ENGLISH_FREQUENT]
    needed = max(2, lexicon.MIN_SHARE * len(words), len(words) - len(others) + 1)
    counts = {lang: sum(w in common for w in others) for lang, common in lists.items()}
    best = max(counts.values(), default=0)
    if len(others) < needed or best < needed:
        return frozenset()
    return frozenset(lang for lang, n in counts.items() if n == best)


def test_languages_and_common_words_agree_with_the_lists():
    lists = _lists()
    rng = random.Random(11)
    by_language = {lang: sorted(words) for lang, words in lists.items()}
    english = sorted(lexicon.COMMON_WORDS)
    found_languages = 0
    for _ in range(4000):
        words = []
        for _ in range(rng.randint(1, 12)):
            pick = rng.random()
            if pick < 0.3:
                words.append(rng.choice(english))
            elif pick < 0.9:
                words.append(rng.choice(by_language[rng.choice(lexicon.LANGUAGES)]))
            else:
                words.append(rng.choice(["Kaya", "Koch", "Straße", "l'homme", "x9", "ÉCOLE"]))
        sentence = " ".join(words)
        expected = _languages_by_definition(sentence, lists)
        assert lexicon.languages_of(sentence) == expected, sentence
        found_languages += bool(expected)
        for word in (w.lower() for w in words):
            holders = {lang for lang, common in lists.items() if word in common}
            assert lexicon.common_anywhere(word) == (word in lexicon.COMMON_WORDS or bool(holders)), word
            for languages in (expected, frozenset(lexicon.LANGUAGES[:2]), frozenset()):
                assert lexicon.common_in(word, languages) == (word in lexicon.COMMON_WORDS
                                                              or bool(holders & languages)), (word, languages)
    assert found_languages > 200  # the sentences exercise the counting, not only the English exit


def _read(path: str) -> set[str]:
    with open(os.path.join(os.path.dirname(lexicon.__file__), "data", path), encoding="utf-8") as fh:
        return {line.strip() for line in fh if line.strip() and not line.startswith("#")}


def test_name_and_word_sets_hold_exactly_their_files_words():
    assert lexicon.FIRST_NAMES == _read("first_names.txt")
    assert lexicon.SURNAMES == _read("surnames.txt")
    assert lexicon.PLACES == _read("places.txt")
    assert lexicon.SURNAME_WORDS == _read("surname_words.txt")
    assert lexicon.COMMON_WORDS == _read(os.path.join("words", "en.txt"))
    assert lexicon.OTHER_COMMON_WORDS == set().union(*_lists().values())
