"""IBAN (mod 97, all countries, spaced or not), payment cards (issuer + Luhn), UK bank accounts."""

import pytest
from stdnum import iban
from stdnum.exceptions import ValidationError

from detectors.validators import iban_ok
from tests.detectors import generators as g
from tests.detectors.conftest import found

GB = g.iban("GB", "NWBK60161331926819")
DE = g.iban("DE", "370400440532013000")
FR = g.iban("FR", "20041010050500013M02606")
NL = g.iban("NL", "ABNA0417164300")
VISA = g.card("4", 16)
MC = g.card("54", 16)
AMEX = g.card("37", 15)
UATP = g.card("1", 15)


def spaced(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


CASES = [
    (f"IBAN: {GB}", [("IBAN_CODE", GB)]),
    (f"pay to {spaced(DE)} please", [("IBAN_CODE", spaced(DE))]),
    (f"{spaced(FR)}", [("IBAN_CODE", spaced(FR))]),
    (f"Rekening {NL}.", [("IBAN_CODE", NL)]),
    (f"IBAN {g.corrupt(GB)}", []),
    ("GB82WEST1234569876543", []),  # wrong length for GB
    (f"IBAN {'-'.join(spaced(GB).split())}", [("IBAN_CODE", "-".join(spaced(GB).split()))]),  # dashed groups
    (f"IBAN {spaced(GB)[:10]}-{spaced(GB)[10:]}", []),  # mixed separators are no IBAN layout
    (f"card {VISA}", [("CREDIT_CARD", VISA)]),
    (f"{MC[:4]} {MC[4:8]} {MC[8:12]} {MC[12:]}", [("CREDIT_CARD", f"{MC[:4]} {MC[4:8]} {MC[8:12]} {MC[12:]}")]),
    (f"amex {AMEX[:4]}-{AMEX[4:10]}-{AMEX[10:]}", [("CREDIT_CARD", f"{AMEX[:4]}-{AMEX[4:10]}-{AMEX[10:]}")]),
    (f"card {g.corrupt(VISA)}", []),
    (f"UATP card {UATP}", [("CREDIT_CARD", UATP)]),  # UATP: fifteen digits from 1, after a card word
    (f"card no. {UATP[:4]} {UATP[4:9]} {UATP[9:]}", [("CREDIT_CARD", f"{UATP[:4]} {UATP[4:9]} {UATP[9:]}")]),
    (f"timestamp {UATP}", []),
    (f"card {g.corrupt(UATP)}", []),
    (f"ref {g.luhn_complete('990012345678901')}", []),  # Luhn-valid but no issuer prefix
    ("Sort code 20-00-00 account 12345678", [("UK_BANK_ACCOUNT", "20-00-00 account 12345678")]),
    ("20-45-77, 41234567", [("UK_BANK_ACCOUNT", "20-45-77, 41234567")]),
    ("Account number: 41234567", [("UK_BANK_ACCOUNT", "41234567")]),
    ("build 20240101 finished", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_financial(detector, text, expected):
    assert found(detector, text, {"IBAN_CODE", "CREDIT_CARD", "UK_BANK_ACCOUNT"}) == expected


@pytest.mark.parametrize("country,bban", [("BE", "539007547034"), ("IE", "AIBK93115212345678"),
                                          ("ES", "21000418450200051332"), ("IT", "X0542811101000000123456"),
                                          ("CH", "00762011623852957"), ("NO", "86011117947")])
def test_iban_countries(detector, country, bban):
    value = g.iban(country, bban)
    assert found(detector, f"IBAN {spaced(value)}", {"IBAN_CODE"}) == [("IBAN_CODE", spaced(value))]


@pytest.mark.parametrize("country,bban", [
    ("GB", "NWBK60161331926819"), ("GB", "NWBK60161331926820"), ("GB", "NWBK6016133192681X"),
    ("GB", "1WBK60161331926819"), ("DE", "370400440532013000"), ("DE", "37040044053201300A"),
    ("FR", "20041010050500013M02606"), ("FR", "20041010050500013M0260A"), ("NL", "ABNA0417164300"),
    ("NL", "ABN10417164300"), ("XX", "ABNA0417164300"),
])
def test_iban_registry_verdicts_kept_per_shape_agree_with_python_stdnum(country, bban):
    # Check digits made right for every value: only the registry (country, BBAN format) decides;
    # its verdict is kept per country and shape, and must stay python-stdnum's for each value.
    value = g.iban(country, bban)
    try:
        iban.validate(value, check_country=False)
        expected = True
    except ValidationError:
        expected = False
    assert iban_ok(value) is expected
    assert iban_ok(value[:4] + " " + value[4:]) is expected
