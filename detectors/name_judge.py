"""Which capitalised words of a stretch spaCy read are people: spaCy's word, the lists' and the context's.

spaCy's small English model finds many foreign names, misses others ("Kaito",
"Mateusz"), calls some of them places or organisations, joins two people into
one ("Anna and Kaito") and calls firms and filler text people ("Lowe, Rice and
Hall", "Magna Nulla"). :class:`Judge` weighs its entities with the name lists
(:mod:`detectors.lexicon`), the languages of the line and the words around
(:mod:`detectors.name_context`).
"""

from __future__ import annotations

import re

from detectors.lexicon import FIRST_NAMES, PLACES, SURNAMES, WORDLIKE_FIRST_NAMES, LineLanguages, common_in, \
    is_known_name, name_key
from detectors.name_context import (LIST_AFTER, LIST_BEFORE, ORG_NOUN_AFTER, PLACE_BEFORE, PLACE_PREFIX, announces,
                                    introduced)
from detectors.names import ORG_AFTER, PLACE_OR_ORG, TOKEN, is_word, opens_sentence
from detectors.person_filters import HONORIFICS, LABELS, MONTHS, NOT_NAMES, PARTICLES, plausible_person

# spaCy labels that say a capitalised word is no person (its ORG and PRODUCT are too often
# foreign first names: "Toby", "Ella")
_NOT_PERSON_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP", "EVENT", "LANGUAGE", "LAW"})
# a spaCy person that is two people: "Anna and Kaito", "Ola, Kari & Per"
_CONNECTOR = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\bog\b|\boch\b|\bja\b|\bve\b|\ben\b|\bi\b|\by\b|\be\b)"
                        r"\s*")
# words that stand beside a name without being part of it
TRIM = NOT_NAMES | HONORIFICS | LABELS | {"hey", "hi", "hello", "dear", "thanks", "cheers", "welcome", "regards",
                                           "best", "ok", "okay", "yes", "no", "sorry", "please", "the"}


