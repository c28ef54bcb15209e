"""Art. 9 / Art. 10 data: a term tied to a person in one sentence; generic mentions are not."""

import pytest

from tests.detectors.conftest import found

SPECIAL = {"SPECIAL_CATEGORY_HEALTH", "SPECIAL_CATEGORY_RELIGION", "SPECIAL_CATEGORY_TRADE_UNION",
           "SPECIAL_CATEGORY_SEXUAL_ORIENTATION", "SPECIAL_CATEGORY_ETHNICITY", "SPECIAL_CATEGORY_POLITICAL",
           "SPECIAL_CATEGORY_BIOMETRIC", "SPECIAL_CATEGORY_GENETIC", "CRIMINAL_OFFENCE"}

CASES = [
    ("He told HR he is a member of the GMB trade union.", ["SPECIAL_CATEGORY_TRADE_UNION"]),
    ("The patient was diagnosed with type 2 diabetes in 2019.", ["SPECIAL_CATEGORY_HEALTH"]),
    ("She is a practising Muslim and asked for prayer breaks.", ["SPECIAL_CATEGORY_RELIGION"]),
    ("He came out as gay to his manager last year.", ["SPECIAL_CATEGORY_SEXUAL_ORIENTATION"]),
    ("The employee is of Pakistani heritage.", ["SPECIAL_CATEGORY_ETHNICITY"]),
    ("My neighbour says he voted for the Green Party and is a member of the Labour Party.",
     ["SPECIAL_CATEGORY_POLITICAL"]),
    ("We enrolled his fingerprint for the door system.", ["SPECIAL_CATEGORY_BIOMETRIC"]),
    ("Her genetic test showed a BRCA1 mutation.", ["SPECIAL_CATEGORY_GENETIC"]),
    ("The applicant was convicted of fraud in 2015.", ["CRIMINAL_OFFENCE"]),
    ("Join GMB today: the trade union for everyone in the workplace.", []),
    ("Diabetes is a common condition worldwide.", []),
    ("The court hears fraud cases every week.", []),
    ("The Labour Party published its manifesto.", []),
    ("Fingerprint sensors are cheaper this year.", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_special(detector, text, expected):
    assert [e for e, _ in found(detector, text, SPECIAL)] == expected


def test_one_finding_per_passage(detector):
    text = "She was diagnosed with depression and anxiety and takes antidepressants."
    assert len(found(detector, text, SPECIAL)) == 1
