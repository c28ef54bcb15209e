"""Column classification: header + sampled values decide one entity type per column."""

import pytest

from detectors.columns import classify

CASES = [
    ("email", ["a.b@example.org", "c.d@example.com", "x"], "EMAIL_ADDRESS"),
    ("Surname", ["Smith", "Jones", "Brown"], "PERSON"),
    ("order_no", ["1234567890", "2234567891", "3234567892"], None),
    ("nir", ["2 85 05 85 429 270 71", "2 00 01 40 311 592 69"], "FR_NIR"),  # not also PHONE_NUMBER
    ("Device", ["356938035643809", "490154203237518"], "DEVICE_ID"),
    ("BSN", ["264357000", "608361173"], "NL_BSN"),  # the header is the context a bare BSN needs
    ("product_name", ["Widget model 3", "Gadget 7"], None),
]


@pytest.mark.parametrize("header, values, expected", CASES)
def test_column_classification(detector, header, values, expected):
    found = [r.entity_type for r in classify(header, values, detector.patterns)]
    assert found == ([expected] if expected else [])