class Judge:
    """Decides which capitalised words of one stretch spaCy read are people.

    Candidates are spaCy's PERSON entities (split where they join two people)
    and runs of capitalised words spaCy gave no person label that the name
    lists know or a context announces. Each must pass :func:`plausible_person`
    and hold a word that the common words of its line's languages do not
    explain ("Der Drucker", "Magna Nulla" hold none); a lone word needs a
    context that announces it, spaCy's word, or the lists' word where spaCy
    does not call it a place that the list of places knows ("Valencia"; spaCy
    calls "Yasuhiro" a place too). None may name a firm or a place ("Poole
    Group", "Lowe, Rice and Hall", "the Burgos office", "in Valencia").
    """

    def __init__(self, run: str, ents):
        self.run = run
        self.lines = LineLanguages(run)
        self.people = []
        self.vetoed: list[tuple[int, int]] = []
        for ent in ents:
            if ent.label_ == "PERSON":
                self.people.extend(_trimmed(run, s, e) for s, e in _split(run, ent.start_char, ent.end_char))
            elif ent.label_ in _NOT_PERSON_LABELS:
                self.vetoed.append((ent.start_char, ent.end_char))

    def names(self, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """(start, end) of the people in the stretch, none overlapping ``taken`` or each other.
        A person spaCy found grows to the run of name words around it ("Noël" in "Noël Bigot")."""
        out: list[tuple[int, int]] = []
        busy = list(taken)
        candidates = list(self._candidates())
        for start, end in self.people:
            around = next(((s, e) for s, e in candidates if s <= start and end <= e and (s, e) != (start, end)), None)
            if around is not None and not _overlaps(*around, busy) and self._judge(*around, by_spacy=True):
                start, end = around
            if not _overlaps(start, end, busy) and self._judge(start, end, by_spacy=True):
                out.append((start, end))
                busy.append((start, end))
        for start, end in candidates:
            if not _overlaps(start, end, busy) and self._judge(start, end, by_spacy=False):
                out.append((start, end))
                busy.append((start, end))
        return out

    def _candidates(self):
        """Runs of consecutive capitalised words (particles inside): (start, end) each."""
        tokens = [m for m in TOKEN.finditer(self.run) if is_word(m.group())]
        i = 0
        while i < len(tokens):
            j = i
            while j + 1 < len(tokens) and _joined(self.run, tokens[j].end(), tokens[j + 1].start()):
                j += 1
            yield _trimmed(self.run, tokens[i].start(), tokens[j].end())
            i = j + 1

    def _judge(self, start: int, end: int, by_spacy: bool) -> bool:
        """Whether run[start:end] is a person: see the class docstring. A word is *strong*
        evidence when the lists know it as a name and it is no common word of its line's
        languages (Mateusz, Kovács); a known name that is an English word too (Iris), or an
        unknown word that is no common one (Tsereteli), counts where spaCy saw a person."""
        run = self.run
        words = [w for w in TOKEN.findall(run, start, end) if is_word(w)]
        if not words or words[-1].lower() in PLACE_OR_ORG or len(words) > 1 and words[0].lower() in PLACE_PREFIX:
            return False
        announced = introduced(run, start)
        if not announced and len(words) == 1 and words[0].lower() in MONTHS:
            return False
        if not plausible_person(run, start, end, single_ok=True):
            return False
        languages = self.lines.languages_at(start)
        strong = known_words = unknown = plain = 0
        for word in words:
            low = word.lower()
            if low in PARTICLES or low in HONORIFICS:
                continue
            common, known = common_in(low, languages), is_known_name(word)
            if known and not common:
                strong += 1
            elif known and not languages:
                known_words += 1  # a name that is an English word too: Iris, Will, Rose
            elif not common:
                unknown += 1  # Tsereteli, Kieranport
            else:
                plain += 1
        if ORG_AFTER.match(run, end) or ORG_NOUN_AFTER.match(run, end):
            return False  # "Poole Group", "Dear Ledoux customer services"
        if self._firm(start, end):
            return False  # "Lowe, Rice and Hall", "Dear Welch, Peters and Green customer services"
        if announced:
            return bool(strong or known_words or unknown or words[0].lower() in HONORIFICS)
        if len(words) == 1 and PLACE_BEFORE.search(run, max(0, start - 12), start):
            return False  # "in Valencia"
        if by_spacy:
            if len(words) == 1:
                return bool(strong or known_words)
            return not plain and bool(strong or known_words or unknown)
        if len(words) == 1 and _surname_only(words[0]):
            return False  # a lone surname stands for a person where a context or spaCy says so
        return bool(strong) and not plain and not (name_key(run[start:end]) in PLACES and
                                                   _overlaps(start, end, self.vetoed))

    def _firm(self, start: int, end: int) -> bool:
        """Whether the words at run[start:end] are one of a list of capitalised words that names a
        firm: followed by a company form or department ("Dear Welch, Peters and Green customer
        services"), or single words of which one is a surname and none a first name
        ("Lowe, Rice and Hall") unless a context announces people ("founders:")."""
        items = [self.run[start:end]]
        at = start
        while True:  # the words before
            gap = LIST_BEFORE.search(self.run, max(0, at - 8), at)
            previous = gap and _last_token(self.run, gap.start())
            if not previous:
                break
            items.append(previous.group())
            at = previous.start()
        first = at
        at = end
        while True:  # the words after
            gap = LIST_AFTER.match(self.run, at)
            following = gap and TOKEN.match(self.run, gap.end())
            if not following or not is_word(following.group()):
                break
            items.append(following.group())
            at = following.end()
        if len(items) == 1:
            return False
        if ORG_AFTER.match(self.run, at) or ORG_NOUN_AFTER.match(self.run, at):
            return True
        if announces(self.run, first):
            return False  # "our founders: Mkrtchyan, Vasquez and Lindahl"
        return all(" " not in item for item in items) and any(_surname_only(item) for item in items)


def _surname_only(word: str) -> bool:
    """A word the lists know as a surname and not as a first name."""
    key = name_key(word)
    return key in SURNAMES and key not in FIRST_NAMES


def _last_token(text: str, end: int):
    """The capitalised word ending at ``end``, if it stands alone (no capitalised word just
    before it: "Rice" of "Lowe, Rice", not "Gray" of "Lynda Gray"), else None."""
    tokens = list(TOKEN.finditer(text, max(0, end - 80), end))
    if not tokens or tokens[-1].end() != end or not is_word(tokens[-1].group()):
        return None
    last = tokens[-1]
    if len(tokens) > 1 and tokens[-2].end() + 1 == last.start() and text[tokens[-2].end()] == " ":
        return None
    return last


def _joined(text: str, end: int, start: int) -> bool:
    """Whether two capitalised words at text[..end] and text[start..] stand together in one name:
    one blank apart, or particles between ("Jan van der Berg")."""
    gap = text[end:start]
    if gap in (" ", "\u00a0"):
        return True
    parts = gap.split()
    return gap.startswith(" ") and gap.endswith(" ") and 0 < len(parts) <= 3 and \
        all(p in PARTICLES for p in parts)


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the people in a spaCy PERSON span, cut at "and", "&" and commas."""
    parts = []
    at = start
    for match in _CONNECTOR.finditer(text, start, end):
        if match.start() > at:
            parts.append((at, match.start()))
        at = match.end()
    if at < end:
        parts.append((at, end))
    return parts


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without the greeting, title or label spaCy put around a name ("Hey Toby",
    "Employee: Marc Turner Employee"), a trailing initial ("Imbert S." of "Imbert S.A."), or a
    word-like first name that opens the sentence ("Per Hansen, the laptop ...": "according to
    Hansen")."""
    words = list(TOKEN.finditer(text, start, end))
    while len(words) > 1 and (words[0].group().lower() in TRIM or words[0].group().lower() in
                              WORDLIKE_FIRST_NAMES and opens_sentence(text, words[0].start())):
        words.pop(0)
    while len(words) > 1 and (words[-1].group().lower() in TRIM or not is_word(words[-1].group())):
        words.pop()
    return (words[0].start(), words[-1].end()) if words else (start, end)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)
