"""Recognisers declared in detectors/conf/*.yaml are loaded and follow their context rules."""

import pytest

from tests.detectors.conftest import found

CASES = [
    ("Passport number: 123456789", [("UK_PASSPORT", "123456789")]),
    ("passport AB1234567 expires 2031", [("UK_PASSPORT", "AB1234567")]),
    ("order 123456789 shipped", []),  # the shape alone is not enough
    ("passport 1234567890", []),  # ten digits
]


@pytest.mark.parametrize("text, expected", CASES)
def test_uk_passport(detector, text, expected):
    assert found(detector, text, {"UK_PASSPORT"}) == expected
