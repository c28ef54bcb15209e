"""The gazetteer name tier: people found by name lists instead of spaCy.

spaCy's small model reads tens of KB a second per core; most names in
business prose are a common first name followed by a surname, which a set
lookup recognises at memory speed. This tier finds those ("Jane Mason",
"Dr Hélène Dubois", "Sean O'Brien-Smith", "Sander Van Driessche") with the
same precision filters as the spaCy tier, so that :mod:`detectors.ner` only
needs spaCy for sentences with a capitalised word these lists cannot explain.
The lists (:mod:`detectors.lexicon`) hold the first names and surnames of 105
countries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from detectors.lexicon import (COMMON_WORDS, FIRST_NAMES, SURNAME_WORDS, SURNAMES, WORDLIKE_FIRST_NAMES,
                               LineLanguages, common_anywhere, common_in, name_key)
from detectors.patterns import Span
from detectors.person_filters import HONORIFICS, MONTHS, NOT_NAMES, PARTICLES, plausible_person

# Words that turn "First Word" into a place or an organisation ("Albert Street", "Grant Trust").
# Words that are also frequent surnames (Hill, Hall, Park, Lane) are left out: spaCy sees those.
PLACE_OR_ORG = frozenset({
    "street", "road", "avenue", "drive", "crescent", "terrace", "gardens", "square", "mews", "place",
    "station", "airport", "centre", "center", "hospital", "clinic", "surgery", "school", "college",
    "university", "chapel", "hotel", "theatre", "museum", "library", "ltd", "limited", "plc", "llp",
    "inc", "llc", "gmbh", "co", "company", "group", "holdings", "associates", "solicitors", "partners",
    "partnership", "trust", "foundation", "council", "institute", "consulting", "services", "office", "team",
})


def _latin_letters(upper: bool) -> str:
    """The upper- or lower-case letters of the Latin alphabets (ASCII, Latin-1, Extended-A and B),
    as a regex character class body: names from Poland to Turkey ("Łukasz", "Şahin", "Dąbrowski")."""
    letters = "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha() and chr(c).isupper() == upper
                      and chr(c).islower() != upper and c not in (0xD7, 0xF7))
    return ("A-Z" if upper else "a-z") + re.escape(letters)


_UPPER, _LOWER = _latin_letters(True), _latin_letters(False)
# the rest of a capitalised part after its capital: Mason, O'Brien, McDonald, DeShawn
_REST = rf"(?:['’][{_UPPER}])?[{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?"
# A capitalised word (parts may be hyphenated: Smith-Jones) or a single capital (an initial
# "J." or "I"/"A"). The pattern opens with the capital itself so that the regex engine can skip
# to capitals at C speed; the lookbehind after it keeps "McDonald" from matching at its "D".
# A word glued by dots to lower-case ones is a part of a dotted identifier, not a name:
# "com.acme.sync.CrmSync", "CustomerController.java" in a stack trace ("J.Smith" and
# "Dr.Okafor" stay names).
_NOT_IN_IDENTIFIER = (rf"(?:(?<![a-z0-9_]\.[{_UPPER}])|(?<=\bMr\.[{_UPPER}])|(?<=\bMs\.[{_UPPER}])|"
                      rf"(?<=\bDr\.[{_UPPER}])|(?<=\bMrs\.[{_UPPER}])|(?<=\bProf\.[{_UPPER}]))")
TOKEN = re.compile(rf"[{_UPPER}](?<![\w'’\-][{_UPPER}]){_NOT_IN_IDENTIFIER}"
                   rf"(?:{_REST}(?:-[{_UPPER}]{_REST})*(?!\w|\.[a-z])|\.?(?![\w'’\-]))")
_GAP_PARTICLES = ("van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "ten", "ter", "del", "della", "dos",
                  "das", "do", "zu", "af")
_PARTICLE = rf"(?:{'|'.join(_GAP_PARTICLES)})[ \u00a0]"
# What may stand between two tokens of one name: a single blank, particles ("Jan van der Berg"),
# and a dot only after an initial or an honorific ("J. Smith", "Mr. Smith").
GAP = re.compile(rf"(?:(?:(?<=\b[{_UPPER}])|(?<=\bMr)|(?<=\bMs)|(?<=\bDr)|(?<=\bMrs)|(?<=\bProf))\.)?"
                 rf"[ \u00a0](?:{_PARTICLE}){{0,3}}")
# no gap is longer: a dot, a blank, and three particles each with its blank
_LONGEST_GAP = 2 + 3 * (max(map(len, _GAP_PARTICLES)) + 1)


def is_word(token: str) -> bool:
    """Whether a TOKEN match is a word, not an initial or a single letter."""
    return len(token) > 1 and token[1] != "."


def opens_sentence(text: str, start: int) -> bool:
    """Whether ``text[start]`` begins a sentence: at the start, or after . ! ? or a line break
    (and at most one blank)."""
    if start and text[start - 1] in " \t":
        start -= 1
    return not start or text[start - 1] in ".!?\n"


def surname_like(key: str) -> bool:
    """Whether a name key (:func:`detectors.lexicon.name_key`) can end a name: each hyphenated
    part no common English word, or one that is a frequent surname (SURNAME_WORDS)."""
    return all(part in SURNAME_WORDS or part not in COMMON_WORDS for part in key.split("-"))


def _name_end(run: list[str], k: int) -> int | None:
    """Index of the last token of the longest name that starts at ``run[k]``, up to three words
    (capitalised particles aside: "Van den Bossche", "De Boeck").

    Words before the last may be initials, first names or surname-like words;
    the last must be a surname-like word. Months stand in names here, beside
    the first name or title before them ("Theresa May", "Mr. May"). None when
    no such name starts there.
    """
    end = None
    words = 0
    for j in range(k, len(run)):
        token = run[j]
        low = token.lower()
        if not is_word(token) or low in PARTICLES:
            continue  # an initial or a particle may stand inside a name, never end it
        if words == 3:
            break
        words += 1
        key = name_key(token)
        if low in NOT_NAMES or low in PLACE_OR_ORG:
            break
        if surname_like(key):
            end = j
        elif key not in FIRST_NAMES:
            break
    return end


def _name_at(run: list[str], i: int, opens: bool) -> int | None:
    """Index of the last token of a name the lists vouch for starting at ``run[i]``, or None.

    ``opens`` tells whether ``run[i]`` begins a sentence. A name must fill its
    run of capitalised words: with an unknown word before it ("Josée Van den
    Bergh") or any word after it ("Jane Mason Ltd", "Mrs Jan Mans") the run is
    more than the lists understand, and is left to spaCy.
    """
    low, key = run[i].lower(), name_key(run[i])
    if i and is_word(run[i - 1]) and not _plain(run[i - 1]):
        return None
    if low in HONORIFICS:
        end = _name_end(run, i + 1)
    elif key not in FIRST_NAMES or low in NOT_NAMES or not is_word(run[i]):
        return None
    else:
        end = _name_end(run, i + 1)
        if end is not None and (low in WORDLIKE_FIRST_NAMES or low in MONTHS):
            # "Will Smith" / "In London" / "May Day": a word-like first name needs a mid-sentence
            # position and a surname that is nothing but a surname
            last = name_key(run[end])
            if opens or end != i + 1 or last not in SURNAMES or last in COMMON_WORDS:
                return None
    if end is not None and end + 1 < len(run) and is_word(run[end + 1]):
        return None
    return end


def _plain(word: str) -> bool:
    """A capitalised word that is no part of a name: deny-listed, or a common word and no first name."""
    low = word.lower()
    return low in NOT_NAMES or (low in COMMON_WORDS and name_key(word) not in FIRST_NAMES)


# A house number or a street word before a name makes it a street ("341 Helen Stravenue",
# "63, avenue Charlotte Delmas", "place du Général Henri Martin")
_ADDRESS_BEFORE = re.compile(r"(?:\d[,.]?|\b(?:rue|avenue|av|boulevard|bd|chemin|allée|impasse|place|quai|route|"
                             r"cours|via|viale|piazza|calle|avenida|plaza|rua|ulica|ul|straße|strasse)\.?"
                             r"(?: de la| du| des| de| del| della| di)?)\s+$", re.I)

# A company form after a name makes it a company ("Van den Bossche BV", "Martinez Imbert S.A.",
# "Smith & Sons", "Smith and Sons", "Poole Group")
ORG_AFTER = re.compile(r"[ \u00a0]*(?:&|and (?:Sons|Partners|Co)\b|(?:S\.?A|S\.?L|N\.?V|B\.?V|AG|KG|GmbH|SE|SARL|SAS|VOF"
                       r"|CommV|e\.G|LLP|LLC|PLC|LTD|INC|Ltd|Inc|Plc|Group|Groep|Gruppe|Holding|Holdings|"
                       r"S\.?p\.?A|S\.?r\.?l|AB|ApS|A/S|AS|Oy|Sp\. ?z ?o\.?o|Kft|Zrt|A\.Ş)\b)")


def _all_common(words: list[str], lines: LineLanguages, at: int) -> bool:
    """Whether every word of a would-be name is a common word of another language of its line
    (the line holding offset ``at``): "Magna Nulla" in lorem ipsum, "Vielen Dank" in German. The
    line's languages are worked out only when each word is common in some language: most names
    hold one that is common in none."""
    words = [low for w in words if is_word(w) and (low := w.lower()) not in PARTICLES]
    if not all(map(common_anywhere, words)):
        return False
    languages = lines.languages_at(at)
    return bool(languages) and all(common_in(word, languages) for word in words)


def runs(text: str, tokens: list[re.Match]) -> Iterator[list[re.Match]]:
    """The runs of two or more of ``tokens`` (TOKEN's matches in ``text``, in order) that could be
    one name: each token joined to the next by a GAP. Most capitals stand alone (a sentence's
    first word), which the distance to the previous token tells before any regex runs."""
    run: list[re.Match] = []
    previous_end = -_LONGEST_GAP - 1  # no token before the first
    joins = GAP.fullmatch
    for token in tokens:
        start = token.start()
        if start - previous_end <= _LONGEST_GAP and joins(text, previous_end, start):
            run.append(token)
        else:
            if len(run) > 1:
                yield run
            run = [token]
        previous_end = token.end()
    if len(run) > 1:
        yield run


def find_names(text: str, base: int = 0, tokens: list[re.Match] | None = None) -> list[Span]:
    """PERSON spans the name lists vouch for in ``text``, in order, offsets shifted by ``base``.

    Two shapes are claimed: a known first name followed by a surname-like word
    (with an optional middle name or initial), and an honorific followed by
    such a name. Anything less certain is left to spaCy, which the gate in
    :mod:`detectors.ner` gives every sentence with an unexplained capital.
    Only runs of two or more capitalised tokens are looked at (:func:`runs`).
    ``tokens``: TOKEN's matches in ``text``, when the caller has them already.
    """
    spans: list[Span] = []
    lines = None
    for found in runs(text, list(TOKEN.finditer(text)) if tokens is None else tokens):
        run = [m.group() for m in found]
        i = 0
        while i < len(run) - 1:
            start = found[i].start()
            end = _name_at(run, i, opens_sentence(text, start))
            if end is not None and not _ADDRESS_BEFORE.search(text, max(0, start - 24), start):
                stop = found[end].end()
                lines = lines or LineLanguages(text)
                if not ORG_AFTER.match(text, stop) and plausible_person(text, start, stop) and \
                        not _all_common(run[i:end + 1], lines, start):
                    spans.append(Span("PERSON", base + start, base + stop, 0.85, "names", text[start:stop]))
                    i = end + 1
                    continue
            i += 1
    return spans
