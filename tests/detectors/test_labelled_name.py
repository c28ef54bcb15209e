"""Names under a label in forms, configs and key/value lines (no NER involved)."""

import pytest

from tests.detectors.conftest import found

CASES = [
    ("Employee: Quentin Canarywood", ["Quentin Canarywood"]),
    ("firstName: Jan\nlastName: Jansen", ["Jan", "Jansen"]),
    ('"owner": "Ann Lee",', ["Ann Lee"]),
    ("display_name = Marie-Claire Dubois", ["Marie-Claire Dubois"]),
    ("Achternaam: van der Berg", []),  # the value must start with a capital
    ("Achternaam: Van der Berg", ["Van der Berg"]),
    ("Name: Invoice", []),
    ("Name: ACME Corp", []),
    ("hostname: LT-100", []),
    ("filename: Report.pdf", []),
    ("username: jdoe42", []),
]


@pytest.mark.parametrize("text, names", CASES)
def test_labelled_name(detector, text, names):
    assert [v for _, v in found(detector, text, {"PERSON"})] == names
