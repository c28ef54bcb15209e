"""The NER stage: people in prose, by name lists first and spaCy only where they fall short.

spaCy's small model is the slowest thing in a scan (tens of KB/s per core), so
it sees only text an extractor or the prose test marks as prose, in batches
through ``nlp.pipe``, with every pipeline component but the NER (and a
token-to-vector layer, where it listens to one) excluded. Within that prose
the gazetteer tier (:mod:`detectors.names`) names the people its lists know,
and the gate here (:func:`needs_spacy`) hands spaCy only the sentences with a
capitalised word that the common words of the sentence's languages cannot
explain.

What spaCy reads is then judged word by word (:mod:`detectors.name_judge`):
spaCy's own people, split where it joined two ("Anna and Kaito"), and the
capitalised words it left alone that the name lists know ("between him and
Mateusz's kid") or that a context announces ("my name is Dan", "says
Tsereteli.", "Mr. May"), none of them a firm's or a place's name.
"""

from __future__ import annotations

import re

from detectors.config import resolve_model
from detectors.lexicon import COMMON_WORDS, FIRST_NAMES, WORDLIKE_FIRST_NAMES, LineLanguages, common_in, name_key
from detectors.name_context import introduced
from detectors.name_judge import Judge
from detectors.names import TOKEN, find_names, opens_sentence
from detectors.patterns import Span
from detectors.person_filters import HONORIFICS, LABELS, NOT_NAMES

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


# capitalised words that are explained wherever they stand: ordinary words that are no first
# name, the deny-listed words, honorifics, labels (a word-like first name such as "Will" is not)
_PLAIN = (COMMON_WORDS - FIRST_NAMES) | NOT_NAMES | HONORIFICS | LABELS

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


def unexplained(text: str, spans: list[Span] = (), base: int = 0, lines: LineLanguages | None = None,
                tokens: list[re.Match] | None = None):
    """Offsets in ``text`` of the capitalised words that neither a gazetteer name in ``spans``
    (in order, offset by ``base``) nor the word lists of their line's languages explain;
    a word that a name-introducing context announces is never explained. ``tokens``: TOKEN's
    matches in ``text``, when the caller has them already."""
    # the common case, a plain word, is filtered in one comprehension; initials and single
    # letters ("I", "A") are no evidence on their own (is_word, inline: this runs for every token)
    rare = [m for m in (TOKEN.finditer(text) if tokens is None else tokens)
            if len(word := m.group()) > 1 and word[1] != "." and
            (word.lower() not in _PLAIN or not opens_sentence(text, m.start()) and introduced(text, m.start()))]
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
    :meth:`NerStage.analyze_batch`). Both tiers read one pass of TOKEN over a whole piece;
    sentences are only cut around an unexplained word. ``claimed``: spans other
    detectors already found (a street address, an e-mail address): their
    capitalised words are explained too, so an address line ("12 Kingsway,
    Holborn, WC2B 6AA") does not send its sentence to spaCy.
    """
    found: list[Span] = []
    runs: list[tuple[int, str, list[Span]]] = []
    claimed = sorted(claimed, key=lambda s: s.start)
    for start, piece in _pieces(text):
        tokens = list(TOKEN.finditer(piece))  # read by both tiers
        spans = find_names(piece, start, tokens)
        found.extend(spans)
        end = start + len(piece)
        others = [s for s in claimed if s.start < end and s.end > start]
        explaining = sorted(spans + others, key=lambda s: s.start) if others else spans
        stretches: list[tuple[int, int]] = []
        for at in unexplained(piece, explaining, start, tokens=tokens):
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

    # spaCy runs a batch's texts through its network together: on the short stretches it is
    # given, 64 a call cost a third less per sentence than 4 (bench/small_files.py); a stretch
    # is at most PIECE_CHARS, so a batch stays within half a megabyte of text
    def __init__(self, model: str | None = None, batch_size: int = 64):
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
        whose people :class:`detectors.name_judge.Judge` picks. A name overlapping a gazetteer name
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
            for start, end in Judge(run, doc.ents).names(taken):
                out[i].append(Span("PERSON", offset + start, offset + end, 0.85, "spacy", run[start:end]))
        return out
