"""The NER stage: people in prose, by name lists first and spaCy only where they fall short.

spaCy's small model is the slowest thing in a scan (tens of KB/s per core), so
it sees only text an extractor or the prose test marks as prose, in batches
through ``nlp.pipe``, with every pipeline component but the NER (and a
token-to-vector layer, where it listens to one) excluded. Within that prose
the gazetteer tier (:mod:`detectors.names`) names the people its lists know,
and the gate here (:func:`needs_spacy`) hands spaCy only the sentences with a
capitalised word that the common words of the sentence's languages cannot
explain.

What spaCy reads is then judged word by word (:class:`_Judge`): spaCy's own
people, split where it joined two ("Anna and Kaito"), and the capitalised
words it left alone that the name lists know ("between him and Mateusz's
kid") or that a name-introducing context announces ("my name is Dan", "says
Tsereteli.", "Mr. May"). A word spaCy calls a place, which the list of places
not taken for a name on the lists' word alone ("in Valencia").
"""

from __future__ import annotations

import re

from detectors.config import resolve_model
from detectors.lexicon import COMMON_WORDS, FIRST_NAMES, PLACES, SURNAMES, WORDLIKE_FIRST_NAMES, LineLanguages, \
    common_in, is_known_name, name_key
from detectors.names import ORG_AFTER, PLACE_OR_ORG, TOKEN, find_names, is_word, opens_sentence
from detectors.patterns import Span
from detectors.person_filters import HONORIFICS, MONTHS, NOT_NAMES, PARTICLES, plausible_person

# everything of the English pipelines but the NER and the shared tok2vec layer (dropped once loaded
# unless a component left listens to it)
_EXCLUDE = ["tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter", "sentencizer"]


PIECE_CHARS = 8000


