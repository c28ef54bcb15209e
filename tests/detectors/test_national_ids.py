"""National identifiers: checksums, prefixes, layouts, and context where the number alone is ambiguous."""

import pytest

from tests.detectors import generators as g
from tests.detectors.conftest import found

NHS = g.nhs()
BSN = g.bsn()
BE = g.be_national_number()
NIR = g.fr_nir()
RRN = g.kr_rrn()
FRN = g.kr_foreigner()
SIN = g.sin()

CASES = [
    # a sentence's full stop ends the number; a decimal point does not
    ("You also asked for my BSN, which is 482838723.", [("NL_BSN", "482838723")]),
    ("my Rijksregisternummer, which is 79.02.18-852.87.", [("BE_NATIONAL_NUMBER", "79.02.18-852.87")]),
    ("BSN 482838723.5 units", []),
    # UK_NINO
    ("NI number: AB 12 34 56 C", [("UK_NINO", "AB 12 34 56 C")]),
    ("nino=JG103759A", [("UK_NINO", "JG103759A")]),
    ("Ref GB123456A", []),  # never-issued prefix
    ("DQ123456C", []),  # D is not a valid first letter
    ("hash ab123456c", []),  # lower case
    ("ni number: ab 12 34 56 c", [("UK_NINO", "ab 12 34 56 c")]),  # lower case after an NI label
    ("National Insurance no jg103759a", [("UK_NINO", "jg103759a")]),
    ("ni number: gb 12 34 56 c", []),  # never-issued prefix in any case
    # UK_NHS: mod 11 + context
    (f"NHS number {NHS[:3]} {NHS[3:6]} {NHS[6:]}", [("UK_NHS", f"{NHS[:3]} {NHS[3:6]} {NHS[6:]}")]),
    (f"Patient NHS no: {NHS}", [("UK_NHS", NHS)]),
    (f"NHS number {g.corrupt(NHS)}", []),
    (f"row {NHS} total", []),  # valid checksum but no context
    # NL_BSN: 11-test + context
    (f"BSN: {BSN}", [("NL_BSN", BSN)]),
    (f"burgerservicenummer {BSN[:4]}.{BSN[4:6]}.{BSN[6:]}", [("NL_BSN", f"{BSN[:4]}.{BSN[4:6]}.{BSN[6:]}")]),
    (f"BSN: {g.corrupt(BSN)}", []),
    # BE_NATIONAL_NUMBER: mod 97
    (f"Rijksregisternummer: {BE}", [("BE_NATIONAL_NUMBER", BE)]),
    (f"NN {BE[:2]}.{BE[2:4]}.{BE[4:6]}-{BE[6:9]}.{BE[9:]}", [("BE_NATIONAL_NUMBER", f"{BE[:2]}.{BE[2:4]}.{BE[4:6]}-{BE[6:9]}.{BE[9:]}")]),
    (f"rijksregisternummer {g.corrupt(BE)}", []),
    # FR_NIR: key mod 97
    (f"N° de sécurité sociale : {NIR}", [("FR_NIR", NIR)]),
    (f"NIR {NIR[0]} {NIR[1:3]} {NIR[3:5]} {NIR[5:7]} {NIR[7:10]} {NIR[10:13]} {NIR[13:]}",
     [("FR_NIR", f"{NIR[0]} {NIR[1:3]} {NIR[3:5]} {NIR[5:7]} {NIR[7:10]} {NIR[10:13]} {NIR[13:]}")]),
    (f"NIR {g.corrupt(NIR)}", []),
    # where a NIR may start: the text's start, a line's, after punctuation; never inside a run
    (f"{NIR} sécurité sociale", [("FR_NIR", NIR)]),
    (f"assuré\n{NIR}", [("FR_NIR", NIR)]),
    (f"(NIR:{NIR})", [("FR_NIR", NIR)]),
    (f"x{NIR}", []),
    (f"9{NIR}", []),
    # KR_RRN
    (f"주민등록번호 {RRN[:6]}-{RRN[6:]}", [("KR_RRN", f"{RRN[:6]}-{RRN[6:]}")]),
    (f"RRN {RRN[:6]}-{g.corrupt(RRN)[6:]}", [("KR_RRN", f"{RRN[:6]}-{g.corrupt(RRN)[6:]}")]),  # issued since 2020
    (f"{RRN[:6]}-{g.corrupt(RRN)[6:]}", []),  # no check digit and no context
    ("RRN 961332-1234567", []),  # no 32nd day of a 13th month
    (f"외국인등록번호 {FRN[:6]}-{FRN[6:]}", [("KR_RRN", f"{FRN[:6]}-{FRN[6:]}")]),  # a foreigner's number
    (f"{FRN[:6]}-{FRN[6:]}", [("KR_RRN", f"{FRN[:6]}-{FRN[6:]}")]),  # its own check digit stands alone
    # CA_SIN: Luhn + context
    (f"SIN: {SIN[:3]} {SIN[3:6]} {SIN[6:]}", [("CA_SIN", f"{SIN[:3]} {SIN[3:6]} {SIN[6:]}")]),
    (f"Social insurance number {g.corrupt(SIN)}", []),
    (f"qty {SIN}", []),
    # US_SSN
    ("SSN 536-22-1234", [("US_SSN", "536-22-1234")]),
    ("social security number: 536221234", [("US_SSN", "536221234")]),
    ("id 536221234 count", []),  # bare nine digits without context
    ("SSN 666-22-1234", []),  # never-issued area
    ("SSN 912-22-1234", []),
    ("SSN 078.05.1123", [("US_SSN", "078.05.1123")]),  # dotted, after the label
    ("v078.05.1123", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_national_ids(detector, text, expected):
    entities = {"UK_NINO", "UK_NHS", "NL_BSN", "BE_NATIONAL_NUMBER", "FR_NIR", "KR_RRN", "CA_SIN", "US_SSN"}
    assert found(detector, text, entities) == expected


def test_generated_identifiers_all_found(detector):
    """Many generated valid numbers with context: recall of the checksum paths."""
    for _ in range(50):
        nhs, bsn, nir = g.nhs(), g.bsn(), g.fr_nir()
        assert found(detector, f"NHS number: {nhs}", {"UK_NHS"}) == [("UK_NHS", nhs)]
        assert found(detector, f"BSN {bsn}", {"NL_BSN"}) == [("NL_BSN", bsn)]
        assert found(detector, f"NIR: {nir}", {"FR_NIR"}) == [("FR_NIR", nir)]
