"""EU national numbers checked by python-stdnum: a table of valid and invalid cases per recogniser.

Valid values are generated with python-stdnum's own check-digit functions
(tests.detectors.generators); invalid ones have their check character
changed. A bare digit run counts only next to its label; distinctive shapes
(a check letter, a century sign) stand alone.
"""

import pytest

from tests.detectors import generators as g
from tests.detectors.conftest import found


def other_letter(value: str) -> str:
    """The same value with its last letter changed: the check letter fails."""
    last = value[-1]
    return value[:-1] + ("B" if last == "A" else "A")


IDNR, DNI, NIE, CF, PESEL = g.de_tax_id(), g.es_dni(), g.es_nie(), g.it_fiscal_code(), g.pl_pesel()
PNR, HETU, CPR, FNR, PPS, NIF, VNR = (g.se_personnummer(), g.fi_hetu(), g.dk_cpr(), g.no_fodselsnummer(),
                                      g.ie_ppsn(), g.pt_nif(), g.at_ssn())

TABLES = {
    "DE_TAX_ID": [
        (f"Steuer-ID: {IDNR}", [IDNR]),
        (f"Ihre steuerliche Identifikationsnummer lautet {IDNR[:2]} {IDNR[2:5]} {IDNR[5:8]} {IDNR[8:]}.",
         [f"{IDNR[:2]} {IDNR[2:5]} {IDNR[5:8]} {IDNR[8:]}"]),
        ("Steuer-ID: 36 574 261 809", ["36 574 261 809"]),  # python-stdnum's documented example
        (f"Steuer-ID: {g.corrupt(IDNR)}", []),
        (f"Bestellung {IDNR} vom 3. Mai", []),  # eleven digits without the label
        ("Steuer-ID: 11111111111", []),  # the digit rules: one digit repeated, not all
    ],
    "ES_DNI": [
        (f"DNI: {DNI}", [DNI]),
        (f"mi documento es {DNI[:8]}-{DNI[8]}", [f"{DNI[:8]}-{DNI[8]}"]),  # the check letter stands alone
        ("DNI 54362315-K", ["54362315-K"]),
        (f"DNI: {other_letter(DNI)}", []),
        (f"hash {DNI.lower()}", []),  # the letter is a capital
    ],
    "ES_NIE": [
        (f"NIE: {NIE}", [NIE]),
        (f"tarjeta {NIE[0]}-{NIE[1:8]}-{NIE[8]}", [f"{NIE[0]}-{NIE[1:8]}-{NIE[8]}"]),
        ("NIE X2482300W", ["X2482300W"]),
        (f"NIE: {other_letter(NIE)}", []),
    ],
    "IT_FISCAL_CODE": [
        (f"Codice fiscale: {CF}", [CF]),
        (f"il mio CF è {CF.lower()}", [CF.lower()]),
        ("C.F. RCCMNL83S18D969H", ["RCCMNL83S18D969H"]),
        (f"Codice fiscale: {other_letter(CF)}", []),
        ("token ABCDEFGHIJKLMNOP", []),  # letters where digits belong
    ],
    "PL_PESEL": [
        (f"PESEL: {PESEL}", [PESEL]),
        ("numer PESEL 44051401359", ["44051401359"]),
        (f"PESEL: {g.corrupt(PESEL)}", []),
        (f"zamówienie {PESEL}", []),  # eleven digits without the label
    ],
    "SE_PERSONNUMMER": [
        (f"Personnummer: {PNR}", [PNR]),
        (f"ring mig, {PNR}", [PNR]),  # the dashed form stands alone
        (f"personnummer 19{PNR.replace('-', '')}", [f"19{PNR.replace('-', '')}"]),
        (f"Personnummer: {g.corrupt(PNR)}", []),
        (f"order {PNR.replace('-', '')}", []),  # ten bare digits without the label
    ],
    "FI_HETU": [
        (f"Henkilötunnus: {HETU}", [HETU]),
        (f"hetu {HETU} ok", [HETU]),
        ("131052-308T", ["131052-308T"]),
        (f"Henkilötunnus: {HETU[:-1]}{'X' if HETU[-1] != 'X' else 'Y'}", []),
    ],
    "DK_CPR": [
        (f"CPR-nr.: {CPR}", [CPR]),
        (f"cpr {CPR.replace('-', '')}", [CPR.replace('-', '')]),
        ("CPR-nr. 211062-5629", ["211062-5629"]),
        ("CPR-nr. 321062-5629", []),  # no 32nd day
        (f"ordre {CPR}", []),  # no label: a CPR number has no check digit to stand on
    ],
    "NO_FODSELSNUMMER": [
        (f"Fødselsnummer: {FNR}", [FNR]),
        (f"fnr {FNR[:6]} {FNR[6:]}", [f"{FNR[:6]} {FNR[6:]}"]),
        ("fødselsnummer 15108695088", ["15108695088"]),
        (f"Fødselsnummer: {g.corrupt(FNR)}", []),
        (f"ordre {FNR}", []),
    ],
    "IE_PPSN": [
        (f"PPS number: {PPS}", [PPS]),
        (f"my PPSN is {PPS}W", [f"{PPS}W"]),
        ("PPSN 6433435F", ["6433435F"]),
        (f"PPS number: {other_letter(PPS)}", []),
        (f"ref {PPS}", []),  # seven digits and a letter are a reference without the label
    ],
    "PT_NIF": [
        (f"NIF: {NIF}", [NIF]),
        (f"número de contribuinte {NIF[:3]} {NIF[3:6]} {NIF[6:]}", [f"{NIF[:3]} {NIF[3:6]} {NIF[6:]}"]),
        ("NIF 501964843", ["501964843"]),
        (f"NIF: {g.corrupt(NIF)}", []),
        (f"fatura {NIF}", []),
    ],
    "AT_SSN": [
        (f"Sozialversicherungsnummer: {VNR}", [VNR]),
        (f"SVNR {VNR[:4]} {VNR[4:]}", [f"{VNR[:4]} {VNR[4:]}"]),
        ("Versicherungsnummer 1237 010180", ["1237 010180"]),
        (f"Sozialversicherungsnummer: {VNR[:3]}{(int(VNR[3]) + 1) % 10}{VNR[4:]}", []),
        (f"Rechnung {VNR}", []),
    ],
    "UK_DRIVING_LICENCE": [
        ("Driving licence number: MORGA657054SM9IJ", ["MORGA657054SM9IJ"]),
        ("licence SMITH751110J99AB 12", ["SMITH751110J99AB 12"]),
        ("DVLA ref MORGA613054SM9IJ", []),  # month 13
        ("99999657054SM9IJ", []),  # no surname letters
        ("morga657054sm9ij", []),  # capitals only
    ],
}


