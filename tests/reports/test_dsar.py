"""DSAR lookups find exactly the planted locations of one person, and nothing else."""

import json
import os

from reports.dsar import lookup
from tests.reports.fixtures import JANE, JANE_LOCATIONS, KEY


def _places(found, scan_id):
    return {(r["uri"], r["entity_type"]) for r in found if r["scan_id"] == scan_id}


def test_planted_person_found_in_every_scan(estate):
    a, b, root = estate
    found = lookup(root, {"email": [JANE["email"]], "phone": [JANE["phone"]], "iban": [JANE["iban"]]}, KEY)
    for scan in (a, b):
        assert _places(found, os.path.basename(scan)) == JANE_LOCATIONS
    column = [r for r in found if r["source"] == "column sample"]
    assert {r["uri"] for r in column} == {"postgresql://db1/crm/public.customers"}


def test_query_is_normalised(estate):
    _, b, _ = estate
    # other spelling of the same e-mail and phone (national format, other spacing)
    found = lookup(b, {"email": ["  jane.doe@EXAMPLE.COM "], "phone": ["07700900123"]}, KEY)
    assert _places(found, os.path.basename(b)) == {p for p in JANE_LOCATIONS if p[1] != "IBAN_CODE"}


def test_unplanted_value_returns_nothing(estate):
    _, _, root = estate
    assert lookup(root, {"email": ["nobody@example.com"], "iban": ["GB33 BUKB 2020 1555 5555 55"],
                         "national_id": ["AB 12 34 56 D"]}, KEY) == []


def test_wrong_key_finds_nothing(estate):
    _, _, root = estate
    assert lookup(root, {"email": [JANE["email"]]}, b"another-estate-key-000000000000") == []


def test_national_id_tries_every_type(estate):
    a, _, _ = estate
    found = lookup(a, {"national_id": ["qq123456c"]}, KEY)
    assert {(r["uri"], r["entity_type"], r["container"]) for r in found} == {
        ("file:///srv/data/archive/2014.zip", "UK_NINO", "staff.csv")}


def test_results_hold_no_raw_value(estate):
    _, _, root = estate
    found = lookup(root, {"email": [JANE["email"]], "phone": [JANE["phone"]], "iban": [JANE["iban"]]}, KEY)
    text = json.dumps(found, default=str).lower()
    for raw in JANE.values():
        assert raw.lower() not in text
        assert raw.replace(" ", "").lower() not in text