def _pieces(text: str):
    """(offset, piece) cuts of ``text`` at line breaks (or spaces), each at most PIECE_CHARS long."""
    start, length = 0, len(text)
    while start < length:
        end = min(length, start + PIECE_CHARS)
        if end < length:
            cut = text.rfind("\n", start + PIECE_CHARS // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + PIECE_CHARS // 2, end)
            end = cut + 1 if cut >= 0 else end
        yield start, text[start:end]
        start = end


# a sentence ends at . ! ? or a line break, but not at the dot of "Mr." or of an initial ("J. Smith"),
# nor inside an abbreviation ("S.A.S.", "e.g.")
_SENTENCE = re.compile(r"[^.!?\n]*(?:(?:(?:(?<=\bMr)|(?<=\bMrs)|(?<=\bMs)|(?<=\bDr)|(?<=\bProf)|(?<=\b[A-Z]))"
                       r"\.(?= )|\.(?=\w))[^.!?\n]*)*(?:[.!?]+|\n|$)")
# sentence openers that are ordinary words, not names: pronouns, articles, and word shapes
# (gerunds, -tion, -ment, -ness, -ly, -ed, plural agent nouns) that names hardly ever take
_COMMON_OPENER = re.compile(
    r"^(?:the|this|that|these|those|there|their|they|then|thank|thanks|please|your|our|we|you|it|its|"
    r"if|in|on|at|as|an|a|and|but|or|for|from|to|of|by|with|all|any|each|every|no|not|some|when|"
    r"where|while|what|which|who|why|how|after|before|during|since|until|once|also|however|so|"
    r"here|is|are|was|were|be|has|have|had|will|would|can|could|should|may|might|must|do|does|"
    r"did|i|he|she|my|his|her|hi|hello|dear|regards|note|see|yes|ok)$|"
    r"\w+(?:ing|ings|tion|tions|ment|ments|ness|ly|ed|ers|ies|ity|ous|ive|able)$", re.I)


# abbreviations that label a line or a letter's parts ("Tel: 0161 …"), too short for the word list
_LABELS = frozenset({"tel", "fax", "ref", "refs", "attn", "encl", "enc", "cc", "bcc", "pp", "ps", "etc", "eg",
                     "ie", "approx", "ext", "mob", "dept", "no", "nr", "st", "rd", "ave"})
# capitalised words that are explained wherever they stand: ordinary words that are no first
# name, the deny-listed words, honorifics, labels (a word-like first name such as "Will" is not)
_PLAIN = (COMMON_WORDS - FIRST_NAMES) | NOT_NAMES | HONORIFICS | _LABELS
# words that stand beside a name without being part of it
_TRIM = NOT_NAMES | HONORIFICS | _LABELS | {"hey", "hi", "hello", "dear", "thanks", "cheers", "welcome", "regards",
                                             "best", "ok", "okay", "yes", "no", "sorry", "please", "the"}

# What announces a name right after it: "my name is Dan", "named Kaito", "her maiden name is Okafor",
# "says Tsereteli.", "Mr. May", "Dear Benjamin", "thanks István!", "her colleague Marina".
_INTRODUCED = re.compile(
    r"(?:\bmy name is|\bname is|\bname's|\bnamed|\bcall me|\bmaiden name(?: is| was)?|\bn[ée]e|\baka|"
    r"\bsays|\bsaid|\basks|\basked|\bwrites|\bwrote|\breplied|\bdear|\bhi|\bhey|\bhello|\bthanks|\bthank you|"
    r"\bcheers|\bwelcome(?: aboard| back)?|\bcongrats|\bsincerely|\bregards|\bbest|\bcc|\bask|\bping|\btell|"
    r"\bremind|\b(?:my|his|her|our|your|their)[ \t]+(?:colleague|wife|husband|son|daughter|partner|boss|friend|"
    r"brother|sister|mum|mom|dad|mother|father|cousin|nephew|niece|uncle|aunt)|\bcolleague|\bcaller|\bcustomer|"
    r"\bclient|\bpatient|\btenant|\bapplicant|\bemployee|\bsigned by|\bassigned to|\bcovering for|"
    r"\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|herr|frau|mme|mlle|sr|sra|sig|dhr|mevr|pan|pani)\.?)"
    r"[ \t]*[,:]?[ \t\n]*$", re.I)
# What announces a name right before it: "Tsereteli says", "Mateusz's kid", "Anna will".
_FOLLOWED = re.compile(
    r"(?:['’]s[ \t]+(?:kid|kids|son|daughter|wife|husband|partner|mum|mom|dad|mother|father|brother|"
    r"sister|boss|manager|colleague|friend|family|parents|children|baby|desk|laptop|account|email|phone)|"
    r"[ \t]+(?:says|said|asked|asks|wrote|writes|replied|thinks|wants|needs|agreed|called|mentioned|"
    r"told|sent|left|signed|confirmed|handles|reports|is out|is off|is on leave|will)\b)", re.I)
# A list of people after a word for them: "our 3 founders: Mkrtchyan, Vasquez and Lindahl".
_PEOPLE_LIST = re.compile(
    r"\b(?:founders|owners|partners|directors|members|attendees|participants|guests|speakers|present|"
    r"children|kids|signatories|trustees|colleagues)\b\W{0,3}(?:are|were|include|:)?[ \t]*:?[ \t]*$", re.I)
_LIST_GAP = re.compile(r"(?:,[ \t]*|[ \t]+(?:and|&)[ \t]+)$")
# spaCy labels that say a capitalised word is no person (its ORG and PRODUCT are too often
# foreign first names: "Toby", "Ella")
_NOT_PERSON_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP", "EVENT", "LANGUAGE", "LAW"})
# words that, before a lone capitalised word, make it a place ("in Valencia", "near Leeds")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|via|into|across|around|outside|inside)[ \t]+(?:the[ \t]+)?$", re.I)
# words that, after a capitalised word, make it a place or an organisation ("the Burgos office")
_ORG_NOUN_AFTER = re.compile(r"[ \t]+(?:office|offices|team|branch|site|store|shop|warehouse|plant|campus|depot|"
                             r"hq|headquarters|region|area|council|county|district|airport|station|hospital|"
                             r"customer services?|support|sales|accounts)\b", re.I)
# a list of capitalised words: "Lowe, Rice and Hall", "Hendrickx, Beckers en Nijs"
_LIST_AROUND_END = re.compile(r"(?:,[ \t]*|[ \t]+(?:and|&|en|und|et|og|och|y|e|i|ve)[ \t]+)$")
_LIST_AROUND = re.compile(r"(?:,[ \t]*|[ \t]+(?:and|&|en|und|et|og|och|y|e|i|ve)[ \t]+)")
# words that open the name of a place ("Lake Rebecca", "East Sophie", "Port Talbot")
_PLACE_PREFIX = frozenset({"north", "south", "east", "west", "lake", "port", "mount", "saint", "sainte", "st",
                           "san", "santa", "new", "fort", "upper", "lower", "bad", "le", "la"})
# a spaCy person that is two people: "Anna and Kaito", "Ola, Kari & Per"
_CONNECTOR = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\bog\b|\boch\b|\bja\b|\bve\b|\ben\b|\bi\b|\by\b|\be\b)"
                        r"\s*")


