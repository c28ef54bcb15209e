"""Structured data end to end: split bank details, postcodes and notes columns in a CSV export."""

from __future__ import annotations

import pytest

from tests.scanner.helpers import scan

NOTES = ["ok", "", "called back", "n/a", "Daughter Ingrid Solberg also registered", "paid", "",
         "pls call back on 0161 496 0000", "ok", "moved"]


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    from detectors.config import resolve_model

    try:
        resolve_model()
    except RuntimeError:
        pytest.skip("no spaCy English pipeline installed")
    root = tmp_path_factory.mktemp("tree")
    rows = ["customer_id,sort_code,account_number,postcode,notes"]
    sort_codes = ["20-00-00", "40-12-76", "30-96-26", "60-16-13", "20-45-77"]
    postcodes = ["SW1A 1AA", "M1 1AE", "LS6 2AB", "EH1 1YZ", "CF10 1EP"]
    for i, note in enumerate(NOTES):
        rows.append(f"{1000 + i},{sort_codes[i % 5]},{41234560 + i},{postcodes[i % 5]},{note}")
    (root / "crm.csv").write_text("\n".join(rows) + "\n")
    _, result = scan(root, tmp_path_factory.mktemp("out"), ner=True)
    return result.findings


def by_column(findings):
    return {(f["container"].rsplit("#", 1)[-1], f["entity_type"]): f for f in findings}


def test_split_bank_details_are_a_bank_account_in_both_columns(findings):
    found = by_column(findings)
    for column in ("sort_code", "account_number"):
        assert found[(column, "UK_BANK_ACCOUNT")]["category"] == "financial"
        assert found[(column, "UK_BANK_ACCOUNT")]["count"] == len(NOTES)


def test_postcodes_are_postal_codes_of_low_sensitivity(findings):
    found = by_column(findings)
    assert found[("postcode", "POSTAL_CODE")]["category"] == "contact"
    assert found[("postcode", "POSTAL_CODE")]["count"] == len(NOTES)


def test_a_notes_column_reports_what_its_few_rows_mention(findings):
    found = {entity: f for (column, entity), f in by_column(findings).items() if column == "notes"}
    assert set(found) == {"PERSON", "PHONE_NUMBER"}
    assert found["PERSON"]["count"] == 1 and found["PHONE_NUMBER"]["count"] == 1
    assert "Solberg" not in found["PERSON"]["preview"]  # masked


def test_an_id_column_stays_unreported(findings):
    assert not [f for f in findings if f["container"].endswith("#customer_id")]
