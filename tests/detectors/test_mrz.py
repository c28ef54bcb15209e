"""Machine-readable zones: valid zones give PASSPORT / ID_CARD, the name and the date of birth;
a zone with a wrong check digit, or capitals that only look like one, give nothing."""

import pytest

from detectors.recognizers.mrz import check_digit, find_zones
from tests.detectors.conftest import found

# ICAO Doc 9303 specimens (parts 4, 5 and 6): Anna Maria Eriksson of Utopia
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
# a 12-character number: it continues in the optional data, its check digit at the end
TD1_LONG = "I<UTOD23145890<AB11<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<8\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
ENTITIES = ("PASSPORT", "ID_CARD", "PERSON", "DATE_OF_BIRTH")


def _corrupt(zone: str, index: int) -> str:
    """The zone with the character at ``index`` changed (a digit stays a digit)."""
    c = zone[index]
    return zone[:index] + (str((int(c) + 1) % 10) if c.isdigit() else "X" if c != "X" else "Y") + zone[index + 1:]


CASES = [
    (f"Scan of passport:\n{TD3}\n", [("PASSPORT", "L898902C3"), ("PERSON", "ERIKSSON<<ANNA<MARIA"),
                                     ("DATE_OF_BIRTH", "740812")]),
    (TD2, [("ID_CARD", "D23145890"), ("PERSON", "ERIKSSON<<ANNA<MARIA"), ("DATE_OF_BIRTH", "740812")]),
    (TD1 + "\n", [("ID_CARD", "D23145890"), ("PERSON", "ERIKSSON<<ANNA<MARIA"), ("DATE_OF_BIRTH", "740812")]),
    (TD1_LONG, [("ID_CARD", "D23145890<AB1"), ("PERSON", "ERIKSSON<<ANNA<MARIA"), ("DATE_OF_BIRTH", "740812")]),
    # as OCR reads it: "<" as "«", a space inside a line, Windows line ends
    (TD3.replace("<<<<<<<<<<<<<<<<<<<", "«<<<<<<<<<<<<<<<<<<", 1).replace("UTO74", "UTO 74").replace("\n", "\r\n"),
     [("PASSPORT", "L898902C3"), ("PERSON", "ERIKSSON<<ANNA<MARIA"), ("DATE_OF_BIRTH", "740812")]),
    # broken check digits: document number, date of birth, expiry, personal number, composite
    (_corrupt(TD3, 45 + 9), []),
    (_corrupt(TD3, 45 + 19), []),
    (_corrupt(TD3, 45 + 27), []),
    (_corrupt(TD3, 45 + 42), []),
    (_corrupt(TD3, 45 + 43), []),
    (_corrupt(TD1, 14), []),
    (_corrupt(TD1, 31 + 29), []),
    (_corrupt(TD2, 37 + 35), []),
    # a changed document number with its old check digit
    (TD3.replace("L898902C3", "L898902C4"), []),
    # the lines of a zone must be consecutive and of one length
    (TD3.replace("\n", "\n\n"), []),
    (TD3[:44] + "\n" + TD3[45:-1], []),
    # visas are not identity documents here; capitals and fillers that are no zone
    (TD3.replace("P<UTO", "V<UTO", 1), []),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZ<<0123456789ABCDEFGH\nABCDEFGHIJKLMNOPQRSTUVWXYZ<<0123456789ABCDEFGH", []),
    ("std::cout << \"value\" << std::endl; // <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_zones(detector, text, expected):
    assert sorted(found(detector, text, ENTITIES)) == sorted(expected)


def test_check_digit_weights_7_3_1():
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("<<<<<") == "0"


def test_spans_point_into_the_original_text():
    text = "x\n" + TD3.replace("UTO74", "UTO 74")
    zone = next(find_zones(text))
    assert text[slice(*zone.birth)] == "740812"
    assert text[slice(*zone.number)] == "L898902C3"
