"""The gazetteer name tier and the gate that decides which sentences spaCy must still read."""

import random
import re

import pytest

from detectors.names import FIRST_NAMES, GAP, SURNAMES, TOKEN, find_names, runs
from detectors.ner import needs_spacy, route

FOUND = [
    ("Please contact Jane Mason if you have any questions.", ["Jane Mason"]),
    ("Dear Samantha Moran, we apologise for the delay.", ["Samantha Moran"]),
    ("Regards,\nJanet Hill", ["Janet Hill"]),
    ("The contract was signed by Mary Ann McDonald on Friday.", ["Mary Ann McDonald"]),
    ("Sean O'Brien-Smith joined the team.", ["Sean O'Brien-Smith"]),
    ("Ask for Dr Jane Mason at reception.", ["Dr Jane Mason"]),
    ("Ask Mr. J. Smith about it.", ["Mr. J. Smith"]),
    ("Mr Brown said no.", ["Mr Brown"]),
    ("Jan van der Berg signed.", ["Jan van der Berg"]),
    ("Contact Jane Mason's team.", ["Jane Mason"]),
    ("We met Will Baldwin and Kate Frost.", ["Will Baldwin", "Kate Frost"]),
]

NOT_FOUND = [
    "The new opening hours apply from the first Monday of next month.",
    "In London the office opens at nine.",  # "In" is a census first name, and a word
    "Will Smith attend?",  # word-like first name at a sentence start
    "The Albert Street office is closed.",
    "Jane Mason Ltd is a supplier.",
    "Grant Application Form",
    "Jordan River",  # River is a rare surname and an everyday word
    "I spoke to Jane. Mason said no.",  # a sentence break is not a gap inside a name
    "JANE MASON",  # capitals are headings, as for spaCy
    "Dr Who",
    "Page 2 of the Invoice Summary",
    "Regards,\nZorbatka Van den Bergh",  # an unknown word before "Van" (a first name)
    "341 Helen Street",  # a house number
    "63, avenue Charlotte Delmas",  # a street named after a person
    "HR Business Partner, Van den Bossche BV",  # a company form after the name
    "Dear Mrs Jan Mans,",  # the run goes on past what the lists explain
]


@pytest.mark.parametrize("text, names", FOUND)
def test_finds_names(text, names):
    assert [s.value for s in find_names(text)] == names


@pytest.mark.parametrize("text", NOT_FOUND)
def test_common_capitalised_words_are_not_names(text):
    assert find_names(text) == []


# what a run is, as one regex: a token, then one or more gaps each followed by a token
_RUN_DEFINITION = re.compile(rf"{TOKEN.pattern}(?:(?:{GAP.pattern}){TOKEN.pattern})+")
_PIECES = ["Jane", "Mason", "J.", "J", "Mr", "Mr.", "Dr", "Prof.", "van", "der", "de", "della", "Van", "O'Brien",
           "Smith-Jones", "McDonald", "ÉLODIE", "Łukasz", "com.acme.Sync", "the", "and", "I", "A", "7", "Ltd"]
_SEPARATORS = [" ", " ", " ", "\u00a0", "  ", ". ", ", ", "\n", "-", "'", ".", ""]


def test_runs_are_exactly_what_the_run_regex_matches():
    """Runs taken from one token pass equal the leftmost-longest matches of the run regex, with
    the same tokens inside, on random salads of names, initials, honorifics and particles."""
    rng = random.Random(5)
    multi = 0
    for _ in range(3000):
        text = "".join(rng.choice(_PIECES) + rng.choice(_SEPARATORS) for _ in range(rng.randint(1, 14)))
        expected = [[(t.start(), t.end()) for t in TOKEN.finditer(text, m.start(), m.end())]
                    for m in _RUN_DEFINITION.finditer(text)]
        got = [[(t.start(), t.end()) for t in run] for run in runs(text, list(TOKEN.finditer(text)))]
        assert got == expected, text
        multi += len(got)
    assert multi > 1000  # the salads do hold runs


def test_offsets_are_in_the_original_text():
    text = "Intro line.\nI spoke with Jane Mason on the phone and with Dr Kate Frost."
    spans = find_names(text, base=100)
    assert [(s.value, s.entity_type, s.detector, s.score) for s in spans] == [
        ("Jane Mason", "PERSON", "names", 0.85), ("Dr Kate Frost", "PERSON", "names", 0.85)]
    for s in spans:
        assert text[s.start - 100:s.end - 100] == s.value


