"""Phone numbers (8 countries), street addresses (UK, US, FR, BE, NL, DE), dates of birth, e-mail."""

import pytest

from tests.detectors.conftest import found

PHONES = [
    ("Call +44 20 7946 0958 today", "+44 20 7946 0958"),
    ("tel: 020 7946 0958", "020 7946 0958"),
    ("mobile 07700 900123", "07700 900123"),
    ("(0161) 4960066", "(0161) 4960066"),
    ("+353 1 234 5678", "+353 1 234 5678"),
    ("phone (555) 234-5678", "(555) 234-5678"),
    ("212.555.0143x12", "212.555.0143x12"),
    ("+1-416-555-0199", "+1-416-555-0199"),
    ("Tél : 01 23 45 67 89", "01 23 45 67 89"),
    ("+33 (0)1 41 63 60 83", "+33 (0)1 41 63 60 83"),
    ("bel 02 555 12 12", "02 555 12 12"),
    ("+32 470 12 34 56", "+32 470 12 34 56"),
    ("telefoon 020-1234567", "020-1234567"),
    ("+31 6 12345678", "+31 6 12345678"),
    ("Telefon 030 12345678", "030 12345678"),
    ("+49 (0) 9141 777631", "+49 (0) 9141 777631"),
    ("Phone: 3306824628", "3306824628"),  # bare ten digits only under a phone label
    ("1-787-574-9118", "1-787-574-9118"),
    # a number word after a phone word labels a phone number ("no" alone labels an order number)
    ("Tel No: 0161 496 0000", "0161 496 0000"),
    ("Phone no. 020 7946 0958", "020 7946 0958"),
    ("Mobile no.: +44 7700 900123", "+44 7700 900123"),
    ("Telephone # (555) 234-5678", "(555) 234-5678"),
]


@pytest.mark.parametrize("text,value", PHONES)
def test_phone(detector, text, value):
    assert found(detector, text, {"PHONE_NUMBER"}) == [("PHONE_NUMBER", value)]


@pytest.mark.parametrize("text", [
    "Order number 0201234567 shipped",
    "invoice #0123456789",
    "released 2023-10-12 14:22:01",
    "date 01/02/2023 1234",
    "version 4.12.3.1024",
    "build 10.0.19045.3570",
    "population 12 345 678",
    "total 3306824628 units",
    "Order no. 0161 496 0000",
    "Invoice nr 020 7946 0958",
])
def test_phone_negatives(detector, text):
    assert found(detector, text, {"PHONE_NUMBER"}) == []


