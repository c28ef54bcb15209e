"""Which recognisers run: the one list to edit when adding one.

Our own recognisers live one per file in :mod:`detectors.recognizers` (or as a
YAML entry in ``detectors/conf`` when a pattern and context words suffice).
Adding a recogniser = its file + its test table + one line here (a YAML entry
needs no line here).
"""

from __future__ import annotations

import importlib
import os

import yaml
from presidio_analyzer import EntityRecognizer

from detectors.recognizers.base import Pattern, PiiRecognizer

# module:Class of our recognisers
OURS = [
    "detectors.recognizers.email:EmailRecognizer",
    "detectors.recognizers.uk_nino:UkNinoRecognizer",
    "detectors.recognizers.uk_nhs:UkNhsRecognizer",
    "detectors.recognizers.uk_bank_account:UkBankAccountRecognizer",
    "detectors.recognizers.be_national_number:BeNationalNumberRecognizer",
    "detectors.recognizers.fr_nir:FrNirRecognizer",
    "detectors.recognizers.nl_bsn:NlBsnRecognizer",
    "detectors.recognizers.ca_sin:CaSinRecognizer",
    "detectors.recognizers.kr_rrn:KrRrnRecognizer",
    "detectors.recognizers.de_tax_id:DeTaxIdRecognizer",
    "detectors.recognizers.es_dni:EsDniRecognizer",
    "detectors.recognizers.es_nie:EsNieRecognizer",
    "detectors.recognizers.it_fiscal_code:ItFiscalCodeRecognizer",
    "detectors.recognizers.pl_pesel:PlPeselRecognizer",
    "detectors.recognizers.se_personnummer:SePersonnummerRecognizer",
    "detectors.recognizers.fi_hetu:FiHetuRecognizer",
    "detectors.recognizers.dk_cpr:DkCprRecognizer",
    "detectors.recognizers.no_fodselsnummer:NoFodselsnummerRecognizer",
    "detectors.recognizers.ie_ppsn:IePpsnRecognizer",
    "detectors.recognizers.pt_nif:PtNifRecognizer",
    "detectors.recognizers.at_ssn:AtSsnRecognizer",
    "detectors.recognizers.uk_driving_licence:UkDrivingLicenceRecognizer",
    "detectors.recognizers.us_ssn:UsSsnRecognizer",
    "detectors.recognizers.iban:IbanRecognizer",
    "detectors.recognizers.credit_card:CreditCardRecognizer",
    "detectors.recognizers.phone:PhoneRecognizer",
    "detectors.recognizers.street_address:StreetAddressRecognizer",
    "detectors.recognizers.labelled_name:LabelledNameRecognizer",
    "detectors.recognizers.date_of_birth:DateOfBirthRecognizer",
    "detectors.recognizers.ip_address:IpRecognizer",
    "detectors.recognizers.mac_address:MacAddressRecognizer",
    "detectors.recognizers.device_id:DeviceIdRecognizer",
    "detectors.recognizers.password:PasswordRecognizer",
    "detectors.recognizers.mrz:MrzPassportRecognizer",
    "detectors.recognizers.mrz:MrzIdCardRecognizer",
    "detectors.recognizers.mrz:MrzNameRecognizer",
    "detectors.recognizers.mrz:MrzBirthDateRecognizer",
    "detectors.recognizers.special_categories:HealthRecognizer",
    "detectors.recognizers.special_categories:ReligionRecognizer",
    "detectors.recognizers.special_categories:TradeUnionRecognizer",
    "detectors.recognizers.special_categories:SexualOrientationRecognizer",
    "detectors.recognizers.special_categories:EthnicityRecognizer",
    "detectors.recognizers.special_categories:PoliticalRecognizer",
    "detectors.recognizers.special_categories:BiometricRecognizer",
    "detectors.recognizers.special_categories:GeneticRecognizer",
    "detectors.recognizers.special_categories:CriminalOffenceRecognizer",
]

# Presidio's predefined card, IP, SSN, NHS, IBAN and e-mail recognisers are replaced by ours
# (they flagged version strings and bare digit runs, or dropped internal mail domains);
# ours keep Presidio's shape (PatternRecognizer, PATTERNS, CONTEXT, validate_result).

CONF_DIR = os.path.join(os.path.dirname(__file__), "conf")


def _yaml_recognizers() -> list[EntityRecognizer]:
    """Pattern recognisers declared in detectors/conf/*.yaml (one entry each)."""
    found = []
    for name in sorted(os.listdir(CONF_DIR)) if os.path.isdir(CONF_DIR) else []:
        if not name.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(CONF_DIR, name), encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
        for entry in doc.get("recognizers", []):
            attrs = {
                "ENTITY": entry["entity"],
                "PATTERNS": [Pattern(p["name"], p["regex"], float(p["score"])) for p in entry["patterns"]],
                "CONTEXT": entry.get("context", []),
                "NEEDS_CONTEXT": bool(entry.get("needs_context", False)),
                "MAX_MATCH": int(entry.get("max_match", 100)),
                "ANCHORS": entry.get("anchors"),
                "__doc__": entry.get("description", ""),
            }
            cls = type(entry["name"], (PiiRecognizer,), attrs)
            found.append(cls())
    return found


def load_recognizers() -> list[EntityRecognizer]:
    """Instantiate every recogniser the engine runs, ours first."""
    recognizers: list[EntityRecognizer] = []
    for spec in OURS:
        module_name, class_name = spec.split(":")
        recognizers.append(getattr(importlib.import_module(module_name), class_name)())
    recognizers.extend(_yaml_recognizers())
    return recognizers
