"""Column classification: header + sampled values decide one entity type per column."""

import pytest

from detectors.columns import classify, is_free_text

CASES = [
    ("email", ["a.b@example.org", "c.d@example.com", "x"], "EMAIL_ADDRESS"),
    ("Surname", ["Smith", "Jones", "Brown"], "PERSON"),
    ("order_no", ["1234567890", "2234567891", "3234567892"], None),
    ("nir", ["2 85 05 85 429 270 71", "2 00 01 40 311 592 69"], "FR_NIR"),  # not also PHONE_NUMBER
    ("Device", ["356938035643809", "490154203237518"], "DEVICE_ID"),
    ("BSN", ["264357000", "608361173"], "NL_BSN"),  # the header is the context a bare BSN needs
    ("product_name", ["Widget model 3", "Gadget 7"], None),
    # headers in French, Dutch, German, Spanish and Italian say what the English ones say
    ("prénom", ["Hélène", "Jean-Luc", "Zoé"], "PERSON"),
    ("achternaam", ["de Vries", "van den Berg", "Jansen"], "PERSON"),
    ("Nachname", ["Müller", "Schröder", "Weiß"], "PERSON"),
    ("apellidos", ["García López", "de la Cruz", "Martínez"], "PERSON"),
    ("cognome", ["Rossi", "Esposito", "Bianchi"], "PERSON"),
    ("Geburtsdatum", ["01.02.1980", "12.12.1975", "30.06.1990"], "DATE_OF_BIRTH"),
    ("geboortedatum", ["01-02-1980", "12-12-1975"], "DATE_OF_BIRTH"),
    ("fecha_de_nacimiento", ["1980-02-01", "1975-12-12"], "DATE_OF_BIRTH"),
    ("codice fiscale", ["RCCMNL83S18D969H", "RSSMRA85T10A562S"], "IT_FISCAL_CODE"),
    ("Telefon", ["030 12345678", "+49 30 901820"], "PHONE_NUMBER"),
    # split bank details: each column is the bank account
    ("sort_code", ["20-00-00", "40-12-76", "30-96-26"], "UK_BANK_ACCOUNT"),
    ("sortcode", ["200000", "401276"], "UK_BANK_ACCOUNT"),
    ("account_number", ["41234567", "12345678", "87654321"], "UK_BANK_ACCOUNT"),
    ("acct_no", ["41234567", "12345678"], "UK_BANK_ACCOUNT"),
    ("Kontonummer", ["41234567", "1234567"], "UK_BANK_ACCOUNT"),
    ("account_number", ["ACC-1", "ACC-2"], None),  # a customer account id is no bank account
    # postcodes of several countries
    ("postcode", ["SW1A 1AA", "M1 1AE", "LS6 2AB"], "POSTAL_CODE"),
    ("zip", ["90210", "10001-1234", "60601"], "POSTAL_CODE"),
    ("PLZ", ["10115", "80331", "50968"], "POSTAL_CODE"),
    ("postcode", ["1017 GB", "3511 AB"], "POSTAL_CODE"),
    ("code_postal", ["75002", "69001"], "POSTAL_CODE"),
    ("zip", ["archive.zip", "backup.zip"], None),
]


@pytest.mark.parametrize("header, values, expected", CASES)
def test_column_classification(detector, header, values, expected):
    found = [r.entity_type for r in classify(header, values, detector.patterns)]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("header, values, free", [
    ("notes", ["ok", "", "Daughter Ingrid Solberg also registered", "n/a", "called back"], True),  # few rows mention anyone
    ("Bemerkungen", ["ok", "Rückruf an Frau Schmidt"], True),
    ("comment", ["ok", "fine"], False),  # nothing written with a space: no notes
    ("status", ["open", "closed", "open"], False),
    ("summary", ["printer on floor 2 is jammed again", "laptop screen broken since Monday"], True),  # sentences
    ("body", ["x" * 30 + " " + "y" * 30] * 3, True),  # long values with spaces
])
def test_free_text_columns(header, values, free):
    assert is_free_text(values, header) is free


ADDRESSES = ["Studio 73, Glenn Canyon, West Damienville, CV88 1WZ", "Flat 2, 14 Mill Lane, Leeds LS1 4AB",
             "221B Baker Street, London NW1 6XE", "9 Kingsway Road, Holborn, London WC2B 6AA"]


def test_long_values_under_a_typed_header_are_that_column_when_they_bear_it_out(detector):
    assert is_free_text(ADDRESSES, "address")  # long values with spaces...
    results = detector.classify_column("address", ADDRESSES)  # ...yet the column of its header
    assert [(r.entity_type, r.matches, r.detector) for r in results] == [
        ("STREET_ADDRESS", 4, "column:header+values")]
    notes = ["called about the broken boiler, will ring back on Monday morning",
             "customer happy with the repair of the boiler and the radiators"]
    assert detector.classify_column("address_notes", notes) is None  # not addresses: read in full
    assert detector.classify_column("remarks", ADDRESSES) is None  # no typed header: read in full