def _explained(word: str, opens: bool) -> bool:
    """Whether a capitalised word outside any gazetteer name is certainly not part of a name,
    by the English lists alone.

    Ordinary English words are capitalised for grammar, not because they are
    names; a known first name is never explained mid-sentence (a lone "Dear
    Benjamin" or an unknown surname after it is for spaCy to judge). ``opens``:
    the word begins a sentence, where openers and word-like first names are words.
    Words in ``_PLAIN`` are filtered out before this is asked.
    """
    low = word.lower()
    if opens and (low in WORDLIKE_FIRST_NAMES or (name_key(word) not in FIRST_NAMES and _COMMON_OPENER.match(word))):
        return True
    return "-" in low and all(part in _PLAIN for part in low.split("-"))


def introduced(text: str, at: int) -> bool:
    """Whether the words before offset ``at`` announce a name there ("my name is", "Mr.", "says",
    "founders:"), or the words after the word at ``at`` do ("says", "'s kid")."""
    before = text[max(0, at - 40):at]
    if _INTRODUCED.search(before) or _PEOPLE_LIST.search(before):
        return True
    match = TOKEN.match(text, at)
    if match is not None and _FOLLOWED.match(text, match.end()):
        return True
    gap = _LIST_GAP.search(before)  # a later item of a list of people: "Mkrtchyan, Vasquez and Lindahl"
    if gap is not None:
        previous = None
        for previous in TOKEN.finditer(text, max(0, at - 40), gap.start()):
            pass
        if previous is not None and previous.end() == gap.start() and is_word(previous.group()):
            return introduced(text, previous.start()) and not _FOLLOWED.match(text, previous.end())
    return False


def unexplained(text: str, spans: list[Span] = (), base: int = 0, lines: LineLanguages | None = None):
    """Offsets in ``text`` of the capitalised words that neither a gazetteer name in ``spans``
    (in order, offset by ``base``) nor the word lists of their line's languages explain;
    a word that a name-introducing context announces is never explained."""
    # the common case, a plain word, is filtered in one comprehension; initials and single
    # letters ("I", "A") are no evidence on their own
    rare = [m for m in TOKEN.finditer(text) if is_word(m.group()) and
            (m.group().lower() not in _PLAIN or m.group().lower() in COMMON_WORDS and introduced(text, m.start()))]
    lines = lines or LineLanguages(text)
    k = 0
    for match in rare:
        at = match.start()
        while k < len(spans) and spans[k].end - base <= at:
            k += 1
        if k < len(spans) and spans[k].start - base <= at:
            continue
        word = match.group()
        if word.lower() in _PLAIN:  # announced: "my name is Will"
            yield at
        elif not _explained(word, opens_sentence(text, at)):
            languages = lines.languages_at(at)
            if not languages or not common_in(word.lower(), languages) or introduced(text, at):
                yield at


def needs_spacy(sentence: str, spans: list[Span] = (), base: int = 0) -> bool:
    """The gate: whether spaCy must read ``sentence`` after the gazetteer found ``spans`` in it.

    True when a capitalised word is left that neither a gazetteer name nor the
    word lists explain, so that names outside the lists ("Xanthippe Quarrendon",
    "Dear Benjamin") still reach spaCy while sentences whose capitals are all
    accounted for ("The new opening hours apply from the first Monday.",
    "I spoke with Jane Mason.", "Die Rechnung ist noch offen.") skip it.
    ``spans`` are offset by ``base``.
    """
    return next(unexplained(sentence, list(spans), base), None) is not None


