"""Masked previews never show the value: a table of values for every kind of entity."""

from __future__ import annotations

import re

import pytest

from detectors.masking import mask

# entity, raw value, most letters/digits of the value the preview may show
CASES = [
    ("EMAIL_ADDRESS", "jane.doe@example.com", 5),  # j, e, com
    ("EMAIL_ADDRESS", "x.y.z@mail.corp.example.co.uk", 7),
    ("PHONE_NUMBER", "+44 7700 900123", 2),
    ("PHONE_NUMBER", "07700900123", 2),
    ("CREDIT_CARD", "4242 4242 4242 4242", 4),
    ("CREDIT_CARD", "4000056655665556", 4),
    ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", 4),
    ("IBAN_CODE", "DE89370400440532013000", 4),
    ("UK_BANK_ACCOUNT", "20-00-00 12345678", 4),
    ("US_BANK_NUMBER", "123456789012", 4),
    ("PASSWORD", "Hunter2Secret!", 0),
    ("PASSWORD", "p", 0),
    ("UK_NINO", "AB 12 34 56 C", 0),
    ("UK_NHS", "943 476 5919", 0),
    ("US_SSN", "123-45-6789", 0),
    ("CA_SIN", "046 454 286", 0),
    ("FR_NIR", "2 84 05 69 123 456 78", 0),
    ("NL_BSN", "111222333", 0),
    ("BE_NATIONAL_NUMBER", "85.07.30-033.28", 0),
    ("DATE_OF_BIRTH", "12/03/1980", 0),
    ("IP_ADDRESS", "192.168.10.20", 0),
    ("IP_ADDRESS", "2001:db8::ff00:42:8329", 0),
    ("MAC_ADDRESS", "00:1A:2B:3C:4D:5E", 0),
    ("DEVICE_ID", "356938035643809", 0),
    ("PERSON", "Jane Doe", 2),
    ("PERSON", "Margaret Anne Thompson-Okafor", 3),
    ("STREET_ADDRESS", "10 Downing Street, London SW1A 2AA", 6),
    ("LOCATION", "Bristol", 1),
    ("SPECIAL_CATEGORY_HEALTH", "diagnosed with type 2 diabetes", 5),
    ("SPECIAL_CATEGORY_RELIGION", "practising Muslim", 2),
]


@pytest.mark.parametrize("entity, value, shown", CASES)
def test_preview_never_contains_the_value(entity, value, shown):
    preview = mask(entity, value)
    assert preview and value not in preview
    revealed = [c for c in preview if c.isalnum()]
    assert len(revealed) <= shown, (preview, revealed)
    # no word of the value survives whole (a top-level domain such as "com" identifies nobody)
    words = [w for w in re.split(r"[^0-9A-Za-z]+", value) if len(w) >= 3]
    for word in words[:-1] if entity == "EMAIL_ADDRESS" else words:
        assert word not in preview or shown == 4 and value.endswith(word[-4:]) and word == words[-1][-4:], \
            (preview, word)


@pytest.mark.parametrize("entity, value", [(e, v) for e, v, shown in CASES if shown == 4])
def test_cards_and_accounts_keep_the_last_four(entity, value):
    preview = mask(entity, value)
    last4 = "".join(c for c in value if c.isalnum())[-4:]
    assert "".join(c for c in preview if c.isalnum()) == last4
    assert len(preview) == len(value)  # the shape (grouping) is kept


def test_short_account_numbers_show_nothing():
    assert mask("CREDIT_CARD", "4242 4242") == "**** ****"


def test_passwords_fully_masked_whatever_their_length():
    previews = {mask("PASSWORD", v) for v in ("a", "Hunter2", "correct horse battery staple" * 3)}
    assert previews == {"********"}


def test_email_preview_shape():
    assert mask("EMAIL_ADDRESS", "jane.doe@example.com") == "j***@e***.com"


def test_long_values_are_cut_before_masking():
    value = "word " * 60
    assert len(mask("SPECIAL_CATEGORY_HEALTH", value)) < 40
    assert len(mask("DEVICE_ID", "A" * 500)) == 80


@pytest.mark.parametrize("value", ["192.168.10.20", "2001:db8::ff00:42:8329", "00:1A:2B:3C:4D:5E", "AB 12 34 56 C",
                                   "id_ab-9#x", "Straße #5", "٣٤٥-12"])
def test_shape_only_previews_star_every_letter_and_digit(value):
    # ASCII values take a translation table, others a regex: both star exactly the
    # characters str.isalnum() calls letters or digits, and keep everything else in place
    preview = mask("DEVICE_ID", value)
    assert len(preview) == len(value)
    assert all((p == "*") if v.isalnum() else (p == v) for v, p in zip(value, preview)), preview