GATE = [
    ("I spoke with Jane Mason on the phone this morning.", False),
    ("The new opening hours apply from the first Monday of next month.", False),
    ("Invoices are payable within thirty days of the date shown.", False),
    ("Minutes of the previous meeting were approved without amendment.", False),
    ("The employee's National Insurance number is on the form.", False),
    # names the lists cannot vouch for still reach spaCy
    ("Our records show that Xanthippe Quarrendon joined the team.", True),
    ("Dear Benjamin,", True),  # a lone first name: spaCy judges it, with its context filter
    ("Please contact Eric Page about the invoice.", True),  # "Page" is deny-listed as a surname
    ("Acme Widgets reported faster delivery.", True),  # an uncommon opener
    ("Regards, Zorbatka Van den Bergh", True),  # names the finder declines still reach spaCy
    ("Dear Mrs Jan Mans,", True),
    # parts of dotted identifiers in a stack trace or a logger's name are no names
    ("\tat com.acme.api.CustomerController.get(CustomerController.java:41)", False),
    ("2024-03-01 01:28:05,271 info [worker-3] com.acme.sync.CrmSync - user_id=754460 took 1698 ms", False),
    ("Please ask Dr.Quarrendon about it.", True),  # glued to a title, still a name
    ("Please ask J.Quarrendon about it.", True),  # glued to an initial, still a name
]


@pytest.mark.parametrize("sentence, expected", GATE)
def test_gate(sentence, expected):
    assert needs_spacy(sentence, find_names(sentence)) is expected


def test_gate_ignores_words_inside_gazetteer_names_only():
    sentence = "Jane Quarrendon called."
    assert needs_spacy(sentence, [])  # "Quarrendon" alone is unexplained
    assert not needs_spacy(sentence, find_names(sentence))


def test_route_sends_only_unexplained_sentences_with_their_offsets():
    text = ("The new opening hours apply from Monday. I spoke with Jane Mason today.\n"
            "Our records show that Xanthippe Quarrendon joined. Jane Mason and Zorba Quillfeather met.")
    found, stretches = route(text)
    assert [s.value for s in found] == ["Jane Mason", "Jane Mason"]
    assert [run.strip() for _, run, _ in stretches] == [
        "Our records show that Xanthippe Quarrendon joined. Jane Mason and Zorba Quillfeather met."]
    offset, run, known = stretches[0]
    assert text[offset:offset + len(run)] == run
    assert [s.value for s in known] == ["Jane Mason"]  # for dropping spaCy's copy of the same name


def test_words_inside_spans_other_detectors_found_are_explained(detector):
    # an address line: its capitals are a street and towns, which the address recogniser claims
    text = "Write to Flat 3, 12 Kingsway Road, Holborn, London WC2B 6AA about Zorba Quillfeather."
    claimed = detector.analyze_text(text, hint="lines")
    assert [s.entity_type for s in claimed] == ["STREET_ADDRESS"]
    assert route(text)[1], "unclaimed, the address words send the sentence to spaCy"
    assert [run.strip() for _, run, _ in route(text, claimed)[1]] == [text]  # Zorba still needs spaCy
    without_name = text.replace(" about Zorba Quillfeather", "")
    assert route(without_name, detector.analyze_text(without_name, hint="lines"))[1] == []


def test_lists_are_shipped_and_not_empty():
    assert {"jane", "mary", "james"} <= FIRST_NAMES and {"smith", "mason", "hill"} <= SURNAMES


@pytest.fixture(scope="module")
def ner_stage():
    from detectors.config import resolve_model
    from detectors.ner import NerStage

    try:
        resolve_model()
    except RuntimeError:
        pytest.skip("no spaCy English pipeline installed")
    return NerStage()


def test_ner_stage_reports_each_name_once_at_its_offsets(ner_stage):
    text = ("I spoke with Jane Mason today.\n"
            "Our records show that Jane Mason and Xanthippe Quarrendon joined the team.")
    spans = ner_stage.analyze_batch([text])[0]
    assert all(text[s.start:s.end] == s.value for s in spans)
    assert [(s.start, s.detector) for s in spans if s.value == "Jane Mason"] == [
        (13, "names"), (text.index("Jane Mason", 20), "names")]
    ordered = sorted(spans, key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in zip(ordered, ordered[1:]))  # spaCy's copy was dropped


def test_names_spacy_reads_in_one_batch_land_in_their_own_texts(ner_stage):
    # two texts, each with a name only spaCy knows, read in one batch
    texts = ["Minutes of the meeting.\nThe contract was signed by Xanthippe Quarrendon yesterday.\n",
             "Invoice attached.\nPlease ask Perpetua Grimsdyke whether she approved the delivery.\n"]
    spans = ner_stage.analyze_batch(texts)
    found = [[(s.value, s.detector) for s in per_text if s.detector == "spacy"] for per_text in spans]
    assert found == [[("Xanthippe Quarrendon", "spacy")], [("Perpetua Grimsdyke", "spacy")]]
    assert all(texts[i][s.start:s.end] == s.value for i, per_text in enumerate(spans) for s in per_text)