@pytest.mark.parametrize("entity,text,expected",
                         [(entity, text, expected) for entity, cases in TABLES.items() for text, expected in cases])
def test_eu_national_ids(detector, entity, text, expected):
    assert found(detector, text, {entity}) == [(entity, value) for value in expected]


@pytest.mark.parametrize("make,label,entity", [
    (g.de_tax_id, "Steuer-ID", "DE_TAX_ID"), (g.es_dni, "DNI", "ES_DNI"), (g.es_nie, "NIE", "ES_NIE"),
    (g.it_fiscal_code, "Codice fiscale", "IT_FISCAL_CODE"), (g.pl_pesel, "PESEL", "PL_PESEL"),
    (g.se_personnummer, "Personnummer", "SE_PERSONNUMMER"), (g.fi_hetu, "Henkilötunnus", "FI_HETU"),
    (g.dk_cpr, "CPR-nr.", "DK_CPR"), (g.no_fodselsnummer, "Fødselsnummer", "NO_FODSELSNUMMER"),
    (g.ie_ppsn, "PPSN", "IE_PPSN"), (g.pt_nif, "NIF", "PT_NIF"), (g.at_ssn, "SVNR", "AT_SSN"),
])
def test_generated_numbers_are_all_found(detector, make, label, entity):
    """Recall of the checksum paths over many generated valid numbers, each with its label."""
    for _ in range(30):
        value = make()
        assert found(detector, f"{label}: {value}", {entity}) == [(entity, value)]


def test_each_number_is_only_its_own_entity(detector):
    """A number of one country is not reported as another's: only the labelled type fires."""
    national = {"DE_TAX_ID", "ES_DNI", "ES_NIE", "IT_FISCAL_CODE", "PL_PESEL", "SE_PERSONNUMMER", "FI_HETU",
                "DK_CPR", "NO_FODSELSNUMMER", "IE_PPSN", "PT_NIF", "AT_SSN", "UK_DRIVING_LICENCE"}
    for text, entity in [(f"Steuer-ID: {IDNR}", "DE_TAX_ID"), (f"PESEL: {PESEL}", "PL_PESEL"),
                         (f"NIF: {NIF}", "PT_NIF"), (f"Fødselsnummer: {FNR}", "NO_FODSELSNUMMER")]:
        assert {e for e, _ in found(detector, text, national)} == {entity}
