"""Batched column classification: one analysis of the joined sample, spans kept with their own value."""

from presidio_analyzer import Pattern, PatternRecognizer

from detectors.columns import classify, sample_entities, value_entities
from detectors.patterns import PatternStage

LONG = "please write to jane.doe@example.com about the invoice and the late delivery of the parcel"
TABLE = {
    "contact": ["jane.doe@example.com", LONG, "x", "bob@example.org", "n/a", LONG, "carol@example.net"],
    "phone": ["020 7946 0958", "+44 20 7946 0959", "ext 12", "0161 496 0413", "unknown"],
    "Surname": ["Smith", "Jones", "O'Brien", "12345", "Brown"],
    "ni_number": ["CX 22 55 23 A", "AB123456C", "none"],
    "iban": ["GB29 NWBK 6016 1331 9268 19", "GB82 WEST 1234 5698 7654 32", "-"],
    "address": ["10 Downing Street", "London SW1A 2AA", "Flat 2", "221B Baker Street"],
    "dob": ["1984-03-02", "02/03/1984", "tomorrow"],
    "": ["10 Downing Street", "London SW1A 2AA", "Flat 2", "221B Baker Street", "jane@example.com"],
}


def test_spans_stay_with_their_value(detector):
    # the e-mail inside a long value covers too little of it; its neighbours are e-mails on their own
    found = sample_entities(TABLE["contact"], detector.patterns, "contact")
    assert found == [{"EMAIL_ADDRESS"}, set(), set(), {"EMAIL_ADDRESS"}, set(), set(), {"EMAIL_ADDRESS"}]


def test_batched_equals_value_by_value(detector):
    for header, values in TABLE.items():
        alone = [value_entities(v, detector.patterns, header) for v in values]
        assert sample_entities(values, detector.patterns, header) == alone, header


def test_classification_of_a_small_table(detector):
    # the results value-by-value classification gives for this table ("O'Brien" is a name too)
    found = {h: [(r.entity_type, r.matches) for r in classify(h, v, detector.patterns)] for h, v in TABLE.items()}
    assert found == {
        "contact": [], "phone": [("PHONE_NUMBER", 3)], "Surname": [("PERSON", 4)], "ni_number": [("UK_NINO", 2)],
        "iban": [("IBAN_CODE", 2)], "address": [("STREET_ADDRESS", 3)], "dob": [("DATE_OF_BIRTH", 2)], "": [],
    }


def test_a_span_across_the_line_break_sends_its_values_back_alone():
    # a real stage with one recogniser whose match may run on into the next line:
    # joined, "12" and the next line's "n:" read as one match that belongs to no value
    stage = PatternStage([PatternRecognizer("TEST_NUMBER", patterns=[Pattern("n", r"\d+(?:\s+\S+)?", 0.9)])])
    values = ["12", "34"]
    assert [s.value for s in stage.analyze("n: 12\nn: 34\n")] == ["12\nn:", "34"]
    assert sample_entities(values, stage, "n") == [{"TEST_NUMBER"}, {"TEST_NUMBER"}]
    assert sample_entities(values, stage, "n") == [value_entities(v, stage, "n") for v in values]