def test_the_pipeline_runs_no_embedding_layer_nobody_listens_to(ner_stage):
    # The English pipelines' NER embeds tokens itself; their shared tok2vec feeds only the
    # excluded tagger and parser. Dropping it must leave spaCy's entities as they were.
    import spacy

    from detectors.ner import _EXCLUDE

    assert all(not hasattr(c, "listening_components") or c.listening_components
               for _, c in ner_stage.nlp.pipeline)
    assert "ner" in ner_stage.nlp.pipe_names
    as_shipped = spacy.load(ner_stage.model, exclude=_EXCLUDE)
    texts = ["Xanthippe Quarrendon met Perpetua Grimsdyke and Jane Mason at the Leeds office.",
             "Minutes: Dr Alaric Penhallow chaired; apologies from Ms Odile Featherstonehaugh.",
             "The invoice for Grendon Ltd was approved by Torvald Ekwueme on Monday."]
    ents = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in ner_stage.nlp.pipe(texts)]
    assert ents == [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in as_shipped.pipe(texts)]
    assert any(label == "PERSON" for doc_ents in ents for _, _, label in doc_ents)


def test_a_name_never_displaces_an_address_or_an_identifier():
    from detectors.engine import with_names
    from detectors.patterns import Span

    text = "Lynda Gray of 235 Williamson Ridge, North Julieside HG5 3DW\nDear Maureen Bresnehan, write to jane.mason@x.org"
    address = Span("STREET_ADDRESS", 14, text.index("\n") + 13, 0.75, "StreetAddressRecognizer", "")  # runs on
    email = Span("EMAIL_ADDRESS", text.index("jane"), len(text), 0.85, "EmailRecognizer", "")
    inside = Span("PERSON", 18, 34, 0.85, "spacy", "Williamson Ridge")  # a street named after a person
    overlapping = Span("PERSON", text.index("Maureen"), text.index("Maureen") + 17, 0.85, "names", "Maureen Bresnehan")
    in_email = Span("PERSON", text.index("jane"), text.index("jane") + 10, 0.85, "spacy", "jane.mason")
    alone = Span("PERSON", 0, 10, 0.85, "names", "Lynda Gray")
    kept = with_names([address, email], [alone, inside, overlapping, in_email])
    assert [(s.entity_type, s.start) for s in kept] == [
        ("PERSON", 0), ("STREET_ADDRESS", 14), ("PERSON", overlapping.start), ("EMAIL_ADDRESS", email.start)]


# The names: from outside the English-speaking lists, alone, with titles, months, particles.
PEOPLE = [
    ("her maiden name is Okafor, the form still has the old one", ["Okafor"]),
    ('"we need it by Friday", says Tsereteli.', ["Tsereteli"]),
    ("our 3 founders: Mkrtchyan, Vasquez and Lindahl", ["Mkrtchyan", "Vasquez", "Lindahl"]),
    ("between him and Mateusz's kid it was chaos lol", ["Mateusz"]),
    ("She named him Kaito, cute right", ["Kaito"]),
    ("hi, my name is Dan and I can't log in", ["Dan"]),
    ("Theresa May signed the letter.", ["Theresa May"]),
    ("We met April Jones at the depot.", ["April Jones"]),
    ("talked to Mr. May about the invoice", ["Mr. May"]),
    ("The lease was signed by Sander Van Loon and Mathilde De Boeck.", ["Sander Van Loon", "Mathilde De Boeck"]),
    ("Please ask María de la Cruz about the refund.", ["María de la Cruz"]),
    ("Copy to Zsófia Kovács and Łukasz Wiśniewski, please.", ["Zsófia Kovács", "Łukasz Wiśniewski"]),
    ("Thanks, Hélène Dupré", ["Hélène Dupré"]),
    ("I think Kovács handles payroll now", ["Kovács"]),
]
NOBODY = [
    "Die Rechnung ist noch offen, bitte prüfen Sie das Konto.",  # German nouns
    "Der Drucker im Büro funktioniert seit Montag nicht mehr.",
    "Merhaba, yarın toplantı var mı? Teşekkürler, iyi günler.",  # Turkish greetings
    "Lorem ipsum dolor sit amet. Quisque Vitae Lorem nec Erat Tincidunt, Magna Nulla Porta Mauris.",
    "HR Business Partner, Lowe, Rice and Hall",  # a firm named after its partners
    "This contract is made between Poole Group and the employee.",
    "see you in May, the office is closed in April",
    "we're moving the Valencia team to Teams in June",
]


@pytest.mark.parametrize("text, names", PEOPLE)
def test_names_from_any_country_alone_or_titled(ner_stage, text, names):
    assert [s.value for s in sorted(ner_stage.analyze_batch([text])[0], key=lambda s: s.start)] == names


@pytest.mark.parametrize("text", NOBODY)
def test_words_firms_and_filler_are_nobody(ner_stage, text):
    assert ner_stage.analyze_batch([text])[0] == []