def route(text: str, claimed: list[Span] = ()) -> tuple[list[Span], list[tuple[int, str, list[Span]]]]:
    """The gazetteer's PERSON spans in ``text``, and the stretches spaCy must still read.

    Each stretch is (offset, text, spans inside it that no other name may overlap:
    the gazetteer's and ``claimed`` ones): the sentences :func:`needs_spacy` would
    send, adjacent ones kept together, inside pieces of at most PIECE_CHARS (see
    :meth:`NerStage.analyze_batch`). Both tiers scan a whole piece at once;
    sentences are only cut around an unexplained word. ``claimed``: spans other
    detectors already found (a street address, an e-mail address): their
    capitalised words are explained too, so an address line ("12 Kingsway,
    Holborn, WC2B 6AA") does not send its sentence to spaCy.
    """
    found: list[Span] = []
    runs: list[tuple[int, str, list[Span]]] = []
    claimed = sorted(claimed, key=lambda s: s.start)
    for start, piece in _pieces(text):
        spans = find_names(piece, start)
        found.extend(spans)
        end = start + len(piece)
        others = [s for s in claimed if s.start < end and s.end > start]
        explaining = sorted(spans + others, key=lambda s: s.start) if others else spans
        stretches: list[tuple[int, int]] = []
        for at in unexplained(piece, explaining, start):
            if stretches and at < stretches[-1][1]:
                continue  # its sentence is already in
            lo, hi = _sentence_around(piece, at)
            if stretches and not piece[stretches[-1][1]:lo].strip():
                stretches[-1] = (stretches[-1][0], hi)
            else:
                stretches.append((lo, hi))
        runs.extend((start + lo, piece[lo:hi], [s for s in explaining if s.start < start + hi and
                                                 s.end > start + lo])
                    for lo, hi in stretches)
    return found, runs


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    """(start, end) of the sentence of ``text`` holding offset ``at``; sentences never cross lines."""
    lo = text.rfind("\n", 0, at) + 1
    hi = text.find("\n", at)
    hi = len(text) if hi < 0 else hi + 1
    for match in _SENTENCE.finditer(text, lo, hi):
        if match.end() > at:
            return match.start(), match.end()
    return lo, hi


