"""GDPR Art. 9 special categories and Art. 10 criminal data, one recogniser per type.

High precision over volume: a sensitive term counts only in a sentence that
is about a person (a pronoun, "employee", "patient", a title) and that links
the person to the term ("diagnosed with", "member of", "convicted of", "is a
practising ..."). A union's own web page mentions unions all the time without
saying anything about one person; "He told HR he is a member of the GMB
trade union" does. Each sentence is reported once, as the span of its first
linked term (the passage), whatever the number of terms in it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult

from detectors.recognizers.base import Pattern, PiiRecognizer

_PERSON = re.compile(
    r"(?<![\w])(?:he|she|they|i|i'm|i've|his|her|him|my|their|we|employee|employees|patient|colleague|"
    r"staff member|worker|applicant|candidate|claimant|client|customer|tenant|pupil|student|member of staff|"
    r"mr|mrs|ms|miss|dr|son|daughter|wife|husband|partner|mother|father|brother|sister|"
    r"the subject|data subject|individual|person)(?![\w])", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


class SpecialCategoryRecognizer(PiiRecognizer):
    """A term list linked to a person by a relation phrase, per sentence."""

    TERMS: ClassVar[list[str]] = []
    #: phrases that, just before a term (within ~50 chars, same sentence), tie it to the person
    LINKS: ClassVar[list[str]] = []
    MAX_MATCH = 300
    SCORE: ClassVar[float] = 0.75

    def __init__(self):
        type(self).PATTERNS = [Pattern(self.ENTITY.lower(), self._terms_regex(), self.SCORE)]
        type(self).ANCHORS = [self._terms_regex()]
        super().__init__()
        self._terms = re.compile(self._terms_regex(), re.I)
        self._links = re.compile(r"(?<![\w])(?:" + "|".join(self.LINKS) + r")(?![\w])", re.I)

    @classmethod
    def _terms_regex(cls) -> str:
        return r"\b(?:" + "|".join(cls.TERMS) + r")\b"

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """One result per sentence that links a person to a term."""
        results = []
        for sentence in _SENTENCE.finditer(text):
            body = sentence.group()
            for term in self._terms.finditer(body):
                lead = body[max(0, term.start() - 60):term.start()]
                if self._links.search(lead) and _PERSON.search(body):
                    start = sentence.start() + term.start()
                    results.append(RecognizerResult(self.ENTITY, start, sentence.start() + term.end(), self.SCORE))
                    break
        return results


_IS = r"is|was|are|am|i'm|he's|she's|being|been|identifies as|identified as|describes (?:himself|herself|themselves) as"


class HealthRecognizer(SpecialCategoryRecognizer):
    """Health: diagnoses, conditions, treatment, sickness absence, disability, pregnancy."""

    ENTITY = "SPECIAL_CATEGORY_HEALTH"
    TERMS = ["diabetes", "diabetic", "cancer", "leukaemia", "leukemia", "tumou?r", "depression", "depressed",
             "anxiety", "hiv", "aids", "epilepsy", "epileptic", "asthma", "dementia", "alzheimer'?s",
             "schizophrenia", "bipolar(?: disorder)?", "autism", "autistic", "adhd", "ptsd", "ocd",
             "multiple sclerosis", "parkinson'?s", "stroke", "heart attack", "heart condition", "covid(?:-19)?",
             "long covid", "pregnant", "pregnancy", "miscarriage", "chemotherapy", "radiotherapy", "disability",
             "disabled", "sick leave", "sickness absence", "signed off sick", "medical condition", "illness",
             "mental health (?:issues?|condition|problems?)", "breakdown", "surgery", "operation", "hepatitis",
             "tuberculosis", "eating disorder", "anorexia", "bulimia", "alcoholism", "alcoholic", "addiction",
             "substance abuse", "migraines?", "arthritis", "crohn'?s", "ibs", "fibromyalgia", "insulin",
             "antidepressants?", "medication", "therapy", "counselling", "rehab", "hospitali[sz]ed",
             "fracture", "broken (?:leg|arm|wrist|ankle)", "injury", "sclerosis", "dyslexia", "dyslexic",
             "blind", "deaf", "wheelchair"]
    LINKS = ["diagnosed with", "diagnosis of", "suffers from", "suffering from", "suffered", "treated for",
             "treatment for", "being treated", "living with", "lives with", "has", "had", "have", "with",
             "off sick with", "signed off with", "takes", "taking", "prescribed", "underwent", "undergoing",
             "recovering from", "due to", "because of", "her", "his", "my", "their", _IS, "history of",
             "admitted", "tested positive for"]


class ReligionRecognizer(SpecialCategoryRecognizer):
    """Religious or philosophical beliefs."""

    ENTITY = "SPECIAL_CATEGORY_RELIGION"
    TERMS = ["muslim", "christian", "catholic", "roman catholic", "protestant", "anglican", "evangelical",
             "jewish", "jew", "hindu", "sikh", "buddhist", "atheist", "agnostic", "mormon", "jehovah'?s witness",
             "orthodox", "methodist", "baptist", "quaker", "pagan", "rastafarian", "islam", "judaism",
             "hinduism", "buddhism", "sikhism", "christianity", "religious beliefs?", "faith"]
    LINKS = [_IS, "a", "an", "devout", "practising", "practicing", "observant", "converted to", "convert to",
             "follows", "follower of", "practises", "practices", "his", "her", "my", "their", "raised",
             "brought up", "attends", "member of the"]


class TradeUnionRecognizer(SpecialCategoryRecognizer):
    """Trade union membership."""

    ENTITY = "SPECIAL_CATEGORY_TRADE_UNION"
    TERMS = ["trade union", "trades union", "labou?r union", "union", "unison", "unite the union", "gmb", "rmt", "nasuwt",
             "ucu", "usdaw", "bma", "rcn", "cwu", "aslef", "nurses'? union", "teamsters",
             "afl-cio", "seiu", "fnv", "cnv", "cfdt", "ver\\.di", "ig metall", "dgb", "abvv", "acv",
             "union rep(?:resentative)?", "shop steward"]
    LINKS = ["member of", "membership of", "membership", "joined", "join", "belongs to", "belong to",
             "rep for", "representative for", "steward for", "represented by", "union member", "card-carrying",
             "subscriptions? to", "dues to", "active in", _IS + " (?:a|an|the)", "his", "her", "my", "their"]


class SexualOrientationRecognizer(SpecialCategoryRecognizer):
    """Sex life or sexual orientation."""

    ENTITY = "SPECIAL_CATEGORY_SEXUAL_ORIENTATION"
    TERMS = ["gay", "lesbian", "bisexual", "homosexual", "heterosexual", "straight", "queer", "pansexual",
             "asexual", "lgbtq?\\+?", "same-sex partner", "same-sex relationship", "sexual orientation",
             "sexuality", "transgender", "trans woman", "trans man", "non-binary", "boyfriend", "girlfriend"]
    LINKS = [_IS, "came out as", "coming out as", "out as", "openly", "his", "her", "my", "their",
             "identifies as", "in a", "lives with (?:his|her|their)"]

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """Partners count only in a same-sex phrasing: "his boyfriend", "her girlfriend"."""
        results = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            term = text[result.start:result.end].lower()
            if term in ("boyfriend", "girlfriend", "straight"):
                lead = text[max(0, result.start - 12):result.start].lower()
                same_sex = ("his " in lead and term == "boyfriend") or ("her " in lead and term == "girlfriend")
                if not same_sex:
                    continue
            results.append(result)
        return results


class EthnicityRecognizer(SpecialCategoryRecognizer):
    """Racial or ethnic origin."""

    ENTITY = "SPECIAL_CATEGORY_ETHNICITY"
    TERMS = ["ethnic origin", "ethnicity", "racial origin", "black british", "white british", "black african",
             "black caribbean", "afro-caribbean", "british asian", "asian british", "mixed race", "roma",
             "gypsy", "irish traveller", "traveller", "hispanic", "latino", "latina", "pakistani heritage",
             "indian heritage", "(?:african|caribbean|asian|arab|jewish|chinese|pakistani|bangladeshi|indian|"
             "nigerian|somali|turkish|moroccan|surinamese) (?:origin|descent|heritage|background)",
             "aboriginal", "indigenous", "first nations", "bame"]
    LINKS = [_IS, "of", "from a", "identifies as", "self-identified as", "his", "her", "my", "their", "a",
             "an", "ethnicity:?", "background"]


class PoliticalRecognizer(SpecialCategoryRecognizer):
    """Political opinions and party membership."""

    ENTITY = "SPECIAL_CATEGORY_POLITICAL"
    TERMS = ["labour party", "conservative party", "tory party", "tories", "liberal democrats?", "lib dems?",
             "green party", "reform uk", "ukip", "snp", "plaid cymru", "sinn f[ée]in", "dup", "democratic party",
             "republican party", "democrats?", "republicans?", "communist party", "socialist party", "afd",
             "cdu", "spd", "vvd", "pvv", "d66", "rassemblement national", "la france insoumise", "n-va",
             "vlaams belang", "political (?:views|opinions?|beliefs|affiliation)", "party member(?:ship)?",
             "labour", "conservative", "socialist", "communist", "far-right", "far-left", "anarchist",
             "activist for", "campaigner for"]
    LINKS = ["member of", "membership of", "joined", "votes? for", "voted for", "voting for", "supports",
             "supporter of", "supported", "donated to", "donates to", "campaigns? for", "campaigned for",
             "canvassed for", "stood for", "candidate for", "councillor for", "activist", _IS + " (?:a|an)",
             "card-carrying", "staunch"]


class BiometricRecognizer(SpecialCategoryRecognizer):
    """Biometric data used to identify a person."""

    ENTITY = "SPECIAL_CATEGORY_BIOMETRIC"
    TERMS = ["fingerprints?", "finger ?print (?:scan|template|data)", "facial recognition", "face template",
             "face ?print", "facial geometry", "iris scans?", "retina(?:l)? scans?", "voice ?prints?",
             "biometric (?:data|template|record|profile|identifier)s?", "palm ?print", "hand geometry",
             "gait analysis", "dna profile"]
    LINKS = ["his", "her", "my", "their", "enrolled", "enrol", "captured", "collected", "stored", "scanned",
             "took", "taken", "recorded", "registered", "of", "with", "using", "uses", "provided"]


class GeneticRecognizer(SpecialCategoryRecognizer):
    """Genetic data."""

    ENTITY = "SPECIAL_CATEGORY_GENETIC"
    TERMS = ["dna test", "dna results?", "genetic test(?:ing)?", "genetic results?", "genome", "genomic",
             "brca[12]?(?: gene| mutation)?", "genetic (?:predisposition|marker|mutation|condition|disorder|"
             "screening|profile|data)", "carrier of", "huntington'?s", "cystic fibrosis", "sickle cell",
             "hereditary (?:condition|disease)", "23andme", "ancestrydna"]
    LINKS = ["his", "her", "my", "their", "tested positive for", "tested", "carries", "carrier", "results",
             "has", "had", "underwent", "took", "of", "for", "a", "an", "with", "shows", "showed", _IS]


class CriminalOffenceRecognizer(SpecialCategoryRecognizer):
    """Criminal convictions, offences and proceedings (GDPR Art. 10)."""

    ENTITY = "CRIMINAL_OFFENCE"
    TERMS = ["convicted", "conviction", "convictions", "criminal record", "arrested", "charged with",
             "sentenced", "prison", "jail", "jailed", "imprisoned", "custodial sentence", "suspended sentence",
             "probation", "parole", "police caution", "cautioned", "pleaded guilty", "found guilty",
             "offence", "offences", "offense", "offenses", "theft", "assault", "fraud", "burglary",
             "drink[- ]driving", "drunk driving", "dui", "dwi", "shoplifting", "manslaughter", "murder",
             "sex offender", "sexual offence", "restraining order", "community service", "tagged", "ankle tag",
             "casier judiciaire", "strafblad", "vorstrafe", "veroordeeld", "condamné"]
    LINKS = ["he", "she", "they", "i", "was", "were", "been", "has", "had", "have", "is", "his", "her", "my",
             "their", "previous", "prior", "spent", "unspent", "served", "released from", "received", "given",
             "committed", "accused of", "guilty of", "convicted of", "arrested for", "charged with"]