ADDRESSES = [
    "10 Downing Street, London SW1A 2AA",
    "Flat 3\n27 Acacia Avenue\nLeeds\nLS6 2AB",
    "221B Baker Street\nLondon\nNW1 6XE",
    "1600 Pennsylvania Ave NW, Washington, DC 20500",
    "690 Sanchez Union Suite 625\nChristopherhaven, CT 21957",
    "12, rue de la Paix\n75002 Paris",
    "Rue de la Loi 16\n1000 Bruxelles",
    "Kerkstraat 12\n1017 GB Amsterdam",
    "Hauptstraße 5\n10115 Berlin",
    "Lindenallee 3/6, 50968 Köln",
    # Spain, Italy, Portugal, Poland: the street type before the name, the number after it
    "Calle Mayor 12, 28013 Madrid",
    "C/ Mayor, 12, 28013 Madrid",
    "Avenida de la Constitución 5\n41001 Sevilla",
    "Via Roma 12, 00184 Roma",
    "Corso Vittorio Emanuele II 21, 10123 Torino",
    "Rua Augusta 100, 1100-053 Lisboa",
    "ul. Marszałkowska 10, 00-590 Warszawa",
    "ulica Długa 5\n80-827 Gdańsk",
    # Nordic street words, in the name or after it
    "Storgatan 12, 111 22 Stockholm",
    "Karl Johans gate 5, 0154 Oslo",
    "Vesterbrogade 12, 1620 København V",
    "Mannerheimintie 12, 00100 Helsinki",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_address(detector, address):
    assert found(detector, f"Ship to: {address}. Thanks", {"STREET_ADDRESS"}) == [("STREET_ADDRESS", address)]


def test_an_address_ends_before_the_greeting_under_it(detector):
    text = "Ms Sherry Johnson\n2233 Hanson Island\nBarbaraside, WI 59624\nDear Sherry Johnson,\nThank you."
    assert found(detector, text, {"STREET_ADDRESS"}) == [("STREET_ADDRESS", "2233 Hanson Island\nBarbaraside, WI 59624")]


@pytest.mark.parametrize("text", ["We walked 3 miles in 2 ways.", "Chapter 5 Park the car.", "in 2019 the way forward",
                                  "we sent it via email 2 times", "Departure gate 12 is closed", "a tie 3-3"])
def test_address_negatives(detector, text):
    assert found(detector, text, {"STREET_ADDRESS"}) == []


@pytest.mark.parametrize("text", ADDRESSES + [
    "RUE DE LA PAIX 12\n75002 PARIS",  # capitals: the forms' words are matched regardless of case
    "KERKSTRAAT 12, 1017 GB AMSTERDAM",
    "Avenue Louise 54 bte 3\n1050 Ixelles, then 10 Downing Street, London SW1A 2AA",
    "Kerkſtraat 12\n1017 GB Amsterdam",  # re folds "ſ" into "s": non-ASCII text gets every form
    "Chapter 5 Park the car; route 66 and a park 9 times",
    "VIA ROMA 12, 00184 ROMA",  # the Italian form's words are capitalised: capitals are no Via Roma
    "Storgatan 12, 111 22 Stockholm, or 12 rue de la Paix 75002 Paris",
])
def test_address_forms_left_out_only_where_absent(text):
    """The recogniser leaves out its French and Dutch/German forms where a text lacks their
    words: what it finds must be what all its patterns find."""
    from detectors.recognizers.street_address import StreetAddressRecognizer

    recognizer = StreetAddressRecognizer()

    def spans(patterns):
        return sorted((r.start, r.end, r.score) for r in recognizer.analyze_with(text, patterns))

    assert spans(recognizer.patterns_for(text)) == spans(recognizer.compiled_patterns)


def test_address_forms_are_left_out_of_english_text():
    from detectors.recognizers.street_address import StreetAddressRecognizer

    recognizer = StreetAddressRecognizer()
    english = recognizer.patterns_for("Flat 3\n27 Acacia Avenue\nLeeds\nLS6 2AB")
    full = recognizer.compiled_patterns
    assert len(english) == len(full) - 1  # no unnumbered French street
    assert len(english[0][1].pattern) < len(full[0][1].pattern)  # street + locality: English forms only


@pytest.mark.parametrize("text,expected", [
    ("DOB: 12/03/1985", [("DATE_OF_BIRTH", "12/03/1985")]),
    ("Date of birth 1985-03-12", [("DATE_OF_BIRTH", "1985-03-12")]),
    ("She was born on 3 March 1985.", [("DATE_OF_BIRTH", "3 March 1985")]),
    ("Geboortedatum: 12-03-1985", [("DATE_OF_BIRTH", "12-03-1985")]),
    ("Date de naissance : 12 mars 1985", [("DATE_OF_BIRTH", "12 mars 1985")]),
    ("Invoice date 12/03/1985", []),
    ("2023-10-12 14:00:01 INFO started", []),
    ("DOB: 31/02/1985", []),
])
def test_date_of_birth(detector, text, expected):
    assert found(detector, text, {"DATE_OF_BIRTH"}) == expected


def test_email_any_language(detector):
    text = "Contactez-nous à jean.dupont@exemple.fr ou 연락처 kim@example.co.kr"
    assert found(detector, text, {"EMAIL_ADDRESS"}) == [("EMAIL_ADDRESS", "jean.dupont@exemple.fr"),
                                                       ("EMAIL_ADDRESS", "kim@example.co.kr")]