class _Judge:
    """Decides which capitalised words of one stretch spaCy read are people.

    Candidates are spaCy's PERSON entities (split where they join two people)
    and runs of capitalised words spaCy gave no person label that the name
    lists know or a context announces. Each must pass :func:`plausible_person`
    and hold a word that the common words of its line's languages do not
    explain ("Der Drucker", "Magna Nulla" hold none); a lone word needs a
    context that announces it, spaCy's word, or the lists' word where spaCy
    does not call it a place or an organisation.
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
        if not words or words[-1].lower() in PLACE_OR_ORG or len(words) > 1 and words[0].lower() in _PLACE_PREFIX:
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
        if ORG_AFTER.match(run, end) or _ORG_NOUN_AFTER.match(run, end):
            return False  # "Poole Group", "Dear Ledoux customer services"
        if self._firm(start, end):
            return False  # "Lowe, Rice and Hall", "Dear Welch, Peters and Green customer services"
        if announced:
            return bool(strong or known_words or unknown or words[0].lower() in HONORIFICS)
        if len(words) == 1 and _PLACE_BEFORE.search(run, max(0, start - 12), start):
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
            gap = _LIST_AROUND_END.search(self.run, max(0, at - 8), at)
            previous = gap and _last_token(self.run, gap.start())
            if not previous:
                break
            items.append(previous.group())
            at = previous.start()
        first = at
        at = end
        while True:  # the words after
            gap = _LIST_AROUND.match(self.run, at)
            following = gap and TOKEN.match(self.run, gap.end())
            if not following or not is_word(following.group()):
                break
            items.append(following.group())
            at = following.end()
        if len(items) == 1:
            return False
        if ORG_AFTER.match(self.run, at) or _ORG_NOUN_AFTER.match(self.run, at):
            return True
        before = self.run[max(0, first - 40):first]
        if _INTRODUCED.search(before) or _PEOPLE_LIST.search(before):
            return False  # "our founders: Mkrtchyan, Vasquez and Lindahl"
        return all(" " not in item for item in items) and any(_surname_only(item) for item in items)


def _surname_only(word: str) -> bool:
    """A word the lists know as a surname and not as a first name."""
    key = name_key(word)
    return key in SURNAMES and key not in FIRST_NAMES


def _last_token(text: str, end: int):
    """The capitalised word ending at ``end`` that stands alone (no capitalised word just before it), or None."""
    match = None
    for match in TOKEN.finditer(text, max(0, end - 40), end):
        pass
    if match is None or match.end() != end or not is_word(match.group()):
        return None
    before = text[max(0, match.start() - 2):match.start()]
    return None if before.strip() and before[-1] == " " and TOKEN.search(before) else match


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
    while len(words) > 1 and (words[0].group().lower() in _TRIM or words[0].group().lower() in
                              WORDLIKE_FIRST_NAMES and opens_sentence(text, words[0].start())):
        words.pop(0)
    while len(words) > 1 and (words[-1].group().lower() in _TRIM or not is_word(words[-1].group())):
        words.pop()
    return (words[0].start(), words[-1].end()) if words else (start, end)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _load_pipeline(name: str):
    """The spaCy pipeline ``name`` with only the components NER needs (excluded components are
    never loaded; names a pipeline lacks are ignored)."""
    import spacy

    return _without_unheard_embeddings(spacy.load(name, exclude=_EXCLUDE))


def _without_unheard_embeddings(nlp):
    """``nlp`` without shared embedding layers (tok2vec, transformer) that no component left
    listens to. The English pipelines' NER embeds tokens itself; their shared tok2vec feeds
    only the tagger and parser, which are excluded, yet would still run on every text (a
    third of spaCy's time on a sentence)."""
    for name, component in list(nlp.pipeline):
        if hasattr(component, "listening_components") and not component.listening_components:
            nlp.remove_pipe(name)
    return nlp


_PRELOADED: dict[str, object] = {}  # pipeline name -> pipeline loaded before workers were forked


def preload(model: str | None = None) -> None:
    """Load a pipeline for this process's NER stages to share: the fork server loads the
    default one once, and every worker forked from it starts with it instead of loading its own."""
    name = resolve_model(model)
    _PRELOADED[name] = _load_pipeline(name)


class NerStage:
    """Person names from prose, with the filters that keep headings and products out."""

    def __init__(self, model: str | None = None, batch_size: int = 4):
        self.model = resolve_model(model)
        preloaded = _PRELOADED.get(self.model)
        self.nlp = preloaded if preloaded is not None else _load_pipeline(self.model)
        self.nlp.max_length = 2_000_000
        self.batch_size = batch_size

    def analyze_batch(self, texts: list[str], claimed: list[list[Span]] | None = None) -> list[list[Span]]:
        """PERSON spans for each text, in order: the gazetteer's, then those of the stretches spaCy read.

        Texts are cut into pieces of at most PIECE_CHARS at line breaks before
        they reach spaCy: a 256 KB document costs hundreds of MB inside spaCy,
        a few KB piece almost nothing, and names do not span paragraphs. In each
        piece the gazetteer tier names the people it knows
        (:func:`detectors.names.find_names`), and spaCy reads only the sentences
        with a capitalised word left unexplained (:func:`route`, :func:`needs_spacy`),
        whose people :class:`_Judge` picks. A name overlapping a gazetteer name
        or a span another detector claimed is dropped: the same person must not
        be reported twice, and an address or an e-mail address is not a person.
        ``claimed``: per text, the spans the identifier stage found (see :func:`route`).
        """
        out: list[list[Span]] = []
        runs: list[tuple[int, int, str, list[Span]]] = []
        for i, text in enumerate(texts):
            found, text_runs = route(text, claimed[i] if claimed else ())
            out.append(found)
            runs.extend((i, offset, run, spans) for offset, run, spans in text_runs)
        docs = self.nlp.pipe((run for _, _, run, _ in runs), batch_size=self.batch_size)
        for (i, offset, run, known), doc in zip(runs, docs):
            taken = [(s.start - offset, s.end - offset) for s in known]
            for start, end in _Judge(run, doc.ents).names(taken):
                out[i].append(Span("PERSON", offset + start, offset + end, 0.85, "spacy", run[start:end]))
        return out
